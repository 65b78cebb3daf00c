/* Turnaround accounting: the idle gaps on the medium between the end of one transmission's last
 * byte and the start of the next one's first byte, exact because the simulator paces the bytes.
 *
 * A "run" is a sequence of bytes of one sender in back-to-back slots. When a run starts, the gap
 * since the previous run ended is filed by who spoke before and who speaks now:
 *   HOST     a device's run ended -> the host's run starts (the bus master's turnaround: read,
 *            decode, next turn, write, plus the host pty hop and the simulator's own wake-up)
 *   STATION  the host's run ended -> a device's run starts (the rig and firmware's turnaround:
 *            device pty hops, process wake-ups, decoding, the answer's write)
 *   SAME     the same node again after a pause (e.g. a frame written in two pieces, or the host
 *            polling again after a timeout)
 *   OTHER    a device after another device
 * Slots with two transmitters (collisions) end the current run without a sender, so the next gap
 * is not filed. Gaps are kept in a histogram of 1 us buckets up to LS_GAP_US_MAX (longer ones in
 * one overflow bucket) for the median and p99, with their sum for the mean. Bounded memory.
 */
#ifndef LINESIM_GAPS_H
#define LINESIM_GAPS_H

#include <stddef.h>
#include <stdint.h>

#define LS_GAP_US_MAX 65536

enum { LS_GAP_HOST, LS_GAP_STATION, LS_GAP_SAME, LS_GAP_OTHER, LS_GAP_KINDS };

typedef struct {
    uint32_t *hist;             /* [LS_GAP_KINDS][LS_GAP_US_MAX + 1] */
    uint64_t n[LS_GAP_KINDS];
    uint64_t sum_ns[LS_GAP_KINDS];
    uint64_t busy_ns;           /* time the medium carried bytes (one slot per carried byte) */
    uint64_t overlaps;          /* runs that started before the previous one ended (full duplex) */
    int last_sender;            /* node index of the last run; -1 none or a collision */
    int64_t last_end;
} ls_gaps_t;

/* Returns 0, or -1 when out of memory. */
int gaps_init(ls_gaps_t *g);
void gaps_free(ls_gaps_t *g);

/* Forgets everything measured so far (the next run files no gap). */
void gaps_reset(ls_gaps_t *g);

/* One slot from start to end carried a byte of sender (node index; -1: a collision). */
void gaps_byte(ls_gaps_t *g, int sender, int64_t start, int64_t end);

/* "GAPS busy_us=.. overlaps=.. host=n,mean,p50,p99,max station=.. same=.. other=.." (us). */
void gaps_format(const ls_gaps_t *g, char *out, size_t len);

#endif
