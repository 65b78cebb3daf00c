/*
 * syscall-sandbox ALLOWLIST COMMAND [ARG...]
 *
 * Runs COMMAND under a seccomp filter that allows exactly the system calls named in ALLOWLIST
 * (one name per line) and makes every other call fail with EPERM, as systemd does for a unit with
 * SystemCallFilter= and SystemCallErrorNumber=EPERM. The package test uses it to start the
 * installed service with its unit's filter on a machine where systemd is not PID 1. Names this
 * libseccomp does not know on this architecture are skipped (systemd skips them too).
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s ALLOWLIST COMMAND [ARG...]\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (f == NULL) {
        perror(argv[1]);
        return 2;
    }
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
    if (ctx == NULL) {
        fprintf(stderr, "seccomp_init failed\n");
        return 2;
    }
    char line[128];
    int allowed = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0') {
            continue;
        }
        int nr = seccomp_syscall_resolve_name(line);
        if (nr == __NR_SCMP_ERROR) {
            continue;
        }
        if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) == 0) {
            allowed++;
        }
    }
    fclose(f);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || seccomp_load(ctx) != 0) {
        perror("installing the filter");
        return 2;
    }
    seccomp_release(ctx);
    fprintf(stderr, "syscall-sandbox: %d system calls allowed\n", allowed);
    execvp(argv[2], argv + 2);
    perror(argv[2]);
    return 127;
}
