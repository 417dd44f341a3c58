/* Chapter 6, experiment `rbm-ising` (MM-2): RBM, DBN, DBM and DRBN trained
 * on 8x8 Ising samples near T_c; observables of the model samples against
 * the exact values, and the pre-stated permutation tests of the headline
 * (accuracy set by the first hidden layer's width only).
 *
 * The grid: first one cell per trained model, cell = ((t * nw + wi) * ncfg +
 * ci) * reps + rep (temperature of the grid, first-layer width,
 * configuration, repetition), keyed by the cell number; then one cell per
 * temperature of mm_T with the training samples' own observables, their
 * autocorrelation time and the exact references.  Every cell draws the
 * training and held-out samples of its temperature itself (MM steps keyed
 * by the temperature), so it reads no other experiment's files and depends
 * on nothing but (scale, seed, cell).  A model cell trains at doubling
 * budgets until its plateau or the cap and samples with an R-hat check
 * (issue 19; see the convergence block below).  Reduce writes the tables
 * and the macros; the verdict (vd_rbm_ising: convergence and positive-control
 * gates, two permutation tests with the models as units, an equivalence
 * bound and the flip rate, every stream under a fixed key) reads
 * rbm_ising.tsv alone. */
#include "ch6_util.h"
#include "claims.h"
#include "experiments.h"
#include "ising.h"
#include "rbm.h"
#include "verdicts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MM_L 8
#define MM_NV 64
#define MM_K 1            /* PCD-k for every model and phase */
#define MM_BATCH 100
#define MM_LR0 0.2
#define MM_LR1 0.02
#define MM_MOMENTUM 0.5
#define MM_SD0 0.1        /* the authors' N(0, (0.1/sqrt(nv nh))^2) */
#define MM_JLR0 0.01     /* joint phase (DBM, DRBN) */
#define MM_JLR1 0.001
#define MM_MF 5           /* DBM mean-field iterations */
#define MM_SPACING 10     /* MM steps between training samples */
#define MM_BURN 1000
#define MM_ALPHA 0.01     /* significance level of both permutation tests */
#define MM_NOBS 4
#define MM_NT 3

static const double mm_T[MM_NT] = {2.0, ISING_TC, 2.6};
static const char *const obs_name[MM_NOBS] = {"e", "absm", "C", "chi"};
static const char *const mm_tn[MM_NT] = {"Low", "Crit", "High"};

typedef struct {
    rbm_kind kind;
    int nl, w2;   /* w2: second hidden layer width (nl = 2) */
    int lt;       /* gnuplot line type */
} mm_cfg;

static const mm_cfg mm_cfgs[7] = {{RBM_KIND_RBM, 1, 0, 2},  {RBM_KIND_DBN, 2, 16, 3},  {RBM_KIND_DBN, 2, 64, 3},
                                  {RBM_KIND_DBM, 2, 16, 7},  {RBM_KIND_DBM, 2, 64, 7},  {RBM_KIND_DRBN, 2, 16, 8},
                                  {RBM_KIND_DRBN, 2, 64, 8}};

/* Training budgets and convergence (stated before the runs, issue 19):
 * every model is trained once, with checkpoints at the budgets cap/2^(K-1),
 * ..., cap/2, cap epochs per layer (issue 18; before, from scratch at each;
 * DBM/DRBN: joint epochs in proportion, at least 1, from a copy of each
 * checkpoint); at each checkpoint its samples give e and |m|, and its learning curve is their
 * relative error against MM_HO held-out samples of its temperature.  The
 * training has reached its plateau when the last doubling moves both by less
 * than MM_PLAT of the held-out value plus twice the standard error of the
 * change (from the chains); it then stops; a model still moving at the cap is
 * not converged.  Sampling: `chains` independent chains from random states,
 * `burn` steps, then a window of `meas` measurements `thin` steps apart;
 * R-hat (across chains) of e and of |m| must be below MM_RHAT, else the
 * window counts as further burn-in and a new one follows, at most MM_SWIN
 * windows (still above: the sampling is not converged). */
#define MM_HO 2000
#define MM_PLAT 0.02
#define MM_RHAT 1.05
#define MM_SWIN 4
#define MM_MAXB 6

/* The grid and the settings at one scale. */
typedef struct {
    const int *w1s;
    const int *ti; /* the temperatures of the models: indices into mm_T */
    int nt, nw, ncfg, reps, nsamp, cap, nbud, jepochs, chains, burn, meas, thin, nmodel;
    int cfg_of[7];
} mm_grid;

static mm_grid mm_grid_of(const exp_ctx *ctx)
{
    static const int w1f[4] = {8, 16, 32, 64}, w1q[3] = {8, 32, 128}, cf[4] = {0, 2, 4, 6}, cq[4] = {0, 2, 4, 6};
    static const int tf[MM_NT] = {0, 1, 2}, tq[1] = {1};
    int full = ctx->scale == EXP_FULL;
    mm_grid g = {full ? w1f : w1q, full ? tf : tq, full ? MM_NT : 1, full ? 4 : 3, 4, 5, full ? 10000 : 4000,
                 full ? 200 : 20, full ? 4 : 3, full ? 40 : 5, full ? 200 : 100, 1000, full ? 50 : 20, 10, 0, {0}};
    g.nmodel = g.nt * g.nw * g.ncfg * g.reps;
    for (int c = 0; c < g.ncfg; c++) g.cfg_of[c] = full ? cf[c] : cq[c];
    return g;
}

static int mm_ncells(const exp_ctx *ctx)
{
    mm_grid g = mm_grid_of(ctx);
    return g.nmodel + MM_NT;
}

/* --- cells ------------------------------------------------------------------------------------ */

/* e, |m|, C, chi from per-sample e and m (per spin). */
static void observables(double *o, const double *e, const double *m, size_t n, double T)
{
    double se = 0, se2 = 0, sa = 0, sm2 = 0;
    for (size_t i = 0; i < n; i++) {
        se += e[i];
        se2 += e[i] * e[i];
        sa += fabs(m[i]);
        sm2 += m[i] * m[i];
    }
    se /= n, se2 /= n, sa /= n, sm2 /= n;
    o[0] = se;
    o[1] = sa;
    o[2] = MM_NV * (se2 - se * se) / (T * T);
    o[3] = MM_NV * (sm2 - sa * sa) / T;
}

/* n samples of temperature T (MM steps, Wolff + N Metropolis, stream
 * `stream`) as 0/1 floats: data[n * MM_NV] (malloc'd), or NULL on failure. */
static float *mm_samples(int n, double T, uint64_t seed, uint32_t stream)
{
    float *data = malloc(sizeof(float) * n * MM_NV);
    int8_t *sp = malloc((size_t)n * MM_NV);
    if (!data || !sp || ising_sample_torus(sp, MM_L, T, n, MM_BURN, MM_SPACING, seed, stream)) {
        free(data), free(sp);
        return NULL;
    }
    for (size_t i = 0; i < (size_t)n * MM_NV; i++) data[i] = sp[i] > 0 ? 1.0f : 0.0f;
    free(sp);
    return data;
}

/* The training samples of temperature mm_T[t] (stream t, as before). */
static float *mm_train_samples(const mm_grid *g, int t, uint64_t seed)
{
    return mm_samples(g->nsamp, mm_T[t], seed, (uint32_t)t);
}

/* Mean e and |m| of the held-out samples of temperature mm_T[t] (stream 16 + t): ho[2]. */
static int mm_heldout(double *ho, int t, uint64_t seed)
{
    float *v = mm_samples(MM_HO, mm_T[t], seed, 16u + (uint32_t)t);
    if (!v) return -1;
    ho[0] = ho[1] = 0;
    for (int q = 0; q < MM_HO; q++) {
        double e, m;
        ch6_torus_obs(&e, &m, v + (size_t)q * MM_NV, MM_L);
        ho[0] += e / MM_HO, ho[1] += fabs(m) / MM_HO;
    }
    free(v);
    return 0;
}

/* The training samples and the held-out means of one temperature, drawn
 * once per process and shared by its cells: a pure function of (seed, t,
 * nsamp), the same bits whichever cell draws them first (the model cells had
 * each drawn them again, a third of the quick run).  Kept to the end of the
 * process (a few MB per seed). */
typedef struct mm_tset {
    uint64_t seed;
    int t, nsamp;
    float *data;
    double ho[2];
    struct mm_tset *next;
} mm_tset;

static mm_tset *mm_tsets;

