/* Chapter 2, experiment `gate`: the multiplication gate, certified.
 * LT-4 (the gate's error as lambda -> 0), LT-5 (reasonably good at
 * lambda = 1/10), RT-1 (the printed squaring normalization), LT-6 (binary
 * gate), LT-7 (tree of gates), BP-RELU (ReLU net vs smooth gate).  Every
 * verdict is computed from certified bounds (Arb), exact rationals (GMP),
 * exact counts or measured float errors.
 *
 * The grid, in cell order: the LT-4 sweep (one certified sup per activation
 * and lambda = 2, 1, 1/2, ...), the LT-5 sups at lambda = 1/10 (one per
 * activation), the exact Taylor coefficients and the RT-1 values, the LT-6
 * binary gate, the LT-7 trees, the error map, the logistic bias sweep, the
 * BP-RELU tolerances (one per eps) and the two precision sweeps (the smooth
 * gate over lambda, the ReLU net over its depth, in float64 and float32).
 * Nothing here draws a random number.  Reduce writes one data file per part
 * and the macros; each claim's verdict is a function of those data files
 * (vd_gate_*, at the end), which the runner calls after reduce. */
#include "claims.h"
#include "experiments.h"
#include "gate.h"
#include "gatecert.h"
#include "verdicts.h"

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
#define RT1_NL 2          /* RT-1: the printed squaring form at two lambdas */
#define FLOOR_NK 89       /* smooth precision sweep: lambda = 2^(-k/4), k = 0..88 */
#define FLOOR_NM 30       /* ReLU precision sweep: m = 1..30 compositions */
#define FLOOR_GRID 200    /* precision sweeps: (FLOOR_GRID + 1)^2 points of [-1,1]^2 */
#define RELU_GRID 400     /* BP-RELU tolerances: (RELU_GRID + 1)^2 points */

static const double rt1_lambda[RT1_NL] = {1e-2, 2e-2};

/* --- the grid ------------------------------------------------------------------- */
enum { PART_SWEEP, PART_TENTH, PART_RT1, PART_BINARY, PART_TREE, PART_MAP, PART_BIAS, PART_RELU, PART_FLOOR, NPART };

typedef struct {
    int nl;               /* LT-4: lambdas per activation */
    int nmap;             /* error map: (nmap + 1)^2 points */
    int first[NPART + 1]; /* first cell of each part */
} gate_grid;

static gate_grid grid(const exp_ctx *ctx)
{
    int full = ctx->scale == EXP_FULL;
    gate_grid g = {full ? 12 : 8, full ? 80 : 40, {0}};
    int size[NPART] = {GATE_NACT * g.nl, GATE_NACT, 1, 1, 1, 1, 1, RELU_EMAX - RELU_EMIN + 1, 2};
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
/* --- exact Taylor coefficients (every activation) and RT-1 ----------------------------------- */
/* Per activation: c2 and c4 of u -> sigma(b + u) and q = 2 c4 / c2 (the
 * degree-4 term of m - xy is q lambda^2 (x^3 y + x y^3)), as exact fractions;
 * then the printed RT Prop. II.6 form at x = 1 for each RT-1 lambda. */
static void rt1_run(cellio_out *out)
{
    int64_t v[6 * GATE_NACT];
    for (int a = 0; a < GATE_NACT; a++) {
        long num[5], den[5], qn, qd;
        gate_taylor(num, den, (gate_act)a, 4);
        gate_taylor_deg4(&qn, &qd, (gate_act)a);
        int64_t *w = &v[6 * a];
        w[0] = num[2], w[1] = den[2], w[2] = num[4], w[3] = den[4], w[4] = qn, w[5] = qd;
    }
    cellio_put_i64s(out, v, 6 * GATE_NACT);
    double sq[RT1_NL];
    for (int k = 0; k < RT1_NL; k++) sq[k] = gate_square_printed(GATE_SOFTPLUS, rt1_lambda[k], 1.0);
    cellio_put_f64s(out, sq, RT1_NL);
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

/* --- BP-RELU: both nets in float64 and float32 ----------------------------------------------------- */
/* listing: float32 */
/* The softplus gate (b = 0, sigma''(0) = 1/4) and the ReLU net of src/gate.c, */
/* every operation in float32. */
static float softplus32(float x) { return x > 0 ? x + log1pf(expf(-x)) : log1pf(expf(x)); }

static float gate_mul32(float lambda, float x, float y)
{
    float p = lambda * (x + y), q = lambda * (x - y);
    float num = (softplus32(p) + softplus32(-p)) - (softplus32(q) + softplus32(-q));
    return num / (4 * 0.25f * lambda * lambda);
}

static float relu32(float x) { return x > 0 ? x : 0; }

static float relu_square32(int m, float x)
{
    float g = x, f = x, p = 1.0f;
    for (int s = 1; s <= m; s++) {
        g = 2 * relu32(g) - 4 * relu32(g - 0.5f) + 2 * relu32(g - 1.0f);
        p *= 0.25f;
        f = relu32(f - p * g);
    }
    return f;
}

static float relu_mul32(int m, float x, float y)
{
    float p = 0.5f * (relu32(x + y) + relu32(-x - y)), q = 0.5f * (relu32(x - y) + relu32(y - x));
    return relu_square32(m, p) - relu_square32(m, q);
}
/* end: float32 */

/* Max |net(x,y) - xy| over the (n + 1)^2 grid of [-1,1]^2 (corners and axes
 * included), the product taken in double from the net's own (rounded)
 * inputs: net 0 the softplus gate at lambda, net 1 the ReLU net with m
 * compositions; in float64 (f32 = 0) or float32. */
static double grid_err(int net, int f32, double lambda, int m, int n)
{
    double err = 0;
    for (int i = 0; i <= n; i++)
        for (int j = 0; j <= n; j++) {
            double x = -1 + 2.0 * i / n, y = -1 + 2.0 * j / n, v;
            if (f32) {
                float xf = (float)x, yf = (float)y;
                v = net ? relu_mul32(m, xf, yf) : gate_mul32((float)lambda, xf, yf);
                x = xf, y = yf;
            } else {
                v = net ? gate_relu_mul(m, x, y) : gate_mul(GATE_SOFTPLUS, lambda, x, y);
            }
            double d = fabs(v - x * y);
            if (!(d <= err)) err = d; /* a NaN propagates */
        }
    return err;
}

/* The largest |weight| or |bias| of the ReLU net (src/gate.c, listing relu):
 * abs neurons read x +- y (1) and are halved (1/2); a tooth reads
 * g = 2 r1 - 4 r2 + 2 r3 with biases -1/2, -1; the carry f - 4^-s g; the
 * output f_m(p) - f_m(q). */
static double relu_max_weight(void)
{
    static const double w[] = {1, 0.5, 2, -4, 2, -0.5, -1, 0.25, 1, -1};
    double mx = 0;
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        if (fabs(w[i]) > mx) mx = fabs(w[i]);
    return mx;
}

/* One tolerance eps = 10^-e: the ReLU net with the fewest compositions m
 * whose measured error (float64) is <= eps, and the softplus gate at
 * lambda = sqrt(6 eps) / 1.01 with its sup certified (exact arithmetic);
 * both also measured in float64 and float32, with their largest weights. */
static void relu_run(cellio_out *out, int e)
{
    double eps = pow(10.0, -e), err = 0;
    int m;
    for (m = 1; m <= 40; m++) { /* measured error on a grid incl. the breakpoints' neighbourhoods */
        err = grid_err(1, 0, 0, m, RELU_GRID);
        if (err <= eps) break;
    }
    if (m > 40) m = 40;
    int nn, dep;
    gate_relu_size(&nn, &dep, m);
    /* smooth: softplus gate at lambda = sqrt(6 eps) / 1.01, sup certified */
    double lam = sqrt(6 * eps) / 1.01;
    gate_cert_result r = {GATE_UNDECIDED, 0, NAN, NAN};
    gate_cert_eps(&r, GATE_SOFTPLUS, lam, 1, eps, MAXBOX);
    gate_tree t; /* one gate: the tree of two factors */
    int ns = gate_tree_init(&t, GATE_SOFTPLUS, lam, 2) == 0 ? t.nneurons : -1;
    gate_tree_clear(&t);
    int v[5] = {m, nn, dep, (int)r.verdict, ns};
    double x[9] = {eps, err, lam, r.sup_hi, grid_err(1, 1, 0, m, RELU_GRID), relu_max_weight(),
                   1 / (4 * gate_s2(GATE_SOFTPLUS) * lam * lam), grid_err(0, 0, lam, 0, RELU_GRID),
                   grid_err(0, 1, lam, 0, RELU_GRID)};
    cellio_put_ints(out, v, 5);
    cellio_put_f64s(out, x, 9);
}

/* lambda of the smooth precision sweep's point k: 2^(-k/4) */
static double floor_lambda(int k) { return ldexp(pow(2.0, -(k % 4) / 4.0), -(k / 4)); }

/* The precision sweeps: which = 0, the softplus gate at lambda = 2^(-k/4)
 * (float64 and float32 error); which = 1, the ReLU net for m = 1..FLOOR_NM. */
static void floor_run(cellio_out *out, int which)
{
    int n = which ? FLOOR_NM : FLOOR_NK;
    double e[2 * FLOOR_NK];
    for (int k = 0; k < n; k++) {
        double lam = which ? 0 : floor_lambda(k);
        e[2 * k] = grid_err(which, 0, lam, k + 1, FLOOR_GRID);
        e[2 * k + 1] = grid_err(which, 1, lam, k + 1, FLOOR_GRID);
    }
    cellio_put_f64s(out, e, 2 * (size_t)n);
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
    case PART_FLOOR: floor_run(out, i); return 0;
    }
    return -1;
}

/* --- verdicts: each claim's rule, a function of the data files alone ---------------------- */
/* (bench/verdicts.h.)  The reduce below also reads its own files back
 * through these helpers for the macros, so the chapter's numbers are the
 * ones the rules see. */

/* Column indices of names[0..k) in t into c[]; -1 (d->err names the column) if one is missing. */
static int cols(vd_data *d, const tsv_table *t, int k, const char *const *names, int *c)
{
    for (int i = 0; i < k; i++)
        if ((c[i] = vd_col(d, t, names[i])) < 0) return -1;
    return 0;
}

static const claims_printed *printed_or_err(vd_data *d, const char *id, int k)
{
    const claims_printed *p = vd_printed(d, id, k);
    if (!p) snprintf(d->err, sizeof d->err, "no printed statement %d registered for %s", k, id);
    return p;
}

/* v with sig significant digits, the exponent compact ("1.7e7", "1.4e-8", "0.0031"). */
static const char *gnum(char *buf, size_t n, int sig, double v)
{
    char t[24], *e;
    snprintf(t, sizeof t, "%.*g", sig, v);
    if ((e = strchr(t, 'e')) != NULL) {
        int x = atoi(e + 1);
        *e = 0;
        snprintf(buf, n, "%se%d", t, x);
    } else {
        snprintf(buf, n, "%s", t);
    }
    return buf;
}

/* Least-squares slope of log y on log x over n points; *tol: the most the
 * slope can move when every log y moves by at most dy (sum of |weights| dy). */
static double fit_slope(const double *x, const double *y, int n, double dy, double *tol)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        double a = log(x[i]), b = log(y[i]);
        sx += a, sy += b, sxx += a * a, sxy += a * b;
    }
    double den = n * sxx - sx * sx, w = 0;
    for (int i = 0; i < n; i++) w += fabs(n * log(x[i]) - sx) / den;
    *tol = w * dy;
    return (n * sxy - sx * sy) / den;
}

