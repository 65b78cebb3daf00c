package dev.ferry.bridge.device;

import dev.ferry.bridge.bus.LinkStats;
import dev.ferry.bridge.bus.StationClient;
import dev.ferry.rp.DecodeError;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import dev.ferry.serial.link.LinkParams;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * One MCU on a bus: its lifecycle ({@link DeviceState}), its identity, and two bounded queues
 * between the bus thread and the rest of Ferry.
 *
 * <p>On every link-up the session sends {@code GET /info} from {@value #IDENTIFY} and consumes
 * the reply itself; the identity is compared with the previous one and the change to
 * {@link DeviceState#ATTACHED} says "same device restored" or "different device at this
 * address". After {@link SessionConfig#resetAfter()} consecutive failed set-ups the optional
 * {@link ResetPin} is pulsed (on the bus thread, which it holds for the pulse length, 100 ms).
 *
 * <p>Callers may rely on: {@link #offer} never blocks and returns false (counted by reason) when
 * the device is not linked or its queue is full — the caller turns that into an RP ERROR;
 * accepted messages reach the MCU in order, at least once; messages from the MCU reach the
 * {@link DeviceListener} in order on the delivery thread; every state change is reported.
 * Thread-safe.
 */
public final class DeviceSession {
    /** The session's own request path for {@code GET /info}. */
    public static final String IDENTIFY = "/#ferry/identify";
    static final Path IDENTIFY_PATH = Path.of(IDENTIFY);
    static final Path INFO_PATH = Path.of("/info");
    /** The session's own request path for {@code GET /}: a version 2 link learns the resource table. */
    static final Path RESOURCES_PATH = Path.of("/#ferry/resources");

    private final String name;
    private final int address;
    private final SessionConfig config;
    private final Optional<ResetPin> resetPin;
    private final BlockingQueue<Message> outbound;
    private final Inbox inbox;
    private final DeviceCounters counters = new DeviceCounters();
    private final BusSide busSide = new BusSide();
    private volatile Runnable wakeBus = () -> { };
    private volatile Runnable wakeDelivery = () -> { };
    private volatile Supplier<LinkStats> linkStats = () -> LinkStats.ZERO;

    private volatile DeviceState state = DeviceState.DETACHED;
    private volatile DeviceIdentity identity;
    private volatile LinkParams negotiated;
    private volatile List<Path> resources = List.of();

    public DeviceSession(String name, int address, SessionConfig config, Optional<ResetPin> resetPin) {
        if (address < 1 || address > 254) {
            throw new IllegalArgumentException("device address must be 1..254: " + address);
        }
        this.name = name;
        this.address = address;
        this.config = config;
        this.resetPin = resetPin;
        this.outbound = new ArrayBlockingQueue<>(config.outboundCapacity());
        this.inbox = new Inbox(config.inboundCapacity());
    }

    /** Wires the session to its line (done by {@link LineRunner}). */
    void wire(Runnable wakeBus, Runnable wakeDelivery, Supplier<LinkStats> linkStats) {
        this.wakeBus = wakeBus;
        this.wakeDelivery = wakeDelivery;
        this.linkStats = linkStats;
    }

    /** The station's resource table as learned on a version 2 link (empty otherwise, or not yet). */
    public List<Path> resourceTable() {
        return resources;
    }

    /** Messages from the MCU this session can hold before the bus answers RNR. */
    public int inboundCapacity() {
        return config.inboundCapacity();
    }

    public String name() {
        return name;
    }

    public int address() {
        return address;
    }

    public DeviceState state() {
        return state;
    }

    /** What {@code /info} said at the last attach; empty before the first. */
    public Optional<DeviceIdentity> identity() {
        return Optional.ofNullable(identity);
    }

    /** Negotiated link parameters while the link is up. */
    public Optional<LinkParams> negotiated() {
        DeviceState s = state;
        return s == DeviceState.IDENTIFYING || s == DeviceState.ATTACHED ? Optional.ofNullable(negotiated) : Optional.empty();
    }

    public DeviceCounters counters() {
        return counters;
    }

    /** True while messages can be offered (IDENTIFYING or ATTACHED). */
    public boolean live() {
        DeviceState s = state;
        return s == DeviceState.ATTACHED || s == DeviceState.IDENTIFYING;
    }

    /**
     * Queues a message toward the MCU. Never blocks.
     *
     * @return false if the device is not linked or the outbound queue is full (counted)
     */
    public boolean offer(Message m) {
        if (!live()) {
            counters.drop(DeviceCounters.Drop.NOT_ATTACHED);
            return false;
        }
        if (!outbound.offer(m)) {
            counters.drop(DeviceCounters.Drop.OUTBOUND_FULL);
            return false;
        }
        counters.messagesOut.incrementAndGet();
        wakeBus.run();
        return true;
    }

    /** The device now. */
    public DeviceSnapshot snapshot() {
        Optional<LinkParams> p = negotiated();
        return new DeviceSnapshot(name, address, state, identity(), p.map(LinkParams::frameSize).orElse(0),
                p.map(LinkParams::window).orElse(0), counters.messagesIn(), counters.messagesOut(), outbound.size(),
                inbox.messages(), counters.dropSnapshot(), counters.linkResets(), counters.mcuResets(), linkStats.get());
    }

    /** The bus's view of this session. */
    StationClient busSide() {
        return busSide;
    }

    Inbox inbox() {
        return inbox;
    }

    /** The line stopped: DETACHED. */
    void detach(String reason) {
        transition(DeviceState.DETACHED, reason);
    }

    private void transition(DeviceState to, String reason) {
        DeviceState from;
        synchronized (this) {
            from = state;
            if (from == to) {
                return;
            }
            state = to;
        }
        Logger.info("device {} (addr {}): {} -> {} ({})", name, address, from, to, reason);
        if (!inbox.addChange(new Inbox.Changed(from, to, reason))) {
            Logger.warn("device {}: listener far behind, state change {} -> {} not queued", name, from, to);
        }
        wakeDelivery.run();
    }

    /** Everything the bus thread calls. */
    private final class BusSide implements StationClient {
        private Message identifyRequest;
        private Message resourcesRequest;
        private int identifyAttempts;
        private long identifySentAt;
        private int failedSetups;

        @Override
        public void onSetupAttempt(long now) {
            DeviceState s = state;
            if (s == DeviceState.DETACHED || s == DeviceState.LOST) {
                transition(DeviceState.LINKING, "setting up the link");
            }
        }

        @Override
        public void onLinkUp(LinkParams p, long now) {
            negotiated = p;
            resources = List.of();
            resourcesRequest = null;
            failedSetups = 0;
            identifyAttempts = 0;
            transition(DeviceState.IDENTIFYING, "link up N=" + p.frameSize() + " k=" + p.window());
            askIdentity(now);
        }

        private void askIdentity(long now) {
            identifyRequest = Message.builder(Verb.GET, INFO_PATH, IDENTIFY_PATH).build();
            identifyAttempts++;
            identifySentAt = now;
        }

        @Override
        public void onLinkDown(String reason, long now) {
            identifyRequest = null;
            resourcesRequest = null;
            resources = List.of();
            DeviceState s = state;
            if (s == DeviceState.IDENTIFYING || s == DeviceState.ATTACHED) {
                counters.linkResets.incrementAndGet();
                transition(DeviceState.LOST, reason);
            }
        }

        @Override
        public void onMessage(Message m, long now) {
            if (m.to().equals(IDENTIFY_PATH)) {
                onIdentifyReply(m);
                return;
            }
            if (m.to().equals(RESOURCES_PATH)) {
                resources = m.verb() == Verb.REP ? ResourceTable.parse(m.body()) : List.of();
                Logger.debug("device {}: resource table of {} paths", name, resources.size());
                return;
            }
            if (inbox.addMessage(m)) {
                counters.messagesIn.incrementAndGet();
                wakeDelivery.run();
            } else {
                counters.drop(DeviceCounters.Drop.INBOUND_FULL);
                Logger.warn("device {}: inbound queue full, dropped {} {}", name, m.verb(), m.to());
            }
        }

        private void onIdentifyReply(Message m) {
            if (state != DeviceState.IDENTIFYING) {
                counters.drop(DeviceCounters.Drop.STRAY_IDENTIFY);
                return;
            }
            if (m.verb() == Verb.REP) {
                Optional<DeviceIdentity> id = DeviceIdentity.parse(m.body());
                attach(id.orElse(DeviceIdentity.UNKNOWN), id.isPresent() ? null : "unreadable /info reply");
            } else {
                attach(DeviceIdentity.UNKNOWN, "/info answered " + m.verb() + " S" + m.status());
            }
        }

        private void attach(DeviceIdentity now, String failure) {
            DeviceIdentity before = identity;
            String reason;
            if (failure != null) {
                reason = "attached without identity: " + failure;
            } else if (before == null || !before.known()) {
                reason = "first attach: " + now;
            } else if (before.sameDeviceAs(now)) {
                reason = "same device restored: " + now;
            } else {
                reason = "different device at this address: was " + before + ", now " + now;
            }
            if (failure == null || before == null) {
                identity = now;
            }
            counters.attaches.incrementAndGet();
            LinkParams p = negotiated;
            if (p != null && p.major() == 2) {
                resourcesRequest = Message.builder(Verb.GET, Path.ROOT, RESOURCES_PATH).build();
            }
            transition(DeviceState.ATTACHED, reason);
        }

        @Override
        public void onDecodeError(DecodeError error) {
            counters.drop(DeviceCounters.Drop.DECODE_ERROR);
        }

        @Override
        public void afterTurn(boolean setupAttempt, boolean linkUp, long now) {
            if (setupAttempt && !linkUp) {
                counters.failedSetups.incrementAndGet();
                if (++failedSetups >= config.resetAfter() && resetPin.isPresent()) {
                    failedSetups = 0;
                    counters.mcuResets.incrementAndGet();
                    resetPin.get().pulse();
                }
            }
            if (state == DeviceState.IDENTIFYING && identifyRequest == null
                    && now - identifySentAt >= config.identifyTimeoutNanos()) {
                if (identifyAttempts < config.identifyAttempts()) {
                    askIdentity(now);
                } else {
                    attach(DeviceIdentity.UNKNOWN, "no /info reply after " + identifyAttempts + " attempts");
                }
            }
        }

        @Override
        public Message pollOutbound() {
            Message m = identifyRequest;
            if (m != null) {
                identifyRequest = null;
                return m;
            }
            m = resourcesRequest;
            if (m != null) {
                resourcesRequest = null;
                return m;
            }
            return outbound.poll();
        }

        @Override
        public boolean hasOutbound() {
            return identifyRequest != null || resourcesRequest != null || !outbound.isEmpty();
        }

        @Override
        public List<Path> resourceTable() {
            return resources;
        }

        @Override
        public boolean inboundBusy(int window) {
            return inbox.room() < window;
        }
    }
}
