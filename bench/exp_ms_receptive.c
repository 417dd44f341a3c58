/* Chapter 5, experiment `ms-receptive` (MS-2): stacked RBMs 1600-400-100-25
 * on 40 x 40 Ising samples at K = 0.408 (Mehta-Schwab Sec. V); receptive
 * fields and their locality.
 *
 * The grid: one cell per trained stack, c = a reps + r for L1 strength a and
 * repetition r (RNG cells 100 + 10 (64 a + r) + ..., as before).  Every cell
 * draws the same training samples (MM chains keyed by chain 0..nchains-1,
 * cheap next to the training) and hands over the spread, shuffled spread and
 * feature scale of every unit, the autocorrelation time of the samples, and,
 * for repetition 0, the four fields per layer that the figures show.  Reduce
 * pools the units per strength (the figures' quantiles and the first rule's
 * tests), writes the five tables (units with their network, networks, summary,
 * fields, positive control) and the macros.  The verdict, vd_ms2 at the end, is
 * a function of the tables: the network is the statistical unit. */
#include "experiments.h"
#include "ising.h"
#include "msrg.h"
#include "rbm.h"
#include "rfield.h"
#include "stats.h"
#include "verdicts.h"


#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS2_L 40
#define MS2_K 0.408
#define MS2_DEPTH 3
#define MS2_BURN 1000
#define MS2_SPACING 10  /* MM steps between kept samples */
#define MS2_INIT_SD 0.01
#define MS2_NL1 4
#define MS2_NPEN 3      /* the penalised strengths: ms2_l1[0..2] */
#define MS2_ALPHA 0.01  /* family-wise level; each test uses MS2_ALPHA / MS2_NPEN (Bonferroni) */
#define MS2_RATIO 0.5   /* local: median rg below half the shuffled fields' (a quarter of the area) */
#define MS2_NQ 4        /* fields shown per layer */
#define MS2_GROWTH 1.4142135623730951 /* growth of interest: median xi up by sqrt 2 per layer */
#define MS2_COLLAPSED 0.5 /* a network with fewer finite units in a layer has collapsed */
#define MS2_NCTRL 25    /* positive control: fields per layer */
#define MS2_CTRL_CELL 9000u /* its RNG cells */
#define MS2_SITES (MS2_L * MS2_L)
#define MS2_COPY 0.95   /* near copies: cosine similarity above this, merged before counting */
#define MS2_PLATEAU 0.01 /* converged: held-out error fell by less than this fraction over the last quarter */
#define MS2_GAUSS_A 2   /* the Gaussian null's L1 strength: ms2_l1[2] */
#define MS2_GAUSS_CELL 8000u
#define MS2_PCA_CELL 8500u

static const int ms2_sizes[MS2_DEPTH + 1] = {1600, 400, 100, 25};
/* MS do not state their L1 strength: a fixed grid, decided before any run, and no penalty */
static const double ms2_l1[MS2_NL1] = {1e-4, 1e-3, 1e-2, 0};
static const double ms2_field_q[MS2_NQ] = {0.1, 0.3, 0.5, 0.7};

typedef struct {
    int n, reps, nchains, nheld; /* nheld held-out rows, from nheld / (n / nchains) further chains */
    rbm_train_opts o;
} ms2_cfg;

static ms2_cfg ms2_config(const exp_ctx *ctx)
{
    int full = ctx->scale == EXP_FULL;
    ms2_cfg g = {full ? 5000 : 1000, full ? 9 : 5, 10, full ? 1000 : 200,
                 {.k = 1, .persistent = 0, .batch = 100, .epochs = full ? 30 : 12, .lr0 = 0.05, .lr1 = 0.005, .l1 = 0,
                  .l2 = 0, .momentum = 0.5}};
    return g;
}

/* The networks, k = 0, 1, ...: MS2_NL1 * reps stacks trained on Ising samples (k = a reps
 * + r), then reps stacks trained on the Gaussian null (L1 = ms2_l1[MS2_GAUSS_A]), then the
 * PCA null.  The grid: each setting's networks in MS2_HALVES cells of up to ceil(reps /
 * MS2_HALVES) networks (a cell draws the samples once for all its networks), then the PCA
 * cell. */
enum { MS2_ISING, MS2_GAUSS, MS2_PCA };
#define MS2_HALVES 2

static int ms2_nnets(const ms2_cfg *g)
{
    return (MS2_NL1 + 1) * g->reps + 1;
}

static int ms2_ncells(const exp_ctx *ctx)
{
    (void)ctx;
    return (MS2_NL1 + 1) * MS2_HALVES + 1;
}

/* The networks [*k0, *k1) of cell c. */
static void ms2_cell_nets(int *k0, int *k1, const ms2_cfg *g, int c)
{
    int per = (g->reps + MS2_HALVES - 1) / MS2_HALVES, s = c / MS2_HALVES, h = c % MS2_HALVES;
    if (s > MS2_NL1) {
        *k0 = ms2_nnets(g) - 1, *k1 = *k0 + 1;
        return;
    }
    int r0 = h * per < g->reps ? h * per : g->reps, r1 = (h + 1) * per < g->reps ? (h + 1) * per : g->reps;
    *k0 = s * g->reps + r0, *k1 = s * g->reps + r1;
}

static int ms2_kind(const ms2_cfg *g, int c)
{
    return c < MS2_NL1 * g->reps ? MS2_ISING : c < (MS2_NL1 + 1) * g->reps ? MS2_GAUSS : MS2_PCA;
}

/* Measures of one set of fields per layer (a trained stack, its random-upper twin, PCA). */
typedef struct {
    double *rg[MS2_DEPTH], *null[MS2_DEPTH], *xi[MS2_DEPTH];
    int *copy[MS2_DEPTH]; /* near copy of an earlier unit (cosine > MS2_COPY) */
} ms2_meas;

/* One cell's measures. */
typedef struct {
    ms2_meas m, ru;             /* the stack; its random upper layers (layers 2, 3) */
    double *fields[MS2_DEPTH];
    double *curve;              /* MS2_DEPTH x (epochs + 1) held-out reconstruction errors */
    int pick[MS2_DEPTH][MS2_NQ]; /* repetition 0: the units shown, at fixed quantiles of rg */
    double tau;
} ms2_cell;

static void ms2_meas_clear(ms2_meas *m)
{
    for (int l = 0; l < MS2_DEPTH; l++) {
        free(m->rg[l]), free(m->null[l]), free(m->xi[l]), free(m->copy[l]);
        m->rg[l] = m->null[l] = m->xi[l] = NULL, m->copy[l] = NULL;
    }
}

static int ms2_meas_alloc(ms2_meas *m)
{
    int ok = 1;
    for (int l = 0; l < MS2_DEPTH; l++) {
        size_t nf = (size_t)ms2_sizes[l + 1];
        m->rg[l] = malloc(nf * sizeof(double)), m->null[l] = malloc(nf * sizeof(double));
        m->xi[l] = malloc(nf * sizeof(double)), m->copy[l] = calloc(nf, sizeof(int));
        ok &= m->rg[l] && m->null[l] && m->xi[l] && m->copy[l];
    }
    return ok ? 0 : -1;
}

static void ms2_cell_clear(ms2_cell *c)
{
    ms2_meas_clear(&c->m), ms2_meas_clear(&c->ru);
    for (int l = 0; l < MS2_DEPTH; l++) free(c->fields[l]), c->fields[l] = NULL;
    free(c->curve), c->curve = NULL;
}

static int ms2_cell_alloc(ms2_cell *c, int with_fields, int epochs)
{
    memset(c, 0, sizeof *c);
    int ok = ms2_meas_alloc(&c->m) == 0 && ms2_meas_alloc(&c->ru) == 0;
    c->curve = calloc((size_t)MS2_DEPTH * (size_t)(epochs + 1), sizeof(double));
    ok &= c->curve != NULL;
    for (int l = 0; l < MS2_DEPTH; l++) {
        size_t nf = (size_t)ms2_sizes[l + 1];
        c->fields[l] = malloc((with_fields ? nf : MS2_NQ) * MS2_SITES * sizeof(double));
        ok &= c->fields[l] != NULL;
    }
    if (!ok) ms2_cell_clear(c);
    return ok ? 0 : -1;
}

/* Samples: `nchains` independent MM chains (cells 0..nchains-1), bits (s+1)/2, then the
 * held-out rows from chains nchains, nchains + 1, ...; tau from the training chains. */
static float *ms2_samples(int n, int nchains, int nheld, uint64_t seed, double *tau)
{
    const int N = MS2_SITES, per = n / nchains, nall = n + nheld, call = nall / per;
    int8_t *s = malloc((size_t)nall * N);
    float *v = malloc((size_t)nall * N * sizeof *v);
    double *e = malloc((size_t)n * sizeof *e);
    if (!s || !v || !e || nall % per) { free(s); free(v); free(e); return NULL; }
    #pragma omp parallel for schedule(dynamic, 1)
    for (int c = 0; c < call; c++)
        ising_sample_torus(s + (size_t)c * per * N, MS2_L, 1 / MS2_K, per, MS2_BURN, MS2_SPACING, seed,
                           (uint32_t)c);
    for (size_t k = 0; k < (size_t)n; k++) {
        int E, M;
        ising_config_measure(&E, &M, s + k * N, MS2_L);
        e[k] = (double)E / N;
    }
    for (size_t i = 0; i < (size_t)nall * N; i++) v[i] = (float)(s[i] > 0);
    *tau = ising_tau_int_multi(e, nchains, (size_t)per); /* in units of the sample spacing */
    free(s);
    free(e);
    return v;
}

/* Every cell draws the same samples (they depend on the seed and the scale only): the
 * first cell of a process draws them, the others copy them (one copy, keyed by the
 * arguments, under a lock; ms2_reduce frees it). */
static struct {
    int n, nchains, nheld;
    uint64_t seed;
    double tau;
    float *v;
} ms2_memo;

static void ms2_memo_free(void)
{
    #pragma omp critical(ms2_memo)
    {
        free(ms2_memo.v);
        memset(&ms2_memo, 0, sizeof ms2_memo);
    }
}