static const mm_tset *mm_tset_get(const mm_grid *g, int t, uint64_t seed)
{
    mm_tset *r = NULL;
    #pragma omp critical(mm_tset)
    {
        for (r = mm_tsets; r && !(r->seed == seed && r->t == t && r->nsamp == g->nsamp); r = r->next) {}
        if (!r && (r = calloc(1, sizeof *r))) {
            r->seed = seed, r->t = t, r->nsamp = g->nsamp;
            if ((r->data = mm_train_samples(g, t, seed)) && mm_heldout(r->ho, t, seed) == 0) {
                r->next = mm_tsets, mm_tsets = r;
            } else {
                free(r->data), free(r), r = NULL;
            }
        }
    }
    return r;
}

/* What the sampler reports: the four observables, the standard errors of e
 * and |m| (from the spread of the chain means), R-hat and tau_int (Gibbs
 * steps) of e and |m|, the burn-in used and whether R-hat passed. */
typedef struct {
    double o[MM_NOBS], se[2], rhat[2], tau[2];
    int burn, conv;
} mm_samp;

/* listing: mmrhat */
// R-hat across `chains` chains of n measurements each (x[c n + i]): the
// between-chain variance B/n of the chain means against the mean
// within-chain variance W, R = sqrt(((n-1)/n W + B/n) / W); *se the
// standard error of the grand mean from the chain means.
static double mm_rhat(double *se, const double *x, int chains, int n)
{
    double grand = 0, W = 0, Bn = 0;
    for (int c = 0; c < chains; c++) {
        double mu = 0, w = 0;
        for (int i = 0; i < n; i++) mu += x[c * n + i] / n;
        for (int i = 0; i < n; i++) w += (x[c * n + i] - mu) * (x[c * n + i] - mu) / (n - 1);
        grand += mu / chains, W += w / chains, Bn += mu * mu / chains;
    }
    Bn = (Bn - grand * grand) * chains / (chains - 1); /* B / n */
    *se = sqrt(Bn / chains);
    return W > 0 ? sqrt(((n - 1.0) / n * W + Bn) / W) : (Bn > 0 ? INFINITY : 1);
}
/* end: mmrhat */

/* Model samples: `chains` chains, `burn` steps, then windows of `meas`
 * measurements `thin` steps apart until R-hat of e and |m| passes (or
 * MM_SWIN windows); observables of the last window, all chains. */
static int model_sample(mm_samp *s, const rbm_deep *d, const mm_grid *g, double T, uint64_t seed, uint32_t cell)
{
    const int chains = g->chains, meas = g->meas, thin = g->thin;
    float *x[RBM_MAX_LAYERS + 1] = {0};
    size_t n = (size_t)chains * meas;
    double *e = malloc(sizeof(double) * n), *m = malloc(sizeof(double) * n), *am = malloc(sizeof(double) * n);
    int bad = !e || !m || !am;
    for (int l = 0; l <= d->nl; l++) bad |= !(x[l] = malloc(sizeof(float) * chains * d->sizes[l]));
    rng_stream r;
    rng_init(&r, seed, cell, 7);
    for (int l = 0; !bad && l <= d->nl; l++)
        for (size_t i = 0; i < (size_t)chains * d->sizes[l]; i++) x[l][i] = (float)(rng_u32(&r) & 1);
    if (!bad) rbm_deep_steps(d, x, (size_t)chains, g->burn, &r);
    s->burn = g->burn, s->conv = 0;
    for (int w = 0; !bad && w < MM_SWIN && !s->conv; w++) {
        if (w) s->burn += meas * thin;
        for (int q = 0; q < meas; q++) {
            rbm_deep_steps(d, x, (size_t)chains, thin, &r);
            for (int c = 0; c < chains; c++) { /* chain-major: x[c meas + q] */
                size_t i = (size_t)c * meas + q;
                ch6_torus_obs(&e[i], &m[i], x[0] + (size_t)c * MM_NV, MM_L);
                am[i] = fabs(m[i]);
            }
        }
        s->rhat[0] = mm_rhat(&s->se[0], e, chains, meas);
        s->rhat[1] = mm_rhat(&s->se[1], am, chains, meas);
        s->conv = s->rhat[0] < MM_RHAT && s->rhat[1] < MM_RHAT;
    }
    if (!bad) {
        observables(s->o, e, m, n, T);
        s->tau[0] = thin * ising_tau_int_multi(e, chains, (size_t)meas);
        s->tau[1] = thin * ising_tau_int_multi(am, chains, (size_t)meas);
    }
    for (int l = 0; l <= d->nl; l++) free(x[l]);
    free(e), free(m), free(am);
    return bad ? -1 : 0;
}

/* A model's budget curve: epochs per layer, the relative errors of e and
 * |m| against the held-out samples and their standard errors, per budget. */
typedef struct {
    int n, conv;
    double ep[MM_MAXB], err[MM_MAXB][2], se[MM_MAXB][2];
} mm_curve;

/* listing: mmcell */
// One trained model: temperature t, first-layer width wi, configuration ci;
// trained at doubling budgets until the plateau or the cap, sampled after each.
static int mm_model_cell(const mm_grid *g, int cell, uint64_t seed, cellio_out *out)
{
    int t = g->ti[cell / (g->nw * g->ncfg * g->reps)], wi = cell / (g->ncfg * g->reps) % g->nw, ci = cell / g->reps % g->ncfg;
    const mm_cfg *c = &mm_cfgs[g->cfg_of[ci]];
    int sizes[3] = {MM_NV, g->w1s[wi], c->w2}, fail = 0;
    const mm_tset *ts = mm_tset_get(g, t, seed);
    if (!ts) return -1;
    const float *data = ts->data;
    const double *ho = ts->ho;
    double prev[2] = {0, 0};
    mm_samp s;
    mm_curve cv;
    memset(&s, 0, sizeof s), memset(&cv, 0, sizeof cv);
    rbm_blas_single_thread();
    /* one training run per model: the budgets are its checkpoints (the
     * learning rate decays over the cap); DBM and DRBN: the joint phase
     * from a copy of each checkpoint, jep epochs with its own decay */
    rbm_deep_opts o = {{MM_K, 1, MM_BATCH, g->cap, MM_LR0, MM_LR1, 0, 0, MM_MOMENTUM, 1, MM_L}, 0, MM_MF, MM_SD0, MM_JLR0, MM_JLR1, g->cap, 0};
    rbm_deep d;
    rbm_deep_run *run = NULL;
    fail = rbm_deep_init(&d, c->kind, c->nl, sizes) || !(run = rbm_deep_run_new(&d, data, (size_t)g->nsamp, &o, seed, (uint32_t)cell));
    for (int b = 0; b < g->nbud && !cv.conv && !fail; b++) {
        int ep = g->cap >> (g->nbud - 1 - b), jep = (int)fmax(1, g->jepochs >> (g->nbud - 1 - b));
        fail = rbm_deep_run_to(run, &d, data, ep, 0) != 0;
        if (!fail && (c->kind == RBM_KIND_DBM || c->kind == RBM_KIND_DRBN)) {
            rbm_deep dj;
            rbm_deep_run *rj = NULL;
            o.joint_epochs = jep;
            fail = rbm_deep_init_copy(&dj, &d) || !(rj = rbm_deep_run_copy(run, &dj, &o)) ||
                   rbm_deep_run_to(rj, &dj, data, ep, jep) || model_sample(&s, &dj, g, mm_T[t], seed, (uint32_t)cell);
            rbm_deep_run_free(rj);
            rbm_deep_clear(&dj);
        } else if (!fail) {
            fail = model_sample(&s, &d, g, mm_T[t], seed, (uint32_t)cell) != 0;
        }
        cv.ep[b] = ep, cv.n = b + 1, cv.conv = b > 1; /* a plateau needs two doublings */
        for (int k = 0; k < 2; k++) {
            cv.err[b][k] = fabs(s.o[k] - ho[k]) / fabs(ho[k]), cv.se[b][k] = s.se[k] / fabs(ho[k]);
            /* the plateau: the last doubling moved e and |m| by little */
            if (b > 0) cv.conv &= fabs(s.o[k] - prev[k]) / fabs(ho[k]) < MM_PLAT + 2 * hypot(cv.se[b][k], cv.se[b - 1][k]);
            prev[k] = s.o[k];
        }
    }
    rbm_deep_run_free(run);
    rbm_deep_clear(&d);
    if (fail || cv.n == 0) return -1;
    cellio_put_f64s(out, s.o, MM_NOBS);
    double diag[8] = {s.rhat[0], s.rhat[1], s.tau[0], s.tau[1], s.burn, s.conv, cv.conv, cv.n};
    cellio_put_f64s(out, diag, 8);
    for (int b = 0; b < cv.n; b++) {
        double p[5] = {cv.ep[b], cv.err[b][0], cv.err[b][1], cv.se[b][0], cv.se[b][1]};
        cellio_put_f64s(out, p, 5);
    }
    return 0;
}
/* end: mmcell */

