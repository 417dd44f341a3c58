/* Chapter 2, experiment `gate`: the multiplication gate, certified.
 * LT-4 (the gate's error as lambda -> 0), LT-5 (reasonably good at
 * lambda = 1/10), RT-1 (the printed squaring normalization), LT-6 (binary
 * gate), LT-7 (tree of gates), BP-RELU (ReLU net vs smooth gate).  Every
 * verdict is computed from certified bounds (Arb), exact rationals (GMP) or
 * exact counts.
 *
 * The grid, in cell order: the LT-4 sweep (one certified sup per activation
 * and lambda = 2, 1, 1/2, ...), the LT-5 sups at lambda = 1/10 (one per
 * activation), the RT-1 residual, the LT-6 binary gate, the LT-7 trees, the
 * error map, the logistic bias sweep and the BP-RELU tolerances (one per
 * eps).  Nothing here draws a random number.  Reduce writes one data file
 * per part, the macros and the six verdicts, one function per claim. */
#include "claims.h"
#include "experiments.h"
#include "gate.h"
#include "gatecert.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXBOX 4000000L
#define GATE_TREE_TARGET 1e-3
#define TREE_NMAX 64
#define BIAS_N 40
#define RELU_EMIN 2
#define RELU_EMAX 8

/* --- the grid ------------------------------------------------------------------- */
enum { PART_SWEEP, PART_TENTH, PART_RT1, PART_BINARY, PART_TREE, PART_MAP, PART_BIAS, PART_RELU, NPART };

typedef struct {
    int nl;               /* LT-4: lambdas per activation */
    int nmap;             /* error map: (nmap + 1)^2 points */
    int first[NPART + 1]; /* first cell of each part */
} gate_grid;

static gate_grid grid(const exp_ctx *ctx)
{
    int full = ctx->scale == EXP_FULL;
    gate_grid g = {full ? 12 : 8, full ? 80 : 40, {0}};
    int size[NPART] = {GATE_NACT * g.nl, GATE_NACT, 1, 1, 1, 1, 1, RELU_EMAX - RELU_EMIN + 1};
    for (int p = 0; p < NPART; p++) g.first[p + 1] = g.first[p] + size[p];
    return g;
}

/* The part of cell c and its index within the part. */
static int part_of(const gate_grid *g, int c, int *i)
{
    int p = 0;
    while (c >= g->first[p + 1]) p++;
    *i = c - g->first[p];
    return p;
}

static int gate_ncells(const exp_ctx *ctx) { return grid(ctx).first[NPART]; }

/* LT-4 sweep point i: activation i / nl at lambda = 2^(1 - i % nl). */
static double sweep_lambda(const gate_grid *g, int i) { return ldexp(1.0, 1 - i % g->nl); }

/* --- certified sups: the LT-4 sweep and LT-5 ------------------------------------------------ */
/* status: 0 not computed (ELU needs 2 lambda < 2), 1 undecided, 2 certified */
typedef struct {
    int status;
    long boxes;
    double sup_lo, sup_hi;
} sup_cell;

static void sup_run(cellio_out *out, gate_act a, double lambda)
{
    sup_cell s = {0, 0, NAN, NAN};
    if (!(a == GATE_ELU && 2 * lambda >= 2.0)) {
        gate_cert_result r;
        int rc = gate_cert_sup(&r, a, lambda, 1, 1e-3, MAXBOX);
        s.status = rc == 0 && r.verdict == GATE_CERTIFIED ? 2 : 1;
        if (rc == 0) s.boxes = r.boxes, s.sup_lo = r.sup_lo, s.sup_hi = r.sup_hi;
    }
    cellio_put_i64(out, s.status);
    cellio_put_i64(out, s.boxes);
    double x[2] = {s.sup_lo, s.sup_hi};
    cellio_put_f64s(out, x, 2);
}

static sup_cell sup_get(cellio_in *in)
{
    sup_cell s;
    double x[2];
    s.status = (int)cellio_get_i64(in);
    s.boxes = (long)cellio_get_i64(in);
    cellio_get_f64s(in, x, 2);
    s.sup_lo = x[0], s.sup_hi = x[1];
    return s;
}

