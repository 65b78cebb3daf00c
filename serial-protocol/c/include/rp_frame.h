/*
 * rp_frame.h - framed bytes (PROTOCOL.md 2): streaming decoder and frame encoder.
 */
#include "rp.h"     /* before the guard: sizes and rp_err_t, whichever header comes first */

#ifndef RP_FRAME_H
#define RP_FRAME_H

#include "rp_cobs.h"

/* Bytes a frame of size n occupies on the line, delimiter included: W(N). */
#define RP_WIRE_MAX(n) ((n) + 2u + (n) / 254u)
/* The decoder's buffer: a frame (at most N decoded bytes; more is OVERLONG) is stored from
 * RP_FRAME_AT, leaving room around it for the station to COBS-encode an outgoing frame in
 * place (a leading 00 and code byte before it, the delimiter after it). */
#define RP_FRAME_AT 2
#define RP_FRAME_BUF (RP_FRAME_MAX + 3)
#define RP_FRAME_MIN 4          /* address, control, CRC */

/* A frame size, length or encoded-byte count: 8 bits when RP_FRAME_MAX allows (8-bit MCUs). */
#if RP_FRAME_MAX <= 250
typedef uint8_t rp_flen_t;
#else
typedef uint16_t rp_flen_t;
#endif

/* A decoded frame; info points into the decoder and is valid until the next byte is fed. */
typedef struct {
    uint8_t address;
    uint8_t control;
    const uint8_t *info;
    rp_flen_t info_len;
} rp_frame_t;

/* Streaming decoder state: one byte at a time, COBS undone as bytes arrive. */
typedef struct {
    rp_flen_t limit;            /* W(N) - 1: most encoded bytes before the delimiter */
    rp_flen_t max;              /* N: most decoded bytes */
    rp_flen_t count;            /* encoded bytes seen in the current frame (up to limit + 1) */
    rp_flen_t len;              /* decoded bytes stored (up to max + 1) */
    uint8_t remain;             /* data bytes left in the current COBS block */
    uint8_t code;               /* code byte of the current block, 0 before the first */
    uint8_t buf[RP_FRAME_BUF];
} rp_frame_decoder_t;

/* Start in the initial state for frame size 4..RP_FRAME_MAX (clamped). */
void rp_frame_decoder_init(rp_frame_decoder_t *d, uint16_t frame_size);

/* Feed one byte. Returns true when a non-empty frame ended at this byte: then *result is RP_OK
 * and *f describes the frame, or *result is the frame's error (OVERLONG, BAD_COBS, RUNT,
 * BAD_CRC). Empty frames return false. The decoder is ready for the next frame either way.
 * OVERLONG: more than W(N) - 1 encoded bytes, or (checked after BAD_COBS) more than N decoded
 * bytes, as vectors/frames.txt overlong-zeros-at-256 requires. */
bool rp_frame_decoder_put(rp_frame_decoder_t *d, uint8_t byte, rp_err_t *result, rp_frame_t *f);

/* Write one frame (head = address, control and e.g. a segment byte; then body; then the CRC)
 * COBS-encoded and followed by the 00 delimiter into s. */
void rp_frame_write(rp_sink_t *s, const uint8_t *head, uint8_t head_n,
                    const uint8_t *body, size_t body_n);

/* Encode one frame into out (delimiter included, no leading 00); 0 if it does not fit. */
size_t rp_frame_encode(uint8_t address, uint8_t control, const uint8_t *info, size_t n,
                       uint8_t *out, size_t cap);

#endif
