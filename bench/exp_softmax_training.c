/* Chapter 1, experiment `softmax-training`: LT-2, softmax regression on
 * Hamiltonian (quadratic) features reaches H(Y|X), on linear features it
 * does not.
 *
 * Three Gaussian classes in the plane; a training and a test set drawn from
 * the joint in chunks with their own streams.  The statistical unit is a
 * trained model: each repetition r draws its own training and test sets and
 * trains three models by full-batch gradient descent with momentum: the
 * quadratic and the linear readout, and the positive control (the linear
 * readout on the same classes with their covariances made equal, where the
 * Hamiltonians differ by linear functions, so linear features are the right
 * ones).  The cells, one after another (each uses all threads inside): the
 * reference of repetition 0 (H(Y|X) by Monte Carlo on its test set, Bayes'
 * accuracy; the figure's band), the quadratic and linear models of
 * repetition 0 (the figure's curves, the keys of the code before
 * repetitions), then the quadratic and linear models of repetitions
 * 1..R-1, then the R controls.  Models never interact, so training them in
 * separate cells gives the same numbers as training them side by side. */
#include "bayes.h"
#include "ch1_util.h"
#include "experiments.h"
#include "rng.h"
#include "softmax.h"
#include "stats.h"
#include "verdicts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CELL_REF, CELL_QUAD, CELL_LIN, NFIXED };
enum { KIND_QUAD, KIND_LIN, KIND_CONTROL, NKIND };
static const char *kind_name[NKIND] = {"quadratic", "linear", "control"};
#define MAXROWS 512
#define MAXREPS 20 /* data set keys 60 + 2r and 100 + 2r stay apart */
static const double lr = 0.5, momentum = 0.9;

static size_t ntrain(const exp_ctx *ctx) { return ctx->scale == EXP_FULL ? 100000 : 20000; }
static int nepochs(const exp_ctx *ctx) { return ctx->scale == EXP_FULL ? 3000 : 1500; }
static int nreps(const exp_ctx *ctx) { return ctx->scale == EXP_FULL ? 10 : 5; }

static int train_ncells(const exp_ctx *ctx) { return NFIXED + 2 * (nreps(ctx) - 1) + nreps(ctx); }

