/* Chapter 1 experiments: LT-1 (softmax readout = Bayes), LT-2 (trained
 * readouts vs H(Y|X)), LT-3 (Moebius transform and sigmoid product units). */
#include "bayes.h"
#include "claims.h"
#include "experiments.h"
#include "multilinear.h"
#include "progress.h"
#include "results.h"
#include "rng.h"
#include "softmax.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Cell numbers: config c, chunk j -> (c << 16) | j. */
#define CELL(c, j) (((uint32_t)(c) << 16) | (uint32_t)(j))
#define CHUNK 4096

/* ---------------------------------------------------------------- LT-1 -- */

typedef struct {
    double maxdiff, sumdiff, minpost;
    size_t n;
} posterior_stats;

static void stats_merge(posterior_stats *a, const posterior_stats *b)
{
    a->maxdiff = fmax(a->maxdiff, b->maxdiff);
    a->sumdiff += b->sumdiff;
    a->minpost = fmin(a->minpost, b->minpost);
    a->n += b->n;
}

static void compare(posterior_stats *s, const double *p, const double *q, int k)
{
    for (int c = 0; c < k; c++) {
        double d = fabs(p[c] - q[c]);
        s->maxdiff = fmax(s->maxdiff, d);
        s->sumdiff += d;
        s->minpost = fmin(s->minpost, q[c]);
    }
    s->n++;
}

/* One input from the joint distribution: the softmax readout p and Bayes' posterior q. */
typedef void (*posterior_pair)(double *p, double *q, const void *model, rng_stream *r);

static void gauss_pair(double *p, double *q, const void *model, rng_stream *r)
{
    const bayes_gauss *g = model;
    int y;
    double x[BAYES_MAXD], H[BAYES_MAXK], mu[BAYES_MAXK];
    bayes_gauss_sample(&y, x, g, r);
    bayes_gauss_hamiltonians(H, mu, g, x);
    softmax_posterior(p, H, mu, (size_t)g->k);
    bayes_gauss_posterior_direct(q, g, x);
}

static void chain_pair(double *p, double *q, const void *model, rng_stream *r)
{
    const bayes_chain *c = model;
    int y;
    unsigned st;
    double H[BAYES_MAXK], mu[BAYES_MAXK];
    bayes_chain_sample(&y, &st, c, r);
    bayes_chain_hamiltonians(H, mu, c, st);
    softmax_posterior(p, H, mu, (size_t)c->k);
    bayes_chain_posterior_direct(q, c, st);
}

/* Softmax readout vs direct Bayes on n inputs drawn from the joint, by chunks
 * with their own streams: the same inputs for any thread count. */
static posterior_stats posterior_check(posterior_pair pair, const void *model, int k, int config,
                                       size_t n, uint64_t seed)
{
    size_t nchunks = (n + CHUNK - 1) / CHUNK;
    posterior_stats *part = calloc(nchunks, sizeof *part);
    #pragma omp parallel for schedule(dynamic)
    for (size_t j = 0; j < nchunks; j++) {
        rng_stream r;
        rng_init(&r, seed, CELL(config, j), 0);
        posterior_stats s = {0, 0, 1, 0};
        for (size_t i = j * CHUNK; i < n && i < (j + 1) * CHUNK; i++) {
            double p[BAYES_MAXK], q[BAYES_MAXK];
            pair(p, q, model, &r);
            compare(&s, p, q, k);
        }
        part[j] = s;
    }
    posterior_stats tot = {0, 0, 1, 0};
    for (size_t j = 0; j < nchunks; j++) stats_merge(&tot, &part[j]);
    free(part);
    return tot;
}

#define LT1_TOL 1e-12

