/* Chapter 7's verdict functions on synthetic data (suite vdch7): every
 * outcome each rule names, from data files written here.
 *
 * RO-1, RO-2 (exact): the ideal tables -> reproduced; one wrong value ->
 * not-reproduced; the Haar entropy on either side of its tolerance.
 * RO-3 (statistical): collapsed VAEs with the control passing ->
 * not-reproduced, failing -> inconclusive; an ideal depth effect ->
 * reproduced; depth helping Haar too -> partly; the FU depth gain within
 * the margin, negative, or undecided; classes not converged; the borderline
 * of "beats baseline (b)"; the mixture control (collapsed -> inconclusive,
 * its borderline, still improving but passing -> not required); the short
 * budget reported beside the long one's verdict; and simulated null runs
 * (VAEs that learn nothing), where the first rule said partly and the new
 * one must say not-reproduced. */
#include "rng.h"
#include "stats.h"
#include "testutil.h"
#include "verdicts.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static char dir[256];

static void setup(void) { testutil_outdir(dir, sizeof dir); }
static void teardown(void) { testutil_cleanup(dir); }

static FILE *open_data(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "cannot write %s", path);
    return f;
}

static claims_verdict decide(vd_result *r, vd_fn fn, const char *what)
{
    testutil_decide(r, fn, dir, NULL, 0, what);
    return r->verdict;
}

static void expect(vd_fn fn, claims_verdict want, const char *what)
{
    vd_result r;
    claims_verdict v = decide(&r, fn, what);
    cr_assert(v == want, "%s: %s, expected %s (%s | %s)", what, claims_verdict_name(v), claims_verdict_name(want),
              r.measured, r.note);
}

/* --- RO-1, RO-2: fu_stats.tsv ----------------------------------------------------------- */

typedef struct {
    long mismatch;           /* of the 18-qubit case */
    long long perm2;         /* its sum of |perm|^2 (ideal 4^9 3! = 1572864) */
    double sum_err;          /* its sum_p - 1 */
    double haar_h, prod_h;   /* entropies (bits) */
} fu_syn;

static const fu_syn fu_ideal = {0, 1572864, -1.3e-12, 17.3898, 13.678886527182549};
#define PT18 (18 - (1.0 - 0.5772156649015329) / log(2.0)) /* Porter-Thomas, 18 qubits */

static void write_fu(const fu_syn *s)
{
    FILE *f = open_data("fu_stats.tsv");
    fprintf(f, "# synthetic\nclass\tn\tL\tqubits\tsum_p\tnonzero\tmax_p\tentropy_bits\texact_mismatch\tmax_abs_diff\t"
               "sum_err\tperm2_sum\tentropy_bits_full\tentropy_ref_bits\n");
    fprintf(f, "fu\t3\t4\t18\t1\t225280\t2.288818e-05\t17.466465\t%ld\t3.7e-20\t%.17g\t%lld\t17.466465486288904\t-\n",
            s->mismatch, s->sum_err, s->perm2);
    fprintf(f, "fu\t2\t4\t8\t1\t192\t7.8125e-03\t7.5\t0\t3.5e-18\t0\t512\t7.5\t-\n");
    fprintf(f, "fu\t4\t2\t16\t1\t44032\t3.662109e-04\t14.842011\t0\t1.4e-36\t-6.2e-13\t1572864\t14.842011328505254\t-\n");
    fprintf(f, "haar\t-\t-\t18\t1\t262144\t5.28e-05\t%.6f\t0\t0\t-9.1e-15\t-\t%.17g\t-\n", s->haar_h, s->haar_h);
    fprintf(f, "product\t-\t-\t18\t1\t262144\t2.95e-03\t%.6f\t0\t0\t6.7e-15\t-\t%.17g\t13.678886527182867\n", s->prod_h,
            s->prod_h);
    fclose(f);
}