/* --- RT-1: exact Taylor coefficients and the numerical residual ------------------------------- */
static void rt1_run(cellio_out *out)
{
    long num[5], den[5];
    gate_taylor(num, den, GATE_SOFTPLUS, 4);
    int64_t n[5], d[5];
    for (int k = 0; k < 5; k++) n[k] = num[k], d[k] = den[k];
    double lam = 1e-2;
    cellio_put_i64s(out, n, 5);
    cellio_put_i64s(out, d, 5);
    cellio_put_f64(out, (gate_square_printed(GATE_SOFTPLUS, lam, 1.0) - 1.0) / (lam * lam));
}

/* --- LT-6: binary gate, max error over the 8 bit patterns for beta = 1..60 --------------------- */
static void binary_run(cellio_out *out)
{
    double mx[60];
    for (int bi = 1; bi <= 60; bi++) {
        mx[bi - 1] = 0;
        for (int k = 0; k < 8; k++) {
            int u = k & 1, v = (k >> 1) & 1, w = (k >> 2) & 1;
            double d = fabs(gate_binary(bi, u, v, w) - u * v * w);
            if (d > mx[bi - 1]) mx[bi - 1] = d;
        }
    }
    cellio_put_f64s(out, mx, 60);
}

/* --- LT-7: trees of n = 2..64 softplus gates ---------------------------------------------------- */
/* The tree's error at the corner x_i = 1 (where the gate error is largest)
 * falls as lambda^2 until rounding (eps / lambda^2 per gate) takes over, so
 * bisect (geometrically) for the largest lambda in [1e-3, 1] meeting the
 * target; NaN if even lambda = 1e-3 misses it. */
static double tree_err_at(int n, double lambda)
{
    gate_tree t;
    double x[64], sc[128];
    if (gate_tree_init(&t, GATE_SOFTPLUS, lambda, n) != 0) return NAN;
    for (int i = 0; i < n; i++) x[i] = 1.0;
    double e = fabs(gate_tree_eval(&t, x, sc) - 1.0);
    gate_tree_clear(&t);
    return e;
}

static double tree_lambda_for(int n, double target)
{
    double lo = 1e-3, hi = 1.0;
    if (!(tree_err_at(n, lo) <= target)) return NAN;
    if (tree_err_at(n, hi) <= target) return hi;
    for (int it = 0; it < 50; it++) {
        double mid = sqrt(lo * hi);
        if (tree_err_at(n, mid) <= target) lo = mid;
        else hi = mid;
    }
    return lo;
}

/* Per n = 2..64: layers, gates, copies, neurons (ints), corner error at
 * lambda = 0.05 and the largest lambda meeting the target (doubles). */
#define TREE_N (TREE_NMAX - 1)
static int tree_run(cellio_out *out)
{
    int v[4 * TREE_N];
    double x[2 * TREE_N];
    for (int n = 2; n <= TREE_NMAX; n++) {
        gate_tree t;
        if (gate_tree_init(&t, GATE_SOFTPLUS, 0.05, n) != 0) {
            fprintf(stderr, "deepcheap: gate: tree of %d factors failed\n", n);
            return -1;
        }
        double xs[64], sc[128];
        for (int i = 0; i < n; i++) xs[i] = 1.0; /* all-ones: the gate error is largest at corners */
        double val = gate_tree_eval(&t, xs, sc);
        int k = n - 2;
        v[4 * k] = t.nlayers, v[4 * k + 1] = t.ngates, v[4 * k + 2] = t.ncopies, v[4 * k + 3] = t.nneurons;
        x[2 * k] = fabs(val - 1), x[2 * k + 1] = tree_lambda_for(n, GATE_TREE_TARGET);
        gate_tree_clear(&t);
    }
    cellio_put_ints(out, v, 4 * TREE_N);
    cellio_put_f64s(out, x, 2 * TREE_N);
    return 0;
}

