package dev.ferry.edge.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The facade's address as announced (rendezvous presence, the welcome text). */
@Tag("small")
class BaseUrlTest {
    @Test
    void ipv6HostsAreBracketed() {
        assertEquals("http://[::1]:8080", FerryRuntime.baseUrl("::1", 8080));
        assertEquals("http://[fd00::5]:80", FerryRuntime.baseUrl("fd00::5", 80));
        assertEquals("http://127.0.0.1:8080", FerryRuntime.baseUrl("127.0.0.1", 8080));
        assertEquals("http://gw.local:9", FerryRuntime.baseUrl("gw.local", 9));
    }
}
