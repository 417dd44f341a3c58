/* Chapter 7, experiment `vae-fidelity` (RO-3): variational autoencoders on
 * the Fefferman-Umans (hard), Haar-random and product (easy) distributions:
 * fidelity against the exact distribution vs compression, per depth and
 * class, with baselines and a statistic fixed before the run.
 *
 * The grid: one VAE per (class, depth, compression, repetition), cell
 * c = ((k nd + d) nc + ic) reps + rep, then one cell per class for the exact
 * baselines.  Each cell rebuilds its class's exact distribution (cheap next
 * to the training) and the training set of its (class, repetition), keyed by
 * cell 7000 + k reps + rep: shared by all depths and compressions of that
 * repetition (a paired design).  Weights, noise and the fidelity estimate
 * draw from the cell's own index.  Reduce writes the tables, the statistic,
 * the macros and the verdict. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims.h"
#include "experiments.h"
#include "fu.h"
#include "nn.h"
#include "progress.h"
#include "stats.h"
#include "vae.h"

enum { NCLASS = 3, MAXC = 9, MAXD = 5 };
#define VX_ACTIVE 0.01 /* nats: a latent unit with a smaller mean KL is collapsed */
#define VX_LEVEL 0.05  /* significance level of the depth tests */
static const char *cls_name[NCLASS] = {"fu", "haar", "product"};
static const char *cls_tex[NCLASS] = {"FU", "Haar", "Product"};

typedef struct {
    int fu_n, fu_L, bits, width, ntrain, epochs, batch, reps, M, K, nc, nd;
    double alpha, comp[MAXC];
} vx_cfg;

static void vx_config(vx_cfg *g, exp_scale s)
{
    if (s == EXP_FULL)
        *g = (vx_cfg){3, 4, 18, 72, 100000, 8, 100, 3, 4000, 64, 5, 5, 0.2, {0.1, 0.3, 0.5, 0.7, 0.9}};
    else
        *g = (vx_cfg){2, 4, 8, 32, 20000, 10, 100, 3, 2000, 64, 3, 5, 0.2, {0.25, 0.5, 0.75}};
}

static int vx_latent(const vx_cfg *g, int ic)
{
    int k = (int)lround(g->comp[ic] * g->bits);
    return k < 1 ? 1 : k;
}

static int vx_nvae(const vx_cfg *g) { return NCLASS * g->nd * g->nc * g->reps; }

static int vx_ncells(const exp_ctx *ctx)
{
    vx_cfg g;
    vx_config(&g, ctx->scale);
    return vx_nvae(&g) + NCLASS;
}

/* The exact distribution of class k over 2^bits outcomes. */
static int vx_distribution(double *p, const vx_cfg *g, int k, uint64_t seed)
{
    double u[64];
    if (k == 1) fu_haar(p, g->bits, seed, 700);
    if (k == 2) fu_product(p, u, g->bits, seed, 701);
    if (k != 0) return 0;
    if (fu_distribution(p, g->fu_n, g->fu_L) != 0) return -1;
    /* Ryser in double leaves ~1e-17 where perm = 0: take the zeros from the
     * exact integer |perm|^2, so the support (baseline c) is exact */
    size_t N = (size_t)1 << g->bits;
    #pragma omp parallel for
    for (size_t x = 0; x < N; x++) {
        int y[16];
        fu_digits(y, x, g->fu_n, g->fu_L);
        if (fu_perm2_exact(y, g->fu_n, g->fu_L) == 0) p[x] = 0;
    }
    return 0;
}

/* listing: vae-baselines */
/* Exact fidelities of the three baselines with p over 2^bits outcomes:
 * (a) uniform, (b) product of the exact single-bit marginals, (c) uniform on
 * the support of p. */
static void vx_baselines(double out[3], const double *p, int bits)
{
    size_t N = (size_t)1 << bits, supp = 0;
    double m1[64] = {0}, fa = 0, fb = 0, fc = 0;
    for (size_t x = 0; x < N; x++) {
        supp += p[x] > 0;
        for (int j = 0; j < bits; j++)
            if ((x >> (bits - 1 - j)) & 1) m1[j] += p[x]; // P(bit j = 1)
    }
    for (size_t x = 0; x < N; x++) {
        double q = 1;
        for (int j = 0; j < bits; j++) q *= (x >> (bits - 1 - j)) & 1 ? m1[j] : 1 - m1[j];
        fa += sqrt(p[x] / (double)N);
        fb += sqrt(p[x] * q);
        fc += p[x] > 0 ? sqrt(p[x] / (double)supp) : 0;
    }
    out[0] = fa, out[1] = fb, out[2] = fc;
}
/* end: vae-baselines */

