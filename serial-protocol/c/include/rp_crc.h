/*
 * rp_crc.h - CRC-16/X-25 (HDLC FCS), PROTOCOL.md 2.1. Table-free.
 */
#ifndef RP_CRC_H
#define RP_CRC_H

#include <stddef.h>
#include <stdint.h>

#define RP_CRC_INIT 0xFFFFu     /* register start value */
#define RP_CRC_XOROUT 0xFFFFu   /* applied to the register to get the transmitted value */
#define RP_CRC_GOOD 0xF0B8u     /* the register after data and its correct FCS (residue) */

/* One byte into the un-inverted register (as avr-libc's _crc_ccitt_update). */
uint16_t rp_crc16_update(uint16_t crc, uint8_t byte);

/* n more bytes into the un-inverted register. */
uint16_t rp_crc16_more(uint16_t crc, const uint8_t *p, size_t n);

/* CRC-16/X-25 of n bytes: the final (xor-ed) value, sent low byte first. */
uint16_t rp_crc16(const uint8_t *p, size_t n);

#endif
