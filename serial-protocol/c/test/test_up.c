/* test_up.c - the unnumbered poll UP (PROTOCOL.md 3.8): answering in turn, cancelling, and what
 * a station that is not listed, disconnected or behind does. The station is at address 1. */
#include "harness.h"
#include "test.h"

#if RP_UP

static const uint8_t rr_f5[1] = { 0 };      /* (no info) */

/* A UP(P) to FF listing the given addresses. */
static int up(const uint8_t *list, size_t n)
{
    return h_send(RP_BROADCAST, rp_ctl_u(RP_U_UP, true), list, n);
}

/* Station a's final frame RR(F), as the station polled before us would answer. */
static int heard_final(uint8_t a)
{
    return h_send(a, rp_ctl_s(RP_S_RR, 0, true), rr_f5, 0);
}

static bool queue_msg(void)
{
    static const uint8_t body[] = "21.5";
    rp_msg_t m;
    memset(&m, 0, sizeof m);
    m.verb = RP_PUT;
    m.to = "/#x/3";
    m.from = "/t";
    m.eof = true;
    m.flow = -1;
    m.type = "j";
    m.body = body;
    m.body_len = 4;
    return rp_station_send(&h.st, &m);
}

TEST(up_first_answers_at_once)
{
    static const uint8_t list[] = { 1, 2, 3 };
    h_init(64, 2);
    CHECK(h_connect_v(64, 2, 0x21));
    CHECK(h.f[0].info[0] == 0x21);                                   /* 2.1: UP understood */
    CHECK_EQ(up(list, sizeof list), 1);
    CHECK(h.lead_zero && h_is_s(0, RP_S_RR, 0, true));
    CHECK_EQ(heard_final(3), 0);                                     /* the others' answers: nothing */
}

TEST(up_answers_after_the_station_before)
{
    static const uint8_t list[] = { 5, 1, 7 };
    h_init(64, 2);
    CHECK(h_connect_v(64, 2, 0x21));
    CHECK_EQ(up(list, sizeof list), 0);                              /* our turn is after 5's */
    CHECK_EQ(h_send(5, rp_ctl_i(0, 0, false), "\x80x", 2), 0);       /* 5 is still answering */
    CHECK_EQ(h_send(7, rp_ctl_s(RP_S_RR, 0, true), NULL, 0), 0);     /* not the one before us */
    CHECK_EQ(heard_final(5), 1);                                     /* 5 ended: our turn */
    CHECK(h_is_s(0, RP_S_RR, 0, true));
    CHECK_EQ(heard_final(5), 0);                                     /* once */
}

TEST(up_wait_is_cancelled_when_the_primary_speaks)
{
    static const uint8_t list[] = { 5, 1 };
    static const uint8_t other[] = { 2, 3 };
    h_init(64, 2);
    CHECK(h_connect_v(64, 2, 0x21));
    CHECK_EQ(up(list, sizeof list), 0);
    CHECK_EQ(up(other, sizeof other), 0);                            /* a new UP without us */
    CHECK_EQ(heard_final(5), 0);
    CHECK_EQ(up(list, sizeof list), 0);
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 0, true), NULL, 0), 1);     /* polled on our own */
    CHECK_EQ(heard_final(5), 0);                                     /* the old wait is gone */
    CHECK_EQ(up(list, sizeof list), 0);
    CHECK_EQ(h_send(RP_BROADCAST, rp_ctl_u(RP_U_UP, true), NULL, 0), 0); /* an empty UP clears it */
    CHECK_EQ(heard_final(5), 0);
}

TEST(up_not_listed_or_without_poll_bit)
{
    static const uint8_t list[] = { 2, 3 };
    static const uint8_t us[] = { 1 };
    h_init(64, 2);
    CHECK(h_connect_v(64, 2, 0x21));
    CHECK_EQ(up(list, sizeof list), 0);
    CHECK_EQ(heard_final(2), 0);
    CHECK_EQ(heard_final(3), 0);
    CHECK_EQ(h_send(RP_BROADCAST, rp_ctl_u(RP_U_UP, false), us, 1), 0); /* P = 0: no poll */
    CHECK_EQ(h_send(1, rp_ctl_u(RP_U_UP, true), us, 1), 1);          /* not to FF: invalid */
    CHECK(h_is_u(0, RP_U_FRMR, true) && h.f[0].info[2] == 0x01 && !rp_station_connected(&h.st));
}

TEST(up_answer_carries_what_the_station_has)
{
    static const uint8_t list[] = { 4, 1 };
    const rp_counters_t *c;
    h_init(64, 2);
    CHECK(h_connect_v(64, 2, 0x21));
    CHECK(queue_msg());
    CHECK_EQ(up(list, sizeof list), 0);
    CHECK_EQ(heard_final(4), 1);
    CHECK(h_is_i(0, 0, 0, true) && h.f[0].info[0] == 0x80);          /* one message, F on it */
    /* a UP acknowledges nothing: polled again by one, the station resends (go-back-N) */
    c = rp_station_counters(&h.st);
    CHECK_EQ(up(list + 1, 1), 1);
    CHECK(h_is_i(0, 0, 0, true) && c->retransmitted == 1);
    CHECK_EQ(h_send(1, rp_ctl_s(RP_S_RR, 1, true), NULL, 0), 1);     /* acknowledged on its own */
    CHECK(h_is_s(0, RP_S_RR, 0, true) && c->msgs_tx == 1);
    CHECK_EQ(up(list + 1, 1), 1);
    CHECK(h_is_s(0, RP_S_RR, 0, true));
}

TEST(up_to_a_disconnected_station_gets_dm_in_turn)
{
    static const uint8_t list[] = { 6, 1 };
    static const uint8_t first[] = { 1, 6 };
    h_init(64, 2);
    CHECK_EQ(up(first, sizeof first), 1);
    CHECK(h_is_u(0, RP_U_DM, true));
    CHECK_EQ(up(list, sizeof list), 0);
    CHECK_EQ(heard_final(6), 1);
    CHECK(h_is_u(0, RP_U_DM, true));
}

TEST(up_no_wait_is_not_a_wait_for_address_00)
{
    static const uint8_t list[] = { 1, 2 };
    h_init(64, 2);
    CHECK_EQ(h_send(0, rp_ctl_s(RP_S_RR, 0, true), NULL, 0), 0);     /* fresh: waits for no one */
    CHECK(h_connect_v(64, 2, 0x21));
    CHECK_EQ(up(list, sizeof list), 1);                              /* first: answered, no wait */
    CHECK_EQ(h_send(0, rp_ctl_s(RP_S_RR, 0, true), NULL, 0), 0);
    CHECK_EQ(heard_final(2), 0);
}

TEST(up_station_says_2_0_to_a_2_0_primary)
{
    h_init(64, 2);
    CHECK(h_connect_v(64, 2, 0x20));
    CHECK(h.f[0].info[0] == 0x20);
}

void run_up_tests(void)
{
    RUN(up_first_answers_at_once);
    RUN(up_answers_after_the_station_before);
    RUN(up_wait_is_cancelled_when_the_primary_speaks);
    RUN(up_not_listed_or_without_poll_bit);
    RUN(up_answer_carries_what_the_station_has);
    RUN(up_to_a_disconnected_station_gets_dm_in_turn);
    RUN(up_no_wait_is_not_a_wait_for_address_00);
    RUN(up_station_says_2_0_to_a_2_0_primary);
}

#else

void run_up_tests(void)
{
}

#endif
