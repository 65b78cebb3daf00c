package dev.ferry.edge.serial;

import dev.ferry.bridge.bus.LineSnapshot;
import dev.ferry.bridge.bus.LineState;
import dev.ferry.bridge.bus.LinkStats;
import dev.ferry.bridge.device.DeviceCounters;
import dev.ferry.bridge.device.DeviceSnapshot;
import dev.ferry.bridge.device.DeviceState;
import dev.ferry.bridge.device.LineRunner;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.rp.DecodeError;
import java.util.Locale;

/**
 * The serial lines' and devices' figures in {@link Metrics}: one collector per line, which takes
 * one {@link LineSnapshot} and one {@link DeviceSnapshot} per device each scrape, so the series
 * of a line agree with each other. Series are labelled {@code port} (the configured port path, any
 * characters; {@code ferry_line_info} pairs it with the line's name) and {@code device}; every running total is a {@code _total} counter. Link-layer
 * figures that were counted but not shown before are here: retransmissions both ways (the host's
 * resent I-frames, and the device's frames the host discarded), RNR sent and received, REJ, FRMR
 * and DM received, frames ignored, link set-ups.
 */
public final class SerialMetrics {
    private SerialMetrics() { }

    /** Describes the families and registers one collector per line of {@code lines}. */
    public static void register(Metrics metrics, SerialLines lines) {
        describe(metrics);
        for (LineRunner r : lines.runners()) {
            String line = lines.name(r);
            metrics.collector("serial:" + line, out -> collect(r, line, out));
        }
    }

    static void collect(LineRunner r, String line, Metrics.Samples out) {
        LineSnapshot s = r.lineSnapshot();
        String port = r.spec().port();
        out.gauge("ferry_line_info", 1, "line", line, "port", port);
        out.gauge("ferry_line_open", s.state() == LineState.OPEN ? 1 : 0, "port", port);
        out.counter("ferry_line_bytes_in_total", s.bytesIn(), "port", port);
        out.counter("ferry_line_bytes_out_total", s.bytesOut(), "port", port);
        out.counter("ferry_line_frames_good_total", s.framesGood(), "port", port);
        for (DecodeError e : DecodeError.values()) {
            out.counter("ferry_line_frame_errors_total", s.frameErrors().getOrDefault(e, 0L),
                    "port", port, "kind", e.name());
        }
        out.counter("ferry_line_frames_foreign_total", s.framesForeign(), "port", port);
        out.counter("ferry_line_turns_total", s.turns(), "port", port);
        out.counter("ferry_line_unnumbered_polls_total", s.unnumberedPolls(), "port", port);
        out.counter("ferry_line_timeouts_total", s.timeouts(), "port", port);
        out.counter("ferry_line_retransmissions_total", s.retransmissions(), "port", port);
        out.counter("ferry_line_broadcasts_total", s.broadcasts(), "port", port);
        out.counter("ferry_line_opens_total", s.opens(), "port", port);
        out.counter("ferry_line_failures_total", s.failures(), "port", port);
        for (DeviceSnapshot d : r.deviceSnapshots()) {
            device(d, line, out);
        }
    }

    private static void device(DeviceSnapshot d, String line, Metrics.Samples out) {
        String name = d.name();
        out.gauge("ferry_device_attached", d.state() == DeviceState.ATTACHED ? 1 : 0, "device", name, "line", line);
        out.gauge("ferry_device_queue_out", d.queuedOut(), "device", name);
        out.gauge("ferry_device_queue_in", d.queuedIn(), "device", name);
        out.gauge("ferry_device_frame_bytes", d.frameSize(), "device", name);
        out.gauge("ferry_device_window", d.window(), "device", name);
        out.counter("ferry_device_messages_in_total", d.messagesIn(), "device", name);
        out.counter("ferry_device_messages_out_total", d.messagesOut(), "device", name);
        for (DeviceCounters.Drop drop : DeviceCounters.Drop.values()) {
            out.counter("ferry_device_dropped_total", d.drops().getOrDefault(drop, 0L),
                    "device", name, "reason", drop.name().toLowerCase(Locale.ROOT));
        }
        out.counter("ferry_device_link_resets_total", d.linkResets(), "device", name);
        out.counter("ferry_device_mcu_resets_total", d.mcuResets(), "device", name);
        LinkStats l = d.link();
        out.counter("ferry_device_retransmissions_total", l.retransmissions(), "device", name, "direction", "to_device");
        out.counter("ferry_device_retransmissions_total", l.iFramesDiscarded(), "device", name, "direction", "from_device");
        out.counter("ferry_device_rnr_total", l.rnrSent(), "device", name, "direction", "to_device");
        out.counter("ferry_device_rnr_total", l.rnrReceived(), "device", name, "direction", "from_device");
        out.counter("ferry_device_link_timeouts_total", l.timeouts(), "device", name);
        out.counter("ferry_device_rejects_total", l.rejects(), "device", name);
        out.counter("ferry_device_frmrs_total", l.frmrs(), "device", name);
        out.counter("ferry_device_dms_total", l.dms(), "device", name);
        out.counter("ferry_device_link_setups_total", l.setups(), "device", name);
        out.counter("ferry_device_frames_ignored_total", l.framesIgnored(), "device", name);
        out.counter("ferry_device_decode_errors_total", l.decodeErrors(), "device", name);
    }

