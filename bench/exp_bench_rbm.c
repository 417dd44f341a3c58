/* Benchmark `bench-rbm` (performance appendix): the RBM engine against
 * PyTorch (bench/torch_rbm.py): CD-k / PCD-k training throughput, and model
 * sampling (Gibbs steps x chains per second) at a burn-in length.
 *
 * One cell: BR_REPS alternating repetitions; each measures the sgemm peak
 * (n = 512, one and two OpenBLAS threads), ours (one model on one thread;
 * two models on two threads, aggregate) and the peer (one and two intra-op
 * threads; two models in two processes, aggregate), every job each time.
 * The peer is one process for the whole run (torch imported once), idle,
 * blocked on its input, while ours run.  Sampling is timed on runs of a
 * tenth of the burn-in (br_run_steps; a step costs the same wherever it is
 * in a burn-in, and the start from random states is a small fraction of a
 * run), so that a measurement is not one or two whole burn-ins.
 * Reduce takes the median over repetitions of every configuration, keeps
 * each side's best by median, and writes the table, spreads and macros. */
#include "experiments.h"
#include "peer.h"
#include "progress.h"
#include "rbm.h"
#include "stats.h"

#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A job: training (chains = 0: batch BR_BATCH, CD-k or PCD-k) or sampling
 * (`chains` chains of an RBM, burn-in of `steps` Gibbs steps from uniform
 * random states, one run = one burn-in). */
typedef struct {
    int nv, nh, k, persistent, chains;
} br_job;

enum { BR_N = 2000, BR_BATCH = 100, BR_REPS = 5, BR_CHAINS = 1000, BR_NJ = 8, BR_PEAK_N = 512 };
static const br_job br_jobs[BR_NJ] = {{64, 64, 1, 0, 0},     {64, 256, 1, 0, 0},  {64, 64, 10, 1, 0},
                                      {64, 256, 10, 1, 0},   {784, 500, 1, 0, 0}, {1600, 400, 1, 0, 0},
                                      {64, 64, 0, 0, BR_CHAINS}, {64, 256, 0, 0, BR_CHAINS}};
/* quick: the Chapter 6 sizes only */
static const int br_quick[5] = {0, 1, 2, 6, 7};
static const char *const br_tmode[3] = {"1", "2", "2p"};

static int br_nj(const exp_ctx *ctx) { return ctx->scale == EXP_FULL ? BR_NJ : 5; }
static const br_job *br_job_at(const exp_ctx *ctx, int i) { return &br_jobs[ctx->scale == EXP_FULL ? i : br_quick[i]]; }
static int br_threads(const exp_ctx *ctx) { return ctx->threads > 1 ? 2 : 1; }
static int br_nmodes(const exp_ctx *ctx) { return br_threads(ctx) > 1 ? 3 : 1; }
static double br_min_s(const exp_ctx *ctx) { return ctx->scale == EXP_FULL ? 0.15 : 0.03; }
static int br_steps(const exp_ctx *ctx) { return ctx->scale == EXP_FULL ? 1000 : 100; }
/* the Gibbs steps of one timed sampling run: a tenth of the burn-in */
static int br_run_steps(const exp_ctx *ctx) { return (br_steps(ctx) + 9) / 10; }

static int br_ncells(const exp_ctx *ctx)
{
    (void)ctx;
    return 1;
}

/* Floating-point operations of one unit of work: a training sample (the
 * 3 + 2k + persistent products of a CD-k step per row) or a chain step. */
static double br_flops(const br_job *j)
{
    double p = 2.0 * j->nv * j->nh;
    return j->chains ? 2 * p : p * (3 + 2 * j->k + j->persistent);
}

/* sgemm GFLOP/s at n = BR_PEAK_N with `threads` OpenBLAS threads (outside
 * any OpenMP region), best of runs over min_s. */
static double br_peak(int threads, double min_s)
{
    const int n = BR_PEAK_N;
    float *a = calloc((size_t)3 * n * n, sizeof *a);
    if (!a) return NAN;
    for (size_t i = 0; i < (size_t)2 * n * n; i++) a[i] = (float)(i % 7) * 0.25f;
    openblas_set_num_threads(threads);
    double best = 0, t0 = progress_seconds();
    for (int r = 0; r < 1000 && (r < 3 || progress_seconds() - t0 < min_s); r++) {
        double t = progress_seconds();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, a + (size_t)n * n, n, 0.0f,
                    a + (size_t)2 * n * n, n);
        double g = 2.0 * n * n * n / (progress_seconds() - t) * 1e-9;
        best = g > best ? g : best;
    }
    rbm_blas_single_thread();
    free(a);
    return best;
}

