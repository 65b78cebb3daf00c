package dev.ferry.pkg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The settings of a systemd service unit the tests need to start it by hand. */
record UnitFile(String user, String group, Map<String, String> environment, String workingDirectory,
                List<String> execStartPre, String execStart, List<String> syscallFilter) {

    static UnitFile read(Path file) throws IOException {
        String user = "root";
        String group = null;
        String dir = "/";
        String start = null;
        Map<String, String> env = new LinkedHashMap<>();
        List<String> pre = new ArrayList<>();
        List<String> filter = new ArrayList<>();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            int eq = line.indexOf('=');
            if (line.startsWith("#") || line.startsWith(";") || eq < 0) {
                continue;
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1).strip();
            switch (key) {
                case "User" -> user = value;
                case "Group" -> group = value;
                case "WorkingDirectory" -> dir = value.startsWith("-") ? value.substring(1) : value;
                case "ExecStartPre" -> pre.add(value);
                case "ExecStart" -> start = value;
                case "SystemCallFilter" -> filter.add(value);
                case "Environment" -> {
                    for (String a : value.split("\\s+")) {
                        int e = a.indexOf('=');
                        if (e > 0) {
                            env.put(a.substring(0, e), a.substring(e + 1).replace("\"", ""));
                        }
                    }
                }
                default -> { }
            }
        }
        if (start == null) {
            throw new IOException(file + " has no ExecStart");
        }
        return new UnitFile(user, group == null ? user : group, env, dir, pre, start, filter);
    }
}
