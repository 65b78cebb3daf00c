package dev.ferry.edge.service;

import dev.ferry.edge.config.FerryConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ferry status}: asks the running service (at the configuration's {@code [http] listen}
 * address) for {@code /#runtime/devices}, {@code lines}, {@code peers/*} and {@code metrics} and
 * prints them as tables with an overall health line.
 *
 * <p>Exit codes callers may rely on: 0 healthy, 1 reachable but degraded (a device not attached,
 * a line not open, a peer not live), 3 the service cannot be reached or the facade is disabled.
 */
public final class StatusCommand {
    static final int TIMEOUT_MS = 3000;

    private StatusCommand() { }

    public static int run(FerryConfig cfg, PrintStream out, PrintStream err) {
        if (!cfg.http().enabled()) {
            err.println("ferry status: the HTTP facade is disabled in " + cfg.source()
                    + " ([http] enabled = false); status needs it");
            return 3;
        }
        InetSocketAddress to = LocalHttp.target(cfg.http().listen(), cfg.http().listen().port());
        String base = "http://" + to.getHostString() + ":" + to.getPort();
        try {
            List<String> problems = new ArrayList<>();
            Object node = getJson(to, "/%23runtime/node");
            out.println("Ferry " + field(node, "id") + " at " + base + "  (config " + field(node, "config") + ")");
            List<String> names = strings(getJson(to, "/%23runtime"));
            out.println();
            devices(names.contains("devices") ? getJson(to, "/%23runtime/devices") : List.of(), out, problems);
            out.println();
            lines(names.contains("lines") ? getJson(to, "/%23runtime/lines") : List.of(), out, problems);
            out.println();
            List<Object> peers = new ArrayList<>();
            for (String n : names) {
                if (n.startsWith("peers/") && n.indexOf('/', "peers/".length()) < 0) { // not peers/<id>/extensions
                    peers.add(getJson(to, "/%23runtime/" + n));
                }
            }
            peers(peers, out, problems);
            out.println();
            Object metrics = getJson(to, "/%23runtime/metrics");
            int shown = metrics(metrics, out);
            out.println();
            out.println("HEALTH: " + (problems.isEmpty() ? "OK" : "DEGRADED: " + String.join("; ", problems))
                    + "  (" + shown + " non-zero counters)");
            return problems.isEmpty() ? 0 : 1;
        } catch (IOException e) {
            err.println("ferry status: cannot reach the service at " + base + ": " + e.getMessage());
            err.println("  is it running?  systemctl status ferry   (listen address from " + cfg.source() + ")");
            return 3;
        }
    }

    private static Object getJson(InetSocketAddress to, String path) throws IOException {
        LocalHttp.Response r = LocalHttp.get(to, path, TIMEOUT_MS);
        if (r.status() != 200) {
            throw new IOException("GET " + path + " answered HTTP " + r.status());
        }
        return JsonTree.parse(r.body());
    }

    private static void devices(Object json, PrintStream out, List<String> problems) {
        Table t = new Table("DEVICE", "LINE", "ADDR", "STATE", "BOARD", "MSG IN", "MSG OUT", "RESETS", "RETRANS");
        for (Object o : list(json)) {
            String state = field(o, "state");
            t.row(field(o, "name"), field(o, "line"), field(o, "address"), state,
                    field(o, "board") + " " + field(o, "fw"), field(o, "messages_in"), field(o, "messages_out"),
                    field(o, "link_resets"), field(o, "retransmissions"));
            if (!"ATTACHED".equals(state)) {
                problems.add("device " + field(o, "name") + " " + state);
            }
        }
        t.print(out, "devices");
    }

    private static void lines(Object json, PrintStream out, List<String> problems) {
        Table t = new Table("LINE", "STATE", "BAUD", "BYTES IN", "BYTES OUT", "FRAMES", "ERRORS", "TIMEOUTS", "OPENS");
        for (Object o : list(json)) {
            String state = field(o, "state");
            t.row(field(o, "port"), state, field(o, "baud"), field(o, "bytes_in"), field(o, "bytes_out"),
                    field(o, "frames_good"), field(o, "frame_errors"), field(o, "timeouts"), field(o, "opens"));
            if (!"OPEN".equals(state)) {
                problems.add("line " + field(o, "port") + " " + state);
            }
        }
        t.print(out, "lines");
    }

    private static void peers(List<Object> peers, PrintStream out, List<String> problems) {
        Table t = new Table("PEER", "MODE", "LIVE", "TRANSPORTS", "SENT", "DELIVERED", "RESENDS", "UNACKED");
        for (Object o : peers) {
            StringBuilder tr = new StringBuilder();
            for (Object x : list(o instanceof Map<?, ?> m ? m.get("transports") : null)) {
                tr.append(tr.length() == 0 ? "" : " ").append(field(x, "name")).append('=').append(field(x, "state"));
            }
            String live = field(o, "live");
            t.row(field(o, "peer"), field(o, "mode"), live, tr.toString(), field(o, "sent"),
                    field(o, "delivered"), field(o, "resends"), field(o, "unacked"));
            if (!"true".equals(live)) {
                problems.add("peer " + field(o, "peer") + " not live");
            }
        }
        t.print(out, "peers");
    }

    private static int metrics(Object json, PrintStream out) {
        Table t = new Table("COUNTER", "VALUE");
        if (json instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() instanceof Number n && n.longValue() != 0) {
                    t.row(String.valueOf(e.getKey()), String.valueOf(n));
                }
            }
        }
        t.print(out, "non-zero counters");
        return t.rows.size();
    }

    private static List<?> list(Object json) {
        return json instanceof List<?> l ? l : List.of();
    }

    private static List<String> strings(Object json) {
        List<String> s = new ArrayList<>();
        for (Object o : list(json)) {
            s.add(String.valueOf(o));
        }
        return s;
    }

    private static String field(Object json, String name) {
        Object v = json instanceof Map<?, ?> m ? m.get(name) : null;
        return v == null ? "-" : String.valueOf(v);
    }

    /** Left-aligned text columns. */
    static final class Table {
        private final String[] header;
        final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            this.header = header;
        }

        void row(String... cells) {
            rows.add(cells);
        }

        void print(PrintStream out, String what) {
            if (rows.isEmpty()) {
                out.println("(no " + what + ")");
                return;
            }
            int[] w = new int[header.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = header[i].length();
                for (String[] r : rows) {
                    w[i] = Math.max(w[i], r[i].length());
                }
            }
            out.println(format(header, w));
            for (String[] r : rows) {
                out.println(format(r, w));
            }
        }

        private static String format(String[] cells, int[] w) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < cells.length; i++) {
                b.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%-" + w[i] + "s", cells[i]));
            }
            return b.toString().stripTrailing();
        }
    }
}
