package dev.ferry.edge.resi;

/** A peer link's counters; guarded by the link's monitor. */
final class LinkCounters {
    long sent;
    long delivered;
    long resends;
    long ackTimeouts;
    long backpressure;
    long refusedDown;
    long tooLong;
    long sendRefused;
    long garbage;
    long badMessages;
    long beforeHandshake;
    long handshakeTimeouts;
    long refusals;
    long extensionsPassed;
    long extensionsDropped;
    long resendsHeld;
    long resendRequestsSent;
    long resendRequestsReceived;
}
