/*
 * firmware.c - the reference resource tree (see boards/README.md for the rules):
 *   /             GET: list of resources
 *   /info         GET: {"board","fw","frame","addr","msg"} (msg: RP_MSG_MAX, the largest request)
 *   /sensors/temp GET: one reading; GET with E0, or GET /sensors/temp#changes: observe stream
 *   /leds/0       GET: true|false; PUT true|false
 *   /echo         POST: body and type echoed
 *   /blob         GET: N KiB (body N, default from config) as REP E0 chunks, last E1, T o
 *   /time         GET: what the host answered to our GET /#runtime/time/unix_ms
 *   <r>#schema    GET: verbs and types;  <r>#  GET: tags
 *   <r>#streams/<k>  DELETE: cancel;  <r>#streams/<k>#flow  PUT false|true: pause/resume
 */
#include <string.h>

#include "board.h"
#include "fw_internal.h"
#include "fw_rom.h"

#ifdef FW_MULTI_STATION
static fw_state_t fw_single;
fw_state_t *fw_current = &fw_single;

size_t fw_state_size(void)
{
    return sizeof(fw_state_t);
}

void fw_select(struct fw_state *state)
{
    fw_current = state;
}
#else
fw_state_t fw;
#endif

typedef void (*fw_handler_t)(const rp_msg_t *m);

/* A resource: its path and schema text live in ROM (fw_rom.h), like the table itself. */
typedef struct {
    const char *path;
    uint8_t verbs;              /* bit (1 << rp_verb_t) per accepted verb */
    const char *schema;         /* the body of GET <path>#schema */
    fw_handler_t handle;
} fw_resource_t;

#define V(verb) (uint8_t)(1u << (verb))

static void res_root(const rp_msg_t *m);
static void res_info(const rp_msg_t *m);
static void res_temp(const rp_msg_t *m);
static void res_led(const rp_msg_t *m);
static void res_echo(const rp_msg_t *m);
static void res_blob(const rp_msg_t *m);
static void res_time(const rp_msg_t *m);

static const char p_root[] FW_ROM = "/";
static const char p_info[] FW_ROM = "/info";
static const char p_temp[] FW_ROM = "/sensors/temp";
static const char p_led[] FW_ROM = "/leds/0";
static const char p_echo[] FW_ROM = "/echo";
static const char p_blob[] FW_ROM = "/blob";
static const char p_time[] FW_ROM = "/time";
static const char s_get_j[] FW_ROM = "{\"verbs\":[\"GET\"],\"types\":[\"j\"]}";
static const char s_temp[] FW_ROM =
    "{\"verbs\":[\"GET\"],\"types\":[\"j\"],\"observe\":[\"E0\",\"#changes\"],\"in\":\"ms\"}";
static const char s_led[] FW_ROM = "{\"verbs\":[\"GET\",\"PUT\"],\"types\":[\"j\"]}";
static const char s_echo[] FW_ROM = "{\"verbs\":[\"POST\"],\"types\":[\"*\"]}";
static const char s_blob[] FW_ROM = "{\"verbs\":[\"GET\"],\"types\":[\"o\"],\"in\":\"KiB\"}";
static const char t_temp[] FW_ROM = "[\"schema\",\"changes\",\"streams\"]";
static const char t_other[] FW_ROM = "[\"schema\",\"streams\"]";

static const fw_resource_t resources[] FW_ROM = {
    { p_root, V(RP_GET), s_get_j, res_root },
    { p_info, V(RP_GET), s_get_j, res_info },
    { p_temp, V(RP_GET), s_temp, res_temp },
    { p_led, V(RP_GET) | V(RP_PUT), s_led, res_led },
    { p_echo, V(RP_POST), s_echo, res_echo },
    { p_blob, V(RP_GET), s_blob, res_blob },
    { p_time, V(RP_GET), s_get_j, res_time },
};
#define N_RESOURCES (sizeof resources / sizeof resources[0])

static void resource(size_t i, fw_resource_t *out)
{
    fw_rom_copy(out, &resources[i], sizeof *out);
}

/* ---- replies with bodies built here -------------------------------------------------- */

static void reply_json(const rp_msg_t *m, jb_t *b)
{
    if (jb_ok(b))
        fw_reply(m, 0, "j", b->buf, b->len);
    else
        fw_error(m, 500, FW_S("body too large"));
}

/* Reply with a constant JSON text. */
static void reply_rom(const rp_msg_t *m, const char *rom)
{
    uint16_t n = (uint16_t)fw_rom_len(rom);
    if (n > sizeof fw.body) {
        fw_error(m, 500, FW_S("body too large"));      /* FW_BODY_MAX too small for it */
        return;
    }
    fw_rom_copy(fw.body, rom, n);
    fw_reply(m, 0, "j", fw.body, n);
}

/* ---- resources ------------------------------------------------------------------------- */

