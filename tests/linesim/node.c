/* Pty handling for one node of the simulated line. */
#define _XOPEN_SOURCE 600 /* posix_openpt, grantpt, unlockpt, ptsname */
#define _DEFAULT_SOURCE 1 /* cfmakeraw, symlink */

#include "node.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static int make_raw(int fd)
{
    struct termios t;
    if (tcgetattr(fd, &t) != 0)
        return -1;
    cfmakeraw(&t);
    t.c_cflag |= CLOCAL | CREAD;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    return tcsetattr(fd, TCSANOW, &t);
}

static int set_flags(int fd, int nonblock)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
        return -1;
    return fcntl(fd, F_SETFL, nonblock ? (fl | O_NONBLOCK) : fl);
}

int node_plug(ls_node_t *n)
{
    const char *name;
    if (n->master >= 0)
        return 0;
    n->master = posix_openpt(O_RDWR | O_NOCTTY);
    if (n->master < 0 || grantpt(n->master) != 0 || unlockpt(n->master) != 0
        || (name = ptsname(n->master)) == NULL || set_flags(n->master, 1) != 0) {
        fprintf(stderr, "ferry-linesim: cannot open a pty for %s: %s\n", n->path, strerror(errno));
        node_unplug(n);
        return -1;
    }
    n->slave = open(name, O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (n->slave < 0 || set_flags(n->slave, 1) != 0 || make_raw(n->slave) != 0) {
        fprintf(stderr, "ferry-linesim: cannot set up %s for %s: %s\n", name, n->path, strerror(errno));
        node_unplug(n);
        return -1;
    }
    if ((unlink(n->path) != 0 && errno != ENOENT) || symlink(name, n->path) != 0) {
        fprintf(stderr, "ferry-linesim: cannot link %s to %s: %s\n", n->path, name, strerror(errno));
        node_unplug(n);
        return -1;
    }
    n->tx.head = n->tx.size = 0;
    n->rx.head = n->rx.size = 0;
    return 0;
}

void node_unplug(ls_node_t *n)
{
    if (n->master >= 0 && unlink(n->path) != 0 && errno != ENOENT)
        fprintf(stderr, "ferry-linesim: cannot remove %s: %s\n", n->path, strerror(errno));
    if (n->master >= 0)
        close(n->master); /* hangs up the slave for everybody who has it open */
    if (n->slave >= 0)
        close(n->slave);
    n->master = -1;
    n->slave = -1;
    n->tx.head = n->tx.size = 0;
    n->rx.head = n->rx.size = 0;
}

int node_fill(ls_node_t *n, int64_t now)
{
    while (n->master >= 0 && ring_free(&n->tx) > 0) {
        size_t tail = (n->tx.head + n->tx.size) % LS_BUF;
        size_t room = tail >= n->tx.head && n->tx.size < LS_BUF ? LS_BUF - tail : n->tx.head - tail;
        ssize_t got = read(n->master, n->tx.b + tail, room);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        if (got <= 0) {
            fprintf(stderr, "ferry-linesim: read from %s failed: %s\n", n->path,
                    got == 0 ? "end of file" : strerror(errno));
            return -1;
        }
        if (n->tx.size == 0)
            n->since = now;
        n->tx.size += (size_t)got;
    }
    return 0;
}

int node_drain(ls_node_t *n)
{
    while (n->master >= 0 && n->rx.size > 0) {
        size_t run = n->rx.head + n->rx.size <= LS_BUF ? n->rx.size : LS_BUF - n->rx.head;
        ssize_t put = write(n->master, n->rx.b + n->rx.head, run);
        if (put < 0 && errno == EINTR)
            continue;
        if (put < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        if (put <= 0) {
            fprintf(stderr, "ferry-linesim: write to %s failed: %s\n", n->path, strerror(errno));
            return -1;
        }
        n->rx.head = (n->rx.head + (size_t)put) % LS_BUF;
        n->rx.size -= (size_t)put;
    }
    return 0;
}

size_t node_receive(ls_node_t *n, const unsigned char *bytes, size_t len)
{
    size_t i;
    size_t take;
    if (n->master < 0)
        return 0;
    take = len < ring_free(&n->rx) ? len : ring_free(&n->rx);
    for (i = 0; i < take; i++)
        n->rx.b[(n->rx.head + n->rx.size + i) % LS_BUF] = bytes[i];
    n->rx.size += take;
    return take;
}
