/* rp_cobs.c - COBS encoder over spans, contiguous decoder, byte sink (PROTOCOL.md 2.2). */
#include "rp_cobs.h"

void rp_sink_init(rp_sink_t *s, uint8_t *buf, size_t cap, rp_sink_flush_fn flush, void *ctx)
{
    s->buf = buf;
    s->cap = cap;
    s->len = 0;
    s->flush = flush;
    s->ctx = ctx;
    s->overflow = false;
}

void rp_sink_flush(rp_sink_t *s)
{
    if (s->flush != NULL && s->len > 0) {
        s->flush(s->ctx, s->buf, s->len);
        s->len = 0;
    }
}

void rp_sink_put(rp_sink_t *s, uint8_t byte)
{
    if (s->len == s->cap) {
        if (s->flush == NULL) {
            s->overflow = true;
            return;
        }
        rp_sink_flush(s);
    }
    s->buf[s->len++] = byte;
}

/* Byte i of the concatenation of the spans (i below their total length). */
static uint8_t span_byte(const rp_span_t *sp, size_t i)
{
    while (i >= sp->n) {
        i -= sp->n;
        sp++;
    }
    return sp->p[i];
}

void rp_cobs_encode_spans(const rp_span_t *spans, uint8_t count, rp_sink_t *s)
{
    size_t total = 0, i = 0, j;
    uint8_t k;
    for (k = 0; k < count; k++) {
        total += spans[k].n;
    }
    for (;;) {
        for (j = i; j < total && j - i < 254u && span_byte(spans, j) != 0; j++) {
        }
        rp_sink_put(s, (uint8_t)(j - i + 1u));
        k = (uint8_t)(j - i);
        while (i < j) {
            rp_sink_put(s, span_byte(spans, i++));
        }
        if (i == total) {
            break;              /* end of data: no implied zero after the last block */
        }
        if (k < 254u) {
            i++;                /* the zero this block implies; a trailing one makes an 01 block */
        }
    }
}

size_t rp_cobs_encode(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    rp_span_t sp;
    rp_sink_t s;
    sp.p = in;
    sp.n = n;
    rp_sink_init(&s, out, cap, NULL, NULL);
    rp_cobs_encode_spans(&sp, 1, &s);
    return s.overflow ? 0 : s.len;
}

bool rp_cobs_decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *out_n)
{
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t code = in[i++];
        uint8_t k;
        if (code == 0 || (size_t)(code - 1u) > n - i) {
            return false;
        }
        if ((size_t)(code - 1u) > cap - o) {
            return false;
        }
        for (k = 1; k < code; k++) {
            out[o++] = in[i++];
        }
        if (code < 0xFFu && i < n) {
            if (o == cap) {
                return false;
            }
            out[o++] = 0;
        }
    }
    *out_n = o;
    return true;
}
