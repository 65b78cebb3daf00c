package dev.ferry.edge.raet;

import dev.ferry.edge.config.SecurityConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * One established session (RAET.md section 5): its id, the devices at both ends, and the packet
 * protection of its mode — CRC-32C (open), Ed25519 per packet (signed) or ChaCha20-Poly1305 with
 * per-direction keys from HKDF over the X25519 secret (encrypted). Keeps the send counter (never
 * reused: it is the AEAD nonce) and the replay window of received counters. Single-threaded.
 */
final class Session {
    private static final byte[] INFO_J2A = "ferry raet 1 joiner to acceptor".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INFO_A2J = "ferry raet 1 acceptor to joiner".getBytes(StandardCharsets.US_ASCII);

    final long si;
    final long localDevice;
    final long peerDevice;
    private final SecurityConfig.Mode mode;
    private final ReplayWindow window = new ReplayWindow();
    private long sendCounter;
    private Cipher enc;
    private Cipher dec;
    private SecretKeySpec sendKey;
    private SecretKeySpec recvKey;
    private Signature signer;
    private Signature verifier;
    private PrivateKey myKey;
    private PublicKey peerKey;

    /** Result of opening one packet: the plaintext body or a drop. */
    record Opened(byte[] body, Drop drop) { }

    /**
     * @param shared X25519 secret (encrypted mode; else ignored)
     */
    Session(long si, long localDevice, long peerDevice, SecurityConfig.Mode mode, boolean joiner, byte[] shared,
            PrivateKey myKey, PublicKey peerKey) throws GeneralSecurityException {
        this.si = si;
        this.localDevice = localDevice;
        this.peerDevice = peerDevice;
        this.mode = mode;
        if (mode == SecurityConfig.Mode.ENCRYPTED) {
            byte[] salt = ByteBuffer.allocate(8).putLong(si).array();
            byte[] j2a = Crypto.hkdf(salt, shared, INFO_J2A, 32);
            byte[] a2j = Crypto.hkdf(salt, shared, INFO_A2J, 32);
            sendKey = new SecretKeySpec(joiner ? j2a : a2j, "ChaCha20");
            recvKey = new SecretKeySpec(joiner ? a2j : j2a, "ChaCha20");
            enc = Cipher.getInstance("ChaCha20-Poly1305");
            dec = Cipher.getInstance("ChaCha20-Poly1305");
        } else if (mode == SecurityConfig.Mode.SIGNED) {
            this.myKey = myKey;
            this.peerKey = peerKey;
            signer = Signature.getInstance("Ed25519");
            verifier = Signature.getInstance("Ed25519");
        }
    }

    /** Header kinds of the auth block and tail for this mode's session packets. */
    static int nk(SecurityConfig.Mode m) {
        return m == SecurityConfig.Mode.OPEN ? SecurityBlocks.NK_NONE
                : m == SecurityConfig.Mode.SIGNED ? SecurityBlocks.NK_SIGNED : SecurityBlocks.NK_AEAD;
    }

    static int tk(SecurityConfig.Mode m) {
        return m == SecurityConfig.Mode.OPEN ? SecurityBlocks.TK_CRC32C
                : m == SecurityConfig.Mode.SIGNED ? SecurityBlocks.TK_NONE : SecurityBlocks.TK_TAG;
    }

    /** The protected datagram for {@code h} carrying {@code body[off, off+len)}. */
    byte[] seal(Header h, byte[] body, int off, int len) {
        Header hh = h.withBlocks(nk(mode), 0, h.bk(), 0, tk(mode), 0);
        try {
            switch (mode) {
                case OPEN: {
                    byte[] d = PacketCodec.layout(hh, body, off, len, true);
                    SecurityBlocks.writeCrc(d);
                    return d;
                }
                case SIGNED: {
                    byte[] d = PacketCodec.layout(hh, body, off, len, true);
                    SecurityBlocks.sign(d, hlOf(d), ++sendCounter, signer, myKey);
                    return d;
                }
                default: {
                    byte[] d = PacketCodec.layout(hh, body, off, len, false);
                    SecurityBlocks.seal(d, hlOf(d), ++sendCounter, enc, sendKey, body, off, len);
                    return d;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    private static int hlOf(byte[] d) {
        for (int i = 0; ; i++) {
            if (d[i] == '\r' && d[i + 1] == '\n' && d[i + 2] == '\r' && d[i + 3] == '\n') {
                return i + 4;
            }
        }
    }

    /** Checks protection, replay and decrypts. */
    Opened open(PacketCodec.Frame f) {
        Header h = f.header();
        if (h.nk() != nk(mode) || h.tk() != tk(mode)) {
            return new Opened(null, Drop.WRONG_MODE);
        }
        byte[] d = f.data();
        int len = f.length();
        switch (mode) {
            case OPEN:
                return SecurityBlocks.crcOk(d, len) ? new Opened(f.body(), null) : new Opened(null, Drop.BAD_CHECKSUM);
            case SIGNED: {
                long c = SecurityBlocks.counter(d, h.hl());
                if (!window.fresh(c)) {
                    return new Opened(null, Drop.REPLAY);
                }
                if (!SecurityBlocks.verify(d, len, h.hl(), verifier, peerKey)) {
                    return new Opened(null, Drop.BAD_SIGNATURE);
                }
                window.mark(c);
                return new Opened(f.body(), null);
            }
            default: {
                long c = SecurityBlocks.counter(d, h.hl());
                if (!window.fresh(c)) {
                    return new Opened(null, Drop.REPLAY);
                }
                byte[] plain = SecurityBlocks.open(d, len, h.hl(), dec, recvKey);
                if (plain == null) {
                    return new Opened(null, Drop.BAD_TAG);
                }
                window.mark(c);
                return new Opened(plain, null);
            }
        }
    }

    long sent() {
        return sendCounter;
    }
}
