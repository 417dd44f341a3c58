/* Chapter 6 verdict functions on synthetic data: every outcome each rule
 * names (MM-1, MM-2, BP-KL) comes out of the data it is fed, including a
 * real biased sampler (MM-1), the joint permutation of models across
 * observables (MM-2) and the route check's boundary (BP-KL). */
#include "ising.h"
#include "rng.h"
#include "stats.h"
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

static FILE *open_data(const char *file)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    cr_assert(f, "cannot write %s", path);
    fprintf(f, "# synthetic\n");
    return f;
}

static claims_verdict decide(vd_result *r, vd_fn fn, const char *what)
{
    testutil_decide(r, fn, dir, NULL, 0, what);
    return r->verdict;
}

static double value_of(const vd_result *r, const char *name)
{
    for (int i = 0; i < r->nvalues; i++)
        if (strcmp(r->values[i].name, name) == 0) return r->values[i].value;
    cr_assert_fail("no key value %s", name);
    return NAN;
}

#define EXPECT(r, fn, v, what)                                                                                   \
    do {                                                                                                         \
        claims_verdict got_ = decide(r, fn, what);                                                               \
        cr_assert(got_ == (v), "%s: expected %s, got %s (%s; %s)", what, claims_verdict_name(v),                \
                  claims_verdict_name(got_), (r)->measured, (r)->note);                                          \
    } while (0)

/* --- MM-1: ising-validate ---------------------------------------------------------------------- */

#define VAL_COLS "L\tT\te\te_err\te_exact\tz_e\tc\tc_err\tc_exact\tz_c\tabsm\tabsm_err\tabsm_exact\tz_m\ttau_e\ttau_m\tbin\tnbins"

/* One synthetic run: the three estimates as exact + t * err. */
typedef struct {
    int L;
    double T, ex[3], rel[3], t[3], tau;
} val_row;

static void val_write(const char *file, const val_row *rows, int n, int ctrl)
{
    FILE *f = open_data(file);
    fprintf(f, "%s%s\n", ctrl ? "T_run\t" : "", VAL_COLS);
    for (int i = 0; i < n; i++) {
        const val_row *w = &rows[i];
        if (ctrl) fprintf(f, "%.2f\t", w->T + 0.02);
        fprintf(f, "%d\t%.2f", w->L, w->T);
        for (int q = 0; q < 3; q++) {
            double err = w->rel[q] * fabs(w->ex[q]);
            fprintf(f, "\t%.17g\t%.17g\t%.17g\t%.3f", w->ex[q] + w->t[q] * err, err, w->ex[q], w->t[q]);
        }
        fprintf(f, "\t%.3f\t%.3f\t625\t32\n", w->tau, w->tau);
    }
    fclose(f);
}

/* 26 runs at L = 8 with t values spread over [-1.5, 1.5], relative errors
 * rel, tau_int tau; the control: 2 runs with t = tctrl. */
static void val_case(val_row *rows, double rel, double tau)
{
    for (int i = 0; i < 26; i++) {
        val_row w = {8, 1.0 + 0.1 * i, {-1.5, 1.0, 0.7}, {rel, rel, rel}, {0, 0, 0}, tau};
        for (int q = 0; q < 3; q++) w.t[q] = -1.5 + 3.0 * ((i * 7 + q * 11) % 26) / 25.0;
        rows[i] = w;
    }
}

/* The MM-2 sampler path's table (issue 19): three runs at their own T
 * (t = 0, relative errors 1e-3) and its control run at 2.3 + 0.02 with t = tmm. */
static void val_mm(double tmm)
{
    FILE *f = open_data("ising_validate_mm.tsv");
    fprintf(f, "T_run\t%s\n", VAL_COLS);
    const double T[4] = {2.0, 2.27, 2.6, 2.3}, ex[4][3] = {{-1.75, 0.71, 0.91}, {-1.49, 1.15, 0.78}, {-1.12, 0.96, 0.53},
                                                          {-1.46, 1.17, 0.76}};
    for (int i = 0; i < 4; i++) {
        double t = i == 3 ? tmm : 0;
        fprintf(f, "%.2f\t8\t%.2f", i == 3 ? 2.32 : T[i], T[i]);
        for (int q = 0; q < 3; q++)
            fprintf(f, "\t%.17g\t%.17g\t%.17g\t%.3f", ex[i][q] + t * 1e-3 * fabs(ex[i][q]), 1e-3 * fabs(ex[i][q]), ex[i][q], t);
        fprintf(f, "\t0.5\t0.5\t625\t32\n");
    }
    fclose(f);
}

