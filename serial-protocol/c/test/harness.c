/* harness.c - the scripted primary. */
#include <string.h>

#include "harness.h"
#include "rp_frame.h"
#include "rp_segment.h"

harness_t h;
static rp_frame_decoder_t hdec;
static uint8_t line[RP_WIRE_MAX(RP_FRAME_MAX) + 1];

static void on_write(void *ctx, const uint8_t *p, size_t n)
{
    (void)ctx;
    if (n <= sizeof h.out - h.out_n) {
        memcpy(h.out + h.out_n, p, n);
        h.out_n += n;
    }
    h.writes++;
}

static void copy_str(char *dst, size_t cap, const char *src)
{
    dst[0] = '\0';
    if (src != NULL) {
        strncpy(dst, src, cap - 1);
        dst[cap - 1] = '\0';
    }
}

static void on_message(void *ctx, rp_station_t *st, const rp_msg_t *m)
{
    (void)ctx;
    h.msgs++;
    h.last = *m;
    copy_str(h.to, sizeof h.to, m->to);
    copy_str(h.from, sizeof h.from, m->from);
    copy_str(h.type, sizeof h.type, m->type);
    if (m->body_len > 0) {
        memcpy(h.body, m->body, m->body_len);
    }
    if (h.reply) {
        static uint8_t body[RP_MSG_MAX];
        rp_msg_t r;
        uint16_t i;
        for (i = 0; i < h.reply_len; i++) {
            body[i] = (uint8_t)('a' + i % 26u);
        }
        memset(&r, 0, sizeof r);
        r.verb = RP_REP;
        r.to = m->from;
        r.from = "/x#streams/1";
        r.eof = true;
        r.flow = -1;
        r.type = "t";
        r.body = body;
        r.body_len = h.reply_len;
        (void)rp_station_send(st, &r);
    }
}

static void on_error(void *ctx, rp_err_t e)
{
    (void)ctx;
    (void)e;
    h.errors++;
}

void h_init(uint16_t frame_size, uint8_t window)
{
    memset(&h, 0, sizeof h);
    rp_station_init(&h.st, 1, frame_size, window, on_message, on_write, on_error, NULL);
}

static void decode_answer(void)
{
    size_t i;
    h.nf = 0;
    h.lead_zero = h.out_n > 0 && h.out[0] == 0;
    rp_frame_decoder_init(&hdec, RP_FRAME_MAX);
    for (i = 0; i < h.out_n; i++) {
        rp_err_t r;
        rp_frame_t f;
        if (rp_frame_decoder_put(&hdec, h.out[i], &r, &f) && r == RP_OK && h.nf < H_MAX_FRAMES) {
            h_frame_t *x = &h.f[h.nf++];
            x->addr = f.address;
            x->ctl = f.control;
            x->n = f.info_len;
            memcpy(x->info, f.info, f.info_len);
        }
    }
    h.out_n = 0;
}

int h_send(uint8_t addr, uint8_t ctl, const void *info, size_t n)
{
    size_t len = rp_frame_encode(addr, ctl, info, n, line, sizeof line), i;
    rp_station_rx(&h.st, 0);
    for (i = 0; i < len; i++) {
        rp_station_rx(&h.st, line[i]);
    }
    decode_answer();
    return h.nf;
}

bool h_connect(uint16_t n, uint8_t k)
{
    return h_connect_v(n, k, 0x10);
}

bool h_connect_v(uint16_t n, uint8_t k, uint8_t version)
{
    uint8_t p[4];
    p[0] = version;
    p[1] = (uint8_t)(n >> 8);
    p[2] = (uint8_t)n;
    p[3] = k;
    return h_send(1, rp_ctl_u(RP_U_SNRM, true), p, 4) == 1 && h_is_u(0, RP_U_UA, true)
           && rp_station_connected(&h.st);
}

int h_send_msg(uint8_t ns, uint8_t nr, const char *msg, uint16_t frame_size)
{
    size_t len = strlen(msg);
    uint16_t count = rp_seg_count(len, frame_size), i, part = RP_SEG_PART(frame_size);
    uint8_t seg[RP_FRAME_MAX];
    for (i = 0; i < count; i++) {
        size_t at = (size_t)i * part, n = len - at < part ? len - at : part;
        seg[0] = rp_seg_byte(i, count);
        memcpy(seg + 1, msg + at, n);
        if (h_send(1, rp_ctl_i((uint8_t)(ns + i), nr, i + 1u == count), seg, n + 1) > 0
            && i + 1u < count) {
            h.unsolicited++;
        }
    }
    return count;
}

int h_collect(uint8_t *buf, size_t cap, size_t *len)
{
    static rp_reasm_t r;
    static bool started;
    int i, done = 0;
    if (!started || r.buf != buf) {
        rp_reasm_init(&r, buf, (uint16_t)cap);
        started = true;
    }
    for (i = 0; i < h.nf; i++) {
        bool complete;
        rp_ctl_t c;
        if (rp_ctl_decode(h.f[i].ctl, &c) && c.kind == RP_CTL_I
            && rp_reasm_put(&r, h.f[i].info, h.f[i].n, &complete) == RP_OK && complete) {
            done++;
            *len = r.len;
        }
    }
    return done;
}

bool h_is_s(int i, rp_s_kind_t s, uint8_t nr, bool f)
{
    return i < h.nf && h.f[i].addr == 1 && h.f[i].ctl == rp_ctl_s(s, nr, f) && h.f[i].n == 0;
}

bool h_is_u(int i, uint8_t u, bool f)
{
    return i < h.nf && h.f[i].addr == 1 && h.f[i].ctl == rp_ctl_u(u, f);
}

bool h_is_i(int i, uint8_t ns, uint8_t nr, bool f)
{
    return i < h.nf && h.f[i].addr == 1 && h.f[i].ctl == rp_ctl_i(ns, nr, f) && h.f[i].n > 0;
}
