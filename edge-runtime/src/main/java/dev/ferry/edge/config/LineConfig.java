package dev.ferry.edge.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One {@code [[lines]]} entry: a serial line Ferry masters. Exactly one of {@link #port()} and
 * {@link #hostProfile()} is present, unless {@link #simulate()} is true, in which case neither is.
 *
 * @param name              unique line name
 * @param port              tty path, e.g. {@code /dev/ttyAMA0}
 * @param hostProfile       a host board profile name (e.g. {@code rpi4}) whose {@code uart_port}
 *                          another component resolves
 * @param baud              one of {@link #STANDARD_BAUDS} (default 115200)
 * @param frameSize         largest frame offered at link set-up, 32..2048 (default 256)
 * @param window            I-frames in flight, 1..7 (default 4)
 * @param rs485             direction control (default none)
 * @param rs485Pin          BCM pin driving DE/RE, 0..27; present iff rs485 is GPIO
 * @param responseTimeoutMs reply timeout, 0 = computed from baud and frame size (default 0)
 * @param downAfter         unanswered polls before a device is down, 1..100 (default 3)
 * @param reprobeMaxMs      longest back-off between probes of a down device, 100..3600000 (default 30000)
 * @param idlePollMs        gap between polls of a device that had nothing to say, 0..10000
 * @param idlePollMaxMs     the gap doubles per empty poll up to this, 0..10000 (adaptive idle polling)
 * @param protocol          newest RP/serial version offered at link set-up, 1 or 2
 *                          (default 5); 0 = poll back to back: MCU-initiated data goes out at
 *                          once, but the line is never quiet, so host requests wait for the idle
 *                          turn in flight, and the host spends CPU on empty turns
 * @param resetPin          optional BCM pin that resets the MCUs, 0..27
 * @param simulate          Ferry starts the host-sim firmware itself for this line (default false)
 */
public record LineConfig(String name, Optional<String> port, Optional<String> hostProfile, int baud,
        int frameSize, int window, Rs485 rs485, OptionalInt rs485Pin, int responseTimeoutMs,
        int downAfter, int reprobeMaxMs, int idlePollMs, int idlePollMaxMs, int protocol, OptionalInt resetPin,
        boolean simulate) {

    /** RS-485 direction control: none (plain UART), a GPIO pin timed by Ferry, or the kernel's. */
    public enum Rs485 { NONE, GPIO, KERNEL }

    /** The baud rates accepted, in order. */
    public static final List<Integer> STANDARD_BAUDS = List.of(1200, 2400, 4800, 9600, 19200, 38400,
            57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000,
            2000000, 2500000, 3000000, 3500000, 4000000);

    public LineConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(hostProfile, "hostProfile");
        Objects.requireNonNull(rs485, "rs485");
        Objects.requireNonNull(rs485Pin, "rs485Pin");
        Objects.requireNonNull(resetPin, "resetPin");
    }
}