/* The model of cell c >= CELL_QUAD: its kind and repetition. */
static void cell_model(const exp_ctx *ctx, int c, int *kind, int *rep)
{
    int j = c - CELL_QUAD, R = nreps(ctx);
    if (j < 2 * R) *kind = j % 2 == 0 ? KIND_QUAD : KIND_LIN, *rep = j / 2;
    else *kind = KIND_CONTROL, *rep = j - 2 * R;
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

/* Draws n inputs of data set `config` (training and test set keys: see lt2_data) by chunks. */
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

/* The positive control's classes: every class gets class 0's covariance,
 * so the Hamiltonians differ by linear functions of x. */
static void shared_covariance(bayes_gauss *g)
{
    size_t dd = sizeof g->cov[0];
    for (int y = 1; y < g->k; y++) {
        memcpy(g->cov[y], g->cov[0], dd), memcpy(g->chol[y], g->chol[0], dd), memcpy(g->inv[y], g->inv[0], dd);
        g->logdet[y] = g->logdet[0], g->det[y] = g->det[0];
    }
}

/* The classes (with shared covariances for the control), and repetition
 * rep's test set (and training set when train != NULL).  Data set keys:
 * training 21, test 22 for repetition 0 (the keys of the code before
 * repetitions), 60 + 2r and 61 + 2r for repetition r >= 1, 100 + 2r and
 * 101 + 2r for the control's. */
static int lt2_data(lt2_set *train, lt2_set *test, const exp_ctx *ctx, int rep, int control)
{
    bayes_gauss g;
    rng_stream r;
    rng_init(&r, ctx->seed, CH1_KEY(20, 0), 1);
    if (bayes_gauss_random(&g, 3, 2, 1.0, &r) != 0) return -1;
    if (control) shared_covariance(&g);
    int key = control ? 100 + 2 * rep : rep ? 60 + 2 * rep : 21;
    if (train && lt2_init(train, &g, ntrain(ctx), ctx->seed, key) != 0) return -1;
    if (lt2_init(test, &g, ntrain(ctx), ctx->seed, key + 1) != 0) {
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
    if (lt2_data(NULL, &test, ctx, 0, 0) != 0) return -1;
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
        int logged = row < nrows && ep[row] == e;
        if (logged) xte[row] = softmax_model_xent(m, tphi, ty, n, NULL);
        if (e == epochs) {
            if (logged) xtr[row++] = softmax_model_xent(m, phi, y, n, NULL);
            break;
        }
        /* the training cross-entropy from the gradient's own pass (same weights, same bits) */
        if (logged) xtr[row++] = softmax_model_grad_xent(g, m, phi, y, n);
        else softmax_model_grad(g, m, phi, y, n);
        softmax_model_step(m, v, g, lr, momentum);
    }
    cellio_put_f64s(out, xtr, (size_t)nrows);
    cellio_put_f64s(out, xte, (size_t)nrows);
}

/* One model (quadratic or linear features) of repetition rep: the training
 * curve, then its test cross-entropy, excess over -ln p (paired), accuracy,
 * final gradient norm, feature count, and H(Y|X) and Bayes' accuracy on its
 * test set. */
static int model_run(cellio_out *out, const exp_ctx *ctx, int quad, int rep, int control)
{
    lt2_set train, test;
    if (lt2_data(&train, &test, ctx, rep, control) != 0) return -1;
    double mean[6], sd[6];
    lt2_moments(mean, sd, &train);
    size_t f, n = train.n;
    double *phi = lt2_design(&train, quad, mean, sd, &f), *tphi = lt2_design(&test, quad, mean, sd, &f);
    double *l = malloc(n * sizeof *l);
    softmax_model m;
    int rc = phi && tphi && l && softmax_model_init(&m, 3, f) == 0 ? 0 : -1;
    if (rc == 0) {
        train_log(out, &m, phi, train.y, tphi, test.y, n, nepochs(ctx));
        double x[8], g[18];
        x[0] = softmax_model_xent(&m, tphi, test.y, n, l);
        paired(&x[1], &x[2], l, test.lp, n);
        x[3] = softmax_model_accuracy(&m, tphi, test.y, n);
        softmax_model_grad(g, &m, phi, train.y, n);
        x[4] = 0.0;
        for (size_t t = 0; t < 3 * f; t++) x[4] += g[t] * g[t];
        x[4] = sqrt(x[4]);
        x[5] = (double)f;
        double hse;
        paired(&x[6], &hse, test.lp, NULL, n);
        size_t right = 0;
        for (size_t i = 0; i < n; i++) right += test.bayes[i] == test.y[i];
        x[7] = (double)right / (double)n;
        cellio_put_f64s(out, x, 8);
        softmax_model_clear(&m);
    }
    free(phi); free(tphi); free(l);
    lt2_clear(&train); lt2_clear(&test);
    return rc;
}

static int train_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    int kind = 0, rep = 0, rc;
    if (c == CELL_REF) rc = ref_run(out, ctx);
    else {
        cell_model(ctx, c, &kind, &rep);
        rc = model_run(out, ctx, kind == KIND_QUAD, rep, kind == KIND_CONTROL);
    }
    if (rc != 0) fprintf(stderr, "deepcheap: softmax-training: cell %d: out of memory or bad classes\n", c);
    return rc;
}

/* --- reduce: LT-2 ------------------------------------------------------------------------- */
typedef struct {
    double xtr[MAXROWS], xte[MAXROWS];
    double ce, excess, excess_se, acc, gnorm, f, hyx, acc_bayes;
} model_res;

