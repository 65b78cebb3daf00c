package dev.ferry.edge.rendezvous;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The protobuf wire form of {@link RendezvousMessage} (rendezvous.proto, proto2), written by hand
 * over protobuf-javalite's coded streams, and its framing: the message length as a varint32, then
 * the message (protobuf's delimited form). Decoding never throws: it returns a {@link Parsed} with
 * a fixed reason label when the input is not a well-formed message within the bounds.
 * Unknown fields are skipped; for repeated occurrences of a singular field the last one wins.
 */
public final class RendezvousWire {
    /** A decoded message, or why there is none ({@code problem} is a metric label). */
    public record Parsed(RendezvousMessage message, String problem) {
        public boolean ok() {
            return message != null;
        }
    }

    private static final class Bad extends Exception {
        final String reason;

        Bad(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }
    }

    private static final int TAG1 = (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    private static final int TAG2 = (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    /** Ferry's optional {@code string token = 6} (rendezvous.proto); other implementations skip it. */
    static final int TOKEN_FIELD = 6;
    /** Longest token accepted on the wire, in bytes. */
    static final int MAX_TOKEN = 512;

    private RendezvousWire() { }

    /** The wire bytes of {@code m}: varint32 length, then the message. */
    public static byte[] frame(RendezvousMessage m) {
        byte[] body = encode(m);
        byte[] out = new byte[CodedOutputStream.computeUInt32SizeNoTag(body.length) + body.length];
        write(out, c -> {
            c.writeUInt32NoTag(body.length);
            c.writeRawBytes(body);
        });
        return out;
    }

    /** The message bytes of {@code m} (no length prefix). */
    public static byte[] encode(RendezvousMessage m) {
        List<byte[]> parts = new ArrayList<>();
        int size = CodedOutputStream.computeEnumSize(1, m.type().number());
        for (Registration r : m.register()) {
            size += add(parts, 2, entry(r));
        }
        for (Registration r : m.unregister()) {
            size += add(parts, 3, entry(r));
        }
        for (String ns : m.rendezvous()) {
            size += add(parts, 4, single(ns));
        }
        for (String ns : m.discover()) {
            size += add(parts, 5, single(ns));
        }
        if (m.token() != null) {
            size += CodedOutputStream.computeStringSize(TOKEN_FIELD, m.token());
        }
        byte[] out = new byte[size];
        write(out, c -> {
            c.writeEnum(1, m.type().number());
            for (byte[] p : parts) {
                c.writeRawBytes(p);
            }
            if (m.token() != null) {
                c.writeString(TOKEN_FIELD, m.token());
            }
        });
        return out;
    }

    private static int add(List<byte[]> parts, int field, byte[] body) {
        byte[] p = new byte[CodedOutputStream.computeByteArraySize(field, body)];
        write(p, c -> c.writeByteArray(field, body));
        parts.add(p);
        return p.length;
    }

    private static byte[] entry(Registration r) {
        int peerSize = CodedOutputStream.computeStringSize(1, r.id());
        for (ByteString a : r.addrs()) {
            peerSize += CodedOutputStream.computeBytesSize(2, a);
        }
        byte[] peer = new byte[peerSize];
        write(peer, c -> {
            c.writeString(1, r.id());
            for (ByteString a : r.addrs()) {
                c.writeBytes(2, a);
            }
        });
        byte[] out = new byte[CodedOutputStream.computeStringSize(1, r.ns())
                + CodedOutputStream.computeByteArraySize(2, peer)];
        write(out, c -> {
            c.writeString(1, r.ns());
            c.writeByteArray(2, peer);
        });
        return out;
    }

    private static byte[] single(String ns) {
        byte[] out = new byte[CodedOutputStream.computeStringSize(1, ns)];
        write(out, c -> c.writeString(1, ns));
        return out;
    }

    private interface Writing {
        void to(CodedOutputStream c) throws IOException;
    }

    private static void write(byte[] into, Writing w) {
        CodedOutputStream c = CodedOutputStream.newInstance(into);
        try {
            w.to(c);
            c.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding into an exactly sized array", e);
        }
    }

    /**
     * Decodes one message (without its length prefix) and checks it: it has a known type, at least
     * one entry of that type and none of another, and every namespace, id and address is present
     * and within {@code limits}. Reasons: {@code bad_protobuf}, {@code bad_type},
     * {@code bad_entries}, {@code bad_namespace}, {@code bad_id}, {@code bad_addrs}, {@code bad_token}.
     */
    public static Parsed decode(byte[] bytes, RendezvousLimits limits) {
        return decode(bytes, limits, false);
    }

    /**
     * Like {@link #decode(byte[], RendezvousLimits)}; with {@code allowEmpty} a message with no
     * entries is accepted (what a client receives as the answer to a DISCOVER of an empty namespace).
     */
    public static Parsed decode(byte[] bytes, RendezvousLimits limits, boolean allowEmpty) {
        try {
            return new Parsed(read(CodedInputStream.newInstance(bytes), limits, allowEmpty), null);
        } catch (Bad b) {
            return new Parsed(null, b.reason);
        } catch (IOException | RuntimeException e) {
            return new Parsed(null, "bad_protobuf");
        }
    }

    private static RendezvousMessage read(CodedInputStream in, RendezvousLimits limits, boolean allowEmpty) throws IOException, Bad {
        Integer type = null;
        List<Registration> reg = new ArrayList<>();
        List<Registration> unreg = new ArrayList<>();
        List<String> rdv = new ArrayList<>();
        List<String> disc = new ArrayList<>();
        String token = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wt = WireFormat.getTagWireType(tag);
            if (field == 1 && wt == WireFormat.WIRETYPE_VARINT) {
                type = in.readEnum();
            } else if (field >= 2 && field <= 5 && wt == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                CodedInputStream sub = in.readBytes().newCodedInput();
                switch (field) {
                    case 2 -> reg.add(readEntry(sub, limits, true));
                    case 3 -> unreg.add(readEntry(sub, limits, false));
                    case 4 -> rdv.add(readNamespace(sub, limits));
                    default -> disc.add(readNamespace(sub, limits));
                }
            } else if (field == TOKEN_FIELD && wt == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                ByteString t = in.readBytes();
                if (t.size() > MAX_TOKEN || !t.isValidUtf8()) {
                    throw new Bad("bad_token");
                }
                token = t.toStringUtf8();
            } else if (field >= 1 && field <= TOKEN_FIELD) {
                throw new Bad("bad_protobuf");         // a known field with the wrong wire type
            } else if (!in.skipField(tag)) {
                throw new Bad("bad_protobuf");         // an end-group tag outside a group
            }
        }
        RendezvousMessage.Type t = type == null ? null : RendezvousMessage.Type.of(type);
        if (t == null) {
            throw new Bad("bad_type");
        }
        int own = switch (t) {
            case REGISTER -> reg.size();
            case UNREGISTER -> unreg.size();
            case RENDEZVOUS -> rdv.size();
            case DISCOVER -> disc.size();
        };
        if ((own == 0 && !allowEmpty) || own != reg.size() + unreg.size() + rdv.size() + disc.size()) {
            throw new Bad("bad_entries");
        }
        return new RendezvousMessage(t, reg, unreg, rdv, disc, token);
    }

    private static Registration readEntry(CodedInputStream in, RendezvousLimits limits, boolean withAddrs)
            throws IOException, Bad {
        String ns = null;
        String id = null;
        List<ByteString> addrs = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == TAG1) {
                ns = in.readString();
            } else if (tag == TAG2) {
                CodedInputStream peer = in.readBytes().newCodedInput();
                id = null;
                addrs = new ArrayList<>();
                int t;
                while ((t = peer.readTag()) != 0) {
                    if (t == TAG1) {
                        id = peer.readString();
                    } else if (t == TAG2) {
                        ByteString a = peer.readBytes();
                        if ((withAddrs && addrs.size() >= limits.maxAddrs()) || a.size() > limits.maxAddrBytes()) {
                            throw new Bad("bad_addrs");
                        }
                        addrs.add(a);
                    } else if (WireFormat.getTagFieldNumber(t) <= 2 || !peer.skipField(t)) {
                        throw new Bad("bad_protobuf");
                    }
                }
            } else if (WireFormat.getTagFieldNumber(tag) <= 2 || !in.skipField(tag)) {
                throw new Bad("bad_protobuf");
            }
        }
        checkNamespace(ns, limits);
        if (id == null || id.isEmpty() || utf8Length(id) > limits.maxIdBytes()) {
            throw new Bad("bad_id");
        }
        return new Registration(ns, id, addrs);
    }

    private static String readNamespace(CodedInputStream in, RendezvousLimits limits) throws IOException, Bad {
        String ns = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == TAG1) {
                ns = in.readString();
            } else if (WireFormat.getTagFieldNumber(tag) == 1 || !in.skipField(tag)) {
                throw new Bad("bad_protobuf");
            }
        }
        checkNamespace(ns, limits);
        return ns;
    }

    private static void checkNamespace(String ns, RendezvousLimits limits) throws Bad {
        if (ns == null || ns.isEmpty() || utf8Length(ns) > limits.maxNamespaceBytes()) {
            throw new Bad("bad_namespace");
        }
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
