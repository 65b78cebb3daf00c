package dev.ferry.serial.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.rp.DecodeError;
import dev.ferry.rp.Decoded;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class FrameCodecTest {
    @Test
    void crcCheckValueAndResidue() {
        byte[] check = "123456789".getBytes();
        assertEquals(0x906E, Crc16.compute(check));
        byte[] withTrailer = Arrays.copyOf(check, 11);
        withTrailer[9] = (byte) 0x6E;
        withTrailer[10] = (byte) 0x90;
        assertEquals(Crc16.GOOD_RESIDUE, Crc16.update(Crc16.INIT, withTrailer, 0, 11));
    }

    @Test
    void cobsWorstCaseOverheadIsBounded() {
        for (int n : new int[] {0, 1, 253, 254, 255, 508, 2048}) {
            byte[] raw = new byte[n];
            Arrays.fill(raw, (byte) 7);
            byte[] enc = Cobs.encode(raw);
            assertTrue(enc.length <= Cobs.maxEncodedLength(n), "n=" + n);
            assertArrayEquals(raw, Cobs.decode(enc).value());
        }
    }

    /** 65,535 seeded random frames, including all-zero (worst stuffing) and max-size ones. */
    @Test
    void fatigueRunOf65535Frames() {
        Random rnd = new Random(65535);
        int n = 256;
        FrameEncoder enc = new FrameEncoder(n);
        FrameDecoder dec = new FrameDecoder(n);
        byte[] wire = new byte[FrameEncoder.maxWireLength(n)];
        List<Decoded<Frame>> out = new ArrayList<>(1);
        for (int i = 0; i < 65_535; i++) {
            int len = switch (i % 4) {
                case 0 -> n - 4;
                case 1 -> 0;
                default -> rnd.nextInt(n - 3);
            };
            byte[] info = new byte[len];
            switch (i % 3) {
                case 0 -> { }                                    // all zeros: worst-case stuffing
                case 1 -> Arrays.fill(info, (byte) 0xFF);        // no zeros: maximal code blocks
                default -> rnd.nextBytes(info);
            }
            Frame f = new Frame(rnd.nextInt(256), rnd.nextInt(256), info);
            int w = enc.encode(f.address(), f.control(), info, 0, len, wire, 0);
            assertTrue(w <= FrameEncoder.maxWireLength(n));
            out.clear();
            dec.feed(ByteBuffer.wrap(wire, 0, w), out::add);
            assertEquals(1, out.size());
            assertEquals(f, out.get(0).value(), "frame " + i);
        }
        assertEquals(65_535, dec.counters().good());
        assertEquals(0, dec.counters().totalErrors());
    }

    @Test
    void emptyFramesIgnoredAndResyncAfterErrors() {
        FrameDecoder dec = new FrameDecoder(64);
        Frame good = new Frame(1, 0x10, new byte[] {1, 2, 3});
        byte[] g = FrameEncoder.encodeFrame(good);
        byte[] noise = {0x05, 0x01, 0x00, 0x00, 0x00, 0x03, 0x01, 0x02, 0x00};
        byte[] stream = new byte[noise.length + g.length];
        System.arraycopy(noise, 0, stream, 0, noise.length);
        System.arraycopy(g, 0, stream, noise.length, g.length);
        List<Decoded<Frame>> got = dec.feed(stream);
        assertEquals(List.of(Decoded.error(DecodeError.BAD_COBS), Decoded.error(DecodeError.RUNT), Decoded.ok(good)), got);
    }

    @Test
    void overlongDiscardsToNextDelimiterWithinFixedBuffer() {
        FrameDecoder dec = new FrameDecoder(32);
        byte[] junk = new byte[5000];
        Arrays.fill(junk, (byte) 0x55);
        assertTrue(dec.feed(junk).isEmpty());
        assertTrue(dec.buffered() <= 32);
        assertEquals(FrameDecoder.State.DISCARD, dec.state());
        Frame f = new Frame(2, 0x11);
        byte[] g = FrameEncoder.encodeFrame(f);
        byte[] tail = new byte[1 + g.length];
        System.arraycopy(g, 0, tail, 1, g.length);
        assertEquals(List.of(Decoded.error(DecodeError.OVERLONG), Decoded.ok(f)), dec.feed(tail));
    }

    @Test
    void encoderRefusesOversizedInfoAndBadFrameSize() {
        FrameEncoder enc = new FrameEncoder(32);
        assertThrows(IllegalArgumentException.class, () -> enc.encode(new Frame(1, 0, new byte[29])));
        assertEquals(FrameEncoder.maxWireLength(32), enc.encode(new Frame(1, 0x10, new byte[28])).length);
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(3));
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(2049));
    }
}
