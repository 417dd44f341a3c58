/* Chapter 4's verdict functions on synthetic data files: every rule returns
 * each outcome its text names (ideal, wrong value or null result, failed
 * control where there is one, borderline), and the errata follow the
 * registered printed statements (perturbing them changes the verdict). */
#include "claims.h"
#include "stats.h"
#include "testutil.h"
#include "verdicts.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[256];
static void setup(void) { testutil_outdir(dir, sizeof dir); }
static void teardown(void) { testutil_cleanup(dir); }

/* Writes dir/name: a provenance line, then the text (columns and rows). */
static void put(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "cannot write %s", path);
    fprintf(f, "# synthetic data for a verdict test\n%s", text);
    fclose(f);
}

/* Appends a line to dir/name (a file put() started). */
static void add(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(const char *name, const char *fmt, ...)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "a");
    cr_assert(f != NULL);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fclose(f);
}

/* The registry's printed statements of id, copied for perturbing. */
static claims_printed ov[8];
static size_t nov;
static void copy_printed(const char *id)
{
    nov = 0;
    for (int k = 0; claims_printed_get(id, k) && nov < 8; k++) ov[nov++] = *claims_printed_get(id, k);
    cr_assert(nov > 0, "%s: no printed statement registered", id);
}

/* Runs fn on dir (with the perturbed statements when use_ov) and returns its result. */
static vd_result run(vd_fn fn, int use_ov, const char *kase)
{
    vd_result r;
    testutil_decide(&r, fn, dir, use_ov ? ov : NULL, use_ov ? nov : 0, kase);
    return r;
}

static void expect(vd_fn fn, int use_ov, claims_verdict want, const char *kase)
{
    vd_result r = run(fn, use_ov, kase);
    cr_assert(r.verdict == want, "%s: got %s, want %s (%s)", kase, claims_verdict_name(r.verdict),
              claims_verdict_name(want), r.measured);
}

/* A lambda sweep of 6 halvings whose error falls by `ratio` per halving. */
static void sweep(const char *what, int n, double ratio)
{
    double e = 0.1;
    for (int li = 0; li < 6; li++, e /= ratio) add("flatten_lambda.tsv", "%s\t%d\t%g\t%.6g\t%.6g\n", what, n, 1.0 / (2 << li), e, e * 1e-9);
}

/* --- LT-12 --------------------------------------------------------------------------------- */
static void lt12_data(int exp_rows, double generic_coef, int corrected_exact, double sweep_ratio)
{
    put("flatten_a4.tsv", "act\tn\tweights\tneurons\texact\ttarget_coef\ttarget_coef_value\tother_terms_zero\n");
    if (exp_rows)
        add("flatten_a4.tsv", "exp\t2\tcorrected\t4\tyes\t1/1\t1\tyes\nexp\t2\tprinted\t4\tyes\t1/1\t1\tyes\n");
    add("flatten_a4.tsv", "generic\t2\tcorrected\t4\t%s\t1/1\t1\tyes\n", corrected_exact ? "yes" : "no");
    add("flatten_a4.tsv", "generic\t2\tprinted\t4\t%s\tx\t%.17g\tyes\n", generic_coef == 1 ? "yes" : "no", generic_coef);
    put("flatten_lambda.tsv", "construction\tn\tlambda\trel_err\tround_est\n");
    sweep("A4-exp", 2, sweep_ratio);
    sweep("A4-softplus", 2, sweep_ratio);
}

