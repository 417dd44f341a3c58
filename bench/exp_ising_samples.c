/* Chapter 6, experiment `ising-samples`: 8x8 torus samples from the
 * Morningstar-Melko step (one Wolff update, then N Metropolis attempts) at
 * T = 1.0, 1.1, ..., 3.5, decorrelated, in a bit-packed checksummed file
 * (data/ising_samples_L8.bin), with their e, C and |m| checked against the
 * exact values (data/ising_samples.tsv).
 *
 * The grid: one cell per temperature (its chains keyed by the temperature's
 * index, as before the split).  Reduce gathers the samples into the file and
 * writes the table and the macros. */
#include "ch6_util.h"
#include "stats.h"
#include "experiments.h"
#include "ising.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NT CH6_NT

enum { SAM_L = 8, SAM_N = 64, SAM_COUNT = 10000, SAM_PILOT = 20000, SAM_BURN = 1000, SAM_NB = 50 };

static int sam_ncells(const exp_ctx *ctx)
{
    (void)ctx;
    return NT;
}

/* One temperature's statistics: tau_e, tau_m, spacing, e, e_err, c, c_err,
 * |m|, |m| err, tau of the samples; then the exact u, c (Kaufman) and |m|
 * (transfer matrix). */
enum { SAM_NSTAT = 13 };

/* listing: samples */

/* A pilot chain of SAM_PILOT steps measures tau_int of e and |m| (in steps);
 * returns the spacing ceil(2 max tau) (at least 1) and sets st[0..2]. */
static int sam_pilot(double *st, double T, uint64_t seed, int ti)
{
    double *xe = malloc(SAM_PILOT * sizeof *xe), *xm = malloc(SAM_PILOT * sizeof *xm);
    ising_chain c;
    int spacing = -1;
    if (xe && xm && ising_chain_init(&c, SAM_L, seed, (uint32_t)ti, 0) == 0) {
        int E, M;
        for (int t = 0; t < SAM_BURN; t++) ising_mm_step(&c, T);
        for (int t = 0; t < SAM_PILOT; t++) {
            ising_mm_step(&c, T);
            ising_chain_measure(&c, &E, &M);
            xe[t] = (double)E / SAM_N; xm[t] = fabs((double)M) / SAM_N;
        }
        ising_chain_clear(&c);
        double te = ising_tau_int(xe, SAM_PILOT), tmm = ising_tau_int(xm, SAM_PILOT);
        spacing = (int)ceil(2 * fmax(te, tmm));
        if (spacing < 1) spacing = 1;
        st[0] = te, st[1] = tmm, st[2] = spacing;
    }
    free(xe); free(xm);
    return spacing;
}

/* Samples every `spacing` steps after SAM_BURN burn-in steps, from a fresh
 * stream of the same cell: the bits into bits[SAM_COUNT], e and |m| into st[3..9]. */
static int sam_draw(int64_t *bits, double *st, double T, int spacing, uint64_t seed, int ti)
{
    double *se = malloc(SAM_COUNT * sizeof *se), *se2 = malloc(SAM_COUNT * sizeof *se2), *sm = malloc(SAM_COUNT * sizeof *sm);
    ising_chain c;
    int rc = -1;
    if (se && se2 && sm && ising_chain_init(&c, SAM_L, seed, (uint32_t)ti, 1) == 0) {
        int E, M;
        for (int t = 0; t < SAM_BURN; t++) ising_mm_step(&c, T);
        for (int k = 0; k < SAM_COUNT; k++) {
            for (int t = 0; t < spacing; t++) ising_mm_step(&c, T);
            uint64_t b = 0;
            for (int i = 0; i < SAM_N; i++) b |= (uint64_t)(c.s[i] > 0) << i;
            bits[k] = (int64_t)b;
            ising_chain_measure(&c, &E, &M);
            se[k] = (double)E / SAM_N; se2[k] = se[k] * se[k]; sm[k] = fabs((double)M) / SAM_N;
        }
        ising_chain_clear(&c);
        const int bin = SAM_COUNT / SAM_NB;
        double be[SAM_NB], be2[SAM_NB];
        ising_binned(&st[3], &st[4], se, SAM_COUNT, bin);
        ising_binned(&st[7], &st[8], sm, SAM_COUNT, bin);
        for (int b = 0; b < SAM_NB; b++) {
            be[b] = be2[b] = 0;
            for (int i = 0; i < bin; i++) { be[b] += se[b * bin + i]; be2[b] += se2[b * bin + i]; }
            be[b] /= bin; be2[b] /= bin;
        }
        ising_jack_c(&st[5], &st[6], be, be2, SAM_NB, SAM_N, T);
        st[9] = ising_tau_int(se, SAM_COUNT);
        rc = 0;
    }
    free(se); free(se2); free(sm);
    return rc;
}

