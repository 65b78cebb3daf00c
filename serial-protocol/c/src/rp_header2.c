/* rp_header2.c - the version 2 message codec (PROTOCOL.md 8): a flags byte, paths as a literal,
 * a resource index or an exchange id, optional flow/status, then the body. */
#include <string.h>

#include "rp_header.h"

#if RP_V2

#define F_C 0x08u               /* stream continues (E0) */
#define F_N 0x10u               /* from present */
#define F_O 0x80u               /* options byte present */
#define O_FLOW 0x01u
#define O_STATUS 0x02u

static const char implied_from[] = "/#x";
static const char type_names[] = "o\0j\0t";

/* "/#x/N" with N < 128 in canonical decimal: returns N, or -1. */
static int16_t exchange_id(const char *p)
{
    int16_t v = 0;
    uint8_t i;
    if (p[0] != '/' || p[1] != '#' || p[2] != 'x' || p[3] != '/' || p[4] == '\0' ||
        (p[4] == '0' && p[5] != '\0')) {
        return -1;
    }
    for (i = 4; p[i] != '\0'; i++) {
        if (p[i] < '0' || p[i] > '9' || i > 6u) {
            return -1;
        }
        v = (int16_t)(v * 10 + (p[i] - '0'));
    }
    return v < 128 ? v : -1;
}

/* The path field for p at out[n..]: one byte for an exchange path, else the normalised path
 * and a NUL. Returns the new length; 0 on a bad path or no room. */
static size_t put_path(const char *p, uint8_t *out, size_t n, size_t cap)
{
    int16_t x;
    size_t len, r;
    if (p == NULL) {
        return 0;
    }
    x = exchange_id(p);
    if (x >= 0) {
        if (n >= cap) {
            return 0;
        }
        out[n] = (uint8_t)(0x80u | (uint8_t)x);
        return n + 1u;
    }
    len = strlen(p);
    if (len > RP_PATH_MAX || n + len + 1u > cap) {
        return 0;
    }
    memcpy(out + n, p, len);
    r = rp_path_normalize_n((char *)out + n, len);
    if (r == 0) {
        return 0;
    }
    out[n + r] = 0;
    return n + r + 1u;
}

size_t rp_msg_encode2(const rp_msg_t *m, uint8_t *out, size_t cap)
{
    uint8_t flags = (uint8_t)m->verb, opts = 0, t = 0;
    bool final_reply = m->verb >= RP_REP && m->eof;
    uint16_t dflt = m->verb == RP_REP ? 200u : 500u;
    size_t n = 1, tn = 0;
    if (m->verb > RP_ERROR || m->flow < -1 || m->flow > 100
        || (m->status != 0 && (m->verb < RP_REP || m->status < 100u || m->status > 999u))
        || (m->body_len > 0 && m->body == NULL) || cap == 0) {
        return 0;
    }
    if (m->body_len > 0 && m->type != NULL && !(m->type[0] == 'o' && m->type[1] == '\0')) {
        if (m->type[1] == '\0' && (m->type[0] == 'j' || m->type[0] == 't')) {
            t = m->type[0] == 'j' ? 1u : 2u;
        } else {
            tn = strlen(m->type);
            if (!rp_type_ok((const uint8_t *)m->type, tn)) {
                return 0;
            }
            t = 3u;
        }
    }
    if (m->flow >= 0) {
        opts |= O_FLOW;
    }
    if (m->status != 0 && m->status != dflt) {
        opts |= O_STATUS;
    }
    if (!m->eof) {
        flags |= F_C;
    }
    if (!final_reply) {
        flags |= F_N;
    }
    if (opts) {
        flags |= F_O;
    }
    out[0] = (uint8_t)(flags | (uint8_t)(t << 5));
    n = put_path(m->to, out, n, cap);
    if (n != 0 && !final_reply) {
        n = put_path(m->from, out, n, cap);
    }
    if (n == 0 || n + 4u + tn + 1u + m->body_len > cap) {
        return 0;
    }
    if (opts) {
        out[n++] = opts;
        if (opts & O_FLOW) {
            out[n++] = (uint8_t)m->flow;
        }
        if (opts & O_STATUS) {
            out[n++] = (uint8_t)(m->status >> 8);
            out[n++] = (uint8_t)m->status;
        }
    }
    if (t == 3u) {
        memcpy(out + n, m->type, tn + 1u);
        n += tn + 1u;
    }
    if (m->body_len > 0) {
        memcpy(out + n, m->body, m->body_len);
    }
    return n + m->body_len;
}