/* --- figures: error map (softplus, lambda = 1/2) and the logistic bias sweep --------------------- */
static double map_coord(int i, int n) { return -1 + 2.0 * i / n; }

static int map_run(cellio_out *out, int n)
{
    size_t m = (size_t)(n + 1) * (n + 1);
    double *e = malloc(m * sizeof *e);
    if (!e) return -1;
    for (int i = 0; i <= n; i++)
        for (int j = 0; j <= n; j++) {
            double x = map_coord(i, n), y = map_coord(j, n);
            e[(size_t)i * (n + 1) + j] = gate_mul(GATE_SOFTPLUS, 0.5, x, y) - x * y;
        }
    cellio_put_f64s(out, e, m);
    free(e);
    return 0;
}

/* Logistic with bias b: m uses s(b +- .), s2 = p(1-p)(1-2p); sup on a grid at lambda = 0.1. */
static void bias_run(cellio_out *out)
{
    double sup[BIAS_N], s2v[BIAS_N];
    for (int k = 1; k <= BIAS_N; k++) {
        double b = 0.1 * k, mx = 0;
        double p = 1 / (1 + exp(-b)), s2 = p * (1 - p) * (1 - 2 * p), l = 0.1;
        for (int i = 0; i <= 20; i++)
            for (int j = 0; j <= 20; j++) {
                double x = -1 + i / 10.0, y = -1 + j / 10.0, q = l * (x + y), r = l * (x - y);
#define LG(z) (1 / (1 + exp(-(z))))
                double m = (LG(b + q) + LG(b - q) - LG(b + r) - LG(b - r)) / (4 * s2 * l * l);
#undef LG
                if (fabs(m - x * y) > mx) mx = fabs(m - x * y);
            }
        sup[k - 1] = mx, s2v[k - 1] = s2;
    }
    cellio_put_f64s(out, sup, BIAS_N);
    cellio_put_f64s(out, s2v, BIAS_N);
}

/* --- BP-RELU: one tolerance eps = 10^-e ------------------------------------------------------------ */
static void relu_run(cellio_out *out, int e)
{
    double eps = pow(10.0, -e), err = 0;
    int m;
    for (m = 1; m <= 40; m++) { /* measured error on a grid incl. the breakpoints' neighbourhoods */
        err = 0;
        for (int i = 0; i <= 400; i++)
            for (int j = 0; j <= 400; j++) {
                double x = -1 + i / 200.0, y = -1 + j / 200.0;
                double d = fabs(gate_relu_mul(m, x, y) - x * y);
                if (d > err) err = d;
            }
        if (err <= eps) break;
    }
    int nn, dep;
    gate_relu_size(&nn, &dep, m);
    /* smooth: softplus gate at lambda = sqrt(6 eps) / 1.01, sup certified */
    double lam = sqrt(6 * eps) / 1.01;
    gate_cert_result r = {GATE_UNDECIDED, 0, NAN, NAN};
    gate_cert_eps(&r, GATE_SOFTPLUS, lam, 1, eps, MAXBOX);
    int v[4] = {m, nn, dep, r.verdict == GATE_CERTIFIED};
    double x[4] = {eps, err, lam, r.sup_hi};
    cellio_put_ints(out, v, 4);
    cellio_put_f64s(out, x, 4);
}

static int gate_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    gate_grid g = grid(ctx);
    int i;
    switch (part_of(&g, c, &i)) {
    case PART_SWEEP: sup_run(out, (gate_act)(i / g.nl), sweep_lambda(&g, i)); return 0;
    case PART_TENTH: sup_run(out, (gate_act)i, 0.1); return 0;
    case PART_RT1: rt1_run(out); return 0;
    case PART_BINARY: binary_run(out); return 0;
    case PART_TREE: return tree_run(out);
    case PART_MAP: return map_run(out, g.nmap);
    case PART_BIAS: bias_run(out); return 0;
    case PART_RELU: relu_run(out, RELU_EMIN + i); return 0;
    }
    return -1;
}

