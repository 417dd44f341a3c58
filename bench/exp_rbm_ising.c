/* Chapter 6, experiment `rbm-ising` (MM-2): RBM, DBN, DBM and DRBN trained
 * on 8x8 Ising samples near T_c; observables of the model samples against
 * the exact values, and the pre-stated permutation tests of the headline
 * (accuracy set by the first hidden layer's width only).
 *
 * The grid: first one cell per trained model, cell = ((t * nw + wi) * ncfg +
 * ci) * reps + rep (temperature, first-layer width, configuration,
 * repetition) as before the split, keyed by the cell number; then one cell
 * per temperature with the training samples' own observables, their
 * autocorrelation time and the exact references.  Every cell draws the
 * training samples of its temperature itself (MM steps keyed by the
 * temperature, as before), so it reads no other experiment's files and
 * depends on nothing but (scale, seed, cell).  Reduce writes the tables,
 * runs the two permutation tests (their streams keyed by the seed) and
 * writes the macros and the verdict. */
#include "ch6_util.h"
#include "claims.h"
#include "experiments.h"
#include "ising.h"
#include "rbm.h"

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

/* The grid and the settings at one scale. */
typedef struct {
    const int *w1s;
    int nw, ncfg, reps, nsamp, epochs, jepochs, chains, burn, meas, thin, perms, nmodel;
    int cfg_of[7];
} mm_grid;

static mm_grid mm_grid_of(const exp_ctx *ctx)
{
    static const int w1f[6] = {8, 16, 32, 64, 128, 256}, w1q[3] = {8, 32, 128}, cq[4] = {0, 2, 4, 6};
    int full = ctx->scale == EXP_FULL;
    mm_grid g = {full ? w1f : w1q, full ? 6 : 3, full ? 7 : 4, full ? 3 : 2, full ? 10000 : 4000, full ? 40 : 20,
                 full ? 10 : 5, full ? 1000 : 300, full ? 200 : 100, 10, full ? 10 : 5, full ? 2000 : 1000, 0, {0}};
    g.nmodel = MM_NT * g.nw * g.ncfg * g.reps;
    for (int c = 0; c < g.ncfg; c++) g.cfg_of[c] = full ? c : cq[c];
    return g;
}

static int mm_ncells(const exp_ctx *ctx) { return mm_grid_of(ctx).nmodel + MM_NT; }

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

/* The training samples of temperature t (MM steps, Wolff + N Metropolis) as
 * 0/1 floats: data[nsamp * MM_NV] (malloc'd), or NULL on failure. */
static float *mm_samples(const mm_grid *g, int t, uint64_t seed)
{
    float *data = malloc(sizeof(float) * g->nsamp * MM_NV);
    int8_t *sp = malloc((size_t)g->nsamp * MM_NV);
    if (!data || !sp || ising_sample_torus(sp, MM_L, mm_T[t], g->nsamp, MM_BURN, MM_SPACING, seed, (uint32_t)t)) {
        free(data), free(sp);
        return NULL;
    }
    for (size_t i = 0; i < (size_t)g->nsamp * MM_NV; i++) data[i] = sp[i] > 0 ? 1.0f : 0.0f;
    free(sp);
    return data;
}

/* Model samples: `chains` chains, `burn` steps, then `meas` measurements
 * `thin` steps apart; observables of all chains x meas samples. */
static int model_observables(double *o, const rbm_deep *d, const mm_grid *g, double T, uint64_t seed, uint32_t cell)
{
    const int chains = g->chains, meas = g->meas, thin = g->thin;
    float *x[RBM_MAX_LAYERS + 1] = {0};
    double *e = malloc(sizeof(double) * chains * meas), *m = malloc(sizeof(double) * chains * meas);
    int bad = !e || !m;
    for (int l = 0; l <= d->nl; l++) bad |= !(x[l] = malloc(sizeof(float) * chains * d->sizes[l]));
    rng_stream r;
    rng_init(&r, seed, cell, 7);
    for (int l = 0; !bad && l <= d->nl; l++)
        for (size_t i = 0; i < (size_t)chains * d->sizes[l]; i++) x[l][i] = (float)(rng_u32(&r) & 1);
    for (int s = 0; !bad && s < g->burn + meas * thin; s++) {
        rbm_deep_step(d, x, (size_t)chains, &r);
        int q = s - g->burn + 1;
        if (q > 0 && q % thin == 0)
            for (int c = 0; c < chains; c++) {
                size_t k = (size_t)(q / thin - 1) * chains + c;
                ch6_torus_obs(&e[k], &m[k], x[0] + (size_t)c * MM_NV, MM_L);
            }
    }
    if (!bad) observables(o, e, m, (size_t)chains * meas, T);
    for (int l = 0; l <= d->nl; l++) free(x[l]);
    free(e);
    free(m);
    return bad ? -1 : 0;
}

