/* rp_path.c - path validation and normal form (PROTOCOL.md 5.2), one pass in place. */
#include "rp_header.h"

size_t rp_path_normalize_n(char *p, size_t n)
{
    uint8_t i, out = 0, dots = 0;   /* dots: length of a "." or ".." segment so far, 3 = not */
    char prev = 0;
    if (n == 0 || n > RP_PATH_MAX || p[0] != '/') {
        return 0;
    }
    for (i = 0; i < (uint8_t)n; i++) {
        char c = p[i];
        if (c == '/' || c == '#') {
            if (dots == 1u || dots == 2u || (c == '/' && prev == '/')) {
                return 0;       /* a "." or ".." segment, or an empty one ("//") */
            }
            dots = 0;
            prev = c;
            if (c == '/' && i > 0
                && (p[out - 1u] == '#' || (i + 1u < (uint8_t)n && p[i + 1u] == '#'))) {
                continue;       /* a '/' next to a '#' is dropped */
            }
        } else if ((unsigned char)c < 0x21u || (unsigned char)c > 0x7Eu) {
            return 0;
        } else {
            dots = (uint8_t)(c == '.' && dots < 3u ? dots + 1u : 3u);
            prev = c;
        }
        p[out++] = c;
    }
    if (dots == 1u || dots == 2u) {
        return 0;
    }
    if (out > 1u && p[out - 1u] == '/') {
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