static void val_ctrl(double tctrl)
{
    val_row c[2] = {{8, 2.3, {-1.45, 1.17, 0.75}, {1e-3, 1e-3, 1e-3}, {tctrl, tctrl / 4, -tctrl}, 3},
                    {16, 2.3, {-1.40, 1.54, NAN}, {1e-3, 1e-3, 1e-3}, {tctrl, tctrl / 4, 0}, 6}};
    val_write("ising_validate_control.tsv", c, 2, 1);
    val_mm(40);
}

Test(vdch6, mm1_ideal_bias_power_convergence_control, .init = setup, .fini = teardown)
{
    vd_result r;
    val_row rows[26];
    val_case(rows, 1e-3, 1);
    val_write("ising_validate.tsv", rows, 26, 0);
    val_ctrl(40);
    EXPECT(&r, vd_ising_validate, CLAIMS_REPRODUCED, "MM-1 ideal: t in [-1.5, 1.5], 0.1% errors, control rejected");
    cr_assert(value_of(&r, "family") == 87, "MM-1 ideal: family of 3 x 26 estimates and 3 x 3 of the MM-2 sampler path");

    rows[5].t[1] = 8;
    val_write("ising_validate.tsv", rows, 26, 0);
    EXPECT(&r, vd_ising_validate, CLAIMS_NOT_REPRODUCED, "MM-1 biased: one C estimate 8 error bars off");

    val_case(rows, 5e-2, 1);
    val_write("ising_validate.tsv", rows, 26, 0);
    EXPECT(&r, vd_ising_validate, CLAIMS_INCONCLUSIVE, "MM-1 no power: 5% error bars cannot establish a 2% margin");

    val_case(rows, 1e-3, 40);
    val_write("ising_validate.tsv", rows, 26, 0);
    EXPECT(&r, vd_ising_validate, CLAIMS_INCONCLUSIVE, "MM-1 not converged: bins 625 sweeps, tau_int 40");

    val_case(rows, 1e-3, 1);
    val_write("ising_validate.tsv", rows, 26, 0);
    val_ctrl(1);
    EXPECT(&r, vd_ising_validate, CLAIMS_INCONCLUSIVE, "MM-1 failed positive control: the biased sampler not rejected");

    /* each sampler's control on its own: the multi-spin one rejected, the MM-2 path's not */
    val_ctrl(40);
    val_mm(1);
    EXPECT(&r, vd_ising_validate, CLAIMS_INCONCLUSIVE, "MM-1 failed MM-2 path control, multi-spin control rejected");
    /* a biased MM-2 path estimate (8 error bars) fails the family like any other */
    val_ctrl(40);
    FILE *f = open_data("ising_validate_mm.tsv");
    fprintf(f, "T_run\t%s\n2.00\t8\t2.00\t-1.6864\t0.0017\t-1.7\t8\t0.7\t0.0007\t0.7\t0\t0.9\t0.0009\t0.9\t0\t0.5\t0.5\t625\t32\n"
               "2.32\t8\t2.30\t-1.40\t0.001\t-1.46\t-60\t1.17\t0.001\t1.17\t0\t0.7\t0.001\t0.76\t-60\t0.5\t0.5\t625\t32\n",
            VAL_COLS);
    fclose(f);
    EXPECT(&r, vd_ising_validate, CLAIMS_NOT_REPRODUCED, "MM-1 MM-2 path: e at T = 2 off by 8 error bars");
}

