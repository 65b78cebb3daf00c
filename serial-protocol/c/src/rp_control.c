/* rp_control.c - control byte codec (PROTOCOL.md 3.2). */
#include "rp_control.h"

bool rp_ctl_decode(uint8_t c, rp_ctl_t *out)
{
    out->pf = (c & RP_PF) != 0;
    out->nr = (uint8_t)(c >> 5);
    out->ns = (uint8_t)((c >> 1) & 7u);
    out->s = 0;
    out->u = 0;
    if ((c & 1u) == 0) {
        out->kind = RP_CTL_I;
        return true;
    }
    if ((c & 3u) == 1u) {
        out->s = (uint8_t)((c >> 2) & 3u);
        out->ns = 0;
        out->kind = out->s == 3u ? RP_CTL_INVALID : RP_CTL_S;
        return out->kind != RP_CTL_INVALID;
    }
    out->ns = 0;
    out->nr = 0;
    out->u = (uint8_t)(c & (uint8_t)~RP_PF);
    switch (out->u) {
    case RP_U_SNRM: case RP_U_DISC: case RP_U_UA: case RP_U_DM:
    case RP_U_FRMR: case RP_U_UI: case RP_U_TEST: case RP_U_UP:
        out->kind = RP_CTL_U;
        return true;
    default:
        out->kind = RP_CTL_INVALID;
        return false;
    }
}

uint8_t rp_ctl_i(uint8_t ns, uint8_t nr, bool pf)
{
    return (uint8_t)(((nr & 7u) << 5) | (pf ? RP_PF : 0u) | ((ns & 7u) << 1));
}

uint8_t rp_ctl_s(rp_s_kind_t s, uint8_t nr, bool pf)
{
    return (uint8_t)(((nr & 7u) << 5) | (pf ? RP_PF : 0u) | (((uint8_t)s & 3u) << 2) | 1u);
}

uint8_t rp_ctl_u(uint8_t u, bool pf)
{
    return (uint8_t)((u & (uint8_t)~RP_PF) | (pf ? RP_PF : 0u));
}
