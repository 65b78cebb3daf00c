/*
 * rp_header.h - RP message header codec (PROTOCOL.md 5) and paths (5.2).
 * rp_msg_encode and rp_path_normalize are declared in rp.h.
 */
#include "rp.h"     /* before the guard: see rp_frame.h */

#ifndef RP_HEADER_H
#define RP_HEADER_H

#define RP_PATH_MAX 255

/* Decode a whole message in place: LFs after the header lines become NULs, paths are
 * normalised, and m's strings point into buf. Defaults are filled in: status 200 (REP) /
 * 500 (ERROR) / 0 otherwise, type "o" when the body is non-empty and T absent, NULL when the
 * body is empty. Returns RP_OK, RP_ERR_BAD_HEADER, RP_ERR_UNKNOWN_VERB or RP_ERR_BAD_PATH.
 * On error buf may be partly modified. */
rp_err_t rp_msg_decode(uint8_t *buf, size_t n, rp_msg_t *m);

/* Normalise the n bytes at p in place; returns the new length, 0 for BAD_PATH. */
size_t rp_path_normalize_n(char *p, size_t n);

/* A T value: "j", "t", "o" or a media type (contains '/', bytes 20..7E). */
bool rp_type_ok(const uint8_t *v, size_t n);

/* "GET", "POST", ...; NULL for an out-of-range verb. The name is in the library's constant
 * tables: on AVR that is program memory (read it with pgm_read_byte, not as a RAM string). */
const char *rp_verb_name(rp_verb_t v);

#endif
