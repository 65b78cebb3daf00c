/*
 * rp_station.h - the secondary link station's context (PROTOCOL.md 3.5), caller-owned.
 * Included by rp.h; members belong to the library (read them only through rp.h's functions,
 * except in tests). Sizes come from rp.h's RP_* constants, so the library and the firmware
 * must be compiled with the same -D values.
 */
#include "rp.h"     /* before the guard: see rp_frame.h */

#ifndef RP_STATION_H
#define RP_STATION_H

#include "rp_frame.h"
#include "rp_segment.h"

#if RP_FRAME_MAX < 32 || RP_FRAME_MAX > 2048
#error "RP_FRAME_MAX must be 32..2048"
#endif
#if RP_WINDOW_MAX < 1 || RP_WINDOW_MAX > 7
#error "RP_WINDOW_MAX must be 1..7"
#endif
#if RP_MSG_MAX > 65535 || RP_TXQ_BYTES > 65535 || RP_TXQ_BYTES < 8
#error "RP_MSG_MAX and RP_TXQ_BYTES must fit in 16 bits"
#endif

/* Narrow index types where the configured sizes allow (8-bit MCUs). */
#if RP_TXQ_BYTES <= 255
typedef uint8_t rp_qlen_t;      /* an offset or count in the transmit queue */
#else
typedef uint16_t rp_qlen_t;
#endif

struct rp_station {
    rp_on_message_fn on_message;
    rp_write_fn write;
    rp_on_error_fn on_error;
    void *ctx;
    rp_flen_t own_n, n;         /* own frame size; negotiated (min of both) */
    uint8_t own_k, k;           /* own window; negotiated */
    uint8_t address;
    uint8_t ver;                /* major version of the link (1 or 2) */
    bool connected;
    bool busy;                  /* we sent / send RNR */
    uint8_t frmr[3];            /* FRMR information field (3.7) */
    /* Link state, zeroed by SNRM: everything from vs up to (not including) tx_used. */
    uint8_t vs, vr, va;         /* V(S), V(R), oldest unacknowledged N(S) */
    bool peer_busy;             /* the primary sent RNR */
    bool rej_sent;              /* REJ sent, gap not yet filled */
    bool rej_due;               /* a gap was seen: REJ on the next poll */
    bool frmr_due;              /* FRMR condition seen without P: answer the next poll */
#if RP_UP
    uint8_t up_after;           /* polled by UP: answer after this station's final frame (0: none) */
#endif
    /* Transmit queue: records [length message...] back to back, the length in 1 byte when
     * RP_TXQ_BYTES <= 255, else 2 (high first). The first record may
     * be partly acknowledged (ack_seg segments); snd_off/snd_seg is the next segment to send. */
    rp_qlen_t ack_seg;
    rp_qlen_t snd_off, snd_seg;
    rp_qlen_t tx_used;
    rp_counters_t counters;
    rp_frame_decoder_t dec;
    rp_reasm_t reasm;
#if RP_V2
    rp_path_fn paths;           /* version 2 resource table, or NULL */
    char xpath[2][8];           /* exchange paths spelt out for the handler (RP_XPATH_LEN) */
#endif
    uint8_t rx_buf[RP_MSG_MAX];
    uint8_t txq[RP_TXQ_BYTES];
};

#endif
