/* Chapter 2's verdict functions (bench/exp_gate.c) on synthetic data files:
 * every rule returns each outcome its text names -- an ideal result, a null
 * result, a failed certification, borderline cases -- and the errata follow
 * the registered printed statements (perturbing one flips the verdict). */
#include "testutil.h"
#include "verdicts.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char dir[256];

static void setup(void) { testutil_outdir(dir, sizeof dir); }
static void teardown(void) { testutil_cleanup(dir); }

static const char *const act[5] = {"softplus", "logistic", "tanh", "exp", "elu"};

/* Writes dir/file: a provenance line, the columns, then the rows (printf). */
static void put(const char *file, const char *columns, const char *fmt, ...)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "cannot write %s", path);
    fprintf(f, "# synthetic\n%s\n", columns);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fclose(f);
}

/* Appends to a growing text buffer. */
static void cat(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + strlen(buf), n - strlen(buf), fmt, ap);
    va_end(ap);
}

/* Runs fn on dir (with a printed-statement override when ovr), asserts it
 * could read the data, returns the verdict; r for the caller to inspect. */
static claims_verdict decide(vd_fn fn, vd_result *r, const claims_printed *ovr, size_t novr, const char *cs)
{
    testutil_decide(r, fn, dir, ovr, novr, cs);
    return r->verdict;
}

static void expect(vd_fn fn, const claims_printed *ovr, size_t novr, claims_verdict want, const char *cs)
{
    vd_result r;
    claims_verdict v = decide(fn, &r, ovr, novr, cs);
    cr_assert(eq(int, v, want), "%s: verdict %s, the rule promises %s (measured: %s; note: %s)", cs,
              claims_verdict_name(v), claims_verdict_name(want), r.measured, r.note);
}

/* A copy of claim id's registered printed statement with another value. */
static claims_printed perturbed(const char *id, double value)
{
    const claims_printed *p = claims_printed_get(id, 0);
    cr_assert(p != NULL, "no printed statement registered for %s", id);
    claims_printed q = *p;
    q.value = value;
    return q;
}

static void taylor(void)
{
    put("gate_taylor.tsv", "act\tc2_num\tc2_den\tc4_num\tc4_den\tq_num\tq_den",
        "softplus\t1\t8\t-1\t192\t-1\t12\nlogistic\t-3\t64\t5\t1024\t-5\t24\ntanh\t-3\t8\t5\t32\t-5\t6\n"
        "exp\t1\t2\t1\t24\t1\t6\nelu\t1\t2\t1\t24\t1\t6\n");
}

/* --- LT-4 ------------------------------------------------------------------------------------- */
/* The sweep lambda = 2, 1, ..., 2^-6: sup = c lambda^p (c by activation),
 * enclosure 1e-4 relative; point `bad` (activation * 8 + index, or -1) gets
 * status `st`. */
static void sweep(double p, int bad, const char *st)
{
    char rows[8192] = "";
    for (int a = 0; a < 5; a++)
        for (int i = 0; i < 8; i++) {
            double l = ldexp(1.0, 1 - i), s = (0.1 + 0.05 * a) * pow(l, p);
            cat(rows, sizeof rows, "%s\t%.10g\t%.10g\t%.10g\t%.10g\t%s\n", act[a], l, s, s * (1 + 1e-4), l * l / 6,
                a * 8 + i == bad ? st : "certified");
        }
    put("gate_sup_lambda.tsv", "act\tlambda\tsup_lo\tsup_hi\tlead_pred\tstatus", "%s", rows);
    taylor();
}

Test(vdch2, lt4_ideal_is_the_erratum_the_printed_infinity_flips_it, .init = setup, .fini = teardown)
{
    sweep(2, -1, "");
    expect(vd_gate_lt4, NULL, 0, CLAIMS_ERRATUM, "LT-4 ideal: sup ~ lambda^2, printed lambda -> infinity");
    claims_printed q = perturbed("LT-4", 0.0);
    expect(vd_gate_lt4, &q, 1, CLAIMS_REPRODUCED, "LT-4 ideal, printed statement perturbed to lambda -> 0");
}

