package dev.ferry.edge.observe;

import static dev.ferry.edge.observe.ObservationRig.ALICE;
import static dev.ferry.edge.observe.ObservationRig.BOB;
import static dev.ferry.edge.observe.ObservationRig.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.ObservationsConfig;
import dev.ferry.edge.observe.ObservationRig.Got;
import dev.ferry.edge.route.Meta;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Plain GETs through the shared endpoint: the cache, its defaults, coalescing, stale values. */
@Tag("small")
class CachedGetTest {
    private static final String TEMP = "/dev0/sensors/temp";

    private static Meta maxAge(long ms) {
        return Meta.of(ALICE).withCache(ms, false);
    }

    /** A GET the device answers (value {@code json}); returns what the requester got. */
    private static Got throughTheDevice(ObservationRig rig, Meta meta, String path, String json) throws Exception {
        String from = rig.get(meta, path);
        Message asked = rig.expectAtDevice(Verb.GET, path.substring(5));
        assertEquals(ObservationRig.host(from), asked.from().toString(), "on from the requester's own return path");
        rig.deviceSays(ObservationRig.host(from), path.substring(5) + "#streams/9", true, json);
        return rig.lan.next();
    }

    @Test
    void aGetWithMaxAgeIsAnsweredFromTheCacheWithItsAge() throws Exception {
        try (ObservationRig rig = new ObservationRig()) {
            Got live = throughTheDevice(rig, maxAge(10_000), TEMP, "{\"n\":1}");
            assertEquals(0, live.meta().ageMs());
            assertFalse(live.meta().cached());
            rig.advanceMs(4_000);
            String from = rig.get(maxAge(10_000), TEMP);
            Got cached = rig.lan.next();
            assertEquals(from, cached.m().to().toString());
            assertEquals("{\"n\":1}", body(cached.m()));
            assertTrue(cached.m().eof());
            assertTrue(cached.meta().cached());
            assertEquals(4_000, cached.meta().ageMs());
            assertNull(rig.device.poll(50), "the line was not crossed");
            rig.advanceMs(7_000);                            // now 11 s old: too old for 10 s
            Got fresh = throughTheDevice(rig, maxAge(10_000), TEMP, "{\"n\":2}");
            assertEquals("{\"n\":2}", body(fresh.m()));
            assertEquals(1, rig.metrics.value("ferry_cache_hits_total{kind=\"fresh\"}"));
        }
    }

    @Test
    void observationsFeedTheCacheAndAGetWithoutMaxAgeGoesToTheDevice() throws Exception {
        try (ObservationRig rig = new ObservationRig()) {
            rig.observe(ALICE, TEMP);
            rig.expectAtDevice(Verb.GET, "/sensors/temp");
            rig.deviceSays("/dev0#obs/1", "/sensors/temp#streams/1", false, "{\"n\":5}");
            rig.lan.next();
            rig.get(maxAge(60_000), TEMP);
            assertEquals("{\"n\":5}", body(rig.lan.next().m()));
            rig.get(Meta.of(BOB), TEMP);
            rig.expectAtDevice(Verb.GET, "/sensors/temp");   // no max-age, no default: live
        }
    }

    @Test
    void configuredDefaultsApplyWhenTheRequesterSaysNothing() throws Exception {
        MaxAgeRules rules = new MaxAgeRules(1_000, Map.of(Path.of("/sensors"), 5_000L));
        try (ObservationRig rig = new ObservationRig(ObservationsConfig.DEFAULTS, rules)) {
            throughTheDevice(rig, Meta.of(ALICE), TEMP, "{\"n\":1}");
            throughTheDevice(rig, Meta.of(ALICE), "/dev0/info", "{\"board\":\"x\"}");
            rig.advanceMs(3_000);
            rig.get(Meta.of(ALICE), TEMP);
            assertTrue(rig.lan.next().meta().cached(), "under /sensors the default is 5 s");
            rig.get(Meta.of(ALICE), "/dev0/info");
            rig.expectAtDevice(Verb.GET, "/info");           // the device's own default is 1 s
            rig.get(maxAge(0), TEMP);
            rig.expectAtDevice(Verb.GET, "/sensors/temp");   // max-age=0 asks for a live value
        }
    }

