/* Chapter 5, MS-2: stacked RBMs 1600-400-100-25 on 40 x 40 Ising samples at
 * K = 0.408 (Mehta-Schwab Sec. V); receptive fields and their locality. */
#include "claims.h"
#include "experiments.h"
#include "ising.h"
#include "msrg.h"
#include "progress.h"
#include "rbm.h"
#include "results.h"
#include "rfield.h"
#include "stats.h"

#include <cblas.h>
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

static const int ms2_sizes[MS2_DEPTH + 1] = {1600, 400, 100, 25};
/* MS do not state their L1 strength: a fixed grid, decided before any run, and no penalty */
static const double ms2_l1[MS2_NL1] = {1e-4, 1e-3, 1e-2, 0};

typedef struct {
    double *rg[MS2_DEPTH], *null[MS2_DEPTH], *xi[MS2_DEPTH], *fields[MS2_DEPTH];
    int ok;
} ms2_cell;

/* Samples: `nchains` independent MM chains (cells 0..nchains-1), bits (s+1)/2. */
static float *ms2_samples(int n, int nchains, uint64_t seed, double *tau)
{
    const int N = MS2_L * MS2_L, per = n / nchains;
    int8_t *s = malloc((size_t)n * N);
    float *v = malloc((size_t)n * N * sizeof *v);
    double *e = malloc((size_t)n * sizeof *e);
    if (!s || !v || !e) { free(s); free(v); free(e); return NULL; }
    #pragma omp parallel for schedule(dynamic, 1)
    for (int c = 0; c < nchains; c++)
        ising_sample_torus(s + (size_t)c * per * N, MS2_L, 1 / MS2_K, per, MS2_BURN, MS2_SPACING, seed,
                           (uint32_t)c);
    for (size_t k = 0; k < (size_t)n; k++) {
        int E, M;
        ising_config_measure(&E, &M, s + k * N, MS2_L);
        e[k] = (double)E / N;
    }
    for (size_t i = 0; i < (size_t)n * N; i++) v[i] = (float)(s[i] > 0);
    *tau = ising_tau_int_multi(e, nchains, (size_t)per); /* in units of the sample spacing */
    free(s);
    free(e);
    return v;
}

static void ms2_cell_clear(ms2_cell *c)
{
    for (int l = 0; l < MS2_DEPTH; l++) { free(c->rg[l]); free(c->null[l]); free(c->xi[l]); free(c->fields[l]); }
}

