/* One node of the simulated line: a pty the simulator owns, and its two bounded buffers. */
#ifndef LINESIM_NODE_H
#define LINESIM_NODE_H

#include <stddef.h>
#include <stdint.h>

#define LS_BUF 8192 /* bytes per direction per node */

/* A bounded FIFO of bytes. */
typedef struct {
    unsigned char b[LS_BUF];
    size_t head;
    size_t size;
} ls_ring_t;

typedef struct {
    const char *path;  /* the symlink programs open */
    int master;        /* -1 while unplugged */
    int slave;         /* our own slave fd, so programs may open and close the slave freely */
    ls_ring_t tx;      /* written by the program, not yet carried by the line */
    ls_ring_t rx;      /* carried by the line, not yet written to the program */
    int64_t since;     /* when tx last went from empty to non-empty (CLOCK_MONOTONIC ns) */
} ls_node_t;

static inline size_t ring_free(const ls_ring_t *r) { return LS_BUF - r->size; }

/* Removes and returns the first byte; the ring must not be empty. */
static inline unsigned char ring_take(ls_ring_t *r)
{
    unsigned char v = r->b[r->head];
    r->head = (r->head + 1) % LS_BUF;
    r->size--;
    return v;
}

/* Makes a raw-mode pty, keeps the slave open and points n->path at it (replacing what was there).
 * Returns 0, or -1 after printing why to stderr. No effect when already plugged. */
int node_plug(ls_node_t *n);

/* The tty vanishes: removes the link, closes master and slave (whoever has the slave open sees
 * a hang-up); buffered bytes are lost. No effect when unplugged. */
void node_unplug(ls_node_t *n);

/* Reads what the program wrote into tx (as much as fits). Returns 0, or -1 on a failed read
 * (printed to stderr; the caller unplugs the node). */
int node_fill(ls_node_t *n, int64_t now);

/* Writes rx to the program as far as the pty takes it. Returns 0, or -1 as node_fill. */
int node_drain(ls_node_t *n);

/* Appends up to len bytes to rx; returns how many fit (0 while unplugged). */
size_t node_receive(ls_node_t *n, const unsigned char *bytes, size_t len);

#endif
