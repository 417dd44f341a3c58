/* bench-nn: MLP training throughput (samples/s), deepcheap (src/nn.c) vs
 * PyTorch CPU (bench/torch_mlp.py under /usr/bin/python3), same net, float32,
 * Adam, MSE, same fixed batch.  Repetitions alternate A B A B (all of ours,
 * then all of PyTorch's, per repetition); each cell reports the median.
 * Both sides are calibrated once on a mid-size net and keep their fastest
 * threading: PyTorch over torch.set_num_threads(1..threads) x
 * OPENBLAS_NUM_THREADS=1 or unset, ours over BLAS threads 1..threads. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "experiments.h"
#include "nn.h"
#include "peer.h"
#include "progress.h"
#include "results.h"

void openblas_set_num_threads(int n);

typedef struct {
    int input, width, depth, batch;
    nn_act act;
} bn_cfg;

/* One training step = forward, MSE gradient, backward (no dL/dinput, as
 * PyTorch skips it for a leaf input), Adam step.  Returns samples/s over
 * at least min_s seconds after 3 warm-up steps. */
static double ours_sps(const bn_cfg *c, int blas_threads, double min_s, uint64_t seed)
{
    int L = c->depth + 1, sizes[32];
    nn_act acts[32];
    sizes[0] = c->input;
    for (int l = 0; l < c->depth; l++) sizes[l + 1] = c->width, acts[l] = c->act;
    sizes[L] = 1;
    acts[L - 1] = NN_IDENTITY;
    nn_net net;
    nn_opt opt;
    if (nn_net_init(&net, L, sizes, acts, c->batch)) return NAN;
    if (nn_opt_init(&opt, NN_ADAM, net.nparams)) {
        nn_net_clear(&net);
        return NAN;
    }
    rng_stream r;
    rng_init(&r, seed, 0, 0);
    nn_init_weights(&net, NN_INIT_GLOROT, 0, &r);
    float *X = malloc((size_t)c->batch * c->input * sizeof(float)), *Y = malloc(c->batch * sizeof(float)),
          *G = malloc(c->batch * sizeof(float));
    for (size_t i = 0; i < (size_t)c->batch * c->input; i++) X[i] = (float)rng_normal(&r);
    for (int i = 0; i < c->batch; i++) Y[i] = (float)rng_normal(&r);
    openblas_set_num_threads(blas_threads);
    long n = 0;
    double t0 = 0, el = 0;
    for (int it = 0;; it++) {
        if (it == 3) t0 = progress_seconds();
        const float *P = nn_forward(&net, X, c->batch);
        nn_loss_eval(G, NN_LOSS_MSE, P, Y, c->batch, 1);
        nn_backward_params(&net, G);
        nn_opt_step(&opt, net.params, net.grads);
        if (it >= 3) {
            n++;
            if ((el = progress_seconds() - t0) >= min_s) break;
        }
    }
    openblas_set_num_threads(1);
    free(X);
    free(Y);
    free(G);
    nn_opt_clear(&opt);
    nn_net_clear(&net);
    return n * (double)c->batch / el;
}

/* Runs the peer on all cfgs in one process (one import); out[i] = samples/s.
 * 0 on success. */
