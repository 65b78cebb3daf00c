/* rp_header_enc.c - RP message encoder (PROTOCOL.md 5): fields in table order, defaults
 * omitted, paths written in normal form, L whenever the body is non-empty. */
#include <string.h>

#include "rp_header.h"

typedef struct {
    uint8_t *out;
    size_t cap, len;
    bool bad;
} writer_t;

static void put(writer_t *w, const void *p, size_t n)
{
    if (w->bad || n > w->cap - w->len) {
        w->bad = true;
        return;
    }
    memcpy(w->out + w->len, p, n);
    w->len += n;
}

static void put_c(writer_t *w, char c)
{
    put(w, &c, 1);
}

static void put_dec(writer_t *w, uint16_t x)
{
    char d[5];
    uint8_t n = 0;
    do {
        d[n++] = (char)('0' + x % 10u);
        x = (uint16_t)(x / 10u);
    } while (x != 0);
    while (n > 0) {
        put_c(w, d[--n]);
    }
}

static void put_field(writer_t *w, char key, uint16_t x)
{
    put_c(w, key);
    put_dec(w, x);
    put_c(w, '\n');
}

static void put_path(writer_t *w, const char *path)
{
    size_t n, r;
    if (path == NULL || w->bad) {
        w->bad = true;
        return;
    }
    n = strlen(path);
    put(w, path, n);
    if (w->bad) {
        return;
    }
    r = rp_path_normalize_n((char *)w->out + w->len - n, n);
    if (r == 0) {
        w->bad = true;
        return;
    }
    w->len = w->len - n + r;
    put_c(w, '\n');
}

size_t rp_msg_encode(const rp_msg_t *m, uint8_t *out, size_t cap)
{
    writer_t w;
    const char *verb = rp_verb_name(m->verb);
    bool reply = m->verb == RP_REP || m->verb == RP_ERROR;
    uint16_t dflt = m->verb == RP_REP ? 200u : 500u;
    w.out = out;
    w.cap = cap;
    w.len = 0;
    w.bad = verb == NULL || m->flow < -1 || m->flow > 100
            || (m->status != 0 && (!reply || m->status < 100u || m->status > 999u))
            || (m->body_len > 0 && m->body == NULL);
    if (w.bad) {
        return 0;
    }
    put(&w, verb, strlen(verb));
    put_c(&w, ' ');
    put_path(&w, m->to);
    put_path(&w, m->from);
    if (!m->eof) {
        put(&w, "E0\n", 3);
    }
    if (m->flow >= 0) {
        put_field(&w, 'F', (uint16_t)m->flow);
    }
    if (m->status != 0 && m->status != dflt) {
        put_field(&w, 'S', m->status);
    }
    if (m->body_len > 0) {
        if (m->type != NULL && strcmp(m->type, "o") != 0) {
            if (!rp_type_ok((const uint8_t *)m->type, strlen(m->type))) {
                return 0;
            }
            put_c(&w, 'T');
            put(&w, m->type, strlen(m->type));
            put_c(&w, '\n');
        }
        put_field(&w, 'L', m->body_len);
        put_c(&w, '\n');
        put(&w, m->body, m->body_len);
    }
    return w.bad ? 0 : w.len;
}
