/* Chapter 6, experiment `rbm-kl` (BP-KL): exact KL divergence of trained
 * RBMs to the L = 4 Boltzmann distribution against the hidden width, with
 * ln Z by enumeration over the visible and over the hidden states.
 *
 * The grid: one cell per trained model, cell = (t * nw + wi) * reps + rep
 * (temperature, width, repetition) as before the split, keyed by the cell
 * number.  Each cell rebuilds the exact distribution of its temperature and
 * draws the training samples from it by inversion (keyed by the
 * temperature), so it depends on nothing else.  Reduce writes the tables
 * and the macros; the verdict (vd_rbm_kl) reads rbm_kl.tsv. */
#include "ch6_util.h"
#include "claims.h"
#include "experiments.h"
#include "ising.h"
#include "rbm.h"
#include "verdicts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Training settings (the chapter quotes these macros). */
#define KL_L 4
#define KL_NV 16
#define KL_K 5            /* PCD-k */
#define KL_BATCH 100
#define KL_LR0 0.1
#define KL_LR1 0.01
#define KL_MOMENTUM 0.5
#define KL_SD0 0.1        /* W ~ N(0, (sd0 / sqrt(nv nh))^2), the authors' scale */
#define KL_NT 3

static const double kl_T[KL_NT] = {1.8, ISING_TC, 3.0};
static const int kl_wf[7] = {1, 2, 4, 8, 16, 32, 64}, kl_wq[3] = {2, 8, 32};

typedef struct {
    const int *ws;
    int nw, reps, epochs, nsamp;
} kl_grid;

static kl_grid kl_grid_of(const exp_ctx *ctx)
{
    int full = ctx->scale == EXP_FULL;
    kl_grid g = {full ? kl_wf : kl_wq, full ? 7 : 3, full ? 3 : 1, full ? 60 : 30, full ? 10000 : 4000};
    return g;
}

static int kl_ncells(const exp_ctx *ctx)
{
    kl_grid g = kl_grid_of(ctx);
    return KL_NT * g.nw * g.reps;
}

/* Exact Boltzmann probabilities of the L = 4 torus (bit i of k = spin i up). */
static void exact_p(double *p, double *e, double T)
{
    double Z = 0, mx = -INFINITY;
    for (int k = 0; k < 1 << KL_NV; k++) {
        float v[KL_NV];
        double m;
        for (int i = 0; i < KL_NV; i++) v[i] = (float)((k >> i) & 1);
        ch6_torus_obs(&e[k], &m, v, KL_L);
        mx = fmax(mx, -e[k] * KL_NV / T);
    }
    for (int k = 0; k < 1 << KL_NV; k++) Z += p[k] = exp(-e[k] * KL_NV / T - mx);
    for (int k = 0; k < 1 << KL_NV; k++) p[k] /= Z;
}

/* Exact samples of p by inversion of the cumulative distribution, keyed by the temperature t. */
static int exact_samples(float *data, const double *p, int nsamp, uint64_t seed, int t)
{
    double *cdf = malloc(sizeof(double) << KL_NV), c = 0;
    if (!cdf) return -1;
    for (int k = 0; k < 1 << KL_NV; k++) cdf[k] = c += p[k];
    rng_stream r;
    rng_init(&r, seed, (uint32_t)t, 1);
    for (int q = 0; q < nsamp; q++) {
        double x = rng_uniform(&r) * c;
        int lo = 0, hi = (1 << KL_NV) - 1;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (cdf[mid] > x) hi = mid; else lo = mid + 1;
        }
        for (int i = 0; i < KL_NV; i++) data[(size_t)q * KL_NV + i] = (float)((lo >> i) & 1);
    }
    free(cdf);
    return 0;
}

