package dev.ferry.sim;


/**
 * The simulator's turnaround accounting since its start or the last {@link LineSimulator#resetGaps()}:
 * the idle gaps on the medium between the end of one transmission's last byte and the start of
 * the next one's first byte, exact to the simulator's pacing ({@code tests/linesim/gaps.h}).
 *
 * @param busyMicros time the medium carried bytes (one character slot per byte)
 * @param overlaps transmissions that started before the previous one ended (full duplex only)
 * @param host a device's transmission ended, then the host's started: the bus master's share
 *     (plus the host pty hop and the simulator's wake-up)
 * @param station the host's transmission ended, then a device's started: the rig and firmware's share
 * @param same the same node again after a pause
 * @param other a device after another device
 */
public record SimGaps(long busyMicros, long overlaps, Kind host, Kind station, Kind same, Kind other) {

    /**
     * Gaps of one kind, in microseconds (1 us resolution; quantiles cap at 65,536 us).
     *
     * @param count how many
     * @param meanMicros their mean
     * @param p50Micros median
     * @param p99Micros 99th percentile
     * @param maxMicros largest
     */
    public record Kind(long count, double meanMicros, long p50Micros, long p99Micros, long maxMicros) {
        static Kind parse(String v, String line) {
            String[] f = v.split(",");
            if (f.length != 5) {
                throw new IllegalArgumentException("bad gap figures in " + line);
            }
            return new Kind(Long.parseLong(f[0]), Double.parseDouble(f[1]), Long.parseLong(f[2]),
                    Long.parseLong(f[3]), Long.parseLong(f[4]));
        }

        /** Sum of the gaps, in microseconds. */
        public double totalMicros() {
            return count * meanMicros;
        }
    }

    /**
     * Parses ferry-linesim's reply to {@code gaps}.
     *
     * @throws IllegalArgumentException if the line is not such a reply
     */
    static SimGaps parse(String line) {
        SimReply r = SimReply.parse(line, "GAPS", 6);
        return new SimGaps(r.number("busy_us"), r.number("overlaps"), Kind.parse(r.text("host"), line),
                Kind.parse(r.text("station"), line), Kind.parse(r.text("same"), line), Kind.parse(r.text("other"), line));
    }
}
