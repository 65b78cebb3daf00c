/* test_station.c - station scenarios: set-up, I-frame exchange, loss, duplicates, REJ. */
#include "harness.h"
#include "rp_header.h"
#include "test.h"

static const char get_info[] = "GET /info\n/#r/1\n";

TEST(dm_when_disconnected)
{
    h_init(64, 1);
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 0, true), NULL, 0), 1);
    CHECK(h_is_u(0, RP_U_DM, true) && h.lead_zero);
    CHECK_EQ(h_send(1, rp_ctl_i(0, 0, true), "\x80x", 2), 1);
    CHECK(h_is_u(0, RP_U_DM, true));
    CHECK_EQ(h.msgs, 0);
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 0, false), NULL, 0), 0);    /* not polled: silent */
    CHECK_EQ(h_send(1, rp_ctl_u(RP_U_DISC, true), NULL, 0), 1);
    CHECK(h_is_u(0, RP_U_DM, true));
    CHECK(!rp_station_connected(&h.st));
}

TEST(snrm_negotiates)
{
    static const uint8_t ua[] = { 0x10, 0x00, 0x40, 0x01 };
    h_init(64, 1);
    CHECK(h_connect(256, 4));
    CHECK(h.lead_zero && h.f[0].n == 4 && memcmp(h.f[0].info, ua, 4) == 0);
    CHECK(h.st.n == 64 && h.st.k == 1);
    h_init(256, 4);
    CHECK(h_connect(32, 7));
    CHECK(h.st.n == 32 && h.st.k == 4);
    CHECK(h.f[0].info[1] == 0x01 && h.f[0].info[2] == 0x00 && h.f[0].info[3] == 4);
    h_init(64, 1);
    CHECK(!h_connect(16, 1));                                        /* N out of range */
    CHECK(h_is_u(0, RP_U_FRMR, true) && !rp_station_connected(&h.st));
    CHECK(!h_connect(64, 0));                                        /* k out of range */
    CHECK_EQ(h_send(1, rp_ctl_u(RP_U_SNRM, true), "\x10\x00", 2), 1);
    CHECK(h_is_u(0, RP_U_FRMR, true) && h.f[0].info[2] == 0x02);
    CHECK(h_connect(64, 1));
    CHECK(rp_station_version(&h.st) == 1u);
    CHECK(h_connect_v(64, 1, 0x20));                                 /* a version 2 primary */
    CHECK(h.f[0].info[0] == 0x20 && rp_station_version(&h.st) == 2u);
    CHECK(h_connect_v(64, 1, 0x21));                                 /* 2.1: UP too (3.8) */
    CHECK(h.f[0].info[0] == (RP_UP ? 0x21 : 0x20) && rp_station_version(&h.st) == 2u);
    CHECK(h_connect_v(64, 1, 0x31));                                 /* a newer one: we say 2.x */
    CHECK(h.f[0].info[0] == (RP_UP ? 0x21 : 0x20) && rp_station_version(&h.st) == 2u);
}

TEST(i_frame_exchange)
{
    static uint8_t buf[RP_MSG_MAX];
    size_t len = 0;
    rp_msg_t m;
    h_init(64, 4);
    CHECK(h_connect(64, 4));
    h.reply = true;
    h.reply_len = 150;
    CHECK_EQ(h_send_msg(0, 0, get_info, 64), 1);
    CHECK(h.msgs == 1 && h.last.verb == RP_GET && strcmp(h.to, "/info") == 0
          && strcmp(h.from, "/#r/1") == 0);
    /* the reply: REP of 150 bytes + header in 59-byte parts, four I-frames, last F */
    CHECK_EQ(h.nf, 4);
    CHECK(h_is_i(0, 0, 1, false) && h_is_i(1, 1, 1, false) && h_is_i(2, 2, 1, false)
          && h_is_i(3, 3, 1, true));
    CHECK(h.f[0].info[0] == 0xC0 && h.f[3].info[0] == 0x03);
    CHECK_EQ(h_collect(buf, sizeof buf, &len), 1);
    CHECK(rp_msg_decode(buf, len, &m) == RP_OK && m.verb == RP_REP && m.body_len == 150
          && strcmp(m.to, "/#r/1") == 0 && m.type != NULL && strcmp(m.type, "t") == 0);
    CHECK(rp_station_tx_free(&h.st) < RP_TXQ_BYTES - H_REC_HDR);
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 4, true), NULL, 0), 1);     /* ack all */
    CHECK(h_is_s(0, RP_S_RR, 1, true));
    CHECK_EQ(rp_station_tx_free(&h.st), RP_TXQ_BYTES - H_REC_HDR);
    CHECK_EQ(rp_station_counters(&h.st)->msgs_tx, 1);
    CHECK_EQ(rp_station_counters(&h.st)->msgs_rx, 1);
    CHECK_EQ(h.unsolicited, 0);
}

