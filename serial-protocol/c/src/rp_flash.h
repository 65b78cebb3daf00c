/* rp_flash.h - constant tables in program memory on AVR (PROGMEM), ordinary const elsewhere.
 * RP_FLASH marks a definition; RP_FLASH_BYTE(p) / RP_FLASH_WORD(p) read a byte / a uint16_t
 * of such a table. */
#ifndef RP_FLASH_H
#define RP_FLASH_H

#include <stdint.h>

#if defined(__AVR__)
#include <avr/pgmspace.h>
#define RP_FLASH PROGMEM
#define RP_FLASH_BYTE(p) ((uint8_t)pgm_read_byte(p))
#define RP_FLASH_WORD(p) ((uint16_t)pgm_read_word(p))
#else
#define RP_FLASH
#define RP_FLASH_BYTE(p) (*(const uint8_t *)(p))
#define RP_FLASH_WORD(p) (*(const uint16_t *)(p))
#endif

/* "GET\0POST\0...ERROR\0" (rp_header_enc.c), in RP_FLASH storage. */
extern const char rp_verb_names[] RP_FLASH;

#endif
