package dev.ferry.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the RESI integrity check (issue 15: CRC-32C of each envelope without its check field, see
 * {@code dev.ferry.edge.resi.EnvelopeCheck}) adds per envelope: computed once by the sender and
 * once per copy by the receiver, as two updates around the 5 bytes of the field. One operation =
 * one envelope of {@code size} bytes; average time in ns.
 *
 * <pre>
 *   mvn -B -q -pl tests -am -DskipTests package dependency:build-classpath -Dmdep.outputFile=$PWD/tests/target/cp.txt
 *   java -cp tests/target/classes:$(cat tests/target/cp.txt) org.openjdk.jmh.Main EnvelopeCheck \
 *        -f 1 -wi 2 -i 3 -w 1s -r 2s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EnvelopeCheckBenchmark {
    /** 64: a ping or an ack; 256: a small RP request; 1400: a datagram's worth; 16384: a large blob chunk. */
    @Param({"64", "256", "1400", "16384"})
    public int size;

    private byte[] envelope;
    private int fieldAt;

    @Setup(Level.Trial)
    public void setUp() {
        envelope = new byte[size];
        new Random(1).nextBytes(envelope);
        fieldAt = 4; // after seq and ack, as a sequenced envelope carries it
    }

    @Benchmark
    public int check() {
        CRC32C c = new CRC32C();
        c.update(envelope, 0, fieldAt);
        c.update(envelope, fieldAt + 5, envelope.length - fieldAt - 5);
        return (int) c.getValue();
    }
}