/* listing: klexact */
// KL(p || q) = sum_v p(v) [ln p(v) + F(v)] + ln Z, with ln Z from one route.
// The float error budget of either route: every term of the sum over 2^n
// states carries a relative error below (2^n + n + m) eps in double
// (sequential summation bound), so the routes may differ by at most
// tol = 4 (2^nv + 2^nh) eps (1 + |ln Z|).
static double kl_exact(const double *p, const rbm_model *m, double lnz)
{
    double s = 0;
    float v[KL_NV];
    for (int k = 0; k < 1 << KL_NV; k++) {
        if (p[k] == 0) continue;
        for (int i = 0; i < KL_NV; i++) v[i] = (float)((k >> i) & 1);
        s += p[k] * (log(p[k]) + rbm_free_energy(m, v));
    }
    return s + lnz;
}
/* end: klexact */

/* What a cell reports: ln Z over visible and hidden states (NaN for nh > 20),
 * KL from either, the tolerance, the model's and the exact mean energy, and
 * the KL of the exact distribution to the uniform one. */
enum { R_LNZV, R_LNZH, R_KLV, R_KLH, R_TOL, R_EMODEL, R_EEXACT, R_KLU, R_N };

/* Trains the model of cell c on samples of p and measures it into o[R_N]. */
static int kl_model(double *o, const kl_grid *g, const double *p, const double *Ek, const float *data, int c,
                    uint64_t seed)
{
    int nh = g->ws[c / g->reps % g->nw];
    rbm_model m;
    if (rbm_model_init(&m, KL_NV, nh)) return -1;
    rng_stream r;
    rng_init(&r, seed, (uint32_t)c, 2);
    rbm_init_normal(&m, &r, KL_SD0 / sqrt((double)KL_NV * nh));
    rbm_train_opts opt = {KL_K, 1, KL_BATCH, g->epochs, KL_LR0, KL_LR1, 0, 0, KL_MOMENTUM, 1, KL_L};
    int fail = rbm_train(&m, data, (size_t)g->nsamp, &opt, seed, (uint32_t)(1000 + c)) != 0;
    double lnzh = NAN, em = 0;
    fail |= rbm_lnz_visible(&o[R_LNZV], &m) != 0;
    if (nh <= 20) fail |= rbm_lnz_hidden(&lnzh, &m) != 0;
    o[R_LNZH] = lnzh;
    o[R_KLV] = kl_exact(p, &m, o[R_LNZV]);
    o[R_KLH] = nh <= 20 ? kl_exact(p, &m, lnzh) : NAN;
    o[R_TOL] = 4 * (ldexp(1, KL_NV) + ldexp(1, nh <= 20 ? nh : 0)) * 2.220446049250313e-16 * (1 + fabs(o[R_LNZV]));
    double *lq = malloc(sizeof(double) << KL_NV);
    if (lq && !rbm_log_marginal_all(lq, &m, o[R_LNZV])) {
        for (int k = 0; k < 1 << KL_NV; k++) em += exp(lq[k]) * Ek[k];
    } else fail = 1;
    o[R_EMODEL] = em;
    free(lq);
    rbm_model_clear(&m);
    return fail ? -1 : 0;
}

static int kl_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    kl_grid g = kl_grid_of(ctx);
    int t = c / (g.nw * g.reps), rc = -1;
    double *p = malloc(sizeof(double) << KL_NV), *Ek = malloc(sizeof(double) << KL_NV), o[R_N];
    float *data = malloc(sizeof(float) * (size_t)g.nsamp * KL_NV);
    if (p && Ek && data) {
        exact_p(p, Ek, kl_T[t]);
        double ent = 0, ue = 0;
        for (int k = 0; k < 1 << KL_NV; k++) {
            if (p[k] > 0) ent -= p[k] * log(p[k]);
            ue += p[k] * Ek[k];
        }
        o[R_EEXACT] = ue;
        o[R_KLU] = KL_NV * log(2.0) - ent; /* KL to the uniform (independent spins) */
        rbm_blas_single_thread();
        rc = exact_samples(data, p, g.nsamp, ctx->seed, t) || kl_model(o, &g, p, Ek, data, c, ctx->seed) ? -1 : 0;
    }
    if (rc == 0) cellio_put_f64s(out, o, R_N);
    free(p), free(Ek), free(data);
    return rc;
}

