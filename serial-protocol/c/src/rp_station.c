/* rp_station.c - the secondary link station (PROTOCOL.md 3.5): receive side, poll answers
 * and the transmit queue. */
#include <stddef.h>
#include <string.h>

#include "rp_control.h"
#include "rp_crc.h"
#include "rp_header.h"

#define FRMR_W 0x01u            /* invalid control */
#define FRMR_X 0x02u            /* info not permitted */
#define FRMR_Y 0x04u            /* info too long */
#define FRMR_Z 0x08u            /* invalid N(R) */

#define NO_SEG 0xFFFFu          /* out_frame: no segment byte */

void rp_station_init(rp_station_t *st, uint8_t address, uint16_t frame_size, uint8_t window,
                     rp_on_message_fn on_message, rp_write_fn write, rp_on_error_fn on_error,
                     void *ctx)
{
    memset(st, 0, sizeof *st);
    if (frame_size < 32u) {
        frame_size = 32u;
    }
    if (frame_size > RP_FRAME_MAX) {
        frame_size = RP_FRAME_MAX;
    }
    if (window < 1u) {
        window = 1u;
    }
    if (window > RP_WINDOW_MAX) {
        window = RP_WINDOW_MAX;
    }
    st->address = address;
    st->ver = RP_V1 ? 1u : 2u;           /* until set up: what a host broadcasts to no one connected */
    st->own_n = st->n = (rp_flen_t)frame_size;
    st->own_k = st->k = window;
    st->on_message = on_message;
    st->write = write;
    st->on_error = on_error;
    st->ctx = ctx;
    rp_frame_decoder_init(&st->dec, frame_size);
    rp_reasm_init(&st->reasm, st->rx_buf, (uint16_t)RP_MSG_MAX);
}

void rp_station_set_busy(rp_station_t *st, bool busy)
{
    st->busy = busy;
}

bool rp_station_connected(const rp_station_t *st)
{
    return st->connected;
}

uint8_t rp_station_version(const rp_station_t *st)
{
    return st->ver;
}

void rp_station_set_paths(rp_station_t *st, rp_path_fn paths)
{
#if RP_V2
    st->paths = paths;
#else
    (void)st, (void)paths;
#endif
}

/* The message codec of the link's version (only the compiled-in ones are linked). */
static size_t encode(const rp_station_t *st, const rp_msg_t *m, uint8_t *out, size_t cap)
{
#if RP_V1 && RP_V2
    return st->ver == 2u ? rp_msg_encode2(m, out, cap) : rp_msg_encode(m, out, cap);
#elif RP_V2
    (void)st;
    return rp_msg_encode2(m, out, cap);
#else
    (void)st;
    return rp_msg_encode(m, out, cap);
#endif
}

static rp_err_t decode(rp_station_t *st, uint8_t *msg, size_t n, rp_msg_t *m)
{
#if RP_V1 && RP_V2
    return st->ver == 2u ? rp_msg_decode2(msg, n, m, st->xpath, st->paths, st->ctx)
                         : rp_msg_decode(msg, n, m);
#elif RP_V2
    return rp_msg_decode2(msg, n, m, st->xpath, st->paths, st->ctx);
#else
    (void)st;
    return rp_msg_decode(msg, n, m);
#endif
}

const rp_counters_t *rp_station_counters(const rp_station_t *st)
{
    return &st->counters;
}

static void count(rp_station_t *st, rp_err_t err)
{
    st->counters.errors[err]++;
    if (st->on_error != NULL) {
        st->on_error(st->ctx, err);
    }
}

/* ---- transmit ------------------------------------------------------------------------- */

/* Send one frame: address, control, the segment byte unless seg is NO_SEG, info, CRC; COBS-
 * encoded and delimited, after a leading 00 when it starts a transmission (lead). The frame is
 * built in the decoder's buffer, whose received frame has been used by then (info may point
 * into it: a TEST echo), and encoded in place: b[0] is the leading 00, b[1] the first code
 * byte, the frame starts at b[RP_FRAME_AT], and a 00 after it is both the scan's end and the
 * delimiter. Each zero in the frame becomes the code byte of the block after it; after a full
 * (FF) block the last byte already written is reused as the next code byte. So every block
 * is one write of bytes that are already in place. */
