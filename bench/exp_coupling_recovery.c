/* Chapter 3, experiment `coupling-recovery`: BP-LEARN (beyond the paper),
 * cheap learning measured.  Recover the couplings of a 2-D Ising model from
 * Monte Carlo samples by maximum pseudo-likelihood with (a) all pairwise
 * couplings, (b) nearest-neighbour couplings only, (c) one shared
 * nearest-neighbour coupling, and find the sample size N* at which each
 * reaches LEARN_TARGET relative error of the whole coupling matrix.
 *
 * One cell per (L, T, repetition): its training chain (nested prefixes give
 * the N ladder), the test chain of its (L, T) and every fit on them (three
 * parametrizations x the N ladder; all-pairs at L = 8 only).  The chains
 * keep their streams 1000 + their index in the old (L, T, rep | test)
 * order, so every cell draws the same samples as before, and the test
 * chain is drawn again by each repetition's cell.  Reduce writes every fit
 * (coupling_chains.tsv, the statistical unit is the chain) and the mean
 * curves; the verdict (vd_bplearn) is a function of the fits, and the
 * reduce runs the same rule on the staged data for the chapter's N*,
 * per-segment slopes and threshold sensitivity. */
#include "experiments.h"
#include "ising.h"
#include "plik.h"
#include "rng.h"
#include "verdicts.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEARN_TARGET 0.1 /* relative RMS error of the nearest-neighbour couplings */
#define MAXN 11          /* the longest N ladder */

enum { PAR_ALL, PAR_NN, PAR_SHARED, NPAR };
static const char *par_name[NPAR] = {"all-pairs", "nearest-neighbour", "shared"};
static const double Ts[3] = {2.0, 2.269185314213022, 3.0};
static const double Nfull[MAXN] = {1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000};
static const int Ls[2] = {8, 16};
enum { NT = 3, SPACING = 10, BURN = 1000 };

typedef struct {
    int nL, nN, reps, ntest, Nmax;
} learn_grid;

static learn_grid grid(const exp_ctx *ctx)
{
    int full = ctx->scale == EXP_FULL;
    learn_grid g = {full ? 2 : 1, full ? 11 : 9, full ? 5 : 3, full ? 10000 : 2000, 0};
    g.Nmax = (int)Nfull[g.nN - 1];
    return g;
}

static int learn_ncells(const exp_ctx *ctx)
{
    learn_grid g = grid(ctx);
    return g.nL * NT * g.reps;
}

/* --- cells: one chain, all its fits ----------------------------------------------------------- */
typedef struct {
    double err[NPAR * MAXN], off[NPAR * MAXN], full[NPAR * MAXN], dpl[NPAR * MAXN];
    int converged[NPAR * MAXN];
} chain_fits;

/* Relative RMS error of the NN couplings, RMS of the non-NN ones, and the
 * relative error of the whole coupling matrix, ||K^ - K||_F / ||K||_F (the
 * error BP-LEARN judges: it charges the all-pairs model for its spurious
 * couplings; for the other two it equals the first). */
static void coupling_errors(double *err, double *off, double *full, const plik_param *p, const plik_param *nn,
                            const double *theta, double K)
{
    int n = p->n;
    double *Kh = calloc((size_t)n * n, sizeof *Kh);
    char *isnn = calloc((size_t)n * n, 1);
    for (int k = 0; k < p->npairs; k++) {
        Kh[p->pi[k] * n + p->pj[k]] = theta[p->pp[k]];
        Kh[p->pj[k] * n + p->pi[k]] = theta[p->pp[k]];
    }
    double s = 0.0, so = 0.0;
    for (int k = 0; k < nn->npairs; k++) {
        double d = Kh[nn->pi[k] * n + nn->pj[k]] - K;
        s += d * d;
        isnn[nn->pi[k] * n + nn->pj[k]] = isnn[nn->pj[k] * n + nn->pi[k]] = 1;
    }
    long cnt = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (!isnn[i * n + j]) { so += Kh[i * n + j] * Kh[i * n + j]; cnt++; }
    *err = sqrt(s / nn->npairs) / K;
    *off = cnt ? sqrt(so / (double)cnt) : 0.0;
    *full = sqrt((s + so) / nn->npairs) / K;
    free(Kh);
    free(isnn);
}

/* Fit k = par * nN + ni of chain_fits o: parametrization par on the first
 * Nfull[ni] training samples; held out, the mean log pseudo-likelihood per
 * spin of the true model minus the fit's. */
static void fit_one(chain_fits *o, int k, int par, int ni, int L, double T, const int8_t *train, const int8_t *test,
                    int ntest)
{
    plik_param p, nn, one;
    if (par == PAR_ALL) plik_param_init_all(&p, L * L);
    else plik_param_init_nn(&p, L, par == PAR_SHARED);
    plik_param_init_nn(&nn, L, 0);
    plik_param_init_nn(&one, L, 1);
    size_t N = (size_t)Nfull[ni];
    double *theta = calloc((size_t)p.npar, sizeof *theta), K = 1.0 / T, Kt = K;
    plik_fit_info info;
    plik_data dtrain, dtest, done;
    plik_data_init(&dtrain, &p, train, N);
    plik_data_init(&dtest, &p, test, (size_t)ntest);
    plik_data_init(&done, &one, test, (size_t)ntest);
    /* stop when the gradient is 1% of its sampling scale 1/sqrt(N): the
     * optimization error is then far below the statistical error */
    plik_fit(theta, &info, &p, &dtrain, 1.0 / (double)N, 0.01 / sqrt((double)N), 2000);
    o->converged[k] = info.converged;
    coupling_errors(&o->err[k], &o->off[k], &o->full[k], &p, &nn, theta, K);
    o->dpl[k] = plik_mean_logpl(&one, &Kt, &done) - plik_mean_logpl(&p, theta, &dtest);
    plik_data_clear(&done), plik_data_clear(&dtest), plik_data_clear(&dtrain);
    plik_param_clear(&one), plik_param_clear(&p), plik_param_clear(&nn);
    free(theta);
}