int exp_softmax_posterior(const exp_ctx *ctx)
{
    size_t n = ctx->scale == EXP_FULL ? 1000000 : 100000;
    static const int gk[] = {3, 5}, gd[] = {2, 5};
    static const double temps[] = {0.8, 1.5, 2.5, 4.0}, chain_prior[] = {0.4, 0.3, 0.2, 0.1};
    results_file tsv, mac;
    if (results_tsv_open(&tsv, "softmax_posterior",
                         "family\tclasses\tsize\tinputs\tmax_abs_diff\tmean_abs_diff\tmin_posterior") != 0)
        return 1;
    double worst = 0.0;
    posterior_stats st[3];
    for (int c = 0; c < 2; c++) {
        bayes_gauss g;
        rng_stream r;
        rng_init(&r, ctx->seed, CELL(c, 0xffff), 1);
        if (bayes_gauss_random(&g, gk[c], gd[c], 1.5, &r) != 0) { results_file_abort(&tsv); return 1; }
        st[c] = posterior_check(gauss_pair, &g, g.k, c, n, ctx->seed);
        fprintf(tsv.f, "gaussian\t%d\t%d\t%zu\t%.3e\t%.3e\t%.3e\n", gk[c], gd[c], st[c].n,
                st[c].maxdiff, st[c].sumdiff / (double)(st[c].n * (size_t)gk[c]), st[c].minpost);
        worst = fmax(worst, st[c].maxdiff);
    }
    bayes_chain ch;
    if (bayes_chain_init(&ch, 12, 1.0, 0.2, 4, temps, chain_prior) != 0) { results_file_abort(&tsv); return 1; }
    st[2] = posterior_check(chain_pair, &ch, ch.k, 2, n, ctx->seed);
    double lnz_gap = 0.0; /* transfer matrix vs enumeration */
    for (int y = 0; y < ch.k; y++) lnz_gap = fmax(lnz_gap, fabs(ch.lnz[y] - log(ch.z_enum[y])));
    bayes_chain_clear(&ch);
    fprintf(tsv.f, "ising-chain\t4\t12\t%zu\t%.3e\t%.3e\t%.3e\n", st[2].n, st[2].maxdiff,
            st[2].sumdiff / (double)(st[2].n * 4), st[2].minpost);
    worst = fmax(worst, st[2].maxdiff);
    if (results_file_commit(&tsv) != 0) return 1;

    if (results_macros_open(&mac, "softmax-posterior") != 0) return 1;
    results_macro_num(&mac, "SMInputs", 3, (double)n);
    results_macro_sci(&mac, "SMGaussTwoDiff", 2, st[0].maxdiff);
    results_macro_sci(&mac, "SMGaussFiveDiff", 2, st[1].maxdiff);
    results_macro_sci(&mac, "SMChainDiff", 2, st[2].maxdiff);
    results_macro_sci(&mac, "SMGaussTwoMinPost", 2, st[0].minpost);
    results_macro_sci(&mac, "SMGaussFiveMinPost", 2, st[1].minpost);
    results_macro_sci(&mac, "SMChainMinPost", 2, st[2].minpost);
    results_macro_sci(&mac, "SMChainLnzGap", 2, lnz_gap);
    results_macro_sci(&mac, "SMTol", 1, LT1_TOL);
    results_macro_sci(&mac, "SMWorst", 2, worst);
    if (results_file_commit(&mac) != 0) return 1;

    char measured[256];
    snprintf(measured, sizeof measured, "max |softmax - Bayes| = %.2e over %zu inputs x 3 models", worst, n);
    return claims_emit_legacy("LT-1", worst <= LT1_TOL ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, measured,
                       "exact identity", "tolerance 1e-12 (float error of a stable log-sum-exp)") != 0;
}

/* ---------------------------------------------------------------- LT-2 -- */

/* Features: quadratic [1, x1, x2, x1^2, x1 x2, x2^2] or linear [1, x1, x2]. */
static size_t features(double *phi, const double *x, int quad)
{
    phi[0] = 1.0; phi[1] = x[0]; phi[2] = x[1];
    if (!quad) return 3;
    phi[3] = x[0] * x[0]; phi[4] = x[0] * x[1]; phi[5] = x[1] * x[1];
    return 6;
}

typedef struct {
    size_t n;
    int *y;
    double *x;   /* n x 2 */
    double *lp;  /* -ln p(y|x), exact */
    int *bayes;  /* argmax p(.|x) */
} lt2_set;

static int lt2_init(lt2_set *s, const bayes_gauss *g, size_t n, uint64_t seed, int config)
{
    s->n = n;
    s->y = malloc(n * sizeof *s->y);
    s->x = malloc(2 * n * sizeof *s->x);
    s->lp = malloc(n * sizeof *s->lp);
    s->bayes = malloc(n * sizeof *s->bayes);
    if (!s->y || !s->x || !s->lp || !s->bayes) return -1;
    size_t nchunks = (n + CHUNK - 1) / CHUNK;
    #pragma omp parallel for schedule(dynamic)
    for (size_t j = 0; j < nchunks; j++) {
        rng_stream r;
        rng_init(&r, seed, CELL(config, j), 0);
        for (size_t i = j * CHUNK; i < n && i < (j + 1) * CHUNK; i++) {
            double H[BAYES_MAXK], mu[BAYES_MAXK], p[BAYES_MAXK];
            bayes_gauss_sample(&s->y[i], &s->x[2 * i], g, &r);
            bayes_gauss_hamiltonians(H, mu, g, &s->x[2 * i]);
            double z[BAYES_MAXK];
            for (int c = 0; c < g->k; c++) z[c] = -H[c] - mu[c];
            s->lp[i] = softmax_logsumexp(z, (size_t)g->k) - z[s->y[i]];
            softmax_posterior(p, H, mu, (size_t)g->k);
            int b = 0;
            for (int c = 1; c < g->k; c++) b = p[c] > p[b] ? c : b;
            s->bayes[i] = b;
        }
    }
    return 0;
}

