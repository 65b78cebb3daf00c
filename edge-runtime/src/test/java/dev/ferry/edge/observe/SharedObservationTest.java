package dev.ferry.edge.observe;

import static dev.ferry.edge.observe.ObservationRig.ALICE;
import static dev.ferry.edge.observe.ObservationRig.BOB;
import static dev.ferry.edge.observe.ObservationRig.body;
import static dev.ferry.edge.observe.ObservationRig.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.observe.ObservationRig.Got;
import dev.ferry.edge.route.Meta;
import dev.ferry.edge.route.Principal;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Shared observations through a real router, against a device the test answers for. */
@Tag("small")
class SharedObservationTest {
    private static final String TEMP = "/dev0/sensors/temp";
    private final ObservationRig rig = new ObservationRig();

    @AfterEach
    void close() {
        rig.close();
    }

    /** Two subscribers, one upstream stream open ("/dev0#obs/1" answered from #streams/1). */
    private String[] twoSubscribers() throws InterruptedException {
        String a = rig.observe(ALICE, TEMP);
        Message up = rig.expectAtDevice(Verb.GET, "/sensors/temp");
        assertFalse(up.eof(), "the upstream request observes (E0)");
        assertEquals("/dev0#obs/1", up.from().toString());
        String b = rig.observe(BOB, TEMP);
        assertNull(rig.device.poll(50), "the second subscriber opens no second stream");
        rig.deviceSays("/dev0#obs/1", "/sensors/temp#streams/1", false, "{\"n\":1}");
        return new String[] {a, b};
    }

    @Test
    void subscribersShareOneUpstreamStreamAndEachHasItsOwnStreamPath() throws Exception {
        String[] subs = twoSubscribers();
        Got first = rig.lan.next();
        Got second = rig.lan.next();
        assertEquals(subs[0], first.m().to().toString());
        assertEquals(subs[1], second.m().to().toString());
        assertEquals("{\"n\":1}", body(first.m()));
        assertFalse(first.m().eof());
        assertTrue(first.m().from().toString().startsWith(TEMP + "#obs/"), first.m().from().toString());
        assertNotEquals(first.m().from(), second.m().from(), "every subscriber has its own stream path");
        assertEquals(0, first.meta().ageMs());
        assertFalse(first.meta().cached());
        rig.deviceSays("/dev0#obs/1", "/sensors/temp#streams/1", false, "{\"n\":2}");
        assertEquals("{\"n\":2}", body(rig.lan.next().m()));
        assertEquals("{\"n\":2}", body(rig.lan.next().m()));
        assertEquals(1, rig.hub.shared());
        assertEquals(2, rig.hub.subscribers());
    }

    @Test
    void aLateSubscriberGetsTheLastValueAtOnceWithItsAge() throws Exception {
        rig.observe(ALICE, TEMP);
        rig.expectAtDevice(Verb.GET, "/sensors/temp");
        rig.deviceSays("/dev0#obs/1", "/sensors/temp#streams/1", false, "{\"n\":7}");
        rig.lan.next();
        rig.advanceMs(1500);
        String late = rig.observe(BOB, TEMP);
        Got g = rig.lan.next();
        assertEquals(late, g.m().to().toString());
        assertEquals("{\"n\":7}", body(g.m()));
        assertTrue(g.meta().cached());
        assertEquals(1500, g.meta().ageMs());
        assertFalse(g.meta().stale());
        assertNull(rig.device.poll(50), "nothing asked of the device for the late subscriber");
    }

    @Test
    void onlyTheOwnerPausesOrCancelsAStreamAndTheUpstreamPausesWhenAllDo() throws Exception {
        String[] subs = twoSubscribers();
        Path aliceStream = rig.lan.next().m().from();
        Path bobStream = rig.lan.next().m().from();
        rig.router.send(rig.lan, msg(Verb.PUT, aliceStream + "#flow", "/90", true, "false"), Meta.of(BOB));
        Got refused = rig.lan.next();
        assertEquals(Verb.ERROR, refused.m().verb());
        assertEquals(403, refused.m().status(), "bob may not pause alice's stream");
        rig.router.send(rig.lan, msg(Verb.PUT, aliceStream + "#flow", "/91", true, "false"), Meta.of(ALICE));
        Got paused = rig.lan.next();
        assertEquals(Verb.REP, paused.m().verb());
        assertEquals("false", body(paused.m()));
        assertNull(rig.device.poll(50), "one paused subscriber does not pause the MCU");

        rig.deviceSays("/dev0#obs/1", "/sensors/temp#streams/1", false, "{\"n\":2}");
        Got onlyBob = rig.lan.next();
        assertEquals(subs[1], onlyBob.m().to().toString(), "the paused subscriber is skipped");
        assertNull(rig.lan.poll(50));

        rig.router.send(rig.lan, msg(Verb.PUT, bobStream + "#flow", "/92", true, "false"), Meta.of(BOB));
        rig.lan.next();
        Message pause = rig.expectAtDevice(Verb.PUT, "/sensors/temp#streams/1#flow");
        assertEquals("false", body(pause), "every subscriber paused: the MCU stream is paused");

        rig.advanceMs(300);
        rig.router.send(rig.lan, msg(Verb.PUT, aliceStream + "#flow", "/93", true, "true"), Meta.of(ALICE));
        Got latest = rig.lan.next();
        assertEquals(subs[0], latest.m().to().toString(), "resumed: alice skips to the latest value");
        assertEquals("{\"n\":2}", body(latest.m()));
        assertTrue(latest.meta().cached());
        assertEquals(300, latest.meta().ageMs());
        assertEquals("true", body(rig.lan.next().m()));
        assertEquals("true", body(rig.expectAtDevice(Verb.PUT, "/sensors/temp#streams/1#flow")));
        assertEquals(1, rig.metrics.value("ferry_observations_dropped_total{reason=\"paused\"}"));
    }

