/* rp_header.c - RP message header decoder, in place (PROTOCOL.md 5). */
#include <string.h>

#include "rp_flash.h"
#include "rp_header.h"

#define SEEN_T 0x08u            /* bits of "EFSTL", in that order */
#define SEEN_L 0x10u

static const char keys[] RP_FLASH = "EFSTL";
const char rp_verb_names[] RP_FLASH = "GET\0POST\0PUT\0PATCH\0DELETE\0REP\0ERROR";

const char *rp_verb_name(rp_verb_t v)
{
    const char *t = rp_verb_names;
    uint8_t i = (uint8_t)v;
    if (i > (uint8_t)RP_ERROR) {
        return NULL;
    }
    while (i-- > 0) {
        while (RP_FLASH_BYTE(t++) != 0) {
        }
    }
    return t;
}

/* Decimal without leading zeros (a lone "0" is allowed) that fits 16 bits; false if bad. */
static bool parse_dec(const uint8_t *v, size_t n, uint16_t *out)
{
    uint16_t x = 0;
    if (n == 0 || n > 5u || (n > 1u && v[0] == '0')) {
        return false;
    }
    while (n-- > 0) {
        uint8_t d = (uint8_t)(*v++ - '0');
        if (d > 9u || x > 6553u) {
            return false;
        }
        x = (uint16_t)(x * 10u);
        if ((uint16_t)(x + d) < x) {
            return false;
        }
        x = (uint16_t)(x + d);
    }
    *out = x;
    return true;
}

bool rp_type_ok(const uint8_t *v, size_t n)
{
    size_t i;
    bool slash = false;
    for (i = 0; i < n; i++) {
        if (v[i] < 0x20u || v[i] > 0x7Eu) {
            return false;
        }
        slash = slash || v[i] == '/';
    }
    return slash || (n == 1 && (v[0] == 'j' || v[0] == 't' || v[0] == 'o'));
}

/* The known verb spelt by buf[0..len), or -1. */
static int8_t parse_verb(const uint8_t *buf, size_t len)
{
    const char *t = rp_verb_names;
    int8_t v;
    for (v = 0; v <= (int8_t)RP_ERROR; v++) {
        size_t k = 0;
        bool same = true;
        uint8_t c;
        while ((c = RP_FLASH_BYTE(t++)) != 0) {
            if (k >= len || buf[k] != c) {
                same = false;
            }
            k++;
        }
        if (same && k == len) {
            return v;
        }
    }
    return -1;
}

/* Path line p[0..eol): NUL-terminate and normalise in place; NULL for BAD_PATH. */
static const char *path_at(uint8_t *p, const uint8_t *eol)
{
    size_t r = rp_path_normalize_n((char *)p, (size_t)(eol - p));
    if (r == 0) {
        return NULL;
    }
    p[r] = '\0';
    return (const char *)p;
}

/* One "Kvalue" field at p[0..eol), eol a NUL; seen tracks keys already present. */
static bool parse_field(const uint8_t *p, const uint8_t *eol, rp_msg_t *m, uint8_t *seen,
                        uint16_t *length)
{
    uint8_t key = *p++, bit = 1, i;
    size_t vn = (size_t)(eol - p);
    uint16_t x = 0;
    if (key >= 'a' && key <= 'z') {
        return true;            /* extension: ignored */
    }
    for (i = 0; RP_FLASH_BYTE(keys + i) != key; i++, bit = (uint8_t)(bit << 1)) {
        if (i == 4u) {
            return false;       /* unknown upper-case key, or not a letter */
        }
    }
    if (*seen & bit) {
        return false;
    }
    *seen = (uint8_t)(*seen | bit);
    if (key == 'T') {
        m->type = (const char *)p;
        return rp_type_ok(p, vn);
    }
    if (!parse_dec(p, vn, &x)) {
        return false;           /* E, F, S and L are decimals ("0"/"1" for E) */
    }
    if (key == 'E') {
        m->eof = x != 0;
        return x <= 1u;
    }
    if (key == 'F') {
        m->flow = (int8_t)x;
        return x <= 100u;
    }
    if (key == 'S') {
        m->status = x;
        return x >= 100u && x <= 999u && m->verb >= RP_REP;
    }
    *length = x;                /* 'L' */
    return true;
}

rp_err_t rp_msg_decode(uint8_t *buf, size_t n, rp_msg_t *m)
{
    uint8_t *p, *eol, *sp, *end = buf + n;
    uint8_t seen = 0;
    uint16_t length = 0;
    int8_t verb;
    memset(m, 0, sizeof *m);
    m->eof = true;
    m->flow = -1;
    if (n == 0 || n > 65535u || (eol = memchr(buf, '\n', n)) == NULL) {
        return RP_ERR_BAD_HEADER;
    }
    sp = memchr(buf, ' ', (size_t)(eol - buf));
    if (sp == NULL) {
        return RP_ERR_BAD_HEADER;
    }
    verb = parse_verb(buf, (size_t)(sp - buf));
    if (verb < 0) {
        return RP_ERR_UNKNOWN_VERB;
    }
    m->verb = (rp_verb_t)verb;
    m->to = path_at(sp + 1, eol);
    p = eol + 1;
    eol = memchr(p, '\n', (size_t)(end - p));
    if (eol == NULL) {
        return m->to == NULL ? RP_ERR_BAD_PATH : RP_ERR_BAD_HEADER;
    }
    m->from = path_at(p, eol);
    if (m->to == NULL || m->from == NULL) {
        return RP_ERR_BAD_PATH;
    }
    for (p = eol + 1; p < end; p = eol + 1) {
        if (*p == '\n') {
            m->body_len = (uint16_t)(end - p - 1);
            m->body = p + 1;
            break;
        }
        eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL) {
            return RP_ERR_BAD_HEADER;
        }
        *eol = '\0';
        if (!parse_field(p, eol, m, &seen, &length)) {
            return RP_ERR_BAD_HEADER;
        }
    }
    if (m->body_len == 0) {
        m->body = NULL;
        if (seen & (SEEN_T | SEEN_L)) {
            return RP_ERR_BAD_HEADER;
        }
    } else if (m->type == NULL) {
        m->type = "o";
    }
    if ((seen & SEEN_L) && length != m->body_len) {
        return RP_ERR_BAD_HEADER;
    }
    if (m->status == 0 && m->verb >= RP_REP) {
        m->status = m->verb == RP_REP ? 200u : 500u;
    }
    return RP_OK;
}
