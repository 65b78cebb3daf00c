package dev.ferry.edge.cli;

import dev.ferry.edge.config.ConfigException;
import dev.ferry.edge.config.ConfigLoader;
import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.security.Grant;
import dev.ferry.edge.security.Scopes;
import dev.ferry.edge.security.TokenFile;
import dev.ferry.edge.security.TokenStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ferry token add|list|revoke}: edits the token store ({@code [http] tokens_file}) that a
 * running Ferry re-reads within 0.1 s. {@code add} prints the new token once, on stdout alone (so
 * {@code T=$(ferry token add ...)} works); only its SHA-256 is stored. Edits hold a lock file next
 * to the store and replace it atomically. Exit codes: 0 done, 1 refused (name taken, unknown name,
 * unreadable store), 2 usage.
 */
final class TokenCommand {
    static final String USAGE = String.join("\n",
            "usage: ferry token add NAME [--read PATH]... [--write PATH]... [--metrics] [--status]",
            "                       [--register NS]... [--discover NS]... [--cert] [STORE]",
            "       ferry token list [STORE]",
            "       ferry token revoke NAME [STORE]",
            "  STORE: --tokens FILE, or --config FILE (its [http] tokens_file); default: the tokens_file",
            "         of " + Main.PACKAGED_CONFIG,
            "  --read/--write PATH  path prefix (repeatable); /#runtime is only reached by naming it",
            "  --metrics, --status  GET /metrics, the status page",
            "  --register/--discover NS  rendezvous namespace (* for all)",
            "  --cert               NAME authenticates with a client certificate (CN or SAN = NAME), no token");