Test(vdch4, lt12_outcomes, .init = setup, .fini = teardown)
{
    lt12_data(1, 2.0 / 3, 1, 4);
    expect(vd_lt12, 0, CLAIMS_ERRATUM, "LT-12 ideal (generic c = n! sigma_n = 2/3, printed 1)");
    lt12_data(1, 1.0, 1, 4);
    expect(vd_lt12, 0, CLAIMS_REPRODUCED, "LT-12 printed weights right for every activation");
    lt12_data(1, 1.0 + 1e-13, 1, 4);
    expect(vd_lt12, 0, CLAIMS_REPRODUCED, "LT-12 borderline: c within 1e-12 of the printed 1");
    lt12_data(1, 1.0 + 1e-9, 1, 4);
    expect(vd_lt12, 0, CLAIMS_ERRATUM, "LT-12 borderline: c off by 1e-9");
    lt12_data(1, 2.0 / 3, 0, 4);
    expect(vd_lt12, 0, CLAIMS_NOT_REPRODUCED, "LT-12 corrected construction not exact");
    lt12_data(1, 2.0 / 3, 1, 1.5);
    expect(vd_lt12, 0, CLAIMS_NOT_REPRODUCED, "LT-12 lambda -> 0 does not converge (error / 1.5 per halving)");
}

/* The erratum follows the registered statement: printed c = 2/3 makes the generic-only data agree. */
Test(vdch4, lt12_follows_the_printed_value, .init = setup, .fini = teardown)
{
    lt12_data(0, 2.0 / 3, 1, 4);
    expect(vd_lt12, 0, CLAIMS_ERRATUM, "LT-12 registry (printed c = 1), generic c = 2/3");
    copy_printed("LT-12");
    ov[0].value = 2.0 / 3;
    expect(vd_lt12, 1, CLAIMS_REPRODUCED, "LT-12 printed value perturbed to the computed 2/3");
}

/* --- LT-13 --------------------------------------------------------------------------------- */
static void lt13_data(int xy_min, int xy_cert, int xy_conf, int ctl_min, int dup_feasible, int rank3)
{
    put("flatten_search.tsv", "case\tmode\tn\tdegree\tlattice\tvectors\tmmax\tbound\tmin_neurons\tnets\tseconds\tnets_per_s\tcertified\tconfirmed\n");
    add("flatten_search.tsv", "xy\tgeneric\t2\t2\t1\t9\t4\t4\t%d\t170\t0\t0\t%s\t%s\n", xy_min, xy_cert ? "yes" : "no",
        xy_conf ? "yes" : "no");
    add("flatten_search.tsv", "xyz\tgeneric\t3\t3\t1\t27\t8\t8\t8\t2047562\t0\t0\tyes\tyes\n");
    add("flatten_search.tsv", "x^2y\tgeneric\t2\t3\t2\t25\t6\t6\t6\t114019\t0\t0\tyes\tyes\n");
    add("flatten_search.tsv", "xy\tpower\t2\t2\t2\t12\t4\t2\t%d\t78\t0\t0\tyes\tyes\n", ctl_min);
    put("flatten_rank.tsv", "n\trows\tcols\trank_mod_p\trank_exact\tseconds\n1\t2\t2\t2\t2\t0\n2\t4\t4\t4\t4\t0\n");
    add("flatten_rank.tsv", "3\t8\t8\t%d\t-1\t0\n", rank3);
    put("flatten_summary.tsv", "quantity\tcase\tvalue\n");
    add("flatten_summary.tsv", "duplicated_rank\tn=2\t3\nduplicated_feasible\tn=2\t%d\n", dup_feasible);
}

Test(vdch4, lt13_outcomes, .init = setup, .fini = teardown)
{
    lt13_data(4, 1, 1, 2, 0, 8);
    expect(vd_lt13, 0, CLAIMS_REPRODUCED, "LT-13 ideal: searches find exactly 2^n, controls pass");
    lt13_data(3, 1, 1, 2, 0, 8);
    expect(vd_lt13, 0, CLAIMS_NOT_REPRODUCED, "LT-13 null: a certified search finds xy with 3 < 4 neurons");
    lt13_data(4, 1, 1, 4, 0, 8);
    expect(vd_lt13, 0, CLAIMS_INCONCLUSIVE, "LT-13 failed control: sigma = x^2 search finds nothing below 2^n");
    lt13_data(4, 1, 1, 2, 1, 8);
    expect(vd_lt13, 0, CLAIMS_INCONCLUSIVE, "LT-13 failed control: the duplicated neuron admits weights");
    lt13_data(4, 0, 1, 2, 0, 8);
    expect(vd_lt13, 0, CLAIMS_INCONCLUSIVE, "LT-13 uncertified search");
    lt13_data(4, 1, 0, 2, 0, 8);
    expect(vd_lt13, 0, CLAIMS_INCONCLUSIVE, "LT-13 borderline: min = 2^n but the 2^n net is not confirmed exactly");
    lt13_data(4, 1, 1, 2, 0, 7);
    expect(vd_lt13, 0, CLAIMS_NOT_REPRODUCED, "LT-13 Eq. A4 vectors rank-deficient for n = 3");
}