static void model_get(cellio_in *in, model_res *r, int nrows)
{
    double x[8];
    cellio_get_f64s(in, r->xtr, (size_t)nrows);
    cellio_get_f64s(in, r->xte, (size_t)nrows);
    cellio_get_f64s(in, x, 8);
    r->ce = x[0], r->excess = x[1], r->excess_se = x[2], r->acc = x[3], r->gnorm = x[4], r->f = x[5];
    r->hyx = x[6], r->acc_bayes = x[7];
}

/* softmax_training_models.tsv: one row per trained model (the statistical
 * unit); mr[c] holds cell c's model (c >= CELL_QUAD). */
static int models_table(const exp_ctx *ctx, const model_res *mr, int n, run_set *set)
{
    binio_file f;
    if (run_tsv_open(&f, set, "softmax_training_models",
                     "model\trep\tfeatures\tparams\tntrain\tntest\tH_YX\texcess\texcess_se\ttest_ce\taccuracy\t"
                     "bayes_accuracy\tgrad_norm") != 0)
        return -1;
    for (int kind = 0; kind < NKIND; kind++)
        for (int c = CELL_QUAD; c < n; c++) {
            int k, rep;
            cell_model(ctx, c, &k, &rep);
            if (k != kind) continue;
            const model_res m = mr[c];
            fprintf(f.f, "%s\t%d\t%.0f\t%.0f\t%zu\t%zu\t%.8f\t%.6e\t%.3e\t%.8f\t%.6f\t%.6f\t%.3e\n", kind_name[kind], rep,
                    m.f, 2 * m.f, ntrain(ctx), ntrain(ctx), m.hyx, m.excess, m.excess_se, m.ce, m.acc, m.acc_bayes,
                    m.gnorm);
        }
    return run_close(set, &f);
}

/* --- the rule of LT-2 (pre-registered, src/claims_prereg.def) -------------------------------
 * The unit is a trained model, R per kind, each with its own training and
 * test sets.  Per kind: the mean excess cross-entropy over its R models and
 * its one-sided (1 - LT2_ALPHA) t confidence bounds.  Equivalence margin:
 * LT2_MARGIN of H(Y|X) (the kind's mean over its test sets).  A kind
 * reaches H(Y|X) when its upper bound is below the margin, stays above when
 * its lower bound exceeds it, and is undecided otherwise.  Inconclusive:
 * fewer than 2 models of a kind, a gradient norm above LT2_GRAD_TOL (not
 * converged), the positive control not reaching H(Y|X), or the quadratic
 * or linear readout undecided (too little power).  Otherwise: quadratic
 * reaches and linear stays above: reproduced; one of the two: partly;
 * neither: not-reproduced. */
#define LT2_ALPHA 0.05
#define LT2_MARGIN 0.01
#define LT2_GRAD_TOL 1e-3
#define LT2_BOOT 1000

enum { LT2_REACHES, LT2_ABOVE, LT2_UNDECIDED };

typedef struct {
    int n[NKIND];
    double excess[NKIND][MAXREPS], se[NKIND][MAXREPS], hyx[NKIND][MAXREPS], params[NKIND][MAXREPS];
    double ntrain, gmax;
} lt2_units;

typedef struct {
    double mean[NKIND], lo[NKIND], hi[NKIND], margin[NKIND];
    int state[NKIND];
    claims_verdict verdict, first;
    double first_tol[2], flip;
    char why[160];
} lt2_rule;

