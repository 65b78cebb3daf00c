/* harness.h - a scripted primary for station tests: sends frames, captures the answers. */
#ifndef HARNESS_H
#define HARNESS_H

#include "rp.h"
#include "rp_control.h"

/* Bytes of a transmit-queue record's length: 1 when RP_TXQ_BYTES <= 255, else 2. */
#define H_REC_HDR (RP_TXQ_BYTES <= 255 ? 1u : 2u)

#define H_MAX_FRAMES 16

typedef struct {
    uint8_t addr, ctl;
    uint8_t info[RP_FRAME_MAX];
    uint16_t n;
} h_frame_t;

typedef struct {
    rp_station_t st;
    uint8_t out[8192];              /* bytes the station wrote */
    size_t out_n;
    int writes;
    int msgs;                       /* messages delivered */
    rp_msg_t last;                  /* copy of the last one (strings below) */
    char to[256], from[256], type[64];
    uint8_t body[RP_MSG_MAX];
    int errors;                     /* on_error calls */
    bool reply;                     /* answer each message with a REP of reply_len bytes */
    uint16_t reply_len;
    h_frame_t f[H_MAX_FRAMES];      /* the last answer, decoded */
    int nf;
    bool lead_zero;                 /* the last answer began with 00 */
    int unsolicited;                /* answers to frames without P */
} harness_t;

extern harness_t h;

/* Fresh station: address 1, own frame size and window. */
void h_init(uint16_t frame_size, uint8_t window);
/* Send one frame from the primary (leading 00 included) and decode the answer into h.f. */
int h_send(uint8_t addr, uint8_t ctl, const void *info, size_t n);
/* SNRM(P) with the host's N and k; true when answered by UA(F). */
bool h_connect(uint16_t n, uint8_t k);             /* as a version 1 primary */
bool h_connect_v(uint16_t n, uint8_t k, uint8_t version);
/* A message as the segment(s) of consecutive I-frames from ns; last frame polls. */
int h_send_msg(uint8_t ns, uint8_t nr, const char *msg, uint16_t frame_size);
/* Reassemble I-frames of the last answer; returns the number of complete messages. */
int h_collect(uint8_t *buf, size_t cap, size_t *len);

bool h_is_s(int i, rp_s_kind_t s, uint8_t nr, bool f);
bool h_is_u(int i, uint8_t u, bool f);
bool h_is_i(int i, uint8_t ns, uint8_t nr, bool f);

#endif
