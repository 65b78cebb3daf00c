package dev.ferry.edge.cli;

import dev.ferry.edge.config.IoReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import org.tinylog.Logger;

/**
 * A start-up that failed, told to the user: the chain of reasons in one line
 * ({@code cannot bind 127.0.0.1:8080: Address already in use}). What a user can cause and mend (an
 * address in use, a file missing or unreadable, a bad key file) gets no stack trace unless the
 * log level is debug; anything else is a bug and is logged with its stack trace.
 */
final class StartFailure {
    private static final int MAX_CAUSES = 5;

    private StartFailure() { }

    /** The messages of {@code e} and its causes, joined by ": ", without wrappers' repetitions. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (Throwable t = e; t != null && n < MAX_CAUSES; t = t.getCause(), n++) {
            String m = t instanceof FileSystemException f && f.getFile() != null ? f.getFile() + ": " + IoReason.of(f)
                    : t instanceof IOException io ? IoReason.of(io) : t.getMessage();
            if (m == null || m.isBlank()) {
                m = t.getClass().getSimpleName();
            }
            Throwable cause = t.getCause();
            if (cause != null && m.equals(cause.toString())) {
                continue;                          // new Wrapper(cause): its message is the cause's toString()
            }
            if (sb.indexOf(m) >= 0) {
                continue;                          // already said by the wrapper
            }
            sb.append(sb.length() == 0 ? "" : ": ").append(m);
        }
        return sb.toString();
    }

    /** Logs {@code e}: with its stack trace if it is not a user's mistake, else at debug level. */
    static void log(Throwable e) {
        if (userMistake(e)) {
            Logger.debug(e, "start-up failed");
        } else {
            Logger.error(e, "start-up failed");
        }
    }

    private static boolean userMistake(Throwable e) {
        return e instanceof IOException || e instanceof UncheckedIOException || e instanceof IllegalArgumentException;
    }
}
