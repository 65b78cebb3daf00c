/*
 * rp_cobs.h - Consistent Overhead Byte Stuffing (PROTOCOL.md 2.2) and a byte sink.
 *
 * The encoder reads its input from a list of spans (so a frame can be encoded from a header,
 * a slice of the transmit queue and a CRC without copying them together) and writes to a sink,
 * which is either a fixed buffer or a small chunk buffer flushed through a callback.
 */
#ifndef RP_COBS_H
#define RP_COBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest COBS encoding of n bytes (without delimiter). */
#define RP_COBS_MAX(n) ((n) + 1u + (n) / 254u)

typedef void (*rp_sink_flush_fn)(void *ctx, const uint8_t *bytes, size_t n);

/* Output sink. With flush == NULL bytes go into buf and overflow is set when cap is exceeded;
 * otherwise buf is a chunk (cap >= 1) handed to flush whenever it is full and on rp_sink_flush. */
typedef struct {
    uint8_t *buf;
    size_t cap;
    size_t len;                 /* bytes in buf */
    rp_sink_flush_fn flush;
    void *ctx;
    bool overflow;
} rp_sink_t;

void rp_sink_init(rp_sink_t *s, uint8_t *buf, size_t cap, rp_sink_flush_fn flush, void *ctx);
void rp_sink_put(rp_sink_t *s, uint8_t byte);
void rp_sink_flush(rp_sink_t *s);

typedef struct {
    const uint8_t *p;
    size_t n;
} rp_span_t;

/* COBS-encode the concatenation of count spans into s (no delimiter). */
void rp_cobs_encode_spans(const rp_span_t *spans, uint8_t count, rp_sink_t *s);

/* COBS-encode n bytes into out; returns the encoded length, 0 if it does not fit in cap. */
size_t rp_cobs_encode(const uint8_t *in, size_t n, uint8_t *out, size_t cap);

/* Decode n encoded bytes (no delimiter) into out; false on BAD_COBS or when out is too small.
 * out may equal in (decoding in place). Non-canonical encodings are accepted. */
bool rp_cobs_decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *out_n);

#endif
