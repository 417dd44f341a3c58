/* bench-nn: MLP training throughput (samples/s), deepcheap (src/nn.c) vs
 * PyTorch CPU (bench/torch_mlp.py under /usr/bin/python3), same net, float32,
 * Adam, MSE, same fixed batch, and the machine's limit: OpenBLAS sgemm at the
 * configuration's largest product (batch x width x width; batch x width x
 * input at depth 1), measured in the same run on the same threads as ours.
 *
 * Calibration, per configuration and in the same run: ours over BLAS threads
 * 1..min(threads, 2), PyTorch over torch.set_num_threads(1..min(threads, 2))
 * x OPENBLAS_NUM_THREADS=1 or unset, over half a measurement's window, in
 * BN_CALIB passes; each side keeps the setting of its fastest measurement
 * for that configuration.  Then BN_REPS
 * repetitions alternate: the sgemm rate at each distinct product shape (and
 * thread count) once, all of ours, then all of PyTorch's.  PyTorch runs in
 * one peer process per OPENBLAS setting, started once for the whole run
 * (torch imported once) and idle, blocked on its input, while ours run.
 * Each measurement: BN_WARM warm-up steps, then steps until the window has
 * passed.  Tables report medians and min-max.
 *
 * GFLOP/s counts the matrix products only (element-wise work, O(batch x
 * units + parameters), is left out, so it is a lower bound on the arithmetic
 * done): per step, for layer l with n_{l-1} inputs and n_l outputs, 2 B
 * n_{l-1} n_l forward, 2 B n_{l-1} n_l for the weight gradient and, except
 * for the first layer (no dL/dinput), 2 B n_{l-1} n_l for dL/dA_{l-1}.
 * PyTorch's rate counts the same flops; sgemm's rate over PyTorch's is the
 * speedup a step running entirely at sgemm's rate would have: the ceiling
 * of any code built on that sgemm.
 *
 * One cell (the benchmark runs alone): it calibrates and measures every
 * repetition; reduce takes the medians and writes the table and the macros. */
#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments.h"
#include "nn.h"
#include "peer.h"
#include "progress.h"
#include "stats.h"

void openblas_set_num_threads(int n);

typedef struct {
    int input, width, depth, batch;
    nn_act act;
} bn_cfg;

enum { BN_MAXCFG = 128, BN_REPS = 5, BN_MAXT = 2, BN_WARM = 2, BN_CALIB = 2 };

/* The goal of issue 18: deepcheap at least this many times PyTorch. */
static const double bn_goal = 1.5;

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
        cfg[nc++] = (bn_cfg){18, 512, 1, 1000, NN_LRELU};
        cfg[nc++] = (bn_cfg){20, 512, 3, 1000, NN_TANH};
    }
    return nc;
}

/* Matrix-product flops of one training step (formula in the header). */
static double bn_flops(const bn_cfg *c)
{
    double f = 0, B = c->batch;
    for (int l = 0; l <= c->depth; l++) {
        double ni = l ? c->width : c->input, no = l < c->depth ? c->width : 1;
        f += (l ? 3 : 2) * 2 * B * ni * no;
    }
    return f;
}

/* The run's shape: threads, seconds per measurement. */
typedef struct {
    int reps, T;
    double min_s;
} bn_plan;

static bn_plan bn_plan_of(const exp_ctx *ctx)
{
    int full = ctx->scale == EXP_FULL;
    bn_plan p = {BN_REPS, ctx->threads > 0 ? ctx->threads : 1, full ? 0.1 : 0.03};
    if (p.T > BN_MAXT) p.T = BN_MAXT;
    return p;
}

/* OpenBLAS sgemm GFLOP/s on C = A B^T (M x K times (N x K)^T, the shape of
 * our forward product) on `threads` BLAS threads, over at least min_s
 * seconds after one warm-up call. */
