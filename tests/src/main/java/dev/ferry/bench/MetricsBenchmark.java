package dev.ferry.bench;

import dev.ferry.edge.http.PrometheusText;
import dev.ferry.edge.metrics.Metrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Ferry's own {@link Metrics} and {@link PrometheusText} against the Prometheus Java client
 * (prometheus-metrics-core and -exposition-textformats 1.10.0) on the two things a gateway does
 * with metrics: count (a held counter on a hot path, a labelled one looked up on a drop path) and
 * scrape ({@code families} counter families of {@code series} label values each, text format
 * 0.0.4, into bytes). Average time per operation.
 *
 * <pre>
 *   mvn -q -pl tests -am package -DskipTests
 *   mvn -q -pl tests dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -cp tests/target/classes:$(cat tests/target/cp.txt) org.openjdk.jmh.Main MetricsBenchmark \
 *        -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsBenchmark {
    /** Families in the scrape; each has {@link #series} series. */
    @Param({"40"})
    public int families;

    @Param({"10"})
    public int series;

    private Metrics ferry;
    private LongAdder ferryHeld;
    private PrometheusRegistry registry;
    private Counter promDrops;
    private CounterDataPoint promHeld;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    @Setup
    public void setUp() {
        ferry = new Metrics();
        registry = new PrometheusRegistry();
        for (int f = 0; f < families; f++) {
            String name = "ferry_family_" + f;
            ferry.describe(name + "_total", "Help of family " + f + ".");
            Counter c = Counter.builder().name(name).help("Help of family " + f + ".").labelNames("port")
                    .register(registry);
            for (int s = 0; s < series; s++) {
                String port = "/dev/ttyUSB" + s;
                ferry.counter(name + "_total", "port", port).add(f * 1000L + s);
                c.labelValues(port).inc(f * 1000L + s);
            }
        }
        ferryHeld = ferry.counter("ferry_hot_total");
        promDrops = Counter.builder().name("ferry_drops").help("Drops.").labelNames("reason").register(registry);
        promHeld = Counter.builder().name("ferry_hot").help("Hot.").register(registry).labelValues();
    }

    @Benchmark
    public void incHeldFerry() {
        ferryHeld.increment();
    }

    @Benchmark
    public void incHeldPrometheus() {
        promHeld.inc();
    }

    @Benchmark
    public void incLabelledFerry() {
        ferry.inc("ferry_drops_total", "reason", "queue_full");
    }

    @Benchmark
    public void incLabelledPrometheus() {
        promDrops.labelValues("queue_full").inc();
    }

    @Benchmark
    public byte[] scrapeFerry() {
        return PrometheusText.format(ferry.families()).getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public byte[] scrapePrometheus() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        writer.write(out, registry.scrape());
        return out.toByteArray();
    }
}
