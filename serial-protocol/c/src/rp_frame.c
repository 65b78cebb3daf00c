/* rp_frame.c - streaming frame decoder and frame encoder (PROTOCOL.md 2). */
#include <string.h>

#include "rp_crc.h"
#include "rp_frame.h"

static void restart(rp_frame_decoder_t *d)
{
    d->count = 0;
    d->len = 0;
    d->remain = 0;
    d->code = 0;
}

void rp_frame_decoder_init(rp_frame_decoder_t *d, uint16_t frame_size)
{
    if (frame_size > RP_FRAME_MAX) {
        frame_size = RP_FRAME_MAX;
    }
    if (frame_size < RP_FRAME_MIN) {
        frame_size = RP_FRAME_MIN;
    }
    d->limit = (rp_flen_t)(RP_WIRE_MAX(frame_size) - 1u);
    d->max = (rp_flen_t)frame_size;
    restart(d);
}

/* Store a decoded byte; past N only count it (the frame will be OVERLONG). */
static void put(rp_frame_decoder_t *d, uint8_t byte)
{
    if (d->len < d->max) {
        d->buf[RP_FRAME_AT + d->len] = byte;
    }
    if (d->len <= d->max) {
        d->len++;
    }
}

/* The frame ended at a delimiter: classify it. */
static rp_err_t finish(rp_frame_decoder_t *d, rp_frame_t *f)
{
    if (d->count > d->limit) {
        return RP_ERR_OVERLONG;
    }
    if (d->remain != 0) {
        return RP_ERR_BAD_COBS;
    }
    if (d->len > d->max) {
        return RP_ERR_OVERLONG;     /* decodes to more than N bytes */
    }
    if (d->len < RP_FRAME_MIN) {
        return RP_ERR_RUNT;
    }
    /* the register run over the data and its FCS ends at the constant residue */
    if (rp_crc16_more(RP_CRC_INIT, d->buf + RP_FRAME_AT, d->len) != RP_CRC_GOOD) {
        return RP_ERR_BAD_CRC;
    }
    f->address = d->buf[RP_FRAME_AT];
    f->control = d->buf[RP_FRAME_AT + 1];
    f->info = d->buf + RP_FRAME_AT + 2;
    f->info_len = (rp_flen_t)(d->len - RP_FRAME_MIN);
    return RP_OK;
}

bool rp_frame_decoder_put(rp_frame_decoder_t *d, uint8_t byte, rp_err_t *result, rp_frame_t *f)
{
    if (byte == 0) {
        if (d->count == 0) {
            return false;       /* empty frame: ignored */
        }
        *result = finish(d, f);
        restart(d);
        return true;
    }
    if (d->count > d->limit) {
        return false;           /* overlong: discarding up to the delimiter */
    }
    d->count++;
    if (d->count > d->limit) {
        return false;
    }
    if (d->remain == 0) {
        /* a code byte; the previous block implies a zero unless it was a full FF block */
        if (d->code != 0 && d->code != 0xFFu) {
            put(d, 0);
        }
        d->code = byte;
        d->remain = (uint8_t)(byte - 1u);
    } else {
        put(d, byte);
        d->remain--;
    }
    return false;
}

void rp_frame_write(rp_sink_t *s, const uint8_t *head, uint8_t head_n,
                    const uint8_t *body, size_t body_n)
{
    uint8_t crc_bytes[2];
    rp_span_t sp[3];
    uint16_t crc = (uint16_t)(rp_crc16_more(rp_crc16_more(RP_CRC_INIT, head, head_n), body, body_n)
                              ^ RP_CRC_XOROUT);
    crc_bytes[0] = (uint8_t)(crc & 0xFFu);
    crc_bytes[1] = (uint8_t)(crc >> 8);
    sp[0].p = head;
    sp[0].n = head_n;
    sp[1].p = body;
    sp[1].n = body_n;
    sp[2].p = crc_bytes;
    sp[2].n = 2;
    rp_cobs_encode_spans(sp, 3, s);
    rp_sink_put(s, 0);
}

size_t rp_frame_encode(uint8_t address, uint8_t control, const uint8_t *info, size_t n,
                       uint8_t *out, size_t cap)
{
    uint8_t head[2];
    rp_sink_t s;
    head[0] = address;
    head[1] = control;
    rp_sink_init(&s, out, cap, NULL, NULL);
    rp_frame_write(&s, head, 2, info, n);
    return s.overflow ? 0 : s.len;
}
