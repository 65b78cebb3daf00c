/* rp_segment.c - segmentation and bounded reassembly (PROTOCOL.md 4). */
#include <string.h>

#include "rp_segment.h"

enum { IDLE, COLLECTING, DISCARDING };

uint16_t rp_seg_count(size_t msg_len, uint16_t frame_size)
{
    size_t part = RP_SEG_PART(frame_size);
    size_t count = (msg_len + part - 1u) / part;
    return (uint16_t)(count == 0 ? 1u : count);
}

uint8_t rp_seg_byte(uint16_t index, uint16_t count)
{
    uint8_t b = (uint8_t)(index & RP_SEG_INDEX);
    if (index == 0) {
        b |= RP_SEG_FIRST;
    }
    if ((uint16_t)(index + 1u) < count) {
        b |= RP_SEG_MORE;
    }
    return b;
}

void rp_reasm_init(rp_reasm_t *r, uint8_t *buf, uint16_t cap)
{
    r->buf = buf;
    r->cap = cap;
    rp_reasm_reset(r);
}

void rp_reasm_reset(rp_reasm_t *r)
{
    r->len = 0;
    r->next = 0;
    r->state = IDLE;
}

rp_err_t rp_reasm_put(rp_reasm_t *r, const uint8_t *seg, size_t n, bool *complete)
{
    rp_err_t err = RP_OK;
    uint8_t sb = n > 0 ? seg[0] : 0;
    *complete = false;
    if (n > 0 && (sb & RP_SEG_FIRST)) {
        if (r->state == COLLECTING) {
            err = RP_ERR_SEGMENT_GAP;   /* the old message is dropped, the new one starts */
        }
        r->len = 0;
        r->next = 0;
        r->state = COLLECTING;
    } else if (n > 0 && r->state == DISCARDING) {
        if (!(sb & RP_SEG_MORE)) {
            r->state = IDLE;
        }
        return RP_OK;
    }
    /* no segment byte, a FIRST with an index, or not the expected next segment */
    if (n == 0 || r->state != COLLECTING || (sb & RP_SEG_INDEX) != r->next) {
        rp_reasm_reset(r);
        return RP_ERR_SEGMENT_GAP;
    }
    n--;
    if (n > (size_t)(r->cap - r->len)) {
        r->len = 0;
        r->state = (sb & RP_SEG_MORE) ? DISCARDING : IDLE;
        return RP_ERR_TOO_LARGE;    /* reported once; a pending GAP was for a dropped message */
    }
    memcpy(r->buf + r->len, seg + 1, n);
    r->len = (uint16_t)(r->len + n);
    r->next = (uint8_t)((r->next + 1u) & RP_SEG_INDEX);
    if (!(sb & RP_SEG_MORE)) {
        r->state = IDLE;
        *complete = true;
    }
    return err;
}