/* One stack (L1 strength index a, repetition r): train, fields, spreads. */
static void ms2_run_cell(ms2_cell *c, const float *data, int n, const rbm_train_opts *base,
                         int a, int r, uint64_t seed)
{
    rbm_model layers[MS2_DEPTH];
    rbm_train_opts o = *base;
    o.l1 = ms2_l1[a];
    uint32_t cell = (uint32_t)(100 + 10 * (a * 64 + r));
    memset(layers, 0, sizeof layers);
    c->ok = msrg_train_stack(layers, ms2_sizes, MS2_DEPTH, data, (size_t)n, &o, MS2_INIT_SD, seed, cell) == 0;
    for (int l = 0; c->ok && l < MS2_DEPTH; l++) {
        int nf = ms2_sizes[l + 1];
        c->rg[l] = malloc((size_t)nf * sizeof(double));
        c->null[l] = malloc((size_t)nf * sizeof(double));
        c->xi[l] = malloc((size_t)nf * sizeof(double));
        c->fields[l] = malloc((size_t)nf * 1600 * sizeof(double));
        if (!c->rg[l] || !c->null[l] || !c->xi[l] || !c->fields[l] || msrg_fields(c->fields[l], layers, l) != 0) {
            c->ok = 0;
            break;
        }
        msrg_spreads(c->rg[l], c->null[l], c->fields[l], nf, MS2_L, seed, cell + 5 + (uint32_t)l);
        for (int j = 0; j < nf; j++) c->xi[l][j] = rfield_scale(c->fields[l] + (size_t)j * 1600, MS2_L);
    }
    for (int l = 0; l < MS2_DEPTH; l++) rbm_model_clear(&layers[l]);
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* q-quantile of sorted x[n] by linear interpolation. */
static double ms2_quantile(const double *x, int n, double q)
{
    double t = q * (n - 1);
    int i = (int)floor(t);
    return i + 1 < n ? x[i] + (t - i) * (x[i + 1] - x[i]) : x[n - 1];
}

/* Pools layer l's measures over repetitions (fields with NaN dropped); returns the count. */
static int ms2_pool(double *rg, double *nul, double *xi, ms2_cell *cells, int a, int reps, int l)
{
    int k = 0;
    for (int r = 0; r < reps; r++)
        for (int j = 0; j < ms2_sizes[l + 1]; j++) {
            const ms2_cell *c = &cells[a * reps + r];
            if (isnan(c->rg[l][j]) || isnan(c->null[l][j]) || isnan(c->xi[l][j])) continue;
            rg[k] = c->rg[l][j];
            nul[k] = c->null[l][j];
            xi[k++] = c->xi[l][j];
        }
    return k;
}

/* Four units of repetition 1 per layer, at fixed quantiles of rg (no hand picking). */
static void ms2_write_fields(FILE *f, const ms2_cell *c, double l1, int *panel)
{
    static const double qs[4] = {0.1, 0.3, 0.5, 0.7};
    for (int l = 0; l < MS2_DEPTH; l++) {
        int nf = ms2_sizes[l + 1];
        double *s = malloc((size_t)nf * sizeof *s);
        if (!s) return;
        memcpy(s, c->rg[l], (size_t)nf * sizeof *s);
        qsort(s, (size_t)nf, sizeof *s, cmp_dbl);
        for (int q = 0; q < 4; q++) {
            double target = s[(int)(qs[q] * (nf - 1))];
            int j = 0;
            while (j < nf - 1 && !(c->rg[l][j] == target)) j++;
            const double *fj = c->fields[l] + (size_t)j * 1600;
            double mx = 0;
            for (int i = 0; i < 1600; i++) mx = fmax(mx, fabs(fj[i]));
            for (int y = 0; y < MS2_L; y++)
                for (int x = 0; x < MS2_L; x++)
                    fprintf(f, "%d\t%g\t%d\t%.2f\t%d\t%d\t%d\t%.4f\t%.4f\t%.4f\n", *panel, l1, l + 1, qs[q], j,
                            x, y, mx > 0 ? fj[y * MS2_L + x] / mx : 0, c->rg[l][j], c->xi[l][j]);
            fprintf(f, "\n");
            (*panel)++;
        }
        free(s);
    }
}

typedef struct {       /* one L1 strength, pooled over repetitions */
    int n[MS2_DEPTH];
    double *rg[MS2_DEPTH], *nul[MS2_DEPTH], *xi[MS2_DEPTH];
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

int exp_ms_receptive(const exp_ctx *ctx)
{
    const int full = ctx->scale == EXP_FULL;
    const int n = full ? 5000 : 1000, reps = 2, nchains = 10;
    const double alpha = MS2_ALPHA / MS2_NPEN;
    rbm_train_opts o = {.k = 1, .persistent = 0, .batch = 100, .epochs = full ? 30 : 12,
                        .lr0 = 0.05, .lr1 = 0.005, .l1 = 0, .l2 = 0, .momentum = 0.5};
    double tau = NAN;
    ms2_pooled P[MS2_NL1];
    memset(P, 0, sizeof P);
    int ncells = MS2_NL1 * reps, rc = 1;
    ms2_cell *cells = calloc((size_t)ncells, sizeof *cells);
    float *data = cells ? ms2_samples(n, nchains, ctx->seed, &tau) : NULL;
    if (!data) goto done;

    progress pr;
    progress_start(&pr, "ms-receptive", (uint64_t)ncells);
    rbm_blas_single_thread(); /* BLAS runs inside the OpenMP loop */
    #pragma omp parallel for schedule(dynamic, 1)
    for (int c = 0; c < ncells; c++) {
        ms2_run_cell(&cells[c], data, n, &o, c / reps, c % reps, ctx->seed);
        progress_add(&pr, 1);
    }
    progress_end(&pr);
    for (int c = 0; c < ncells; c++)
        if (!cells[c].ok) { fprintf(stderr, "ms-receptive: training cell %d failed\n", c); goto done; }

    results_file sp, sm, fi, mac;
    if (results_tsv_open(&sp, "ms2_spread", "l1\tlayer\trg\trg_null\txi") != 0) goto done;
    for (int a = 0; a < MS2_NL1; a++) {
        for (int l = 0; l < MS2_DEPTH; l++) {
            size_t m = (size_t)reps * (size_t)ms2_sizes[l + 1];
            P[a].rg[l] = malloc(m * sizeof(double));
            P[a].nul[l] = malloc(m * sizeof(double));
            P[a].xi[l] = malloc(m * sizeof(double));
            if (!P[a].rg[l] || !P[a].nul[l] || !P[a].xi[l]) { results_file_abort(&sp); goto done; }
            P[a].n[l] = ms2_pool(P[a].rg[l], P[a].nul[l], P[a].xi[l], cells, a, reps, l);
            for (int k = 0; k < P[a].n[l]; k++)
                fprintf(sp.f, "%g\t%d\t%.4f\t%.4f\t%.4f\n", ms2_l1[a], l + 1, P[a].rg[l][k], P[a].nul[l][k],
                        P[a].xi[l][k]);
        }
        ms2_test(&P[a], alpha);
    }
    if (results_file_commit(&sp) != 0) goto done;

    const double rg_uni = rfield_spread_uniform(MS2_L);
    if (results_tsv_open(&sm, "ms2_summary", "l1\tlayer\tunits\tq10\tq25\tmedian\tq75\tq90\tmedian_null\tuniform\t"
                         "p_local\tlocal\txi_q10\txi_q25\txi_median\txi_q75\txi_q90\tp_grow_rg\tp_grow_xi") != 0)
        goto done;
    for (int a = 0; a < MS2_NL1; a++)
        for (int l = 0; l < MS2_DEPTH; l++) {
            const ms2_pooled *Q = &P[a];
            fprintf(sm.f, "%g\t%d\t%d", ms2_l1[a], l + 1, Q->n[l]);
            for (int i = 0; i < 5; i++) fprintf(sm.f, "\t%.4f", Q->rgq[l][i]);
            fprintf(sm.f, "\t%.4f\t%.4f\t%.3g\t%d", Q->med_null[l], rg_uni, Q->p_local[l], Q->local[l]);
            for (int i = 0; i < 5; i++) fprintf(sm.f, "\t%.4f", Q->xiq[l][i]);
            if (l + 1 < MS2_DEPTH) fprintf(sm.f, "\t%.3g\t%.3g\n", Q->p_grow_rg[l], Q->p_grow_xi[l]);
            else fprintf(sm.f, "\tNaN\tNaN\n");
        }
    if (results_file_commit(&sm) != 0) goto done;

    if (results_tsv_open(&fi, "ms2_fields", "panel\tl1\tlayer\tquantile\tunit\tx\ty\tw\trg\txi") != 0) goto done;
    int panel = 0;
    for (int a = 0; a < MS2_NL1; a++) ms2_write_fields(fi.f, &cells[a * reps], ms2_l1[a], &panel);
    if (results_file_commit(&fi) != 0) goto done;

    /* verdict over the penalised strengths: reproduced if one gives local fields in
     * every layer and a feature scale growing at both steps; partly if one gives
     * either local first-layer fields or that growth; not reproduced otherwise */
    int best = -1, any_part = 0;
    for (int a = 0; a < MS2_NPEN; a++) {
        int all_local = P[a].local[0] && P[a].local[1] && P[a].local[2];
        if (all_local && P[a].grow_xi && best < 0) best = a;
        any_part |= P[a].local[0] || P[a].grow_xi;
    }
    claims_verdict v = best >= 0 ? CLAIMS_REPRODUCED : any_part ? CLAIMS_PARTLY : CLAIMS_NOT_REPRODUCED;

    if (results_macros_open(&mac, "ms-receptive") != 0) goto done;
    char name[64], buf[96];
    results_macro_int(&mac, "MsTwoSamples", n);
    results_macro_int(&mac, "MsTwoL", MS2_L);
    results_macro_fix(&mac, "MsTwoK", 3, MS2_K);
    results_macro_int(&mac, "MsTwoSpacing", MS2_SPACING);
    results_macro_int(&mac, "MsTwoBurn", MS2_BURN);
    results_macro_int(&mac, "MsTwoBatch", o.batch);
    results_macro_int(&mac, "MsTwoCDk", o.k);
    results_macro_num(&mac, "MsTwoInitSd", 1, MS2_INIT_SD);
    snprintf(buf, sizeof buf, "%d--%d--%d--%d", ms2_sizes[0], ms2_sizes[1], ms2_sizes[2], ms2_sizes[3]);
    results_macro_str(&mac, "MsTwoSizes", buf);
    results_macro_int(&mac, "MsTwoChains", nchains);
    results_macro_num(&mac, "MsTwoTau", 2, tau);
    results_macro_int(&mac, "MsTwoReps", reps);
    results_macro_int(&mac, "MsTwoEpochs", o.epochs);
    results_macro_num(&mac, "MsTwoLrZero", 2, o.lr0);
    results_macro_num(&mac, "MsTwoLrOne", 2, o.lr1);
    results_macro_num(&mac, "MsTwoMomentum", 2, o.momentum);
    results_macro_fix(&mac, "MsTwoUniform", 2, rg_uni);
    results_macro_num(&mac, "MsTwoAlpha", 2, MS2_ALPHA);
    results_macro_num(&mac, "MsTwoAlphaEach", 2, alpha);
    results_macro_num(&mac, "MsTwoRatio", 2, MS2_RATIO);
    static const char *const ln[3] = {"One", "Two", "Three"}, *const an[MS2_NL1] = {"A", "B", "C", "Free"};
    for (int a = 0; a < MS2_NL1; a++) {
        snprintf(name, sizeof name, "MsTwoLOne%s", an[a]);
        snprintf(buf, sizeof buf, "10^{%d}", (int)lround(log10(ms2_l1[a] > 0 ? ms2_l1[a] : 1)));
        results_macro_str(&mac, name, ms2_l1[a] > 0 ? buf : "0");
        int nloc = 0;
        for (int l = 0; l < MS2_DEPTH; l++) {
            nloc += P[a].local[l];
            snprintf(name, sizeof name, "MsTwoMed%s%s", ln[l], an[a]);
            results_macro_fix(&mac, name, 2, P[a].rgq[l][2]);
            snprintf(name, sizeof name, "MsTwoNull%s%s", ln[l], an[a]);
            results_macro_fix(&mac, name, 2, P[a].med_null[l]);
            snprintf(name, sizeof name, "MsTwoXi%s%s", ln[l], an[a]);
            results_macro_fix(&mac, name, 2, P[a].xiq[l][2]);
            if (l + 1 < MS2_DEPTH) {
                snprintf(name, sizeof name, "MsTwoPGrowXi%s%s", ln[l], an[a]);
                results_format_num(buf, sizeof buf, 2, P[a].p_grow_xi[l]);
                results_macro_str(&mac, name, buf);
                snprintf(name, sizeof name, "MsTwoPGrowRg%s%s", ln[l], an[a]);
                results_format_num(buf, sizeof buf, 2, P[a].p_grow_rg[l]);
                results_macro_str(&mac, name, buf);
            }
        }
        snprintf(name, sizeof name, "MsTwoNlocal%s", an[a]);
        results_macro_int(&mac, name, nloc);
        snprintf(name, sizeof name, "MsTwoGrow%s", an[a]);
        results_macro_str(&mac, name, P[a].grow_xi ? "yes" : "no");
    }
    if (results_file_commit(&mac) != 0) goto done;

    char m[512];
    int a = best >= 0 ? best : MS2_NPEN - 1;
    snprintf(m, sizeof m, "L1 = %g: median rg per layer %.1f, %.1f, %.1f (shuffled %.1f, %.1f, %.1f); "
             "feature scale %.2f, %.2f, %.2f; local layers %d, %d, %d; scale grows: %s",
             ms2_l1[a], P[a].rgq[0][2], P[a].rgq[1][2], P[a].rgq[2][2], P[a].med_null[0], P[a].med_null[1],
             P[a].med_null[2], P[a].xiq[0][2], P[a].xiq[1][2], P[a].xiq[2][2], P[a].local[0], P[a].local[1],
             P[a].local[2], P[a].grow_xi ? "yes" : "no");
    rc = claims_emit_legacy("MS-2", v, m, "local blocks growing with depth (images, no measure)",
                     "one-sided Mann-Whitney, Bonferroni over 3 L1 strengths") != 0;
done:
    for (int k = 0; k < MS2_NL1; k++)
        for (int l = 0; l < MS2_DEPTH; l++) { free(P[k].rg[l]); free(P[k].nul[l]); free(P[k].xi[l]); }
    for (int c = 0; cells && c < ncells; c++) ms2_cell_clear(&cells[c]);
    free(cells);
    free(data);
    return rc;
}

EXP_LEGACY(exp_ms_receptive, 0);