static float *ms2_samples_once(int n, int nchains, int nheld, uint64_t seed, double *tau)
{
    size_t sz = (size_t)(n + nheld) * MS2_SITES * sizeof(float);
    float *v = malloc(sz);
    int hit = 0;
    #pragma omp critical(ms2_memo)
    {
        if (!ms2_memo.v || ms2_memo.n != n || ms2_memo.nchains != nchains || ms2_memo.nheld != nheld ||
            ms2_memo.seed != seed) {
            free(ms2_memo.v);
            memset(&ms2_memo, 0, sizeof ms2_memo);
            ms2_memo.v = v ? ms2_samples(n, nchains, nheld, seed, &ms2_memo.tau) : NULL;
            ms2_memo.n = n, ms2_memo.nchains = nchains, ms2_memo.nheld = nheld, ms2_memo.seed = seed;
        }
        if (v && ms2_memo.v) memcpy(v, ms2_memo.v, sz), *tau = ms2_memo.tau, hit = 1;
    }
    if (!hit) free(v);
    return hit ? v : NULL;
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The units of layer l at fixed quantiles of rg (no hand picking). */
static void ms2_pick(ms2_cell *c, int l)
{
    int nf = ms2_sizes[l + 1];
    double *s = malloc((size_t)nf * sizeof *s);
    if (!s) return;
    memcpy(s, c->m.rg[l], (size_t)nf * sizeof *s);
    qsort(s, (size_t)nf, sizeof *s, cmp_dbl);
    for (int q = 0; q < MS2_NQ; q++) {
        double target = s[(int)(ms2_field_q[q] * (nf - 1))];
        int j = 0;
        while (j < nf - 1 && !(c->m.rg[l][j] == target)) j++;
        c->pick[l][q] = j;
    }
    free(s);
}

/* Measures of the fields f (nf x sites) of layer l: spreads, feature scales, near copies. */
static int ms2_measure(ms2_meas *m, const double *f, int l, uint64_t seed, uint32_t cell)
{
    int nf = ms2_sizes[l + 1];
    msrg_spreads(m->rg[l], m->null[l], f, nf, MS2_L, seed, cell);
    for (int j = 0; j < nf; j++) m->xi[l][j] = rfield_scale(f + (size_t)j * MS2_SITES, MS2_L);
    return msrg_copies(m->copy[l], f, nf, MS2_SITES, MS2_COPY) < 0 ? -1 : 0;
}

/* The random-upper null: layers 2 and 3 replaced by Gaussian weights with the RMS of the
 * trained layer's, composed with the trained first layer; measured as the trained fields. */
static int ms2_random_upper(ms2_cell *c, const rbm_model *layers, uint64_t seed, uint32_t cell)
{
    double *W[MS2_DEPTH] = {0}, *f = malloc((size_t)ms2_sizes[1] * MS2_SITES * sizeof *f);
    int ok = f != NULL;
    for (int l = 0; ok && l < MS2_DEPTH; l++) {
        size_t nw = (size_t)ms2_sizes[l] * (size_t)ms2_sizes[l + 1];
        double ss = 0;
        if (!(W[l] = malloc(nw * sizeof(double)))) { ok = 0; break; }
        for (size_t i = 0; i < nw; i++) ss += (double)layers[l].W[i] * layers[l].W[i];
        rng_stream r;
        rng_init(&r, seed, cell, 40 + (uint32_t)l);
        for (size_t i = 0; i < nw; i++) W[l][i] = l == 0 ? layers[0].W[i] : sqrt(ss / nw) * rng_normal(&r);
    }
    for (int l = 1; ok && l < MS2_DEPTH; l++) {
        const double *Wc[MS2_DEPTH] = {W[0], W[1], W[2]};
        ok = rfield_compose(f, Wc, ms2_sizes, l + 1) == 0 && ms2_measure(&c->ru, f, l, seed, cell + 8) == 0;
    }
    for (int l = 0; l < MS2_DEPTH; l++) free(W[l]);
    free(f);
    return ok ? 0 : -1;
}

/* One stack (L1 strength index a, repetition r) on data (n rows, then the held-out rows):
 * learning curves, fields, spreads, copies; for Ising data also the random-upper null. */
static int ms2_train(ms2_cell *c, const float *data, const ms2_cfg *g, int a, int r, int kind, uint64_t seed)
{
    rbm_model layers[MS2_DEPTH];
    rbm_train_opts o = g->o;
    o.l1 = ms2_l1[a];
    uint32_t cell = (uint32_t)(100 + 10 * ((kind == MS2_GAUSS ? MS2_NL1 : a) * 64 + r));
    memset(layers, 0, sizeof layers);
    int ok = msrg_train_stack_curves(layers, c->curve, ms2_sizes, MS2_DEPTH, data, (size_t)g->n,
                                     data + (size_t)g->n * MS2_SITES, (size_t)g->nheld, &o, MS2_INIT_SD, seed,
                                     cell) == 0;
    for (int l = 0; ok && l < MS2_DEPTH; l++) {
        ok = msrg_fields(c->fields[l], layers, l) == 0 &&
             ms2_measure(&c->m, c->fields[l], l, seed, cell + 5 + (uint32_t)l) == 0;
        if (ok && r == 0 && kind == MS2_ISING) ms2_pick(c, l);
    }
    if (ok && kind == MS2_ISING) ok = ms2_random_upper(c, layers, seed, cell) == 0;
    for (int l = 0; l < MS2_DEPTH; l++) rbm_model_clear(&layers[l]);
    return ok ? 0 : -1;
}

/* The Gaussian null's data: bits of a Gaussian field with the Ising samples' two-point
 * function (the same rows for every null network: a fixed cell). */
static float *ms2_gauss_data(const float *ising, const ms2_cfg *g, uint64_t seed)
{
    double *C = malloc(MS2_SITES * sizeof *C);
    float *v = malloc((size_t)(g->n + g->nheld) * MS2_SITES * sizeof *v);
    if (!C || !v) { free(C), free(v); return NULL; }
    msrg_two_point(C, ising, (size_t)g->n, MS2_L);
    if (msrg_gauss_bits(v, C, (size_t)(g->n + g->nheld), MS2_L, seed, MS2_GAUSS_CELL) != 0) free(v), v = NULL;
    free(C);
    return v;
}

/* The PCA null: the top 400 principal components of the Ising samples; "layer" l holds the
 * top ms2_sizes[l + 1] of them. */
static int ms2_pca_cell(ms2_cell *c, const float *data, const ms2_cfg *g, uint64_t seed)
{
    int k = ms2_sizes[1];
    double *comp = malloc((size_t)k * MS2_SITES * sizeof *comp);
    int ok = comp && msrg_pca(comp, k, data, (size_t)g->n, MS2_SITES) == 0;
    for (int l = 0; ok && l < MS2_DEPTH; l++) ok = ms2_measure(&c->m, comp, l, seed, MS2_PCA_CELL + (uint32_t)l) == 0;
    free(comp);
    return ok ? 0 : -1;
}

static void ms2_put_meas(cellio_out *out, const ms2_meas *m, int l0)
{
    for (int l = l0; l < MS2_DEPTH; l++) {
        size_t nf = (size_t)ms2_sizes[l + 1];
        cellio_put_f64s(out, m->rg[l], nf);
        cellio_put_f64s(out, m->null[l], nf);
        cellio_put_f64s(out, m->xi[l], nf);
        cellio_put_ints(out, m->copy[l], nf);
    }
}

static void ms2_get_meas(cellio_in *in, ms2_meas *m, int l0)
{
    for (int l = l0; l < MS2_DEPTH; l++) {
        size_t nf = (size_t)ms2_sizes[l + 1];
        cellio_get_f64s(in, m->rg[l], nf);
        cellio_get_f64s(in, m->null[l], nf);
        cellio_get_f64s(in, m->xi[l], nf);
        cellio_get_ints(in, m->copy[l], nf);
    }
}

/* Network c (an index k of ms2_cell_nets) on the cell's samples (data, gd: the Gaussian
 * null's, tau: the Ising samples' autocorrelation time), into out. */
static int ms2_net_fn(const ms2_cfg *g, int c, const float *data, const float *gd, double tau, uint64_t seed,
                      cellio_out *out)
{
    int kind = ms2_kind(g, c), a = kind == MS2_ISING ? c / g->reps : MS2_GAUSS_A, r = c % g->reps, rc = -1;
    ms2_cell s;
    if (ms2_cell_alloc(&s, 1, g->o.epochs) != 0) return -1;
    s.tau = tau;
    if (kind == MS2_ISING) rc = ms2_train(&s, data, g, a, r, kind, seed);
    if (kind == MS2_GAUSS && gd) rc = ms2_train(&s, gd, g, a, r, kind, seed);
    if (kind == MS2_PCA) rc = ms2_pca_cell(&s, data, g, seed);
    if (rc != 0) {
        fprintf(stderr, "ms-receptive: network %d failed\n", c);
        ms2_cell_clear(&s);
        return -1;
    }
    cellio_put_f64(out, s.tau);
    ms2_put_meas(out, &s.m, 0);
    if (kind != MS2_PCA) cellio_put_f64s(out, s.curve, (size_t)MS2_DEPTH * (size_t)(g->o.epochs + 1));
    if (kind == MS2_ISING) ms2_put_meas(out, &s.ru, 1);
    for (int l = 0; kind == MS2_ISING && r == 0 && l < MS2_DEPTH; l++) {
        cellio_put_ints(out, s.pick[l], MS2_NQ);
        for (int q = 0; q < MS2_NQ; q++) cellio_put_f64s(out, s.fields[l] + (size_t)s.pick[l][q] * MS2_SITES, MS2_SITES);
    }
    ms2_cell_clear(&s);
    return 0;
}

/* Cell c: the samples once, then its networks one after another. */
static int ms2_cell_fn(const exp_ctx *ctx, int c, cellio_out *out)
{
    ms2_cfg g = ms2_config(ctx);
    int k0, k1, rc = 0;
    double tau;
    ms2_cell_nets(&k0, &k1, &g, c);
    float *data = ms2_samples_once(g.n, g.nchains, g.nheld, ctx->seed, &tau), *gd = NULL;
    if (data && ms2_kind(&g, k0) == MS2_GAUSS) gd = ms2_gauss_data(data, &g, ctx->seed);
    if (!data || (ms2_kind(&g, k0) == MS2_GAUSS && !gd)) rc = -1;
    for (int k = k0; rc == 0 && k < k1; k++) rc = ms2_net_fn(&g, k, data, gd, tau, ctx->seed, out);
    free(data), free(gd);
    return rc;
}

/* Reads network c of its cell into s (fields[l] holds the MS2_NQ picked fields of repetition 0). */
static int ms2_cell_get(cellio_in *in, ms2_cell *s, const ms2_cfg *g, int c)
{
    int kind = ms2_kind(g, c), r = c % g->reps;
    if (ms2_cell_alloc(s, 0, g->o.epochs) != 0) return -1;
    s->tau = cellio_get_f64(in);
    ms2_get_meas(in, &s->m, 0);
    if (kind != MS2_PCA) cellio_get_f64s(in, s->curve, (size_t)MS2_DEPTH * (size_t)(g->o.epochs + 1));
    if (kind == MS2_ISING) ms2_get_meas(in, &s->ru, 1);
    for (int l = 0; kind == MS2_ISING && r == 0 && l < MS2_DEPTH; l++) {
        cellio_get_ints(in, s->pick[l], MS2_NQ);
        for (int q = 0; q < MS2_NQ; q++) {
            if (s->pick[l][q] < 0 || s->pick[l][q] >= ms2_sizes[l + 1]) in->failed = 1;
            cellio_get_f64s(in, s->fields[l] + (size_t)q * MS2_SITES, MS2_SITES);
        }
    }
    return in->failed ? -1 : 0;
}

/* --- the sign test over networks (the verdict's, and the macros that describe it) ---------- */


/* The fewest networks whose unanimity reaches alpha. */
static int ms2_sign_need(double alpha)
{
    int need = 1;
    while (stats_sign_test_p(need, need) >= alpha) need++;
    return need;
}

/* --- reduce ------------------------------------------------------------------------------ */

/* q-quantile of sorted x[n] by linear interpolation. */
static double ms2_quantile(const double *x, int n, double q)
{
    double t = q * (n - 1);
    int i = (int)floor(t);
    return i + 1 < n ? x[i] + (t - i) * (x[i + 1] - x[i]) : x[n - 1];
}

/* Pools layer l's measures over repetitions (fields with NaN and near copies dropped), rep[k] the
 * repetition (network) of pooled unit k; returns the count. */
static int ms2_pool(double *rg, double *nul, double *xi, int *rep, const ms2_cell *cells, int a, int reps, int l)
{
    int k = 0;
    for (int r = 0; r < reps; r++)
        for (int j = 0; j < ms2_sizes[l + 1]; j++) {
            const ms2_meas *c = &cells[a * reps + r].m;
            if (isnan(c->rg[l][j]) || isnan(c->null[l][j]) || isnan(c->xi[l][j]) || c->copy[l][j]) continue;
            rg[k] = c->rg[l][j];
            nul[k] = c->null[l][j];
            rep[k] = r;
            xi[k++] = c->xi[l][j];
        }
    return k;
}

/* The fields of repetition 0 of strength a, each scaled to max |R| = 1. */
static void ms2_write_fields(FILE *f, const ms2_cell *c, double l1, int *panel)
{
    for (int l = 0; l < MS2_DEPTH; l++)
        for (int q = 0; q < MS2_NQ; q++) {
            int j = c->pick[l][q];
            const double *fj = c->fields[l] + (size_t)q * MS2_SITES;
            double mx = 0;
            for (int i = 0; i < MS2_SITES; i++) mx = fmax(mx, fabs(fj[i]));
            for (int y = 0; y < MS2_L; y++)
                for (int x = 0; x < MS2_L; x++)
                    fprintf(f, "%d\t%g\t%d\t%.2f\t%d\t%d\t%d\t%.4f\t%.4f\t%.4f\n", *panel, l1, l + 1, ms2_field_q[q], j, x,
                            y, mx > 0 ? fj[y * MS2_L + x] / mx : 0, c->m.rg[l][j], c->m.xi[l][j]);
            fprintf(f, "\n");
            (*panel)++;
        }
}

typedef struct {       /* one L1 strength, pooled over repetitions */
    int n[MS2_DEPTH];
    double *rg[MS2_DEPTH], *nul[MS2_DEPTH], *xi[MS2_DEPTH];
    int *rep[MS2_DEPTH];
    double rgq[MS2_DEPTH][5], xiq[MS2_DEPTH][5], med_null[MS2_DEPTH];  /* 10/25/50/75/90% */
    double p_local[MS2_DEPTH], p_grow_rg[MS2_DEPTH - 1], p_grow_xi[MS2_DEPTH - 1];
    int local[MS2_DEPTH], grow_xi;
} ms2_pooled;

static const double ms2_qs[5] = {0.1, 0.25, 0.5, 0.75, 0.9};

/* listing: ms2-tests */
/* The tests, fixed before any run: per layer, local = rg smaller than the
 * shuffled fields' (one-sided Mann-Whitney) and median rg < MS2_RATIO times
 * theirs; growth = feature scale xi (and, reported, rg) larger in the next layer. */
static void ms2_test(ms2_pooled *P, double alpha)
{
    for (int l = 0; l < MS2_DEPTH; l++) {
        int m = P->n[l];
        P->p_local[l] = stats_mann_whitney_p(P->rg[l], m, P->nul[l], m);
        qsort(P->rg[l], (size_t)m, sizeof(double), cmp_dbl);
        qsort(P->nul[l], (size_t)m, sizeof(double), cmp_dbl);
        qsort(P->xi[l], (size_t)m, sizeof(double), cmp_dbl);
        for (int i = 0; i < 5; i++) {
            P->rgq[l][i] = ms2_quantile(P->rg[l], m, ms2_qs[i]);
            P->xiq[l][i] = ms2_quantile(P->xi[l], m, ms2_qs[i]);
        }
        P->med_null[l] = ms2_quantile(P->nul[l], m, 0.5);
        P->local[l] = P->p_local[l] < alpha && P->rgq[l][2] < MS2_RATIO * P->med_null[l];
    }
    P->grow_xi = 1;
    for (int l = 0; l + 1 < MS2_DEPTH; l++) {
        P->p_grow_rg[l] = stats_mann_whitney_p(P->rg[l], P->n[l], P->rg[l + 1], P->n[l + 1]);
        P->p_grow_xi[l] = stats_mann_whitney_p(P->xi[l], P->n[l], P->xi[l + 1], P->n[l + 1]);
        P->grow_xi &= P->p_grow_xi[l] < alpha;
    }
}
/* end: ms2-tests */

/* Everything reduce works with. */
typedef struct {
    ms2_cfg g;
    ms2_cell *cells;
    ms2_pooled P[MS2_NL1];
    double tau, alpha, rg_uni;
    uint64_t seed;
} ms2_all;

/* ms2_spread: every unit with finite measures, its network (rep, 1-based) and whether it
 * is a near copy of an earlier unit of its layer; then the unit-pooled tests per strength
 * (the summary and the figures), copies merged. */
static int ms2_spread_file(ms2_all *A, run_set *set)
{
    binio_file f;
    if (run_tsv_open(&f, set, "ms2_spread", "l1\tlayer\trg\trg_null\txi\trep\tcopy") != 0) return -1;
    for (int a = 0; a < MS2_NL1; a++) {
        ms2_pooled *P = &A->P[a];
        for (int l = 0; l < MS2_DEPTH; l++) {
            size_t m = (size_t)A->g.reps * (size_t)ms2_sizes[l + 1];
            P->rg[l] = malloc(m * sizeof(double));
            P->nul[l] = malloc(m * sizeof(double));
            P->xi[l] = malloc(m * sizeof(double));
            P->rep[l] = malloc(m * sizeof(int));
            if (!P->rg[l] || !P->nul[l] || !P->xi[l] || !P->rep[l]) {
                run_abort_file(set, &f);
                return -1;
            }
            P->n[l] = ms2_pool(P->rg[l], P->nul[l], P->xi[l], P->rep[l], A->cells, a, A->g.reps, l);
            for (int r = 0; r < A->g.reps; r++) {
                const ms2_meas *c = &A->cells[a * A->g.reps + r].m;
                for (int j = 0; j < ms2_sizes[l + 1]; j++)
                    if (!isnan(c->rg[l][j]) && !isnan(c->null[l][j]) && !isnan(c->xi[l][j]))
                        fprintf(f.f, "%g\t%d\t%.4f\t%.4f\t%.4f\t%d\t%d\n", ms2_l1[a], l + 1, c->rg[l][j], c->null[l][j],
                                c->xi[l][j], r + 1, c->copy[l][j]);
            }
        }
        ms2_test(P, A->alpha);
    }
    return run_close(set, &f);
}

/* Whether layer l of a stack reached the plateau: its held-out reconstruction error fell
 * by less than MS2_PLATEAU (relative) over the last quarter of the epochs. */
static int ms2_converged(const double *curve, int epochs, int l)
{
    const double *y = curve + (size_t)l * (epochs + 1);
    int e0 = epochs - (epochs + 3) / 4;
    return isfinite(y[epochs]) && y[e0] - y[epochs] < MS2_PLATEAU * y[epochs];
}

/* ms2_curves: the learning curve of every layer of every trained stack (rep >= 1; lo = hi =
 * recon), then per setting (and the Gaussian null) and layer the median over its networks
 * with their range (rep 0: recon the median, lo and hi the smallest and largest). */
static int ms2_curves_file(const ms2_all *A, run_set *set)
{
    binio_file f;
    if (run_tsv_open(&f, set, "ms2_curves", "data\tl1\trep\tlayer\tepoch\trecon\tlo\thi") != 0) return -1;
    int E = A->g.o.epochs, R = A->g.reps;
    for (int c = 0; c < (MS2_NL1 + 1) * R; c++) {
        int gauss = ms2_kind(&A->g, c) == MS2_GAUSS, a = gauss ? MS2_GAUSS_A : c / R;
        for (int l = 0; l < MS2_DEPTH; l++) {
            for (int e = 0; e <= E; e++) {
                double y = A->cells[c].curve[(size_t)l * (E + 1) + e];
                fprintf(f.f, "%s\t%g\t%d\t%d\t%d\t%.6g\t%.6g\t%.6g\n", gauss ? "gauss" : "ising", ms2_l1[a], c % R + 1,
                        l + 1, e, y, y, y);
            }
            fprintf(f.f, "\n"); /* one block per curve */
        }
    }
    double y[64];
    for (int s = 0; s <= MS2_NL1; s++) /* the settings, then the Gaussian null */
        for (int l = 0; l < MS2_DEPTH; l++) {
            for (int e = 0; e <= E; e++) {
                int m = R < 64 ? R : 64;
                double lo = INFINITY, hi = -INFINITY;
                for (int r = 0; r < m; r++) {
                    y[r] = A->cells[s * R + r].curve[(size_t)l * (E + 1) + e];
                    lo = fmin(lo, y[r]), hi = fmax(hi, y[r]);
                }
                fprintf(f.f, "%s\t%g\t0\t%d\t%d\t%.6g\t%.6g\t%.6g\n", s == MS2_NL1 ? "gauss" : "ising",
                        ms2_l1[s == MS2_NL1 ? MS2_GAUSS_A : s], l + 1, e, stats_median(y, m), lo, hi);
            }
            fprintf(f.f, "\n");
        }
    return run_close(set, &f);
}

/* ms2_nulls: the units of the nulls, as ms2_spread: the stacks trained on the Gaussian field
 * (null 1), the trained stacks' random upper layers (null 2, layers 2 and 3), PCA (null 3,
 * one "network"). */
static int ms2_nulls_file(const ms2_all *A, run_set *set)
{
    binio_file f;
    if (run_tsv_open(&f, set, "ms2_nulls", "null\tl1\trep\tlayer\trg\trg_null\txi\tcopy") != 0) return -1;
    int R = A->g.reps;
    for (int c = 0; c < ms2_nnets(&A->g); c++) {
        int kind = ms2_kind(&A->g, c), null = kind == MS2_ISING ? 2 : kind == MS2_GAUSS ? 1 : 3;
        double l1 = kind == MS2_ISING ? ms2_l1[c / R] : kind == MS2_GAUSS ? ms2_l1[MS2_GAUSS_A] : 0;
        const ms2_meas *m = kind == MS2_ISING ? &A->cells[c].ru : &A->cells[c].m;
        for (int l = kind == MS2_ISING; l < MS2_DEPTH; l++)
            for (int j = 0; j < ms2_sizes[l + 1]; j++)
                if (!isnan(m->rg[l][j]) && !isnan(m->null[l][j]) && !isnan(m->xi[l][j]))
                    fprintf(f.f, "%d\t%g\t%d\t%d\t%.4f\t%.4f\t%.4f\t%d\n", null, l1, c % R + 1, l + 1, m->rg[l][j],
                            m->null[l][j], m->xi[l][j], m->copy[l][j]);
    }
    return run_close(set, &f);
}

/* ms2_networks: per network (strength, repetition) and layer, its units, how many have
 * finite measures (an all-zero field has none: a collapsed unit), how many are near copies,
 * whether the layer reached the plateau and its final held-out reconstruction error. */
static int ms2_networks_file(const ms2_all *A, run_set *set)
{
    binio_file f;
    if (run_tsv_open(&f, set, "ms2_networks", "l1\trep\tlayer\tunits\tfinite\tcopies\tconverged\trecon") != 0)
        return -1;
    int E = A->g.o.epochs;
    for (int a = 0; a < MS2_NL1; a++)
        for (int r = 0; r < A->g.reps; r++)
            for (int l = 0; l < MS2_DEPTH; l++) {
                const ms2_cell *c = &A->cells[a * A->g.reps + r];
                int nf = ms2_sizes[l + 1], fin = 0, cp = 0;
                for (int j = 0; j < nf; j++) {
                    fin += !isnan(c->m.rg[l][j]) && !isnan(c->m.null[l][j]) && !isnan(c->m.xi[l][j]);
                    cp += c->m.copy[l][j];
                }
                fprintf(f.f, "%g\t%d\t%d\t%d\t%d\t%d\t%d\t%.6g\n", ms2_l1[a], r + 1, l + 1, nf, fin, cp,
                        ms2_converged(c->curve, E, l), c->curve[(size_t)l * (E + 1) + E]);
            }
    return run_close(set, &f);
}

/* ms2_control: the positive control of the measures and the rule, no training.  A
 * "network" of Gaussian blobs exp(-d^2 / 2 s^2) at random centres, s = 1, 2, 4 in layers
 * 1, 2, 3 (local, block side doubling per layer as in 2 x 2 block-spin steps), and one of
 * white-noise fields (not local); MS2_NCTRL fields per layer, measured as the trained
 * fields are (spread, shuffled spread, feature scale). */
static int ms2_control_file(run_set *set, uint64_t seed)
{
    binio_file f;
    double *fl = malloc((size_t)MS2_NCTRL * MS2_SITES * sizeof *fl), rg[MS2_NCTRL], nul[MS2_NCTRL];
    if (!fl || run_tsv_open(&f, set, "ms2_control", "case\tlayer\tsigma\trg\trg_null\txi") != 0) {
        free(fl);
        return -1;
    }
    for (int noise = 0; noise < 2; noise++)
        for (int l = 0; l < MS2_DEPTH; l++) {
            rng_stream r;
            double s = (double)(1 << l);
            rng_init(&r, seed, MS2_CTRL_CELL + (uint32_t)(2 * l + noise), 0);
            for (int j = 0; j < MS2_NCTRL; j++) {
                double cx = MS2_L * rng_uniform(&r), cy = MS2_L * rng_uniform(&r);
                for (int y = 0; y < MS2_L; y++)
                    for (int x = 0; x < MS2_L; x++) {
                        double dx = fabs(x - cx), dy = fabs(y - cy);
                        dx = fmin(dx, MS2_L - dx), dy = fmin(dy, MS2_L - dy);
                        fl[(size_t)j * MS2_SITES + y * MS2_L + x] = noise ? rng_normal(&r) : exp(-(dx * dx + dy * dy) / (2 * s * s));
                    }
            }
            msrg_spreads(rg, nul, fl, MS2_NCTRL, MS2_L, seed, MS2_CTRL_CELL + 10 + (uint32_t)(2 * l + noise));
            for (int j = 0; j < MS2_NCTRL; j++)
                fprintf(f.f, "%s\t%d\t%g\t%.4f\t%.4f\t%.4f\n", noise ? "noise" : "local", l + 1, noise ? NAN : s, rg[j],
                        nul[j], rfield_scale(fl + (size_t)j * MS2_SITES, MS2_L));
        }
    free(fl);
    return run_close(set, &f);
}

/* ms2_summary (quantiles and tests per strength and layer) and ms2_fields. */
static int ms2_summary_files(const ms2_all *A, run_set *set)
{
    binio_file sm, fi;
    if (run_tsv_open(&sm, set, "ms2_summary", "l1\tlayer\tunits\tq10\tq25\tmedian\tq75\tq90\tmedian_null\tuniform\t"
                     "p_local\tlocal\txi_q10\txi_q25\txi_median\txi_q75\txi_q90\tp_grow_rg\tp_grow_xi") != 0)
        return -1;
    for (int a = 0; a < MS2_NL1; a++)
        for (int l = 0; l < MS2_DEPTH; l++) {
            const ms2_pooled *Q = &A->P[a];
            fprintf(sm.f, "%g\t%d\t%d", ms2_l1[a], l + 1, Q->n[l]);
            for (int i = 0; i < 5; i++) fprintf(sm.f, "\t%.4f", Q->rgq[l][i]);
            fprintf(sm.f, "\t%.4f\t%.4f\t%.3g\t%d", Q->med_null[l], A->rg_uni, Q->p_local[l], Q->local[l]);
            for (int i = 0; i < 5; i++) fprintf(sm.f, "\t%.4f", Q->xiq[l][i]);
            if (l + 1 < MS2_DEPTH) fprintf(sm.f, "\t%.3g\t%.3g\n", Q->p_grow_rg[l], Q->p_grow_xi[l]);
            else fprintf(sm.f, "\tNaN\tNaN\n");
        }
    if (run_close(set, &sm) != 0) return -1;
    if (run_tsv_open(&fi, set, "ms2_fields", "panel\tl1\tlayer\tquantile\tunit\tx\ty\tw\trg\txi") != 0) return -1;
    int panel = 0;
    for (int a = 0; a < MS2_NL1; a++) ms2_write_fields(fi.f, &A->cells[a * A->g.reps], ms2_l1[a], &panel);
    return run_close(set, &fi);
}

/* The set-up: samples, training, thresholds. */
static int ms2_macros_setup(const ms2_all *A, run_set *set)
{
    const rbm_train_opts *o = &A->g.o;
    char sizes[96];
    snprintf(sizes, sizeof sizes, "%d--%d--%d--%d", ms2_sizes[0], ms2_sizes[1], ms2_sizes[2], ms2_sizes[3]);
    const texmac m[] = {
        TEXMAC_I("HierMsTwoSamples", A->g.n),      TEXMAC_I("HierMsTwoL", MS2_L),
        TEXMAC_F("HierMsTwoK", 3, MS2_K),          TEXMAC_I("HierMsTwoSpacing", MS2_SPACING),
        TEXMAC_I("HierMsTwoBurn", MS2_BURN),       TEXMAC_I("HierMsTwoBatch", o->batch),
        TEXMAC_I("HierMsTwoCDk", o->k),            TEXMAC_N("HierMsTwoInitSd", 1, MS2_INIT_SD),
        TEXMAC_S("HierMsTwoSizes", sizes),         TEXMAC_I("HierMsTwoChains", A->g.nchains),
        TEXMAC_N("HierMsTwoTau", 2, A->tau),       TEXMAC_I("HierMsTwoReps", A->g.reps),
        TEXMAC_I("HierMsTwoEpochs", o->epochs),    TEXMAC_N("HierMsTwoLrZero", 2, o->lr0),
        TEXMAC_N("HierMsTwoLrOne", 2, o->lr1),     TEXMAC_N("HierMsTwoMomentum", 2, o->momentum),
        TEXMAC_F("HierMsTwoUniform", 2, A->rg_uni), TEXMAC_N("HierMsTwoAlpha", 2, MS2_ALPHA),
        TEXMAC_N("HierMsTwoAlphaEach", 2, A->alpha), TEXMAC_N("HierMsTwoRatio", 2, MS2_RATIO),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* Per strength: its value, median rg, shuffled rg and xi per layer, growth p values, counts. */
static int ms2_macros_strength(const ms2_pooled *P, int a, run_set *set)
{
    enum { MAXM = 1 + 5 * MS2_DEPTH + 2 };
    static const char *const ln[MS2_DEPTH] = {"One", "Two", "Three"}, *const an[MS2_NL1] = {"A", "B", "C", "Free"};
    char name[MAXM][64], val[MAXM][64];
    texmac m[MAXM];
    int k = 0, nloc = 0;
    snprintf(val[k], sizeof val[k], "10^{%d}", (int)lround(log10(ms2_l1[a] > 0 ? ms2_l1[a] : 1)));
    snprintf(name[k], sizeof name[k], "HierMsTwoLOne%s", an[a]);
    m[k] = (texmac)TEXMAC_S(name[k], ms2_l1[a] > 0 ? val[k] : "0"), k++;
    for (int l = 0; l < MS2_DEPTH; l++) {
        nloc += P->local[l];
        static const char *const stem[3] = {"Med", "Null", "Xi"};
        double x[3] = {P->rgq[l][2], P->med_null[l], P->xiq[l][2]};
        for (int i = 0; i < 3; i++, k++) {
            snprintf(name[k], sizeof name[k], "HierMsTwo%s%s%s", stem[i], ln[l], an[a]);
            m[k] = (texmac)TEXMAC_F(name[k], 2, x[i]);
        }
        if (l + 1 >= MS2_DEPTH) continue;
        static const char *const grow[2] = {"PGrowXi", "PGrowRg"};
        double p[2] = {P->p_grow_xi[l], P->p_grow_rg[l]};
        for (int i = 0; i < 2; i++, k++) {
            snprintf(name[k], sizeof name[k], "HierMsTwo%s%s%s", grow[i], ln[l], an[a]);
            texmac_format_num(val[k], sizeof val[k], 2, p[i]); /* as text: no \ensuremath */
            m[k] = (texmac)TEXMAC_S(name[k], val[k]);
        }
    }
    snprintf(name[k], sizeof name[k], "HierMsTwoNlocal%s", an[a]);
    m[k] = (texmac)TEXMAC_I(name[k], nloc), k++;
    snprintf(name[k], sizeof name[k], "HierMsTwoGrow%s", an[a]);
    m[k] = (texmac)TEXMAC_S(name[k], P->grow_xi ? "yes" : "no"), k++;
    return run_macros(set, m, (size_t)k);
}

/* The settings (L1 strengths, then no penalty) as the prose names them. */
static void ms2_setting_name(char *buf, size_t n, int a)
{
    if (ms2_l1[a] > 0) snprintf(buf, n, "$\\lambda_1 = 10^{%d}$", (int)lround(log10(ms2_l1[a])));
    else snprintf(buf, n, "no penalty");
}

/* "all four settings", "no setting", or the settings flagged, joined by commas and "and". */
static void ms2_setting_list(char *buf, size_t n, const int *flag)
{
    int k = 0, m = 0;
    for (int a = 0; a < MS2_NL1; a++) m += flag[a] != 0;
    if (m == MS2_NL1 || m == 0) {
        snprintf(buf, n, m ? "all four settings" : "no setting");
        return;
    }
    buf[0] = 0;
    for (int a = 0; a < MS2_NL1; a++) {
        if (!flag[a]) continue;
        char name[64];
        ms2_setting_name(name, sizeof name, a);
        size_t len = strlen(buf);
        snprintf(buf + len, n - len, "%s%s", k == 0 ? "" : k == m - 1 ? " and " : ", ", name);
        k++;
    }
}

/* The sentences of the captions and the result that describe the pooled medians (what the
 * spread figure shows), generated from them: which settings put layer 1's median spread
 * below MS2_RATIO times the shuffled fields', which grow the median feature scale by at
 * least MS2_GROWTH per layer. */
static int ms2_macros_text(const ms2_all *A, run_set *set)
{
    int loc[MS2_NL1], g1[MS2_NL1], g2[MS2_NL1], best = 0;
    double gmax = 0;
    for (int a = 0; a < MS2_NL1; a++) {
        const ms2_pooled *P = &A->P[a];
        double ratio = P->rgq[0][2] / P->med_null[0];
        loc[a] = ratio < MS2_RATIO;
        if (ratio < A->P[best].rgq[0][2] / A->P[best].med_null[0]) best = a;
        g1[a] = P->xiq[1][2] >= MS2_GROWTH * P->xiq[0][2];
        g2[a] = P->xiq[2][2] >= MS2_GROWTH * P->xiq[1][2];
        gmax = fmax(gmax, P->xiq[2][2] / P->xiq[1][2]);
    }
    char l0[256], l1[256], l2[256], bn[64], ctlw[64] = "";
    for (int l = 0; l < MS2_DEPTH; l++) /* the control's blob widths, 2^l */
        snprintf(ctlw + strlen(ctlw), sizeof ctlw - strlen(ctlw), "%s%d", l == 0 ? "" : l + 1 < MS2_DEPTH ? ", " : " and ",
                 1 << l);
    ms2_setting_list(l0, sizeof l0, loc);
    ms2_setting_list(l1, sizeof l1, g1);
    ms2_setting_list(l2, sizeof l2, g2);
    ms2_setting_name(bn, sizeof bn, best);
    const texmac m[] = {
        TEXMAC_S("HierMsTwoLocalList", l0),
        TEXMAC_F("HierMsTwoLocalBest", 2, A->P[best].rgq[0][2] / A->P[best].med_null[0]),
        TEXMAC_S("HierMsTwoLocalBestAt", bn),
        TEXMAC_S("HierMsTwoGrowOneList", l1),
        TEXMAC_S("HierMsTwoGrowTwoList", l2),
        TEXMAC_F("HierMsTwoGrowTwoMax", 2, gmax),
        TEXMAC_F("HierMsTwoGrowMargin", 2, MS2_GROWTH),
        TEXMAC_N("HierMsTwoCollapsed", 2, MS2_COLLAPSED),
        TEXMAC_I("HierMsTwoCtrlFields", MS2_NCTRL),
        TEXMAC_S("HierMsTwoCtrlWidths", ctlw),
        TEXMAC_I("HierMsTwoSignNeed", ms2_sign_need(A->alpha)),
        TEXMAC_N("HierMsTwoSignMinP", 2, stats_sign_test_p(A->g.reps, A->g.reps)),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* Median over the finite, not-copied units of layer l of m of rg / median shuffled rg
 * (*rho) and of xi (*xi); NAN when none. */
static void ms2_net_medians(double *rho, double *xi, const ms2_meas *m, int l)
{
    int nf = ms2_sizes[l + 1], k = 0;
    double *x = malloc(3 * (size_t)nf * sizeof *x);
    *rho = *xi = NAN;
    if (!x) return;
    for (int j = 0; j < nf; j++)
        if (!m->copy[l][j] && !isnan(m->rg[l][j]) && !isnan(m->null[l][j]) && !isnan(m->xi[l][j]))
            x[k] = m->rg[l][j], x[nf + k] = m->null[l][j], x[2 * nf + k] = m->xi[l][j], k++;
    if (k > 0) *rho = stats_median(x, k) / stats_median(x + nf, k), *xi = stats_median(x + 2 * nf, k);
    free(x);
}

/* Medians over the networks c0, c0 + 1, ..., c0 + n - 1 of their rho per layer and growth
 * per step (random-upper twin when ru). */
static void ms2_null_medians(double rho[MS2_DEPTH], double grow[MS2_DEPTH - 1], const ms2_all *A, int c0, int n, int ru)
{
    double r[MS2_DEPTH][64], gr[MS2_DEPTH - 1][64];
    if (n > 64) n = 64;
    for (int k = 0; k < n; k++) {
        double xi[MS2_DEPTH], dummy;
        for (int l = 0; l < MS2_DEPTH; l++) {
            const ms2_meas *m = ru && l > 0 ? &A->cells[c0 + k].ru : &A->cells[c0 + k].m;
            ms2_net_medians(&r[l][k], &xi[l], m, l);
        }
        (void)dummy;
        for (int l = 0; l + 1 < MS2_DEPTH; l++) gr[l][k] = xi[l + 1] / xi[l];
    }
    for (int l = 0; l < MS2_DEPTH; l++) rho[l] = stats_median(r[l], n);
    for (int l = 0; l + 1 < MS2_DEPTH; l++) grow[l] = stats_median(gr[l], n);
}

/* Whether growth factors g[0], g[1] reach the margin, in words. */
static const char *ms2_grow_text(const double *g)
{
    int a = g[0] >= MS2_GROWTH, b = g[1] >= MS2_GROWTH;
    return a && b ? "grows at both steps" : a ? "grows from layer 1 to 2 only" : b ? "grows from layer 2 to 3 only"
                                                                                 : "grows at neither step";
}

/* Convergence, near copies and the nulls, as the chapter names them. */
static int ms2_macros_checks(const ms2_all *A, run_set *set)
{
    int R = A->g.reps, E = A->g.o.epochs, conv = 0, nets = 0, cp[MS2_DEPTH] = {0}, units[MS2_DEPTH] = {0};
    for (int c = 0; c < MS2_NL1 * R; c++) {
        int ok = 1;
        for (int l = 0; l < MS2_DEPTH; l++) ok &= ms2_converged(A->cells[c].curve, E, l);
        conv += ok, nets++;
        for (int l = 0; c / R == MS2_GAUSS_A && l < MS2_DEPTH; l++)
            for (int j = 0; j < ms2_sizes[l + 1]; j++) cp[l] += A->cells[c].m.copy[l][j], units[l]++;
    }
    double gr[3][MS2_DEPTH], gg[3][MS2_DEPTH - 1]; /* Gaussian, random upper at 1e-2, PCA */
    ms2_null_medians(gr[0], gg[0], A, MS2_NL1 * R, R, 0);
    ms2_null_medians(gr[1], gg[1], A, MS2_GAUSS_A * R, R, 1);
    ms2_null_medians(gr[2], gg[2], A, (MS2_NL1 + 1) * R, 1, 0);
    static const char *const nn[3] = {"Gauss", "Rand", "Pca"}, *const ln[MS2_DEPTH] = {"One", "Two", "Three"};
    char name[3 * (2 * MS2_DEPTH - 1)][48];
    texmac m[3 * (2 * MS2_DEPTH - 1) + 16];
    int k = 0, q = 0;
    for (int i = 0; i < 3; i++) {
        for (int l = 0; l < MS2_DEPTH; l++, q++) {
            snprintf(name[q], sizeof name[q], "HierMsTwo%sRho%s", nn[i], ln[l]);
            m[k++] = (texmac)TEXMAC_F(name[q], 2, gr[i][l]);
        }
        for (int l = 0; l + 1 < MS2_DEPTH; l++, q++) {
            snprintf(name[q], sizeof name[q], "HierMsTwo%sGrow%s", nn[i], ln[l]);
            m[k++] = (texmac)TEXMAC_F(name[q], 2, gg[i][l]);
        }
    }
    m[k++] = (texmac)TEXMAC_I("HierMsTwoConverged", conv);
    m[k++] = (texmac)TEXMAC_I("HierMsTwoNetworks", nets);
    m[k++] = (texmac)TEXMAC_N("HierMsTwoPlateau", 2, 100 * MS2_PLATEAU);
    m[k++] = (texmac)TEXMAC_N("HierMsTwoCopyCos", 2, MS2_COPY);
    m[k++] = (texmac)TEXMAC_I("HierMsTwoHeld", A->g.nheld);
    m[k++] = (texmac)TEXMAC_I("HierMsTwoCopiesTwoC", cp[1]);
    m[k++] = (texmac)TEXMAC_I("HierMsTwoUnitsTwoC", units[1]);
    m[k++] = (texmac)TEXMAC_I("HierMsTwoCopiesThreeC", cp[2]);
    m[k++] = (texmac)TEXMAC_I("HierMsTwoUnitsThreeC", units[2]);
    double tr[MS2_DEPTH], tg[MS2_DEPTH - 1]; /* the trained stacks at the strongest penalty */
    ms2_null_medians(tr, tg, A, MS2_GAUSS_A * R, R, 0);
    m[k++] = (texmac)TEXMAC_S("HierMsTwoGaussGrowBoth", ms2_grow_text(gg[0]));
    m[k++] = (texmac)TEXMAC_S("HierMsTwoGrowBothC", ms2_grow_text(tg));
    m[k++] = (texmac)TEXMAC_F("HierMsTwoNetGrowOneC", 2, tg[0]);
    m[k++] = (texmac)TEXMAC_F("HierMsTwoNetGrowTwoC", 2, tg[1]);
    return run_macros(set, m, (size_t)k);
}

/* The data files and macros; the verdict is vd_ms2, a function of the data files. */
static int reduce_ms2(ms2_all *A, run_set *set)
{
    A->alpha = MS2_ALPHA / MS2_NPEN;
    A->rg_uni = rfield_spread_uniform(MS2_L);
    if (ms2_spread_file(A, set) != 0 || ms2_summary_files(A, set) != 0 || ms2_networks_file(A, set) != 0 || ms2_curves_file(A, set) != 0 ||
        ms2_nulls_file(A, set) != 0 ||
        ms2_control_file(set, A->seed) != 0 || ms2_macros_setup(A, set) != 0 || ms2_macros_text(A, set) != 0 ||
        ms2_macros_checks(A, set) != 0)
        return -1;
    for (int a = 0; a < MS2_NL1; a++)
        if (ms2_macros_strength(&A->P[a], a, set) != 0) return -1;
    return 0;
}

static int ms2_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    ms2_all A;
    ms2_memo_free();
    memset(&A, 0, sizeof A);
    A.g = ms2_config(ctx);
    A.seed = ctx->seed;
    if (n != ms2_ncells(ctx)) return -1;
    int nk = ms2_nnets(&A.g);
    A.cells = calloc((size_t)nk, sizeof *A.cells);
    int rc = A.cells ? 0 : -1;
    for (int c = 0; rc == 0 && c < n; c++) {
        int k0, k1;
        ms2_cell_nets(&k0, &k1, &A.g, c);
        for (int k = k0; rc == 0 && k < k1; k++) {
            rc = ms2_cell_get(&in[c], &A.cells[k], &A.g, k);
            /* every stack trained on the same samples */
            if (rc == 0 && k > 0 && memcmp(&A.cells[k].tau, &A.cells[0].tau, sizeof A.tau) != 0) {
                fprintf(stderr, "ms-receptive: network %d trained on other samples than network 0\n", k);
                rc = -1;
            }
        }
    }
    if (rc == 0) {
        A.tau = A.cells[0].tau;
        rc = reduce_ms2(&A, set);
    }
    for (int a = 0; a < MS2_NL1; a++)
        for (int l = 0; l < MS2_DEPTH; l++) free(A.P[a].rg[l]), free(A.P[a].nul[l]), free(A.P[a].xi[l]), free(A.P[a].rep[l]);
    for (int k = 0; A.cells && k < nk; k++) ms2_cell_clear(&A.cells[k]);
    free(A.cells);
    return rc;
}

const exp_def exp_ms_receptive_def = {ms2_ncells, ms2_cell_fn, ms2_reduce, 0};

/* --- the verdict: a pure function of the data files ---------------------------------------- */

#define MS2V_MAXA 8   /* settings */
#define MS2V_MAXN 64  /* networks per setting */
#define MS2V_BOOT 1000

/* Per network: the effect sizes of the rule, from its own units (near copies merged). */
typedef struct {
    int na, nnet[MS2V_MAXA];
    double l1[MS2V_MAXA];
    double rho[MS2V_MAXA][MS2V_MAXN][MS2_DEPTH];       /* median rg / median shuffled rg */
    double xi[MS2V_MAXA][MS2V_MAXN][MS2_DEPTH];        /* median xi */
    double grow[MS2V_MAXA][MS2V_MAXN][MS2_DEPTH - 1];  /* median xi of layer l+1 / of layer l */
    int collapsed[MS2V_MAXA][MS2V_MAXN], unconverged[MS2V_MAXA][MS2V_MAXN];
    int copies[MS2V_MAXA][MS2_DEPTH], units[MS2V_MAXA][MS2_DEPTH]; /* summed over networks */
} ms2v_nets;

/* Medians of columns vc[0..2] (rg, rg_null, xi) over the rows of t where column kc[k]
 * equals key[k] (k < nkey) and column ccopy is 0 (not a near copy).  0 when no row. */
static int ms2v_medians(double med[3], const tsv_table *t, const int *kc, const double *key, int nkey, const int *vc,
                        int ccopy)
{
    double *x[3];
    int n = 0;
    for (int k = 0; k < 3; k++) x[k] = malloc((size_t)(t->nrows + 1) * sizeof(double));
    if (!x[0] || !x[1] || !x[2]) n = -1;
    for (int i = 0; n >= 0 && i < t->nrows; i++) {
        int ok = tsv_num(t, i, ccopy) == 0;
        for (int k = 0; k < nkey; k++) ok &= tsv_num(t, i, kc[k]) == key[k];
        if (!ok) continue;
        for (int k = 0; k < 3; k++) x[k][n] = tsv_num(t, i, vc[k]);
        n++;
    }
    for (int k = 0; k < 3; k++) med[k] = n > 0 ? stats_median(x[k], n) : NAN;
    for (int k = 0; k < 3; k++) free(x[k]);
    return n;
}

/* Setting index of l1 in N, added when new; -1 when full. */
static int ms2v_setting(ms2v_nets *N, double l1)
{
    int a = 0;
    while (a < N->na && N->l1[a] != l1) a++;
    if (a == N->na) {
        if (a == MS2V_MAXA) return -1;
        N->l1[N->na++] = l1;
    }
    return a;
}

/* rho and xi of the layers l0.. of every network of N from the rows of t whose key columns
 * kc[0..npre) equal pre[] and kc[npre..npre+2] equal (l1, rep, layer); then the growth. */
static void ms2v_fill(ms2v_nets *N, const tsv_table *t, const int *kc, const double *pre, int npre, const int *vc,
                      int ccopy, int l0)
{
    for (int a = 0; a < N->na; a++)
        for (int r = 0; r < N->nnet[a]; r++) {
            for (int l = l0; l < MS2_DEPTH; l++) {
                double key[4], med[3];
                for (int k = 0; k < npre; k++) key[k] = pre[k];
                key[npre] = N->l1[a], key[npre + 1] = r + 1, key[npre + 2] = l + 1;
                if (ms2v_medians(med, t, kc, key, npre + 3, vc, ccopy) <= 0) N->collapsed[a][r] = 1;
                N->rho[a][r][l] = med[0] / med[1], N->xi[a][r][l] = med[2];
            }
            for (int l = 0; l + 1 < MS2_DEPTH; l++) N->grow[a][r][l] = N->xi[a][r][l + 1] / N->xi[a][r][l];
        }
}

/* Reads ms2_networks.tsv (which networks exist, collapsed, converged, their copies) and
 * ms2_spread.tsv (their units) into N. */
static int ms2v_load(ms2v_nets *N, vd_data *d)
{
    static const char *const nn[8] = {"l1", "rep", "layer", "units", "finite", "copies", "converged", "recon"};
    static const char *const ns[7] = {"l1", "rep", "layer", "rg", "rg_null", "xi", "copy"};
    const tsv_table *tn = vd_table(d, "ms2_networks.tsv"), *ts = vd_table(d, "ms2_spread.tsv");
    int cn[8], cs[7];
    for (int k = 0; tn && k < 8; k++) cn[k] = vd_col(d, tn, nn[k]);
    for (int k = 0; ts && k < 7; k++) cs[k] = vd_col(d, ts, ns[k]);
    if (!tn || !ts || d->err[0]) return -1;
    memset(N, 0, sizeof *N);
    for (int i = 0; i < tn->nrows; i++) {
        double rep = tsv_num(tn, i, cn[1]), layer = tsv_num(tn, i, cn[2]);
        int a = ms2v_setting(N, tsv_num(tn, i, cn[0]));
        if (a < 0) return snprintf(d->err, sizeof d->err, "more than %d settings", MS2V_MAXA), -1;
        int r = (int)rep - 1, l = (int)layer - 1;
        if (r < 0 || r >= MS2V_MAXN || l < 0 || l >= MS2_DEPTH || rep != r + 1 || layer != l + 1)
            return snprintf(d->err, sizeof d->err, "ms2_networks: bad rep or layer in row %d", i + 1), -1;
        if (r + 1 > N->nnet[a]) N->nnet[a] = r + 1;
        N->collapsed[a][r] |= tsv_num(tn, i, cn[4]) < MS2_COLLAPSED * tsv_num(tn, i, cn[3]);
        N->unconverged[a][r] |= tsv_num(tn, i, cn[6]) != 1;
        N->copies[a][l] += (int)tsv_num(tn, i, cn[5]), N->units[a][l] += (int)tsv_num(tn, i, cn[3]);
    }
    ms2v_fill(N, ts, cs, NULL, 0, cs + 3, cs[6], 0);
    return 0;
}

/* The nulls (ms2_nulls.tsv) as networks: G the Gaussian-field stacks (null 1), U the trained
 * stacks with random upper layers (null 2; layer 1 is the trained one, from T), P the PCA
 * components (null 3, one network). */
static int ms2v_load_nulls(ms2v_nets *G, ms2v_nets *U, ms2v_nets *P, const ms2v_nets *T, vd_data *d)
{
    static const char *const nm[8] = {"null", "l1", "rep", "layer", "rg", "rg_null", "xi", "copy"};
    const tsv_table *t = vd_table(d, "ms2_nulls.tsv");
    int c[8];
    for (int k = 0; t && k < 8; k++) c[k] = vd_col(d, t, nm[k]);
    if (!t || d->err[0]) return -1;
    ms2v_nets *X[3] = {G, U, P};
    for (int k = 0; k < 3; k++) memset(X[k], 0, sizeof *X[k]);
    for (int i = 0; i < t->nrows; i++) {
        double kind = tsv_num(t, i, c[0]), rep = tsv_num(t, i, c[2]);
        int k = (int)kind - 1, r = (int)rep - 1;
        if (k < 0 || k > 2 || kind != k + 1 || r < 0 || r >= MS2V_MAXN || rep != r + 1)
            return snprintf(d->err, sizeof d->err, "ms2_nulls: bad null or rep in row %d", i + 1), -1;
        int a = ms2v_setting(X[k], tsv_num(t, i, c[1]));
        if (a < 0) return snprintf(d->err, sizeof d->err, "ms2_nulls: more than %d settings", MS2V_MAXA), -1;
        if (r + 1 > X[k]->nnet[a]) X[k]->nnet[a] = r + 1;
    }
    for (int k = 0; k < 3; k++) {
        double pre = k + 1;
        for (int a = 0; k == 1 && a < U->na; a++) /* layer 1: the trained network's */
            for (int r = 0; r < U->nnet[a]; r++) {
                int ta = 0;
                while (ta < T->na && T->l1[ta] != U->l1[a]) ta++;
                int ok = ta < T->na && r < T->nnet[ta];
                U->rho[a][r][0] = ok ? T->rho[ta][r][0] : NAN, U->xi[a][r][0] = ok ? T->xi[ta][r][0] : NAN;
            }
        ms2v_fill(X[k], t, c, &pre, 1, c + 4, c[7], k == 1);
    }
    return 0;
}

/* The outcome of the network-level rule for the networks idx[a][0..nnet[a]) of each
 * setting (the identity, or a bootstrap resample).  none_all: every penalised setting
 * excludes locality in every layer. */
typedef struct {
    int full, part, none_all, any_collapsed, any_unconverged;
    double pmin; /* smallest sign-test p of the setting reported */
} ms2v_outcome;

/* listing: ms2-rule */
static claims_verdict ms2v_rule(ms2v_outcome *o, const ms2v_nets *N, int idx[][MS2V_MAXN], double alpha)
{
    memset(o, 0, sizeof *o);
    o->none_all = 1, o->pmin = 1;
    for (int a = 0; a < N->na; a++) {
        if (!(N->l1[a] > 0)) continue; /* the unpenalised stacks are a comparison, not a candidate */
        int n = N->nnet[a], kl[MS2_DEPTH] = {0}, kg[MS2_DEPTH - 1] = {0};
        for (int j = 0; j < n; j++) {
            int r = idx[a][j];
            o->any_collapsed |= N->collapsed[a][r];
            o->any_unconverged |= N->unconverged[a][r];
            for (int l = 0; l < MS2_DEPTH; l++) kl[l] += N->rho[a][r][l] < MS2_RATIO;
            for (int l = 0; l + 1 < MS2_DEPTH; l++) kg[l] += N->grow[a][r][l] >= MS2_GROWTH;
        }
        int local_all = 1, local_any = 0, local_excl = 1, grow_shown = 1;
        for (int l = 0; l < MS2_DEPTH; l++) {
            int shown = stats_sign_test_p(kl[l], n) < alpha;
            local_all &= shown, local_any |= shown;
            local_excl &= stats_sign_test_p(n - kl[l], n) < alpha;
            o->pmin = fmin(o->pmin, fmin(stats_sign_test_p(kl[l], n), stats_sign_test_p(n - kl[l], n)));
        }
        for (int l = 0; l + 1 < MS2_DEPTH; l++) {
            grow_shown &= stats_sign_test_p(kg[l], n) < alpha;
            o->pmin = fmin(o->pmin, fmin(stats_sign_test_p(kg[l], n), stats_sign_test_p(n - kg[l], n)));
        }
        o->full |= local_all && grow_shown;
        o->part |= local_any; /* partly needs locality in at least one layer; growth alone is not enough */
        o->none_all &= local_excl;
    }
    return o->any_collapsed || o->any_unconverged ? CLAIMS_INCONCLUSIVE : o->full ? CLAIMS_REPRODUCED
         : o->part ? CLAIMS_PARTLY : o->none_all ? CLAIMS_NOT_REPRODUCED : CLAIMS_INCONCLUSIVE;
}
/* end: ms2-rule */

/* The values of columns cs[0..2] (rg, rg_null, xi) in the rows where `sel` holds. */
typedef int (*ms2v_sel)(const tsv_table *t, int row, const void *arg);

static int ms2v_gather(double *x[3], const tsv_table *t, const int *cs, ms2v_sel sel, const void *arg)
{
    int n = 0;
    for (int k = 0; k < 3; k++) x[k] = malloc((size_t)(t->nrows + 1) * sizeof(double));
    if (!x[0] || !x[1] || !x[2]) return -1;
    for (int i = 0; i < t->nrows; i++)
        if (sel(t, i, arg)) {
            for (int k = 0; k < 3; k++) x[k][n] = tsv_num(t, i, cs[k]);
            n++;
        }
    return n;
}

typedef struct {
    int col_a, col_b;
    double a, b;
    const char *s; /* when set: column col_a must equal this text */
} ms2v_key;

static int ms2v_match(const tsv_table *t, int row, const void *arg)
{
    const ms2v_key *k = arg;
    int first = k->s ? strcmp(tsv_str(t, row, k->col_a), k->s) == 0 : tsv_num(t, row, k->col_a) == k->a;
    return first && tsv_num(t, row, k->col_b) == k->b;
}

/* The positive control: the blob "network" must be local in every layer and grow at both
 * steps, the white-noise one local in no layer.  1 when it passes, 0 when not, -1 on bad data. */
static int ms2v_control(vd_data *d)
{
    static const char *const nm[5] = {"case", "layer", "rg", "rg_null", "xi"};
    const tsv_table *t = vd_table(d, "ms2_control.tsv");
    int c[5];
    for (int k = 0; t && k < 5; k++) c[k] = vd_col(d, t, nm[k]);
    if (!t || d->err[0]) return -1;
    double rho[2][MS2_DEPTH], xi[2][MS2_DEPTH];
    for (int kase = 0; kase < 2; kase++)
        for (int l = 0; l < MS2_DEPTH; l++) {
            ms2v_key key = {c[0], c[1], 0, l + 1, kase ? "noise" : "local"};
            double *x[3];
            int n = ms2v_gather(x, t, c + 2, ms2v_match, &key);
            rho[kase][l] = n > 0 ? stats_median(x[0], n) / stats_median(x[1], n) : NAN;
            xi[kase][l] = n > 0 ? stats_median(x[2], n) : NAN;
            for (int k = 0; k < 3; k++) free(x[k]);
            if (n < 0) return -1;
        }
    int ok = 1;
    for (int l = 0; l < MS2_DEPTH; l++) ok &= rho[0][l] < MS2_RATIO && rho[1][l] >= MS2_RATIO;
    for (int l = 0; l + 1 < MS2_DEPTH; l++) ok &= xi[0][l + 1] >= MS2_GROWTH * xi[0][l];
    return ok;
}

/* The first rule (before the unit changed): units of both networks pooled as samples.  Per
 * penalised setting and layer, local = one-sided Mann-Whitney of rg below the shuffled
 * fields' at alpha and median rg < MS2_RATIO times theirs; growth = the same test finds xi
 * of layer l below layer l+1's at both steps.  Reproduced if one setting is local in every
 * layer and grows; partly if one is local in layer 1 or grows; not reproduced otherwise. */
/* listing: ms2-first-rule */
static int ms2v_first_rule(claims_verdict *v, vd_data *d, const ms2v_nets *N, double alpha)
{
    static const char *const nm[5] = {"l1", "layer", "rg", "rg_null", "xi"};
    const tsv_table *t = vd_table(d, "ms2_spread.tsv");
    int c[5], full = 0, part = 0;
    for (int k = 0; t && k < 5; k++) c[k] = vd_col(d, t, nm[k]);
    if (!t || d->err[0]) return -1;
    for (int a = 0; a < N->na; a++) {
        if (!(N->l1[a] > 0)) continue;
        double *x[MS2_DEPTH][3];
        int n[MS2_DEPTH], local[MS2_DEPTH], grow = 1, bad = 0;
        for (int l = 0; l < MS2_DEPTH; l++) {
            ms2v_key key = {c[0], c[1], N->l1[a], l + 1, NULL};
            n[l] = ms2v_gather(x[l], t, c + 2, ms2v_match, &key);
            bad |= n[l] < 0;
            if (bad) continue;
            local[l] = stats_mann_whitney_p(x[l][0], n[l], x[l][1], n[l]) < alpha &&
                       stats_median(x[l][0], n[l]) < MS2_RATIO * stats_median(x[l][1], n[l]);
        }
        for (int l = 0; !bad && l + 1 < MS2_DEPTH; l++)
            grow &= stats_mann_whitney_p(x[l][2], n[l], x[l + 1][2], n[l + 1]) < alpha;
        for (int l = 0; l < MS2_DEPTH; l++)
            for (int k = 0; k < 3; k++) free(x[l][k]);
        if (bad) return -1;
        full |= local[0] && local[1] && local[2] && grow;
        part |= local[0] || grow;
    }
    *v = full ? CLAIMS_REPRODUCED : part ? CLAIMS_PARTLY : CLAIMS_NOT_REPRODUCED;
    return 0;
}
/* end: ms2-first-rule */

/* "0.74/0.73" for up to 4 networks, else the median and range "0.74 [0.70, 0.78]". */
static void ms2v_list(char *buf, size_t n, const double *x, int m)
{
    buf[0] = 0;
    if (m <= 4) {
        for (int j = 0; j < m; j++) snprintf(buf + strlen(buf), n - strlen(buf), "%s%.2f", j ? "/" : "", x[j]);
        return;
    }
    double s[MS2V_MAXN], lo = INFINITY, hi = -INFINITY;
    for (int j = 0; j < m; j++) s[j] = x[j], lo = fmin(lo, x[j]), hi = fmax(hi, x[j]);
    snprintf(buf, n, "%.2f [%.2f, %.2f]", stats_median(s, m), lo, hi);
}

/* Mean over the networks of setting a and 4 standard errors (at least the data's rounding). */
static void ms2v_value(vd_result *r, const char *name, const double *x, int m)
{
    double s = 0, q = 0;
    for (int j = 0; j < m; j++) s += x[j];
    double mean = s / m;
    for (int j = 0; j < m; j++) q += (x[j] - mean) * (x[j] - mean);
    double se = m > 1 ? sqrt(q / (m - 1) / m) : NAN;
    vd_value(r, name, mean, fmax(4 * se, 1e-3));
}

/* Median over the networks of setting a of X of the value v(a, r). */
static double ms2v_netmed(const ms2v_nets *X, int a, int l, int growth)
{
    double x[MS2V_MAXN];
    int m = X->nnet[a];
    for (int r = 0; r < m; r++) x[r] = growth ? X->grow[a][r][l] : X->rho[a][r][l];
    return m > 0 ? stats_median(x, m) : NAN;
}

/* Setting index of the largest L1 strength of X (the setting shown), -1 if none penalised. */
static int ms2v_shown(const ms2v_nets *X)
{
    int show = -1;
    for (int a = 0; a < X->na; a++)
        if (X->l1[a] > 0 && (show < 0 || X->l1[a] > X->l1[show])) show = a;
    return show;
}

/* "name: rho a/b/c, growth d/e (rule: verdict)" for a null, medians over its networks at
 * setting a (the rule only where there are networks to judge: not for PCA). */
static void ms2v_null_text(char *buf, size_t n, const char *name, const ms2v_nets *X, int a, int l0, double alpha)
{
    if (a < 0 || X->nnet[a] == 0) {
        snprintf(buf, n, "%s: none", name);
        return;
    }
    snprintf(buf, n, "%s (%d): rho", name, X->nnet[a]);
    for (int l = l0; l < MS2_DEPTH; l++)
        snprintf(buf + strlen(buf), n - strlen(buf), "%s%.2f", l > l0 ? "/" : " ", ms2v_netmed(X, a, l, 0));
    snprintf(buf + strlen(buf), n - strlen(buf), ", growth %.2f/%.2f", ms2v_netmed(X, a, 0, 1), ms2v_netmed(X, a, 1, 1));
    if (X->l1[a] > 0) {
        int idx[MS2V_MAXA][MS2V_MAXN];
        for (int b = 0; b < X->na; b++)
            for (int j = 0; j < X->nnet[b]; j++) idx[b][j] = j;
        ms2v_outcome o;
        snprintf(buf + strlen(buf), n - strlen(buf), ", %s", claims_verdict_name(ms2v_rule(&o, X, idx, alpha)));
    }
}

/* The verdict (MS2 rule with the network as the unit, PREREG in src/claims_prereg.def).  Per
 * network and layer, from its own units (near copies merged): rho = median rg / median
 * shuffled rg and the growth median xi(l+1) / median xi(l).  Per penalised setting, the
 * one-sided exact sign test over its networks at alpha = MS2_ALPHA / (penalised settings):
 * locality shown when rho < MS2_RATIO, growth when >= MS2_GROWTH at both steps; excluded
 * when the complement is significant.  Inconclusive if the positive control fails, a
 * network collapsed or did not reach the plateau; reproduced if one setting shows locality
 * in all layers and the growth; partly if one shows locality in at least one layer; not
 * reproduced if every setting excludes locality in every layer; inconclusive otherwise (too
 * few networks, or they disagree).  The nulls are judged by the same rule and reported. */
int vd_ms2(vd_result *r, vd_data *d)
{
    static ms2v_nets N, G, U, P;
    int ctl, npen = 0, idx[MS2V_MAXA][MS2V_MAXN], nmin = MS2V_MAXN, nconv = 0, nnets = 0;
    claims_verdict first;
    if (ms2v_load(&N, d) != 0 || (ctl = ms2v_control(d)) < 0 || ms2v_load_nulls(&G, &U, &P, &N, d) != 0) return -1;
    for (int a = 0; a < N.na; a++) {
        npen += N.l1[a] > 0;
        for (int j = 0; j < N.nnet[a]; j++) idx[a][j] = j, nconv += N.l1[a] > 0 && !N.unconverged[a][j];
        if (N.l1[a] > 0 && N.nnet[a] < nmin) nmin = N.nnet[a];
        nnets += N.l1[a] > 0 ? N.nnet[a] : 0;
    }
    if (npen == 0) return snprintf(d->err, sizeof d->err, "MS-2: no penalised setting"), -1;
    double alpha = MS2_ALPHA / npen;
    if (ms2v_first_rule(&first, d, &N, alpha) != 0) return -1;
    ms2v_outcome o;
    claims_verdict v = ms2v_rule(&o, &N, idx, alpha);
    if (!ctl) v = CLAIMS_INCONCLUSIVE;
    /* bootstrap over the networks of each setting: how often another draw flips the verdict */
    rng_stream g;
    rng_init(&g, 0, 0x4d5332u /* "MS2" */, 0);
    int flips = 0;
    for (int b = 0; b < MS2V_BOOT; b++) {
        int bi[MS2V_MAXA][MS2V_MAXN];
        for (int a = 0; a < N.na; a++)
            for (int j = 0; j < N.nnet[a]; j++) bi[a][j] = (int)rng_below(&g, (uint64_t)N.nnet[a]);
        ms2v_outcome ob;
        claims_verdict vb = ms2v_rule(&ob, &N, bi, alpha);
        flips += (ctl ? vb : CLAIMS_INCONCLUSIVE) != v;
    }
    int need = ms2_sign_need(alpha), show = ms2v_shown(&N); /* unanimous networks reach alpha from `need` */
    const char *why = !ctl ? "the positive control failed" : o.any_collapsed ? "a network collapsed"
                    : o.any_unconverged ? "a network did not reach the plateau"
                    : nmin < need ? "too little power (networks per setting below what the sign test needs)"
                    : "the networks disagree";
    r->verdict = v;
    char lr[MS2_DEPTH][96], lg[MS2_DEPTH - 1][96], ng[320], nu[320], np[320];
    double x[MS2_DEPTH + 2][MS2V_MAXN];
    int m = N.nnet[show];
    for (int j = 0; j < m; j++) {
        for (int l = 0; l < MS2_DEPTH; l++) x[l][j] = N.rho[show][j][l];
        for (int l = 0; l + 1 < MS2_DEPTH; l++) x[MS2_DEPTH + l][j] = N.grow[show][j][l];
    }
    for (int l = 0; l < MS2_DEPTH; l++) ms2v_list(lr[l], sizeof lr[l], x[l], m);
    for (int l = 0; l + 1 < MS2_DEPTH; l++) ms2v_list(lg[l], sizeof lg[l], x[MS2_DEPTH + l], m);
    ms2v_null_text(ng, sizeof ng, "Gaussian field", &G, ms2v_shown(&G), 0, alpha);
    ms2v_null_text(nu, sizeof nu, "random upper", &U, ms2v_shown(&U), 1, alpha);
    ms2v_null_text(np, sizeof np, "PCA", &P, P.na > 0 ? 0 : -1, 0, alpha);
    vd_measured(r, "L1 = %g, %d networks (near copies merged: %d/%d units in layer 2, %d/%d in 3): rho = median rg over shuffled per layer %s, %s, %s (local below %.2g); xi growth per step %s, %s (from %.2f); plateau reached by %d/%d penalised networks; sign test: %d networks per setting, %d needed; bootstrap: verdict changes in %.1f%%; first rule (units pooled as samples): %s",
                N.l1[show], m, N.copies[show][1], N.units[show][1], N.copies[show][2], N.units[show][2], lr[0], lr[1],
                lr[2], MS2_RATIO, lg[0], lg[1], MS2_GROWTH, nconv, nnets, nmin, need, 100.0 * flips / MS2V_BOOT,
                claims_verdict_name(first));
    vd_paper(r, "local blocks growing with depth (images, no measure)");
    vd_note(r, "networks are the unit: one-sided sign test per setting at alpha %.2g (%.2g / %d), smallest p %.2g%s%s; bootstrap over networks, B = %d; nulls, same rule: %s; %s; %s",
            alpha, MS2_ALPHA, npen, o.pmin, v == CLAIMS_INCONCLUSIVE ? "; inconclusive: " : "",
            v == CLAIMS_INCONCLUSIVE ? why : "", MS2V_BOOT, ng, nu, np);
    vd_value(r, "networks_per_setting", nmin, 0);
    vd_value(r, "converged_fraction", (double)nconv / nnets, 0.5 / nnets);
    ms2v_value(r, "rho_layer1", x[0], m);
    ms2v_value(r, "xi_growth_1_2", x[MS2_DEPTH], m);
    ms2v_value(r, "xi_growth_2_3", x[MS2_DEPTH + 1], m);
    vd_value(r, "bootstrap_flip_fraction", (double)flips / MS2V_BOOT, 4 * sqrt(0.25 / MS2V_BOOT));
    return 0;
}
