/*
 * board.h - the platform hooks the portable firmware needs. Each board (host-sim, arduino-uno)
 * implements these four functions; the firmware calls nothing else of the platform.
 */
#ifndef FERRY_BOARD_H
#define FERRY_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Transmit already-framed bytes on the line; returns when they are handed to the UART/fd. */
void board_uart_write(const uint8_t *bytes, size_t n);

/* Milliseconds since start, wrapping at 2^32. */
uint32_t board_millis(void);

/* Temperature of reading number n (n = 1, 2, ...), in tenths of a degree Celsius. A board with
 * no sensor returns fw_sim_temp_deci(n), a deterministic simulation. */
int16_t board_temp_deci(uint32_t n);

/* Drive LED idx (only 0 exists) on or off. */
void board_led_set(uint8_t idx, bool on);

#endif
