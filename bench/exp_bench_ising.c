/* Benchmark `bench-ising` (performance appendix): multi-spin Metropolis
 * flips per ns against plain single-spin C at L = 64 ... 1024, with one and
 * two threads, and Wolff clusters per second at T_c.
 *
 * One cell measures everything (the benchmark runs alone, EXP_SERIAL);
 * reduce only writes the table and the macros. */
#include "experiments.h"
#include "ising.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BI_NL = 5, BI_NW = 3 };

static const int bi_L[BI_NL] = {64, 128, 256, 512, 1024};
static const char *const bi_tag[BI_NL] = {"A", "B", "C", "D", "E"};
static const int bi_WL[BI_NW] = {64, 256, 1024};
static const char *const bi_wtag[BI_NW] = {"A", "C", "E"};

/* What the cell measured. */
typedef struct {
    double load, cores, threads2;
    double plain[BI_NL], one[BI_NL], two[BI_NL]; /* flips per ns */
    double wrate[BI_NW], wsize[BI_NW];           /* Wolff clusters per s, mean cluster size */
} bi_meas;

static int bi_ncells(const exp_ctx *ctx)
{
    (void)ctx;
    return 1;
}

/* Doubles the sweep count until one run takes >= tmin s, times that length
 * twice more, and returns the best rate in flips per ns. */
static double time_msc(int L, int threads, double T, double tmin, uint64_t seed)
{
    ising_msc w;
    if (ising_msc_init(&w, L, seed, 0) != 0) return NAN;
    omp_set_num_threads(threads);
    ising_msc_sweeps(&w, T, 2); /* warm up */
    double best = 0;
    for (uint64_t n = 1, reps = 0; reps < 3; n = reps ? n : 2 * n) {
        double t0 = omp_get_wtime();
        ising_msc_sweeps(&w, T, n);
        double dt = omp_get_wtime() - t0, r = 64.0 * L * L * n / dt * 1e-9;
        if (r > best) best = r;
        if (dt >= tmin || reps) reps++; /* then two more timings of the same length */
    }
    ising_msc_clear(&w);
    return best;
}

static double time_plain(int L, double T, double tmin, uint64_t seed)
{
    int8_t *s = malloc((size_t)L * L);
    if (!s) return NAN;
    memset(s, 1, (size_t)L * L);
    ising_plain_sweeps(s, L, T, 1, seed, 0);
    double best = 0;
    for (uint64_t n = 1, reps = 0; reps < 3; n = reps ? n : 2 * n) {
        double t0 = omp_get_wtime();
        ising_plain_sweeps(s, L, T, n, seed, 1);
        double dt = omp_get_wtime() - t0, r = (double)L * L * n / dt * 1e-9;
        if (r > best) best = r;
        if (dt >= tmin || reps) reps++;
    }
    free(s);
    return best;
}

/* Wolff clusters per second at T_c after 200 warm-up clusters, and the mean cluster size. */
static int time_wolff(double *rate, double *size, int L, int i, double T, double tmin, uint64_t seed)
{
    ising_chain c;
    if (ising_chain_init(&c, L, seed, 100 + (uint32_t)i, 0) != 0) return -1;
    for (int k = 0; k < 200; k++) ising_wolff(&c, T);
    double t0 = omp_get_wtime(), dt;
    long n = 0, sites = 0;
    do {
        for (int k = 0; k < 100; k++) sites += ising_wolff(&c, T);
        n += 100;
        dt = omp_get_wtime() - t0;
    } while (dt < tmin);
    ising_chain_clear(&c);
    *rate = n / dt, *size = (double)sites / n;
    return 0;
}

static int bi_cell(const exp_ctx *ctx, int cell, cellio_out *out)
{
    (void)cell;
    double tmin = ctx->scale == EXP_FULL ? 1.0 : 0.25, T = ISING_TC;
    int t2 = ctx->threads < 2 ? ctx->threads : 2;
    bi_meas m = {.load = NAN, .cores = omp_get_num_procs(), .threads2 = t2};
    FILE *la = fopen("/proc/loadavg", "r"); /* other jobs on the machine skew the timings */
    if (la) { if (fscanf(la, "%lf", &m.load) != 1) m.load = NAN; fclose(la); }
    for (int i = 0; i < BI_NL; i++) {
        m.plain[i] = time_plain(bi_L[i], T, tmin, ctx->seed);
        m.one[i] = time_msc(bi_L[i], 1, T, tmin, ctx->seed);
        m.two[i] = time_msc(bi_L[i], t2, T, tmin, ctx->seed);
    }
    omp_set_num_threads(ctx->threads);
    for (int i = 0; i < BI_NW; i++)
        if (time_wolff(&m.wrate[i], &m.wsize[i], bi_WL[i], i, T, tmin, ctx->seed) != 0) return -1;
    const double head[3] = {m.load, m.cores, m.threads2};
    cellio_put_f64s(out, head, 3);
    cellio_put_f64s(out, m.plain, BI_NL);
    cellio_put_f64s(out, m.one, BI_NL);
    cellio_put_f64s(out, m.two, BI_NL);
    cellio_put_f64s(out, m.wrate, BI_NW);
    cellio_put_f64s(out, m.wsize, BI_NW);
    return 0;
}

