/* rp_station_tx.c - the station's transmit side: queue, acknowledgements, poll answers. */
#include <string.h>

#include "rp_control.h"
#include "rp_station_int.h"

void rp_st_count(rp_station_t *st, rp_err_t err)
{
    st->counters.errors[err]++;
    if (st->on_error != NULL) {
        st->on_error(st->ctx, err);
    }
}

void rp_st_out_begin(rp_station_t *st, rp_out_t *o)
{
    rp_sink_init(&o->s, o->chunk, sizeof o->chunk, st->write, st->ctx);
    rp_sink_put(&o->s, 0);      /* close off whatever noise came before */
}

void rp_st_out_frame(rp_station_t *st, rp_out_t *o, uint8_t control, int16_t seg,
                     const uint8_t *body, size_t n)
{
    uint8_t head[3];
    head[0] = st->address;
    head[1] = control;
    head[2] = (uint8_t)seg;
    rp_frame_write(&o->s, head, seg >= 0 ? 3u : 2u, body, n);
    st->counters.frames_tx++;
}

void rp_st_out_end(rp_out_t *o)
{
    rp_sink_flush(&o->s);
}

static uint16_t rec_len(const rp_station_t *st, uint16_t off)
{
    return (uint16_t)((st->txq[off] << 8) | st->txq[off + 1u]);
}

/* Step a (record offset, segment) position to the next segment. */
static void step(const rp_station_t *st, uint16_t *off, uint16_t *seg)
{
    uint16_t len = rec_len(st, *off);
    if (++*seg >= rp_seg_count(len, st->n)) {
        *off = (uint16_t)(*off + 2u + len);
        *seg = 0;
    }
}

bool rp_station_send(rp_station_t *st, const rp_msg_t *m)
{
    size_t n;
    if ((size_t)RP_TXQ_BYTES - st->tx_used <= 2u) {
        return false;
    }
    n = rp_msg_encode(m, st->txq + st->tx_used + 2u, (size_t)(RP_TXQ_BYTES - st->tx_used - 2u));
    if (n == 0) {
        return false;
    }
    st->txq[st->tx_used] = (uint8_t)(n >> 8);
    st->txq[st->tx_used + 1u] = (uint8_t)n;
    st->tx_used = (uint16_t)(st->tx_used + 2u + n);
    return true;
}

size_t rp_station_tx_free(const rp_station_t *st)
{
    size_t free_bytes = (size_t)(RP_TXQ_BYTES - st->tx_used);
    return free_bytes > 2u ? free_bytes - 2u : 0u;
}

bool rp_st_nr_ok(const rp_station_t *st, uint8_t nr)
{
    return ((nr - st->va) & 7u) <= ((st->vs - st->va) & 7u);
}

void rp_st_ack(rp_station_t *st, uint8_t nr)
{
    while (st->va != nr && st->tx_used > 0) {
        uint16_t len = rec_len(st, 0);
        st->va = (uint8_t)((st->va + 1u) & 7u);
        if (++st->ack_seg >= rp_seg_count(len, st->n)) {
            uint16_t rec = (uint16_t)(2u + len);
            memmove(st->txq, st->txq + rec, (size_t)(st->tx_used - rec));
            st->tx_used = (uint16_t)(st->tx_used - rec);
            st->snd_off = (uint16_t)(st->snd_off - rec);
            st->ack_seg = 0;
            st->counters.msgs_tx++;
        }
    }
    st->va = nr;
}

void rp_st_tx_restart(rp_station_t *st)
{
    st->ack_seg = 0;
    st->snd_off = 0;
    st->snd_seg = 0;
}

/* I-frames that can go now (window and queue permitting). */
static uint8_t sendable(const rp_station_t *st)
{
    uint16_t off = st->snd_off, seg = st->snd_seg;
    uint8_t n = 0, room = (uint8_t)(st->k - ((st->vs - st->va) & 7u));
    if (st->peer_busy || st->k < ((st->vs - st->va) & 7u)) {
        return 0;
    }
    while (n < room && off < st->tx_used) {
        n++;
        step(st, &off, &seg);
    }
    return n;
}

void rp_st_answer_poll(rp_station_t *st)
{
    rp_out_t o;
    uint8_t n, i;
    bool final_s;
    if (st->vs != st->va) {     /* go back to the primary's N(R) */
        st->counters.retransmitted += (RP_COUNTER_T)((st->vs - st->va) & 7u);
        st->vs = st->va;
        st->snd_off = 0;
        st->snd_seg = st->ack_seg;
    }
    n = sendable(st);
    final_s = n == 0 || st->busy || st->rej_due;
    rp_st_out_begin(st, &o);
    for (i = 0; i < n; i++) {
        uint16_t len = rec_len(st, st->snd_off);
        uint16_t part = RP_SEG_PART(st->n);
        uint16_t count = rp_seg_count(len, st->n);
        uint16_t at = (uint16_t)(st->snd_seg * part);
        uint16_t plen = (uint16_t)(len - at < part ? len - at : part);
        bool last = i + 1u == n && !final_s;
        rp_st_out_frame(st, &o, rp_ctl_i(st->vs, st->vr, last),
                        rp_seg_byte(st->snd_seg, count),
                        st->txq + st->snd_off + 2u + at, plen);
        st->vs = (uint8_t)((st->vs + 1u) & 7u);
        step(st, &st->snd_off, &st->snd_seg);
    }
    if (final_s) {
        rp_s_kind_t s = RP_S_RR;
        if (st->busy) {
            s = RP_S_RNR;
        } else if (st->rej_due) {
            s = RP_S_REJ;
            st->rej_due = false;
            st->rej_sent = true;
            st->counters.rejects_sent++;
        }
        rp_st_out_frame(st, &o, rp_ctl_s(s, st->vr, true), -1, NULL, 0);
    }
    rp_st_out_end(&o);
}