/* --- LT-14 --------------------------------------------------------------------------------- */
static void lt14_data(int n16_neurons, int exact, double sweep_ratio)
{
    put("flatten_counts.tsv", "kind\tsize\tneurons\tbound\tlayers\npower\t2\t3\t7\t1\n");
    for (int n = 2; n <= 64; n++)
        add("flatten_counts.tsv", "tree\t%d\t%d\t%d\t0\n", n, n == 16 ? n16_neurons : 4 * (n - 1) + 2 * (n & (n - 1) ? 1 : 0),
            4 * (n - 1));
    put("flatten_constructions.tsv", "construction\tact\tn\texponents\tneurons\texact\n");
    add("flatten_constructions.tsv", "tree\texp\t2\t1^2\t4\tyes\ntree\texp\t3\t1^3\t10\t%s\n", exact ? "yes" : "no");
    put("flatten_lambda.tsv", "construction\tn\tlambda\trel_err\tround_est\n");
    sweep("tree-softplus", 4, sweep_ratio);
    sweep("tree-softplus", 32, sweep_ratio);
}

Test(vdch4, lt14_outcomes, .init = setup, .fini = teardown)
{
    lt14_data(60, 1, 4);
    expect(vd_lt14, 0, CLAIMS_ERRATUM, "LT-14 ideal: the tree needs 124 for n = 32, printed 160");
    copy_printed("LT-14");
    ov[0].value = 124;
    expect(vd_lt14, 1, CLAIMS_REPRODUCED, "LT-14 printed count perturbed to the computed 124");
    ov[0].value = 128;
    expect(vd_lt14, 1, CLAIMS_ERRATUM, "LT-14 borderline: printed 4n = 128 is still not the tree's 124");
    copy_printed("LT-14");
    ov[1].value = 16, ov[0].value = 60;
    expect(vd_lt14, 1, CLAIMS_REPRODUCED, "LT-14 printed n and count perturbed to n = 16, 60 neurons");
    lt14_data(64, 1, 4);
    expect(vd_lt14, 0, CLAIMS_NOT_REPRODUCED, "LT-14 null: the tree for n = 16 has 64, not 4(n-1) = 60");
    lt14_data(60, 0, 4);
    expect(vd_lt14, 0, CLAIMS_NOT_REPRODUCED, "LT-14 tree not exact");
    lt14_data(60, 1, 1.2);
    expect(vd_lt14, 0, CLAIMS_NOT_REPRODUCED, "LT-14 softplus sweep does not converge");
}

/* --- RT-2, RT-3, RT-4 --------------------------------------------------------------------- */
static void rt2_data(int shallow_neurons, int deep_neurons, int box_rank, int search_min, int within)
{
    put("flatten_constructions.tsv", "construction\tact\tn\texponents\tneurons\texact\n");
    add("flatten_constructions.tsv", "shallow-monomial\tgeneric\t2\t2,1\t%d\tyes\n", shallow_neurons);
    add("flatten_constructions.tsv", "deep-monomial\texp\t2\t2,1\t%d\tyes\n", deep_neurons);
    add("flatten_constructions.tsv", "shallow-monomial\tgeneric\t3\t1,1,1\t8\tyes\ndeep-monomial\texp\t3\t1,1,1\t10\tyes\n");
    put("flatten_search.tsv", "case\tmode\tn\tdegree\tlattice\tvectors\tmmax\tbound\tmin_neurons\tnets\tseconds\tnets_per_s\tcertified\tconfirmed\n");
    add("flatten_search.tsv", "x^2y\tgeneric\t2\t3\t2\t25\t6\t6\t%d\t114019\t0\t0\tyes\tyes\n", search_min);
    add("flatten_search.tsv", "x^2\tgeneric\t1\t2\t3\t7\t3\t3\t3\t33\t0\t0\tyes\tyes\n");
    put("flatten_summary.tsv", "quantity\tcase\tvalue\n");
    add("flatten_summary.tsv", "box_rank\t2,1\t%d\nbox_rank\t1,1,1\t8\n", box_rank);
    add("flatten_summary.tsv", "deep_pairs\tr1<=64,r2<=16\t320\ndeep_pairs_within\tr1<=64,r2<=16\t%d\ndeep_min_slack\tr1<=64,r2<=16\t3\n", within);
}

