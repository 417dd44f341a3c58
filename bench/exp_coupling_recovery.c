/* Chapter 3, experiment `coupling-recovery`: BP-LEARN (beyond the paper),
 * cheap learning measured.  Recover the couplings of a 2-D Ising model from
 * Monte Carlo samples by maximum pseudo-likelihood with (a) all pairwise
 * couplings, (b) nearest-neighbour couplings only, (c) one shared
 * nearest-neighbour coupling, and find the sample size N* at which each
 * reaches LEARN_TARGET relative error.
 *
 * One cell per (L, T, repetition): its training chain (nested prefixes give
 * the N ladder), the test chain of its (L, T) and every fit on them (three
 * parametrizations x the N ladder; all-pairs at L = 8 only).  The chains
 * keep their streams 1000 + their index in the old (L, T, rep | test)
 * order, so every cell draws the same samples as before, and the test
 * chain is drawn again by each repetition's cell.  Reduce averages the
 * repetitions, interpolates N* and decides the claim. */
#include "claims.h"
#include "experiments.h"
#include "ising.h"
#include "plik.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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
    double err[NPAR * MAXN], off[NPAR * MAXN], dpl[NPAR * MAXN];
    int converged[NPAR * MAXN];
} chain_fits;

/* Relative RMS error of the NN couplings, and RMS of the non-NN ones. */
static void coupling_errors(double *err, double *off, const plik_param *p, const plik_param *nn,
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
    coupling_errors(&o->err[k], &o->off[k], &p, &nn, theta, K);
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
            if (par == PAR_ALL && L > 8) o->err[k] = NAN; /* all-pairs at L = 8 only */
            else fit_one(o, k, par, ni, L, Ts[ti], train, test, g.ntest);
        }
    if (rc == 0) {
        size_t n = (size_t)(NPAR * g.nN);
        cellio_put_f64s(out, o->err, n);
        cellio_put_f64s(out, o->off, n);
        cellio_put_f64s(out, o->dpl, n);
        cellio_put_ints(out, o->converged, n);
    } else
        fprintf(stderr, "deepcheap: coupling-recovery: cell %d: out of memory or bad chain\n", c);
    free(train), free(test), free(o);
    return rc;
}

/* --- reduce: BP-LEARN -------------------------------------------------------------------------- */
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
    double nstar[2][NT][NPAR], logP[64], logN[64];
    int npts, unconv, censored;
} learn_sum;

/* The mean error curve of one (L, T, parametrization) over the repetitions
 * (a row per N), and its N*. */
static void learn_curve(FILE *tsv, FILE *ts, const learn_grid *g, const chain_fits *cf, int li, int ti, int par,
                        learn_sum *s)
{
    int L = Ls[li], P = par == PAR_ALL ? L * L * (L * L - 1) / 2 : par == PAR_NN ? 2 * L * L : 1, m = 0, cens = 0;
    double Ns[MAXN], es[MAXN];
    for (int ni = 0; ni < g->nN; ni++) {
        double e = 0, e2 = 0, d = 0, d2 = 0, off = 0;
        int k = 0, unconv = 0;
        for (int rep = 0; rep < g->reps; rep++) {
            const chain_fits *o = &cf[(li * NT + ti) * g->reps + rep];
            int j = par * g->nN + ni;
            if (isnan(o->err[j])) continue;
            e += o->err[j]; e2 += o->err[j] * o->err[j]; d += o->dpl[j]; d2 += o->dpl[j] * o->dpl[j];
            off += o->off[j]; k++; unconv += !o->converged[j];
        }
        if (!k) continue;
        double mean = e / k, se = k > 1 ? sqrt(fmax(e2 / k - mean * mean, 0) / (k - 1)) : 0;
        double dm = d / k, dse = k > 1 ? sqrt(fmax(d2 / k - dm * dm, 0) / (k - 1)) : 0;
        s->unconv += unconv;
        fprintf(tsv, "%d\t%.4f\t%s\t%d\t%.0f\t%.5e\t%.2e\t%.3e\t%.5e\t%.2e\t%d\t%d\n", L, Ts[ti], par_name[par], P,
                Nfull[ni], mean, se, off / k, dm, dse, k, unconv);
        Ns[m] = Nfull[ni], es[m] = mean, m++;
    }
    double *ns = &s->nstar[li][ti][par];
    *ns = m ? crossing(Ns, es, m, LEARN_TARGET, &cens) : NAN;
    if (m) fprintf(ts, "%d\t%.4f\t%s\t%d\t%.4g\t%d\n", L, Ts[ti], par_name[par], P, *ns, cens);
    if (m && !cens) s->logP[s->npts] = log(P), s->logN[s->npts] = log(*ns), s->npts++;
    s->censored += m && cens;
}

