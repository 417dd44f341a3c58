/* Chapter 4, experiment `flatten-rt5`: RT Thm III.1 and Fig. 1 (RT-5).
 * The k-layer product bound sum_i (prod_{j>i} b_j) 2^b_i under prod b_i = n:
 * the optimal real b_i by the Lagrange recursion (checked stationary), the
 * exhaustive integer optimum, and how fast b_i approaches n^(1/k).
 *
 * One cell per grid point (k, n): k = 2..4, n = 10^2 .. 10^8 with `steps`
 * points per decade.  Exact and deterministic (no RNG).  Reduce writes the
 * curves (one block per (k, i) for the figure), the bound table, the macros
 * and the verdict. */
#include "ch4_util.h"
#include "experiments.h"
#include "flatbound.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define KMIN 2
#define KMAX 4

static int steps_of(const exp_ctx *ctx) { return ctx->scale == EXP_QUICK ? 4 : 8; } /* points per decade */
static int npoints(int steps) { return 6 * steps + 1; }                              /* n = 1e2 .. 1e8 */
static double point_n(int s, int steps) { return pow(10.0, 2.0 + (double)s / steps); }

static int rt5_ncells(const exp_ctx *ctx) { return (KMAX - KMIN + 1) * npoints(steps_of(ctx)); }

/* Stationarity on the constraint surface: moving log b_i up and log b_j down by
 * t keeps prod b_i = n; at a minimum no such move lowers the bound.  Returns
 * the largest relative decrease any move finds (<= 1e-9: stationary). */
static double kkt_gain(const double *b, int k)
{
    double f0 = flatten_rt5_log2_bound(b, k), gain = 0;
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++) {
            if (i == j) continue;
            for (int sg = -1; sg <= 1; sg += 2) {
                double c[8];
                memcpy(c, b, (size_t)k * sizeof *c);
                c[i] *= exp(sg * 1e-3);
                c[j] *= exp(-sg * 1e-3);
                double g = (f0 - flatten_rt5_log2_bound(c, k)) / fabs(f0);
                if (g > gain) gain = g;
            }
        }
    return gain;
}

/* One grid point's result. */
typedef struct {
    int solved;
    double kkt;                 /* kkt_gain of the real optimum */
    double b[KMAX], fr, fi, fc; /* real optimum, its bound, the integer one and the rounded-up one (log2) */
    int bi[KMAX];               /* integer optimum */
} rt5_point;

static int rt5_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    int steps = steps_of(ctx), k = KMIN + c / npoints(steps), s = c % npoints(steps);
    double n = point_n(s, steps);
    rt5_point o;
    memset(&o, 0, sizeof o);
    o.solved = flatten_rt5_lagrange(o.b, k, n) == 0;
    if (o.solved) {
        o.kkt = kkt_gain(o.b, k);
        o.fr = flatten_rt5_log2_bound(o.b, k);
        o.fi = flatten_rt5_integer(o.bi, k, n);
        /* the integer optimum cannot beat the real one, and rounding up the real
         * one costs at most the factor prod ceil(b)/b in each term */
        double bc[8];
        for (int i = 0; i < k; i++) bc[i] = ceil(o.b[i]);
        o.fc = flatten_rt5_log2_bound(bc, k);
    }
    double x[4] = {o.kkt, o.fr, o.fi, o.fc};
    cellio_put_ints(out, &o.solved, 1);
    cellio_put_f64s(out, o.b, (size_t)k);
    cellio_put_ints(out, o.bi, (size_t)k);
    cellio_put_f64s(out, x, 4);
    return 0;
}

static void rt5_get(cellio_in *in, int k, rt5_point *o)
{
    double x[4];
    memset(o, 0, sizeof *o);
    cellio_get_ints(in, &o->solved, 1);
    cellio_get_f64s(in, o->b, (size_t)k);
    cellio_get_ints(in, o->bi, (size_t)k);
    cellio_get_f64s(in, x, 4);
    o->kkt = x[0], o->fr = x[1], o->fi = x[2], o->fc = x[3];
}

/* "b_i -> n^(1/k)": b_i = b_1 + (i-1) log2 b_1 + ... with prod b_i = n gives
 * b_i / n^(1/k) - 1 ~ (i - (k+1)/2) delta, delta = log2(n^(1/k)) / n^(1/k) -> 0,
 * so max_i |ln(b_i / n^(1/k))| ~ (k-1)/2 delta; *delta receives delta. */
static double rt5_pred_delta(int k, double n, double *delta)
{
    double root = pow(n, 1.0 / k);
    *delta = log2(root) / root;
    return 0.5 * (k - 1) * *delta;
}

static double rt5_pred(int k, double n)
{
    double delta;
    return rt5_pred_delta(k, n, &delta);
}

