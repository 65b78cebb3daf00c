/* fuzz_header.c - the header decoder on arbitrary bytes; accepted messages re-encode and
 * decode to the same fields. */
#include <string.h>

#include "rp_header.h"

static uint8_t buf[RP_MSG_MAX], enc[RP_MSG_MAX + 64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
    if (rp_msg_decode(buf, size, &m) != RP_OK) {
        return 0;
    }
    n = rp_msg_encode(&m, enc, sizeof enc);
    if (n == 0 || rp_msg_decode(enc, n, &m2) != RP_OK) {
        __builtin_trap();
    }
    if (m.verb != m2.verb || strcmp(m.to, m2.to) != 0 || strcmp(m.from, m2.from) != 0
        || m.eof != m2.eof || m.flow != m2.flow || m.status != m2.status
        || !same_str(m.type, m2.type) || m.body_len != m2.body_len
        || (m.body_len > 0 && memcmp(m.body, m2.body, m.body_len) != 0)) {
        __builtin_trap();
    }
    return 0;
}
