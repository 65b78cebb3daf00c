/* avr/main.c - minimal ATmega328P program using the station, for size measurement only.
 * Built twice: with the library, and with -DBASELINE (same UART loop, no library). */
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
#endif

int main(void)
{
    UBRR0 = 103;                /* 9600 Bd at 16 MHz */
    UCSR0B = (1 << RXEN0) | (1 << TXEN0);
#ifndef BASELINE
    rp_station_init(&st, 1, 64, 1, on_message, write_bytes, NULL, NULL);
    for (;;) {
        rp_station_rx(&st, uart_get());
        if (!rp_station_connected(&st)) {
            PORTB = (uint8_t)rp_station_counters(&st)->frames_rx;
        }
    }
#else
    for (;;) {
        uint8_t b = uart_get();
        uart_put(b);
        PORTB = b;
    }
#endif
}
