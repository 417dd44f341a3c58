/* Chapter 1 verdicts as functions of data: each rule fed synthetic data
 * files for every outcome it names (ideal, null or collapsed, failed
 * positive control, borderline), and LT-3's erratum checked against a
 * perturbed registered printed value. */
#include "claims.h"
#include "testutil.h"
#include "verdicts.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[256];

static void setup(void) { testutil_outdir(dir, sizeof dir); }
static void teardown(void) { testutil_cleanup(dir); }

/* Writes dir/name: a provenance line, then the text. */
static void put(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "cannot write %s", path);
    fprintf(f, "# synthetic\n%s", text);
    fclose(f);
}

/* Runs verdict function fn on dir (with the printed statements `pr`, or the
 * registry's when NULL); asserts it decides. */
static vd_result decide(vd_fn fn, const claims_printed *pr, size_t npr, const char *what)
{
    vd_result r;
    testutil_decide(&r, fn, dir, pr, npr, what);
    return r;
}

#define expect(fn, v, what)                                                                                          \
    do {                                                                                                              \
        vd_result r_ = decide(fn, NULL, 0, what);                                                                     \
        cr_assert(r_.verdict == (v), "%s: got %s, the rule promises %s (%s; %s)", what,                                \
                  claims_verdict_name(r_.verdict), claims_verdict_name(v), r_.measured, r_.note);                     \
    } while (0)

/* --- LT-1 --------------------------------------------------------------------------------- */
static void lt1_data(double d2, double d5, double chain, int inputs)
{
    char t[1024];
    snprintf(t, sizeof t,
             "family\tclasses\tsize\tinputs\tmax_abs_diff\tmean_abs_diff\tmin_posterior\n"
             "gaussian\t3\t2\t%d\t%.3e\t1e-17\t1e-9\ngaussian\t5\t5\t%d\t%.3e\t1e-17\t1e-9\n"
             "ising-chain\t4\t12\t%d\t%.3e\t1e-17\t1e-9\n",
             inputs, d2, inputs, d5, inputs, chain);
    put("softmax_posterior.tsv", t);
}

Test(vdch1, lt1_outcomes, .init = setup, .fini = teardown)
{
    lt1_data(1.4e-15, 5.7e-15, 3.8e-15, 100000);
    expect(vd_lt1, CLAIMS_REPRODUCED, "LT-1 ideal: rounding-level differences");
    vd_result r = decide(vd_lt1, NULL, 0, "LT-1 ideal");
    cr_assert(strcmp(r.measured, "max |softmax - Bayes| = 5.70e-15 over 100000 inputs x 3 models") == 0,
              "LT-1 ideal: measured '%s'", r.measured);
    cr_assert(r.nvalues == 3 && fabs(r.values[1].value - 5.7e-15) < 1e-20, "LT-1 ideal: key values");
    lt1_data(1.4e-15, 3e-9, 3.8e-15, 100000);
    expect(vd_lt1, CLAIMS_NOT_REPRODUCED, "LT-1 wrong: one model off by 3e-9");
    lt1_data(1e-12, 1e-12, 1e-12, 100000);
    expect(vd_lt1, CLAIMS_REPRODUCED, "LT-1 borderline: exactly the tolerance");
    lt1_data(1e-12, 1.01e-12, 1e-12, 100000);
    expect(vd_lt1, CLAIMS_NOT_REPRODUCED, "LT-1 borderline: 1% over the tolerance");
    lt1_data(1e-15, NAN, 1e-15, 100000);
    expect(vd_lt1, CLAIMS_NOT_REPRODUCED, "LT-1 collapsed: a non-finite difference");
    lt1_data(0, 0, 0, 0);
    expect(vd_lt1, CLAIMS_NOT_REPRODUCED, "LT-1 null: no inputs compared");
}

Test(vdch1, lt1_unreadable_data_is_an_error, .init = setup, .fini = teardown)
{
    vd_result r;
    vd_data d;
    vd_data_init(&d, dir);
    cr_assert(vd_lt1(&r, &d) == -1, "LT-1 missing file: decided anyway");
    vd_data_clear(&d);
    put("softmax_posterior.tsv", "family\tinputs\nx\t1\n");
    vd_data_init(&d, dir);
    cr_assert(vd_lt1(&r, &d) == -1, "LT-1 missing column: decided anyway");
    cr_assert(strstr(d.err, "max_abs_diff") != NULL, "LT-1 missing column: '%s'", d.err);
    vd_data_clear(&d);
}

/* --- LT-2 --------------------------------------------------------------------------------- */
/* R models per kind: excess = mean + sd z_r (z with mean 0), H(Y|X) 0.55
 * (control 0.52), gradient norm gn. */
