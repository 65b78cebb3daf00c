/* ferry-linesim: a simulated serial line (UART or RS-485 bus) between a host and N devices.
 *
 *   ferry-linesim --host PATH --device PATH [--device PATH ...] [--baud 115200] [--ber 0]
 *                 [--drop 0] [--seed 1] [--bus]
 *
 * One process, one thread, one ppoll loop. Every node is a pty this process owns (it keeps the
 * slave open, so programs may open and close it freely); PATH is a symlink to its /dev/pts/N.
 * Bytes move as medium.h describes. Control on stdin, one line per command, one reply line on
 * stdout each: "READY" once every link exists; "unplug" (the host tty vanishes) -> OK;
 * "replug" (a new host pty at the same path) -> OK | ERR ...; "stats" -> "STATS sent=..
 * delivered=.. flipped=.. dropped=.. collisions=.. overruns=.."; "gaps" -> the turnaround
 * accounting since the start or the last "gapsreset" (-> OK), as gaps.h describes; "quit" -> OK,
 * then exit.
 * End of input, SIGTERM, SIGINT or SIGHUP: remove the links and exit 0. Errors go to stderr.
 */
#define _GNU_SOURCE 1 /* ppoll */

#include "medium.h"
#include "node.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define SPIN_NS 60000LL /* the last part of every wait is a busy wait on the clock */
#define CONTROL_MAX 256

typedef struct {
    long baud;
    double ber;
    double drop;
    unsigned long long seed;
    int bus;
    int nnodes;             /* host + devices */
    const char **paths;     /* [0] host */
} options_t;

typedef struct {
    char buf[CONTROL_MAX];
    size_t len;
    int eof;
    int quit;
} control_t;

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    (void)sig;
    stop_signal = 1;
}

static int64_t mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int usage(void)
{
    fprintf(stderr, "usage: ferry-linesim --host PATH --device PATH [--device PATH ...] [--baud N] [--ber X]"
                    " [--drop P] [--seed S] [--bus]\n");
    return 2;
}

static int parse(int argc, char **argv, options_t *o)
{
    const char *host = NULL;
    int i;
    int ndev = 0;
    char *end;
    o->baud = 115200;
    o->ber = 0;
    o->drop = 0;
    o->seed = 1;
    o->bus = 0;
    o->paths = calloc((size_t)argc + 1, sizeof(char *));
    if (!o->paths)
        return -1;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--bus") == 0) {
            o->bus = 1;
            continue;
        }
        if (v == NULL)
            return -1;
        i++;
        errno = 0;
        end = NULL;
        if (strcmp(a, "--host") == 0) {
            host = v;
        } else if (strcmp(a, "--device") == 0) {
            o->paths[1 + ndev++] = v;
        } else if (strcmp(a, "--baud") == 0) {
            o->baud = strtol(v, &end, 10);
        } else if (strcmp(a, "--ber") == 0) {
            o->ber = strtod(v, &end);
        } else if (strcmp(a, "--drop") == 0) {
            o->drop = strtod(v, &end);
        } else if (strcmp(a, "--seed") == 0) {
            o->seed = (unsigned long long)strtoll(v, &end, 10);
        } else {
            return -1;
        }
        if (end != NULL && (*end != '\0' || errno != 0))
            return -1;
    }
    if (host == NULL || ndev == 0 || o->baud <= 0 || o->ber < 0 || o->ber > 1 || o->drop < 0 || o->drop > 1)
        return -1;
    o->paths[0] = host;
    o->nnodes = 1 + ndev;
    return 0;
}

static void reply(const char *line)
{
    fputs(line, stdout);
    fputc('\n', stdout);
    fflush(stdout);
}

static void command(const char *cmd, ls_node_t *host, ls_medium_t *m, control_t *ctl)
{
    char out[CONTROL_MAX + 256];
    if (cmd[0] == '\0')
        return;
    if (strcmp(cmd, "unplug") == 0) {
        node_unplug(host);
        reply("OK");
    } else if (strcmp(cmd, "replug") == 0) {
        reply(node_plug(host) == 0 ? "OK" : "ERR cannot make the host pty");
    } else if (strcmp(cmd, "stats") == 0) {
        snprintf(out, sizeof(out), "STATS sent=%llu delivered=%llu flipped=%llu dropped=%llu collisions=%llu"
                 " overruns=%llu", (unsigned long long)m->c.sent, (unsigned long long)m->c.delivered,
                 (unsigned long long)m->c.flipped, (unsigned long long)m->c.dropped,
                 (unsigned long long)m->c.collisions, (unsigned long long)m->c.overruns);
        reply(out);
    } else if (strcmp(cmd, "gaps") == 0) {
        gaps_format(&m->gaps, out, sizeof(out));
        reply(out);
    } else if (strcmp(cmd, "gapsreset") == 0) {
        gaps_reset(&m->gaps);
        reply("OK");
    } else if (strcmp(cmd, "quit") == 0) {
        ctl->quit = 1;
        reply("OK");
    } else {
        snprintf(out, sizeof(out), "ERR unknown command: %s", cmd);
        reply(out);
    }
}

