package dev.ferry.bridge.line;

/**
 * RS-485 direction handled by the kernel driver (TIOCSRS485): the UART driver asserts RTS while
 * sending. {@link SerialLine#open} applies these settings through jSerialComm's
 * {@code setRs485ModeParameters}; the gate itself does nothing around a send.
 *
 * <p>Not available on a Raspberry Pi's PL011 UART; use {@link DirectionPin} there.
 *
 * @param activeHigh RTS high while sending
 * @param delayBeforeSendMicros delay between asserting RTS and the first bit
 * @param delayAfterSendMicros delay between the last bit and releasing RTS
 */
public record KernelRs485(boolean activeHigh, int delayBeforeSendMicros, int delayAfterSendMicros)
        implements TransmitGate {

    public KernelRs485 {
        if (delayBeforeSendMicros < 0 || delayAfterSendMicros < 0) {
            throw new IllegalArgumentException("RS-485 delays must be >= 0");
        }
    }

    @Override
    public void beforeSend(int byteCount) {
    }

    @Override
    public void afterSend(int byteCount) {
    }
}
