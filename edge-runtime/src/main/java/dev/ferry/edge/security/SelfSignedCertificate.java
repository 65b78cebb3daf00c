package dev.ferry.edge.security;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * A self-signed X.509 v3 certificate for an Ed25519 key pair, so that TLS can carry the node's
 * RAET identity (the JDK can read certificates but has no public API to make one). The
 * certificate holds nothing a peer relies on but the public key: peers are pinned by key
 * ({@link PeerTls}), never by name, issuer or dates, so its subject is {@code CN=<node id>} for
 * people reading a capture and its validity is 2000-01-01 to 9999-12-31.
 *
 * <p>Encoding (RFC 5280, DER): {@code Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm
 * (Ed25519, OID 1.3.101.112, no parameters: RFC 8410), signature BIT STRING }}.
 */
public final class SelfSignedCertificate {
    private static final byte[] ED25519_ALGORITHM = {0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70};
    private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};
    private static final SecureRandom RANDOM = new SecureRandom();

    private SelfSignedCertificate() { }

    /**
     * Makes and signs the certificate.
     *
     * @param commonName at most 64 characters (the node id)
     * @throws IllegalArgumentException a key that is not Ed25519 or a name too long
     */
    public static X509Certificate create(KeyPair pair, String commonName) {
        if (commonName.length() > 64) {
            throw new IllegalArgumentException("common name longer than 64 characters");
        }
        byte[] name = tlv(0x30, tlv(0x31, tlv(0x30, COMMON_NAME, tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
        byte[] serial = new BigInteger(63, RANDOM).add(BigInteger.ONE).toByteArray();
        byte[] tbs = tlv(0x30,
                tlv(0xa0, tlv(0x02, new byte[] {2})),                         // version v3
                tlv(0x02, serial),
                ED25519_ALGORITHM,
                name,                                                          // issuer = subject
                tlv(0x30, tlv(0x17, ascii("000101000000Z")),                   // UTCTime before 2050
                        tlv(0x18, ascii("99991231235959Z"))),                  // GeneralizedTime after
                name,
                pair.getPublic().getEncoded());                                // SubjectPublicKeyInfo
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(pair.getPrivate());
            s.update(tbs);
            byte[] sig = s.sign();
            byte[] bits = new byte[sig.length + 1];                            // 0 unused bits
            System.arraycopy(sig, 0, bits, 1, sig.length);
            byte[] der = tlv(0x30, tbs, ED25519_ALGORITHM, tlv(0x03, bits));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot make a certificate for this key: " + e.getMessage(), e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** One DER element: tag, definite length (short or long form), contents. */
    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        int n = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 4);
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            throw new IllegalArgumentException("DER element too long: " + n);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }
}
