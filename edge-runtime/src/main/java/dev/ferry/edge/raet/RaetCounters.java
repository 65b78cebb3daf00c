package dev.ferry.edge.raet;

import dev.ferry.edge.metrics.Metrics;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.tinylog.Logger;

/**
 * Counters of one RAET stack, in {@link Metrics} under {@code ferry_raet_*{link="<label>",...}}:
 * packets sent and received, drops by {@link Drop} reason, retransmissions, duplicates, timer
 * expiries ({@code timer="retry|request|dupdet|escrow|accept"}), sessions, JOINs refused by the
 * acceptor ({@code ferry_raet_join_refused_total{link,reason}}). Security drops are
 * logged at warn, at most once a second per reason. Thread-safe.
 */
public final class RaetCounters {
    private final Metrics metrics;
    private final String link;
    private final LongAdder sent;
    private final LongAdder received;
    private final LongAdder retransmits;
    private final LongAdder duplicates;
    private final Map<Drop, LongAdder> drops = new EnumMap<>(Drop.class);
    private final Map<Drop, Long> lastLog = new EnumMap<>(Drop.class);

    public RaetCounters(Metrics metrics, String label) {
        this.metrics = metrics;
        this.link = label;
        describe(metrics);
        this.sent = metrics.counter("ferry_raet_packets_sent_total", "link", link);
        this.received = metrics.counter("ferry_raet_packets_received_total", "link", link);
        this.retransmits = metrics.counter("ferry_raet_retransmits_total", "link", link);
        this.duplicates = metrics.counter("ferry_raet_duplicates_total", "link", link);
        for (Drop d : Drop.values()) {
            drops.put(d, metrics.counter("ferry_raet_dropped_total", "link", link, "reason", d.label()));
        }
    }

    private static void describe(Metrics metrics) {
        metrics.describe("ferry_raet_packets_sent_total", "RAET packets sent, by link.");
        metrics.describe("ferry_raet_packets_received_total", "RAET packets received and authenticated, by link.");
        metrics.describe("ferry_raet_retransmits_total", "RAET packets sent again (no acknowledgement in time), by link.");
        metrics.describe("ferry_raet_duplicates_total", "RAET packets received more than once, by link.");
        metrics.describe("ferry_raet_dropped_total", "RAET packets dropped, by link and reason.");
        metrics.describe("ferry_raet_expired_total", "RAET timer expiries, by link and timer.");
        metrics.describe("ferry_raet_join_refused_total", "RAET JOINs the acceptor refused, by link and reason.");
        metrics.describe("ferry_raet_sessions_total", "RAET sessions established, by link.");
    }

    void sent() {
        sent.increment();
    }

    void received() {
        received.increment();
    }

    void retransmit() {
        retransmits.increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    void expired(String timer) {
        metrics.inc("ferry_raet_expired_total", "link", link, "timer", timer);
    }

    /** The acceptor refused our JOIN ({@code reason}: no_common_suite). */
    void joinRefused(String reason) {
        metrics.inc("ferry_raet_join_refused_total", "link", link, "reason", reason);
    }

    public long joinRefusedCount(String reason) {
        return metrics.value("ferry_raet_join_refused_total", "link", link, "reason", reason);
    }

    void session() {
        metrics.inc("ferry_raet_sessions_total", "link", link);
    }

    void drop(Drop d, Object from) {
        drops.get(d).increment();
        if (d.isSecurity()) {
            long now = System.nanoTime();
            synchronized (lastLog) {
                Long last = lastLog.get(d);
                if (last != null && now - last < 1_000_000_000L) {
                    return;
                }
                lastLog.put(d, now);
            }
            Logger.warn("raet {}: dropped a packet from {}: {}", link, from, d.label());
        }
    }

    public long dropped(Drop d) {
        return drops.get(d).sum();
    }

    public long totalDropped() {
        long n = 0;
        for (LongAdder a : drops.values()) {
            n += a.sum();
        }
        return n;
    }

    public long sentPackets() {
        return sent.sum();
    }

    public long receivedPackets() {
        return received.sum();
    }

    public long retransmits() {
        return retransmits.sum();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    public long expiredCount(String timer) {
        return metrics.value("ferry_raet_expired_total", "link", link, "timer", timer);
    }
}
