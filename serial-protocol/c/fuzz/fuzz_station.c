/* fuzz_station.c - a station fed arbitrary bytes. The input is chunks [mode][len][bytes]:
 * mode bit 0 clear = raw line bytes, set = a well-formed frame (address from the mode byte's
 * bits 1-2: own, broadcast, or station 2, whose final frames a UP may make us wait for; control
 * and info from the bytes), so the link layer is reached.
 * SNRM frames in the input pick version 1 or 2 (and the header codec with it). */
#include <string.h>

#include "rp.h"
#include "rp_frame.h"

static rp_station_t st;
static uint8_t line[RP_WIRE_MAX(RP_FRAME_MAX)];
static size_t written;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_write(void *ctx, const uint8_t *p, size_t n)
{
    (void)ctx;
    (void)p;
    written += n;
}

static void on_message(void *ctx, rp_station_t *s, const rp_msg_t *m)
{
    rp_msg_t r = *m;
    (void)ctx;
    r.verb = RP_REP;
    r.to = m->from;
    r.from = "/f#streams/1";
    r.status = 0;
    (void)rp_station_send(s, &r);
    rp_station_set_busy(s, rp_station_tx_free(s) < 64);
}

static const char *table(void *ctx, uint8_t i)
{
    (void)ctx;
    return i == 1u ? "/info" : i == 2u ? "/leds/0" : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t i = 0, k;
    if (size < 2) {
        return 0;
    }
    rp_station_init(&st, 1, (uint16_t)(32u + data[0] * 8u), (uint8_t)(1u + data[1] % 7u),
                    on_message, on_write, NULL, NULL);
    rp_station_set_paths(&st, (data[1] & 0x80u) ? table : NULL);    /* version 2 index forms */
    i = 2;
    while (i + 2 <= size) {
        uint8_t mode = data[i], len = data[i + 1];
        i += 2;
        if (len > size - i) {
            len = (uint8_t)(size - i);
        }
        if ((mode & 1u) == 0 || len == 0) {
            for (k = 0; k < len; k++) {
                rp_station_rx(&st, data[i + k]);
            }
        } else {
            uint8_t a = (mode & 6u) == 2u ? RP_BROADCAST : (mode & 6u) == 4u ? 2u : 1u;
            size_t n = rp_frame_encode(a, data[i], data + i + 1,
                                       (size_t)len - 1u, line, sizeof line);
            rp_station_rx(&st, 0);
            for (k = 0; k < n; k++) {
                rp_station_rx(&st, line[k]);
            }
        }
        i += len;
    }
#if RP_UP
    if (st.up_after == 1u) {    /* never waits for itself */
        __builtin_trap();
    }
#endif
    if (st.tx_used > RP_TXQ_BYTES || ((st.vs - st.va) & 7u) > st.k) {
        __builtin_trap();
    }
    return 0;
}
