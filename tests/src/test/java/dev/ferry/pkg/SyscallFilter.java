package dev.ferry.pkg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A unit's {@code SystemCallFilter=} lines resolved to the set of allowed system call names, with
 * systemd's own group definitions ({@code systemd-analyze syscall-filter}): the first line without
 * {@code ~} starts from an empty allow list, {@code ~} lines remove, later plain lines add. The
 * package test writes the set to a file and runs the service under {@code tests/sandbox}'s
 * {@code syscall-sandbox}, so the unit's filter is exercised without systemd as PID 1.
 */
final class SyscallFilter {
    private SyscallFilter() { }

    /** The allowed names for {@code filterLines} (the values of SystemCallFilter=, in order). */
    static Set<String> allowed(List<String> filterLines) throws IOException, InterruptedException {
        Map<String, List<String>> groups = groups(Sh.run("systemd-analyze", "syscall-filter")
                .expect(0, "systemd-analyze syscall-filter").out());
        Set<String> allowed = new TreeSet<>();
        for (String line : filterLines) {
            boolean deny = line.startsWith("~");
            for (String item : (deny ? line.substring(1) : line).trim().split("\\s+")) {
                Set<String> names = expand(item, groups, new HashSet<>());
                if (deny) {
                    allowed.removeAll(names);
                } else {
                    allowed.addAll(names);
                }
            }
        }
        return allowed;
    }

    /** Writes {@link #allowed} one name per line; returns the file. */
    static Path write(List<String> filterLines, Path file) throws IOException, InterruptedException {
        Files.write(file, allowed(filterLines));
        return file;
    }

    static Map<String, List<String>> groups(String listing) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        List<String> current = null;
        for (String raw : listing.split("\n")) {
            if (raw.startsWith("@")) {
                current = new ArrayList<>();
                groups.put(raw.trim(), current);
            } else if (raw.isBlank() || !Character.isWhitespace(raw.charAt(0))) {
                current = null;
            } else if (current != null && !raw.trim().startsWith("#")) {
                current.add(raw.trim());
            }
        }
        return groups;
    }

    private static Set<String> expand(String item, Map<String, List<String>> groups, Set<String> seen) {
        Set<String> out = new TreeSet<>();
        if (!item.startsWith("@")) {
            out.add(item);
            return out;
        }
        if (!seen.add(item)) {
            return out;
        }
        List<String> members = groups.get(item);
        if (members == null) {
            throw new IllegalArgumentException("unknown system call group " + item);
        }
        for (String m : members) {
            out.addAll(expand(m, groups, seen));
        }
        return out;
    }
}
