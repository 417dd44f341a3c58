/* Chapter 4, experiment `depth-width`: RT-6 (RT Fig. 2), the depth-width map
 * (issue 20 design, src/claims_prereg.def).  Dense nets of depth k and width
 * w learn the product of n = 20 inputs x_i ~ U[0, 2]; RT report that the
 * low-error region lies above the curve w = n^((k-1)/k) 2^(n^(1/k)).
 *
 * Units (one cell each): first the positive controls (a tanh net of depth
 * 4, width 48 learning prod x_i at small n, then sum ln x_i at n = 20), then
 * the grid act x depth x width; each with `reps` repetitions.  A unit
 * trains with RNG keys (seed, u, 1) (weights) and (seed, u, 2 + l) (the
 * fresh batches of learning rate l); its validation and test sets are keyed
 * by the target, (seed, 0xFFF00 + 4 * target + {0, 1}, 0), so every unit of
 * a target sees the same ones.  Cells run heaviest first (cell c trains
 * unit ncells - 1 - c).  The rule and the verdict are in ch4_rt6.c. */
#include "ch4_rt6.h"
#include "ch4_util.h"
#include "experiments.h"
#include "nn.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RT6_NLR 4
#define RT6_NCK 5 /* checkpoints: B/2, B, 2B, 3B, 4B */
static const double rt6_lrs[RT6_NLR] = {0.3, 1.0, 3.0, 10.0};
static const nn_act rt6_acts[2] = {NN_TANH, NN_RELU};
enum { CTL_DEPTH = 4, CTL_WIDTH = 48, BATCH = 100, NTEST = 8000, NVAL = 2000 };

typedef struct {
    int nk, nw, ks[12], ws[12], reps, nctl, ctl_n[8], B;
} rt6_grid;

static rt6_grid grid(const exp_ctx *ctx)
{
    static const int kq[] = {1, 2, 4}, wq[] = {8, 48, 100}, cq[] = {2, 4, 8, 16};
    static const int kf[] = {1, 2, 3, 4, 6, 8, 12, 20}, wf[] = {10, 20, 40, 60, 100}, cf[] = {2, 4, 8, 12, 16, 20};
    int full = ctx->scale == EXP_FULL;
    rt6_grid g = {full ? 8 : 3, full ? 5 : 3, {0}, {0}, 5, full ? 6 : 4, {0}, full ? 1000 : 500};
    for (int i = 0; i < g.nk; i++) g.ks[i] = full ? kf[i] : kq[i];
    for (int i = 0; i < g.nw; i++) g.ws[i] = full ? wf[i] : wq[i];
    for (int i = 0; i < g.nctl; i++) g.ctl_n[i] = full ? cf[i] : cq[i];
    return g;
}

static int rt6_ncells(const exp_ctx *ctx)
{
    rt6_grid g = grid(ctx);
    return (g.nctl + 1 + 2 * g.nk * g.nw) * g.reps;
}

/* What unit u trains: kind 0 grid / 1 prod control / 2 sumlog control. */
typedef struct {
    int kind, n, act, depth, width, rep, target;
} rt6_unit;

static rt6_unit unit_of(const rt6_grid *g, int u)
{
    rt6_unit t = {0, RT6_N, 0, CTL_DEPTH, CTL_WIDTH, u % g->reps, 0};
    int i = u / g->reps;
    if (i < g->nctl) t.kind = 1, t.n = g->ctl_n[i], t.target = i;
    else if (i == g->nctl) t.kind = 2, t.target = g->nctl;
    else {
        i -= g->nctl + 1;
        t.act = i / (g->nk * g->nw), t.depth = g->ks[i / g->nw % g->nk], t.width = g->ws[i % g->nw];
        t.target = g->nctl + 1; /* prod at n = 20, like the control of that n */
        for (int c = 0; c < g->nctl; c++)
            if (g->ctl_n[c] == RT6_N) t.target = c;
    }
    return t;
}

/* m samples of the target: y = prod x_i, or sum ln x_i (sumlog).  The
 * inputs first, from rng_u32_fill (SIMD Philox) in chunks of words: the
 * n * m numbers of as many rng_uniformf calls, x = 2 U with U = (u >> 8)
 * 2^-24 (perf: rng_uniformf one call per input was 8% of the experiment). */