static void bi_get(cellio_in *in, bi_meas *m)
{
    double head[3];
    cellio_get_f64s(in, head, 3);
    m->load = head[0], m->cores = head[1], m->threads2 = head[2];
    cellio_get_f64s(in, m->plain, BI_NL);
    cellio_get_f64s(in, m->one, BI_NL);
    cellio_get_f64s(in, m->two, BI_NL);
    cellio_get_f64s(in, m->wrate, BI_NW);
    cellio_get_f64s(in, m->wsize, BI_NW);
}

static int bi_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    (void)ctx;
    if (n != 1) return -1;
    bi_meas m;
    bi_get(&in[0], &m);
    binio_file f;
    if (run_tsv_open(&f, set, "bench_ising", "L\tT\tplain_flips_per_ns\tmsc1_flips_per_ns\tmsc2_flips_per_ns\tratio1\tratio2\tthreads2") != 0)
        return -1;
    fprintf(f.f, "# load average (1 min) at start: %.2f on %d cores\n", m.load, (int)m.cores);
    /* per lattice 5 macros, per Wolff lattice 2, then 5 more */
    texmac t[BI_NL * 5 + BI_NW * 2 + 5];
    char names[BI_NL * 5 + BI_NW * 2][40];
    int k = 0;
    double best = 0, minratio = 1e300;
    for (int i = 0; i < BI_NL; i++) {
        double p = m.plain[i], m1 = m.one[i], m2 = m.two[i];
        fprintf(f.f, "%d\t%.6f\t%.5f\t%.5f\t%.5f\t%.2f\t%.2f\t%d\n", bi_L[i], ISING_TC, p, m1, m2, m1 / p, m2 / p,
                (int)m.threads2);
        const char *what[5] = {"Plain", "One", "Two", "RatioOne", "RatioTwo"};
        const double v[5] = {p, m1, m2, m1 / p, m2 / p};
        for (int q = 0; q < 5; q++, k++) {
            snprintf(names[k], sizeof names[k], "PerfIsing%s%s", what[q], bi_tag[i]);
            t[k] = (texmac)TEXMAC_F(names[k], q < 3 ? 3 : 1, v[q]);
        }
        double fast = m1 > m2 ? m1 : m2; /* the faster configuration at this L */
        if (fast > best) best = fast;
        if (fast / p < minratio) minratio = fast / p;
    }
    for (int i = 0; i < BI_NW; i++) {
        snprintf(names[k], sizeof names[k], "PerfIsingWolffRate%s", bi_wtag[i]);
        t[k] = (texmac)TEXMAC_N(names[k], 3, m.wrate[i]), k++;
        snprintf(names[k], sizeof names[k], "PerfIsingWolffSize%s", bi_wtag[i]);
        t[k] = (texmac)TEXMAC_N(names[k], 3, m.wsize[i]), k++;
        fprintf(f.f, "# wolff L=%d T=Tc clusters_per_s=%.4g mean_cluster=%.4g\n", bi_WL[i], m.wrate[i], m.wsize[i]);
    }
    const texmac tail[5] = {
        TEXMAC_F("PerfIsingBest", 2, best),      TEXMAC_F("PerfIsingMinRatio", 1, minratio),
        TEXMAC_I("PerfIsingThreads", m.threads2), TEXMAC_F("PerfIsingLoad", 2, m.load),
        TEXMAC_I("PerfIsingCores", m.cores),
    };
    memcpy(t + k, tail, sizeof tail);
    if (run_close(set, &f) != 0) return -1;
    return run_macros(set, t, TEXMAC_LEN(t));
}

const exp_def exp_bench_ising_def = {bi_ncells, bi_cell, bi_reduce, EXP_BENCH | EXP_SERIAL};
