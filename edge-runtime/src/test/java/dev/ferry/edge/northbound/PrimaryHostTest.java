package dev.ferry.edge.northbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The primary host's STATE as a restarting host, a late Will and a garbage publisher would send it. */
@Tag("small")
class PrimaryHostTest {
    private final PrimaryHost host = new PrimaryHost("scada");

    private PrimaryHost.Change take(String json) {
        return host.update(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void onlineThenOfflineThenAnOlderWillIsIgnored() {
        assertEquals("spBv1.0/STATE/scada", host.topic());
        assertEquals(PrimaryHost.Change.ONLINE, take("{\"online\":true,\"timestamp\":100}"));
        assertTrue(host.online());
        assertEquals(PrimaryHost.Change.NONE, take("{\"online\":true,\"timestamp\":100}"), "retained again");
        assertEquals(PrimaryHost.Change.NONE, take("{\"online\":false,\"timestamp\":50}"), "a late Will of an older session");
        assertTrue(host.online());
        assertEquals(PrimaryHost.Change.OFFLINE, take("{\"timestamp\":200,\"online\":false}"));
        assertFalse(host.online());
        assertEquals(PrimaryHost.Change.ONLINE, take("{\"online\":true,\"timestamp\":200,\"extra\":[1,{\"x\":2}]}"),
                "equal timestamps count; unknown fields are skipped");
    }

    @Test
    void unreadableStateChangesNothing() {
        take("{\"online\":true,\"timestamp\":100}");
        for (String bad : new String[] {"", "ONLINE", "[]", "{\"online\":\"yes\",\"timestamp\":1}",
                "{\"online\":true}", "{\"timestamp\":300}", "{\"online\":false,\"timestamp\":1.5}", "{"}) {
            assertEquals(PrimaryHost.Change.UNREADABLE, take(bad), bad);
            assertTrue(host.online(), bad);
        }
    }
}
