/* Chapter 6, experiment `rbm-kl` (BP-KL): exact KL divergence of trained
 * RBMs to the L = 4 Boltzmann distribution against the hidden width, with
 * ln Z by enumeration over the visible and over the hidden states.
 *
 * The grid: one cell per trained model, cell = (t * nw + wi) * reps + rep
 * (temperature, width, repetition), keyed by the cell number, then `reps`
 * positive-control cells.  Each grid cell rebuilds the exact distribution
 * of its temperature and draws the training samples from it by inversion
 * (keyed by the temperature), so it depends on nothing else.  Training runs
 * in chunks of KL_CHK epochs with the exact KL after each (the learning
 * curve) and stops at the plateau criterion or the budget cap.  The rep-0
 * cell of every (T, width) then follows the exact gradient (rbm_grad_exact,
 * Adam) from its trained model: the capacity reference.  A control cell
 * trains the same way on exact samples of a random teacher RBM the student
 * can represent.  Reduce writes the tables and the macros; the verdict
 * (vd_rbm_kl) reads rbm_kl.tsv, rbm_kl_exact.tsv and rbm_kl_control.tsv. */
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
#define KL_NS (1 << KL_NV)
#define KL_K 5            /* PCD-k */
#define KL_BATCH 100
#define KL_LR0 0.1        /* lr0, divided by KL_LRDIV at each plateau down to lr1 */
#define KL_LR1 0.01
#define KL_LRDIV 3.1622776601683795
#define KL_MOMENTUM 0.5
#define KL_SD0 0.1        /* W ~ N(0, (sd0 / sqrt(nv nh))^2), the authors' scale */
#define KL_NT 3
/* Convergence (stated before the runs): the exact KL every KL_CHK epochs;
 * plateau when the best KL of the last KL_WIN checkpoints improves on the
 * best before them (at the same learning rate) by less than KL_PLAT of
 * itself; a plateau divides the learning rate by KL_LRDIV, a plateau at
 * KL_LR1 ends the training (converged); cap KL_CAP epochs (not converged). */
#define KL_CHK 10
#define KL_WIN 3
#define KL_PLAT 0.02
#define KL_CAP 300
/* The exact-gradient reference: Adam (KL_XLR, betas 0.9, 0.999) on the
 * exact KL gradient from the rep-0 trained model; the KL every KL_XCHK
 * steps; an interval that raises it halves the step size; plateau when one
 * interval lowers it by less than KL_XPLAT of itself (and does not raise
 * it); cap KL_XCAP_Q / KL_XCAP_F steps. */
#define KL_XLR 0.01
#define KL_XCHK 10
#define KL_XPLAT 0.005
#define KL_XCAP_Q 30
#define KL_XCAP_F 100
/* Positive control: a teacher RBM (KL_CT_NH hidden units, W ~ N(0, KL_CT_SD^2),
 * biases 0) gives exact samples; a student of KL_CT_NS units trained the
 * same way (without the flip and translation augmentation: the teacher has
 * neither symmetry) must reach a converged exact KL below KL_CT_MAX nats. */
#define KL_CT_NH 4
#define KL_CT_NS 8
#define KL_CT_SD 0.5
#define KL_CT_MAX 0.05
#define KL_MAXPTS (KL_CAP / KL_CHK + 1)

static const double kl_T[KL_NT] = {1.8, ISING_TC, 3.0};
static const int kl_wf[7] = {1, 2, 4, 8, 16, 32, 64}, kl_wq[3] = {2, 8, 32};

typedef struct {
    const int *ws;
    int nw, reps, nsamp, xcap;
} kl_grid;

static kl_grid kl_grid_of(const exp_ctx *ctx)
{
    int full = ctx->scale == EXP_FULL;
    kl_grid g = {full ? kl_wf : kl_wq, full ? 7 : 3, full ? 5 : 2, 4000, full ? KL_XCAP_F : KL_XCAP_Q};
    return g;
}

static int kl_ngrid(const kl_grid *g) { return KL_NT * g->nw * g->reps; }

static int kl_ncells(const exp_ctx *ctx)
{
    kl_grid g = kl_grid_of(ctx);
    return kl_ngrid(&g) + g.reps;
}

/* Exact Boltzmann probabilities of the L = 4 torus (bit i of k = spin i up). */
static void exact_p(double *p, double *e, double T)
{
    double Z = 0, mx = -INFINITY;
    for (int k = 0; k < KL_NS; k++) {
        float v[KL_NV];
        double m;
        for (int i = 0; i < KL_NV; i++) v[i] = (float)((k >> i) & 1);
        ch6_torus_obs(&e[k], &m, v, KL_L);
        mx = fmax(mx, -e[k] * KL_NV / T);
    }
    for (int k = 0; k < KL_NS; k++) Z += p[k] = exp(-e[k] * KL_NV / T - mx);
    for (int k = 0; k < KL_NS; k++) p[k] /= Z;
}