static void out_frame(rp_station_t *st, bool lead, uint8_t control, uint16_t seg,
                      const uint8_t *info, rp_flen_t n)
{
    uint8_t *b = st->dec.buf;
    rp_flen_t e = RP_FRAME_AT + 2u, i = 1, j, from = lead ? 0u : 1u;
    uint16_t crc;
    b[RP_FRAME_AT] = st->address;
    b[RP_FRAME_AT + 1] = control;
    if (seg != NO_SEG) {
        b[e++] = (uint8_t)seg;
    }
    if (n > 0) {
        memmove(b + e, info, n);
    }
    e = (rp_flen_t)(e + n);
    crc = (uint16_t)(rp_crc16_more(RP_CRC_INIT, b + RP_FRAME_AT, (size_t)(e - RP_FRAME_AT))
                     ^ RP_CRC_XOROUT);
    b[e++] = (uint8_t)crc;
    b[e++] = (uint8_t)(crc >> 8);
    b[e] = 0;
    b[0] = 0;
    for (;;) {
        for (j = (rp_flen_t)(i + 1u); b[j] != 0 && (rp_flen_t)(j - i) < 255u; j++) {
        }
        b[i] = (uint8_t)(j - i);
        if (j == e) {
            st->write(st->ctx, b + from, (size_t)(j + 1u - from));
            break;
        }
        st->write(st->ctx, b + from, (size_t)(j - from));
        from = i = b[i] == 0xFFu ? (rp_flen_t)(j - 1u) : j;
    }
    st->counters.frames_tx++;
}

/* A single U frame (F = 1) as the whole answer to a poll. */
static void answer(rp_station_t *st, uint8_t u, const uint8_t *info, rp_flen_t n)
{
    out_frame(st, true, (uint8_t)(u | RP_PF), NO_SEG, info, n);
}

static void send_frmr(rp_station_t *st)
{
    st->frmr_due = false;
    st->counters.frmr_sent++;
    answer(st, RP_U_FRMR, st->frmr, 3);
}

/* Transmit queue records: the message length (REC_HDR bytes: 1 when RP_TXQ_BYTES <= 255, else
 * 2, high byte first), then the message. */
#define REC_HDR ((rp_qlen_t)sizeof(rp_qlen_t))

static rp_qlen_t rec_len(const rp_station_t *st, rp_qlen_t off)
{
#if RP_TXQ_BYTES <= 255
    return st->txq[off];
#else
    return (rp_qlen_t)((st->txq[off] << 8) | st->txq[off + 1u]);
#endif
}

bool rp_station_send(rp_station_t *st, const rp_msg_t *m)
{
    rp_qlen_t used = st->tx_used;
    size_t n;
    if ((size_t)RP_TXQ_BYTES - used <= REC_HDR) {
        return false;
    }
    n = encode(st, m, st->txq + used + REC_HDR, (size_t)RP_TXQ_BYTES - used - REC_HDR);
    if (n == 0) {
        return false;
    }
#if RP_TXQ_BYTES <= 255
    st->txq[used] = (uint8_t)n;
#else
    st->txq[used] = (uint8_t)(n >> 8);
    st->txq[used + 1u] = (uint8_t)n;
#endif
    st->tx_used = (rp_qlen_t)(used + REC_HDR + n);
    return true;
}

size_t rp_station_tx_free(const rp_station_t *st)
{
    size_t free_bytes = (size_t)(RP_TXQ_BYTES - st->tx_used);
    return free_bytes > REC_HDR ? free_bytes - REC_HDR : 0u;
}

/* Acknowledge up to nr - 1, freeing fully acknowledged messages. */
static void ack(rp_station_t *st, uint8_t nr)
{
    while (st->va != nr && st->tx_used > 0) {
        rp_qlen_t len = rec_len(st, 0);
        st->va = (uint8_t)((st->va + 1u) & 7u);
        st->ack_seg++;
        if ((size_t)st->ack_seg * RP_SEG_PART(st->n) >= len) {
            rp_qlen_t rec = (rp_qlen_t)(REC_HDR + len);
            st->tx_used = (rp_qlen_t)(st->tx_used - rec);
            memmove(st->txq, st->txq + rec, st->tx_used);
            st->snd_off = (rp_qlen_t)(st->snd_off - rec);
            st->ack_seg = 0;
            st->counters.msgs_tx++;
        }
    }
    st->va = nr;
}

/* Answer a poll while connected: up to k I-frames (go-back-N from the primary's N(R)), the
 * last with F = 1, or RR/RNR/REJ(F). */
