package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.security.Grant;
import dev.ferry.edge.security.TestPki;
import dev.ferry.edge.security.TlsFiles;
import dev.ferry.edge.security.TokenFile;
import dev.ferry.edge.security.TokenStore;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The facade on HTTPS with tokens and client certificates, as a LAN client, a careless admin and
 * someone after another client's streams would use it: real TLS on loopback, Debian's curl and
 * openssl as the clients. Anonymous loopback is switched off here, so loopback stands in for the
 * LAN (the rule for a LAN address is the same code path, minus the loopback exception).
 */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LanFacadeTlsAuthTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static Path tokensFile;
    static String alice;          // read and write /dev0, metrics
    static String reader;         // read /dev0 only
    static String mallory;        // read and write /dev0 too: a peer of alice, not her
    static FacadeFixture fx;
    static HttpClient https;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir);
        pki.client("panel");
        pki.client("stranger");
        alice = TokenStore.newToken();
        reader = TokenStore.newToken();
        mallory = TokenStore.newToken();
        tokensFile = dir.resolve("tokens");
        TokenFile.write(tokensFile, List.of(
                grant("alice", alice, "read:/dev0 write:/dev0 metrics"),
                grant("reader", reader, "read:/dev0"),
                grant("mallory", mallory, "read:/dev0 write:/dev0"),
                grant("panel", null, "read:/dev0 status")));
        FacadeSecurity security = new FacadeSecurity(TlsFiles.server(pki.serverCert, pki.serverKey, pki.clientCa),
                new Authenticator(TokenStore.open(tokensFile, 0), false), 32, Duration.ofSeconds(10), Duration.ofSeconds(30));
        fx = new FacadeFixture(new LanFacadeConfig(LanFacadeConfig.LOOPBACK, 0, 64, 256 * 1024, Duration.ofSeconds(5)),
                security, true);
        https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsFiles.client(pki.serverCert)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static Grant grant(String name, String token, String scopes) {
        Grant g = TokenFile.parse("x cert " + scopes, "t").grants().get(0);
        return new Grant(name, token == null ? null : TokenStore.hash(token), g.scopes());
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private static String base() {
        return "https://127.0.0.1:" + fx.facade.port();
    }

    /** curl with the server's certificate as CA; returns "STATUS\nHEADERS\nBODY". */
    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-i", "--max-time", "20", "--cacert",
                pki.serverCert.toString()));
        cmd.addAll(List.of(args));
        return TestPki.run(dir, null, cmd);
    }

    private static int status(String curlOutput) {
        return Integer.parseInt(curlOutput.substring(9, 12));
    }

    @Test
    void curlWithATokenIsServedAndWithoutOneGets401() throws Exception {
        String ok = curl("-H", "Authorization: Bearer " + alice, base() + "/dev0/sensors/temp");
        assertEquals(200, status(ok), ok);
        assertTrue(ok.endsWith("{\"celsius\":21.5}"), ok);

        String none = curl(base() + "/dev0/sensors/temp");
        assertEquals(401, status(none), none);
        assertTrue(none.toLowerCase().contains("www-authenticate: bearer realm=\"ferry\""), none);
        String wrong = curl("-H", "Authorization: Bearer " + TokenStore.newToken(), base() + "/dev0/sensors/temp");
        assertEquals(401, status(wrong), wrong);
        assertTrue(wrong.contains("error=\"invalid_token\""), wrong);
        assertTrue(fx.metrics.value("ferry_http_auth_refused_total{reason=\"missing\"}") >= 1);

        String basic = curl("-u", "anyone:" + reader, base() + "/dev0/sensors/temp");
        assertEquals(200, status(basic), "a browser's Basic login with the token as password: " + basic);
    }

    @Test
    void aReadOnlyTokensWriteIs403AndNeverReachesTheDevice() throws Exception {
        fx.device.received.clear();
        String put = curl("-X", "PUT", "-H", "Authorization: Bearer " + reader, "-H", "Content-Type: application/json",
                "--data", "true", base() + "/dev0/echo");
        assertEquals(403, status(put), put);
        assertTrue(put.contains("reader may not write /dev0/echo"), put);
        assertNull(fx.device.received.poll(), "the refused PUT reached the device");
        assertTrue(fx.metrics.value("ferry_router_denied_total{principal=\"client\"}") >= 1);
        String get = curl("-H", "Authorization: Bearer " + reader, base() + "/%23runtime/devices");
        assertEquals(403, status(get), "read:/dev0 does not reach /#runtime: " + get);
    }

    @Test
    void anotherPrincipalCannotCancelOrPauseAStreamNorGuessTheNextOne() throws Exception {
        HttpRequest observe = HttpRequest.newBuilder(URI.create(base() + "/dev0/obs"))
                .header("Authorization", "Bearer " + alice).timeout(Duration.ofSeconds(20)).build();
        HttpResponse<InputStream> r = https.send(observe, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        String stream = r.headers().firstValue("x-ferry-from").orElseThrow();
        assertTrue(stream.startsWith("/dev0/obs#streams/"), stream);
        String url = base() + stream.replace("#", "%23");
        fx.device.deletes = new java.util.concurrent.CountDownLatch(1);

        String cancel = curl("-X", "DELETE", "-H", "Authorization: Bearer " + mallory, url);
        assertEquals(403, status(cancel), cancel);
        assertTrue(cancel.contains("belongs to another principal"), cancel);
        String pause = curl("-X", "PUT", "-H", "Authorization: Bearer " + mallory, "-H", "Content-Type: application/json",
                "--data", "false", url + "%23flow");
        assertEquals(403, status(pause), pause);
        int n = Integer.parseInt(stream.substring(stream.lastIndexOf('/') + 1));
        String guess = curl("-X", "DELETE", "-H", "Authorization: Bearer " + mallory,
                base() + "/dev0/obs%23streams/" + (n + 1));
        assertEquals(403, status(guess), "a guessed future stream must not reach the device: " + guess);
        assertEquals(1, fx.device.observing(), "the stream still runs");
        assertTrue(fx.device.deleted.isEmpty(), "the device saw a DELETE: " + fx.device.deleted);

        String own = curl("-X", "DELETE", "-H", "Authorization: Bearer " + alice, url);
        assertEquals(200, status(own), own);
        assertTrue(fx.device.deletes.await(10, TimeUnit.SECONDS));
        assertEquals(stream.substring("/dev0".length()), fx.device.deleted.poll().toString());
        r.body().close();
    }

    @Test
    void opensslSeesTls13AndTheConfiguredCertificate() throws Exception {
        String out = TestPki.run(dir, "", List.of("openssl", "s_client", "-connect", "127.0.0.1:" + fx.facade.port(),
                "-tls1_3", "-servername", "localhost", "-CAfile", pki.serverCert.toString(), "-showcerts"));
        assertTrue(out.contains("Protocol  : TLSv1.3") || out.contains("New, TLSv1.3"), out);
        assertTrue(out.contains("Verify return code: 0 (ok)"), out);
        String pem = Files.readString(pki.serverCert).strip();
        assertTrue(out.contains(pem), "the configured certificate is the one served:\n" + out);
        String tls12 = TestPki.run(dir, "", List.of("openssl", "s_client", "-connect", "127.0.0.1:" + fx.facade.port(),
                "-tls1_2", "-CAfile", pki.serverCert.toString()));
        assertTrue(tls12.contains("Protocol  : TLSv1.2") && tls12.contains("Cipher is ECDHE-ECDSA-AES"), tls12);
        TestPki.Result cbc = TestPki.exec(dir, "", List.of("openssl", "s_client", "-connect", "127.0.0.1:" + fx.facade.port(),
                "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA", "-CAfile", pki.serverCert.toString()));
        assertTrue(cbc.output().contains("Cipher is (NONE)") && cbc.output().contains("handshake failure"),
                "a CBC suite was accepted:\n" + cbc.output());
    }

    @Test
    void aClientCertificateNamesItsPrincipal() throws Exception {
        Path[] panel = {dir.resolve("panel.pem"), dir.resolve("panel.key")};
        String ok = curl("--cert", panel[0].toString(), "--key", panel[1].toString(), base() + "/dev0/sensors/temp");
        assertEquals(200, status(ok), ok);
        String page = curl("--cert", panel[0].toString(), "--key", panel[1].toString(), base() + "/");
        assertEquals(200, status(page), "panel has the status scope: " + page);
        String write = curl("-X", "PUT", "--cert", panel[0].toString(), "--key", panel[1].toString(),
                "--data", "true", base() + "/dev0/echo");
        assertEquals(403, status(write), write);
        Path[] stranger = {dir.resolve("stranger.pem"), dir.resolve("stranger.key")};
        String unknown = curl("--cert", stranger[0].toString(), "--key", stranger[1].toString(), base() + "/dev0/sensors/temp");
        assertEquals(403, status(unknown), "a valid certificate naming nobody in the store: " + unknown);
    }

    @Test
    void theFacadesOwnResourcesHaveTheirOwnScopes() throws Exception {
        assertEquals(200, status(curl("-H", "Authorization: Bearer " + alice, base() + "/metrics")));
        assertEquals(403, status(curl("-H", "Authorization: Bearer " + reader, base() + "/metrics")));
        assertEquals(403, status(curl("-H", "Authorization: Bearer " + alice, base() + "/")), "no status scope");
        assertEquals(401, status(curl(base() + "/metrics")));
        WebSocket.Listener quiet = new WebSocket.Listener() { };
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, () ->
                https.newWebSocketBuilder().buildAsync(URI.create("wss://127.0.0.1:" + fx.facade.port() + "/ws"), quiet).join());
        assertTrue(e.getCause() instanceof java.net.http.WebSocketHandshakeException, String.valueOf(e.getCause()));
        assertEquals(401, ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
        WebSocket ws = https.newWebSocketBuilder().header("Authorization", "Bearer " + reader)
                .buildAsync(URI.create("wss://127.0.0.1:" + fx.facade.port() + "/ws"), quiet).get(10, TimeUnit.SECONDS);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRevokedTokenIsRefusedWithoutARestart() throws Exception {
        String temp = TokenStore.newToken();
        List<Grant> before = new ArrayList<>(TokenFile.read(tokensFile).grants());
        List<Grant> with = new ArrayList<>(before);
        with.add(grant("temp", temp, "read:/dev0"));
        TokenFile.write(tokensFile, with);
        assertEquals(200, status(curl("-H", "Authorization: Bearer " + temp, base() + "/dev0/sensors/temp")),
                "added: valid at once (this store checks on every lookup)");
        TokenFile.write(tokensFile, before);
        assertEquals(401, status(curl("-H", "Authorization: Bearer " + temp, base() + "/dev0/sensors/temp")),
                "revoked: refused at once");
    }

    @Test
    void plainHttpOnTheTlsPortGetsNothing() throws Exception {
        TestPki.Result r = TestPki.exec(dir, null, List.of("curl", "-sS", "--max-time", "10",
                "http://127.0.0.1:" + fx.facade.port() + "/dev0/sensors/temp"));
        assertTrue(r.exit() != 0, "plain HTTP must not be served on the HTTPS port: " + r.output());
    }
}
