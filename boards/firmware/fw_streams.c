/*
 * fw_streams.c - the firmware's outgoing streams: observe of /sensors/temp and /blob transfers.
 * A stream is the resource <base>#streams/<k>: DELETE cancels it (final ERROR S499, E1),
 * PUT <stream>#flow false|true pauses/resumes it, GET <stream>#flow reads the state;
 * GET <base>#streams lists the open ones.
 */
#include <string.h>

#include "board.h"
#include "fw_internal.h"
#include "fw_rom.h"

const char *fw_kind_base(uint8_t kind)
{
    return kind == FW_S_TEMP ? "/sensors/temp" : kind == FW_S_BLOB ? "/blob" : "";
}

fw_stream_t *fw_stream_open(const rp_msg_t *req, fw_kind_t kind)
{
    fw_stream_t *s = NULL;
    uint32_t period = FW_TEMP_PERIOD_MS;
    size_t i, n = strlen(req->from);
    if (kind == FW_S_TEMP && req->body_len) {
        if (!fw_body_uint(req, &period)) {
            fw_error(req, 400, FW_S("body must be a period in ms"));
            return NULL;
        }
        if (period < FW_TEMP_PERIOD_MIN_MS)
            period = FW_TEMP_PERIOD_MIN_MS;
    }
    if (n >= FW_PEER_MAX) {
        fw_error(req, 414, FW_S("from path too long for a stream"));
        return NULL;
    }
    for (i = 0; i < FW_STREAMS_MAX && !s; i++)
        if (fw.streams[i].kind == FW_S_FREE)
            s = &fw.streams[i];
    if (!s) {
        fw_error(req, 503, FW_S("too many streams"));
        return NULL;
    }
    memset(s, 0, sizeof *s);
    s->kind = (uint8_t)kind;
    s->id = fw_new_id();
    memcpy(s->peer, req->from, n + 1);
    s->period = period;
    s->due = board_millis();
    return s;
}

/* Body bytes per chunk message. Larger messages are segmented by the library; what costs wire
 * time is the RP header each message repeats ("REP to\nfrom\nE0\nL<n>\n\n", ~40 bytes), so a
 * chunk is as large as the body buffer allows while two chunk messages still fit in the transmit
 * queue (one in flight, one being queued). The frame size no longer matters here. */
uint16_t fw_blob_chunk(fw_stream_t *s, uint16_t frame)
{
    char from[FW_PATH_MAX];
    size_t head, room;
    uint16_t chunk;
    (void)frame;
    fw_stream_path(from, fw_kind_base(s->kind), s->id);
    head = 4 + strlen(s->peer) + 1 + strlen(from) + 1 + 3 + 3 + 1 + 6 + 1 + 1;
    room = RP_TXQ_BYTES / 2 > head + 8 + 16 ? RP_TXQ_BYTES / 2 - head - 8 : 16;
    chunk = (uint16_t)(room < FW_BODY_MAX ? room : FW_BODY_MAX);
    s->need = (uint16_t)(chunk + head + 8);
    return chunk;
}

static fw_stream_t *find_stream(const char *base, uint16_t id)
{
    size_t i;
    for (i = 0; i < FW_STREAMS_MAX; i++) {
        fw_stream_t *s = &fw.streams[i];
        if (s->kind != FW_S_FREE && !s->cancel && s->id == id &&
            strcmp(fw_kind_base(s->kind), base) == 0)
            return s;
    }
    return NULL;
}

void fw_stream_control(const rp_msg_t *m, const char *base, const char *rest)
{
    uint32_t id = 0;
    fw_stream_t *s;
    const char *p = rest;
    while (*p >= '0' && *p <= '9' && id <= 0xFFFFu)
        id = id * 10u + (uint32_t)(*p++ - '0');
    s = (p == rest || id > 0xFFFFu) ? NULL : find_stream(base, (uint16_t)id);
    if (!s) {
        fw_error(m, 404, FW_S("no such stream"));
    } else if (*p == '\0') {
        if (m->verb != RP_DELETE) {
            fw_error(m, 405, FW_S("method not allowed"));
            return;
        }
        s->cancel = true;               /* the final ERROR S499 goes out from the pump */
        fw_reply(m, 0, NULL, NULL, 0);
    } else if (strcmp(p, "#flow") == 0) {
        if (m->verb == RP_PUT) {
            if (fw_body_is(m, "false"))
                s->paused = true;
            else if (fw_body_is(m, "true"))
                s->paused = false;
            else {
                fw_error(m, 400, FW_S("body must be true or false"));
                return;
            }
        } else if (m->verb != RP_GET) {
            fw_error(m, 405, FW_S("method not allowed"));
            return;
        }
        fw_reply(m, 0, "j", s->paused ? "false" : "true", s->paused ? 5 : 4);
    } else {
        fw_error(m, 404, FW_S("not found"));
    }
}