/* The exact fractions of activation a in gate_taylor.tsv: c2, c4 and
 * q = 2 c4 / c2 as v[0..5] = c2 num, den, c4 num, den, q num, den. */
static int taylor_row(vd_data *d, gate_act a, long v[6])
{
    static const char *const names[7] = {"act", "c2_num", "c2_den", "c4_num", "c4_den", "q_num", "q_den"};
    const tsv_table *t = vd_table(d, "gate_taylor.tsv");
    int c[7];
    if (!t || cols(d, t, 7, names, c) != 0) return -1;
    for (int i = 0; i < t->nrows; i++)
        if (strcmp(tsv_str(t, i, c[0]), gate_act_name(a)) == 0) {
            for (int k = 0; k < 6; k++) v[k] = (long)tsv_num(t, i, c[k + 1]);
            return 0;
        }
    snprintf(d->err, sizeof d->err, "gate_taylor.tsv: no row for %s", gate_act_name(a));
    return -1;
}

/* --- LT-4: in which limit does the gate tend to xy? --------------------------------------- */
#define LT4_ORDER 2.0      /* Eq. 11: m = xy [1 + O(lambda^2 (x^2 + y^2))] */
#define LT4_SLOPE_TOL 0.05 /* |fitted slope - (+-LT4_ORDER)| */
#define LT4_NFIT 4         /* points nearest the limit in the fit */
#define LT4_MAXROWS 32

typedef struct {
    int n, undecided;                                          /* certified points; the others */
    double lam[LT4_MAXROWS], lo[LT4_MAXROWS], hi[LT4_MAXROWS]; /* lambda decreasing */
} lt4_act;

static int lt4_read(vd_data *d, lt4_act s[GATE_NACT])
{
    static const char *const names[5] = {"act", "lambda", "sup_lo", "sup_hi", "status"};
    const tsv_table *t = vd_table(d, "gate_sup_lambda.tsv");
    int c[5];
    if (!t || cols(d, t, 5, names, c) != 0) return -1;
    memset(s, 0, sizeof(lt4_act) * GATE_NACT);
    for (int i = 0; i < t->nrows; i++) {
        gate_act a;
        if (gate_act_parse(tsv_str(t, i, c[0]), &a) != 0 || s[a].n == LT4_MAXROWS) {
            snprintf(d->err, sizeof d->err, "gate_sup_lambda.tsv: bad row %d", i + 1);
            return -1;
        }
        lt4_act *x = &s[a];
        if (strcmp(tsv_str(t, i, c[4]), "certified") != 0) {
            x->undecided++;
            continue;
        }
        double l = tsv_num(t, i, c[1]), lo = tsv_num(t, i, c[2]), hi = tsv_num(t, i, c[3]);
        int k = x->n++;
        for (; k > 0 && x->lam[k - 1] < l; k--)
            x->lam[k] = x->lam[k - 1], x->lo[k] = x->lo[k - 1], x->hi[k] = x->hi[k - 1];
        x->lam[k] = l, x->lo[k] = lo, x->hi[k] = hi;
    }
    return 0;
}

/* +1 when the certified sups vanish as lambda -> 0 at the order of Eq. 11:
 * each sup_hi below the sup_lo of the next larger lambda, and the log-log
 * slope over the LT4_NFIT smallest lambdas within LT4_SLOPE_TOL of
 * LT4_ORDER; -1 for the mirror image (vanishing as lambda -> infinity, the
 * slope over the largest lambdas near -LT4_ORDER); 0 neither.  *slope is
 * the fitted one (of sup_lo), *tol how far the certified enclosures let it move. */