    private TokenCommand() { }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            return usage(err, "token needs a subcommand");
        }
        String sub = args[0];
        if (sub.equals("help") || sub.equals("--help") || sub.equals("-h")) {
            out.println(USAGE);
            return 0;
        }
        String name = null;
        String tokens = null;
        String config = null;
        boolean cert = false;
        List<String> scopes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            boolean hasValue = i + 1 < args.length;
            switch (a) {
                case "--tokens", "--config", "--read", "--write", "--register", "--discover" -> {
                    if (!hasValue) {
                        return usage(err, a + " needs a value");
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--tokens" -> tokens = v;
                        case "--config" -> config = v;
                        default -> scopes.add(a.substring(2) + ":" + v);
                    }
                }
                case "--metrics", "--status" -> scopes.add(a.substring(2));
                case "--cert" -> cert = true;
                default -> {
                    if (a.startsWith("-") || name != null) {
                        return usage(err, "unexpected argument '" + a + "'");
                    }
                    name = a;
                }
            }
        }
        Path store;
        try {
            store = store(tokens, config);
        } catch (IllegalStateException e) {
            err.println("ferry token: " + e.getMessage());
            return 2;
        }
        try {
            return switch (sub) {
                case "add" -> name == null ? usage(err, "add needs a NAME") : add(store, name, scopes, cert, out, err);
                case "list" -> name != null || !scopes.isEmpty() ? usage(err, "list takes no NAME or scopes")
                        : list(store, out, err);
                case "revoke" -> name == null || !scopes.isEmpty() ? usage(err, "revoke needs a NAME and nothing else")
                        : revoke(store, name, out, err);
                default -> usage(err, "unknown subcommand '" + sub + "'");
            };
        } catch (IOException e) {
            err.println("ferry token: " + store + ": " + e.getMessage());
            return 1;
        }
    }

    private static Path store(String tokens, String config) {
        if (tokens != null) {
            return Path.of(tokens);
        }
        Path cfgFile = config != null ? Path.of(config) : Main.PACKAGED_CONFIG;
        if (config == null && !Files.isReadable(cfgFile)) {
            throw new IllegalStateException("no store given: pass --tokens FILE or --config FILE");
        }
        FerryConfig cfg;
        try {
            cfg = ConfigLoader.load(cfgFile);
        } catch (ConfigException e) {
            throw new IllegalStateException(cfgFile + " has problems; see ferry check-config " + cfgFile);
        }
        return cfg.http().tokensFile().map(Path::of).orElseThrow(() -> new IllegalStateException(
                cfgFile + " sets no [http] tokens_file; add one (e.g. tokens_file = \"/etc/ferry/tokens\")"));
    }

    private static int add(Path store, String name, List<String> scopeWords, boolean cert, PrintStream out,
                           PrintStream err) throws IOException {
        if (!Grant.NAME.matcher(name).matches()) {
            return usage(err, "NAME must be 1..64 letters, digits, '.', '_' or '-'");
        }
        if (scopeWords.isEmpty()) {
            return usage(err, "give at least one scope (--read, --write, --metrics, --status, --register, --discover)");
        }
        TokenFile.Parsed check = TokenFile.parse("x " + Grant.CERT + " " + String.join(" ", scopeWords), "arguments");
        if (!check.ok()) {
            return usage(err, check.problems().get(0).replaceFirst("^arguments:1: ", ""));
        }
        Scopes scopes = check.grants().get(0).scopes();
        try (Edit e = new Edit(store)) {
            if (e.grants.containsKey(name)) {
                err.println("ferry token: " + name + " already exists in " + store + "; revoke it first to replace it");
                return 1;
            }
            String token = cert ? null : TokenStore.newToken();
            e.grants.put(name, new Grant(name, token == null ? null : TokenStore.hash(token), scopes));
            e.save();
            if (token != null) {
                out.println(token);
                err.println("ferry token: added " + name + " (" + String.join(" ", scopes.words()) + ") to " + store
                        + ". The token above is shown only now; use it as 'Authorization: Bearer <token>'.");
            } else {
                err.println("ferry token: added " + name + " (" + String.join(" ", scopes.words()) + ") to " + store
                        + "; it authenticates with a client certificate whose CN or SAN is " + name);
            }
            return 0;
        }
    }

    private static int list(Path store, PrintStream out, PrintStream err) throws IOException {
        TokenFile.Parsed p = TokenFile.read(store);
        if (!p.ok()) {
            p.problems().forEach(err::println);
            return 1;
        }
        for (Grant g : p.grants()) {
            out.printf("%-20s %-6s %s%n", g.name(), g.byCertificate() ? "cert" : "token",
                    String.join(" ", g.scopes().words()));
        }
        return 0;
    }

    private static int revoke(Path store, String name, PrintStream out, PrintStream err) throws IOException {
        try (Edit e = new Edit(store)) {
            if (e.grants.remove(name) == null) {
                err.println("ferry token: no " + name + " in " + store);
                return 1;
            }
            e.save();
            err.println("ferry token: revoked " + name + "; a running Ferry refuses it within 0.1 s");
            return 0;
        }
    }

    private static int usage(PrintStream err, String why) {
        err.println("ferry token: " + why);
        err.println(USAGE);
        return 2;
    }

    /** The store under an exclusive lock ({@code .<name>.lock} beside it), read then written. */
    private static final class Edit implements AutoCloseable {
        final Path store;
        final Map<String, Grant> grants;
        private final FileChannel lockFile;
        private final FileLock lock;

        Edit(Path store) throws IOException {
            this.store = store;
            Path dir = store.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            lockFile = FileChannel.open(dir.resolve("." + store.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockFile.lock();
            TokenFile.Parsed p = TokenFile.read(store);
            if (!p.ok()) {
                close();
                throw new IOException("does not parse; fix it first:\n" + String.join("\n", p.problems()));
            }
            grants = TokenFile.byName(p.grants());
        }

        void save() throws IOException {
            TokenFile.write(store, new ArrayList<>(grants.values()));
        }

        @Override
        public void close() throws IOException {
            if (lock.isValid()) {
                lock.release();
            }
            lockFile.close();
        }
    }
}
