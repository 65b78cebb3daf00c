package dev.ferry.serial.vectors;

import static dev.ferry.serial.vectors.VectorFiles.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.rp.BodyType;
import dev.ferry.rp.DecodeError;
import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import dev.ferry.serial.frame.Cobs;
import dev.ferry.serial.frame.Crc16;
import dev.ferry.serial.frame.Frame;
import dev.ferry.serial.frame.FrameDecoder;
import dev.ferry.serial.frame.FrameEncoder;
import dev.ferry.serial.header.BinaryHeaderCodec;
import dev.ferry.serial.header.HeaderCodec;
import dev.ferry.serial.header.TextHeaderCodec;
import dev.ferry.serial.link.Control;
import dev.ferry.serial.segment.Reassembler;
import dev.ferry.serial.segment.Segmenter;
import dev.ferry.serial.frame.FrameCounters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every file in serial-protocol/vectors/, both directions where the format allows. */
@Tag("small")
class VectorsTest {
    /** messages.txt "ok" vectors that are valid but not in canonical encoder form. */
    private static final Set<String> NON_CANONICAL = Set.of("unnormal-paths", "explicit-defaults",
            "blank-line-no-body", "no-length", "ext-key", "fields-any-order", "body-with-nul");

    @Test
    void everyVectorFileIsCovered() throws Exception {
        Set<String> covered = Set.of("crc.txt", "cobs.txt", "frames.txt", "control.txt", "messages.txt", "messages2.txt",
                "paths.txt", "segments.txt");
        try (Stream<java.nio.file.Path> s = Files.list(VectorFiles.dir())) {
            Set<String> present = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt"))
                    .collect(Collectors.toSet());
            assertEquals(covered, present);
        }
    }

    @Test
    void crc() {
        List<String[]> lines = VectorFiles.lines("crc.txt");
        assertFalse(lines.isEmpty());
        for (String[] f : lines) {
            assertEquals(Integer.parseInt(f[1], 16), Crc16.compute(hex(f[0])), f[0]);
        }
    }

    @Test
    void cobsBothWays() {
        List<String[]> lines = VectorFiles.lines("cobs.txt");
        assertFalse(lines.isEmpty());
        for (String[] f : lines) {
            byte[] raw = hex(f[0]);
            assertEquals(f[1], hex(Cobs.encode(raw)), "encode " + f[0]);
            assertArrayEquals(raw, Cobs.decode(hex(f[1])).value(), "decode " + f[1]);
        }
    }

    @Test
    void framesBothWays() {
        int ok = 0;
        int bad = 0;
        for (String[] f : VectorFiles.lines("frames.txt")) {
            byte[] line = hex(f[2]);
            if (f[0].equals("ok")) {
                Frame expected = new Frame(Integer.parseInt(f[3], 16), Integer.parseInt(f[4], 16), hex(f[5]));
                assertArrayEquals(line, FrameEncoder.encodeFrame(expected), "encode " + f[1]);
                List<Decoded<Frame>> got = new FrameDecoder(2048).feed(line);
                assertEquals(List.of(Decoded.ok(expected)), got, "decode " + f[1]);
                ok++;
            } else {
                FrameDecoder d = new FrameDecoder(Integer.parseInt(f[4]));
                List<Decoded<Frame>> got = d.feed(line);
                DecodeError want = DecodeError.valueOf(f[3]);
                assertEquals(List.of(Decoded.error(want)), got, "decode " + f[1]);
                assertEquals(1, d.counters().errors(want));
                bad++;
            }
        }
        assertTrue(ok > 0 && bad > 0);
    }

    @Test
    void control() {
        List<String[]> lines = VectorFiles.lines("control.txt");
        assertEquals(256, lines.size());
        for (String[] f : lines) {
            int b = Integer.parseInt(f[0], 16);
            Control c = Control.decode(b);
            assertEquals(VectorFiles.join(f, 1), describe(c), f[0]);
            if (c.kind() != Control.Kind.INVALID) {
                Control rebuilt = switch (c.kind()) {
                    case I -> Control.i(c.ns(), c.nr(), c.pf());
                    case S -> Control.s(c.supervisory(), c.nr(), c.pf());
                    default -> Control.u(c.unnumbered(), c.pf());
                };
                assertEquals(b, rebuilt.encode(), f[0]);
            }
        }
    }

    private static String describe(Control c) {
        int pf = c.pf() ? 1 : 0;
        return switch (c.kind()) {
            case I -> "I " + c.ns() + " " + c.nr() + " " + pf;
            case S -> "S " + c.supervisory() + " " + c.nr() + " " + pf;
            case U -> "U " + c.unnumbered() + " " + pf;
            case INVALID -> "INVALID";
        };
    }

