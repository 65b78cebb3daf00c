package dev.ferry.bench;

import dev.ferry.bridge.device.DeviceListener;
import dev.ferry.bridge.device.DeviceSession;
import dev.ferry.bridge.device.DeviceSpec;
import dev.ferry.bridge.device.DeviceState;
import dev.ferry.bridge.device.LineRunner;
import dev.ferry.bridge.device.LineSpec;
import dev.ferry.rp.BodyType;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import dev.ferry.serial.frame.Frame;
import dev.ferry.serial.frame.FrameEncoder;
import dev.ferry.serial.header.BinaryHeaderCodec;
import dev.ferry.serial.header.TextHeaderCodec;
import dev.ferry.serial.link.Control;
import dev.ferry.serial.segment.Segmenter;
import dev.ferry.sim.LineSimulator;
import dev.ferry.sim.NativeTools;
import dev.ferry.sim.PtyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A bench set-up for the serial bridge: one {@link LineRunner} (the Java bus master) on a line to
 * {@code stations} host-sim firmware processes at addresses 1..N, either through the
 * {@link LineSimulator} (paced at the baud rate; a bus when N &gt; 1) or, with one station,
 * through a direct socat pty pair (unpaced: as fast as the ptys go).
 *
 * <p>Callers may rely on: {@link #start} returns once every station is ATTACHED (or throws);
 * {@link #close()} is idempotent and stops the bus, kills every child process (firmware, simulator, socat)
 * and removes the work directory; a JVM shutdown hook does the same if the main is interrupted.
 * Replies are routed by their {@code to} path to the queue of the request that asked.
 */
final class SerialBenchRig implements AutoCloseable, DeviceListener {
    /**
     * How the host reaches the firmware: SIM, the line simulator (ferry-linesim, one pty per
     * node, paced); DIRECT, one socat pty pair, unpaced.
     */
    enum Mode { SIM, DIRECT }

    /**
     * How the stations are simulated: PER_STATION, one host-sim process per station, each on its
     * own device pty of the simulated bus (every byte wakes every process); SHARED, one host-sim
     * process serving every address ({@code --stations N}: separate link state and resource tree
     * per station, every byte to every station's decoder) on one device pty of the bus, as N MCUs
     * on one multi-drop segment, without N processes competing for 2 cores. The medium paces and
     * delivers every byte either way.
     */
    enum Rig {
        PER_STATION, SHARED;

        static Rig parse(String s) {
            return switch (s) {
                case "per-station" -> PER_STATION;
                case "shared" -> SHARED;
                default -> throw new IllegalArgumentException("--rig is shared or per-station, not " + s);
            };
        }

        @Override
        public String toString() {
            return this == SHARED ? "shared" : "per-station";
        }
    }

    private final java.nio.file.Path work;
    private final List<Process> firmware = new ArrayList<>();
    private final Map<Path, BlockingQueue<Message>> exchanges = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final CountDownLatch attached;
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    private final Thread hook = new Thread(this::close, "serial-bench-cleanup");
    private LineSimulator sim;
    private PtyPair pair;
    private LineRunner runner;
    private boolean closed;
    final int baud;
    final int frame;

    private SerialBenchRig(int stations, int baud, int frame) throws IOException {
        this.work = Files.createTempDirectory("ferry-bench");
        this.attached = new CountDownLatch(stations);
        this.baud = baud;
        this.frame = frame;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts everything and waits (at most {@code attachSeconds}) until every station is ATTACHED. */
    static SerialBenchRig start(Mode mode, int stations, int baud, int frame, int window, int attachSeconds)
            throws IOException, InterruptedException {
        return start(mode, stations, baud, frame, window, 0, attachSeconds);
    }

    /** As above, with the bus's idle-poll gap (0 = poll back to back, the default). */
    static SerialBenchRig start(Mode mode, int stations, int baud, int frame, int window, int idlePollMs,
                                int attachSeconds) throws IOException, InterruptedException {
        return start(mode, stations, baud, frame, window, idlePollMs, 0, attachSeconds);
    }

    /** As above, with a fixed response timeout T1 in ms (0 = computed from baud and frame size). */
    static SerialBenchRig start(Mode mode, int stations, int baud, int frame, int window, int idlePollMs,
                                int t1OverrideMs, int attachSeconds) throws IOException, InterruptedException {
        return start(mode, Rig.PER_STATION, stations, baud, frame, window, idlePollMs, t1OverrideMs, attachSeconds);
    }

    /** As above, with the way the stations are simulated. */
    static SerialBenchRig start(Mode mode, Rig rig, int stations, int baud, int frame, int window, int idlePollMs,
                                int t1OverrideMs, int attachSeconds) throws IOException, InterruptedException {
        if (mode == Mode.DIRECT && stations != 1) {
            throw new IllegalArgumentException("a direct pty pair carries one station");
        }
        SerialBenchRig r = new SerialBenchRig(stations, baud, frame);
        try {
            r.open(mode, rig, stations, window, idlePollMs, t1OverrideMs, attachSeconds);
            return r;
        } catch (IOException | InterruptedException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    private void open(Mode mode, Rig rig, int stations, int window, int idlePollMs, int t1OverrideMs,
                      int attachSeconds) throws IOException, InterruptedException {
        java.nio.file.Path hostSim = NativeTools.hostSim();
        java.nio.file.Path host = work.resolve("host");
        List<java.nio.file.Path> devs = new ArrayList<>();
        List<DeviceSpec> specs = new ArrayList<>();
        int processes = rig == Rig.SHARED ? 1 : stations;
        if (mode == Mode.SIM) {
            for (int i = 0; i < processes; i++) {
                devs.add(work.resolve("dev" + i));
            }
            sim = new LineSimulator(new LineSimulator.Config(host, devs, work, baud, 0, 0, 1, stations > 1)).start();
        } else {
            devs.add(work.resolve("dev0"));
            pair = new PtyPair(host, devs.get(0));
        }
        for (int p = 1; p <= processes; p++) {
            firmware.add(new ProcessBuilder(hostSim.toString(), "--tty", devs.get(p - 1).toString(), "--addr",
                    Integer.toString(p), "--frame", Integer.toString(frame), "--window", Integer.toString(window),
                    "--stations", Integer.toString(stations / processes))
                    .redirectErrorStream(true).redirectOutput(work.resolve("fw" + p + ".log").toFile()).start());
        }
        for (int a = 1; a <= stations; a++) {
            specs.add(DeviceSpec.of(name(a), a));
        }
        // -Dferry.bench.protocol=1 runs a bench on RP/serial version 1 (default: the latest, 2)
        LineSpec spec = LineSpec.of(host.toString(), baud).withFrame(frame, window)
                .withProtocol(Integer.getInteger("ferry.bench.protocol", 2));
        spec = spec.withTimers(t1OverrideMs, spec.turnaroundMs(), spec.downAfter(), spec.reprobeMinMs(),
                spec.reprobeMaxMs(), idlePollMs);
        runner = new LineRunner(spec, specs, this);
        runner.start();
        if (!attached.await(attachSeconds, TimeUnit.SECONDS)) {
            throw new IOException(attached.getCount() + " of " + stations + " stations not ATTACHED after "
                    + attachSeconds + " s");
        }
    }

    static String name(int address) {
        return "mcu" + address;
    }

    /** The RP/serial major version the first station's link negotiated (1 or 2). */
    int version() {
        return runner.sessions().get(0).negotiated().map(p -> p.major()).orElse(1);
    }

    LineRunner runner() {
        return runner;
    }

    LineSimulator simulator() {
        return sim;
    }

    /** Sends {@code verb to} (body as JSON text if non-null) to station {@code address}; replies go to the queue. */
    BlockingQueue<Message> send(int address, Verb verb, String to, String body) {
        Path from = Path.of("/#b/" + ids.incrementAndGet());
        Message.Builder b = Message.builder(verb, Path.of(to), from);
        if (body != null) {
            b.body(BodyType.JSON, body.getBytes(StandardCharsets.UTF_8));
        }
        BlockingQueue<Message> q = new LinkedBlockingQueue<>();
        exchanges.put(from, q);
        if (!runner.session(name(address)).orElseThrow().offer(b.build())) {
            exchanges.remove(from);
            throw new IllegalStateException("station " + address + " refused the request");
        }
        return q;
    }

    /** One request, one reply (or an exception after {@code seconds}). */
    Message call(int address, Verb verb, String to, String body, long seconds) throws InterruptedException {
        BlockingQueue<Message> q = send(address, verb, to, body);
        Message m = q.poll(seconds, TimeUnit.SECONDS);
        if (m == null) {
            throw new IllegalStateException("no reply to " + verb + " " + to + " within " + seconds + " s");
        }
        return m;
    }

    /** Forgets the exchange whose replies go to {@code from}. */
    void forget(Path from) {
        exchanges.remove(from);
    }

    /**
     * Line bytes one message takes from station to host or host to station at frame size N: the
     * I-frames of its segments (COBS, CRC, trailing 00), without leading 00s.
     */
    static int wireBytes(Message m, int address, int frameSize) {
        return wireBytes(m, address, frameSize, 1);
    }

    /**
     * As {@link #wireBytes(Message, int, int)} for RP/serial major version {@code version}; on
     * version 2 a request's {@code from} and a reply's {@code to} are exchange paths (one byte) and
     * no resource table is assumed (paths of requests written in full: an upper bound).
     */
    static int wireBytes(Message m, int address, int frameSize, int version) {
        Message wire = m;
        if (version == 2) {
            wire = m.verb().hasStatus() ? m.readdressed(BinaryHeaderCodec.exchangePath(1), m.from())
                    : m.readdressed(m.to(), BinaryHeaderCodec.exchangePath(1));
        }
        byte[] msg = (version == 2 ? new BinaryHeaderCodec() : new TextHeaderCodec()).encode(wire);
        FrameEncoder enc = new FrameEncoder(frameSize);
        int total = 0;
        for (byte[] seg : Segmenter.segments(msg, frameSize)) {
            total += enc.encode(new Frame(address, Control.i(1, 1, false).encode(), seg)).length;
        }
        return total;
    }

    /** A supervisory frame (RR with P or F) on the wire: 6 bytes. */
    static int rrWireBytes(int address) {
        return FrameEncoder.encodeFrame(new Frame(address, Control.s(Control.Supervisory.RR, 1, true).encode(),
                new byte[0])).length;
    }

    @Override
    public void onMessage(DeviceSession session, Message message) {
        BlockingQueue<Message> q = exchanges.get(message.to());
        if (q != null) {
            q.add(message);
        }
    }

    @Override
    public void onStateChange(DeviceSession session, DeviceState from, DeviceState to, String reason) {
        if (to == DeviceState.ATTACHED && seen.putIfAbsent(session.name(), true) == null) {
            attached.countDown();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (runner != null) {
            runner.stop();
        }
        for (Process p : firmware) {
            p.destroy();
        }
        for (Process p : firmware) {
            try {
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (sim != null) {
            sim.close();
        }
        if (pair != null) {
            pair.close();
        }
        try (Stream<java.nio.file.Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook
        }
    }
}
