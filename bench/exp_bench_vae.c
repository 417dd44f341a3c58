/* bench-vae: VAE training throughput (samples/s), deepcheap (src/vae.c) vs
 * PyTorch CPU (bench/torch_vae.py under /usr/bin/python3): the same encoder
 * and decoder (tanh MLPs), negative ELBO with one reparametrized sample,
 * Adam, float32, one fixed random batch of bits.  Both sides are calibrated
 * once on a mid-size model and keep their fastest threading (PyTorch over
 * torch threads 1..2 with OPENBLAS_NUM_THREADS=1, ours over BLAS threads
 * 1..2), in the same run; BV_REPS repetitions alternate ours and
 * PyTorch's; each configuration reports the medians and the min-max spread
 * of both sides.  PyTorch runs in one peer process for the whole run
 * (torch imported once), idle, blocked on its input, while ours run.
 *
 * One cell, alone on the machine, measures everything (calibration and
 * the alternating repetitions); reduce takes the medians and writes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments.h"
#include "nn.h"
#include "peer.h"
#include "progress.h"
#include "stats.h"
#include "vae.h"

void openblas_set_num_threads(int n);

enum { BV_MAXCFG = 32, BV_REPS = 5 };

typedef struct {
    int bits, latent, width, depth, batch;
} bv_cfg;

/* the RO-3 models: 18 bits, width 72, latent 9 (c = 0.5) */
static const int bv_depths[3] = {1, 3, 5}, bv_batches[2] = {100, 1000};
static const bv_cfg bv_mid = {18, 9, 72, 3, 100};

typedef struct {
    int reps, threads, nc;
    double min_s;
    bv_cfg cfg[BV_MAXCFG];
} bv_plan;

static bv_plan bv_setup(const exp_ctx *ctx)
{
    int full = ctx->scale == EXP_FULL;
    bv_plan p = {BV_REPS, ctx->threads > 0 ? ctx->threads : 1, 0, full ? 0.1 : 0.03, {{0}}};
    for (int d = 0; d < 3; d++)
        for (int b = 0; b < 2; b++)
            if (full || b == 0 || d == 1) p.cfg[p.nc++] = (bv_cfg){18, 9, 72, bv_depths[d], bv_batches[b]};
    return p;
}

static int bv_ncells(const exp_ctx *ctx)
{
    (void)ctx;
    return 1;
}

/* One step = fresh noise, forward and backward through decoder and encoder,
 * Adam on both nets, as in vae_train_epoch without the gather. */
static double ours_sps(const bv_cfg *c, int blas_threads, double min_s, uint64_t seed)
{
    vae v;
    if (vae_init(&v, c->bits, c->latent, c->depth, c->width, NN_TANH, c->batch)) return NAN;
    rng_stream r;
    rng_init(&r, seed, 0, 0);
    vae_init_weights(&v, &r);
    float *X = malloc((size_t)c->batch * c->bits * sizeof(float));
    if (!X) {
        vae_clear(&v);
        return NAN;
    }
    for (size_t i = 0; i < (size_t)c->batch * c->bits; i++) X[i] = (float)rng_bernoulli(&r, 0.5);
    openblas_set_num_threads(blas_threads);
    long n = 0;
    double t0 = 0, el = 0;
    for (int it = 0;; it++) {
        if (it == 3) t0 = progress_seconds();
        for (size_t i = 0; i < (size_t)c->batch * c->latent; i++) v.eps[i] = (float)rng_normal(&r);
        vae_loss_grad(&v, X, v.eps, c->batch);
        nn_opt_step(&v.oe, v.enc.params, v.enc.grads);
        nn_opt_step(&v.od, v.dec.params, v.dec.grads);
        if (it >= 3) {
            n++;
            if ((el = progress_seconds() - t0) >= min_s) break;
        }
    }
    openblas_set_num_threads(1);
    free(X);
    vae_clear(&v);
    return n * (double)c->batch / el;
}

/* The peer (one process, OPENBLAS_NUM_THREADS=1) on cfg[0..ncfg) with
 * `threads` torch threads; out[i] = samples/s. */
