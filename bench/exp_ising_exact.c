/* Chapter 6, experiment `ising-exact`: the exact Ising references
 * cross-checked (Kaufman vs brute force vs transfer matrix vs Beale's integer
 * density of states vs Onsager), and the exact curves for L = 8, 16, 64 and
 * the infinite lattice drawn in the chapter.  No random numbers.
 *
 * The grid: the curves table, the three independent methods against Kaufman
 * (brute force, transfer matrix, Onsager with the reference values), then one
 * cell per Beale lattice (L = 4, 8, 16, and 24 at full scale; the L = 16 cell
 * also hands over its density of states).  Reduce writes the two tables and
 * the macros, and fails the run when a cross-check fails. */
#include "experiments.h"
#include "ising.h"

#include <gmp.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EX_CURVES, EX_BRUTE, EX_TM, EX_ONS, EX_BEALE };

static const int beale_L[4] = {4, 8, 16, 24};

static int ex_nbeale(const exp_ctx *ctx) { return ctx->scale == EXP_FULL ? 4 : 3; }
static int ex_tm_maxL(const exp_ctx *ctx) { return ctx->scale == EXP_FULL ? 10 : 8; }
static int ex_ncells(const exp_ctx *ctx) { return EX_BEALE + ex_nbeale(ctx); }

static double rel(double a, double b) { return fabs(a - b) / fmax(fabs(b), 1e-300); }

/* The worst relative gap of ln Z, u, c between a and b. */
static double rel3(const ising_thermo *a, const ising_thermo *b)
{
    return fmax(rel(b->lnz, a->lnz), fmax(rel(b->u, a->u), rel(b->c, a->c)));
}

/* Writes a table handed over as text by a cell. */
static int table_from_cell(run_set *set, cellio_in *in, const char *name, const char *columns)
{
    char *rows = cellio_get_text(in);
    int rc = run_tsv_write(set, name, columns, rows);
    free(rows);
    return rc;
}

/* --- cells ------------------------------------------------------------------------------ */

/* 1. exact curves */
static void curves(FILE *f, void *unused)
{
    (void)unused;
    for (int i = 0; i <= 300; i++) {
        double T = 0.5 + 0.01 * i, ui, ci, mi;
        ising_thermo a, b, c, t;
        ising_exact_kaufman(&a, 8, 8, T);
        ising_exact_kaufman(&b, 16, 16, T);
        ising_exact_kaufman(&c, 64, 64, T);
        ising_onsager(&ui, &ci, &mi, T);
        if (i % 10 == 0) ising_exact_tm(&t, 8, 8, T); else t.absm = NAN;
        fprintf(f, "%.4f\t%.10f\t%.10f\t%.10f\t%.10f\t%.10f\t%.10f\t%.10f\t%.10g\t%.10f\t%.10g\n", T, a.u, a.c,
                b.u, b.c, c.u, c.c, ui, isfinite(ci) ? ci : NAN, mi, t.absm);
    }
}

/* 2. independent methods against Kaufman: brute force on small tori */
static double cross_brute(void)
{
    double d = 0;
    int sizes[3][2] = {{4, 4}, {3, 4}, {4, 5}};
    for (int q = 0; q < 3; q++)
        for (int ti = 0; ti <= 25; ti++) {
            double T = 1.0 + 0.1 * ti;
            ising_thermo a, b;
            ising_exact_kaufman(&a, sizes[q][0], sizes[q][1], T);
            ising_exact_brute(&b, sizes[q][0], sizes[q][1], T);
            d = fmax(d, rel3(&a, &b));
        }
    return d;
}

/* the transfer matrix on L x (L + 1) tori */
static double cross_tm(int maxL)
{
    double d = 0;
    int tmL[3] = {6, 8, maxL};
    for (int q = 0; q < 3; q++)
        for (int ti = 0; ti <= 25; ti += (tmL[q] == 10 ? 12 : 5)) {
            double T = 1.0 + 0.1 * ti;
            ising_thermo a, b;
            ising_exact_kaufman(&a, tmL[q], tmL[q] + 1, T);
            ising_exact_tm(&b, tmL[q], tmL[q] + 1, T);
            d = fmax(d, rel3(&a, &b));
        }
    return d;
}

