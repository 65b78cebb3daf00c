/* fw_internal.h - state and helpers shared by the firmware's own files (not for platforms). */
#ifndef FERRY_FW_INTERNAL_H
#define FERRY_FW_INTERNAL_H

#include "rp.h"
#include "firmware.h"
#include "fw_json.h"

#define FW_TIME_REQ_FROM "/#r/1"    /* our request path for GET FW_TIME_PATH */
#define FW_TIME_PATH "/#runtime/time/unix_ms"  /* the compact form: a bare number */

typedef enum { FW_S_FREE = 0, FW_S_TEMP, FW_S_BLOB } fw_kind_t;

/* One outgoing stream: an observe of /sensors/temp or a /blob transfer. */
typedef struct {
    uint8_t kind;               /* fw_kind_t */
    bool paused;                /* PUT <stream>#flow false */
    bool cancel;                /* DELETE <stream> seen; final ERROR S499 still to send */
    uint16_t id;                /* <k> in <base>#streams/<k> */
    uint16_t chunk;             /* blob: body bytes per message */
    uint16_t need;              /* blob: transmit-queue bytes one chunk message takes */
    uint32_t due, period;       /* temp: next reading (ms) and period */
    uint32_t off, total;        /* blob: bytes sent and bytes to send */
    char peer[FW_PEER_MAX];     /* the requester's path: where the stream goes */
} fw_stream_t;

typedef struct fw_state {
    rp_station_t st;
    fw_config_t cfg;
    bool was_connected, time_pending;
    bool led;
    uint16_t next_id;
    uint32_t samples, drops;
    uint16_t time_status;       /* 0: no answer yet */
    uint32_t time_at;
    char time_type;             /* 'j', 't' or 0 */
    uint8_t time_len;
    char time_body[FW_TIME_MAX];
    char rpath[FW_RPATH_MAX];   /* a resource path out of ROM, for version 2 index forms */
    char path[FW_PATH_MAX];     /* the normalised `to` of the message being handled */
    char from[FW_PATH_MAX];     /* the stream path a reply is sent from */
    char body[FW_BODY_MAX];     /* JSON bodies being built */
    fw_stream_t streams[FW_STREAMS_MAX];
} fw_state_t;

#ifdef FW_MULTI_STATION
extern fw_state_t *fw_current;  /* the station fw_select chose (firmware.h) */
#define fw (*fw_current)
#else
extern fw_state_t fw;
#endif

/* A fresh stream id (never 0). */
uint16_t fw_new_id(void);
/* Write "<base>#streams/<id>" into out; falls back to "/#streams/<id>" when base is too long. */
void fw_stream_path(char *out, const char *base, uint16_t id);
/* Send one message; false when the transmit queue is full (try again later). */
bool fw_try_send(rp_verb_t verb, const char *to, const char *from, bool eof, uint16_t status,
                 const char *type, const void *body, uint16_t len);
/* The same for replies that are not retried: a failure is counted as a drop. */
bool fw_send(rp_verb_t verb, const char *to, const char *from, bool eof, uint16_t status,
             const char *type, const void *body, uint16_t len);
/* Reply to req (to its `from`, from a fresh <to>#streams/<k>), E1. */
void fw_reply(const rp_msg_t *req, uint16_t status, const char *type, const void *body,
              uint16_t len);
void fw_error(const rp_msg_t *req, uint16_t status, const char *reason);
/* Body helpers. */
bool fw_body_is(const rp_msg_t *m, const char *word);
bool fw_body_uint(const rp_msg_t *m, uint32_t *out);    /* false when absent or not a number */

/* Streams (fw_streams.c). */
fw_stream_t *fw_stream_open(const rp_msg_t *req, fw_kind_t kind);   /* NULL: S503/S414 sent */
void fw_stream_control(const rp_msg_t *m, const char *base, const char *rest);
void fw_streams_reset(void);
void fw_streams_pump(uint32_t now);
uint32_t fw_streams_idle_ms(uint32_t now);
const char *fw_kind_base(uint8_t kind);
uint16_t fw_blob_chunk(fw_stream_t *s, uint16_t frame);
void fw_temp_reading(jb_t *b);

#endif
