package dev.ferry.northbound;

import dev.ferry.edge.proto.sparkplug.Metric;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a strict Sparkplug B 3.0 host application checks in each edge node's messages, in the
 * order they arrive: an NBIRTH opens a session (seq 0); every later message of the session has
 * the next seq (mod 256); a DBIRTH defines a device's metrics; a DDATA needs a DBIRTH of the same
 * session, not followed by a DDEATH, that defines every metric in it with the same datatype; a
 * DDEATH needs a born device. An NDEATH whose bdSeq matches the NBIRTH ends the session.
 * Messages of a node whose NBIRTH this host has not seen (it joined late) are not judged. Not
 * thread-safe.
 */
public final class SparkplugCheck {
    private static final class Session {
        long bdSeq;
        int seq;
        final Map<String, Map<String, Integer>> devices = new HashMap<>();
    }

    private final Map<String, Session> sessions = new HashMap<>();
    private final List<String> violations = new ArrayList<>();

    /** Takes one received message. */
    public void take(HostApp.Received r) {
        if (r.payload() == null || !r.topic().startsWith("spBv1.0/") || r.topic().startsWith("spBv1.0/STATE")) {
            return;
        }
        String node = r.topic().split("/")[1] + "/" + r.node();
        String type = r.type();
        if (type.equals("NBIRTH")) {
            Session s = new Session();
            Metric bd = r.metric("bdSeq");
            s.bdSeq = bd == null ? -1 : bd.getLongValue();
            s.seq = (int) r.payload().getSeq();
            if (s.seq != 0) {
                violations.add(r.topic() + ": NBIRTH with seq " + s.seq);
            }
            sessions.put(node, s);
            return;
        }
        Session s = sessions.get(node);
        if (s == null || type.endsWith("CMD")) {
            return;
        }
        if (type.equals("NDEATH")) {
            Metric bd = r.metric("bdSeq");
            if (bd != null && bd.getLongValue() == s.bdSeq) {
                sessions.remove(node);
            }
            return;
        }
        int seq = (int) r.payload().getSeq();
        if (seq != ((s.seq + 1) & 0xFF)) {
            violations.add(r.topic() + ": seq " + seq + " after " + s.seq);
        }
        s.seq = seq;
        String device = r.device();
        switch (type) {
            case "DBIRTH" -> {
                Map<String, Integer> m = new HashMap<>();
                for (Metric x : r.payload().getMetricsList()) {
                    m.put(x.getName(), x.getDatatype());
                }
                s.devices.put(device, m);
            }
            case "DDEATH" -> {
                if (s.devices.remove(device) == null) {
                    violations.add(r.topic() + ": DDEATH of a device not born in this session");
                }
            }
            case "DDATA" -> {
                Map<String, Integer> born = s.devices.get(device);
                if (born == null) {
                    violations.add(r.topic() + " seq " + seq + ": DDATA without a DBIRTH in this session");
                    return;
                }
                for (Metric x : r.payload().getMetricsList()) {
                    Integer t = born.get(x.getName());
                    if (t == null || x.getDatatype() != 0 && x.getDatatype() != t) {
                        violations.add(r.topic() + " seq " + seq + ": metric " + x.getName() + " not in its DBIRTH");
                    }
                }
            }
            default -> { }
        }
    }

    /** Everything judged wrong so far. */
    public List<String> violations() {
        return List.copyOf(violations);
    }
}