Test(vdch7, ro1_outcomes, .init = setup, .fini = teardown)
{
    fu_syn s = fu_ideal;
    write_fu(&s);
    expect(vd_ro1, CLAIMS_REPRODUCED, "RO-1 ideal (Ryser = exact everywhere, sum |perm|^2 exact, normalized)");
    s.mismatch = 1;
    write_fu(&s);
    expect(vd_ro1, CLAIMS_NOT_REPRODUCED, "RO-1 one outcome where Ryser and the exact permanent differ");
    s = fu_ideal, s.perm2 += 1;
    write_fu(&s);
    expect(vd_ro1, CLAIMS_NOT_REPRODUCED, "RO-1 sum |perm|^2 off by one");
    s = fu_ideal, s.sum_err = 1e-9; /* > 2^18 eps = 5.8e-11 */
    write_fu(&s);
    expect(vd_ro1, CLAIMS_NOT_REPRODUCED, "RO-1 sum p - 1 = 1e-9, beyond N eps");
    s = fu_ideal, s.sum_err = 5.0e-11; /* just inside N eps */
    write_fu(&s);
    expect(vd_ro1, CLAIMS_REPRODUCED, "RO-1 borderline: sum p - 1 = 5e-11, inside N eps");
}

Test(vdch7, ro2_outcomes, .init = setup, .fini = teardown)
{
    fu_syn s = fu_ideal;
    write_fu(&s);
    expect(vd_ro2, CLAIMS_REPRODUCED, "RO-2 ideal (Haar at Porter-Thomas, product entropy exact)");
    s.haar_h = PT18 + 0.0099;
    write_fu(&s);
    expect(vd_ro2, CLAIMS_REPRODUCED, "RO-2 borderline: Haar entropy 0.0099 bits above Porter-Thomas");
    s.haar_h = PT18 - 0.0101;
    write_fu(&s);
    expect(vd_ro2, CLAIMS_NOT_REPRODUCED, "RO-2 borderline: Haar entropy 0.0101 bits below Porter-Thomas");
    s = fu_ideal, s.prod_h += 1e-7;
    write_fu(&s);
    expect(vd_ro2, CLAIMS_NOT_REPRODUCED, "RO-2 product entropy 1e-7 bits off the sum of single-qubit entropies");
}

Test(vdch7, ro12_missing_data, .init = setup, .fini = teardown)
{
    vd_data d;
    vd_result r;
    vd_data_init(&d, dir);
    cr_assert(vd_ro1(&r, &d) == -1, "RO-1 without fu_stats.tsv must fail, not decide");
    cr_assert(vd_ro2(&r, &d) == -1, "RO-2 without fu_stats.tsv must fail, not decide");
    vd_data_clear(&d);
}

/* --- RO-3: vae_cells.tsv, vae_baselines.tsv ------------------------------------------------ */

enum { ND = 5, NC = 3, NR = 3 };
static const char *const cls[4] = {"fu", "haar", "product", "mix"};
static const double comp[NC] = {0.25, 0.5, 0.75};
/* the quick-scale baselines: F of (a), (b), (c); H_b and H(p) in nats */
static const double base[4][5] = {{0.853553, 0.853553, 0.985599, 5.545177444, 5.198603854},
                                  {0.887698, 0.890316, 0.887698, 5.535376887, 5.123312282},
                                  {0.731429, 1.000000, 0.731429, 4.450762050, 4.450762050},
                                  {0.615824, 0.788261, 0.615824, 4.765698845, 3.790766491}};

/* One model per (class, depth, compression, repetition), at the long
 * budget; the short budget's F is F + short_off (0: the same data). */
typedef struct {
    double F[4][ND][NC][NR], se[4][ND][NC][NR], elbo_gain[4][ND][NC][NR], nelbo_off[4][ND][NC][NR];
    double short_off[4];
} ro3_syn;

/* Every model of class k at its mean F by depth (the same at every
 * compression), repetitions at mean + spread (r - 1), estimator SE se,
 * negative ELBO at H_b + off, converged (last epoch gained 0.001 nats). */
static void fill(ro3_syn *s, int k, const double Fd[ND], double spread, double se, double off)
{
    s->short_off[k] = 0;
    for (int d = 0; d < ND; d++)
        for (int c = 0; c < NC; c++)
            for (int r = 0; r < NR; r++) {
                s->F[k][d][c][r] = Fd[d] + spread * (r - 1);
                s->se[k][d][c][r] = se;
                s->elbo_gain[k][d][c][r] = 0.001;
                s->nelbo_off[k][d][c][r] = off;
            }
}