/* One unit of ours: `epochs` epochs of rbm_train on data (one call, as an
 * experiment trains: momentum and chains carry over between epochs), or
 * `epochs` burn-ins of `chains` chains.  Returns the work done (samples or
 * chain-steps). */
static double br_unit(const br_job *j, rbm_deep *d, const float *data, float *out, int epochs, int steps,
                      uint64_t seed, uint32_t cell)
{
    if (j->chains) {
        for (int e = 0; e < epochs; e++) rbm_deep_sample(out, d, (size_t)j->chains, steps, seed, cell + (uint32_t)e);
        return (double)epochs * j->chains * steps;
    }
    rbm_train_opts o = {j->k, j->persistent, BR_BATCH, epochs, 0.01, 0.01, 0, 0, 0.5, 0, 0};
    rbm_train(&d->layer[0], data, BR_N, &o, seed, cell);
    return (double)epochs * (BR_N / BR_BATCH * BR_BATCH);
}

/* Our rate: one warm-up unit of one epoch (sampling: one run of `steps`
 * steps), then (once all threads are ready) one unit of as many epochs
 * (runs) as fill min_s at the warm-up's pace;
 * with models = 2, two independent models run concurrently (one per OpenMP
 * thread), aggregate rate. */
static double br_ours(const br_job *j, int models, double min_s, int steps, uint64_t seed)
{
    float *data = malloc(sizeof(float) * BR_N * j->nv);
    if (!data) return NAN;
    rng_stream r;
    rng_init(&r, seed, 0, 3);
    for (size_t i = 0; i < (size_t)BR_N * j->nv; i++) data[i] = (float)(rng_u32(&r) & 1);
    double total = 0, t0 = 0;
    int fail = 0;
    rbm_blas_single_thread();
    #pragma omp parallel num_threads(models) reduction(+:total) reduction(|:fail)
    {
        rbm_deep d;
        rng_stream rr;
        rng_init(&rr, seed, (uint32_t)omp_get_thread_num(), 4);
        const int sizes[2] = {j->nv, j->nh};
        float *out = malloc(sizeof(float) * (size_t)(j->chains ? j->chains : 1) * j->nv);
        fail = !out || rbm_deep_init(&d, RBM_KIND_RBM, 1, sizes);
        if (!fail) rbm_init_normal(&d.layer[0], &rr, 0.1 / sqrt((double)j->nv * j->nh));
        double tw = progress_seconds();
        if (!fail) br_unit(j, &d, data, out, 1, steps, seed, 0); /* warm-up */
        tw = progress_seconds() - tw;
        int epochs = (int)fmin(1e6, fmax(1, ceil(min_s / fmax(tw, 1e-9))));
        #pragma omp barrier
        #pragma omp single
        t0 = progress_seconds();
        if (!fail) total += br_unit(j, &d, data, out, epochs, steps, seed, 1);
        if (!fail) rbm_deep_clear(&d);
        free(out);
    }
    double el = progress_seconds() - t0;
    free(data);
    return fail ? NAN : total / el;
}

/* mode: "1" or "2" intra-op threads for one model, "2p" two models in two
 * processes (aggregate); the request goes to the peer pp. */
static int br_torch(double *out, peer_proc *pp, const exp_ctx *ctx, const char *mode)
{
    char cmd[8192];
    int k = snprintf(cmd, sizeof cmd, "%s %g %llu", mode, br_min_s(ctx), (unsigned long long)ctx->seed);
    for (int i = 0; i < br_nj(ctx); i++) {
        const br_job *j = br_job_at(ctx, i);
        if (j->chains)
            k += snprintf(cmd + k, sizeof cmd - k, " s:%d,%d,%d,%d", j->nv, j->nh, j->chains, br_run_steps(ctx));
        else
            k += snprintf(cmd + k, sizeof cmd - k, " t:%d,%d,%d,%d,%d", j->nv, j->nh, BR_BATCH, j->k, j->persistent);
    }
    return peer_ask(pp, out, br_nj(ctx), cmd);
}

/* Per repetition: the peaks (1..threads), ours[t][0..nj) for t = 1..threads,
 * then torch[m][0..nj) for each peer mode. */
/* The repetitions; ph[0] += seconds of the peaks, ph[1 + t - 1] of ours on
 * t threads, ph[3 + m] of the peer in mode m (the phases on stderr). */
