/* rp_header_enc.c - RP message encoder (PROTOCOL.md 5): fields in table order, defaults
 * omitted, paths written in normal form, L whenever the body is non-empty. */
#include <string.h>

#include "rp_flash.h"
#include "rp_header.h"

/* Output position; p == NULL once something did not fit or was invalid. */
typedef struct {
    uint8_t *p, *end;
} writer_t;

static void put_c(writer_t *w, char c)
{
    if (w->p == NULL || w->p == w->end) {
        w->p = NULL;
        return;
    }
    *w->p++ = (uint8_t)c;
}

static void put(writer_t *w, const void *src, size_t n)
{
    const char *s = src;
    if (w->p == NULL || n > (size_t)(w->end - w->p)) {
        w->p = NULL;
        return;
    }
    while (n-- > 0) {
        put_c(w, *s++);
    }
}

static void put_dec(writer_t *w, uint16_t x)
{
    if (x >= 10u) {
        put_dec(w, (uint16_t)(x / 10u));
    }
    put_c(w, (char)('0' + x % 10u));
}

/* "K<decimal>\n". */
static void put_field(writer_t *w, char key, uint16_t x)
{
    put_c(w, key);
    put_dec(w, x);
    put_c(w, '\n');
}

/* A path, normalised, then LF. */
static void put_path(writer_t *w, const char *path)
{
    uint8_t *at = w->p;
    size_t n = path == NULL ? (size_t)-1 : strlen(path), r;
    put(w, path, n);
    if (w->p != NULL) {
        r = rp_path_normalize_n((char *)at, n);
        w->p = r == 0 ? NULL : at + r;
        put_c(w, '\n');
    }
}

size_t rp_msg_encode(const rp_msg_t *m, uint8_t *out, size_t cap)
{
    writer_t w;
    const char *verb = rp_verb_name(m->verb);
    bool reply = m->verb >= RP_REP;
    uint16_t dflt = m->verb == RP_REP ? 200u : 500u;
    char c;
    if (verb == NULL || m->flow < -1 || m->flow > 100
        || (m->status != 0 && (!reply || m->status < 100u || m->status > 999u))
        || (m->body_len > 0 && m->body == NULL)) {
        return 0;
    }
    w.p = out;
    w.end = out + cap;
    while ((c = (char)RP_FLASH_BYTE(verb++)) != 0) {
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
            put(&w, m->type, tn);
            put_c(&w, '\n');
        }
        put_field(&w, 'L', m->body_len);
        put_c(&w, '\n');
        put(&w, m->body, m->body_len);
    }
    return w.p == NULL ? 0 : (size_t)(w.p - out);
}