static int torch_sps(double *out, const bn_cfg *cfg, int ncfg, int threads, int blas1, double min_s, uint64_t seed)
{
    size_t cap = 256 + 48 * (size_t)ncfg;
    char *cmd = malloc(cap);
    int k = snprintf(cmd, cap, "%s /usr/bin/python3 bench/torch_mlp.py %d %g %llu",
                     blas1 ? "env OPENBLAS_NUM_THREADS=1" : "env -u OPENBLAS_NUM_THREADS", threads, min_s,
                     (unsigned long long)seed);
    for (int i = 0; i < ncfg; i++)
        k += snprintf(cmd + k, cap - k, " %d,%d,%d,%d,%s", cfg[i].input, cfg[i].width, cfg[i].depth, cfg[i].batch,
                      cfg[i].act == NN_TANH ? "tanh" : "lrelu");
    int rc = peer_run(out, ncfg, cmd);
    free(cmd);
    return rc;
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, n, sizeof *v, cmp_dbl);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int exp_bench_nn(const exp_ctx *ctx)
{
    int full = ctx->scale == EXP_FULL, reps = full ? 3 : 2, T = ctx->threads > 0 ? ctx->threads : 1;
    double min_s = full ? 0.25 : 0.15;
    bn_cfg cfg[128];
    int nc = 0;
    if (full) {
        static const int ins[2] = {18, 20}, ws[3] = {32, 128, 512}, ds[3] = {1, 3, 5}, bs[2] = {100, 1000};
        for (int a = 0; a < 2; a++)
            for (int i = 0; i < 2; i++)
                for (int w = 0; w < 3; w++)
                    for (int d = 0; d < 3; d++)
                        for (int b = 0; b < 2; b++)
                            cfg[nc++] = (bn_cfg){ins[i], ws[w], ds[d], bs[b], a ? NN_LRELU : NN_TANH};
    } else {
        cfg[nc++] = (bn_cfg){20, 32, 3, 100, NN_TANH};
        cfg[nc++] = (bn_cfg){20, 128, 3, 100, NN_TANH};
        cfg[nc++] = (bn_cfg){18, 128, 1, 1000, NN_LRELU};
        cfg[nc++] = (bn_cfg){20, 512, 3, 1000, NN_TANH};
    }
    /* calibration on a mid-size net: fastest threading for each side */
    bn_cfg mid = {20, 128, 3, 100, NN_TANH};
    int best_tt = 1, best_b1 = 1, best_ours = 1;
    double best = -1, ours_best = -1;
    char tcfg[64];
    for (int t = 1; t <= T && t <= 2; t++)
        for (int b1 = 0; b1 < 2; b1++) {
            double s;
            if (torch_sps(&s, &mid, 1, t, b1, min_s, ctx->seed)) {
                fprintf(stderr, "bench-nn: the PyTorch peer failed (/usr/bin/python3 bench/torch_mlp.py, needs python3-torch)\n");
                return 1;
            }
            if (s > best) best = s, best_tt = t, best_b1 = b1;
        }
    for (int t = 1; t <= T && t <= 2; t++) {
        double s = ours_sps(&mid, t, min_s, ctx->seed);
        if (s > ours_best) ours_best = s, best_ours = t;
    }
    snprintf(tcfg, sizeof tcfg, "torch_threads=%d,OPENBLAS_NUM_THREADS=%s", best_tt, best_b1 ? "1" : "unset");
    double *A = calloc((size_t)nc * reps, sizeof(double)), *Bv = calloc((size_t)nc * reps, sizeof(double));
    progress pr;
    progress_start(&pr, "bench-nn", (uint64_t)reps * 2);
    for (int r = 0; r < reps; r++) {
        for (int i = 0; i < nc; i++) A[i * reps + r] = ours_sps(&cfg[i], best_ours, min_s, ctx->seed + i);
        progress_add(&pr, 1);
        double *tmp = malloc(nc * sizeof(double));
        if (torch_sps(tmp, cfg, nc, best_tt, best_b1, min_s, ctx->seed)) {
            fprintf(stderr, "bench-nn: the PyTorch peer failed\n");
            free(tmp);
            free(A);
            free(Bv);
            return 1;
        }
        for (int i = 0; i < nc; i++) Bv[i * reps + r] = tmp[i];
        free(tmp);
        progress_add(&pr, 1);
    }
    progress_end(&pr);
    results_file tsv, mac;
    if (results_tsv_open(&tsv, "bench_nn",
                         "input\twidth\tdepth\tbatch\tact\tdeepcheap_sps\ttorch_sps\ttorch_config\tdeepcheap_blas_threads\tspeedup"))
        return 1;
    if (results_macros_open(&mac, "bench-nn")) {
        results_file_abort(&tsv);
        return 1;
    }
    double sp[128], sp_small[128], sp_big[128], minsp = INFINITY;
    int ns = 0, nb = 0, imin = 0;
    size_t rcap = 256 * (size_t)nc, rl = 0;
    char *rows = malloc(rcap);
    rows[0] = 0;
    for (int i = 0; i < nc; i++) {
        double a = median(A + i * reps, reps), b = median(Bv + i * reps, reps), s = a / b;
        sp[i] = s;
        if (cfg[i].width <= 128) sp_small[ns++] = s; else sp_big[nb++] = s;
        if (s < minsp) minsp = s, imin = i;
        fprintf(tsv.f, "%d\t%d\t%d\t%d\t%s\t%.6g\t%.6g\t%s\t%d\t%.4f\n", cfg[i].input, cfg[i].width, cfg[i].depth,
                cfg[i].batch, nn_act_name(cfg[i].act), a, b, tcfg, best_ours, s);
        char na[32], nb_[32];
        results_format_num(na, sizeof na, 3, a);
        results_format_num(nb_, sizeof nb_, 3, b);
        rl += snprintf(rows + rl, rcap - rl, "%d & %d & %d & %d & %s & $%s$ & $%s$ & %.2f \\\\\n", cfg[i].input,
                       cfg[i].width, cfg[i].depth, cfg[i].batch, cfg[i].act == NN_TANH ? "tanh" : "leaky ReLU", na,
                       nb_, s);
    }
    double spall[128];
    memcpy(spall, sp, nc * sizeof(double));
    results_macro_fix(&mac, "NNSpeedupMedian", 2, median(spall, nc));
    results_macro_fix(&mac, "NNSpeedupMin", 2, minsp);
    char buf[160];
    snprintf(buf, sizeof buf, "input %d, width %d, depth %d, batch %d, %s", cfg[imin].input, cfg[imin].width,
             cfg[imin].depth, cfg[imin].batch, cfg[imin].act == NN_TANH ? "tanh" : "leaky ReLU");
    results_macro_str(&mac, "NNSpeedupMinConfig", buf);
    results_macro_fix(&mac, "NNSpeedupSmallMedian", 2, ns ? median(sp_small, ns) : NAN);
    results_macro_fix(&mac, "NNSpeedupBigMedian", 2, nb ? median(sp_big, nb) : NAN);
    results_macro_int(&mac, "NNConfigs", nc);
    results_macro_int(&mac, "NNReps", reps);
    results_macro_fix(&mac, "NNMinSeconds", 2, min_s);
    results_macro_int(&mac, "NNThreads", T);
    results_macro_int(&mac, "NNTorchThreads", best_tt);
    results_macro_str(&mac, "NNTorchBlas", best_b1 ? "\\texttt{OPENBLAS\\_NUM\\_THREADS=1}" : "\\texttt{OPENBLAS\\_NUM\\_THREADS} unset");
    results_macro_int(&mac, "NNOursBlasThreads", best_ours);
    results_macro_str(&mac, "NNTableRows", rows);
    free(rows);
    free(A);
    free(Bv);
    return results_file_commit(&tsv) | results_file_commit(&mac) ? 1 : 0;
}

EXP_LEGACY(exp_bench_nn, EXP_BENCH);
