package dev.ferry.edge.serial;

import dev.ferry.bridge.device.DeviceListener;
import dev.ferry.bridge.device.DeviceSession;
import dev.ferry.bridge.device.DeviceSpec;
import dev.ferry.bridge.device.DeviceState;
import dev.ferry.bridge.device.LineRunner;
import dev.ferry.bridge.device.LineSpec;
import dev.ferry.bridge.device.SessionConfig;
import dev.ferry.bridge.line.KernelRs485;
import dev.ferry.bridge.line.TransmitGate;
import dev.ferry.edge.config.DeviceConfig;
import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.config.LineConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.sim.SimulatedMcu;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.tinylog.Logger;

/**
 * The serial half of a running Ferry: one {@link LineRunner} (bus master thread + delivery
 * thread) per configured line, one {@link DeviceEndpoint} per device attached to the router, and
 * for {@code simulate = true} lines the host-sim firmware started on a pty of its own and restarted
 * whenever it dies ({@link SimulatedMcu}).
 *
 * <p>Messages from an MCU enter the router from the device's endpoint; a device that is lost or
 * detached ends its exchanges ({@link Router#endpointDown}); every state change is logged and
 * announced to {@link Lifecycle} listeners (runtime resources, rendezvous presence).
 */
public final class SerialLines implements AutoCloseable {
    /** Device lifecycle, for the runtime resources and presence announcements. */
    public interface Lifecycle {
        void changed(DeviceSession session, DeviceState from, DeviceState to, String reason);
    }

    private final List<LineRunner> runners = new ArrayList<>();
    private final Map<LineRunner, String> names = new java.util.IdentityHashMap<>();
    private final List<SimulatedMcu> simulators = new ArrayList<>();
    private final Map<String, DeviceEndpoint> endpoints = new HashMap<>();
    private final List<Lifecycle> lifecycle = new CopyOnWriteArrayList<>();
    private final Router router;
    private final Metrics metrics;

    private SerialLines(Router router, Metrics metrics) {
        this.router = router;
        this.metrics = metrics;
    }

    /**
     * Builds every line of {@code cfg}, attaches its devices to {@code router} and starts polling.
     *
     * @throws IOException when a simulated MCU cannot be started or a profile is unknown; what was
     *     started is stopped again
     */
    public static SerialLines start(FerryConfig cfg, Router router, java.nio.file.Path boards,
                                    List<Lifecycle> listeners) throws IOException {
        return start(cfg, router, new Metrics(), boards, listeners);
    }