    @Test
    void messagesBothWays() {
        HeaderCodec codec = new TextHeaderCodec();
        int ok = 0;
        for (String[] f : VectorFiles.lines("messages.txt")) {
            byte[] wire = hex(f[2]);
            Decoded<Message> d = codec.decode(wire);
            if (f[0].equals("bad")) {
                assertEquals(Decoded.error(DecodeError.valueOf(f[3])), d, f[1]);
                continue;
            }
            assertTrue(d.isOk(), f[1] + ": " + d);
            Message expected = fromFields(f);
            assertEquals(expected, d.value(), f[1]);
            if (!NON_CANONICAL.contains(f[1])) {
                assertEquals(f[2], hex(codec.encode(expected)), "encode " + f[1]);
            } else {
                assertEquals(expected, codec.decode(codec.encode(expected)).value(), "re-encode " + f[1]);
            }
            ok++;
        }
        assertTrue(ok > 0);
    }

    /**
     * Version 2 (PROTOCOL.md 8), the file the C tests read too: the codec with the file's resource
     * table decodes every vector and encodes "ok" and "okj" ones to the same bytes; without a
     * table it still writes "ok" ones exactly (they name no table entry).
     */
    @Test
    void messages2BothWays() {
        List<String[]> lines = VectorFiles.lines("messages2.txt");
        List<Path> table = java.util.Arrays.stream(lines.get(0)).skip(1).map(Path::of).toList();
        assertEquals("table", lines.get(0)[0]);
        HeaderCodec codec = new BinaryHeaderCodec(table);
        HeaderCodec plain = new BinaryHeaderCodec();
        int ok = 0;
        int bad = 0;
        for (String[] f : lines.subList(1, lines.size())) {
            byte[] wire = hex(f[2]);
            Decoded<Message> d = codec.decode(wire);
            if (f[0].equals("bad")) {
                assertEquals(Decoded.error(DecodeError.valueOf(f[3])), d, f[1]);
                bad++;
                continue;
            }
            assertTrue(d.isOk(), f[1] + ": " + d);
            Message expected = fromFields(f);
            assertEquals(expected, d.value(), f[1]);
            assertEquals(f[2], hex(codec.encode(expected)), "encode " + f[1]);
            if (f[0].equals("ok")) {
                assertEquals(f[2], hex(plain.encode(expected)), "encode without table " + f[1]);
            }
            ok++;
        }
        assertTrue(ok >= 15 && bad >= 15);
    }

    private static Message fromFields(String[] f) {
        Message.Builder b = Message.builder(Verb.valueOf(f[3]), Path.of(f[4]), Path.of(f[5]))
                .eof(f[6].equals("1"))
                .flow(f[7].equals("-") ? -1 : Integer.parseInt(f[7]))
                .status(f[8].equals("-") ? 0 : Integer.parseInt(f[8]));
        if (!f[10].equals("-")) {
            b.body(BodyType.of(f[9]), hex(f[10]));
        }
        return b.build();
    }

    @Test
    void paths() {
        int n = 0;
        for (String[] f : VectorFiles.lines("paths.txt")) {
            if (f[0].equals("ok")) {
                Decoded<Path> p = Path.parse(f[1]);
                assertEquals(f[2], p.value().toString(), f[1]);
                assertEquals(p.value(), Path.parse(f[2]).value(), "normal form is stable: " + f[2]);
            } else {
                String in = f[1].startsWith("hex:")
                        ? new String(hex(f[1].substring(4)), StandardCharsets.ISO_8859_1) : f[1];
                assertEquals(Decoded.error(DecodeError.BAD_PATH), Path.parse(in), f[1]);
                assertEquals("BAD_PATH", f[2]);
            }
            n++;
        }
        assertTrue(n > 0);
    }

    @Test
    void segmentsBothWays() {
        List<String[]> lines = VectorFiles.lines("segments.txt");
        assertFalse(lines.isEmpty());
        for (String[] f : lines) {
            int n = Integer.parseInt(f[0]);
            byte[] msg = hex(f[1]);
            List<String> want = List.of(f[3].split(","));
            List<byte[]> segs = Segmenter.segments(msg, n);
            assertEquals(Integer.parseInt(f[2]), segs.size());
            assertEquals(want, segs.stream().map(VectorFiles::hex).collect(Collectors.toList()));
            Reassembler r = new Reassembler(16384, new FrameCounters());
            List<Decoded<byte[]>> out = new ArrayList<>();
            for (String s : want) {
                r.accept(hex(s), out::add);
            }
            assertEquals(1, out.size());
            assertArrayEquals(msg, out.get(0).value());
        }
    }
}