static void lt2_clear(lt2_set *s)
{
    free(s->y); free(s->x); free(s->lp); free(s->bayes);
}

/* Standardized design matrix; the affine change of features leaves the
 * model class unchanged and conditions gradient descent. */
static double *lt2_design(const lt2_set *s, int quad, const double *mean, const double *sd, size_t *f)
{
    double tmp[6];
    *f = features(tmp, s->x, quad);
    double *phi = malloc(s->n * *f * sizeof *phi);
    for (size_t i = 0; i < s->n; i++) {
        features(phi + i * *f, s->x + 2 * i, quad);
        for (size_t j = 1; j < *f; j++) phi[i * *f + j] = (phi[i * *f + j] - mean[j]) / sd[j];
    }
    return phi;
}

static void lt2_moments(double *mean, double *sd, const lt2_set *s)
{
    double phi[6];
    for (int j = 0; j < 6; j++) mean[j] = sd[j] = 0.0;
    for (size_t i = 0; i < s->n; i++) {
        features(phi, s->x + 2 * i, 1);
        for (int j = 0; j < 6; j++) { mean[j] += phi[j]; sd[j] += phi[j] * phi[j]; }
    }
    for (int j = 0; j < 6; j++) {
        mean[j] /= (double)s->n;
        sd[j] = sqrt(fmax(sd[j] / (double)s->n - mean[j] * mean[j], 1e-300));
    }
    mean[0] = 0.0; sd[0] = 1.0;
}

/* Paired mean and standard error of l_i - lp_i (excess cross-entropy). */
static void paired(double *mean, double *se, const double *l, const double *lp, size_t n)
{
    double s = 0.0, s2 = 0.0;
    for (size_t i = 0; i < n; i++) s += l[i] - lp[i];
    double m = s / (double)n;
    for (size_t i = 0; i < n; i++) { double d = l[i] - lp[i] - m; s2 += d * d; }
    *mean = m;
    *se = sqrt(s2 / ((double)n - 1) / (double)n);
}

