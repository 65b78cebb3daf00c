package dev.ferry.edge.security;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The names a verified client certificate gives its holder, for looking it up in the token store:
 * the subject's CN first, then the subjectAltName entries of type DNS, email and URI, in order.
 * Worked out once per TLS session and kept with it.
 */
public final class CertificateNames {
    private CertificateNames() { }

    /** The names of the client certificate verified on {@code channel}'s TLS handshake; empty if none. */
    public static List<String> of(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return List.of();
        }
        SSLSession session = ssl.engine().getSession();
        if (session.getValue(KEY) instanceof Names cached) {
            return cached.names;
        }
        List<String> names;
        try {
            Certificate[] peer = session.getPeerCertificates();
            names = peer.length > 0 && peer[0] instanceof X509Certificate leaf ? List.copyOf(of(leaf)) : List.of();
        } catch (SSLPeerUnverifiedException e) {
            names = List.of();                 // no certificate: asked once per session, not per request
        }
        session.putValue(KEY, new Names(names));
        return names;
    }

    private static final String KEY = "dev.ferry.certificate-names";

    /** The names kept with a TLS session (its certificates do not change). */
    private record Names(List<String> names) { }

    /** The names {@code cert} gives. */
    public static List<String> of(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            for (Rdn r : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (r.getType().equalsIgnoreCase("CN")) {
                    names.add(0, String.valueOf(r.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            // no usable subject: the SANs may still name it
        }
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 1 || type == 2 || type == 6) {       // rfc822Name, dNSName, URI
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // keep the CN
        }
        return names;
    }
}
