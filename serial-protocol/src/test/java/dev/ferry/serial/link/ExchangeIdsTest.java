package dev.ferry.serial.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import dev.ferry.serial.header.BinaryHeaderCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The host's version 2 exchange table (PROTOCOL.md 8.3), as a hostile or careless station meets it. */
@Tag("small")
class ExchangeIdsTest {
    private static final long SEC = 1_000_000_000L;

    private static Message get(String to, String from) {
        return Message.builder(Verb.GET, Path.of(to), Path.of(from)).eof(true).build();
    }

    private static Message rep(Path to, Path from, boolean eof) {
        return Message.builder(Verb.REP, to, from).eof(eof)
                .body(BodyType.JSON, "1".getBytes(StandardCharsets.US_ASCII)).build();
    }

    @Test
    void answersGoBackToTheRequesterWithTheirImpliedFromNamed() {
        ExchangeIds x = new ExchangeIds(60 * SEC);
        Message wire = x.outbound(get("/leds/0", "/#lan/7/3"), 0);
        assertEquals(Path.of("/#x/0"), wire.from());
        assertEquals(1, x.open());
        Message single = x.inbound(rep(wire.from(), BinaryHeaderCodec.IMPLIED_FROM, true));
        assertEquals(Path.of("/#lan/7/3"), single.to());
        assertEquals(Path.of("/leds/0"), single.from(), "a single reply's from is the request's to");
        assertEquals(0, x.open());
        assertNull(x.inbound(rep(wire.from(), BinaryHeaderCodec.IMPLIED_FROM, true)), "the exchange is over");

        Message obs = x.outbound(get("/sensors/temp", "/#lan/7/4"), 0);
        Path stream = Path.of("/sensors/temp#streams/3");
        assertEquals(stream, x.inbound(rep(obs.from(), stream, false)).from());
        Message last = x.inbound(rep(obs.from(), BinaryHeaderCodec.IMPLIED_FROM, true));
        assertEquals(stream, last.from(), "a stream's last message comes from the stream path");
        assertEquals(Path.of("/#lan/7/4"), last.to());
    }

    @Test
    void repliesAndRequestsFromTheStationPassAndStrayAnswersAreRefused() {
        ExchangeIds x = new ExchangeIds(60 * SEC);
        Message reply = rep(Path.of("/#r/1"), Path.of("/#runtime/time"), true);
        assertSame(reply, x.outbound(reply, 0), "the host's answers to the station keep their paths");
        Message request = get("/#runtime/time", "/#x/5");
        assertSame(request, x.inbound(request), "a station's request is not an answer");
        assertNull(x.inbound(rep(Path.of("/#x/9"), BinaryHeaderCodec.IMPLIED_FROM, true)), "no such exchange");
        assertNull(x.inbound(rep(Path.of("/#r/1"), BinaryHeaderCodec.IMPLIED_FROM, true)), "implied from, no exchange");
    }

    @Test
    void boundedAndReclaimsOnlyStaleExchangesThatAreNotStreams() {
        ExchangeIds x = new ExchangeIds(60 * SEC);
        Message first = x.outbound(get("/a", "/r/0"), 0);
        x.inbound(rep(first.from(), Path.of("/a#streams/1"), false));          // an open stream
        for (int i = 1; i < BinaryHeaderCodec.MAX_EXCHANGES; i++) {
            x.outbound(get("/a", "/r/" + i), i);
        }
        assertEquals(BinaryHeaderCodec.MAX_EXCHANGES, x.open());
        assertNull(x.outbound(get("/a", "/r/x"), 30 * SEC), "none free and none stale: held back");
        Message late = x.outbound(get("/a", "/r/y"), 61 * SEC);
        assertEquals(Path.of("/#x/1"), late.from(), "the oldest unanswered request is reclaimed, not the stream");
        x.clear();
        assertEquals(0, x.open());
    }
}
