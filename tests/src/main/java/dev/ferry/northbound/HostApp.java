package dev.ferry.northbound;

import dev.ferry.edge.proto.sparkplug.Metric;
import dev.ferry.edge.proto.sparkplug.Payload;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A Sparkplug host application for tests and benchmarks: subscribes to {@code spBv1.0/#} (and
 * anything else asked), publishes its STATE birth (retained, with a STATE Will), records every
 * message it receives, decoded, in arrival order, and checks each edge node's messages as a
 * strict host would ({@link SparkplugCheck}: {@link #violations()}).
 */
public final class HostApp implements AutoCloseable {
    /** One received message; {@code props} are its MQTT 5 properties (never null). */
    public record Received(String topic, byte[] raw, Payload payload, long atNanos, boolean retained,
                           MqttProperties props) {
        /** The Sparkplug message type (NBIRTH, DDATA, ...), or "" for other topics. */
        public String type() {
            String[] t = topic.split("/");
            return t.length > 2 ? t[2] : "";
        }

        /** The edge node id of a Sparkplug topic, or "". */
        public String node() {
            String[] t = topic.split("/");
            return t.length > 3 ? t[3] : "";
        }

        /** The device id of a Sparkplug device topic, or null. */
        public String device() {
            String[] t = topic.split("/");
            return t.length > 4 ? t[4] : null;
        }

        public Metric metric(String name) {
            if (payload == null) {
                return null;
            }
            return payload.getMetricsList().stream().filter(m -> m.getName().equals(name)).findFirst().orElse(null);
        }

        public String text() {
            return new String(raw, StandardCharsets.UTF_8);
        }
    }

    /** How to reach the broker: URI, TLS socket factory (or null), user name and password (or null). */
    public record Access(String uri, SSLSocketFactory tls, String user, String password) {
        public static Access plain(int port) {
            return new Access("tcp://127.0.0.1:" + port, null, null, null);
        }
    }

    public final LinkedBlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
    public final List<Received> all = java.util.Collections.synchronizedList(new ArrayList<>());
    private final SparkplugCheck check = new SparkplugCheck();
    private final MqttAsyncClient client;
    private final String hostId;
    private final boolean keep;

    public HostApp(int port, String hostId, String... topics) throws MqttException {
        this(Access.plain(port), hostId, true, topics);
    }

    /**
     * Connects as host {@code hostId}; {@code keep} false keeps no message (a benchmark counts
     * them through {@link #listener}) but still checks them.
     */
    public HostApp(Access access, String hostId, boolean keep, String... topics) throws MqttException {
        this.hostId = hostId;
        this.keep = keep;
        client = new MqttAsyncClient(access.uri(), "host-" + hostId + "-" + System.nanoTime(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override public void disconnected(MqttDisconnectResponse r) { }
            @Override public void mqttErrorOccurred(MqttException e) { }
            @Override public void messageArrived(String topic, MqttMessage m) {
                arrived(topic, m.getPayload(), m.isRetained(),
                        m.getProperties() == null ? new MqttProperties() : m.getProperties());
            }
            @Override public void deliveryComplete(IMqttToken t) { }
            @Override public void connectComplete(boolean reconnect, String uri) { }
            @Override public void authPacketArrived(int reason, MqttProperties p) { }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        if (access.tls() != null) {
            o.setSocketFactory(access.tls());
        }
        if (access.user() != null) {
            o.setUserName(access.user());
            o.setPassword(access.password().getBytes(StandardCharsets.UTF_8));
        }
        long ts = System.currentTimeMillis();
        MqttMessage will = new MqttMessage(state(false, ts));
        will.setQos(1);
        will.setRetained(true);
        o.setWill("spBv1.0/STATE/" + hostId, will);
        client.connect(o).waitForCompletion(10_000);
        List<String> subs = new ArrayList<>(List.of("spBv1.0/#"));
        subs.addAll(List.of(topics));
        int[] qos = new int[subs.size()];
        java.util.Arrays.fill(qos, 1);
        client.subscribe(subs.toArray(new String[0]), qos).waitForCompletion(10_000);
        publish("spBv1.0/STATE/" + hostId, state(true, ts), 1, true);
    }

    /** Called for every received message (after it is checked), on Paho's thread. */
    public volatile java.util.function.Consumer<Received> listener = r -> { };

    private void arrived(String topic, byte[] raw, boolean retained, MqttProperties props) {
        Payload p = null;
        if (topic.startsWith("spBv1.0/") && !topic.startsWith("spBv1.0/STATE")) {
            try {
                p = Payload.parseFrom(raw);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                p = null;
            }
        }
        Received r = new Received(topic, raw, p, System.nanoTime(), retained, props);
        synchronized (check) {
            check.take(r);
        }
        if (keep) {
            all.add(r);
            inbox.add(r);
        }
        listener.accept(r);
    }

    public static byte[] state(boolean online, long ts) {
        return ("{\"online\":" + online + ",\"timestamp\":" + ts + "}").getBytes(StandardCharsets.UTF_8);
    }

    public void publish(String topic, byte[] payload, int qos, boolean retain) throws MqttException {
        publish(topic, payload, qos, retain, null);
    }

    /** Publishes with MQTT 5 properties (a Response Topic, Correlation Data), or none when null. */
    public void publish(String topic, byte[] payload, int qos, boolean retain, MqttProperties props)
            throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        m.setRetained(retain);
        if (props != null) {
            m.setProperties(props);
        }
        client.publish(topic, m).waitForCompletion(10_000);
    }

    /** The next message matching {@code p}, skipping others; fails after {@code seconds}. */
    public Received await(Predicate<Received> p, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            Received r = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
            if (r == null) {
                throw new AssertionError("no " + what + " within " + seconds + " s; got: " + summary());
            }
            if (p.test(r)) {
                return r;
            }
        }
    }

    /** What a strict Sparkplug host would have rejected so far (empty: nothing). */
    public List<String> violations() {
        synchronized (check) {
            return check.violations();
        }
    }

    /** The messages received so far, a copy. */
    public List<Received> received() {
        synchronized (all) {
            return new ArrayList<>(all);
        }
    }

    public String summary() {
        StringBuilder b = new StringBuilder();
        synchronized (all) {
            for (Received r : all.subList(Math.max(0, all.size() - 15), all.size())) {
                b.append("\n  ").append(r.topic()).append(r.payload() == null ? " " + r.text() : " seq="
                        + r.payload().getSeq() + " metrics=" + r.payload().getMetricsList().stream()
                        .map(Metric::getName).toList());
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        try {
            publish("spBv1.0/STATE/" + hostId, state(false, System.currentTimeMillis()), 1, true);
            client.disconnect().waitForCompletion(5000);
        } catch (MqttException e) {
            // going anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // threads end with the socket
        }
    }
}
