/*
 * rp_stdio_station.c - one RP/serial station on stdin (bytes in) / stdout (bytes out).
 * Usage: rp_stdio_station [address (default 1)] [frame size (default 256)] [window (default 7)]
 * Serves GET /info, POST /echo; everything else gets ERROR S404. For codec loopback demos.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rp.h"

static rp_station_t st;
static unsigned stream_no;

static void write_all(void *ctx, const uint8_t *p, size_t n)
{
    (void)ctx;
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, p, n);
        if (w <= 0) {
            exit(1);
        }
        p += w;
        n -= (size_t)w;
    }
}

static void reply(rp_station_t *s, const rp_msg_t *req, rp_verb_t verb, uint16_t status,
                  const char *type, const uint8_t *body, uint16_t body_len)
{
    char from[300];
    rp_msg_t r;
    memset(&r, 0, sizeof r);
    snprintf(from, sizeof from, "%.200s#streams/%u", req->to, ++stream_no);
    r.verb = verb;
    r.to = req->from;
    r.from = from;
    r.eof = true;
    r.flow = -1;
    r.status = status;
    r.type = type;
    r.body = body;
    r.body_len = body_len;
    if (!rp_station_send(s, &r)) {
        fprintf(stderr, "rp_stdio_station: transmit queue full, reply dropped\n");
    }
}

static void on_message(void *ctx, rp_station_t *s, const rp_msg_t *m)
{
    static const char info[] = "{\"board\":\"stdio\",\"fw\":\"0.1\"}";
    static const char missing[] = "no such resource";
    (void)ctx;
    if (m->verb == RP_REP || m->verb == RP_ERROR) {
        return;                 /* replies to us: nothing to do */
    }
    if (m->verb == RP_GET && strcmp(m->to, "/info") == 0) {
        reply(s, m, RP_REP, 0, "j", (const uint8_t *)info, (uint16_t)(sizeof info - 1));
    } else if (m->verb == RP_POST && strcmp(m->to, "/echo") == 0) {
        reply(s, m, RP_REP, 0, m->type, m->body, m->body_len);
    } else {
        reply(s, m, RP_ERROR, 404, "t", (const uint8_t *)missing, (uint16_t)(sizeof missing - 1));
    }
}

static void on_error(void *ctx, rp_err_t err)
{
    (void)ctx;
    fprintf(stderr, "rp_stdio_station: line error %d\n", (int)err);
}

int main(int argc, char **argv)
{
    long address = argc > 1 ? strtol(argv[1], NULL, 0) : 1;
    long frame = argc > 2 ? strtol(argv[2], NULL, 0) : 256;
    long window = argc > 3 ? strtol(argv[3], NULL, 0) : RP_WINDOW_MAX;
    uint8_t buf[512];
    if (address < 1 || address > 254 || frame < 32 || frame > RP_FRAME_MAX || window < 1
        || window > RP_WINDOW_MAX) {
        fprintf(stderr, "usage: %s [address 1..254] [frame size 32..%d] [window 1..%d]\n",
                argv[0], RP_FRAME_MAX, RP_WINDOW_MAX);
        return 2;
    }
    rp_station_init(&st, (uint8_t)address, (uint16_t)frame, (uint8_t)window, on_message,
                    write_all, on_error, NULL);
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buf, sizeof buf), i;
        if (n <= 0) {
            return 0;
        }
        for (i = 0; i < n; i++) {
            rp_station_rx(&st, buf[i]);
        }
    }
}
