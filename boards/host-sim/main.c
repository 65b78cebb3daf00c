/*
 * ferry-host-sim - the reference firmware as a Linux process on a serial line.
 *
 *   ferry-host-sim [--tty PATH] [--baud B] [--addr A] [--frame N] [--window K]
 *                  [--board NAME] [--blob-kib N] [--stations S]
 *
 * --stations S serves S stations at addresses A..A+S-1 on the one line, as S MCUs on one
 * multi-drop segment would: each has its own link state and resource tree (its own fw_state
 * block, firmware.h), and every received byte goes to every station's decoder. Only the process
 * is shared (one pty, one wake-up per batch of bytes instead of S), which is what a 2-core machine
 * needs to simulate a busy segment; S = 1 (the default) is the one-MCU-per-process rig.
 *
 * Without --tty it opens a pseudo-terminal, puts it in raw mode, prints "PTY /dev/pts/N" as the
 * first line on stdout and serves on it (it keeps the slave open itself so that clients may come
 * and go). With --tty it serves on that device and exits with code 3 when it hangs up.
 * SIGTERM/SIGINT end it with code 0. Diagnostics go to stderr.
 */
#define _DEFAULT_SOURCE 1           /* cfmakeraw, posix_openpt, ptsname */
#define _XOPEN_SOURCE 600

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "firmware.h"
#include "rp.h"

#define EXIT_USAGE 2
#define EXIT_HANGUP 3
#define EXIT_IO 4

static int line_fd = -1;
static volatile sig_atomic_t stop_requested;
static struct timespec t0;

/* ---- board hooks ----------------------------------------------------------------------- */

/* The station hands over a frame one COBS group at a time. Like an MCU's transmit ring, collect
 * them and let the main loop write what a batch of received bytes produced in one go: one
 * syscall per answer instead of one per group, and no gaps between a frame's pieces. */
static uint8_t tx_buf[65536];
static size_t tx_len;

/* With --stations S > 1 the stations share one segment, so each hears what the others send,
 * as MCUs on one RS-485 pair do (a UP's next station answers when it hears the final frame of
 * the one before it, PROTOCOL.md 3.8). The simulator does not echo a node's bytes back to it,
 * so the process does: every answer's bytes (a span of tx_buf, with the station that wrote
 * them) are fed to every other station's decoder before the buffer is written. What a station
 * answers to that is appended and heard in turn; written together, the simulator carries them
 * back to back, as MCUs that answer within a fraction of a character time would. */
#define SPANS_MAX 1024
static struct { long station; size_t at, n; } spans[SPANS_MAX];
static int nspans;
static long writer = -1;        /* the station being fed now; -1 outside the loop */
static int spans_lost;          /* tx_buf was flushed early or spans overflowed: stop looping back */

static void write_all(const uint8_t *bytes, size_t n)
{
    while (n > 0) {
        ssize_t w = write(line_fd, bytes, n);
        if (w > 0) {
            bytes += w;
            n -= (size_t)w;
        } else if (w < 0 && errno == EAGAIN) {
            struct pollfd p = { line_fd, POLLOUT, 0 };
            (void)poll(&p, 1, 100);
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else {
            fprintf(stderr, "ferry-host-sim: write failed: %s\n", strerror(errno));
            return;                     /* the line is gone; the poll loop will notice */
        }
    }
}

static void tx_flush(void)
{
    write_all(tx_buf, tx_len);
    tx_len = 0;
    if (nspans > 0)
        spans_lost = 1;
}

void board_uart_write(const uint8_t *bytes, size_t n)
{
    if (tx_len + n > sizeof tx_buf)
        tx_flush();
    if (n > sizeof tx_buf) {
        write_all(bytes, n);
        return;
    }
    memcpy(tx_buf + tx_len, bytes, n);
    if (writer >= 0 && nspans > 0 && spans[nspans - 1].station == writer
        && spans[nspans - 1].at + spans[nspans - 1].n == tx_len) {
        spans[nspans - 1].n += n;
    } else if (writer >= 0 && nspans < SPANS_MAX) {
        spans[nspans].station = writer;
        spans[nspans].at = tx_len;
        spans[nspans].n = n;
        nspans++;
    } else if (writer >= 0) {
        spans_lost = 1;
    }
    tx_len += n;
}

/* Feeds bytes the line carried to station s (which may answer: appended to tx_buf). */
static void feed(struct fw_state **stations, long s, const uint8_t *bytes, size_t n)
{
    size_t k;
    writer = s;
    fw_select(stations[s]);
    for (k = 0; k < n; k++)
        fw_rx(bytes[k]);
    writer = -1;
}

/* Every station's answer, heard by every other station (see spans above), until none answers. */
static void loop_back(struct fw_state **stations, long nstations)
{
    int i;
    long s;
    for (i = 0; i < nspans && !spans_lost; i++) {
        for (s = 0; s < nstations; s++) {
            if (s != spans[i].station)
                feed(stations, s, tx_buf + spans[i].at, spans[i].n);
        }
    }
    nspans = 0;
    spans_lost = 0;
}

uint32_t board_millis(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint32_t)((t.tv_sec - t0.tv_sec) * 1000L + (t.tv_nsec - t0.tv_nsec) / 1000000L);
}