/* The Bonferroni bound and the equivalence margin, each just inside and just outside. */
Test(vdch6, mm1_borderline, .init = setup, .fini = teardown)
{
    vd_result r;
    val_row rows[26];
    const int m = 87, nu = 31;
    val_ctrl(40);
    for (int side = 0; side < 2; side++) {
        double a = 0.01 * (side ? 0.98 : 1.02) / m; /* two-sided p of the worst estimate: alpha/m (1 -+ 2%) */
        val_case(rows, 1e-3, 1);
        rows[10].t[0] = stats_t_quantile(1 - a / 2, nu);
        val_write("ising_validate.tsv", rows, 26, 0);
        EXPECT(&r, vd_ising_validate, side ? CLAIMS_NOT_REPRODUCED : CLAIMS_REPRODUCED,
               side ? "MM-1 borderline: Bonferroni p 2% below alpha" : "MM-1 borderline: Bonferroni p 2% above alpha");
    }
    double tq = stats_t_quantile(1 - 0.01 / m, nu);
    for (int side = 0; side < 2; side++) {
        val_case(rows, 1e-3, 1);
        for (int i = 0; i < 26; i++)
            for (int q = 0; q < 3; q++) rows[i].t[q] = 0;
        rows[3].rel[2] = 0.02 * (side ? 1.01 : 0.99) / tq; /* need = tq * rel = margin (1 +- 1%) */
        val_write("ising_validate.tsv", rows, 26, 0);
        EXPECT(&r, vd_ising_validate, side ? CLAIMS_INCONCLUSIVE : CLAIMS_REPRODUCED,
               side ? "MM-1 borderline: equivalence bound 1% above the margin"
                    : "MM-1 borderline: equivalence bound 1% below the margin");
    }
}

/* The MM-2 sampler path itself (ising_sample_torus, as rbm-ising calls it)
 * run at T + 0.05 and compared with the exact values at T is rejected; at T
 * it is not. */
Test(vdch6, mm1_biased_mm_path_is_rejected, .init = setup, .fini = teardown, .timeout = 300)
{
    vd_result r;
    val_row rows[26];
    val_case(rows, 1e-3, 1);
    val_write("ising_validate.tsv", rows, 26, 0);
    val_ctrl(40);
    for (int biased = 0; biased < 2; biased++) {
        const int n = 8000, bin = n / 32;
        int8_t *s = malloc((size_t)n * 64);
        double e[8000], m[8000], be[32] = {0}, be2[32] = {0};
        FILE *f = open_data("ising_validate_mm.tsv");
        fprintf(f, "T_run\t%s\n", VAL_COLS);
        for (int i = 0; i < 3; i++) {
            double T = 2.0 + 0.3 * i, Tr = T + (biased ? 0.05 : 0), v[6];
            ising_thermo ex, tm;
            cr_assert(s && ising_sample_torus(s, 8, Tr, n, 1000, 10, 7, (uint32_t)i) == 0);
            cr_assert(ising_exact_kaufman(&ex, 8, 8, T) == 0 && ising_exact_tm(&tm, 8, 8, T) == 0);
            memset(be, 0, sizeof be), memset(be2, 0, sizeof be2);
            for (int q = 0; q < n; q++) {
                int E, M;
                ising_config_measure(&E, &M, s + (size_t)q * 64, 8);
                e[q] = E / 64.0, m[q] = fabs(M / 64.0), be[q / bin] += e[q] / bin, be2[q / bin] += e[q] * e[q] / bin;
            }
            ising_binned(&v[0], &v[1], e, n, bin);
            ising_binned(&v[4], &v[5], m, n, bin);
            ising_jack_c(&v[2], &v[3], be, be2, 32, 64, Tr);
            fprintf(f, "%.2f\t8\t%.2f\t%.17g\t%.17g\t%.17g\t0\t%.17g\t%.17g\t%.17g\t0\t%.17g\t%.17g\t%.17g\t0\t0.5\t0.5\t%d\t32\n", T, T,
                    v[0], v[1], ex.u, v[2], v[3], ex.c, v[4], v[5], tm.absm, bin);
        }
        fprintf(f, "2.32\t8\t2.30\t-1.40\t0.001\t-1.46\t-60\t1.17\t0.001\t1.17\t0\t0.7\t0.001\t0.76\t-60\t0.5\t0.5\t625\t32\n");
        fclose(f);
        free(s);
        claims_verdict v = decide(&r, vd_ising_validate, "MM-1 MM-2 sampler path");
        if (biased)
            cr_assert(v == CLAIMS_NOT_REPRODUCED, "MM-1 MM-2 path at T + 0.05: expected not-reproduced, got %s (%s)",
                      claims_verdict_name(v), r.measured);
        else
            cr_assert(v != CLAIMS_NOT_REPRODUCED, "MM-1 MM-2 path at T: a false alarm (%s)", r.measured);
    }
}

