package dev.ferry.sim;

import dev.ferry.bridge.line.SerialLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Test helpers for reading from a simulated line's ends. */
final class Endpoints {

    private Endpoints() {
    }

    /** Read until {@code n} bytes arrived or nothing came for {@code idleMs}. */
    static byte[] readUpTo(SerialLine line, int n, int idleMs) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        while (out.size() < n) {
            int got = line.read(buf, 0, Math.min(buf.length, n - out.size()), idleMs);
            if (got == 0) {
                break;
            }
            out.write(buf, 0, got);
        }
        return out.toByteArray();
    }

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        java.util.Random r = new java.util.Random(seed);
        r.nextBytes(b);
        return b;
    }
}
