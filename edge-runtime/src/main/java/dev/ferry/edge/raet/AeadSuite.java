package dev.ferry.edge.raet;

import dev.ferry.edge.config.SecurityConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AEAD suites of encrypted sessions (RAET.md sections 4 and 5), all with the same packet
 * layout: 32-byte key, 96-bit nonce {@code 0x00000000 || counter} (big-endian), 16-byte tag. The
 * wire id travels in JOIN (offer) and ACCEPT (choice); the label is the config and log name and
 * ends the HKDF info strings. Callers may rely on ids and labels never changing meaning.
 */
public enum AeadSuite {
    /** RFC 8439; pure Java in JDK 17 (intrinsics from JDK 21); the choice without AES hardware. */
    CHACHA20_POLY1305(1, "ChaCha20-Poly1305", "ChaCha20"),
    /** NIST SP 800-38D with a 128-bit tag; AES-NI/PCLMULQDQ (x86) or ARMv8 crypto intrinsics. */
    AES_256_GCM(2, "AES/GCM/NoPadding", "AES");

    private final int id;
    private final String transformation;
    private final String keyAlgorithm;

    AeadSuite(int id, String transformation, String keyAlgorithm) {
        this.id = id;
        this.transformation = transformation;
        this.keyAlgorithm = keyAlgorithm;
    }

    /** Wire id (one byte, never 0). */
    public int id() {
        return id;
    }

    /** Config and log name: {@code chacha20-poly1305}, {@code aes-256-gcm}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The suite with this wire id; empty for ids this build does not know. */
    public static Optional<AeadSuite> ofId(int id) {
        for (AeadSuite s : values()) {
            if (s.id == id) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The suite named by a config value (same names, see {@link SecurityConfig.Cipher}). */
    public static AeadSuite of(SecurityConfig.Cipher c) {
        return valueOf(c.name());
    }

    /**
     * The configured preference: {@code ciphers} in order, or for an empty list ("auto")
     * {@link #auto(boolean)} for this machine.
     */
    public static List<AeadSuite> preference(List<SecurityConfig.Cipher> ciphers) {
        if (ciphers.isEmpty()) {
            return auto(AesHardware.here());
        }
        List<AeadSuite> out = new ArrayList<>();
        for (SecurityConfig.Cipher c : ciphers) {
            out.add(of(c));
        }
        return List.copyOf(out);
    }

    /** "auto": AES-256-GCM first when the CPU has AES and carry-less multiply, else ChaCha20 first. */
    public static List<AeadSuite> auto(boolean aesHardware) {
        return aesHardware ? List.of(AES_256_GCM, CHACHA20_POLY1305) : List.of(CHACHA20_POLY1305, AES_256_GCM);
    }

    /** A new cipher object (one per direction per session; re-initialised for every packet). */
    public Cipher cipher() throws GeneralSecurityException {
        return Cipher.getInstance(transformation);
    }

    /** The 32-byte key for {@link #cipher()}. */
    public SecretKeySpec key(byte[] raw32) {
        return new SecretKeySpec(raw32, keyAlgorithm);
    }

    /** Cipher parameters for a packet counter: the nonce (and, for GCM, the 128-bit tag length). */
    public AlgorithmParameterSpec params(long counter) {
        return params(nonce(counter));
    }

    AlgorithmParameterSpec params(byte[] nonce) {
        return this == AES_256_GCM ? new GCMParameterSpec(128, nonce) : new IvParameterSpec(nonce);
    }

    /** The 12-byte nonce for a packet counter: four zero bytes, then the counter big-endian. */
    static byte[] nonce(long counter) {
        byte[] n = new byte[12];
        for (int i = 0; i < 8; i++) {
            n[11 - i] = (byte) (counter >>> 8 * i);
        }
        return n;
    }

    /**
     * HKDF info for the key of one direction: {@code "ferry raet 1 joiner to acceptor <label>"}
     * (or {@code acceptor to joiner}). {@code suiteBound} false gives the strings without the
     * suite, used only with ChaCha20-Poly1305 for a JOIN without a suite list (RAET.md 5.2).
     */
    byte[] info(boolean joinerToAcceptor, boolean suiteBound) {
        String s = "ferry raet 1 " + (joinerToAcceptor ? "joiner to acceptor" : "acceptor to joiner")
                + (suiteBound ? " " + label() : "");
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