/* Temperature t: the training samples' observables and tau_int (of e and |m|,
 * in samples), and the exact references (Kaufman e, C; transfer-matrix |m|, chi). */
static int mm_temp_cell(const mm_grid *g, int t, uint64_t seed, cellio_out *out)
{
    const int nsamp = g->nsamp;
    float *data = mm_train_samples(g, t, seed);
    double *e = malloc(sizeof(double) * nsamp), *m = malloc(sizeof(double) * nsamp), mc[MM_NOBS], ref[MM_NOBS];
    ising_thermo k, tm;
    int rc = data && e && m ? 0 : -1;
    if (rc == 0) {
        for (int q = 0; q < nsamp; q++) ch6_torus_obs(&e[q], &m[q], data + (size_t)q * MM_NV, MM_L);
        observables(mc, e, m, (size_t)nsamp, mm_T[t]);
        for (int q = 0; q < nsamp; q++) m[q] = fabs(m[q]);
        double tau = fmax(ising_tau_int(e, (size_t)nsamp), ising_tau_int(m, (size_t)nsamp));
        rc = ising_exact_kaufman(&k, MM_L, MM_L, mm_T[t]) || ising_exact_tm(&tm, MM_L, MM_L, mm_T[t]) ? -1 : 0;
        ref[0] = k.u, ref[1] = tm.absm, ref[2] = k.c, ref[3] = MM_NV * (tm.m2 - tm.absm * tm.absm) / mm_T[t];
        cellio_put_f64s(out, mc, MM_NOBS);
        cellio_put_f64s(out, ref, MM_NOBS);
        cellio_put_f64(out, tau);
    }
    free(data), free(e), free(m);
    return rc;
}

static int mm_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    mm_grid g = mm_grid_of(ctx);
    return c < g.nmodel ? mm_model_cell(&g, c, ctx->seed, out) : mm_temp_cell(&g, c - g.nmodel, ctx->seed, out);
}

/* --- the rule: vd_rbm_ising --------------------------------------------------------------------- */

#define MM_PERMS 2000      /* permutations of each test */
#define MM_MARGIN 0.2      /* equivalence: the model/depth effect below 20% of the width effect */
#define MM_BOOT 1000       /* bootstrap draws: the equivalence bound and the flip rate */
#define MM_BOOT_INNER 199  /* permutations and bootstrap draws inside one flip replicate */
#define MM_INJ 0.30103    /* the positive control's injected effect: log10 2, a doubled error */
#define MM_KEY 0x4d4d3201u /* the fixed key of every stream of the rule ("MM2") */

/* The design read back from rbm_ising.tsv: model m = ((t nw + w) nc + c) nr + r
 * (temperature, first-layer width, configuration, repetition); y[4 m + q] =
 * log10 of its relative error in observable q (e, |m|, C, chi). */
typedef struct {
    int nt, nw, nc, nr, nm;
    int nplat, nsconv, nconv; /* models at the training plateau, with R-hat passed, both */
    double T[8];
    int w1[16];
    char cfg[8][48];
    double *y;
} mm_design;

/* Index of v in a[0..*n), appended when absent; -1 when full. */
static int mm_index_d(double *a, int *n, int cap, double v)
{
    for (int i = 0; i < *n; i++)
        if (fabs(a[i] - v) < 1e-9) return i;
    return *n < cap ? (a[(*n)++] = v, *n - 1) : -1;
}

static int mm_index_s(char (*a)[48], int *n, int cap, const char *v)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(a[i], v) == 0) return i;
    if (*n == cap) return -1;
    snprintf(a[*n], 48, "%s", v);
    return (*n)++;
}

/* rbm_ising.tsv as a balanced design (every temperature x width x
 * configuration cell holding the same number >= 2 of models). */
static int mm_load(vd_data *d, mm_design *g)
{
    memset(g, 0, sizeof *g);
    const tsv_table *t = vd_table(d, "rbm_ising.tsv");
    if (!t) return -1;
    static const char *const name[11] = {"T",        "model",    "w1",    "w2",      "rep",  "err_e",
                                         "err_absm", "err_C", "err_chi", "conv", "sconv"};
    int col[11];
    for (int k = 0; k < 11; k++)
        if ((col[k] = vd_col(d, t, name[k])) < 0) return -1;
    int *at = malloc(sizeof(int) * 4 * (size_t)(t->nrows + 1)), bad = !at;
    double w1s[16];
    for (int i = 0; !bad && i < t->nrows; i++) {
        char key[48];
        snprintf(key, sizeof key, "%s-%s", tsv_str(t, i, col[1]), tsv_str(t, i, col[3]));
        int *a = at + 4 * i;
        a[0] = mm_index_d(g->T, &g->nt, 8, tsv_num(t, i, col[0]));
        a[1] = mm_index_d(w1s, &g->nw, 16, tsv_num(t, i, col[2]));
        a[2] = mm_index_s(g->cfg, &g->nc, 8, key);
        a[3] = (int)tsv_num(t, i, col[4]);
        bad = a[0] < 0 || a[1] < 0 || a[2] < 0 || a[3] < 0 || a[3] > 1000;
        int pl = tsv_num(t, i, col[9]) == 1, sc = tsv_num(t, i, col[10]) == 1;
        g->nplat += pl, g->nsconv += sc, g->nconv += pl && sc;
        if (!bad && a[3] + 1 > g->nr) g->nr = a[3] + 1;
    }
    for (int w = 0; w < g->nw; w++) g->w1[w] = (int)w1s[w];
    g->nm = g->nt * g->nw * g->nc * g->nr;
    bad = bad || g->nm != t->nrows || g->nr < 2 || g->nw < 2 || g->nc < 2 || !(g->y = malloc(sizeof(double) * 4 * g->nm));
    for (int m = 0; !bad && m < 4 * g->nm; m++) g->y[m] = NAN;
    for (int i = 0; !bad && i < t->nrows; i++) {
        const int *a = at + 4 * i;
        int m = ((a[0] * g->nw + a[1]) * g->nc + a[2]) * g->nr + a[3];
        for (int q = 0; q < MM_NOBS; q++) {
            bad |= !isnan(g->y[4 * m + q]); /* a model twice */
            g->y[4 * m + q] = log10(fmax(tsv_num(t, i, col[5 + q]), 1e-12));
        }
    }
    for (int m = 0; !bad && m < 4 * g->nm; m++) bad = isnan(g->y[m]);
    free(at);
    if (bad) snprintf(d->err, sizeof d->err, "rbm_ising.tsv: not a balanced design with >= 2 models per cell");
    return bad ? -1 : 0;
}

/* One factor of the design: `ns` strata of n models each (the model index
 * of unit u of stratum s in unit[s n + u]), the factor's level of each in
 * lab[], `ng` levels of `reps` models each per stratum.  The model/depth
 * factor: strata (T, width), levels the configurations; the width factor:
 * strata (T, configuration), levels the widths. */
typedef struct {
    int ns, n, ng, reps;
    int *unit, *lab;
} mm_factor;

static int mm_factor_init(mm_factor *f, const mm_design *g, int width)
{
    f->ng = width ? g->nw : g->nc, f->reps = g->nr, f->n = f->ng * g->nr;
    f->ns = g->nt * (width ? g->nc : g->nw);
    f->unit = malloc(sizeof(int) * (size_t)f->ns * f->n), f->lab = malloc(sizeof(int) * (size_t)f->ns * f->n);
    if (!f->unit || !f->lab) return -1;
    for (int m = 0; m < g->nm; m++) {
        int r = m % g->nr, c = m / g->nr % g->nc, w = m / (g->nr * g->nc) % g->nw, t = m / (g->nr * g->nc * g->nw);
        int s = t * (f->ns / g->nt) + (width ? c : w), lv = width ? w : c, k = s * f->n + lv * g->nr + r;
        f->unit[k] = m, f->lab[k] = lv;
    }
    return 0;
}

static void mm_factor_clear(mm_factor *f) { free(f->unit), free(f->lab); }

/* Per stratum and observable the mean and total sum of squares, which a
 * relabelling leaves as they are: ms[2 (s MM_NOBS + q)] and the next. */
