/*
 * rp_control.h - the HDLC control byte, modulo 8 (PROTOCOL.md 3.2).
 */
#ifndef RP_CONTROL_H
#define RP_CONTROL_H

#include <stdbool.h>
#include <stdint.h>

typedef enum { RP_CTL_I, RP_CTL_S, RP_CTL_U, RP_CTL_INVALID } rp_ctl_kind_t;
typedef enum { RP_S_RR = 0, RP_S_RNR = 1, RP_S_REJ = 2 } rp_s_kind_t;

/* U-frame control bytes with P/F = 0. */
#define RP_U_SNRM 0x83u
#define RP_U_DISC 0x43u
#define RP_U_UA   0x63u
#define RP_U_DM   0x0Fu
#define RP_U_FRMR 0x87u
#define RP_U_UI   0x03u
#define RP_U_TEST 0xE3u
#define RP_U_UP   0x23u         /* unnumbered poll (version 2.1): the primary polls a list of stations */
#define RP_PF     0x10u

typedef struct {
    uint8_t kind;               /* rp_ctl_kind_t */
    uint8_t ns, nr;             /* I: N(S), N(R); S: N(R) */
    uint8_t s;                  /* S: rp_s_kind_t */
    uint8_t u;                  /* U: one of RP_U_* (P/F cleared) */
    bool pf;
} rp_ctl_t;

/* Decode a control byte; false (kind INVALID) when it matches no frame kind. */
bool rp_ctl_decode(uint8_t c, rp_ctl_t *out);

uint8_t rp_ctl_i(uint8_t ns, uint8_t nr, bool pf);
uint8_t rp_ctl_s(rp_s_kind_t s, uint8_t nr, bool pf);
uint8_t rp_ctl_u(uint8_t u, bool pf);

#endif