enum { RT6_WORDS = 2048 };
static void rt6_data(float *X, float *Y, int m, int n, int sumlog, rng_stream *r)
{
    uint32_t u[RT6_WORDS];
    size_t total = (size_t)m * n;
    for (size_t t0 = 0; t0 < total; t0 += RT6_WORDS) {
        size_t nc = total - t0 < RT6_WORDS ? total - t0 : RT6_WORDS;
        rng_u32_fill(r, u, nc);
        for (size_t t = 0; t < nc; t++) X[t0 + t] = 2.0f * ((float)(u[t] >> 8) * 0x1.0p-24f);
    }
    for (int i = 0; i < m; i++) {
        double y = sumlog ? 0.0 : 1.0;
        for (int j = 0; j < n; j++) {
            float x = X[(size_t)i * n + j];
            y = sumlog ? y + log(x > 0 ? x : 1e-30f) : y * x;
        }
        Y[i] = (float)y;
    }
}

/* An evaluation set: inputs, g(target) with g(y) = asinh(y / s), s the
 * median of the validation targets (logarithmic above s, linear near 0 and
 * defined for negative predictions), or the identity for sumlog; and the
 * sum of squared deviations of g. */
typedef struct {
    float *X, *gy;
    int m, n, sumlog;
    double off, ssd;
} rt6_eval;

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static double rt6_g(const rt6_eval *e, double y) { return e->sumlog ? y : asinh(y / e->off); }

static int eval_init(rt6_eval *e, int m, int n, int sumlog, double off, uint64_t seed, uint32_t key)
{
    e->X = malloc(sizeof *e->X * (size_t)m * n), e->gy = malloc(sizeof *e->gy * (size_t)m);
    e->m = m, e->n = n, e->sumlog = sumlog;
    if (!e->X || !e->gy) return -1;
    rng_stream r;
    rng_init(&r, seed, key, 0);
    rt6_data(e->X, e->gy, m, n, sumlog, &r);
    if (off < 0) { /* the validation set fixes the offset s: its median */
        float *s = malloc(sizeof *s * (size_t)m);
        if (!s) return -1;
        memcpy(s, e->gy, sizeof *s * (size_t)m);
        qsort(s, (size_t)m, sizeof *s, cmp_float);
        off = s[m / 2];
        free(s);
    }
    e->off = off;
    double mean = 0;
    for (int i = 0; i < m; i++) e->gy[i] = (float)rt6_g(e, e->gy[i]), mean += e->gy[i];
    mean /= m, e->ssd = 0;
    for (int i = 0; i < m; i++) e->ssd += (e->gy[i] - mean) * (e->gy[i] - mean);
    return 0;
}

static void eval_clear(rt6_eval *e) { free(e->X), free(e->gy); }

/* listing: rt6-metric */
/* r = sum (g(pred) - g(y))^2 / sum (g(y) - mean g)^2: 1 for the best
 * constant, 0 exact; *se its standard error (from the squared errors). */
static double rt6_metric(double *se, nn_net *net, const rt6_eval *e)
{
    double s = 0, s2 = 0;
    for (int i0 = 0; i0 < e->m; i0 += net->cap) {
        int b = e->m - i0 < net->cap ? e->m - i0 : net->cap;
        const float *p = nn_forward(net, e->X + (size_t)i0 * e->n, b);
        for (int i = 0; i < b; i++) {
            double d = rt6_g(e, p[i]) - e->gy[i0 + i];
            s += d * d, s2 += d * d * d * d;
        }
    }
    double m = s / e->m;
    if (se) *se = sqrt(fmax(s2 / e->m - m * m, 0) / (e->m - 1)) * e->m / e->ssd;
    return s / e->ssd;
}
/* end: rt6-metric */

/* steps optimizer steps of AdaDelta on the MAE, on fresh batches from r. */
static void train(nn_net *net, nn_opt *opt, int steps, const rt6_unit *t, float *X, float *Y, float *grad, rng_stream *r)
{
    for (int s = 0; s < steps; s++) {
        rt6_data(X, Y, BATCH, t->n, t->kind == 2, r);
        const float *p = nn_forward(net, X, BATCH);
        nn_loss_eval(grad, NN_LOSS_MAE, p, Y, BATCH, 1);
        nn_backward_params(net, grad);
        nn_opt_step(opt, net->params, net->grads);
    }
}

/* listing: rt6-cell */
/* One unit: the learning-rate sweep (B/2 steps each, chosen on the
 * validation set), then the winner continued to 4B with the test r at the
 * checkpoints.  out: chosen lr, validation r per lr, r at the checkpoints,
 * SE at B and 4B. */
