package dev.ferry.northbound;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for a TLS broker in a test, made with {@code openssl} (P-256 keys, valid two
 * days): a CA, a server certificate it signs for {@code 127.0.0.1} and {@code localhost}, and a
 * second CA that signed nothing the broker shows (a client trusting only it must refuse the
 * broker).
 *
 * @param caPem     the CA that signed the server certificate
 * @param serverPem the server certificate
 * @param serverKey its private key (PEM)
 * @param otherCa   an unrelated CA
 */
public record TestPki(Path caPem, Path serverPem, Path serverKey, Path otherCa) {
    /** Makes the files in {@code dir}. */
    public static TestPki create(Path dir) throws IOException, InterruptedException {
        Path ca = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca.key");
        Path other = dir.resolve("other-ca.pem");
        Path server = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path ext = dir.resolve("server.ext");
        Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        String ec = "ec_paramgen_curve:prime256v1";
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", caKey.toString(),
                "-out", ca.toString(), "-days", "2", "-subj", "/CN=Ferry test CA");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout",
                dir.resolve("other-ca.key").toString(), "-out", other.toString(), "-days", "2",
                "-subj", "/CN=Some other CA");
        openssl("req", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
                "-subj", "/CN=localhost");
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", server.toString(), "-days", "2", "-extfile", ext.toString());
        return new TestPki(ca, server, key, other);
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }

    /** The lines that make a Mosquitto listener serve TLS with the server certificate. */
    public String[] mosquittoLines() {
        return new String[] {"cafile " + caPem, "certfile " + serverPem, "keyfile " + serverKey};
    }

    /** A client socket factory that trusts only {@code ca} (PEM). */
    public static SSLSocketFactory trusting(Path ca) throws IOException {
        try (InputStream in = Files.newInputStream(ca)) {
            Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("ca", c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot trust " + ca + ": " + e.getMessage(), e);
        }
    }
}