/* --- reduce -------------------------------------------------------------------------------- */

typedef struct {
    int nchk;
    double worst, worst_ratio;
    double klm[KL_NT][7], klu[KL_NT];
} kl_sum;

/* Both tables; the route checks and the mean KL per (T, width) into s. */
static int kl_tables(const kl_grid *g, cellio_in *in, run_set *set, kl_sum *s)
{
    binio_file tsv, mtsv;
    if (run_tsv_open(&tsv, set, "rbm_kl", "T\tnh\trep\tlnz_v\tlnz_h\tdlnz\ttol\tkl\tkl_h\te_model\te_exact\tkl_uniform\tdkl"))
        return -1;
    if (run_tsv_open(&mtsv, set, "rbm_kl_mean", "T\tnh\tkl\tkl_se\tkl_uniform")) return -1;
    s->nchk = 0, s->worst = 0, s->worst_ratio = 0;
    for (int t = 0; t < KL_NT; t++)
        for (int wi = 0; wi < g->nw; wi++) {
            double sum = 0, s2 = 0;
            for (int rep = 0; rep < g->reps; rep++) {
                double o[R_N];
                cellio_get_f64s(&in[(t * g->nw + wi) * g->reps + rep], o, R_N);
                double d = o[R_LNZH] - o[R_LNZV];
                if (!isnan(o[R_LNZH])) {
                    s->nchk++;
                    if (fabs(d) > s->worst) s->worst = fabs(d);
                    if (fabs(d) / o[R_TOL] > s->worst_ratio) s->worst_ratio = fabs(d) / o[R_TOL];
                }
                sum += o[R_KLV];
                s2 += o[R_KLV] * o[R_KLV];
                s->klu[t] = o[R_KLU];
                fprintf(tsv.f, "%.6f\t%d\t%d\t%.12f\t%.12f\t%.3e\t%.3e\t%.8f\t%.8f\t%.6f\t%.6f\t%.6f\t%.3e\n", kl_T[t],
                        g->ws[wi], rep, o[R_LNZV], o[R_LNZH], d, o[R_TOL], o[R_KLV], o[R_KLH], o[R_EMODEL], o[R_EEXACT],
                        o[R_KLU], o[R_KLH] - o[R_KLV]);
            }
            double mean = sum / g->reps, se = g->reps > 1 ? sqrt(fmax(s2 / g->reps - mean * mean, 0) / (g->reps - 1)) : 0;
            s->klm[t][wi] = mean;
            fprintf(mtsv.f, "%.6f\t%d\t%.8f\t%.3e\t%.6f\n", kl_T[t], g->ws[wi], mean, se, s->klu[t]);
        }
    return run_close(set, &tsv) | run_close(set, &mtsv) ? -1 : 0;
}