/* --- reduce ------------------------------------------------------------------------ */
/* The bound table's macros: \FlatRTBoundKTwoEFour etc. at n = 1e2, 1e4, 1e6, 1e8. */
#define NBROW ((KMAX - KMIN + 1) * 4) /* rows with macros: each k at 4 decades */
typedef struct {
    char names[NBROW][3][64];
    char ints[NBROW][64];
    texmac m[3 * NBROW + 4];
    int nm, nrow;
} rt5_macros;

static void bound_macros(rt5_macros *t, int k, int e, double bound, const char *ints, double asym)
{
    static const char *kn[] = {"", "", "Two", "Three", "Four"}, *en[] = {"Two", "", "Four", "", "Six", "", "Eight"};
    char (*nm)[64] = t->names[t->nrow];
    snprintf(nm[0], 64, "FlatRTBoundK%sE%s", kn[k], en[e]);
    snprintf(nm[1], 64, "FlatRTIntsK%sE%s", kn[k], en[e]);
    snprintf(nm[2], 64, "FlatRTAsymK%sE%s", kn[k], en[e]);
    snprintf(t->ints[t->nrow], 64, "%s", ints);
    t->m[t->nm++] = (texmac)TEXMAC_F(nm[0], 1, bound);
    t->m[t->nm++] = (texmac)TEXMAC_S(nm[1], t->ints[t->nrow]);
    t->m[t->nm++] = (texmac)TEXMAC_F(nm[2], 1, asym);
    t->nrow++;
}

/* One row of the bound table (every decade) and, every second decade, its macros. */
static void bound_row(FILE *f, rt5_macros *t, const rt5_point *o, int k, int s, int steps)
{
    double n = point_n(s, steps), root = pow(n, 1.0 / k);
    double asym = ((k - 1.0) / k) * log10(n) + root * log10(2.0);
    char ints[64] = "";
    for (int i = 0; i < k; i++) snprintf(ints + strlen(ints), sizeof ints - strlen(ints), "%s%d", i ? "," : "", o->bi[i]);
    fprintf(f, "%.0f\t%d\t%.3f\t%.3f\t%.3f\t%s\n", n, k, o->fr * log10(2.0), o->fi * log10(2.0), asym, ints);
    if (s % (2 * steps) == 0) bound_macros(t, k, s / steps, o->fr * log10(2.0), ints, asym);
}

/* The curves b_i(n), one block per (k, i) so the figure draws each as one line. */
static void curve_rows(FILE *f, const rt5_point *pts, int steps)
{
    int np = npoints(steps);
    for (int k = KMIN; k <= KMAX; k++)
        for (int i = 0; i < k; i++) {
            for (int s = 0; s < np; s++) {
                const rt5_point *o = &pts[(k - KMIN) * np + s];
                double n = point_n(s, steps);
                fprintf(f, "%.6g\t%d\t%d\t%.6f\t%d\t%.6f\t%s\t%.3e\t%.17g\t%.17g\t%.17g\t%.17g\n", n, k, i + 1, o->b[i],
                        o->bi[i], o->b[i] / pow(n, 1.0 / k), ch4_yesno(o->solved), o->kkt, o->fr, o->fi, o->fc,
                        fabs(log(o->b[i] / pow(n, 1.0 / k))));
            }
            fprintf(f, "\n");
        }
}

static int rt5_reduce(const exp_ctx *ctx, cellio_in *in, int ncell, run_set *set)
{
    int steps = steps_of(ctx), np = npoints(steps);
    if (ncell != rt5_ncells(ctx)) return -1;
    binio_file tsv, tab;
    if (run_tsv_open(&tsv, set, "flatten_rt5",
                     "n\tk\ti\tb_lagrange\tb_integer\tb_over_root\tsolved\tkkt_gain\tlog2_bound_real\tlog2_bound_integer\t"
                     "log2_bound_ceil\tabs_log_b_over_root") != 0)
        return -1;
    if (run_tsv_open(&tab, set, "flatten_rt5_bound",
                     "n\tk\tlog10_bound_real\tlog10_bound_integer\tlog10_asymptotic\tintegers") != 0) {
        run_abort_file(set, &tsv);
        return -1;
    }
    rt5_point pts[(KMAX - KMIN + 1) * 49]; /* np <= 49 (8 steps per decade) */
    rt5_macros t;
    memset(&t, 0, sizeof t);
    double dev[KMAX + 1][3]; /* max_i |ln(b_i / n^(1/k))| at n = 10^2, 10^5, 10^8, for the prose */
    for (int k = 0; k <= KMAX; k++) dev[k][0] = dev[k][1] = dev[k][2] = NAN;
    for (int k = KMIN; k <= KMAX; k++)
        for (int s = 0; s < np; s++) {
            rt5_point *o = &pts[(k - KMIN) * np + s];
            rt5_get(&in[(k - KMIN) * np + s], k, o);
            if (!o->solved) continue;
            double root = pow(point_n(s, steps), 1.0 / k), d = 0;
            for (int i = 0; i < k; i++)
                if (fabs(log(o->b[i] / root)) > d) d = fabs(log(o->b[i] / root));
            if (s % (3 * steps) == 0) dev[k][s / (3 * steps)] = d;
            if (s % steps == 0) bound_row(tab.f, &t, o, k, s, steps);
        }
    curve_rows(tsv.f, pts, steps);
    t.m[t.nm++] = (texmac)TEXMAC_F("FlatRTPredFourHigh", 2, rt5_pred(4, 1e8));
    t.m[t.nm++] = (texmac)TEXMAC_F("FlatRTDevFourLow", 2, dev[4][0]);
    t.m[t.nm++] = (texmac)TEXMAC_F("FlatRTDevFourHigh", 2, dev[4][2]);
    t.m[t.nm++] = (texmac)TEXMAC_F("FlatRTDevTwoHigh", 3, dev[2][2]);
    if (run_close(set, &tsv) | run_close(set, &tab) || run_macros(set, t.m, (size_t)t.nm) != 0) return -1;
    return 0;
}

