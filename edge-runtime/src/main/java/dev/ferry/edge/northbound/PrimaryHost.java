package dev.ferry.edge.northbound;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.edge.runtime.Json;
import java.io.IOException;

/**
 * The configured Sparkplug primary host as its STATE topic ({@code spBv1.0/STATE/<host>}) tells
 * it (Sparkplug 3.0: JSON {@code {"online":bool,"timestamp":ms}}): a message older than the last
 * one taken (a late Will of an earlier host session) is ignored. Engine thread only.
 */
final class PrimaryHost {
    /** What a STATE message changed. */
    enum Change { ONLINE, OFFLINE, NONE, UNREADABLE }

    private final String id;
    private boolean online;
    private long timestamp = Long.MIN_VALUE;

    PrimaryHost(String id) {
        this.id = id;
    }

    String id() {
        return id;
    }

    String topic() {
        return SparkplugWire.NS + "/STATE/" + id;
    }

    boolean online() {
        return online;
    }

    /** Takes a STATE message; says whether the host came online, went offline, or neither. */
    Change update(byte[] payload) {
        Boolean on = null;
        Long ts = null;
        try (JsonParser p = Json.factory().createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Change.UNREADABLE;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String n = p.currentName();
                JsonToken v = p.nextToken();
                if (n.equals("online") && v.isBoolean()) {
                    on = p.getBooleanValue();
                } else if (n.equals("timestamp") && v == JsonToken.VALUE_NUMBER_INT) {
                    ts = p.getLongValue();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return Change.UNREADABLE;
        }
        if (on == null || ts == null) {
            return Change.UNREADABLE;
        }
        if (ts < timestamp) {
            return Change.NONE;          // an older session's STATE (a late Will)
        }
        timestamp = ts;
        boolean was = online;
        online = on;
        return on == was ? Change.NONE : on ? Change.ONLINE : Change.OFFLINE;
    }
}