static void mm_share_prep(double *ms, const double *y, const mm_factor *f)
{
    for (int s = 0; s < f->ns; s++)
        for (int q = 0; q < MM_NOBS; q++) {
            const int *u = f->unit + s * f->n;
            double mu = 0, sst = 0;
            for (int i = 0; i < f->n; i++) mu += y[4 * u[i] + q] / f->n;
            for (int i = 0; i < f->n; i++) sst += (y[4 * u[i] + q] - mu) * (y[4 * u[i] + q] - mu);
            ms[2 * (s * MM_NOBS + q)] = mu, ms[2 * (s * MM_NOBS + q) + 1] = sst;
        }
}

/* listing: permtest */
// Share of the variance of y explained by the factor, summed over strata and
// observables: G = sum SS_between / SS_total.  The label of unit u of
// stratum s for observable q is lab[q * qstride + s n + u]: qstride = 0
// (one labelling for all four observables) is the joint permutation.  The
// means and SS_total come from mm_share_prep (a relabelling keeps them).
static double mm_share(const double *y, const mm_factor *f, const int *lab, int qstride, const double *ms)
{
    double G = 0, sum[16];
    for (int s = 0; s < f->ns; s++)
        for (int q = 0; q < MM_NOBS; q++) {
            const int *u = f->unit + s * f->n, *l = lab + q * qstride + s * f->n;
            double mu = ms[2 * (s * MM_NOBS + q)], sst = ms[2 * (s * MM_NOBS + q) + 1], ssb = 0;
            for (int k = 0; k < f->ng; k++) sum[k] = 0;
            for (int i = 0; i < f->n; i++) sum[l[i]] += y[4 * u[i] + q];
            for (int k = 0; k < f->ng; k++) ssb += f->reps * (sum[k] / f->reps - mu) * (sum[k] / f->reps - mu);
            G += sst > 0 ? ssb / sst : 0;
        }
    return G;
}

static double mm_perm_p(double *Gobs, const double *y, const mm_factor *f, int P, int joint, rng_stream *r)
{
    int N = f->ns * f->n, nq = joint ? 1 : MM_NOBS, ge = 0;
    int *lab = malloc(sizeof(int) * (size_t)N * nq);
    size_t *idx = malloc(sizeof(size_t) * (size_t)f->n);
    double *ms = malloc(sizeof(double) * 2 * MM_NOBS * (size_t)f->ns);
    if (ms) mm_share_prep(ms, y, f);
    *Gobs = ms ? mm_share(y, f, f->lab, 0, ms) : NAN;
    for (int p = 0; lab && idx && ms && p < P; p++) {
        for (int q = 0; q < nq; q++)
            for (int s = 0; s < f->ns; s++) {
                for (int u = 0; u < f->n; u++) idx[u] = (size_t)u;
                rng_shuffle(r, idx, (size_t)f->n);
                for (int u = 0; u < f->n; u++) lab[q * N + s * f->n + u] = f->lab[s * f->n + (int)idx[u]];
            }
        ge += mm_share(y, f, lab, joint ? 0 : N, ms) >= *Gobs - 1e-12;
    }
    int ok = lab && idx && ms;
    free(lab), free(idx), free(ms);
    return ok ? (1.0 + ge) / (1.0 + P) : NAN;
}
/* end: permtest */

/* The factor's effect size: the standard deviation of its true level means
 * (log10 units), from the one-way ANOVA variance component (MS_between -
 * MS_within) / reps averaged over strata and observables, 0 when negative. */
static double mm_effect(const double *y, const mm_factor *f)
{
    double comp = 0, sum[16];
    for (int s = 0; s < f->ns; s++)
        for (int q = 0; q < MM_NOBS; q++) {
            const int *u = f->unit + s * f->n;
            double mu = 0, ssw = 0, ssb = 0;
            for (int k = 0; k < f->ng; k++) sum[k] = 0;
            for (int i = 0; i < f->n; i++) sum[f->lab[s * f->n + i]] += y[4 * u[i] + q], mu += y[4 * u[i] + q] / f->n;
            for (int i = 0; i < f->n; i++) {
                double v = y[4 * u[i] + q] - sum[f->lab[s * f->n + i]] / f->reps;
                ssw += v * v;
            }
            for (int k = 0; k < f->ng; k++) ssb += f->reps * (sum[k] / f->reps - mu) * (sum[k] / f->reps - mu);
            comp += (ssb / (f->ng - 1) - ssw / (f->ng * (f->reps - 1))) / f->reps;
        }
    comp /= f->ns * MM_NOBS;
    return comp > 0 ? sqrt(comp) : 0;
}

static double mm_ratio(const double *y, const mm_factor *fm, const mm_factor *fw)
{
    double em = mm_effect(y, fm), ew = mm_effect(y, fw);
    return ew > 0 ? em / ew : em > 0 ? INFINITY : 0;
}

/* The bootstrap world fitted to y: every model's centre is its cell mean,
 * shrunk towards the mean of its temperature and observable so that the
 * spread of the centres equals the estimated true spread of the cell means
 * (factor k = sqrt(max(0, 1 - s_w^2 / (reps V))), V the variance of the cell
 * means, s_w^2 the pooled within-cell variance); its residual vector (all
 * four observables of one model, scaled by sqrt(reps / (reps - 1))) is what
 * a draw resamples.  Resampling models within their cells instead would
 * duplicate models (2 or 3 per cell here) and make every effect look
 * significant. */
typedef struct {
    double *centre, *res;
} mm_world;

static int mm_world_init(mm_world *w, const double *y, const mm_design *g)
{
    int per_t = g->nm / g->nt, ncell = per_t / g->nr;
    w->centre = malloc(sizeof(double) * 4 * g->nm), w->res = malloc(sizeof(double) * 4 * g->nm);
    if (!w->centre || !w->res) return -1;
    for (int t = 0; t < g->nt; t++)
        for (int q = 0; q < MM_NOBS; q++) {
            const double *yt = y + 4 * t * per_t;
            double grand = 0, V = 0, sw = 0;
            for (int m = 0; m < per_t; m++) grand += yt[4 * m + q] / per_t;
            for (int c = 0; c < ncell; c++) {
                double mu = 0;
                for (int r = 0; r < g->nr; r++) mu += yt[4 * (c * g->nr + r) + q] / g->nr;
                V += (mu - grand) * (mu - grand) / (ncell - 1);
                for (int r = 0; r < g->nr; r++) {
                    int m = t * per_t + c * g->nr + r;
                    double d = yt[4 * (c * g->nr + r) + q] - mu;
                    sw += d * d / (ncell * (g->nr - 1));
                    w->centre[4 * m + q] = mu; /* shrunk below */
                    w->res[4 * m + q] = d * sqrt(g->nr / (g->nr - 1.0));
                }
            }
            double k = V > 0 ? sqrt(fmax(0, 1 - sw / (g->nr * V))) : 0;
            for (int m = t * per_t; m < (t + 1) * per_t; m++)
                w->centre[4 * m + q] = grand + k * (w->centre[4 * m + q] - grand);
        }
    return 0;
}

static void mm_world_clear(mm_world *w) { free(w->centre), free(w->res); }

/* A draw from the world: centre + the residual vector of a model drawn from those of its temperature. */
static void mm_draw(double *ys, const mm_world *w, const mm_design *g, rng_stream *r)
{
    int per_t = g->nm / g->nt;
    for (int m = 0; m < g->nm; m++) {
        int src = m - m % per_t + (int)rng_below(r, (uint64_t)per_t);
        for (int q = 0; q < 4; q++) ys[4 * m + q] = w->centre[4 * m + q] + w->res[4 * src + q];
    }
}

static int mm_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, z = *(const double *)b;
    return (x > z) - (x < z);
}

/* The upper 1 - alpha bound of the ratio: its 1 - alpha quantile over B
 * draws from the world fitted to y; se[2] (when not NULL) the draws'
 * standard deviations of the model/depth and the width effect sizes. */
static double mm_upper(const double *y, const mm_design *g, const mm_factor *fm, const mm_factor *fw, int B,
                       rng_stream *r, double *se)
{
    double *rt = malloc(sizeof(double) * (size_t)B), *ys = malloc(sizeof(double) * 4 * g->nm), up = NAN;
    double s[2] = {0, 0}, s2[2] = {0, 0};
    mm_world w = {0};
    if (rt && ys && mm_world_init(&w, y, g) == 0) {
        for (int b = 0; b < B; b++) {
            mm_draw(ys, &w, g, r);
            double e[2] = {mm_effect(ys, fm), mm_effect(ys, fw)};
            rt[b] = e[1] > 0 ? e[0] / e[1] : e[0] > 0 ? INFINITY : 0;
            for (int k = 0; k < 2; k++) s[k] += e[k], s2[k] += e[k] * e[k];
        }
        qsort(rt, (size_t)B, sizeof *rt, mm_cmp);
        up = rt[(int)ceil((1 - MM_ALPHA) * B) - 1];
        for (int k = 0; se && k < 2; k++) se[k] = sqrt(fmax(s2[k] / B - (s[k] / B) * (s[k] / B), 0));
    }
    mm_world_clear(&w);
    free(rt), free(ys);
    return up;
}