/* Exact samples of p by inversion of the cumulative distribution, keyed by (key, stream). */
static int exact_samples(float *data, const double *p, int nsamp, uint64_t seed, int key, int stream)
{
    double *cdf = malloc(sizeof(double) * KL_NS), c = 0;
    if (!cdf) return -1;
    for (int k = 0; k < KL_NS; k++) cdf[k] = c += p[k];
    rng_stream r;
    rng_init(&r, seed, (uint32_t)key, (uint32_t)stream);
    for (int q = 0; q < nsamp; q++) {
        double x = rng_uniform(&r) * c;
        int lo = 0, hi = KL_NS - 1;
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
// The sum is computed once; each route adds its own ln Z.
static double kl_exact_sum(const double *p, const rbm_model *m)
{
    double s = 0;
    float v[KL_NV];
    for (int k = 0; k < KL_NS; k++) {
        if (p[k] == 0) continue;
        for (int i = 0; i < KL_NV; i++) v[i] = (float)((k >> i) & 1);
        s += p[k] * (log(p[k]) + rbm_free_energy(m, v));
    }
    return s;
}
/* end: klexact */

/* listing: klsym */
// The learning-curve evaluation from ln q(v) for all 2^16 states: the raw
// KL, the KL of the flip-symmetrized model q_sym(v) = [q(v) + q(1 - v)]/2
// (state 1 - v is index 2^16 - 1 - k), and q(M > 0) (more than 8 spins up).
typedef struct {
    double kl, kls, qpos;
} kl_eval;

static int kl_evaluate(kl_eval *e, const double *p, const rbm_model *m, double *lq)
{
    double lnz;
    double *sym = malloc(sizeof(double) * (KL_NS / 2)); /* ln q_sym of k < 2^15; state 2^16 - 1 - k has the same */
    if (!sym || rbm_log_marginal_lnz(lq, &lnz, m)) return free(sym), -1;
    e->kl = e->kls = e->qpos = 0;
    for (int k = 0; k < KL_NS; k++) {
        double a = lq[k], b = lq[KL_NS - 1 - k], hi = fmax(a, b), lqs;
        if (k < KL_NS / 2) lqs = sym[k] = hi + log(0.5 * (exp(a - hi) + exp(b - hi)));
        else lqs = sym[KL_NS - 1 - k]; /* the same a, b swapped: the same sum */
        if (p[k] > 0) {
            double lp = log(p[k]);
            e->kl += p[k] * (lp - a), e->kls += p[k] * (lp - lqs);
        }
        if (__builtin_popcount((unsigned)k) > KL_NV / 2) e->qpos += exp(a);
    }
    free(sym);
    return 0;
}
/* end: klsym */

/* listing: klplateau */
// The plateau criterion on the curve kl[0..n] of one learning rate (kl[0]
// where it started): at least KL_WIN + 1 checkpoints at that rate, and the
// best KL of the last KL_WIN improves on the best before them by less than
// KL_PLAT of itself.
static int kl_plateau(const double *kl, int n)
{
    if (n < KL_WIN + 1) return 0;
    double before = INFINITY, last = INFINITY;
    for (int i = 0; i <= n; i++) {
        if (i <= n - KL_WIN) before = fmin(before, kl[i]);
        else last = fmin(last, kl[i]);
    }
    return before - last < KL_PLAT * last;
}
/* end: klplateau */

/* A learning curve: checkpoint x (epoch or step), raw and symmetrized KL. */
typedef struct {
    int n, conv;
    double x[KL_MAXPTS], kl[KL_MAXPTS], kls[KL_MAXPTS], lr[KL_MAXPTS];
    kl_eval last;
} kl_curve;

static int kl_point(kl_curve *cv, double x, double lr, const double *p, const rbm_model *m, double *lq)
{
    if (kl_evaluate(&cv->last, p, m, lq)) return -1;
    cv->x[cv->n] = x, cv->kl[cv->n] = cv->last.kl, cv->kls[cv->n] = cv->last.kls, cv->lr[cv->n] = lr;
    cv->n++;
    return 0;
}

/* listing: kltrain */
// PCD-k in chunks of KL_CHK epochs at a constant learning rate, the exact
// KL after each; a plateau lowers the rate, a plateau at the lowest rate
// ends the training (converged), the cap ends it unconverged.
static int kl_train(kl_curve *cv, rbm_model *m, const float *data, int nsamp, const double *p, double *lq, int c,
                    int augment, uint64_t seed)
{
    const int J = KL_CAP / KL_CHK;
    double lr = KL_LR0;
    memset(cv, 0, sizeof *cv);
    if (kl_point(cv, 0, lr, p, m, lq)) return -1;
    for (int j = 0, since = 0; j < J && !cv->conv; j++) {
        rbm_train_opts opt = {KL_K, 1, KL_BATCH, KL_CHK, lr, lr, 0, 0, KL_MOMENTUM, augment, augment ? KL_L : 0};
        if (rbm_train(m, data, (size_t)nsamp, &opt, seed, (uint32_t)(1000 + c) + 100000u * (uint32_t)j) ||
            kl_point(cv, (j + 1) * KL_CHK, lr, p, m, lq))
            return -1;
        if (++since > KL_WIN && kl_plateau(cv->kl + cv->n - 1 - since, since)) {
            if (lr <= KL_LR1 * (1 + 1e-9)) cv->conv = 1;
            lr = fmax(lr / KL_LRDIV, KL_LR1), since = 0;
        }
    }
    return 0;
}
/* end: kltrain */

/* The positive phase of the exact gradient, E_p[.], added to g: rbm_grad_exact
 * takes data rows; it is called with the single all-zero row (data term: b 0,
 * W 0, c sigmoid(c)), which is taken out here and E_p put in its place. */
static int kl_pos_phase(rbm_model *g, const rbm_model *m, const double *p, const float *V)
{
    int nh = m->nh;
    float *ph = malloc(sizeof(float) * KL_NS * (size_t)nh);
    double *gw = calloc((size_t)nh * KL_NV + KL_NV + nh, sizeof(double));
    if (!ph || !gw) return free(ph), free(gw), -1;
    rbm_hidden_prob(ph, m, V, KL_NS);
    for (int k = 0; k < KL_NS; k++) {
        if (p[k] == 0) continue;
        for (int j = 0; j < nh; j++) {
            double s = p[k] * ph[(size_t)k * nh + j];
            gw[(size_t)nh * KL_NV + KL_NV + j] += s;
            for (int i = 0; i < KL_NV; i++) if ((k >> i) & 1) gw[(size_t)j * KL_NV + i] += s;
        }
        for (int i = 0; i < KL_NV; i++) if ((k >> i) & 1) gw[(size_t)nh * KL_NV + i] += p[k];
    }
    for (int q = 0; q < nh * KL_NV; q++) g->W[q] += (float)gw[q];
    for (int i = 0; i < KL_NV; i++) g->b[i] += (float)gw[nh * KL_NV + i];
    for (int j = 0; j < nh; j++) g->c[j] += (float)(gw[nh * KL_NV + KL_NV + j] - 1 / (1 + exp(-(double)m->c[j])));
    free(ph), free(gw);
    return 0;
}

/* listing: klgradexact */
// The capacity reference: Adam ascent on the exact gradient of -KL(p || q)
// = E_p[d ln q] (rbm_grad_exact for the model term, E_p for the data term)
// from the trained model, with the KL every KL_XCHK steps (an interval that
// raises it halves the step), until one interval lowers it by less than
// KL_XPLAT of itself or the cap.
static int kl_refine(kl_curve *cv, rbm_model *m, const double *p, double *lq, int cap)
{
    int nh = m->nh, np = nh * KL_NV + KL_NV + nh, rc = 0;
    double lr = KL_XLR;
    float *V = malloc(sizeof(float) * KL_NS * KL_NV), zero[KL_NV] = {0};
    double *mo = calloc((size_t)2 * np, sizeof(double));
    rbm_model g;
    if (!V || !mo || rbm_model_init(&g, KL_NV, nh)) return free(V), free(mo), -1;
    for (int k = 0; k < KL_NS; k++)
        for (int i = 0; i < KL_NV; i++) V[(size_t)k * KL_NV + i] = (float)((k >> i) & 1);
    memset(cv, 0, sizeof *cv);
    rc = kl_point(cv, 0, lr, p, m, lq);
    for (int s = 1; s <= cap && !rc && !cv->conv; s++) {
        rc = rbm_grad_exact(&g, m, zero, 1) || kl_pos_phase(&g, m, p, V);
        float *P[3] = {m->W, m->b, m->c}, *G[3] = {g.W, g.b, g.c};
        int n[3] = {nh * KL_NV, KL_NV, nh};
        double c1 = 1 - pow(0.9, s), c2 = 1 - pow(0.999, s);
        for (int a = 0, o = 0; a < 3 && !rc; a++)
            for (int i = 0; i < n[a]; i++, o++) {
                mo[o] = 0.9 * mo[o] + 0.1 * G[a][i], mo[np + o] = 0.999 * mo[np + o] + 0.001 * G[a][i] * G[a][i];
                P[a][i] += (float)(lr * (mo[o] / c1) / (sqrt(mo[np + o] / c2) + 1e-8));
            }
        if (!rc && s % KL_XCHK == 0) {
            rc = kl_point(cv, s, lr, p, m, lq);
            double drop = cv->kl[cv->n - 2] - cv->kl[cv->n - 1];
            cv->conv = !rc && drop >= 0 && drop < KL_XPLAT * cv->kl[cv->n - 1];
            if (drop < 0) lr /= 2;
        }
    }
    free(V), free(mo), rbm_model_clear(&g);
    return rc;
}
/* end: klgradexact */

/* What a grid cell reports: ln Z over visible and hidden states (NaN for
 * nh > 20), KL from either, the tolerance, the model's and the exact mean
 * energy, the KL of the exact distribution to the uniform one, the
 * symmetrized KL, q(M > 0), the epochs trained and the plateau flag. */
enum { R_LNZV, R_LNZH, R_KLV, R_KLH, R_TOL, R_EMODEL, R_EEXACT, R_KLU, R_KLS, R_QPOS, R_EPOCHS, R_CONV, R_N };

static void kl_put_curve(cellio_out *out, const kl_curve *cv)
{
    cellio_put_i64(out, cv->n);
    cellio_put_i64(out, cv->conv);
    cellio_put_f64s(out, cv->x, (size_t)cv->n);
    cellio_put_f64s(out, cv->kl, (size_t)cv->n);
    cellio_put_f64s(out, cv->kls, (size_t)cv->n);
    cellio_put_f64s(out, cv->lr, (size_t)cv->n);
    double e[3] = {cv->last.kl, cv->last.kls, cv->last.qpos};
    cellio_put_f64s(out, e, 3);
}

static void kl_get_curve(cellio_in *in, kl_curve *cv)
{
    memset(cv, 0, sizeof *cv);
    cv->n = (int)cellio_get_i64(in);
    cv->conv = (int)cellio_get_i64(in);
    if (cv->n < 0 || cv->n > KL_MAXPTS) cv->n = 0; /* a corrupt cell: the checksum catches it first */
    cellio_get_f64s(in, cv->x, (size_t)cv->n);
    cellio_get_f64s(in, cv->kl, (size_t)cv->n);
    cellio_get_f64s(in, cv->kls, (size_t)cv->n);
    cellio_get_f64s(in, cv->lr, (size_t)cv->n);
    double e[3];
    cellio_get_f64s(in, e, 3);
    cv->last.kl = e[0], cv->last.kls = e[1], cv->last.qpos = e[2];
}

/* Trains the model of grid cell c on samples of p, measures it into o[R_N]
 * and its curve, and for rep 0 the exact-gradient refinement into xc. */
static int kl_model(double *o, kl_curve *cv, kl_curve *xc, const kl_grid *g, const double *p, const double *Ek,
                    const float *data, int c, uint64_t seed)
{
    int nh = g->ws[c / g->reps % g->nw];
    rbm_model m;
    double *lq = malloc(sizeof(double) * KL_NS);
    if (!lq || rbm_model_init(&m, KL_NV, nh)) return free(lq), -1;
    rng_stream r;
    rng_init(&r, seed, (uint32_t)c, 2);
    rbm_init_normal(&m, &r, KL_SD0 / sqrt((double)KL_NV * nh));
    int fail = kl_train(cv, &m, data, g->nsamp, p, lq, c, 1, seed) != 0;
    double lnzh = NAN, em = 0;
    fail |= rbm_log_marginal_lnz(lq, &o[R_LNZV], &m) != 0;
    if (nh <= 20) fail |= rbm_lnz_hidden(&lnzh, &m) != 0;
    o[R_LNZH] = lnzh;
    double ks = kl_exact_sum(p, &m);
    o[R_KLV] = ks + o[R_LNZV];
    o[R_KLH] = nh <= 20 ? ks + lnzh : NAN;
    o[R_TOL] = 4 * (ldexp(1, KL_NV) + ldexp(1, nh <= 20 ? nh : 0)) * 2.220446049250313e-16 * (1 + fabs(o[R_LNZV]));
    for (int k = 0; k < KL_NS && !fail; k++) em += exp(lq[k]) * Ek[k];
    o[R_EMODEL] = em;
    o[R_KLS] = cv->last.kls, o[R_QPOS] = cv->last.qpos;
    o[R_EPOCHS] = cv->x[cv->n - 1], o[R_CONV] = cv->conv;
    memset(xc, 0, sizeof *xc);
    if (!fail && c % g->reps == 0) fail |= kl_refine(xc, &m, p, lq, g->xcap) != 0;
    free(lq);
    rbm_model_clear(&m);
    return fail ? -1 : 0;
}

/* A control cell: the teacher's exact marginal, exact samples of it, a
 * student trained as the grid's models are. */
static int kl_control(kl_curve *cv, const kl_grid *g, float *data, double *p, int c, uint64_t seed)
{
    rbm_model t, s;
    double *lq = malloc(sizeof(double) * KL_NS), lnz;
    int rc = !lq || rbm_model_init(&t, KL_NV, KL_CT_NH) ? -1 : 0;
    if (rc) return free(lq), -1;
    if (rbm_model_init(&s, KL_NV, KL_CT_NS)) return free(lq), rbm_model_clear(&t), -1;
    rng_stream r;
    rng_init(&r, seed, (uint32_t)c, 3);
    rbm_init_normal(&t, &r, KL_CT_SD);
    rc = rbm_log_marginal_lnz(lq, &lnz, &t);
    for (int k = 0; k < KL_NS && !rc; k++) p[k] = exp(lq[k]);
    rng_init(&r, seed, (uint32_t)c, 2);
    rbm_init_normal(&s, &r, KL_SD0 / sqrt((double)KL_NV * KL_CT_NS));
    rc = rc || exact_samples(data, p, g->nsamp, seed, c, 4) || kl_train(cv, &s, data, g->nsamp, p, lq, c, 0, seed);
    free(lq), rbm_model_clear(&t), rbm_model_clear(&s);
    return rc ? -1 : 0;
}

static int kl_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    kl_grid g = kl_grid_of(ctx);
    int t = c / (g.nw * g.reps), rc = -1;
    double *p = malloc(sizeof(double) * KL_NS), *Ek = malloc(sizeof(double) * KL_NS), o[R_N];
    float *data = malloc(sizeof(float) * (size_t)g.nsamp * KL_NV);
    kl_curve *cv = malloc(2 * sizeof *cv);
    rbm_blas_single_thread();
    if (p && Ek && data && cv && c >= kl_ngrid(&g)) {
        rc = kl_control(cv, &g, data, p, c, ctx->seed);
        if (rc == 0) kl_put_curve(out, cv);
    } else if (p && Ek && data && cv) {
        exact_p(p, Ek, kl_T[t]);
        double ent = 0, ue = 0;
        for (int k = 0; k < KL_NS; k++) {
            if (p[k] > 0) ent -= p[k] * log(p[k]);
            ue += p[k] * Ek[k];
        }
        o[R_EEXACT] = ue;
        o[R_KLU] = KL_NV * log(2.0) - ent; /* KL to the uniform (independent spins) */
        rc = exact_samples(data, p, g.nsamp, ctx->seed, t, 1) || kl_model(o, cv, cv + 1, &g, p, Ek, data, c, ctx->seed)
                 ? -1 : 0;
        if (rc == 0) cellio_put_f64s(out, o, R_N), kl_put_curve(out, cv), kl_put_curve(out, cv + 1);
    }
    free(p), free(Ek), free(data), free(cv);
    return rc;
}
/* --- reduce -------------------------------------------------------------------------------- */

/* Everything reduce needs, read back from the cells in the grid's order. */
typedef struct {
    int nchk, nconv, nmodels, nxconv, nx, ctconv;
    double worst, worst_ratio, ctmax;
    double klm[KL_NT][7], klsm[KL_NT][7], klx[KL_NT][7], klu[KL_NT];
    double best[KL_NT][7]; /* the lowest raw KL of any model of the width: trained or exact-gradient */
    double cap[KL_NT][7];  /* the capacity bound: best over the widths up to this one */
    double case_cap;       /* T = 3, nh = 32 */
    double raw[KL_NT][2], sym[KL_NT][2], qpos[KL_NT][2]; /* min, max over the models at each T */
    double corr[KL_NT];                                  /* r(raw - sym, the gap the sign imbalance predicts) */
    double case_raw, case_sym, case_x;                   /* T = 3, nh = 32 */
} kl_sum;

static void kl_curve_rows(FILE *f, int model, double T, int nh, int rep, const kl_curve *cv)
{
    for (int i = 0; i < cv->n; i++)
        fprintf(f, "%d\t%.6f\t%d\t%d\t%g\t%g\t%.8f\t%.8f\n", model, T, nh, rep, cv->x[i], cv->lr[i], cv->kl[i], cv->kls[i]);
}

/* Pearson r of x and y (n values); NaN when either has no spread. */
static double kl_pearson(const double *x, const double *y, int n)
{
    double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < n; i++) mx += x[i] / n, my += y[i] / n;
    for (int i = 0; i < n; i++)
        sxy += (x[i] - mx) * (y[i] - my), sxx += (x[i] - mx) * (x[i] - mx), syy += (y[i] - my) * (y[i] - my);
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}

