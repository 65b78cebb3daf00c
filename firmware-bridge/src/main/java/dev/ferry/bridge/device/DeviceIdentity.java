package dev.ferry.bridge.device;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who answered at an address: the fields of the MCU's {@code /info} reply
 * ({@code {"board":"host-sim","fw":"0.1.0","frame":256,"addr":1,"msg":4096}}). Missing fields are
 * "" or -1.
 *
 * @param board board name
 * @param fw firmware version
 * @param frame frame size the MCU offers
 * @param addr the station address the MCU believes it has
 * @param maxMessage the largest message the MCU reassembles, header included ({@code msg}), -1
 *     when it does not say
 * @param json the reply as received (at most {@value #MAX_JSON} characters kept)
 */
public record DeviceIdentity(String board, String fw, int frame, int addr, int maxMessage, String json) {
    static final int MAX_JSON = 512;
    private static final Pattern STRING_FIELD = Pattern.compile("\"(board|fw)\"\\s*:\\s*\"([^\"\\\\]{0,64})\"");
    private static final Pattern NUMBER_FIELD = Pattern.compile("\"(frame|addr|msg)\"\\s*:\\s*(-?\\d{1,9})");

    /** Identity of a device that did not answer {@code /info} usefully. */
    public static final DeviceIdentity UNKNOWN = new DeviceIdentity("", "", -1, -1, -1, "");

    public DeviceIdentity {
        Objects.requireNonNull(board, "board");
        Objects.requireNonNull(fw, "fw");
        Objects.requireNonNull(json, "json");
    }

    /** Reads the flat JSON object of an {@code /info} reply; empty if it names no board. */
    public static Optional<DeviceIdentity> parse(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, MAX_JSON), StandardCharsets.UTF_8);
        String board = "";
        String fw = "";
        int frame = -1;
        int addr = -1;
        int msg = -1;
        Matcher s = STRING_FIELD.matcher(text);
        while (s.find()) {
            if (s.group(1).equals("board")) {
                board = s.group(2);
            } else {
                fw = s.group(2);
            }
        }
        Matcher n = NUMBER_FIELD.matcher(text);
        while (n.find()) {
            int v = Integer.parseInt(n.group(2));
            switch (n.group(1)) {
                case "frame" -> frame = v;
                case "addr" -> addr = v;
                default -> msg = v;
            }
        }
        return board.isEmpty() ? Optional.empty() : Optional.of(new DeviceIdentity(board, fw, frame, addr, msg, text));
    }

    /** True if both describe the same device: board, firmware, frame size and address agree. */
    public boolean sameDeviceAs(DeviceIdentity o) {
        return board.equals(o.board) && fw.equals(o.fw) && frame == o.frame && addr == o.addr;
    }

    /** True unless this is {@link #UNKNOWN}-like (no board). */
    public boolean known() {
        return !board.isEmpty();
    }

    @Override
    public String toString() {
        return known() ? "board=" + board + " fw=" + fw + " frame=" + frame + " addr=" + addr : "unknown";
    }
}
