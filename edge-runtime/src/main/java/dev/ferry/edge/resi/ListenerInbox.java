package dev.ferry.edge.resi;

import dev.ferry.edge.route.Meta;
import dev.ferry.rp.Message;
import java.util.ArrayList;
import org.tinylog.Logger;

/**
 * A {@link PeerLink}'s listener calls: posted under the link's monitor, run outside it, one at a
 * time and in the order posted. Whichever thread calls {@link #run} while no other is running
 * calls also runs what others post meanwhile; a call that throws is logged and the rest still
 * run. Guarded by the link's monitor: a post costs a list append (an RP message is posted as
 * itself, not wrapped in a task), a run takes the monitor once per batch of calls.
 */
final class ListenerInbox {
    /** Batches larger than this do not keep their array for the next one. */
    private static final int KEEP_CAPACITY = 4096;

    private final PeerLink link;
    private ArrayList<Object> pending = new ArrayList<>();
    private ArrayList<Object> spare = new ArrayList<>();
    private boolean running;

    ListenerInbox(PeerLink link) {
        this.link = link;
    }

    /** An RP message that came with cache hints or freshness. */
    private record WithMeta(Message m, Meta meta) { }

    /** Queues {@code listener.onMessage(link, m)}; the caller holds the link's monitor. */
    void postMessage(Message m) {
        pending.add(m);
    }

    /** Queues {@code listener.onMessage(link, m, meta)} (plain {@link #postMessage} when null). */
    void postMessage(Message m, Meta meta) {
        pending.add(meta == null ? m : new WithMeta(m, meta));
    }

    /** Queues another listener call; the caller holds the link's monitor. */
    void post(Runnable call) {
        pending.add(call);
    }

    /** Runs the queued calls, unless another thread is already running them (it then runs these). */
    void run() {
        ArrayList<Object> batch;
        synchronized (link) {
            if (running || pending.isEmpty()) {
                return;
            }
            running = true;
            batch = take();
        }
        int next = 0;
        try {
            while (batch != null) {
                for (next = 0; next < batch.size(); ) {
                    call(batch.get(next++));
                }
                boolean keep = batch.size() <= KEEP_CAPACITY;
                batch.clear();
                synchronized (link) {
                    if (keep) {
                        spare = batch;
                    }
                    batch = pending.isEmpty() ? null : take();
                    running = batch != null;
                }
            }
        } finally {
            if (batch != null) { // an Error escaped a call: the calls after it go back in front
                synchronized (link) {
                    pending.addAll(0, batch.subList(next, batch.size()));
                    running = false;
                }
            }
        }
    }

    /** Swaps the pending list for the spare one; under the monitor. */
    private ArrayList<Object> take() {
        ArrayList<Object> b = pending;
        pending = spare != null ? spare : new ArrayList<>();
        spare = null;
        return b;
    }

    private void call(Object c) {
        try {
            if (c instanceof Message m) {
                link.listener().onMessage(link, m);
            } else if (c instanceof WithMeta w) {
                link.listener().onMessage(link, w.m, w.meta);
            } else {
                ((Runnable) c).run();
            }
        } catch (RuntimeException e) {
            Logger.error(e, "peer {}: listener failed", link.config().id());
        }
    }
}