static void answer_poll(rp_station_t *st)
{
    uint8_t sent = 0;
    bool f_on_i = !st->busy && !st->rej_due;    /* else an S frame ends the answer */
    if (st->vs != st->va) {
        st->counters.retransmitted += (RP_COUNTER_T)((st->vs - st->va) & 7u);
        st->vs = st->va;
        st->snd_off = 0;
        st->snd_seg = st->ack_seg;
    }
    while (!st->peer_busy && sent < st->k && st->snd_off < st->tx_used) {
        rp_qlen_t off = st->snd_off, seg = st->snd_seg, len = rec_len(st, off);
        rp_flen_t part = (rp_flen_t)RP_SEG_PART(st->n);
        rp_qlen_t at = (rp_qlen_t)(seg * part), plen = (rp_qlen_t)(len - at);
        uint8_t sb = (uint8_t)(seg & RP_SEG_INDEX);
        if (seg == 0) {
            sb |= RP_SEG_FIRST;
        }
        if (plen > part) {
            plen = part;
            sb |= RP_SEG_MORE;
            st->snd_seg++;
        } else {
            st->snd_off = (rp_qlen_t)(off + REC_HDR + len);
            st->snd_seg = 0;
        }
        out_frame(st, sent == 0,
                  rp_ctl_i(st->vs, st->vr,
                           f_on_i && (sent + 1u == st->k || st->snd_off >= st->tx_used)),
                  sb, st->txq + off + REC_HDR + at, (rp_flen_t)plen);
        sent++;
        st->vs = (uint8_t)((st->vs + 1u) & 7u);
    }
    if (sent == 0 || !f_on_i) {
        rp_s_kind_t s = RP_S_RR;
        if (st->busy) {
            s = RP_S_RNR;
        } else if (st->rej_due) {
            s = RP_S_REJ;
            st->rej_due = false;
            st->rej_sent = true;
            st->counters.rejects_sent++;
        }
        out_frame(st, sent == 0, rp_ctl_s(s, st->vr, true), NO_SEG, NULL, 0);
    }
}

/* The answer to a poll (P = 1 addressed to us, or our turn in a UP): while disconnected a
 * pending FRMR, else DM; connected, I-frames or RR/RNR/REJ. */
static void respond(rp_station_t *st)
{
    if (st->connected) {
        answer_poll(st);
    } else if (st->frmr_due) {
        send_frmr(st);
    } else {
        answer(st, RP_U_DM, NULL, 0);
    }
}

#if RP_UP
/* UP (PROTOCOL.md 3.8): the first station listed answers at once, every other one after the
 * final frame of the station listed before it (rp_station_rx). */
static void up(rp_station_t *st, const rp_frame_t *f)
{
    const uint8_t *p = f->info, *end = p + f->info_len;
    uint8_t before = 0;                 /* addresses are never 00 */
    for (; p < end; p++) {
        if (*p == st->address) {
            st->up_after = before;
            if (before == 0) {
                respond(st);
            }
            return;
        }
        before = *p;
    }
}
#endif

/* ---- receive -------------------------------------------------------------------------- */

static void deliver(rp_station_t *st, uint8_t *msg, size_t n)
{
    rp_msg_t m;
    rp_err_t err = decode(st, msg, n, &m);
    if (err != RP_OK) {
        count(st, err);
        return;
    }
    st->counters.msgs_rx++;
    if (st->on_message != NULL) {
        st->on_message(st->ctx, st, &m);
    }
}

/* UI: an unacknowledged message in one segment; decoded in place in the frame buffer. */
static void take_ui(rp_station_t *st, const rp_frame_t *f)
{
    if (f->info_len == 0 || f->info[0] != RP_SEG_FIRST) {
        count(st, RP_ERR_SEGMENT_GAP);
        return;
    }
    deliver(st, st->dec.buf + RP_FRAME_AT + 3, (size_t)f->info_len - 1u);
}

static void take_i(rp_station_t *st, const rp_frame_t *f, uint8_t ns)
{
    bool complete;
    rp_err_t err;
    uint8_t ahead = (uint8_t)((ns - st->vr) & 7u);
    if (ahead != 0) {
        if (ahead < st->k && !st->rej_sent) {
            st->rej_due = true;         /* out of order: a frame was lost */
        }
        return;                         /* otherwise a duplicate */
    }
    if (st->busy) {
        return;                         /* RNR: not accepted, the primary sends it again */
    }
    st->vr = (uint8_t)((st->vr + 1u) & 7u);
    st->rej_sent = st->rej_due = false;
    err = rp_reasm_put(&st->reasm, f->info, f->info_len, &complete);
    if (err != RP_OK) {
        count(st, err);
    }
    if (complete) {
        deliver(st, st->rx_buf, st->reasm.len);
    }
}

