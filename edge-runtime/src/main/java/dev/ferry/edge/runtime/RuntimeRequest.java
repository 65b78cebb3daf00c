package dev.ferry.edge.runtime;

/**
 * What a path below {@code /#runtime/} asks for ({@code name} may have several segments, e.g.
 * {@code peers/gw-b}): {@code name} (READ), {@code name#} (TAGS),
 * {@code name#schema} (SCHEMA), {@code name#streams/k} (STREAM), {@code name#streams/k#flow}
 * (FLOW), or anything else (UNKNOWN).
 *
 * @param resource the resource name (first segment)
 * @param kind     what is asked
 * @param stream   the stream number for STREAM and FLOW, else -1
 */
record RuntimeRequest(String resource, Kind kind, long stream) {
    enum Kind { READ, TAGS, SCHEMA, STREAM, FLOW, UNKNOWN }

    static RuntimeRequest parse(String rest) {
        int hash = rest.indexOf('#');
        String name = hash < 0 ? rest : rest.substring(0, hash);
        if (name.isEmpty() || name.endsWith("/")) {
            return new RuntimeRequest(name, Kind.UNKNOWN, -1);
        }
        if (hash < 0) {
            return new RuntimeRequest(name, Kind.READ, -1);
        }
        String tag = rest.substring(hash + 1);
        if (tag.isEmpty()) {
            return new RuntimeRequest(name, Kind.TAGS, -1);
        }
        if (tag.equals("schema")) {
            return new RuntimeRequest(name, Kind.SCHEMA, -1);
        }
        if (tag.startsWith("streams/")) {
            String num = tag.substring("streams/".length());
            Kind kind = Kind.STREAM;
            if (num.endsWith("#flow")) {
                num = num.substring(0, num.length() - "#flow".length());
                kind = Kind.FLOW;
            }
            try {
                return new RuntimeRequest(name, kind, Long.parseLong(num));
            } catch (NumberFormatException e) {
                return new RuntimeRequest(name, Kind.UNKNOWN, -1);
            }
        }
        return new RuntimeRequest(name, Kind.UNKNOWN, -1);
    }
}