static int br_measure(const exp_ctx *ctx, peer_proc *pp, cellio_out *out, double *ph)
{
    const int nj = br_nj(ctx), T = br_threads(ctx);
    double rates[BR_NJ], peak[2], t0 = progress_seconds(), t1;
    for (int rep = 0; rep < BR_REPS; rep++) {
        for (int t = 1; t <= T; t++) peak[t - 1] = br_peak(t, br_min_s(ctx));
        cellio_put_f64s(out, peak, (size_t)T);
        ph[0] += (t1 = progress_seconds()) - t0, t0 = t1;
        for (int t = 1; t <= T; t++) {
            for (int i = 0; i < nj; i++)
                rates[i] = br_ours(br_job_at(ctx, i), t, br_min_s(ctx), br_run_steps(ctx), ctx->seed);
            cellio_put_f64s(out, rates, (size_t)nj);
            ph[t] += (t1 = progress_seconds()) - t0, t0 = t1;
        }
        for (int m = 0; m < br_nmodes(ctx); m++) {
            if (br_torch(rates, pp, ctx, br_tmode[m])) return -1;
            cellio_put_f64s(out, rates, (size_t)nj);
            ph[3 + m] += (t1 = progress_seconds()) - t0, t0 = t1;
        }
    }
    return 0;
}

static int br_cell(const exp_ctx *ctx, int cell, cellio_out *out)
{
    (void)cell;
    char script[4200], cmd[4400];
    peer_proc pp;
    if (peer_script(script, sizeof script, "torch_rbm.py") != 0) return -1;
    snprintf(cmd, sizeof cmd, "env OPENBLAS_NUM_THREADS=1 /usr/bin/python3 '%s'", script);
    double t0 = progress_seconds(), ph[6] = {0};
    int rc = peer_start(&pp, cmd) ? -1 : br_measure(ctx, &pp, out, ph);
    if (peer_stop(&pp) != 0) rc = -1;
    if (rc) {
        fprintf(stderr, "bench-rbm: the PyTorch peer failed (/usr/bin/python3 %s, needs python3-torch)\n", script);
        return -1;
    }
    fprintf(stderr, "bench-rbm: %d jobs, window %.2f s, %d repetitions of %d peaks + %d + %d measurements: %.1f s "
            "(peaks %.1f, ours 1 / 2 models %.1f / %.1f, peer 1 / 2 / 2p %.1f / %.1f / %.1f)\n",
            br_nj(ctx), br_min_s(ctx), BR_REPS, br_threads(ctx), br_threads(ctx) * br_nj(ctx),
            br_nmodes(ctx) * br_nj(ctx), progress_seconds() - t0, ph[0], ph[1], ph[2], ph[3], ph[4], ph[5]);
    return 0;
}

/* Median, min and max of x[0..n) (x is sorted). */
static void br_spread(double *s, double *x, int n)
{
    s[0] = stats_median(x, n);
    s[1] = x[0];
    s[2] = x[n - 1];
}

typedef struct {
    double peak[2][BR_REPS], ours[2][BR_REPS][BR_NJ], torch[3][BR_REPS][BR_NJ];
} br_data;

/* Each side's best configuration of job i by median: its index and spread. */
static int br_best(double *s, double (*x)[BR_REPS][BR_NJ], int nconf, int i)
{
    int best = 0;
    double sp[3][3], v[BR_REPS];
    for (int c = 0; c < nconf; c++) {
        for (int r = 0; r < BR_REPS; r++) v[r] = x[c][r][i];
        br_spread(sp[c], v, BR_REPS);
        if (sp[c][0] > sp[best][0]) best = c;
    }
    memcpy(s, sp[best], sizeof sp[best]);
    return best;
}

static void br_fmt(char *buf, size_t n, const double *s)
{
    char a[32], b[32], c[32];
    texmac_format_num(a, sizeof a, 3, s[0]);
    texmac_format_num(b, sizeof b, 2, s[1]);
    texmac_format_num(c, sizeof c, 2, s[2]);
    snprintf(buf, n, "$%s$ & {\\scriptsize $%s$--$%s$}", a, b, c);
}

