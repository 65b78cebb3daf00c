/* util.c - shared test helpers. */
#include <string.h>

#include "util.h"

static const char *const names[RP_ERR_COUNT] = {
    "OK", "OVERLONG", "BAD_COBS", "RUNT", "BAD_CRC", "SEGMENT_GAP", "TOO_LARGE",
    "BAD_HEADER", "UNKNOWN_VERB", "BAD_PATH"
};

rp_err_t err_from_name(const char *name)
{
    int i;
    for (i = 0; i < RP_ERR_COUNT; i++) {
        if (strcmp(names[i], name) == 0) {
            return (rp_err_t)i;
        }
    }
    return RP_ERR_COUNT;
}

const char *err_name(rp_err_t e)
{
    return (unsigned)e < RP_ERR_COUNT ? names[e] : "?";
}

uint32_t rnd(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}
