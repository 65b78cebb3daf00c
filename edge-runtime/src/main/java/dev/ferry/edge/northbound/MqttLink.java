package dev.ferry.edge.northbound;

import dev.ferry.edge.config.NorthboundConfig;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttConnAck;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The one class that knows the MQTT client library (Eclipse Paho mqttv5): one MQTT 5 connection
 * to the configured broker, TLS through the JDK provider with a CA file and an optional client
 * certificate, user name and password, Clean Start and a session expiry of 0 (Sparkplug 3.0), and
 * a Will given per connect (Sparkplug's NDEATH carries a new bdSeq each time). Paho's automatic
 * reconnect and its message persistence are off: the caller reconnects and keeps its own queue.
 *
 * <p>{@link Events} are called on Paho's threads; the caller hands them to its own. Publishing
 * never blocks: a publish the library cannot take now (not connected, too many in flight) is
 * reported through its callback as not sent.
 */
final class MqttLink {
    static {
        PahoLog.install();          // before Paho's classes make their loggers
    }

    /** What the connection reports. */
    interface Events {
        /** Connected; {@code receiveMaximum} is the broker's limit of QoS 1 messages in flight. */
        void connected(int receiveMaximum);

        /** The connection could not be made; {@code code} is the CONNACK reason code, or -1. */
        void connectFailed(String reason, int code);

        /** The connection ended; {@code code} is the broker's DISCONNECT reason code, or -1. */
        void lost(String reason, int code);

        void message(String topic, byte[] payload, MqttProperties properties);
    }

    /** A Will: topic, payload, QoS, retain. */
    record Will(String topic, byte[] payload, int qos, boolean retain) { }

    /** A publish's outcome: not sent, or the connection went before the acknowledgement. */
    static final int LOST = -1;
    /** {@link Events#connectFailed} code (not MQTT's): the TLS handshake failed. */
    static final int TLS_FAILED = 0x100;
    /** {@link Events#connectFailed} code (not MQTT's): the CA, certificate, key or password file is unusable. */
    static final int BAD_FILES = 0x101;

    private final NorthboundConfig cfg;
    private final Events events;
    private volatile MqttAsyncClient client;

    /**
     * A link for {@code cfg}; the TLS and password files are read here (a problem is an
     * IOException) and again at every {@link #connect}, so that a fixed or rotated file takes
     * effect at the next attempt without a restart.
     */
    MqttLink(NorthboundConfig cfg, Events events) throws IOException {
        this.cfg = cfg;
        this.events = events;
        credentials();
    }

    private record Credentials(SSLSocketFactory tls, byte[] password) { }

    private Credentials credentials() throws IOException {
        SSLSocketFactory tls = cfg.tls() ? socketFactory(cfg) : null;
        byte[] password = null;
        if (cfg.passwordFile().isPresent()) {
            try {
                password = readPassword(Path.of(cfg.passwordFile().get()));
            } catch (IOException e) {
                throw new IOException("northbound: cannot read password_file " + cfg.passwordFile().get() + ": "
                        + e.getMessage(), e);
            }
        }
        return new Credentials(tls, password);
    }

    private static byte[] readPassword(Path f) throws IOException {
        String s = Files.readString(f, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip().getBytes(StandardCharsets.UTF_8);
    }

    private static SSLSocketFactory socketFactory(NorthboundConfig cfg) throws IOException {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
            if (cfg.caFile().isPresent()) {
                b.trustManager(new File(cfg.caFile().get()));
            }
            if (cfg.certFile().isPresent()) {
                b.keyManager(new File(cfg.certFile().get()), new File(cfg.keyFile().orElseThrow()));
            }
            SslContext ctx = b.build();
            return ((JdkSslContext) ctx).context().getSocketFactory();
        } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
            throw new IOException("northbound TLS: cannot use the CA/certificate/key files: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException("northbound TLS: cannot read the CA/certificate/key files: " + e, e);
        }
    }

    /** The broker URI Paho is given. */
    String uri() {
        String host = cfg.broker().host().contains(":") ? "[" + cfg.broker().host() + "]" : cfg.broker().host();
        return (cfg.tls() ? "ssl://" : "tcp://") + host + ":" + cfg.broker().port();
    }

    /** Starts connecting; the outcome arrives as {@link Events#connected} or {@link Events#connectFailed}. */
    synchronized void connect(Will will, List<String> subscriptions) {
        closeClient();
        Credentials cred;
        try {
            cred = credentials();
        } catch (IOException e) {
            events.connectFailed(e.getMessage(), BAD_FILES);
            return;
        }
        try {
            MqttAsyncClient c = new MqttAsyncClient(uri(), cfg.clientId(), new MemoryPersistence());
            client = c;
            c.setCallback(new Callback(c, subscriptions));
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setSessionExpiryInterval(0L);
            o.setAutomaticReconnect(false);
            o.setKeepAliveInterval(cfg.keepAliveS());
            o.setConnectionTimeout(Math.max(1, cfg.connectTimeoutMs() / 1000));
            o.setReceiveMaximum(Math.min(65535, Math.max(1, cfg.maxInflight())));
            if (will != null) {
                MqttMessage w = new MqttMessage(will.payload());
                w.setQos(will.qos());
                w.setRetained(will.retain());
                o.setWill(will.topic(), w);
            }
            cfg.username().ifPresent(o::setUserName);
            if (cred.password() != null) {
                o.setPassword(cred.password());
            }
            if (cred.tls() != null) {
                o.setSocketFactory(cred.tls());
                o.setHttpsHostnameVerificationEnabled(true);
            }
            c.connect(o, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken t) {
                    int max = 65535;
                    if (t.getResponse() instanceof MqttConnAck ack && ack.getProperties() != null
                            && ack.getProperties().getReceiveMaximum() != null) {
                        max = ack.getProperties().getReceiveMaximum();
                    }
                    subscribe(c, subscriptions, max);
                }

                @Override
                public void onFailure(IMqttToken t, Throwable e) {
                    if (client == c) {
                        events.connectFailed(reason(e), code(e));
                    }
                }
            });
        } catch (MqttException | RuntimeException e) {
            events.connectFailed(reason(e), -1);
        }
    }

    private void subscribe(MqttAsyncClient c, List<String> topics, int receiveMax) {
        if (topics.isEmpty()) {
            events.connected(receiveMax);
            return;
        }
        try {
            int[] qos = new int[topics.size()];
            java.util.Arrays.fill(qos, 1);
            c.subscribe(topics.toArray(new String[0]), qos, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken t) {
                    events.connected(receiveMax);
                }

                @Override
                public void onFailure(IMqttToken t, Throwable e) {
                    events.connectFailed("subscribe refused: " + reason(e), -1);
                }
            });
        } catch (MqttException e) {
            events.connectFailed("subscribe failed: " + reason(e), -1);
        }
    }

    /**
     * Publishes; {@code done} gets the outcome once known: {@link #LOST} when it was not sent or
     * the connection went before the acknowledgement, else the broker's reason code (QoS 1: the
     * PUBACK's, 0 success, 0x10 no subscribers, 0x80 and above refused; QoS 0: 0 once written).
     */
    synchronized void publish(String topic, byte[] payload, int qos, boolean retain, MqttProperties props,
                              IntConsumer done) {
        MqttAsyncClient c = client;
        if (c == null || !c.isConnected()) {
            done.accept(LOST);
            return;
        }
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        m.setRetained(retain);
        if (props != null) {
            m.setProperties(props);
        }
        try {
            c.publish(topic, m, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken t) {
                    int[] codes = t.getReasonCodes();
                    done.accept(codes == null || codes.length == 0 ? 0 : codes[0]);
                }

                @Override
                public void onFailure(IMqttToken t, Throwable e) {
                    int code = e instanceof MqttException me ? me.getReasonCode() : 0;
                    done.accept(code >= 0x80 && code <= 0xFF && c.isConnected() ? code : LOST);
                }
            });
        } catch (MqttException | RuntimeException e) {
            done.accept(LOST);
        }
    }

    /** Sends DISCONNECT (the broker then drops the Will) and closes; idempotent. */
    synchronized void disconnect() {
        MqttAsyncClient c = client;
        if (c != null && c.isConnected()) {
            try {
                c.disconnect(2000).waitForCompletion(3000);
            } catch (MqttException e) {
                // closing anyway below
            }
        }
        closeClient();
    }

    /** Drops the connection without DISCONNECT (the broker sends the Will); idempotent. */
    synchronized void drop() {
        MqttAsyncClient c = client;
        if (c != null && c.isConnected()) {
            try {
                c.disconnectForcibly(0, 1000, false);
            } catch (MqttException e) {
                // closing anyway below
            }
        }
        closeClient();
    }

    private void closeClient() {
        MqttAsyncClient c = client;
        client = null;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnectForcibly(0, 1000, false);
            }
        } catch (MqttException e) {
            // already gone
        }
        try {
            c.close(true);
        } catch (MqttException e) {
            // its threads end with the socket
        }
    }

    /** The MQTT reason code of a failed connect, {@link #TLS_FAILED}, or -1. */
    private static int code(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return TLS_FAILED;
            }
        }
        int code = e instanceof MqttException me ? me.getReasonCode() : -1;
        return code >= 0x80 && code <= 0xFF ? code : -1;
    }

    static String reason(Throwable e) {
        if (e == null) {
            return "unknown";
        }
        Throwable c = e.getCause() != null ? e.getCause() : e;
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return c == e ? m : m + " (" + c.getClass().getSimpleName() + ": " + c.getMessage() + ")";
    }

    private final class Callback implements MqttCallback {
        private final MqttAsyncClient owner;

        Callback(MqttAsyncClient owner, List<String> topics) {
            this.owner = owner;
        }

        @Override
        public void disconnected(MqttDisconnectResponse r) {
            if (client == owner) {
                MqttException e = r.getException();
                int code = e != null ? e.getReasonCode() : r.getReturnCode();
                events.lost(e != null ? reason(e)
                        : "broker sent DISCONNECT with reason code 0x" + Integer.toHexString(code)
                        + (r.getReasonString() != null ? " (" + r.getReasonString() + ")" : ""),
                        code >= 0x80 && code <= 0xFF ? code : -1);
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            if (client == owner) {
                events.lost("protocol error: " + reason(e), -1);
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage m) {
            if (client == owner) {
                events.message(topic, m.getPayload(), m.getProperties());
            }
        }

        @Override
        public void deliveryComplete(IMqttToken t) {
        }

        @Override
        public void connectComplete(boolean reconnect, String uri) {
        }

        @Override
        public void authPacketArrived(int reason, MqttProperties p) {
        }
    }
}
