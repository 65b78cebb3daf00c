package dev.ferry.serial.link;

import dev.ferry.rp.DecodeError;
import dev.ferry.rp.Message;

/**
 * Receives what a station delivers. Calls come synchronously from the thread driving the
 * station, inside {@code receive}/{@code timeout}; implementations must not call back into the
 * station's turn methods from them (offering messages is fine).
 */
public interface LinkListener {
    /** A complete, valid message from the peer. */
    void onMessage(int address, Message message);

    /** The link came up with these negotiated parameters. */
    default void onLinkUp(int address, LinkParams negotiated) {
    }

    /** The link was lost or refused; {@code reason} is for logs. */
    default void onLinkDown(int address, String reason) {
    }

    /** A message from the peer was dropped with this (counted) error. */
    default void onDecodeError(int address, DecodeError error) {
    }

    /** The peer answered a TEST command with these bytes. */
    default void onTestResponse(int address, byte[] data) {
    }
}