static void write_ro3(const ro3_syn *s)
{
    FILE *f = open_data("vae_baselines.tsv");
    fprintf(f, "class\tuniform\tmarginals\tsupport\tqubits\tmarg_entropy_nats\tentropy_nats\n");
    for (int k = 0; k < 4; k++)
        fprintf(f, "%s\t%.6f\t%.6f\t%.6f\t8\t%.9f\t%.9f\n", cls[k], base[k][0], base[k][1], base[k][2], base[k][3], base[k][4]);
    fclose(f);
    f = open_data("vae_cells.tsv");
    fprintf(f, "class\tdepth\tcompression\tlatent\trep\tF\tF_se\tbias_corr\tmax_relse\tneg_elbo\tkl_total\tkl_per_unit\t"
               "active_units\tneg_elbo_prev\tlr\tF_short\tF_se_short\theldout\theldout_se\theldout_prev\theldout_short\t"
               "heldout_short_se\theldout_short_prev\tsweep_lr1\tsweep_lr2\tsweep_lr3\n");
    for (int k = 0; k < 4; k++)
        for (int d = 0; d < ND; d++)
            for (int c = 0; c < NC; c++)
                for (int r = 0; r < NR; r++) {
                    int latent = (int)lround(comp[c] * 8);
                    double ne = base[k][3] + s->nelbo_off[k][d][c][r], g = s->elbo_gain[k][d][c][r];
                    double F = s->F[k][d][c][r], se = s->se[k][d][c][r];
                    fprintf(f, "%s\t%d\t%.2f\t%d\t%d\t%.6f\t%.6f\t1e-05\t0.02\t%.5f\t0.03\t%.5f\t%d\t%.5f", cls[k], d + 1,
                            comp[c], latent, r, F, se, ne, 0.03 / latent, s->nelbo_off[k][d][c][r] < -0.01 ? latent : 1,
                            ne + g);
                    fprintf(f, "\t0.001\t%.6f\t%.6f\t%.5f\t0.002\t%.5f\t%.5f\t0.002\t%.5f\t%.5f\t%.5f\t%.5f\n",
                            F + s->short_off[k], se, ne, ne + g, ne, ne + g, ne + 0.1, ne, ne + 0.05);
                }
    fclose(f);
}

/* VAEs that learn nothing: FU and Haar at baseline (b), product and mixture learnt. */
static void collapsed(ro3_syn *s)
{
    const double mix[ND] = {0.97, 0.97, 0.97, 0.97, 0.97};
    fill(s, 3, mix, 0.002, 0.003, -0.5);
    const double fu[ND] = {0.8536, 0.8536, 0.8536, 0.8536, 0.8536}, haar[ND] = {0.8903, 0.8903, 0.8903, 0.8903, 0.8903},
                 prod[ND] = {0.9995, 0.9995, 0.9995, 0.9995, 0.9995};
    fill(s, 0, fu, 0.003, 0.0033, 0.005);
    fill(s, 1, haar, 0.005, 0.009, 0.005);
    fill(s, 2, prod, 0.0003, 0.0005, 0.03);
}

/* The paper's picture: FU learnt and better with depth, Haar flat, product and mixture learnt. */
static void ideal(ro3_syn *s)
{
    const double mix[ND] = {0.97, 0.97, 0.97, 0.97, 0.97};
    fill(s, 3, mix, 0.002, 0.003, -0.5);
    const double fu[ND] = {0.88, 0.90, 0.92, 0.94, 0.96}, haar[ND] = {0.90, 0.90, 0.90, 0.90, 0.90},
                 prod[ND] = {0.9995, 0.9995, 0.9995, 0.9995, 0.9995};
    fill(s, 0, fu, 0.002, 0.002, -0.1);
    fill(s, 1, haar, 0.001, 0.001, -0.05);
    fill(s, 2, prod, 0.0003, 0.0005, 0.03);
}

static ro3_syn S; /* large: static */

