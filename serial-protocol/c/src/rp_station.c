/* rp_station.c - the secondary link station's receive side (PROTOCOL.md 3.5). */
#include <string.h>

#include "rp_control.h"
#include "rp_header.h"
#include "rp_station_int.h"

#define FRMR_W 0x01u            /* invalid control */
#define FRMR_X 0x02u            /* info not permitted */
#define FRMR_Y 0x04u            /* info too long */
#define FRMR_Z 0x08u            /* invalid N(R) */

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
    st->own_n = st->n = frame_size;
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

const rp_counters_t *rp_station_counters(const rp_station_t *st)
{
    return &st->counters;
}

/* A single frame as the whole answer to a poll. */
static void answer(rp_station_t *st, uint8_t u, const uint8_t *info, size_t n)
{
    rp_out_t o;
    rp_st_out_begin(st, &o);
    rp_st_out_frame(st, &o, rp_ctl_u(u, true), -1, info, n);
    rp_st_out_end(&o);
}

static void frmr(rp_station_t *st, uint8_t control, uint8_t reason, bool poll)
{
    st->frmr[0] = control;
    st->frmr[1] = (uint8_t)((st->vr << 5) | (st->vs << 1));
    st->frmr[2] = reason;
    st->connected = false;
    st->frmr_due = !poll;
    if (poll) {
        st->counters.frmr_sent++;
        answer(st, RP_U_FRMR, st->frmr, 3);
    }
}

static void deliver(rp_station_t *st, uint8_t *msg, size_t n)
{
    rp_msg_t m;
    rp_err_t err = rp_msg_decode(msg, n, &m);
    if (err != RP_OK) {
        rp_st_count(st, err);
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
        rp_st_count(st, RP_ERR_SEGMENT_GAP);
        return;
    }
    deliver(st, st->dec.buf + 3, (size_t)f->info_len - 1u);
}

static void snrm(rp_station_t *st, const rp_frame_t *f, bool poll)
{
    uint8_t ua[4];
    uint16_t n;
    if (f->info_len != 4) {
        frmr(st, f->control, FRMR_X, poll);
        return;
    }
    n = (uint16_t)((f->info[1] << 8) | f->info[2]);
    if (n < 32u || n > 2048u || f->info[3] < 1u || f->info[3] > 7u) {
        frmr(st, f->control, FRMR_X, poll);
        return;
    }
    st->n = n < st->own_n ? n : st->own_n;
    st->k = f->info[3] < st->own_k ? f->info[3] : st->own_k;
    st->vs = st->vr = st->va = 0;
    st->connected = true;
    st->peer_busy = st->rej_sent = st->rej_due = st->frmr_due = false;
    rp_reasm_reset(&st->reasm);
    rp_st_tx_restart(st);
    if (poll) {
        ua[0] = RP_VERSION;
        ua[1] = (uint8_t)(st->own_n >> 8);
        ua[2] = (uint8_t)st->own_n;
        ua[3] = st->own_k;
        answer(st, RP_U_UA, ua, 4);
    }
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
        rp_st_count(st, err);
    }
    if (complete) {
        deliver(st, st->rx_buf, st->reasm.len);
    }
}

/* A frame for this station while connected. */
static void connected_frame(rp_station_t *st, const rp_frame_t *f, const rp_ctl_t *c)
{
    uint16_t max_info = (uint16_t)(st->n - RP_FRAME_MIN);
    if (c->kind == RP_CTL_U) {
        switch (c->u) {
        case RP_U_SNRM:
            snrm(st, f, c->pf);
            return;
        case RP_U_DISC:
            if (f->info_len != 0) {
                frmr(st, f->control, FRMR_X, c->pf);
                return;
            }
            st->connected = false;
            if (c->pf) {
                answer(st, RP_U_UA, NULL, 0);
            }
            return;
        case RP_U_TEST:
            if (c->pf) {
                answer(st, RP_U_TEST, f->info, f->info_len < max_info ? f->info_len : max_info);
            }
            return;
        case RP_U_UI:
            if (f->info_len > max_info) {
                frmr(st, f->control, FRMR_Y, c->pf);
                return;
            }
            take_ui(st, f);
            break;
        default:                /* UA, DM, FRMR: responses, not commands */
            frmr(st, f->control, FRMR_W, c->pf);
            return;
        }
    } else {
        if (c->kind == RP_CTL_S && f->info_len != 0) {
            frmr(st, f->control, FRMR_X, c->pf);
            return;
        }
        if (f->info_len > max_info) {
            frmr(st, f->control, FRMR_Y, c->pf);
            return;
        }
        if (!rp_st_nr_ok(st, c->nr)) {
            frmr(st, f->control, FRMR_Z, c->pf);
            return;
        }
        rp_st_ack(st, c->nr);
        st->peer_busy = c->kind == RP_CTL_S && c->s == RP_S_RNR;
        if (c->kind == RP_CTL_I) {
            take_i(st, f, c->ns);
        }
    }
    if (c->pf && st->connected) {
        rp_st_answer_poll(st);
    }
}

static void frame(rp_station_t *st, const rp_frame_t *f)
{
    rp_ctl_t c;
    bool valid = rp_ctl_decode(f->control, &c);
    bool is_ui = valid && c.kind == RP_CTL_U && c.u == RP_U_UI;
    if (f->address == RP_BROADCAST) {
        if (is_ui && f->info_len <= st->n - RP_FRAME_MIN) {
            take_ui(st, f);     /* never answered */
        }
        return;
    }
    if (st->connected) {
        if (!valid) {
            frmr(st, f->control, FRMR_W, c.pf);
            return;
        }
        connected_frame(st, f, &c);
        return;
    }
    if (valid && c.kind == RP_CTL_U && c.u == RP_U_SNRM) {
        snrm(st, f, c.pf);
        return;
    }
    if (is_ui && f->info_len <= st->n - RP_FRAME_MIN) {
        take_ui(st, f);
    }
    if (c.pf) {
        if (st->frmr_due) {
            st->frmr_due = false;
            st->counters.frmr_sent++;
            answer(st, RP_U_FRMR, st->frmr, 3);
        } else {
            answer(st, RP_U_DM, NULL, 0);
        }
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
        rp_st_count(st, err);
        return;
    }
    if (f.address != st->address && f.address != RP_BROADCAST) {
        return;
    }
    st->counters.frames_rx++;
    frame(st, &f);
}