int16_t board_temp_deci(uint32_t n)
{
    return fw_sim_temp_deci(n);
}

void board_led_set(uint8_t idx, bool on)
{
    fprintf(stderr, "ferry-host-sim: led %u %s\n", (unsigned)idx, on ? "on" : "off");
}

/* ---- line set-up ----------------------------------------------------------------------- */

static int make_raw(int fd, speed_t speed)
{
    struct termios t;
    if (tcgetattr(fd, &t) != 0)
        return -1;
    cfmakeraw(&t);
    t.c_cflag |= CLOCAL | CREAD;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (speed) {
        cfsetispeed(&t, speed);
        cfsetospeed(&t, speed);
    }
    return tcsetattr(fd, TCSANOW, &t);
}

static speed_t baud_to_speed(long baud)
{
    switch (baud) {
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    case 460800: return B460800;
    case 921600: return B921600;
    default: return 0;
    }
}

/* Opens a pty; returns the master and leaves the slave open in *keep. */
static int open_pty(int *keep)
{
    const char *name;
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0 || (name = ptsname(m)) == NULL)
        return -1;
    *keep = open(name, O_RDWR | O_NOCTTY);
    if (*keep < 0 || make_raw(*keep, 0) != 0)
        return -1;
    printf("PTY %s\n", name);
    fflush(stdout);
    return m;
}

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static long opt_num(const char *name, const char *v, long lo, long hi)
{
    char *end;
    long x = strtol(v ? v : "", &end, 10);
    if (!v || *end || x < lo || x > hi) {
        fprintf(stderr, "ferry-host-sim: %s needs a number in %ld..%ld\n", name, lo, hi);
        exit(EXIT_USAGE);
    }
    return x;
}

