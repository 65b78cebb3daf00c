/*
 * rp_header.h - RP message header codec (PROTOCOL.md 5) and paths (5.2).
 * rp_msg_encode and rp_path_normalize are declared in rp.h.
 */
#include "rp.h"     /* before the guard: see rp_frame.h */

#ifndef RP_HEADER_H
#define RP_HEADER_H

#define RP_PATH_MAX 255
#define RP_XPATH_LEN 8          /* "/#x/127" and its NUL: an exchange path spelt out */

/* Decode a whole message in place: LFs after the header lines become NULs, paths are
 * normalised, and m's strings point into buf. Defaults are filled in: status 200 (REP) /
 * 500 (ERROR) / 0 otherwise, type "o" when the body is non-empty and T absent, NULL when the
 * body is empty. Returns RP_OK, RP_ERR_BAD_HEADER, RP_ERR_UNKNOWN_VERB or RP_ERR_BAD_PATH.
 * On error buf may be partly modified. */
rp_err_t rp_msg_decode(uint8_t *buf, size_t n, rp_msg_t *m);

/* Version 2 (PROTOCOL.md 8). Encode: like rp_msg_encode; exchange paths "/#x/N" (N < 128)
 * become one byte, a final reply's from is left out. Decode in place: literal paths are
 * normalised in buf, exchange paths are spelt out in xbuf[0] (to) and xbuf[1] (from), index
 * forms come from paths (NULL: BAD_PATH), an implied from reads "/#x". Same defaults and errors
 * as rp_msg_decode. */
size_t rp_msg_encode2(const rp_msg_t *m, uint8_t *out, size_t cap);
rp_err_t rp_msg_decode2(uint8_t *buf, size_t n, rp_msg_t *m, char xbuf[2][RP_XPATH_LEN],
                        rp_path_fn paths, void *ctx);

/* Normalise the n bytes at p in place; returns the new length, 0 for BAD_PATH. */
size_t rp_path_normalize_n(char *p, size_t n);

/* A T value: "j", "t", "o" or a media type (contains '/', bytes 20..7E). */
bool rp_type_ok(const uint8_t *v, size_t n);

/* "GET", "POST", ...; NULL for an out-of-range verb. The name is in the library's constant
 * tables: on AVR that is program memory (read it with pgm_read_byte, not as a RAM string). */
const char *rp_verb_name(rp_verb_t v);

#endif
