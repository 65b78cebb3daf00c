/* test_fatigue.c - 65,535 seeded random frames through encoder and decoder. */
#include "rp_frame.h"
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

void run_fatigue_tests(void)
{
    RUN(fatigue_65535_frames);
}