static int lt4_direction(const lt4_act *x, double *slope, double *tol)
{
    *slope = *tol = NAN;
    if (x->n < LT4_NFIT) return 0;
    int down = 1, up = 1;
    for (int i = 1; i < x->n; i++) {
        if (!(x->hi[i] < x->lo[i - 1])) down = 0; /* falls as lambda falls */
        if (!(x->lo[i] > x->hi[i - 1])) up = 0;   /* falls as lambda grows */
    }
    int k = up && !down ? 0 : x->n - LT4_NFIT;
    double dy = 0;
    for (int i = k; i < k + LT4_NFIT; i++) dy = fmax(dy, log(x->hi[i] / x->lo[i]));
    *slope = fit_slope(x->lam + k, x->lo + k, LT4_NFIT, dy, tol);
    if (down && fabs(*slope - LT4_ORDER) <= LT4_SLOPE_TOL) return 1;
    if (up && fabs(*slope + LT4_ORDER) <= LT4_SLOPE_TOL) return -1;
    return 0;
}

static const char *limit_words(double limit)
{
    return limit == 0 ? "lambda -> 0" : isinf(limit) ? "lambda -> infinity" : "neither limit";
}

/* Rule: the computed limit is lambda -> 0 when every activation's sups
 * vanish that way (lt4_direction), lambda -> infinity when every one
 * vanishes the other way, else none.  A sweep point whose sup could not be
 * certified: inconclusive.  No limit: not-reproduced.  The limit the paper
 * printed (LT-4's registered statement): reproduced; another: erratum. */
int vd_gate_lt4(vd_result *r, vd_data *d)
{
    lt4_act s[GATE_NACT];
    long q[6];
    const claims_printed *p = printed_or_err(d, "LT-4", 0);
    if (!p || lt4_read(d, s) != 0 || taylor_row(d, GATE_SOFTPLUS, q) != 0) return -1;
    int n0 = 0, ninf = 0, nund = 0;
    char sl[256] = "";
    for (int a = 0; a < GATE_NACT; a++) {
        double slope, tol;
        int dir = lt4_direction(&s[a], &slope, &tol);
        n0 += dir == 1, ninf += dir == -1, nund += s[a].undecided;
        snprintf(sl + strlen(sl), sizeof sl - strlen(sl), "%s%s %.3f", a ? ", " : "", gate_act_name(a), slope);
        char name[48];
        snprintf(name, sizeof name, "slope_%s", gate_act_name(a));
        vd_value(r, name, slope, tol);
    }
    double limit = n0 == GATE_NACT ? 0.0 : ninf == GATE_NACT ? INFINITY : NAN;
    r->verdict = nund ? CLAIMS_INCONCLUSIVE
                 : isnan(limit) ? CLAIMS_NOT_REPRODUCED
                 : limit == p->value ? CLAIMS_REPRODUCED : CLAIMS_ERRATUM;
    const lt4_act *sp = &s[GATE_SOFTPLUS];
    vd_measured(r, "certified sup vanishes as %s, at order %g (fitted slopes: %s); softplus %.4g at lambda %g, %.4g at %g; exact leading term %ld/%ld times lambda squared times (x cubed y + x y cubed) for softplus",
                limit_words(limit), LT4_ORDER, sl, sp->n > 1 ? sp->lo[0] : NAN, sp->n > 1 ? sp->lam[0] : NAN,
                sp->n > 1 ? sp->hi[1] : NAN, sp->n > 1 ? sp->lam[1] : NAN, q[4], q[5]);
    vd_paper(r, "%s (%s)", p->value_text, p->where);
    if (nund)
        vd_note(r, "%d sweep points not certified (branch and bound ran out of boxes): cannot decide the limit", nund);
    else
        vd_note(r, "computed: the gate tends to xy as %s (%d of %d activations; the other limit: %d); printed: %s%s",
                limit_words(limit), limit == 0 ? n0 : ninf, GATE_NACT, limit == 0 ? ninf : n0, p->quote,
                r->verdict == CLAIMS_ERRATUM ? " (erratum: the error is O(lambda^2) and grows with lambda)" : "");
    return 0;
}

/* --- LT-5: reasonably good at lambda = 1/10 ------------------------------------------------- */
#define LT5_THRESHOLD 0.02 /* "reasonably good": certified sup <= 2% of max|xy| = 1 on [-1,1]^2 */
/* the thresholds the chapter also shows the verdict at */
static const double lt5_grid[] = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1};
#define LT5_NGRID ((int)(sizeof lt5_grid / sizeof lt5_grid[0]))

typedef struct {
    int n, undecided;
    gate_act act[GATE_NACT];
    double lo[GATE_NACT], hi[GATE_NACT];
} lt5_data;

static int lt5_read(vd_data *d, lt5_data *x)
{
    static const char *const names[4] = {"act", "sup_lo", "sup_hi", "status"};
    const tsv_table *t = vd_table(d, "gate_sup_tenth.tsv");
    int c[4];
    if (!t || cols(d, t, 4, names, c) != 0) return -1;
    memset(x, 0, sizeof *x);
    for (int i = 0; i < t->nrows; i++) {
        gate_act a;
        if (gate_act_parse(tsv_str(t, i, c[0]), &a) != 0 || x->n == GATE_NACT) {
            snprintf(d->err, sizeof d->err, "gate_sup_tenth.tsv: bad row %d", i + 1);
            return -1;
        }
        if (strcmp(tsv_str(t, i, c[3]), "certified") != 0) {
            x->undecided++;
            continue;
        }
        x->act[x->n] = a, x->lo[x->n] = tsv_num(t, i, c[1]), x->hi[x->n] = tsv_num(t, i, c[2]);
        x->n++;
    }
    x->undecided += GATE_NACT - x->n - x->undecided; /* a missing activation is undecided too */
    return 0;
}

/* Rule at threshold thr: every activation's certified sup <= thr:
 * reproduced; some: partly; none: not-reproduced.  An activation whose sup
 * is not certified: inconclusive, unless the certified ones already make
 * it partly (some within thr, some not). */
static claims_verdict lt5_rule(const lt5_data *x, double thr, int *ngood)
{
    *ngood = 0;
    for (int i = 0; i < x->n; i++) *ngood += x->hi[i] <= thr;
    int nbad = x->n - *ngood;
    if (*ngood && nbad) return CLAIMS_PARTLY;
    if (x->undecided) return CLAIMS_INCONCLUSIVE;
    return nbad == 0 ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED;
}

int vd_gate_lt5(vd_result *r, vd_data *d)
{
    lt5_data x;
    if (lt5_read(d, &x) != 0) return -1;
    int ngood;
    r->verdict = lt5_rule(&x, LT5_THRESHOLD, &ngood);
    char meas[400] = "", grid[400] = "";
    for (int i = 0; i < x.n; i++) {
        snprintf(meas + strlen(meas), sizeof meas - strlen(meas), "%s %.4g; ", gate_act_name(x.act[i]), x.hi[i]);
        char name[48];
        snprintf(name, sizeof name, "sup_%s", gate_act_name(x.act[i]));
        vd_value(r, name, x.hi[i], x.hi[i] - x.lo[i]); /* the certified enclosure */
    }
    vd_value(r, "n_within_threshold", ngood, 0);
    for (int k = 0; k < LT5_NGRID; k++) {
        int g;
        claims_verdict v = lt5_rule(&x, lt5_grid[k], &g);
        snprintf(grid + strlen(grid), sizeof grid - strlen(grid), "%s%g%%: %s (%d of %d)", k ? ", " : "",
                 100 * lt5_grid[k], claims_verdict_name(v), g, GATE_NACT);
    }
    vd_measured(r, "%s%d of %d within %g%%", meas, ngood, GATE_NACT, 100 * LT5_THRESHOLD);
    vd_paper(r, "reasonably good for 1/lambda ~ 10");
    vd_note(r, "certified sup |m-xy| on [-1,1]^2 at lambda=1/10; reasonably good := sup <= %g (%g%% of max|xy|)%s; verdict at other thresholds: %s",
            LT5_THRESHOLD, 100 * LT5_THRESHOLD, x.undecided ? "; some sups not certified" : "", grid);
    return 0;
}

