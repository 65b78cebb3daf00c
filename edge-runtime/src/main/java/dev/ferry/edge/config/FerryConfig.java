package dev.ferry.edge.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A complete, validated, immutable Ferry configuration, as returned by {@link ConfigLoader}.
 * Callers may rely on: every value in its documented range; names of lines and devices, peer ids,
 * device mounts and route prefixes unique; every device on an existing line with an address unique
 * on that line; every route target existing; paths in RP normal form.
 *
 * @param source     the file name it was loaded from
 * @param node       {@code [node]}
 * @param http       {@code [http]}
 * @param limits     {@code [limits]}
 * @param observations {@code [observations]}
 * @param logging    {@code [logging]}
 * @param lines      {@code [[lines]]}, in file order
 * @param devices    {@code [[devices]]}, in file order
 * @param routes     explicit {@code [[routes]]}, in file order (see {@link #allRoutes()})
 * @param peers      {@code [[peers]]} in file order, then the seed's peer if {@code [Tcp]} is present
 * @param rendezvous {@code [rendezvous]}
 * @param security   {@code [security]}
 * @param northbound {@code [northbound]}
 */
public record FerryConfig(String source, NodeConfig node, HttpConfig http, LimitsConfig limits,
        ObservationsConfig observations, LoggingConfig logging, List<LineConfig> lines, List<DeviceConfig> devices,
        List<RouteConfig> routes, List<PeerConfig> peers, RendezvousConfig rendezvous,
        SecurityConfig security, NorthboundConfig northbound) {

    /** Class-path resource holding the embedded default configuration. */
    public static final String DEFAULT_RESOURCE = "/ferry.default.toml";

    public FerryConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(observations, "observations");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(rendezvous, "rendezvous");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(northbound, "northbound");
        lines = List.copyOf(lines);
        devices = List.copyOf(devices);
        routes = List.copyOf(routes);
        peers = List.copyOf(peers);
    }

    /**
     * The configuration Ferry runs with when given none: one simulated line {@code sim0}, one
     * device {@code dev0} at address 1 mounted at {@code /dev0}, HTTP on 127.0.0.1:8080.
     *
     * @throws IllegalStateException if the embedded file is missing or invalid (a build error)
     */
    public static FerryConfig embeddedDefault() {
        try (InputStream in = FerryConfig.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource " + DEFAULT_RESOURCE);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return ConfigLoader.parse(text, "classpath:" + DEFAULT_RESOURCE.substring(1));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULT_RESOURCE, e);
        } catch (ConfigException e) {
            throw new IllegalStateException("embedded default config is invalid:\n" + e.getMessage(), e);
        }
    }

    /** Each device's implicit mount route (in device order), then the explicit routes. */
    public List<RouteConfig> allRoutes() {
        List<RouteConfig> out = new ArrayList<>();
        for (DeviceConfig d : devices) {
            out.add(new RouteConfig(d.mount(), new RouteTarget(RouteTarget.Kind.DEVICE, d.name()), d.mount(), ""));
        }
        out.addAll(routes);
        return List.copyOf(out);
    }

    /** The line with this name. */
    public Optional<LineConfig> line(String name) {
        return lines.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The device with this name. */
    public Optional<DeviceConfig> device(String name) {
        return devices.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** The peer with this id. */
    public Optional<PeerConfig> peer(String id) {
        return peers.stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
