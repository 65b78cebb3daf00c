package dev.ferry.edge.raet;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The JDK's own primitives, with raw 32-byte keys on the wire (RAET.md section 5): Ed25519,
 * X25519, HKDF-SHA256 (RFC 5869) and hex. No native library.
 */
public final class Crypto {
    private static final byte[] ED_SPKI = hex("302a300506032b6570032100");
    private static final byte[] ED_PKCS8 = hex("302e020100300506032b657004220420");
    private static final byte[] X_SPKI = hex("302a300506032b656e032100");
    private static final byte[] X_PKCS8 = hex("302e020100300506032b656e04220420");

    private Crypto() { }

    public static KeyPair newEd25519() {
        return generate("Ed25519");
    }

    public static KeyPair newX25519() {
        return generate("X25519");
    }

    private static KeyPair generate(String alg) {
        try {
            return KeyPairGenerator.getInstance(alg).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(alg + " missing from the JDK", e);
        }
    }

    /** The raw 32 bytes of an Ed25519 or X25519 public key. */
    public static byte[] raw(PublicKey k) {
        byte[] enc = k.getEncoded();
        return Arrays.copyOfRange(enc, enc.length - 32, enc.length);
    }

    /** The raw 32-byte seed/scalar of an Ed25519 or X25519 private key. */
    public static byte[] raw(PrivateKey k) {
        byte[] enc = k.getEncoded();
        return Arrays.copyOfRange(enc, ED_PKCS8.length, ED_PKCS8.length + 32);
    }

    public static PublicKey edPublic(byte[] raw32) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(ED_SPKI, raw32)));
    }

    public static PrivateKey edPrivate(byte[] raw32) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(ED_PKCS8, raw32)));
    }

    public static PublicKey xPublic(byte[] raw32) throws GeneralSecurityException {
        return KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(concat(X_SPKI, raw32)));
    }

    public static PrivateKey xPrivate(byte[] raw32) throws GeneralSecurityException {
        return KeyFactory.getInstance("X25519").generatePrivate(new PKCS8EncodedKeySpec(concat(X_PKCS8, raw32)));
    }

    /** X25519 shared secret; throws for an all-zero result (a low-order peer key). */
    public static byte[] agree(PrivateKey mine, byte[] peerRaw) throws GeneralSecurityException {
        KeyAgreement ka = KeyAgreement.getInstance("X25519");
        ka.init(mine);
        ka.doPhase(xPublic(peerRaw), true);
        byte[] s = ka.generateSecret();
        int acc = 0;
        for (byte b : s) {
            acc |= b;
        }
        if (acc == 0) {
            throw new GeneralSecurityException("all-zero X25519 secret");
        }
        return s;
    }

    /** HKDF-Extract then HKDF-Expand with SHA-256 (RFC 5869), {@code length} ≤ 255 × 32. */
    public static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            byte[] out = new byte[length];
            byte[] t = new byte[0];
            int done = 0;
            for (int i = 1; done < length; i++) {
                mac.update(t);
                mac.update(info);
                mac.update((byte) i);
                t = mac.doFinal();
                int n = Math.min(t.length, length - done);
                System.arraycopy(t, 0, out, done, n);
                done += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    public static byte[] hex(String s) {
        if (s.length() % 2 != 0) {
            throw new IllegalArgumentException("odd hex length");
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not hex");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    public static String hex(byte[] b) {
        StringBuilder s = new StringBuilder(b.length * 2);
        for (byte x : b) {
            s.append(Character.forDigit(x >> 4 & 15, 16)).append(Character.forDigit(x & 15, 16));
        }
        return s.toString();
    }
}
