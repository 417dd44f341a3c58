/* bench-vae: VAE training throughput (samples/s), deepcheap (src/vae.c) vs
 * PyTorch CPU (bench/torch_vae.py under /usr/bin/python3): the same encoder
 * and decoder (tanh MLPs), negative ELBO with one reparametrized sample,
 * Adam, float32, one fixed random batch of bits.  Both sides are calibrated
 * once on a mid-size model and keep their fastest threading (PyTorch over
 * torch threads 1..2 with OPENBLAS_NUM_THREADS=1, ours over BLAS threads
 * 1..2); repetitions alternate ours and PyTorch's; each cell reports medians. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "experiments.h"
#include "nn.h"
#include "peer.h"
#include "progress.h"
#include "results.h"
#include "stats.h"
#include "vae.h"

void openblas_set_num_threads(int n);

typedef struct {
    int bits, latent, width, depth, batch;
} bv_cfg;

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

static int torch_sps(double *out, const bv_cfg *cfg, int ncfg, int threads, double min_s, uint64_t seed)
{
    size_t cap = 256 + 48 * (size_t)ncfg;
    char *cmd = malloc(cap);
    int k = snprintf(cmd, cap, "env OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_vae.py %d %g %llu", threads,
                     min_s, (unsigned long long)seed);
    for (int i = 0; i < ncfg; i++)
        k += snprintf(cmd + k, cap - k, " %d,%d,%d,%d,%d", cfg[i].bits, cfg[i].latent, cfg[i].width, cfg[i].depth,
                      cfg[i].batch);
    int rc = peer_run(out, ncfg, cmd);
    free(cmd);
    return rc;
}

int exp_bench_vae(const exp_ctx *ctx)
{
    int full = ctx->scale == EXP_FULL, reps = full ? 3 : 2, T = ctx->threads > 0 ? ctx->threads : 1;
    double min_s = full ? 0.3 : 0.15;
    bv_cfg cfg[32];
    int nc = 0;
    /* the RO-3 models: 18 bits, width 72, latent 9 (c = 0.5) */
    static const int ds[3] = {1, 3, 5}, bs[2] = {100, 1000};
    for (int d = 0; d < 3; d++)
        for (int b = 0; b < 2; b++)
            if (full || b == 0 || d == 1) cfg[nc++] = (bv_cfg){18, 9, 72, ds[d], bs[b]};
    bv_cfg mid = {18, 9, 72, 3, 100};
    int best_tt = 1, best_ours = 1;
    double best = -1, ours_best = -1;
    for (int t = 1; t <= T && t <= 2; t++) {
        double s;
        if (torch_sps(&s, &mid, 1, t, min_s, ctx->seed)) {
            fprintf(stderr, "bench-vae: the PyTorch peer failed (/usr/bin/python3 bench/torch_vae.py, needs python3-torch)\n");
            return 1;
        }
        if (s > best) best = s, best_tt = t;
        s = ours_sps(&mid, t, min_s, ctx->seed);
        if (s > ours_best) ours_best = s, best_ours = t;
    }
    double *A = calloc((size_t)nc * reps, sizeof(double)), *B = calloc((size_t)nc * reps, sizeof(double));
    progress pr;
    progress_start(&pr, "bench-vae", (uint64_t)reps * 2);
    for (int r = 0; r < reps; r++) {
        for (int i = 0; i < nc; i++) A[i * reps + r] = ours_sps(&cfg[i], best_ours, min_s, ctx->seed + i);
        progress_add(&pr, 1);
        double tmp[32];
        if (torch_sps(tmp, cfg, nc, best_tt, min_s, ctx->seed)) {
            fprintf(stderr, "bench-vae: the PyTorch peer failed\n");
            free(A);
            free(B);
            return 1;
        }
        for (int i = 0; i < nc; i++) B[i * reps + r] = tmp[i];
        progress_add(&pr, 1);
    }
    progress_end(&pr);
    results_file tsv, mac;
    if (results_tsv_open(&tsv, "bench_vae",
                         "bits\tlatent\twidth\tdepth\tbatch\tdeepcheap_sps\ttorch_sps\ttorch_threads\tdeepcheap_blas_threads\tratio"))
        return 1;
    if (results_macros_open(&mac, "bench-vae")) {
        results_file_abort(&tsv);
        return 1;
    }
    double ratio[32], minr = INFINITY;
    char rows[4096];
    int rl = 0;
    rows[0] = 0;
    for (int i = 0; i < nc; i++) {
        double a = stats_median(A + i * reps, reps), b = stats_median(B + i * reps, reps), s = a / b;
        ratio[i] = s;
        minr = fmin(minr, s);
        fprintf(tsv.f, "%d\t%d\t%d\t%d\t%d\t%.6g\t%.6g\t%d\t%d\t%.4f\n", cfg[i].bits, cfg[i].latent, cfg[i].width,
                cfg[i].depth, cfg[i].batch, a, b, best_tt, best_ours, s);
        char na[32], nb[32];
        results_format_num(na, sizeof na, 3, a);
        results_format_num(nb, sizeof nb, 3, b);
        rl += snprintf(rows + rl, sizeof rows - rl, "%d & %d & %d & %d & %d & $%s$ & $%s$ & %.2f \\\\\n", cfg[i].bits,
                       cfg[i].latent, cfg[i].width, cfg[i].depth, cfg[i].batch, na, nb, s);
    }
    double rall[32];
    memcpy(rall, ratio, nc * sizeof(double));
    results_macro_fix(&mac, "VaeBenchRatioMedian", 2, stats_median(rall, nc));
    results_macro_fix(&mac, "VaeBenchRatioMin", 2, minr);
    double rs[32], rb[32];
    int ns = 0, nb = 0;
    for (int i = 0; i < nc; i++) {
        if (cfg[i].batch == 100) rs[ns++] = ratio[i];
        else rb[nb++] = ratio[i];
    }
    results_macro_fix(&mac, "VaeBenchRatioSmallBatch", 2, stats_median(rs, ns));
    results_macro_fix(&mac, "VaeBenchRatioLargeBatch", 2, stats_median(rb, nb));
    results_macro_int(&mac, "VaeBenchConfigs", nc);
    results_macro_int(&mac, "VaeBenchWidth", mid.width);
    results_macro_int(&mac, "VaeBenchBits", mid.bits);
    results_macro_int(&mac, "VaeBenchMidDepth", mid.depth);
    results_macro_int(&mac, "VaeBenchMidBatch", mid.batch);
    results_macro_int(&mac, "VaeBenchSmallBatch", bs[0]);
    results_macro_int(&mac, "VaeBenchLargeBatch", bs[1]);
    results_macro_int(&mac, "VaeBenchReps", reps);
    results_macro_fix(&mac, "VaeBenchMinSeconds", 2, min_s);
    results_macro_int(&mac, "VaeBenchTorchThreads", best_tt);
    results_macro_int(&mac, "VaeBenchOursThreads", best_ours);
    results_macro_str(&mac, "VaeBenchRows", rows);
    free(A);
    free(B);
    return results_file_commit(&tsv) | results_file_commit(&mac) ? 1 : 0;
}

EXP_LEGACY(exp_bench_vae, EXP_BENCH);
