/* Benchmark `bench-ising` (performance appendix): multi-spin Metropolis
 * flips per ns, portable engine and AVX2 engine, on one and two threads,
 * against plain single-spin C at L = 64 ... 1024; the limits measured in the
 * same run (the Philox kernel's own rate, the RNG bits each flip consumes, a
 * copy's memory bandwidth); and Wolff clusters per second at T_c.
 *
 * Each configuration is timed BI_REPS times, the configurations alternating
 * (plain, portable 1, portable 2, AVX2 1, AVX2 2, then again), each timing
 * at least tmin seconds; the tables give the median and the min-max spread.
 * One cell measures everything (the benchmark runs alone, EXP_SERIAL);
 * reduce only writes the table and the macros. */
#include "experiments.h"
#include "ising.h"
#include "stats.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BI_NL = 5, BI_NW = 3, BI_NC = 5, BI_REPS = 5 };
/* Seconds per timing (full, quick); each configuration is sized once to it. */
#define BI_TMIN_FULL 0.2
#define BI_TMIN_QUICK 0.02

static const int bi_L[BI_NL] = {64, 128, 256, 512, 1024};
static const char *const bi_tag[BI_NL] = {"A", "B", "C", "D", "E"};
static const int bi_WL[BI_NW] = {64, 256, 1024};
static const char *const bi_wtag[BI_NW] = {"A", "C", "E"};
/* the configurations: engine and thread count (0: the second thread count) */
enum { BI_PLAIN, BI_PORT1, BI_PORT2, BI_AVX1, BI_AVX2 };
static const char *const bi_cname[BI_NC] = {"Plain", "One", "Two", "AvxOne", "AvxTwo"};

/* Lattice bytes a sweep moves if nothing stays in cache: each colour's pass
 * reads every word once (the site and its neighbours) and writes half of
 * them, so 2 reads + 1 write of 8 bytes per site, for 64 flips. */
#define BI_BYTES_PER_FLIP (24.0 / 64.0)

/* What the cell measured (rates in flips per ns, blocks per ns, bytes per ns). */
typedef struct {
    double load, cores, threads2, avx, tmin; /* tmin: seconds per timing */
    double rate[BI_NL][BI_NC][BI_REPS];
    double bits[BI_NL];                /* RNG bits per flip, AVX2 engine */
    double nb;                         /* Philox blocks per timing */
    double philox[BI_NL][2][BI_REPS];  /* Philox blocks per ns on 1 and threads2 threads, beside lattice i */
    double copy[2][BI_REPS];           /* memcpy bytes (read + written) per ns */
    double wrate[BI_NW], wsize[BI_NW]; /* Wolff clusters per s, mean cluster size */
} bi_meas;

/* One configuration's state between its timings. */
typedef struct {
    int kind, threads, L;
    ising_msc w;
    int8_t *s;
    uint64_t n; /* sweeps per timing */
} bi_cfg;

static int bi_ncells(const exp_ctx *ctx)
{
    (void)ctx;
    return 1;
}

/* Runs n sweeps of configuration c; returns the seconds taken. */
static double cfg_run(bi_cfg *c, uint64_t n, uint64_t seed)
{
    omp_set_num_threads(c->threads);
    double t0 = omp_get_wtime();
    if (c->kind == BI_PLAIN)
        ising_plain_sweeps(c->s, c->L, ISING_TC, n, seed, 1);
    else
        ising_msc_sweeps_with(&c->w, ISING_TC, n, c->kind >= BI_AVX1 ? ISING_MSC_AVX2 : ISING_MSC_PORTABLE);
    return omp_get_wtime() - t0;
}

/* Sets up configuration c and sizes its timing: the sweep count doubles
 * until a timing takes tmin / 8, then scales to tmin at that pace (a timing
 * then takes about tmin, not tmin to 2 tmin, and the sizing about tmin / 4,
 * not 2 to 4 tmin). */
static int cfg_init(bi_cfg *c, int kind, int threads, int L, double tmin, uint64_t seed)
{
    *c = (bi_cfg){.kind = kind, .threads = threads, .L = L, .s = NULL, .n = 1};
    if (kind == BI_PLAIN) {
        if (!(c->s = malloc((size_t)L * L))) return -1;
        memset(c->s, 1, (size_t)L * L);
    } else if (ising_msc_init(&c->w, L, seed, 0) != 0) {
        return -1;
    }
    cfg_run(c, 2, seed); /* warm up */
    double dt;
    while ((dt = cfg_run(c, c->n, seed)) < tmin / 8) c->n *= 2;
    c->n = (uint64_t)ceil((double)c->n * tmin / dt);
    return 0;
}

static void cfg_clear(bi_cfg *c)
{
    if (c->kind == BI_PLAIN) free(c->s);
    else ising_msc_clear(&c->w);
}