/* --- RT-1: the printed squaring normalization --------------------------------------------- */
#define RT1_MATCH 1e-6     /* |computed divisor - printed divisor| in units of sigma''(0) */
#define RT1_COEF_RTOL 1e-3 /* the next coefficient agrees with the exact c4/c2 to this */

/* The printed form at two lambdas (x = 1): y = sq / x^2 = F (1 + (c4/c2) t + O(t^2)),
 * t = lambda^2 x^2, so Richardson extrapolation gives the leading coefficient F
 * (the right divisor is F sigma''(0)) and the next one r = F c4/c2. */
typedef struct {
    double lam[2], resid[2], F, r, exact, tolF, tolr;
    long c4c2[2]; /* c4/c2 as a reduced fraction */
} rt1_fit;

static long gcdl(long a, long b) { return b ? gcdl(b, a % b) : (a < 0 ? -a : a); }

static int rt1_read(vd_data *d, rt1_fit *f)
{
    static const char *const names[5] = {"act", "lambda", "x", "sq_printed", "resid"};
    const tsv_table *t = vd_table(d, "gate_rt1.tsv");
    int c[5];
    long q[6];
    if (!t || cols(d, t, 5, names, c) != 0 || taylor_row(d, GATE_SOFTPLUS, q) != 0) return -1;
    if (t->nrows != 2 || tsv_num(t, 0, c[1]) == tsv_num(t, 1, c[1])) {
        snprintf(d->err, sizeof d->err, "gate_rt1.tsv: need two rows at different lambdas");
        return -1;
    }
    double tt[2], y[2];
    for (int i = 0; i < 2; i++) {
        double l = tsv_num(t, i, c[1]), x = tsv_num(t, i, c[2]);
        f->lam[i] = l, f->resid[i] = tsv_num(t, i, c[4]);
        tt[i] = l * l * x * x, y[i] = tsv_num(t, i, c[3]) / (x * x);
    }
    f->F = (tt[1] * y[0] - tt[0] * y[1]) / (tt[1] - tt[0]);
    f->r = (y[1] - y[0]) / (tt[1] - tt[0]);
    long num = q[2] * q[1], den = q[3] * q[0], g = gcdl(num, den);
    if (den < 0) g = -g;
    f->c4c2[0] = g ? num / g : num, f->c4c2[1] = g ? den / g : den;
    f->exact = (double)f->c4c2[0] / (double)f->c4c2[1];
    /* float error: each form value is good to ~16 ulp / lambda^2 (four terms near ln 2 cancel) */
    double e = 16 * DBL_EPSILON / fmin(tt[0], tt[1]);
    f->tolF = e * (tt[0] + tt[1]) / fabs(tt[1] - tt[0]);
    f->tolr = 2 * e / fabs(tt[1] - tt[0]);
    return 0;
}

/* Rule: the next coefficient r / F must agree with the exact c4/c2 (else
 * the data do not follow x^2 + O(x^4): not-reproduced); then the computed
 * divisor F sigma''(0) against the printed one (RT-1's registered value, in
 * units of sigma''(0)): equal within RT1_MATCH: reproduced, else erratum. */
int vd_gate_rt1(vd_result *r, vd_data *d)
{
    rt1_fit f;
    const claims_printed *p = printed_or_err(d, "RT-1", 0);
    if (!p || rt1_read(d, &f) != 0) return -1;
    int consistent = fabs(f.r / f.F - f.exact) <= RT1_COEF_RTOL * fabs(f.exact);
    r->verdict = !consistent ? CLAIMS_NOT_REPRODUCED
                 : fabs(f.F - p->value) <= RT1_MATCH ? CLAIMS_REPRODUCED : CLAIMS_ERRATUM;
    vd_measured(r, "softplus: the printed form's leading coefficient is %.9f (Richardson, lambda %g and %g), so the divisor is %.6f times the second derivative at 0; next coefficient %.6g vs exact c4/c2 = %ld/%ld = %.6g (residual %.6g at lambda %g)",
                f.F, f.lam[0], f.lam[1], f.F, f.r / f.F, f.c4c2[0], f.c4c2[1], f.exact, f.resid[0], f.lam[0]);
    vd_paper(r, "%s (%s)", p->value_text, p->where);
    vd_note(r, "printed divisor %g times sigma''(0) (%s); needs sigma''(0) != 0 (logistic needs a bias)%s", p->value,
            p->value_text, consistent ? "" : "; the data do not follow x^2 + O(x^4) with the exact coefficient");
    vd_value(r, "leading_coefficient", f.F, f.tolF);
    vd_value(r, "next_coefficient", f.r, f.tolr);
    return 0;
}

/* --- LT-6: the binary gate ------------------------------------------------------------------- */
#define LT6_BETA 40  /* "as beta -> inf": at beta = 40 ... */
#define LT6_ERR 1e-8 /* ... the gate is exact to 8 digits */

/* Rule: at every beta the max error over the 8 bit patterns is at most the
 * worst pattern's logistic(-beta/2) (slack: 1e-12 relative plus one
 * DBL_EPSILON, the rounding of 1 - p near 1) and does not grow with beta,
 * and at beta = LT6_BETA it is below LT6_ERR: reproduced; else not-reproduced. */
int vd_gate_lt6(vd_result *r, vd_data *d)
{
    static const char *const names[4] = {"beta", "max_err", "bound", "excess"};
    const tsv_table *t = vd_table(d, "gate_binary.tsv");
    int c[4];
    if (!t || cols(d, t, 4, names, c) != 0) return -1;
    int above = 0, rises = 0;
    double err40 = NAN, worst = -INFINITY, prev = INFINITY, bmax = 0;
    for (int i = 0; i < t->nrows; i++) {
        double b = tsv_num(t, i, c[0]), e = tsv_num(t, i, c[1]), bound = tsv_num(t, i, c[2]);
        double ex = tsv_num(t, i, c[3]);
        if (!(ex <= 1e-12 * bound + DBL_EPSILON)) above++;
        if (!(e <= prev)) rises++;
        prev = e, worst = fmax(worst, ex), bmax = fmax(bmax, b);
        if (b == LT6_BETA) err40 = e;
    }
    int ok = t->nrows > 0 && !above && !rises && err40 < LT6_ERR;
    r->verdict = ok ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED;
    char b1[48], b2[48];
    vd_measured(r, "max error over 8 bit patterns %s logistic(-beta/2) for beta = 1..%g (largest excess %s), %s; %s at beta=%d",
                above ? "exceeds" : "=", bmax, gnum(b1, sizeof b1, 2, worst), rises ? "not monotone" : "decreasing",
                gnum(b2, sizeof b2, 3, err40), LT6_BETA);
    vd_paper(r, "uvw as beta -> inf");
    vd_note(r, "rule: error <= logistic(-beta/2) + rounding at every beta, non-increasing, < %g at beta = %d", LT6_ERR,
            LT6_BETA);
    vd_value(r, "err_beta40", err40, fmax(4 * DBL_EPSILON, 1e-6 * err40)); /* 6 digits in the file */
    vd_value(r, "max_excess", worst, 4 * DBL_EPSILON);
    vd_value(r, "n_not_monotone", rises, 0);
    return 0;
}

/* --- LT-7: the tree of gates ------------------------------------------------------------------ */
#define LT7_MAXN 256
#define LT7_COPY_NEURONS 2 /* a copy gate (LT footnote 3): two neurons */

typedef struct {
    int rows, n[LT7_MAXN], layers[LT7_MAXN], gates[LT7_MAXN], copies[LT7_MAXN], neurons[LT7_MAXN];
    double err[LT7_MAXN], lam[LT7_MAXN];
} lt7_data;

/* The tree error against n - 1: a (least squares through 0), the largest
 * relative deviation from a (n - 1), the largest relative deviation of an
 * increment err(n) - err(n-1) from a where the depth grows (n = 2^k + 1)
 * and anywhere, and the exponent of the lambda that meets the target
 * against n - 1. */