/* One (T, width): its repetitions' rows, curves and the exact-gradient row. */
static void kl_cell_rows(const kl_grid *g, cellio_in *in, int t, int wi, FILE **f, kl_sum *s, double *gap, double *dq,
                         int *ng)
{
    double sum = 0, s2 = 0, ssum = 0, ss2 = 0, xsym = NAN, best = INFINITY;
    int nconv = 0;
    kl_curve cv, xc;
    for (int rep = 0; rep < g->reps; rep++) {
        double o[R_N];
        cellio_in *ci = &in[(t * g->nw + wi) * g->reps + rep];
        cellio_get_f64s(ci, o, R_N);
        kl_get_curve(ci, &cv);
        kl_get_curve(ci, &xc);
        double d = o[R_LNZH] - o[R_LNZV];
        if (!isnan(o[R_LNZH])) {
            s->nchk++;
            s->worst = fmax(s->worst, fabs(d));
            s->worst_ratio = fmax(s->worst_ratio, fabs(d) / o[R_TOL]);
        }
        sum += o[R_KLV], s2 += o[R_KLV] * o[R_KLV], ssum += o[R_KLS], ss2 += o[R_KLS] * o[R_KLS];
        best = fmin(best, o[R_KLV]);
        nconv += o[R_CONV] != 0;
        s->klu[t] = o[R_KLU];
        s->raw[t][0] = fmin(s->raw[t][0], o[R_KLV]), s->raw[t][1] = fmax(s->raw[t][1], o[R_KLV]);
        s->sym[t][0] = fmin(s->sym[t][0], o[R_KLS]), s->sym[t][1] = fmax(s->sym[t][1], o[R_KLS]);
        s->qpos[t][0] = fmin(s->qpos[t][0], o[R_QPOS]), s->qpos[t][1] = fmax(s->qpos[t][1], o[R_QPOS]);
        /* a model that is the symmetric shape with weight w = q(M>0) on one
         * ordered state and 1 - w on the other has raw - symmetrized KL
         * -ln[4 w (1 - w)] / 2 (the M = 0 states neglected) */
        double w = fmin(fmax(o[R_QPOS], 1e-300), 1 - 1e-16);
        gap[*ng] = o[R_KLV] - o[R_KLS], dq[(*ng)++] = -0.5 * log(4 * w * (1 - w));
        fprintf(f[0], "%.6f\t%d\t%d\t%.12f\t%.12f\t%.3e\t%.3e\t%.8f\t%.8f\t%.6f\t%.6f\t%.6f\t%.3e\t%.8f\t%.12g\t%g\t%d\n",
                kl_T[t], g->ws[wi], rep, o[R_LNZV], o[R_LNZH], d, o[R_TOL], o[R_KLV], o[R_KLH], o[R_EMODEL],
                o[R_EEXACT], o[R_KLU], o[R_KLH] - o[R_KLV], o[R_KLS], o[R_QPOS], o[R_EPOCHS], (int)o[R_CONV]);
        kl_curve_rows(f[2], 0, kl_T[t], g->ws[wi], rep, &cv);
        if (rep == 0) {
            kl_curve_rows(f[2], 1, kl_T[t], g->ws[wi], rep, &xc);
            fprintf(f[3], "%.6f\t%d\t%g\t%.8f\t%.8f\t%.8f\t%.6f\t%d\n", kl_T[t], g->ws[wi], xc.x[xc.n - 1], xc.kl[0],
                    xc.last.kl, xc.last.kls, xc.last.qpos, xc.conv);
            s->nx++, s->nxconv += xc.conv;
            s->klx[t][wi] = xc.last.kl, xsym = xc.last.kls;
            best = fmin(best, xc.last.kl);
        }
    }
    /* The capacity bound: the lowest KL any model of at most this width
     * reached.  A width-n RBM holds every narrower one (a hidden unit with
     * zero weights only rescales q), so the best KL of width n is at most
     * this: an upper bound that cannot rise with the width, unlike one
     * local optimum per width. */
    s->best[t][wi] = best;
    double cap = INFINITY;
    for (int wj = 0; wj <= wi; wj++)
        if (g->ws[wj] <= g->ws[wi]) cap = fmin(cap, s->best[t][wj]);
    s->cap[t][wi] = cap;
    int R = g->reps;
    double mean = sum / R, se = R > 1 ? sqrt(fmax(s2 / R - mean * mean, 0) / (R - 1)) : 0;
    double smean = ssum / R, sse = R > 1 ? sqrt(fmax(ss2 / R - smean * smean, 0) / (R - 1)) : 0;
    s->klm[t][wi] = mean, s->klsm[t][wi] = smean;
    s->nconv += nconv, s->nmodels += R;
    fprintf(f[1], "%.6f\t%d\t%.8f\t%.3e\t%.8f\t%.3e\t%.6f\t%.4f\t%.8f\t%.8f\t%.8f\n", kl_T[t], g->ws[wi], mean, se,
            smean, sse, s->klu[t], (double)nconv / R, s->klx[t][wi], xsym, cap);
}