/* The rule can fail: the real multi-spin sampler run at T + 0.05 and
 * compared with the exact values at T is rejected; at T it is not. */
Test(vdch6, mm1_biased_sampler_is_rejected, .init = setup, .fini = teardown, .timeout = 300)
{
    vd_result r;
    val_ctrl(40);
    for (int biased = 0; biased < 2; biased++) {
        val_row rows[4];
        for (int i = 0; i < 4; i++) {
            double T = 2.0 + 0.15 * i;
            ising_mc_result mc;
            ising_thermo ex, tm;
            cr_assert(ising_msc_run(&mc, 8, T + (biased ? 0.05 : 0), 2000, 20000, 32, 7, (uint32_t)i) == 0);
            cr_assert(ising_exact_kaufman(&ex, 8, 8, T) == 0 && ising_exact_tm(&tm, 8, 8, T) == 0);
            val_row w = {8, T, {ex.u, ex.c, tm.absm}, {mc.e_err / fabs(ex.u), mc.c_err / ex.c, mc.absm_err / tm.absm},
                         {(mc.e - ex.u) / mc.e_err, (mc.c - ex.c) / mc.c_err, (mc.absm - tm.absm) / mc.absm_err},
                         fmax(mc.tau_e, mc.tau_m)};
            rows[i] = w;
        }
        val_write("ising_validate.tsv", rows, 4, 0);
        claims_verdict v = decide(&r, vd_ising_validate, "MM-1 sampler");
        if (biased)
            cr_assert(v == CLAIMS_NOT_REPRODUCED, "MM-1 sampler at T + 0.05: expected not-reproduced, got %s (%s)",
                      claims_verdict_name(v), r.measured);
        else
            cr_assert(v != CLAIMS_NOT_REPRODUCED, "MM-1 sampler at T: a false alarm (%s)", r.measured);
    }
}

/* --- MM-2: rbm-ising --------------------------------------------------------------------------- */

static const char *const mm_model[4] = {"RBM", "DBN", "DBM", "DRBN"};

/* 3 temperatures x 3 widths x 4 configurations x reps models: log10 error
 * = -1 - wstep * width index + mstep * configuration index + noise * N(0, 1),
 * the same for every observable, or (one_obs) for e only, the others fixed. */
static int mm_unconverged; /* this many models (the first ones) miss the plateau */

static void mm_write(double wstep, double mstep, double noise, int reps, int one_obs)
{
    FILE *f = open_data("rbm_ising.tsv");
    int k = 0;
    fprintf(f, "T\tmodel\tdepth\tw1\tw2\tlt\trep\te\tabsm\tC\tchi\terr_e\terr_absm\terr_C\terr_chi\tconv\tsconv\n");
    rng_stream g;
    rng_init(&g, 0, 0x7e57, 0);
    const double T[3] = {2.0, 2.269185, 2.6};
    const int w1[3] = {8, 32, 128};
    for (int t = 0; t < 3; t++)
        for (int w = 0; w < 3; w++)
            for (int c = 0; c < 4; c++)
                for (int rep = 0; rep < reps; rep++) {
                    double y[4];
                    for (int q = 0; q < 4; q++) y[q] = -1 - wstep * w + mstep * c + noise * rng_normal(&g);
                    if (one_obs) y[1] = y[2] = y[3] = -1;
                    else y[1] = y[2] = y[3] = y[0];
                    fprintf(f, "%.6f\t%s\t%d\t%d\t%d\t2\t%d\t0\t0\t0\t0", T[t], mm_model[c], c ? 2 : 1, w1[w], c ? 64 : 0, rep);
                    for (int q = 0; q < 4; q++) fprintf(f, "\t%.6e", pow(10, y[q]));
                    fprintf(f, "\t%d\t1\n", k++ >= mm_unconverged);
                }
    fclose(f);
}

