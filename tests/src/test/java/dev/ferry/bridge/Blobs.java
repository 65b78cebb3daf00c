package dev.ferry.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.rp.Message;
import dev.ferry.rp.Verb;
import java.io.ByteArrayOutputStream;

/** Receiving and checking the firmware's /blob stream. */
final class Blobs {
    private Blobs() {
    }

    /** Result of one blob transfer. */
    record Blob(byte[] data, int messages, long nanos) {
    }

    /** Requests {@code kib} KiB and collects the stream until E1 (each message within {@code stallSeconds}). */
    static Blob fetch(Harness h, String device, int kib, long stallSeconds) throws InterruptedException {
        long start = System.nanoTime();
        Harness.Exchange x = h.send(device, Verb.GET, "/blob", true, Integer.toString(kib));
        try {
            return collect(x, stallSeconds, start);
        } finally {
            x.close();
        }
    }

    static Blob collect(Harness.Exchange x, long stallSeconds, long start) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 0;
        while (true) {
            Message m = x.next(stallSeconds);
            assertEquals(Verb.REP, m.verb(), () -> "blob message " + m);
            out.writeBytes(m.body());
            n++;
            if (m.eof()) {
                return new Blob(out.toByteArray(), n, System.nanoTime() - start);
            }
        }
    }

    /** Byte i of the firmware's blob. */
    static byte[] expected(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) ((i * 31 + 7) & 0xFF);
        }
        return b;
    }
}
