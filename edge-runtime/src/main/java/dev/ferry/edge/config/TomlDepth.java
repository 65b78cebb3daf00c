package dev.ferry.edge.config;

/**
 * A guard run before the TOML parser: the nesting depth of arrays and inline tables, found by a
 * scan that skips strings and comments. tomlj's parser recurses once per level and a value nested
 * some thousands deep overflows its stack (a crash, not a problem line), so a file nested deeper
 * than {@link #MAX_DEPTH} is refused here with the line where the limit was passed. Pure and
 * linear in the text's length.
 */
final class TomlDepth {
    /** Deepest nesting of arrays and inline tables accepted; Ferry's own schema needs 3. */
    static final int MAX_DEPTH = 32;

    private TomlDepth() { }

    /** The 1-based line where nesting first exceeds {@link #MAX_DEPTH}, or 0 when it never does. */
    static int lineTooDeep(String text) {
        int depth = 0;
        int line = 1;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> line++;
                case '#' -> {
                    while (i + 1 < n && text.charAt(i + 1) != '\n') {
                        i++;
                    }
                }
                case '"', '\'' -> {
                    boolean multi = i + 2 < n && text.charAt(i + 1) == c && text.charAt(i + 2) == c;
                    int end = skipString(text, i, c, multi);
                    for (int k = i; k < end && k < n; k++) {
                        if (text.charAt(k) == '\n') {
                            line++;
                        }
                    }
                    i = end - 1;
                }
                case '[', '{' -> {
                    if (++depth > MAX_DEPTH) {
                        return line;
                    }
                }
                case ']', '}' -> depth = Math.max(0, depth - 1);
                default -> { }
            }
        }
        return 0;
    }

    /** The index just after the string starting at {@code start} (or the text's end if unclosed). */
    private static int skipString(String text, int start, char quote, boolean multi) {
        int n = text.length();
        int i = start + (multi ? 3 : 1);
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\\' && quote == '"') {
                i += 2;
                continue;
            }
            if (!multi && c == '\n') {
                return i;                      // unclosed one-line string: the parser reports it
            }
            if (c == quote && (!multi || (i + 2 < n && text.charAt(i + 1) == quote && text.charAt(i + 2) == quote))) {
                return i + (multi ? 3 : 1);
            }
            i++;
        }
        return n;
    }
}
