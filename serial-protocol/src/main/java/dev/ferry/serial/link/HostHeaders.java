package dev.ferry.serial.link;

import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.serial.header.BinaryHeaderCodec;
import dev.ferry.serial.header.HeaderCodec;
import dev.ferry.serial.header.TextHeaderCodec;
import java.util.List;
import java.util.function.Consumer;

/**
 * How the host writes and reads the RP headers of one station's link: the header codec of the
 * negotiated version (text before set-up and on version 1), the station's resource table its
 * version 2 index forms use (PROTOCOL.md 8.2), and the version 2 exchange table that gives
 * requests their one-byte {@code /#x/N} return paths ({@link ExchangeIds}). Every change of codec
 * is handed to {@code onCodec} (the receive side decodes with the same one). Not thread-safe:
 * the line's thread owns it, through its {@link PrimaryStation}.
 */
final class HostHeaders {
    /** A version 2 exchange without any answer for this long may be reclaimed when ids run out. */
    static final long STALE_EXCHANGE_NANOS = 60_000_000_000L;

    private final int maxHeader;
    private final Consumer<HeaderCodec> onCodec;
    private final ExchangeIds exchanges = new ExchangeIds(STALE_EXCHANGE_NANOS);
    private HeaderCodec codec;
    private List<Path> resources = List.of();

    HostHeaders(int maxHeader, Consumer<HeaderCodec> onCodec) {
        this.maxHeader = maxHeader;
        this.onCodec = onCodec;
        this.codec = new TextHeaderCodec(maxHeader);
    }

    HeaderCodec codec() {
        return codec;
    }

    /** A link was set up with {@code major}: its codec, no resources known yet, no exchanges open. */
    void connected(int major) {
        resources = List.of();                  // learned again: the station may be another one now
        exchanges.clear();
        use(HeaderCodec.forVersion(major, maxHeader, resources));
    }

    /**
     * The station's resource table, learned from its {@code GET /}; a connected version 2 link
     * ({@code connected}) indexes with it from the next header on.
     */
    void useResources(List<Path> table, boolean connected) {
        if (table == resources || table.equals(resources)) {
            return;
        }
        resources = List.copyOf(table);
        if (connected && codec.version() == 2) {
            use(new BinaryHeaderCodec(resources));
        }
    }

    /** {@code m}'s bytes on the link, or null when version 2 has no exchange id free for it. */
    byte[] encode(Message m, long now) {
        if (codec.version() == 2) {
            Message wire = exchanges.outbound(m, now);
            return wire == null ? null : codec.encode(wire);
        }
        return codec.encode(m);
    }

    /** A message the station sent, with its requester's paths given back; null when it matches no exchange. */
    Message inbound(Message m) {
        return codec.version() == 2 ? exchanges.inbound(m) : m;
    }

    /** Exchanges open on a version 2 link. */
    int openExchanges() {
        return exchanges.open();
    }

    private void use(HeaderCodec c) {
        codec = c;
        onCodec.accept(c);
    }
}
