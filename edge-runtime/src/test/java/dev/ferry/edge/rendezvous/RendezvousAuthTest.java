package dev.ferry.edge.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import dev.ferry.edge.config.HostPort;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.security.Grant;
import dev.ferry.edge.security.TestPki;
import dev.ferry.edge.security.TlsFiles;
import dev.ferry.edge.security.TokenFile;
import dev.ferry.edge.security.TokenStore;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rendezvous beyond loopback (issue 14, point 5): an anonymous client cannot register, a token
 * registers only where its scope says, discovery is closed unless made public, and a client on
 * TLS presents its token. Most cases run with anonymous loopback switched off, which puts a
 * loopback client exactly where a LAN client is; one case uses a real non-loopback address when
 * the machine has one.
 */
@Tag("system")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RendezvousAuthTest {
    static final String GW = TokenStore.newToken();
    static final String VIEWER = TokenStore.newToken();
    static final TokenStore TOKENS = TokenStore.of(List.of(grant("gw", GW, "register:kitchen"),
            grant("viewer", VIEWER, "discover:kitchen")));
    private final Metrics metrics = new Metrics();
    private RendezvousService service;

    @TempDir
    Path dir;

    static Grant grant(String name, String token, String scopes) {
        return new Grant(name, TokenStore.hash(token), TokenFile.parse("x cert " + scopes, "t").grants().get(0).scopes());
    }

    private RendezvousService start(RendezvousGuard guard) throws Exception {
        return start("127.0.0.1", guard);
    }

    private RendezvousService start(String host, RendezvousGuard guard) throws Exception {
        service = RendezvousService.start(new HostPort(host, 0), RendezvousLimits.defaults(), 64, guard, metrics);
        return service;
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    private static Registration reg(String ns, String id) {
        return new Registration(ns, id, List.of(ByteString.copyFromUtf8("https://" + id + ".local")));
    }

    private long refused(String reason) {
        return metrics.value("ferry_rendezvous_refused_total{reason=\"" + reason + "\"}");
    }

    @Test
    void registeringWithoutATokenIsRefusedAndAScopedTokenRegistersOnlyInItsNamespaces() throws Exception {
        start(new RendezvousGuard(null, TOKENS, false, false, 16));
        try (TestPeer anon = new TestPeer(service.localAddress())) {
            anon.send(RendezvousMessage.register(List.of(reg("kitchen", "intruder"))));
            assertEquals(RendezvousMessage.unregister("kitchen", "intruder"), anon.receive(), "refused in-protocol");
        }
        assertEquals(1, refused("unauthorized"));
        assertTrue(service.registry().registrations("kitchen").isEmpty());

        try (TestPeer gw = new TestPeer(service.localAddress())) {
            gw.send(RendezvousMessage.register(List.of(reg("kitchen", "lamp"))).withToken(GW));
            gw.send(RendezvousMessage.register(List.of(reg("garage", "door"))));        // token already given
            assertEquals(RendezvousMessage.unregister("garage", "door"), gw.receive(), "outside register:kitchen");
            gw.send(RendezvousMessage.discover("kitchen"));
            assertEquals(List.of("lamp"), gw.receive().register().stream().map(Registration::id).toList());
        }
        assertEquals(2, refused("unauthorized"));
    }

    @Test
    void discoveryIsClosedUnlessScopedOrPublic() throws Exception {
        start(new RendezvousGuard(null, TOKENS, false, false, 16));
        try (TestPeer anon = new TestPeer(service.localAddress())) {
            anon.send(RendezvousMessage.discover("kitchen"));
            assertEquals(-1, anon.readByte(), "closed, not answered");
        }
        try (TestPeer viewer = new TestPeer(service.localAddress())) {
            viewer.send(RendezvousMessage.discover("kitchen").withToken(VIEWER));
            assertEquals(RendezvousMessage.register(List.of()), viewer.receive());
            viewer.send(RendezvousMessage.register(List.of(reg("kitchen", "sneaky"))));
            assertEquals(RendezvousMessage.unregister("kitchen", "sneaky"), viewer.receive(), "discover is not register");
            viewer.send(RendezvousMessage.rendezvous("garage"));
            assertEquals(-1, viewer.readByte(), "discover:kitchen does not reach garage");
        }
        try (TestPeer liar = new TestPeer(service.localAddress())) {
            liar.send(RendezvousMessage.discover("kitchen").withToken(TokenStore.newToken()));
            assertEquals(-1, liar.readByte());
        }
        assertEquals(1, refused("invalid_token"));
        service.close();

        start(new RendezvousGuard(null, TOKENS, false, true, 16));
        try (TestPeer anon = new TestPeer(service.localAddress())) {
            anon.send(RendezvousMessage.discover("kitchen"));
            assertEquals(RendezvousMessage.register(List.of()), anon.receive(), "public discovery");
            anon.send(RendezvousMessage.register(List.of(reg("kitchen", "intruder"))));
            assertEquals(RendezvousMessage.unregister("kitchen", "intruder"), anon.receive(), "but not registration");
        }
    }

    @Test
    void fromARealLanAddressWithoutATokenRegistrationIsRefused() throws Exception {
        InetAddress lan = lanAddress();
        assumeTrue(lan != null, "no non-loopback IPv4 address on this machine");
        start("0.0.0.0", new RendezvousGuard(null, TOKENS, true, false, 16));   // loopback would be trusted
        try (TestPeer p = new TestPeer(new InetSocketAddress(lan, service.localAddress().getPort()))) {
            p.send(RendezvousMessage.register(List.of(reg("kitchen", "intruder"))));
            assertEquals(RendezvousMessage.unregister("kitchen", "intruder"), p.receive());
        }
        try (TestPeer local = new TestPeer(new InetSocketAddress("127.0.0.1", service.localAddress().getPort()))) {
            local.send(RendezvousMessage.register(List.of(reg("kitchen", "lamp"))));
            local.send(RendezvousMessage.discover("kitchen"));
            assertEquals(List.of("lamp"), local.receive().register().stream().map(Registration::id).toList(),
                    "loopback still needs nothing");
        }
    }

    private static InetAddress lanAddress() throws Exception {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (ni.isUp() && !ni.isLoopback()) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a;
                    }
                }
            }
        }
        return null;
    }

    @Test
    void overTlsTheClientPresentsItsTokenAndRegisters() throws Exception {
        TestPki pki = TestPki.create(dir);
        start(new RendezvousGuard(TlsFiles.server(pki.serverCert, pki.serverKey, null), TOKENS, false, false, 16));
        CountDownLatch registered = new CountDownLatch(1);
        service.registry().addListener(RendezvousListener.onChange(ns -> registered.countDown()));
        try (RendezvousClient c = new RendezvousClient(new HostPort("localhost", service.localAddress().getPort()),
                RendezvousClient.Listener.NONE, 50, 1000).secure(GW, TlsFiles.client(pki.serverCert)).start()) {
            c.register(reg("kitchen", "lamp"));
            assertTrue(registered.await(20, TimeUnit.SECONDS), "no registration over TLS");
            assertEquals(List.of("lamp"), service.registry().registrations("kitchen").stream().map(Registration::id).toList());
        }
        try (TestPeer plain = new TestPeer(service.localAddress())) {
            plain.send(RendezvousMessage.discover("kitchen").withToken(GW));
            assertEquals(-1, plain.readByte(), "plain TCP on the TLS listener gets nothing");
        }
    }

    @Test
    void connectionsPerSourceAreBounded() throws Exception {
        start(new RendezvousGuard(null, TOKENS, true, false, 2));
        try (TestPeer a = new TestPeer(service.localAddress()); TestPeer b = new TestPeer(service.localAddress());
                TestPeer c = new TestPeer(service.localAddress())) {
            assertEquals(-1, c.readByte(), "the third connection from one address is closed");
            a.send(RendezvousMessage.discover("x"));
            assertEquals(RendezvousMessage.register(List.of()), a.receive());
        }
        assertEquals(1, refused("connections_per_source"));
    }

    @Test
    void theTokenFieldIsOptionalOnTheWire() {
        RendezvousMessage m = RendezvousMessage.register(List.of(reg("kitchen", "lamp")));
        byte[] plain = RendezvousWire.encode(m);
        byte[] withToken = RendezvousWire.encode(m.withToken(GW));
        assertEquals(m, RendezvousWire.decode(plain, RendezvousLimits.defaults()).message());
        assertEquals(GW, RendezvousWire.decode(withToken, RendezvousLimits.defaults()).message().token());
        assertTrue(withToken.length > plain.length && java.util.Arrays.equals(plain, 0, plain.length, withToken, 0,
                plain.length), "the seed's fields are written as before; the token is appended as field 6");
        assertTrue(!m.withToken(GW).toString().contains(GW), "never shown in logs");
    }
}
