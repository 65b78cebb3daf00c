package dev.ferry.edge.raet;

import dev.ferry.edge.config.SecurityConfig;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * One established session (RAET.md section 5): its id, the devices at both ends, and the packet
 * protection of its mode — CRC-32C (open), Ed25519 per packet (signed) or the negotiated
 * {@link AeadSuite} with per-direction keys from HKDF over the X25519 secret, the suite named in the
 * HKDF info (encrypted). Keeps the send counter (never reused: it is the AEAD nonce) and the replay
 * window of received counters. Single-threaded.
 */
final class Session {
    final long si;
    final long localDevice;
    final long peerDevice;
    private final SecurityConfig.Mode mode;
    private final AeadSuite suite;
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
     * @param shared     X25519 secret (encrypted mode; else ignored)
     * @param suite      the negotiated AEAD suite (encrypted mode; else ignored)
     * @param suiteBound false only for a JOIN without a suite list: HKDF info without the suite
     */
    Session(long si, long localDevice, long peerDevice, SecurityConfig.Mode mode, boolean joiner, byte[] shared,
            AeadSuite suite, boolean suiteBound, PrivateKey myKey, PublicKey peerKey) throws GeneralSecurityException {
        this.si = si;
        this.localDevice = localDevice;
        this.peerDevice = peerDevice;
        this.mode = mode;
        this.suite = mode == SecurityConfig.Mode.ENCRYPTED ? suite : null;
        if (mode == SecurityConfig.Mode.ENCRYPTED) {
            byte[][] k = keys(si, shared, suite, suiteBound);
            sendKey = suite.key(joiner ? k[0] : k[1]);
            recvKey = suite.key(joiner ? k[1] : k[0]);
            enc = suite.cipher();
            dec = suite.cipher();
        } else if (mode == SecurityConfig.Mode.SIGNED) {
            this.myKey = myKey;
            this.peerKey = peerKey;
            signer = Signature.getInstance("Ed25519");
            verifier = Signature.getInstance("Ed25519");
        }
    }

    /**
     * The session keys {joiner to acceptor, acceptor to joiner} (RAET.md 5.4): HKDF-SHA256 with salt
     * = si (8 bytes, big-endian), ikm = the X25519 secret, info naming direction and suite.
     */
    static byte[][] keys(long si, byte[] shared, AeadSuite suite, boolean suiteBound) {
        byte[] salt = ByteBuffer.allocate(8).putLong(si).array();
        return new byte[][] {Crypto.hkdf(salt, shared, suite.info(true, suiteBound), 32),
            Crypto.hkdf(salt, shared, suite.info(false, suiteBound), 32)};
    }

    /** The AEAD suite (encrypted mode), else null. */
    AeadSuite suite() {
        return suite;
    }

    /** How packets are protected, for logs: "open", "signed" or the AEAD suite's label. */
    String protection() {
        return suite != null ? suite.label() : mode.name().toLowerCase(java.util.Locale.ROOT);
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
                    SecurityBlocks.seal(d, hlOf(d), ++sendCounter, suite, enc, sendKey, body, off, len);
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
                byte[] plain = SecurityBlocks.open(d, len, h.hl(), suite, dec, recvKey);
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
