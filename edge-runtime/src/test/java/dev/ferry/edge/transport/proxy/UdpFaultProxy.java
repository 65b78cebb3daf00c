package dev.ferry.edge.transport.proxy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * A UDP proxy on 127.0.0.1 with per-direction {@link FaultPlan}s applied per datagram. The client
 * sends to {@link #address()}; the proxy forwards to the target from its own socket and sends the
 * target's answers back to the last client address; a {@link DelayLine} per direction. For tests.
 */
public final class UdpFaultProxy implements AutoCloseable {
    public final FaultPlan toServer = new FaultPlan();
    public final FaultPlan toClient = new FaultPlan();
    private final InetSocketAddress target;
    private final DatagramSocket front;
    private final DatagramSocket back;
    private volatile SocketAddress client;
    private volatile boolean closed;
    private final List<DelayLine> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

    public UdpFaultProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.front = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.back = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        front.setReceiveBufferSize(1 << 20);
        back.setReceiveBufferSize(1 << 20);
        start(front, true);
        start(back, false);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), front.getLocalPort());
    }

    /** Sends raw bytes to the server as if from the client (garbage injection). */
    public void injectToServer(byte[] raw) throws IOException {
        back.send(new DatagramPacket(raw, raw.length, target));
    }

    private void start(DatagramSocket s, boolean fromClient) {
        DatagramSocket sender = fromClient ? back : front;
        DelayLine line = new DelayLine(fromClient ? "udp-c2s" : "udp-s2c", (frames, more) -> {
            SocketAddress to = fromClient ? target : client;
            for (byte[] w : frames) {
                sender.send(new DatagramPacket(w, w.length, to));
            }
        }, () -> { });
        lines.add(line);
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65536];
            while (!closed) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    byte[] d = java.util.Arrays.copyOf(p.getData(), p.getLength());
                    FaultPlan plan = fromClient ? toServer : toClient;
                    if (fromClient) {
                        client = p.getSocketAddress();
                    }
                    if ((fromClient ? target : client) == null) {
                        continue;
                    }
                    List<byte[]> out = new java.util.ArrayList<>();
                    for (byte[] e : plan.apply(strip(d))) {
                        out.add(unstrip(d, e));
                    }
                    line.send(out, plan.delayMillis(), false);
                } catch (IOException | InterruptedException e) {
                    if (closed) {
                        return;
                    }
                }
            }
        }, "udp-proxy-" + (fromClient ? "c2s" : "s2c"));
        t.setDaemon(true);
        t.start();
    }

    // The plan sees the envelope (without the 1-byte 'E' header) so "sequenced" detection works.
    private static byte[] strip(byte[] d) {
        return d.length > 0 && d[0] == 'E' ? java.util.Arrays.copyOfRange(d, 1, d.length) : d;
    }

    private static byte[] unstrip(byte[] original, byte[] e) {
        if (original.length > 0 && original[0] == 'E') {
            byte[] w = new byte[e.length + 1];
            w[0] = 'E';
            System.arraycopy(e, 0, w, 1, e.length);
            return w;
        }
        return e;
    }

    @Override
    public void close() {
        closed = true;
        front.close();
        back.close();
        for (DelayLine l : lines) {
            l.close();
        }
    }
}