TEST(loss_goes_back_n)
{
    h_frame_t first[4];
    h_init(64, 4);
    CHECK(h_connect(64, 4));
    h.reply = true;
    h.reply_len = 150;
    h_send_msg(0, 0, get_info, 64);
    CHECK_EQ(h.nf, 4);
    memcpy(first, h.f, sizeof first);
    /* frames 2 and 3 were lost: the primary polls with N(R) = 2 */
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 2, true), NULL, 0), 2);
    CHECK(h_is_i(0, 2, 1, false) && h_is_i(1, 3, 1, true));
    CHECK(h.f[0].n == first[2].n && memcmp(h.f[0].info, first[2].info, first[2].n) == 0);
    CHECK(h.f[1].n == first[3].n && memcmp(h.f[1].info, first[3].info, first[3].n) == 0);
    CHECK_EQ(rp_station_counters(&h.st)->retransmitted, 2);
    /* everything lost, including our ack: the primary asks again from 2 */
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_REJ, 2, true), NULL, 0), 2);
    CHECK(h_is_i(0, 2, 1, false) && h_is_i(1, 3, 1, true));
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 4, true), NULL, 0), 1);
    CHECK(h_is_s(0, RP_S_RR, 1, true));
    CHECK_EQ(rp_station_counters(&h.st)->msgs_tx, 1);
    /* an N(R) beyond V(S) is invalid */
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 5, true), NULL, 0), 1);
    CHECK(h_is_u(0, RP_U_FRMR, true) && h.f[0].info[2] == 0x08);
    CHECK(h.f[0].info[0] == rp_ctl_s(RP_S_RR, 5, true) && h.f[0].info[1] == ((1 << 5) | (4 << 1)));
}

TEST(duplicates_discarded)
{
    h_init(64, 4);
    CHECK(h_connect(64, 4));
    h_send_msg(0, 0, get_info, 64);
    CHECK_EQ(h.msgs, 1);
    CHECK(h.nf == 1 && h_is_s(0, RP_S_RR, 1, true));
    h_send_msg(0, 0, get_info, 64);                                  /* our RR was lost */
    CHECK_EQ(h.msgs, 1);
    CHECK(h.nf == 1 && h_is_s(0, RP_S_RR, 1, true));                 /* no REJ for a duplicate */
    CHECK_EQ(rp_station_counters(&h.st)->rejects_sent, 0);
    h_send_msg(1, 0, get_info, 64);
    CHECK_EQ(h.msgs, 2);
    CHECK(h_is_s(0, RP_S_RR, 2, true));
}

TEST(rej_once_per_gap)
{
    static char big[200];
    memset(big, 0, sizeof big);
    memcpy(big, "POST /echo\n/#r/2\nL150\n\n", 23);
    memset(big + 23, 'z', 150);
    h_init(64, 4);
    CHECK(h_connect(64, 4));
    /* segment 0 (N(S) 0) is lost; segment 1 arrives with P */
    CHECK_EQ(h_send(1, rp_ctl_i(1, 0, true), "\x41zzzz", 5), 1);
    CHECK(h_is_s(0, RP_S_REJ, 0, true));
    CHECK_EQ(h_send(1, rp_ctl_i(2, 0, true), "\x42zzzz", 5), 1);
    CHECK(h_is_s(0, RP_S_RR, 0, true));                              /* REJ only once */
    CHECK_EQ(rp_station_counters(&h.st)->rejects_sent, 1);
    CHECK_EQ(h.msgs, 0);
    CHECK_EQ(h_send_msg(0, 0, big, 64), 3);                          /* resent from 0 */
    CHECK(h_is_s(0, RP_S_RR, 3, true));
    CHECK(h.msgs == 1 && h.last.body_len == 150 && h.body[149] == 'z');
    CHECK_EQ(h_send(1, rp_ctl_i(6, 0, true), "\x80zz", 3), 1);       /* a new gap: REJ again */
    CHECK(h_is_s(0, RP_S_REJ, 3, true));
    CHECK_EQ(rp_station_counters(&h.st)->rejects_sent, 2);
}

TEST(station_reassembles_and_reports_gaps)
{
    h_init(32, 4);
    CHECK(h_connect(32, 4));
    /* a message in several 27-byte parts */
    CHECK_EQ(h_send_msg(0, 0, "PUT /leds/0\n/#r/19\nTj\nL40\n\n0123456789012345678901234567890123456789", 32), 3);
    CHECK(h.msgs == 1 && h.last.verb == RP_PUT && h.last.body_len == 40 && h.body[39] == '9');
    /* a continuation without FIRST: SEGMENT_GAP, counted and reported */
    CHECK_EQ(h_send(1, rp_ctl_i(3, 0, true), "\x41xx", 3), 1);
    CHECK_EQ(rp_station_counters(&h.st)->errors[RP_ERR_SEGMENT_GAP], 1);
    /* a bad header: counted, not delivered */
    CHECK_EQ(h_send(1, rp_ctl_i(4, 0, true), "\x80GET x\n/y\n", 11), 1);
    CHECK_EQ(rp_station_counters(&h.st)->errors[RP_ERR_BAD_PATH], 1);
    CHECK_EQ(h.msgs, 1);
    CHECK_EQ(h.errors, 2);
}

void run_station_tests(void)
{
    RUN(dm_when_disconnected);
    RUN(snrm_negotiates);
    RUN(i_frame_exchange);
    RUN(loss_goes_back_n);
    RUN(duplicates_discarded);
    RUN(rej_once_per_gap);
    RUN(station_reassembles_and_reports_gaps);
}