static int torch_sps(double *out, peer_proc *pp, const bv_cfg *cfg, int ncfg, int threads, double min_s,
                     uint64_t seed)
{
    char args[256 + 48 * BV_MAXCFG];
    int k = snprintf(args, sizeof args, "%d %g %llu", threads, min_s, (unsigned long long)seed);
    for (int i = 0; i < ncfg; i++)
        k += snprintf(args + k, sizeof args - k, " %d,%d,%d,%d,%d", cfg[i].bits, cfg[i].latent, cfg[i].width,
                      cfg[i].depth, cfg[i].batch);
    return peer_ask(pp, out, ncfg, args);
}

/* Calibration, then reps x (all of ours, all of PyTorch's) on the peer pp:
 * th = {PyTorch's threads, ours}, A (ours), B (PyTorch), nc x reps samples/s. */
static int bv_measure(int *th, double *A, double *B, peer_proc *pp, const bv_plan *p, uint64_t seed)
{
    double best = -1, ours_best = -1;
    th[0] = th[1] = 1;
    for (int t = 1; t <= p->threads && t <= 2; t++) {
        double s;
        if (torch_sps(&s, pp, &bv_mid, 1, t, p->min_s, seed)) return -1;
        if (s > best) best = s, th[0] = t;
        s = ours_sps(&bv_mid, t, p->min_s, seed);
        if (s > ours_best) ours_best = s, th[1] = t;
    }
    for (int r = 0; r < p->reps; r++) {
        for (int i = 0; i < p->nc; i++) A[i * p->reps + r] = ours_sps(&p->cfg[i], th[1], p->min_s, seed + i);
        double tmp[BV_MAXCFG];
        if (torch_sps(tmp, pp, p->cfg, p->nc, th[0], p->min_s, seed)) return -1;
        for (int i = 0; i < p->nc; i++) B[i * p->reps + r] = tmp[i];
    }
    return 0;
}

/* The one cell: calibration, then reps x (all of ours, all of PyTorch's).
 * Puts the chosen threads and A (ours), B (PyTorch), nc x reps samples/s. */
static int bv_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    (void)c;
    bv_plan p = bv_setup(ctx);
    char script[4200], cmd[4400];
    peer_proc pp;
    if (peer_script(script, sizeof script, "torch_vae.py") != 0) return -1;
    snprintf(cmd, sizeof cmd, "env OPENBLAS_NUM_THREADS=1 /usr/bin/python3 '%s'", script);
    size_t m = (size_t)p.nc * p.reps;
    double A[BV_MAXCFG * BV_REPS], B[BV_MAXCFG * BV_REPS], t0 = progress_seconds();
    int th[2], rc = peer_start(&pp, cmd) ? -1 : bv_measure(th, A, B, &pp, &p, ctx->seed);
    if (peer_stop(&pp) != 0) rc = -1;
    if (rc) {
        fprintf(stderr, "bench-vae: the PyTorch peer failed (/usr/bin/python3 %s, needs python3-torch)\n", script);
        return -1;
    }
    fprintf(stderr, "bench-vae: %d configurations, window %.2f s: %d calibration + %d x %d measurements, %.1f s\n",
            p.nc, p.min_s, 2 * (p.threads < 2 ? p.threads : 2), p.reps, 2 * p.nc, progress_seconds() - t0);
    cellio_put_ints(out, th, 2);
    cellio_put_f64s(out, A, m);
    cellio_put_f64s(out, B, m);
    return 0;
}

/* "$1.23\times10^{5}$ & {\scriptsize $-3/{+}5$}": the median of v[n] and its
 * min-max spread in percent of the median; *med = the median. */
static void bv_cell_text(char *buf, size_t len, double *med, double *v, int n)
{
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++) lo = fmin(lo, v[i]), hi = fmax(hi, v[i]);
    double m = stats_median(v, n);
    char num[32];
    texmac_format_num(num, sizeof num, 3, m);
    snprintf(buf, len, "$%s$ & {\\scriptsize $-%.0f/{+}%.0f$}", num, 100 * (1 - lo / m), 100 * (hi / m - 1));
    *med = m;
}

