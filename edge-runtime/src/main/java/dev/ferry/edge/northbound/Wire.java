package dev.ferry.edge.northbound;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What goes on the MQTT wire, Sparkplug B ({@link SparkplugWire}) or plain JSON
 * ({@link PlainWire}): topics, the Will, the birth of a session, and the queued records turned
 * into messages when they are sent (their sequence number and "historical" flag are only known
 * then). Records kinds: {@link #DATA}, and the session-scoped {@link #BIRTH} / {@link #DEATH} of
 * one group, which are never sent in a later session than the one they were queued in.
 *
 * <p>A wire may keep per-session state (Sparkplug: the sequence number, and which devices have a
 * birth in the session); {@link #sessionBirth} starts it afresh. Calls come from one thread.
 */
interface Wire {
    byte DATA = 1;
    byte BIRTH = 2;
    byte DEATH = 3;

    /** One MQTT message to publish. */
    record Out(String topic, byte[] payload, int qos, boolean retain, boolean counted) { }

    List<String> subscriptions();

    MqttLink.Will will(long bdSeq);

    /**
     * The messages that open a session (NBIRTH and DBIRTHs; or status and retained values), and
     * the start of the session's state.
     */
    List<Out> sessionBirth(long bdSeq, Collection<Group> established, long now);

    /** The message an intentional disconnect sends first (NDEATH; or status offline). */
    Out sessionDeath(long bdSeq);

    /** The record of a group's birth (all its current values). */
    byte[] groupBirth(Group g, long now);

    /** The record of a group's death. */
    byte[] groupDeath(Group g, long now);

    /** The record of new values: {@code changed} metrics of {@code r}, or its raw body. */
    byte[] data(Resource r, Map<String, MetricValue> changed, long producedMs);

    /** The record's key (the group for Sparkplug, the resource path for plain). */
    String key(Resource r);

    /**
     * The messages for a queued record, in order: the record's own message last, preceded by any
     * the session needs first (Sparkplug: the DBIRTH of a device that has none in this session, or
     * whose birth lacks a metric of the record). {@code historical}: queued before this session.
     */
    List<Out> finish(DiskQueue.Entry e, boolean historical, long now) throws java.io.IOException;

    /**
     * The messages that close the replay of records queued before this session, sent once all of
     * them were handed over (Sparkplug: a DDEATH for each device born only for its replay, being
     * no longer attached). Empty when there is nothing to close.
     */
    List<Out> historyDone(long now);
}
