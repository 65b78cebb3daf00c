package dev.ferry.edge.raet;

import dev.ferry.edge.config.SecurityConfig;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;

/**
 * Protection of bootstrap packets (JOIN, JOIN_ACK, ACCEPT, REFUSE; RAET.md section 4), which travel
 * outside any session: CRC-32C in open mode, otherwise an Ed25519 signature with counter 0 by the
 * node's identity key, verified against the trusted key named by the first 32 body bytes.
 * Single-threaded (one shared {@link Signature}).
 */
final class BootPackets {
    private static final int BOOT_BODY = 32;

    private final SecurityConfig.Mode mode;
    private final RaetKeys keys;
    private final RaetStack.Wire wire;
    private final RaetCounters counters;
    private final Signature signer;

    /** @throws IllegalStateException when the JDK has no Ed25519 */
    BootPackets(RaetKeys keys, RaetStack.Wire wire, RaetCounters counters) {
        this.mode = keys.mode();
        this.keys = keys;
        this.wire = wire;
        this.counters = counters;
        try {
            signer = Signature.getInstance("Ed25519");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 missing from the JDK", e);
        }
    }

    RaetCounters counters() {
        return counters;
    }

    /** Lays out, protects and sends one bootstrap packet; nothing happens when {@code to} is null. */
    void send(Header h, byte[] body, InetSocketAddress to) {
        if (to == null) {
            return;
        }
        try {
            byte[] d;
            if (mode == SecurityConfig.Mode.OPEN) {
                d = PacketCodec.layout(h.withBlocks(SecurityBlocks.NK_NONE, 0, SecurityBlocks.BK_PACKED, 0,
                        SecurityBlocks.TK_CRC32C, 0), body, 0, body.length, true);
                SecurityBlocks.writeCrc(d);
            } else {
                d = PacketCodec.layout(h.withBlocks(SecurityBlocks.NK_SIGNED, 0, SecurityBlocks.BK_PACKED, 0,
                        SecurityBlocks.TK_NONE, 0), body, 0, body.length, true);
                int hl = d.length - 72 - body.length;
                SecurityBlocks.sign(d, hl, 0, signer, keys.identity().orElseThrow().getPrivate());
            }
            counters.sent();
            wire.send(d, to);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /** Verifies a bootstrap packet; returns its body, or null after setting {@code drop[0]}. */
    byte[] open(PacketCodec.Frame f, int bodyLength, Drop[] drop) {
        return open(f, bodyLength, bodyLength, drop);
    }

    /** As {@link #open(PacketCodec.Frame, int, Drop[])} for a body of {@code min..max} bytes. */
    byte[] open(PacketCodec.Frame f, int min, int max, Drop[] drop) {
        Header h = f.header();
        boolean open = mode == SecurityConfig.Mode.OPEN;
        if (h.nk() != (open ? SecurityBlocks.NK_NONE : SecurityBlocks.NK_SIGNED)
                || h.tk() != (open ? SecurityBlocks.TK_CRC32C : SecurityBlocks.TK_NONE)) {
            drop[0] = Drop.WRONG_MODE;
            return null;
        }
        if (h.bl() < min || h.bl() > max) {
            drop[0] = Drop.BAD_BODY;
            return null;
        }
        byte[] body = f.body();
        if (open) {
            if (!SecurityBlocks.crcOk(f.data(), f.length())) {
                drop[0] = Drop.BAD_CHECKSUM;
                return null;
            }
            return body;
        }
        PublicKey vk = keys.trusted(Arrays.copyOf(body, BOOT_BODY)).orElse(null);
        if (vk == null) {
            drop[0] = Drop.UNKNOWN_KEY;
            return null;
        }
        if (!SecurityBlocks.verify(f.data(), f.length(), h.hl(), signer, vk)) {
            drop[0] = Drop.BAD_SIGNATURE;
            return null;
        }
        return body;
    }
}
