package dev.ferry.serial.vectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/** Reads serial-protocol/vectors/*.txt (PROTOCOL.md 7) from ferry.root, or ../ of the module. */
final class VectorFiles {
    private VectorFiles() {
    }

    static Path dir() {
        String root = System.getProperty("ferry.root");
        Path base = root != null && !root.isBlank() ? Path.of(root) : Path.of("..");
        return base.resolve("serial-protocol").resolve("vectors");
    }

    /** The vector lines of one file, split into fields, comments and blank lines removed. */
    static List<String[]> lines(String file) {
        try {
            return Files.readAllLines(dir().resolve(file)).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split(" "))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] hex(String field) {
        return field.equals("-") ? new byte[0] : HexFormat.of().parseHex(field);
    }

    static String hex(byte[] b) {
        return b.length == 0 ? "-" : HexFormat.of().formatHex(b);
    }

    static String join(String[] f, int from) {
        return String.join(" ", Arrays.copyOfRange(f, from, f.length));
    }
}
