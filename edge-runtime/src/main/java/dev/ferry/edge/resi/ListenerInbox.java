package dev.ferry.edge.resi;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.tinylog.Logger;

/**
 * A {@link PeerLink}'s listener calls: posted from under the link's lock, run outside it, one at
 * a time and in the order posted. Whichever thread calls {@link #run} while no other is running
 * calls also runs what others post meanwhile; a call that throws is logged and the rest still
 * run. Thread-safe without a lock.
 */
final class ListenerInbox {
    private final String peerId;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger work = new AtomicInteger();

    ListenerInbox(String peerId) {
        this.peerId = peerId;
    }

    /** Queues a listener call; it runs at the next {@link #run}. */
    void post(Runnable r) {
        queue.add(r);
    }

    /** Runs the queued calls, unless another thread is already running them (it then runs these). */
    void run() {
        if (work.getAndIncrement() != 0) {
            return;
        }
        do {
            Runnable r;
            while ((r = queue.poll()) != null) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    Logger.error(e, "peer {}: listener failed", peerId);
                }
            }
        } while (work.decrementAndGet() != 0);
    }
}
