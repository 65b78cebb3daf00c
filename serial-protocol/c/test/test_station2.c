/* test_station2.c - station scenarios: RNR both ways, FRMR, DM, broadcast, TEST, DISC. */
#include "harness.h"
#include "test.h"

static const char get_info[] = "GET /info\n/#r/1\n";

static bool queue_rep(uint16_t body_len)
{
    static uint8_t body[RP_MSG_MAX];
    rp_msg_t r;
    memset(&r, 0, sizeof r);
    memset(body, 'b', body_len);
    r.verb = RP_REP;
    r.to = "/#r/9";
    r.from = "/s#streams/1";
    r.eof = true;
    r.flow = -1;
    r.body = body;
    r.body_len = body_len;
    return rp_station_send(&h.st, &r);
}

TEST(rnr_station_busy)
{
    h_init(64, 2);
    CHECK(h_connect(64, 2));
    rp_station_set_busy(&h.st, true);
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 0, true), NULL, 0), 1);
    CHECK(h_is_s(0, RP_S_RNR, 0, true));
    h_send_msg(0, 0, get_info, 64);                                  /* not accepted */
    CHECK(h_is_s(0, RP_S_RNR, 0, true) && h.msgs == 0);
    CHECK(queue_rep(10));                                            /* we may still send */
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 0, true), NULL, 0), 2);
    CHECK(h_is_i(0, 0, 0, false) && h_is_s(1, RP_S_RNR, 0, true));
    rp_station_set_busy(&h.st, false);
    h_send_msg(0, 1, get_info, 64);
    CHECK(h.msgs == 1 && h_is_s(0, RP_S_RR, 1, true));
}

TEST(rnr_from_primary)
{
    h_init(64, 2);
    CHECK(h_connect(64, 2));
    CHECK(queue_rep(10));
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RNR, 0, true), NULL, 0), 1);
    CHECK(h_is_s(0, RP_S_RR, 0, true));                              /* no I-frames */
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RNR, 0, true), NULL, 0), 1);
    CHECK(h_is_s(0, RP_S_RR, 0, true));
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 0, true), NULL, 0), 1);
    CHECK(h_is_i(0, 0, 0, true) && h.f[0].info[0] == 0x80);
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 1, true), NULL, 0), 1);
    CHECK(h_is_s(0, RP_S_RR, 0, true));
    CHECK_EQ(rp_station_counters(&h.st)->msgs_tx, 1);
}

TEST(window_one_and_restart)
{
    int i;
    h_init(32, 1);
    CHECK(h_connect(64, 7));                                         /* N 32, k 1 */
    CHECK(queue_rep(100));                                           /* 5 segments */
    for (i = 0; i < 5; i++) {
        CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, (uint8_t)i, true), NULL, 0), 1);
        CHECK(h_is_i(0, (uint8_t)i, 0, true));
        CHECK(h.f[0].n <= 28 && h.f[0].info[0] == (i == 0 ? 0xC0 : i == 4 ? 0x04 : 0x40 + i));
        if (i == 2) {                                                /* link reset mid-message */
            CHECK(h_connect(64, 7));
            CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 0, true), NULL, 0), 1);
            CHECK(h_is_i(0, 0, 0, true) && h.f[0].info[0] == 0xC0);   /* from segment 0 again */
            CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 1, true), NULL, 0), 1);
            CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 2, true), NULL, 0), 1);
            CHECK(h_is_i(0, 2, 0, true) && h.f[0].info[0] == 0x42);
        }
    }
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 5, true), NULL, 0), 1);
    CHECK(h_is_s(0, RP_S_RR, 0, true));
    CHECK_EQ(rp_station_tx_free(&h.st), RP_TXQ_BYTES - H_REC_HDR);
}

TEST(frmr_cases)
{
    uint8_t big[40];
    memset(big, 0x80, sizeof big);
    h_init(64, 4);
    CHECK(h_connect(32, 4));                                         /* negotiated N 32 */
    CHECK_EQ(h_send(1, 0x17, NULL, 0), 1);                           /* invalid control, P */
    CHECK(h_is_u(0, RP_U_FRMR, true) && h.f[0].n == 3);
    CHECK(h.f[0].info[0] == 0x17 && h.f[0].info[1] == 0 && h.f[0].info[2] == 0x01);
    CHECK(!rp_station_connected(&h.st));
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 0, true), NULL, 0), 1);
    CHECK(h_is_u(0, RP_U_DM, true));
    CHECK(h_connect(32, 4));
    CHECK_EQ(h_send(1, rp_ctl_i(0, 0, true), big, sizeof big), 1);   /* info > N - 4 */
    CHECK(h_is_u(0, RP_U_FRMR, true) && h.f[0].info[2] == 0x04);
    CHECK(h_connect(32, 4));
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 0, true), "x", 1), 1);      /* info on an S-frame */
    CHECK(h_is_u(0, RP_U_FRMR, true) && h.f[0].info[2] == 0x02);
    CHECK(h_connect(32, 4));
    CHECK_EQ(h_send(1, rp_ctl_u(RP_U_UA, true), NULL, 0), 1);        /* a response as command */
    CHECK(h_is_u(0, RP_U_FRMR, true) && h.f[0].info[2] == 0x01);
    CHECK(h_connect(32, 4));
    h_send_msg(0, 0, get_info, 32);
    CHECK_EQ(h_send(1, 0x0D, NULL, 0), 0);                           /* invalid, no P: silent */
    CHECK(!rp_station_connected(&h.st));
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 0, true), NULL, 0), 1);     /* the next poll: FRMR */
    CHECK(h_is_u(0, RP_U_FRMR, true) && h.f[0].info[0] == 0x0D && h.f[0].info[1] == (1 << 5));
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 0, true), NULL, 0), 1);
    CHECK(h_is_u(0, RP_U_DM, true));
    CHECK_EQ(rp_station_counters(&h.st)->frmr_sent, 5);
}