typedef struct {
    double F, se, corr, maxrel, nelbo, kl, klunit, active;
    double secs; /* wall time of the cell */
} vx_cell;

/* listing: vae-cell */
static int vx_run_cell(vx_cell *out, const vx_cfg *g, const float *X, const fu_alias *al, const double *p, int depth,
                       int latent, uint64_t seed, uint32_t cell)
{
    vae v;
    if (vae_init(&v, g->bits, latent, depth, g->width, NN_TANH, g->batch > g->K ? g->batch : g->K)) return -1;
    rng_stream r;
    rng_init(&r, seed, cell, 0);
    vae_init_weights(&v, &r);
    double nelbo = NAN;
    for (int e = 0; e < g->epochs; e++) nelbo = vae_train_epoch(&v, X, (size_t)g->ntrain, g->batch, &r);
    double kl[64];
    vae_kl_units(&v, kl, X, (size_t)g->ntrain);
    out->kl = 0, out->active = 0;
    for (int j = 0; j < latent; j++) out->kl += kl[j], out->active += kl[j] > VX_ACTIVE; // collapsed: KL below VX_ACTIVE nats
    out->klunit = out->kl / latent;
    out->nelbo = nelbo;
    // fidelity from M fresh samples x ~ p (stream 1), q by importance sampling (stream 2)
    uint64_t *xs = malloc(g->M * sizeof *xs);
    double *px = malloc(g->M * sizeof *px);
    rng_stream rs, rq;
    rng_init(&rs, seed, cell, 1);
    rng_init(&rq, seed, cell, 2);
    for (int i = 0; i < g->M; i++) xs[i] = fu_alias_draw(al, &rs), px[i] = p[xs[i]];
    vae_fid f;
    int rc = vae_fidelity(&v, &f, xs, px, g->M, g->K, g->alpha, &rq);
    out->F = f.F, out->se = f.se, out->corr = f.bias_corr, out->maxrel = f.max_relse;
    free(xs);
    free(px);
    vae_clear(&v);
    return rc;
}
/* end: vae-cell */

/* VAE cell c: its class's distribution and training set, then the model. */
static int vx_vae_cell(const exp_ctx *ctx, const vx_cfg *g, int c, cellio_out *out)
{
    double t0 = progress_seconds();
    int rep = c % g->reps, ic = (c / g->reps) % g->nc, d = (c / (g->reps * g->nc)) % g->nd,
        k = c / (g->reps * g->nc * g->nd);
    size_t N = (size_t)1 << g->bits;
    double *p = malloc(N * sizeof *p);
    float *X = malloc((size_t)g->ntrain * g->bits * sizeof *X);
    fu_alias al;
    vx_cell o;
    int rc = p && X && vx_distribution(p, g, k, ctx->seed) == 0 ? 0 : -1;
    if (rc == 0) {
        rc = fu_alias_init(&al, p, N);
        if (rc == 0) {
            rng_stream r; /* the training set of (class, repetition) */
            rng_init(&r, ctx->seed, 7000 + (uint32_t)(k * g->reps + rep), 0);
            for (int i = 0; i < g->ntrain; i++) vae_bits(X + (size_t)i * g->bits, fu_alias_draw(&al, &r), g->bits);
            rc = vx_run_cell(&o, g, X, &al, p, d + 1, vx_latent(g, ic), ctx->seed, (uint32_t)c);
        }
        fu_alias_clear(&al);
    }
    free(p);
    free(X);
    if (rc != 0) {
        fprintf(stderr, "vae-fidelity: cell %d failed (allocation or bad size)\n", c);
        return -1;
    }
    o.secs = progress_seconds() - t0;
    double x[9] = {o.F, o.se, o.corr, o.maxrel, o.nelbo, o.kl, o.klunit, o.active, o.secs};
    cellio_put_f64s(out, x, 9);
    return 0;
}