/* --- reduce: one function per claim ------------------------------------------------------- */

/* least-squares slope of log y on log x */
static double fit_slope(const double *x, const double *y, int n)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        double a = log(x[i]), b = log(y[i]);
        sx += a, sy += b, sxx += a * a, sxy += a * b;
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

/* sup over [-1,1]^2 of |x^3 y + x y^3| = 2 (corners): leading-order sup = 2 |q| lambda^2 */
static double lead_pred(gate_act a, double lambda)
{
    long qn, qd;
    gate_taylor_deg4(&qn, &qd, a);
    return 2.0 * fabs((double)qn / (double)qd) * lambda * lambda;
}

/* One activation's sweep (sw: its nl points): its rows, whether the sup
 * falls strictly as lambda falls (certified: sup_hi at the smaller lambda
 * below sup_lo at the larger), and the slope over the four smallest lambdas. */
static int sweep_act(FILE *f, const gate_grid *g, const sup_cell *sw, gate_act a, double *slope)
{
    double lam[16], sup[16], suphi[16];
    int n = 0, ok = 1;
    for (int li = 0; li < g->nl; li++) {
        double l = sweep_lambda(g, li);
        const sup_cell *s = &sw[li];
        if (s->status == 0) continue;
        if (s->status != 2) {
            fprintf(stdout, "# %s lambda %g: undecided\n", gate_act_name(a), l);
            ok = 0;
            continue;
        }
        fprintf(f, "%s\t%.10g\t%.10g\t%.10g\t%.10g\n", gate_act_name(a), l, s->sup_lo, s->sup_hi, lead_pred(a, l));
        lam[n] = l, sup[n] = s->sup_lo, suphi[n] = s->sup_hi, n++;
    }
    for (int i = 1; i < n; i++)
        if (!(suphi[i] < sup[i - 1])) ok = 0;
    int k = n >= 4 ? 4 : n;
    *slope = fit_slope(lam + n - k, sup + n - k, k);
    return ok && fabs(*slope - 2) <= 0.05;
}

static int reduce_lt4(const gate_grid *g, cellio_in *in, run_set *set)
{
    static const char *const name[GATE_NACT] = {"GateSlopeSoftplus", "GateSlopeLogistic", "GateSlopeTanh",
                                                "GateSlopeExp", "GateSlopeElu"};
    sup_cell sw[GATE_NACT * 16];
    for (int i = 0; i < GATE_NACT * g->nl; i++) sw[i] = sup_get(&in[g->first[PART_SWEEP] + i]);
    binio_file f;
    if (run_tsv_open(&f, set, "gate_sup_lambda", "act\tlambda\tsup_lo\tsup_hi\tlead_pred") != 0) return -1;
    int ok = 1;
    double slope[GATE_NACT];
    char m4[256] = "";
    for (int a = 0; a < GATE_NACT; a++) {
        ok &= sweep_act(f.f, g, &sw[a * g->nl], (gate_act)a, &slope[a]);
        snprintf(m4 + strlen(m4), sizeof m4 - strlen(m4), "%s slope %.3f; ", gate_act_name(a), slope[a]);
    }
    if (run_close(set, &f) != 0) return -1;
    texmac m[GATE_NACT];
    for (int a = 0; a < GATE_NACT; a++) m[a] = (texmac)TEXMAC_F(name[a], 3, slope[a]);
    if (run_macros(set, m, GATE_NACT) != 0) return -1;
    /* growth with lambda: certified sup at lambda = 2 exceeds that at 1 for softplus
     * (the sweep's first two points) */
    const sup_cell r2 = sw[GATE_SOFTPLUS * g->nl], r1 = sw[GATE_SOFTPLUS * g->nl + 1];
    int grows = r1.status == 2 && r2.status == 2 && r2.sup_lo > r1.sup_hi;
    long qn, qd;
    gate_taylor_deg4(&qn, &qd, GATE_SOFTPLUS);
    char buf[1200];
    snprintf(buf, sizeof buf, "certified sup decreases as lambda -> 0 (%s); softplus sup(2) %.4g > sup(1) %.4g; exact degree-4 term %ld/%ld lambda^2 (x^3y+xy^3)",
             m4, r2.sup_lo, r1.sup_hi, qn, qd);
    return claims_emit(set, "LT-4", ok && grows && qn == -1 && qd == 12 ? CLAIMS_ERRATUM : CLAIMS_NOT_REPRODUCED, buf,
                       "gate -> xy as lambda -> infinity (text)",
                       "erratum: the gate tends to xy as lambda -> 0 (error ~ lambda^2), and grows with lambda");
}