static volatile uint64_t bi_sink; /* the Philox blocks are used */

/* The Philox kernel alone on th threads, each its own stream: blocks per ns. */
static double time_philox(uint64_t nb, int th)
{
    uint64_t sink = 0;
    double t0 = omp_get_wtime();
    #pragma omp parallel num_threads(th) reduction(^ : sink)
    sink ^= ising_philox_bench(nb, 2 + (uint32_t)omp_get_thread_num(), 7);
    double dt = omp_get_wtime() - t0;
    bi_sink ^= sink;
    return (double)nb * th / dt * 1e-9;
}

/* Lattice L: every configuration BI_REPS times, alternating with the Philox
 * kernel alone on 1 and threads2 threads (the RNG limit in the same minutes);
 * bits per flip from the AVX2 engine's block count. */
static int time_lattice(bi_meas *m, int i, double tmin, uint64_t seed)
{
    int L = bi_L[i], avx = ising_msc_have_avx2() && L % 16 == 0;
    bi_cfg c[BI_NC];
    for (int k = 0; k < BI_NC; k++) {
        int th = k == BI_PORT2 || k == BI_AVX2 ? (int)m->threads2 : 1;
        if (k >= BI_AVX1 && !avx) continue;
        if (cfg_init(&c[k], k, th, L, tmin, seed) != 0) return -1;
    }
    uint64_t b0 = avx ? c[BI_AVX1].w.blocks : 0, n1 = 0;
    for (int r = 0; r < BI_REPS; r++)
        for (int k = 0; k < BI_NC; k++) {
            if (k >= BI_AVX1 && !avx) { m->rate[i][k][r] = NAN; continue; }
            double dt = cfg_run(&c[k], c[k].n, seed), f = (k == BI_PLAIN ? 1.0 : 64.0) * L * L * c[k].n;
            m->rate[i][k][r] = f / dt * 1e-9;
            if (k == BI_AVX1) n1 += c[k].n;
            if (k == BI_NC - 1)
                for (int t = 0; t < 2; t++) m->philox[i][t][r] = time_philox((uint64_t)m->nb, t ? (int)m->threads2 : 1);
        }
    m->bits[i] = avx ? 128.0 * (double)(c[BI_AVX1].w.blocks - b0) / (64.0 * L * L * (double)n1) : NAN;
    for (int k = 0; k < BI_NC; k++)
        if (k < BI_AVX1 || avx) cfg_clear(&c[k]);
    return 0;
}

/* The Philox timings' length (about a quarter of tmin each), and a memcpy of
 * 64 MiB (bytes read + written per ns) on 1 and threads2 threads, BI_REPS
 * times. */
static int time_limits(bi_meas *m, double tmin)
{
    size_t bytes = (size_t)64 << 20;
    char *a = malloc(bytes), *b = malloc(bytes);
    if (!a || !b) { free(a); free(b); return -1; }
    memset(a, 1, bytes), memset(b, 2, bytes);
    uint64_t nb = 32 << 10;
    while ((double)nb / time_philox(nb, 1) * 1e-9 < tmin / 4) nb *= 2;
    m->nb = (double)nb;
    for (int r = 0; r < BI_REPS; r++)
        for (int t = 0; t < 2; t++) {
            int th = t ? (int)m->threads2 : 1;
            double t0 = omp_get_wtime();
            #pragma omp parallel num_threads(th)
            {
                size_t part = bytes / (size_t)th, off = part * (size_t)omp_get_thread_num();
                memcpy(b + off, a + off, part);
            }
            m->copy[t][r] = 2.0 * (double)bytes / (omp_get_wtime() - t0) * 1e-9;
        }
    m->avx = ising_msc_have_avx2();
    free(a), free(b);
    return 0;
}

/* Wolff clusters per second at T_c after 200 warm-up clusters (timed in
 * tens of clusters until tmin has passed; at L = 1024 a hundred clusters
 * took several tmin), and the mean cluster size. */
static int time_wolff(double *rate, double *size, int L, int i, double T, double tmin, uint64_t seed)
{
    ising_chain c;
    if (ising_chain_init(&c, L, seed, 100 + (uint32_t)i, 0) != 0) return -1;
    for (int k = 0; k < 200; k++) ising_wolff(&c, T);
    double t0 = omp_get_wtime(), dt;
    long n = 0, sites = 0;
    do {
        for (int k = 0; k < 10; k++) sites += ising_wolff(&c, T);
        n += 10;
        dt = omp_get_wtime() - t0;
    } while (dt < tmin);
    ising_chain_clear(&c);
    *rate = n / dt, *size = (double)sites / n;
    return 0;
}

