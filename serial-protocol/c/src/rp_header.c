/* rp_header.c - RP message header decoder, in place (PROTOCOL.md 5). */
#include <string.h>

#include "rp_header.h"

#define SEEN_L 0x10u            /* bit of 'L' in "EFSTL" */

static const char *const verb_names[] = { "GET", "POST", "PUT", "PATCH", "DELETE", "REP", "ERROR" };

const char *rp_verb_name(rp_verb_t v)
{
    if ((unsigned)v > (unsigned)RP_ERROR) {
        return NULL;
    }
    return verb_names[v];
}

static bool find_lf(const uint8_t *buf, size_t from, size_t n, size_t *at)
{
    size_t i;
    for (i = from; i < n; i++) {
        if (buf[i] == '\n') {
            *at = i;
            return true;
        }
    }
    return false;
}

/* Decimal without leading zeros (a lone "0" is allowed), at most max; false if bad. */
static bool parse_dec(const uint8_t *v, size_t n, uint16_t max, uint16_t *out)
{
    uint16_t x = 0;
    size_t i;
    if (n == 0 || (n > 1 && v[0] == '0')) {
        return false;
    }
    for (i = 0; i < n; i++) {
        uint8_t d = (uint8_t)(v[i] - '0');
        if (d > 9u || x > (uint16_t)((max - d) / 10u)) {
            return false;
        }
        x = (uint16_t)(x * 10u + d);
    }
    *out = x;
    return true;
}

bool rp_type_ok(const uint8_t *v, size_t n)
{
    size_t i;
    bool slash = false;
    if (n == 0) {
        return false;
    }
    for (i = 0; i < n; i++) {
        if (v[i] < 0x20u || v[i] > 0x7Eu) {
            return false;
        }
        slash = slash || v[i] == '/';
    }
    return slash || (n == 1 && (v[0] == 'j' || v[0] == 't' || v[0] == 'o'));
}

/* Path line buf[start..eol): NUL-terminate and normalise in place. */
static const char *path_at(uint8_t *buf, size_t start, size_t eol)
{
    char *p = (char *)buf + start;
    size_t r = rp_path_normalize_n(p, eol - start);
    if (r == 0) {
        return NULL;
    }
    p[r] = '\0';
    return p;
}

/* Known verb in buf[0..len)? */
static bool parse_verb(const uint8_t *buf, size_t len, rp_verb_t *v)
{
    unsigned i;
    for (i = 0; i <= (unsigned)RP_ERROR; i++) {
        if (strlen(verb_names[i]) == len && memcmp(verb_names[i], buf, len) == 0) {
            *v = (rp_verb_t)i;
            return true;
        }
    }
    return false;
}

/* One "Kvalue" field at buf[pos..eol); seen tracks keys already present. */
static rp_err_t parse_field(uint8_t *buf, size_t pos, size_t eol, rp_msg_t *m,
                            uint8_t *seen, uint16_t *length)
{
    uint8_t key = buf[pos];
    const uint8_t *v = buf + pos + 1;
    size_t vn = eol - pos - 1;
    static const char keys[] = "EFSTL";
    const char *k;
    uint16_t x;
    if (key >= 'a' && key <= 'z') {
        return RP_OK;           /* extension: ignored */
    }
    k = key != 0 ? strchr(keys, key) : NULL;
    if (k == NULL) {
        return RP_ERR_BAD_HEADER;
    }
    if (*seen & (1u << (k - keys))) {
        return RP_ERR_BAD_HEADER;
    }
    *seen = (uint8_t)(*seen | (1u << (k - keys)));
    switch (key) {
    case 'E':
        if (vn != 1 || (v[0] != '0' && v[0] != '1')) {
            return RP_ERR_BAD_HEADER;
        }
        m->eof = v[0] == '1';
        return RP_OK;
    case 'F':
        if (!parse_dec(v, vn, 100, &x)) {
            return RP_ERR_BAD_HEADER;
        }
        m->flow = (int8_t)x;
        return RP_OK;
    case 'S':
        if (!parse_dec(v, vn, 999, &x) || x < 100u || (m->verb != RP_REP && m->verb != RP_ERROR)) {
            return RP_ERR_BAD_HEADER;
        }
        m->status = x;
        return RP_OK;
    case 'T':
        if (!rp_type_ok(v, vn)) {
            return RP_ERR_BAD_HEADER;
        }
        m->type = (const char *)v;
        return RP_OK;
    default: /* 'L' */
        return parse_dec(v, vn, 65535u, length) ? RP_OK : RP_ERR_BAD_HEADER;
    }
}

rp_err_t rp_msg_decode(uint8_t *buf, size_t n, rp_msg_t *m)
{
    size_t pos, eol, sp, body = n;
    uint8_t seen = 0;
    uint16_t length = 0;
    memset(m, 0, sizeof *m);
    m->eof = true;
    m->flow = -1;
    if (n == 0 || n > 65535u || !find_lf(buf, 0, n, &eol)) {
        return RP_ERR_BAD_HEADER;
    }
    for (sp = 0; sp < eol && buf[sp] != ' '; sp++) {
    }
    if (sp == eol) {
        return RP_ERR_BAD_HEADER;
    }
    if (!parse_verb(buf, sp, &m->verb)) {
        return RP_ERR_UNKNOWN_VERB;
    }
    m->to = path_at(buf, sp + 1, eol);
    if (m->to == NULL) {
        return RP_ERR_BAD_PATH;
    }
    pos = eol + 1;
    if (!find_lf(buf, pos, n, &eol)) {
        return RP_ERR_BAD_HEADER;
    }
    m->from = path_at(buf, pos, eol);
    if (m->from == NULL) {
        return RP_ERR_BAD_PATH;
    }
    for (pos = eol + 1; pos < n; pos = eol + 1) {
        rp_err_t err;
        if (buf[pos] == '\n') {
            body = pos + 1;
            break;
        }
        if (!find_lf(buf, pos, n, &eol)) {
            return RP_ERR_BAD_HEADER;
        }
        buf[eol] = '\0';
        err = parse_field(buf, pos, eol, m, &seen, &length);
        if (err != RP_OK) {
            return err;
        }
    }
    m->body_len = (uint16_t)(n - body);
    m->body = m->body_len > 0 ? buf + body : NULL;
    if (m->body_len == 0 && (m->type != NULL || (seen & SEEN_L))) {
        return RP_ERR_BAD_HEADER;
    }
    if ((seen & SEEN_L) && length != m->body_len) {
        return RP_ERR_BAD_HEADER;
    }
    if (m->status == 0 && (m->verb == RP_REP || m->verb == RP_ERROR)) {
        m->status = m->verb == RP_REP ? 200u : 500u;
    }
    if (m->type == NULL && m->body_len > 0) {
        m->type = "o";
    }
    return RP_OK;
}
