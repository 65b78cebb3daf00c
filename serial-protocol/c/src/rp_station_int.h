/* rp_station_int.h - internals shared by rp_station.c (receive side) and rp_station_tx.c. */
#ifndef RP_STATION_INT_H
#define RP_STATION_INT_H

#include "rp.h"

/* One transmission: a leading 00, then frames, written through a chunk on the stack. */
typedef struct {
    rp_sink_t s;
    uint8_t chunk[RP_TX_CHUNK];
} rp_out_t;

void rp_st_out_begin(rp_station_t *st, rp_out_t *o);
/* A frame with address, control and optionally a segment byte (seg >= 0), then body. */
void rp_st_out_frame(rp_station_t *st, rp_out_t *o, uint8_t control, int16_t seg,
                     const uint8_t *body, size_t n);
void rp_st_out_end(rp_out_t *o);

/* Answer a poll while connected: I-frames and/or RR/RNR/REJ, the last with F = 1. */
void rp_st_answer_poll(rp_station_t *st);
/* N(R) within [oldest unacknowledged, V(S)]? */
bool rp_st_nr_ok(const rp_station_t *st, uint8_t nr);
/* Acknowledge up to nr - 1, freeing fully acknowledged messages. */
void rp_st_ack(rp_station_t *st, uint8_t nr);
/* Link reset: the first queued message will be sent again from its first segment. */
void rp_st_tx_restart(rp_station_t *st);
void rp_st_count(rp_station_t *st, rp_err_t err);

#endif
