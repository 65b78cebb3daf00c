/*
 * fw_rom.h - constant strings and tables that stay in program memory on Harvard MCUs.
 * On AVR they live in flash (PROGMEM) and are read with the _P functions; elsewhere these
 * macros are plain C. Only the firmware's own literals go through here: every pointer passed
 * as "rom" below must come from FW_S() or an FW_ROM array.
 */
#ifndef FERRY_FW_ROM_H
#define FERRY_FW_ROM_H

#include <string.h>

#if defined(__AVR__)
#include <avr/pgmspace.h>
#define FW_ROM PROGMEM
#define FW_S(s) PSTR(s)
#define fw_rom_len(rom) strlen_P(rom)
#define fw_rom_copy(ram, rom, n) memcpy_P((ram), (rom), (n))
#define fw_rom_cmp(ram, rom) strcmp_P((ram), (rom))
#define fw_rom_byte(rom) ((char)pgm_read_byte(rom))
#else
#define FW_ROM
#define FW_S(s) (s)
#define fw_rom_len(rom) strlen(rom)
#define fw_rom_copy(ram, rom, n) memcpy((ram), (rom), (n))
#define fw_rom_cmp(ram, rom) strcmp((ram), (rom))
#define fw_rom_byte(rom) (*(rom))
#endif

#endif
