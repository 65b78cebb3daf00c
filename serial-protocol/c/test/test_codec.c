/* test_codec.c - CRC, COBS, frame decoder/encoder, control byte: units and vectors. */
#include <stdlib.h>

#include "rp_control.h"
#include "rp_crc.h"
#include "rp_frame.h"
#include "test.h"
#include "util.h"
#include "vectors.h"

static uint8_t a[8192], b[8192], c[8192];

TEST(crc_check_value)
{
    CHECK_EQ(rp_crc16((const uint8_t *)"123456789", 9), 0x906E);
    CHECK_EQ(rp_crc16(NULL, 0), 0x0000);
}

static void crc_line(char **f, int n, void *ctx)
{
    size_t len = vec_hex(f[0], a, sizeof a);
    (void)ctx;
    CHECK_V(n == 2 && len != (size_t)-1, f[0]);
    CHECK_V(rp_crc16(a, len) == strtoul(f[1], NULL, 16), f[1]);
}

TEST(crc_vectors)
{
    CHECK(vec_each("crc.txt", crc_line, NULL) > 10);
}

static void cobs_line(char **f, int n, void *ctx)
{
    size_t raw = vec_hex(f[0], a, sizeof a), enc = vec_hex(f[1], b, sizeof b), got;
    (void)ctx;
    CHECK_V(n == 2 && raw != (size_t)-1 && enc != (size_t)-1, f[0]);
    got = rp_cobs_encode(a, raw, c, sizeof c);
    CHECK_V(got == enc && memcmp(c, b, enc) == 0, f[0]);
    CHECK_V(got <= RP_COBS_MAX(raw), f[0]);
    CHECK_V(rp_cobs_decode(b, enc, c, sizeof c, &got) && got == raw && memcmp(c, a, raw) == 0, f[1]);
}

TEST(cobs_vectors)
{
    CHECK(vec_each("cobs.txt", cobs_line, NULL) > 10);
}

TEST(cobs_units)
{
    static const uint8_t enc_trailing01[] = { 0x03, 0x11, 0x22, 0x01 };
    static const uint8_t bad[] = { 0x05, 0x11 };
    static const uint8_t zero_code[] = { 0x02, 0x11, 0x00 };
    uint8_t out[8];
    size_t n = 99;
    CHECK(rp_cobs_decode(enc_trailing01, 4, out, sizeof out, &n));   /* non-canonical */
    CHECK_EQ(n, 3);
    CHECK(out[0] == 0x11 && out[1] == 0x22 && out[2] == 0);
    CHECK(!rp_cobs_decode(bad, 2, out, sizeof out, &n));
    CHECK(!rp_cobs_decode(zero_code, 3, out, sizeof out, &n));
    CHECK(!rp_cobs_decode(enc_trailing01, 4, out, 2, &n));            /* out too small */
    CHECK_EQ(rp_cobs_encode(a, 10, out, 5), 0);                        /* does not fit */
    memset(a, 0x55, 254);
    CHECK_EQ(rp_cobs_encode(a, 254, c, 255), 255);                     /* exactly fits */
    CHECK_EQ(rp_cobs_decode(c, 255, a, 253, &n), false);
}

/* Feed bytes to a decoder; returns frames completed, last result and frame in *res / *fr. */
static int feed(rp_frame_decoder_t *d, const uint8_t *p, size_t n, rp_err_t *res, rp_frame_t *fr)
{
    int frames = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        rp_err_t r;
        rp_frame_t f;
        if (rp_frame_decoder_put(d, p[i], &r, &f)) {
            frames++;
            *res = r;
            if (r == RP_OK) {
                *fr = f;
            }
        }
    }
    return frames;
}

static rp_frame_decoder_t dec;

static void frame_line(char **f, int n, void *ctx)
{
    size_t len = vec_hex(f[2], a, sizeof a);
    rp_err_t res = RP_ERR_COUNT;
    rp_frame_t fr;
    (*(int *)ctx)++;
    CHECK_V(len != (size_t)-1 && len > 0 && a[len - 1] == 0, f[1]);
    if (strcmp(f[0], "ok") == 0) {
        size_t info = vec_hex(f[5], b, sizeof b);
        CHECK_V(n == 6, f[1]);
        rp_frame_decoder_init(&dec, RP_FRAME_MAX);
        CHECK_V(feed(&dec, a, len, &res, &fr) == 1 && res == RP_OK, f[1]);
        if (res != RP_OK) {
            return;
        }
        CHECK_V(fr.address == strtoul(f[3], NULL, 16), f[1]);
        CHECK_V(fr.control == strtoul(f[4], NULL, 16), f[1]);
        CHECK_V(fr.info_len == info && memcmp(fr.info, b, info) == 0, f[1]);
        /* the other direction: encoding gives the same line bytes */
        CHECK_V(rp_frame_encode(fr.address, fr.control, b, info, c, sizeof c) == len
                && memcmp(c, a, len) == 0, f[1]);
        CHECK_V(len <= RP_WIRE_MAX(info + 4u), f[1]);
    } else {
        rp_err_t want = err_from_name(f[3]);
        CHECK_V(n == 5 && want != RP_ERR_COUNT, f[1]);
        rp_frame_decoder_init(&dec, (uint16_t)atoi(f[4]));
        CHECK_V(feed(&dec, a, len, &res, &fr) == 1, f[1]);
        CHECK_V(res == want, f[1]);
        if (res != want) {
            fprintf(stderr, "  got %s want %s\n", err_name(res), f[3]);
        }
    }
}

