/* util.h - shared test helpers. */
#ifndef UTIL_H
#define UTIL_H

#include "rp.h"

/* "BAD_CRC" -> RP_ERR_BAD_CRC; RP_ERR_COUNT when unknown. */
rp_err_t err_from_name(const char *name);
const char *err_name(rp_err_t e);

/* Seeded xorshift32. */
uint32_t rnd(uint32_t *state);

#endif