static int learn_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    learn_grid g = grid(ctx);
    int li = c / (NT * g.reps), ti = c / g.reps % NT, rep = c % g.reps, L = Ls[li];
    /* cells run side by side, one thread each: BLAS must not start threads of its own */
    openblas_set_num_threads(1);
    /* stream of chain (li, ti, r), r = reps: the test chain */
    uint32_t chain = (uint32_t)(1000 + (li * NT + ti) * (g.reps + 1));
    int8_t *train = malloc((size_t)g.Nmax * L * L), *test = malloc((size_t)g.ntest * L * L);
    chain_fits *o = calloc(1, sizeof *o);
    int rc = train && test && o ? 0 : -1;
    if (rc == 0) rc = ising_sample_torus(train, L, Ts[ti], g.Nmax, BURN, SPACING, ctx->seed, chain + (uint32_t)rep);
    if (rc == 0) rc = ising_sample_torus(test, L, Ts[ti], g.ntest, BURN, SPACING, ctx->seed, chain + (uint32_t)g.reps);
    for (int par = 0; rc == 0 && par < NPAR; par++)
        for (int ni = 0; ni < g.nN; ni++) {
            int k = par * g.nN + ni;
            if (par == PAR_ALL && L > 8) o->err[k] = o->full[k] = NAN; /* all-pairs at L = 8 only */
            else fit_one(o, k, par, ni, L, Ts[ti], train, test, g.ntest);
        }
    if (rc == 0) {
        size_t n = (size_t)(NPAR * g.nN);
        cellio_put_f64s(out, o->err, n);
        cellio_put_f64s(out, o->off, n);
        cellio_put_f64s(out, o->full, n);
        cellio_put_f64s(out, o->dpl, n);
        cellio_put_ints(out, o->converged, n);
    } else
        fprintf(stderr, "deepcheap: coupling-recovery: cell %d: out of memory or bad chain\n", c);
    free(train), free(test), free(o);
    return rc;
}

/* --- reduce: the tables ------------------------------------------------------------------------ */
/* log-log interpolation of the first crossing of `target`; INFINITY if none.
 * *censored: 1 when already below target at the smallest N, 2 when never reached. */
static double crossing(const double *N, const double *e, int n, double target, int *censored)
{
    *censored = 0;
    if (e[0] <= target) { *censored = 1; return N[0]; }
    for (int i = 1; i < n; i++)
        if (e[i] <= target) {
            double t = (log(target) - log(e[i - 1])) / (log(e[i]) - log(e[i - 1]));
            return exp(log(N[i - 1]) + t * (log(N[i]) - log(N[i - 1])));
        }
    *censored = 2;
    return INFINITY;
}

typedef struct {
    double nstar[2][NT][NPAR];  /* the first rule's N*: nearest-neighbour couplings' error */
    int cens[2][NT][NPAR], unconv;
} learn_sum;

static int npar_of(int L, int par) { return par == PAR_ALL ? L * L * (L * L - 1) / 2 : par == PAR_NN ? 2 * L * L : 1; }

/* Mean and standard error of x[0..k). */
static void mean_se(double *m, double *se, const double *x, int k)
{
    double s = 0, s2 = 0;
    for (int i = 0; i < k; i++) s += x[i], s2 += x[i] * x[i];
    *m = s / k;
    *se = k > 1 ? sqrt(fmax(s2 / k - *m * *m, 0) / (k - 1)) : 0;
}

/* The mean error curves of one (L, T, parametrization) over the chains (a
 * row per N of coupling_recovery.tsv), every fit (coupling_chains.tsv), and
 * the first rule's N*. */
static void learn_curve(FILE *tsv, FILE *ch, const learn_grid *g, const chain_fits *cf, int li, int ti, int par,
                        learn_sum *s)
{
    int L = Ls[li], P = npar_of(L, par), m = 0;
    double Ns[MAXN], es[MAXN];
    for (int ni = 0; ni < g->nN; ni++) {
        double e[64], d[64], o[64], f[64];
        int k = 0, unconv = 0, j = par * g->nN + ni;
        for (int rep = 0; rep < g->reps; rep++) {
            const chain_fits *c = &cf[(li * NT + ti) * g->reps + rep];
            if (isnan(c->err[j])) continue;
            e[k] = c->err[j], d[k] = c->dpl[j], o[k] = c->off[j], f[k] = c->full[j], k++;
            unconv += !c->converged[j];
            fprintf(ch, "%d\t%.4f\t%s\t%d\t%.0f\t%d\t%.6e\t%.6e\t%.6e\t%.6e\t%d\n", L, Ts[ti], par_name[par], P,
                    Nfull[ni], rep, c->err[j], c->off[j], c->full[j], c->dpl[j], c->converged[j]);
        }
        if (!k) continue;
        double mean, se, dm, dse, om, ose, fm, fse;
        mean_se(&mean, &se, e, k), mean_se(&dm, &dse, d, k), mean_se(&om, &ose, o, k), mean_se(&fm, &fse, f, k);
        s->unconv += unconv;
        fprintf(tsv, "%d\t%.4f\t%s\t%d\t%.0f\t%.5e\t%.2e\t%.3e\t%.5e\t%.2e\t%d\t%d\t%.5e\t%.2e\n", L, Ts[ti],
                par_name[par], P, Nfull[ni], mean, se, om, dm, dse, k, unconv, fm, fse);
        Ns[m] = Nfull[ni], es[m] = mean, m++;
    }
    s->nstar[li][ti][par] = m ? crossing(Ns, es, m, LEARN_TARGET, &s->cens[li][ti][par]) : NAN;
}

