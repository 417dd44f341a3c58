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
 * pools the units per strength, runs the tests and writes the three tables,
 * the macros and the verdict. */
#include "claims.h"
#include "experiments.h"
#include "ising.h"
#include "msrg.h"
#include "rbm.h"
#include "rfield.h"
#include "stats.h"

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
#define MS2_SITES (MS2_L * MS2_L)

static const int ms2_sizes[MS2_DEPTH + 1] = {1600, 400, 100, 25};
/* MS do not state their L1 strength: a fixed grid, decided before any run, and no penalty */
static const double ms2_l1[MS2_NL1] = {1e-4, 1e-3, 1e-2, 0};
static const double ms2_field_q[MS2_NQ] = {0.1, 0.3, 0.5, 0.7};

typedef struct {
    int n, reps, nchains;
    rbm_train_opts o;
} ms2_cfg;

static ms2_cfg ms2_config(const exp_ctx *ctx)
{
    int full = ctx->scale == EXP_FULL;
    ms2_cfg g = {full ? 5000 : 1000, 2, 10,
                 {.k = 1, .persistent = 0, .batch = 100, .epochs = full ? 30 : 12, .lr0 = 0.05, .lr1 = 0.005, .l1 = 0,
                  .l2 = 0, .momentum = 0.5}};
    return g;
}

static int ms2_ncells(const exp_ctx *ctx)
{
    return MS2_NL1 * ms2_config(ctx).reps;
}

/* One stack's measures: per layer and unit. */
typedef struct {
    double *rg[MS2_DEPTH], *null[MS2_DEPTH], *xi[MS2_DEPTH], *fields[MS2_DEPTH];
    int pick[MS2_DEPTH][MS2_NQ]; /* repetition 0: the units shown, at fixed quantiles of rg */
    double tau;
} ms2_cell;

static void ms2_cell_clear(ms2_cell *c)
{
    for (int l = 0; l < MS2_DEPTH; l++) {
        free(c->rg[l]), free(c->null[l]), free(c->xi[l]), free(c->fields[l]);
        c->rg[l] = c->null[l] = c->xi[l] = c->fields[l] = NULL;
    }
}

static int ms2_cell_alloc(ms2_cell *c, int with_fields)
{
    memset(c, 0, sizeof *c);
    int ok = 1;
    for (int l = 0; l < MS2_DEPTH; l++) {
        size_t nf = (size_t)ms2_sizes[l + 1];
        c->rg[l] = malloc(nf * sizeof(double));
        c->null[l] = malloc(nf * sizeof(double));
        c->xi[l] = malloc(nf * sizeof(double));
        c->fields[l] = malloc((with_fields ? nf : MS2_NQ) * MS2_SITES * sizeof(double));
        ok &= c->rg[l] && c->null[l] && c->xi[l] && c->fields[l];
    }
    if (!ok) ms2_cell_clear(c);
    return ok ? 0 : -1;
}

/* Samples: `nchains` independent MM chains (cells 0..nchains-1), bits (s+1)/2. */
static float *ms2_samples(int n, int nchains, uint64_t seed, double *tau)
{
    const int N = MS2_SITES, per = n / nchains;
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
    memcpy(s, c->rg[l], (size_t)nf * sizeof *s);
    qsort(s, (size_t)nf, sizeof *s, cmp_dbl);
    for (int q = 0; q < MS2_NQ; q++) {
        double target = s[(int)(ms2_field_q[q] * (nf - 1))];
        int j = 0;
        while (j < nf - 1 && !(c->rg[l][j] == target)) j++;
        c->pick[l][q] = j;
    }
    free(s);
}

/* One stack (L1 strength index a, repetition r): train, fields, spreads. */
static int ms2_train(ms2_cell *c, const float *data, const ms2_cfg *g, int a, int r, uint64_t seed)
{
    rbm_model layers[MS2_DEPTH];
    rbm_train_opts o = g->o;
    o.l1 = ms2_l1[a];
    uint32_t cell = (uint32_t)(100 + 10 * (a * 64 + r));
    memset(layers, 0, sizeof layers);
    int ok = msrg_train_stack(layers, ms2_sizes, MS2_DEPTH, data, (size_t)g->n, &o, MS2_INIT_SD, seed, cell) == 0;
    for (int l = 0; ok && l < MS2_DEPTH; l++) {
        int nf = ms2_sizes[l + 1];
        if (msrg_fields(c->fields[l], layers, l) != 0) {
            ok = 0;
            break;
        }
        msrg_spreads(c->rg[l], c->null[l], c->fields[l], nf, MS2_L, seed, cell + 5 + (uint32_t)l);
        for (int j = 0; j < nf; j++) c->xi[l][j] = rfield_scale(c->fields[l] + (size_t)j * MS2_SITES, MS2_L);
        if (r == 0) ms2_pick(c, l);
    }
    for (int l = 0; l < MS2_DEPTH; l++) rbm_model_clear(&layers[l]);
    return ok ? 0 : -1;
}

