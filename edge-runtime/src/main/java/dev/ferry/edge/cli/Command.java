package dev.ferry.edge.cli;

/**
 * A parsed {@code ferry} command line.
 *
 * @param kind       what to do
 * @param configFile the configuration file, or null for the embedded default
 * @param listen     for the embedded default, the HTTP address given with {@code --listen}
 *                   (not yet validated), or null for the default's own
 * @param error      for USAGE_ERROR, what was wrong
 */
record Command(Kind kind, String configFile, String listen, String error) {
    enum Kind { RUN, CHECK_CONFIG, VERSION, HELP, STATUS, KEYGEN, USAGE_ERROR }

    static final String USAGE = String.join("\n",
            "usage: ferry [--listen ADDR]       run on the embedded default (simulated MCU at /dev0);",
            "                                   ADDR: its HTTP address, host:port (default 127.0.0.1:8080)",
            "       ferry run --config FILE     run with FILE (also: ferry -config FILE)",
            "       ferry check-config FILE     validate FILE and report every problem",
            "       ferry status [--config FILE | --listen ADDR]",
            "                                   devices, lines, peers and health of the running service",
            "                                   (FILE default: /etc/ferry/ferry.toml if present)",
            "       ferry keygen DIR            write this node's RAET keys (DIR/node.key, DIR/node.pub; 0600);",
            "                                   never overwrites: exit 4 if either file exists",
            "       ferry version               print the version",
            "exit codes: 0 done, 1 failed while running, 2 bad usage or configuration,",
            "            3 status: service unreachable, 4 keygen: keys already there");

    static Command parse(String[] args) {
        if (args.length == 0) {
            return new Command(Kind.RUN, null, null, null);
        }
        switch (args[0]) {
            case "version":
            case "--version":
                return args.length == 1 ? new Command(Kind.VERSION, null, null, null) : usage("version takes no arguments");
            case "help":
            case "-h":
            case "--help":
                return new Command(Kind.HELP, null, null, null);
            case "check-config":
                return args.length == 2 && !args[1].isEmpty() ? new Command(Kind.CHECK_CONFIG, args[1], null, null)
                        : usage("check-config takes exactly one FILE");
            case "run":
                return runOptions(args, 1, Kind.RUN);
            case "keygen":
                return args.length == 2 && !args[1].isEmpty() ? new Command(Kind.KEYGEN, args[1], null, null)
                        : usage("keygen takes exactly one DIR");
            case "status":
                return runOptions(args, 1, Kind.STATUS);
            default:
                return runOptions(args, 0, Kind.RUN);
        }
    }

    /** {@code --config FILE} or {@code --listen ADDR} (each also as {@code --x=V}), at most once each. */
    private static Command runOptions(String[] args, int from, Kind kind) {
        String config = null;
        String listen = null;
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            String option = a.startsWith("--") && a.indexOf('=') > 0 ? a.substring(0, a.indexOf('=')) : a;
            String value;
            if (option.equals(a)) {
                if (!a.equals("-config") && !a.equals("--config") && !a.equals("--listen")) {
                    return usage("unknown argument '" + a + "'");
                }
                value = i + 1 < args.length ? args[++i] : "";
            } else {
                value = a.substring(option.length() + 1);
            }
            switch (option) {
                case "-config", "--config" -> {
                    if (value.isEmpty()) {
                        return usage(option + " needs a FILE");
                    }
                    if (config != null) {
                        return usage("--config given twice");
                    }
                    config = value;
                }
                case "--listen" -> {
                    if (value.isEmpty()) {
                        return usage("--listen needs an address, host:port (e.g. 127.0.0.1:9090)");
                    }
                    if (listen != null) {
                        return usage("--listen given twice");
                    }
                    listen = value;
                }
                default -> {
                    return usage("unknown argument '" + a + "'");
                }
            }
        }
        if (config != null && listen != null) {
            return usage("--listen sets the embedded default's HTTP address; with --config FILE, set"
                    + " [http] listen in FILE instead");
        }
        return new Command(kind, config, listen, null);
    }

    private static Command usage(String why) {
        return new Command(Kind.USAGE_ERROR, null, null, why);
    }
}
