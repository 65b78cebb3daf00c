package dev.ferry.edge.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code [northbound]}: the MQTT 5 / Sparkplug B publisher toward a broker cluster (issue 17).
 * Every value is in its documented range (see {@code ferry.sample.toml}); when {@link #enabled}
 * the files named exist and are readable, and TLS keys are set only with {@code tls = true}.
 *
 * @param enabled         false (default): no northbound client
 * @param broker          the broker's host:port (default 127.0.0.1:1883)
 * @param tls             TLS to the broker (default false)
 * @param caFile          PEM CA certificates that verify the broker (TLS; default: the JDK's)
 * @param certFile        PEM client certificate (TLS client authentication), with keyFile
 * @param keyFile         PEM PKCS#8 private key of certFile
 * @param username        MQTT user name (with passwordFile)
 * @param passwordFile    file whose first line is the MQTT password
 * @param mode            Sparkplug B 3.0 (default) or plain JSON topics
 * @param clientId        MQTT client id (default {@code ferry-<node id>})
 * @param groupId         Sparkplug group id (default "ferry")
 * @param edgeNodeId      Sparkplug edge node id / plain topic node level (default the node id)
 * @param primaryHost     Sparkplug primary host id to wait for (empty: none)
 * @param topicPrefix     plain mode: first topic level (default "ferry")
 * @param publish         RP paths observed and published (normal form, no '#')
 * @param commands        RP path prefixes that commands may PUT/POST to (default none)
 * @param qos             QoS of data messages, 0 or 1 (default 1); replay is always 1
 * @param keepAliveS      MQTT keep-alive, 1..3600 s (default 30)
 * @param connectTimeoutMs 100..120000 (default 10000)
 * @param reconnectMinMs  first reconnect delay, 10..600000 (default 200)
 * @param reconnectMaxMs  longest reconnect delay, 10..600000 (default 30000)
 * @param birthWaitMs     how long a DBIRTH waits for first readings, 0..60000 (default 2000)
 * @param maxInflight     QoS 1 messages in flight, 1..1024 (default 32)
 * @param queueDir        the store-and-forward directory (default "northbound", relative to
 *                        the working directory: /var/lib/ferry/northbound for the service)
 * @param queueMaxBytes   bound of queued data, 4096..2147483647 bytes (default 64 MiB)
 * @param queueFull       what a full queue does (default drop oldest)
 * @param queueFsync      when queued data reaches the disk (default every queueFsyncMs)
 * @param queueFsyncMs    1..60000 (default 1000)
 */
public record NorthboundConfig(boolean enabled, HostPort broker, boolean tls, Optional<String> caFile,
        Optional<String> certFile, Optional<String> keyFile, Optional<String> username,
        Optional<String> passwordFile, Mode mode, String clientId, String groupId, String edgeNodeId,
        Optional<String> primaryHost, String topicPrefix, List<String> publish, List<String> commands,
        int qos, int keepAliveS, int connectTimeoutMs, int reconnectMinMs, int reconnectMaxMs,
        int birthWaitMs, int maxInflight, String queueDir, long queueMaxBytes, QueueFull queueFull,
        Fsync queueFsync, int queueFsyncMs) {

    /** What goes on the wire. */
    public enum Mode { SPARKPLUG, PLAIN }

    /** The policy of a full store-and-forward queue. */
    public enum QueueFull { DROP_OLDEST, REFUSE_NEWEST }

    /** When appended queue data is forced to the disk. */
    public enum Fsync { ALWAYS, INTERVAL, NEVER }

    public NorthboundConfig {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(mode, "mode");
        publish = List.copyOf(publish);
        commands = List.copyOf(commands);
    }

    /** Northbound off, every other key at its default (node id {@code node}). */
    public static NorthboundConfig disabled(String node) {
        return new NorthboundConfig(false, HostPort.parse("127.0.0.1:1883"), false, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Mode.SPARKPLUG,
                "ferry-" + node, "ferry", node, Optional.empty(), "ferry", List.of(), List.of(), 1, 30,
                10_000, 200, 30_000, 2000, 32, "northbound", 64L << 20, QueueFull.DROP_OLDEST,
                Fsync.INTERVAL, 1000);
    }
}