typedef struct {
    double a, dev, step, inc, lam_exp, lam_last;
    int nlast;
} lt7_fit;

static int lt7_read(vd_data *d, lt7_data *x)
{
    static const char *const names[7] = {"n", "layers", "gates", "copies", "neurons", "err", "lambda_target"};
    const tsv_table *t = vd_table(d, "gate_tree.tsv");
    int c[7];
    if (!t || cols(d, t, 7, names, c) != 0) return -1;
    if (t->nrows < 2 || t->nrows > LT7_MAXN) {
        snprintf(d->err, sizeof d->err, "gate_tree.tsv: %d rows", t->nrows);
        return -1;
    }
    x->rows = t->nrows;
    for (int i = 0; i < t->nrows; i++) {
        int *v[5] = {x->n, x->layers, x->gates, x->copies, x->neurons};
        for (int k = 0; k < 5; k++) v[k][i] = (int)tsv_num(t, i, c[k]);
        x->err[i] = tsv_num(t, i, c[5]), x->lam[i] = tsv_num(t, i, c[6]);
    }
    return 0;
}

static void lt7_linear(const lt7_data *x, lt7_fit *f)
{
    double sxy = 0, sxx = 0, lx[LT7_MAXN], ly[LT7_MAXN];
    int nl = 0;
    for (int i = 0; i < x->rows; i++) sxy += (x->n[i] - 1) * x->err[i], sxx += (double)(x->n[i] - 1) * (x->n[i] - 1);
    f->a = sxy / sxx, f->dev = f->step = f->inc = 0;
    for (int i = 0; i < x->rows; i++) {
        f->dev = fmax(f->dev, fabs(x->err[i] / (f->a * (x->n[i] - 1)) - 1));
        if (i && x->n[i] == x->n[i - 1] + 1) {
            double dv = fabs((x->err[i] - x->err[i - 1]) / f->a - 1);
            f->inc = fmax(f->inc, dv);
            if (x->layers[i] > x->layers[i - 1]) f->step = fmax(f->step, dv);
        }
        if (x->lam[i] > 0) lx[nl] = x->n[i] - 1, ly[nl++] = x->lam[i];
    }
    double tol;
    f->lam_exp = nl > 1 ? fit_slope(lx, ly, nl, 0, &tol) : NAN;
    f->nlast = x->n[x->rows - 1], f->lam_last = x->lam[x->rows - 1];
}

/* Rule: every size has n - 1 gates in ceil(log2 n) layers and the same
 * number k of neurons per product gate (from the sizes without copy gates;
 * each copy gate adds LT7_COPY_NEURONS) -- else not-reproduced; k equal to
 * the printed neurons per gate (LT-7's registered value): reproduced, else erratum. */
int vd_gate_lt7(vd_result *r, vd_data *d)
{
    lt7_data x;
    const claims_printed *p = printed_or_err(d, "LT-7", 0);
    if (!p || lt7_read(d, &x) != 0) return -1;
    int ok = 1, k = -1, extra = 0;
    for (int i = 0; i < x.rows; i++) {
        int L = 0;
        while ((1 << L) < x.n[i]) L++;
        if (x.gates[i] != x.n[i] - 1 || x.layers[i] != L) ok = 0;
        if (x.copies[i]) extra++;
        else if (x.gates[i] > 0) {
            if (k < 0) k = x.neurons[i] / x.gates[i];
            if (x.neurons[i] != k * x.gates[i]) ok = 0;
        }
    }
    for (int i = 0; i < x.rows; i++)
        if (x.neurons[i] != k * x.gates[i] + LT7_COPY_NEURONS * x.copies[i]) ok = 0;
    if (k < 0) ok = 0;
    r->verdict = !ok ? CLAIMS_NOT_REPRODUCED : k == p->value ? CLAIMS_REPRODUCED : CLAIMS_ERRATUM;
    lt7_fit f;
    lt7_linear(&x, &f);
    char ba[48];
    vd_measured(r, "n=%d..%d: n-1 gates, ceil(log2 n) layers; %d(n-1) neurons exactly for powers of two, plus %d per copy gate otherwise (%d of %d sizes); error with all inputs 1: %s per gate times n-1 (within %.2g%%)",
                x.n[0], x.n[x.rows - 1], k, LT7_COPY_NEURONS, extra, x.rows, gnum(ba, sizeof ba, 3, f.a), 100 * f.dev);
    vd_paper(r, "%s (%s)", p->quote, p->where);
    vd_note(r, "copy gates (%d neurons each, layered net) are extra to %g(n-1)%s", LT7_COPY_NEURONS, p->value,
            ok && k != p->value ? "; the neurons per gate differ from the printed count" : "");
    vd_value(r, "neurons_per_gate", k, 0);
    vd_value(r, "sizes_with_copies", extra, 0);
    vd_value(r, "err_per_gate", f.a, 1e-5 * f.a);    /* 6 digits per error in the file */
    vd_value(r, "lambda_target_nmax", f.lam_last, 1e-5 * f.lam_last);
    return 0;
}

/* --- BP-RELU: ReLU size grows with 1/eps, the smooth gate's does not ---------------------------- */
#define RELU_MAXROWS 32

typedef struct {
    int n, fail, undecided, miss64, smooth_neurons;
    double eps[RELU_MAXROWS], relu_err[RELU_MAXROWS], smooth_err64[RELU_MAXROWS], weight[RELU_MAXROWS];
    int relu_neurons[RELU_MAXROWS];
    double wmax_relu;
} relu_data;

static int relu_read(vd_data *d, relu_data *x)
{
    static const char *const names[9] = {"eps", "relu_neurons", "relu_err", "smooth_neurons", "smooth_sup_hi",
                                         "smooth_cert", "smooth_out_weight", "smooth_err64", "relu_max_weight"};
    const tsv_table *t = vd_table(d, "gate_relu.tsv");
    int c[9];
    if (!t || cols(d, t, 9, names, c) != 0) return -1;
    if (t->nrows < 2 || t->nrows > RELU_MAXROWS) {
        snprintf(d->err, sizeof d->err, "gate_relu.tsv: %d rows", t->nrows);
        return -1;
    }
    memset(x, 0, sizeof *x);
    x->n = t->nrows, x->smooth_neurons = (int)tsv_num(t, 0, c[3]);
    for (int i = 0; i < t->nrows; i++) {
        double eps = tsv_num(t, i, c[0]);
        x->eps[i] = eps, x->relu_neurons[i] = (int)tsv_num(t, i, c[1]), x->relu_err[i] = tsv_num(t, i, c[2]);
        x->smooth_err64[i] = tsv_num(t, i, c[7]), x->weight[i] = tsv_num(t, i, c[6]);
        x->wmax_relu = fmax(x->wmax_relu, tsv_num(t, i, c[8]));
        const char *cert = tsv_str(t, i, c[5]);
        if (strcmp(cert, "undecided") == 0) x->undecided++;
        else if (strcmp(cert, "certified") != 0 || !(tsv_num(t, i, c[4]) <= eps)) x->fail++;
        if (!(x->relu_err[i] <= eps) || tsv_num(t, i, c[3]) != x->smooth_neurons) x->fail++;
        if (i && !(eps < x->eps[i - 1] && x->relu_neurons[i] > x->relu_neurons[i - 1])) x->fail++;
        if (!(x->smooth_err64[i] <= eps)) x->miss64++;
    }
    return 0;
}

/* The smallest error of a precision sweep's column (its floor) and where. */
static double sweep_floor(vd_data *d, const char *file, const char *param, const char *col, double *at)
{
    const tsv_table *t = vd_table(d, file);
    int cp, ce;
    *at = NAN;
    if (!t || (cp = vd_col(d, t, param)) < 0 || (ce = vd_col(d, t, col)) < 0) return NAN;
    double best = INFINITY;
    for (int i = 0; i < t->nrows; i++)
        if (tsv_num(t, i, ce) < best) best = tsv_num(t, i, ce), *at = tsv_num(t, i, cp);
    return best;
}

