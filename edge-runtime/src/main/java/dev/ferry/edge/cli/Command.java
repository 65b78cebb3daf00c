package dev.ferry.edge.cli;

/**
 * A parsed {@code ferry} command line.
 *
 * @param kind       what to do
 * @param configFile the configuration file, or null for the embedded default
 * @param error      for USAGE_ERROR, what was wrong
 */
record Command(Kind kind, String configFile, String error) {
    enum Kind { RUN, CHECK_CONFIG, VERSION, HELP, STATUS, KEYGEN, USAGE_ERROR }

    static final String USAGE = String.join("\n",
            "usage: ferry                       run on the embedded default (simulated MCU at /dev0)",
            "       ferry run --config FILE     run with FILE (also: ferry -config FILE)",
            "       ferry check-config FILE     validate FILE and report every problem",
            "       ferry status [--config FILE] devices, lines, peers and health of the running service",
            "                                   (FILE default: /etc/ferry/ferry.toml if present)",
            "       ferry keygen DIR            write this node's RAET keys (DIR/node.key, DIR/node.pub; 0600)",
            "       ferry token add NAME --read PATH --write PATH ...   a LAN client's token (ferry token help)",
            "       ferry token list | ferry token revoke NAME",
            "       ferry version               print the version");

    static Command parse(String[] args) {
        if (args.length == 0) {
            return new Command(Kind.RUN, null, null);
        }
        String first = args[0];
        switch (first) {
            case "version":
            case "--version":
                return args.length == 1 ? new Command(Kind.VERSION, null, null) : usage("version takes no arguments");
            case "help":
            case "-h":
            case "--help":
                return new Command(Kind.HELP, null, null);
            case "check-config":
                return args.length == 2 ? new Command(Kind.CHECK_CONFIG, args[1], null)
                        : usage("check-config takes exactly one FILE");
            case "run":
                return runOptions(args, 1);
            case "keygen":
                return args.length == 2 ? new Command(Kind.KEYGEN, args[1], null)
                        : usage("keygen takes exactly one DIR");
            case "status": {
                Command c = runOptions(args, 1);
                return c.kind() == Kind.RUN ? new Command(Kind.STATUS, c.configFile(), null) : c;
            }
            default:
                return runOptions(args, 0);
        }
    }

    private static Command runOptions(String[] args, int from) {
        String config = null;
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-config") || a.equals("--config")) {
                if (i + 1 >= args.length) {
                    return usage(a + " needs a FILE");
                }
                config = args[++i];
            } else if (a.startsWith("--config=")) {
                config = a.substring("--config=".length());
            } else {
                return usage("unknown argument '" + a + "'");
            }
        }
        return new Command(Kind.RUN, config, null);
    }

    private static Command usage(String why) {
        return new Command(Kind.USAGE_ERROR, null, why);
    }
}
