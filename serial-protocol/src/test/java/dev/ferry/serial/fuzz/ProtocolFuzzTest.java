package dev.ferry.serial.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.rp.BodyType;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import dev.ferry.serial.frame.Frame;
import dev.ferry.serial.frame.FrameCounters;
import dev.ferry.serial.frame.FrameDecoder;
import dev.ferry.serial.frame.FrameEncoder;
import dev.ferry.serial.header.HeaderCodec;
import dev.ferry.serial.header.TextHeaderCodec;
import dev.ferry.serial.link.Control;
import dev.ferry.serial.link.LinkParams;
import dev.ferry.serial.link.SecondaryStation;
import dev.ferry.serial.segment.Reassembler;
import dev.ferry.serial.segment.Segmenter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Seeded random input for {@code ferry.fuzz.seconds} seconds (default 5) per target: nothing
 * throws, internal buffers stay within their bounds, and good input after garbage still decodes.
 */
@Tag("small")
@Execution(ExecutionMode.CONCURRENT)   // the targets share the wall-clock budget, one per core
class ProtocolFuzzTest {
    private static final long SEED = Long.getLong("ferry.fuzz.seed", 20240501L);

    private static long deadline() {
        double s = Double.parseDouble(System.getProperty("ferry.fuzz.seconds", "5"));
        return System.nanoTime() + (long) (s * 1e9);
    }

    private static byte[] garbage(Random rnd, int max) {
        byte[] b = new byte[rnd.nextInt(max + 1)];
        rnd.nextBytes(b);
        int zeros = rnd.nextInt(4);
        for (int i = 0; i < zeros && b.length > 0; i++) {
            b[rnd.nextInt(b.length)] = 0;
        }
        return b;
    }

    private static Message sample(Random rnd) {
        byte[] body = new byte[rnd.nextInt(300)];
        rnd.nextBytes(body);
        return Message.builder(Verb.values()[rnd.nextInt(5)], Path.of("/s/" + rnd.nextInt(99) + "#x"), Path.of("/#r/1"))
                .eof(rnd.nextBoolean()).flow(rnd.nextInt(102) - 1).body(BodyType.JSON, body).build();
    }

    @Test
    void frameDecoder() {
        Random rnd = new Random(SEED);
        long end = deadline();
        long rounds = 0;
        List<Decoded<Frame>> out = new ArrayList<>();
        while (System.nanoTime() < end) {
            int n = 32 + rnd.nextInt(2048 - 31);
            FrameDecoder d = new FrameDecoder(n);
            for (int i = 0; i < 50; i++) {
                byte[] g = garbage(rnd, 3 * n);
                d.feed(g, 0, g.length, out::add);
                assertTrue(d.buffered() <= n);
                out.clear();
                byte[] info = new byte[rnd.nextInt(n - 3)];
                rnd.nextBytes(info);
                Frame good = new Frame(rnd.nextInt(256), rnd.nextInt(256), info);
                byte[] w = FrameEncoder.encodeFrame(good);
                d.feed(new byte[] {0}, 0, 1, out::add);
                out.clear();
                d.feed(w, 0, w.length, out::add);
                assertEquals(List.of(Decoded.ok(good)), out);
                out.clear();
                rounds++;
            }
        }
        assertTrue(rounds > 0);
    }

    @Test
    void headerCodec() {
        Random rnd = new Random(SEED + 1);
        HeaderCodec codec = new TextHeaderCodec();
        long end = deadline();
        long ok = 0;
        long errors = 0;
        while (System.nanoTime() < end) {
            Message m = sample(rnd);
            byte[] b = codec.encode(m);
            assertEquals(m, codec.decode(b).value());
            int flips = 1 + rnd.nextInt(4);
            for (int i = 0; i < flips; i++) {
                int at = rnd.nextInt(Math.min(b.length, 40));
                b[at] = rnd.nextInt(3) == 0 ? (byte) '\n' : (byte) rnd.nextInt(256);
            }
            Decoded<Message> d = codec.decode(b);
            if (d.isOk()) {
                ok++;
                assertEquals(d.value(), codec.decode(codec.encode(d.value())).value());
            } else {
                errors++;
            }
            codec.decode(garbage(rnd, 200));
        }
        assertTrue(errors > 0 && ok + errors > 0, "mutations must be rejected with typed errors");
    }

