/* Turnaround accounting of the line simulator (see gaps.h). */
#include "gaps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS (LS_GAP_US_MAX + 1)

int gaps_init(ls_gaps_t *g)
{
    memset(g, 0, sizeof(*g));
    g->hist = calloc((size_t)LS_GAP_KINDS * BUCKETS, sizeof(uint32_t));
    g->last_sender = -1;
    return g->hist ? 0 : -1;
}

void gaps_free(ls_gaps_t *g)
{
    free(g->hist);
    g->hist = NULL;
}

void gaps_reset(ls_gaps_t *g)
{
    uint32_t *hist = g->hist;
    memset(hist, 0, (size_t)LS_GAP_KINDS * BUCKETS * sizeof(uint32_t));
    memset(g, 0, sizeof(*g));
    g->hist = hist;
    g->last_sender = -1;
}

static void file_gap(ls_gaps_t *g, int kind, int64_t ns)
{
    int64_t us = ns / 1000;
    if (us > LS_GAP_US_MAX)
        us = LS_GAP_US_MAX;
    if (g->hist[(size_t)kind * BUCKETS + (size_t)us] < UINT32_MAX)
        g->hist[(size_t)kind * BUCKETS + (size_t)us]++;
    g->n[kind]++;
    g->sum_ns[kind] += (uint64_t)ns;
}

void gaps_byte(ls_gaps_t *g, int sender, int64_t start, int64_t end)
{
    g->busy_ns += (uint64_t)(end - start);
    if (sender >= 0 && sender == g->last_sender && start == g->last_end) {
        g->last_end = end; /* the run goes on */
        return;
    }
    if (sender >= 0 && g->last_sender >= 0) {
        if (start < g->last_end) {
            g->overlaps++;
        } else {
            int kind = sender == g->last_sender ? LS_GAP_SAME
                       : sender == 0            ? LS_GAP_HOST
                       : g->last_sender == 0    ? LS_GAP_STATION
                                                : LS_GAP_OTHER;
            file_gap(g, kind, start - g->last_end);
        }
    }
    g->last_sender = sender;
    g->last_end = end;
}

/* The smallest bucket at or below which a share q of the gaps lie (us). */
static uint64_t quantile(const ls_gaps_t *g, int kind, double q)
{
    uint64_t want = (uint64_t)(q * (double)g->n[kind] + 0.999999);
    uint64_t seen = 0;
    size_t b;
    if (want == 0)
        want = 1;
    for (b = 0; b < BUCKETS; b++) {
        seen += g->hist[(size_t)kind * BUCKETS + b];
        if (seen >= want)
            return b;
    }
    return LS_GAP_US_MAX;
}

void gaps_format(const ls_gaps_t *g, char *out, size_t len)
{
    static const char *names[LS_GAP_KINDS] = { "host", "station", "same", "other" };
    size_t used;
    int k;
    used = (size_t)snprintf(out, len, "GAPS busy_us=%llu overlaps=%llu", (unsigned long long)(g->busy_ns / 1000),
                            (unsigned long long)g->overlaps);
    for (k = 0; k < LS_GAP_KINDS && used < len; k++) {
        uint64_t n = g->n[k];
        used += (size_t)snprintf(out + used, len - used, " %s=%llu,%.1f,%llu,%llu,%llu", names[k],
                                 (unsigned long long)n, n ? (double)g->sum_ns[k] / (double)n / 1000.0 : 0.0,
                                 (unsigned long long)(n ? quantile(g, k, 0.5) : 0),
                                 (unsigned long long)(n ? quantile(g, k, 0.99) : 0),
                                 (unsigned long long)(n ? quantile(g, k, 1.0) : 0));
    }
}