/* Onsager (far from T_c a 256 torus is the infinite lattice to 1e-10), then
 * the reference values quoted in the chapter: ln Z, u, c of the 4x4 torus at
 * T = 2.5 and u, c of the 8x8 torus at T_c. */
static void cross_onsager(cellio_out *out)
{
    double d = 0;
    for (int ti = 0; ti <= 25; ti++) {
        double T = 1.0 + 0.1 * ti, ui, ci, mi;
        if (fabs(T - ISING_TC) < 0.45) continue;
        ising_thermo a;
        ising_exact_kaufman(&a, 256, 256, T);
        ising_onsager(&ui, &ci, &mi, T);
        d = fmax(d, fmax(rel(ui, a.u), rel(ci, a.c)));
    }
    ising_thermo r4, r8;
    ising_exact_kaufman(&r4, 4, 4, 2.5);
    ising_exact_kaufman(&r8, 8, 8, 2.269185314);
    const double x[6] = {d, r4.lnz, r4.u, r4.c, r8.u, r8.c};
    cellio_put_f64s(out, x, 6);
}

static void dos_rows(FILE *f, void *arg)
{
    const ising_beale *B = arg;
    for (int k = 0; k <= B->N; k++) fprintf(f, "%d\t%s\n", k, B->g[k]);
}

/* 3. Beale g_k of an L x L torus checked exactly: sum = 2^N, g_k = g_{N-k}
 * (bipartite: flip one sublattice), g_0 = 2, g_1 = 0, g_2 = 2N, g_3 = 4N,
 * g_4 = N(N + 9) for L >= 6 (two separated flips, straight and bent
 * trominoes, the 2x2 square).  Puts the number of failed checks, the worst
 * relative gap of ln Z, u, c from the DOS to Kaufman over T = 1.0..3.5, and
 * the seconds the DOS took; at L = 16 also the DOS itself. */
static int beale_cell(cellio_out *out, int L)
{
    int N = L * L, bad = 0;
    ising_beale B;
    double t0 = omp_get_wtime();
    if (ising_beale_init(&B, L, L) != 0) return -1;
    double secs = omp_get_wtime() - t0, maxrel = 0;
    char **g = B.g;
    mpz_t s, z, t;
    mpz_inits(s, z, t, NULL);
    for (int k = 0; k <= N; k++) { mpz_set_str(z, g[k], 10); mpz_add(s, s, z); }
    mpz_ui_pow_ui(t, 2, (unsigned long)N);
    bad += mpz_cmp(s, t) != 0;
    for (int k = 0; k <= N; k++) bad += strcmp(g[k], g[N - k]) != 0;
    long want[5] = {2, 0, 2L * N, 4L * N, (long)N * (N + 9)};
    for (int k = 0; k < 5 && (L >= 6 || k < 4); k++) { mpz_set_str(z, g[k], 10); bad += mpz_cmp_si(z, want[k]) != 0; }
    long double *gl = malloc((size_t)(N + 1) * sizeof *gl);
    for (int k = 0; gl && k <= N; k++) { mpz_set_str(z, g[k], 10); gl[k] = (long double)mpz_get_d(z); }
    for (int ti = 0; gl && ti <= 25; ti++) {
        double T = 1.0 + 0.1 * ti;
        ising_thermo a, b;
        ising_exact_kaufman(&a, L, L, T);
        ising_dos_thermo(&b, gl, N, T);
        maxrel = fmax(maxrel, rel3(&a, &b));
    }
    mpz_clears(s, z, t, NULL);
    int rc = gl ? 0 : -1;
    free(gl);
    const double x[3] = {bad, maxrel, secs};
    cellio_put_f64s(out, x, 3);
    if (rc == 0 && L == 16) rc = cellio_put_printed(out, dos_rows, &B);
    ising_beale_clear(&B);
    return rc;
}