static const char *const kl_files[5][2] = {
    {"rbm_kl", "T\tnh\trep\tlnz_v\tlnz_h\tdlnz\ttol\tkl\tkl_h\te_model\te_exact\tkl_uniform\tdkl\tkl_sym\tq_mpos\tepochs\tconverged"},
    {"rbm_kl_mean", "T\tnh\tkl\tkl_se\tkl_sym\tkl_sym_se\tkl_uniform\tconv_frac\tkl_exact\tkl_exact_sym\tkl_capacity"},
    {"rbm_kl_curve", "model\tT\tnh\trep\tx\tlr\tkl\tkl_sym"},
    {"rbm_kl_exact", "T\tnh\tsteps\tkl_start\tkl\tkl_sym\tq_mpos\tconverged"},
    {"rbm_kl_control", "rep\tnh_teacher\tnh_student\tkl\tkl_sym\tepochs\tconverged\tkl_max"},
};

/* All five tables; the summaries into s. */
static int kl_tables(const kl_grid *g, cellio_in *in, run_set *set, kl_sum *s)
{
    binio_file b[5];
    FILE *f[5];
    for (int q = 0; q < 5; q++) {
        if (run_tsv_open(&b[q], set, kl_files[q][0], kl_files[q][1])) return -1;
        f[q] = b[q].f;
    }
    memset(s, 0, sizeof *s);
    double gap[64], dq[64];
    for (int t = 0; t < KL_NT; t++) {
        int ng = 0;
        s->raw[t][0] = s->sym[t][0] = s->qpos[t][0] = INFINITY;
        s->raw[t][1] = s->sym[t][1] = s->qpos[t][1] = -INFINITY;
        for (int wi = 0; wi < g->nw; wi++) kl_cell_rows(g, in, t, wi, f, s, gap, dq, &ng);
        s->corr[t] = kl_pearson(gap, dq, ng);
    }
    for (int wi = 0; wi < g->nw; wi++)
        if (g->ws[wi] == 32) s->case_raw = s->klm[KL_NT - 1][wi], s->case_sym = s->klsm[KL_NT - 1][wi], s->case_x = s->klx[KL_NT - 1][wi],
                               s->case_cap = s->cap[KL_NT - 1][wi];
    s->ctmax = 0;
    for (int rep = 0; rep < g->reps; rep++) {
        kl_curve cv;
        kl_get_curve(&in[kl_ngrid(g) + rep], &cv);
        kl_curve_rows(f[2], 2, 0, KL_CT_NS, rep, &cv);
        fprintf(f[4], "%d\t%d\t%d\t%.8f\t%.8f\t%g\t%d\t%g\n", rep, KL_CT_NH, KL_CT_NS, cv.last.kl, cv.last.kls,
                cv.x[cv.n - 1], cv.conv, KL_CT_MAX);
        s->ctmax = fmax(s->ctmax, cv.last.kl), s->ctconv += cv.conv;
    }
    int rc = 0;
    for (int q = 0; q < 5; q++) rc |= run_close(set, &b[q]);
    return rc ? -1 : 0;
}