Test(vdch4, rt2_outcomes, .init = setup, .fini = teardown)
{
    rt2_data(6, 8, 6, 6, 320);
    expect(vd_rt2, 0, CLAIMS_REPRODUCED, "RT-2 ideal");
    rt2_data(6, 15, 6, 6, 320);
    expect(vd_rt2, 0, CLAIMS_REPRODUCED, "RT-2 borderline: deep net exactly at sum(7 ceil(log2 r_i)+4) = 15");
    rt2_data(6, 16, 6, 6, 320);
    expect(vd_rt2, 0, CLAIMS_NOT_REPRODUCED, "RT-2 deep net above the bound (16 > 15)");
    rt2_data(5, 8, 6, 6, 320);
    expect(vd_rt2, 0, CLAIMS_NOT_REPRODUCED, "RT-2 shallow net with 5, not prod(r_i+1) = 6");
    rt2_data(6, 8, 5, 6, 320);
    expect(vd_rt2, 0, CLAIMS_NOT_REPRODUCED, "RT-2 rank lemma on the box deficient");
    rt2_data(6, 8, 6, 5, 320);
    expect(vd_rt2, 0, CLAIMS_NOT_REPRODUCED, "RT-2 null: a search finds x^2y with 5 < 6");
    rt2_data(6, 8, 6, 6, 319);
    expect(vd_rt2, 0, CLAIMS_NOT_REPRODUCED, "RT-2 one counted pair exceeds the deep bound");
}

static void rt3_data(int xy_min, int binom_equal, int xyz_min)
{
    put("flatten_search.tsv", "case\tmode\tn\tdegree\tlattice\tvectors\tmmax\tbound\tmin_neurons\tnets\tseconds\tnets_per_s\tcertified\tconfirmed\n");
    add("flatten_search.tsv", "xy\tpower\t2\t2\t2\t12\t4\t2\t%d\t78\t0\t0\tyes\tyes\n", xy_min);
    add("flatten_search.tsv", "xyz\tpower\t3\t3\t2\t62\t4\t3\t%d\t441194\t0\t0\tyes\tyes\n", xyz_min);
    add("flatten_search.tsv", "xy\tgeneric\t2\t2\t1\t9\t4\t4\t1\t170\t0\t0\tyes\tyes\n"); /* not RT-3's */
    put("flatten_summary.tsv", "quantity\tcase\tvalue\n");
    add("flatten_summary.tsv", "rt3_binomial\tn<=40\t40\nrt3_binomial_equal\tn<=40\t%d\n", binom_equal);
    add("flatten_summary.tsv", "rt3_direct\tr<=(6,6)\t36\nrt3_direct_equal\tr<=(6,6)\t36\n");
}

Test(vdch4, rt3_outcomes, .init = setup, .fini = teardown)
{
    rt3_data(2, 40, 4);
    expect(vd_rt3, 0, CLAIMS_REPRODUCED, "RT-3 ideal (xy at the bound 2, xyz above its bound 3)");
    rt3_data(2, 40, 3);
    expect(vd_rt3, 0, CLAIMS_REPRODUCED, "RT-3 borderline: xyz exactly at the bound 3");
    rt3_data(2, 40, -1);
    expect(vd_rt3, 0, CLAIMS_REPRODUCED, "RT-3 no net up to the search limit");
    rt3_data(1, 40, 4);
    expect(vd_rt3, 0, CLAIMS_NOT_REPRODUCED, "RT-3 null: a sigma = x^2 net below the bound (1 < 2)");
    rt3_data(2, 39, 4);
    expect(vd_rt3, 0, CLAIMS_NOT_REPRODUCED, "RT-3 the largest coefficient differs from C(n, n/2) once");
}

