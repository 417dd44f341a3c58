/* Chapter 7 (RO-3): variational autoencoders on the Fefferman-Umans (hard),
 * Haar-random and product (easy) distributions: fidelity against the exact
 * distribution vs compression, per depth and class, with baselines and a
 * statistic fixed before the run.
 *
 * Grid: class x depth x compression x repetition, one VAE per cell, cells in
 * parallel (one net per thread, BLAS single-threaded).  Streams: training set
 * of (class, rep) keyed by cell 7000 + class R + rep (shared by all depths and
 * compressions of that repetition: a paired design); weights, noise and the
 * fidelity estimate by the cell's own index. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "claims.h"
#include "experiments.h"
#include "fu.h"
#include "nn.h"
#include "progress.h"
#include "results.h"
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

static double mean_of(const double *x, int n, double *sem)
{
    double s = 0, s2 = 0;
    for (int i = 0; i < n; i++) s += x[i];
    double m = s / n;
    for (int i = 0; i < n; i++) s2 += (x[i] - m) * (x[i] - m);
    if (sem) *sem = n > 1 ? sqrt(s2 / (n - 1) / n) : NAN;
    return m;
}

int exp_vae_fidelity(const exp_ctx *ctx)
{
    double t0 = progress_seconds();
    vx_cfg g;
    vx_config(&g, ctx->scale);
    size_t N = (size_t)1 << g.bits;
    double *p[NCLASS], base[NCLASS][3], u[64];
    fu_alias al[NCLASS];
    for (int k = 0; k < NCLASS; k++) p[k] = malloc(N * sizeof(double));
    fu_distribution(p[0], g.fu_n, g.fu_L);
    /* Ryser in double leaves ~1e-17 where perm = 0: take the zeros from the
     * exact integer |perm|^2, so the support (baseline c) is exact */
    #pragma omp parallel for
    for (size_t x = 0; x < N; x++) {
        int y[16];
        fu_digits(y, x, g.fu_n, g.fu_L);
        if (fu_perm2_exact(y, g.fu_n, g.fu_L) == 0) p[0][x] = 0;
    }
    fu_haar(p[1], g.bits, ctx->seed, 700);
    fu_product(p[2], u, g.bits, ctx->seed, 701);
    for (int k = 0; k < NCLASS; k++) {
        vx_baselines(base[k], p[k], g.bits);
        if (fu_alias_init(&al[k], p[k], N)) return 1;
    }
    /* training sets: ntrain exact samples per (class, repetition) */
    float *X[NCLASS][8];
    for (int k = 0; k < NCLASS; k++)
        for (int rep = 0; rep < g.reps; rep++) {
            rng_stream r;
            rng_init(&r, ctx->seed, 7000 + (uint32_t)(k * g.reps + rep), 0);
            X[k][rep] = malloc((size_t)g.ntrain * g.bits * sizeof(float));
            for (int i = 0; i < g.ntrain; i++) vae_bits(X[k][rep] + (size_t)i * g.bits, fu_alias_draw(&al[k], &r), g.bits);
        }
    int ncell = NCLASS * g.nd * g.nc * g.reps;
    vx_cell *res = calloc(ncell, sizeof *res);
    int fail = 0;
    progress pr;
    progress_start(&pr, "vae-fidelity", (uint64_t)ncell);
    nn_blas_single_thread();
    /* deepest cells first (balance); results indexed by cell, so any order and thread count agree */
    #pragma omp parallel for schedule(dynamic, 1) reduction(| : fail)
    for (int s = 0; s < ncell; s++) {
        int c = ncell - 1 - s; // cell = ((k nd + d) nc + ic) reps + rep, with d the slowest-varying inside k
        int rep = c % g.reps, ic = (c / g.reps) % g.nc, d = (c / (g.reps * g.nc)) % g.nd, k = c / (g.reps * g.nc * g.nd);
        fail |= vx_run_cell(&res[c], &g, X[k][rep], &al[k], p[k], d + 1, vx_latent(&g, ic), ctx->seed, (uint32_t)c) != 0;
        progress_add(&pr, 1);
    }
    progress_end(&pr);
    if (fail) {
        fprintf(stderr, "vae-fidelity: a cell failed (allocation or bad size)\n");
        return 1;
    }
    double secs = progress_seconds() - t0;

    results_file tc, ts, tb, mac;
    if (results_tsv_open(&tc, "vae_cells", "class\tdepth\tcompression\tlatent\trep\tF\tF_se\tbias_corr\tmax_relse\tneg_elbo\tkl_total\tkl_per_unit\tactive_units"))
        return 1;
    if (results_tsv_open(&ts, "vae_fidelity", "class\tdepth\tcompression\tlatent\tF_mean\tF_err\tkl_per_unit")) return 1;
    if (results_tsv_open(&tb, "vae_baselines", "class\tuniform\tmarginals\tsupport")) return 1;
    double maxrel = 0, maxcorr = 0, maxse = 0;
    double Fm[NCLASS][MAXD][MAXC], Fe[NCLASS][MAXD][MAXC], act[NCLASS] = {0}, klu[NCLASS][MAXD][MAXC];
    for (int k = 0; k < NCLASS; k++) {
        fprintf(tb.f, "%s\t%.6f\t%.6f\t%.6f\n", cls_name[k], base[k][0], base[k][1], base[k][2]);
        int nlat = 0;
        for (int d = 0; d < g.nd; d++)
            for (int ic = 0; ic < g.nc; ic++) {
                double fv[8], kv[8];
                for (int rep = 0; rep < g.reps; rep++) {
                    int c = ((k * g.nd + d) * g.nc + ic) * g.reps + rep;
                    vx_cell *e = &res[c];
                    fprintf(tc.f, "%s\t%d\t%.2f\t%d\t%d\t%.6f\t%.6f\t%.2e\t%.3e\t%.5f\t%.5f\t%.5f\t%.0f\n", cls_name[k], d + 1,
                            g.comp[ic], vx_latent(&g, ic), rep, e->F, e->se, e->corr, e->maxrel, e->nelbo, e->kl, e->klunit,
                            e->active);
                    fv[rep] = e->F, kv[rep] = e->klunit;
                    maxrel = fmax(maxrel, e->maxrel), maxcorr = fmax(maxcorr, e->corr), maxse = fmax(maxse, e->se);
                    act[k] += e->active;
                    nlat += vx_latent(&g, ic);
                }
                /* error bar: spread over independent repetitions (training set, init, estimator) */
                Fm[k][d][ic] = mean_of(fv, g.reps, &Fe[k][d][ic]);
                klu[k][d][ic] = mean_of(kv, g.reps, NULL);
                fprintf(ts.f, "%s\t%d\t%.2f\t%d\t%.6f\t%.6f\t%.5f\n", cls_name[k], d + 1, g.comp[ic], vx_latent(&g, ic),
                        Fm[k][d][ic], Fe[k][d][ic], klu[k][d][ic]);
            }
        act[k] /= nlat;
    }
    if (results_file_commit(&tc) || results_file_commit(&ts) || results_file_commit(&tb)) return 1;

    /* listing: vae-statistic */
    // Fixed before any run.  Per class: a = F(depth 1), b = F(depth max) over all
    // (compression, repetition); one-sided Mann-Whitney p of "a smaller" (depth helps).
    // H1 (hard): p_FU < 0.05 and, at some compression, deep F - 2 err > baseline (b).
    // H2 (random): p_Haar >= 0.05 (no significant gain from depth).
    // H3 (easy): product F at the smallest compression, mean over depths and
    //            repetitions, exceeds 0.95 by more than 2 standard errors.
    double pval[NCLASS], a[64], b[64];
    int n = 0;
    for (int k = 0; k < NCLASS; k++) {
        n = 0;
        for (int ic = 0; ic < g.nc; ic++)
            for (int rep = 0; rep < g.reps; rep++) {
                a[n] = res[((k * g.nd + 0) * g.nc + ic) * g.reps + rep].F;
                b[n++] = res[((k * g.nd + g.nd - 1) * g.nc + ic) * g.reps + rep].F;
            }
        pval[k] = stats_mann_whitney_p(a, n, b, n);
    }
    int beats_b = 0;
    for (int ic = 0; ic < g.nc; ic++) beats_b += Fm[0][g.nd - 1][ic] - 2 * Fe[0][g.nd - 1][ic] > base[0][1];
    double pf[64], pse;
    int np = 0;
    for (int d = 0; d < g.nd; d++)
        for (int rep = 0; rep < g.reps; rep++) pf[np++] = res[((2 * g.nd + d) * g.nc + 0) * g.reps + rep].F;
    double pmean = mean_of(pf, np, &pse), level = 0.95;
    int h1 = pval[0] < VX_LEVEL && beats_b > 0, h2 = pval[1] >= VX_LEVEL, h3 = pmean - 2 * pse > level;
    int nh = h1 + h2 + h3;
    claims_verdict v = nh == 3 ? CLAIMS_REPRODUCED : nh == 0 ? CLAIMS_NOT_REPRODUCED : CLAIMS_PARTLY;
    /* end: vae-statistic */

    if (results_macros_open(&mac, "vae-fidelity")) return 1;
    results_macro_int(&mac, "VaeQubits", g.bits);
    results_macro_int(&mac, "VaeFUn", g.fu_n);
    results_macro_int(&mac, "VaeFUL", g.fu_L);
    results_macro_int(&mac, "VaeWidth", g.width);
    results_macro_int(&mac, "VaeTrainN", g.ntrain);
    results_macro_int(&mac, "VaeEpochs", g.epochs);
    results_macro_int(&mac, "VaeBatch", g.batch);
    results_macro_int(&mac, "VaeReps", g.reps);
    results_macro_int(&mac, "VaeM", g.M);
    results_macro_int(&mac, "VaeK", g.K);
    results_macro_fix(&mac, "VaeAlpha", 2, g.alpha);
    results_macro_int(&mac, "VaeDepthMax", g.nd);
    results_macro_int(&mac, "VaeCells", ncell);
    results_macro_int(&mac, "VaeNPairs", n);
    char buf[4096];
    int bl = 0;
    for (int ic = 0; ic < g.nc; ic++)
        bl += snprintf(buf + bl, sizeof buf - bl, "%s%.2g", ic ? ", " : "", g.comp[ic]);
    results_macro_str(&mac, "VaeCompressions", buf);
    results_macro_fix(&mac, "VaeCompMin", 2, g.comp[0]);
    results_macro_int(&mac, "VaeLatentMin", vx_latent(&g, 0));
    results_macro_num(&mac, "VaeSeconds", 3, secs);
    results_macro_sci(&mac, "VaeMaxRelSE", 1, maxrel);
    results_macro_sci(&mac, "VaeMaxCorr", 1, maxcorr);
    results_macro_sci(&mac, "VaeMaxSE", 1, maxse);
    /* F at c = 0.5 per class and depth, baselines: a table body */
    int ih = -1;
    for (int ic = 0; ic < g.nc; ic++)
        if (fabs(g.comp[ic] - 0.5) < 1e-9) ih = ic;
    bl = 0;
    for (int k = 0; k < NCLASS; k++) {
        bl += snprintf(buf + bl, sizeof buf - bl, "%s", k == 0 ? "Fefferman--Umans" : k == 1 ? "Haar random" : "product");
        for (int d = 0; d < g.nd; d++)
            bl += snprintf(buf + bl, sizeof buf - bl, " & $%.3f\\pm%.3f$", Fm[k][d][ih], Fe[k][d][ih]);
        bl += snprintf(buf + bl, sizeof buf - bl, " & %.3f & %.3f & %.3f \\\\\n", base[k][0], base[k][1], base[k][2]);
    }
    results_macro_str(&mac, "VaeTableRows", buf);
    bl = 0;
    for (int k = 0; k < NCLASS; k++) {
        bl += snprintf(buf + bl, sizeof buf - bl, "%s", k == 0 ? "Fefferman--Umans" : k == 1 ? "Haar random" : "product");
        for (int d = 0; d < g.nd; d++) bl += snprintf(buf + bl, sizeof buf - bl, " & %.3f", klu[k][d][ih]);
        bl += snprintf(buf + bl, sizeof buf - bl, " & %.2f \\\\\n", act[k]);
    }
    results_macro_str(&mac, "VaeKLRows", buf);
    for (int k = 0; k < NCLASS; k++) {
        char nm[64];
        snprintf(nm, sizeof nm, "VaeP%s", cls_tex[k]);
        results_macro_num(&mac, nm, 2, pval[k]);
        snprintf(nm, sizeof nm, "VaeBaseUniform%s", cls_tex[k]);
        results_macro_fix(&mac, nm, 3, base[k][0]);
        snprintf(nm, sizeof nm, "VaeBaseMarg%s", cls_tex[k]);
        results_macro_fix(&mac, nm, 3, base[k][1]);
        snprintf(nm, sizeof nm, "VaeBaseSupport%s", cls_tex[k]);
        results_macro_fix(&mac, nm, 3, base[k][2]);
        snprintf(nm, sizeof nm, "VaeActive%s", cls_tex[k]);
        results_macro_fix(&mac, nm, 2, act[k]);
        snprintf(nm, sizeof nm, "VaeFHalfDeep%s", cls_tex[k]);
        results_macro_fix(&mac, nm, 3, Fm[k][g.nd - 1][ih]);
        snprintf(nm, sizeof nm, "VaeFHalfOne%s", cls_tex[k]);
        results_macro_fix(&mac, nm, 3, Fm[k][0][ih]);
    }
    results_macro_int(&mac, "VaeBeatsB", beats_b);
    results_macro_fix(&mac, "VaeActiveThreshold", 2, VX_ACTIVE);
    results_macro_fix(&mac, "VaeLevel", 2, VX_LEVEL);
    /* (depth, compression) points whose mean beats baseline (b) by two standard errors */
    for (int k = 0; k < 2; k++) {
        int cnt = 0;
        for (int d = 0; d < g.nd; d++)
            for (int ic = 0; ic < g.nc; ic++) cnt += Fm[k][d][ic] - 2 * Fe[k][d][ic] > base[k][1];
        char nm[64];
        snprintf(nm, sizeof nm, "VaePointsBeatB%s", cls_tex[k]);
        results_macro_int(&mac, nm, cnt);
    }
    results_macro_int(&mac, "VaePoints", g.nd * g.nc);
    {
        const char *hard = pval[0] >= VX_LEVEL ? "depth gives no significant gain on the hard class"
                           : beats_b    ? "depth gives a significant gain on the hard class and the deep models beat the product of marginals"
                                        : "depth gives a significant gain on the hard class, but no deep model beats the product of marginals";
        const char *rnd = h2 ? "no significant gain on the Haar state" : "a significant gain on the Haar state as well";
        snprintf(buf, sizeof buf, "with these sizes, training sets and budgets, %s, and %s; the hard/random contrast of the paper is %s",
                 hard, rnd, h1 && h2 ? "seen" : "not seen");
        results_macro_str(&mac, "VaeContrast", buf);
    }
    results_macro_fix(&mac, "VaeProdMean", 3, pmean);
    results_macro_num(&mac, "VaeProdErr", 2, pse);
    results_macro_fix(&mac, "VaeProdLevel", 2, level);
    results_macro_str(&mac, "VaeHOne", h1 ? "holds" : "fails");
    results_macro_str(&mac, "VaeHTwo", h2 ? "holds" : "fails");
    results_macro_str(&mac, "VaeHThree", h3 ? "holds" : "fails");
    if (results_file_commit(&mac)) return 1;

    char m[512];
    snprintf(m, sizeof m,
             "%d qubits, F at c=0.5 depth 1/%d: FU %.3f/%.3f (b %.3f), Haar %.3f/%.3f (b %.3f), product %.3f/%.3f; "
             "Mann-Whitney p: FU %.2g, Haar %.2g; product F(c=%.2g) %.4f+-%.2g",
             g.bits, g.nd, Fm[0][0][ih], Fm[0][g.nd - 1][ih], base[0][1], Fm[1][0][ih], Fm[1][g.nd - 1][ih], base[1][1],
             Fm[2][0][ih], Fm[2][g.nd - 1][ih], pval[0], pval[1], g.comp[0], pmean, pse);
    snprintf(buf, sizeof buf, "H1 (depth helps FU, beats marginals) %s; H2 (no gain Haar) %s; H3 (product F > %.2f) %s",
             h1 ? "holds" : "fails", h2 ? "holds" : "fails", level, h3 ? "holds" : "fails");
    int rc = claims_emit_legacy("RO-3", v, m, "depth helps FU, not Haar; product compresses (figures, no table)", buf);
    for (int k = 0; k < NCLASS; k++) {
        for (int rep = 0; rep < g.reps; rep++) free(X[k][rep]);
        fu_alias_clear(&al[k]);
        free(p[k]);
    }
    free(res);
    return rc != 0;
}

EXP_LEGACY(exp_vae_fidelity, 0);