static void lt2_data(int R, double mq, double sq, double ml, double sl, double mc, double sc, double gn)
{
    static const double z[8] = {-1.2, 1.2, -0.5, 0.5, 0.0, -0.8, 0.8, 0.0};
    char *t = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&t, &n);
    fprintf(f, "model\trep\tfeatures\tparams\tntrain\tntest\tH_YX\texcess\texcess_se\ttest_ce\taccuracy\tbayes_accuracy\t"
               "grad_norm\n");
    const char *kind[3] = {"quadratic", "linear", "control"};
    double m[3] = {mq, ml, mc}, s[3] = {sq, sl, sc}, h[3] = {0.55, 0.55, 0.52}, feat[3] = {6, 3, 3};
    for (int k = 0; k < 3; k++)
        for (int r = 0; r < R; r++)
            fprintf(f, "%s\t%d\t%.0f\t%.0f\t20000\t20000\t%.6f\t%.6e\t2e-4\t%.6f\t0.73\t0.73\t%.3e\n", kind[k], r, feat[k],
                    2 * feat[k], h[k], m[k] + s[k] * z[r % 8], h[k] + m[k], gn);
    fclose(f);
    put("softmax_training_models.tsv", t);
    free(t);
}

Test(vdch1, lt2_outcomes, .init = setup, .fini = teardown)
{
    lt2_data(5, 3e-4, 2e-4, 0.036, 2e-3, 1e-4, 1e-4, 1e-7);
    expect(vd_lt2, CLAIMS_REPRODUCED, "LT-2 ideal: quadratic at the entropy, linear 0.036 above, control passes");
    lt2_data(5, 3e-4, 2e-4, 3e-4, 2e-4, 1e-4, 1e-4, 1e-7);
    expect(vd_lt2, CLAIMS_PARTLY, "LT-2 null: linear features reach H(Y|X) too (no effect of the features)");
    lt2_data(5, 0.03, 2e-3, 1e-4, 1e-4, 1e-4, 1e-4, 1e-7);
    expect(vd_lt2, CLAIMS_NOT_REPRODUCED, "LT-2 reversed: quadratic above, linear at the entropy");
    lt2_data(5, 0.54, 1e-3, 0.54, 1e-3, 0.5, 1e-3, 1e-7);
    expect(vd_lt2, CLAIMS_INCONCLUSIVE, "LT-2 collapsed models: every readout predicts uniform (control fails)");
    lt2_data(5, 0.54, 1e-3, 0.036, 2e-3, 1e-4, 1e-4, 1e-7);
    expect(vd_lt2, CLAIMS_PARTLY, "LT-2 collapsed quadratic model, control passes");
    lt2_data(5, 3e-4, 2e-4, 0.036, 2e-3, 0.02, 1e-3, 1e-7);
    expect(vd_lt2, CLAIMS_INCONCLUSIVE, "LT-2 failed positive control: linear on shared covariances 0.02 above");
    lt2_data(5, 3e-4, 2e-4, 0.036, 2e-3, 1e-4, 1e-4, 0.01);
    expect(vd_lt2, CLAIMS_INCONCLUSIVE, "LT-2 not converged: gradient norm 0.01");
    lt2_data(5, 5e-3, 2e-3, 0.036, 2e-3, 1e-4, 1e-4, 1e-7);
    expect(vd_lt2, CLAIMS_INCONCLUSIVE, "LT-2 borderline: the quadratic bound straddles the margin");
    lt2_data(5, 5.4e-3, 1e-6, 0.036, 2e-3, 1e-4, 1e-4, 1e-7);
    expect(vd_lt2, CLAIMS_REPRODUCED, "LT-2 borderline: quadratic just inside the margin 5.5e-3, tiny spread");
    lt2_data(5, 5.6e-3, 1e-6, 0.036, 2e-3, 1e-4, 1e-4, 1e-7);
    expect(vd_lt2, CLAIMS_PARTLY, "LT-2 borderline: quadratic just outside the margin 5.5e-3, tiny spread");
    lt2_data(1, 3e-4, 2e-4, 0.036, 2e-3, 1e-4, 1e-4, 1e-7);
    expect(vd_lt2, CLAIMS_INCONCLUSIVE, "LT-2 too little power: one model per kind");
}

Test(vdch1, lt2_reports_the_first_rule_and_the_flip_rate, .init = setup, .fini = teardown)
{
    lt2_data(5, 3e-4, 2e-4, 0.036, 2e-3, 1e-4, 1e-4, 1e-7);
    vd_result r = decide(vd_lt2, NULL, 0, "LT-2 ideal");
    cr_assert(strstr(r.note, "first rule") && strstr(r.note, "flip rate 0.000"), "LT-2 ideal: note '%s'", r.note);
    cr_assert(r.nvalues == 4 && strcmp(r.values[0].name, "excess_quadratic") == 0, "LT-2 ideal: key values");
    cr_assert(fabs(r.values[0].value - 3e-4) < 1e-9 && r.values[0].tol > 0, "LT-2 ideal: quadratic excess %g",
              r.values[0].value);
    /* a spread that makes some bootstrap resamples straddle the margin */
    lt2_data(5, 4.2e-3, 1.2e-3, 0.036, 2e-3, 1e-4, 1e-4, 1e-7);
    r = decide(vd_lt2, NULL, 0, "LT-2 near the margin");
    double flip;
    cr_assert(sscanf(strstr(r.note, "flip rate ") + 10, "%lf", &flip) == 1 && flip > 0.01 && flip < 0.99,
              "LT-2 near the margin: flip rate should be strictly between 0 and 1 (%s)", r.note);
}

