/*
 * dtfmt_bench.c — throughput of vg_dtfmt_parse and vg_tz_offset/to_local on
 * one core.  Inputs are 1M distinct "%Y-%m-%d %H:%M" strings (one per
 * minute-ish from 2015) built before timing, parsed N_PASS times each.
 * Build and run: see bench/README-dtfmt.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/dtfmt.h"
#include "base/tz.h"

#define N_IN 1000000
#define N_PASS 5

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double bench_parse(const char *fmt, char (*in)[32], const size_t *len)
{
    struct vg_dtfmt f;
    struct vg_dt t;
    long sum = 0, fails = 0;
    if (vg_dtfmt_compile(fmt, &f, NULL) != VG_OK)
        return 0;
    double t0 = now();
    for (int p = 0; p < N_PASS; p++)
        for (size_t i = 0; i < N_IN; i++) {
            if (vg_dtfmt_parse(&f, in[i], len[i], &t, NULL) != VG_OK)
                fails++;
            sum += t.min;
        }
    double dt = now() - t0;
    double rate = (double)N_IN * N_PASS / dt;
    printf("parse %-16s %7.2f M/s  %5.1f ns/parse  (fails %ld, sum %ld)\n", fmt,
           rate / 1e6, 1e9 / rate, fails, sum);
    return rate;
}

static void bench_tz(const char *zone)
{
    const struct vg_tz *z = vg_tz_get(zone, NULL);
    int64_t t0s = 1420070400; /* 2015-01-01 */
    long long sum = 0;
    struct vg_civil c;
    if (z == NULL)
        return;
    double t0 = now();
    for (int64_t i = 0; i < N_IN * N_PASS; i++)
        sum += vg_tz_offset(z, t0s + i * 97);
    double a = now() - t0;
    t0 = now();
    for (int64_t i = 0; i < N_IN * N_PASS; i++) {
        vg_tz_to_local(z, t0s + i * 97, &c, NULL);
        sum += c.hour;
    }
    double b = now() - t0;
    printf("tz %-20s offset %5.1f ns  to_local %5.1f ns  (sum %lld)\n", zone,
           a * 1e9 / (N_IN * N_PASS), b * 1e9 / (N_IN * N_PASS), sum);
}

int main(void)
{
    char (*in)[32] = malloc(sizeof *in * N_IN);
    size_t *len = malloc(sizeof *len * N_IN);
    if (in == NULL || len == NULL)
        return 1;
    for (size_t i = 0; i < N_IN; i++) {
        time_t t = (time_t)(1420070400 + (int64_t)i * 97);
        struct tm tm;
        gmtime_r(&t, &tm);
        len[i] = strftime(in[i], sizeof in[i], "%Y-%m-%d %H:%M", &tm);
    }
    bench_parse("%Y-%m-%d %H:%M", in, len);
    bench_parse("iso", in, len);
    for (size_t i = 0; i < N_IN; i++) {
        time_t t = (time_t)(1420070400 + (int64_t)i * 97);
        struct tm tm;
        gmtime_r(&t, &tm);
        len[i] = strftime(in[i], sizeof in[i], "%m/%d/%Y %I:%M:%S %p", &tm);
    }
    bench_parse("us12", in, len);
    bench_tz("Europe/Paris");
    bench_tz("America/Chicago");
    free(in);
    free(len);
    return 0;
}