    /** As above, counting in {@code metrics} (requests refused as too large for a device). */
    public static SerialLines start(FerryConfig cfg, Router router, Metrics metrics, java.nio.file.Path boards,
                                    List<Lifecycle> listeners) throws IOException {
        SerialLines s = new SerialLines(router, metrics);
        s.lifecycle.addAll(listeners);
        try {
            for (LineConfig line : cfg.lines()) {
                s.startLine(cfg, line, boards);
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void startLine(FerryConfig cfg, LineConfig line, java.nio.file.Path boards) throws IOException {
        List<DeviceConfig> devices = cfg.devices().stream().filter(d -> d.line().equals(line.name())).toList();
        String port = port(line, devices, boards);
        LineSpec spec = new LineSpec(port, line.baud(), line.frameSize(), line.window(), gate(line),
                line.responseTimeoutMs(), 15, line.downAfter(), 100, Math.max(100, line.reprobeMaxMs()),
                line.idlePollMs(), line.idlePollMaxMs(), line.protocol());
        List<DeviceSpec> specs = new ArrayList<>();
        SessionConfig session = SessionConfig.DEFAULT.withCapacities(cfg.limits().deviceQueue(),
                cfg.limits().deviceQueue());
        if (line.resetPin().isPresent() && devices.size() != 1) {
            throw new IOException("line " + line.name() + ": reset_pin resets one MCU after repeated link"
                    + " failures, but the line has " + devices.size() + " devices (give each its own line"
                    + " or remove reset_pin)");
        }
        for (DeviceConfig d : devices) {
            DeviceSpec ds = DeviceSpec.of(d.name(), d.address()).withSession(session);
            specs.add(line.resetPin().isPresent() ? ds.withResetPin(line.resetPin().getAsInt()) : ds);
        }
        LineRunner runner = new LineRunner(spec, specs, new Listener(),
                line.resetPin().isPresent() ? GpioGate.context() : null);
        for (DeviceSession session2 : runner.sessions()) {
            DeviceConfig d = cfg.device(session2.name()).orElseThrow();
            DeviceEndpoint ep = new DeviceEndpoint(session2, Path.of(d.mount()), router, metrics,
                    profileLimit(line.simulate() ? Optional.of("host-sim") : d.mcuProfile(), boards));
            endpoints.put(session2.name(), ep);
            router.attach(ep);
        }
        runners.add(runner);
        names.put(runner, line.name());
        runner.start();
        Logger.info("line {} on {} at {} baud, {} device(s)", line.name(), port, line.baud(), devices.size());
    }

    /** The board profile's largest message, 0 without a profile (the MCU may still say it in /info). */
    private static int profileLimit(Optional<String> profile, java.nio.file.Path boards) throws IOException {
        return profile.isEmpty() ? 0 : new Profiles(boards.resolve("profiles")).mcuMaxMessage(profile.get()).orElse(0);
    }

    /** The configured name ({@code [[lines]] name}) of a line this started. */
    public String name(LineRunner runner) {
        return names.getOrDefault(runner, runner.spec().port());
    }

    private String port(LineConfig line, List<DeviceConfig> devices, java.nio.file.Path boards) throws IOException {
        if (line.simulate()) {
            if (devices.size() != 1) {
                throw new IOException("simulated line " + line.name() + " needs exactly one device (has "
                        + devices.size() + ")");
            }
            DeviceConfig d = devices.get(0);
            SimulatedMcu fw = SimulatedMcu.start(boards, d.name(), d.address(), line.frameSize(), line.window());
            simulators.add(fw);
            return fw.linkPath().toString();
        }
        if (line.port().isPresent()) {
            return line.port().get();
        }
        return new Profiles(boards.resolve("profiles")).hostPort(line.hostProfile().orElseThrow());
    }

    private static TransmitGate gate(LineConfig line) throws IOException {
        switch (line.rs485()) {
            case KERNEL:
                return new KernelRs485(true, 0, 0);
            case GPIO:
                return GpioGate.create(line.rs485Pin().orElseThrow());
            case NONE:
            default:
                return TransmitGate.NONE;
        }
    }

    /** Routes MCU messages and lifecycle events; runs on each line's delivery thread. */
    private final class Listener implements DeviceListener {
        @Override
        public void onMessage(DeviceSession session, Message message) {
            DeviceEndpoint ep = endpoints.get(session.name());
            if (ep != null) {
                router.send(ep, message);
            }
        }

        @Override
        public void onStateChange(DeviceSession session, DeviceState from, DeviceState to, String reason) {
            Logger.debug("device {} (station {}): {} -> {}{}", session.name(), session.address(), from, to,
                    reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
            if (to == DeviceState.LOST || to == DeviceState.DETACHED) {
                router.endpointDown("device:" + session.name(), reason);
            }
            for (Lifecycle l : lifecycle) {
                l.changed(session, from, to, reason);
            }
        }
    }

    public List<LineRunner> runners() {
        return List.copyOf(runners);
    }

    /** The simulated MCUs ({@code simulate = true} lines), each supervised and restarted when it dies. */
    public List<SimulatedMcu> simulators() {
        return List.copyOf(simulators);
    }

    @Override
    public void close() {
        for (LineRunner r : runners) {
            try {
                r.close();
            } catch (RuntimeException e) {
                Logger.warn(e, "stopping line {} failed", r.spec().port());
            }
        }
        simulators.forEach(SimulatedMcu::close);
    }
}