/* The T = 1.8 sentence, chosen by the data: whether the repetitions split by
 * the magnetization sign they favour, and how much of the raw KL that is. */
static void kl_bimodal_text(char *buf, size_t n, const kl_sum *s, int reps)
{
    char a[6][32];
    const double v[6] = {s->qpos[0][0], s->qpos[0][1], s->raw[0][0], s->raw[0][1], s->sym[0][0], s->sym[0][1]};
    for (int q = 0; q < 6; q++) texmac_format_num(a[q], sizeof a[q], 3, v[q]);
    int split = s->qpos[0][1] - s->qpos[0][0] > 0.2, most = s->corr[0] >= 0.9;
    if (reps < 2)
        snprintf(buf, n, "one repetition per width cannot show a split across repetitions");
    else if (split)
        snprintf(buf, n,
                 "the models split by the magnetization sign they favour: $q(M>0)$ runs from $%s$ to $%s$, the raw "
                 "KL from $%s$ to $%s$ nats, the symmetrized KL only from $%s$ to $%s$; the raw-minus-symmetrized "
                 "gap correlates at $r=%.2f$ with $-\\tfrac12\\ln[4w(1-w)]$, $w=q(M>0)$, the gap of a model that "
                 "only misweights the two ordered states, so the spread of the raw KL is %s the weight a model "
                 "gives each ordered state",
                 a[0], a[1], a[2], a[3], a[4], a[5], s->corr[0], most ? "mostly" : "in part");
    else
        snprintf(buf, n,
                 "no model favours one magnetization sign by much: $q(M>0)$ stays between $%s$ and $%s$, the raw "
                 "KL runs from $%s$ to $%s$ nats and the symmetrized KL from $%s$ to $%s$",
                 a[0], a[1], a[2], a[3], a[4], a[5]);
}