static int lt2_read(lt2_units *u, vd_data *d)
{
    const tsv_table *t = vd_table(d, "softmax_training_models.tsv");
    if (!t) return -1;
    int cm = vd_col(d, t, "model"), cp = vd_col(d, t, "params"), cn = vd_col(d, t, "ntrain");
    int ch = vd_col(d, t, "H_YX"), ce = vd_col(d, t, "excess"), cs = vd_col(d, t, "excess_se");
    int cg = vd_col(d, t, "grad_norm");
    if (cm < 0 || cp < 0 || cn < 0 || ch < 0 || ce < 0 || cs < 0 || cg < 0) return -1;
    memset(u, 0, sizeof *u);
    for (int i = 0; i < t->nrows; i++) {
        int k = 0;
        while (k < NKIND && strcmp(tsv_str(t, i, cm), kind_name[k]) != 0) k++;
        if (k == NKIND || u->n[k] == MAXREPS) {
            snprintf(d->err, sizeof d->err, "softmax_training_models.tsv: row %d: model '%s'", i, tsv_str(t, i, cm));
            return -1;
        }
        int j = u->n[k]++;
        u->excess[k][j] = tsv_num(t, i, ce), u->se[k][j] = tsv_num(t, i, cs);
        u->hyx[k][j] = tsv_num(t, i, ch), u->params[k][j] = tsv_num(t, i, cp);
        u->ntrain = tsv_num(t, i, cn);
        double g = tsv_num(t, i, cg);
        u->gmax = fmax(u->gmax, isnan(g) ? INFINITY : g);
    }
    return 0;
}

/* Decides from the units idx[k][0..n[k]) of each kind (a bootstrap resample, or all). */
static void lt2_decide(lt2_rule *r, const lt2_units *u, int idx[NKIND][MAXREPS])
{
    int few = 0;
    for (int k = 0; k < NKIND; k++) {
        int n = u->n[k];
        double s = 0, s2 = 0, h = 0;
        for (int j = 0; j < n; j++) s += u->excess[k][idx[k][j]], h += u->hyx[k][idx[k][j]];
        double m = n ? s / n : NAN;
        for (int j = 0; j < n; j++) s2 += (u->excess[k][idx[k][j]] - m) * (u->excess[k][idx[k][j]] - m);
        double half = n > 1 ? stats_t_quantile(1 - LT2_ALPHA, n - 1) * sqrt(s2 / (n - 1) / n) : INFINITY;
        r->mean[k] = m, r->lo[k] = m - half, r->hi[k] = m + half, r->margin[k] = LT2_MARGIN * (n ? h / n : NAN);
        r->state[k] = r->hi[k] < r->margin[k] ? LT2_REACHES : r->lo[k] > r->margin[k] ? LT2_ABOVE : LT2_UNDECIDED;
        few |= n < 2;
    }
    int q = r->state[KIND_QUAD], l = r->state[KIND_LIN];
    const char *why = few ? "fewer than 2 models of a kind"
                      : !(u->gmax <= LT2_GRAD_TOL) ? "a model did not converge (gradient norm above tolerance)"
                      : r->state[KIND_CONTROL] != LT2_REACHES ? "the positive control did not reach H(Y|X)"
                      : q == LT2_UNDECIDED || l == LT2_UNDECIDED ? "too little power: a confidence bound straddles the margin"
                                                                 : "";
    snprintf(r->why, sizeof r->why, "%s", why);
    r->verdict = why[0]                                   ? CLAIMS_INCONCLUSIVE
                 : q == LT2_REACHES && l == LT2_ABOVE     ? CLAIMS_REPRODUCED
                 : q == LT2_REACHES || l == LT2_ABOVE     ? CLAIMS_PARTLY
                                                          : CLAIMS_NOT_REPRODUCED;
}

/* The rule, the first rule (before issue 17: repetition 0 alone, 3 paired
 * standard errors + (p + 3 sqrt(2p))/2N) and the bootstrap flip rate. */
