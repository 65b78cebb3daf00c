/* vectors.h - reading the files in serial-protocol/vectors/ (PROTOCOL.md 7). Test code only. */
#ifndef VECTORS_H
#define VECTORS_H

#include <stddef.h>
#include <stdint.h>

#define VEC_MAX_FIELDS 16

/* Called for each vector line, split at spaces. */
typedef void (*vec_line_fn)(char **fields, int nfields, void *ctx);

/* Run fn over every vector line of file (e.g. "crc.txt"); returns the number of lines, -1 if
 * the file cannot be read. The directory is $RP_VECTORS or VECTORS_DIR. */
int vec_each(const char *file, vec_line_fn fn, void *ctx);

/* Hex ("-" = empty) into out; returns the byte count, (size_t)-1 on bad hex or overflow. */
size_t vec_hex(const char *hex, uint8_t *out, size_t cap);

#endif
