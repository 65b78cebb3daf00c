package dev.ferry.edge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The token store's file format, read and written. UTF-8 text, one principal per line, fields
 * separated by spaces; {@code #} starts a comment line:
 *
 * <pre>
 *   # NAME  CREDENTIAL  SCOPE...
 *   panel   sha256:9f86d0...(64 hex)  read:/kitchen write:/kitchen/leds status
 *   tablet  cert                      read:/ read:/#runtime metrics
 *   gw-b    sha256:60303a...          register:kitchen
 * </pre>
 *
 * CREDENTIAL is the SHA-256 of the bearer token (the token itself is never stored) or
 * {@code cert} for a principal named by a client certificate's subject CN or a SAN. SCOPEs are
 * those of {@link Scopes}. Names and token hashes are unique. Parsing never throws on bad
 * content: it reports {@code FILE:LINE: reason}. {@link #write} replaces the file atomically
 * (temporary file, then rename), keeping the old file's owner, group and permissions (a new file
 * is 0640), so a running Ferry never reads half a file.
 */
public final class TokenFile {
    /** Largest file accepted (a store of some thousand principals). */
    public static final long MAX_BYTES = 4L << 20;

    private static final String HEADER = String.join("\n",
            "# Ferry token store, written by `ferry token add|list|revoke` (docs/security.md).",
            "# One principal per line: NAME CREDENTIAL SCOPE...",
            "#   CREDENTIAL  sha256:<hex> (the hash of a bearer token; the token is never stored) | cert",
            "#   SCOPE       read:PATH write:PATH metrics status register:NAMESPACE discover:NAMESPACE",
            "");

    /** The parsed grants in file order, or the problems found (then {@code grants} is empty). */
    public record Parsed(List<Grant> grants, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private TokenFile() { }

    /** Parses the text of a store; {@code name} prefixes each problem. */
    public static Parsed parse(String text, String name) {
        List<Grant> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = name + ":" + (i + 1) + ": ";
            String[] f = line.split("\\s+");
            if (f.length < 2) {
                problems.add(where + "expected NAME CREDENTIAL SCOPE...");
                continue;
            }
            if (!Grant.NAME.matcher(f[0]).matches()) {
                problems.add(where + "name '" + cut(f[0]) + "': expected 1..64 letters, digits, '.', '_' or '-'");
                continue;
            }
            String hash = null;
            if (f[1].startsWith(Grant.SHA256) && Grant.isHash(f[1].substring(Grant.SHA256.length()))) {
                hash = f[1].substring(Grant.SHA256.length());
            } else if (!f[1].equals(Grant.CERT)) {
                problems.add(where + "credential of '" + f[0] + "': expected sha256:<64 hex digits> or cert");
                continue;
            }
            Scopes.Builder b = new Scopes.Builder();
            String bad = null;
            for (int k = 2; k < f.length && bad == null; k++) {
                bad = Scopes.parse(f[k], b);
            }
            if (bad != null) {
                problems.add(where + cut(bad));
            } else if (!names.add(f[0])) {
                problems.add(where + "name '" + f[0] + "' appears twice");
            } else if (hash != null && !hashes.add(hash)) {
                problems.add(where + "the token of '" + f[0] + "' is another principal's too");
            } else {
                out.add(new Grant(f[0], hash, b.build()));
            }
        }
        return problems.isEmpty() ? new Parsed(List.copyOf(out), List.of()) : new Parsed(List.of(), problems);
    }

    private static String cut(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }

    /**
     * Reads and parses {@code file}; a missing file is an empty store.
     *
     * @throws IOException when it exists but cannot be read, or is larger than {@link #MAX_BYTES}
     */
    public static Parsed read(Path file) throws IOException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IOException(file + " is larger than " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Parsed(List.of(), List.of());
        }
        return parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
    }

    /** The text of a store holding {@code grants}, in order. */
    public static String format(List<Grant> grants) {
        StringBuilder b = new StringBuilder(HEADER);
        for (Grant g : grants) {
            b.append(g.name()).append(' ').append(g.credential());
            for (String w : g.scopes().words()) {
                b.append(' ').append(w);
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Replaces {@code file} with a store of {@code grants}, atomically (see the class comment). */
    public static void write(Path file, List<Grant> grants) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, format(grants), StandardCharsets.UTF_8);
            copyOwnership(file, tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void copyOwnership(Path from, Path to) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (view == null) {
            return;                                          // not a POSIX file system
        }
        if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
            view.setPermissions(PosixFilePermissions.fromString("rw-r-----"));
            return;
        }
        PosixFileAttributes old = Files.readAttributes(from, PosixFileAttributes.class);
        Set<PosixFilePermission> perms = old.permissions();
        perms.remove(PosixFilePermission.OTHERS_READ);        // never world-readable, even if it was
        perms.remove(PosixFilePermission.OTHERS_WRITE);
        view.setPermissions(perms);
        UserPrincipal owner = old.owner();
        GroupPrincipal group = old.group();
        try {
            view.setGroup(group);
            view.setOwner(owner);
        } catch (IOException e) {
            // not root: the file stays ours, which is what a non-root owner had anyway
        }
    }

    /** The grants by name, in file order. */
    public static Map<String, Grant> byName(List<Grant> grants) {
        Map<String, Grant> m = new LinkedHashMap<>();
        grants.forEach(g -> m.put(g.name(), g));
        return m;
    }
}
