package dev.ferry.serial.frame;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A link frame before stuffing: address, control byte and information field (PROTOCOL.md 3).
 * Immutable; the information field is copied in and out. Address and control are 0..255.
 */
public final class Frame {
    private static final byte[] EMPTY = new byte[0];

    private final int address;
    private final int control;
    private final byte[] info;

    /** @throws IllegalArgumentException if address or control is outside 0..255 */
    public Frame(int address, int control, byte[] info) {
        this(address, control, info, 0, info.length);
    }

    /** A frame whose information field is a copy of {@code info[off, off+len)}. */
    public Frame(int address, int control, byte[] info, int off, int len) {
        if ((address & ~0xFF) != 0 || (control & ~0xFF) != 0) {
            throw new IllegalArgumentException("address/control must be a byte: " + address + "/" + control);
        }
        this.address = address;
        this.control = control;
        this.info = len == 0 ? EMPTY : Arrays.copyOfRange(info, off, off + len);
    }

    /** A frame without information field. */
    public Frame(int address, int control) {
        this(address, control, EMPTY, 0, 0);
    }

    public int address() {
        return address;
    }

    public int control() {
        return control;
    }

    /** A copy of the information field. */
    public byte[] info() {
        return info.length == 0 ? EMPTY : info.clone();
    }

    public int infoLength() {
        return info.length;
    }

    /** Byte {@code i} of the information field, 0..255. */
    public int infoByte(int i) {
        return info[i] & 0xFF;
    }

    /** Unstuffed size: address + control + information + 2 CRC bytes. */
    public int unstuffedLength() {
        return info.length + 4;
    }

    /** Copies the information field into {@code dst}. */
    public void copyInfo(byte[] dst, int dstOff) {
        System.arraycopy(info, 0, dst, dstOff, info.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.address == address && f.control == control && Arrays.equals(f.info, info);
    }

    @Override
    public int hashCode() {
        return (address * 31 + control) * 31 + Arrays.hashCode(info);
    }

    @Override
    public String toString() {
        return String.format("Frame[%02x %02x %s]", address, control,
                info.length == 0 ? "-" : HexFormat.of().formatHex(info, 0, Math.min(info.length, 32)));
    }
}