static int reduce_lt5(const gate_grid *g, cellio_in *in, run_set *set)
{
    static const char *const name[GATE_NACT] = {"GateSupSoftplus", "GateSupLogistic", "GateSupTanh", "GateSupExp",
                                                "GateSupElu"};
    binio_file f;
    if (run_tsv_open(&f, set, "gate_sup_tenth", "act\tlambda\tsup_lo\tsup_hi\tboxes\tlead_pred\tratio") != 0) return -1;
    texmac m[GATE_NACT + 1];
    int nm = 0, ngood = 0;
    char meas[400] = "";
    for (int a = 0; a < GATE_NACT; a++) {
        sup_cell r = sup_get(&in[g->first[PART_TENTH] + a]);
        if (r.status != 2) continue;
        double p = lead_pred((gate_act)a, 0.1);
        fprintf(f.f, "%s\t0.1\t%.10g\t%.10g\t%ld\t%.10g\t%.6f\n", gate_act_name(a), r.sup_lo, r.sup_hi, r.boxes, p,
                r.sup_hi / p);
        m[nm++] = (texmac)TEXMAC_E(name[a], 3, r.sup_hi);
        /* "reasonably good": sup error <= 2% of max |xy| = 1 on the box */
        if (r.sup_hi <= 0.02) ngood++;
        snprintf(meas + strlen(meas), sizeof meas - strlen(meas), "%s %.4g; ", gate_act_name(a), r.sup_hi);
    }
    if (run_close(set, &f) != 0) return -1;
    m[nm++] = (texmac)TEXMAC_I("GateGoodCount", ngood);
    if (run_macros(set, m, (size_t)nm) != 0) return -1;
    claims_verdict v = ngood == GATE_NACT ? CLAIMS_REPRODUCED : ngood > 0 ? CLAIMS_PARTLY : CLAIMS_NOT_REPRODUCED;
    return claims_emit(set, "LT-5", v, meas, "reasonably good for 1/lambda ~ 10",
                       "certified sup |m-xy| on [-1,1]^2 at lambda=1/10; reasonably good := sup <= 0.02 (2% of max|xy|)");
}

/* RT-1: printed normalization 1/sigma''(0) vs exact: [s(x)+s(-x)-2s(0)] = 2 c2 x^2 + 2 c4 x^4 + ...,
 * 2 c2 = sigma''(0), so x^2 + (c4/c2) x^4; check the numerical residual against c4/c2 */
static int reduce_rt1(const gate_grid *g, cellio_in *in, run_set *set)
{
    cellio_in *c = &in[g->first[PART_RT1]];
    int64_t num[5], den[5];
    cellio_get_i64s(c, num, 5);
    cellio_get_i64s(c, den, 5);
    double resid = cellio_get_f64(c);
    double c42 = ((double)num[4] / den[4]) / ((double)num[2] / den[2]);
    int ok = fabs(resid - c42) <= 1e-3 * fabs(c42);
    char buf[400];
    snprintf(buf, sizeof buf, "softplus: (sq(x)-x^2)/(lambda^2 x^4) = %.6g vs exact c4/c2 = %ld/%ld*%ld/%ld = %.6g",
             resid, (long)num[4], (long)den[4], (long)den[2], (long)num[2], c42);
    return claims_emit(set, "RT-1", ok ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, buf,
                       "x^2 = [s(x)+s(-x)-2s(0)]/s''(0) + O(x^4)",
                       "printed normalization 1/sigma''(0) is right; needs sigma''(0) != 0 (logistic needs a bias)");
}

