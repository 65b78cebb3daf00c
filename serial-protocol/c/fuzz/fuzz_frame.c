/* fuzz_frame.c - the frame decoder on arbitrary bytes; every decoded frame re-encodes to a
 * frame that decodes to the same fields. */
#include <string.h>

#include "rp_frame.h"

static rp_frame_decoder_t dec, dec2;
static uint8_t line[RP_WIRE_MAX(RP_FRAME_MAX)];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t i, k;
    uint16_t n;
    if (size < 2) {
        return 0;
    }
    n = (uint16_t)(4u + ((data[0] << 8 | data[1]) % (RP_FRAME_MAX - 3u)));
    rp_frame_decoder_init(&dec, n);
    for (i = 2; i < size; i++) {
        rp_err_t r;
        rp_frame_t f;
        if (rp_frame_decoder_put(&dec, data[i], &r, &f) && r == RP_OK) {
            size_t len = rp_frame_encode(f.address, f.control, f.info, f.info_len, line, sizeof line);
            int got = 0;
            if (len == 0 || f.info_len + 4u > n) {
                __builtin_trap();
            }
            rp_frame_decoder_init(&dec2, n);
            for (k = 0; k < len; k++) {
                rp_err_t r2;
                rp_frame_t f2;
                if (rp_frame_decoder_put(&dec2, line[k], &r2, &f2)) {
                    got++;
                    if (r2 != RP_OK || f2.address != f.address || f2.control != f.control
                        || f2.info_len != f.info_len || memcmp(f2.info, f.info, f.info_len) != 0) {
                        __builtin_trap();
                    }
                }
            }
            if (got != 1) {
                __builtin_trap();
            }
        }
    }
    return 0;
}