/* Reads what is available on stdin and runs every complete line. */
static void read_control(control_t *ctl, ls_node_t *host, ls_medium_t *m)
{
    ssize_t got = read(STDIN_FILENO, ctl->buf + ctl->len, sizeof(ctl->buf) - 1 - ctl->len);
    char *nl;
    if (got < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (got <= 0) {
        ctl->eof = 1;
        return;
    }
    ctl->len += (size_t)got;
    ctl->buf[ctl->len] = '\0';
    while (!ctl->quit && (nl = memchr(ctl->buf, '\n', ctl->len)) != NULL) {
        size_t line = (size_t)(nl - ctl->buf);
        *nl = '\0';
        if (line > 0 && ctl->buf[line - 1] == '\r')
            ctl->buf[line - 1] = '\0';
        command(ctl->buf, host, m, ctl);
        memmove(ctl->buf, nl + 1, ctl->len - line - 1);
        ctl->len -= line + 1;
        ctl->buf[ctl->len] = '\0';
    }
    if (ctl->len == sizeof(ctl->buf) - 1) {
        reply("ERR command too long");
        ctl->len = 0;
    }
}

static void fail_node(ls_node_t *n)
{
    fprintf(stderr, "ferry-linesim: %s unplugged after an I/O error\n", n->path);
    node_unplug(n);
}

/* Waits for I/O until the deadline (spinning the last SPIN_NS); handles what arrived. */
static int wait_and_serve(options_t *o, ls_node_t *nodes, struct pollfd *fds, const sigset_t *mask,
                          int64_t deadline, control_t *ctl, ls_medium_t *m)
{
    struct timespec ts;
    int64_t wait = 0;
    int i;
    int r;
    fds[0].fd = ctl->eof ? -1 : STDIN_FILENO;
    fds[0].events = POLLIN;
    for (i = 0; i < o->nnodes; i++) {
        fds[1 + i].fd = nodes[i].master;
        fds[1 + i].events = (short)((ring_free(&nodes[i].tx) > 0 ? POLLIN : 0) | (nodes[i].rx.size > 0 ? POLLOUT : 0));
        fds[1 + i].revents = 0;
    }
    if (deadline != LS_NEVER) {
        wait = deadline - mono() - SPIN_NS;
        if (wait < 0)
            wait = 0;
        ts.tv_sec = (time_t)(wait / 1000000000LL);
        ts.tv_nsec = (long)(wait % 1000000000LL);
    }
    r = ppoll(fds, (nfds_t)(1 + o->nnodes), deadline == LS_NEVER ? NULL : &ts, mask);
    if (r < 0)
        return errno == EINTR ? 0 : -1;
    if (r == 0) {
        while (deadline != LS_NEVER && deadline - mono() > 0 && deadline - mono() <= 2 * SPIN_NS)
            ; /* on time, not a scheduler tick late */
        return 0;
    }
    if (fds[0].revents)
        read_control(ctl, &nodes[0], m);
    for (i = 0; i < o->nnodes; i++) {
        short ev = fds[1 + i].revents;
        if (nodes[i].master < 0 || fds[1 + i].fd != nodes[i].master)
            continue; /* unplugged (or replugged) by a command just now */
        if ((ev & (POLLIN | POLLHUP | POLLERR)) && node_fill(&nodes[i], mono()) != 0)
            fail_node(&nodes[i]);
        else if ((ev & POLLOUT) && node_drain(&nodes[i]) != 0)
            fail_node(&nodes[i]);
    }
    return 0;
}

int main(int argc, char **argv)
{
    options_t o;
    ls_medium_t m;
    control_t ctl;
    ls_node_t *nodes;
    struct pollfd *fds;
    struct sigaction sa;
    sigset_t blocked;
    sigset_t orig;
    int i;
    int status = 0;

    if (parse(argc, argv, &o) != 0) {
        free(o.paths);
        return usage();
    }
    nodes = calloc((size_t)o.nnodes, sizeof(ls_node_t));
    fds = calloc((size_t)o.nnodes + 1, sizeof(struct pollfd));
    memset(&ctl, 0, sizeof(ctl));
    if (!nodes || !fds || medium_init(&m, nodes, o.nnodes, o.baud, o.ber, o.drop, o.seed, o.bus) != 0) {
        fprintf(stderr, "ferry-linesim: out of memory\n");
        return 1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGTERM);
    sigaddset(&blocked, SIGINT);
    sigaddset(&blocked, SIGHUP);
    sigprocmask(SIG_BLOCK, &blocked, &orig); /* delivered only inside ppoll */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    prctl(PR_SET_TIMERSLACK, 1000UL, 0UL, 0UL, 0UL); /* wake within ~1 us of the timeout */

    for (i = 0; i < o.nnodes; i++) {
        nodes[i].path = o.paths[i];
        nodes[i].master = -1;
        nodes[i].slave = -1;
    }
    for (i = 0; i < o.nnodes && status == 0; i++)
        status = node_plug(&nodes[i]) == 0 ? 0 : 1;
    if (status == 0)
        reply("READY");

    while (status == 0 && !stop_signal && !ctl.eof && !ctl.quit) {
        int64_t deadline = medium_advance(&m, mono());
        for (i = 0; i < o.nnodes; i++) {
            if (nodes[i].rx.size > 0 && node_drain(&nodes[i]) != 0)
                fail_node(&nodes[i]);
        }
        if (wait_and_serve(&o, nodes, fds, &orig, deadline, &ctl, &m) != 0) {
            fprintf(stderr, "ferry-linesim: ppoll failed: %s\n", strerror(errno));
            status = 1;
        }
    }

    for (i = 0; i < o.nnodes; i++)
        node_unplug(&nodes[i]);
    medium_free(&m);
    free(fds);
    free(nodes);
    free(o.paths);
    return status;
}