/* listing: mmverdict */
// Decision (alpha = MM_ALPHA for every test; margin MM_MARGIN):
//   width effect significant, model/depth effect not, and the upper bound of
//     (model/depth effect)/(width effect) below the margin: reproduced;
//   width and model/depth effects both significant: partly;
//   model/depth effect significant, width effect not: not reproduced;
//   no width effect (the positive control: every figure of the paper shows
//     one) and no model/depth effect: inconclusive (nothing was resolved);
//   width effect only, but the ratio not shown below the margin: inconclusive.
static claims_verdict mm_rule(double p_model, double p_width, double upper, const char **why)
{
    if (p_width < MM_ALPHA && p_model < MM_ALPHA)
        return *why = "the width matters, and so do model type and depth", CLAIMS_PARTLY;
    if (p_model < MM_ALPHA)
        return *why = "model type and depth matter, no width effect is detected", CLAIMS_NOT_REPRODUCED;
    if (p_width >= MM_ALPHA)
        return *why = "positive control failed: no width effect detected (and no model/depth effect)",
               CLAIMS_INCONCLUSIVE;
    if (upper < MM_MARGIN)
        return *why = "the width matters, and the model/depth effect is below 20% of it", CLAIMS_REPRODUCED;
    return *why = "the width matters; no model/depth effect is detected, but it is not shown below 20% of the width effect",
           CLAIMS_INCONCLUSIVE;
}

// Gates before it (issue 19): every model must have reached its training
// plateau and passed R-hat in sampling, and the positive control (the model
// test on the data with MM_INJ added to the log10 errors of one deep
// configuration) must find the injected effect; else inconclusive.
static claims_verdict mm_gate(const mm_design *g, double p_ctrl, claims_verdict v, const char **why)
{
    if (g->nconv < g->nm)
        return *why = "it would rest on unconverged models (training plateau or sampling R-hat missed)", CLAIMS_INCONCLUSIVE;
    if (!(p_ctrl < MM_ALPHA))
        return *why = "positive control failed: an injected model-type effect is not detected", CLAIMS_INCONCLUSIVE;
    return v;
}

// The first rule (stated before the first runs, replaced in issue 17): the
// same tests with every observable permuted separately; reproduced iff
// width p < alpha and model/depth p >= alpha, partly if both significant,
// not reproduced if the width effect is not significant.
static claims_verdict mm_rule_first(double p_model, double p_width)
{
    return p_width >= MM_ALPHA ? CLAIMS_NOT_REPRODUCED : p_model >= MM_ALPHA ? CLAIMS_REPRODUCED : CLAIMS_PARTLY;
}
/* end: mmverdict */

/* Everything the verdict and the chapter report. */
typedef struct {
    mm_design g;
    mm_factor fm, fw;
    double p_model, p_width, G_model, G_width, e_model, e_width, ratio, upper, se[2], flip;
    double p_model1, p_width1, p_ctrl;
    claims_verdict v, vdata, v1;
    const char *why, *whydata;
} mm_stats;

static void mm_stats_clear(mm_stats *s)
{
    free(s->g.y);
    mm_factor_clear(&s->fm);
    mm_factor_clear(&s->fw);
}

/* listing: mmcontrol */
// The positive control: MM_INJ (log10 units) added to every log10 error of
// the models of configuration 1 (the first deep one); the joint permutation
// test of the model/depth effect on these data (fixed-key stream 6).
static double mm_control(const double *y, const mm_design *g, const mm_factor *fm)
{
    double *yc = malloc(sizeof(double) * 4 * g->nm), G, p = NAN;
    if (!yc) return NAN;
    for (int m = 0; m < g->nm; m++)
        for (int q = 0; q < MM_NOBS; q++) yc[4 * m + q] = y[4 * m + q] + (m / g->nr % g->nc == 1 ? MM_INJ : 0);
    rng_stream r;
    rng_init(&r, 0, MM_KEY, 6);
    p = mm_perm_p(&G, yc, fm, MM_PERMS, 1, &r);
    free(yc);
    return p;
}
/* end: mmcontrol */

// How often the rule's verdict on the data would flip: B = 1000 draws from the world fitted to
// the data (fresh residuals of whole models around the shrunk cell means),
// the whole rule applied to each with MM_BOOT_INNER permutations and draws;
// fixed-key stream 5.
static double mm_flip(const mm_stats *s)
{
    const mm_design *g = &s->g;
    double *ys = malloc(sizeof(double) * 4 * g->nm), G;
    int flips = 0, ok = ys != NULL;
    mm_world w = {0};
    ok = ok && mm_world_init(&w, g->y, g) == 0;
    rng_stream r;
    rng_init(&r, 0, MM_KEY, 5);
    for (int b = 0; ok && b < MM_BOOT; b++) {
        mm_draw(ys, &w, g, &r);
        double pm = mm_perm_p(&G, ys, &s->fm, MM_BOOT_INNER, 1, &r), pw = mm_perm_p(&G, ys, &s->fw, MM_BOOT_INNER, 1, &r);
        double up = mm_upper(ys, g, &s->fm, &s->fw, MM_BOOT_INNER, &r, NULL);
        const char *why;
        flips += mm_rule(pm, pw, up, &why) != s->vdata;
    }
    mm_world_clear(&w);
    free(ys);
    return ok ? (double)flips / MM_BOOT : NAN;
}

static int mm_analyse(vd_data *d, mm_stats *s)
{
    memset(s, 0, sizeof *s);
    if (mm_load(d, &s->g) != 0 || mm_factor_init(&s->fm, &s->g, 0) || mm_factor_init(&s->fw, &s->g, 1)) return -1;
    double G;
    rng_stream r;
    rng_init(&r, 0, MM_KEY, 1);
    s->p_model = mm_perm_p(&s->G_model, s->g.y, &s->fm, MM_PERMS, 1, &r);
    rng_init(&r, 0, MM_KEY, 2);
    s->p_width = mm_perm_p(&s->G_width, s->g.y, &s->fw, MM_PERMS, 1, &r);
    s->e_model = mm_effect(s->g.y, &s->fm), s->e_width = mm_effect(s->g.y, &s->fw);
    s->ratio = mm_ratio(s->g.y, &s->fm, &s->fw);
    rng_init(&r, 0, MM_KEY, 3);
    s->upper = mm_upper(s->g.y, &s->g, &s->fm, &s->fw, MM_BOOT, &r, s->se);
    s->vdata = mm_rule(s->p_model, s->p_width, s->upper, &s->whydata);
    s->p_ctrl = mm_control(s->g.y, &s->g, &s->fm);
    s->why = s->whydata;
    s->v = mm_gate(&s->g, s->p_ctrl, s->vdata, &s->why);
    rng_init(&r, 0, MM_KEY, 4);
    s->p_model1 = mm_perm_p(&G, s->g.y, &s->fm, MM_PERMS, 0, &r);
    s->p_width1 = mm_perm_p(&G, s->g.y, &s->fw, MM_PERMS, 0, &r);
    s->v1 = mm_rule_first(s->p_model1, s->p_width1);
    s->flip = mm_flip(s);
    return isnan(s->flip) || isnan(s->p_model1) ? -1 : 0;
}

/* "1.27", or "unbounded" when the width effect can vanish (LaTeX: $\infty$). */
static void mm_ratio_text(char *buf, size_t n, double x, int tex)
{
    if (isfinite(x)) snprintf(buf, n, "%.2f", x);
    else snprintf(buf, n, "%s", tex ? "$\\infty$" : "unbounded");
}

/* Tolerance of a permutation p-value: 4 Monte Carlo standard errors. */
static double mm_ptol(double p) { return 4 * sqrt(fmax(p * (1 - p), 1.0 / MM_PERMS) / MM_PERMS); }

