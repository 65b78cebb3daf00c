package dev.ferry.bridge.bus;

import dev.ferry.serial.link.LinkCounters;

/**
 * Link-layer figures of one station, accumulated over every link the bus built to it (a line
 * that vanished and came back continues the sums). Immutable snapshot.
 *
 * @param timeouts T1 expiries
 * @param retransmissions I-frames sent again to the station (go-back-N)
 * @param rejects REJ frames received
 * @param frmrs FRMR frames received
 * @param dms DM frames received while connected
 * @param setups successful link set-ups
 * @param messagesSent messages the station acknowledged completely
 * @param messagesReceived valid messages received from the station
 * @param framesIgnored frames the station's link layer dropped as unexpected
 * @param decodeErrors segment and header errors
 * @param rnrSent polls the host sent as RNR (its inbound queue toward the rest of Ferry was full)
 * @param rnrReceived RNR frames received (the station could take no more I-frames)
 * @param iFramesDiscarded I-frames from the station the host did not take: sent again by the
 *     station, out of sequence after a lost one, or sent while the host said RNR; the station's
 *     retransmissions as the host sees them (counted by the bus from the N(R) of its polls)
 * @param unmatchedAnswers version 2 answers to an exchange that was not open (dropped)
 */
public record LinkStats(long timeouts, long retransmissions, long rejects, long frmrs, long dms, long setups,
                        long messagesSent, long messagesReceived, long framesIgnored, long decodeErrors,
                        long rnrSent, long rnrReceived, long iFramesDiscarded, long unmatchedAnswers) {
    public static final LinkStats ZERO = new LinkStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** A snapshot of live counters (the wire counts the bus keeps are zero here). */
    public static LinkStats of(LinkCounters c) {
        return new LinkStats(c.timeouts(), c.retransmissions(), c.rejects(), c.frmrs(), c.dms(), c.setups(),
                c.messagesSent(), c.messagesReceived(), c.framesIgnored(), c.decodeErrors().totalErrors(), 0, 0, 0,
                c.unmatchedAnswers());
    }

    /** This snapshot with the bus's wire counts set. */
    public LinkStats withWire(long rnrOut, long rnrIn, long discarded) {
        return new LinkStats(timeouts, retransmissions, rejects, frmrs, dms, setups, messagesSent, messagesReceived,
                framesIgnored, decodeErrors, rnrOut, rnrIn, discarded, unmatchedAnswers);
    }

    /** Field-wise sum. */
    public LinkStats plus(LinkStats o) {
        return new LinkStats(timeouts + o.timeouts, retransmissions + o.retransmissions, rejects + o.rejects,
                frmrs + o.frmrs, dms + o.dms, setups + o.setups, messagesSent + o.messagesSent,
                messagesReceived + o.messagesReceived, framesIgnored + o.framesIgnored, decodeErrors + o.decodeErrors,
                rnrSent + o.rnrSent, rnrReceived + o.rnrReceived, iFramesDiscarded + o.iFramesDiscarded,
                unmatchedAnswers + o.unmatchedAnswers);
    }
}
