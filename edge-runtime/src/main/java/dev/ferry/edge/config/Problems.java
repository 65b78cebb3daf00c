package dev.ferry.edge.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/** Collects the problems of one file while it is read; renders values as TOML writes them. */
final class Problems {
    private final String file;
    private final List<ConfigProblem> list = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    void add(TomlPosition where, String key, String found, String expected) {
        int line = where == null ? 0 : where.line();
        int column = where == null ? 0 : where.column();
        list.add(new ConfigProblem(file, line, column, key, found, expected));
    }

    void syntax(TomlPosition where, String message) {
        list.add(ConfigProblem.syntax(file, where == null ? 0 : where.line(),
                where == null ? 0 : where.column(), message));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    /** The problems in file order; those without a line last. Stable for equal lines. */
    List<ConfigProblem> sorted() {
        List<ConfigProblem> out = new ArrayList<>(list);
        out.sort(Comparator.comparingInt((ConfigProblem p) -> p.line() == 0 ? Integer.MAX_VALUE : p.line()));
        return out;
    }

    /** A value as written in TOML: strings quoted, tables and arrays described. */
    static String render(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String s) {
            String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
            return "\"" + org.tomlj.Toml.tomlEscape(shown) + "\"";
        }
        if (value instanceof TomlTable) {
            return "a table";
        }
        if (value instanceof TomlArray a) {
            return a.size() == 0 ? "an empty array" : "an array";
        }
        return value.toString();
    }
}
