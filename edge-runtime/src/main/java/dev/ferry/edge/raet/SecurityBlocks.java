package dev.ferry.edge.raet;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.zip.CRC32C;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The auth block (nk, nl) and tail (tk, tl) kinds, and the three ways of protecting a packet
 * (RAET.md section 4): CRC-32C tail, Ed25519 signature, AEAD (an {@link AeadSuite}). Writing happens in
 * place in a datagram laid out by {@link PacketCodec#layout}; checking never throws.
 */
public final class SecurityBlocks {
    public static final int NK_NONE = 0;
    /** Auth block = counter (8, big-endian) then Ed25519 signature (64). */
    public static final int NK_SIGNED = 1;
    /** Auth block = counter (8, big-endian); the body is AEAD ciphertext, the tail its tag. */
    public static final int NK_AEAD = 2;
    public static final int TK_NONE = 0;
    /** Tail = CRC-32C (4, big-endian) of everything before it. */
    public static final int TK_CRC32C = 1;
    /** Tail = AEAD tag (16): Poly1305 or GCM. */
    public static final int TK_TAG = 2;
    public static final int BK_NONE = 0;
    public static final int BK_JSON = 1;
    public static final int BK_PACKED = 2;

    private SecurityBlocks() { }

    /** Auth block length for a kind, -1 for an unknown kind. */
    public static int authLength(int nk) {
        return nk == NK_NONE ? 0 : nk == NK_SIGNED ? 72 : nk == NK_AEAD ? 8 : -1;
    }

    /** Tail length for a kind, -1 for an unknown kind. */
    public static int tailLength(int tk) {
        return tk == TK_NONE ? 0 : tk == TK_CRC32C ? 4 : tk == TK_TAG ? 16 : -1;
    }

    /** Writes the CRC-32C tail of a laid-out datagram. */
    static void writeCrc(byte[] d) {
        CRC32C c = new CRC32C();
        c.update(d, 0, d.length - 4);
        ByteBuffer.wrap(d, d.length - 4, 4).putInt((int) c.getValue());
    }

    static boolean crcOk(byte[] d, int len) {
        CRC32C c = new CRC32C();
        c.update(d, 0, len - 4);
        return ByteBuffer.wrap(d, len - 4, 4).getInt() == (int) c.getValue();
    }

    /** Writes counter and Ed25519 signature over header, counter, body and tail. */
    static void sign(byte[] d, int hl, long counter, Signature signer, PrivateKey key) throws GeneralSecurityException {
        ByteBuffer.wrap(d, hl, 8).putLong(counter);
        signer.initSign(key);
        signer.update(d, 0, hl + 8);
        signer.update(d, hl + 72, d.length - hl - 72);
        byte[] sig = signer.sign();
        System.arraycopy(sig, 0, d, hl + 8, 64);
    }

    static boolean verify(byte[] d, int len, int hl, Signature verifier, PublicKey key) {
        try {
            verifier.initVerify(key);
            verifier.update(d, 0, hl + 8);
            verifier.update(d, hl + 72, len - hl - 72);
            return verifier.verify(d, hl + 8, 64);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    static long counter(byte[] d, int hl) {
        return ByteBuffer.wrap(d, hl, 8).getLong();
    }

    /**
     * Encrypts {@code plain[off, off+len)} into the body and tail of a laid-out datagram, with
     * header and counter as associated data.
     */
    static void seal(byte[] d, int hl, long counter, AeadSuite suite, Cipher c, SecretKeySpec key, byte[] plain, int off,
                     int len) throws GeneralSecurityException {
        ByteBuffer.wrap(d, hl, 8).putLong(counter);
        c.init(Cipher.ENCRYPT_MODE, key, suite.params(counter));
        c.updateAAD(d, 0, hl + 8);
        int n = c.doFinal(plain, off, len, d, hl + 8);
        if (n != len + 16) {
            throw new GeneralSecurityException("unexpected AEAD output length " + n);
        }
    }

    /**
     * Decrypts body and tail into a new array of exactly the body's length; null when the tag
     * does not verify (nothing is decrypted then: the JDK checks the tag first).
     */
    static byte[] open(byte[] d, int len, int hl, AeadSuite suite, Cipher c, SecretKeySpec key) {
        int cipherLen = len - hl - 8;
        if (cipherLen < 16) {
            return null;
        }
        try {
            long counter = counter(d, hl);
            c.init(Cipher.DECRYPT_MODE, key, suite.params(counter));
            c.updateAAD(d, 0, hl + 8);
            byte[] plain = new byte[cipherLen - 16];
            c.doFinal(d, hl + 8, cipherLen, plain, 0);
            return plain;
        } catch (GeneralSecurityException | RuntimeException e) {
            rearm(suite, c, key);
            return null;
        }
    }

    /** A nonce RAET never uses (its nonces start with four zero bytes). */
    private static final byte[] REARM_NONCE = {-1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

    /**
     * After a failed decryption: the JDK's ChaCha20-Poly1305 refuses to be initialised twice in a
     * row with the same key and nonce, even to decrypt, so without this a forged copy of a packet
     * arriving first would make the genuine packet with that counter fail too. (Harmless for GCM.)
     */
    private static void rearm(AeadSuite suite, Cipher c, SecretKeySpec key) {
        try {
            c.init(Cipher.DECRYPT_MODE, key, suite.params(REARM_NONCE));
        } catch (GeneralSecurityException | RuntimeException e) {
            // the next open() initialises again; nothing else to do
        }
    }
}