    @Test
    void theSharedUpstreamStreamCannotBePausedOrCancelledByAClient() throws Exception {
        twoSubscribers();
        rig.lan.next();
        rig.lan.next();
        rig.router.send(rig.lan, msg(Verb.DELETE, "/dev0/sensors/temp#streams/1", "/80", true, null), Meta.of(ALICE));
        assertEquals(403, rig.lan.next().m().status());
        rig.router.send(rig.lan, msg(Verb.PUT, "/dev0/sensors/temp#streams/1#flow", "/81", true, "false"),
                Meta.of(ALICE));
        assertEquals(403, rig.lan.next().m().status());
        rig.router.send(rig.lan, msg(Verb.DELETE, "/dev0/sensors/temp#obs/guessed", "/82", true, null), Meta.of(ALICE));
        assertEquals(404, rig.lan.next().m().status());
        assertNull(rig.device.poll(50), "none of it reached the device");
    }

    @Test
    void theLastSubscriberLeavingCancelsUpstreamAfterTheLingerAndANewOneReopens() throws Exception {
        rig.observe(ALICE, TEMP);
        rig.expectAtDevice(Verb.GET, "/sensors/temp");
        rig.deviceSays("/dev0#obs/1", "/sensors/temp#streams/1", false, "{\"n\":1}");
        Path stream = rig.lan.next().m().from();
        rig.router.send(rig.lan, msg(Verb.DELETE, stream.toString(), "/70", true, null), Meta.of(ALICE));
        Got ok = rig.lan.next();
        assertEquals(Verb.REP, ok.m().verb());
        Got end = rig.lan.next();
        assertEquals(Verb.ERROR, end.m().verb());
        assertEquals(499, end.m().status(), "the subscriber's stream ends like an MCU's cancelled one");
        // the linger (50 ms) runs out: the MCU stream is cancelled
        rig.expectAtDevice(Verb.DELETE, "/sensors/temp#streams/1");
        assertEquals(0, rig.hub.shared());
        // the MCU's final ERROR 499 and the DELETE's REP are ours and go nowhere
        rig.shared.message(rig.device, Message.builder(Verb.ERROR, Path.of("/dev0#obs/1"),
                Path.of("/sensors/temp#streams/1")).status(499).build(), Meta.of(rig.device.principal()));
        assertNull(rig.lan.poll(50));
        rig.observe(BOB, TEMP);
        Message again = rig.expectAtDevice(Verb.GET, "/sensors/temp");
        assertNotEquals("/dev0#obs/1", again.from().toString(), "a new upstream return path");
    }

    @Test
    void aSubscriberWhoComesBackWithinTheLingerKeepsTheStream() throws Exception {
        ObservationRig slow = new ObservationRig(new dev.ferry.edge.config.ObservationsConfig(60_000, 4, 8, 3, 16,
                64 * 1024), MaxAgeRules.NONE);
        try (slow) {
            slow.observe(ALICE, TEMP);
            slow.expectAtDevice(Verb.GET, "/sensors/temp");
            slow.deviceSays("/dev0#obs/1", "/sensors/temp#streams/1", false, "{\"n\":1}");
            Path stream = slow.lan.next().m().from();
            slow.router.send(slow.lan, msg(Verb.DELETE, stream.toString(), "/70", true, null), Meta.of(ALICE));
            slow.lan.next();
            slow.lan.next();
            String back = slow.observe(ALICE, TEMP);      // a page reload
            assertEquals("{\"n\":1}", body(slow.lan.next().m()));
            slow.deviceSays("/dev0#obs/1", "/sensors/temp#streams/1", false, "{\"n\":2}");
            Got g = slow.lan.next();
            assertEquals(back, g.m().to().toString());
            assertEquals("{\"n\":2}", body(g.m()));
            assertNull(slow.device.poll(50), "no DELETE, no new GET: the MCU never noticed");
        }
    }

