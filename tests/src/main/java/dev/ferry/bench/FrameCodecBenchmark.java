package dev.ferry.bench;

import dev.ferry.rp.Decoded;
import dev.ferry.serial.frame.Frame;
import dev.ferry.serial.frame.FrameDecoder;
import dev.ferry.serial.frame.FrameEncoder;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * RP/serial frame codec cost per frame, for 64- and 256-byte frames (unstuffed size N, full
 * information field of N - 4 random bytes). One operation = one frame. Throughput in frames/s
 * (multiply by the wire length, printed at setup, for bytes/s) and average time in ns/frame.
 *
 * <pre>
 *   mvn -q -o -pl tests -am package -DskipTests
 *   mvn -q -o -pl tests dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -cp tests/target/classes:$(cat tests/target/cp.txt) org.openjdk.jmh.Main FrameCodec \
 *        -f 1 -wi 2 -i 3 -w 1s -r 2s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FrameCodecBenchmark {
    @Param({"64", "256"})
    public int frameSize;

    private Frame frame;
    private byte[] info;
    private byte[] wire;
    private int wireLength;
    private byte[] out;
    private FrameEncoder encoder;
    private FrameDecoder decoder;
    private Blackhole hole;
    private Consumer<Decoded<Frame>> sink;

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        Random rnd = new Random(1);
        info = new byte[frameSize - 4];
        rnd.nextBytes(info);
        frame = new Frame(1, 0x10, info);
        encoder = new FrameEncoder(frameSize);
        decoder = new FrameDecoder(frameSize);
        wire = encoder.encode(frame);
        wireLength = wire.length;
        out = new byte[FrameEncoder.maxWireLength(frameSize)];
        hole = bh;
        sink = d -> hole.consume(d);
        System.out.println("# frame size " + frameSize + ": " + wireLength + " bytes on the wire");
    }

    /** Frame (address, control, info) to line bytes, into a reused buffer. */
    @Benchmark
    public int encode() {
        return encoder.encode(1, 0x10, info, 0, info.length, out, 0);
    }

    /** Line bytes of one frame (delimiter included) to a decoded Frame. */
    @Benchmark
    public void decode() {
        decoder.feed(wire, 0, wireLength, sink);
    }
}