/* The table body and the ratio macros. */
static int bv_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    bv_plan p = bv_setup(ctx);
    size_t m = (size_t)p.nc * p.reps;
    double A[BV_MAXCFG * BV_REPS], B[BV_MAXCFG * BV_REPS], ratio[BV_MAXCFG], rs[BV_MAXCFG], rb[BV_MAXCFG];
    double minr = INFINITY;
    int th[2], ns = 0, nb = 0;
    if (n != 1) return -1;
    cellio_get_ints(in, th, 2);
    cellio_get_f64s(in, A, m);
    cellio_get_f64s(in, B, m);
    if (in->failed) return -1;
    binio_file tsv;
    if (run_tsv_open(&tsv, set, "bench_vae",
                     "bits\tlatent\twidth\tdepth\tbatch\tdeepcheap_sps\tdeepcheap_min\tdeepcheap_max\ttorch_sps\t"
                     "torch_min\ttorch_max\ttorch_threads\tdeepcheap_blas_threads\tratio"))
        return -1;
    char rows[8192];
    int rl = 0;
    rows[0] = 0;
    for (int i = 0; i < p.nc; i++) {
        const bv_cfg *c = &p.cfg[i];
        double *Ai = A + i * p.reps, *Bi = B + i * p.reps, a, b;
        char sa[96], sb[96];
        bv_cell_text(sa, sizeof sa, &a, Ai, p.reps); /* sorts Ai: min Ai[0], max Ai[reps-1] */
        bv_cell_text(sb, sizeof sb, &b, Bi, p.reps);
        double s = a / b;
        ratio[i] = s;
        minr = fmin(minr, s);
        if (c->batch == bv_batches[0]) rs[ns++] = s;
        else rb[nb++] = s;
        fprintf(tsv.f, "%d\t%d\t%d\t%d\t%d\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%d\t%d\t%.4f\n", c->bits, c->latent,
                c->width, c->depth, c->batch, a, Ai[0], Ai[p.reps - 1], b, Bi[0], Bi[p.reps - 1], th[0], th[1], s);
        rl += snprintf(rows + rl, sizeof rows - rl, "%d & %d & %d & %d & %d & %s & %s & %.2f \\\\\n", c->bits,
                       c->latent, c->width, c->depth, c->batch, sa, sb, s);
    }
    if (run_close(set, &tsv) != 0) return -1;
    const texmac t[] = {
        TEXMAC_F("PerfVaeRatioMedian", 2, stats_median(ratio, p.nc)), TEXMAC_F("PerfVaeRatioMin", 2, minr),
        TEXMAC_F("PerfVaeRatioSmallBatch", 2, stats_median(rs, ns)), TEXMAC_F("PerfVaeRatioLargeBatch", 2, stats_median(rb, nb)),
        TEXMAC_I("PerfVaeConfigs", p.nc),             TEXMAC_I("PerfVaeWidth", bv_mid.width),
        TEXMAC_I("PerfVaeBits", bv_mid.bits),         TEXMAC_I("PerfVaeMidDepth", bv_mid.depth),
        TEXMAC_I("PerfVaeMidBatch", bv_mid.batch),    TEXMAC_I("PerfVaeSmallBatch", bv_batches[0]),
        TEXMAC_I("PerfVaeLargeBatch", bv_batches[1]), TEXMAC_I("PerfVaeReps", p.reps),
        TEXMAC_F("PerfVaeMinSeconds", 2, p.min_s),    TEXMAC_I("PerfVaeTorchThreads", th[0]),
        TEXMAC_I("PerfVaeOursThreads", th[1]),        TEXMAC_S("PerfVaeRows", rows),
    };
    return run_macros(set, t, TEXMAC_LEN(t));
}

const exp_def exp_bench_vae_def = {bv_ncells, bv_cell, bv_reduce, EXP_BENCH | EXP_SERIAL};