    @Test
    void aSubscriberThatRefusesIsSkippedThenCutOffAndTheOthersGetEverything() throws Exception {
        String fromPeer = "/7";
        rig.router.send(rig.peer, msg(Verb.GET, TEMP, fromPeer, false, null), Meta.of(Principal.peer("gw-b")));
        rig.expectAtDevice(Verb.GET, "/sensors/temp");
        rig.observe(ALICE, TEMP);
        rig.peer.refuse = true;                              // its link is full
        for (int n = 1; n <= 5; n++) {
            rig.deviceSays("/dev0#obs/1", "/sensors/temp#streams/1", false, "{\"n\":" + n + "}");
            assertEquals("{\"n\":" + n + "}", body(rig.lan.next().m()), "alice is not slowed down");
        }
        assertEquals(1, rig.hub.subscribers(), "cut off after max_skipped (3) refusals in a row");
        assertEquals(3, rig.metrics.value("ferry_observations_dropped_total{reason=\"refused\"}"));
        assertEquals(1, rig.metrics.value("ferry_observations_dropped_total{reason=\"cut_off\"}"));
    }

    @Test
    void aDeviceThatGoesDownTellsEverySubscriberAndResumesWhenItIsBack() throws Exception {
        String[] subs = twoSubscribers();
        rig.lan.next();
        rig.lan.next();
        rig.device.live = false;
        rig.advanceMs(250);
        rig.shared.down(rig.device, "unplugged");
        for (String s : subs) {
            Got g = rig.lan.next();
            assertEquals(s, g.m().to().toString());
            assertTrue(g.meta().stale(), "told: the value is stale");
            assertEquals(250, g.meta().ageMs());
            assertEquals("{\"n\":1}", body(g.m()), "with the last value");
            assertFalse(g.m().eof(), "and still subscribed");
            assertNotNull(rig.router.streams().get(Path.of(ObservationRig.host(s))), "its router exchange stays open");
        }
        rig.device.live = true;
        rig.shared.up(rig.device);
        rig.expectAtDevice(Verb.DELETE, "/sensors/temp#streams/1");   // a device only unreachable still held it
        assertEquals(1, rig.metrics.value("ferry_observations_orphans_cancelled_total"));
        Message again = rig.expectAtDevice(Verb.GET, "/sensors/temp");
        rig.deviceSays(again.from().toString(), "/sensors/temp#streams/1", false, "{\"n\":1}");
        Got live = rig.lan.next();
        assertFalse(live.meta().stale());
        assertEquals(subs[0], live.m().to().toString());
        assertEquals(subs[1], rig.lan.next().m().to().toString(), "resumed without any client action");
    }

    @Test
    void aSubscriberWhoComesAfterAnOutageGetsTheOldValueMarkedStaleUntilTheDeviceSpeaks() throws Exception {
        rig.observe(ALICE, TEMP);
        rig.expectAtDevice(Verb.GET, "/sensors/temp");
        rig.deviceSays("/dev0#obs/1", "/sensors/temp#streams/1", false, "{\"n\":4}");
        rig.lan.next();
        rig.device.live = false;
        rig.shared.down(rig.device, "lost");
        rig.lan.next();
        rig.device.live = true;
        rig.shared.up(rig.device);
        rig.observe(BOB, TEMP);
        Got old = rig.lan.next();
        assertEquals("{\"n\":4}", body(old.m()));
        assertTrue(old.meta().stale(), "a value from before the outage is not the device's state now");
        rig.expectAtDevice(Verb.DELETE, "/sensors/temp#streams/1");
        Message again = rig.expectAtDevice(Verb.GET, "/sensors/temp");
        rig.deviceSays(again.from().toString(), "/sensors/temp#streams/1", false, "{\"n\":0}");
        Got live = rig.lan.next();
        assertEquals("{\"n\":0}", body(live.m()));
        assertFalse(live.meta().stale());
    }

    @Test
    void subscribingWhileDownIs503UnlessStaleValuesAreAccepted() throws Exception {
        rig.observe(ALICE, TEMP);
        rig.expectAtDevice(Verb.GET, "/sensors/temp");
        rig.deviceSays("/dev0#obs/1", "/sensors/temp#streams/1", false, "{\"n\":4}");
        rig.lan.next();
        rig.device.live = false;
        rig.shared.down(rig.device, "lost");
        rig.lan.next();
        rig.observe(BOB, TEMP);
        Got refused = rig.lan.next();
        assertEquals(503, refused.m().status());
        String from = "/55";
        rig.router.send(rig.lan, msg(Verb.GET, TEMP, from, false, null), Meta.of(BOB).withCache(-1, true));
        Got stale = rig.lan.next();
        assertEquals("{\"n\":4}", body(stale.m()));
        assertTrue(stale.meta().stale() && stale.meta().cached());
        assertFalse(stale.m().eof());
    }