static int lt2_rule_eval(lt2_rule *r, vd_data *d, lt2_units *u)
{
    if (lt2_read(u, d) != 0) return -1;
    memset(r, 0, sizeof *r);
    int idx[NKIND][MAXREPS];
    for (int k = 0; k < NKIND; k++)
        for (int j = 0; j < MAXREPS; j++) idx[k][j] = j;
    lt2_decide(r, u, idx);
    for (int k = 0; k < 2; k++) {
        double p = u->n[k] ? u->params[k][0] : NAN;
        r->first_tol[k] = u->n[k] ? 3 * u->se[k][0] + (p + 3 * sqrt(2 * p)) / (2.0 * u->ntrain) : NAN;
    }
    int reaches = u->n[0] && u->excess[0][0] <= r->first_tol[0], above = u->n[1] && u->excess[1][0] > r->first_tol[1];
    r->first = reaches && above ? CLAIMS_REPRODUCED : reaches || above ? CLAIMS_PARTLY : CLAIMS_NOT_REPRODUCED;
    rng_stream g;
    rng_init(&g, 0, 0x4c5432u /* "LT2" */, 0);
    int flips = 0;
    for (int b = 0; b < LT2_BOOT; b++) {
        for (int k = 0; k < NKIND; k++)
            for (int j = 0; j < u->n[k]; j++) idx[k][j] = (int)rng_below(&g, (uint64_t)u->n[k]);
        lt2_rule rb;
        lt2_decide(&rb, u, idx);
        flips += rb.verdict != r->verdict;
    }
    r->flip = (double)flips / LT2_BOOT;
    return 0;
}

int vd_lt2(vd_result *r, vd_data *d)
{
    lt2_rule q;
    lt2_units u;
    if (lt2_rule_eval(&q, d, &u) != 0) return -1;
    r->verdict = q.verdict;
    vd_measured(r, "mean excess CE over %d models each: quadratic %.1e (upper %.1e), linear %.1e (lower %.1e), control %.1e; margin %.1e",
                u.n[KIND_QUAD], q.mean[KIND_QUAD], q.hi[KIND_QUAD], q.mean[KIND_LIN], q.lo[KIND_LIN],
                q.mean[KIND_CONTROL], q.margin[KIND_QUAD]);
    vd_paper(r, "qualitative");
    vd_note(r, "%s%sone-sided %.0f%% t bounds over trained models, margin %.0f%% of H(Y|X); bootstrap flip rate %.3f (B = %d); first rule (one model, 3 se + chi-square): %s",
            q.why, q.why[0] ? "; " : "", 100 * (1 - LT2_ALPHA), 100 * LT2_MARGIN, q.flip, LT2_BOOT,
            claims_verdict_name(q.first));
    for (int k = 0; k < NKIND; k++) {
        char name[48];
        snprintf(name, sizeof name, "excess_%s", kind_name[k]);
        /* 4 standard errors of the mean over the models */
        vd_value(r, name, q.mean[k], 4 * (q.hi[k] - q.mean[k]) / stats_t_quantile(1 - LT2_ALPHA, fmax(u.n[k] - 1, 1)));
    }
    vd_value(r, "grad_norm_max", u.gmax, LT2_GRAD_TOL);
    return 0;
}

