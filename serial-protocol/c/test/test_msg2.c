/* test_msg2.c - the version 2 message codec (PROTOCOL.md 8) on vectors/messages2.txt, the same
 * file the Java tests read, and a version 2 link through the station. */
#include <stdlib.h>

#include "harness.h"
#include "rp_header.h"
#include "test.h"
#include "util.h"
#include "vectors.h"

static uint8_t a[4096], b[4096], c[4096];
static char table[32][64];
static uint8_t table_n;
static char xbuf[2][RP_XPATH_LEN];

static const char *table_path(void *ctx, uint8_t i)
{
    (void)ctx;
    return i >= 1u && i <= table_n ? table[i - 1u] : NULL;
}

static bool str_field(const char *got, const char *want)
{
    if (strcmp(want, "-") == 0) {
        return got == NULL;
    }
    return got != NULL && strcmp(got, want) == 0;
}

static void message2_line(char **f, int n, void *ctx)
{
    size_t len;
    rp_msg_t m, m2;
    rp_err_t err;
    int *counts = ctx, i;
    if (strcmp(f[0], "table") == 0) {
        for (i = 1; i < n && i <= 31; i++) {
            strncpy(table[i - 1], f[i], sizeof table[0] - 1u);
        }
        table_n = (uint8_t)(n - 1);
        return;
    }
    len = vec_hex(f[2], a, sizeof a);
    CHECK_V(len != (size_t)-1, f[1]);
    err = rp_msg_decode2(a, len, &m, xbuf, table_path, NULL);
    if (strcmp(f[0], "bad") == 0) {
        counts[1]++;
        CHECK_V(n == 4 && err == err_from_name(f[3]), f[1]);
        if (err != err_from_name(f[3])) {
            fprintf(stderr, "  got %s want %s\n", err_name(err), f[3]);
        }
        return;
    }
    counts[0]++;
    CHECK_V(n == 11 && err == RP_OK, f[1]);
    if (err != RP_OK) {
        fprintf(stderr, "  got %s\n", err_name(err));
        return;
    }
    CHECK_V(strcmp(rp_verb_name(m.verb), f[3]) == 0, f[1]);
    CHECK_V(strcmp(m.to, f[4]) == 0 && strcmp(m.from, f[5]) == 0, f[1]);
    CHECK_V(m.eof == (atoi(f[6]) != 0), f[1]);
    CHECK_V(m.flow == (strcmp(f[7], "-") == 0 ? -1 : atoi(f[7])), f[1]);
    CHECK_V(m.status == (strcmp(f[8], "-") == 0 ? 0 : atoi(f[8])), f[1]);
    CHECK_V(str_field(m.type, f[9]), f[1]);
    len = vec_hex(f[10], b, sizeof b);
    CHECK_V(m.body_len == len && (len == 0 || memcmp(m.body, b, len) == 0), f[1]);
    /* encode: "ok" vectors are what a station writes; "okj" ones use the table (the host's) */
    len = rp_msg_encode2(&m, b, sizeof b);
    CHECK_V(len > 0, f[1]);
    if (strcmp(f[0], "ok") == 0) {
        CHECK_V(len == vec_hex(f[2], c, sizeof c) && memcmp(b, c, len) == 0, f[1]);
    }
    memcpy(c, b, len);
    CHECK_V(rp_msg_decode2(c, len, &m2, xbuf, table_path, NULL) == RP_OK && m2.verb == m.verb
            && m2.eof == m.eof && m2.body_len == m.body_len, f[1]);
    CHECK_V(rp_msg_encode2(&m, b, len - 1) == 0, f[1]);
}

TEST(message2_vectors)
{
    int counts[2] = { 0, 0 };
    CHECK(vec_each("messages2.txt", message2_line, counts) > 30);
    CHECK(counts[0] >= 15 && counts[1] >= 15);
}

static const char *leds(void *ctx, uint8_t i)
{
    (void)ctx;
    return i == 3u ? "/leds/0" : NULL;
}

/* A version 2 primary's GET /leds/0 from /#x/5 (index form) and the station's answer to /#x/5
 * with its from left out (PROTOCOL.md 8.5). */
TEST(v2_link_exchange)
{
    static const uint8_t req[] = { 0x80, 0x10, 0x03, 0x85 };
    static const uint8_t rep[] = { 0x80, 0x45, 0x85, 'a', 'b', 'c', 'd' };  /* REP T t, to /#x/5 */
    h_init(64, 4);
    CHECK(h_connect_v(64, 4, 0x20));
    rp_station_set_paths(&h.st, leds);
    h.reply = true;
    h.reply_len = 4;
    CHECK_EQ(h_send(1, rp_ctl_i(0, 0, true), req, sizeof req), 1);
    CHECK(h.msgs == 1 && h.last.verb == RP_GET && strcmp(h.to, "/leds/0") == 0
          && strcmp(h.from, "/#x/5") == 0);
    CHECK(h_is_i(0, 0, 1, true) && h.f[0].n == sizeof rep && memcmp(h.f[0].info, rep, sizeof rep) == 0);
    /* without a table the index form is a counted BAD_PATH, and the link goes on */
    rp_station_set_paths(&h.st, NULL);
    CHECK_EQ(h_send(1, rp_ctl_i(1, 1, true), req, sizeof req), 1);
    CHECK(h.msgs == 1 && rp_station_counters(&h.st)->errors[RP_ERR_BAD_PATH] == 1);
    /* a text message on a version 2 link is not a message */
    CHECK_EQ(h_send(1, rp_ctl_i(2, 1, true), "\x80GET /x\n/#r/1\n", 14), 1);
    CHECK(h.msgs == 1);
}

void run_message2_tests(void)
{
    RUN(message2_vectors);
    RUN(v2_link_exchange);
}
