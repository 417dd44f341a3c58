/* bench-nn: MLP training throughput (samples/s), deepcheap (src/nn.c) vs
 * PyTorch CPU (bench/torch_mlp.py under /usr/bin/python3), same net, float32,
 * Adam, MSE, same fixed batch.  Repetitions alternate A B A B (all of ours,
 * then all of PyTorch's, per repetition); each configuration reports the
 * median.  Both sides are calibrated once on a mid-size net and keep their
 * fastest threading: PyTorch over torch.set_num_threads(1..threads) x
 * OPENBLAS_NUM_THREADS=1 or unset, ours over BLAS threads 1..threads.
 *
 * One cell (the benchmark runs alone): it calibrates and measures every
 * repetition; reduce takes the medians and writes the table and the macros. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments.h"
#include "nn.h"
#include "peer.h"
#include "progress.h"

void openblas_set_num_threads(int n);

typedef struct {
    int input, width, depth, batch;
    nn_act act;
} bn_cfg;

#define BN_MAXCFG 128

/* The configurations measured at the scale; returns their number. */
static int bn_configs(bn_cfg *cfg, int full)
{
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
    return nc;
}

/* The run's shape: repetitions, seconds per measurement, threads. */
typedef struct {
    int reps, T;
    double min_s;
} bn_plan;

static bn_plan bn_plan_of(const exp_ctx *ctx)
{
    int full = ctx->scale == EXP_FULL;
    bn_plan p = {full ? 3 : 2, ctx->threads > 0 ? ctx->threads : 1, full ? 0.25 : 0.15};
    return p;
}

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
    char script[4200];
    if (peer_script(script, sizeof script, "torch_mlp.py") != 0) return -1;
    cap += strlen(script);
    char *cmd = malloc(cap);
    if (!cmd) return -1;
    int k = snprintf(cmd, cap, "%s /usr/bin/python3 '%s' %d %g %llu",
                     blas1 ? "env OPENBLAS_NUM_THREADS=1" : "env -u OPENBLAS_NUM_THREADS", script, threads, min_s,
                     (unsigned long long)seed);
    for (int i = 0; i < ncfg; i++)
        k += snprintf(cmd + k, cap - k, " %d,%d,%d,%d,%s", cfg[i].input, cfg[i].width, cfg[i].depth, cfg[i].batch,
                      cfg[i].act == NN_TANH ? "tanh" : "lrelu");
    int rc = peer_run(out, ncfg, cmd);
    free(cmd);
    return rc;
}

/* Calibration on a mid-size net: the fastest threading of each side,
 * th = {torch threads, OPENBLAS_NUM_THREADS=1 (1) or unset (0), our BLAS threads}. */
static int calibrate(int th[3], const bn_plan *p, uint64_t seed)
{
    bn_cfg mid = {20, 128, 3, 100, NN_TANH};
    double best = -1, ours_best = -1;
    th[0] = th[1] = th[2] = 1;
    for (int t = 1; t <= p->T && t <= 2; t++)
        for (int b1 = 0; b1 < 2; b1++) {
            double s;
            if (torch_sps(&s, &mid, 1, t, b1, p->min_s, seed)) {
                fprintf(stderr, "bench-nn: the PyTorch peer failed (/usr/bin/python3 bench/torch_mlp.py, needs python3-torch)\n");
                return -1;
            }
            if (s > best) best = s, th[0] = t, th[1] = b1;
        }
    for (int t = 1; t <= p->T && t <= 2; t++) {
        double s = ours_sps(&mid, t, p->min_s, seed);
        if (s > ours_best) ours_best = s, th[2] = t;
    }
    return 0;
}

/* The repetitions, alternating ours and PyTorch's: A[i * reps + r] ours,
 * B[i * reps + r] PyTorch's samples/s of configuration i in repetition r. */
static int measure(double *A, double *B, const bn_cfg *cfg, int nc, const int th[3], const bn_plan *p, uint64_t seed)
{
    double tmp[BN_MAXCFG];
    progress pr;
    progress_start(&pr, "bench-nn", (uint64_t)p->reps * 2);
    for (int r = 0; r < p->reps; r++) {
        for (int i = 0; i < nc; i++) A[i * p->reps + r] = ours_sps(&cfg[i], th[2], p->min_s, seed + i);
        progress_add(&pr, 1);
        if (torch_sps(tmp, cfg, nc, th[0], th[1], p->min_s, seed)) {
            fprintf(stderr, "bench-nn: the PyTorch peer failed\n");
            return -1;
        }
        for (int i = 0; i < nc; i++) B[i * p->reps + r] = tmp[i];
        progress_add(&pr, 1);
    }
    progress_end(&pr);
    return 0;
}

static int bn_ncells(const exp_ctx *ctx)
{
    (void)ctx;
    return 1;
}

static int bn_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    (void)c;
    bn_cfg cfg[BN_MAXCFG];
    int nc = bn_configs(cfg, ctx->scale == EXP_FULL), th[3];
    bn_plan p = bn_plan_of(ctx);
    if (calibrate(th, &p, ctx->seed) != 0) return -1;
    double *A = calloc((size_t)nc * p.reps, sizeof(double)), *B = calloc((size_t)nc * p.reps, sizeof(double));
    int rc = A && B ? measure(A, B, cfg, nc, th, &p, ctx->seed) : -1;
    if (rc == 0) {
        int v[4] = {p.T, th[0], th[1], th[2]};
        cellio_put_ints(out, v, 4);
        cellio_put_f64s(out, A, (size_t)nc * p.reps);
        cellio_put_f64s(out, B, (size_t)nc * p.reps);
    }
    free(A);
    free(B);
    return rc;
}