Test(vdch2, lt4_mirror_data_reproduce_the_printed_infinity, .init = setup, .fini = teardown)
{
    sweep(-2, -1, "");
    expect(vd_gate_lt4, NULL, 0, CLAIMS_REPRODUCED, "LT-4 mirror: sup ~ lambda^-2 (vanishes as lambda -> infinity)");
    claims_printed q = perturbed("LT-4", 0.0);
    expect(vd_gate_lt4, &q, 1, CLAIMS_ERRATUM, "LT-4 mirror, printed statement perturbed to lambda -> 0");
}

Test(vdch2, lt4_null_and_wrong_order_are_not_reproduced, .init = setup, .fini = teardown)
{
    sweep(0, -1, "");
    expect(vd_gate_lt4, NULL, 0, CLAIMS_NOT_REPRODUCED, "LT-4 null: sup independent of lambda");
    sweep(1, -1, "");
    expect(vd_gate_lt4, NULL, 0, CLAIMS_NOT_REPRODUCED, "LT-4 wrong order: sup ~ lambda, not lambda^2");
}

Test(vdch2, lt4_borderline_slope, .init = setup, .fini = teardown)
{
    sweep(2.04, -1, "");
    expect(vd_gate_lt4, NULL, 0, CLAIMS_ERRATUM, "LT-4 borderline: slope 2.04, inside 2 +- 0.05");
    sweep(2.06, -1, "");
    expect(vd_gate_lt4, NULL, 0, CLAIMS_NOT_REPRODUCED, "LT-4 borderline: slope 2.06, outside 2 +- 0.05");
}

Test(vdch2, lt4_uncertified_point_is_inconclusive, .init = setup, .fini = teardown)
{
    sweep(2, 2 * 8 + 5, "undecided");
    expect(vd_gate_lt4, NULL, 0, CLAIMS_INCONCLUSIVE, "LT-4 failed certification: one tanh point undecided");
}

Test(vdch2, lt4_one_activation_not_monotone, .init = setup, .fini = teardown)
{
    sweep(2, -1, "");
    /* tanh's sup at lambda = 1/2 raised above the one at 1 */
    char rows[8192] = "";
    for (int a = 0; a < 5; a++)
        for (int i = 0; i < 8; i++) {
            double l = ldexp(1.0, 1 - i), s = (0.1 + 0.05 * a) * l * l;
            if (a == 2 && i == 2) s = 1;
            cat(rows, sizeof rows, "%s\t%.10g\t%.10g\t%.10g\t0\tcertified\n", act[a], l, s, s * (1 + 1e-4));
        }
    put("gate_sup_lambda.tsv", "act\tlambda\tsup_lo\tsup_hi\tlead_pred\tstatus", "%s", rows);
    expect(vd_gate_lt4, NULL, 0, CLAIMS_NOT_REPRODUCED, "LT-4 null: tanh's sup not monotone in lambda");
}

/* --- LT-5 ------------------------------------------------------------------------------------- */
static void tenth(const double *sup, const char *const *status)
{
    char rows[2048] = "";
    for (int a = 0; a < 5; a++)
        cat(rows, sizeof rows, "%s\t0.1\t%.10g\t%.10g\t100\t0\t1\t%s\n", act[a], sup[a] * (1 - 1e-4), sup[a],
            status ? status[a] : "certified");
    put("gate_sup_tenth.tsv", "act\tlambda\tsup_lo\tsup_hi\tboxes\tlead_pred\tratio\tstatus", "%s", rows);
}

Test(vdch2, lt5_outcomes, .init = setup, .fini = teardown)
{
    const double ideal[5] = {0.001663, 0.004158, 0.01651, 0.003339, 0.003339};
    tenth(ideal, NULL);
    vd_result r;
    cr_assert(eq(int, decide(vd_gate_lt5, &r, NULL, 0, "LT-5 ideal"), CLAIMS_REPRODUCED),
              "LT-5 ideal (the measured sups): every sup within 2%%");
    cr_assert(strstr(r.note, "1%: partly (4 of 5)") && strstr(r.note, "0.1%: not-reproduced (0 of 5)") &&
                  strstr(r.note, "5%: reproduced (5 of 5)") != NULL,
              "LT-5 ideal: the note gives the verdict at each threshold of the grid: %s", r.note);
    const double one_bad[5] = {0.001663, 0.004158, 0.03, 0.003339, 0.003339};
    tenth(one_bad, NULL);
    expect(vd_gate_lt5, NULL, 0, CLAIMS_PARTLY, "LT-5 one activation at 3%");
    const double none[5] = {0.05, 0.05, 0.05, 0.05, 0.05};
    tenth(none, NULL);
    expect(vd_gate_lt5, NULL, 0, CLAIMS_NOT_REPRODUCED, "LT-5 null: every sup at 5%");
}