Test(vdch7, ro3_collapsed_control_passes, .init = setup, .fini = teardown)
{
    collapsed(&S);
    write_ro3(&S);
    vd_result r;
    cr_assert(decide(&r, vd_ro3, "collapsed") == CLAIMS_NOT_REPRODUCED,
              "RO-3 collapsed VAEs, control passing: %s, expected not-reproduced (%s | %s)",
              claims_verdict_name(r.verdict), r.measured, r.note);
    cr_assert(strstr(r.note, "no FU model beats baseline (b)") != NULL, "RO-3 collapsed: the note says why (%s)", r.note);
    cr_assert(strstr(r.note, "FU 0,") != NULL, "RO-3 collapsed: no FU model uses its latent (%s)", r.note);
    cr_assert(strstr(r.measured, "first rule: partly") != NULL,
              "RO-3 collapsed: the first rule said partly here, and the measured string keeps it (%s)", r.measured);
}

Test(vdch7, ro3_collapsed_control_fails, .init = setup, .fini = teardown)
{
    collapsed(&S);
    const double prod[ND] = {0.93, 0.93, 0.93, 0.93, 0.93};
    fill(&S, 2, prod, 0.003, 0.002, 0.03);
    write_ro3(&S);
    expect(vd_ro3, CLAIMS_INCONCLUSIVE, "RO-3 collapsed VAEs, control failing (product F 0.93 < 0.95)");
}

/* The mixture control: VAEs that learn nothing there either (F at its
 * baseline b) make every verdict inconclusive, collapsed FU or not; its
 * borderline is F_b + 0.5 (1 - F_b). */
Test(vdch7, ro3_mixture_control, .init = setup, .fini = teardown)
{
    const double fb = base[3][1], flat[ND] = {fb, fb, fb, fb, fb};
    collapsed(&S);
    fill(&S, 3, flat, 0.002, 0.003, 0.005);
    write_ro3(&S);
    expect(vd_ro3, CLAIMS_INCONCLUSIVE, "RO-3 collapsed VAEs, mixture control collapsed too (F = its baseline b)");
    ideal(&S);
    fill(&S, 3, flat, 0.002, 0.003, 0.005);
    write_ro3(&S);
    expect(vd_ro3, CLAIMS_INCONCLUSIVE, "RO-3 ideal depth effect, mixture control collapsed");
    for (int side = 0; side < 2; side++) {
        double need = fb + 0.5 * (1 - fb), x = need + (side ? 0.004 : -0.004);
        const double m[ND] = {x, x, x, x, x};
        ideal(&S);
        fill(&S, 3, m, 0.0, 0.0005, -0.5); /* lower bound x - t(0.95, NR - 1) 0.0005 / sqrt(NR), within 0.001 */
        write_ro3(&S);
        char what[160];
        snprintf(what, sizeof what, "RO-3 borderline: mixture F %.4f against the control level %.4f", x, need);
        expect(vd_ro3, side ? CLAIMS_REPRODUCED : CLAIMS_INCONCLUSIVE, what);
    }
    ideal(&S);
    for (int d = 0; d < ND; d++) /* the mixture models still improving */
        for (int c = 0; c < NC; c++)
            for (int r = 0; r < NR; r++) S.elbo_gain[3][d][c][r] = 0.03;
    write_ro3(&S);
    expect(vd_ro3, CLAIMS_REPRODUCED, "RO-3 ideal, the mixture models still improve (held-out -0.03 nats) but clear "
                                      "their level: a control's convergence is reported, not required");
}

/* The short budget is decided by the same rule and reported; the long
 * budget's verdict stands. */
Test(vdch7, ro3_short_budget, .init = setup, .fini = teardown)
{
    ideal(&S);
    write_ro3(&S);
    vd_result r;
    cr_assert(decide(&r, vd_ro3, "ideal") == CLAIMS_REPRODUCED, "RO-3 ideal: %s", r.measured);
    cr_assert(strstr(r.measured, "short budget: reproduced") != NULL, "RO-3 ideal, same short budget (%s)", r.measured);
    cr_assert(strstr(r.note, "verdict holds at the short budget") != NULL, "RO-3 ideal: the note says so (%s)", r.note);
    S.short_off[0] = -0.2; /* at the short budget FU is far below (b) */
    write_ro3(&S);
    cr_assert(decide(&r, vd_ro3, "short differs") == CLAIMS_REPRODUCED, "RO-3 long budget decides: %s", r.measured);
    cr_assert(strstr(r.measured, "short budget: not-reproduced") != NULL, "RO-3 short FU collapsed (%s)", r.measured);
    cr_assert(strstr(r.note, "verdict differs at the short budget") != NULL, "RO-3 the note says so (%s)", r.note);
}

