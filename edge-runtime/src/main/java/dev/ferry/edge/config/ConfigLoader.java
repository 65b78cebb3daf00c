package dev.ferry.edge.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;

/**
 * Loads a Ferry TOML configuration and validates all of it: either a {@link FerryConfig} comes
 * back, or one {@link ConfigException} carrying every problem found (syntax, unknown keys, types,
 * ranges, cross-references). TOML syntax errors stop the reading there: only they are reported,
 * because the rest of the tree is incomplete. Stateless and thread-safe.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /**
     * Reads and validates {@code file} (UTF-8). Problems name the file as {@code file.toString()}.
     *
     * @throws ConfigException if the file cannot be read or is not a valid configuration
     */
    public static FerryConfig load(Path file) throws ConfigException {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw single(name, "bytes that are not UTF-8", "a UTF-8 TOML file");
        } catch (NoSuchFileException e) {
            throw single(name, "no such file", "a readable TOML file");
        } catch (IOException e) {
            throw single(name, Files.isDirectory(file) ? "a directory" : "an unreadable file (" + IoReason.of(e) + ")",
                    "a readable TOML file");
        }
        return parse(text, name);
    }

    /**
     * Validates TOML {@code text}; {@code sourceName} is used as the file name in problems.
     *
     * @throws ConfigException if the text is not a valid configuration
     */
    public static FerryConfig parse(String text, String sourceName) throws ConfigException {
        Problems problems = new Problems(sourceName);
        int tooDeep = TomlDepth.lineTooDeep(text);
        if (tooDeep > 0) {
            throw new ConfigException(List.of(new ConfigProblem(sourceName, tooDeep, 0, "",
                    "values nested deeper than " + TomlDepth.MAX_DEPTH + " levels",
                    "arrays and inline tables nested at most " + TomlDepth.MAX_DEPTH + " deep")));
        }
        TomlParseResult toml = Toml.parse(text);
        if (!toml.errors().isEmpty()) {
            for (TomlParseError e : toml.errors()) {
                problems.syntax(e.position(), e.getMessage());
            }
            throw new ConfigException(problems.sorted());
        }
        TableReader root = new TableReader(problems, toml, "", null, ConfigSchema.ROOT);
        NodeConfig node = CoreSections.node(root);
        HttpConfig http = CoreSections.http(root);
        Read<LimitsConfig> limits = CoreSections.limits(root);
        LoggingConfig logging = CoreSections.logging(root);
        List<Read<LineConfig>> lines = LineSection.read(root);
        List<Read<DeviceConfig>> devices = DeviceSection.devices(root);
        List<Read<RouteConfig>> routes = DeviceSection.routes(root);
        List<Read<PeerConfig>> peers = PeerSection.read(root);
        RendezvousConfig rendezvous = CoreSections.rendezvous(root);
        SecurityConfig security = CoreSections.security(root);
        Read<NorthboundConfig> northbound = NorthboundSection.read(root, node);
        Optional<Read<PeerConfig>> seedPeer = SeedSections.read(root);
        root.finish();
        CrossChecks.check(lines, devices, routes, peers, seedPeer);
        CrossChecks.queueHoldsWindow(limits, lines);
        List<String> prefixes = new ArrayList<>();
        devices.forEach(d -> prefixes.add(d.value().mount()));
        routes.forEach(r -> prefixes.add(r.value().prefix()));
        NorthboundSection.checkRoutes(northbound, prefixes);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.sorted());
        }
        List<PeerConfig> allPeers = new ArrayList<>(values(peers));
        seedPeer.ifPresent(p -> allPeers.add(p.value()));
        return new FerryConfig(sourceName, node, http, limits.value(), logging, values(lines), values(devices),
                values(routes), allPeers, rendezvous, security, northbound.value());
    }

    private static <T> List<T> values(List<Read<T>> reads) {
        return reads.stream().map(Read::value).toList();
    }

    private static ConfigException single(String file, String found, String expected) {
        return new ConfigException(List.of(new ConfigProblem(file, 0, 0, "", found, expected)));
    }
}
