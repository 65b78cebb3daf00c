package dev.ferry.edge.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A socket address as written in the config: {@code host:port}, where host is a DNS name, an IPv4
 * address or a bracketed IPv6 address ({@code [::1]:8080}). {@link #host()} never has brackets.
 * Port 0 means "any free port" and is only meaningful for listening addresses. Names are not
 * resolved here.
 *
 * @param host name or address, without brackets
 * @param port 0..65535
 */
public record HostPort(String host, int port) {
    private static final Pattern NAME =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (!isValidHost(host)) {
            throw new IllegalArgumentException("bad host " + host);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 0..65535");
        }
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException with a short reason (e.g. {@code missing port}) if malformed
     */
    public static HostPort parse(String text) {
        Objects.requireNonNull(text, "text");
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']'");
            }
            host = text.substring(1, close);
            if (!isIpv6(host)) {
                throw new IllegalArgumentException("bad IPv6 address");
            }
            if (close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("missing port");
            }
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("missing port");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("IPv6 addresses need brackets");
            }
            if (!NAME.matcher(host).matches() || host.length() > 253) {
                throw new IllegalArgumentException("bad host");
            }
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("bad port");
        }
        int p = Integer.parseInt(port);
        if (p > 65535) {
            throw new IllegalArgumentException("port outside 0..65535");
        }
        return new HostPort(host, p);
    }

    /** Whether {@code host} is a DNS name, an IPv4 address or an IPv6 address (no brackets). */
    public static boolean isValidHost(String host) {
        if (host == null || host.isEmpty() || host.length() > 253) {
            return false;
        }
        return host.indexOf(':') >= 0 ? isIpv6(host) : NAME.matcher(host).matches();
    }

    private static boolean isIpv6(String host) {
        return host.indexOf(':') >= 0 && IPV6.matcher(host).matches();
    }

    /** Whether the host is an IPv6 literal. */
    public boolean isIpv6() {
        return host.indexOf(':') >= 0;
    }

    /**
     * Whether only this machine can reach the address: {@code localhost}, or an IPv4 literal in
     * 127.0.0.0/8, or the IPv6 literal {@code ::1}. Other names are not resolved and count as
     * reachable from the network, as do wildcard addresses ({@code 0.0.0.0}, {@code ::}).
     */
    public boolean isLoopback() {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!isIpv6() && !IPV4.matcher(host).matches()) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress(); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The address as it would be written in the config: {@code host:port} or {@code [v6]:port}. */
    @Override
    public String toString() {
        return (isIpv6() ? "[" + host + "]" : host) + ":" + port;
    }
}
