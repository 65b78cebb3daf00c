/* fuzz_reasm.c - reassembly on arbitrary segments: input is [len][segment...] records. */
#include "rp_segment.h"

static uint8_t buf[300];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rp_reasm_t r;
    size_t i = 0;
    rp_reasm_init(&r, buf, (uint16_t)(size > 0 ? 1u + data[0] % sizeof buf : sizeof buf));
    if (size > 0) {
        i = 1;
    }
    while (i < size) {
        size_t n = data[i++] % 64u;
        bool done;
        rp_err_t e;
        if (n > size - i) {
            n = size - i;
        }
        e = rp_reasm_put(&r, data + i, n, &done);
        if ((unsigned)e >= RP_ERR_COUNT || r.len > r.cap) {
            __builtin_trap();
        }
        i += n;
    }
    return 0;
}
