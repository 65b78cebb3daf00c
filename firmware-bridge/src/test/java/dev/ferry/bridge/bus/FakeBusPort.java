package dev.ferry.bridge.bus;

import dev.ferry.rp.Decoded;
import dev.ferry.rp.Message;
import dev.ferry.serial.frame.Frame;
import dev.ferry.serial.frame.FrameDecoder;
import dev.ferry.serial.frame.FrameEncoder;
import dev.ferry.serial.link.Control;
import dev.ferry.serial.link.LinkListener;
import dev.ferry.serial.link.LinkParams;
import dev.ferry.serial.link.SecondaryStation;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An in-memory multi-drop line: what the primary writes reaches every Java
 * {@link SecondaryStation}, their answers come back at once. Reads with nothing pending advance
 * the {@link FakeClock} by the timeout. Thread-safe (one bus thread, a test thread looking on).
 */
public final class FakeBusPort implements LinePort {
    private final FakeClock clock;
    private final Map<Integer, SecondaryStation> stations = new LinkedHashMap<>();
    private final Map<Integer, List<Message>> received = new LinkedHashMap<>();
    private final Set<Integer> silent = new HashSet<>();
    private final Map<Integer, Integer> dropAnswers = new HashMap<>();
    private final FrameDecoder decoder = new FrameDecoder(2048);
    private final ArrayDeque<Byte> pending = new ArrayDeque<>();
    /** Release time of each pending byte (the clock's), in the same order. */
    private final ArrayDeque<Long> releases = new ArrayDeque<>();
    private final Map<Integer, Long> answerDelays = new HashMap<>();
    private int collisions;
    private boolean stationsHear = true;
    private final List<Frame> written = Collections.synchronizedList(new ArrayList<>());
    private volatile BiConsumer<SecondaryStation, Message> responder = (st, m) -> { };
    private volatile boolean failing;
    private volatile long nanosPerByte;
    private final java.util.concurrent.atomic.AtomicInteger closes = new java.util.concurrent.atomic.AtomicInteger();

    public FakeBusPort(FakeClock clock) {
        this.clock = clock;
    }

    /** Adds a Java secondary at {@code address} offering N and k. */
    public synchronized SecondaryStation addStation(int address, int frameSize, int window) {
        received.put(address, Collections.synchronizedList(new ArrayList<>()));
        SecondaryStation[] self = new SecondaryStation[1];
        self[0] = new SecondaryStation(address, LinkParams.of(frameSize, window), 64, 16384, new LinkListener() {
            @Override
            public void onMessage(int a, Message m) {
                received.get(a).add(m);
                responder.accept(self[0], m);
            }
        });
        stations.put(address, self[0]);
        return self[0];
    }

    /** The secondary at {@code address}. */
    public synchronized SecondaryStation stationAt(int address) {
        return stations.get(address);
    }

    /** Called with every message a secondary receives (on the bus thread); may offer answers. */
    public void respondWith(BiConsumer<SecondaryStation, Message> r) {
        this.responder = r;
    }

    public synchronized void setSilent(int address, boolean quiet) {
        if (quiet) {
            silent.add(address);
        } else {
            silent.remove(address);
        }
    }

    /** The next {@code n} frames the station at {@code address} answers with are lost on the line. */
    public synchronized void dropAnswerFrames(int address, int n) {
        dropAnswers.put(address, n);
    }

    /**
     * The station at {@code address} starts each answer {@code nanos} late (a loaded MCU); what
     * other stations answer after hearing it comes later with it.
     */
    public synchronized void delayAnswers(int address, long nanos) {
        answerDelays.put(address, nanos);
    }

    /**
     * False: a station hears only the primary, never another station (a four-wire bus); a UP
     * chain then breaks after its first station.
     */
    public synchronized void stationsHearEachOther(boolean hear) {
        stationsHear = hear;
    }

    /** Writes of the primary while a station was still answering (answer bytes not yet on the line). */
    public synchronized int collisions() {
        return collisions;
    }

    /** Each byte written or answered takes this long on the (fake) wire; 0 = instant. */
    public void setNanosPerByte(long n) {
        nanosPerByte = n;
    }

    /** From now on every read and write fails, as an unplugged tty does. */
    public void fail(boolean f) {
        failing = f;
    }

    public List<Message> receivedBy(int address) {
        return received.get(address);
    }

    /** Every frame the primary wrote, in order. */
    public List<Frame> written() {
        synchronized (written) {
            return List.copyOf(written);
        }
    }