/* --- reduce ----------------------------------------------------------------------- */
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

static const char *act_text(nn_act a) { return a == NN_TANH ? "tanh" : "leaky ReLU"; }

/* The data file and the LaTeX table rows; sp[i] = speedup of configuration i. */
static int bn_table(run_set *set, char *rows, size_t rcap, double *sp, const bn_cfg *cfg, int nc, double *A, double *B,
                    const int th[3], int reps)
{
    char tcfg[64];
    snprintf(tcfg, sizeof tcfg, "torch_threads=%d,OPENBLAS_NUM_THREADS=%s", th[0], th[1] ? "1" : "unset");
    binio_file f;
    if (run_tsv_open(&f, set, "bench_nn",
                     "input\twidth\tdepth\tbatch\tact\tdeepcheap_sps\ttorch_sps\ttorch_config\tdeepcheap_blas_threads\tspeedup") != 0)
        return -1;
    size_t rl = 0;
    rows[0] = 0;
    for (int i = 0; i < nc; i++) {
        double a = median(A + i * reps, reps), b = median(B + i * reps, reps), s = a / b;
        sp[i] = s;
        fprintf(f.f, "%d\t%d\t%d\t%d\t%s\t%.6g\t%.6g\t%s\t%d\t%.4f\n", cfg[i].input, cfg[i].width, cfg[i].depth,
                cfg[i].batch, nn_act_name(cfg[i].act), a, b, tcfg, th[2], s);
        char na[32], nb[32];
        texmac_format_num(na, sizeof na, 3, a);
        texmac_format_num(nb, sizeof nb, 3, b);
        rl += snprintf(rows + rl, rcap - rl, "%d & %d & %d & %d & %s & $%s$ & $%s$ & %.2f \\\\\n", cfg[i].input,
                       cfg[i].width, cfg[i].depth, cfg[i].batch, act_text(cfg[i].act), na, nb, s);
    }
    return run_close(set, &f);
}

static int bn_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    if (n != 1) return -1;
    bn_cfg cfg[BN_MAXCFG];
    int nc = bn_configs(cfg, ctx->scale == EXP_FULL), th[3];
    bn_plan p = bn_plan_of(ctx);
    size_t rcap = 256 * (size_t)nc;
    double *A = calloc((size_t)nc * p.reps, sizeof(double)), *B = calloc((size_t)nc * p.reps, sizeof(double));
    char *rows = malloc(rcap);
    double sp[BN_MAXCFG], sp_small[BN_MAXCFG], sp_big[BN_MAXCFG], minsp = INFINITY;
    int ns = 0, nb = 0, imin = 0, rc = -1;
    if (!A || !B || !rows) goto done;
    int v[4]; /* threads, torch threads, OPENBLAS_NUM_THREADS=1, our BLAS threads */
    cellio_get_ints(in, v, 4);
    p.T = v[0], th[0] = v[1], th[1] = v[2], th[2] = v[3];
    cellio_get_f64s(in, A, (size_t)nc * p.reps);
    cellio_get_f64s(in, B, (size_t)nc * p.reps);
    if (in->failed || bn_table(set, rows, rcap, sp, cfg, nc, A, B, th, p.reps) != 0) goto done;
    for (int i = 0; i < nc; i++) {
        if (cfg[i].width <= 128) sp_small[ns++] = sp[i];
        else sp_big[nb++] = sp[i];
        if (sp[i] < minsp) minsp = sp[i], imin = i;
    }
    double med = median(sp, nc);
    char mincfg[160];
    snprintf(mincfg, sizeof mincfg, "input %d, width %d, depth %d, batch %d, %s", cfg[imin].input, cfg[imin].width,
             cfg[imin].depth, cfg[imin].batch, act_text(cfg[imin].act));
    const texmac m[] = {
        TEXMAC_F("PerfNnSpeedupMedian", 2, med),
        TEXMAC_F("PerfNnSpeedupMin", 2, minsp),
        TEXMAC_S("PerfNnSpeedupMinConfig", mincfg),
        TEXMAC_F("PerfNnSpeedupSmallMedian", 2, ns ? median(sp_small, ns) : NAN),
        TEXMAC_F("PerfNnSpeedupBigMedian", 2, nb ? median(sp_big, nb) : NAN),
        TEXMAC_I("PerfNnConfigs", nc),
        TEXMAC_I("PerfNnReps", p.reps),
        TEXMAC_F("PerfNnMinSeconds", 2, p.min_s),
        TEXMAC_I("PerfNnThreads", p.T),
        TEXMAC_I("PerfNnTorchThreads", th[0]),
        TEXMAC_S("PerfNnTorchBlas", th[1] ? "\\texttt{OPENBLAS\\_NUM\\_THREADS=1}" : "\\texttt{OPENBLAS\\_NUM\\_THREADS} unset"),
        TEXMAC_I("PerfNnOursBlasThreads", th[2]),
        TEXMAC_S("PerfNnTableRows", rows),
    };
    rc = run_macros(set, m, TEXMAC_LEN(m));
done:
    free(rows);
    free(A);
    free(B);
    return rc;
}

const exp_def exp_bench_nn_def = {bn_ncells, bn_cell, bn_reduce, EXP_BENCH | EXP_SERIAL};