Test(vdch7, ro3_ideal, .init = setup, .fini = teardown)
{
    ideal(&S);
    write_ro3(&S);
    expect(vd_ro3, CLAIMS_REPRODUCED, "RO-3 ideal depth effect (FU 0.88 -> 0.96, Haar flat, product learnt)");
    /* the same with the control failing: inconclusive, whatever FU does */
    const double prod[ND] = {0.90, 0.90, 0.90, 0.90, 0.90};
    fill(&S, 2, prod, 0.003, 0.002, 0.03);
    write_ro3(&S);
    expect(vd_ro3, CLAIMS_INCONCLUSIVE, "RO-3 ideal depth effect but the control fails");
}

Test(vdch7, ro3_haar_gains_too, .init = setup, .fini = teardown)
{
    ideal(&S);
    const double haar[ND] = {0.90, 0.91, 0.92, 0.93, 0.94};
    fill(&S, 1, haar, 0.001, 0.001, -0.05);
    write_ro3(&S);
    expect(vd_ro3, CLAIMS_PARTLY, "RO-3 depth helps FU and Haar alike");
    const double noisy[ND] = {0.90, 0.90, 0.90, 0.90, 0.90};
    fill(&S, 1, noisy, 0.001, 0.02, -0.05); /* Haar's estimator too noisy to show equivalence */
    write_ro3(&S);
    expect(vd_ro3, CLAIMS_PARTLY, "RO-3 depth helps FU, Haar gain undecided (SE 0.02 per model)");
}

Test(vdch7, ro3_fu_depth_null, .init = setup, .fini = teardown)
{
    ideal(&S);
    const double flat[ND] = {0.95, 0.95, 0.95, 0.95, 0.95};
    fill(&S, 0, flat, 0.001, 0.001, -0.1);
    write_ro3(&S);
    expect(vd_ro3, CLAIMS_NOT_REPRODUCED, "RO-3 FU learnt (F 0.95 > (b)) but no depth gain (within the margin)");
    const double worse[ND] = {0.97, 0.95, 0.93, 0.91, 0.89};
    fill(&S, 0, worse, 0.001, 0.001, -0.1);
    write_ro3(&S);
    expect(vd_ro3, CLAIMS_NOT_REPRODUCED, "RO-3 FU learnt, depth lowers F (0.97 -> 0.89)");
}

Test(vdch7, ro3_fu_undecided, .init = setup, .fini = teardown)
{
    ideal(&S);
    const double fu[ND] = {0.95, 0.97, 0.97, 0.97, 0.95};
    fill(&S, 0, fu, 0.0, 0.002, -0.1);
    for (int c = 0; c < NC; c++) /* paired differences depth 5 - depth 1 of -0.08, 0, +0.08 */
        for (int r = 0; r < NR; r++) S.F[0][0][c][r] = 0.95 - 0.04 * (r - 1), S.F[0][ND - 1][c][r] = 0.95 + 0.04 * (r - 1);
    write_ro3(&S);
    expect(vd_ro3, CLAIMS_INCONCLUSIVE, "RO-3 FU learnt, depth gain 0 +- 0.046: neither significant nor equivalent");
}