static int kl_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    kl_grid g = kl_grid_of(ctx);
    kl_sum s;
    if (n != kl_ncells(ctx) || kl_tables(&g, in, set, &s) != 0) return -1;
    const int nw = g.nw;
    char bimodal[1024];
    kl_bimodal_text(bimodal, sizeof bimodal, &s, g.reps);
    enum { NFIX = 38, NT6 = 6 };
    texmac m[NFIX + NT6 * KL_NT] = {
        TEXMAC_I("IsingRbmKlCap", KL_CAP),         TEXMAC_I("IsingRbmKlSamples", g.nsamp),
        TEXMAC_I("IsingRbmKlReps", g.reps),        TEXMAC_I("IsingRbmKlK", KL_K),
        TEXMAC_I("IsingRbmKlBatch", KL_BATCH),     TEXMAC_F("IsingRbmKlLrZero", 3, KL_LR0),
        TEXMAC_F("IsingRbmKlLrOne", 3, KL_LR1),    TEXMAC_F("IsingRbmKlMomentum", 2, KL_MOMENTUM),
        TEXMAC_I("IsingRbmKlWmin", g.ws[0]),       TEXMAC_I("IsingRbmKlWmax", g.ws[nw - 1]),
        TEXMAC_I("IsingRbmKlChecks", s.nchk),      TEXMAC_N("IsingRbmKlWorstDiff", 2, s.worst),
        TEXMAC_N("IsingRbmKlWorstRatio", 2, s.worst_ratio),
        TEXMAC_I("IsingRbmKlChk", KL_CHK),         TEXMAC_I("IsingRbmKlWin", KL_WIN),
        TEXMAC_N("IsingRbmKlPlatPct", 2, 100 * KL_PLAT), TEXMAC_I("IsingRbmKlConvN", s.nconv),
        TEXMAC_I("IsingRbmKlModels", s.nmodels),   TEXMAC_N("IsingRbmKlConvPct", 3, 100.0 * s.nconv / s.nmodels),
        TEXMAC_N("IsingRbmKlXLr", 2, KL_XLR),      TEXMAC_I("IsingRbmKlXChk", KL_XCHK),
        TEXMAC_N("IsingRbmKlXPlatPct", 2, 100 * KL_XPLAT), TEXMAC_I("IsingRbmKlXCap", g.xcap),
        TEXMAC_I("IsingRbmKlXConvN", s.nxconv),    TEXMAC_I("IsingRbmKlXN", s.nx),
        TEXMAC_I("IsingRbmKlCtTeacher", KL_CT_NH), TEXMAC_I("IsingRbmKlCtStudent", KL_CT_NS),
        TEXMAC_N("IsingRbmKlCtSd", 2, KL_CT_SD),   TEXMAC_N("IsingRbmKlCtMax", 2, KL_CT_MAX),
        TEXMAC_N("IsingRbmKlCtWorst", 3, s.ctmax), TEXMAC_I("IsingRbmKlCtConvN", s.ctconv),
        TEXMAC_N("IsingRbmKlCaseRaw", 3, s.case_raw), TEXMAC_N("IsingRbmKlCaseSym", 3, s.case_sym),
        TEXMAC_N("IsingRbmKlCaseExact", 3, s.case_x), TEXMAC_N("IsingRbmKlCaseCap", 3, s.case_cap), TEXMAC_S("IsingRbmKlBimodal", bimodal),
        TEXMAC_N("IsingRbmKlCorrLow", 2, s.corr[0]), TEXMAC_N("IsingRbmKlLrDiv", 3, KL_LRDIV),
    };
    if (!m[NFIX - 1].name || m[NFIX].name) { /* NFIX must count the fixed rows above exactly */
        fprintf(stderr, "rbm-kl: NFIX (%d) does not match the fixed macro rows\n", (int)NFIX);
        return -1;
    }
    const char *tn[KL_NT] = {"Low", "Crit", "High"};
    char names[NT6 * KL_NT][40];
    for (int t = 0, k = NFIX; t < KL_NT; t++) {
        const char *what[NT6] = {"T", "Uniform", "Small", "Big", "ExactSmall", "ExactBig"};
        const double v[NT6] = {kl_T[t], s.klu[t], s.klm[t][0], s.klm[t][nw - 1], s.klx[t][0], s.klx[t][nw - 1]};
        for (int q = 0; q < NT6; q++, k++) {
            snprintf(names[k - NFIX], sizeof names[0], "IsingRbmKl%s%s", what[q], tn[t]);
            m[k] = q == 0 ? (texmac)TEXMAC_F(names[k - NFIX], 3, v[q]) : (texmac)TEXMAC_N(names[k - NFIX], 3, v[q]);
        }
    }
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* --- the verdict ------------------------------------------------------------------------------- */