static int bi_cell(const exp_ctx *ctx, int cell, cellio_out *out)
{
    (void)cell;
    double tmin = ctx->scale == EXP_FULL ? BI_TMIN_FULL : BI_TMIN_QUICK;
    int t2 = ctx->threads < 2 ? ctx->threads : 2;
    bi_meas m = {.load = NAN, .cores = omp_get_num_procs(), .threads2 = t2, .tmin = tmin};
    FILE *la = fopen("/proc/loadavg", "r"); /* other jobs on the machine skew the timings */
    if (la) { if (fscanf(la, "%lf", &m.load) != 1) m.load = NAN; fclose(la); }
    double t0 = omp_get_wtime();
    if (time_limits(&m, tmin) != 0) return -1;
    for (int i = 0; i < BI_NL; i++)
        if (time_lattice(&m, i, tmin, ctx->seed) != 0) return -1;
    omp_set_num_threads(ctx->threads);
    for (int i = 0; i < BI_NW; i++)
        if (time_wolff(&m.wrate[i], &m.wsize[i], bi_WL[i], i, ISING_TC, tmin, ctx->seed) != 0) return -1;
    cellio_put_f64s(out, (const double *)&m, sizeof m / sizeof(double));
    fprintf(stderr, "bench-ising: %d sizes x %d configurations x %d repetitions + %d Philox timings, %.2f s each: %.1f s\n",
            BI_NL, BI_NC, BI_REPS, BI_NL * BI_REPS * 2, tmin, omp_get_wtime() - t0);
    return 0;
}

/* Median, min and max of x[0..n) (NaN if any is NaN). */
static void spread(const double *x, int n, double *med, double *lo, double *hi)
{
    double v[BI_REPS];
    memcpy(v, x, sizeof(double) * (size_t)n);
    *lo = *hi = v[0];
    for (int i = 0; i < n; i++) *lo = fmin(*lo, v[i]), *hi = fmax(*hi, v[i]);
    if (isnan(v[0])) { *med = *lo = *hi = NAN; return; }
    *med = stats_median(v, n);
}

enum { BI_NMAC = BI_NL * (BI_NC * 3 + 6) + BI_NW * 2 + 18 };

/* Appends macro `name` (a copy kept in names[*k]) to t: `digits` after the
 * point, or -digits significant digits when negative. */
static void mac(texmac *t, char (*names)[48], int *k, const char *name, const char *tag, int digits, double v)
{
    snprintf(names[*k], sizeof names[*k], "PerfIsing%s%s", name, tag);
    t[*k] = digits < 0 ? (texmac)TEXMAC_N(names[*k], -digits, v) : (texmac)TEXMAC_F(names[*k], digits, v);
    (*k)++;
}

