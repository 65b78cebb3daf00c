/* main.c - runs every host unit test; exit status 1 on any failure. */
#include "test.h"

int t_failures;
long t_checks;

int main(void)
{
    run_codec_tests();
    run_message_tests();
    run_message2_tests();
    run_station_tests();
    run_station_more_tests();
    run_up_tests();
    run_fatigue_tests();
    printf("%ld checks, %d failures\n", t_checks, t_failures);
    return t_failures == 0 ? 0 : 1;
}
