/* test_fatigue.c - 65,535 seeded random frames through encoder and decoder. */
#include "rp_frame.h"
#include "rp_header.h"
#include "test.h"
#include "util.h"

#define FATIGUE_FRAMES 65535u
#define FATIGUE_N RP_FRAME_MAX

static uint8_t info[FATIGUE_N], line[RP_WIRE_MAX(FATIGUE_N)];
static rp_frame_decoder_t dec;

/* Payload kinds: random, all zero, no zero (worst-case stuffing), max-size random. */
static size_t make_payload(uint32_t *seed, uint32_t i)
{
    size_t max = FATIGUE_N - 4u, n, k;
    uint32_t kind = i % 8u;
    if (kind == 0) {
        n = max;
    } else if (kind == 1) {
        n = rnd(seed) % (max + 1u);
    } else {
        n = rnd(seed) % 300u;
        n = n > max ? max : n;
    }
    for (k = 0; k < n; k++) {
        switch (kind) {
        case 2:
            info[k] = 0;
            break;
        case 3:
        case 0:
            info[k] = (uint8_t)(1u + rnd(seed) % 255u);  /* no zeros: most stuffing */
            break;
        default:
            info[k] = (uint8_t)rnd(seed);
            break;
        }
    }
    return n;
}

TEST(fatigue_65535_frames)
{
    uint32_t seed = 0x5EED1234u, i, ok = 0, max_seen = 0, worst = 0;
    rp_frame_decoder_init(&dec, FATIGUE_N);
    for (i = 0; i < FATIGUE_FRAMES; i++) {
        uint8_t addr = (uint8_t)(1u + rnd(&seed) % 255u), ctl = (uint8_t)rnd(&seed);
        size_t n = make_payload(&seed, i), len, k;
        int frames = 0;
        bool good = false;
        len = rp_frame_encode(addr, ctl, info, n, line, sizeof line);
        if (len == 0 || len > RP_WIRE_MAX(n + 4u)) {
            CHECK(len != 0 && len <= RP_WIRE_MAX(n + 4u));
            break;
        }
        if (len == RP_WIRE_MAX(n + 4u)) {
            worst++;
        }
        if ((i & 1u) != 0) {            /* leading delimiter on every other frame */
            rp_err_t r;
            rp_frame_t f;
            CHECK(!rp_frame_decoder_put(&dec, 0, &r, &f));
        }
        for (k = 0; k < len; k++) {
            rp_err_t r;
            rp_frame_t f;
            if (rp_frame_decoder_put(&dec, line[k], &r, &f)) {
                frames++;
                good = r == RP_OK && k == len - 1u && f.address == addr && f.control == ctl
                       && f.info_len == n && memcmp(f.info, info, n) == 0;
            }
        }
        if (frames != 1 || !good) {
            CHECK(frames == 1 && good);
            fprintf(stderr, "  frame %lu of %lu bytes\n", (unsigned long)i, (unsigned long)n);
            break;
        }
        ok++;
        if (n == FATIGUE_N - 4u) {
            max_seen++;
        }
    }
    CHECK_EQ(ok, FATIGUE_FRAMES);
    CHECK(max_seen > 8000u);
    CHECK(worst > 8000u);
    printf("     fatigue: %lu frames ok, %lu max-size, %lu at worst-case stuffing\n",
           (unsigned long)ok, (unsigned long)max_seen, (unsigned long)worst);
}

/* Version 2: 65,535 seeded random messages, encoded, framed, decoded from the line, decoded as
 * messages and compared field by field. */
TEST(fatigue_v2_65535_messages)
{
    static const char *const paths[] = { "/leds/0", "/#x/0", "/#x/127", "/#x/42", "/#r/1",
                                         "/sensors/temp#streams/3", "/a#flow", "/#runtime/time" };
    static const char *const types[] = { "j", "t", "o", "application/cbor" };
    static uint8_t msg[FATIGUE_N], body[FATIGUE_N];
    static char xbuf[2][RP_XPATH_LEN];
    uint32_t seed = 0xB1A2C3D4u, i, ok = 0;
    rp_frame_decoder_init(&dec, FATIGUE_N);
    for (i = 0; i < FATIGUE_FRAMES; i++) {
        rp_msg_t m, d;
        rp_frame_t f;
        rp_err_t r = RP_OK;
        size_t n, len, k;
        bool got = false;
        memset(&m, 0, sizeof m);
        m.verb = (rp_verb_t)(rnd(&seed) % 7u);
        m.to = paths[rnd(&seed) % 8u];
        m.from = paths[rnd(&seed) % 8u];
        m.eof = rnd(&seed) % 3u != 0u;
        m.flow = (int8_t)(rnd(&seed) % 4u == 0u ? (int)(rnd(&seed) % 101u) : -1);
        m.status = (uint16_t)(m.verb >= RP_REP && rnd(&seed) % 2u ? 100u + rnd(&seed) % 900u : 0u);
        m.body_len = (uint16_t)(rnd(&seed) % 120u);
        for (k = 0; k < m.body_len; k++) {
            body[k] = (uint8_t)rnd(&seed);
        }
        m.body = m.body_len ? body : NULL;
        m.type = m.body_len ? types[rnd(&seed) % 4u] : NULL;
        msg[0] = 0x80;                  /* one segment */
        n = rp_msg_encode2(&m, msg + 1, sizeof msg - 1u);
        CHECK(n > 0);
        len = rp_frame_encode(1, 0x10, msg, n + 1u, line, sizeof line);
        for (k = 0; k < len; k++) {
            if (rp_frame_decoder_put(&dec, line[k], &r, &f)) {
                got = r == RP_OK;
            }
        }
        if (!got || rp_msg_decode2((uint8_t *)f.info + 1, (size_t)f.info_len - 1u, &d, xbuf, NULL, NULL)
                        != RP_OK) {
            CHECK(got && false);
            break;
        }
        if (d.verb != m.verb || strcmp(d.to, m.to) != 0 || d.eof != m.eof || d.flow != m.flow
            || strcmp(d.from, m.verb >= RP_REP && m.eof ? "/#x" : m.from) != 0
            || d.status != (m.status ? m.status : m.verb == RP_REP ? 200u : m.verb == RP_ERROR ? 500u : 0u)
            || d.body_len != m.body_len || (m.body_len && memcmp(d.body, body, m.body_len) != 0)
            || (m.body_len && strcmp(d.type, m.type) != 0)) {
            CHECK(false);
            fprintf(stderr, "  message %lu differs\n", (unsigned long)i);
            break;
        }
        ok++;
    }
    CHECK_EQ(ok, FATIGUE_FRAMES);
    printf("     fatigue v2: %lu messages ok\n", (unsigned long)ok);
}

void run_fatigue_tests(void)
{
    RUN(fatigue_65535_frames);
    RUN(fatigue_v2_65535_messages);
}