static void res_root(const rp_msg_t *m)
{
    jb_t b;
    size_t i;
    jb_init(&b, fw.body, sizeof fw.body);
    jb_raw(&b, FW_S("["));
    for (i = 1; i < N_RESOURCES; i++) {
        fw_resource_t r;
        resource(i, &r);
        jb_raw(&b, i > 1 ? FW_S(",\"") : FW_S("\""));
        jb_raw(&b, r.path);                 /* paths need no escaping */
        jb_char(&b, '"');
    }
    jb_raw(&b, FW_S("]"));
    reply_json(m, &b);
}

static void res_info(const rp_msg_t *m)
{
    jb_t b;
    jb_init(&b, fw.body, sizeof fw.body);
    jb_raw(&b, FW_S("{\"board\":"));
    jb_str(&b, fw.cfg.board, (uint16_t)strlen(fw.cfg.board));
    jb_raw(&b, FW_S(",\"fw\":\"" FW_VERSION "\",\"frame\":"));
    jb_u32(&b, fw.cfg.frame);
    jb_raw(&b, FW_S(",\"addr\":"));
    jb_u32(&b, fw.cfg.address);
    jb_raw(&b, FW_S(",\"msg\":"));              /* the largest request it reassembles */
    jb_u32(&b, RP_MSG_MAX);
    jb_raw(&b, FW_S("}"));
    reply_json(m, &b);
}

void fw_temp_reading(jb_t *b)
{
    uint32_t n = ++fw.samples;
    jb_raw(b, FW_S("{\"c\":"));
    jb_deci(b, board_temp_deci(n));
    jb_raw(b, FW_S(",\"n\":"));
    jb_u32(b, n);
    jb_raw(b, FW_S("}"));
}

static void res_temp(const rp_msg_t *m)
{
    jb_t b;
    if (!m->eof) {                      /* GET with E0: observe */
        fw_stream_open(m, FW_S_TEMP);
        return;
    }
    jb_init(&b, fw.body, sizeof fw.body);
    fw_temp_reading(&b);
    reply_json(m, &b);
}

static void res_led(const rp_msg_t *m)
{
    if (m->verb == RP_PUT) {
        if (fw_body_is(m, "true"))
            fw.led = true;
        else if (fw_body_is(m, "false"))
            fw.led = false;
        else {
            fw_error(m, 400, FW_S("body must be true or false"));
            return;
        }
        board_led_set(0, fw.led);
    }
    fw_reply(m, 0, "j", fw.led ? "true" : "false", fw.led ? 4 : 5);
}

static void res_echo(const rp_msg_t *m)
{
    fw_reply(m, 0, m->type, m->body, m->body_len);
}

static void res_blob(const rp_msg_t *m)
{
    uint32_t kib = fw.cfg.blob_kib;
    fw_stream_t *s;
    if (m->body_len && !fw_body_uint(m, &kib)) {
        fw_error(m, 400, FW_S("body must be a KiB count"));
        return;
    }
    if (kib > FW_BLOB_KIB_MAX) {
        fw_error(m, 413, FW_S("blob too large"));
        return;
    }
    if (kib == 0) {
        fw_reply(m, 0, NULL, NULL, 0);
        return;
    }
    s = fw_stream_open(m, FW_S_BLOB);
    if (s) {
        s->total = kib * 1024u;
        s->chunk = fw_blob_chunk(s, fw.cfg.frame);
    }
}

static void res_time(const rp_msg_t *m)
{
    jb_t b;
    jb_init(&b, fw.body, sizeof fw.body);
    jb_raw(&b, FW_S("{\"status\":"));
    jb_u32(&b, fw.time_status);
    jb_raw(&b, FW_S(",\"at\":"));
    jb_u32(&b, fw.time_at);
    jb_raw(&b, FW_S(",\"time\":"));
    if (fw.time_type == 'j')
        jb_raw_n(&b, fw.time_body, fw.time_len);
    else if (fw.time_type == 't')
        jb_str(&b, fw.time_body, fw.time_len);
    else
        jb_raw(&b, FW_S("null"));
    jb_raw(&b, FW_S("}"));
    reply_json(m, &b);
}

/* ---- dispatch -------------------------------------------------------------------------- */

/* The resource at base, copied into *r; false when there is none. */
static bool find(const char *base, fw_resource_t *r)
{
    size_t i;
    for (i = 0; i < N_RESOURCES; i++) {
        resource(i, r);
        if (fw_rom_cmp(base, r->path) == 0)
            return true;
    }
    return false;
}

