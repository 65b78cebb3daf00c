package dev.ferry.edge.resi;

import dev.ferry.edge.proto.resi.Extension;
import java.util.Objects;

/**
 * A Modify extension a peer sent that this gateway does not know and that is marked
 * {@code pass = true}: the seed says such extensions are passed to other ESI servers
 * ({@link ExtensionRelay}). Immutable.
 *
 * @param ext       the extension as received
 * @param request   true for a ModifyRequest, false for a ModifyResponse
 * @param origin    node id of the gateway that first sent it (the sending peer when it did not say)
 * @param originSeq what the origin numbered it (the envelope's sequence number when it did not say)
 * @param hops      relays it passed through before reaching this gateway (0: from its origin)
 */
public record PassedExtension(Extension ext, boolean request, String origin, long originSeq, int hops) {
    public PassedExtension {
        Objects.requireNonNull(ext, "ext");
        Objects.requireNonNull(origin, "origin");
    }
}