static double sgemm_gflops(int M, int N, int K, int threads, double min_s)
{
    float *A = malloc((size_t)M * K * sizeof(float)), *B = malloc((size_t)N * K * sizeof(float)),
          *C = malloc((size_t)M * N * sizeof(float));
    double g = NAN;
    if (A && B && C) {
        for (size_t i = 0; i < (size_t)M * K; i++) A[i] = (float)((i % 7) * 0.1 - 0.3);
        for (size_t i = 0; i < (size_t)N * K; i++) B[i] = (float)((i % 5) * 0.1 - 0.2);
        openblas_set_num_threads(threads);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1, A, K, B, K, 0, C, N);
        long n = 0;
        double t0 = progress_seconds(), el;
        do {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1, A, K, B, K, 0, C, N);
            n++;
        } while ((el = progress_seconds() - t0) < min_s);
        openblas_set_num_threads(1);
        g = 2.0 * M * N * K * n / el * 1e-9;
    }
    free(A);
    free(B);
    free(C);
    return g;
}

/* One training step = forward, MSE gradient, backward (no dL/dinput, as
 * PyTorch skips it for a leaf input), Adam step.  Returns samples/s over
 * at least min_s seconds after BN_WARM warm-up steps. */
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
    if (!X || !Y || !G) {
        free(X);
        free(Y);
        free(G);
        nn_opt_clear(&opt);
        nn_net_clear(&net);
        return NAN;
    }
    for (size_t i = 0; i < (size_t)c->batch * c->input; i++) X[i] = (float)rng_normal(&r);
    for (int i = 0; i < c->batch; i++) Y[i] = (float)rng_normal(&r);
    openblas_set_num_threads(blas_threads);
    long n = 0;
    double t0 = 0, el = 0;
    for (int it = 0;; it++) {
        if (it == BN_WARM) t0 = progress_seconds();
        const float *P = nn_forward(&net, X, c->batch);
        nn_loss_eval(G, NN_LOSS_MSE, P, Y, c->batch, 1);
        nn_backward_params(&net, G);
        nn_opt_step(&opt, net.params, net.grads);
        if (it >= BN_WARM) {
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

/* The two peer processes, under OPENBLAS_NUM_THREADS unset (0) and =1 (1),
 * each importing torch once for the whole run (both at once, before any
 * measurement).  0, or -1 after one line on stderr (none left running). */
static int torch_start(peer_proc *pp)
{
    char script[4200], cmd[4400];
    if (peer_script(script, sizeof script, "torch_mlp.py") != 0) return -1;
    int ok[2] = {0, 0};
    for (int b1 = 0; b1 < 2; b1++) {
        snprintf(cmd, sizeof cmd, "%s /usr/bin/python3 '%s'",
                 b1 ? "env OPENBLAS_NUM_THREADS=1" : "env -u OPENBLAS_NUM_THREADS", script);
        ok[b1] = peer_spawn(&pp[b1], cmd) == 0;
    }
    for (int b1 = 0; b1 < 2; b1++) ok[b1] = ok[b1] && peer_wait_ready(&pp[b1]) == 0;
    if (ok[0] && ok[1]) return 0;
    for (int b1 = 0; b1 < 2; b1++)
        if (ok[b1]) peer_stop(&pp[b1]);
    fprintf(stderr, "bench-nn: could not start the PyTorch peer (%s)\n", script);
    return -1;
}

/* The peer pp (one OPENBLAS setting) on the configurations idx[0..n), each
 * with torch threads tt[k]; out[k] = samples/s.  0 on success, -1 after one
 * line on stderr. */
static int torch_sps(double *out, peer_proc *pp, const bn_cfg *cfg, const int *idx, const int *tt, int n,
                     double min_s, uint64_t seed)
{
    size_t cap = 256 + 48 * (size_t)n;
    char *args = malloc(cap);
    if (!args) return -1;
    int k = snprintf(args, cap, "1 %g %llu", min_s, (unsigned long long)seed);
    for (int i = 0; i < n; i++) {
        const bn_cfg *c = &cfg[idx[i]];
        k += snprintf(args + k, cap - k, " %d,%d,%d,%d,%s,%d", c->input, c->width, c->depth, c->batch,
                      c->act == NN_TANH ? "tanh" : "lrelu", tt[i]);
    }
    int rc = peer_ask(pp, out, n, args);
    free(args);
    if (rc) fprintf(stderr, "bench-nn: the PyTorch peer failed (torch_mlp.py under /usr/bin/python3, needs python3-torch)\n");
    return rc;
}

/* Each side's threading, per configuration. */
typedef struct {
    int ours[BN_MAXCFG];  /* our BLAS threads */
    int torch[BN_MAXCFG]; /* torch.set_num_threads */
    int blas1[BN_MAXCFG]; /* PyTorch under OPENBLAS_NUM_THREADS=1 (1) or unset (0) */
} bn_threads;

/* Calibration, per configuration: the fastest of each side's settings, over
 * half a measurement's window each. */
static int calibrate(bn_threads *th, peer_proc *pp, const bn_cfg *cfg, int nc, const bn_plan *p, uint64_t seed)
{
    int n = nc * p->T, *idx = malloc(n * sizeof(int)), *tt = malloc(n * sizeof(int));
    double *s = malloc(n * sizeof(double)), best[BN_MAXCFG], bo[BN_MAXCFG];
    int rc = idx && tt && s ? 0 : -1;
    for (int i = 0; i < nc; i++) th->ours[i] = th->torch[i] = 1, th->blas1[i] = 1, bo[i] = best[i] = -1;
    for (int i = 0; i < nc && !rc; i++)
        for (int t = 1; t <= p->T; t++) idx[i * p->T + t - 1] = i, tt[i * p->T + t - 1] = t;
    /* Two passes, each setting's best measurement counts: one measurement
     * slowed by a busy core (the shared machine) cannot pick a setting. */
    for (int pass = 0; pass < BN_CALIB && !rc; pass++) {
        for (int i = 0; i < nc; i++)
            for (int t = 1; t <= p->T; t++) {
                double v = ours_sps(&cfg[i], t, p->min_s / 2, seed + i);
                if (v > bo[i]) bo[i] = v, th->ours[i] = t;
            }
        for (int b1 = 0; b1 < 2 && !rc; b1++) {
            if ((rc = torch_sps(s, &pp[b1], cfg, idx, tt, n, p->min_s / 2, seed)) != 0) break;
            for (int k = 0; k < n; k++)
                if (s[k] > best[idx[k]]) best[idx[k]] = s[k], th->torch[idx[k]] = tt[k], th->blas1[idx[k]] = b1;
        }
    }
    free(idx);
    free(tt);
    free(s);
    return rc;
}

/* The sgemm shape of configuration i's largest product on our threads. */
static void sgemm_shape(int *s, const bn_cfg *c, int threads)
{
    s[0] = c->batch, s[1] = c->width, s[2] = c->depth > 1 ? c->width : c->input, s[3] = threads;
}

/* The first configuration before i with i's sgemm shape, or i. */
static int sgemm_first(const bn_cfg *cfg, const bn_threads *th, int i)
{
    int a[4], b[4];
    sgemm_shape(a, &cfg[i], th->ours[i]);
    for (int j = 0; j < i; j++) {
        sgemm_shape(b, &cfg[j], th->ours[j]);
        if (!memcmp(a, b, sizeof a)) return j;
    }
    return i;
}

/* The repetitions, alternating ours and PyTorch's: A[i * reps + r] ours,
 * B[i * reps + r] PyTorch's samples/s, S[i * reps + r] the sgemm GFLOP/s at
 * configuration i's largest product on our threads, in repetition r (one
 * measurement per distinct shape and repetition, shared by the
 * configurations of that shape). */
static int measure(double *A, double *B, double *S, peer_proc *pp, const bn_cfg *cfg, int nc,
                   const bn_threads *th, const bn_plan *p, uint64_t seed)
{
    double tmp[BN_MAXCFG];
    int idx[BN_MAXCFG], tt[BN_MAXCFG];
    progress pr;
    progress_start(&pr, "bench-nn", (uint64_t)p->reps * 2);
    for (int r = 0; r < p->reps; r++) {
        for (int i = 0; i < nc; i++) {
            const bn_cfg *c = &cfg[i];
            int sh[4], j = sgemm_first(cfg, th, i);
            sgemm_shape(sh, c, th->ours[i]);
            S[i * p->reps + r] = j < i ? S[j * p->reps + r] : sgemm_gflops(sh[0], sh[1], sh[2], sh[3], p->min_s);
            A[i * p->reps + r] = ours_sps(c, th->ours[i], p->min_s, seed + i);
        }
        progress_add(&pr, 1);
        for (int b1 = 0; b1 < 2; b1++) {
            int n = 0;
            for (int i = 0; i < nc; i++)
                if (th->blas1[i] == b1) idx[n] = i, tt[n++] = th->torch[i];
            if (n && torch_sps(tmp, &pp[b1], cfg, idx, tt, n, p->min_s, seed)) return -1;
            for (int k = 0; k < n; k++) B[idx[k] * p->reps + r] = tmp[k];
        }
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
    int nc = bn_configs(cfg, ctx->scale == EXP_FULL);
    bn_plan p = bn_plan_of(ctx);
    bn_threads th;
    peer_proc pp[2];
    if (torch_start(pp) != 0) return -1;
    double t0 = progress_seconds();
    int rc = calibrate(&th, pp, cfg, nc, &p, ctx->seed), ns = 0;
    double t1 = progress_seconds();
    size_t m = (size_t)nc * p.reps;
    double *A = calloc(m, sizeof(double)), *B = calloc(m, sizeof(double)), *S = calloc(m, sizeof(double));
    if (!rc) rc = A && B && S ? measure(A, B, S, pp, cfg, nc, &th, &p, ctx->seed) : -1;
    for (int b1 = 0; b1 < 2; b1++)
        if (peer_stop(&pp[b1]) != 0) rc = -1;
    for (int i = 0; i < nc; i++) ns += sgemm_first(cfg, &th, i) == i;
    fprintf(stderr, "bench-nn: %d configurations, window %.2f s; calibration %.1f s (%d + %d measurements), "
            "%d repetitions %.1f s (%d sgemm + %d + %d measurements each)\n", nc, p.min_s, t1 - t0, BN_CALIB * nc * p.T,
            BN_CALIB * 2 * nc * p.T, p.reps, progress_seconds() - t1, ns, nc, nc);
    if (rc == 0) {
        int v[2] = {p.T, nc};
        cellio_put_ints(out, v, 2);
        cellio_put_ints(out, th.ours, nc);
        cellio_put_ints(out, th.torch, nc);
        cellio_put_ints(out, th.blas1, nc);
        cellio_put_f64s(out, A, m);
        cellio_put_f64s(out, B, m);
        cellio_put_f64s(out, S, m);
    }
    free(A);
    free(B);
    free(S);
    return rc;
}

/* --- reduce ----------------------------------------------------------------------- */
static const char *act_text(nn_act a) { return a == NN_TANH ? "tanh" : "leaky ReLU"; }

/* Per-configuration summary of the repetitions. */
typedef struct {
    double a, amin, amax; /* ours: median, min, max samples/s */
    double b, bmin, bmax; /* PyTorch's */
    double sp;            /* speedup, ratio of the medians */
    double gf, sg, frac;  /* our GFLOP/s (median), sgemm GFLOP/s (median), gf / sg */
    double tg, bound;     /* PyTorch's GFLOP/s; sg / tg: the speedup of a step at sgemm's rate */
} bn_row;

static void summarize(bn_row *w, const bn_cfg *c, double *A, double *B, double *S, int reps)
{
    double lo = INFINITY, hi = -INFINITY, lb = INFINITY, hb = -INFINITY;
    for (int r = 0; r < reps; r++) {
        lo = fmin(lo, A[r]), hi = fmax(hi, A[r]);
        lb = fmin(lb, B[r]), hb = fmax(hb, B[r]);
    }
    w->a = stats_median(A, reps), w->amin = lo, w->amax = hi;
    w->b = stats_median(B, reps), w->bmin = lb, w->bmax = hb;
    w->sp = w->a / w->b;
    w->gf = w->a / c->batch * bn_flops(c) * 1e-9;
    w->sg = stats_median(S, reps);
    w->frac = w->gf / w->sg;
    w->tg = w->b / c->batch * bn_flops(c) * 1e-9;
    w->bound = w->sg / w->tg;
}

/* "$1.23\times10^{5}$ & {\scriptsize $-3/{+}5$}": a median and its min-max
 * spread in percent of the median. */
static int cell_text(char *buf, size_t n, double med, double lo, double hi)
{
    char num[32];
    texmac_format_num(num, sizeof num, 3, med);
    return snprintf(buf, n, "$%s$ & {\\scriptsize $-%.0f/{+}%.0f$}", num, 100 * (1 - lo / med),
                    100 * (hi / med - 1));
}

/* The data file and the LaTeX table rows. */
static int bn_table(run_set *set, char *rows, size_t rcap, const bn_row *w, const bn_cfg *cfg, int nc,
                    const bn_threads *th, int T)
{
    binio_file f;
    if (run_tsv_open(&f, set, "bench_nn",
                     "input\twidth\tdepth\tbatch\tact\tdeepcheap_sps\tdeepcheap_min\tdeepcheap_max\ttorch_sps\ttorch_min\t"
                     "torch_max\ttorch_threads\ttorch_openblas_threads\tdeepcheap_blas_threads\tspeedup\t"
                     "deepcheap_gflops\tsgemm_gflops\tfrac_of_sgemm\ttorch_gflops\tspeedup_at_sgemm") != 0)
        return -1;
    size_t rl = 0;
    rows[0] = 0;
    for (int i = 0; i < nc; i++) {
        const bn_cfg *c = &cfg[i];
        fprintf(f.f, "%d\t%d\t%d\t%d\t%s\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%d\t%s\t%d\t%.4f\t%.4g\t%.4g\t%.4f\t%.4g\t%.4f\n",
                c->input, c->width, c->depth, c->batch, nn_act_name(c->act), w[i].a, w[i].amin, w[i].amax, w[i].b,
                w[i].bmin, w[i].bmax, th->torch[i], th->blas1[i] ? "1" : "unset", th->ours[i], w[i].sp, w[i].gf,
                w[i].sg, w[i].frac, w[i].tg, w[i].bound);
        char ta[96], tb[96];
        cell_text(ta, sizeof ta, w[i].a, w[i].amin, w[i].amax);
        cell_text(tb, sizeof tb, w[i].b, w[i].bmin, w[i].bmax);
        rl += snprintf(rows + rl, rcap - rl,
                       "%d & %d & %d & %d & %s & %s & %s & %.2f & %d & %d,%d & %.1f & %.1f & %.0f \\\\\n", c->input,
                       c->width, c->depth, c->batch, act_text(c->act), ta, tb, w[i].sp, th->ours[i], th->torch[i],
                       th->blas1[i] ? 1 : T, w[i].gf, w[i].sg, 100 * w[i].frac);
    }
    return run_close(set, &f);
}

/* "input 20, width 512, depth 3, batch 1000, tanh" */
static void cfg_text(char *buf, size_t n, const bn_cfg *c)
{
    snprintf(buf, n, "input %d, width %d, depth %d, batch %d, %s", c->input, c->width, c->depth, c->batch,
             act_text(c->act));
}

/* The macros of the speedups against the goal and of the largest
 * configurations against sgemm. */
static int bn_macros(run_set *set, const bn_row *w, const bn_cfg *cfg, int nc, const bn_plan *p, const char *rows)
{
    double sp[BN_MAXCFG], sps[BN_MAXCFG], spb[BN_MAXCFG], lg[BN_MAXCFG], lf[BN_MAXCFG], ls[BN_MAXCFG];
    double minsp = INFINITY, minfrac = INFINITY, maxsg = 0;
    int ns = 0, nb = 0, nl = 0, below = 0, imin = 0, big = 0;
    char mincfg[160], belowlist[8192] = "", one[160];
    for (int i = 1; i < nc; i++) /* the configuration with the most flops per step */
        if (bn_flops(&cfg[i]) > bn_flops(&cfg[big])) big = i;
    for (int i = 0; i < nc; i++) {
        sp[i] = w[i].sp;
        if (cfg[i].width <= 128) sps[ns++] = w[i].sp;
        else spb[nb++] = w[i].sp;
        if (w[i].sp < minsp) minsp = w[i].sp, imin = i;
        maxsg = fmax(maxsg, w[i].sg);
        if (w[i].sp < bn_goal) {
            cfg_text(one, sizeof one, &cfg[i]);
            size_t l = strlen(belowlist);
            snprintf(belowlist + l, sizeof belowlist - l, "%s%s (%.2f$\\times$; at sgemm's rate %.2f$\\times$)",
                     below ? "; " : "", one, w[i].sp, w[i].bound);
            below++;
        }
        /* the largest configurations: the widest and deepest at the largest batch */
        if (cfg[i].width == cfg[big].width && cfg[i].depth == cfg[big].depth && cfg[i].batch == cfg[big].batch) {
            lg[nl] = w[i].gf, ls[nl] = w[i].sg, lf[nl++] = w[i].frac;
            minfrac = fmin(minfrac, w[i].frac);
        }
    }
    cfg_text(mincfg, sizeof mincfg, &cfg[imin]);
    char lcfg[96];
    snprintf(lcfg, sizeof lcfg, "width %d, depth %d, batch %d", cfg[big].width, cfg[big].depth, cfg[big].batch);
    const texmac m[] = {
        TEXMAC_F("PerfNnSpeedupMedian", 2, stats_median(sp, nc)),
        TEXMAC_F("PerfNnSpeedupMin", 2, minsp),
        TEXMAC_S("PerfNnSpeedupMinConfig", mincfg),
        TEXMAC_F("PerfNnSpeedupSmallMedian", 2, ns ? stats_median(sps, ns) : NAN),
        TEXMAC_F("PerfNnSpeedupBigMedian", 2, nb ? stats_median(spb, nb) : NAN),
        TEXMAC_F("PerfNnGoal", 1, bn_goal),
        TEXMAC_I("PerfNnBelowGoal", below),
        TEXMAC_S("PerfNnBelowGoalList", below ? belowlist : "none"),
        TEXMAC_S("PerfNnLargestConfig", lcfg),
        TEXMAC_I("PerfNnLargestCount", nl),
        TEXMAC_F("PerfNnLargestGflops", 1, stats_median(lg, nl)),
        TEXMAC_F("PerfNnLargestSgemm", 1, stats_median(ls, nl)),
        TEXMAC_F("PerfNnLargestFracMedian", 0, 100 * stats_median(lf, nl)),
        TEXMAC_F("PerfNnLargestFracMin", 0, 100 * minfrac),
        TEXMAC_F("PerfNnSgemmMax", 1, maxsg),
        TEXMAC_I("PerfNnConfigs", nc),
        TEXMAC_I("PerfNnReps", p->reps),
        TEXMAC_I("PerfNnCalibPasses", BN_CALIB),
        TEXMAC_F("PerfNnMinSeconds", 2, p->min_s),
        TEXMAC_I("PerfNnThreads", p->T),
        TEXMAC_S("PerfNnTableRows", rows),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

static int bn_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    if (n != 1) return -1;
    bn_cfg cfg[BN_MAXCFG];
    int nc = bn_configs(cfg, ctx->scale == EXP_FULL), v[2], rc = -1;
    bn_plan p = bn_plan_of(ctx);
    bn_threads th;
    size_t m = (size_t)nc * p.reps, rcap = 320 * (size_t)nc;
    double *A = calloc(m, sizeof(double)), *B = calloc(m, sizeof(double)), *S = calloc(m, sizeof(double));
    bn_row *w = calloc(nc, sizeof(bn_row));
    char *rows = malloc(rcap);
    if (!A || !B || !S || !w || !rows) goto done;
    cellio_get_ints(in, v, 2); /* threads, configurations */
    if (v[1] != nc) goto done;
    p.T = v[0];
    cellio_get_ints(in, th.ours, nc);
    cellio_get_ints(in, th.torch, nc);
    cellio_get_ints(in, th.blas1, nc);
    cellio_get_f64s(in, A, m);
    cellio_get_f64s(in, B, m);
    cellio_get_f64s(in, S, m);
    if (in->failed) goto done;
    for (int i = 0; i < nc; i++) summarize(&w[i], &cfg[i], A + i * p.reps, B + i * p.reps, S + i * p.reps, p.reps);
    if (bn_table(set, rows, rcap, w, cfg, nc, &th, p.T) != 0) goto done;
    rc = bn_macros(set, w, cfg, nc, &p, rows);
done:
    free(rows);
    free(A);
    free(B);
    free(S);
    free(w);
    return rc;
}

const exp_def exp_bench_nn_def = {bn_ncells, bn_cell, bn_reduce, EXP_BENCH | EXP_SERIAL};
