/* rp_crc.c - CRC-16/X-25, table-free (PROTOCOL.md 2.1). */
#include "rp_crc.h"

uint16_t rp_crc16_update(uint16_t crc, uint8_t byte)
{
    uint8_t x = (uint8_t)(byte ^ (uint8_t)(crc & 0xFFu));
    x = (uint8_t)(x ^ (uint8_t)(x << 4));
    return (uint16_t)((((uint16_t)x << 8) | (crc >> 8)) ^ (uint16_t)(x >> 4) ^ (uint16_t)((uint16_t)x << 3));
}

uint16_t rp_crc16_more(uint16_t crc, const uint8_t *p, size_t n)
{
    while (n-- > 0) {
        crc = rp_crc16_update(crc, *p++);
    }
    return crc;
}

uint16_t rp_crc16(const uint8_t *p, size_t n)
{
    return (uint16_t)(rp_crc16_more(RP_CRC_INIT, p, n) ^ RP_CRC_XOROUT);
}