TEST(frame_vectors)
{
    int seen = 0;
    CHECK(vec_each("frames.txt", frame_line, &seen) > 10);
    CHECK(seen > 10);
}

TEST(frame_resync_and_empty)
{
    static const uint8_t info[] = { 0x80, 'h', 'i' };
    rp_err_t res = RP_OK;
    rp_frame_t fr;
    size_t n;
    memset(&fr, 0, sizeof fr);
    rp_frame_decoder_init(&dec, 64);
    /* noise, then a delimiter: one error; empty frames: nothing */
    a[0] = 0x07; a[1] = 0x33; a[2] = 0; a[3] = 0; a[4] = 0;
    CHECK_EQ(feed(&dec, a, 5, &res, &fr), 1);
    CHECK(res == RP_ERR_BAD_COBS);
    n = rp_frame_encode(0x01, 0x10, info, 3, a, sizeof a);
    CHECK(n > 0);
    CHECK_EQ(feed(&dec, a, n, &res, &fr), 1);
    CHECK(res == RP_OK && fr.info_len == 3 && memcmp(fr.info, info, 3) == 0);
    /* an overlong run is discarded up to the delimiter; the next frame is fine */
    memset(b, 0x41, 300);
    b[300] = 0;
    CHECK_EQ(feed(&dec, b, 301, &res, &fr), 1);
    CHECK(res == RP_ERR_OVERLONG);
    CHECK_EQ(feed(&dec, a, n, &res, &fr), 1);
    CHECK(res == RP_OK && fr.address == 1 && fr.control == 0x10);
    /* a flipped bit is BAD_CRC and does not affect the next frame */
    memcpy(b, a, n);
    b[3] ^= 0x04;
    CHECK_EQ(feed(&dec, b, n, &res, &fr), 1);
    CHECK(res == RP_ERR_BAD_CRC);
    CHECK_EQ(feed(&dec, a, n, &res, &fr), 1);
    CHECK(res == RP_OK);
    /* the largest frame fits exactly; one more byte is OVERLONG */
    memset(c, 0x5A, 60);
    n = rp_frame_encode(0x01, 0x00, c, 60, a, sizeof a);
    CHECK_EQ(n, RP_WIRE_MAX(64));
    CHECK_EQ(feed(&dec, a, n, &res, &fr), 1);
    CHECK(res == RP_OK && fr.info_len == 60);
    n = rp_frame_encode(0x01, 0x00, c, 61, a, sizeof a);
    CHECK_EQ(feed(&dec, a, n, &res, &fr), 1);
    CHECK(res == RP_ERR_OVERLONG);
    CHECK_EQ(rp_frame_encode(1, 0, c, 60, a, 10), 0);
}

static const char *const u_names[] = { "SNRM", "DISC", "UA", "DM", "FRMR", "UI", "TEST", "UP" };
static const uint8_t u_codes[] = { RP_U_SNRM, RP_U_DISC, RP_U_UA, RP_U_DM, RP_U_FRMR, RP_U_UI,
                                   RP_U_TEST, RP_U_UP };

static void control_line(char **f, int n, void *ctx)
{
    uint8_t cb = (uint8_t)strtoul(f[0], NULL, 16);
    rp_ctl_t ctl;
    bool ok = rp_ctl_decode(cb, &ctl);
    (void)ctx;
    if (strcmp(f[1], "INVALID") == 0) {
        CHECK_V(!ok && ctl.kind == RP_CTL_INVALID, f[0]);
    } else if (strcmp(f[1], "I") == 0) {
        CHECK_V(n == 5 && ok && ctl.kind == RP_CTL_I, f[0]);
        CHECK_V(ctl.ns == atoi(f[2]) && ctl.nr == atoi(f[3]) && ctl.pf == (atoi(f[4]) != 0), f[0]);
        CHECK_V(rp_ctl_i(ctl.ns, ctl.nr, ctl.pf) == cb, f[0]);
    } else if (strcmp(f[1], "S") == 0) {
        int s = strcmp(f[2], "RR") == 0 ? RP_S_RR : strcmp(f[2], "RNR") == 0 ? RP_S_RNR : RP_S_REJ;
        CHECK_V(n == 5 && ok && ctl.kind == RP_CTL_S && ctl.s == s, f[0]);
        CHECK_V(ctl.nr == atoi(f[3]) && ctl.pf == (atoi(f[4]) != 0), f[0]);
        CHECK_V(rp_ctl_s((rp_s_kind_t)s, ctl.nr, ctl.pf) == cb, f[0]);
    } else {
        unsigned i;
        uint8_t u = 0;
        for (i = 0; i < sizeof u_codes; i++) {
            if (strcmp(u_names[i], f[2]) == 0) {
                u = u_codes[i];
            }
        }
        CHECK_V(n == 4 && ok && ctl.kind == RP_CTL_U && u != 0 && ctl.u == u, f[0]);
        CHECK_V(ctl.pf == (atoi(f[3]) != 0) && rp_ctl_u(u, ctl.pf) == cb, f[0]);
    }
}

TEST(control_vectors)
{
    CHECK_EQ(vec_each("control.txt", control_line, NULL), 256);
}

void run_codec_tests(void)
{
    RUN(crc_check_value);
    RUN(crc_vectors);
    RUN(cobs_vectors);
    RUN(cobs_units);
    RUN(frame_vectors);
    RUN(frame_resync_and_empty);
    RUN(control_vectors);
}