typedef struct {
    double smooth64, smooth32, relu64, relu32, smooth64_lambda, relu32_m;
} floors;

static int floors_read(vd_data *d, floors *f)
{
    double at;
    f->smooth64 = sweep_floor(d, "gate_floor_smooth.tsv", "lambda", "err64", &f->smooth64_lambda);
    f->smooth32 = sweep_floor(d, "gate_floor_smooth.tsv", "lambda", "err32", &at);
    f->relu64 = sweep_floor(d, "gate_floor_relu.tsv", "m", "err64", &at);
    f->relu32 = sweep_floor(d, "gate_floor_relu.tsv", "m", "err32", &f->relu32_m);
    return isnan(f->smooth64 + f->smooth32 + f->relu64 + f->relu32) ? -1 : 0;
}

/* Rule (neurons in exact arithmetic, as the claim states it): at every eps
 * (decreasing) the ReLU net meets eps (measured) with strictly more neurons
 * than at the eps before, and the smooth gate meets it, certified, with the
 * same number of neurons: reproduced; a certification that did not finish:
 * inconclusive; anything else: not-reproduced.  The weights and the float
 * precision floors are measured and reported beside it (not part of the rule). */
int vd_gate_relu(vd_result *r, vd_data *d)
{
    relu_data x;
    floors f;
    if (relu_read(d, &x) != 0 || floors_read(d, &f) != 0) return -1;
    r->verdict = x.fail ? CLAIMS_NOT_REPRODUCED : x.undecided ? CLAIMS_INCONCLUSIVE : CLAIMS_REPRODUCED;
    char nn[200] = "", b[8][48];
    for (int i = 0; i < x.n; i++) snprintf(nn + strlen(nn), sizeof nn - strlen(nn), "%s%d", i ? ", " : "", x.relu_neurons[i]);
    int l = x.n - 1;
    vd_measured(r, "ReLU neurons %s for eps %s..%s; smooth gate %d throughout (certified), output weight up to %s (ReLU weights <= %g); float64 floor: smooth %s (misses %d of %d eps), ReLU %s; float32 floor: smooth %s, ReLU %s",
                nn, gnum(b[0], 48, 1, x.eps[0]), gnum(b[1], 48, 1, x.eps[l]), x.smooth_neurons,
                gnum(b[2], 48, 2, x.weight[l]), x.wmax_relu, gnum(b[3], 48, 2, f.smooth64), x.miss64, x.n,
                gnum(b[4], 48, 2, f.relu64), gnum(b[5], 48, 2, f.smooth32), gnum(b[6], 48, 2, f.relu32));
    r->paper[0] = 0;
    vd_note(r, "ReLU error measured on a 401^2 grid; smooth gate sup certified (Arb) in exact arithmetic; %d certifications undecided; floors: the smallest measured grid error over lambda (smooth) or the compositions (ReLU)",
            x.undecided);
    vd_value(r, "relu_neurons_min_eps", x.relu_neurons[l], 0);
    vd_value(r, "smooth_out_weight_min_eps", x.weight[l], 1e-8 * x.weight[l]);
    /* floors are measured rounding errors: libm and compiler can move them by about a factor 2 */
    vd_value(r, "smooth_floor_f64", f.smooth64, f.smooth64);
    vd_value(r, "smooth_floor_f32", f.smooth32, f.smooth32);
    vd_value(r, "relu_floor_f32", f.relu32, f.relu32);
    return 0;
}

/* --- reduce: the data files and the macros ---------------------------------------------------- */

/* The staged data directory of set, to read back the files closed so far. */
static int staged(vd_data *d, run_set *set)
{
    char p[4400];
    if (run_data_path(p, sizeof p, set, "x") != 0) return -1;
    p[strlen(p) - 2] = 0; /* drop "/x" */
    vd_data_init(d, p);
    return 0;
}

/* sup over [-1,1]^2 of |x^3 y + x y^3| = 2 (corners): leading-order sup = 2 |q| lambda^2 */
static double lead_pred(gate_act a, double lambda)
{
    long qn, qd;
    gate_taylor_deg4(&qn, &qd, a);
    return 2.0 * fabs((double)qn / (double)qd) * lambda * lambda;
}

/* LT-4: every sweep point (certified or not), then the slopes as the rule fits them. */
static int reduce_lt4(const gate_grid *g, cellio_in *in, run_set *set)
{
    static const char *const name[GATE_NACT] = {"GateSlopeSoftplus", "GateSlopeLogistic", "GateSlopeTanh",
                                                "GateSlopeExp", "GateSlopeElu"};
    binio_file f;
    if (run_tsv_open(&f, set, "gate_sup_lambda", "act\tlambda\tsup_lo\tsup_hi\tlead_pred\tstatus") != 0) return -1;
    for (int i = 0; i < GATE_NACT * g->nl; i++) {
        sup_cell s = sup_get(&in[g->first[PART_SWEEP] + i]);
        gate_act a = (gate_act)(i / g->nl);
        double l = sweep_lambda(g, i);
        if (s.status == 0) continue; /* ELU with 2 lambda >= 2 leaves its smooth branch */
        fprintf(f.f, "%s\t%.10g\t%.10g\t%.10g\t%.10g\t%s\n", gate_act_name(a), l, s.sup_lo, s.sup_hi, lead_pred(a, l),
                s.status == 2 ? "certified" : "undecided");
    }
    if (run_close(set, &f) != 0) return -1;
    vd_data d;
    lt4_act s[GATE_NACT];
    if (staged(&d, set) != 0) return -1;
    int rc = lt4_read(&d, s);
    vd_data_clear(&d);
    if (rc != 0) return -1;
    texmac m[GATE_NACT + 3];
    for (int a = 0; a < GATE_NACT; a++) {
        double slope, tol;
        lt4_direction(&s[a], &slope, &tol);
        m[a] = (texmac)TEXMAC_F(name[a], 3, slope);
    }
    m[GATE_NACT] = (texmac)TEXMAC_F("GateFourOrder", 0, LT4_ORDER);
    m[GATE_NACT + 1] = (texmac)TEXMAC_F("GateFourSlopeTol", 2, LT4_SLOPE_TOL);
    m[GATE_NACT + 2] = (texmac)TEXMAC_I("GateFourNfit", LT4_NFIT);
    return run_macros(set, m, GATE_NACT + 3);
}

