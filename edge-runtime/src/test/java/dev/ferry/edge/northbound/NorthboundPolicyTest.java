package dev.ferry.edge.northbound;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.edge.config.NorthboundConfig;
import dev.ferry.edge.route.Principal;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The NORTHBOUND rule as a broker account with more ambition than the operator allowed would probe it. */
@Tag("small")
class NorthboundPolicyTest {
    private final NorthboundPolicy policy = new NorthboundPolicy(new NorthboundConfig(true,
            NorthboundConfig.disabled("n").broker(), false, java.util.Optional.empty(), java.util.Optional.empty(),
            java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
            NorthboundConfig.Mode.SPARKPLUG, "c", "g", "n", java.util.Optional.empty(), "ferry",
            List.of("/dev0/sensors/temp"), List.of("/dev0/leds"), 1, 30, 10_000, 200, 30_000, 2000, 32,
            "q", 1 << 20, NorthboundConfig.QueueFull.DROP_OLDEST, NorthboundConfig.Fsync.INTERVAL, 1000));
    private final Principal nb = new Principal(Principal.Kind.NORTHBOUND, "c");

    private String refuse(Verb v, String path) {
        return policy.refuse(nb, v, Path.of(path));
    }

    @Test
    void readsWhatItPublishesAndWritesOnlyWhereItMayCommand() {
        assertNull(refuse(Verb.GET, "/dev0/sensors/temp"));
        assertNull(refuse(Verb.GET, "/dev0/sensors/temp#schema"));
        assertNull(refuse(Verb.GET, "/dev0/leds/0"));
        assertNull(refuse(Verb.PUT, "/dev0/leds/0"));
        assertNull(refuse(Verb.POST, "/dev0/leds/1"));
        assertNotNull(refuse(Verb.PUT, "/dev0/sensors/temp"));
        assertNotNull(refuse(Verb.GET, "/dev0/echo"));
        assertNotNull(refuse(Verb.POST, "/dev0/echo"));
        assertNotNull(refuse(Verb.PUT, "/dev0/ledsx"));
    }

    @Test
    void cancelsOnlyStreamsOfWhatItPublishes() {
        assertNull(refuse(Verb.DELETE, "/dev0/sensors/temp#streams/10"));
        assertNotNull(refuse(Verb.DELETE, "/dev0/sensors/temp"), "not the resource itself");
        assertNotNull(refuse(Verb.DELETE, "/dev0/leds/0#streams/1"), "not a stream of a resource it only commands");
        assertNotNull(refuse(Verb.DELETE, "/dev0/blob#streams/2"), "not a stream of something else");
    }
}