static int kl_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    kl_grid g = kl_grid_of(ctx);
    kl_sum s;
    if (n != kl_ncells(ctx) || kl_tables(&g, in, set, &s) != 0) return -1;
    const int nw = g.nw;
    texmac m[13 + 4 * KL_NT] = {
        TEXMAC_I("IsingRbmKlEpochs", g.epochs),    TEXMAC_I("IsingRbmKlSamples", g.nsamp),
        TEXMAC_I("IsingRbmKlReps", g.reps),        TEXMAC_I("IsingRbmKlK", KL_K),
        TEXMAC_I("IsingRbmKlBatch", KL_BATCH),     TEXMAC_F("IsingRbmKlLrZero", 3, KL_LR0),
        TEXMAC_F("IsingRbmKlLrOne", 3, KL_LR1),    TEXMAC_F("IsingRbmKlMomentum", 2, KL_MOMENTUM),
        TEXMAC_I("IsingRbmKlWmin", g.ws[0]),       TEXMAC_I("IsingRbmKlWmax", g.ws[nw - 1]),
        TEXMAC_I("IsingRbmKlChecks", s.nchk),      TEXMAC_N("IsingRbmKlWorstDiff", 2, s.worst),
        TEXMAC_N("IsingRbmKlWorstRatio", 2, s.worst_ratio),
    };
    const char *tn[KL_NT] = {"Low", "Crit", "High"};
    char names[4 * KL_NT][40];
    for (int t = 0, k = 13; t < KL_NT; t++) {
        const char *what[4] = {"T", "Uniform", "Small", "Big"};
        const double v[4] = {kl_T[t], s.klu[t], s.klm[t][0], s.klm[t][nw - 1]};
        for (int q = 0; q < 4; q++, k++) {
            snprintf(names[k - 13], sizeof names[0], "IsingRbmKl%s%s", what[q], tn[t]);
            m[k] = q == 0 ? (texmac)TEXMAC_F(names[k - 13], 3, v[q]) : (texmac)TEXMAC_N(names[k - 13], 3, v[q]);
        }
    }
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* --- the verdict ------------------------------------------------------------------------------- */

/* rbm_kl.tsv as read back: rows (T, nh, rep) in the experiment's order. */
typedef struct {
    int nt, nw, nr, nchk, nagree, nkl, nklok, nlearn;
    double T[8], klu[8], worst, worst_ratio;
    int ws[16];
    double mean[8][16], se[8][16], tol[8][16];
} kl_read;

static int kl_index(double *a, int *n, int cap, double v)
{
    for (int i = 0; i < *n; i++)
        if (fabs(a[i] - v) < 1e-9) return i;
    return *n < cap ? (a[(*n)++] = v, *n - 1) : -1;
}

static int kl_load(vd_data *d, kl_read *k)
{
    memset(k, 0, sizeof *k);
    const tsv_table *t = vd_table(d, "rbm_kl.tsv");
    if (!t) return -1;
    static const char *const name[8] = {"T", "nh", "dlnz", "tol", "kl", "dkl", "kl_uniform", "rep"};
    int col[8], cnt[8][16] = {{0}};
    double ws[16], s2[8][16] = {{0}};
    for (int q = 0; q < 8; q++)
        if ((col[q] = vd_col(d, t, name[q])) < 0) return -1;
    for (int i = 0; i < t->nrows; i++) {
        double x[8];
        for (int q = 0; q < 8; q++) x[q] = tsv_num(t, i, col[q]);
        int ti = kl_index(k->T, &k->nt, 8, x[0]), wi = kl_index(ws, &k->nw, 16, x[1]);
        if (ti < 0 || wi < 0) return snprintf(d->err, sizeof d->err, "rbm_kl.tsv: too many temperatures or widths"), -1;
        if (!isnan(x[2])) { /* both routes exist (nh <= 20) */
            k->nchk++;
            k->nagree += fabs(x[2]) <= x[3] && fabs(x[5]) <= x[3];
            k->worst = fmax(k->worst, fabs(x[2]));
            k->worst_ratio = fmax(k->worst_ratio, fabs(x[2]) / x[3]);
        }
        k->nkl++;
        k->nklok += x[4] >= -x[3];
        k->nlearn += x[4] < x[6];
        k->klu[ti] = x[6];
        k->mean[ti][wi] += x[4], s2[ti][wi] += x[4] * x[4], cnt[ti][wi]++;
        k->tol[ti][wi] = fmax(k->tol[ti][wi], x[3]);
        if ((int)x[7] + 1 > k->nr) k->nr = (int)x[7] + 1;
    }
    for (int w = 0; w < k->nw; w++) k->ws[w] = (int)ws[w];
    for (int ti = 0; ti < k->nt; ti++)
        for (int w = 0; w < k->nw; w++) {
            int n = cnt[ti][w];
            if (n == 0) return snprintf(d->err, sizeof d->err, "rbm_kl.tsv: a (T, nh) cell is empty"), -1;
            double m = k->mean[ti][w] /= n;
            k->se[ti][w] = n > 1 ? sqrt(fmax(s2[ti][w] / n - m * m, 0) / (n - 1)) : NAN;
        }
    return k->nkl > 0 && k->nw >= 2 ? 0 : (snprintf(d->err, sizeof d->err, "rbm_kl.tsv: fewer than two widths"), -1);
}

