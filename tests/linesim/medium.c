/* The slot engine of the line simulator (see medium.h). */
#include "medium.h"

#include <stdlib.h>
#include <string.h>

struct ls_lane {
    int *senders;   /* node indexes that may transmit */
    int nsenders;
    int *members;   /* node indexes that may receive */
    int nmembers;
    unsigned char (*pending)[LS_CHUNK]; /* per member: carried, not yet delivered */
    int *plen;
    int64_t base;     /* start of slot 0, or -1 while idle */
    int64_t slot;
    int64_t last_end; /* end of the previous burst */
};

/* splitmix64: small, fast, and good enough for noise. */
static uint64_t rng_next(ls_medium_t *m)
{
    uint64_t z = (m->rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rng_double(ls_medium_t *m)
{
    return (double)(rng_next(m) >> 11) * (1.0 / 9007199254740992.0);
}

static int lane_init(ls_lane_t *l, const int *senders, int ns, const int *members, int nm)
{
    l->senders = malloc(sizeof(int) * (size_t)ns);
    l->members = malloc(sizeof(int) * (size_t)nm);
    l->pending = malloc(sizeof(*l->pending) * (size_t)nm);
    l->plen = calloc((size_t)nm, sizeof(int));
    if (!l->senders || !l->members || !l->pending || !l->plen)
        return -1;
    memcpy(l->senders, senders, sizeof(int) * (size_t)ns);
    memcpy(l->members, members, sizeof(int) * (size_t)nm);
    l->nsenders = ns;
    l->nmembers = nm;
    l->base = -1;
    l->slot = 0;
    l->last_end = 0;
    return 0;
}

int medium_init(ls_medium_t *m, ls_node_t *nodes, int nnodes, long baud, double ber, double drop,
                uint64_t seed, int bus)
{
    int *all = malloc(sizeof(int) * (size_t)nnodes);
    int i;
    int ok;
    memset(m, 0, sizeof(*m));
    m->nodes = nodes;
    m->nnodes = nnodes;
    m->baud = baud;
    m->ber = ber;
    m->drop = drop;
    m->rng = seed;
    m->nlanes = bus || nnodes > 2 ? 1 : 2;
    m->lanes = calloc((size_t)m->nlanes, sizeof(ls_lane_t));
    m->sending = calloc((size_t)nnodes, 1);
    if (!all || !m->lanes || !m->sending || gaps_init(&m->gaps) != 0) {
        free(all);
        return -1;
    }
    for (i = 0; i < nnodes; i++)
        all[i] = i;
    if (m->nlanes == 1) {
        ok = lane_init(&m->lanes[0], all, nnodes, all, nnodes) == 0;
    } else {
        ok = lane_init(&m->lanes[0], &all[0], 1, all, nnodes) == 0
             && lane_init(&m->lanes[1], &all[1], 1, all, nnodes) == 0;
    }
    free(all);
    return ok ? 0 : -1;
}

void medium_free(ls_medium_t *m)
{
    int i;
    for (i = 0; m->lanes && i < m->nlanes; i++) {
        free(m->lanes[i].senders);
        free(m->lanes[i].members);
        free(m->lanes[i].pending);
        free(m->lanes[i].plen);
    }
    free(m->lanes);
    free(m->sending);
    gaps_free(&m->gaps);
    m->lanes = NULL;
    m->sending = NULL;
}

/* Start of slot k: exact (no accumulated rounding), so pacing does not drift. */
static int64_t slot_start(const ls_medium_t *m, const ls_lane_t *l, int64_t k)
{
    int64_t bits = k * 10;
    return l->base + bits / m->baud * 1000000000LL + bits % m->baud * 1000000000LL / m->baud;
}

static int64_t earliest_waiting(const ls_medium_t *m, const ls_lane_t *l)
{
    int64_t earliest = LS_NEVER;
    int i;
    for (i = 0; i < l->nsenders; i++) {
        const ls_node_t *n = &m->nodes[l->senders[i]];
        if (n->master >= 0 && n->tx.size > 0 && n->since < earliest)
            earliest = n->since;
    }
    return earliest;
}

/* Marks in m->sending the senders with a byte waiting since slot_begin; returns how many, and
 * in *longest the longest of their queues. */
static int mark_sending(ls_medium_t *m, const ls_lane_t *l, int64_t slot_begin, size_t *longest)
{
    int count = 0;
    int i;
    *longest = 1;
    for (i = 0; i < l->nmembers; i++)
        m->sending[l->members[i]] = 0; /* another lane may have marked them */
    for (i = 0; i < l->nsenders; i++) {
        const ls_node_t *n = &m->nodes[l->senders[i]];
        int on = n->master >= 0 && n->tx.size > 0 && n->since <= slot_begin;
        m->sending[l->senders[i]] = (unsigned char)on;
        if (on) {
            count++;
            if (n->tx.size > *longest)
                *longest = n->tx.size;
        }
    }
    return count;
}

static void deliver(ls_medium_t *m, ls_lane_t *l, int member)
{
    size_t len = (size_t)l->plen[member];
    size_t taken = node_receive(&m->nodes[l->members[member]], l->pending[member], len);
    m->c.delivered += taken;
    m->c.overruns += len - taken;
    l->plen[member] = 0;
}

static void flush(ls_medium_t *m, ls_lane_t *l)
{
    int i;
    for (i = 0; i < l->nmembers; i++) {
        if (l->plen[i] > 0)
            deliver(m, l, i);
    }
}

/* One slot: take a byte from every marked sender, garble, and queue it for every other member. */
static void carry(ls_medium_t *m, ls_lane_t *l, int count)
{
    unsigned value = 0;
    int sender = -1;
    int i;
    int bit;
    for (i = 0; i < l->nsenders; i++) {
        ls_node_t *n = &m->nodes[l->senders[i]];
        if (m->sending[l->senders[i]]) {
            value = ring_take(&n->tx);
            m->c.sent++;
            sender = l->senders[i];
        }
    }
    gaps_byte(&m->gaps, count > 1 ? -1 : sender, slot_start(m, l, l->slot), slot_start(m, l, l->slot + 1));
    if (count > 1) {
        m->c.collisions++;
        value = (unsigned)(rng_next(m) >> 56);
    }
    if (m->drop > 0 && rng_double(m) < m->drop) {
        m->c.dropped++;
        return;
    }
    if (m->ber > 0) {
        for (bit = 0; bit < 8; bit++) {
            if (rng_double(m) < m->ber) {
                value ^= 1u << bit;
                m->c.flipped++;
            }
        }
    }
    for (i = 0; i < l->nmembers; i++) {
        if (!m->sending[l->members[i]]) {
            l->pending[i][l->plen[i]++] = (unsigned char)value;
            if (l->plen[i] == LS_CHUNK)
                deliver(m, l, i);
        }
    }
}

static int64_t lane_advance(ls_medium_t *m, ls_lane_t *l, int64_t now)
{
    if (l->base < 0) {
        int64_t earliest = earliest_waiting(m, l);
        if (earliest == LS_NEVER)
            return LS_NEVER;
        l->base = earliest;
        if (l->last_end > l->base)
            l->base = l->last_end;
        if (now - 1 > l->base)
            l->base = now - 1;
        l->slot = 0;
    }
    for (;;) {
        int64_t start = slot_start(m, l, l->slot);
        size_t longest;
        int count = mark_sending(m, l, start, &longest);
        if (count == 0) {
            if (earliest_waiting(m, l) == LS_NEVER) {
                l->base = -1; /* idle: the next byte starts a new slot grid */
                l->last_end = start;
                flush(m, l);
                return LS_NEVER;
            }
            l->slot++; /* a byte arrived during this slot: it starts in the next one */
            continue;
        }
        if (slot_start(m, l, l->slot + 1) > now)
            return slot_start(m, l, l->slot + (int64_t)(longest < LS_CHUNK ? longest : LS_CHUNK));
        carry(m, l, count);
        l->slot++;
    }
}

int64_t medium_advance(ls_medium_t *m, int64_t now)
{
    int64_t next = LS_NEVER;
    int i;
    for (i = 0; i < m->nlanes; i++) {
        int64_t t = lane_advance(m, &m->lanes[i], now);
        if (t < next)
            next = t;
    }
    return next;
}