static int ms2_cell_fn(const exp_ctx *ctx, int c, cellio_out *out)
{
    ms2_cfg g = ms2_config(ctx);
    int a = c / g.reps, r = c % g.reps;
    ms2_cell s;
    if (ms2_cell_alloc(&s, 1) != 0) return -1;
    float *data = ms2_samples(g.n, g.nchains, ctx->seed, &s.tau);
    int rc = data ? ms2_train(&s, data, &g, a, r, ctx->seed) : -1;
    free(data);
    if (rc != 0) {
        fprintf(stderr, "ms-receptive: training cell %d failed\n", c);
        ms2_cell_clear(&s);
        return -1;
    }
    cellio_put_f64(out, s.tau);
    for (int l = 0; l < MS2_DEPTH; l++) {
        size_t nf = (size_t)ms2_sizes[l + 1];
        cellio_put_f64s(out, s.rg[l], nf);
        cellio_put_f64s(out, s.null[l], nf);
        cellio_put_f64s(out, s.xi[l], nf);
        if (r != 0) continue;
        cellio_put_ints(out, s.pick[l], MS2_NQ);
        for (int q = 0; q < MS2_NQ; q++) cellio_put_f64s(out, s.fields[l] + (size_t)s.pick[l][q] * MS2_SITES, MS2_SITES);
    }
    ms2_cell_clear(&s);
    return 0;
}

/* Reads cell c into s (fields[l] holds the MS2_NQ picked fields of repetition 0). */
static int ms2_cell_get(cellio_in *in, ms2_cell *s, int r)
{
    if (ms2_cell_alloc(s, 0) != 0) return -1;
    s->tau = cellio_get_f64(in);
    for (int l = 0; l < MS2_DEPTH; l++) {
        size_t nf = (size_t)ms2_sizes[l + 1];
        cellio_get_f64s(in, s->rg[l], nf);
        cellio_get_f64s(in, s->null[l], nf);
        cellio_get_f64s(in, s->xi[l], nf);
        if (r != 0) continue;
        cellio_get_ints(in, s->pick[l], MS2_NQ);
        for (int q = 0; q < MS2_NQ; q++) {
            if (s->pick[l][q] < 0 || s->pick[l][q] >= (int)nf) in->failed = 1;
            cellio_get_f64s(in, s->fields[l] + (size_t)q * MS2_SITES, MS2_SITES);
        }
    }
    return in->failed ? -1 : 0;
}

/* --- reduce ------------------------------------------------------------------------------ */

/* q-quantile of sorted x[n] by linear interpolation. */
static double ms2_quantile(const double *x, int n, double q)
{
    double t = q * (n - 1);
    int i = (int)floor(t);
    return i + 1 < n ? x[i] + (t - i) * (x[i + 1] - x[i]) : x[n - 1];
}

/* Pools layer l's measures over repetitions (fields with NaN dropped); returns the count. */
static int ms2_pool(double *rg, double *nul, double *xi, const ms2_cell *cells, int a, int reps, int l)
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
                            y, mx > 0 ? fj[y * MS2_L + x] / mx : 0, c->rg[l][j], c->xi[l][j]);
            fprintf(f, "\n");
            (*panel)++;
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

/* Everything reduce works with. */
typedef struct {
    ms2_cfg g;
    ms2_cell *cells;
    ms2_pooled P[MS2_NL1];
    double tau, alpha, rg_uni;
} ms2_all;