/* The rule's numbers for the chapter, from the rule on the staged data. */
static int rule_macros(run_set *set, const exp_ctx *ctx)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/data", set->dir);
    vd_data d;
    lt2_rule q;
    lt2_units u;
    vd_data_init(&d, dir);
    int rc = lt2_rule_eval(&q, &d, &u);
    vd_data_clear(&d);
    if (rc != 0) return -1;
    const texmac m[] = {
        TEXMAC_I("SoftTrainReps", nreps(ctx)),
        TEXMAC_E("SoftTrainMargin", 2, q.margin[KIND_QUAD]),
        TEXMAC_F("SoftTrainMarginPct", 0, 100 * LT2_MARGIN),
        TEXMAC_E("SoftTrainMarginControl", 2, q.margin[KIND_CONTROL]),
        TEXMAC_F("SoftTrainConf", 0, 100 * (1 - LT2_ALPHA)),
        TEXMAC_E("SoftTrainMeanQuad", 2, q.mean[KIND_QUAD]),
        TEXMAC_E("SoftTrainUcbQuad", 2, q.hi[KIND_QUAD]),
        TEXMAC_E("SoftTrainMeanLin", 2, q.mean[KIND_LIN]),
        TEXMAC_E("SoftTrainLcbLin", 2, q.lo[KIND_LIN]),
        TEXMAC_E("SoftTrainMeanControl", 2, q.mean[KIND_CONTROL]),
        TEXMAC_E("SoftTrainUcbControl", 2, q.hi[KIND_CONTROL]),
        TEXMAC_E("SoftTrainGradMax", 1, u.gmax),
        TEXMAC_E("SoftTrainGradTol", 0, LT2_GRAD_TOL),
        TEXMAC_F("SoftTrainFlip", 3, q.flip),
        TEXMAC_I("SoftTrainBoot", LT2_BOOT),
        TEXMAC_E("SoftTrainTolQuad", 2, q.first_tol[0]),
        TEXMAC_E("SoftTrainTolLin", 2, q.first_tol[1]),
        TEXMAC_S("SoftTrainFirstVerdict", claims_verdict_name(q.first)),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

static int reduce_lt2(const exp_ctx *ctx, cellio_in *in, int ncells, run_set *set)
{
    int ep[MAXROWS], nrows = logged_epochs(ep, nepochs(ctx));
    double ref[3]; /* H(Y|X), its error, Bayes' accuracy */
    cellio_get_f64s(&in[CELL_REF], ref, 3);
    model_res *mr = malloc(sizeof *mr * (size_t)ncells);
    if (!mr) return -1;
    for (int c = CELL_QUAD; c < ncells; c++) model_get(&in[c], &mr[c], nrows);
    const model_res q = mr[CELL_QUAD], l = mr[CELL_LIN];
    binio_file f;
    if (run_tsv_open(&f, set, "softmax_training", "epoch\ttrain_quad\ttest_quad\ttrain_lin\ttest_lin\tH_YX\tH_YX_err") != 0) {
        free(mr);
        return -1;
    }
    for (int r = 0; r < nrows; r++)
        fprintf(f.f, "%d\t%.8f\t%.8f\t%.8f\t%.8f\t%.8f\t%.2e\n", ep[r], q.xtr[r], q.xte[r], l.xtr[r], l.xte[r], ref[0],
                ref[1]);
    int rc = run_close(set, &f) != 0 || models_table(ctx, mr, ncells, set) != 0 ? -1 : 0;
    free(mr);
    if (rc != 0) return -1;
    double n = (double)ntrain(ctx);
    const texmac m[] = {
        TEXMAC_N("SoftTrainTrain", 3, n),           TEXMAC_N("SoftTrainTest", 3, n),
        TEXMAC_I("SoftTrainEpochs", nepochs(ctx)),  TEXMAC_F("SoftTrainLr", 2, lr),
        TEXMAC_F("SoftTrainMomentum", 2, momentum), TEXMAC_F("SoftTrainHyx", 4, ref[0]),
        TEXMAC_E("SoftTrainHyxErr", 1, ref[1]),     TEXMAC_F("SoftTrainCeQuad", 4, q.ce),
        TEXMAC_F("SoftTrainCeLin", 4, l.ce),        TEXMAC_E("SoftTrainExcessQuad", 2, q.excess),
        TEXMAC_E("SoftTrainExcessQuadErr", 1, q.excess_se), TEXMAC_E("SoftTrainExcessLin", 2, l.excess),
        TEXMAC_E("SoftTrainExcessLinErr", 1, l.excess_se), TEXMAC_F("SoftTrainAccBayes", 4, ref[2]),
        TEXMAC_F("SoftTrainAccQuad", 4, q.acc),     TEXMAC_F("SoftTrainAccLin", 4, l.acc),
        TEXMAC_E("SoftTrainGradNorm", 1, q.gnorm),
    };
    if (run_macros(set, m, TEXMAC_LEN(m)) != 0) return -1;
    return rule_macros(set, ctx);
}

static int train_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    if (n != train_ncells(ctx)) return -1;
    return reduce_lt2(ctx, in, n, set);
}

const exp_def exp_softmax_training_def = {train_ncells, train_cell, train_reduce, EXP_SERIAL};