    @Test
    void boundsPerResourceAndInTotalAre503AndCounted() throws Exception {
        for (int i = 0; i < 4; i++) {
            rig.observe(ALICE, TEMP);
        }
        rig.expectAtDevice(Verb.GET, "/sensors/temp");
        rig.observe(ALICE, TEMP);
        Got fifth = rig.lan.next();
        assertEquals(503, fifth.m().status());
        assertTrue(body(fifth.m()).contains("too many subscribers of /sensors/temp"), body(fifth.m()));
        for (int i = 0; i < 4; i++) {
            rig.observe(ALICE, "/dev0/other/" + i);
        }
        rig.observe(ALICE, "/dev0/one/more");
        Message m;
        do {
            m = rig.lan.next().m();
        } while (m.verb() != Verb.ERROR);
        assertTrue(body(m).contains("too many subscribers (8)"), body(m));
        assertEquals(1, rig.metrics.value("ferry_observations_refused_total{reason=\"per_resource\"}"));
        assertEquals(1, rig.metrics.value("ferry_observations_refused_total{reason=\"total\"}"));
        assertEquals(8, rig.hub.subscribers());
    }

    @Test
    void differentParametersAreDifferentStreams() throws Exception {
        rig.router.send(rig.lan, msg(Verb.GET, TEMP, "/1", false, "100"), Meta.of(ALICE));
        assertEquals("100", body(rig.expectAtDevice(Verb.GET, "/sensors/temp")));
        rig.router.send(rig.lan, msg(Verb.GET, TEMP, "/2", false, "500"), Meta.of(ALICE));
        assertEquals("500", body(rig.expectAtDevice(Verb.GET, "/sensors/temp")));
        rig.router.send(rig.lan, msg(Verb.GET, TEMP, "/3", false, "100"), Meta.of(BOB));
        assertNull(rig.device.poll(50));
        assertEquals(2, rig.hub.shared());
    }

    @Test
    void lingeringObservationsAreBoundedTheOldestGoesFirst() throws Exception {
        ObservationRig slow = new ObservationRig(new dev.ferry.edge.config.ObservationsConfig(60_000, 3, 3, 3, 16,
                64 * 1024), MaxAgeRules.NONE);
        try (slow) {
            for (int i = 1; i <= 3; i++) {
                slow.observe(ALICE, "/dev0/r/" + i);
                Message up = slow.expectAtDevice(Verb.GET, "/r/" + i);
                slow.deviceSays(up.from().toString(), "/r/" + i + "#streams/" + i, false, "1");
                Path stream = slow.lan.next().m().from();
                slow.router.send(slow.lan, msg(Verb.DELETE, stream.toString(), "/d" + i, true, null), Meta.of(ALICE));
                slow.lan.next();
                slow.lan.next();
            }
            assertEquals(3, slow.hub.shared(), "three lingering observations, as many as max_subscribers");
            slow.observe(BOB, "/dev0/r/4");
            slow.expectAtDevice(Verb.DELETE, "/r/1#streams/1");   // the oldest lingering one makes room
            slow.expectAtDevice(Verb.GET, "/r/4");
            assertEquals(3, slow.hub.shared());
        }
    }

    @Test
    void anObservationWithLongParametersIsNotSharedButPassedOn() throws Exception {
        String big = "\"" + "x".repeat(300) + "\"";
        rig.router.send(rig.lan, msg(Verb.GET, TEMP, "/1", false, big), Meta.of(ALICE));
        Message m = rig.expectAtDevice(Verb.GET, "/sensors/temp");
        assertEquals("/#lan/1", m.from().toString(), "from the requester's own return path");
        assertEquals(0, rig.hub.shared());
    }

    @Test
    void anUpstreamErrorEndsEverySubscriber() throws Exception {
        String[] subs = twoSubscribers();
        rig.lan.next();
        rig.lan.next();
        rig.shared.message(rig.device, Message.builder(Verb.ERROR, Path.of("/dev0#obs/1"),
                Path.of("/sensors/temp#streams/1")).status(500).build(), Meta.of(rig.device.principal()));
        for (String s : subs) {
            Got g = rig.lan.next();
            assertEquals(Verb.ERROR, g.m().verb());
            assertEquals(500, g.m().status());
            assertNull(rig.router.streams().get(Path.of(ObservationRig.host(s))), "the exchange is closed");
        }
        assertEquals(0, rig.hub.subscribers());
        assertEquals(0, rig.hub.shared());
    }
}
