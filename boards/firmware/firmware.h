/*
 * firmware.h - the reference RP firmware: a resource tree served through rp_station_*.
 * Portable C99: no malloc, no stdio; all state is static and bounded by the FW_* sizes below.
 * The platform calls fw_init once, fw_rx for every received byte and fw_tick from its main
 * loop; the firmware calls back only the hooks in board.h.
 */
#ifndef FERRY_FIRMWARE_H
#define FERRY_FIRMWARE_H

#include <stdbool.h>
#include <stdint.h>

/* ---- sizes (override with -D) ---------------------------------------------------------- */
#ifndef FW_STREAMS_MAX          /* concurrent streams (observe + blob); more -> ERROR S503 */
#define FW_STREAMS_MAX 4
#endif
#ifndef FW_PEER_MAX             /* longest requester path a stream can send to, incl. NUL */
#define FW_PEER_MAX 64
#endif
#ifndef FW_PATH_MAX             /* longest request path handled, incl. NUL (longer -> S414) */
#define FW_PATH_MAX 96
#endif
#ifndef FW_BODY_MAX             /* bodies the firmware builds: JSON, blob chunks */
#define FW_BODY_MAX 128
#endif
#ifndef FW_TIME_MAX             /* stored answer to GET /#runtime/time/unix_ms (13 digits) */
#define FW_TIME_MAX 48
#endif
#ifndef FW_RPATH_MAX            /* longest resource path in the table, incl. NUL */
#define FW_RPATH_MAX 16
#endif
#ifndef FW_TEMP_PERIOD_MS       /* default observe period of /sensors/temp */
#define FW_TEMP_PERIOD_MS 1000u
#endif
#ifndef FW_TEMP_PERIOD_MIN_MS
#define FW_TEMP_PERIOD_MIN_MS 20u
#endif
#ifndef FW_BLOB_KIB_MAX         /* largest /blob a request may ask for */
#define FW_BLOB_KIB_MAX 1024u
#endif

#define FW_VERSION "0.1.0"

typedef struct {
    const char *board;          /* reported by /info; must stay valid */
    uint8_t address;            /* station address 1..254 */
    uint16_t frame;             /* frame size offered at link set-up, 32..RP_FRAME_MAX */
    uint8_t window;             /* 1..RP_WINDOW_MAX */
    uint16_t blob_kib;          /* default /blob size in KiB when the request has no body */
} fw_config_t;

/* Start the station (disconnected) with this configuration. */
void fw_init(const fw_config_t *cfg);

/* Feed one byte received on the line (main-loop context, not from an ISR). */
void fw_rx(uint8_t byte);

/* Run the producers: the boot-time request to the host, observe streams, blobs, cancels.
 * Call it after every batch of received bytes and at least every few milliseconds. */
void fw_tick(void);

/* Milliseconds fw_tick can wait before it has work (0 = now); 0xFFFFFFFF = idle until rx. */
uint32_t fw_idle_ms(void);

/* Deterministic simulated temperature in tenths of a degree for reading n: 21.0 .. 22.0. */
int16_t fw_sim_temp_deci(uint32_t n);

/* Messages the firmware could not queue (transmit queue full) and had to drop. */
uint32_t fw_drops(void);

#ifdef FW_MULTI_STATION
/* Several stations in one process (host-sim only: the N MCUs of one bus segment, each with its
 * own link state and resource tree). Each station needs its own zeroed block of fw_state_size()
 * bytes (calloc); fw_select(s) makes it the one that the following fw_init, fw_rx, fw_tick,
 * fw_idle_ms and fw_drops calls act on. Without fw_select there is one built-in station. */
#include <stddef.h>
struct fw_state;
size_t fw_state_size(void);
void fw_select(struct fw_state *state);
#endif

#endif
