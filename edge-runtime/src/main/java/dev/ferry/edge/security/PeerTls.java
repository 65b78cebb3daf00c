package dev.ferry.edge.security;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.ssl.SslProvider;
import java.net.Socket;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS 1.3 contexts made from this node's Ed25519 identity and its trusted keys ({@link NodeKeys}),
 * for Netty's {@code SslHandler} on the JDK's own provider (DESIGN.md 11: TLS is a pipeline stage).
 *
 * <p>What callers may rely on: only TLS 1.3; both sides always present the node's key (as a
 * {@link SelfSignedCertificate}) and a server always requires the client's; a peer is accepted
 * only when the public key it proves it holds is trusted <em>for the peer id the context was
 * made for</em> ({@link #serverFor}/{@link #clientFor}); names, issuers and dates in the peer's
 * certificate are ignored (keys are pinned, there is no CA). A refused key fails the handshake
 * with a {@link Refused} cause naming why ({@link #reason}), so no application byte is read
 * from it. Hostname verification is off: the key is the identity.
 *
 * <p>Contexts are immutable and may be shared by any number of connections; making one costs a
 * little (a key store in memory), so make one per peer at start-up. Also for other listeners
 * that authenticate peers by key ({@link #serverForAnyTrusted}, then {@link #peerKey}).
 */
public final class PeerTls {
    /** Refusal reasons, as counted and logged. */
    public static final String UNTRUSTED_KEY = "untrusted_key";
    public static final String WRONG_PEER = "wrong_peer";
    public static final String HANDSHAKE_TIMEOUT = "handshake_timeout";
    public static final String NOT_TLS = "not_tls";
    public static final String TLS_FAILED = "tls_failed";

    private final NodeKeys keys;
    private final X509Certificate certificate;

    private PeerTls(NodeKeys keys, String nodeId) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.certificate = SelfSignedCertificate.create(keys.identity(), nodeId);
    }

    /** Contexts for this node ({@code nodeId} only names the certificate's subject). */
    public static PeerTls create(NodeKeys keys, String nodeId) {
        return new PeerTls(keys, nodeId);
    }

    public NodeKeys keys() {
        return keys;
    }

    /** This node's certificate (self-signed, carrying its Ed25519 key). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** A server context accepting only clients whose key is trusted for {@code peerId}. */
    public SslContext serverFor(String peerId) {
        return server(new Pinned(k -> keys.trustedFor(k, peerId), peerId));
    }

    /** A client context accepting only a server whose key is trusted for {@code peerId}. */
    public SslContext clientFor(String peerId) {
        return client(new Pinned(k -> keys.trustedFor(k, peerId), peerId));
    }

    /** A server context accepting any client whose key is trusted for some peer id. */
    public SslContext serverForAnyTrusted() {
        return server(new Pinned(k -> !keys.boundIds(k).isEmpty(), null));
    }

    /** The peer ids the authenticated peer of {@code session} may speak for. */
    public Set<String> peerIds(SSLSession session) {
        return peerKey(session).map(keys::boundIds).orElse(Set.of());
    }

    /** The public key the peer of a completed handshake proved it holds. */
    public static Optional<PublicKey> peerKey(SSLSession session) {
        try {
            java.security.cert.Certificate[] chain = session.getPeerCertificates();
            return chain.length == 0 ? Optional.empty() : Optional.of(chain[0].getPublicKey());
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    private SslContext server(Pinned trust) {
        try {
            return SslContextBuilder.forServer(keys.identity().getPrivate(), certificate)
                    .sslProvider(SslProvider.JDK).protocols("TLSv1.3").clientAuth(ClientAuth.REQUIRE)
                    .trustManager(trust).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot make a TLS 1.3 server context: " + e.getMessage(), e);
        }
    }

    private SslContext client(Pinned trust) {
        try {
            return SslContextBuilder.forClient().keyManager(keys.identity().getPrivate(), certificate)
                    .sslProvider(SslProvider.JDK).protocols("TLSv1.3").endpointIdentificationAlgorithm(null)
                    .trustManager(trust).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot make a TLS 1.3 client context: " + e.getMessage(), e);
        }
    }

    /**
     * Why a handshake failed, as one of {@link #UNTRUSTED_KEY}, {@link #WRONG_PEER},
     * {@link #HANDSHAKE_TIMEOUT}, {@link #NOT_TLS} (the other side does not speak TLS) or
     * {@link #TLS_FAILED} (anything else, including a refusal by the other side).
     */
    public static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Refused r) {
                return r.reason();
            }
            if (t instanceof SslHandshakeTimeoutException) {
                return HANDSHAKE_TIMEOUT;
            }
            if (t instanceof io.netty.handler.ssl.NotSslRecordException) {
                return NOT_TLS;
            }
        }
        return TLS_FAILED;
    }

    /** The trust manager's refusal: a reason code and a message fit for a log line. */
    public static final class Refused extends CertificateException {
        private final String reason;

        Refused(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** Trusts the leaf key of a chain when {@code accept} says so; nothing else is checked. */
    private final class Pinned extends X509ExtendedTrustManager {
        private final Predicate<PublicKey> accept;
        private final String peerId;

        Pinned(Predicate<PublicKey> accept, String peerId) {
            this.accept = accept;
            this.peerId = peerId;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new Refused(UNTRUSTED_KEY, "no certificate");
            }
            PublicKey k = chain[0].getPublicKey();
            if (!"Ed25519".equals(k.getAlgorithm()) && !"EdDSA".equals(k.getAlgorithm())) {
                throw new Refused(UNTRUSTED_KEY, "a " + k.getAlgorithm() + " key (peers use Ed25519 keys)");
            }
            if (accept.test(k)) {
                return;
            }
            Set<String> ids = keys.boundIds(k);
            if (ids.isEmpty()) {
                throw new Refused(UNTRUSTED_KEY, "key " + NodeKeys.fingerprint(k) + " is not trusted");
            }
            throw new Refused(WRONG_PEER, "key " + NodeKeys.fingerprint(k) + " is trusted for " + ids
                    + ", not for " + peerId);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
