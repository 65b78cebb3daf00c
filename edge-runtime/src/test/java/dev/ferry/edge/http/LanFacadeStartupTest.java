package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A gateway binds its HTTP port before its other parts start and opens it last: a client that
 * connects in between is neither refused nor answered from a half-started gateway, it is served
 * once the facade opens.
 */
class LanFacadeStartupTest {
    @Test
    void boundFacadeHoldsClientsUntilOpened() throws Exception {
        LanFacadeConfig config = new LanFacadeConfig(LanFacadeConfig.LOOPBACK, 0, 32, 256 * 1024,
                Duration.ofSeconds(5));
        try (FacadeFixture fx = new FacadeFixture(config, false);
                Socket s = new Socket("127.0.0.1", fx.facade.port())) {
            s.getOutputStream().write(("GET /dev0/sensors/temp HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            s.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, in::read, "answered before open()");
            assertEquals(0, fx.facade.connections(), "accepted before open()");

            fx.facade.open();
            s.setSoTimeout(10_000);
            String reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
            assertTrue(reply.endsWith("{\"celsius\":21.5}"), reply);
        }
    }
}