static int ex_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    switch (c) {
    case EX_CURVES: return cellio_put_printed(out, curves, NULL);
    case EX_BRUTE: cellio_put_f64(out, cross_brute()); return 0;
    case EX_TM: cellio_put_f64(out, cross_tm(ex_tm_maxL(ctx))); return 0;
    case EX_ONS: cross_onsager(out); return 0;
    default: return beale_cell(out, beale_L[c - EX_BEALE]);
    }
}

/* --- reduce ------------------------------------------------------------------------------ */

/* listing: exactexp */
static int ex_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    if (n != ex_ncells(ctx) ||
        table_from_cell(set, &in[EX_CURVES], "ising_exact", "T\tu8\tc8\tu16\tc16\tu64\tc64\tuinf\tcinf\tminf\tabsm8"))
        return -1;
    double d_brute = cellio_get_f64(&in[EX_BRUTE]), d_tm = cellio_get_f64(&in[EX_TM]), ons[6];
    cellio_get_f64s(&in[EX_ONS], ons, 6);
    double d_ons = ons[0], d_beale = 0, secs16 = 0;
    int bad = 0, maxL = 0;
    for (int q = 0; q < n - EX_BEALE; q++) {
        double x[3];
        cellio_get_f64s(&in[EX_BEALE + q], x, 3);
        bad += (int)x[0];
        d_beale = fmax(d_beale, x[1]);
        if (!x[0]) maxL = beale_L[q];
        if (beale_L[q] == 16) {
            secs16 = x[2];
            if (table_from_cell(set, &in[EX_BEALE + q], "ising_beale_L16", "k\tg_k")) return -1;
        }
    }
    int ok4 = fabs(ons[1] - 14.5610930238) <= 1e-10 && fabs(ons[2] + 1.37911648226) <= 1e-11 &&
              fabs(ons[3] - 0.81251522944) <= 1e-11 && fabs(ons[4] + 1.491589) <= 1e-6 &&
              fabs(ons[5] - 1.145559) <= 1e-6;
    int fails = bad + (d_brute > 1e-10) + (d_tm > 1e-10) + (d_ons > 1e-10) + (d_beale > 1e-10) + !ok4;
    const texmac m[] = {
        TEXMAC_E("IsingExactBrute", 1, fmax(d_brute, 1e-17)), TEXMAC_E("IsingExactTm", 1, fmax(d_tm, 1e-17)),
        TEXMAC_E("IsingExactOns", 1, fmax(d_ons, 1e-17)),     TEXMAC_E("IsingExactBeale", 1, fmax(d_beale, 1e-17)),
        TEXMAC_I("IsingBealeBad", bad),                       TEXMAC_I("IsingBealeMaxL", maxL),
        TEXMAC_F("IsingBealeSecs", 2, secs16),                TEXMAC_I("IsingTmMaxL", ex_tm_maxL(ctx)),
        TEXMAC_F("IsingRefLnZ", 10, ons[1]),                  TEXMAC_F("IsingRefU", 11, ons[2]),
        TEXMAC_F("IsingRefC", 11, ons[3]),                    TEXMAC_F("IsingRefUc", 6, ons[4]),
        TEXMAC_F("IsingRefCc", 6, ons[5]),                    TEXMAC_S("IsingRefAgree", ok4 ? "agree with" : "DISAGREE with"),
        TEXMAC_I("IsingExactFails", fails),
    };
    if (run_macros(set, m, TEXMAC_LEN(m)) != 0) return -1;
    if (fails) fprintf(stderr, "ising-exact: %d exact cross-check(s) failed\n", fails);
    return fails ? -1 : 0;
}
/* end: exactexp */

const exp_def exp_ising_exact_def = {ex_ncells, ex_cell, ex_reduce, 0};