int vd_rbm_ising(vd_result *r, vd_data *d)
{
    mm_stats s;
    if (mm_analyse(d, &s) != 0) return mm_stats_clear(&s), -1;
    char ratio[32], upper[32];
    mm_ratio_text(ratio, sizeof ratio, s.ratio, 0);
    mm_ratio_text(upper, sizeof upper, s.upper, 0);
    r->verdict = s.v;
    vd_measured(r,
                "joint permutation tests (%d perms, models as units) on log10 rel. error: model/depth effect given w1 "
                "p=%.3g (variance share %.3f), width effect p=%.3g (share %.3f); effect sizes (log10) model/depth %.3f, "
                "width %.3f, ratio %s (upper %.0f%% bound %s, margin %.1f); alpha %.2f; rule on the data: %s, flip rate "
                "%.2f; converged %d/%d models (plateau %d, R-hat %d); control (log10 2 injected) p=%.3g",
                MM_PERMS, s.p_model, s.G_model / (s.fm.ns * MM_NOBS), s.p_width, s.G_width / (s.fw.ns * MM_NOBS),
                s.e_model, s.e_width, ratio, 100 * (1 - MM_ALPHA), upper, MM_MARGIN, MM_ALPHA,
                claims_verdict_name(s.vdata), s.flip, s.g.nconv, s.g.nm, s.g.nplat, s.g.nsconv, s.p_ctrl);
    vd_paper(r, "accuracy set by first hidden layer width only (qualitative)");
    vd_note(r,
            "%s. Issue 19: convergence and positive-control gates. Rule changed in issue 17 (models permuted jointly across observables, equivalence margin, "
            "inconclusive when nothing is resolved); the first rule (observables permuted separately: model/depth "
            "p=%.3g, width p=%.3g) gives %s. %d models in %d cells; flip rate: residual bootstrap of whole models around shrunk cell means, B=%d",
            s.why, s.p_model1, s.p_width1, claims_verdict_name(s.v1), s.g.nm, s.g.nm / s.g.nr, MM_BOOT);
    vd_value(r, "p_model", s.p_model, mm_ptol(s.p_model));
    vd_value(r, "p_width", s.p_width, mm_ptol(s.p_width));
    /* the effect sizes within 4 standard deviations of their bootstrap draws (the ratio can be infinite) */
    vd_value(r, "effect_model", s.e_model, 4 * s.se[0]);
    vd_value(r, "effect_width", s.e_width, 4 * s.se[1]);
    vd_value(r, "conv_frac", (double)s.g.nconv / s.g.nm, 0.5);
    mm_stats_clear(&s);
    return 0;
}

/* --- reduce ------------------------------------------------------------------------------------- */

/* The cells read back: every model's observables, sampling diagnostics
 * (R-hat, tau_int of e and |m|, burn-in, R-hat passed, plateau reached,
 * budgets) and budget curve, the training samples' own observables, the
 * exact references and the samples' tau_int. */
typedef struct {
    double (*obs)[MM_NOBS], (*diag)[8];
    mm_curve *cv;
    double ref[MM_NT][MM_NOBS], mc[MM_NT][MM_NOBS], tau[MM_NT];
} mm_res;

static int mm_read(const mm_grid *g, cellio_in *in, mm_res *r)
{
    memset(r, 0, sizeof *r);
    r->obs = calloc((size_t)g->nmodel, sizeof *r->obs);
    r->diag = calloc((size_t)g->nmodel, sizeof *r->diag);
    r->cv = calloc((size_t)g->nmodel, sizeof *r->cv);
    if (!r->obs || !r->diag || !r->cv) return -1;
    for (int c = 0; c < g->nmodel; c++) {
        cellio_get_f64s(&in[c], r->obs[c], MM_NOBS);
        cellio_get_f64s(&in[c], r->diag[c], 8);
        int n = (int)r->diag[c][7];
        r->cv[c].n = n < 1 || n > MM_MAXB ? 0 : n; /* a corrupt cell: the checksum catches it first */
        for (int b = 0; b < r->cv[c].n; b++) {
            double p[5];
            cellio_get_f64s(&in[c], p, 5);
            r->cv[c].ep[b] = p[0], r->cv[c].err[b][0] = p[1], r->cv[c].err[b][1] = p[2];
            r->cv[c].se[b][0] = p[3], r->cv[c].se[b][1] = p[4];
        }
    }
    for (int t = 0; t < MM_NT; t++) {
        cellio_in *ct = &in[g->nmodel + t];
        cellio_get_f64s(ct, r->mc[t], MM_NOBS);
        cellio_get_f64s(ct, r->ref[t], MM_NOBS);
        r->tau[t] = cellio_get_f64(ct);
    }
    return 0;
}

static void mm_res_clear(mm_res *r) { free(r->obs), free(r->diag), free(r->cv); }

/* "RBM", or "DBN" + sep + n_2 ("DBN-16", "DBN, $n_2=16$"). */
static void cfg_label(char *buf, size_t n, const mm_cfg *c, const char *fmt)
{
    if (c->nl == 1) snprintf(buf, n, "RBM");
    else snprintf(buf, n, fmt, rbm_kind_name(c->kind), c->w2);
}

/* rbm_ising.tsv (one row per model) and rbm_ising_curve.tsv (its budget curve). */
static int mm_model_table(const mm_grid *g, const mm_res *r, run_set *set)
{
    const int nw = g->nw, ncfg = g->ncfg, reps = g->reps;
    binio_file tsv, ctsv;
    if (run_tsv_open(&tsv, set, "rbm_ising", "T\tmodel\tdepth\tw1\tw2\tlt\trep\te\tabsm\tC\tchi\terr_e\terr_absm\terr_C\terr_chi"
                                              "\tepochs\tconv\trhat_e\trhat_absm\ttau_e\ttau_absm\tburn\tsconv"))
        return -1;
    if (run_tsv_open(&ctsv, set, "rbm_ising_curve", "T\tmodel\tlabel\tlt\tw1\tw2\trep\tepochs\terr_e\terr_absm\tse_e\tse_absm\tconv\tlast"))
        return -1;
    for (int cell = 0; cell < g->nmodel; cell++) {
        int t = g->ti[cell / (nw * ncfg * reps)], wi = cell / (ncfg * reps) % nw, ci = cell / reps % ncfg, rep = cell % reps;
        const mm_cfg *c = &mm_cfgs[g->cfg_of[ci]];
        const double *o = r->obs[cell], *dg = r->diag[cell];
        const mm_curve *cv = &r->cv[cell];
        double err[MM_NOBS];
        for (int q = 0; q < MM_NOBS; q++) err[q] = fabs(o[q] - r->ref[t][q]) / fabs(r->ref[t][q]);
        fprintf(tsv.f, "%.6f\t%s\t%d\t%d\t%d\t%d\t%d\t%.6f\t%.6f\t%.6f\t%.6f\t%.4e\t%.4e\t%.4e\t%.4e\t%d\t%d\t%.4f\t%.4f\t%.2f\t%.2f\t%d\t%d\n",
                mm_T[t], rbm_kind_name(c->kind), c->nl, g->w1s[wi], c->w2, c->lt, rep, o[0], o[1], o[2], o[3], err[0],
                err[1], err[2], err[3], cv->n ? (int)cv->ep[cv->n - 1] : 0, (int)dg[6], dg[0], dg[1], dg[2], dg[3],
                (int)dg[4], (int)dg[5]);
        char label[32];
        cfg_label(label, sizeof label, c, "%s-%d");
        for (int b = 0; b < cv->n; b++)
            fprintf(ctsv.f, "%.6f\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%.4e\t%.4e\t%.3e\t%.3e\t%d\t%d\n", mm_T[t],
                    rbm_kind_name(c->kind), label, c->lt, g->w1s[wi], c->w2, rep, (int)cv->ep[b], cv->err[b][0],
                    cv->err[b][1], cv->se[b][0], cv->se[b][1], (int)dg[6], b == cv->n - 1);
    }
    return run_close(set, &tsv) | run_close(set, &ctsv) ? -1 : 0;
}

/* listing: mmband */
// The figure's band, Morningstar-Melko's finding in their terms: at each
// width the mean log10 error over configurations and repetitions, mu_w,
// widened by the margin times the width effect W (the standard deviation of
// mu_w over the widths): 10^(mu_w -+ MM_MARGIN W), per temperature and
// observable.  If the error depended on the width only, every
// configuration's curve would lie about within it.
static void mm_band(double (*band)[MM_NOBS][16][2], const mm_grid *g, const mm_res *r)
{
    for (int ti = 0; ti < g->nt; ti++)
        for (int q = 0; q < MM_NOBS; q++) {
            double mu[16] = {0}, grand = 0, W = 0, rq = r->ref[g->ti[ti]][q];
            for (int wi = 0; wi < g->nw; wi++) {
                for (int ci = 0; ci < g->ncfg; ci++)
                    for (int rep = 0; rep < g->reps; rep++) {
                        double v = fabs(r->obs[((ti * g->nw + wi) * g->ncfg + ci) * g->reps + rep][q] - rq) / fabs(rq);
                        mu[wi] += log10(fmax(v, 1e-12)) / (g->ncfg * g->reps);
                    }
                grand += mu[wi] / g->nw;
            }
            for (int wi = 0; wi < g->nw; wi++) W += (mu[wi] - grand) * (mu[wi] - grand) / (g->nw - 1);
            for (int wi = 0; wi < g->nw; wi++)
                band[ti][q][wi][0] = pow(10, mu[wi] - MM_MARGIN * sqrt(W)), band[ti][q][wi][1] = pow(10, mu[wi] + MM_MARGIN * sqrt(W));
        }
}
/* end: mmband */

