/* vectors.c - vector file reader (test code, not part of the library). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vectors.h"

#ifndef VECTORS_DIR
#define VECTORS_DIR "../vectors"
#endif

static char line[1 << 17];

int vec_each(const char *file, vec_line_fn fn, void *ctx)
{
    char path[1024];
    const char *dir = getenv("RP_VECTORS");
    FILE *fp;
    int count = 0;
    snprintf(path, sizeof path, "%s/%s", dir != NULL ? dir : VECTORS_DIR, file);
    fp = fopen(path, "r");
    if (fp == NULL) {
        fprintf(stderr, "cannot read %s\n", path);
        return -1;
    }
    while (fgets(line, sizeof line, fp) != NULL) {
        char *fields[VEC_MAX_FIELDS];
        int n = 0;
        char *tok;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0') {
            continue;
        }
        for (tok = strtok(line, " "); tok != NULL && n < VEC_MAX_FIELDS; tok = strtok(NULL, " ")) {
            fields[n++] = tok;
        }
        fn(fields, n, ctx);
        count++;
    }
    fclose(fp);
    return count;
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

size_t vec_hex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = strlen(hex), i;
    if (strcmp(hex, "-") == 0) {
        return 0;
    }
    if (n % 2 != 0 || n / 2 > cap) {
        return (size_t)-1;
    }
    for (i = 0; i < n / 2; i++) {
        int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return (size_t)-1;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return n / 2;
}