    /** Address of each transmission's final (P = 1) frame: the order of turns. */
    public List<Integer> turnOrder() {
        List<Integer> order = new ArrayList<>();
        for (Frame f : written()) {
            if ((f.control() & 0x10) != 0 && f.address() != 0xFF) {
                order.add(f.address());
            }
        }
        return order;
    }

    /**
     * The stations each transmission polled, in order: one address for a frame with P = 1 to a
     * station, the list of a UP (PROTOCOL.md 3.8) in its order.
     */
    public List<List<Integer>> pollOrder() {
        List<List<Integer>> order = new ArrayList<>();
        for (Frame f : written()) {
            if ((f.control() & 0x10) == 0) {
                continue;
            }
            if (f.address() != 0xFF) {
                order.add(List.of(f.address()));
            } else if (Control.decode(f.control()).is(Control.Unnumbered.UP)) {
                List<Integer> list = new ArrayList<>();
                for (byte b : f.info()) {
                    list.add(b & 0xFF);
                }
                order.add(list);
            }
        }
        return order;
    }

    /** Puts raw bytes on the line toward the primary (noise, or frames). */
    public synchronized void inject(byte[] bytes) {
        inject(bytes, clock.nanoTime());
    }

    private void inject(byte[] bytes, long releaseAt) {
        for (byte b : bytes) {
            pending.addLast(b);
            releases.addLast(releaseAt);
        }
    }

    @Override
    public synchronized int read(byte[] buf, int off, int len, int timeoutMs) throws IOException {
        if (failing) {
            throw new IOException("fake line unplugged");
        }
        long now = clock.nanoTime();
        if (pending.isEmpty() || releases.peekFirst() - now > 0) {
            long wait = timeoutMs * 1_000_000L;
            if (!pending.isEmpty()) {
                wait = Math.min(wait, releases.peekFirst() - now);
            }
            clock.park(wait);
            if (pending.isEmpty() || releases.peekFirst() - clock.nanoTime() > 0) {
                return 0;
            }
        }
        int n = 0;
        while (n < len && !pending.isEmpty() && releases.peekFirst() - clock.nanoTime() <= 0) {
            buf[off + n++] = pending.pollFirst();
            releases.pollFirst();
        }
        return n;
    }

    @Override
    public synchronized void write(byte[] data, int off, int len) throws IOException {
        if (failing) {
            throw new IOException("fake line unplugged");
        }
        if (!releases.isEmpty() && releases.peekLast() - clock.nanoTime() > 0) {
            collisions++;
        }
        clock.advance(len * nanosPerByte);
        long releaseAt = clock.nanoTime();
        List<Frame> frames = new ArrayList<>();
        for (Decoded<Frame> d : decoder.feed(java.util.Arrays.copyOfRange(data, off, off + len))) {
            if (d.isOk()) {
                frames.add(d.value());
            }
        }
        // every frame on the line reaches every station but its sender, as on RS-485: the
        // primary's, and the stations' answers (which a UP's next station waits for)
        ArrayDeque<Frame> line = new ArrayDeque<>(frames);
        ArrayDeque<Integer> senders = new ArrayDeque<>();
        frames.forEach(f -> senders.add(-1));
        while (!line.isEmpty()) {
            Frame f = line.pollFirst();
            int sender = senders.pollFirst();
            if (sender < 0) {
                written.add(f);
            }
            for (SecondaryStation st : stations.values()) {
                if (silent.contains(st.address()) || st.address() == sender || (sender >= 0 && !stationsHear)) {
                    continue;
                }
                for (Frame r : st.receive(f)) {
                    int drop = dropAnswers.getOrDefault(st.address(), 0);
                    if (drop > 0) {
                        dropAnswers.put(st.address(), drop - 1);
                        continue;
                    }
                    byte[] bytes = FrameEncoder.encodeFrame(r);
                    long delay = answerDelays.getOrDefault(st.address(), 0L);
                    if (delay > 0) {
                        releaseAt = Math.max(releaseAt, clock.nanoTime()) + delay;
                        inject(bytes, releaseAt);
                    } else {
                        clock.advance(bytes.length * nanosPerByte);
                        inject(bytes, releaseAt);
                    }
                    line.addLast(r);
                    senders.addLast(st.address());
                }
            }
        }
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }

    /** Times {@link #close()} was called. */
    public int closes() {
        return closes.get();
    }
}
