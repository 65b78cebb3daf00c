/* fw_json.h - a bounded JSON text builder (no stdio). Overflow is sticky: check jb_ok(). */
#ifndef FERRY_FW_JSON_H
#define FERRY_FW_JSON_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    char *buf;
    uint16_t cap, len;
    bool overflow;
} jb_t;

void jb_init(jb_t *b, char *buf, uint16_t cap);
void jb_raw(jb_t *b, const char *rom);                    /* constant text (fw_rom.h) */
void jb_char(jb_t *b, char c);
void jb_raw_n(jb_t *b, const char *s, uint16_t n);
void jb_str(jb_t *b, const char *s, uint16_t n);          /* quoted and escaped */
void jb_u32(jb_t *b, uint32_t v);
void jb_deci(jb_t *b, int32_t tenths);                    /* 215 -> 21.5, -3 -> -0.3 */
bool jb_ok(const jb_t *b);

/* Decimal text of v into out (at least 11 bytes); returns its length. */
uint8_t fw_utoa(uint32_t v, char *out);

#endif