static int vx_cell_fn(const exp_ctx *ctx, int c, cellio_out *out)
{
    vx_cfg g;
    vx_config(&g, ctx->scale);
    if (c < vx_nvae(&g)) return vx_vae_cell(ctx, &g, c, out);
    /* baseline cell of class c - nvae */
    double *p = malloc(((size_t)1 << g.bits) * sizeof *p), base[3];
    if (!p || vx_distribution(p, &g, c - vx_nvae(&g), ctx->seed) != 0) {
        free(p);
        return -1;
    }
    vx_baselines(base, p, g.bits);
    free(p);
    cellio_put_f64s(out, base, 3);
    return 0;
}

/* --- reduce --------------------------------------------------------------------------- */

typedef struct {
    vx_cfg g;
    vx_cell *res; /* every VAE, by cell index */
    double base[NCLASS][3];
    double Fm[NCLASS][MAXD][MAXC], Fe[NCLASS][MAXD][MAXC], klu[NCLASS][MAXD][MAXC], act[NCLASS];
    double maxrel, maxcorr, maxse, secs;
    int ih; /* the compression 0.5 */
} vx_grid;

static const vx_cell *vx_at(const vx_grid *G, int k, int d, int ic, int rep)
{
    const vx_cfg *g = &G->g;
    return &G->res[((k * g->nd + d) * g->nc + ic) * g->reps + rep];
}

static void vx_read(vx_grid *G, cellio_in *in)
{
    int nv = vx_nvae(&G->g);
    for (int c = 0; c < nv; c++) {
        double x[9];
        vx_cell *e = &G->res[c];
        cellio_get_f64s(&in[c], x, 9);
        e->F = x[0], e->se = x[1], e->corr = x[2], e->maxrel = x[3], e->nelbo = x[4], e->kl = x[5];
        e->klunit = x[6], e->active = x[7], e->secs = x[8];
        G->secs += e->secs;
    }
    for (int k = 0; k < NCLASS; k++) cellio_get_f64s(&in[nv + k], G->base[k], 3);
    G->ih = -1;
    for (int ic = 0; ic < G->g.nc; ic++)
        if (fabs(G->g.comp[ic] - 0.5) < 1e-9) G->ih = ic;
}

static double mean_of(const double *x, int n, double *sem)
{
    double s = 0, s2 = 0;
    for (int i = 0; i < n; i++) s += x[i];
    double m = s / n;
    for (int i = 0; i < n; i++) s2 += (x[i] - m) * (x[i] - m);
    if (sem) *sem = n > 1 ? sqrt(s2 / (n - 1) / n) : NAN;
    return m;
}

/* Class k's rows of vae_cells and vae_fidelity; means, errors, KL, active fraction. */
static void vx_class_rows(vx_grid *G, int k, FILE *tc, FILE *ts)
{
    const vx_cfg *g = &G->g;
    int nlat = 0;
    for (int d = 0; d < g->nd; d++)
        for (int ic = 0; ic < g->nc; ic++) {
            double fv[8], kv[8];
            for (int rep = 0; rep < g->reps; rep++) {
                const vx_cell *e = vx_at(G, k, d, ic, rep);
                fprintf(tc, "%s\t%d\t%.2f\t%d\t%d\t%.6f\t%.6f\t%.2e\t%.3e\t%.5f\t%.5f\t%.5f\t%.0f\n", cls_name[k], d + 1,
                        g->comp[ic], vx_latent(g, ic), rep, e->F, e->se, e->corr, e->maxrel, e->nelbo, e->kl, e->klunit,
                        e->active);
                fv[rep] = e->F, kv[rep] = e->klunit;
                G->maxrel = fmax(G->maxrel, e->maxrel), G->maxcorr = fmax(G->maxcorr, e->corr);
                G->maxse = fmax(G->maxse, e->se);
                G->act[k] += e->active;
                nlat += vx_latent(g, ic);
            }
            /* error bar: spread over independent repetitions (training set, init, estimator) */
            G->Fm[k][d][ic] = mean_of(fv, g->reps, &G->Fe[k][d][ic]);
            G->klu[k][d][ic] = mean_of(kv, g->reps, NULL);
            fprintf(ts, "%s\t%d\t%.2f\t%d\t%.6f\t%.6f\t%.5f\n", cls_name[k], d + 1, g->comp[ic], vx_latent(g, ic),
                    G->Fm[k][d][ic], G->Fe[k][d][ic], G->klu[k][d][ic]);
        }
    G->act[k] /= nlat;
}