/* GET <base>#streams: a JSON array of the paths of base's open streams (every open stream for
 * "/"); a cancelled stream is no longer listed. Tells a host how many stream slots are in use. */
void fw_streams_list(const rp_msg_t *m, const char *base)
{
    char path[FW_PATH_MAX];
    bool all = strcmp(base, "/") == 0, first = true;
    size_t i;
    jb_t b;
    jb_init(&b, fw.body, sizeof fw.body);
    jb_char(&b, '[');
    for (i = 0; i < FW_STREAMS_MAX; i++) {
        const fw_stream_t *s = &fw.streams[i];
        const char *kb = fw_kind_base(s->kind);
        if (s->kind == FW_S_FREE || s->cancel || (!all && strcmp(kb, base) != 0))
            continue;
        if (!first)
            jb_char(&b, ',');
        first = false;
        fw_stream_path(path, kb, s->id);
        jb_str(&b, path, (uint16_t)strlen(path));
    }
    jb_char(&b, ']');
    if (jb_ok(&b))
        fw_reply(m, 0, "j", b.buf, b.len);
    else
        fw_error(m, 500, FW_S("body too large"));
}

void fw_streams_reset(void)
{
    memset(fw.streams, 0, sizeof fw.streams);
}

static void temp_step(fw_stream_t *s, uint32_t now)
{
    jb_t b;
    if ((int32_t)(now - s->due) < 0)
        return;
    jb_init(&b, fw.body, sizeof fw.body);
    fw_temp_reading(&b);
    if (fw_try_send(RP_REP, s->peer, fw.from, false, 0, "j", b.buf, b.len))
        s->due = now + s->period;
    else
        fw.samples--;                   /* not sent: the reading is taken again next tick */
}

static void blob_step(fw_stream_t *s)
{
    int budget = 4;                     /* chunks per tick, so that rx is served in between */
    while (budget-- > 0 && s->off < s->total) {
        uint32_t left = s->total - s->off;
        uint16_t n = left < s->chunk ? (uint16_t)left : s->chunk, i;
        if (rp_station_tx_free(&fw.st) < s->need)
            return;                     /* backpressure: wait for the host to take some */
        for (i = 0; i < n; i++)
            fw.body[i] = (char)(((s->off + i) * 31u + 7u) & 0xFFu);
        if (!fw_try_send(RP_REP, s->peer, fw.from, left == n, 0, "o", fw.body, n))
            return;                     /* full after all: the same chunk again next tick */
        s->off += n;
    }
    if (s->off >= s->total)
        s->kind = FW_S_FREE;
}

void fw_streams_pump(uint32_t now)
{
    size_t i;
    for (i = 0; i < FW_STREAMS_MAX; i++) {
        fw_stream_t *s = &fw.streams[i];
        if (s->kind == FW_S_FREE)
            continue;
        fw_stream_path(fw.from, fw_kind_base(s->kind), s->id);
        if (s->cancel) {
            if (fw_try_send(RP_ERROR, s->peer, fw.from, true, 499, "t", "cancelled", 9))
                s->kind = FW_S_FREE;
        } else if (s->paused) {
            continue;
        } else if (s->kind == FW_S_TEMP) {
            temp_step(s, now);
        } else {
            blob_step(s);
        }
    }
}

uint32_t fw_streams_idle_ms(uint32_t now)
{
    uint32_t best = 0xFFFFFFFFu;
    size_t i;
    for (i = 0; i < FW_STREAMS_MAX; i++) {
        const fw_stream_t *s = &fw.streams[i];
        uint32_t w;
        if (s->kind == FW_S_FREE || (s->paused && !s->cancel))
            continue;
        if (s->kind == FW_S_TEMP && !s->cancel)
            w = (int32_t)(s->due - now) > 0 ? s->due - now : 0;
        else
            w = 1;                      /* blob or cancel: progress depends on the queue */
        if (w < best)
            best = w;
    }
    return best;
}