/* rbm_kl.tsv, rbm_kl_exact.tsv and rbm_kl_control.tsv as read back. */
typedef struct {
    int nt, nw, nr, nchk, nagree, nkl, nklok, nlearn, nconv, nx, nxconv, nct, nctok;
    double T[8], klu[8], worst, worst_ratio, ctworst;
    int ws[16];
    double mean[8][16], se[8][16], smean[8][16], x[8][16], xset[8][16];
} kl_read;

static int kl_index(double *a, int *n, int cap, double v)
{
    for (int i = 0; i < *n; i++)
        if (fabs(a[i] - v) < 1e-9) return i;
    return *n < cap ? (a[(*n)++] = v, *n - 1) : -1;
}

static int kl_cols(vd_data *d, const tsv_table *t, const char *const *name, int n, int *col)
{
    for (int q = 0; q < n; q++)
        if ((col[q] = vd_col(d, t, name[q])) < 0) return -1;
    return 0;
}

/* rbm_kl.tsv: the route checks, the models' KL per (T, nh), their plateau flags. */
static int kl_load_models(vd_data *d, kl_read *k, double *ws)
{
    const tsv_table *t = vd_table(d, "rbm_kl.tsv");
    static const char *const name[11] = {"T", "nh", "dlnz", "tol", "kl", "dkl", "kl_uniform", "rep", "kl_sym", "converged", "q_mpos"};
    int col[11], cnt[8][16] = {{0}};
    double s2[8][16] = {{0}};
    if (!t || kl_cols(d, t, name, 11, col)) return -1;
    for (int i = 0; i < t->nrows; i++) {
        double x[11];
        for (int q = 0; q < 11; q++) x[q] = tsv_num(t, i, col[q]);
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
        k->nconv += x[9] == 1;
        k->klu[ti] = x[6];
        k->mean[ti][wi] += x[4], s2[ti][wi] += x[4] * x[4], cnt[ti][wi]++;
        k->smean[ti][wi] += x[8];
        if ((int)x[7] + 1 > k->nr) k->nr = (int)x[7] + 1;
    }
    for (int ti = 0; ti < k->nt; ti++)
        for (int w = 0; w < k->nw; w++) {
            int n = cnt[ti][w];
            if (n == 0) return snprintf(d->err, sizeof d->err, "rbm_kl.tsv: a (T, nh) cell is empty"), -1;
            double m = k->mean[ti][w] /= n;
            k->smean[ti][w] /= n;
            k->se[ti][w] = n > 1 ? sqrt(fmax(s2[ti][w] / n - m * m, 0) / (n - 1)) : NAN;
        }
    return k->nkl > 0 && k->nw >= 2 ? 0 : (snprintf(d->err, sizeof d->err, "rbm_kl.tsv: fewer than two widths"), -1);
}