int exp_softmax_training(const exp_ctx *ctx)
{
    size_t ntrain = ctx->scale == EXP_FULL ? 100000 : 20000, ntest = ntrain;
    int epochs = ctx->scale == EXP_FULL ? 3000 : 1500;
    const double lr = 0.5, momentum = 0.9;
    bayes_gauss g;
    rng_stream r;
    rng_init(&r, ctx->seed, CELL(20, 0), 1);
    if (bayes_gauss_random(&g, 3, 2, 1.0, &r) != 0) return 1;
    lt2_set train, test;
    if (lt2_init(&train, &g, ntrain, ctx->seed, 21) != 0 || lt2_init(&test, &g, ntest, ctx->seed, 22) != 0)
        return 1;
    double hyx, hyx_se;
    {
        double s = 0, s2 = 0;
        for (size_t i = 0; i < ntest; i++) s += test.lp[i];
        hyx = s / (double)ntest;
        for (size_t i = 0; i < ntest; i++) s2 += (test.lp[i] - hyx) * (test.lp[i] - hyx);
        hyx_se = sqrt(s2 / ((double)ntest - 1) / (double)ntest);
    }
    double mean[6], sd[6];
    lt2_moments(mean, sd, &train);
    size_t fq, fl;
    double *phq = lt2_design(&train, 1, mean, sd, &fq), *phl = lt2_design(&train, 0, mean, sd, &fl);
    double *tq = lt2_design(&test, 1, mean, sd, &fq), *tl = lt2_design(&test, 0, mean, sd, &fl);
    softmax_model mq, ml;
    softmax_model_init(&mq, 3, fq);
    softmax_model_init(&ml, 3, fl);
    double gq[18], vq[18] = {0}, gl[9], vl[9] = {0};

    results_file tsv, mac;
    if (results_tsv_open(&tsv, "softmax_training",
                         "epoch\ttrain_quad\ttest_quad\ttrain_lin\ttest_lin\tH_YX\tH_YX_err") != 0)
        return 1;
    progress pr;
    progress_start(&pr, "softmax-training", (uint64_t)epochs);
    int next_row = 1;
    for (int ep = 0; ep <= epochs; ep++) {
        if (ep == 0 || ep == epochs || ep >= next_row) { /* log-spaced rows */
            fprintf(tsv.f, "%d\t%.8f\t%.8f\t%.8f\t%.8f\t%.8f\t%.2e\n", ep,
                    softmax_model_xent(&mq, phq, train.y, ntrain, NULL),
                    softmax_model_xent(&mq, tq, test.y, ntest, NULL),
                    softmax_model_xent(&ml, phl, train.y, ntrain, NULL),
                    softmax_model_xent(&ml, tl, test.y, ntest, NULL), hyx, hyx_se);
            while (next_row <= ep) next_row = (int)ceil(next_row * 1.15 + 0.5);
        }
        if (ep == epochs) break;
        softmax_model_grad(gq, &mq, phq, train.y, ntrain);
        softmax_model_step(&mq, vq, gq, lr, momentum);
        softmax_model_grad(gl, &ml, phl, train.y, ntrain);
        softmax_model_step(&ml, vl, gl, lr, momentum);
        progress_add(&pr, 1);
    }
    progress_end(&pr);
    if (results_file_commit(&tsv) != 0) return 1;

    double *lq = malloc(ntest * sizeof *lq), *ll = malloc(ntest * sizeof *ll);
    double ceq = softmax_model_xent(&mq, tq, test.y, ntest, lq);
    double cel = softmax_model_xent(&ml, tl, test.y, ntest, ll);
    double dq, dq_se, dl, dl_se;
    paired(&dq, &dq_se, lq, test.lp, ntest);
    paired(&dl, &dl_se, ll, test.lp, ntest);
    size_t bayes_right = 0;
    for (size_t i = 0; i < ntest; i++) bayes_right += test.bayes[i] == test.y[i];
    double acc_bayes = (double)bayes_right / (double)ntest;
    double acc_q = softmax_model_accuracy(&mq, tq, test.y, ntest);
    double acc_l = softmax_model_accuracy(&ml, tl, test.y, ntest);
    double gnorm = 0.0;
    softmax_model_grad(gq, &mq, phq, train.y, ntrain);
    for (int t = 0; t < 18; t++) gnorm += gq[t] * gq[t];
    gnorm = sqrt(gnorm);

    /* Finite training set: a well-specified MLE has excess test risk
     * KL ~ chi^2_p / (2 N) with p free parameters (Wilks/Akaike), so allow
     * (p + 3 sqrt(2p)) / (2N) on top of 3 paired standard errors. */
    double pq = (double)((3 - 1) * fq), pl = (double)((3 - 1) * fl);
    double tol_q = 3 * dq_se + (pq + 3 * sqrt(2 * pq)) / (2.0 * (double)ntrain);
    double tol_l = 3 * dl_se + (pl + 3 * sqrt(2 * pl)) / (2.0 * (double)ntrain);
    int reaches = dq <= tol_q, stays_above = dl > tol_l;

    if (results_macros_open(&mac, "softmax-training") != 0) return 1;
    results_macro_num(&mac, "STTrain", 3, (double)ntrain);
    results_macro_num(&mac, "STTest", 3, (double)ntest);
    results_macro_int(&mac, "STEpochs", epochs);
    results_macro_fix(&mac, "STLr", 2, lr);
    results_macro_fix(&mac, "STMomentum", 2, momentum);
    results_macro_fix(&mac, "STHyx", 4, hyx);
    results_macro_sci(&mac, "STHyxErr", 1, hyx_se);
    results_macro_fix(&mac, "STCeQuad", 4, ceq);
    results_macro_fix(&mac, "STCeLin", 4, cel);
    results_macro_sci(&mac, "STExcessQuad", 2, dq);
    results_macro_sci(&mac, "STExcessQuadErr", 1, dq_se);
    results_macro_sci(&mac, "STTolQuad", 2, tol_q);
    results_macro_sci(&mac, "STExcessLin", 2, dl);
    results_macro_sci(&mac, "STExcessLinErr", 1, dl_se);
    results_macro_sci(&mac, "STTolLin", 2, tol_l);
    results_macro_fix(&mac, "STAccBayes", 4, acc_bayes);
    results_macro_fix(&mac, "STAccQuad", 4, acc_q);
    results_macro_fix(&mac, "STAccLin", 4, acc_l);
    results_macro_sci(&mac, "STGradNorm", 1, gnorm);
    if (results_file_commit(&mac) != 0) return 1;

    char measured[256];
    snprintf(measured, sizeof measured,
             "excess CE: quadratic %.1e +- %.1e (tol %.1e), linear %.1e +- %.1e", dq, dq_se, tol_q, dl, dl_se);
    claims_verdict v = reaches && stays_above ? CLAIMS_REPRODUCED
                       : reaches || stays_above ? CLAIMS_PARTLY : CLAIMS_NOT_REPRODUCED;
    int rc = claims_emit_legacy("LT-2", v, measured, "qualitative",
                         "H(Y|X) by Monte Carlo on the test set; paired errors");
    free(lq); free(ll); free(phq); free(phl); free(tq); free(tl);
    softmax_model_clear(&mq); softmax_model_clear(&ml);
    lt2_clear(&train); lt2_clear(&test);
    return rc != 0;
}