const exp_def exp_flatten_rt5_def = {rt5_ncells, rt5_cell, rt5_reduce, 0};

/* --- verdict (bench/verdicts.h) ------------------------------------------------------- */
/* RT-5 from flatten_rt5.tsv: every grid point (k, n) solved by the Lagrange
 * recursion and stationary on the constraint surface (no move lowers the
 * bound by more than 1e-9 relative), the exhaustive integer optimum between
 * the real one and its rounded-up form (1e-9 in log2), and for each k the
 * deviation max_i |ln(b_i/n^(1/k))| falls from n = 1e5 to 1e8 and equals the
 * first-order prediction (k-1)/2 delta at 1e8 within the neglected
 * second-order terms (2 delta relative): reproduced, else not reproduced.
 * Conjecture III.2 is open and not checked. */
int vd_rt5(vd_result *r, vd_data *d)
{
    const tsv_table *t = vd_table(d, "flatten_rt5.tsv");
    int c[8];
    if (!t || ch4_cols(d, t, c, "n k solved kkt_gain log2_bound_real log2_bound_integer log2_bound_ceil abs_log_b_over_root") != 0)
        return -1;
    int solved = 1, kkt = 1, int_close = 1, approach = 1, npt = 0;
    double dev[KMAX + 1][3] = {{0}}; /* at n = 1e2, 1e5, 1e8 */
    for (int i = 0; i < t->nrows; i++) {
        int k = (int)tsv_num(t, i, c[1]);
        double n = tsv_num(t, i, c[0]), e = log10(n);
        if (k < KMIN || k > KMAX) return ch4_bad(d, "flatten_rt5.tsv: k out of range");
        npt++;
        if (!ch4_yes(t, i, c[2])) {
            solved = 0;
            continue;
        }
        double fr = tsv_num(t, i, c[4]), fi = tsv_num(t, i, c[5]), fc = tsv_num(t, i, c[6]);
        kkt &= tsv_num(t, i, c[3]) <= 1e-9;
        int_close &= fi >= fr - 1e-9 && fi <= fc + 1e-9;
        for (int j = 0; j < 3; j++)
            if (fabs(e - (2 + 3 * j)) < 1e-6) dev[k][j] = fmax(dev[k][j], tsv_num(t, i, c[7]));
    }
    for (int k = KMIN; k <= KMAX; k++) {
        double delta, pred = rt5_pred_delta(k, 1e8, &delta);
        approach &= dev[k][2] > 0 && dev[k][2] < dev[k][1] && fabs(dev[k][2] - pred) <= 2 * delta * pred + 1e-12;
    }
    if (!npt) return ch4_bad(d, "flatten_rt5.tsv: no rows");
    r->verdict = solved && kkt && int_close && approach ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED;
    vd_measured(r, "Lagrange recursion solved and stationary for k=2..4, n=1e2..1e8: %s; exhaustive integer optimum within rounding: %s; max|ln(b_i/n^(1/k))| falls 1e5->1e8 and equals (k-1)/2 log2(n^(1/k))/n^(1/k) at 1e8: %s (k=4: %.3f at 1e2, %.3f at 1e8)",
                ch4_yesno(solved && kkt), ch4_yesno(int_close), ch4_yesno(approach), dev[4][0], dev[4][2]);
    vd_paper(r, "b_i ~ n^(1/k); Conjecture III.2 stays a conjecture");
    vd_note(r, "Conjecture III.2 (2^Theta(n^(1/k))) is not checked: it is open");
    /* float error: the recursion is solved by bisection to ~1e-12 relative */
    vd_value(r, "dev_k4_n1e8", dev[4][2], 1e-9);
    vd_value(r, "dev_k4_n1e2", dev[4][0], 1e-9);
    vd_value(r, "dev_k2_n1e8", dev[2][2], 1e-9);
    return 0;
}