Test(vdch2, lt5_borderline_and_failed_certification, .init = setup, .fini = teardown)
{
    double at[5] = {0.001, 0.001, 0.02, 0.001, 0.001};
    tenth(at, NULL);
    expect(vd_gate_lt5, NULL, 0, CLAIMS_REPRODUCED, "LT-5 borderline: tanh's sup exactly 2%");
    at[2] = 0.0200001;
    tenth(at, NULL);
    expect(vd_gate_lt5, NULL, 0, CLAIMS_PARTLY, "LT-5 borderline: tanh's sup just above 2%");
    const char *const st[5] = {"certified", "certified", "undecided", "certified", "certified"};
    const double good[5] = {0.001, 0.001, 0.001, 0.001, 0.001};
    tenth(good, st);
    expect(vd_gate_lt5, NULL, 0, CLAIMS_INCONCLUSIVE, "LT-5 failed certification: tanh undecided, the rest within 2%");
    const double mixed[5] = {0.001, 0.05, 0.001, 0.001, 0.001};
    tenth(mixed, st);
    expect(vd_gate_lt5, NULL, 0, CLAIMS_PARTLY, "LT-5 tanh undecided, logistic at 5%: partly whatever tanh's sup is");
}

/* --- RT-1 ------------------------------------------------------------------------------------- */
/* the printed form at lambda = 0.01, 0.02: F (1 + k t + t^2 / 360), t = lambda^2 */
static void rt1(double F, double k)
{
    char rows[512] = "";
    for (int i = 1; i <= 2; i++) {
        double l = 0.01 * i, t = l * l, sq = F * (1 + k * t + t * t / 360);
        cat(rows, sizeof rows, "softplus\t%g\t1\t%.17g\t%.10g\n", l, sq, (sq - 1) / t);
    }
    put("gate_rt1.tsv", "act\tlambda\tx\tsq_printed\tresid", "%s", rows);
    taylor();
}

Test(vdch2, rt1_outcomes_and_the_printed_divisor, .init = setup, .fini = teardown)
{
    rt1(1, -1.0 / 24);
    expect(vd_gate_rt1, NULL, 0, CLAIMS_REPRODUCED, "RT-1 ideal: divisor sigma''(0), next coefficient -1/24");
    claims_printed q = perturbed("RT-1", 2.0);
    expect(vd_gate_rt1, &q, 1, CLAIMS_ERRATUM, "RT-1 ideal data, printed divisor perturbed to 2 sigma''(0)");
    rt1(0.5, -1.0 / 24);
    expect(vd_gate_rt1, NULL, 0, CLAIMS_ERRATUM, "RT-1 data with divisor 2 sigma''(0), printed sigma''(0)");
    q = perturbed("RT-1", 0.5);
    expect(vd_gate_rt1, &q, 1, CLAIMS_REPRODUCED, "RT-1 data with divisor 2 sigma''(0), printed perturbed to match");
    rt1(1, -1.0 / 12);
    expect(vd_gate_rt1, NULL, 0, CLAIMS_NOT_REPRODUCED, "RT-1 null: next coefficient -1/12, not the exact -1/24");
}

Test(vdch2, rt1_borderline, .init = setup, .fini = teardown)
{
    rt1(1 + 0.9e-6, -1.0 / 24);
    expect(vd_gate_rt1, NULL, 0, CLAIMS_REPRODUCED, "RT-1 borderline: divisor 1 + 0.9e-6, inside 1e-6");
    rt1(1 + 1.1e-6, -1.0 / 24);
    expect(vd_gate_rt1, NULL, 0, CLAIMS_ERRATUM, "RT-1 borderline: divisor 1 + 1.1e-6, outside 1e-6");
}

/* --- LT-6 ------------------------------------------------------------------------------------- */
/* max_err = bound * f + add at every beta (f, add: the case), bound = logistic(-beta/s) */
static void binary(double s, double f, double add, int at)
{
    char rows[4096] = "";
    for (int b = 1; b <= 60; b++) {
        double bound = 1 / (1 + exp(b / s)), e = b == at || at == 0 ? bound * f + add : bound;
        cat(rows, sizeof rows, "%d\t%.6g\t%.6g\t%.3e\n", b, e, bound, e - bound);
    }
    put("gate_binary.tsv", "beta\tmax_err\tbound\texcess", "%s", rows);
}