TEST(broadcast_taken_never_answered)
{
    static const char ui[] = "\x80PUT /leds/0\n/#r/1\nTj\nL4\n\ntrue";
    int writes;
    h_init(64, 1);
    CHECK_EQ(h_send(RP_BROADCAST, rp_ctl_u(RP_U_UI, true), ui, sizeof ui - 1), 0);
    CHECK(h.msgs == 1 && h.last.verb == RP_PUT && h.last.body_len == 4 && h.out_n == 0);
    CHECK_EQ(h_send(RP_BROADCAST, rp_ctl_u(RP_U_SNRM, true), "\x10\x00\x40\x01", 4), 0);
    CHECK(!rp_station_connected(&h.st));
    CHECK(h_connect(64, 1));
    writes = h.writes;
    CHECK_EQ(h_send(RP_BROADCAST, rp_ctl_s(RP_S_RR, 0, true), NULL, 0), 0);
    CHECK_EQ(h_send(RP_BROADCAST, 0x07, NULL, 0), 0);
    CHECK_EQ(h_send(RP_BROADCAST, rp_ctl_u(RP_U_UI, false), ui, sizeof ui - 1), 0);
    CHECK_EQ(h.msgs, 2);
    CHECK(rp_station_connected(&h.st));
    CHECK_EQ(h.writes, writes);                  /* nothing written after the UA, not even 00 */
    /* UI to our own address with P: taken, then an ordinary poll answer */
    CHECK_EQ(h_send(1, rp_ctl_u(RP_U_UI, true), ui, sizeof ui - 1), 1);
    CHECK(h.msgs == 3 && h_is_s(0, RP_S_RR, 0, true));
}

TEST(test_echo_disc_and_others)
{
    uint8_t p[50];
    memset(p, 0x33, sizeof p);
    h_init(64, 1);
    CHECK(h_connect(32, 1));
    CHECK_EQ(h_send(1, rp_ctl_u(RP_U_TEST, true), "ping\0pong", 9), 1);
    CHECK(h_is_u(0, RP_U_TEST, true) && h.f[0].n == 9 && memcmp(h.f[0].info, "ping\0pong", 9) == 0);
    CHECK_EQ(h_send(1, rp_ctl_u(RP_U_TEST, true), p, sizeof p), 1);  /* truncated to N - 4 */
    CHECK(h_is_u(0, RP_U_TEST, true) && h.f[0].n == 28);
    CHECK_EQ(h_send(2, rp_ctl_s(RP_S_RR, 0, true), NULL, 0), 0);     /* another station */
    CHECK_EQ(h_send(2, rp_ctl_u(RP_U_DISC, true), NULL, 0), 0);
    CHECK(rp_station_connected(&h.st));
    CHECK_EQ(h_send(1, rp_ctl_u(RP_U_DISC, true), NULL, 0), 1);
    CHECK(h_is_u(0, RP_U_UA, true) && h.f[0].n == 0 && !rp_station_connected(&h.st));
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 0, true), NULL, 0), 1);
    CHECK(h_is_u(0, RP_U_DM, true));
}

TEST(line_errors_counted)
{
    static const uint8_t noise[] = { 0x00, 0x05, 0x01, 0x00, 0x02, 0x01, 0x00, 0x05, 0x01, 0x02,
                                     0x03, 0x04, 0x00, 0x00, 0x00 };
    const rp_counters_t *c;
    size_t i;
    h_init(64, 1);
    for (i = 0; i < sizeof noise; i++) {
        rp_station_rx(&h.st, noise[i]);
    }
    for (i = 0; i < 100; i++) {
        rp_station_rx(&h.st, 0x42);
    }
    rp_station_rx(&h.st, 0);
    c = rp_station_counters(&h.st);
    CHECK_EQ(c->errors[RP_ERR_BAD_COBS], 1);
    CHECK_EQ(c->errors[RP_ERR_RUNT], 1);
    CHECK_EQ(c->errors[RP_ERR_BAD_CRC], 1);
    CHECK_EQ(c->errors[RP_ERR_OVERLONG], 1);
    CHECK_EQ(h.errors, 4);
    CHECK_EQ(h.out_n, 0);
    CHECK(h_connect(64, 1));                                         /* and nothing lingers */
    CHECK_EQ(c->frames_rx, 1);
    CHECK_EQ(c->frames_tx, 1);
}

void run_station_more_tests(void)
{
    RUN(rnr_station_busy);
    RUN(rnr_from_primary);
    RUN(window_one_and_restart);
    RUN(frmr_cases);
    RUN(broadcast_taken_never_answered);
    RUN(test_echo_disc_and_others);
    RUN(line_errors_counted);
}
