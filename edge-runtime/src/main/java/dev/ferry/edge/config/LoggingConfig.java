package dev.ferry.edge.config;

import java.util.Objects;

/**
 * {@code [logging]}.
 *
 * @param level  lowest level written (default info)
 * @param format {@code journal} (no timestamps, for systemd) or {@code plain} (default journal)
 */
public record LoggingConfig(Level level, Format format) {
    /** Log levels, written in lower case in the file. */
    public enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    /** Output formats, written in lower case in the file. */
    public enum Format { JOURNAL, PLAIN }

    public LoggingConfig {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(format, "format");
    }
}