/* Writes the error curves and every fit. */
static int learn_tables(const learn_grid *g, const chain_fits *cf, run_set *set, learn_sum *s)
{
    binio_file tsv, ch;
    if (run_tsv_open(&tsv, set, "coupling_recovery",
                     "L\tT\tparam\tP\tN\terr\terr_se\toff_rms\tdpl\tdpl_se\treps\tunconverged\terr_full\terr_full_se") != 0)
        return -1;
    if (run_tsv_open(&ch, set, "coupling_chains", "L\tT\tparam\tP\tN\tchain\terr\toff_rms\terr_full\tdpl\tconverged") != 0) {
        run_abort_file(set, &tsv);
        return -1;
    }
    for (int li = 0; li < g->nL; li++)
        for (int ti = 0; ti < NT; ti++)
            for (int par = 0; par < NPAR; par++) learn_curve(tsv.f, ch.f, g, cf, li, ti, par, s);
    int rc = run_close(set, &tsv);
    return run_close(set, &ch) != 0 || rc != 0 ? -1 : 0;
}

/* --- the rule of BP-LEARN (pre-registered, src/claims_prereg.def) ------------------------------
 * The unit is a training chain: every parametrization is fitted on the
 * nested prefixes of each chain.  The error of a fit is the relative
 * Frobenius error of the whole coupling matrix (the all-pairs model pays for
 * its off-neighbour couplings).  For each (L, T) and parametrization, N* is
 * the first N at which the mean error over the chains falls to the target
 * (log-log interpolation; "> Nmax" when never, "<= N_1" when already at the
 * smallest N).  Two steps are judged: locality (all pairs -> nearest
 * neighbours, where all pairs are fitted) and symmetry (nearest neighbours
 * -> one shared coupling), each by the sample ratio N*(more)/N*(fewer).  The
 * chains of each (L, T) are resampled (B = BPL_BOOT, fixed-key stream): a
 * step is "far" at an (L, T) when the 5% quantile of the ratio's lower bound
 * reaches the gap, "not far" when the 95% quantile of its upper bound is
 * below it, undecided otherwise; over the (L, T): far when far everywhere,
 * not far when not far somewhere, else undecided.  Inconclusive: the
 * positive control fails (a restricted model never reaches the target), more
 * than BPL_UNCONV of the fits stopped at the iteration limit, or a step is
 * undecided.  Otherwise both steps far: reproduced; one: partly; none:
 * not-reproduced. */
#define BPL_GAP 10.0
#define BPL_BOOT 1000
#define BPL_Q 0.05
#define BPL_UNCONV 0.01
#define BPL_KEY 0x42504c45u /* "BPLE" */
#define BPL_MAXG 8
#define BPL_MAXREP 16
enum { STEP_LOC, STEP_SYM, NSTEP };
static const int step_more[NSTEP] = {PAR_ALL, PAR_NN}, step_fewer[NSTEP] = {PAR_NN, PAR_SHARED};
static const char *step_name[NSTEP] = {"locality", "symmetry"};
enum { BPL_FAR, BPL_NOTFAR, BPL_UNDECIDED, BPL_ABSENT };
static const char *state_name[4] = {"far", "not far", "undecided", "absent"};
/* The sensitivity grid of the two thresholds. */
static const double sens_tau[3] = {0.05, 0.1, 0.2}, sens_gap[3] = {3.0, 10.0, 30.0};

typedef struct {
    int ng, nN, nfits, unconv, reps[BPL_MAXG], has[BPL_MAXG][NPAR], L[BPL_MAXG];
    double T[BPL_MAXG], N[MAXN];
    double full[BPL_MAXG][NPAR][MAXN][BPL_MAXREP], nn[BPL_MAXG][NPAR][MAXN][BPL_MAXREP];
} bpl_data;

typedef struct {
    double tau, gap;
    double nstar[BPL_MAXG][NPAR], nlo[BPL_MAXG][NPAR], nhi[BPL_MAXG][NPAR];
    int cens[BPL_MAXG][NPAR];
    double rlo[BPL_MAXG][NSTEP], rhi[BPL_MAXG][NSTEP], qlo[BPL_MAXG][NSTEP], qhi[BPL_MAXG][NSTEP];
    int state[BPL_MAXG][NSTEP], step[NSTEP];
    claims_verdict verdict, point;
    double flip;
    char why[160];
} bpl_rule;

static int bpl_index(double *v, int *n, double x, int max)
{
    for (int i = 0; i < *n; i++)
        if (v[i] == x) return i;
    if (*n == max) return -1;
    v[*n] = x;
    return (*n)++;
}

