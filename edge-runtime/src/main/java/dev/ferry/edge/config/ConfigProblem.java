package dev.ferry.edge.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration file. {@code line} and {@code column} are 1-based; 0 means
 * the position is not known (for example a file that could not be read). {@code key} is the key
 * path in the file with 0-based indexes into arrays of tables, e.g. {@code lines[1].baud}; empty
 * for problems that concern the whole file. {@code found} is the value found as written in TOML
 * (strings quoted), or {@code null} for a TOML syntax error, whose text is then in
 * {@code expected}.
 *
 * @param file     the file name given to the loader
 * @param line     1-based line, 0 if unknown
 * @param column   1-based column, 0 if unknown
 * @param key      key path, e.g. {@code devices[0].line}
 * @param found    what the file holds there, e.g. {@code "tty9"} or {@code nothing}
 * @param expected what would have been accepted
 */
public record ConfigProblem(String file, int line, int column, String key, String found, String expected) {

    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expected, "expected");
    }

    /** A TOML syntax error reported by the parser. */
    static ConfigProblem syntax(String file, int line, int column, String parserMessage) {
        return new ConfigProblem(file, line, column, "", null, parserMessage);
    }

    /** Whether this is a TOML syntax error (then {@link #expected()} holds the parser's text). */
    public boolean isSyntaxError() {
        return found == null;
    }

    /**
     * The problem as one line: {@code file:line: key: found X, expected Y}; a syntax error reads
     * {@code file:line: syntax error: <parser message>}; an unknown line is left out
     * ({@code file: key: ...}).
     */
    public String message() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (found == null) {
            return sb.append("syntax error: ").append(expected).toString();
        }
        if (!key.isEmpty()) {
            sb.append(key).append(": ");
        }
        return sb.append("found ").append(found).append(", expected ").append(expected).toString();
    }

    @Override
    public String toString() {
        return message();
    }
}
