/* rp_path.c - path validation and normal form (PROTOCOL.md 5.2). */
#include <string.h>

#include "rp_header.h"

/* A segment runs between separators ('/' or '#'); "." and ".." are refused, and so is "//". */
static bool segments_ok(const char *p, size_t n)
{
    size_t i, start = 1;
    for (i = 1; i <= n; i++) {
        if (i == n || p[i] == '/' || p[i] == '#') {
            size_t len = i - start;
            if (i < n && p[i] == '/' && p[i - 1] == '/') {
                return false;
            }
            if ((len == 1 && p[start] == '.') || (len == 2 && p[start] == '.' && p[start + 1] == '.')) {
                return false;
            }
            start = i + 1;
        }
    }
    return true;
}

size_t rp_path_normalize_n(char *p, size_t n)
{
    size_t i, out = 0;
    char prev = 0;
    if (n == 0 || n > RP_PATH_MAX || p[0] != '/') {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if ((unsigned char)p[i] < 0x21u || (unsigned char)p[i] > 0x7Eu) {
            return 0;
        }
    }
    if (!segments_ok(p, n)) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        char c = p[i];
        bool drop = false;
        if (c == '/' && i > 0) {
            drop = (i + 1 < n && p[i + 1] == '#') || prev == '#';
        }
        prev = c;
        if (!drop) {
            p[out++] = c;
        }
    }
    if (out > 1 && p[out - 1] == '/') {
        out--;
    }
    return out;
}

bool rp_path_normalize(char *path)
{
    size_t n = 0, r;
    while (n <= RP_PATH_MAX && path[n] != '\0') {
        n++;
    }
    r = rp_path_normalize_n(path, n);
    if (r == 0) {
        return false;
    }
    path[r] = '\0';
    return true;
}
