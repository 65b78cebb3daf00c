package dev.ferry.edge.rendezvous;

import java.util.List;
import java.util.Objects;

/**
 * One {@code rendezvous.pb.Message} (rendezvous.proto, the seed's schema) in memory. Exactly the
 * list named by {@link #type} has entries in messages the service accepts; the others are empty.
 * Unregister entries reuse {@link Registration} (their addresses are normally empty).
 *
 * @param type       the message type
 * @param register   {@code register} entries (field 2)
 * @param unregister {@code unregister} entries (field 3)
 * @param rendezvous namespaces of the {@code rendezvous} entries (field 4)
 * @param discover   namespaces of the {@code discovery} entries (field 5)
 * @param token      Ferry's optional field 6: a bearer token authenticating the connection to a
 *                   service beyond loopback (null when absent; other implementations skip it)
 */
public record RendezvousMessage(Type type, List<Registration> register, List<Registration> unregister,
        List<String> rendezvous, List<String> discover, String token) {

    /** {@code Message.MessageType}, with its wire numbers. */
    public enum Type {
        REGISTER, UNREGISTER, RENDEZVOUS, DISCOVER;

        /** The enum number on the wire (0..3). */
        public int number() {
            return ordinal();
        }

        /** The type numbered {@code n}, or null for an unknown number. */
        public static Type of(int n) {
            Type[] all = values();
            return n >= 0 && n < all.length ? all[n] : null;
        }
    }

    public RendezvousMessage {
        Objects.requireNonNull(type, "type");
        register = List.copyOf(register);
        unregister = List.copyOf(unregister);
        rendezvous = List.copyOf(rendezvous);
        discover = List.copyOf(discover);
    }

    /** A message without a token. */
    public RendezvousMessage(Type type, List<Registration> register, List<Registration> unregister,
            List<String> rendezvous, List<String> discover) {
        this(type, register, unregister, rendezvous, discover, null);
    }

    /** This message carrying {@code t} (null: none). */
    public RendezvousMessage withToken(String t) {
        return new RendezvousMessage(type, register, unregister, rendezvous, discover, t);
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "RendezvousMessage[" + type + ", register=" + register + ", unregister=" + unregister
                + ", rendezvous=" + rendezvous + ", discover=" + discover + (token == null ? "" : ", token=***") + "]";
    }

    /** REGISTER with these entries (possibly none: the answer to a DISCOVER of an empty namespace). */
    public static RendezvousMessage register(List<Registration> regs) {
        return new RendezvousMessage(Type.REGISTER, regs, List.of(), List.of(), List.of());
    }

    /** UNREGISTER{ns, {id}}. */
    public static RendezvousMessage unregister(String ns, String id) {
        return new RendezvousMessage(Type.UNREGISTER, List.of(),
                List.of(new Registration(ns, id, List.of())), List.of(), List.of());
    }

    /** RENDEZVOUS{ns}. */
    public static RendezvousMessage rendezvous(String ns) {
        return new RendezvousMessage(Type.RENDEZVOUS, List.of(), List.of(), List.of(ns), List.of());
    }

    /** DISCOVER{ns}. */
    public static RendezvousMessage discover(String ns) {
        return new RendezvousMessage(Type.DISCOVER, List.of(), List.of(), List.of(), List.of(ns));
    }
}