/* SNRM: the link parameters must be valid, else FRMR. */
static uint8_t snrm(rp_station_t *st, const rp_frame_t *f, bool poll)
{
    uint8_t ua[4];
    const uint8_t *p = f->info;
    uint16_t n = (uint16_t)((p[1] << 8) | p[2]);
    uint8_t v = (uint8_t)(p[0] >> 4);
    if (f->info_len != 4 || n < 32u || n > 2048u || p[3] < 1u || p[3] > 7u) {
        return FRMR_X;
    }
    /* The version both speak: the lower major. Without version 1 compiled in, say 2 and let a
     * version 1 host refuse the station (it reports it as incompatible). */
    if (v > (RP_VERSION >> 4)) {
        v = RP_VERSION >> 4;
    }
    if (v < 1u || !RP_V1) {
        v = v < 1u && RP_V1 ? 1u : (uint8_t)(RP_VERSION >> 4);
    }
    if (v != st->ver) {
        st->tx_used = 0;        /* queued messages were encoded for the other version */
        st->ver = v;
    }
    st->n = n < st->own_n ? (rp_flen_t)n : st->own_n;
    st->k = p[3] < st->own_k ? p[3] : st->own_k;
    memset(&st->vs, 0, offsetof(rp_station_t, tx_used) - offsetof(rp_station_t, vs));
    st->connected = true;
    rp_reasm_reset(&st->reasm);
    if (poll) {
        /* 2.1 (UP understood, 3.8) when the primary offers 2.1 or newer */
        ua[0] = (uint8_t)((v << 4) | (RP_UP && v == 2u && p[0] > 0x20u));
        ua[1] = (uint8_t)(st->own_n >> 8);
        ua[2] = (uint8_t)st->own_n;
        ua[3] = st->own_k;
        answer(st, RP_U_UA, ua, 4);
    }
    return 0;
}

/* A valid frame for this station (or broadcast). A U control byte with P/F cleared (u) equal
 * to one of RP_U_* already implies a U frame (its low bits are 11). */
static void frame(rp_station_t *st, const rp_frame_t *f)
{
    uint8_t c = f->control, u = (uint8_t)(c & ~RP_PF), reason = 0;
    bool pf = (c & RP_PF) != 0, is_i = (c & 1u) == 0, is_s = (c & 3u) == 1u;
    bool bcast = f->address == RP_BROADCAST;
    rp_flen_t max_info = (rp_flen_t)(st->n - RP_FRAME_MIN);
    bool too_long = f->info_len > max_info;
#if RP_UP
    st->up_after = 0;           /* the primary speaks again: a pending UP answer is off */
#endif
    if (bcast || (!st->connected && u != RP_U_SNRM)) {
        if (u == RP_U_UI && !too_long) {
            take_ui(st, f);     /* a broadcast one is never answered */
        }
#if RP_UP
        if (bcast && u == RP_U_UP && pf) {
            up(st, f);          /* the one broadcast that is answered, in turn */
        }
#endif
        if (pf && !bcast) {
            respond(st);        /* disconnected: FRMR or DM */
        }
        return;
    }
    if (u == RP_U_SNRM) {
        reason = snrm(st, f, pf);
        if (reason == 0) {
            return;
        }
    } else if (is_s ? (c & 0x0Cu) == 0x0Cu
                    : !is_i && u != RP_U_UI && u != RP_U_DISC && u != RP_U_TEST) {
        reason = FRMR_W;        /* invalid, or a response (UA, DM, FRMR) */
    } else if (u == RP_U_TEST) {
        if (pf) {
            answer(st, RP_U_TEST, f->info, too_long ? max_info : f->info_len);
        }
        return;
    } else if ((is_s || u == RP_U_DISC) && f->info_len != 0) {
        reason = FRMR_X;
    } else if (too_long) {
        reason = FRMR_Y;
    } else if (u == RP_U_DISC) {
        st->connected = false;
        if (pf) {
            answer(st, RP_U_UA, NULL, 0);
        }
        return;
    } else if (u == RP_U_UI) {
        take_ui(st, f);
    } else if ((((c >> 5) - st->va) & 7u) > ((st->vs - st->va) & 7u)) {
        reason = FRMR_Z;        /* N(R) outside [oldest unacknowledged, V(S)] */
    } else {
        ack(st, (uint8_t)(c >> 5));
        st->peer_busy = is_s && ((c >> 2) & 3u) == RP_S_RNR;
        if (is_i) {
            take_i(st, f, (uint8_t)((c >> 1) & 7u));
        }
    }
    if (reason != 0) {
        st->frmr[0] = c;
        st->frmr[1] = (uint8_t)((st->vr << 5) | (st->vs << 1));
        st->frmr[2] = reason;
        st->connected = false;
        st->frmr_due = true;
        if (pf) {
            send_frmr(st);
        }
    } else if (pf) {
        respond(st);            /* connected here: DISC and SNRM returned above */
    }
}

void rp_station_rx(rp_station_t *st, uint8_t byte)
{
    rp_err_t err;
    rp_frame_t f;
    if (!rp_frame_decoder_put(&st->dec, byte, &err, &f)) {
        return;
    }
    if (err != RP_OK) {
        count(st, err);
        return;
    }
    if (f.address != st->address && f.address != RP_BROADCAST) {
#if RP_UP
        if ((f.control & RP_PF) != 0u && f.address == st->up_after && f.address != 0u) {
            st->up_after = 0;   /* the station before us in a UP ended its answer: our turn */
            respond(st);
        }
#endif
        return;
    }
    st->counters.frames_rx++;
    frame(st, &f);
}