static int vx_tables(vx_grid *G, run_set *set)
{
    binio_file tc, ts, tb;
    if (run_tsv_open(&tc, set, "vae_cells",
                     "class\tdepth\tcompression\tlatent\trep\tF\tF_se\tbias_corr\tmax_relse\tneg_elbo\tkl_total\tkl_per_unit\tactive_units"))
        return -1;
    if (run_tsv_open(&ts, set, "vae_fidelity", "class\tdepth\tcompression\tlatent\tF_mean\tF_err\tkl_per_unit")) {
        run_abort_file(set, &tc);
        return -1;
    }
    if (run_tsv_open(&tb, set, "vae_baselines", "class\tuniform\tmarginals\tsupport")) {
        run_abort_file(set, &tc);
        run_abort_file(set, &ts);
        return -1;
    }
    for (int k = 0; k < NCLASS; k++) {
        fprintf(tb.f, "%s\t%.6f\t%.6f\t%.6f\n", cls_name[k], G->base[k][0], G->base[k][1], G->base[k][2]);
        vx_class_rows(G, k, tc.f, ts.f);
    }
    return run_close(set, &tc) | run_close(set, &ts) | run_close(set, &tb);
}

typedef struct {
    double pval[NCLASS], pmean, pse, level;
    int n, beats_b, h1, h2, h3;
    claims_verdict v;
} vx_stat;

/* listing: vae-statistic */
// Fixed before any run.  Per class: a = F(depth 1), b = F(depth max) over all
// (compression, repetition); one-sided Mann-Whitney p of "a smaller" (depth helps).
// H1 (hard): p_FU < 0.05 and, at some compression, deep F - 2 err > baseline (b).
// H2 (random): p_Haar >= 0.05 (no significant gain from depth).
// H3 (easy): product F at the smallest compression, mean over depths and
//            repetitions, exceeds 0.95 by more than 2 standard errors.
static void vx_statistic(vx_stat *s, const vx_grid *G)
{
    const vx_cfg *g = &G->g;
    double a[64], b[64];
    for (int k = 0; k < NCLASS; k++) {
        s->n = 0;
        for (int ic = 0; ic < g->nc; ic++)
            for (int rep = 0; rep < g->reps; rep++) {
                a[s->n] = vx_at(G, k, 0, ic, rep)->F;
                b[s->n++] = vx_at(G, k, g->nd - 1, ic, rep)->F;
            }
        s->pval[k] = stats_mann_whitney_p(a, s->n, b, s->n);
    }
    s->beats_b = 0;
    for (int ic = 0; ic < g->nc; ic++) s->beats_b += G->Fm[0][g->nd - 1][ic] - 2 * G->Fe[0][g->nd - 1][ic] > G->base[0][1];
    double pf[64];
    int np = 0;
    for (int d = 0; d < g->nd; d++)
        for (int rep = 0; rep < g->reps; rep++) pf[np++] = vx_at(G, 2, d, 0, rep)->F;
    s->pmean = mean_of(pf, np, &s->pse), s->level = 0.95;
    s->h1 = s->pval[0] < VX_LEVEL && s->beats_b > 0, s->h2 = s->pval[1] >= VX_LEVEL;
    s->h3 = s->pmean - 2 * s->pse > s->level;
    int nh = s->h1 + s->h2 + s->h3;
    s->v = nh == 3 ? CLAIMS_REPRODUCED : nh == 0 ? CLAIMS_NOT_REPRODUCED : CLAIMS_PARTLY;
}
/* end: vae-statistic */