/* rbm_ising_mean.tsv: mean relative error and its standard error over the repetitions. */
static int mm_tables(const mm_grid *g, mm_res *r, run_set *set)
{
    const int nw = g->nw, ncfg = g->ncfg, reps = g->reps;
    binio_file mtsv;
    if (mm_model_table(g, r, set)) return -1;
    if (run_tsv_open(&mtsv, set, "rbm_ising_mean", "T\tmodel\tlabel\tlt\tw1\tw2\tobs\terr\terr_se\tdata_err\tband_lo\tband_hi"))
        return -1;
    double band[MM_NT][MM_NOBS][16][2];
    mm_band(band, g, r);
    for (int ti = 0; ti < g->nt; ti++)
        for (int ci = 0; ci < ncfg; ci++)
            for (int q = 0; q < MM_NOBS; q++)
                for (int wi = 0; wi < nw; wi++) {
                    const mm_cfg *c = &mm_cfgs[g->cfg_of[ci]];
                    int t = g->ti[ti];
                    double s = 0, s2 = 0, rq = r->ref[t][q];
                    for (int rep = 0; rep < reps; rep++) {
                        double v = fabs(r->obs[((ti * nw + wi) * ncfg + ci) * reps + rep][q] - rq) / fabs(rq);
                        s += v, s2 += v * v;
                    }
                    double mean = s / reps, se = sqrt(fmax(s2 / reps - mean * mean, 0) / (reps - 1));
                    char label[32];
                    cfg_label(label, sizeof label, c, "%s-%d");
                    fprintf(mtsv.f, "%.6f\t%s\t%s\t%d\t%d\t%d\t%s\t%.5e\t%.3e\t%.5e\t%.5e\t%.5e\n", mm_T[t], rbm_kind_name(c->kind),
                            label, c->lt, g->w1s[wi], c->w2, obs_name[q], mean, se, fabs(r->mc[t][q] - rq) / fabs(rq),
                            band[ti][q][wi][0], band[ti][q][wi][1]);
                }
    return run_close(set, &mtsv) ? -1 : 0;
}

/* The second-layer widths in use ("16 and 64"), and the table rows: mean
 * log10 relative error per configuration and per first-layer width (all T,
 * observables, repetitions), from the design the verdict read. */
static void mm_rows(const mm_grid *g, const mm_res *r, const mm_design *dz, char *w2s, size_t n2, char *crows, char *wrows,
                    size_t nr)
{
    int nconv[8] = {0};
    for (int c = 0; c < g->nmodel; c++) nconv[c / g->reps % g->ncfg] += r->diag[c][5] == 1 && r->diag[c][6] == 1;
    size_t wl = 0, rl = 0;
    int seen[8] = {0}, ns = 0;
    w2s[0] = crows[0] = wrows[0] = 0;
    double csum[8] = {0}, wsum[16] = {0};
    for (int m = 0; m < dz->nm; m++)
        for (int q = 0; q < MM_NOBS; q++) {
            csum[m / dz->nr % dz->nc] += dz->y[4 * m + q] / (dz->nm / dz->nc * MM_NOBS);
            wsum[m / (dz->nr * dz->nc) % dz->nw] += dz->y[4 * m + q] / (dz->nm / dz->nw * MM_NOBS);
        }
    for (int ci = 0; ci < g->ncfg; ci++) {
        const mm_cfg *c = &mm_cfgs[g->cfg_of[ci]];
        int dup = 0;
        for (int q = 0; q < ns; q++) dup |= seen[q] == c->w2;
        if (c->w2 && !dup) {
            seen[ns++] = c->w2;
            wl += snprintf(w2s + wl, n2 - wl, "%s%d", wl ? " and " : "", c->w2);
        }
        char label[32];
        cfg_label(label, sizeof label, c, "%s, $n_2=%d$");
        rl += snprintf(crows + rl, nr - rl, "%s & $%.2f$ & %d/%d \\\\\n", label, csum[ci], nconv[ci], g->nmodel / g->ncfg);
    }
    rl = 0;
    for (int wi = 0; wi < g->nw; wi++) rl += snprintf(wrows + rl, nr - rl, "%d & $%.2f$ \\\\\n", g->w1s[wi], wsum[wi]);
}

static const char *mm_conclusion_data(claims_verdict v, double p_width)
{
    return v == CLAIMS_REPRODUCED
               ? "the errors depend on the first-layer width, and the model-type and depth effect is shown to be below a fifth of the width effect"
           : v == CLAIMS_PARTLY
               ? "the width matters, but the model types and depths do not reach the same accuracy at equal first-layer width, so the test finds a model/depth effect as well"
           : v == CLAIMS_NOT_REPRODUCED ? "the model type and depth matter and no width effect is found"
           : p_width >= MM_ALPHA ? "the test resolves neither a width nor a model/depth effect"
                                 : "the width matters, and the model/depth effect, though not significant, is not shown to be small against it";
}

/* The chapter's closing sentence, from the verdict, the gates and the rule on the data. */
static void mm_conclusion(char *buf, size_t n, const mm_stats *s)
{
    const char *d = mm_conclusion_data(s->vdata, s->p_width);
    if (s->g.nconv < s->g.nm)
        snprintf(buf, n, "On the data as trained, %s; but only %d of the %d models reached their training plateau and passed R-hat, so the verdict, which may not rest on unconverged models, is inconclusive.", d, s->g.nconv, s->g.nm);
    else if (!(s->p_ctrl < MM_ALPHA))
        snprintf(buf, n, "On these data %s; but the test misses an injected doubling of one configuration's errors, so it could not have seen a model effect of that size: inconclusive.", d);
    else snprintf(buf, n, "With every model converged, %s.", d);
}

/* The sampling and convergence summary: median tau_int of e and |m| (Gibbs
 * steps), the largest R-hat, the models that needed more than the first
 * window; the energy error at T_c of the n1 = 32 RBMs (mean and standard
 * error over repetitions, percent; NaN when not in the grid). */
typedef struct {
    double tau[2], rhat, e32, e32se;
    int extra;
} mm_diag_sum;

static void mm_diag_summary(mm_diag_sum *o, const mm_grid *g, const mm_res *r)
{
    double *v = malloc(sizeof(double) * (size_t)g->nmodel), s = 0, s2 = 0;
    int k = 0;
    memset(o, 0, sizeof *o);
    for (int q = 0; q < 2 && v; q++) {
        for (int c = 0; c < g->nmodel; c++) v[c] = r->diag[c][2 + q];
        qsort(v, (size_t)g->nmodel, sizeof *v, mm_cmp);
        o->tau[q] = 0.5 * (v[(g->nmodel - 1) / 2] + v[g->nmodel / 2]);
    }
    free(v);
    for (int c = 0; c < g->nmodel; c++) {
        o->rhat = fmax(o->rhat, fmax(r->diag[c][0], r->diag[c][1]));
        o->extra += r->diag[c][4] > g->burn;
        int t = g->ti[c / (g->nw * g->ncfg * g->reps)], wi = c / (g->ncfg * g->reps) % g->nw, ci = c / g->reps % g->ncfg;
        if (t == 1 && g->w1s[wi] == 32 && g->cfg_of[ci] == 0) {
            double x = 100 * fabs(r->obs[c][0] - r->ref[t][0]) / fabs(r->ref[t][0]);
            s += x, s2 += x * x, k++;
        }
    }
    o->e32 = k ? s / k : NAN;
    o->e32se = k > 1 ? sqrt(fmax(s2 / k - o->e32 * o->e32, 0) / (k - 1)) : NAN;
}

enum { MM_NFIXED = 66, MM_NPERT = 2 + 2 * MM_NOBS };

