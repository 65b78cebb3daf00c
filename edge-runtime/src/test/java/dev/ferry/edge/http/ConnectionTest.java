package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class ConnectionTest {
    @Test
    void offerIsBoundedAndRunsOnTheEventLoop() {
        EmbeddedChannel ch = new EmbeddedChannel();   // runs tasks only when asked: a stuck loop
        Connection c = new Connection(7, ch, 2);
        List<Path> seen = new ArrayList<>();
        c.sink(new ConnectionSink() {
            @Override public void onMessage(Path rest, Message m) {
                seen.add(rest);
            }

            @Override public void shutdown() { }
        });
        Message m = Message.builder(Verb.REP, Path.of("/7/1"), Path.of("/s")).build();
        assertEquals(Connection.Offer.TAKEN, c.offer(Path.of("/1"), m));
        assertEquals(Connection.Offer.TAKEN, c.offer(Path.of("/2"), m));
        assertEquals(Connection.Offer.QUEUE_FULL, c.offer(Path.of("/3"), m));
        assertEquals(0, seen.size());
        ch.runPendingTasks();
        assertEquals(List.of(Path.of("/1"), Path.of("/2")), seen);
        assertEquals(0, c.queued());
        assertEquals("/7", c.prefix.toString());
        ch.close();
        assertEquals(Connection.Offer.GONE, c.offer(Path.of("/4"), m));
    }

    @Test
    void connectionNumberIsTheFirstSegment() {
        assertEquals(12, Connections.idOf(Path.of("/12/3")));
        assertEquals(5, Connections.idOf(Path.of("/5#r/1")));
        assertEquals(-1, Connections.idOf(Path.of("/x/1")));
        assertEquals(-1, Connections.idOf(Path.of("/")));
        assertEquals(-1, Connections.idOf(Path.of("/12345678901234567890/1")));
    }
}
