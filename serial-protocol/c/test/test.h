/* test.h - a tiny test harness: TEST() defines a test, RUN() runs it, CHECK*() assert. */
#ifndef TEST_H
#define TEST_H

#include <stdio.h>
#include <string.h>

extern int t_failures;
extern long t_checks;

#define TEST(name) static void name(void)

#define RUN(name) do { \
        int f0_ = t_failures; \
        name(); \
        printf("%s %s\n", f0_ == t_failures ? "ok  " : "FAIL", #name); \
    } while (0)

#define CHECK(cond) do { \
        t_checks++; \
        if (!(cond)) { \
            t_failures++; \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
        } \
    } while (0)

#define CHECK_EQ(a, b) do { \
        long a_ = (long)(a), b_ = (long)(b); \
        t_checks++; \
        if (a_ != b_) { \
            t_failures++; \
            fprintf(stderr, "%s:%d: %s == %s failed: %ld != %ld\n", __FILE__, __LINE__, \
                    #a, #b, a_, b_); \
        } \
    } while (0)

#define CHECK_MEM(a, b, n) CHECK(memcmp((a), (b), (n)) == 0)

/* Checks with a vector name in the failure message. */
#define CHECK_V(cond, vname) do { \
        t_checks++; \
        if (!(cond)) { \
            t_failures++; \
            fprintf(stderr, "%s:%d: vector %s: CHECK(%s) failed\n", __FILE__, __LINE__, \
                    (vname), #cond); \
        } \
    } while (0)

void run_codec_tests(void);
void run_message_tests(void);
void run_message2_tests(void);
void run_fatigue_tests(void);
void run_station_tests(void);
void run_station_more_tests(void);
void run_up_tests(void);

#endif
