/* rp_cobs.c - COBS encoder over spans, contiguous decoder, byte sink (PROTOCOL.md 2.2). */
#include "rp_cobs.h"

void rp_sink_init(rp_sink_t *s, uint8_t *buf, size_t cap, rp_sink_flush_fn flush, void *ctx)
{
    s->buf = buf;
    s->cap = cap;
    s->len = 0;
    s->total = 0;
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
        if (s->flush == NULL || s->cap == 0) {
            s->overflow = true;
            return;
        }
        rp_sink_flush(s);
    }
    s->buf[s->len++] = byte;
    s->total++;
}

/* A read position in a list of spans. */
typedef struct {
    const rp_span_t *sp;
    uint8_t left;               /* spans left, including the current one */
    size_t off;
} cursor_t;

static void cur_skip_empty(cursor_t *c)
{
    while (c->left > 0 && c->off >= c->sp->n) {
        c->sp++;
        c->left--;
        c->off = 0;
    }
}

static bool cur_more(const cursor_t *c)
{
    return c->left > 0;
}

static uint8_t cur_peek(const cursor_t *c)
{
    return c->sp->p[c->off];
}

static void cur_next(cursor_t *c)
{
    c->off++;
    cur_skip_empty(c);
}

void rp_cobs_encode_spans(const rp_span_t *spans, uint8_t count, rp_sink_t *s)
{
    cursor_t c;
    c.sp = spans;
    c.left = count;
    c.off = 0;
    cur_skip_empty(&c);
    for (;;) {
        cursor_t look = c;
        uint8_t run = 0;
        uint8_t i;
        while (run < 254u && cur_more(&look) && cur_peek(&look) != 0) {
            run++;
            cur_next(&look);
        }
        rp_sink_put(s, (uint8_t)(run + 1u));
        for (i = 0; i < run; i++) {
            rp_sink_put(s, cur_peek(&c));
            cur_next(&c);
        }
        if (!cur_more(&c)) {
            break;              /* end of data: no implied zero after the last block */
        }
        if (run < 254u) {
            cur_next(&c);       /* the zero this block implies */
            /* a trailing zero needs one more (empty) block: the loop writes 01 */
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
