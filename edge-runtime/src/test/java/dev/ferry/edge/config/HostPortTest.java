package dev.ferry.edge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class HostPortTest {
    @Test
    void parsesNamesIpv4AndBracketedIpv6() {
        assertEquals(new HostPort("127.0.0.1", 8080), HostPort.parse("127.0.0.1:8080"));
        assertEquals(new HostPort("localhost", 4001), HostPort.parse("localhost:4001"));
        assertEquals(new HostPort("::1", 8080), HostPort.parse("[::1]:8080"));
        assertEquals(new HostPort("fe80::1%eth0", 0), HostPort.parse("[fe80::1%eth0]:0"));
        assertEquals("[::1]:8080", HostPort.parse("[::1]:8080").toString());
        assertEquals("gw.local:65535", HostPort.parse("gw.local:65535").toString());
    }

    @Test
    void rejectsMalformedWithAReason() {
        assertEquals("missing port", assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host")).getMessage());
        assertEquals("bad port", assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host:")).getMessage());
        assertEquals("port outside 0..65535",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("h:65536")).getMessage());
        assertEquals("bad host", assertThrows(IllegalArgumentException.class, () -> HostPort.parse(":80")).getMessage());
        assertEquals("bad host", assertThrows(IllegalArgumentException.class, () -> HostPort.parse("a b:80")).getMessage());
        assertEquals("missing ']'", assertThrows(IllegalArgumentException.class, () -> HostPort.parse("[::1:80")).getMessage());
        assertEquals("bad IPv6 address",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("[zz]:80")).getMessage());
        assertEquals("bad port", assertThrows(IllegalArgumentException.class, () -> HostPort.parse("h:-1")).getMessage());
    }

    @Test
    void loopbackIsOnlyLocalhostAndLoopbackLiterals() {
        for (String yes : new String[] {"127.0.0.1:1", "127.9.8.7:1", "localhost:1", "LocalHost:1", "[::1]:1",
                "[0:0:0:0:0:0:0:1]:1"}) {
            assertEquals(true, HostPort.parse(yes).isLoopback(), yes);
        }
        for (String no : new String[] {"0.0.0.0:1", "[::]:1", "192.168.1.10:1", "gw.local:1", "localhost.lan:1",
                "[fe80::1]:1", "128.0.0.1:1"}) {
            assertEquals(false, HostPort.parse(no).isLoopback(), no);
        }
    }
}