/* ---------------------------------------------------------------- LT-3 -- */

/* Random integer Hamiltonian on n bits with corner cases mixed in:
 * variant 0 random in [-range, range], 1 all zero, 2 a single spike, 3 constant. */
static void random_h(int64_t *h, int n, int variant, int64_t range, rng_stream *r)
{
    uint32_t N = 1u << n;
    for (uint32_t x = 0; x < N; x++)
        h[x] = variant == 0 ? (int64_t)rng_below(r, (uint64_t)(2 * range + 1)) - range
               : variant == 3 ? range : 0;
    if (variant == 2) h[rng_below(r, N)] = range;
}

int exp_moebius_network(const exp_ctx *ctx)
{
    int nmax = 12, reps = ctx->scale == EXP_FULL ? 50 : 10;
    /* Part 1: Moebius <-> zeta round trips, exact, and pointwise evaluation. */
    long checked = 0, failures = 0, coeff_max = 0;
    for (int n = 1; n <= nmax; n++) {
        #pragma omp parallel for reduction(+ : checked, failures) reduction(max : coeff_max) schedule(dynamic)
        for (int rep = 0; rep < reps; rep++) {
            rng_stream r;
            rng_init(&r, ctx->seed, CELL(30 + n, rep), 0);
            uint32_t N = 1u << n;
            int64_t *h = malloc(N * sizeof *h), *a = malloc(N * sizeof *a), *back = malloc(N * sizeof *a);
            random_h(h, n, rep % 4, 1000, &r);
            multilinear_moebius(a, h, n);
            multilinear_zeta(back, a, n);
            long nz = 0;
            for (uint32_t x = 0; x < N; x++) {
                failures += back[x] != h[x];
                nz += a[x] != 0;
            }
            for (int t = 0; t < 64; t++) { /* independent route: sum over subsets */
                uint32_t x = (uint32_t)rng_below(&r, N);
                failures += multilinear_eval(a, n, x) != h[x];
            }
            coeff_max = nz > coeff_max ? nz : coeff_max;
            checked++;
            free(h); free(a); free(back);
        }
    }
    /* Part 2: the three-layer network's max error vs beta for n = 4, 8, 12. */
    static const int ns[3] = {4, 8, 12};
    int64_t *hs[3], *as[3];
    int units[3];
    for (int t = 0; t < 3; t++) {
        uint32_t N = 1u << ns[t];
        rng_stream r;
        rng_init(&r, ctx->seed, CELL(50, t), 0);
        hs[t] = malloc(N * sizeof *hs[t]);
        as[t] = malloc(N * sizeof *as[t]);
        random_h(hs[t], ns[t], 0, 10, &r);
        multilinear_moebius(as[t], hs[t], ns[t]);
        units[t] = multilinear_net_units(as[t], ns[t]);
    }
    results_file tsv, dec, mac;
    if (results_tsv_open(&tsv, "moebius_network",
                         "beta\terr_n4\tbound_n4\terr_n8\tbound_n8\terr_n12\tbound_n12\tunit_err\tpaper_rule") != 0)
        return 1;
    int bound_violations = 0;
    double err_last[3] = {0};
    double bstep = ctx->scale == EXP_FULL ? 0.5 : 2.0;
    for (double beta = 2.0; beta <= 80.0 + 1e-9; beta += bstep) {
        fprintf(tsv.f, "%.1f", beta);
        for (int t = 0; t < 3; t++) {
            double e = multilinear_net_maxerr(as[t], hs[t], ns[t], beta);
            double b = multilinear_net_errbound(as[t], ns[t], beta);
            bound_violations += e > b;
            err_last[t] = e;
            fprintf(tsv.f, "\t%.6e\t%.6e", e, b);
        }
        /* paper's rule: D decimals at beta = D ln 10, i.e. error 10^{-beta/ln 10} = e^{-beta} */
        fprintf(tsv.f, "\t%.6e\t%.6e\n", multilinear_unit_maxerr(2, beta), exp(-beta));
    }
    if (results_file_commit(&tsv) != 0) return 1;
    /* Part 3: beta needed for D correct decimals (error < 0.5 10^-D). */
    if (results_tsv_open(&dec, "moebius_decimals", "D\tbeta_measured\tbeta_formula\tbeta_paper\tratio") != 0)
        return 1;
    double ratio10 = 0.0, formula_gap = 0.0, beta10 = 0.0;
    for (int D = 1; D <= 12; D++) {
        double bm = 0.0;
        for (int k = 1; k <= 12; k++) bm = fmax(bm, multilinear_beta_for_decimals(k, D));
        double bf = 2.0 * log(2.0 * pow(10.0, D) - 1.0); /* sigma(-beta/2) = 0.5 10^-D */
        double bp = D * log(10.0);
        formula_gap = fmax(formula_gap, fabs(bm - bf));
        if (D == 10) { ratio10 = bm / bp; beta10 = bm; }
        fprintf(dec.f, "%d\t%.6f\t%.6f\t%.6f\t%.4f\n", D, bm, bf, bp, bm / bp);
    }
    if (results_file_commit(&dec) != 0) return 1;

    if (results_macros_open(&mac, "moebius-network") != 0) return 1;
    results_macro_int(&mac, "MNChecked", checked);
    results_macro_int(&mac, "MNFailures", failures);
    results_macro_int(&mac, "MNNmax", nmax);
    results_macro_int(&mac, "MNCoeffMax", coeff_max);
    results_macro_int(&mac, "MNUnitsFour", units[0]);
    results_macro_int(&mac, "MNUnitsEight", units[1]);
    results_macro_int(&mac, "MNUnitsTwelve", units[2]);
    results_macro_sci(&mac, "MNErrFour", 2, err_last[0]);
    results_macro_sci(&mac, "MNErrEight", 2, err_last[1]);
    results_macro_sci(&mac, "MNErrTwelve", 2, err_last[2]);
    results_macro_int(&mac, "MNBoundViolations", bound_violations);
    results_macro_fix(&mac, "MNBetaTen", 2, beta10);
    results_macro_fix(&mac, "MNPaperBetaTen", 2, 10 * log(10.0));
    results_macro_fix(&mac, "MNRatioTen", 2, ratio10);
    results_macro_sci(&mac, "MNFormulaGap", 1, formula_gap);
    if (results_file_commit(&mac) != 0) return 1;
    for (int t = 0; t < 3; t++) { free(hs[t]); free(as[t]); }

    /* Verdict: the construction must hold exactly (Moebius round trips, the
     * network within its error bound, error -> 0); the printed threshold
     * beta > D ln 10 is an erratum when the measured beta differs by > 10%. */
    int construction = failures == 0 && bound_violations == 0 && err_last[2] < 1e-6;
    int threshold_ok = fabs(ratio10 - 1.0) <= 0.1;
    claims_verdict v = !construction ? CLAIMS_NOT_REPRODUCED
                       : threshold_ok ? CLAIMS_REPRODUCED : CLAIMS_ERRATUM;
    char measured[256], note[256];
    snprintf(measured, sizeof measured,
             "%ld transforms exact, %d bound violations; D=10 needs beta = %.2f", checked - 0,
             bound_violations, beta10);
    snprintf(note, sizeof note, "D decimals need beta > 2 ln(2 10^D - 1) ~ 2 D ln 10, not D ln 10");
    return claims_emit_legacy("LT-3", v, measured, "beta > D ln 10 = 23.0 for D = 10", note) != 0;
}

EXP_LEGACY(exp_softmax_posterior, 0);

EXP_LEGACY(exp_softmax_training, 0);

EXP_LEGACY(exp_moebius_network, 0);
