/* The wire: carries bytes between nodes one character slot at a time, at the baud rate, with
 * noise. Semantics are those of the former Java dev.ferry.sim.Medium:
 *
 * A lane is a set of nodes sharing one transmission medium. In each slot (10 bit times) every
 * sender of the lane with a byte waiting since before the slot began puts one byte on the lane.
 * One transmitter: its byte reaches every other member. Two or more: the slot is a collision and
 * the non-transmitting members receive a random byte. Then the byte may be dropped (probability
 * drop) or have each of its 8 data bits inverted (probability ber). A byte is never delivered
 * before its slot ends, so n bytes take n slots.
 *
 * Delivery is batched as a UART receive FIFO does it: each receiver gets the bytes of a burst
 * together when the burst ends (the lane goes quiet) or when LS_CHUNK have piled up, whichever
 * is first. A UART is two lanes, each with one sender; a bus is one lane holding every node.
 * All random draws come from one seeded generator, in slot order.
 */
#ifndef LINESIM_MEDIUM_H
#define LINESIM_MEDIUM_H

#include "gaps.h"
#include "node.h"

#include <stdint.h>

#define LS_CHUNK 16                 /* largest batch handed to a receiver at once */
#define LS_NEVER INT64_MAX

typedef struct {
    uint64_t sent;        /* bytes taken from transmitters (one per transmitter per slot) */
    uint64_t delivered;   /* bytes handed to receivers' buffers (one per receiver) */
    uint64_t flipped;     /* data bits inverted */
    uint64_t dropped;     /* slots dropped on purpose */
    uint64_t collisions;  /* slots with two or more transmitters */
    uint64_t overruns;    /* bytes lost because a receiver's buffer was full or it was unplugged */
} ls_counters_t;

typedef struct ls_lane ls_lane_t;

typedef struct {
    ls_node_t *nodes;
    int nnodes;
    long baud;
    double ber;
    double drop;
    uint64_t rng;
    ls_lane_t *lanes;
    int nlanes;
    unsigned char *sending; /* per node, scratch for one slot */
    ls_counters_t c;
    ls_gaps_t gaps;         /* turnaround accounting (gaps.h) */
} ls_medium_t;

/* Node 0 is the host. bus != 0 or nnodes > 2: one lane; else two (host -> device, device -> host).
 * Returns 0, or -1 when out of memory. */
int medium_init(ls_medium_t *m, ls_node_t *nodes, int nnodes, long baud, double ber, double drop,
                uint64_t seed, int bus);

void medium_free(ls_medium_t *m);

/* Carries every slot that has ended by now; returns when to call again (LS_NEVER: when a node
 * has new bytes). */
int64_t medium_advance(ls_medium_t *m, int64_t now);

#endif
