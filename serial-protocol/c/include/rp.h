/*
 * rp.h - RP/serial for microcontrollers: the API firmware uses.
 *
 * This is the contract between the C library (serial-protocol/c/src) and firmware (boards/).
 * Normative wire format: serial-protocol/PROTOCOL.md. Portable C99, no malloc, no stdio:
 * every context is owned by the caller; sizes are compile-time constants that a board may
 * override with -D before including this header.
 *
 * Lower layers (CRC, COBS, frame decoder, header codec, segmentation, link station) have their
 * own headers (rp_frame.h, rp_header.h, rp_segment.h, rp_station.h); firmware normally needs
 * only what is declared here.
 */
#ifndef RP_H
#define RP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- sizes (override with -D) ---------------------------------------------------------- */
#ifndef RP_FRAME_MAX            /* largest unstuffed frame this station accepts (N), 32..2048 */
#define RP_FRAME_MAX 256
#endif
#ifndef RP_WINDOW_MAX           /* I-frames outstanding, 1..7 */
#define RP_WINDOW_MAX 4
#endif
#ifndef RP_MSG_MAX              /* largest reassembled incoming message (header + body) */
#define RP_MSG_MAX 512
#endif
#ifndef RP_TXQ_BYTES            /* bytes of encoded outgoing messages waiting to be sent/acked */
#define RP_TXQ_BYTES 1024
#endif

#ifndef RP_COUNTER_T            /* counter width; e.g. uint16_t on small MCUs */
#define RP_COUNTER_T uint32_t
#endif

/* Versions compiled in (PROTOCOL.md 3.6, 8): version 1 (text header) and version 2 (binary
 * header). A small MCU may leave version 1 out (-DRP_V1=0); it then speaks only to version 2
 * hosts. At least one must be on. */
#ifndef RP_V1
#define RP_V1 1
#endif
#ifndef RP_V2
#define RP_V2 1
#endif
#if !RP_V1 && !RP_V2
#error "RP_V1 and RP_V2 cannot both be 0"
#endif
/* Unnumbered poll (PROTOCOL.md 3.8, version 2.1): answering a group poll in turn. On by default
 * with version 2; -DRP_UP=0 leaves it out (the station then says 2.0 at link set-up). */
#ifndef RP_UP
#define RP_UP RP_V2
#endif
#if RP_UP && !RP_V2
#error "RP_UP needs RP_V2"
#endif
#if RP_V2
#define RP_VERSION (0x20 | RP_UP) /* 2.0 or 2.1: major in the high nibble; the newest compiled in */
#else
#define RP_VERSION 0x10
#endif
#define RP_BROADCAST 0xFF

/* ---- RP message ------------------------------------------------------------------------ */
typedef enum { RP_GET, RP_POST, RP_PUT, RP_PATCH, RP_DELETE, RP_REP, RP_ERROR } rp_verb_t;

/* A decoded or to-be-encoded message. Strings are NUL-terminated; after decoding they point
 * into the station's receive buffer and stay valid only until the handler returns. */
typedef struct {
    rp_verb_t verb;
    const char *to;
    const char *from;
    bool eof;                   /* E: end of stream (default true) */
    int8_t flow;                /* F: 0..100, or -1 when absent */
    uint16_t status;            /* S: REP/ERROR status; 0 = default (200 / 500) */
    const char *type;           /* T: "j", "t", "o" or a media type; NULL = default */
    const uint8_t *body;
    uint16_t body_len;
} rp_msg_t;

/* Typed errors, shared by all layers (counted in rp_counters_t). */
typedef enum {
    RP_OK = 0,
    RP_ERR_OVERLONG, RP_ERR_BAD_COBS, RP_ERR_RUNT, RP_ERR_BAD_CRC,          /* frame   */
    RP_ERR_SEGMENT_GAP, RP_ERR_TOO_LARGE,                                   /* segment */
    RP_ERR_BAD_HEADER, RP_ERR_UNKNOWN_VERB, RP_ERR_BAD_PATH,                /* message */
    RP_ERR_COUNT
} rp_err_t;

/* Normalise a NUL-terminated path in place (PROTOCOL.md 5.2); false = BAD_PATH. */
bool rp_path_normalize(char *path);

/* Encode a message's header and body; returns bytes written, 0 if it does not fit in cap or the
 * message is invalid. */
size_t rp_msg_encode(const rp_msg_t *m, uint8_t *out, size_t cap);

/* ---- the station: a secondary on the line ---------------------------------------------- */
struct rp_station;

/* Version 2 resource table (PROTOCOL.md 8.2): the path of entry index (1..31), the index-th path
 * the firmware lists in its answer to GET /, as a NUL-terminated string in RAM that stays valid
 * while the message is handled; NULL when there is no such entry. */
typedef const char *(*rp_path_fn)(void *ctx, uint8_t index);

/* Called for every complete, valid incoming message. */
typedef void (*rp_on_message_fn)(void *ctx, struct rp_station *st, const rp_msg_t *m);
/* Called to transmit bytes (already framed) on the line; called only while answering a poll,
 * usually several times per answer (one call per COBS block). The bytes are valid only during
 * the call: send or copy them before returning. */
typedef void (*rp_write_fn)(void *ctx, const uint8_t *bytes, size_t n);
/* Called on every counted error (may be NULL). */
typedef void (*rp_on_error_fn)(void *ctx, rp_err_t err);

typedef struct {
    RP_COUNTER_T frames_rx, frames_tx, errors[RP_ERR_COUNT];
    RP_COUNTER_T retransmitted, rejects_sent, frmr_sent, msgs_rx, msgs_tx;
} rp_counters_t;

/* The station context. Its members are the library's; the definition is in rp_station.h so the
 * caller can own the storage (e.g. a static variable). */
typedef struct rp_station rp_station_t;

/* Configure: station address, this side's frame size (32..RP_FRAME_MAX) and window
 * (1..RP_WINDOW_MAX), callbacks and their context. The station starts disconnected. */
void rp_station_init(rp_station_t *st, uint8_t address, uint16_t frame_size, uint8_t window,
                     rp_on_message_fn on_message, rp_write_fn write, rp_on_error_fn on_error,
                     void *ctx);

/* Feed one received byte (from the UART ISR's ring buffer, in the main loop). May call
 * on_message and write. */
void rp_station_rx(rp_station_t *st, uint8_t byte);

/* Queue a message to be sent on the next polls. false when it does not fit in the transmit
 * queue (backpressure: try again later) or is invalid. Callable from on_message. */
bool rp_station_send(rp_station_t *st, const rp_msg_t *m);

/* Version 2: the station's resource table, for paths the host sends as one index byte. Without
 * it (NULL, the default) such paths are BAD_PATH: a host only uses them after reading GET /. */
void rp_station_set_paths(rp_station_t *st, rp_path_fn paths);

/* The version the link speaks while connected (1 or 2). */
uint8_t rp_station_version(const rp_station_t *st);

/* Free bytes in the transmit queue, for producers that stream (e.g. /blob). */
size_t rp_station_tx_free(const rp_station_t *st);

/* Receive-not-ready: while busy, the station answers polls with RNR and accepts no I-frames. */
void rp_station_set_busy(rp_station_t *st, bool busy);

bool rp_station_connected(const rp_station_t *st);
const rp_counters_t *rp_station_counters(const rp_station_t *st);

#include "rp_station.h"

#endif
