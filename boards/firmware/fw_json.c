#include "fw_json.h"
#include "fw_rom.h"

void jb_init(jb_t *b, char *buf, uint16_t cap)
{
    b->buf = buf;
    b->cap = cap;
    b->len = 0;
    b->overflow = false;
}

static void put(jb_t *b, char c)
{
    if (b->len < b->cap)
        b->buf[b->len++] = c;
    else
        b->overflow = true;
}

void jb_raw_n(jb_t *b, const char *s, uint16_t n)
{
    uint16_t i;
    for (i = 0; i < n; i++)
        put(b, s[i]);
}

void jb_raw(jb_t *b, const char *rom)
{
    char c;
    while ((c = fw_rom_byte(rom)) != '\0') {
        put(b, c);
        rom++;
    }
}

void jb_str(jb_t *b, const char *s, uint16_t n)
{
    uint16_t i;
    put(b, '"');
    for (i = 0; i < n; i++) {
        char c = s[i];
        if ((unsigned char)c < 0x20)
            c = ' ';                        /* control characters are not worth escaping here */
        if (c == '"' || c == '\\')
            put(b, '\\');
        put(b, c);
    }
    put(b, '"');
}

uint8_t fw_utoa(uint32_t v, char *out)
{
    char tmp[10];
    uint8_t n = 0, i;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    for (i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return n;
}

void jb_u32(jb_t *b, uint32_t v)
{
    char tmp[11];
    jb_raw_n(b, tmp, fw_utoa(v, tmp));
}

void jb_deci(jb_t *b, int32_t tenths)
{
    uint32_t a;
    if (tenths < 0) {
        put(b, '-');
        a = (uint32_t)(-(tenths + 1)) + 1u;
    } else {
        a = (uint32_t)tenths;
    }
    jb_u32(b, a / 10u);
    put(b, '.');
    put(b, (char)('0' + a % 10u));
}

void jb_char(jb_t *b, char c)
{
    put(b, c);
}

bool jb_ok(const jb_t *b)
{
    return !b->overflow;
}
