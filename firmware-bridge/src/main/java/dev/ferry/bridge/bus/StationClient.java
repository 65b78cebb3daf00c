package dev.ferry.bridge.bus;

import dev.ferry.rp.DecodeError;
import dev.ferry.rp.Message;
import dev.ferry.rp.Path;
import dev.ferry.serial.link.LinkParams;
import java.util.List;

/**
 * What sits above one station on the bus (a device session). Every method is called on the
 * bus thread, synchronously, so implementations must be quick and must not block (hand work to
 * another thread through a bounded queue); {@code now} is the bus clock's time.
 */
public interface StationClient {

    /** The bus is about to send SNRM to the station (a link set-up attempt). */
    void onSetupAttempt(long now);

    /** The link came up with these negotiated parameters. */
    void onLinkUp(LinkParams negotiated, long now);

    /** The link went down (timeouts, DM, FRMR, the line vanished); {@code reason} is for people. */
    void onLinkDown(String reason, long now);

    /** A complete message from the station. */
    void onMessage(Message message, long now);

    /** A message from the station was dropped with this (already counted) error. */
    void onDecodeError(DecodeError error);

    /**
     * A turn with this station ended.
     *
     * @param setupAttempt the turn sent SNRM
     * @param linkUp the link is connected after the turn
     */
    void afterTurn(boolean setupAttempt, boolean linkUp, long now);

    /** The next message toward the station, or null; it is then owned by the bus. */
    Message pollOutbound();

    /** True if a message is waiting for {@link #pollOutbound()}. */
    boolean hasOutbound();

    /**
     * True while the host cannot take {@code window} more messages from this station; the bus
     * then polls with RNR until it can (flow control reaches the wire).
     */
    boolean inboundBusy(int window);

    /**
     * The station's resource table as learned so far (version 2 index forms, PROTOCOL.md 8.2);
     * empty until known. Must be emptied when the link goes down.
     */
    default List<Path> resourceTable() {
        return List.of();
    }
}