static void rt4_data(int shallow_extra, int vandermonde, int within, int search_min)
{
    put("flatten_constructions.tsv", "construction\tact\tn\texponents\tneurons\texact\n");
    for (int d = 1; d <= 3; d++) {
        add("flatten_constructions.tsv", "shallow-power\tgeneric\t1\t%d\t%d\tyes\n", d, d + 1 + (d == 3 ? shallow_extra : 0));
        add("flatten_constructions.tsv", "deep-power\texp\t1\t%d\t%d\tyes\n", d, 3 * d);
    }
    put("flatten_search.tsv", "case\tmode\tn\tdegree\tlattice\tvectors\tmmax\tbound\tmin_neurons\tnets\tseconds\tnets_per_s\tcertified\tconfirmed\n");
    add("flatten_search.tsv", "x^2\tgeneric\t1\t2\t3\t7\t3\t3\t%d\t33\t0\t0\tyes\tyes\n", search_min);
    put("flatten_summary.tsv", "quantity\tcase\tvalue\n");
    add("flatten_summary.tsv", "power_count_d\t2..4096\t4095\npower_count_within\t2..4096\t%d\n", within);
    add("flatten_summary.tsv", "vandermonde_exact\t2x^3-3x^2+x-5\t%d\nvandermonde_neurons\t2x^3-3x^2+x-5\t4\n", vandermonde);
}

Test(vdch4, rt4_outcomes, .init = setup, .fini = teardown)
{
    rt4_data(0, 1, 4095, 3);
    expect(vd_rt4, 0, CLAIMS_REPRODUCED, "RT-4 ideal");
    rt4_data(1, 1, 4095, 3);
    expect(vd_rt4, 0, CLAIMS_NOT_REPRODUCED, "RT-4 x^3 with 5, not d+1 = 4 neurons");
    rt4_data(0, 0, 4095, 3);
    expect(vd_rt4, 0, CLAIMS_NOT_REPRODUCED, "RT-4 Vandermonde cubic not matched");
    rt4_data(0, 1, 4094, 3);
    expect(vd_rt4, 0, CLAIMS_NOT_REPRODUCED, "RT-4 borderline: one d of 4095 above 7 ceil(log2 d)");
    rt4_data(0, 1, 4095, 2);
    expect(vd_rt4, 0, CLAIMS_NOT_REPRODUCED, "RT-4 null: a search finds x^2 with 2 < d+1");
}

/* --- RT-5 ---------------------------------------------------------------------------------- */
/* One row per (k, n) at n = 1e2, 1e5, 1e8: the deviation at 1e8 is the
 * first-order prediction times (1 + f delta), at 1e5 twice that. */
static void rt5_data(double f, double kkt, double fi)
{
    put("flatten_rt5.tsv", "n\tk\ti\tb_lagrange\tb_integer\tb_over_root\tsolved\tkkt_gain\tlog2_bound_real\tlog2_bound_integer\t"
                           "log2_bound_ceil\tabs_log_b_over_root\n");
    for (int k = 2; k <= 4; k++) {
        double root = pow(1e8, 1.0 / k), delta = log2(root) / root, pred = 0.5 * (k - 1) * delta * (1 + f * delta);
        const double ns[3] = {1e2, 1e5, 1e8}, dev[3] = {0.3, 2 * pred, pred};
        for (int j = 0; j < 3; j++)
            add("flatten_rt5.tsv", "%.6g\t%d\t1\t1\t1\t1\tyes\t%g\t10\t%.17g\t11\t%.17g\n", ns[j], k, kkt, fi, dev[j]);
    }
}