/* listing: mmcell */
// One trained model: temperature t, first-layer width wi, configuration ci.
static int mm_model_cell(const mm_grid *g, int cell, uint64_t seed, cellio_out *out)
{
    int t = cell / (g->nw * g->ncfg * g->reps), wi = cell / (g->ncfg * g->reps) % g->nw, ci = cell / g->reps % g->ncfg;
    const mm_cfg *c = &mm_cfgs[g->cfg_of[ci]];
    int sizes[3] = {MM_NV, g->w1s[wi], c->w2};
    rbm_deep d;
    rbm_deep_opts o = {{MM_K, 1, MM_BATCH, g->epochs, MM_LR0, MM_LR1, 0, 0, MM_MOMENTUM, 1, MM_L},
                       g->jepochs, MM_MF, MM_SD0, MM_JLR0, MM_JLR1};
    float *data = mm_samples(g, t, seed);
    double obs[MM_NOBS];
    if (!data || rbm_deep_init(&d, c->kind, c->nl, sizes)) {
        free(data);
        return -1;
    }
    rbm_blas_single_thread();
    int fail = rbm_deep_train(&d, data, (size_t)g->nsamp, &o, seed, (uint32_t)cell) != 0;
    fail |= model_observables(obs, &d, g, mm_T[t], seed, (uint32_t)cell) != 0;
    rbm_deep_clear(&d);
    free(data);
    if (!fail) cellio_put_f64s(out, obs, MM_NOBS);
    return fail ? -1 : 0;
}
/* end: mmcell */

/* Temperature t: the training samples' observables and tau_int (of e and |m|,
 * in samples), and the exact references (Kaufman e, C; transfer-matrix |m|, chi). */
