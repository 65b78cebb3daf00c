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

/**
 * The names a verified client certificate gives its holder, for looking it up in the token store:
 * the subject's CN first, then the subjectAltName entries of type DNS, email and URI, in order.
 */
public final class CertificateNames {
    private CertificateNames() { }

    /** The names of the client certificate verified on {@code channel}'s TLS handshake; empty if none. */
    public static List<String> of(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return List.of();
        }
        Certificate[] peer;
        try {
            peer = ssl.engine().getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
        return peer.length > 0 && peer[0] instanceof X509Certificate leaf ? of(leaf) : List.of();
    }

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