Test(vdch7, ro3_not_converged, .init = setup, .fini = teardown)
{
    ideal(&S);
    for (int d = 0; d < ND; d++) /* every FU model still improving by 0.03 nats an epoch */
        for (int c = 0; c < NC; c++)
            for (int r = 0; r < NR; r++) S.elbo_gain[0][d][c][r] = 0.03;
    write_ro3(&S);
    expect(vd_ro3, CLAIMS_INCONCLUSIVE, "RO-3 ideal but the FU models still improve (last epochs -0.03 nats)");
    ideal(&S);
    S.elbo_gain[0][2][1][0] = 0.05; /* one FU model's last epoch: noise the class mean absorbs */
    write_ro3(&S);
    expect(vd_ro3, CLAIMS_REPRODUCED, "RO-3 ideal, one FU model's last epoch -0.05 nats, the class mean converged");
    ideal(&S);
    S.F[2][0][0][1] = NAN;
    write_ro3(&S);
    expect(vd_ro3, CLAIMS_INCONCLUSIVE, "RO-3 ideal but a product model's F is not a number");
    ideal(&S);
    for (int d = 0; d < ND; d++) /* the Haar models still improving: only the Haar half is undecided */
        for (int c = 0; c < NC; c++)
            for (int r = 0; r < NR; r++) S.elbo_gain[1][d][c][r] = 0.03;
    write_ro3(&S);
    expect(vd_ro3, CLAIMS_PARTLY, "RO-3 ideal but the Haar models still improve (last epochs -0.03 nats)");
}

/* The borderline of "an FU point beats (b)": depth-5 models at F_b + x with
 * estimator SE s and no spread, depth 1 at F_b: x just below and just above
 * t(1 - alpha/15, 2) s / sqrt(3). */
Test(vdch7, ro3_borderline_beats_b, .init = setup, .fini = teardown)
{
    double s = 0.003, need = stats_t_quantile(1 - 0.05 / (ND * NC), NR - 1) * s / sqrt(NR);
    for (int side = 0; side < 2; side++) {
        ideal(&S);
        double fb = base[0][1], x = need * (side ? 1.02 : 0.98);
        const double fu[ND] = {fb, fb, fb, fb, fb + x};
        fill(&S, 0, fu, 0.0, s, -0.1);
        write_ro3(&S);
        char what[160];
        snprintf(what, sizeof what, "RO-3 borderline: deepest FU models %.4f above (b), the bound needs %.4f", x, need);
        expect(vd_ro3, side ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, what);
    }
}

/* Simulated runs of VAEs that learn nothing (every model at baseline (b)
 * plus a repetition effect and its estimator noise, product learnt): the
 * new rule says not-reproduced in at least 95% of them; the first rule said
 * partly in most. */
Test(vdch7, ro3_null_simulation, .init = setup, .fini = teardown, .timeout = 120)
{
    enum { RUNS = 200 };
    rng_stream g;
    rng_init(&g, 17, 7, 0);
    int notrep = 0, first_partly = 0;
    for (int run = 0; run < RUNS; run++) {
        collapsed(&S);
        for (int k = 0; k < 2; k++)
            for (int r = 0; r < NR; r++) {
                double rep = 0.002 * rng_normal(&g); /* the repetition's training set */
                for (int d = 0; d < ND; d++)
                    for (int c = 0; c < NC; c++)
                        S.F[k][d][c][r] = base[k][1] + rep + S.se[k][d][c][r] * rng_normal(&g);
            }
        write_ro3(&S);
        vd_result r;
        notrep += decide(&r, vd_ro3, "null simulation") == CLAIMS_NOT_REPRODUCED;
        first_partly += strstr(r.measured, "first rule: partly") != NULL;
    }
    cr_assert(notrep >= RUNS * 95 / 100, "RO-3 null simulation: not-reproduced in %d of %d runs (need 95%%)", notrep, RUNS);
    cr_assert(first_partly >= RUNS * 80 / 100, "RO-3 null simulation: the first rule said partly in only %d of %d runs",
              first_partly, RUNS);
}

Test(vdch7, ro3_bad_data, .init = setup, .fini = teardown)
{
    ideal(&S);
    write_ro3(&S);
    FILE *f = open_data("vae_cells.tsv"); /* truncate: header only */
    fprintf(f, "class\tdepth\tcompression\tlatent\trep\tF\tF_se\tneg_elbo\tneg_elbo_prev\tactive_units\n");
    fclose(f);
    vd_data d;
    vd_result r;
    vd_data_init(&d, dir);
    cr_assert(vd_ro3(&r, &d) == -1, "RO-3 with no models must fail, not decide");
    vd_data_clear(&d);
}
