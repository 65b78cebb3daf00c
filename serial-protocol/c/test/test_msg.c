/* test_msg.c - header codec, paths, segmentation and reassembly: units and vectors. */
#include <stdlib.h>

#include "rp_header.h"
#include "rp_segment.h"
#include "test.h"
#include "util.h"
#include "vectors.h"

static uint8_t a[8192], b[8192], c[8192];

/* ok vectors that are valid but not in the encoder's canonical form */
static const char *const non_canonical[] = {
    "unnormal-paths", "explicit-defaults", "blank-line-no-body", "no-length", "ext-key",
    "fields-any-order", NULL
};

static bool canonical(const char *name)
{
    int i;
    for (i = 0; non_canonical[i] != NULL; i++) {
        if (strcmp(non_canonical[i], name) == 0) {
            return false;
        }
    }
    return true;
}

static bool str_field(const char *got, const char *want)
{
    if (strcmp(want, "-") == 0) {
        return got == NULL;
    }
    return got != NULL && strcmp(got, want) == 0;
}

static bool same_msg(const rp_msg_t *x, const rp_msg_t *y)
{
    return x->verb == y->verb && strcmp(x->to, y->to) == 0 && strcmp(x->from, y->from) == 0
           && x->eof == y->eof && x->flow == y->flow && x->status == y->status
           && ((x->type == NULL && y->type == NULL)
               || (x->type != NULL && y->type != NULL && strcmp(x->type, y->type) == 0))
           && x->body_len == y->body_len
           && (x->body_len == 0 || memcmp(x->body, y->body, x->body_len) == 0);
}

static void message_line(char **f, int n, void *ctx)
{
    size_t len = vec_hex(f[2], a, sizeof a);
    rp_msg_t m, m2;
    rp_err_t err;
    int *counts = ctx;
    CHECK_V(len != (size_t)-1, f[1]);
    memcpy(c, a, len);
    err = rp_msg_decode(a, len, &m);
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
    /* the other direction: canonical vectors encode to the same bytes; all round-trip */
    len = rp_msg_encode(&m, b, sizeof b);
    CHECK_V(len > 0, f[1]);
    if (canonical(f[1])) {
        CHECK_V(len == vec_hex(f[2], c, sizeof c) && memcmp(b, c, len) == 0, f[1]);
    }
    CHECK_V(rp_msg_decode(b, len, &m2) == RP_OK && same_msg(&m, &m2), f[1]);
    CHECK_V(rp_msg_encode(&m, b, len - 1) == 0, f[1]);
}

TEST(message_vectors)
{
    int counts[2] = { 0, 0 };
    CHECK(vec_each("messages.txt", message_line, counts) > 20);
    CHECK(counts[0] > 10 && counts[1] > 10);
}

TEST(message_encode_units)
{
    rp_msg_t m;
    size_t n;
    memset(&m, 0, sizeof m);
    m.verb = RP_REP;
    m.to = "/#r/1/";
    m.from = "/a/#streams/2";
    m.eof = true;
    m.flow = -1;
    m.status = 404;
    m.type = "t";
    m.body = (const uint8_t *)"no";
    m.body_len = 2;
    n = rp_msg_encode(&m, a, sizeof a);
    CHECK(n > 0 && memcmp(a, "REP /#r/1\n/a#streams/2\nS404\nTt\nL2\n\nno", n) == 0);
    m.status = 200;                     /* default status is omitted */
    m.type = "o";                       /* so is the default type */
    n = rp_msg_encode(&m, a, sizeof a);
    CHECK(n > 0 && memcmp(a, "REP /#r/1\n/a#streams/2\nL2\n\nno", n) == 0);
    m.verb = RP_GET;                    /* status on GET is invalid */
    CHECK_EQ(rp_msg_encode(&m, a, sizeof a), 0);
    m.status = 0;
    m.flow = 101;
    CHECK_EQ(rp_msg_encode(&m, a, sizeof a), 0);
    m.flow = 0;
    m.to = "/a//b";
    CHECK_EQ(rp_msg_encode(&m, a, sizeof a), 0);
    m.to = "/x";
    m.type = "x";                       /* neither j/t/o nor a media type */
    CHECK_EQ(rp_msg_encode(&m, a, sizeof a), 0);
    m.type = NULL;
    m.verb = (rp_verb_t)99;
    CHECK_EQ(rp_msg_encode(&m, a, sizeof a), 0);
}

static void path_line(char **f, int n, void *ctx)
{
    char p[600];
    (void)ctx;
    CHECK_V(n == 3, f[1]);
    if (strcmp(f[0], "ok") == 0) {
        strcpy(p, f[1]);
        CHECK_V(rp_path_normalize(p) && strcmp(p, f[2]) == 0, f[1]);
        CHECK_V(rp_path_normalize(p) && strcmp(p, f[2]) == 0, f[2]);    /* idempotent */
    } else {
        size_t len = vec_hex(f[1] + 4, (uint8_t *)p, sizeof p - 1);
        CHECK_V(strncmp(f[1], "hex:", 4) == 0 && len != (size_t)-1, f[1]);
        CHECK_V(rp_path_normalize_n(p, len) == 0, f[1]);
        p[len] = '\0';
        CHECK_V(!rp_path_normalize(p), f[1]);
    }
}