/* Reads coupling_chains.tsv (groups (L, T) in order of appearance, N ascending). */
static int bpl_read(bpl_data *u, vd_data *d)
{
    const tsv_table *t = vd_table(d, "coupling_chains.tsv");
    if (!t) return -1;
    int cL = vd_col(d, t, "L"), cT = vd_col(d, t, "T"), cp = vd_col(d, t, "param"), cN = vd_col(d, t, "N");
    int cc = vd_col(d, t, "chain"), ce = vd_col(d, t, "err"), cf = vd_col(d, t, "err_full"), cv = vd_col(d, t, "converged");
    if (cL < 0 || cT < 0 || cp < 0 || cN < 0 || cc < 0 || ce < 0 || cf < 0 || cv < 0) return -1;
    memset(u, 0, sizeof *u);
    double gk[BPL_MAXG];
    for (int i = 0; i < t->nrows; i++) /* the N ladder, ascending */
        if (bpl_index(u->N, &u->nN, tsv_num(t, i, cN), MAXN) < 0) goto bad;
    for (int i = 1; i < u->nN; i++)
        for (int j = i; j > 0 && u->N[j - 1] > u->N[j]; j--) { double x = u->N[j]; u->N[j] = u->N[j - 1], u->N[j - 1] = x; }
    for (int g = 0; g < BPL_MAXG; g++)
        for (int p = 0; p < NPAR; p++)
            for (int k = 0; k < MAXN * BPL_MAXREP; k++) u->full[g][p][k / BPL_MAXREP][k % BPL_MAXREP] = NAN;
    for (int i = 0; i < t->nrows; i++) {
        int ng = u->ng, g = bpl_index(gk, &u->ng, 1e6 * tsv_num(t, i, cL) + round(1e4 * tsv_num(t, i, cT)), BPL_MAXG);
        int p = 0, n = 0, c = (int)tsv_num(t, i, cc);
        while (p < NPAR && strcmp(tsv_str(t, i, cp), par_name[p]) != 0) p++;
        while (n < u->nN && u->N[n] != tsv_num(t, i, cN)) n++;
        if (g < 0 || p == NPAR || c < 0 || c >= BPL_MAXREP) goto bad;
        if (g == ng) u->L[g] = (int)tsv_num(t, i, cL), u->T[g] = tsv_num(t, i, cT);
        u->has[g][p] = 1, u->reps[g] = c + 1 > u->reps[g] ? c + 1 : u->reps[g];
        u->full[g][p][n][c] = tsv_num(t, i, cf), u->nn[g][p][n][c] = tsv_num(t, i, ce);
        u->nfits++, u->unconv += tsv_num(t, i, cv) != 1;
    }
    for (int g = 0; g < u->ng; g++) /* every fit of every chain present */
        for (int p = 0; p < NPAR; p++)
            for (int n = 0; u->has[g][p] && n < u->nN; n++)
                for (int c = 0; c < u->reps[g]; c++)
                    if (isnan(u->full[g][p][n][c])) goto bad;
    if (u->ng == 0) goto bad;
    return 0;
bad:
    snprintf(d->err, sizeof d->err, "coupling_chains.tsv: missing or unexpected fits");
    return -1;
}

/* N* of (g, p) from the chains idx[0..reps) (metric 0: whole matrix, 1: NN couplings). */
static double bpl_nstar(const bpl_data *u, int metric, int g, int p, const int *idx, double tau, int *cens)
{
    double e[MAXN];
    for (int n = 0; n < u->nN; n++) {
        double s = 0;
        for (int j = 0; j < u->reps[g]; j++) s += metric ? u->nn[g][p][n][idx[j]] : u->full[g][p][n][idx[j]];
        e[n] = s / u->reps[g];
    }
    return crossing(u->N, e, u->nN, tau, cens);
}

/* The ratio N*(more)/N*(fewer) as the bounds it allows: *lo for lower
 * quantiles, *hi for upper ones (a censored N* leaves one side open).
 * -1 when the fewer-parameter model never reaches the target. */
static int bpl_ratio(double *lo, double *hi, double nm, int cm, double nf, int cf, double Nmax)
{
    if (cf == 2) return -1;
    double v = (cm == 2 ? Nmax : nm) / nf;
    *lo = cm == 1 ? 0.0 : v;
    *hi = cm == 2 || cf == 1 ? INFINITY : v;
    return 0;
}