/* listing: klverdict */
// The precondition, stated before the runs: ln Z enumerated over the
// visible and over the hidden states agree within the summation bound (and
// so do the two KL values) in every cell with nh <= 20 (at least one), and
// no KL is below -tol.  It fails: not reproduced.  It holds: the exact KL is
// computed, and the verdict reports what it shows against the width (mean
// over repetitions, smallest to largest nh; the steps between neighbouring
// widths where it falls).  No rule on KL vs width is stated yet: without a
// convergence criterion and with 1 (quick) or 3 (full) repetitions, the curve
// measures the training budget as much as the capacity (issue 17 defers it
// to the redesign of this experiment's training).
int vd_rbm_kl(vd_result *r, vd_data *d)
{
    kl_read k;
    if (kl_load(d, &k) != 0) return -1;
    int pre = k.nchk > 0 && k.nagree == k.nchk && k.nklok == k.nkl, falls = 0, c = 0;
    for (int t = 0; t < k.nt; t++) {
        for (int w = 0; w + 1 < k.nw; w++) falls += k.mean[t][w + 1] < k.mean[t][w];
        if (fabs(k.T[t] - ISING_TC) < fabs(k.T[c] - ISING_TC)) c = t;
    }
    char curve[256] = "";
    size_t n = 0;
    for (int t = 0; t < k.nt && n < sizeof curve; t++)
        n += snprintf(curve + n, sizeof curve - n, "%sT=%.3g %.3g to %.3g", t ? ", " : "", k.T[t], k.mean[t][0],
                      k.mean[t][k.nw - 1]);
    r->verdict = pre ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED;
    vd_measured(r,
                "routes agree in %d/%d checks (worst |dlnZ| %.2g = %.2g x tol), KL not below -tol in %d/%d models; "
                "exact KL (nats) from nh=%d to %d: %s; it falls in %d of %d width steps, %d/%d models below the "
                "independent-spin KL",
                k.nagree, k.nchk, k.worst, k.worst_ratio, k.nklok, k.nkl, k.ws[0], k.ws[k.nw - 1], curve, falls,
                k.nt * (k.nw - 1), k.nlearn, k.nkl);
    vd_paper(r, "(beyond the paper)");
    vd_note(r,
            "verdict: ln Z by enumeration over visible and over hidden states agree within the double summation bound "
            "4(2^nv+2^nh) eps (1+|lnZ|) in every cell with nh <= 20, and KL >= -tol; the KL-vs-width numbers are "
            "reported, not judged: no claim-level rule until the training converges and has 5+ repetitions (%d here)",
            k.nr);
    /* tolerances: counts exactly; the route ratio within the bound itself;
     * a KL within 4 standard errors over repetitions, or within its float
     * bound when there is one repetition (the model is then deterministic) */
    vd_value(r, "checks_agree", k.nagree, 0);
    vd_value(r, "worst_route_ratio", k.worst_ratio, 1);
    int wl = k.nw - 1;
    /* a trained model's KL has an error bar only across repetitions: with one
     * repetition (quick) it is not a regressed value (its float bound would
     * flag any change of training rounding as a regression) */
    if (k.nr > 1) {
        vd_value(r, "kl_tc_smallest", k.mean[c][0], 4 * k.se[c][0]);
        vd_value(r, "kl_tc_largest", k.mean[c][wl], 4 * k.se[c][wl]);
    }
    return 0;
}
/* end: klverdict */

const exp_def exp_rbm_kl_def = {kl_ncells, kl_cell, kl_reduce, 0};
