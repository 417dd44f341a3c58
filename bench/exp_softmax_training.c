/* Chapter 1, experiment `softmax-training`: LT-2, softmax regression on
 * Hamiltonian (quadratic) features reaches H(Y|X), on linear features it
 * does not.
 *
 * Three Gaussian classes in the plane; a training and a test set drawn from
 * the joint in chunks with their own streams.  Three cells, one after
 * another (each uses all threads inside): the reference (H(Y|X) by Monte
 * Carlo on the test set, Bayes' accuracy), the quadratic model and the
 * linear model, each trained by full-batch gradient descent with momentum.
 * The two models never interact, so training them in separate cells gives
 * the same numbers as training them side by side. */
#include "bayes.h"
#include "ch1_util.h"
#include "claims.h"
#include "experiments.h"
#include "rng.h"
#include "softmax.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { CELL_REF, CELL_QUAD, CELL_LIN, NCELL };
#define MAXROWS 512
static const double lr = 0.5, momentum = 0.9;

static size_t ntrain(const exp_ctx *ctx) { return ctx->scale == EXP_FULL ? 100000 : 20000; }
static int nepochs(const exp_ctx *ctx) { return ctx->scale == EXP_FULL ? 3000 : 1500; }

static int train_ncells(const exp_ctx *ctx)
{
    (void)ctx;
    return NCELL;
}

/* The epochs the table logs: 0, log-spaced ones, and the last.  Returns their number. */
static int logged_epochs(int *ep, int epochs)
{
    int n = 0, next_row = 1;
    for (int e = 0; e <= epochs && n < MAXROWS; e++)
        if (e == 0 || e == epochs || e >= next_row) {
            ep[n++] = e;
            while (next_row <= e) next_row = (int)ceil(next_row * 1.15 + 0.5);
        }
    return n;
}

/* --- data ------------------------------------------------------------------------------ */
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

static void lt2_clear(lt2_set *s)
{
    free(s->y); free(s->x); free(s->lp); free(s->bayes);
}