    private static void describe(Metrics m) {
        m.describe("ferry_line_info", "A serial line's configured name and its port path (always 1).");
        m.describe("ferry_line_open", "1 while the serial line's port is open and polled.");
        m.describe("ferry_line_bytes_in_total", "Bytes read from the serial line.");
        m.describe("ferry_line_bytes_out_total", "Bytes written to the serial line.");
        m.describe("ferry_line_frames_good_total", "Frames that passed COBS and CRC.");
        m.describe("ferry_line_frame_errors_total", "Frames dropped by the frame decoder, by kind.");
        m.describe("ferry_line_frames_foreign_total", "Good frames for another station or outside any turn (ignored).");
        m.describe("ferry_line_turns_total", "Poll turns taken (a UP polling n stations counts n).");
        m.describe("ferry_line_unnumbered_polls_total", "UP frames sent: idle stations polled together (RP/serial 2.1).");
        m.describe("ferry_line_timeouts_total", "Turns that ended with no final frame within T1, all stations.");
        m.describe("ferry_line_retransmissions_total", "I-frames the host sent again, all stations.");
        m.describe("ferry_line_broadcasts_total", "Broadcast messages sent.");
        m.describe("ferry_line_opens_total", "Successful opens of the port.");
        m.describe("ferry_line_failures_total", "Times the open port failed (unplugged, I/O error).");
        m.describe("ferry_device_attached", "1 while the device is attached (linked and identified).");
        m.describe("ferry_device_queue_out", "Messages waiting toward the device.");
        m.describe("ferry_device_queue_in", "Messages from the device waiting toward the rest of Ferry.");
        m.describe("ferry_device_frame_bytes", "Negotiated maximum frame size N, 0 while the link is down.");
        m.describe("ferry_device_window", "Negotiated window k, 0 while the link is down.");
        m.describe("ferry_device_messages_in_total", "Messages from the device passed on.");
        m.describe("ferry_device_messages_out_total", "Messages accepted toward the device.");
        m.describe("ferry_device_dropped_total", "Messages to or from the device not carried, by reason.");
        m.describe("ferry_device_link_resets_total", "Established links to the device that were lost.");
        m.describe("ferry_device_mcu_resets_total", "Reset pulses sent to the device.");
        m.describe("ferry_device_retransmissions_total", "I-frames sent again: to_device by the host (go-back-N);"
                + " from_device the device's I-frames the host discarded (repeated or out of sequence).");
        m.describe("ferry_device_rnr_total", "RNR (receive not ready): to_device polls the host sent as RNR"
                + " (its queue toward Ferry was full), from_device RNR frames the device answered with.");
        m.describe("ferry_device_link_timeouts_total", "Turns with the device that ended without a final frame (T1).");
        m.describe("ferry_device_rejects_total", "REJ frames received from the device.");
        m.describe("ferry_device_frmrs_total", "FRMR frames received from the device.");
        m.describe("ferry_device_dms_total", "DM frames received from the device while connected.");
        m.describe("ferry_device_link_setups_total", "Successful link set-ups with the device.");
        m.describe("ferry_device_frames_ignored_total", "Frames from the device its link layer dropped as unexpected.");
        m.describe("ferry_device_decode_errors_total", "Segment and header errors in messages from the device.");
    }
}