static int br_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    const int nj = br_nj(ctx), T = br_threads(ctx), ntm = br_nmodes(ctx);
    static br_data D;
    if (n != 1) return -1;
    for (int r = 0; r < BR_REPS; r++) {
        double pk[2];
        cellio_get_f64s(&in[0], pk, (size_t)T);
        for (int t = 0; t < T; t++) D.peak[t][r] = pk[t];
        for (int t = 0; t < T; t++) cellio_get_f64s(&in[0], D.ours[t][r], (size_t)nj);
        for (int m = 0; m < ntm; m++) cellio_get_f64s(&in[0], D.torch[m][r], (size_t)nj);
    }
    double peak[2][3] = {{0}};
    for (int t = 0; t < T; t++) br_spread(peak[t], D.peak[t], BR_REPS);
    binio_file f;
    if (run_tsv_open(&f, set, "bench_rbm", "task\tnv\tnh\tk\tpersistent\tchains\tsteps\tdeepcheap_rate\tdeepcheap_min\t"
                                           "deepcheap_max\tdeepcheap_config\ttorch_rate\ttorch_min\ttorch_max\ttorch_config\t"
                                           "ratio\tratio_min\tratio_max\tgflops\tsgemm_peak_gflops"))
        return -1;
    char rows[2][4096] = {"", ""};
    size_t rl[2] = {0, 0};
    double rmin[2] = {INFINITY, INFINITY}, rmax[2] = {0, 0};
    for (int i = 0; i < nj; i++) {
        const br_job *j = br_job_at(ctx, i);
        double so[3], st[3], rr[BR_REPS], sr[3];
        int bo = br_best(so, D.ours, T, i), bt = br_best(st, D.torch, ntm, i), s = j->chains != 0;
        for (int r = 0; r < BR_REPS; r++) rr[r] = D.ours[bo][r][i] / D.torch[bt][r][i];
        br_spread(sr, rr, BR_REPS);
        double ratio = so[0] / st[0], gf = so[0] * br_flops(j) * 1e-9, pk = peak[bo][0];
        rmin[s] = fmin(rmin[s], ratio), rmax[s] = fmax(rmax[s], ratio);
        const char *oc = bo ? "2 models on 2 threads (aggregate)" : "1 thread";
        const char *tc = bt == 2 ? "2 models in 2 processes (aggregate)" : bt ? "2 threads" : "1 thread";
        fprintf(f.f, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%.6g\t%.6g\t%.6g\t%s\t%.6g\t%.6g\t%.6g\t%s, OPENBLAS_NUM_THREADS=1\t%.4f\t%.4f\t%.4f\t%.4g\t%.4g\n",
                s ? "sample" : "train", j->nv, j->nh, j->k, j->persistent, j->chains, s ? br_steps(ctx) : 0, so[0], so[1],
                so[2], oc, st[0], st[1], st[2], tc, ratio, sr[1], sr[2], gf, pk);
        char a[160], b[160], alg[32];
        br_fmt(a, sizeof a, so);
        br_fmt(b, sizeof b, st);
        snprintf(alg, sizeof alg, "%s-%d", j->persistent ? "PCD" : "CD", j->k);
        rl[s] += snprintf(rows[s] + rl[s], sizeof rows[s] - rl[s],
                          "%d & %d & %s & %s & %s & %s & %s & %.2f {\\scriptsize %.2f--%.2f} & %.1f & %.0f\\%% \\\\\n", j->nv,
                          j->nh, s ? "Gibbs" : alg, a, bo ? "2 models" : "1", b, bt == 2 ? "2 models" : br_tmode[bt],
                          ratio, sr[1], sr[2], gf, 100 * gf / pk);
    }
    if (run_close(set, &f) != 0) return -1;
    const texmac m[] = {
        TEXMAC_S("PerfRbmRows", rows[0]),         TEXMAC_S("PerfRbmSampleRows", rows[1]),
        TEXMAC_F("PerfRbmRatioMin", 2, rmin[0]),  TEXMAC_F("PerfRbmRatioMax", 2, rmax[0]),
        TEXMAC_F("PerfRbmSampleRatioMin", 2, rmin[1]), TEXMAC_F("PerfRbmSampleRatioMax", 2, rmax[1]),
        TEXMAC_F("PerfRbmMinSeconds", 2, br_min_s(ctx)), TEXMAC_I("PerfRbmThreads", T),
        TEXMAC_I("PerfRbmN", BR_N),               TEXMAC_I("PerfRbmBatch", BR_BATCH),
        TEXMAC_I("PerfRbmReps", BR_REPS),         TEXMAC_I("PerfRbmChains", BR_CHAINS),
        TEXMAC_I("PerfRbmSteps", br_steps(ctx)),  TEXMAC_I("PerfRbmPeakN", BR_PEAK_N),
        TEXMAC_I("PerfRbmRunSteps", br_run_steps(ctx)),
        TEXMAC_F("PerfRbmPeakOne", 0, peak[0][0]), TEXMAC_F("PerfRbmPeakOneMin", 0, peak[0][1]),
        TEXMAC_F("PerfRbmPeakOneMax", 0, peak[0][2]), TEXMAC_F("PerfRbmPeakTwo", 0, peak[T - 1][0]),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

const exp_def exp_bench_rbm_def = {br_ncells, br_cell, br_reduce, EXP_BENCH | EXP_SERIAL};