static int sam_cell(const exp_ctx *ctx, int ti, cellio_out *out)
{
    double T = 1.0 + 0.1 * ti, st[SAM_NSTAT];
    int64_t *bits = malloc(SAM_COUNT * sizeof *bits);
    int spacing = bits ? sam_pilot(st, T, ctx->seed, ti) : -1;
    if (spacing < 0 || sam_draw(bits, st, T, spacing, ctx->seed, ti) != 0) {
        free(bits);
        return -1;
    }
    ising_thermo ex, tm;
    ising_exact_kaufman(&ex, SAM_L, SAM_L, T);
    ising_exact_tm(&tm, SAM_L, SAM_L, T);
    st[10] = ex.u, st[11] = ex.c, st[12] = tm.absm;
    cellio_put_f64s(out, st, SAM_NSTAT);
    cellio_put_i64s(out, bits, SAM_COUNT);
    free(bits);
    return 0;
}
/* end: samples */

/* The sample file, written where the set's data files go. */
static int sam_write_file(run_set *set, const ising_samples *S)
{
    char path[4096];
    if (run_data_path(path, sizeof path, set, "ising_samples_L8.bin") != 0) return -1;
    return ising_samples_write(path, S) != 0 ? -1 : 0;
}

static int sam_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    if (n != NT) return -1;
    double st[NT][SAM_NSTAT];
    ising_samples S;
    if (ising_samples_init(&S, SAM_L, NT, SAM_COUNT, ctx->seed) != 0) return -1;
    int64_t *bits = malloc(SAM_COUNT * sizeof *bits);
    for (int ti = 0; bits && ti < NT; ti++) {
        S.T[ti] = 1.0 + 0.1 * ti;
        cellio_get_f64s(&in[ti], st[ti], SAM_NSTAT);
        cellio_get_i64s(&in[ti], bits, SAM_COUNT);
        for (int k = 0; k < SAM_COUNT; k++) S.bits[(size_t)ti * SAM_COUNT + k] = (uint64_t)bits[k];
    }
    int rc = bits ? sam_write_file(set, &S) : -1;
    free(bits);
    ising_samples_clear(&S);
    binio_file f;
    if (rc != 0 || run_tsv_open(&f, set, "ising_samples", "T\ttau_e\ttau_m\tspacing\tcount\te\te_err\te_exact\tz_e\tc\tc_err\tc_exact\tz_c\tabsm\tabsm_err\tabsm_exact\ttau_samples") != 0)
        return -1;
    int maxsp = 0, nbad = 0;
    for (int ti = 0; ti < NT; ti++) {
        double T = 1.0 + 0.1 * ti, *s = st[ti];
        double ze = (s[3] - s[10]) / s[4], zc = (s[5] - s[11]) / s[6];
        nbad += 2 * stats_t_upper(fabs(ze), SAM_NB - 1) * 2 * NT < 0.01;
        nbad += 2 * stats_t_upper(fabs(zc), SAM_NB - 1) * 2 * NT < 0.01;
        if ((int)s[2] > maxsp) maxsp = (int)s[2];
        fprintf(f.f, "%.2f\t%.3f\t%.3f\t%d\t%d\t%.8f\t%.3e\t%.8f\t%.3f\t%.6f\t%.3e\t%.6f\t%.3f\t%.6f\t%.3e\t%.6f\t%.3f\n", T,
                s[0], s[1], (int)s[2], SAM_COUNT, s[3], s[4], s[10], ze, s[5], s[6], s[11], zc, s[7], s[8], s[12], s[9]);
    }
    if (run_close(set, &f) != 0) return -1;
    const texmac m[] = {
        TEXMAC_I("IsingSamCount", SAM_COUNT), TEXMAC_I("IsingSamMaxSpacing", maxsp),
        TEXMAC_I("IsingSamBad", nbad),        TEXMAC_I("IsingSamFamily", 2 * NT),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

const exp_def exp_ising_samples_def = {sam_ncells, sam_cell, sam_reduce, 0};