Test(vdch6, mm2_every_outcome, .init = setup, .fini = teardown, .timeout = 120)
{
    vd_result r;
    mm_write(0.5, 0, 0.02, 3, 0);
    EXPECT(&r, vd_rbm_ising, CLAIMS_REPRODUCED, "MM-2 ideal: width effect 0.5 per step, no model effect, noise 0.02");
    cr_assert(strstr(r.note, "below 20% of it") != NULL, "MM-2 ideal: the equivalence bound is below the margin (%s)",
              r.measured);

    mm_write(0.5, 0.3, 0.02, 3, 0);
    EXPECT(&r, vd_rbm_ising, CLAIMS_PARTLY, "MM-2 both effects: width 0.5, model 0.3 per step");

    mm_write(0, 0.3, 0.02, 3, 0);
    EXPECT(&r, vd_rbm_ising, CLAIMS_NOT_REPRODUCED, "MM-2 model effect only");

    mm_write(0, 0, 0.3, 3, 0);
    EXPECT(&r, vd_rbm_ising, CLAIMS_INCONCLUSIVE, "MM-2 null: no effect at all, noise only (positive control fails)");

    mm_write(0, 0, 0, 2, 0);
    EXPECT(&r, vd_rbm_ising, CLAIMS_INCONCLUSIVE, "MM-2 collapsed: every model the same error");

    /* borderline: the width effect is resolved, the model/depth effect is
     * not significant, but the noise leaves its size open: no conclusion */
    mm_write(0.6, 0, 0.3, 2, 0);
    EXPECT(&r, vd_rbm_ising, CLAIMS_INCONCLUSIVE, "MM-2 borderline: width resolved, model effect neither seen nor bounded");
    /* (the injected doubling is not found in this noise either: the control gate fails too) */
    cr_assert(value_of(&r, "p_width") < 0.01 && value_of(&r, "p_model") >= 0.01 &&
                  strstr(r.measured, "rule on the data: inconclusive") != NULL,
              "MM-2 borderline: for the stated reason (%s; %s)", r.measured, r.note);
}

/* Issue 19 gates: the ideal data with one model short of its training
 * plateau is inconclusive (the rule on the data still says reproduced), and
 * data so noisy that a doubled error of one configuration (the injected
 * positive control) goes unseen are inconclusive for that reason. */
Test(vdch6, mm2_convergence_and_control_gates, .init = setup, .fini = teardown, .timeout = 120)
{
    vd_result r;
    mm_unconverged = 1;
    mm_write(0.5, 0, 0.02, 3, 0);
    mm_unconverged = 0;
    EXPECT(&r, vd_rbm_ising, CLAIMS_INCONCLUSIVE, "MM-2 ideal but one model unconverged");
    cr_assert(strstr(r.measured, "rule on the data: reproduced") != NULL && strstr(r.note, "unconverged") != NULL,
              "MM-2 unconverged: for that reason (%s; %s)", r.measured, r.note);
    cr_assert(value_of(&r, "conv_frac") < 1, "MM-2 unconverged: conv_frac below 1");

    mm_write(10, 0, 3, 2, 0);
    EXPECT(&r, vd_rbm_ising, CLAIMS_INCONCLUSIVE, "MM-2 noise 3 (log10): the injected log10 2 is not found");
    cr_assert(strstr(r.note, "positive control failed: an injected") != NULL, "MM-2 control: for that reason (%s)", r.note);
}

/* The statistical unit is the model: its four observables move together
 * under a permutation, so four identical copies of one observable carry no
 * more evidence than that observable alone (the first rule, permuting each
 * observable separately, counted them four times). */