static int reduce_lt6(const gate_grid *g, cellio_in *in, run_set *set)
{
    double mx[60];
    cellio_get_f64s(&in[g->first[PART_BINARY]], mx, 60);
    binio_file f;
    if (run_tsv_open(&f, set, "gate_binary", "beta\tmax_err\tbound") != 0) return -1;
    int ok = 1;
    double prev = 1;
    for (int bi = 1; bi <= 60; bi++) {
        double beta = bi, bound = 1 / (1 + exp(beta / 2)); /* worst pattern: sum 2 or 3, |z| = beta/2 */
        /* float error: 1 - fl(p) for p near 1 is off by at most DBL_EPSILON */
        if (mx[bi - 1] > bound * (1 + 1e-12) + DBL_EPSILON || mx[bi - 1] > prev) ok = 0;
        prev = mx[bi - 1];
        fprintf(f.f, "%g\t%.6g\t%.6g\n", beta, mx[bi - 1], bound);
    }
    if (run_close(set, &f) != 0) return -1;
    double err40 = mx[39];
    const texmac m[] = {TEXMAC_E("GateBinaryErrForty", 2, err40)};
    if (run_macros(set, m, TEXMAC_LEN(m)) != 0) return -1;
    char buf[200];
    snprintf(buf, sizeof buf, "max error over 8 bit patterns = logistic(-beta/2), decreasing; %.3g at beta=40", err40);
    return claims_emit(set, "LT-6", ok && err40 < 1e-8 ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, buf,
                       "uvw as beta -> inf", "");
}

static int reduce_lt7(const gate_grid *g, cellio_in *in, run_set *set)
{
    int v[4 * TREE_N];
    double x[2 * TREE_N];
    cellio_get_ints(&in[g->first[PART_TREE]], v, 4 * TREE_N);
    cellio_get_f64s(&in[g->first[PART_TREE]], x, 2 * TREE_N);
    binio_file f;
    if (run_tsv_open(&f, set, "gate_tree", "n\tlayers\tgates\tcopies\tneurons\tfour_n_minus_one\terr\tlambda_target") != 0)
        return -1;
    int ok = 1, extra = 0;
    for (int n = 2; n <= TREE_NMAX; n++) {
        const int *t = &v[4 * (n - 2)]; /* layers, gates, copies, neurons */
        int L = 0;
        while ((1 << L) < n) L++;
        if (t[1] != n - 1 || t[0] != L || t[3] != 4 * (n - 1) + 2 * t[2]) ok = 0;
        if (t[2]) extra++;
        fprintf(f.f, "%d\t%d\t%d\t%d\t%d\t%d\t%.6g\t%.6g\n", n, t[0], t[1], t[2], t[3], 4 * (n - 1), x[2 * (n - 2)],
                x[2 * (n - 2) + 1]);
    }
    if (run_close(set, &f) != 0) return -1;
    const texmac m[] = {
        TEXMAC_E("GateTreeTarget", 1, GATE_TREE_TARGET),
        TEXMAC_N("GateTreeLambdaSixtyFour", 3, x[2 * (TREE_NMAX - 2) + 1]),
    };
    if (run_macros(set, m, TEXMAC_LEN(m)) != 0) return -1;
    char buf[300];
    snprintf(buf, sizeof buf, "n=2..64: n-1 gates, ceil(log2 n) layers; 4(n-1) neurons exactly for powers of two, plus 2 per copy gate otherwise (%d of 63 sizes)", extra);
    return claims_emit(set, "LT-7", ok ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, buf,
                       "4(n-1) neurons, ceil(log2 n) layers", "copy gates (2 neurons each, layered net) are extra to 4(n-1)");
}