    @Test
    void identicalConcurrentGetsCrossTheLineOnce() throws Exception {
        try (ObservationRig rig = new ObservationRig()) {
            String a = rig.get(Meta.of(ALICE), TEMP);
            String b = rig.get(Meta.of(BOB), TEMP);
            String c = rig.get(Meta.of(BOB), TEMP);
            Message asked = rig.expectAtDevice(Verb.GET, "/sensors/temp");
            assertNull(rig.device.poll(50), "one GET reached the device");
            rig.deviceSays(asked.from().toString(), "/sensors/temp#streams/3", true, "{\"n\":9}");
            java.util.Set<String> answered = new java.util.HashSet<>();
            for (int i = 0; i < 3; i++) {
                Got g = rig.lan.next();
                assertEquals("{\"n\":9}", body(g.m()));
                answered.add(g.m().to().toString());
            }
            assertEquals(java.util.Set.of(a, b, c), answered);
            assertEquals(2, rig.metrics.value("ferry_cache_coalesced_total"));
        }
    }

    @Test
    void aGetWhoseAnswerIsNotOneValueIsNotSharedItsWaitersGoOnByThemselves() throws Exception {
        try (ObservationRig rig = new ObservationRig()) {
            String a = rig.get(Meta.of(ALICE), "/dev0/blob");
            rig.get(Meta.of(BOB), "/dev0/blob");
            Message first = rig.expectAtDevice(Verb.GET, "/blob");
            rig.deviceSays(ObservationRig.host(a), "/blob#streams/4", false, "1");     // a stream, not one value
            rig.lan.next();
            Message second = rig.expectAtDevice(Verb.GET, "/blob");
            assertFalse(first.from().equals(second.from()), "the waiter asked for itself");
        }
    }

    @Test
    void whileTheDeviceIsDownAStaleValueOnlyForThoseWhoAcceptIt() throws Exception {
        try (ObservationRig rig = new ObservationRig()) {
            throughTheDevice(rig, Meta.of(ALICE), TEMP, "{\"n\":3}");
            rig.device.live = false;
            rig.shared.down(rig.device, "unplugged");
            rig.advanceMs(2_000);
            rig.get(maxAge(60_000), TEMP);
            Got refused = rig.lan.next();
            assertEquals(Verb.ERROR, refused.m().verb());
            assertEquals(503, refused.m().status(), "a max-age alone does not accept a dead device's value");
            rig.get(Meta.of(ALICE).withCache(-1, true), TEMP);
            Got stale = rig.lan.next();
            assertEquals("{\"n\":3}", body(stale.m()));
            assertTrue(stale.meta().stale());
            assertTrue(stale.meta().cached());
            assertEquals(2_000, stale.meta().ageMs());
            rig.get(Meta.of(ALICE).withCache(-1, true), "/dev0/never/read");
            assertEquals(503, rig.lan.next().m().status(), "nothing cached: 503");
            assertNull(rig.device.poll(50));
        }
    }

    @Test
    void aValueFromBeforeAnOutageIsNeverFreshAgainTheDeviceMayHaveRestarted() throws Exception {
        try (ObservationRig rig = new ObservationRig()) {
            throughTheDevice(rig, Meta.of(ALICE), TEMP, "{\"n\":3}");
            rig.device.live = false;
            rig.shared.down(rig.device, "restarted");
            rig.device.live = true;
            rig.shared.up(rig.device);
            rig.advanceMs(500);
            String a = rig.get(maxAge(60_000), TEMP);     // its age (0.5 s) would meet the max-age
            Message asked = rig.expectAtDevice(Verb.GET, "/sensors/temp");
            rig.deviceSays(ObservationRig.host(a), "/sensors/temp#streams/9", true, "{\"n\":0}");
            Got fresh = rig.lan.next();
            assertEquals("{\"n\":0}", body(fresh.m()), "the restarted device's own value");
            assertFalse(fresh.meta().cached());
            assertEquals("/sensors/temp", asked.to().toString());
            rig.get(maxAge(60_000), TEMP);
            Got cached = rig.lan.next();
            assertEquals("{\"n\":0}", body(cached.m()), "from now on the cache holds the new value");
            assertTrue(cached.meta().cached());
            assertFalse(cached.meta().stale());
        }
    }

    @Test
    void requestsOtherThanGetPassThroughAndAreRefusedHereWhileDown() throws Exception {
        try (ObservationRig rig = new ObservationRig()) {
            rig.router.send(rig.lan, ObservationRig.msg(Verb.PUT, "/dev0/leds/0", "/1", true, "true"), Meta.of(ALICE));
            assertEquals("true", body(rig.expectAtDevice(Verb.PUT, "/leds/0")));
            rig.device.live = false;
            rig.router.send(rig.lan, ObservationRig.msg(Verb.PUT, "/dev0/leds/0", "/2", true, "true"), Meta.of(ALICE));
            Got err = rig.lan.next();
            assertEquals(503, err.m().status());
            assertEquals("device:dev0 is down", body(err.m()));
        }
    }
}
