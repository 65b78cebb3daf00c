package dev.ferry.edge.northbound;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.edge.proto.sparkplug.Metric;
import dev.ferry.edge.runtime.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One value of a published resource, typed the Sparkplug way: a JSON body becomes one value per
 * leaf ({@code {"c":21.5,"n":3}} of {@code sensors/temp} gives {@code sensors/temp/c} = Double
 * 21.5 and {@code sensors/temp/n} = Int64 3); booleans are Boolean, integral numbers Int64, other
 * numbers Double, strings String, arrays String (their JSON text), null is null; an octet body is
 * Bytes, a text body String. Immutable; equal values are the same reading.
 *
 * @param datatype a Sparkplug DataType number ({@link #INT64}, {@link #DOUBLE}, ...)
 * @param value    Long, Double, Boolean, String or byte[]; null for a null value
 */
public record MetricValue(int datatype, Object value) {
    public static final int INT32 = 3;
    public static final int INT64 = 4;
    public static final int DOUBLE = 10;
    public static final int BOOLEAN = 11;
    public static final int STRING = 12;
    public static final int BYTES = 17;

    /** Deepest JSON nesting flattened; deeper parts are kept as JSON text. */
    static final int MAX_DEPTH = 8;
    /** Most leaves taken from one body; the rest are ignored (counted by the caller). */
    static final int MAX_LEAVES = 64;

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricValue m && m.datatype == datatype
                && (value instanceof byte[] b ? m.value instanceof byte[] c && Arrays.equals(b, c)
                        : Objects.equals(value, m.value));
    }

    @Override
    public int hashCode() {
        return datatype * 31 + (value instanceof byte[] b ? Arrays.hashCode(b) : Objects.hashCode(value));
    }

    /**
     * The leaves of a body under {@code base} (a metric name such as {@code sensors/temp}), in
     * document order.
     *
     * @throws IOException when a JSON body is not JSON
     */
    public static Map<String, MetricValue> flatten(String base, String bodyType, byte[] body) throws IOException {
        Map<String, MetricValue> out = new LinkedHashMap<>();
        if ("o".equals(bodyType)) {
            out.put(base, new MetricValue(BYTES, body.clone()));
        } else if ("t".equals(bodyType)) {
            out.put(base, new MetricValue(STRING, new String(body, StandardCharsets.UTF_8)));
        } else {
            try (JsonParser p = Json.factory().createParser(body)) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    throw new IOException("empty JSON body");
                }
                leaf(p, t, base, out, 0);
                if (p.nextToken() != null) {
                    throw new IOException("trailing data after the JSON value");
                }
            }
        }
        return out;
    }

    private static void leaf(JsonParser p, JsonToken t, String name, Map<String, MetricValue> out, int depth)
            throws IOException {
        switch (t) {
            case START_OBJECT -> {
                if (depth >= MAX_DEPTH) {
                    put(out, name, new MetricValue(STRING, text(p)));
                    return;
                }
                for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
                    String field = p.currentName().replace('/', '_');
                    leaf(p, p.nextToken(), name + "/" + field, out, depth + 1);
                }
            }
            case START_ARRAY -> put(out, name, new MetricValue(STRING, text(p)));
            case VALUE_TRUE, VALUE_FALSE -> put(out, name, new MetricValue(BOOLEAN, p.getBooleanValue()));
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    put(out, name, new MetricValue(DOUBLE, p.getDoubleValue()));
                } else {
                    put(out, name, new MetricValue(INT64, p.getLongValue()));
                }
            }
            case VALUE_NUMBER_FLOAT -> put(out, name, new MetricValue(DOUBLE, p.getDoubleValue()));
            case VALUE_STRING -> put(out, name, new MetricValue(STRING, p.getText()));
            case VALUE_NULL -> put(out, name, new MetricValue(0, null));
            default -> throw new IOException("unexpected JSON token " + t);
        }
    }

    private static void put(Map<String, MetricValue> out, String name, MetricValue v) {
        if (out.size() < MAX_LEAVES) {
            out.put(name, v);
        }
    }

    /** The JSON text of the structure the parser is at (an array or an object). */
    private static String text(JsonParser p) throws IOException {
        java.io.StringWriter w = new java.io.StringWriter();
        try (JsonGenerator g = Json.factory().createGenerator(w)) {
            g.copyCurrentStructure(p);
        }
        return w.toString();
    }

    /** This value as a JSON text (a command body, a plain-mode value); Bytes become base64. */
    public String json() {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return new String(Json.bytes(g -> g.writeString(s)), StandardCharsets.UTF_8);
        }
        if (value instanceof byte[] b) {
            return "\"" + java.util.Base64.getEncoder().encodeToString(b) + "\"";
        }
        return value.toString();
    }

    /** A Sparkplug metric with this value (name, datatype, timestamp set by the caller's builder). */
    public Metric.Builder into(Metric.Builder m) {
        int type = datatype == 0 ? STRING : datatype;
        m.setDatatype(type);
        if (value == null) {
            return m.setIsNull(true);
        }
        return switch (type) {
            case INT32 -> m.setIntValue(((Number) value).intValue());
            case INT64 -> m.setLongValue(((Number) value).longValue());
            case DOUBLE -> m.setDoubleValue(((Number) value).doubleValue());
            case BOOLEAN -> m.setBooleanValue((Boolean) value);
            case BYTES -> m.setBytesValue(com.google.protobuf.ByteString.copyFrom((byte[]) value));
            default -> m.setStringValue(value.toString());
        };
    }

    /**
     * The value a received metric (NCMD, DCMD) carries, as a JSON text for an RP body; null when it
     * carries none Ferry can send (a DataSet, a Template).
     */
    public static String jsonOf(Metric m) {
        if (m.getIsNull()) {
            return "null";
        }
        return switch (m.getValueCase()) {
            case INT_VALUE -> signed(m.getDatatype(), m.getIntValue());
            case LONG_VALUE -> m.getDatatype() >= 5 && m.getDatatype() <= 8
                    ? Long.toUnsignedString(m.getLongValue()) : Long.toString(m.getLongValue());
            case FLOAT_VALUE -> Float.toString(m.getFloatValue());
            case DOUBLE_VALUE -> Double.toString(m.getDoubleValue());
            case BOOLEAN_VALUE -> Boolean.toString(m.getBooleanValue());
            case STRING_VALUE -> new MetricValue(STRING, m.getStringValue()).json();
            case BYTES_VALUE -> new MetricValue(BYTES, m.getBytesValue().toByteArray()).json();
            default -> null;
        };
    }

    /** Int8/16/32 travel in uint32 as two's complement; UInt types as they are. */
    private static String signed(int datatype, int raw) {
        return switch (datatype) {
            case 1 -> Byte.toString((byte) raw);
            case 2 -> Short.toString((short) raw);
            case 3 -> Integer.toString(raw);
            default -> Integer.toUnsignedString(raw);
        };
    }
}
