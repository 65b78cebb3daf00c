package dev.ferry.edge.cli;

import dev.ferry.edge.config.LoggingConfig;
import java.util.Locale;
import org.tinylog.configuration.Configuration;

/**
 * Configures tinylog from the {@code [logging]} section before the first log line: console output
 * in a journald-friendly form (no timestamp, journald adds its own) or plain with timestamps.
 */
final class Logging {
    private Logging() { }

    /** Flushes and stops the logging writer; the last call of the process. */
    static void shutdown() {
        try {
            org.tinylog.provider.ProviderRegistry.getLoggingProvider().shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void configure(LoggingConfig cfg) {
        if (Configuration.isFrozen()) {
            return;
        }
        Configuration.set("writer", "console");
        Configuration.set("writer.stream", "err");
        Configuration.set("writer.level", cfg.level().name().toLowerCase(Locale.ROOT));
        Configuration.set("writer.format", cfg.format() == LoggingConfig.Format.JOURNAL
                ? "{level}: [{thread}] {class-name}: {message}"
                : "{date: yyyy-MM-dd HH:mm:ss.SSS} {level} [{thread}] {class-name}: {message}");
        Configuration.set("level@com.pi4j", "warn");
        Configuration.set("level@io.netty", "info");
        Configuration.set("writingthread", "true");
        // Ferry's own shutdown hook logs the final counters, then shuts tinylog down itself.
        Configuration.set("autoshutdown", "false");
    }
}