    /** The version 2 decoder, with a resource table: mutated and random messages, typed errors only. */
    @Test
    void binaryHeaderCodec() {
        Random rnd = new Random(SEED + 5);
        HeaderCodec codec = new dev.ferry.serial.header.BinaryHeaderCodec(
                List.of(dev.ferry.rp.Path.of("/info"), dev.ferry.rp.Path.of("/s/1"), dev.ferry.rp.Path.of("/leds/0")));
        long end = deadline();
        long ok = 0;
        long errors = 0;
        while (System.nanoTime() < end) {
            Message m = sample(rnd);
            byte[] b = codec.encode(m);
            Message back = codec.decode(b).value();
            assertEquals(codec.encode(back).length, b.length);
            int flips = 1 + rnd.nextInt(4);
            for (int i = 0; i < flips; i++) {
                int at = rnd.nextInt(Math.min(b.length, 40));
                b[at] = rnd.nextInt(3) == 0 ? 0 : (byte) rnd.nextInt(256);
            }
            Decoded<Message> d = codec.decode(b);
            if (d.isOk()) {
                ok++;
                byte[] again = codec.encode(d.value());      // a final reply's explicit from is not re-encoded
                assertArrayEquals(again, codec.encode(codec.decode(again).value()));
            } else {
                errors++;
            }
            codec.decode(garbage(rnd, 200));
        }
        assertTrue(errors > 0 && ok > 0, "mutations must be rejected with typed errors, some still decode");
    }

    @Test
    void reassembler() {
        Random rnd = new Random(SEED + 2);
        FrameCounters counters = new FrameCounters();
        Reassembler r = new Reassembler(2000, counters);
        long end = deadline();
        List<Decoded<byte[]>> out = new ArrayList<>();
        while (System.nanoTime() < end) {
            for (int i = 0; i < 20; i++) {
                byte[] g = garbage(rnd, 100);
                r.accept(g, out::add);
                assertTrue(r.buffered() <= 2000);
            }
            byte[] msg = new byte[rnd.nextInt(2000)];
            rnd.nextBytes(msg);
            out.clear();
            for (byte[] s : Segmenter.segments(msg, 32 + rnd.nextInt(100))) {
                r.accept(s, out::add);
            }
            Decoded<byte[]> last = out.get(out.size() - 1);
            assertTrue(java.util.Arrays.equals(msg, last.value()));
            out.clear();
        }
        assertTrue(counters.totalErrors() > 0);
    }

    @Test
    void secondaryStationFedRandomFrames() {
        Random rnd = new Random(SEED + 3);
        List<Message> got = new ArrayList<>();
        SecondaryStation s = new SecondaryStation(7, LinkParams.of(64, 4), 4, 1000, (a, m) -> got.add(m));
        HeaderCodec codec1 = new TextHeaderCodec();
        HeaderCodec codec2 = new dev.ferry.serial.header.BinaryHeaderCodec();
        long end = deadline();
        byte[] lastUp = {1};
        while (System.nanoTime() < end) {
            for (int i = 0; i < 100; i++) {
                int addr = rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 7;
                byte[] info = garbage(rnd, 70);
                int control = rnd.nextInt(256);
                if (rnd.nextInt(8) == 0) {                   // a UP (PROTOCOL.md 3.8) that may list us
                    addr = 0xFF;
                    control = Control.u(Control.Unnumbered.UP, rnd.nextBoolean()).encode();
                    if (info.length > 0 && rnd.nextBoolean()) {
                        info[rnd.nextInt(info.length)] = 7;
                    }
                    lastUp = info.length > 0 ? info : lastUp;
                } else if (rnd.nextInt(8) == 0) {            // a final frame of a station we may wait for
                    addr = lastUp[rnd.nextInt(lastUp.length)] & 0xFF;
                    control |= 0x10;
                }
                List<Frame> r = s.receive(new Frame(addr, control, info));
                assertTrue(s.buffered() <= 1000);
                for (Frame f : r) {
                    assertEquals(7, f.address());
                    assertTrue(f.infoLength() <= 60);
                }
            }
            // then a clean session: SNRM, a message in I-frames, the station must take it
            boolean v2 = rnd.nextBoolean();
            LinkParams offer = v2 ? LinkParams.of(64, 1) : LinkParams.of(64, 1).withVersion(LinkParams.VERSION_1_0);
            s.receive(new Frame(7, Control.u(Control.Unnumbered.SNRM, true).encode(), offer.encode()));
            HeaderCodec codec = v2 ? codec2 : codec1;
            Message sent = sample(rnd);
            Message m = v2 ? codec2.decode(codec2.encode(sent)).value() : sent;
            got.clear();
            List<byte[]> segs = Segmenter.segments(codec.encode(m), 64);
            for (int i = 0; i < segs.size(); i++) {
                List<Frame> r = s.receive(new Frame(7, Control.i(i & 7, 0, true).encode(), segs.get(i)));
                assertEquals(1, r.size());
                assertEquals((i + 1) & 7, Control.decode(r.get(0).control()).nr());
            }
            assertEquals(List.of(m), got);
        }
    }
}