Test(vdch2, lt6_outcomes, .init = setup, .fini = teardown)
{
    binary(2, 1, 0, 0);
    expect(vd_gate_lt6, NULL, 0, CLAIMS_REPRODUCED, "LT-6 ideal: error = logistic(-beta/2)");
    char rows[4096] = "";
    for (int b = 1; b <= 60; b++) cat(rows, sizeof rows, "%d\t0.5\t%.6g\t%.3e\n", b, 1 / (1 + exp(b / 2.0)), 0.5 - 1 / (1 + exp(b / 2.0)));
    put("gate_binary.tsv", "beta\tmax_err\tbound\texcess", "%s", rows);
    expect(vd_gate_lt6, NULL, 0, CLAIMS_NOT_REPRODUCED, "LT-6 null: the unit outputs 1/2 whatever the bits");
    binary(4, 1, 0, 0);
    expect(vd_gate_lt6, NULL, 0, CLAIMS_NOT_REPRODUCED, "LT-6 too slow: error logistic(-beta/4), 4.5e-5 at beta 40");
    binary(2, 1, 1e-10, 30);
    expect(vd_gate_lt6, NULL, 0, CLAIMS_NOT_REPRODUCED, "LT-6 error above the bound by 1e-10 at beta 30");
}

Test(vdch2, lt6_borderline_rounding, .init = setup, .fini = teardown)
{
    binary(2, 1, 0.9 * DBL_EPSILON, 60);
    expect(vd_gate_lt6, NULL, 0, CLAIMS_REPRODUCED, "LT-6 borderline: excess 0.9 DBL_EPSILON at beta 60 (rounding of 1 - p)");
    binary(2, 1, 2 * DBL_EPSILON, 60);
    expect(vd_gate_lt6, NULL, 0, CLAIMS_NOT_REPRODUCED, "LT-6 borderline: excess 2 DBL_EPSILON at beta 60");
}

/* --- LT-7 ------------------------------------------------------------------------------------- */
/* Trees of n = 2..64 as the construction builds them: per layer pair, odd
 * value through a copy gate; k neurons per gate, layers + dl. */
static void tree(int k, int dl, int bump_n)
{
    char rows[8192] = "";
    for (int n = 2; n <= 64; n++) {
        int L = 0, gates = 0, copies = 0;
        for (int w = n; w > 1; w = (w + 1) / 2) L++, gates += w / 2, copies += w % 2;
        int neurons = k * gates + 2 * copies + (n == bump_n);
        cat(rows, sizeof rows, "%d\t%d\t%d\t%d\t%d\t%d\t%.6g\t%.6g\n", n, L + dl, gates, copies, neurons, 4 * (n - 1),
            4.1e-4 * (n - 1), 0.0775 / sqrt(n - 1));
    }
    put("gate_tree.tsv", "n\tlayers\tgates\tcopies\tneurons\tfour_n_minus_one\terr\tlambda_target", "%s", rows);
}

Test(vdch2, lt7_outcomes_and_the_printed_count, .init = setup, .fini = teardown)
{
    tree(4, 0, 0);
    expect(vd_gate_lt7, NULL, 0, CLAIMS_REPRODUCED, "LT-7 ideal: 4 neurons per gate, ceil(log2 n) layers");
    claims_printed q = perturbed("LT-7", 5.0);
    expect(vd_gate_lt7, &q, 1, CLAIMS_ERRATUM, "LT-7 ideal data, printed count perturbed to 5(n-1)");
    tree(5, 0, 0);
    expect(vd_gate_lt7, NULL, 0, CLAIMS_ERRATUM, "LT-7 data with 5 neurons per gate, printed 4(n-1)");
    tree(4, 1, 0);
    expect(vd_gate_lt7, NULL, 0, CLAIMS_NOT_REPRODUCED, "LT-7 null: one layer more than ceil(log2 n)");
    tree(4, 0, 37);
    expect(vd_gate_lt7, NULL, 0, CLAIMS_NOT_REPRODUCED, "LT-7 borderline: one neuron too many at n = 37 only");
}

/* --- BP-RELU ---------------------------------------------------------------------------------- */
/* eps = 1e-2..1e-8; the ReLU neurons 28 + 12 e (or constant), the smooth
 * gate's certification `cert` at eps 1e-5, its neurons 4 (or growing). */
