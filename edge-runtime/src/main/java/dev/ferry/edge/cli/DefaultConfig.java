package dev.ferry.edge.cli;

import dev.ferry.edge.config.ConfigException;
import dev.ferry.edge.config.ConfigLoader;
import dev.ferry.edge.config.ConfigProblem;
import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.config.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded default configuration, with the HTTP address {@code ferry --listen ADDR} gives.
 * ADDR is judged by the config loader itself, as {@code [http] listen = "ADDR"}, so the flag takes
 * exactly what the file would, and a bad value is reported with the file's words
 * ({@code ferry: --listen: found "x", expected host:port ...}).
 */
final class DefaultConfig {
    /** The one {@code listen = "..."} line of the embedded default (its [http] section). */
    private static final Pattern LISTEN_LINE = Pattern.compile("(?m)^listen = \"[^\"]*\"$");

    private DefaultConfig() { }

    /**
     * The embedded default; with {@code listen} non-null, listening there instead.
     *
     * @throws ConfigException one problem, keyed {@code --listen}, if {@code listen} is not an
     *                         address {@code [http] listen} accepts
     */
    static FerryConfig load(String listen) throws ConfigException {
        if (listen == null) {
            return FerryConfig.embeddedDefault();
        }
        HostPort at = validated(listen);
        String text = resourceText();
        Matcher m = LISTEN_LINE.matcher(text);
        if (!m.find() || m.find(m.end())) {
            throw new IllegalStateException(FerryConfig.DEFAULT_RESOURCE + " must have exactly one listen line");
        }
        // at.toString() is canonical: a checked host (letters, digits, '.', '-', ':', '%', '_')
        // and a port, so it goes into a TOML string as it is.
        String withListen = LISTEN_LINE.matcher(text).replaceFirst(Matcher.quoteReplacement("listen = \"" + at + "\""));
        return ConfigLoader.parse(withListen, "classpath:" + FerryConfig.DEFAULT_RESOURCE.substring(1) + " with --listen " + at);
    }

    private static HostPort validated(String listen) throws ConfigException {
        try {
            return ConfigLoader.parse("[http]\nlisten = " + tomlString(listen) + "\n", "--listen").http().listen();
        } catch (ConfigException e) {
            ConfigProblem p = e.problems().get(0);
            throw new ConfigException(List.of(new ConfigProblem("ferry", 0, 0, "--listen", p.found(), p.expected())));
        }
    }

    /** {@code s} as a TOML basic string: quotes, backslashes and control characters escaped. */
    static String tomlString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static String resourceText() {
        try (InputStream in = FerryConfig.class.getResourceAsStream(FerryConfig.DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource " + FerryConfig.DEFAULT_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + FerryConfig.DEFAULT_RESOURCE, e);
        }
    }
}