static int bi_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    (void)ctx;
    if (n != 1) return -1;
    bi_meas m;
    cellio_get_f64s(&in[0], (double *)&m, sizeof m / sizeof(double));
    binio_file f;
    if (run_tsv_open(&f, set, "bench_ising",
                     "L\tT\tconfig\tthreads\tmedian_flips_per_ns\tmin\tmax\trng_bits_per_flip\tphilox_blocks_per_ns\t"
                     "rng_bound_flips_per_ns") != 0)
        return -1;
    fprintf(f.f, "# load average (1 min) at start: %.2f on %d cores; %d alternating repetitions\n", m.load,
            (int)m.cores, BI_REPS);
    static texmac t[BI_NMAC];
    static char names[BI_NMAC][48];
    int k = 0;
    double ph[BI_NL][2][3], cp[2][3], best = 0, minratio = 1e300, goal = 6.0;
    int ngoal = 0;
    for (int i = 0; i < BI_NL; i++)
        for (int q = 0; q < 2; q++) spread(m.philox[i][q], BI_REPS, &ph[i][q][0], &ph[i][q][1], &ph[i][q][2]);
    for (int q = 0; q < 2; q++) spread(m.copy[q], BI_REPS, &cp[q][0], &cp[q][1], &cp[q][2]);
    for (int i = 0; i < BI_NL; i++) {
        double md[BI_NC], lo, hi;
        for (int c = 0; c < BI_NC; c++) {
            int th = c == BI_PORT2 || c == BI_AVX2 ? (int)m.threads2 : 1;
            spread(m.rate[i][c], BI_REPS, &md[c], &lo, &hi);
            double phx = c >= BI_AVX1 ? ph[i][th > 1][0] : NAN, bound = phx * 128.0 / m.bits[i];
            fprintf(f.f, "%d\t%.6f\t%s\t%d\t%.5f\t%.5f\t%.5f\t%.4f\t%.4f\t%.4f\n", bi_L[i], ISING_TC, bi_cname[c], th,
                    md[c], lo, hi, c >= BI_AVX1 ? m.bits[i] : NAN, phx, bound);
            mac(t, names, &k, bi_cname[c], bi_tag[i], -3, md[c]);
            char nl[16], nh[16];
            snprintf(nl, sizeof nl, "%sLo", bi_cname[c]), snprintf(nh, sizeof nh, "%sHi", bi_cname[c]);
            mac(t, names, &k, nl, bi_tag[i], -3, lo), mac(t, names, &k, nh, bi_tag[i], -3, hi);
        }
        double boundOne = ph[i][0][0] * 128.0 / m.bits[i], boundTwo = ph[i][1][0] * 128.0 / m.bits[i];
        mac(t, names, &k, "Bits", bi_tag[i], 2, m.bits[i]);
        mac(t, names, &k, "BoundOne", bi_tag[i], -3, boundOne);
        mac(t, names, &k, "FracOne", bi_tag[i], 0, 100.0 * md[BI_AVX1] / boundOne);
        mac(t, names, &k, "BoundTwo", bi_tag[i], -3, boundTwo);
        mac(t, names, &k, "FracTwo", bi_tag[i], 0, 100.0 * md[BI_AVX2] / boundTwo);
        mac(t, names, &k, "Speedup", bi_tag[i], 1, md[BI_AVX2] / md[BI_PORT2]);
        double fast = fmax(md[BI_AVX1], md[BI_AVX2]);
        if (!(fast > 0)) fast = fmax(md[BI_PORT1], md[BI_PORT2]);
        if (fast > best) best = fast;
        if (fast / md[BI_PLAIN] < minratio) minratio = fast / md[BI_PLAIN];
        ngoal += md[BI_AVX2] >= goal;
    }
    for (int i = 0; i < BI_NW; i++) {
        snprintf(names[k], sizeof names[k], "PerfIsingWolffRate%s", bi_wtag[i]);
        t[k] = (texmac)TEXMAC_N(names[k], 3, m.wrate[i]), k++;
        snprintf(names[k], sizeof names[k], "PerfIsingWolffSize%s", bi_wtag[i]);
        t[k] = (texmac)TEXMAC_N(names[k], 3, m.wsize[i]), k++;
        fprintf(f.f, "# wolff L=%d T=Tc clusters_per_s=%.4g mean_cluster=%.4g\n", bi_WL[i], m.wrate[i], m.wsize[i]);
    }
    for (int i = 0; i < BI_NL; i++)
        fprintf(f.f, "# L=%d: philox blocks/ns median [min, max]: 1 thread %.4f [%.4f, %.4f], %d threads %.4f [%.4f, %.4f]\n",
                bi_L[i], ph[i][0][0], ph[i][0][1], ph[i][0][2], (int)m.threads2, ph[i][1][0], ph[i][1][1], ph[i][1][2]);
    fprintf(f.f, "# memcpy bytes/ns (read + written): 1 thread %.3f, %d threads %.3f; lattice bytes per flip %.4f\n",
            cp[0][0], (int)m.threads2, cp[1][0], BI_BYTES_PER_FLIP);
    const texmac tail[18] = {
        TEXMAC_F("PerfIsingBest", 2, best),          TEXMAC_F("PerfIsingMinRatio", 1, minratio),
        TEXMAC_I("PerfIsingThreads", m.threads2),    TEXMAC_F("PerfIsingLoad", 2, m.load),
        TEXMAC_I("PerfIsingCores", m.cores),         TEXMAC_I("PerfIsingReps", BI_REPS),
        TEXMAC_F("PerfIsingGoal", 0, goal),          TEXMAC_I("PerfIsingGoalCount", ngoal),
        TEXMAC_F("PerfIsingPhiloxOne", 3, ph[3][0][0]), TEXMAC_F("PerfIsingPhiloxTwo", 3, ph[3][1][0]),
        TEXMAC_F("PerfIsingPhiloxTwoLo", 3, ph[3][1][1]), TEXMAC_F("PerfIsingPhiloxTwoHi", 3, ph[3][1][2]),
        TEXMAC_F("PerfIsingCopyTwo", 1, cp[1][0]),   TEXMAC_F("PerfIsingMemBytes", 3, BI_BYTES_PER_FLIP),
        TEXMAC_F("PerfIsingMemBound", 0, cp[1][0] / BI_BYTES_PER_FLIP), TEXMAC_I("PerfIsingAvx", m.avx),
        TEXMAC_I("PerfIsingSizes", BI_NL),
        TEXMAC_F("PerfIsingSeconds", 2, m.tmin),
    };
    memcpy(t + k, tail, sizeof tail);
    k += 18;
    if (run_close(set, &f) != 0) return -1;
    return run_macros(set, t, (size_t)k);
}

const exp_def exp_bench_ising_def = {bi_ncells, bi_cell, bi_reduce, EXP_BENCH | EXP_SERIAL};
