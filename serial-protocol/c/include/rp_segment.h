/*
 * rp_segment.h - segmentation and bounded reassembly (PROTOCOL.md 4).
 */
#include "rp.h"     /* before the guard: see rp_frame.h */

#ifndef RP_SEGMENT_H
#define RP_SEGMENT_H

#define RP_SEG_FIRST 0x80u
#define RP_SEG_MORE  0x40u
#define RP_SEG_INDEX 0x3Fu

/* Message bytes per segment for frame size N: N - 5. */
#define RP_SEG_PART(n) ((uint16_t)((n) - 5u))

/* Segments a message of msg_len bytes needs with frame size N (at least 1). */
uint16_t rp_seg_count(size_t msg_len, uint16_t frame_size);

/* The segment byte of segment index (0-based) of count. */
uint8_t rp_seg_byte(uint16_t index, uint16_t count);

/* Reassembly into a caller-owned buffer of cap bytes. */
typedef struct {
    uint8_t *buf;
    uint16_t cap;
    uint16_t len;               /* bytes of the message so far (complete one after put) */
    uint8_t next;               /* expected next segment index (mod 64) */
    uint8_t state;              /* idle, collecting, discarding */
} rp_reasm_t;

void rp_reasm_init(rp_reasm_t *r, uint8_t *buf, uint16_t cap);
void rp_reasm_reset(rp_reasm_t *r);

/* Add one segment (segment byte + part). *complete is set when a whole message is now in
 * r->buf[0..r->len). The result is RP_OK or the error of a dropped message (SEGMENT_GAP,
 * TOO_LARGE); a FIRST segment arriving mid-message reports SEGMENT_GAP for the old message
 * and still starts (and may complete) the new one. A segment without the segment byte is a
 * SEGMENT_GAP. */
rp_err_t rp_reasm_put(rp_reasm_t *r, const uint8_t *seg, size_t n, bool *complete);

#endif