static int rt6_train_unit(double *out, const rt6_unit *t, int B, uint64_t seed, uint32_t u)
{
    int sizes[22], rc = -1, best = 0;
    nn_act acts[21];
    nn_act act = t->kind ? NN_TANH : rt6_acts[t->act];
    sizes[0] = t->n, sizes[t->depth + 1] = 1, acts[t->depth] = NN_IDENTITY;
    for (int l = 0; l < t->depth; l++) sizes[l + 1] = t->width, acts[l] = act;
    nn_net net[RT6_NLR];
    nn_opt opt[RT6_NLR];
    rng_stream rs[RT6_NLR];
    rt6_eval val, test;
    float *X = malloc(sizeof *X * BATCH * t->n), *Y = malloc(sizeof *Y * BATCH), *grad = malloc(sizeof *grad * BATCH);
    memset(net, 0, sizeof net), memset(opt, 0, sizeof opt), memset(&val, 0, sizeof val), memset(&test, 0, sizeof test);
    uint32_t dk = 0xFFF00u + 4u * (uint32_t)t->target;
    if (!X || !Y || !grad || eval_init(&val, NVAL, t->n, t->kind == 2, -1, seed, dk) != 0 ||
        eval_init(&test, NTEST, t->n, t->kind == 2, val.off, seed, dk + 1) != 0)
        goto done;
    for (int l = 0; l < RT6_NLR; l++) {
        rng_stream w;
        rng_init(&w, seed, u, 1); /* the same initial weights for every rate */
        rng_init(&rs[l], seed, u, 2 + (uint64_t)l);
        if (nn_net_init(&net[l], t->depth + 1, sizes, acts, 500) != 0 || nn_opt_init(&opt[l], NN_ADADELTA, net[l].nparams) != 0)
            goto done;
        nn_init_weights(&net[l], act == NN_RELU ? NN_INIT_HE : NN_INIT_GLOROT, 0.0, &w);
        opt[l].lr = rt6_lrs[l];
        train(&net[l], &opt[l], B / 2, t, X, Y, grad, &rs[l]);
        out[1 + l] = rt6_metric(NULL, &net[l], &val);
        if (out[1 + l] < out[1 + best]) best = l;
    }
    out[0] = best;
    static const int at[RT6_NCK] = {1, 2, 4, 6, 8}; /* in units of B/2 */
    for (int c = 0; c < RT6_NCK; c++) {
        if (c) train(&net[best], &opt[best], (at[c] - at[c - 1]) * (B / 2), t, X, Y, grad, &rs[best]);
        double se;
        out[1 + RT6_NLR + c] = rt6_metric(&se, &net[best], &test);
        if (c == 1) out[1 + RT6_NLR + RT6_NCK] = se;
        if (c == RT6_NCK - 1) out[2 + RT6_NLR + RT6_NCK] = se;
    }
    rc = 0;
done:
    for (int l = 0; l < RT6_NLR; l++) nn_opt_clear(&opt[l]), nn_net_clear(&net[l]);
    eval_clear(&val), eval_clear(&test), free(X), free(Y), free(grad);
    return rc;
}
/* end: rt6-cell */
#define RT6_NOUT (3 + RT6_NLR + RT6_NCK)

static int dw_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    rt6_grid g = grid(ctx);
    int u = rt6_ncells(ctx) - 1 - c; /* heaviest first */
    rt6_unit t = unit_of(&g, u);
    double v[RT6_NOUT];
    if (rt6_train_unit(v, &t, g.B, ctx->seed, (uint32_t)u) != 0) {
        fprintf(stderr, "deepcheap: depth-width: out of memory\n");
        return -1;
    }
    for (int i = 0; i < RT6_NOUT; i++) cellio_put_f64(out, v[i]);
    return 0;
}

/* --- reduce ------------------------------------------------------------------------------ */
/* Half-way to the neighbouring grid values: the cell edges the map draws. */
static void edges(const int *v, int n, int i, double *lo, double *hi)
{
    double l = i > 0 ? v[i - 1] : v[i] - (n > 1 ? v[1] - v[0] : 1), h = i + 1 < n ? v[i + 1] : v[i] + (n > 1 ? v[n - 1] - v[n - 2] : 1);
    *lo = 0.5 * (l + v[i]), *hi = 0.5 * (v[i] + h);
}

/* Mean and sd of column j over the reps of the group starting at unit u0. */
static void msd(const double *v, int u0, int reps, int j, double *m, double *sd)
{
    double s = 0, s2 = 0;
    for (int r = 0; r < reps; r++) s += v[(u0 + r) * RT6_NOUT + j], s2 += v[(u0 + r) * RT6_NOUT + j] * v[(u0 + r) * RT6_NOUT + j];
    *m = s / reps, *sd = reps > 1 ? sqrt(fmax(s2 / reps - *m * *m, 0) * reps / (reps - 1)) : 0;
}