/* A NUL-terminated string starting at *p within [*p, end); advances past the NUL. */
static const char *zstring(uint8_t **p, const uint8_t *end)
{
    uint8_t *s = *p, *z = memchr(s, 0, (size_t)(end - s));
    if (z == NULL) {
        return NULL;
    }
    *p = z + 1;
    return (const char *)s;
}

/* One path field at *p; NULL for BAD_PATH, *err set to BAD_HEADER when it runs out. */
static const char *get_path(uint8_t **p, const uint8_t *end, char *xbuf, rp_path_fn paths,
                            void *ctx, rp_err_t *err)
{
    uint8_t b;
    char *s;
    if (*p >= end) {
        *err = RP_ERR_BAD_HEADER;
        return NULL;
    }
    b = **p;
    if (b >= 0x80u) {
        (*p)++;
        b = (uint8_t)(b & 0x7Fu);
        memcpy(xbuf, "/#x/", 4);
        s = xbuf + 4;
        if (b >= 100u) {
            *s++ = '1';
            b = (uint8_t)(b - 100u);
            *s++ = (char)('0' + b / 10u);
        } else if (b >= 10u) {
            *s++ = (char)('0' + b / 10u);
        }
        *s++ = (char)('0' + b % 10u);
        *s = '\0';
        return xbuf;
    }
    if (b >= 1u && b <= 31u) {
        (*p)++;
        return paths != NULL ? paths(ctx, b) : NULL;
    }
    if (b != '/') {
        return NULL;
    }
    s = (char *)zstring(p, end);
    if (s == NULL) {
        *err = RP_ERR_BAD_HEADER;
        return NULL;
    }
    return rp_path_normalize(s) ? s : NULL;
}

rp_err_t rp_msg_decode2(uint8_t *buf, size_t n, rp_msg_t *m, char xbuf[2][RP_XPATH_LEN],
                        rp_path_fn paths, void *ctx)
{
    uint8_t *p = buf + 1, *end = buf + n, flags, t;
    rp_err_t err = RP_ERR_BAD_PATH;
    memset(m, 0, sizeof *m);
    m->flow = -1;
    if (n == 0 || n > 65535u) {
        return RP_ERR_BAD_HEADER;
    }
    flags = buf[0];
    if ((flags & 7u) == 7u) {
        return RP_ERR_UNKNOWN_VERB;
    }
    m->verb = (rp_verb_t)(flags & 7u);
    m->eof = (flags & F_C) == 0;
    m->to = get_path(&p, end, xbuf[0], paths, ctx, &err);
    if (m->to == NULL) {
        return err;
    }
    if (flags & F_N) {
        m->from = get_path(&p, end, xbuf[1], paths, ctx, &err);
        if (m->from == NULL) {
            return err;
        }
    } else if (m->verb >= RP_REP && m->eof) {
        m->from = implied_from;
    } else {
        return RP_ERR_BAD_HEADER;
    }
    if (flags & F_O) {
        uint8_t o;
        if (p >= end || (o = *p++) == 0 || (o & ~(O_FLOW | O_STATUS)) != 0) {
            return RP_ERR_BAD_HEADER;
        }
        if (o & O_FLOW) {
            if (p >= end || *p > 100u) {
                return RP_ERR_BAD_HEADER;
            }
            m->flow = (int8_t)*p++;
        }
        if (o & O_STATUS) {
            if (end - p < 2) {
                return RP_ERR_BAD_HEADER;
            }
            m->status = (uint16_t)((p[0] << 8) | p[1]);
            p += 2;
            if (m->verb < RP_REP || m->status < 100u || m->status > 999u) {
                return RP_ERR_BAD_HEADER;
            }
        }
    }
    t = (uint8_t)((flags >> 5) & 3u);
    if (t == 3u) {
        const char *mt = zstring(&p, end);
        if (mt == NULL || !rp_type_ok((const uint8_t *)mt, strlen(mt)) || mt[1] == '\0') {
            return RP_ERR_BAD_HEADER;
        }
        m->type = mt;
    }
    m->body_len = (uint16_t)(end - p);
    if (m->body_len == 0) {
        if (t != 0u) {
            return RP_ERR_BAD_HEADER;
        }
        m->type = NULL;
    } else {
        m->body = p;
        if (t < 3u) {
            m->type = type_names + 2u * t;
        }
    }
    if (m->status == 0 && m->verb >= RP_REP) {
        m->status = m->verb == RP_REP ? 200u : 500u;
    }
    return RP_OK;
}

#endif