static void on_answer(const rp_msg_t *m)
{
    if (strcmp(m->to, FW_TIME_REQ_FROM) != 0)
        return;                         /* not ours; a reply is never answered */
    fw.time_status = m->status ? m->status : (m->verb == RP_REP ? 200 : 500);
    fw.time_at = board_millis();
    fw.time_type = 0;
    fw.time_len = 0;
    if (m->verb == RP_REP && m->body_len > 0 && m->body_len <= FW_TIME_MAX && m->type &&
        (strcmp(m->type, "j") == 0 || strcmp(m->type, "t") == 0)) {
        memcpy(fw.time_body, m->body, m->body_len);
        fw.time_len = (uint8_t)m->body_len;
        fw.time_type = m->type[0];
    } else if (m->verb == RP_REP && m->body_len > FW_TIME_MAX) {
        fw.time_status = 413;           /* answered, but more than we can hold: say so in /time */
    }
}

static void on_message(void *ctx, rp_station_t *st, const rp_msg_t *m)
{
    size_t n;
    char *tag;
    fw_resource_t r;
    bool known;
    (void)ctx;
    (void)st;
    if (m->verb == RP_REP || m->verb == RP_ERROR) {
        on_answer(m);
        return;
    }
    fw.path[0] = '\0';
    n = strlen(m->to);
    if (n >= FW_PATH_MAX) {
        fw_error(m, 414, FW_S("path too long"));
        return;
    }
    memcpy(fw.path, m->to, n + 1);
    if (!rp_path_normalize(fw.path)) {
        fw.path[0] = '\0';
        fw_error(m, 400, FW_S("bad path"));
        return;
    }
    tag = strchr(fw.path, '#');         /* "/#x" splits into "/" and "x" as well */
    if (tag)
        *tag++ = '\0';
    known = find(fw.path, &r);
    if (tag && strncmp(tag, "streams/", 8) == 0) {
        fw_stream_control(m, fw.path, tag + 8);
    } else if (!known) {
        fw_error(m, 404, FW_S("not found"));
    } else if (!tag) {
        if (r.verbs & (1u << m->verb))
            r.handle(m);
        else
            fw_error(m, 405, FW_S("method not allowed"));
    } else if (m->verb != RP_GET && (tag[0] == '\0' || strcmp(tag, "schema") == 0 ||
                                     strcmp(tag, "changes") == 0)) {
        fw_error(m, 405, FW_S("method not allowed"));
    } else if (tag[0] == '\0') {
        reply_rom(m, r.handle == res_temp ? t_temp : t_other);
    } else if (strcmp(tag, "schema") == 0) {
        reply_rom(m, r.schema);
    } else if (strcmp(tag, "changes") == 0 && r.handle == res_temp) {
        fw_stream_open(m, FW_S_TEMP);
    } else {
        fw_error(m, 404, FW_S("not found"));
    }
}

/* ---- platform entry points ------------------------------------------------------------- */

static void on_write(void *ctx, const uint8_t *bytes, size_t n)
{
    (void)ctx;
    board_uart_write(bytes, n);
}

/* Version 2 index forms: entry i is the i-th path of GET / (resources[i]; [0] is "/"). */
static const char *path_of(void *ctx, uint8_t i)
{
    fw_resource_t r;
    (void)ctx;
    if (i >= N_RESOURCES) {
        return NULL;
    }
    resource(i, &r);
    if (fw_rom_len(r.path) >= sizeof fw.rpath) {
        return NULL;
    }
    fw_rom_copy(fw.rpath, r.path, fw_rom_len(r.path) + 1u);
    return fw.rpath;
}

void fw_init(const fw_config_t *cfg)
{
    memset(&fw, 0, sizeof fw);
    fw.cfg = *cfg;
    rp_station_init(&fw.st, cfg->address, cfg->frame, cfg->window, on_message, on_write, NULL,
                    NULL);
    rp_station_set_paths(&fw.st, path_of);
}

void fw_rx(uint8_t byte)
{
    rp_station_rx(&fw.st, byte);
}

void fw_tick(void)
{
    bool up = rp_station_connected(&fw.st);
    if (up != fw.was_connected) {       /* a new link (or a lost one): old streams are gone */
        fw_streams_reset();
        fw.time_pending = up;
        fw.was_connected = up;
    }
    if (!up)
        return;
    if (fw.time_pending &&
        fw_try_send(RP_GET, FW_TIME_PATH, FW_TIME_REQ_FROM, true, 0, NULL, NULL, 0))
        fw.time_pending = false;
    fw_streams_pump(board_millis());
}

uint32_t fw_idle_ms(void)
{
    if (!fw.was_connected)
        return 0xFFFFFFFFu;
    if (fw.time_pending)
        return 1;
    return fw_streams_idle_ms(board_millis());
}

int16_t fw_sim_temp_deci(uint32_t n)
{
    uint32_t k = n % 20u;               /* a triangle 21.0 -> 22.0 -> 21.0 over 20 readings */
    return (int16_t)(210 + (k <= 10u ? k : 20u - k));
}

uint32_t fw_drops(void)
{
    return fw.drops;
}
