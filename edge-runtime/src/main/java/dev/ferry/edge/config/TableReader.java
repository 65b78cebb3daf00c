package dev.ferry.edge.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads the keys of one TOML table against its list of known keys, recording a problem (with the
 * key's position) for every missing, mistyped or out-of-range value and returning the default in
 * its place, so that reading always goes on. {@link #finish()} reports the keys nobody asked for.
 */
final class TableReader {
    /** Names of lines, devices, peers and nodes. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final String NAME_EXPECTED = "a name of 1..64 letters, digits, '.', '_' or '-'";

    private final Problems problems;
    private final TomlTable table;
    private final String path;
    private final TomlPosition where;
    private final List<String> known;
    private final Set<String> asked = new HashSet<>();

    TableReader(Problems problems, TomlTable table, String path, TomlPosition where, List<String> known) {
        this.problems = problems;
        this.table = table;
        this.path = path;
        this.where = where;
        this.known = known;
    }

    Problems problems() {
        return problems;
    }

    /** The full key path of {@code key} in this table, e.g. {@code lines[0].baud}. */
    String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Where this table starts (its header), or null. */
    TomlPosition where() {
        return where;
    }

    /** Position of {@code key}, or of this table when the key is absent. */
    TomlPosition position(String key) {
        TomlPosition p = table == null || !has(key) ? null : table.inputPositionOf(List.of(key));
        return p != null ? p : where;
    }

    /** Whether the table exists in the file (false for an absent or mistyped section). */
    boolean isPresent() {
        return table != null;
    }

    boolean has(String key) {
        return table != null && table.get(List.of(key)) != null;
    }

    Object raw(String key) {
        if (!known.contains(key)) {
            throw new IllegalStateException("reader asked for unregistered key " + keyPath(key));
        }
        asked.add(key);
        return table == null ? null : table.get(List.of(key));
    }

    /** Records a problem at {@code key}'s position (the table's if absent). */
    void problem(String key, String found, String expected) {
        problems.add(position(key), keyPath(key), found, expected);
    }

    /** Records a problem about {@code key} at the position of {@code positionKey}. */
    void problemAt(String positionKey, String key, String found, String expected) {
        problems.add(position(positionKey), keyPath(key), found, expected);
    }

    private void wrongType(String key, Object value, String expected) {
        problem(key, Problems.render(value), expected);
    }

    Optional<String> optString(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            wrongType(key, v, "a string");
            return Optional.empty();
        }
        return Optional.of(s);
    }

    String string(String key, String def) {
        return optString(key).orElse(def);
    }

    /** A required string; "" (after recording the problem) when missing. */
    String required(String key) {
        boolean present = has(key);
        Optional<String> s = optString(key);
        if (!present) {
            problem(key, "nothing", "a string (required)");
        }
        return s.orElse("");
    }

    /** A required name matching {@link #NAME}. */
    String requiredName(String key) {
        String s = required(key);
        if (has(key) && table.get(List.of(key)) instanceof String && !NAME.matcher(s).matches()) {
            problem(key, Problems.render(s), NAME_EXPECTED);
        }
        return s;
    }

    OptionalInt optInt(String key, long min, long max) {
        Object v = raw(key);
        if (v == null) {
            return OptionalInt.empty();
        }
        if (!(v instanceof Long n)) {
            wrongType(key, v, "an integer");
            return OptionalInt.empty();
        }
        if (n < min || n > max) {
            problem(key, n.toString(), "an integer in " + min + ".." + max);
            return OptionalInt.empty();
        }
        return OptionalInt.of(n.intValue());
    }

    int integer(String key, int def, long min, long max) {
        return optInt(key, min, max).orElse(def);
    }

    boolean bool(String key, boolean def) {
        Object v = raw(key);
        if (v == null) {
            return def;
        }
        if (!(v instanceof Boolean b)) {
            wrongType(key, v, "true or false");
            return def;
        }
        return b;
    }

    /** One of the enum's constants, written in lower case. */
    <E extends Enum<E>> E choice(String key, E def, Class<E> type) {
        Optional<String> s = optString(key);
        if (s.isEmpty()) {
            return def;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(s.get())) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add("\"" + e.name().toLowerCase(Locale.ROOT) + "\"");
        }
        problem(key, Problems.render(s.get()), "one of " + String.join(", ", names));
        return def;
    }

    Optional<HostPort> optHostPort(String key, boolean listening) {
        Optional<String> s = optString(key);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        try {
            HostPort hp = HostPort.parse(s.get());
            if (!listening && hp.port() == 0) {
                throw new IllegalArgumentException("port 0 only allowed for listening");
            }
            return Optional.of(hp);
        } catch (IllegalArgumentException e) {
            problem(key, Problems.render(s.get()),
                    "host:port such as 127.0.0.1:8080 or [::1]:8080 (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    HostPort hostPort(String key, String def, boolean listening) {
        return optHostPort(key, listening).orElse(HostPort.parse(def));
    }

    /** An RP path in normal form; {@code tags} says whether '#' may appear. */
    Optional<String> optPath(String key, boolean tags) {
        Optional<String> s = optString(key);
        if (s.isEmpty()) {
            return s;
        }
        return checkPath(key, s.get(), tags);
    }

    private Optional<String> checkPath(String key, String s, boolean tags) {
        String n = ConfigPaths.normalise(s);
        if (n == null || (!tags && n.indexOf('#') >= 0)) {
            problem(key, Problems.render(s), tags ? ConfigPaths.EXPECTED : ConfigPaths.EXPECTED_NO_TAG);
            return Optional.empty();
        }
        return Optional.of(n);
    }

    /** An array of strings; empty when absent or mistyped. */
    List<String> strings(String key) {
        Object v = raw(key);
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (v instanceof TomlArray a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i) instanceof String s && !s.isEmpty()) {
                    out.add(s);
                } else {
                    problem(key, Problems.render(a.get(i)) + " at index " + i, "an array of non-empty strings");
                    return List.of();
                }
            }
            return out;
        }
        wrongType(key, v, "an array of strings");
        return List.of();
    }

    /** An array of RP paths in normal form. */
    List<String> paths(String key) {
        List<String> out = new ArrayList<>();
        for (String s : strings(key)) {
            checkPath(key, s, true).ifPresent(out::add);
        }
        return out;
    }

    /** A sub-table; an empty reader when absent (so defaults apply) or mistyped. */
    TableReader table(String key, List<String> keys) {
        Object v = raw(key);
        TomlPosition p = position(key);
        if (v != null && !(v instanceof TomlTable)) {
            wrongType(key, v, "a table ([" + keyPath(key) + "])");
            v = null;
        }
        return new TableReader(problems, (TomlTable) v, keyPath(key), p, keys);
    }

    /** The elements of an array of tables ({@code [[key]]}); empty when absent or mistyped. */
    List<TableReader> tables(String key, List<String> keys) {
        Object v = raw(key);
        List<TableReader> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof TomlArray a) || !allTables(a)) {
            wrongType(key, v, "an array of tables ([[" + keyPath(key) + "]])");
            return out;
        }
        for (int i = 0; i < a.size(); i++) {
            out.add(new TableReader(problems, a.getTable(i), keyPath(key) + "[" + i + "]",
                    a.inputPositionOf(i), keys));
        }
        return out;
    }

    private static boolean allTables(TomlArray a) {
        for (int i = 0; i < a.size(); i++) {
            if (!(a.get(i) instanceof TomlTable)) {
                return false;
            }
        }
        return true;
    }

    /** Reports every key present but not in the known list; checks every known key was read. */
    void finish() {
        if (table != null) {
            for (String key : table.keySet()) {
                if (!known.contains(key)) {
                    problems.add(table.inputPositionOf(List.of(key)), keyPath(key), "unknown key",
                            "one of " + String.join(", ", known));
                }
            }
        }
        assert asked.containsAll(known) : "reader of " + path + " did not read " + known;
    }
}
