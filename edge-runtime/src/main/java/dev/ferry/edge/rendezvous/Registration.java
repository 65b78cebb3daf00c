package dev.ferry.edge.rendezvous;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One peer registered in one namespace: immutable.
 *
 * @param ns    namespace
 * @param id    peer id, unique within the namespace
 * @param addrs the peer's addresses as given (opaque bytes; Ferry's devices use UTF-8 URLs)
 */
public record Registration(String ns, String id, List<ByteString> addrs) {
    public Registration {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(id, "id");
        addrs = List.copyOf(addrs);
    }

    /** A registration whose addresses are UTF-8 strings (e.g. URLs). */
    public static Registration of(String ns, String id, String... addrs) {
        List<ByteString> a = new ArrayList<>();
        for (String s : addrs) {
            a.add(ByteString.copyFrom(s, StandardCharsets.UTF_8));
        }
        return new Registration(ns, id, a);
    }
}
