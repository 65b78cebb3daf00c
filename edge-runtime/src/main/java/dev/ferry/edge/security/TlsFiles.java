package dev.ferry.edge.security;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material from PEM files, as the config names them, turned into contexts on the JDK's own
 * provider (no native crypto): a server context for the HTTP facade and the rendezvous listener
 * (TLS 1.3 and 1.2, {@link #CIPHERS} only, optional client certificates), and a
 * client context for the rendezvous client. Every failure is an {@link IOException} whose message
 * names the file and says what to do, so start-up can print it as is.
 *
 * <p>Accepted: certificates as {@code BEGIN CERTIFICATE} blocks (leaf first, then
 * intermediates); the key as an unencrypted PKCS#8 {@code BEGIN PRIVATE KEY} block (RSA, EC or
 * Ed25519), which is what {@code openssl req -newkey} and {@code openssl genpkey} write. The key
 * must belong to the first certificate.
 */
public final class TlsFiles {
    /** The protocols offered, newest first. */
    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /**
     * The cipher suites offered: TLS 1.3's, then TLS 1.2's with forward secrecy (ECDHE) and an
     * AEAD; no CBC, no RSA key exchange (which Netty's defaults would still allow).
     */
    public static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsFiles() { }

    /**
     * A server context from {@code certFile} and {@code keyFile}; when {@code clientCaFile} is not
     * null, clients may present a certificate issued by one of its CAs (optional: clients without
     * one may still use a bearer token).
     */
    public static SslContext server(Path certFile, Path keyFile, Path clientCaFile) throws IOException {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        checkPair(chain.get(0), key, certFile, keyFile);
        try {
            SslContextBuilder b = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                    .sslProvider(SslProvider.JDK).protocols(PROTOCOLS)
                    .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
            if (clientCaFile != null) {
                b.trustManager(certificates(clientCaFile).toArray(new X509Certificate[0]))
                        .clientAuth(ClientAuth.OPTIONAL);
            }
            return b.build();
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot make a TLS context from " + certFile + " and " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** A client context that trusts exactly the CAs (or self-signed certificates) in {@code caFile}. */
    public static SSLContext client(Path caFile) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : certificates(caFile)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make a TLS client context from " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** The certificates in a PEM file, in order; at least one. */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        byte[] bytes = read(file, "a PEM certificate file");
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IOException(file + ": no certificate in it (expected PEM 'BEGIN CERTIFICATE' blocks)");
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not a PEM certificate file (" + e.getMessage() + ")", e);
        }
    }

    /** The unencrypted PKCS#8 private key in a PEM file. */
    public static PrivateKey privateKey(Path file) throws IOException {
        String text = new String(read(file, "a PEM private key file"), StandardCharsets.US_ASCII);
        if (text.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new IOException(file + ": the key is encrypted; Ferry starts unattended and needs it "
                    + "unencrypted (openssl pkcs8 -in KEY -out KEY.plain), readable only by the service user");
        }
        if (text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")) {
            throw new IOException(file + ": a traditional (PKCS#1/SEC1) key; convert it to PKCS#8 with "
                    + "openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IOException(file + ": no '-----BEGIN PRIVATE KEY-----' block (expected an unencrypted PKCS#8 PEM key)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + 27, end));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the key block is not valid base64", e);
        }
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IOException(file + ": not an RSA, EC or Ed25519 PKCS#8 private key");
    }

    private static void checkPair(X509Certificate cert, PrivateKey key, Path certFile, Path keyFile) throws IOException {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (alg == null) {
            return;                       // RSASSA-PSS and others: the handshake itself will tell
        }
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            if (v.verify(sig)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // falls through: a key of another type than the certificate's
        }
        throw new IOException(keyFile + " is not the private key of the first certificate in " + certFile);
    }

    private static byte[] read(Path file, String what) throws IOException {
        try {
            if (Files.size(file) > 1 << 20) {
                throw new IOException(file + ": larger than 1 MiB; expected " + what);
            }
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such file (expected " + what + ")", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException(file + ": permission denied (the service user must be able to read " + what + ")", e);
        }
    }
}