/* The exact Taylor fractions (LT-4's leading term, RT-1's coefficients) and the RT-1 values. */
static int reduce_taylor(const gate_grid *g, cellio_in *in, run_set *set)
{
    cellio_in *c = &in[g->first[PART_RT1]];
    int64_t v[6 * GATE_NACT];
    double sq[RT1_NL];
    cellio_get_i64s(c, v, 6 * GATE_NACT);
    cellio_get_f64s(c, sq, RT1_NL);
    binio_file f;
    if (run_tsv_open(&f, set, "gate_taylor", "act\tc2_num\tc2_den\tc4_num\tc4_den\tq_num\tq_den") != 0) return -1;
    for (int a = 0; a < GATE_NACT; a++) {
        const int64_t *w = &v[6 * a];
        fprintf(f.f, "%s\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\n", gate_act_name(a), (long long)w[0], (long long)w[1],
                (long long)w[2], (long long)w[3], (long long)w[4], (long long)w[5]);
    }
    if (run_close(set, &f) != 0) return -1;
    if (run_tsv_open(&f, set, "gate_rt1", "act\tlambda\tx\tsq_printed\tresid") != 0) return -1;
    for (int k = 0; k < RT1_NL; k++) {
        double l = rt1_lambda[k];
        fprintf(f.f, "softplus\t%g\t1\t%.17g\t%.10g\n", l, sq[k], (sq[k] - 1.0) / (l * l));
    }
    if (run_close(set, &f) != 0) return -1;
    const texmac m[] = {TEXMAC_E("GateRtMatch", 1, RT1_MATCH), TEXMAC_E("GateRtCoefRtol", 1, RT1_COEF_RTOL),
                        TEXMAC_N("GateRtLambdaOne", 2, rt1_lambda[0]), TEXMAC_N("GateRtLambdaTwo", 2, rt1_lambda[1])};
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* LT-5's sensitivity: the rule at each threshold of lt5_grid, as a data
 * file and as the rows of the chapter's table; the extreme sups bound the
 * thresholds where the verdict changes. */
static int lt5_sensitivity(run_set *set, const lt5_data *x)
{
    binio_file f;
    char rows[2048] = "";
    if (run_tsv_open(&f, set, "gate_sup_sensitivity", "threshold\tn_within\tn_act\tverdict") != 0) return -1;
    for (int k = 0; k < LT5_NGRID; k++) {
        int g;
        claims_verdict v = lt5_rule(x, lt5_grid[k], &g);
        fprintf(f.f, "%g\t%d\t%d\t%s\n", lt5_grid[k], g, GATE_NACT, claims_verdict_name(v));
        snprintf(rows + strlen(rows), sizeof rows - strlen(rows), "$%g\\%%$%s & %d of %d & \\verdictbox{%s}\\\\ ",
                 100 * lt5_grid[k], lt5_grid[k] == LT5_THRESHOLD ? " (the rule)" : "", g, GATE_NACT,
                 claims_verdict_name(v));
    }
    if (run_close(set, &f) != 0) return -1;
    int lo = 0, hi = 0, ngood;
    for (int i = 1; i < x->n; i++) {
        if (x->hi[i] < x->hi[lo]) lo = i;
        if (x->hi[i] > x->hi[hi]) hi = i;
    }
    char thr[32];
    lt5_rule(x, LT5_THRESHOLD, &ngood);
    snprintf(thr, sizeof thr, "%g", 100 * LT5_THRESHOLD);
    const texmac m[] = {
        TEXMAC_I("GateGoodCount", ngood),
        TEXMAC_S("GateFiveThresholdPct", thr),
        TEXMAC_S("GateFiveSensitivityRows", rows),
        TEXMAC_N("GateFiveMaxSupPct", 3, x->n ? 100 * x->hi[hi] : NAN),
        TEXMAC_S("GateFiveMaxSupAct", x->n ? gate_act_name(x->act[hi]) : "none"),
        TEXMAC_N("GateFiveMinSupPct", 3, x->n ? 100 * x->hi[lo] : NAN),
        TEXMAC_S("GateFiveMinSupAct", x->n ? gate_act_name(x->act[lo]) : "none"),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

static int reduce_lt5(const gate_grid *g, cellio_in *in, run_set *set)
{
    static const char *const name[GATE_NACT] = {"GateSupSoftplus", "GateSupLogistic", "GateSupTanh", "GateSupExp",
                                                "GateSupElu"};
    binio_file f;
    if (run_tsv_open(&f, set, "gate_sup_tenth", "act\tlambda\tsup_lo\tsup_hi\tboxes\tlead_pred\tratio\tstatus") != 0)
        return -1;
    for (int a = 0; a < GATE_NACT; a++) {
        sup_cell r = sup_get(&in[g->first[PART_TENTH] + a]);
        double p = lead_pred((gate_act)a, 0.1);
        fprintf(f.f, "%s\t0.1\t%.10g\t%.10g\t%ld\t%.10g\t%.6f\t%s\n", gate_act_name(a), r.sup_lo, r.sup_hi, r.boxes, p,
                r.sup_hi / p, r.status == 2 ? "certified" : "undecided");
    }
    if (run_close(set, &f) != 0) return -1;
    vd_data d;
    lt5_data x;
    if (staged(&d, set) != 0) return -1;
    int rc = lt5_read(&d, &x);
    vd_data_clear(&d);
    if (rc != 0) return -1;
    texmac m[GATE_NACT];
    for (int a = 0; a < GATE_NACT; a++) m[a] = (texmac)TEXMAC_S(name[a], "\\text{(not certified)}");
    for (int i = 0; i < x.n; i++) m[x.act[i]] = (texmac)TEXMAC_E(name[x.act[i]], 3, x.hi[i]);
    if (run_macros(set, m, GATE_NACT) != 0) return -1;
    return lt5_sensitivity(set, &x);
}

static int reduce_lt6(const gate_grid *g, cellio_in *in, run_set *set)
{
    double mx[60];
    cellio_get_f64s(&in[g->first[PART_BINARY]], mx, 60);
    binio_file f;
    if (run_tsv_open(&f, set, "gate_binary", "beta\tmax_err\tbound\texcess") != 0) return -1;
    for (int bi = 1; bi <= 60; bi++) {
        double beta = bi, bound = 1 / (1 + exp(beta / 2)); /* worst pattern: sum 2 or 3, |z| = beta/2 */
        fprintf(f.f, "%g\t%.6g\t%.6g\t%.3e\n", beta, mx[bi - 1], bound, mx[bi - 1] - bound);
    }
    if (run_close(set, &f) != 0) return -1;
    const texmac m[] = {TEXMAC_E("GateBinaryErrForty", 2, mx[LT6_BETA - 1]), TEXMAC_I("GateSixBeta", LT6_BETA),
                        TEXMAC_E("GateSixErr", 1, LT6_ERR)};
    return run_macros(set, m, TEXMAC_LEN(m));
}

#define LT7_SHAPE_TOL 0.05 /* the caption's words: "linear" and "no steps" within 5% of a gate's error */

static int reduce_lt7(const gate_grid *g, cellio_in *in, run_set *set)
{
    int v[4 * TREE_N];
    double x[2 * TREE_N];
    cellio_get_ints(&in[g->first[PART_TREE]], v, 4 * TREE_N);
    cellio_get_f64s(&in[g->first[PART_TREE]], x, 2 * TREE_N);
    binio_file f;
    if (run_tsv_open(&f, set, "gate_tree", "n\tlayers\tgates\tcopies\tneurons\tfour_n_minus_one\terr\tlambda_target") != 0)
        return -1;
    for (int n = 2; n <= TREE_NMAX; n++) {
        const int *t = &v[4 * (n - 2)]; /* layers, gates, copies, neurons */
        fprintf(f.f, "%d\t%d\t%d\t%d\t%d\t%d\t%.6g\t%.6g\n", n, t[0], t[1], t[2], t[3], 4 * (n - 1), x[2 * (n - 2)],
                x[2 * (n - 2) + 1]);
    }
    if (run_close(set, &f) != 0) return -1;
    vd_data d;
    lt7_data *t = malloc(sizeof *t);
    lt7_fit fit;
    if (!t || staged(&d, set) != 0) return free(t), -1;
    int rc = lt7_read(&d, t);
    vd_data_clear(&d);
    if (rc == 0) lt7_linear(t, &fit);
    free(t);
    if (rc != 0) return -1;
    char shape[256];
    snprintf(shape, sizeof shape, "%s $n-1$ %s", fit.dev <= LT7_SHAPE_TOL ? "linear in" : "not linear in",
             fit.step <= LT7_SHAPE_TOL ? "with no steps where the depth grows" : "with steps where the depth grows");
    const texmac m[] = {
        TEXMAC_E("GateTreeTarget", 1, GATE_TREE_TARGET),
        TEXMAC_N("GateTreeLambdaSixtyFour", 3, x[2 * (TREE_NMAX - 2) + 1]),
        TEXMAC_E("GateTreeErrPerGate", 3, fit.a),
        TEXMAC_N("GateTreeLinDevPct", 2, 100 * fit.dev),
        TEXMAC_N("GateTreeStepPct", 2, 100 * fit.step),
        TEXMAC_N("GateTreeIncPct", 2, 100 * fit.inc),
        TEXMAC_F("GateTreeShapeTolPct", 0, 100 * LT7_SHAPE_TOL),
        TEXMAC_S("GateTreeShape", shape),
        TEXMAC_F("GateTreeLambdaExp", 3, fit.lam_exp),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
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
    /* the smallest bias: sigma''(b) -> 0 there, so the output weight 1/(4 |s2| lambda^2) grows */
    const texmac m[] = {TEXMAC_F("GateBestBias", 2, bestb), TEXMAC_E("GateBestBiasSup", 3, best),
                        TEXMAC_F("GateBiasFirstB", 1, 0.1), TEXMAC_E("GateBiasFirstSup", 2, sup[0]),
                        TEXMAC_E("GateBiasFirstWeight", 2, 1 / (4 * fabs(s2[0]) * 0.1 * 0.1))};
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* BP-RELU: one row per eps, then the two precision sweeps. */
static int relu_rows(const gate_grid *g, cellio_in *in, run_set *set)
{
    binio_file f;
    if (run_tsv_open(&f, set, "gate_relu",
                     "eps\trelu_m\trelu_neurons\trelu_depth\trelu_err\tsmooth_lambda\tsmooth_neurons\tsmooth_sup_hi\t"
                     "smooth_cert\tsmooth_out_weight\tsmooth_err64\tsmooth_err32\trelu_err32\trelu_max_weight") != 0)
        return -1;
    for (int e = RELU_EMIN; e <= RELU_EMAX; e++) {
        int v[5];    /* m, neurons, depth, smooth certification, smooth neurons */
        double x[9]; /* eps, relu error, lambda, smooth sup_hi, relu err32, relu max weight,
                        smooth output weight, smooth err64, smooth err32 */
        cellio_get_ints(&in[g->first[PART_RELU] + e - RELU_EMIN], v, 5);
        cellio_get_f64s(&in[g->first[PART_RELU] + e - RELU_EMIN], x, 9);
        fprintf(f.f, "%g\t%d\t%d\t%d\t%.6g\t%.6g\t%d\t%.6g\t%s\t%.10g\t%.6g\t%.6g\t%.6g\t%g\n", x[0], v[0], v[1], v[2],
                x[1], x[2], v[4], x[3], gate_cert_verdict_name((gate_cert_verdict)v[3]), x[6], x[7], x[8], x[4], x[5]);
    }
    if (run_close(set, &f) != 0) return -1;
    double s[2 * FLOOR_NK], r[2 * FLOOR_NM];
    cellio_get_f64s(&in[g->first[PART_FLOOR]], s, 2 * FLOOR_NK);
    cellio_get_f64s(&in[g->first[PART_FLOOR] + 1], r, 2 * FLOOR_NM);
    if (run_tsv_open(&f, set, "gate_floor_smooth", "lambda\tout_weight\tlead_pred\terr64\terr32") != 0) return -1;
    for (int k = 0; k < FLOOR_NK; k++) {
        double l = floor_lambda(k);
        fprintf(f.f, "%.10g\t%.6g\t%.6g\t%.6g\t%.6g\n", l, 1 / (4 * gate_s2(GATE_SOFTPLUS) * l * l),
                lead_pred(GATE_SOFTPLUS, l), s[2 * k], s[2 * k + 1]);
    }
    if (run_close(set, &f) != 0) return -1;
    if (run_tsv_open(&f, set, "gate_floor_relu", "m\tneurons\tdepth\tbound\terr64\terr32") != 0) return -1;
    for (int m = 1; m <= FLOOR_NM; m++) {
        int nn, dep;
        gate_relu_size(&nn, &dep, m);
        fprintf(f.f, "%d\t%d\t%d\t%.6g\t%.6g\t%.6g\n", m, nn, dep, ldexp(1.0, -2 * m - 2), r[2 * m - 2], r[2 * m - 1]);
    }
    return run_close(set, &f);
}

/* A number for a LaTeX table cell (math mode). */
static void cellnum(char *buf, size_t n, double v)
{
    char t[64];
    texmac_format_num(t, sizeof t, 2, v);
    snprintf(buf, n, "$%s$", t);
}

/* The chapter's BP-RELU table, one row per eps, from gate_relu.tsv. */
static int relu_table(vd_data *d, char *rows, size_t nrows)
{
    static const char *const names[10] = {"eps",          "relu_neurons", "relu_max_weight", "relu_err",
                                          "relu_err32",   "smooth_lambda", "smooth_out_weight", "smooth_sup_hi",
                                          "smooth_err64", "smooth_err32"};
    const tsv_table *t = vd_table(d, "gate_relu.tsv");
    int c[10];
    if (!t || cols(d, t, 10, names, c) != 0) return -1;
    rows[0] = 0;
    for (int i = 0; i < t->nrows; i++) {
        for (int k = 0; k < 10; k++) {
            char b[80];
            double v = tsv_num(t, i, c[k]);
            char t[64];
            if (k == 0) snprintf(b, sizeof b, "$10^{%d}$", (int)lround(log10(v)));
            else if (k == 1 || k == 2) snprintf(b, sizeof b, "%g", v);
            else if (k == 6) texmac_format_sci(t, sizeof t, 2, v), snprintf(b, sizeof b, "$%s$", t);
            else cellnum(b, sizeof b, v);
            snprintf(rows + strlen(rows), nrows - strlen(rows), "%s%s", k ? " & " : "", b);
        }
        snprintf(rows + strlen(rows), nrows - strlen(rows), "\\\\ ");
    }
    return 0;
}

static int reduce_relu(const gate_grid *g, cellio_in *in, run_set *set)
{
    if (relu_rows(g, in, set) != 0) return -1;
    vd_data d;
    relu_data x;
    floors fl;
    char *rows = malloc(8192);
    if (!rows || staged(&d, set) != 0) return free(rows), -1;
    int rc = relu_read(&d, &x) || floors_read(&d, &fl) || relu_table(&d, rows, 8192) ? -1 : 0;
    vd_data_clear(&d);
    int l = x.n - 1;
    const texmac m[] = {
        TEXMAC_I("GateReluNeuronsEightDigits", rc ? 0 : x.relu_neurons[l]),
        TEXMAC_E("GateSmoothWeightEightDigits", 2, rc ? NAN : x.weight[l]),
        TEXMAC_N("GateSmoothErrDoubleEightDigits", 2, rc ? NAN : x.smooth_err64[l]),
        TEXMAC_I("GateSmoothMissDouble", x.miss64),
        TEXMAC_F("GateReluMaxWeight", 0, x.wmax_relu),
        TEXMAC_E("GateSmoothFloorDouble", 2, fl.smooth64),
        TEXMAC_E("GateSmoothFloorDoubleLambda", 2, fl.smooth64_lambda),
        TEXMAC_E("GateSmoothFloorSingle", 2, fl.smooth32),
        TEXMAC_E("GateReluFloorDouble", 2, fl.relu64),
        TEXMAC_E("GateReluFloorSingle", 2, fl.relu32),
        TEXMAC_I("GateReluFloorSingleM", (int)fl.relu32_m),
        TEXMAC_S("GateReluTableRows", rows),
    };
    if (rc == 0) rc = run_macros(set, m, TEXMAC_LEN(m));
    free(rows);
    return rc;
}

static int gate_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    gate_grid g = grid(ctx);
    if (n != g.first[NPART]) return -1;
    /* this order keeps the macro file's order */
    if (reduce_lt4(&g, in, set) || reduce_taylor(&g, in, set) || reduce_lt5(&g, in, set) || reduce_lt6(&g, in, set) ||
        reduce_lt7(&g, in, set) || reduce_figures(&g, in, set) || reduce_relu(&g, in, set))
        return -1;
    return 0;
}

const exp_def exp_gate_def = {gate_ncells, gate_cell, gate_reduce, 0};
