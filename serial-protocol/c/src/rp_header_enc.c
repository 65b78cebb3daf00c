/* rp_header_enc.c - RP message encoder (PROTOCOL.md 5): fields in table order, defaults
 * omitted, paths written in normal form, L whenever the body is non-empty. */
#include <string.h>

#include "rp_flash.h"
#include "rp_header.h"

/* Output: n counts every byte produced, stored only while n < cap; n > cap at the end means
 * the message did not fit. cap = 0 marks an invalid message (nothing more is stored). */
typedef struct {
    uint8_t *out;
    size_t cap, n;
} writer_t;

static void put_c(writer_t *w, uint8_t c)
{
    if (w->n < w->cap) {
        w->out[w->n] = c;
    }
    w->n++;
}

static void put(writer_t *w, const uint8_t *p, size_t n)
{
    while (n-- > 0) {
        put_c(w, *p++);
    }
}

static const uint16_t pow10[] RP_FLASH = { 10000u, 1000u, 100u, 10u, 1u };

/* "K<decimal>\n", the decimal without leading zeros; by subtraction (no division). */
static void put_field(writer_t *w, char key, uint16_t x)
{
    uint8_t i, d;
    bool lead = false;
    put_c(w, (uint8_t)key);
    for (i = 0; i < 5u; i++) {
        uint16_t p = RP_FLASH_WORD(&pow10[i]);
        for (d = '0'; x >= p; d++) {
            x = (uint16_t)(x - p);
        }
        lead = lead || d != '0' || p == 1u;
        if (lead) {
            put_c(w, d);
        }
    }
    put_c(w, '\n');
}

/* A path, normalised in the output, then LF. Copies at most RP_PATH_MAX + 1 bytes: a longer
 * path is invalid anyway. */
static void put_path(writer_t *w, const char *path)
{
    size_t at = w->n, r;
    if (path == NULL) {
        w->cap = 0;
        return;
    }
    while (*path != '\0' && w->n - at <= RP_PATH_MAX) {
        put_c(w, (uint8_t)*path++);
    }
    if (w->n <= w->cap) {
        r = rp_path_normalize_n((char *)w->out + at, w->n - at);
        if (r == 0) {
            w->cap = 0;
        }
        w->n = at + r;
    }
    put_c(w, '\n');
}

size_t rp_msg_encode(const rp_msg_t *m, uint8_t *out, size_t cap)
{
    writer_t w;
    const char *verb = rp_verb_name(m->verb);
    bool reply = m->verb >= RP_REP;
    uint16_t dflt = m->verb == RP_REP ? 200u : 500u;
    uint8_t c;
    if (verb == NULL || m->flow < -1 || m->flow > 100
        || (m->status != 0 && (!reply || m->status < 100u || m->status > 999u))
        || (m->body_len > 0 && m->body == NULL)) {
        return 0;
    }
    w.out = out;
    w.cap = cap;
    w.n = 0;
    while ((c = RP_FLASH_BYTE(verb++)) != 0) {
        put_c(&w, c);
    }
    put_c(&w, ' ');
    put_path(&w, m->to);
    put_path(&w, m->from);
    if (!m->eof) {
        put_field(&w, 'E', 0);
    }
    if (m->flow >= 0) {
        put_field(&w, 'F', (uint16_t)m->flow);
    }
    if (m->status != 0 && m->status != dflt) {
        put_field(&w, 'S', m->status);
    }
    if (m->body_len > 0) {
        if (m->type != NULL && !(m->type[0] == 'o' && m->type[1] == '\0')) {
            size_t tn = strlen(m->type);
            if (!rp_type_ok((const uint8_t *)m->type, tn)) {
                return 0;
            }
            put_c(&w, 'T');
            put(&w, (const uint8_t *)m->type, tn);
            put_c(&w, '\n');
        }
        put_field(&w, 'L', m->body_len);
        put_c(&w, '\n');
        put(&w, m->body, m->body_len);
    }
    return w.n > w.cap ? 0 : w.n;
}