Test(vdch4, rt5_outcomes, .init = setup, .fini = teardown)
{
    rt5_data(0, 0, 10.5);
    expect(vd_rt5, 0, CLAIMS_REPRODUCED, "RT-5 ideal");
    rt5_data(1.9, 0, 10.5);
    expect(vd_rt5, 0, CLAIMS_REPRODUCED, "RT-5 borderline: deviation 1.9 delta above the prediction (tolerance 2 delta)");
    rt5_data(2.1, 0, 10.5);
    expect(vd_rt5, 0, CLAIMS_NOT_REPRODUCED, "RT-5 deviation 2.1 delta above the prediction");
    rt5_data(0, 1e-6, 10.5);
    expect(vd_rt5, 0, CLAIMS_NOT_REPRODUCED, "RT-5 not stationary (a move gains 1e-6)");
    rt5_data(0, 0, 9.5);
    expect(vd_rt5, 0, CLAIMS_NOT_REPRODUCED, "RT-5 integer optimum below the real one");
    rt5_data(0, 0, 11.5);
    expect(vd_rt5, 0, CLAIMS_NOT_REPRODUCED, "RT-5 integer optimum above the rounded-up real one");
}

/* --- LT-15 --------------------------------------------------------------------------------- */
/* Butterflies with c n log2 n weights (c_big for n = 1024), rank-k factors,
 * and 16 sparse cells whose z make chi^2 = chi2. */
static void lt15_data(double c, double c_big, int rank_off, double chi2)
{
    put("flatten_butterfly.tsv", "n\twht_synapses\tfft_synapses\tdense\tnlog2n\tfft_maxerr\tCs\n");
    for (int lg = 1; lg <= 10; lg++) {
        int n = 1 << lg;
        double w = (n == 1024 ? c_big : c) * n * lg;
        add("flatten_butterfly.tsv", "%d\t%.0f\t%.0f\t%d\t%d\t1e-16\t1\n", n, w, w, n * n, n * lg);
    }
    put("flatten_lowrank.tsv", "n\tk\trank\tdense_nnz\tfactor_nnz\tCs\tn_over_2k\n");
    for (int k = 1; k <= 16; k *= 2) add("flatten_lowrank.tsv", "64\t%d\t%d\t4000\t%d\t1\t1\n", k, k + (k == 4) * rank_off, 100 * k);
    put("flatten_sparse.tsv", "n\tp\ttrials\tfill_mean\tfill_se\teq27\tz\tCs_mean\tCs_se\tCs_eq27\tCs_cap\n");
    for (int j = 0; j < 16; j++) add("flatten_sparse.tsv", "32\t0.1\t24\t0.2\t0.01\t0.2\t%.6f\t1\t0.1\t1\t5\n", (j % 2 ? 1 : -1) * sqrt(chi2 / 16));
}

Test(vdch4, lt15_outcomes, .init = setup, .fini = teardown)
{
    double q = stats_chi2_quantile(0.999, 16);
    lt15_data(2, 2, 0, 9);
    expect(vd_lt15, 0, CLAIMS_REPRODUCED, "LT-15 ideal: 2 n log2 n, the printed order (a constant is no erratum)");
    lt15_data(2, 2, 0, q - 0.1);
    expect(vd_lt15, 0, CLAIMS_REPRODUCED, "LT-15 borderline: chi^2 just below the 99.9% quantile");
    lt15_data(2, 2, 0, q + 0.1);
    expect(vd_lt15, 0, CLAIMS_PARTLY, "LT-15 borderline: chi^2 just above the 99.9% quantile (Eq. 27 rejected)");
    lt15_data(2, 3, 0, 9);
    expect(vd_lt15, 0, CLAIMS_NOT_REPRODUCED, "LT-15 null: weights / (n log2 n) not constant (another order)");
    lt15_data(2, 2, 1, 9);
    expect(vd_lt15, 0, CLAIMS_NOT_REPRODUCED, "LT-15 a rank-4 factorization of rank 5");
    lt15_data(2, 2, 0, 9);
    copy_printed("LT-15");
    ov[0].value = 2;
    vd_result r = run(vd_lt15, 1, "LT-15 printed coefficient perturbed to 2");
    cr_assert(r.verdict == CLAIMS_REPRODUCED && r.values[1].value == 1, "LT-15 with printed 2: constant %g, %s",
              r.values[1].value, claims_verdict_name(r.verdict));
}

