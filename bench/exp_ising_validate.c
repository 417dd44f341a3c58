/* Chapter 6, experiment `ising-validate` (MM-1): multi-spin Metropolis
 * estimates of e, C and |m| against the exact values at L = 8, 16 and
 * T = 1.0, 1.1, ..., 3.5.
 *
 * The grid: one cell per (L, T), cell = li * 26 + ti, each an independent
 * 64-replica run keyed by its cell number (as before the split), together
 * with its exact references.  Reduce turns the estimates into t statistics
 * and decides MM-1 with a Bonferroni bound. */
#include "ch6_util.h"
#include "stats.h"
#include "claims.h"
#include "experiments.h"
#include "ising.h"

#include <math.h>
#include <stdio.h>

#define NT CH6_NT

static const int val_L[2] = {8, 16};
enum { VAL_NBINS = 32 };

static uint64_t val_sweeps(const exp_ctx *ctx) { return ctx->scale == EXP_FULL ? 200000 : 20000; }

static int val_ncells(const exp_ctx *ctx)
{
    (void)ctx;
    return 2 * NT;
}

/* One (L, T) point: the run and the exact e, C (Kaufman) and |m| (transfer
 * matrix, L <= 10 only; NaN above). */
typedef struct {
    ising_mc_result r;
    ising_thermo ex, tm;
} val_point;

static int val_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    int L = val_L[c / NT];
    double T = 1.0 + 0.1 * (c % NT);
    uint64_t sweeps = val_sweeps(ctx);
    val_point p = {.tm = {0, 0, 0, NAN, NAN}};
    if (ising_msc_run(&p.r, L, T, sweeps / 10, sweeps, VAL_NBINS, ctx->seed, (uint32_t)c) != 0) return -1;
    ising_exact_kaufman(&p.ex, L, L, T);
    if (L <= 10) ising_exact_tm(&p.tm, L, L, T);
    const double x[11] = {p.r.e, p.r.e_err, p.r.c, p.r.c_err, p.r.absm, p.r.absm_err, p.r.tau_e, p.r.tau_m,
                          p.ex.u, p.ex.c, p.tm.absm};
    cellio_put_f64s(out, x, 11);
    cellio_put_i64(out, (int64_t)p.r.bin);
    return 0;
}

static void val_get(cellio_in *in, val_point *p)
{
    double x[11];
    cellio_get_f64s(in, x, 11);
    p->r.e = x[0], p->r.e_err = x[1], p->r.c = x[2], p->r.c_err = x[3], p->r.absm = x[4], p->r.absm_err = x[5];
    p->r.tau_e = x[6], p->r.tau_m = x[7], p->ex.u = x[8], p->ex.c = x[9], p->tm.absm = x[10];
    p->r.bin = (uint64_t)cellio_get_i64(in);
}

/* Each estimate gives a t statistic (mc - exact) / err with nbins - 1 degrees
 * of freedom; the family (e and c at L = 8, 16, |m| at L = 8 against the
 * transfer matrix) passes when no two-sided Student-t p-value falls below
 * alpha / (family size), alpha = 0.01: a union bound, so the false-alarm rate
 * is at most 1% whatever the correlations between estimates.  The chi-square
 * of all t's is reported too. */
static int val_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    const int nbins = VAL_NBINS;
    if (n != 2 * NT) return -1;
    binio_file f;
    if (run_tsv_open(&f, set, "ising_validate",
                     "L\tT\te\te_err\te_exact\tz_e\tc\tc_err\tc_exact\tz_c\tabsm\tabsm_err\tabsm_exact\tz_m\ttau_e\ttau_m\tbin") != 0)
        return -1;
    /* listing: validate */
    int family = 2 * 2 * NT + NT, worst_i = 0; /* e, c at L = 8, 16; |m| at L = 8 */
    double chi2 = 0, pmin = 1, zmax = 0, alpha = 0.01;
    for (int c = 0; c < n; c++) {
        int L = val_L[c / NT];
        double T = 1.0 + 0.1 * (c % NT);
        val_point p;
        val_get(&in[c], &p);
        const ising_mc_result *r = &p.r;
        double z[3] = {(r->e - p.ex.u) / r->e_err, (r->c - p.ex.c) / r->c_err,
                       L <= 10 ? (r->absm - p.tm.absm) / r->absm_err : NAN};
        for (int q = 0; q < 3; q++) {
            if (isnan(z[q])) continue;
            double pv = 2 * stats_t_upper(fabs(z[q]), nbins - 1); /* two-sided */
            chi2 += z[q] * z[q];
            if (pv < pmin) { pmin = pv; zmax = z[q]; worst_i = c; }
        }
        fprintf(f.f, "%d\t%.2f\t%.8f\t%.3e\t%.8f\t%.3f\t%.6f\t%.3e\t%.6f\t%.3f\t%.8f\t%.3e\t%.8g\t%.3f\t%.3f\t%.3f\t%llu\n",
                L, T, r->e, r->e_err, p.ex.u, z[0], r->c, r->c_err, p.ex.c, z[1], r->absm,
                r->absm_err, p.tm.absm, z[2], r->tau_e, r->tau_m, (unsigned long long)r->bin);
    }
    double pchi = stats_chi2_upper(chi2, family);
    int pass = pmin * family >= alpha; /* Bonferroni */
    /* end: validate */
    if (run_close(set, &f) != 0) return -1;
    const texmac m[] = {
        TEXMAC_I("IsingValSweeps", val_sweeps(ctx)),   TEXMAC_I("IsingValFamily", family),
        TEXMAC_I("IsingValBins", nbins),                TEXMAC_F("IsingValChi", 1, chi2),
        TEXMAC_N("IsingValChiP", 3, pchi),              TEXMAC_N("IsingValPmin", 3, pmin),
        TEXMAC_N("IsingValPminBonf", 3, fmin(1, pmin * family)),
        TEXMAC_F("IsingValZworst", 2, zmax),            TEXMAC_F("IsingValTworst", 1, 1.0 + 0.1 * (worst_i % NT)),
        TEXMAC_I("IsingValLworst", val_L[worst_i / NT]),
    };
    if (run_macros(set, m, TEXMAC_LEN(m)) != 0) return -1;
    char meas[256];
    snprintf(meas, sizeof meas, "%d t-tests (e, C at L=8,16; |m| at L=8): min p %.3g, Bonferroni p %.3g; chi2 %.1f/%d (p %.3g)",
             family, pmin, fmin(1, pmin * family), chi2, family, pchi);
    return claims_emit(set, "MM-1", pass ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, meas,
                       "MC agrees with exact (qualitative)",
                       "Bonferroni family-wise alpha 0.01 over Student-t tails of binned errors");
}

const exp_def exp_ising_validate_def = {val_ncells, val_cell, val_reduce, 0};
