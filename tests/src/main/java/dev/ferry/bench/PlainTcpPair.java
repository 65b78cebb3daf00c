package dev.ferry.bench;

import dev.ferry.edge.proto.resi.Envelope;
import dev.ferry.edge.resi.ResiCodec;
import dev.ferry.edge.transport.TcpTransport;
import dev.ferry.edge.transport.Transport;
import dev.ferry.rp.Message;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The baseline of {@link ResiBench}: one plain TCP connection on 127.0.0.1 through the same
 * {@link TcpTransport} (same framing and write coalescing) as a RESI link uses, carrying the same
 * envelopes: encoded at the sender ({@link #send}), parsed and decoded at the receiver, each
 * decoded message handed to {@code atServer} on the receiving event loop. Each side gets its own
 * event loop, as a peer link does.
 */
final class PlainTcpPair implements AutoCloseable {
    private final Transport server;
    private final Transport client;
    private long seq;

    PlainTcpPair(EventLoopGroup group, Consumer<Message> atServer) throws InterruptedException {
        CountDownLatch up = new CountDownLatch(2);
        server = new TcpTransport(0, TcpTransport.Role.LISTEN, new InetSocketAddress("127.0.0.1", 0),
                Optional.empty(), 1000, group.next(), ResiBenchPair.FRAME, ResiBenchPair.QUEUED);
        server.setReceiver(new ResiBench.Receiver(up) {
            @Override
            public void onEnvelope(Transport t, byte[] e) {
                try {
                    atServer.accept(ResiCodec.fromProto(Envelope.parseFrom(e).getRp()));
                } catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        });
        server.start();
        client = new TcpTransport(0, TcpTransport.Role.CONNECT, server.localAddress().orElseThrow(),
                Optional.empty(), 1000, group.next(), ResiBenchPair.FRAME, ResiBenchPair.QUEUED);
        client.setReceiver(new ResiBench.Receiver(up));
        client.start();
        if (!up.await(5, TimeUnit.SECONDS)) {
            close();
            throw new IllegalStateException("plain TCP did not connect");
        }
    }

    /** Encodes {@code m} as a RESI envelope would be and sends it, waiting while the queue is full. */
    void send(Message m) {
        seq++;
        byte[] env = Envelope.newBuilder().setSeq(seq).setAck(seq - 1).setRp(ResiCodec.toProto(m)).build()
                .toByteArray();
        while (!client.send(env)) {
            LockSupport.parkNanos(50_000); // queue full: wait for the event loop to drain it
        }
    }

    @Override
    public void close() {
        client.stop();
        server.stop();
    }
}
