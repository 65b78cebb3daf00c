package dev.ferry.northbound;

import dev.ferry.edge.proto.sparkplug.Metric;
import dev.ferry.edge.proto.sparkplug.Payload;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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
 * A Sparkplug host application for tests: subscribes to {@code spBv1.0/#} (and anything else asked),
 * publishes its STATE birth (retained, with a STATE Will), and records every message it receives,
 * decoded, in arrival order.
 */
final class HostApp implements AutoCloseable {
    /** One received message. */
    record Received(String topic, byte[] raw, Payload payload, long atNanos) {
        String type() {
            String[] t = topic.split("/");
            return t.length > 2 ? t[2] : "";
        }

        Metric metric(String name) {
            if (payload == null) {
                return null;
            }
            return payload.getMetricsList().stream().filter(m -> m.getName().equals(name)).findFirst().orElse(null);
        }

        String text() {
            return new String(raw, StandardCharsets.UTF_8);
        }
    }

    final LinkedBlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
    final List<Received> all = java.util.Collections.synchronizedList(new ArrayList<>());
    private final MqttAsyncClient client;
    private final String hostId;

    HostApp(int port, String hostId, String... topics) throws MqttException {
        this.hostId = hostId;
        client = new MqttAsyncClient("tcp://127.0.0.1:" + port, "host-" + hostId + "-" + System.nanoTime(),
                new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override public void disconnected(MqttDisconnectResponse r) { }
            @Override public void mqttErrorOccurred(MqttException e) { }
            @Override public void messageArrived(String topic, MqttMessage m) {
                Payload p = null;
                if (topic.startsWith("spBv1.0/") && !topic.startsWith("spBv1.0/STATE")) {
                    try {
                        p = Payload.parseFrom(m.getPayload());
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        p = null;
                    }
                }
                Received r = new Received(topic, m.getPayload(), p, System.nanoTime());
                all.add(r);
                inbox.add(r);
            }
            @Override public void deliveryComplete(IMqttToken t) { }
            @Override public void connectComplete(boolean reconnect, String uri) { }
            @Override public void authPacketArrived(int reason, MqttProperties p) { }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
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

    static byte[] state(boolean online, long ts) {
        return ("{\"online\":" + online + ",\"timestamp\":" + ts + "}").getBytes(StandardCharsets.UTF_8);
    }

    void publish(String topic, byte[] payload, int qos, boolean retain) throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        m.setRetained(retain);
        client.publish(topic, m).waitForCompletion(10_000);
    }

    /** The next message matching {@code p}, skipping others; fails after {@code seconds}. */
    Received await(Predicate<Received> p, int seconds, String what) throws InterruptedException {
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

    String summary() {
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