/* ---- main ------------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    fw_config_t cfg = { "host-sim", 1, 256, 4, 4 };
    const char *tty = NULL;
    long baud = 115200;
    int keep = -1, i;
    long nstations = 1, s;
    struct fw_state **stations;
    struct sigaction sa;
    uint8_t buf[512];
    uint32_t drops = 0;

    for (i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(o, "--tty") == 0 && v)
            tty = v;
        else if (strcmp(o, "--board") == 0 && v)
            cfg.board = v;
        else if (strcmp(o, "--addr") == 0)
            cfg.address = (uint8_t)opt_num(o, v, 1, 254);
        else if (strcmp(o, "--frame") == 0)
            cfg.frame = (uint16_t)opt_num(o, v, 32, RP_FRAME_MAX);
        else if (strcmp(o, "--window") == 0)
            cfg.window = (uint8_t)opt_num(o, v, 1, RP_WINDOW_MAX);
        else if (strcmp(o, "--blob-kib") == 0)
            cfg.blob_kib = (uint16_t)opt_num(o, v, 0, FW_BLOB_KIB_MAX);
        else if (strcmp(o, "--baud") == 0)
            baud = opt_num(o, v, 1, 4000000);
        else if (strcmp(o, "--stations") == 0)
            nstations = opt_num(o, v, 1, 254);
        else {
            fprintf(stderr, "usage: ferry-host-sim [--tty PATH] [--baud B] [--addr A] "
                            "[--frame N] [--window K] [--board NAME] [--blob-kib N] [--stations S]\n");
            return EXIT_USAGE;
        }
        i++;
    }

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    clock_gettime(CLOCK_MONOTONIC, &t0);

    if (tty) {
        line_fd = open(tty, O_RDWR | O_NOCTTY);
        if (line_fd < 0 || make_raw(line_fd, baud_to_speed(baud)) != 0) {
            fprintf(stderr, "ferry-host-sim: cannot open %s: %s\n", tty, strerror(errno));
            return EXIT_IO;
        }
    } else if ((line_fd = open_pty(&keep)) < 0) {
        fprintf(stderr, "ferry-host-sim: cannot open a pty: %s\n", strerror(errno));
        return EXIT_IO;
    }
    if (cfg.address + nstations - 1 > 254) {
        fprintf(stderr, "ferry-host-sim: addresses %u..%ld do not fit in 1..254\n", (unsigned)cfg.address,
                cfg.address + nstations - 1);
        return EXIT_USAGE;
    }
    stations = calloc((size_t)nstations, sizeof *stations);
    for (s = 0; stations && s < nstations; s++) {
        fw_config_t c = cfg;
        if ((stations[s] = calloc(1, fw_state_size())) == NULL)
            break;
        c.address = (uint8_t)(cfg.address + s);
        fw_select(stations[s]);
        fw_init(&c);
    }
    if (!stations || s < nstations) {
        fprintf(stderr, "ferry-host-sim: out of memory for %ld stations\n", nstations);
        return EXIT_IO;
    }
    fprintf(stderr, "ferry-host-sim: board %s addr %u..%ld frame %u window %u on %s\n", cfg.board,
            (unsigned)cfg.address, cfg.address + nstations - 1, (unsigned)cfg.frame, (unsigned)cfg.window,
            tty ? tty : "pty");

    while (!stop_requested) {
        struct pollfd p = { line_fd, POLLIN, 0 };
        uint32_t idle = 0xFFFFFFFFu;
        int r;
        for (s = 0; s < nstations; s++) {
            uint32_t own;
            fw_select(stations[s]);
            fw_tick();
            own = fw_idle_ms();
            if (own < idle)
                idle = own;
        }
        tx_flush();
        r = poll(&p, 1, idle > 1000u ? 1000 : (int)idle);
        if (r < 0 && errno != EINTR) {
            fprintf(stderr, "ferry-host-sim: poll: %s\n", strerror(errno));
            return EXIT_IO;
        }
        if (r > 0 && (p.revents & POLLIN)) {
            ssize_t n = read(line_fd, buf, sizeof buf);
            if (n <= 0 && !(n < 0 && (errno == EINTR || errno == EAGAIN))) {
                fprintf(stderr, "ferry-host-sim: %s hung up\n", tty ? tty : "pty");
                return EXIT_HANGUP;
            }
            for (s = 0; s < nstations; s++)
                feed(stations, s, buf, (size_t)n);
            if (nstations > 1)
                loop_back(stations, nstations);
            nspans = 0;
            tx_flush();
        } else if (r > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL))) {
            fprintf(stderr, "ferry-host-sim: %s hung up\n", tty ? tty : "pty");
            return EXIT_HANGUP;
        }
    }
    for (s = 0; s < nstations; s++) {
        fw_select(stations[s]);
        drops += fw_drops();
        free(stations[s]);
    }
    free(stations);
    fprintf(stderr, "ferry-host-sim: stopping (drops %lu)\n", (unsigned long)drops);
    if (keep >= 0)
        close(keep);
    close(line_fd);
    return 0;
}
