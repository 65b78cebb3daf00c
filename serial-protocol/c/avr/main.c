/* avr/main.c - minimal ATmega328P program using the station, for size measurement only.
 *
 * Built twice from the same application code (UART, the station's callbacks and their
 * strings): with the library, and with -DBASELINE, where the library's entry points are
 * replaced by empty stand-ins (below). The Makefile subtracts the stand-ins' own bytes, so
 * "program - baseline" is the library alone, not the application around it. */
#include <avr/io.h>

#include "rp.h"

static uint8_t uart_get(void)
{
    while (!(UCSR0A & (1 << RXC0))) {
    }
    return UDR0;
}

static void uart_put(uint8_t b)
{
    while (!(UCSR0A & (1 << UDRE0))) {
    }
    UDR0 = b;
}

#ifndef BASELINE
static rp_station_t st;
#define ST (&st)
#else
/* Stand-ins: never inlined, arguments consumed and results produced through empty asm so the
 * application code compiles as in the real build. Named rp_*, which the Makefile's
 * measurement subtracts. No storage: the station context is the library's RAM. */
#define ST ((rp_station_t *)0)
#define STAND_IN __attribute__((noinline, noclone, used))
#define USE(x) __asm__ volatile("" : : "r"(x) : "memory")
STAND_IN void rp_station_init(rp_station_t *s, uint8_t address, uint16_t frame_size,
                              uint8_t window, rp_on_message_fn on_message, rp_write_fn write,
                              rp_on_error_fn on_error, void *ctx)
{
    (void)s, (void)address, (void)frame_size, (void)window, (void)on_error, (void)ctx;
    USE(on_message);
    USE(write);
}
STAND_IN void rp_station_rx(rp_station_t *s, uint8_t byte)
{
    (void)s;
    USE(byte);
}
STAND_IN bool rp_station_send(rp_station_t *s, const rp_msg_t *m)
{
    uint8_t r;
    (void)s;
    USE(m);
    __asm__ volatile("" : "=r"(r));
    return r != 0;
}
STAND_IN size_t rp_station_tx_free(const rp_station_t *s)
{
    size_t r;
    (void)s;
    __asm__ volatile("" : "=r"(r));
    return r;
}
STAND_IN void rp_station_set_busy(rp_station_t *s, bool busy)
{
    (void)s;
    USE(busy);
}
STAND_IN bool rp_station_connected(const rp_station_t *s)
{
    uint8_t r;
    (void)s;
    __asm__ volatile("" : "=r"(r));
    return r != 0;
}
STAND_IN const rp_counters_t *rp_station_counters(const rp_station_t *s)
{
    const rp_counters_t *r;
    (void)s;
    __asm__ volatile("" : "=r"(r));
    return r;
}
#endif

static void write_bytes(void *ctx, const uint8_t *p, size_t n)
{
    (void)ctx;
    while (n-- > 0) {
        uart_put(*p++);
    }
}

static void on_message(void *ctx, rp_station_t *s, const rp_msg_t *m)
{
    static const uint8_t body[] = "{\"t\":21}";
    rp_msg_t r = *m;
    (void)ctx;
    r.verb = RP_REP;
    r.to = m->from;
    r.from = "/t#s/1";
    r.type = "j";
    r.body = body;
    r.body_len = sizeof body - 1;
    r.status = 0;
    (void)rp_station_send(s, &r);
    rp_station_set_busy(s, rp_station_tx_free(s) < 16);
}

int main(void)
{
    UBRR0 = 103;                /* 9600 Bd at 16 MHz */
    UCSR0B = (1 << RXEN0) | (1 << TXEN0);
    rp_station_init(ST, 1, 64, 1, on_message, write_bytes, NULL, NULL);
    for (;;) {
        rp_station_rx(ST, uart_get());
        if (!rp_station_connected(ST)) {
            PORTB = (uint8_t)rp_station_counters(ST)->frames_rx;
        }
    }
}
