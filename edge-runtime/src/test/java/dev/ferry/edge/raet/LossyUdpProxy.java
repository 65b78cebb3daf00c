package dev.ferry.edge.raet;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP proxy on 127.0.0.1 for RAET tests: the client sends to {@link #address()}, the proxy
 * forwards to the target from its own socket and returns answers to the last client. Each
 * datagram, either way, is independently lost, duplicated, held back and swapped with the next
 * one (reordered), or corrupted (one byte changed), with seeded probabilities; {@link #blackHole}
 * drops everything.
 */
final class LossyUdpProxy implements AutoCloseable {
    volatile double loss;
    volatile double duplicate;
    volatile double reorder;
    volatile double corrupt;
    volatile boolean blackHole;
    final AtomicLong forwarded = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    private final InetSocketAddress target;
    private final DatagramSocket front;
    private final DatagramSocket back;
    private final Random random = new Random(4242);
    private volatile SocketAddress client;
    private volatile boolean closed;

    LossyUdpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        front = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        back = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        front.setReceiveBufferSize(4 << 20);
        back.setReceiveBufferSize(4 << 20);
        pump(front, true);
        pump(back, false);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), front.getLocalPort());
    }

    LossyUdpProxy faults(double loss, double duplicate, double reorder, double corrupt) {
        this.loss = loss;
        this.duplicate = duplicate;
        this.reorder = reorder;
        this.corrupt = corrupt;
        return this;
    }

    private void pump(DatagramSocket s, boolean fromClient) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65536];
            byte[] held = null;
            while (!closed) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    if (fromClient) {
                        client = p.getSocketAddress();
                    }
                    SocketAddress to = fromClient ? target : client;
                    DatagramSocket out = fromClient ? back : front;
                    byte[] d = Arrays.copyOf(p.getData(), p.getLength());
                    double roll;
                    synchronized (random) {
                        roll = random.nextDouble();
                    }
                    if (to == null || blackHole || roll < loss) {
                        dropped.incrementAndGet();
                        continue;
                    }
                    synchronized (random) {
                        if (random.nextDouble() < corrupt) {
                            d[random.nextInt(d.length)] ^= (byte) (1 + random.nextInt(255));
                        }
                        if (held == null && random.nextDouble() < reorder) {
                            held = d;
                            continue;
                        }
                    }
                    send(out, d, to);
                    if (random.nextDouble() < duplicate) {
                        send(out, d, to);
                    }
                    if (held != null) {
                        send(out, held, to);
                        held = null;
                    }
                } catch (IOException e) {
                    if (closed) {
                        return;
                    }
                }
            }
        }, "raet-proxy-" + (fromClient ? "c2s" : "s2c"));
        t.setDaemon(true);
        t.start();
    }

    private void send(DatagramSocket s, byte[] d, SocketAddress to) throws IOException {
        s.send(new DatagramPacket(d, d.length, to));
        forwarded.incrementAndGet();
    }

    @Override
    public void close() {
        closed = true;
        front.close();
        back.close();
    }
}