/* --- LT-3 --------------------------------------------------------------------------------- */
static void lt3_data(long failures, long coeff_over, int violations, double err_last, double beta10)
{
    char t[4096] = "n\ttransforms\tfailures\tcoeff_max\tcoeff_bound\n", row[128];
    for (int n = 1; n <= 12; n++) {
        snprintf(row, sizeof row, "%d\t10\t%ld\t%ld\t%ld\n", n, n == 5 ? failures : 0, (1L << n) + (n == 7 ? coeff_over : 0),
                 1L << n);
        strcat(t, row);
    }
    put("moebius_roundtrip.tsv", t);
    snprintf(t, sizeof t, "beta\terr_n4\tbound_n4\terr_n8\tbound_n8\terr_n12\tbound_n12\tunit_err\tpaper_rule\n");
    for (int i = 0; i < 5; i++) {
        double b = 2 + 19.5 * i, e = exp(-b / 2);
        snprintf(row, sizeof row, "%.1f\t%.6e\t%.6e\t%.6e\t%.6e\t%.6e\t%.6e\t%.6e\t%.6e\n", b, e, 2 * e,
                 i == 2 && violations ? 3 * e : e, 2 * e, i == 4 ? err_last : e, i == 4 ? fmax(2 * err_last, 1e-7) : 2 * e,
                 e, exp(-b));
        strcat(t, row);
    }
    put("moebius_network.tsv", t);
    snprintf(t, sizeof t, "D\tbeta_measured\tbeta_formula\tbeta_paper\tratio\n9\t42.832826\t42.832826\t20.723266\t2.0669\n"
                          "10\t%.6f\t47.437996\t23.025851\t2.0602\n",
             beta10);
    put("moebius_decimals.tsv", t);
}

Test(vdch1, lt3_outcomes, .init = setup, .fini = teardown)
{
    lt3_data(0, 0, 0, 1.1e-14, 47.438);
    expect(vd_lt3, CLAIMS_ERRATUM, "LT-3 ideal construction, measured beta 47.44 vs printed 23.03");
    lt3_data(3, 0, 0, 1.1e-14, 47.438);
    expect(vd_lt3, CLAIMS_NOT_REPRODUCED, "LT-3 null: Moebius round trips fail");
    lt3_data(0, 5, 0, 1.1e-14, 47.438);
    expect(vd_lt3, CLAIMS_NOT_REPRODUCED, "LT-3 wrong: more than 2^n coefficients");
    lt3_data(0, 0, 1, 1.1e-14, 47.438);
    expect(vd_lt3, CLAIMS_NOT_REPRODUCED, "LT-3 wrong: a network error above its bound");
    lt3_data(0, 0, 0, 1e-3, 47.438);
    expect(vd_lt3, CLAIMS_NOT_REPRODUCED, "LT-3 collapsed: the n = 12 error does not go to zero");
    lt3_data(0, 0, 0, 1.1e-14, 25.3);
    expect(vd_lt3, CLAIMS_REPRODUCED, "LT-3 borderline: beta 25.3 within 10% of 23.03");
    lt3_data(0, 0, 0, 1.1e-14, 25.4);
    expect(vd_lt3, CLAIMS_ERRATUM, "LT-3 borderline: beta 25.4 just over 10% from 23.03");
}

/* A copy of the registry's printed statements with claim id's k-th value set to v. */
static claims_printed *printed_with(const char *id, int k, double v, size_t *n)
{
    const claims_printed *all = claims_printed_list(n);
    claims_printed *c = malloc(sizeof *c * *n);
    memcpy(c, all, sizeof *c * *n);
    for (size_t i = 0; i < *n; i++)
        if (strcmp(c[i].id, id) == 0 && k-- == 0) c[i].value = v;
    return c;
}

Test(vdch1, lt3_erratum_follows_the_registered_printed_value, .init = setup, .fini = teardown)
{
    cr_assert(claims_printed_get("LT-3", 0) != NULL, "LT-3: no printed statement registered");
    lt3_data(0, 0, 0, 1.1e-14, 47.438);
    size_t n;
    claims_printed *p = printed_with("LT-3", 0, 47.438, &n);
    vd_result r = decide(vd_lt3, p, n, "LT-3 printed perturbed to the measured 47.44");
    cr_assert(r.verdict == CLAIMS_REPRODUCED, "LT-3 printed perturbed to the measured 47.44: got %s",
              claims_verdict_name(r.verdict));
    cr_assert(strcmp(r.paper, "beta > D ln 10 = 47.4 for D = 10") == 0, "LT-3 printed perturbed: paper '%s'", r.paper);
    free(p);
}
