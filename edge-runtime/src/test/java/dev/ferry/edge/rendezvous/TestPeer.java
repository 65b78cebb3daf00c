package dev.ferry.edge.rendezvous;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A raw-socket rendezvous peer for tests: sends messages or bytes, reads messages with a timeout. */
final class TestPeer implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    TestPeer(InetSocketAddress service) throws IOException {
        socket = new Socket();
        socket.connect(service, 2000);
        socket.setSoTimeout(5000);
        in = new BufferedInputStream(socket.getInputStream());
    }

    void send(RendezvousMessage m) throws IOException {
        sendRaw(RendezvousWire.frame(m));
    }

    void sendRaw(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** The next message (fails the test on timeout, malformed input or end of stream). */
    RendezvousMessage receive() throws IOException {
        RendezvousWire.Parsed p = RendezvousWire.decode(
                RendezvousClient.readFrame(in, RendezvousClient.MAX_INBOUND), RendezvousLimits.defaults(), true);
        if (!p.ok()) {
            throw new IOException("malformed: " + p.problem());
        }
        return p.message();
    }

    /** Exactly {@code n} raw bytes (fails on timeout or end of stream). */
    byte[] readExactly(int n) throws IOException {
        return in.readNBytes(n);
    }

    /** -1 once the service closed the connection (waits up to the socket timeout). */
    int readByte() throws IOException {
        return in.read();
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