TEST(path_vectors)
{
    CHECK(vec_each("paths.txt", path_line, NULL) > 20);
}

static void segment_line(char **f, int n, void *ctx)
{
    uint16_t N = (uint16_t)atoi(f[0]), count, i;
    size_t len = vec_hex(f[1], a, sizeof a);
    char *seg = f[3];
    rp_reasm_t r;
    bool done = false;
    (void)ctx;
    CHECK_V(n == 4 && len != (size_t)-1, f[0]);
    count = rp_seg_count(len, N);
    CHECK_V(count == atoi(f[2]), f[1]);
    rp_reasm_init(&r, c, sizeof c);
    for (i = 0; i < count && seg != NULL; i++) {
        char *comma = strchr(seg, ',');
        size_t at = (size_t)i * RP_SEG_PART(N), part = len - at < RP_SEG_PART(N) ? len - at : RP_SEG_PART(N);
        size_t sn;
        if (comma != NULL) {
            *comma = '\0';
        }
        sn = vec_hex(seg, b, sizeof b);
        CHECK_V(sn == part + 1 && b[0] == rp_seg_byte(i, count) && memcmp(b + 1, a + at, part) == 0, seg);
        CHECK_V(rp_reasm_put(&r, b, sn, &done) == RP_OK, seg);
        CHECK_V(done == (i + 1 == count), seg);
        seg = comma != NULL ? comma + 1 : NULL;
    }
    CHECK_V(i == count && seg == NULL, f[1]);
    CHECK_V(done && r.len == len && memcmp(c, a, len) == 0, f[1]);
}

TEST(segment_vectors)
{
    CHECK(vec_each("segments.txt", segment_line, NULL) >= 9);
}

TEST(reassembly_errors)
{
    static uint8_t buf[10];
    rp_reasm_t r;
    rp_msg_t m;
    bool done;
    uint8_t s[12];
    rp_reasm_init(&r, buf, sizeof buf);
    s[0] = 0x41;                                        /* no FIRST, none in progress */
    CHECK(rp_reasm_put(&r, s, 3, &done) == RP_ERR_SEGMENT_GAP && !done);
    s[0] = 0xC0;                                        /* FIRST|MORE */
    CHECK(rp_reasm_put(&r, s, 4, &done) == RP_OK && !done);
    s[0] = 0x42;                                        /* index 2, expected 1 */
    CHECK(rp_reasm_put(&r, s, 2, &done) == RP_ERR_SEGMENT_GAP && !done);
    s[0] = 0x01;                                        /* rest of the dropped one */
    CHECK(rp_reasm_put(&r, s, 2, &done) == RP_ERR_SEGMENT_GAP && !done);
    s[0] = 0xC0;
    s[1] = 'a';
    CHECK(rp_reasm_put(&r, s, 2, &done) == RP_OK);
    s[0] = 0x80;                                        /* FIRST mid-message: old dropped */
    s[1] = 'b';
    CHECK(rp_reasm_put(&r, s, 2, &done) == RP_ERR_SEGMENT_GAP && done && r.len == 1 && buf[0] == 'b');
    s[0] = 0xC0;                                        /* too large: rest discarded */
    CHECK(rp_reasm_put(&r, s, 8, &done) == RP_OK);
    s[0] = 0x41;
    CHECK(rp_reasm_put(&r, s, 8, &done) == RP_ERR_TOO_LARGE && !done);
    s[0] = 0x02;
    CHECK(rp_reasm_put(&r, s, 2, &done) == RP_OK && !done);     /* discarded silently */
    s[0] = 0x80;                                        /* a whole 10-byte message fits */
    CHECK(rp_reasm_put(&r, s, 11, &done) == RP_OK && done && r.len == 10);
    CHECK(rp_reasm_put(&r, s, 0, &done) == RP_ERR_SEGMENT_GAP && !done);
    s[0] = 0x85;                                        /* FIRST with a non-zero index */
    CHECK(rp_reasm_put(&r, s, 2, &done) == RP_ERR_SEGMENT_GAP && !done);
    s[0] = 0x80;                                        /* empty message: complete, len 0 */
    CHECK(rp_reasm_put(&r, s, 1, &done) == RP_OK && done && r.len == 0);
    CHECK(rp_msg_decode(buf, 0, &m) == RP_ERR_BAD_HEADER);
}

TEST(segment_index_wraps)
{
    CHECK_EQ(rp_seg_byte(0, 1), 0x80);
    CHECK_EQ(rp_seg_byte(0, 2), 0xC0);
    CHECK_EQ(rp_seg_byte(63, 100), 0x7F);
    CHECK_EQ(rp_seg_byte(64, 100), 0x40);
    CHECK_EQ(rp_seg_byte(99, 100), 0x23);
    CHECK_EQ(rp_seg_count(0, 32), 1);
    CHECK_EQ(rp_seg_count(27, 32), 1);
    CHECK_EQ(rp_seg_count(28, 32), 2);
}

void run_message_tests(void)
{
    RUN(message_vectors);
    RUN(message_encode_units);
    RUN(path_vectors);
    RUN(segment_vectors);
    RUN(reassembly_errors);
    RUN(segment_index_wraps);
}