/* The figures' data (no claim): the error map and the bias sweep with its best bias. */
static int reduce_figures(const gate_grid *g, cellio_in *in, run_set *set)
{
    int n = g->nmap;
    size_t nm = (size_t)(n + 1) * (n + 1);
    double *e = malloc(nm * sizeof *e);
    if (!e) return -1;
    cellio_get_f64s(&in[g->first[PART_MAP]], e, nm);
    binio_file f;
    int rc = run_tsv_open(&f, set, "gate_map", "x\ty\terr");
    for (int i = 0; rc == 0 && i <= n; i++) {
        for (int j = 0; j <= n; j++)
            fprintf(f.f, "%.6g\t%.6g\t%.8g\n", map_coord(i, n), map_coord(j, n), e[(size_t)i * (n + 1) + j]);
        fprintf(f.f, "\n");
    }
    free(e);
    if (rc != 0 || run_close(set, &f) != 0) return -1;
    double sup[BIAS_N], s2[BIAS_N], bestb = 0, best = INFINITY;
    cellio_get_f64s(&in[g->first[PART_BIAS]], sup, BIAS_N);
    cellio_get_f64s(&in[g->first[PART_BIAS]], s2, BIAS_N);
    if (run_tsv_open(&f, set, "gate_bias", "b\tsup\ts2") != 0) return -1;
    for (int k = 1; k <= BIAS_N; k++) {
        double b = 0.1 * k;
        if (sup[k - 1] < best) best = sup[k - 1], bestb = b;
        fprintf(f.f, "%.3g\t%.8g\t%.8g\n", b, sup[k - 1], s2[k - 1]);
    }
    if (run_close(set, &f) != 0) return -1;
    const texmac m[] = {TEXMAC_F("GateBestBias", 2, bestb), TEXMAC_E("GateBestBiasSup", 3, best)};
    return run_macros(set, m, TEXMAC_LEN(m));
}

static int reduce_relu(const gate_grid *g, cellio_in *in, run_set *set)
{
    binio_file f;
    if (run_tsv_open(&f, set, "gate_relu",
                     "eps\trelu_m\trelu_neurons\trelu_depth\trelu_err\tsmooth_lambda\tsmooth_neurons\tsmooth_sup_hi") != 0)
        return -1;
    int ok = 1, prev = -1, nn8 = 0;
    char meas[480] = "";
    for (int e = RELU_EMIN; e <= RELU_EMAX; e++) {
        int v[4]; /* m, neurons, depth, smooth certified */
        double x[4]; /* eps, relu error, lambda, smooth sup_hi */
        cellio_get_ints(&in[g->first[PART_RELU] + e - RELU_EMIN], v, 4);
        cellio_get_f64s(&in[g->first[PART_RELU] + e - RELU_EMIN], x, 4);
        if (!v[3] || v[1] <= prev) ok = 0;
        prev = v[1];
        fprintf(f.f, "%g\t%d\t%d\t%d\t%.6g\t%.6g\t4\t%.6g\n", x[0], v[0], v[1], v[2], x[1], x[2], x[3]);
        snprintf(meas + strlen(meas), sizeof meas - strlen(meas), "eps 1e-%d: relu %d neurons, smooth 4; ", e, v[1]);
        if (e == 8) nn8 = v[1];
    }
    if (run_close(set, &f) != 0) return -1;
    const texmac m[] = {TEXMAC_I("GateReluNeuronsEightDigits", nn8)};
    if (run_macros(set, m, TEXMAC_LEN(m)) != 0) return -1;
    return claims_emit(set, "BP-RELU", ok ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, meas, "",
                       "ReLU error measured on a 401^2 grid; smooth gate sup certified (Arb)");
}

static int gate_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    gate_grid g = grid(ctx);
    if (n != g.first[NPART]) return -1;
    /* this order keeps the macro file's order */
    if (reduce_lt4(&g, in, set) || reduce_lt5(&g, in, set) || reduce_rt1(&g, in, set) || reduce_lt6(&g, in, set) ||
        reduce_lt7(&g, in, set) || reduce_figures(&g, in, set) || reduce_relu(&g, in, set))
        return -1;
    return 0;
}

const exp_def exp_gate_def = {gate_ncells, gate_cell, gate_reduce, 0};