static const char *kind_name(int k) { return k == 0 ? "grid" : k == 1 ? "prod" : "sumlog"; }

/* rt6_nets (every net), rt6_learn (curves per group), rt6_grid (the maps), rt6_control. */
static void write_rows(FILE **f, const rt6_grid *g, const double *v, int n)
{
    static const int at[RT6_NCK] = {1, 2, 4, 6, 8};
    for (int u = 0; u < n; u++) {
        rt6_unit t = unit_of(g, u);
        const double *o = v + (size_t)u * RT6_NOUT;
        int up = t.kind == 0 && t.width >= rt6_curve(t.depth);
        fprintf(f[0], "%s\t%d\t%s\t%d\t%d\t%d\t%d\t%g", kind_name(t.kind), t.n, t.kind ? "tanh" : nn_act_name(rt6_acts[t.act]),
                t.depth, t.width, t.rep, up, rt6_lrs[(int)o[0]]);
        for (int c = 0; c < RT6_NCK + 2; c++) fprintf(f[0], "\t%.17g", o[1 + RT6_NLR + c]);
        fprintf(f[0], "\n");
        if (t.rep) continue;
        const char *an = t.kind ? "tanh" : nn_act_name(rt6_acts[t.act]);
        for (int c = 0; c < RT6_NCK; c++) {
            double m, sd;
            msd(v, u, g->reps, 1 + RT6_NLR + c, &m, &sd);
            fprintf(f[1], "%s\t%d\t%s\t%d\t%d\t%d\t%d\t%.6g\t%.6g\n", kind_name(t.kind), t.n, an, t.depth, t.width, up, at[c] * g->B / 2, m, sd);
        }
        double mb, sb, m4, s4;
        msd(v, u, g->reps, 1 + RT6_NLR + 1, &mb, &sb);
        msd(v, u, g->reps, 1 + RT6_NLR + RT6_NCK - 1, &m4, &s4);
        if (t.kind) {
            fprintf(f[3], "%s\t%d\t%.6g\t%.6g\t%.6g\t%.6g\n", kind_name(t.kind), t.n, mb, sb, m4, s4);
            continue;
        }
        int ki = 0, wi = 0;
        while (g->ks[ki] != t.depth) ki++;
        while (g->ws[wi] != t.width) wi++;
        double k0, k1, w0, w1;
        edges(g->ks, g->nk, ki, &k0, &k1);
        edges(g->ws, g->nw, wi, &w0, &w1);
        fprintf(f[2], "%s\t%d\t%d\t%d\t%.5f\t%.5f\t%.5f\t%.5f\t%g\t%g\t%g\t%g\n", an, t.depth, t.width, up, mb, sb, m4, s4, k0, k1, w0, w1);
    }
}

static int dw_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    static const char *const names[5] = {"rt6_nets", "rt6_learn", "rt6_grid", "rt6_control", "rt6_curve"};
    static const char *const cols[5] = {RT6_NETS_COLS, "kind\tn\tact\tdepth\twidth\tabove\tsteps\tr\tr_sd",
                                        "act\tdepth\twidth\tabove\tr_b\tr_b_sd\tr_4b\tr_4b_sd\tk_lo\tk_hi\tw_lo\tw_hi",
                                        "kind\tn\tr_b\tr_b_sd\tr_4b\tr_4b_sd", "depth\twcurve"};
    rt6_grid g = grid(ctx);
    if (n != rt6_ncells(ctx)) return -1;
    double *v = malloc(sizeof *v * (size_t)n * RT6_NOUT);
    if (!v) return -1;
    for (int c = 0; c < n; c++) /* cell c holds unit n - 1 - c */
        for (int i = 0; i < RT6_NOUT; i++) v[(size_t)(n - 1 - c) * RT6_NOUT + i] = cellio_get_f64(&in[c]);
    binio_file f[5];
    if (ch4_open_files(f, set, names, cols, 5) != 0) {
        free(v);
        return -1;
    }
    FILE *fp[4] = {f[0].f, f[1].f, f[2].f, f[3].f};
    write_rows(fp, &g, v, n);
    free(v);
    for (int k = 1; k <= 20; k++) fprintf(f[4].f, "%d\t%.3f\n", k, rt6_curve(k));
    if (ch4_close_files(f, set, 5, 1) != 0) return -1;
    rt6_settings st = {g.B, BATCH, NTEST, NVAL, g.reps, RT6_NLR, rt6_lrs};
    return rt6_summary(set, &st);
}

const exp_def exp_depth_width_def = {rt6_ncells, dw_cell, dw_reduce, 0};