static int mm_temp_cell(const mm_grid *g, int t, uint64_t seed, cellio_out *out)
{
    const int nsamp = g->nsamp;
    float *data = mm_samples(g, t, seed);
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

/* --- reduce: the permutation tests ------------------------------------------------------------ */

/* listing: permtest */
// Share of the variance of y explained by the grouping, summed over strata:
// G = sum_strata SS_between / SS_total.  y[s][u], group g[s][u], n units
// per stratum.  The permutation test shuffles the group labels within every
// stratum (exchangeable under the null of no group effect) and reports
// p = (1 + #{G_perm >= G_obs}) / (1 + P).
static double share_stat(const double *y, const int *g, int nstrata, int n, int ngroups)
{
    double G = 0, sum[64], cnt[64];
    for (int s = 0; s < nstrata; s++) {
        const double *ys = y + (size_t)s * n;
        const int *gs = g + (size_t)s * n;
        double mu = 0, sst = 0, ssb = 0;
        for (int u = 0; u < n; u++) mu += ys[u] / n;
        for (int k = 0; k < ngroups; k++) sum[k] = cnt[k] = 0;
        for (int u = 0; u < n; u++) {
            sst += (ys[u] - mu) * (ys[u] - mu);
            sum[gs[u]] += ys[u];
            cnt[gs[u]] += 1;
        }
        for (int k = 0; k < ngroups; k++)
            if (cnt[k] > 0) ssb += cnt[k] * (sum[k] / cnt[k] - mu) * (sum[k] / cnt[k] - mu);
        G += sst > 0 ? ssb / sst : 0;
    }
    return G;
}

static double perm_test(double *Gobs, const double *y, const int *g, int nstrata, int n, int ngroups, int P,
                        uint64_t seed, uint32_t cell)
{
    *Gobs = share_stat(y, g, nstrata, n, ngroups);
    int *gp = malloc(sizeof(int) * nstrata * n), ge = 0;
    size_t *idx = malloc(sizeof(size_t) * n);
    rng_stream r;
    rng_init(&r, seed, cell, 9);
    for (int p = 0; p < P; p++) {
        for (int s = 0; s < nstrata; s++) {
            for (int u = 0; u < n; u++) idx[u] = (size_t)u;
            rng_shuffle(&r, idx, (size_t)n);
            for (int u = 0; u < n; u++) gp[s * n + u] = g[s * n + idx[u]];
        }
        ge += share_stat(y, gp, nstrata, n, ngroups) >= *Gobs - 1e-12;
    }
    free(gp);
    free(idx);
    return (1.0 + ge) / (1.0 + P);
}
/* end: permtest */

/* --- reduce ------------------------------------------------------------------------------------- */

/* The cells read back, the log10 relative errors arranged for the two tests
 * (y1: strata (T, observable, width), groups = configurations; y2: strata
 * (T, observable, configuration), groups = widths), and the test results. */
typedef struct {
    double (*obs)[MM_NOBS];
    double ref[MM_NT][MM_NOBS], mc[MM_NT][MM_NOBS], tau[MM_NT];
    double *y1, *y2;
    int *g1, *g2;
    int nu, nu2, ns1, ns2;
    double p_type, p_width, Gtype, Gw;
    claims_verdict v;
} mm_res;

static void mm_res_clear(mm_res *r) { free(r->obs), free(r->y1), free(r->y2), free(r->g1), free(r->g2); }

static int mm_read(const mm_grid *g, cellio_in *in, mm_res *r)
{
    memset(r, 0, sizeof *r);
    r->nu = g->ncfg * g->reps, r->nu2 = g->nw * g->reps;
    r->ns1 = MM_NT * MM_NOBS * g->nw, r->ns2 = MM_NT * MM_NOBS * g->ncfg;
    r->obs = calloc((size_t)g->nmodel, sizeof *r->obs);
    r->y1 = malloc(sizeof(double) * r->ns1 * r->nu), r->y2 = malloc(sizeof(double) * r->ns2 * r->nu2);
    r->g1 = malloc(sizeof(int) * r->ns1 * r->nu), r->g2 = malloc(sizeof(int) * r->ns2 * r->nu2);
    if (!r->obs || !r->y1 || !r->y2 || !r->g1 || !r->g2) return -1;
    for (int c = 0; c < g->nmodel; c++) cellio_get_f64s(&in[c], r->obs[c], MM_NOBS);
    for (int t = 0; t < MM_NT; t++) {
        cellio_in *ct = &in[g->nmodel + t];
        cellio_get_f64s(ct, r->mc[t], MM_NOBS);
        cellio_get_f64s(ct, r->ref[t], MM_NOBS);
        r->tau[t] = cellio_get_f64(ct);
    }
    return 0;
}

/* "RBM", or "DBN" + sep + n_2 ("DBN-16", "DBN, $n_2=16$"). */
static void cfg_label(char *buf, size_t n, const mm_cfg *c, const char *fmt)
{
    if (c->nl == 1) snprintf(buf, n, "RBM");
    else snprintf(buf, n, fmt, rbm_kind_name(c->kind), c->w2);
}

/* rbm_ising.tsv (one row per model, filling y1/y2) and rbm_ising_mean.tsv. */
static int mm_tables(const mm_grid *g, mm_res *r, run_set *set)
{
    const int nw = g->nw, ncfg = g->ncfg, reps = g->reps, nu = r->nu, nu2 = r->nu2;
    binio_file tsv, mtsv;
    if (run_tsv_open(&tsv, set, "rbm_ising", "T\tmodel\tdepth\tw1\tw2\tlt\trep\te\tabsm\tC\tchi\terr_e\terr_absm\terr_C\terr_chi"))
        return -1;
    if (run_tsv_open(&mtsv, set, "rbm_ising_mean", "T\tmodel\tlabel\tlt\tw1\tw2\tobs\terr\terr_se\tdata_err")) return -1;
    for (int cell = 0; cell < g->nmodel; cell++) {
        int t = cell / (nw * ncfg * reps), wi = cell / (ncfg * reps) % nw, ci = cell / reps % ncfg, rep = cell % reps;
        const mm_cfg *c = &mm_cfgs[g->cfg_of[ci]];
        const double *o = r->obs[cell];
        double err[MM_NOBS];
        for (int q = 0; q < MM_NOBS; q++) {
            err[q] = fabs(o[q] - r->ref[t][q]) / fabs(r->ref[t][q]);
            double ly = log10(fmax(err[q], 1e-12));
            size_t i1 = ((size_t)(t * MM_NOBS + q) * nw + wi) * nu + ci * reps + rep;
            size_t i2 = ((size_t)(t * MM_NOBS + q) * ncfg + ci) * nu2 + wi * reps + rep;
            r->y1[i1] = ly, r->g1[i1] = ci, r->y2[i2] = ly, r->g2[i2] = wi;
        }
        fprintf(tsv.f, "%.6f\t%s\t%d\t%d\t%d\t%d\t%d\t%.6f\t%.6f\t%.6f\t%.6f\t%.4e\t%.4e\t%.4e\t%.4e\n", mm_T[t],
                rbm_kind_name(c->kind), c->nl, g->w1s[wi], c->w2, c->lt, rep, o[0], o[1], o[2], o[3], err[0], err[1],
                err[2], err[3]);
    }
    for (int t = 0; t < MM_NT; t++)
        for (int ci = 0; ci < ncfg; ci++)
            for (int q = 0; q < MM_NOBS; q++)
                for (int wi = 0; wi < nw; wi++) {
                    const mm_cfg *c = &mm_cfgs[g->cfg_of[ci]];
                    double s = 0, s2 = 0, rq = r->ref[t][q];
                    for (int rep = 0; rep < reps; rep++) {
                        double v = fabs(r->obs[((t * nw + wi) * ncfg + ci) * reps + rep][q] - rq) / fabs(rq);
                        s += v, s2 += v * v;
                    }
                    double mean = s / reps, se = sqrt(fmax(s2 / reps - mean * mean, 0) / (reps - 1));
                    char label[32];
                    cfg_label(label, sizeof label, c, "%s-%d");
                    fprintf(mtsv.f, "%.6f\t%s\t%s\t%d\t%d\t%d\t%s\t%.5e\t%.3e\t%.5e\n", mm_T[t], rbm_kind_name(c->kind), label,
                            c->lt, g->w1s[wi], c->w2, obs_name[q], mean, se, fabs(r->mc[t][q] - rq) / fabs(rq));
                }
    return run_close(set, &tsv) | run_close(set, &mtsv) ? -1 : 0;
}

static void mm_tests(const mm_grid *g, mm_res *r, uint64_t seed)
{
    /* listing: mmverdict */
    r->p_type = perm_test(&r->Gtype, r->y1, r->g1, r->ns1, r->nu, g->ncfg, g->perms, seed, 1);
    r->p_width = perm_test(&r->Gw, r->y2, r->g2, r->ns2, r->nu2, g->nw, g->perms, seed, 2);
    // Decision stated before the runs: alpha = MM_ALPHA for both tests.
    // width effect significant and model/depth effect not: reproduced;
    // both significant: partly; width effect not significant: not reproduced.
    r->v = r->p_width >= MM_ALPHA ? CLAIMS_NOT_REPRODUCED
           : r->p_type >= MM_ALPHA ? CLAIMS_REPRODUCED : CLAIMS_PARTLY;
    /* end: mmverdict */
}

/* The second-layer widths in use ("16 and 64"), and the table rows: mean
 * log10 relative error per configuration and per first-layer width (all T,
 * observables, repetitions). */
static void mm_rows(const mm_grid *g, const mm_res *r, char *w2s, size_t n2, char *crows, char *wrows, size_t nr)
{
    size_t wl = 0, rl = 0;
    int seen[8] = {0}, ns = 0;
    w2s[0] = crows[0] = wrows[0] = 0;
    for (int ci = 0; ci < g->ncfg; ci++) {
        const mm_cfg *c = &mm_cfgs[g->cfg_of[ci]];
        int dup = 0;
        for (int q = 0; q < ns; q++) dup |= seen[q] == c->w2;
        if (c->w2 && !dup) {
            seen[ns++] = c->w2;
            wl += snprintf(w2s + wl, n2 - wl, "%s%d", wl ? " and " : "", c->w2);
        }
        double sum = 0;
        int cnt = 0;
        for (int s2 = 0; s2 < r->ns2; s2++)
            if (s2 % g->ncfg == ci)
                for (int u = 0; u < r->nu2; u++) sum += r->y2[(size_t)s2 * r->nu2 + u], cnt++;
        char label[32];
        cfg_label(label, sizeof label, c, "%s, $n_2=%d$");
        rl += snprintf(crows + rl, nr - rl, "%s & $%.2f$ \\\\\n", label, sum / cnt);
    }
    rl = 0;
    for (int wi = 0; wi < g->nw; wi++) {
        double sum = 0;
        int cnt = 0;
        for (int s1 = 0; s1 < r->ns1; s1++)
            if (s1 % g->nw == wi)
                for (int u = 0; u < r->nu; u++) sum += r->y1[(size_t)s1 * r->nu + u], cnt++;
        rl += snprintf(wrows + rl, nr - rl, "%d & $%.2f$ \\\\\n", g->w1s[wi], sum / cnt);
    }
}

static const char *mm_conclusion(claims_verdict v)
{
    return v == CLAIMS_REPRODUCED
               ? "At this training budget the errors depend on the first-layer width, and no model-type or depth effect is detectable at the stated level."
           : v == CLAIMS_PARTLY
               ? "The width matters, but at this training budget the model types and depths do not reach the same accuracy at equal first-layer width, so the test finds a model/depth effect as well; whether the authors' longer training would remove it is not tested here."
               : "At this training budget no significant width effect is found.";
}

enum { MM_NFIXED = 35, MM_NPERT = 2 + 2 * MM_NOBS };

static int mm_macros(const mm_grid *g, const mm_res *r, run_set *set)
{
    char w2s[64], crows[2048], wrows[2048], names[MM_NT * MM_NPERT][40];
    mm_rows(g, r, w2s, sizeof w2s, crows, wrows, sizeof crows);
    texmac m[MM_NFIXED + MM_NT * MM_NPERT + 2] = {
        TEXMAC_I("IsingRbmMmSamples", g->nsamp),     TEXMAC_I("IsingRbmMmSpacing", MM_SPACING),
        TEXMAC_I("IsingRbmMmBurn", MM_BURN),         TEXMAC_I("IsingRbmMmEpochs", g->epochs),
        TEXMAC_I("IsingRbmMmJointEpochs", g->jepochs), TEXMAC_I("IsingRbmMmK", MM_K),
        TEXMAC_I("IsingRbmMmBatch", MM_BATCH),       TEXMAC_F("IsingRbmMmLrZero", 3, MM_LR0),
        TEXMAC_F("IsingRbmMmLrOne", 3, MM_LR1),      TEXMAC_F("IsingRbmMmMomentum", 2, MM_MOMENTUM),
        TEXMAC_I("IsingRbmMmMf", MM_MF),             TEXMAC_F("IsingRbmMmJointLrZero", 3, MM_JLR0),
        TEXMAC_F("IsingRbmMmJointLrOne", 3, MM_JLR1), TEXMAC_S("IsingRbmMmWtwo", w2s),
        TEXMAC_I("IsingRbmMmWtwoSmall", mm_cfgs[1].w2), /* the figure's dashed lines */
        TEXMAC_I("IsingRbmMmWtwoLarge", mm_cfgs[2].w2), /* and solid ones */
        TEXMAC_S("IsingRbmMmConclusion", mm_conclusion(r->v)),
        TEXMAC_I("IsingRbmMmChains", g->chains),     TEXMAC_I("IsingRbmMmGibbsBurn", g->burn),
        TEXMAC_I("IsingRbmMmMeas", g->meas),         TEXMAC_I("IsingRbmMmThin", g->thin),
        TEXMAC_I("IsingRbmMmReps", g->reps),         TEXMAC_I("IsingRbmMmConfigs", g->ncfg),
        TEXMAC_I("IsingRbmMmWidths", g->nw),         TEXMAC_I("IsingRbmMmWmin", g->w1s[0]),
        TEXMAC_I("IsingRbmMmWmax", g->w1s[g->nw - 1]), TEXMAC_I("IsingRbmMmCells", g->nmodel),
        TEXMAC_I("IsingRbmMmPerms", g->perms),       TEXMAC_F("IsingRbmMmAlpha", 2, MM_ALPHA),
        TEXMAC_N("IsingRbmMmPType", 3, r->p_type),   TEXMAC_N("IsingRbmMmPWidth", 3, r->p_width),
        TEXMAC_F("IsingRbmMmShareType", 3, r->Gtype / r->ns1), TEXMAC_F("IsingRbmMmShareWidth", 3, r->Gw / r->ns2),
        TEXMAC_I("IsingRbmMmStrataType", r->ns1),    TEXMAC_I("IsingRbmMmStrataWidth", r->ns2),
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
        mm_tests(&g, &r, ctx->seed);
        rc = mm_macros(&g, &r, set);
    }
    if (rc == 0) {
        char meas[320];
        snprintf(meas, sizeof meas,
                 "permutation tests (%d perms) on log10 rel. error: model/depth effect given w1 p=%.3g (variance share %.3f), "
                 "width effect p=%.3g (share %.3f); alpha %.2f",
                 g.perms, r.p_type, r.Gtype / r.ns1, r.p_width, r.Gw / r.ns2, MM_ALPHA);
        rc = claims_emit(set, "MM-2", r.v, meas, "accuracy set by first hidden layer width only (qualitative)",
                         "reproduced iff width effect p < alpha and model/depth effect p >= alpha; partly if both "
                         "significant; stated before the runs");
    }
    mm_res_clear(&r);
    return rc;
}

const exp_def exp_rbm_ising_def = {mm_ncells, mm_cell, mm_reduce, 0};