/* Writes the error curves and the N* table. */
static int learn_tables(const learn_grid *g, const chain_fits *cf, run_set *set, learn_sum *s)
{
    binio_file tsv, ts;
    if (run_tsv_open(&tsv, set, "coupling_recovery",
                     "L\tT\tparam\tP\tN\terr\terr_se\toff_rms\tdpl\tdpl_se\treps\tunconverged") != 0)
        return -1;
    if (run_tsv_open(&ts, set, "coupling_nstar", "L\tT\tparam\tP\tnstar\tcensored") != 0) {
        run_abort_file(set, &tsv);
        return -1;
    }
    for (int li = 0; li < g->nL; li++)
        for (int ti = 0; ti < NT; ti++)
            for (int par = 0; par < NPAR; par++) learn_curve(tsv.f, ts.f, g, cf, li, ti, par, s);
    int rc = run_close(set, &tsv);
    return run_close(set, &ts) != 0 || rc != 0 ? -1 : 0;
}

static int reduce_bplearn(const learn_grid *g, const chain_fits *cf, run_set *set)
{
    learn_sum s = {0};
    if (learn_tables(g, cf, set, &s) != 0) return -1;
    /* ordering: shared < nn (< all where fitted), and "far fewer": >= 10x */
    int order_ok = 1, gap_ok = 1;
    for (int li = 0; li < g->nL; li++)
        for (int ti = 0; ti < NT; ti++) {
            double a = s.nstar[li][ti][PAR_ALL], b = s.nstar[li][ti][PAR_NN], c = s.nstar[li][ti][PAR_SHARED];
            order_ok &= c < b && (isnan(a) || b <= a);
            gap_ok &= b >= 10 * c;
        }
    double sx = 0, sy = 0, sxx = 0, sxy = 0; /* N* ~ P^alpha */
    for (int i = 0; i < s.npts; i++) {
        sx += s.logP[i]; sy += s.logN[i]; sxx += s.logP[i] * s.logP[i]; sxy += s.logP[i] * s.logN[i];
    }
    double alpha = s.npts > 1 ? (s.npts * sxy - sx * sy) / (s.npts * sxx - sx * sx) : NAN;
    const double *tc = s.nstar[0][1]; /* L = 8, T_c */
    const texmac m[] = {
        TEXMAC_N("CountLearnTarget", 2, LEARN_TARGET), TEXMAC_N("CountLearnAlpha", 2, alpha),
        TEXMAC_I("CountLearnPoints", s.npts),          TEXMAC_I("CountLearnCensored", s.censored),
        TEXMAC_I("CountLearnReps", g->reps),           TEXMAC_I("CountLearnSpacing", SPACING),
        TEXMAC_I("CountLearnBurn", BURN),              TEXMAC_N("CountLearnNmax", 3, g->Nmax),
        TEXMAC_N("CountLearnNtest", 3, g->ntest),      TEXMAC_I("CountLearnUnconverged", s.unconv),
        TEXMAC_S("CountLearnLs", g->nL > 1 ? "8 and 16" : "8"),
        TEXMAC_N("CountLearnNstarAll", 3, tc[PAR_ALL]), TEXMAC_N("CountLearnNstarNN", 3, tc[PAR_NN]),
        TEXMAC_N("CountLearnNstarShared", 3, tc[PAR_SHARED]),
    };
    if (run_macros(set, m, TEXMAC_LEN(m)) != 0) return -1;
    char t[256];
    snprintf(t, sizeof t, "N* for 10%% error at L=8, T_c: all %.3g, nn %.3g, shared %.3g; N* ~ P^%.2f", tc[PAR_ALL],
             tc[PAR_NN], tc[PAR_SHARED], alpha);
    claims_verdict v = order_ok && gap_ok ? CLAIMS_REPRODUCED : order_ok ? CLAIMS_PARTLY : CLAIMS_NOT_REPRODUCED;
    return claims_emit(set, "BP-LEARN", v, t, "qualitative (beyond the paper)",
                       "order N*(shared) < N*(nn) <= N*(all) and >= 10x gap at every (L, T)");
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
        cellio_get_f64s(&in[c], cf[c].dpl, k);
        cellio_get_ints(&in[c], cf[c].converged, k);
    }
    int rc = reduce_bplearn(&g, cf, set);
    free(cf);
    return rc;
}

const exp_def exp_coupling_recovery_def = {learn_ncells, learn_cell, learn_reduce, 0};