Test(vdch6, mm2_models_are_permuted_jointly, .init = setup, .fini = teardown, .timeout = 120)
{
    vd_result r;
    mm_write(0.5, 0.1, 0.3, 2, 0);
    decide(&r, vd_rbm_ising, "MM-2 four identical observables");
    double p4 = value_of(&r, "p_model");
    mm_write(0.5, 0.1, 0.3, 2, 1);
    decide(&r, vd_rbm_ising, "MM-2 one observable, three constant");
    double p1 = value_of(&r, "p_model");
    cr_assert(p4 == p1, "MM-2 joint permutation: p with four copies %.4f, with one %.4f", p4, p1);
    cr_assert(p1 > 0.002 && p1 < 0.9, "MM-2 joint permutation: a non-trivial p (%.4f)", p1);
}

Test(vdch6, mm2_unbalanced_design_is_refused, .init = setup, .fini = teardown)
{
    mm_write(0.5, 0, 0.02, 1, 0); /* one model per cell: no within-cell variance */
    vd_result r;
    vd_data d;
    vd_data_init(&d, dir);
    cr_assert(vd_rbm_ising(&r, &d) == -1, "MM-2 one model per cell: refused");
    cr_assert(strstr(d.err, "balanced") != NULL, "MM-2 one model per cell: says why (%s)", d.err);
    vd_data_clear(&d);
}

/* --- BP-KL: rbm-kl ----------------------------------------------------------------------------- */

/* A synthetic rbm-kl run: 3 temperatures x widths 2, 8, 32 x reps; the KL
 * at width w is kl0 / (1 + w) (kl0 = 1, or flat where fall[t] is 0) plus
 * +-spread by repetition; route differences frac * tol (nh = 32: no hidden
 * route); the plateau flags, the exact-gradient reference and the control
 * as set. */
typedef struct {
    double dfrac, dklfrac, klmin, spread, ctkl;
    int hidden, reps, unconv, xunconv, ctunconv, fall[3];
} kl_syn;

static kl_syn kl_ideal(void)
{
    kl_syn k = {0.5, 0.5, 0.3, 0.01, 0.01, 1, 3, 0, 0, 0, {1, 1, 1}};
    return k;
}

static void kl_write(const kl_syn *k)
{
    FILE *f = open_data("rbm_kl.tsv"), *x = open_data("rbm_kl_exact.tsv"), *c = open_data("rbm_kl_control.tsv");
    fprintf(f, "T\tnh\trep\tlnz_v\tlnz_h\tdlnz\ttol\tkl\tkl_h\te_model\te_exact\tkl_uniform\tdkl\tkl_sym\tq_mpos\tepochs\tconverged\n");
    fprintf(x, "T\tnh\tsteps\tkl_start\tkl\tkl_sym\tq_mpos\tconverged\n");
    fprintf(c, "rep\tnh_teacher\tnh_student\tkl\tkl_sym\tepochs\tconverged\tkl_max\n");
    const double T[3] = {1.8, 2.269185, 3.0};
    const int nh[3] = {2, 8, 32};
    int row = 0;
    for (int t = 0; t < 3; t++)
        for (int w = 0; w < 3; w++) {
            double base = k->fall[t] ? 1.0 / (1 + w) : 0.5;
            for (int rep = 0; rep < k->reps; rep++, row++) {
                double tol = 1e-9, kl = w == 2 && t == 1 && rep == 0 ? k->klmin : base + k->spread * (rep % 2 ? 1 : -1);
                double d = k->hidden && nh[w] <= 20 ? k->dfrac * tol : NAN;
                fprintf(f, "%.6f\t%d\t%d\t20.0\t%s\t%.3e\t%.3e\t%.8f\t%.8f\t-1.5\t-1.6\t6.6\t%.3e\t%.8f\t0.5\t120\t%d\n",
                        T[t], nh[w], rep, isnan(d) ? "nan" : "20.0", d, tol, kl, kl, isnan(d) ? NAN : k->dklfrac * tol,
                        0.9 * kl, row >= k->unconv);
            }
            fprintf(x, "%.6f\t%d\t40\t1.0\t%.8f\t%.8f\t0.5\t%d\n", T[t], nh[w], 0.8 * base, 0.7 * base,
                    t * 3 + w >= k->xunconv);
        }
    for (int rep = 0; rep < k->reps; rep++)
        fprintf(c, "%d\t4\t8\t%.8f\t%.8f\t200\t%d\t0.05\n", rep, k->ctkl, k->ctkl, rep >= k->ctunconv);
    fclose(f), fclose(x), fclose(c);
}

