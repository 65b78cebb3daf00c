package dev.ferry.bridge.device;

import dev.ferry.rp.Message;
import java.util.ArrayDeque;

/**
 * Events of one device on their way to the {@link DeviceListener}: messages from the MCU
 * (bounded by the inbound capacity) and state changes (bounded by a separate reserve, so a full
 * message queue never hides a state change). Thread-safe; the bus thread adds, the delivery
 * thread polls.
 */
final class Inbox {
    /** Something to tell the listener. */
    sealed interface Event permits Arrived, Changed {
    }

    /** A message from the MCU. */
    record Arrived(Message message) implements Event {
    }

    /** A lifecycle change. */
    record Changed(DeviceState from, DeviceState to, String reason) implements Event {
    }

    static final int CHANGE_RESERVE = 64;

    private final int capacity;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private int messages;
    private int changes;

    Inbox(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("inbound capacity must be >= 1");
        }
        this.capacity = capacity;
    }

    /** Queues a message; false when {@code capacity} messages are waiting. */
    synchronized boolean addMessage(Message m) {
        if (messages >= capacity) {
            return false;
        }
        events.addLast(new Arrived(m));
        messages++;
        return true;
    }

    /** Queues a state change; false (dropped) only if the listener is far behind. */
    synchronized boolean addChange(Changed c) {
        if (changes >= CHANGE_RESERVE) {
            return false;
        }
        events.addLast(c);
        changes++;
        return true;
    }

    /** Room for messages. */
    synchronized int room() {
        return capacity - messages;
    }

    synchronized int messages() {
        return messages;
    }

    /** The oldest event, or null. */
    synchronized Event poll() {
        Event e = events.pollFirst();
        if (e instanceof Arrived) {
            messages--;
        } else if (e != null) {
            changes--;
        }
        return e;
    }
}
