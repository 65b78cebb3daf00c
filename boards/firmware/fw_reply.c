/* fw_reply.c - sending messages, replies and errors; reading small request bodies. */
#include <string.h>

#include "fw_internal.h"
#include "fw_rom.h"

uint16_t fw_new_id(void)
{
    if (++fw.next_id == 0)
        fw.next_id = 1;
    return fw.next_id;
}

void fw_stream_path(char *out, const char *base, uint16_t id)
{
    static const char mid[] = "#streams/";
    size_t n = strlen(base);
    if (n + sizeof mid + 5 > FW_PATH_MAX)
        base = "/", n = 1;
    memcpy(out, base, n);
    memcpy(out + n, mid, sizeof mid - 1);
    fw_utoa(id, out + n + sizeof mid - 1);
}

bool fw_try_send(rp_verb_t verb, const char *to, const char *from, bool eof, uint16_t status,
                 const char *type, const void *body, uint16_t len)
{
    rp_msg_t r;
    memset(&r, 0, sizeof r);
    r.verb = verb;
    r.to = to;
    r.from = from;
    r.eof = eof;
    r.flow = -1;
    r.status = status;
    r.type = len ? type : NULL;         /* T with an empty body is BAD_HEADER */
    r.body = (const uint8_t *)body;
    r.body_len = len;
    return rp_station_send(&fw.st, &r);
}

bool fw_send(rp_verb_t verb, const char *to, const char *from, bool eof, uint16_t status,
             const char *type, const void *body, uint16_t len)
{
    if (fw_try_send(verb, to, from, eof, status, type, body, len))
        return true;
    fw.drops++;
    return false;
}

void fw_reply(const rp_msg_t *req, uint16_t status, const char *type, const void *body,
              uint16_t len)
{
    fw_stream_path(fw.from, fw.path[0] ? fw.path : "/", fw_new_id());
    if (!fw_try_send(RP_REP, req->from, fw.from, true, status, type, body, len))
        fw_send(RP_ERROR, req->from, fw.from, true, 503, "t", "busy", 4);   /* or a drop */
}

void fw_error(const rp_msg_t *req, uint16_t status, const char *reason)
{
    uint16_t n = (uint16_t)fw_rom_len(reason);
    if (n > sizeof fw.body)
        n = sizeof fw.body;
    fw_rom_copy(fw.body, reason, n);
    fw_stream_path(fw.from, fw.path[0] ? fw.path : "/", fw_new_id());
    fw_send(RP_ERROR, req->from, fw.from, true, status, "t", fw.body, n);
}

/* The body without surrounding blanks. */
static const uint8_t *trimmed(const rp_msg_t *m, uint16_t *len)
{
    const uint8_t *p = m->body;
    uint16_t n = m->body_len;
    while (n && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n'))
        n--;
    *len = n;
    return p;
}

bool fw_body_is(const rp_msg_t *m, const char *word)
{
    uint16_t n;
    const uint8_t *p = trimmed(m, &n);
    return n == strlen(word) && memcmp(p, word, n) == 0;
}

bool fw_body_uint(const rp_msg_t *m, uint32_t *out)
{
    uint16_t n, i;
    const uint8_t *p = trimmed(m, &n);
    uint32_t v = 0;
    if (n == 0 || n > 9)
        return false;
    for (i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10u + (uint32_t)(p[i] - '0');
    }
    *out = v;
    return true;
}