/* The set-up: sizes, budgets, estimator checks. */
static int vx_macros_setup(const vx_grid *G, const vx_stat *s, run_set *set)
{
    const vx_cfg *g = &G->g;
    char comps[512];
    int bl = 0;
    for (int ic = 0; ic < g->nc; ic++) bl += snprintf(comps + bl, sizeof comps - bl, "%s%.2g", ic ? ", " : "", g->comp[ic]);
    const texmac m[] = {
        TEXMAC_I("QuantVaeQubits", g->bits),      TEXMAC_I("QuantVaeFUn", g->fu_n),
        TEXMAC_I("QuantVaeFUL", g->fu_L),         TEXMAC_I("QuantVaeWidth", g->width),
        TEXMAC_I("QuantVaeTrainN", g->ntrain),    TEXMAC_I("QuantVaeEpochs", g->epochs),
        TEXMAC_I("QuantVaeBatch", g->batch),      TEXMAC_I("QuantVaeReps", g->reps),
        TEXMAC_I("QuantVaeM", g->M),              TEXMAC_I("QuantVaeK", g->K),
        TEXMAC_F("QuantVaeAlpha", 2, g->alpha),   TEXMAC_I("QuantVaeDepthMax", g->nd),
        TEXMAC_I("QuantVaeCells", vx_nvae(g)),    TEXMAC_I("QuantVaeNPairs", s->n),
        TEXMAC_S("QuantVaeCompressions", comps),  TEXMAC_F("QuantVaeCompMin", 2, g->comp[0]),
        TEXMAC_I("QuantVaeLatentMin", vx_latent(g, 0)), TEXMAC_N("QuantVaeSeconds", 3, G->secs),
        TEXMAC_E("QuantVaeMaxRelSE", 1, G->maxrel), TEXMAC_E("QuantVaeMaxCorr", 1, G->maxcorr),
        TEXMAC_E("QuantVaeMaxSE", 1, G->maxse),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* Table bodies: F at c = 0.5 per class and depth with the baselines; KL per unit. */
static int vx_macros_tables(const vx_grid *G, run_set *set)
{
    static const char *const pretty[NCLASS] = {"Fefferman--Umans", "Haar random", "product"};
    char fr[4096], kr[4096];
    int fl = 0, kl = 0, nd = G->g.nd, ih = G->ih;
    for (int k = 0; k < NCLASS; k++) {
        fl += snprintf(fr + fl, sizeof fr - fl, "%s", pretty[k]);
        kl += snprintf(kr + kl, sizeof kr - kl, "%s", pretty[k]);
        for (int d = 0; d < nd; d++) {
            fl += snprintf(fr + fl, sizeof fr - fl, " & $%.3f\\pm%.3f$", G->Fm[k][d][ih], G->Fe[k][d][ih]);
            kl += snprintf(kr + kl, sizeof kr - kl, " & %.3f", G->klu[k][d][ih]);
        }
        fl += snprintf(fr + fl, sizeof fr - fl, " & %.3f & %.3f & %.3f \\\\\n", G->base[k][0], G->base[k][1],
                       G->base[k][2]);
        kl += snprintf(kr + kl, sizeof kr - kl, " & %.2f \\\\\n", G->act[k]);
    }
    const texmac m[] = {TEXMAC_S("QuantVaeTableRows", fr), TEXMAC_S("QuantVaeKLRows", kr)};
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* Per class: p value, baselines, active fraction, F at c = 0.5 (deepest, depth 1). */
static int vx_macros_class(const vx_grid *G, const vx_stat *s, run_set *set)
{
    enum { PER = 7 };
    static const char *const stem[PER] = {"P", "BaseUniform", "BaseMarg", "BaseSupport", "Active", "FHalfDeep", "FHalfOne"};
    char name[NCLASS * PER][64];
    texmac m[NCLASS * PER];
    for (int k = 0; k < NCLASS; k++) {
        double x[PER] = {s->pval[k], G->base[k][0], G->base[k][1], G->base[k][2], G->act[k],
                         G->Fm[k][G->g.nd - 1][G->ih], G->Fm[k][0][G->ih]};
        for (int i = 0; i < PER; i++) {
            texmac *t = &m[k * PER + i];
            snprintf(name[k * PER + i], sizeof name[0], "QuantVae%s%s", stem[i], cls_tex[k]);
            *t = (texmac)TEXMAC_F(name[k * PER + i], i == 0 ? 2 : i == 4 ? 2 : 3, x[i]);
            if (i == 0) t->kind = TEXMAC_NUM; /* the p value: fixed or scientific */
        }
    }
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* The statistic's outcome: beats of baseline (b), H1..H3, the contrast in words. */
static int vx_macros_result(const vx_grid *G, const vx_stat *s, run_set *set)
{
    const vx_cfg *g = &G->g;
    int cnt[2] = {0, 0}; /* (depth, compression) points whose mean beats baseline (b) by two standard errors */
    for (int k = 0; k < 2; k++)
        for (int d = 0; d < g->nd; d++)
            for (int ic = 0; ic < g->nc; ic++) cnt[k] += G->Fm[k][d][ic] - 2 * G->Fe[k][d][ic] > G->base[k][1];
    const char *hard = s->pval[0] >= VX_LEVEL ? "depth gives no significant gain on the hard class"
                       : s->beats_b ? "depth gives a significant gain on the hard class and the deep models beat the product of marginals"
                                    : "depth gives a significant gain on the hard class, but no deep model beats the product of marginals";
    const char *rnd = s->h2 ? "no significant gain on the Haar state" : "a significant gain on the Haar state as well";
    char contrast[1024];
    snprintf(contrast, sizeof contrast, "with these sizes, training sets and budgets, %s, and %s; the hard/random contrast of the paper is %s",
             hard, rnd, s->h1 && s->h2 ? "seen" : "not seen");
    const texmac m[] = {
        TEXMAC_I("QuantVaeBeatsB", s->beats_b),          TEXMAC_F("QuantVaeActiveThreshold", 2, VX_ACTIVE),
        TEXMAC_F("QuantVaeLevel", 2, VX_LEVEL),          TEXMAC_I("QuantVaePointsBeatBFU", cnt[0]),
        TEXMAC_I("QuantVaePointsBeatBHaar", cnt[1]),     TEXMAC_I("QuantVaePoints", g->nd * g->nc),
        TEXMAC_S("QuantVaeContrast", contrast),          TEXMAC_F("QuantVaeProdMean", 3, s->pmean),
        TEXMAC_N("QuantVaeProdErr", 2, s->pse),          TEXMAC_F("QuantVaeProdLevel", 2, s->level),
        TEXMAC_S("QuantVaeHOne", s->h1 ? "holds" : "fails"), TEXMAC_S("QuantVaeHTwo", s->h2 ? "holds" : "fails"),
        TEXMAC_S("QuantVaeHThree", s->h3 ? "holds" : "fails"),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

static int reduce_ro3(vx_grid *G, run_set *set)
{
    vx_stat s;
    memset(&s, 0, sizeof s);
    if (vx_tables(G, set) != 0) return -1;
    vx_statistic(&s, G);
    if (vx_macros_setup(G, &s, set) || vx_macros_tables(G, set) || vx_macros_class(G, &s, set) ||
        vx_macros_result(G, &s, set))
        return -1;
    const vx_cfg *g = &G->g;
    int ih = G->ih, nd = g->nd;
    char m[512], note[256];
    snprintf(m, sizeof m,
             "%d qubits, F at c=0.5 depth 1/%d: FU %.3f/%.3f (b %.3f), Haar %.3f/%.3f (b %.3f), product %.3f/%.3f; "
             "Mann-Whitney p: FU %.2g, Haar %.2g; product F(c=%.2g) %.4f+-%.2g",
             g->bits, nd, G->Fm[0][0][ih], G->Fm[0][nd - 1][ih], G->base[0][1], G->Fm[1][0][ih], G->Fm[1][nd - 1][ih],
             G->base[1][1], G->Fm[2][0][ih], G->Fm[2][nd - 1][ih], s.pval[0], s.pval[1], g->comp[0], s.pmean, s.pse);
    snprintf(note, sizeof note, "H1 (depth helps FU, beats marginals) %s; H2 (no gain Haar) %s; H3 (product F > %.2f) %s",
             s.h1 ? "holds" : "fails", s.h2 ? "holds" : "fails", s.level, s.h3 ? "holds" : "fails");
    return claims_emit(set, "RO-3", s.v, m, "depth helps FU, not Haar; product compresses (figures, no table)", note);
}

static int vx_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    vx_grid *G = calloc(1, sizeof *G);
    if (!G) return -1;
    vx_config(&G->g, ctx->scale);
    G->res = calloc((size_t)vx_nvae(&G->g), sizeof *G->res);
    int rc = -1;
    if (G->res && n == vx_nvae(&G->g) + NCLASS) {
        vx_read(G, in);
        if (G->ih < 0) fprintf(stderr, "vae-fidelity: no compression 0.5 in the grid\n");
        else rc = reduce_ro3(G, set);
    }
    free(G->res);
    free(G);
    return rc;
}

const exp_def exp_vae_fidelity_def = {vx_ncells, vx_cell_fn, vx_reduce, 0};