Test(vdch6, bpkl_every_outcome, .init = setup, .fini = teardown)
{
    vd_result r;
    kl_syn k = kl_ideal();
    kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_REPRODUCED, "BP-KL ideal: routes agree, control passes, all converged, KL falls");
    cr_assert(strstr(r.measured, "6/6 checks") == NULL && strstr(r.measured, "18/18 checks"),
              "BP-KL ideal: the route checks are counted over the repetitions (%s)", r.measured);
    cr_assert(strstr(r.measured, "3/3 T falls") && strstr(r.measured, "at the plateau 27/27 trained models, 9/9"),
              "BP-KL ideal: the evidence is reported (%s)", r.measured);

    /* the precondition (exactness of the two ln Z routes) */
    k = kl_ideal(), k.dfrac = 2, kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_NOT_REPRODUCED, "BP-KL routes disagree: |dlnZ| twice the bound");
    k = kl_ideal(), k.dklfrac = 3, kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_NOT_REPRODUCED, "BP-KL the two KL values disagree: 3 x the bound");
    k = kl_ideal(), k.klmin = -1e-6, kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_NOT_REPRODUCED, "BP-KL a negative KL (-1e-6, bound 1e-9)");
    k = kl_ideal(), k.hidden = 0, kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_NOT_REPRODUCED, "BP-KL null: no cell where both routes exist");
    k = kl_ideal(), k.dfrac = k.dklfrac = 1.0, kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_REPRODUCED, "BP-KL borderline: |dlnZ| exactly the bound");
    k = kl_ideal(), k.dfrac = 1.01, kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_NOT_REPRODUCED, "BP-KL borderline: |dlnZ| 1% above the bound");

    /* convergence: one unconverged model, or reference, makes the rule inconclusive */
    k = kl_ideal(), k.unconv = 1, kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_INCONCLUSIVE, "BP-KL one trained model short of its plateau");
    cr_assert(strstr(r.measured, "26/27 trained"), "BP-KL unconverged: counted (%s)", r.measured);
    k = kl_ideal(), k.xunconv = 1, kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_INCONCLUSIVE, "BP-KL one exact-gradient reference short of its plateau");
    k = kl_ideal(), k.unconv = 1, k.fall[0] = k.fall[1] = k.fall[2] = 0, kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_INCONCLUSIVE, "BP-KL flat KL but an unconverged model: not a negative verdict");
    k = kl_ideal(), k.reps = 1, kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_INCONCLUSIVE, "BP-KL one repetition: no standard error");

    /* the positive control */
    k = kl_ideal(), k.ctkl = 0.06, kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_INCONCLUSIVE, "BP-KL control student above its bound (0.06 > 0.05)");
    k = kl_ideal(), k.ctkl = 0.049, kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_REPRODUCED, "BP-KL control student just below its bound");
    k = kl_ideal(), k.ctunconv = 1, kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_INCONCLUSIVE, "BP-KL control student unconverged");

    /* the rule on width */
    k = kl_ideal(), k.fall[0] = k.fall[1] = k.fall[2] = 0, kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_NOT_REPRODUCED, "BP-KL KL flat in width at every T");
    k = kl_ideal(), k.fall[1] = k.fall[2] = 0, kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_PARTLY, "BP-KL KL falls at one T of three");
    /* 2 repetitions at base -+ spread: se = spread per width, so the fall
     * 1 - 1/3 counts when 2 sqrt(2) spread is below it (spread < 0.236) */
    k = kl_ideal(), k.reps = 2, k.spread = 0.3, kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_NOT_REPRODUCED, "BP-KL falls within 2 SE of the repetitions: not counted");
    k = kl_ideal(), k.reps = 2, k.spread = 0.1, kl_write(&k);
    EXPECT(&r, vd_rbm_kl, CLAIMS_REPRODUCED, "BP-KL the same fall beyond 2 SE: counted");
}