static int mm_macros(const mm_grid *g, const mm_res *r, const mm_stats *s, run_set *set)
{
    char w2s[64], crows[2048], wrows[2048], names[MM_NT * MM_NPERT][40], ratio[32], upper[32], concl[1024];
    char buds[64], temps[64];
    mm_diag_sum ds;
    mm_diag_summary(&ds, g, r);
    mm_conclusion(concl, sizeof concl, s);
    for (int b = 0, l = 0; b < g->nbud; b++)
        l += snprintf(buds + l, sizeof buds - l, "%s%d", b ? ", " : "", g->cap >> (g->nbud - 1 - b));
    snprintf(temps, sizeof temps, "%s", g->nt == 1 ? "$T_c$ only" : "$T=2.0$, $T_c$ and $2.6$");
    mm_rows(g, r, &s->g, w2s, sizeof w2s, crows, wrows, sizeof crows);
    mm_ratio_text(ratio, sizeof ratio, s->ratio, 1);
    mm_ratio_text(upper, sizeof upper, s->upper, 1);
    texmac m[MM_NFIXED + MM_NT * MM_NPERT + 2] = {
        TEXMAC_I("IsingRbmMmSamples", g->nsamp),     TEXMAC_I("IsingRbmMmSpacing", MM_SPACING),
        TEXMAC_I("IsingRbmMmBurn", MM_BURN),         TEXMAC_I("IsingRbmMmEpochs", g->cap),
        TEXMAC_I("IsingRbmMmJointEpochs", g->jepochs), TEXMAC_I("IsingRbmMmK", MM_K),
        TEXMAC_I("IsingRbmMmBatch", MM_BATCH),       TEXMAC_F("IsingRbmMmLrZero", 3, MM_LR0),
        TEXMAC_F("IsingRbmMmLrOne", 3, MM_LR1),      TEXMAC_F("IsingRbmMmMomentum", 2, MM_MOMENTUM),
        TEXMAC_I("IsingRbmMmMf", MM_MF),             TEXMAC_F("IsingRbmMmJointLrZero", 3, MM_JLR0),
        TEXMAC_F("IsingRbmMmJointLrOne", 3, MM_JLR1), TEXMAC_S("IsingRbmMmWtwo", w2s),
        TEXMAC_I("IsingRbmMmWtwoSmall", mm_cfgs[1].w2), /* the figure's dashed lines */
        TEXMAC_I("IsingRbmMmWtwoLarge", mm_cfgs[2].w2), /* and solid ones */
        TEXMAC_S("IsingRbmMmConclusion", concl),    TEXMAC_S("IsingRbmMmBudgets", buds),
        TEXMAC_S("IsingRbmMmTModels", temps),       TEXMAC_I("IsingRbmMmHeldout", MM_HO),
        TEXMAC_F("IsingRbmMmPlat", 0, 100 * MM_PLAT), TEXMAC_F("IsingRbmMmRhat", 2, MM_RHAT),
        TEXMAC_I("IsingRbmMmSwin", MM_SWIN),         TEXMAC_I("IsingRbmMmConv", s->g.nconv),
        TEXMAC_I("IsingRbmMmPlateau", s->g.nplat),   TEXMAC_I("IsingRbmMmRhatPass", s->g.nsconv),
        TEXMAC_F("IsingRbmMmConvPct", 0, 100.0 * s->g.nconv / s->g.nm),
        TEXMAC_N("IsingRbmMmPCtrl", 3, s->p_ctrl),   TEXMAC_F("IsingRbmMmInj", 3, MM_INJ),
        TEXMAC_S("IsingRbmMmVerdictData", claims_verdict_name(s->vdata)),
        TEXMAC_F("IsingRbmMmTauModelE", 1, ds.tau[0]), TEXMAC_F("IsingRbmMmTauModelM", 1, ds.tau[1]),
        TEXMAC_F("IsingRbmMmRhatMax", 3, ds.rhat),   TEXMAC_I("IsingRbmMmExtraWin", ds.extra),
        TEXMAC_F("IsingRbmMmErrEThirtyTwo", 1, ds.e32), TEXMAC_F("IsingRbmMmErrEThirtyTwoSe", 1, ds.e32se),
        TEXMAC_I("IsingRbmMmWinSteps", g->meas * g->thin),
        TEXMAC_I("IsingRbmMmChains", g->chains),     TEXMAC_I("IsingRbmMmGibbsBurn", g->burn),
        TEXMAC_I("IsingRbmMmMeas", g->meas),         TEXMAC_I("IsingRbmMmThin", g->thin),
        TEXMAC_I("IsingRbmMmReps", g->reps),         TEXMAC_I("IsingRbmMmConfigs", g->ncfg),
        TEXMAC_I("IsingRbmMmWidths", g->nw),         TEXMAC_I("IsingRbmMmWmin", g->w1s[0]),
        TEXMAC_I("IsingRbmMmWmax", g->w1s[g->nw - 1]), TEXMAC_I("IsingRbmMmCells", g->nmodel),
        TEXMAC_I("IsingRbmMmPerms", MM_PERMS),       TEXMAC_F("IsingRbmMmAlpha", 2, MM_ALPHA),
        TEXMAC_N("IsingRbmMmPType", 3, s->p_model),  TEXMAC_N("IsingRbmMmPWidth", 3, s->p_width),
        TEXMAC_F("IsingRbmMmShareType", 3, s->G_model / (s->fm.ns * MM_NOBS)),
        TEXMAC_F("IsingRbmMmShareWidth", 3, s->G_width / (s->fw.ns * MM_NOBS)),
        TEXMAC_I("IsingRbmMmStrataType", s->fm.ns),  TEXMAC_I("IsingRbmMmStrataWidth", s->fw.ns),
        TEXMAC_F("IsingRbmMmEffModel", 3, s->e_model), TEXMAC_F("IsingRbmMmEffWidth", 3, s->e_width),
        TEXMAC_S("IsingRbmMmRatio", ratio),          TEXMAC_S("IsingRbmMmRatioUpper", upper),
        TEXMAC_F("IsingRbmMmMargin", 1, MM_MARGIN),  TEXMAC_F("IsingRbmMmFlip", 2, s->flip),
        TEXMAC_I("IsingRbmMmBoot", MM_BOOT),         TEXMAC_I("IsingRbmMmBootInner", MM_BOOT_INNER),
        TEXMAC_N("IsingRbmMmPTypeFirst", 3, s->p_model1), TEXMAC_N("IsingRbmMmPWidthFirst", 3, s->p_width1),
        TEXMAC_S("IsingRbmMmVerdictFirst", claims_verdict_name(s->v1)),
    };
    static const char *const on[MM_NOBS] = {"E", "M", "C", "Chi"};
    int k = MM_NFIXED;
    for (int t = 0; t < MM_NT; t++) {
        char (*nm)[40] = names + t * MM_NPERT;
        snprintf(nm[0], 40, "IsingRbmMmT%s", mm_tn[t]);
        snprintf(nm[1], 40, "IsingRbmMmTau%s", mm_tn[t]);
        m[k++] = (texmac)TEXMAC_F(nm[0], 3, mm_T[t]);
        m[k++] = (texmac)TEXMAC_F(nm[1], 2, r->tau[t]);
        for (int q = 0; q < MM_NOBS; q++) {
            snprintf(nm[2 + 2 * q], 40, "IsingRbmMmRef%s%s", on[q], mm_tn[t]);
            snprintf(nm[3 + 2 * q], 40, "IsingRbmMmData%s%s", on[q], mm_tn[t]);
            m[k++] = (texmac)TEXMAC_F(nm[2 + 2 * q], 4, r->ref[t][q]);
            m[k++] = (texmac)TEXMAC_F(nm[3 + 2 * q], 4, r->mc[t][q]);
        }
    }
    m[k++] = (texmac)TEXMAC_S("IsingRbmMmConfigRows", crows);
    m[k++] = (texmac)TEXMAC_S("IsingRbmMmWidthRows", wrows);
    return run_macros(set, m, TEXMAC_LEN(m));
}

static int mm_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    mm_grid g = mm_grid_of(ctx);
    mm_res r;
    memset(&r, 0, sizeof r);
    int rc = n == g.nmodel + MM_NT && mm_read(&g, in, &r) == 0 && mm_tables(&g, &r, set) == 0 ? 0 : -1;
    if (rc == 0) {
        /* the chapter's numbers come from the verdict's own analysis of the table just written */
        char dir[4200];
        snprintf(dir, sizeof dir, "%s/data", set->dir);
        vd_data d;
        vd_data_init(&d, dir);
        mm_stats s;
        rc = mm_analyse(&d, &s);
        vd_data_clear(&d);
        if (rc == 0) rc = mm_macros(&g, &r, &s, set);
        mm_stats_clear(&s);
    }
    mm_res_clear(&r);
    return rc;
}

const exp_def exp_rbm_ising_def = {mm_ncells, mm_cell, mm_reduce, 0};