/* ms2_spread: every pooled unit; then the tests per strength. */
static int ms2_spread_file(ms2_all *A, run_set *set)
{
    binio_file f;
    if (run_tsv_open(&f, set, "ms2_spread", "l1\tlayer\trg\trg_null\txi") != 0) return -1;
    for (int a = 0; a < MS2_NL1; a++) {
        ms2_pooled *P = &A->P[a];
        for (int l = 0; l < MS2_DEPTH; l++) {
            size_t m = (size_t)A->g.reps * (size_t)ms2_sizes[l + 1];
            P->rg[l] = malloc(m * sizeof(double));
            P->nul[l] = malloc(m * sizeof(double));
            P->xi[l] = malloc(m * sizeof(double));
            if (!P->rg[l] || !P->nul[l] || !P->xi[l]) {
                run_abort_file(set, &f);
                return -1;
            }
            P->n[l] = ms2_pool(P->rg[l], P->nul[l], P->xi[l], A->cells, a, A->g.reps, l);
            for (int k = 0; k < P->n[l]; k++)
                fprintf(f.f, "%g\t%d\t%.4f\t%.4f\t%.4f\n", ms2_l1[a], l + 1, P->rg[l][k], P->nul[l][k], P->xi[l][k]);
        }
        ms2_test(P, A->alpha);
    }
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

/* Verdict over the penalised strengths: reproduced if one gives local fields in
 * every layer and a feature scale growing at both steps; partly if one gives
 * either local first-layer fields or that growth; not reproduced otherwise. */
static int reduce_ms2(ms2_all *A, run_set *set)
{
    A->alpha = MS2_ALPHA / MS2_NPEN;
    A->rg_uni = rfield_spread_uniform(MS2_L);
    if (ms2_spread_file(A, set) != 0 || ms2_summary_files(A, set) != 0 || ms2_macros_setup(A, set) != 0) return -1;
    for (int a = 0; a < MS2_NL1; a++)
        if (ms2_macros_strength(&A->P[a], a, set) != 0) return -1;
    const ms2_pooled *P = A->P;
    int best = -1, any_part = 0;
    for (int a = 0; a < MS2_NPEN; a++) {
        int all_local = P[a].local[0] && P[a].local[1] && P[a].local[2];
        if (all_local && P[a].grow_xi && best < 0) best = a;
        any_part |= P[a].local[0] || P[a].grow_xi;
    }
    claims_verdict v = best >= 0 ? CLAIMS_REPRODUCED : any_part ? CLAIMS_PARTLY : CLAIMS_NOT_REPRODUCED;
    char m[512];
    int a = best >= 0 ? best : MS2_NPEN - 1;
    snprintf(m, sizeof m, "L1 = %g: median rg per layer %.1f, %.1f, %.1f (shuffled %.1f, %.1f, %.1f); "
             "feature scale %.2f, %.2f, %.2f; local layers %d, %d, %d; scale grows: %s",
             ms2_l1[a], P[a].rgq[0][2], P[a].rgq[1][2], P[a].rgq[2][2], P[a].med_null[0], P[a].med_null[1],
             P[a].med_null[2], P[a].xiq[0][2], P[a].xiq[1][2], P[a].xiq[2][2], P[a].local[0], P[a].local[1],
             P[a].local[2], P[a].grow_xi ? "yes" : "no");
    return claims_emit(set, "MS-2", v, m, "local blocks growing with depth (images, no measure)",
                       "one-sided Mann-Whitney, Bonferroni over 3 L1 strengths");
}

static int ms2_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    ms2_all A;
    memset(&A, 0, sizeof A);
    A.g = ms2_config(ctx);
    if (n != MS2_NL1 * A.g.reps) return -1;
    A.cells = calloc((size_t)n, sizeof *A.cells);
    int rc = A.cells ? 0 : -1;
    for (int c = 0; rc == 0 && c < n; c++) {
        rc = ms2_cell_get(&in[c], &A.cells[c], c % A.g.reps);
        /* every stack trained on the same samples */
        if (rc == 0 && c > 0 && memcmp(&A.cells[c].tau, &A.cells[0].tau, sizeof A.tau) != 0) {
            fprintf(stderr, "ms-receptive: cell %d trained on other samples than cell 0\n", c);
            rc = -1;
        }
    }
    if (rc == 0) {
        A.tau = A.cells[0].tau;
        rc = reduce_ms2(&A, set);
    }
    for (int a = 0; a < MS2_NL1; a++)
        for (int l = 0; l < MS2_DEPTH; l++) free(A.P[a].rg[l]), free(A.P[a].nul[l]), free(A.P[a].xi[l]);
    for (int c = 0; A.cells && c < n; c++) ms2_cell_clear(&A.cells[c]);
    free(A.cells);
    return rc;
}

const exp_def exp_ms_receptive_def = {ms2_ncells, ms2_cell_fn, ms2_reduce, 0};
