/* fuzz_header2.c - the version 2 decoder (PROTOCOL.md 8) on arbitrary bytes, with a resource
 * table; accepted messages re-encode and decode to the same fields (paths compared as text). */
#include <string.h>

#include "rp_header.h"

static uint8_t buf[RP_MSG_MAX], enc[RP_MSG_MAX + 600];
static char xbuf[2][RP_XPATH_LEN], xbuf2[2][RP_XPATH_LEN];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *table(void *ctx, uint8_t i)
{
    static const char *const paths[] = { "/info", "/sensors/temp", "/leds/0" };
    (void)ctx;
    return i >= 1u && i <= 3u ? paths[i - 1u] : NULL;
}

static int same_str(const char *a, const char *b)
{
    if (a == NULL || b == NULL) {
        return a == b;
    }
    return strcmp(a, b) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rp_msg_t m, m2;
    size_t n;
    if (size > sizeof buf) {
        return 0;
    }
    memcpy(buf, data, size);
    if (rp_msg_decode2(buf, size, &m, xbuf, table, NULL) != RP_OK) {
        return 0;
    }
    n = rp_msg_encode2(&m, enc, sizeof enc);
    if (n == 0 || rp_msg_decode2(enc, n, &m2, xbuf2, table, NULL) != RP_OK) {
        __builtin_trap();
    }
    /* a final reply's from is never written, so it reads back as the implied "/#x" */
    if (m.verb != m2.verb || strcmp(m.to, m2.to) != 0
        || (!(m.verb >= RP_REP && m.eof) && strcmp(m.from, m2.from) != 0)
        || m.eof != m2.eof || m.flow != m2.flow || m.status != m2.status
        || !same_str(m.type, m2.type) || m.body_len != m2.body_len
        || (m.body_len > 0 && memcmp(m.body, m2.body, m.body_len) != 0)) {
        __builtin_trap();
    }
    return 0;
}