/* --- RT-6 ---------------------------------------------------------------------------------- */
/* Synthetic rt6_nets.tsv: controls (prod n = 2, 4, 8, 16 at r = ctl4 for n
 * <= 4 and 0.9 above, sum ln x at ctl_log) and a 5 x 5 grid per activation
 * (depths 1, 2, 3, 4, 6; widths 10, 20, 40, 60, 100; 5 nets each) whose r
 * follows a planted map plus a deterministic jitter; r at 3B is r at 4B
 * plus `drop` (the plateau criterion). */
static unsigned lcg = 1;
static double jitter(double s)
{
    lcg = lcg * 1103515245u + 12345u;
    return s * (((lcg >> 8) & 0xffff) / 65535.0 - 0.5);
}

enum { MAP_NONE, MAP_RT, MAP_WIDTH, MAP_WIDER };
static double rt6_curve_t(int k) { return pow(20, (k - 1.0) / k) * pow(2.0, pow(20, 1.0 / k)); }

static double planted(int map, int k, int w)
{
    switch (map) {
    case MAP_RT: return w >= rt6_curve_t(k) ? 0.3 : 0.95;      /* RT's boundary */
    case MAP_WIDTH: return w >= 40 ? 0.5 : 0.95;               /* a constant-width boundary */
    case MAP_WIDER: return 1.0 - 0.12 * log(w / 10.0);         /* wider is better, no depth */
    default: return 1.0;                                       /* nothing learned */
    }
}

static void rt6_net(const char *kind, int n, const char *act, int k, int w, int rep, double r, double drop)
{
    int up = !strcmp(kind, "grid") && w >= rt6_curve_t(k);
    add("rt6_nets.tsv", "%s\t%d\t%s\t%d\t%d\t%d\t%d\t1\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\t0.01\t0.01\n", kind, n, act, k, w, rep,
        up, r, r, r, r + drop, r);
}

static void rt6_synth(int map_tanh, int map_relu, double spread, double ctl4, double ctl_log, double drop)
{
    static const int ks[5] = {1, 2, 3, 4, 6}, ws[5] = {10, 20, 40, 60, 100}, cn[4] = {2, 4, 8, 16};
    lcg = 1;
    put("rt6_nets.tsv", "kind\tn\tact\tdepth\twidth\trep\tabove\tlr\tr_h\tr_b\tr_2b\tr_3b\tr_4b\tse_b\tse_4b\n");
    for (int c = 0; c < 4; c++)
        for (int rep = 0; rep < 5; rep++) rt6_net("prod", cn[c], "tanh", 4, 48, rep, (cn[c] <= 4 ? ctl4 : 0.9) + jitter(0.02), 0);
    for (int rep = 0; rep < 5; rep++) rt6_net("sumlog", 20, "tanh", 4, 48, rep, ctl_log + jitter(0.02), 0);
    for (int a = 0; a < 2; a++)
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
                for (int rep = 0; rep < 5; rep++)
                    rt6_net("grid", 20, a ? "relu" : "tanh", ks[i], ws[j], rep,
                            planted(a ? map_relu : map_tanh, ks[i], ws[j]) + jitter(spread), drop);
}