/* The verdict from one value per (group, step) (a resample's, or the data's). */
static claims_verdict bpl_point(const bpl_data *u, double v[][NSTEP], int control_ok, double gap)
{
    if (!control_ok) return CLAIMS_INCONCLUSIVE;
    int far = 0;
    for (int s = 0; s < NSTEP; s++) {
        int any = 0, all = 1;
        for (int g = 0; g < u->ng; g++)
            if (u->has[g][step_more[s]] && u->has[g][step_fewer[s]]) any = 1, all &= v[g][s] >= gap;
        far += any && all;
    }
    return far == 2 ? CLAIMS_REPRODUCED : far == 1 ? CLAIMS_PARTLY : CLAIMS_NOT_REPRODUCED;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of x[0..n) (sorted in place). */
static double quantile(double *x, int n, double q)
{
    qsort(x, (size_t)n, sizeof *x, cmp_double);
    int i = (int)floor(q * (n - 1) + 0.5);
    return x[i < 0 ? 0 : i >= n ? n - 1 : i];
}

/* N* and the step ratios of one set of chains; 0 when the control passes. */
static int bpl_sample(const bpl_data *u, int idx[BPL_MAXG][BPL_MAXREP], double tau, double ns[][NPAR],
                      int cens[][NPAR], double lo[][NSTEP], double hi[][NSTEP])
{
    int ok = 1;
    for (int g = 0; g < u->ng; g++) {
        for (int p = 0; p < NPAR; p++)
            ns[g][p] = u->has[g][p] ? bpl_nstar(u, 0, g, p, idx[g], tau, &cens[g][p]) : NAN;
        for (int s = 0; s < NSTEP; s++) {
            int m = step_more[s], f = step_fewer[s];
            lo[g][s] = 0.0, hi[g][s] = INFINITY;
            if (!u->has[g][m] || !u->has[g][f]) continue;
            if (bpl_ratio(&lo[g][s], &hi[g][s], ns[g][m], cens[g][m], ns[g][f], cens[g][f], u->N[u->nN - 1]) != 0)
                ok = 0;
        }
    }
    return ok ? 0 : -1;
}

/* The rule at target tau and gap: observed N*, bootstrap quantiles, states, verdict, flip rate. */
static int bpl_eval(bpl_rule *r, const bpl_data *u, double tau, double gap)
{
    memset(r, 0, sizeof *r);
    r->tau = tau, r->gap = gap;
    int idx[BPL_MAXG][BPL_MAXREP], cens[BPL_MAXG][NPAR];
    for (int g = 0; g < BPL_MAXG; g++)
        for (int j = 0; j < BPL_MAXREP; j++) idx[g][j] = j;
    int control_ok = bpl_sample(u, idx, tau, r->nstar, r->cens, r->rlo, r->rhi) == 0;
    r->point = bpl_point(u, r->rlo, control_ok, gap);
    int B = BPL_BOOT, G = u->ng;
    double *bl = malloc(sizeof(double) * (size_t)(B * G * (NSTEP + NSTEP + NPAR))), *bh = bl + B * G * NSTEP;
    double *bn = bh + B * G * NSTEP, tmp[BPL_BOOT];
    if (!bl) return -1;
    rng_stream rg;
    rng_init(&rg, 0, BPL_KEY, 0);
    int flips = 0;
    for (int b = 0; b < B; b++) {
        double ns[BPL_MAXG][NPAR], lo[BPL_MAXG][NSTEP], hi[BPL_MAXG][NSTEP];
        for (int g = 0; g < G; g++)
            for (int j = 0; j < u->reps[g]; j++) idx[g][j] = (int)rng_below(&rg, (uint64_t)u->reps[g]);
        int ok = bpl_sample(u, idx, tau, ns, cens, lo, hi) == 0;
        flips += bpl_point(u, lo, ok, gap) != r->point;
        for (int g = 0; g < G; g++) {
            for (int s = 0; s < NSTEP; s++) bl[(g * NSTEP + s) * B + b] = lo[g][s], bh[(g * NSTEP + s) * B + b] = hi[g][s];
            for (int p = 0; p < NPAR; p++) bn[(g * NPAR + p) * B + b] = cens[g][p] == 2 ? INFINITY : ns[g][p];
        }
    }
    r->flip = (double)flips / B;
    for (int g = 0; g < G; g++) {
        for (int p = 0; p < NPAR; p++) {
            memcpy(tmp, bn + (g * NPAR + p) * B, sizeof(double) * (size_t)B);
            r->nlo[g][p] = quantile(tmp, B, BPL_Q), r->nhi[g][p] = quantile(tmp, B, 1 - BPL_Q);
        }
        for (int s = 0; s < NSTEP; s++) {
            r->qlo[g][s] = quantile(bl + (g * NSTEP + s) * B, B, BPL_Q);
            r->qhi[g][s] = quantile(bh + (g * NSTEP + s) * B, B, 1 - BPL_Q);
            int here = u->has[g][step_more[s]] && u->has[g][step_fewer[s]];
            r->state[g][s] = !here ? BPL_ABSENT : r->qlo[g][s] >= gap ? BPL_FAR : r->qhi[g][s] < gap ? BPL_NOTFAR
                                                                                                  : BPL_UNDECIDED;
        }
    }
    free(bl);
    int undecided = 0, far = 0;
    for (int s = 0; s < NSTEP; s++) {
        int any = 0, all_far = 1, some_not = 0;
        for (int g = 0; g < G; g++)
            if (r->state[g][s] != BPL_ABSENT)
                any = 1, all_far &= r->state[g][s] == BPL_FAR, some_not |= r->state[g][s] == BPL_NOTFAR;
        r->step[s] = !any ? BPL_ABSENT : all_far ? BPL_FAR : some_not ? BPL_NOTFAR : BPL_UNDECIDED;
        undecided |= r->step[s] == BPL_UNDECIDED || r->step[s] == BPL_ABSENT;
        far += r->step[s] == BPL_FAR;
    }
    const char *why = !control_ok ? "positive control failed: a restricted model never reaches the target"
                      : u->unconv > BPL_UNCONV * u->nfits ? "more than 1% of the fits did not converge"
                      : undecided ? "too little power: a step's bootstrap interval straddles the gap (or is censored)"
                                  : "";
    snprintf(r->why, sizeof r->why, "%s", why);
    r->verdict = why[0] ? CLAIMS_INCONCLUSIVE
                 : far == 2 ? CLAIMS_REPRODUCED : far == 1 ? CLAIMS_PARTLY : CLAIMS_NOT_REPRODUCED;
    return 0;
}

/* The first rule (before issue 17): error of the nearest-neighbour couplings
 * only, target 10%; order N*(shared) < N*(nn) <= N*(all) and N*(nn) >= 10
 * N*(shared) at every (L, T): reproduced; the order only: partly. */
static claims_verdict bpl_first(const bpl_data *u)
{
    int idx[BPL_MAXREP], cens, order_ok = 1, gap_ok = 1;
    for (int j = 0; j < BPL_MAXREP; j++) idx[j] = j;
    for (int g = 0; g < u->ng; g++) {
        double a = u->has[g][PAR_ALL] ? bpl_nstar(u, 1, g, PAR_ALL, idx, 0.1, &cens) : NAN;
        double b = bpl_nstar(u, 1, g, PAR_NN, idx, 0.1, &cens), c = bpl_nstar(u, 1, g, PAR_SHARED, idx, 0.1, &cens);
        order_ok &= c < b && (isnan(a) || b <= a);
        gap_ok &= b >= 10 * c;
    }
    return order_ok && gap_ok ? CLAIMS_REPRODUCED : order_ok ? CLAIMS_PARTLY : CLAIMS_NOT_REPRODUCED;
}

/* The group shown in the text: L = 8 at T_c, else the first. */
static int bpl_shown(const bpl_data *u)
{
    for (int g = 0; g < u->ng; g++)
        if (u->L[g] == 8 && fabs(u->T[g] - Ts[1]) < 1e-3) return g;
    return 0;
}

/* N* as text: "1.82e+03", ">1e+04" (never reached), "<=1" (at the smallest N). */
static void nstar_text(char *buf, size_t n, const bpl_data *u, double v, int cens)
{
    if (cens == 2) snprintf(buf, n, ">%.3g", u->N[u->nN - 1]);
    else if (cens == 1) snprintf(buf, n, "<=%.3g", u->N[0]);
    else snprintf(buf, n, "%.3g", v);
}

/* A ratio's observed bounds as text. */
static void ratio_text(char *buf, size_t n, double lo, double hi)
{
    if (lo == hi) snprintf(buf, n, "%.3g", lo);
    else if (isinf(hi) && lo > 0) snprintf(buf, n, ">%.3g", lo);
    else if (lo == 0 && !isinf(hi)) snprintf(buf, n, "<%.3g", hi);
    else snprintf(buf, n, "unknown");
}

int vd_bplearn(vd_result *r, vd_data *d)
{
    bpl_data *u = malloc(sizeof *u);
    bpl_rule *q = malloc(sizeof *q), *sq = malloc(sizeof *sq);
    int rc = u && q && sq && bpl_read(u, d) == 0 && bpl_eval(q, u, LEARN_TARGET, BPL_GAP) == 0 ? 0 : -1;
    int nrep = 0;
    for (int i = 0; rc == 0 && i < 9; i++) {
        rc = bpl_eval(sq, u, sens_tau[i / 3], sens_gap[i % 3]);
        nrep += sq->verdict == CLAIMS_REPRODUCED;
    }
    if (rc == 0) {
        int g = bpl_shown(u);
        char t[NPAR][32], rt[NSTEP][32];
        for (int p = 0; p < NPAR; p++) nstar_text(t[p], sizeof t[p], u, q->nstar[g][p], u->has[g][p] ? q->cens[g][p] : 2);
        for (int s = 0; s < NSTEP; s++) ratio_text(rt[s], sizeof rt[s], q->rlo[g][s], q->rhi[g][s]);
        r->verdict = q->verdict;
        vd_measured(r, "N* for %.0f%% error of the coupling matrix at L=%d, T=%.2f: all pairs %s, nn %s, shared %s; samples saved: locality %s x, symmetry %s x (gap %.0f x)",
                    100 * LEARN_TARGET, u->L[g], u->T[g], u->has[g][PAR_ALL] ? t[PAR_ALL] : "not fitted", t[PAR_NN],
                    t[PAR_SHARED], rt[STEP_LOC], rt[STEP_SYM], BPL_GAP);
        vd_paper(r, "qualitative (beyond the paper)");
        vd_note(r, "%s%slocality %s, symmetry %s over every (L, T) (bootstrap over chains, B = %d); the point estimates give %s, flip rate %.3f; reproduced at %d of 9 (target, gap) pairs; first rule (NN couplings, 10x for symmetry only): %s",
                q->why, q->why[0] ? "; " : "", state_name[q->step[STEP_LOC]], state_name[q->step[STEP_SYM]], BPL_BOOT,
                claims_verdict_name(q->point), q->flip, nrep, claims_verdict_name(bpl_first(u)));
        static const char *vn[NPAR] = {"nstar_all_L8_Tc", "nstar_nn_L8_Tc", "nstar_shared_L8_Tc"};
        for (int p = 0; p < NPAR; p++) /* 4 bootstrap standard deviations (90% interval = 3.29 sd); open: none */
            if (u->has[g][p]) vd_value(r, vn[p], q->cens[g][p] == 2 ? u->N[u->nN - 1] : q->nstar[g][p],
                                       q->cens[g][p] ? INFINITY : 4 * (q->nhi[g][p] - q->nlo[g][p]) / 3.29);
        for (int s = 0; s < NSTEP; s++) {
            double lo = INFINITY, tol = INFINITY;
            for (int k = 0; k < u->ng; k++)
                if (q->state[k][s] != BPL_ABSENT && q->rlo[k][s] < lo)
                    lo = q->rlo[k][s], tol = isinf(q->qhi[k][s]) ? INFINITY : 4 * (q->qhi[k][s] - q->qlo[k][s]) / 3.29;
            if (!isinf(lo)) vd_value(r, s == STEP_LOC ? "ratio_locality_min" : "ratio_symmetry_min", lo, tol);
        }
    }
    free(u), free(q), free(sq);
    return rc;
}

/* --- reduce: the rule's tables and macros for the chapter ---------------------------------------
 * Computed by the rule itself on the staged data, so the chapter shows what
 * the verdict used: N* with bootstrap intervals (coupling_nstar.tsv, beside
 * the first rule's N*), the slope of log N* against log P per segment with
 * its bootstrap interval (coupling_slopes.tsv), and the verdict over the
 * grid of targets and gaps (coupling_sensitivity.tsv). */
static int nstar_table(run_set *set, const bpl_data *u, const bpl_rule *q, const learn_sum *s)
{
    binio_file f;
    if (run_tsv_open(&f, set, "coupling_nstar",
                     "L\tT\tparam\tP\tnstar\tcensored\tnstar_full\tcensored_full\tnstar_lo\tnstar_hi") != 0)
        return -1;
    for (int g = 0; g < u->ng; g++) {
        int li = u->L[g] == Ls[0] ? 0 : 1, ti = 0;
        while (ti < NT - 1 && fabs(Ts[ti] - u->T[g]) > 1e-3) ti++;
        for (int p = 0; p < NPAR; p++)
            if (u->has[g][p])
                fprintf(f.f, "%d\t%.4f\t%s\t%d\t%.4g\t%d\t%.4g\t%d\t%.4g\t%.4g\n", u->L[g], u->T[g], par_name[p],
                        npar_of(u->L[g], p), s->nstar[li][ti][p], s->cens[li][ti][p], q->nstar[g][p], q->cens[g][p],
                        q->nlo[g][p], q->nhi[g][p]);
    }
    return run_close(set, &f);
}

/* slope = log(ratio) / log(P more / P fewer); open bounds stay open. */
static double slope_of(double ratio, double lp) { return ratio <= 0 ? -INFINITY : isinf(ratio) ? INFINITY : log(ratio) / lp; }

static int slopes_table(run_set *set, const bpl_data *u, const bpl_rule *q, char *rows, size_t nrows)
{
    binio_file f;
    if (run_tsv_open(&f, set, "coupling_slopes",
                     "L\tT\tsegment\tP_from\tP_to\tratio_lo\tratio_hi\tslope_lo\tslope_hi\tboot_slope_lo\tboot_slope_hi\tstate") != 0)
        return -1;
    rows[0] = '\0';
    for (int g = 0; g < u->ng; g++)
        for (int s = 0; s < NSTEP; s++) {
            if (q->state[g][s] == BPL_ABSENT) continue;
            int pf = npar_of(u->L[g], step_fewer[s]), pm = npar_of(u->L[g], step_more[s]);
            double lp = log((double)pm / pf);
            double sl = slope_of(q->rlo[g][s], lp), sh = slope_of(q->rhi[g][s], lp);
            double bl = slope_of(q->qlo[g][s], lp), bh = slope_of(q->qhi[g][s], lp);
            fprintf(f.f, "%d\t%.4f\t%s\t%d\t%d\t%.4g\t%.4g\t%.4f\t%.4f\t%.4f\t%.4f\t%s\n", u->L[g], u->T[g], step_name[s],
                    pf, pm, q->rlo[g][s], q->rhi[g][s], sl, sh, bl, bh, state_name[q->state[g][s]]);
            char row[256], a[32], b[32];
            snprintf(a, sizeof a, sl == sh ? "%.2f" : isinf(sh) ? "$\\ge %.2f$" : "?", sl);
            snprintf(b, sizeof b, isinf(bh) ? "[%.2f, $\\infty$)" : "[%.2f, %.2f]", isinf(bl) ? 0.0 : bl, bh);
            snprintf(row, sizeof row, "%d & %.3f & %s & %d $\\to$ %d & %s & %s & %s\\\\ ", u->L[g], u->T[g],
                     step_name[s], pm, pf, a, b, state_name[q->state[g][s]]);
            strncat(rows, row, nrows - strlen(rows) - 1);
        }
    return run_close(set, &f);
}

static int sensitivity_table(run_set *set, const bpl_data *u, char *rows, size_t nrows)
{
    binio_file f;
    bpl_rule *r = malloc(sizeof *r);
    if (!r || run_tsv_open(&f, set, "coupling_sensitivity", "target\tgap\tverdict\tlocality\tsymmetry\tflip") != 0) {
        free(r);
        return -1;
    }
    rows[0] = '\0';
    for (int i = 0; i < 9; i++) {
        bpl_eval(r, u, sens_tau[i / 3], sens_gap[i % 3]);
        fprintf(f.f, "%.2f\t%.0f\t%s\t%s\t%s\t%.3f\n", r->tau, r->gap, claims_verdict_name(r->verdict),
                state_name[r->step[STEP_LOC]], state_name[r->step[STEP_SYM]], r->flip);
        char row[256];
        snprintf(row, sizeof row, "%.0f\\%% & %.0f$\\times$ & %s & %s & \\verdictbox{%s} & %.3f\\\\ ", 100 * r->tau, r->gap,
                 state_name[r->step[STEP_LOC]], state_name[r->step[STEP_SYM]], claims_verdict_name(r->verdict), r->flip);
        strncat(rows, row, nrows - strlen(rows) - 1);
    }
    free(r);
    return run_close(set, &f);
}

/* N* as LaTeX. */
static void nstar_tex(char *buf, size_t n, const bpl_data *u, const bpl_rule *q, int g, int p)
{
    if (!u->has[g][p]) snprintf(buf, n, "not fitted");
    else if (q->cens[g][p] == 2) snprintf(buf, n, "$>%.0f$", u->N[u->nN - 1]);
    else if (q->cens[g][p] == 1) snprintf(buf, n, "$\\le %.0f$", u->N[0]);
    else snprintf(buf, n, q->nstar[g][p] >= 10 ? "%.0f" : "%.2f", q->nstar[g][p]);
}

static int rule_outputs(run_set *set, const learn_grid *lg, const learn_sum *s)
{
    char dir[4200], slopes[4096], sens[4096], t[NPAR][32], rl[32], rs[32], old[32];
    snprintf(dir, sizeof dir, "%s/data", set->dir);
    vd_data d;
    vd_data_init(&d, dir);
    bpl_data *u = malloc(sizeof *u);
    bpl_rule *q = malloc(sizeof *q);
    int rc = u && q && bpl_read(u, &d) == 0 && bpl_eval(q, u, LEARN_TARGET, BPL_GAP) == 0 ? 0 : -1;
    vd_data_clear(&d);
    if (rc == 0) rc = nstar_table(set, u, q, s) || slopes_table(set, u, q, slopes, sizeof slopes) ||
                      sensitivity_table(set, u, sens, sizeof sens) ? -1 : 0;
    if (rc == 0) {
        int g = bpl_shown(u);
        for (int p = 0; p < NPAR; p++) nstar_tex(t[p], sizeof t[p], u, q, g, p);
        snprintf(rl, sizeof rl, isinf(q->rhi[g][STEP_LOC]) ? "more than %.1f" : "%.1f", q->rlo[g][STEP_LOC]);
        snprintf(rs, sizeof rs, "%.0f", q->rlo[g][STEP_SYM]);
        snprintf(old, sizeof old, "%.1f", s->nstar[0][1][PAR_ALL] / s->nstar[0][1][PAR_NN]);
        const texmac m[] = {
            TEXMAC_S("CountLearnNstarAll", t[PAR_ALL]),   TEXMAC_S("CountLearnNstarNN", t[PAR_NN]),
            TEXMAC_S("CountLearnNstarShared", t[PAR_SHARED]), TEXMAC_S("CountLearnRatioLoc", rl),
            TEXMAC_S("CountLearnRatioSym", rs),           TEXMAC_S("CountLearnRatioLocFirst", old),
            TEXMAC_N("CountLearnNstarAllFirst", 3, s->nstar[0][1][PAR_ALL]),
            TEXMAC_N("CountLearnNstarNNFirst", 3, s->nstar[0][1][PAR_NN]),
            TEXMAC_S("CountLearnStateLoc", state_name[q->step[STEP_LOC]]),
            TEXMAC_S("CountLearnStateSym", state_name[q->step[STEP_SYM]]),
            TEXMAC_S("CountLearnFirstVerdict", claims_verdict_name(bpl_first(u))),
            TEXMAC_F("CountLearnFlip", 3, q->flip),       TEXMAC_I("CountLearnBoot", BPL_BOOT),
            TEXMAC_S("CountLearnPointVerdict", claims_verdict_name(q->point)),
            TEXMAC_N("CountLearnGap", 2, BPL_GAP),        TEXMAC_S("CountLearnSlopeRows", slopes),
            TEXMAC_S("CountLearnSensRows", sens),         TEXMAC_N("CountLearnTarget", 2, LEARN_TARGET),
            TEXMAC_I("CountLearnReps", lg->reps),         TEXMAC_I("CountLearnSpacing", SPACING),
            TEXMAC_I("CountLearnBurn", BURN),             TEXMAC_N("CountLearnNmax", 3, lg->Nmax),
            TEXMAC_N("CountLearnNtest", 3, lg->ntest),    TEXMAC_I("CountLearnUnconverged", s->unconv),
            TEXMAC_S("CountLearnLs", lg->nL > 1 ? "8 and 16" : "8"),
            TEXMAC_I("CountLearnAllPairsEight", npar_of(8, PAR_ALL)),
            TEXMAC_I("CountLearnOffPairsEight", npar_of(8, PAR_ALL) - npar_of(8, PAR_NN)),
        };
        rc = run_macros(set, m, TEXMAC_LEN(m));
    }
    free(u), free(q);
    return rc;
}

static int reduce_bplearn(const learn_grid *g, const chain_fits *cf, run_set *set)
{
    learn_sum s;
    memset(&s, 0, sizeof s);
    if (learn_tables(g, cf, set, &s) != 0) return -1;
    return rule_outputs(set, g, &s);
}

static int learn_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    learn_grid g = grid(ctx);
    if (n != learn_ncells(ctx)) return -1;
    chain_fits *cf = calloc((size_t)n, sizeof *cf);
    if (!cf) return -1;
    size_t k = (size_t)(NPAR * g.nN);
    for (int c = 0; c < n; c++) {
        cellio_get_f64s(&in[c], cf[c].err, k);
        cellio_get_f64s(&in[c], cf[c].off, k);
        cellio_get_f64s(&in[c], cf[c].full, k);
        cellio_get_f64s(&in[c], cf[c].dpl, k);
        cellio_get_ints(&in[c], cf[c].converged, k);
    }
    int rc = reduce_bplearn(&g, cf, set);
    free(cf);
    return rc;
}

const exp_def exp_coupling_recovery_def = {learn_ncells, learn_cell, learn_reduce, 0};
