/* rp_crc.c - CRC-16/X-25, table-free (PROTOCOL.md 2.1). */
#include "rp_crc.h"

uint16_t rp_crc16_update(uint16_t crc, uint8_t byte)
{
    uint8_t x = (uint8_t)(byte ^ (uint8_t)(crc & 0xFFu));
    x = (uint8_t)(x ^ (uint8_t)(x << 4));
    return (uint16_t)((((uint16_t)x << 8) | (crc >> 8)) ^ (uint16_t)(x >> 4) ^ (uint16_t)((uint16_t)x << 3));
}

uint16_t rp_crc16(const uint8_t *p, size_t n)
{
    uint16_t crc = RP_CRC_INIT;
    size_t i;
    for (i = 0; i < n; i++) {
        crc = rp_crc16_update(crc, p[i]);
    }
    return (uint16_t)(crc ^ RP_CRC_XOROUT);
}