Test(vdch4, rt6_outcomes, .init = setup, .fini = teardown)
{
    rt6_synth(MAP_RT, MAP_RT, 0.05, 0.1, 0.2, 0);
    expect(vd_rt6, 0, CLAIMS_REPRODUCED, "RT-6 planted RT boundary in both activations: the rule finds it");
    rt6_synth(MAP_RT, MAP_WIDTH, 0.05, 0.1, 0.2, 0);
    expect(vd_rt6, 0, CLAIMS_PARTLY, "RT-6 RT boundary in tanh only, ReLU width-only");
    rt6_synth(MAP_WIDTH, MAP_WIDTH, 0.05, 0.1, 0.2, 0);
    expect(vd_rt6, 0, CLAIMS_NOT_REPRODUCED, "RT-6 constant-width boundary: RT's curve not credited");
    rt6_synth(MAP_WIDER, MAP_WIDER, 0.05, 0.1, 0.2, 0);
    expect(vd_rt6, 0, CLAIMS_NOT_REPRODUCED, "RT-6 wider is better, no depth: RT's curve not credited");
    rt6_synth(MAP_NONE, MAP_NONE, 0.05, 0.1, 0.2, 0);
    expect(vd_rt6, 0, CLAIMS_INCONCLUSIVE, "RT-6 no cell learns: inconclusive, never not-reproduced");
    rt6_synth(MAP_RT, MAP_RT, 0.05, 0.8, 0.2, 0);
    expect(vd_rt6, 0, CLAIMS_INCONCLUSIVE, "RT-6 planted boundary but the product control fails");
    rt6_synth(MAP_RT, MAP_RT, 0.05, 0.1, 0.7, 0);
    expect(vd_rt6, 0, CLAIMS_INCONCLUSIVE, "RT-6 planted boundary but the log-space control fails");
    rt6_synth(MAP_WIDTH, MAP_WIDTH, 0.05, 0.1, 0.2, 0.1);
    expect(vd_rt6, 0, CLAIMS_INCONCLUSIVE, "RT-6 learned nets still improving (no plateau)");
    rt6_synth(MAP_WIDTH, MAP_WIDTH, 3.0, 0.1, 0.2, 0);
    expect(vd_rt6, 0, CLAIMS_INCONCLUSIVE, "RT-6 too little power: huge spread, neither effect nor equivalence");
}

/* Borderline of the learning threshold: every cell at 0.905 (> 0.90) learns nothing; 0.895 learns. */
Test(vdch4, rt6_learning_borderline, .init = setup, .fini = teardown)
{
    for (int pass = 0; pass < 2; pass++) {
        double r = pass ? 0.895 : 0.905;
        put("rt6_nets.tsv", "kind\tn\tact\tdepth\twidth\trep\tabove\tlr\tr_h\tr_b\tr_2b\tr_3b\tr_4b\tse_b\tse_4b\n");
        for (int rep = 0; rep < 5; rep++) rt6_net("prod", 4, "tanh", 4, 48, rep, 0.1 + 0.001 * rep, 0);
        for (int rep = 0; rep < 5; rep++) rt6_net("sumlog", 20, "tanh", 4, 48, rep, 0.2 + 0.001 * rep, 0);
        for (int a = 0; a < 2; a++)
            for (int k = 1; k <= 4; k++)
                for (int w = 20; w <= 100; w += 40)
                    for (int rep = 0; rep < 5; rep++) rt6_net("grid", 20, a ? "relu" : "tanh", k, w, rep, r + 0.001 * (rep - 2), 0);
        expect(vd_rt6, 0, pass ? CLAIMS_NOT_REPRODUCED : CLAIMS_INCONCLUSIVE,
               pass ? "RT-6 cells at 0.895 learned, flat map: equivalence" : "RT-6 cells at 0.905: none learned");
    }
    vd_result a = run(vd_rt6, 0, "RT-6 run 1"), b = run(vd_rt6, 0, "RT-6 run 2");
    cr_assert(strcmp(a.measured, b.measured) == 0, "RT-6 is not deterministic: %s vs %s", a.measured, b.measured);
}

/* Missing files are refused, not decided. */
Test(vdch4, missing_data_is_refused, .init = setup, .fini = teardown)
{
    vd_fn fns[9] = {vd_lt12, vd_lt13, vd_lt14, vd_rt2, vd_rt3, vd_rt4, vd_rt5, vd_lt15, vd_rt6};
    for (int i = 0; i < 9; i++) {
        vd_data d;
        vd_data_init(&d, dir);
        vd_result r;
        memset(&r, 0, sizeof r);
        cr_assert(fns[i](&r, &d) == -1, "function %d decided from an empty directory", i);
        vd_data_clear(&d);
    }
}