/* Draws n inputs of data set `config` (21 training, 22 test) by chunks. */
static int lt2_init(lt2_set *s, const bayes_gauss *g, size_t n, uint64_t seed, int config)
{
    s->n = n;
    s->y = malloc(n * sizeof *s->y);
    s->x = malloc(2 * n * sizeof *s->x);
    s->lp = malloc(n * sizeof *s->lp);
    s->bayes = malloc(n * sizeof *s->bayes);
    if (!s->y || !s->x || !s->lp || !s->bayes) {
        lt2_clear(s);
        return -1;
    }
    int nchunks = ch1_nchunks(n);
    #pragma omp parallel for schedule(dynamic)
    for (int j = 0; j < nchunks; j++) {
        rng_stream r;
        rng_init(&r, seed, CH1_KEY(config, j), 0);
        for (size_t i = (size_t)j * CH1_CHUNK; i < n && i < (size_t)(j + 1) * CH1_CHUNK; i++) {
            double H[BAYES_MAXK], mu[BAYES_MAXK], p[BAYES_MAXK], z[BAYES_MAXK];
            bayes_gauss_sample(&s->y[i], &s->x[2 * i], g, &r);
            bayes_gauss_hamiltonians(H, mu, g, &s->x[2 * i]);
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

/* The classes, and the test set (and the training set when train != NULL). */
static int lt2_data(lt2_set *train, lt2_set *test, const exp_ctx *ctx)
{
    bayes_gauss g;
    rng_stream r;
    rng_init(&r, ctx->seed, CH1_KEY(20, 0), 1);
    if (bayes_gauss_random(&g, 3, 2, 1.0, &r) != 0) return -1;
    if (train && lt2_init(train, &g, ntrain(ctx), ctx->seed, 21) != 0) return -1;
    if (lt2_init(test, &g, ntrain(ctx), ctx->seed, 22) != 0) {
        if (train) lt2_clear(train);
        return -1;
    }
    return 0;
}

/* Standardized design matrix; the affine change of features leaves the
 * model class unchanged and conditions gradient descent. */
static double *lt2_design(const lt2_set *s, int quad, const double *mean, const double *sd, size_t *f)
{
    double tmp[6];
    *f = features(tmp, s->x, quad);
    double *phi = malloc(s->n * *f * sizeof *phi);
    if (!phi) return NULL;
    for (size_t i = 0; i < s->n; i++) {
        features(phi + i * *f, s->x + 2 * i, quad);
        for (size_t j = 1; j < *f; j++) phi[i * *f + j] = (phi[i * *f + j] - mean[j]) / sd[j];
    }
    return phi;
}

/* Means and standard deviations of the quadratic features on the training set. */
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

/* Mean and standard error of l_i - lp_i (lp = NULL: of l_i). */
static void paired(double *mean, double *se, const double *l, const double *lp, size_t n)
{
    double s = 0.0, s2 = 0.0;
    for (size_t i = 0; i < n; i++) s += l[i] - (lp ? lp[i] : 0.0);
    double m = s / (double)n;
    for (size_t i = 0; i < n; i++) { double d = l[i] - (lp ? lp[i] : 0.0) - m; s2 += d * d; }
    *mean = m;
    *se = sqrt(s2 / ((double)n - 1) / (double)n);
}

/* --- cells ----------------------------------------------------------------------------- */
/* The reference: H(Y|X) = E[-ln p(y|x)] on the test set, its error, Bayes' accuracy. */
static int ref_run(cellio_out *out, const exp_ctx *ctx)
{
    lt2_set test;
    if (lt2_data(NULL, &test, ctx) != 0) return -1;
    double x[3];
    paired(&x[0], &x[1], test.lp, NULL, test.n);
    size_t right = 0;
    for (size_t i = 0; i < test.n; i++) right += test.bayes[i] == test.y[i];
    x[2] = (double)right / (double)test.n;
    cellio_put_f64s(out, x, 3);
    lt2_clear(&test);
    return 0;
}

/* Trains the model on phi (training set) and puts its training and test
 * cross-entropies at the logged epochs into the cell. */
static void train_log(cellio_out *out, softmax_model *m, const double *phi, const int *y, const double *tphi,
                      const int *ty, size_t n, int epochs)
{
    int ep[MAXROWS], nrows = logged_epochs(ep, epochs), row = 0;
    double xtr[MAXROWS], xte[MAXROWS], g[18], v[18] = {0};
    for (int e = 0; e <= epochs; e++) {
        if (row < nrows && ep[row] == e) {
            xtr[row] = softmax_model_xent(m, phi, y, n, NULL);
            xte[row] = softmax_model_xent(m, tphi, ty, n, NULL);
            row++;
        }
        if (e == epochs) break;
        softmax_model_grad(g, m, phi, y, n);
        softmax_model_step(m, v, g, lr, momentum);
    }
    cellio_put_f64s(out, xtr, (size_t)nrows);
    cellio_put_f64s(out, xte, (size_t)nrows);
}

/* One model (quadratic or linear features): the training curve, then its
 * test cross-entropy, excess over -ln p (paired), accuracy, final gradient
 * norm and feature count. */
static int model_run(cellio_out *out, const exp_ctx *ctx, int quad)
{
    lt2_set train, test;
    if (lt2_data(&train, &test, ctx) != 0) return -1;
    double mean[6], sd[6];
    lt2_moments(mean, sd, &train);
    size_t f, n = train.n;
    double *phi = lt2_design(&train, quad, mean, sd, &f), *tphi = lt2_design(&test, quad, mean, sd, &f);
    double *l = malloc(n * sizeof *l);
    softmax_model m;
    int rc = phi && tphi && l && softmax_model_init(&m, 3, f) == 0 ? 0 : -1;
    if (rc == 0) {
        train_log(out, &m, phi, train.y, tphi, test.y, n, nepochs(ctx));
        double x[6], g[18];
        x[0] = softmax_model_xent(&m, tphi, test.y, n, l);
        paired(&x[1], &x[2], l, test.lp, n);
        x[3] = softmax_model_accuracy(&m, tphi, test.y, n);
        softmax_model_grad(g, &m, phi, train.y, n);
        x[4] = 0.0;
        for (size_t t = 0; t < 3 * f; t++) x[4] += g[t] * g[t];
        x[4] = sqrt(x[4]);
        x[5] = (double)f;
        cellio_put_f64s(out, x, 6);
        softmax_model_clear(&m);
    }
    free(phi); free(tphi); free(l);
    lt2_clear(&train); lt2_clear(&test);
    return rc;
}

static int train_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    int rc = c == CELL_REF ? ref_run(out, ctx) : model_run(out, ctx, c == CELL_QUAD);
    if (rc != 0) fprintf(stderr, "deepcheap: softmax-training: cell %d: out of memory or bad classes\n", c);
    return rc;
}

/* --- reduce: LT-2 ------------------------------------------------------------------------- */
typedef struct {
    double xtr[MAXROWS], xte[MAXROWS];
    double ce, excess, excess_se, acc, gnorm, f;
} model_res;

static void model_get(cellio_in *in, model_res *r, int nrows)
{
    double x[6];
    cellio_get_f64s(in, r->xtr, (size_t)nrows);
    cellio_get_f64s(in, r->xte, (size_t)nrows);
    cellio_get_f64s(in, x, 6);
    r->ce = x[0], r->excess = x[1], r->excess_se = x[2], r->acc = x[3], r->gnorm = x[4], r->f = x[5];
}

static int reduce_lt2(const exp_ctx *ctx, cellio_in *in, run_set *set)
{
    int ep[MAXROWS], nrows = logged_epochs(ep, nepochs(ctx));
    double ref[3]; /* H(Y|X), its error, Bayes' accuracy */
    model_res q, l;
    cellio_get_f64s(&in[CELL_REF], ref, 3);
    model_get(&in[CELL_QUAD], &q, nrows);
    model_get(&in[CELL_LIN], &l, nrows);
    binio_file f;
    if (run_tsv_open(&f, set, "softmax_training", "epoch\ttrain_quad\ttest_quad\ttrain_lin\ttest_lin\tH_YX\tH_YX_err") != 0)
        return -1;
    for (int r = 0; r < nrows; r++)
        fprintf(f.f, "%d\t%.8f\t%.8f\t%.8f\t%.8f\t%.8f\t%.2e\n", ep[r], q.xtr[r], q.xte[r], l.xtr[r], l.xte[r], ref[0],
                ref[1]);
    if (run_close(set, &f) != 0) return -1;
    /* Finite training set: a well-specified MLE has excess test risk
     * KL ~ chi^2_p / (2 N) with p free parameters (Wilks/Akaike), so allow
     * (p + 3 sqrt(2p)) / (2N) on top of 3 paired standard errors. */
    double n = (double)ntrain(ctx), pq = (3 - 1) * q.f, pl = (3 - 1) * l.f;
    double tol_q = 3 * q.excess_se + (pq + 3 * sqrt(2 * pq)) / (2.0 * n);
    double tol_l = 3 * l.excess_se + (pl + 3 * sqrt(2 * pl)) / (2.0 * n);
    int reaches = q.excess <= tol_q, stays_above = l.excess > tol_l;
    const texmac m[] = {
        TEXMAC_N("SoftTrainTrain", 3, n),           TEXMAC_N("SoftTrainTest", 3, n),
        TEXMAC_I("SoftTrainEpochs", nepochs(ctx)),  TEXMAC_F("SoftTrainLr", 2, lr),
        TEXMAC_F("SoftTrainMomentum", 2, momentum), TEXMAC_F("SoftTrainHyx", 4, ref[0]),
        TEXMAC_E("SoftTrainHyxErr", 1, ref[1]),     TEXMAC_F("SoftTrainCeQuad", 4, q.ce),
        TEXMAC_F("SoftTrainCeLin", 4, l.ce),        TEXMAC_E("SoftTrainExcessQuad", 2, q.excess),
        TEXMAC_E("SoftTrainExcessQuadErr", 1, q.excess_se), TEXMAC_E("SoftTrainTolQuad", 2, tol_q),
        TEXMAC_E("SoftTrainExcessLin", 2, l.excess), TEXMAC_E("SoftTrainExcessLinErr", 1, l.excess_se),
        TEXMAC_E("SoftTrainTolLin", 2, tol_l),      TEXMAC_F("SoftTrainAccBayes", 4, ref[2]),
        TEXMAC_F("SoftTrainAccQuad", 4, q.acc),     TEXMAC_F("SoftTrainAccLin", 4, l.acc),
        TEXMAC_E("SoftTrainGradNorm", 1, q.gnorm),
    };
    if (run_macros(set, m, TEXMAC_LEN(m)) != 0) return -1;
    char measured[256];
    snprintf(measured, sizeof measured, "excess CE: quadratic %.1e +- %.1e (tol %.1e), linear %.1e +- %.1e", q.excess,
             q.excess_se, tol_q, l.excess, l.excess_se);
    claims_verdict v = reaches && stays_above   ? CLAIMS_REPRODUCED
                       : reaches || stays_above ? CLAIMS_PARTLY
                                                : CLAIMS_NOT_REPRODUCED;
    return claims_emit(set, "LT-2", v, measured, "qualitative", "H(Y|X) by Monte Carlo on the test set; paired errors");
}

static int train_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    if (n != NCELL) return -1;
    return reduce_lt2(ctx, in, set);
}

const exp_def exp_softmax_training_def = {train_ncells, train_cell, train_reduce, EXP_SERIAL};