/* rbm_kl_exact.tsv (one row per (T, nh) of rbm_kl.tsv) and rbm_kl_control.tsv. */
static int kl_load(vd_data *d, kl_read *k)
{
    double ws[16];
    memset(k, 0, sizeof *k);
    if (kl_load_models(d, k, ws)) return -1;
    for (int w = 0; w < k->nw; w++) k->ws[w] = (int)ws[w];
    const tsv_table *x = vd_table(d, "rbm_kl_exact.tsv"), *c = vd_table(d, "rbm_kl_control.tsv");
    static const char *const xn[4] = {"T", "nh", "kl", "converged"}, *const cn[3] = {"kl", "converged", "kl_max"};
    int xc[4], cc[3];
    if (!x || !c || kl_cols(d, x, xn, 4, xc) || kl_cols(d, c, cn, 3, cc)) return -1;
    for (int i = 0; i < x->nrows; i++) {
        int nt = k->nt, nw = k->nw;
        int ti = kl_index(k->T, &nt, 8, tsv_num(x, i, xc[0])), wi = kl_index(ws, &nw, 16, tsv_num(x, i, xc[1]));
        if (nt != k->nt || nw != k->nw || k->xset[ti][wi])
            return snprintf(d->err, sizeof d->err, "rbm_kl_exact.tsv: a (T, nh) not in rbm_kl.tsv, or twice"), -1;
        k->xset[ti][wi] = 1, k->x[ti][wi] = tsv_num(x, i, xc[2]);
        k->nx++, k->nxconv += tsv_num(x, i, xc[3]) == 1;
    }
    if (k->nx != k->nt * k->nw)
        return snprintf(d->err, sizeof d->err, "rbm_kl_exact.tsv: %d rows for %d (T, nh)", k->nx, k->nt * k->nw), -1;
    for (int i = 0; i < c->nrows; i++) {
        double kl = tsv_num(c, i, cc[0]);
        k->nct++;
        k->nctok += kl < tsv_num(c, i, cc[2]) && tsv_num(c, i, cc[1]) == 1;
        k->ctworst = fmax(k->ctworst, kl);
    }
    return 0;
}

/* listing: klverdict */
// The rule, stated before the runs (PREREG BP-KL).  Precondition: ln Z
// enumerated over the visible and over the hidden states agree within the
// summation bound (and so do the two KL values) in every cell with
// nh <= 20 (at least one), and no KL is below -tol; else not reproduced.
// Then: the positive control (every student of the teacher RBM converged,
// KL below its bound) and every model converged (trained models and
// exact-gradient references at their plateau), with 2+ repetitions; else
// inconclusive.  Then, at each T: the KL falls from the smallest to the
// largest width, for the trained models (mean difference more than twice
// its standard error) and for the exact-gradient reference.  At every T:
// reproduced; at none: not reproduced; else partly.
int vd_rbm_kl(vd_result *r, vd_data *d)
{
    kl_read k;
    if (kl_load(d, &k) != 0) return -1;
    int pre = k.nchk > 0 && k.nagree == k.nchk && k.nklok == k.nkl, c = 0, wl = k.nw - 1, nfall = 0;
    int ctrl = k.nct > 0 && k.nctok == k.nct, conv = k.nconv == k.nkl && k.nxconv == k.nx && k.nr >= 2;
    char curve[512] = "";
    size_t n = 0;
    for (int t = 0; t < k.nt; t++) {
        double dm = k.mean[t][0] - k.mean[t][wl], se = sqrt(k.se[t][0] * k.se[t][0] + k.se[t][wl] * k.se[t][wl]);
        int f = dm > 2 * se && k.x[t][0] > k.x[t][wl];
        nfall += f;
        if (fabs(k.T[t] - ISING_TC) < fabs(k.T[c] - ISING_TC)) c = t;
        if (n < sizeof curve)
            n += snprintf(curve + n, sizeof curve - n, "%sT=%.3g %.3g to %.3g (sym %.3g to %.3g; exact-gradient %.3g to %.3g)%s",
                          t ? ", " : "", k.T[t], k.mean[t][0], k.mean[t][wl], k.smean[t][0], k.smean[t][wl], k.x[t][0],
                          k.x[t][wl], f ? " falls" : "");
    }
    r->verdict = !pre    ? CLAIMS_NOT_REPRODUCED
                 : !ctrl ? CLAIMS_INCONCLUSIVE
                 : !conv ? CLAIMS_INCONCLUSIVE
                 : nfall == k.nt ? CLAIMS_REPRODUCED
                 : nfall == 0    ? CLAIMS_NOT_REPRODUCED
                                 : CLAIMS_PARTLY;
    vd_measured(r,
                "routes agree in %d/%d checks (worst |dlnZ| %.2g = %.2g x tol), KL not below -tol in %d/%d models; "
                "control %d/%d (worst KL %.3g); at the plateau %d/%d trained models, %d/%d exact-gradient; "
                "exact KL (nats) from nh=%d to %d: %s; %d/%d T falls; %d/%d models below the independent-spin KL",
                k.nagree, k.nchk, k.worst, k.worst_ratio, k.nklok, k.nkl, k.nctok, k.nct, k.ctworst, k.nconv, k.nkl,
                k.nxconv, k.nx, k.ws[0], k.ws[wl], curve, nfall, k.nt, k.nlearn, k.nkl);
    vd_paper(r, "(beyond the paper)");
    vd_note(r, "%s",
            !pre    ? "the ln Z routes disagree beyond 4(2^nv+2^nh) eps (1+|lnZ|), or a KL is below -tol"
            : !ctrl ? "inconclusive: the positive control failed (a student of the teacher RBM unconverged or above its KL bound)"
            : !conv ? "inconclusive: the KL-vs-width rule would rest on unconverged models (or fewer than 2 repetitions)"
                    : "routes agree; control passed; every model at its plateau; the rule: KL falls from the smallest to "
                      "the largest width (trained: by more than 2 SE; exact-gradient reference) at every T");
    /* tolerances: counts exactly; the route ratio within the bound itself;
     * a KL within 4 standard errors over repetitions */
    vd_value(r, "checks_agree", k.nagree, 0);
    vd_value(r, "worst_route_ratio", k.worst_ratio, 1);
    if (k.nr > 1) {
        vd_value(r, "kl_tc_smallest", k.mean[c][0], 4 * k.se[c][0]);
        vd_value(r, "kl_tc_largest", k.mean[c][wl], 4 * k.se[c][wl]);
    }
    return 0;
}
/* end: klverdict */

const exp_def exp_rbm_kl_def = {kl_ncells, kl_cell, kl_reduce, 0};