static void relu(int grow, const char *cert, int smooth_grows, double relu_err_factor)
{
    char rows[4096] = "";
    for (int e = 2; e <= 8; e++) {
        double eps = pow(10, -e), lam = sqrt(6 * eps) / 1.01;
        cat(rows, sizeof rows, "%g\t%d\t%d\t%d\t%.6g\t%.6g\t%d\t%.6g\t%s\t%.10g\t%.6g\t%.6g\t%.6g\t4\n", eps, e,
            grow ? 4 + 12 * e : 28, e + 1, relu_err_factor * eps, lam, smooth_grows ? 4 + e : 4, 0.99 * eps,
            e == 5 ? cert : "certified", 1 / (lam * lam), e == 8 ? 1.5e-8 : 0.98 * eps, 0.98 * eps, eps);
    }
    put("gate_relu.tsv",
        "eps\trelu_m\trelu_neurons\trelu_depth\trelu_err\tsmooth_lambda\tsmooth_neurons\tsmooth_sup_hi\tsmooth_cert\t"
        "smooth_out_weight\tsmooth_err64\tsmooth_err32\trelu_err32\trelu_max_weight",
        "%s", rows);
    put("gate_floor_smooth.tsv", "lambda\tout_weight\tlead_pred\terr64\terr32", "0.01\t1e4\t1.6e-5\t1.6e-5\t3e-3\n2e-4\t2.5e7\t7e-9\t1.4e-8\t1\n");
    put("gate_floor_relu.tsv", "m\tneurons\tdepth\tbound\terr64\terr32", "3\t28\t4\t0.0039\t0.0039\t0.0039\n25\t204\t26\t1e-16\t8e-16\t3e-7\n");
}

Test(vdch2, relu_outcomes, .init = setup, .fini = teardown)
{
    relu(1, "certified", 0, 0.5);
    vd_result r;
    cr_assert(eq(int, decide(vd_gate_relu, &r, NULL, 0, "BP-RELU ideal"), CLAIMS_REPRODUCED),
              "BP-RELU ideal: ReLU neurons grow, smooth gate 4 and certified");
    cr_assert(strstr(r.measured, "float64 floor: smooth 1.4e-8 (misses 1 of 7 eps)") != NULL,
              "BP-RELU ideal: the measured string reports the float64 floor from the sweep: %s", r.measured);
    relu(0, "certified", 0, 0.5);
    expect(vd_gate_relu, NULL, 0, CLAIMS_NOT_REPRODUCED, "BP-RELU null: the ReLU net does not grow");
    relu(1, "undecided", 0, 0.5);
    expect(vd_gate_relu, NULL, 0, CLAIMS_INCONCLUSIVE, "BP-RELU failed certification: smooth gate undecided at 1e-5");
    relu(1, "refuted", 0, 0.5);
    expect(vd_gate_relu, NULL, 0, CLAIMS_NOT_REPRODUCED, "BP-RELU smooth gate refuted at 1e-5");
    relu(1, "certified", 1, 0.5);
    expect(vd_gate_relu, NULL, 0, CLAIMS_NOT_REPRODUCED, "BP-RELU smooth gate's neurons grow");
    relu(1, "certified", 0, 1.0);
    expect(vd_gate_relu, NULL, 0, CLAIMS_REPRODUCED, "BP-RELU borderline: ReLU error exactly eps");
    relu(1, "certified", 0, 1.001);
    expect(vd_gate_relu, NULL, 0, CLAIMS_NOT_REPRODUCED, "BP-RELU borderline: ReLU error 0.1% above eps");
}

/* --- data that cannot be read ------------------------------------------------------------------ */
Test(vdch2, missing_files_are_errors_not_verdicts, .init = setup, .fini = teardown)
{
    vd_fn fn[6] = {vd_gate_lt4, vd_gate_lt5, vd_gate_rt1, vd_gate_lt6, vd_gate_lt7, vd_gate_relu};
    for (int i = 0; i < 6; i++) {
        vd_data d;
        vd_result r;
        vd_data_init(&d, dir);
        memset(&r, 0, sizeof r);
        cr_assert(eq(int, fn[i](&r, &d), -1), "verdict function %d decided on an empty directory", i);
        vd_data_clear(&d);
    }
}
