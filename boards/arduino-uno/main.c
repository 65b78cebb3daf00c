/*
 * Arduino Uno (ATmega328P, 16 MHz) platform for the reference firmware.
 *   USART0 at 115200 8N1 (U2X): RX complete ISR into a 128-byte ring, TX by polling UDRE0.
 *   millis: Timer1 in CTC mode at 1 kHz by default (FW_MILLIS_TIMER=1). QEMU's ATmega328P
 *   model does not emulate the 8-bit Timer0, so Timer0 (FW_MILLIS_TIMER=0, the Arduino
 *   convention) is available for real hardware only.
 *   LED 0: pin 13 (PB5).
 */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/sleep.h>
#include <util/atomic.h>

#include "board.h"
#include "firmware.h"
#include "rp.h"

#ifndef FW_ADDR
#define FW_ADDR 1
#endif
#ifndef FW_BAUD
#define FW_BAUD 115200UL
#endif
#ifndef FW_MILLIS_TIMER
#define FW_MILLIS_TIMER 1
#endif
#ifndef FW_SLEEP                /* idle sleep between interrupts (off: see README, QEMU) */
#define FW_SLEEP 0
#endif
#ifndef FW_BLOB_KIB
#define FW_BLOB_KIB 4
#endif

#define RX_RING 128u                    /* power of two */

static volatile uint8_t rx_ring[RX_RING];
static volatile uint8_t rx_head, rx_tail, rx_overruns;
static volatile uint32_t ms;

ISR(USART_RX_vect)
{
    uint8_t b = UDR0;
    uint8_t next = (uint8_t)((rx_head + 1u) & (RX_RING - 1u));
    if (next != rx_tail) {
        rx_ring[rx_head] = b;
        rx_head = next;
    } else {
        rx_overruns++;                  /* the frame in progress fails its CRC and is resent */
    }
}

#if FW_MILLIS_TIMER == 0
ISR(TIMER0_COMPA_vect)
#else
ISR(TIMER1_COMPA_vect)
#endif
{
    ms++;
}

void board_uart_write(const uint8_t *bytes, size_t n)
{
    while (n--) {
        while (!(UCSR0A & _BV(UDRE0)))
            ;
        UDR0 = *bytes++;
    }
}

uint32_t board_millis(void)
{
    uint32_t t;
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { t = ms; }
    return t;
}

int16_t board_temp_deci(uint32_t n)
{
    return fw_sim_temp_deci(n);         /* QEMU has no ADC temperature sensor to read */
}

void board_led_set(uint8_t idx, bool on)
{
    if (idx != 0)
        return;
    if (on)
        PORTB |= _BV(PORTB5);
    else
        PORTB &= (uint8_t)~_BV(PORTB5);
}

static void uart_init(void)
{
    uint16_t ubrr = (uint16_t)((F_CPU + 4UL * FW_BAUD) / (8UL * FW_BAUD) - 1UL);
    UBRR0H = (uint8_t)(ubrr >> 8);
    UBRR0L = (uint8_t)ubrr;
    UCSR0A = _BV(U2X0);
    UCSR0C = _BV(UCSZ01) | _BV(UCSZ00);          /* 8N1 */
    UCSR0B = _BV(RXEN0) | _BV(TXEN0) | _BV(RXCIE0);
}

static void millis_init(void)
{
#if FW_MILLIS_TIMER == 0
    TCCR0A = _BV(WGM01);                         /* CTC */
    OCR0A = (uint8_t)(F_CPU / 64UL / 1000UL - 1UL);
    TCCR0B = _BV(CS01) | _BV(CS00);              /* /64 */
    TIMSK0 = _BV(OCIE0A);
#else
    TCCR1A = 0;
    OCR1A = (uint16_t)(F_CPU / 64UL / 1000UL - 1UL);
    TCCR1B = _BV(WGM12) | _BV(CS11) | _BV(CS10); /* CTC, /64 */
    TIMSK1 = _BV(OCIE1A);
#endif
}

int main(void)
{
    static const fw_config_t cfg = { "arduino-uno", FW_ADDR, RP_FRAME_MAX, 1, FW_BLOB_KIB };
    DDRB |= _BV(DDB5);
    uart_init();
    millis_init();
    fw_init(&cfg);
    set_sleep_mode(SLEEP_MODE_IDLE);
    sei();
    for (;;) {
        while (rx_tail != rx_head) {
            uint8_t b = rx_ring[rx_tail];
            rx_tail = (uint8_t)((rx_tail + 1u) & (RX_RING - 1u));
            fw_rx(b);
        }
        fw_tick();
#if FW_SLEEP
        cli();
        if (rx_tail == rx_head && fw_idle_ms() != 0) {
            sleep_enable();
            sei();
            sleep_cpu();                /* woken by the next byte or millisecond */
            sleep_disable();
        }
        sei();
#endif
    }
}
