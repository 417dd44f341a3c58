/* Exact Ising references cross-checked (Ch. 6): Kaufman vs brute force vs
 * transfer matrix vs Beale's integer density of states, and the exact curves
 * for L = 8, 16 and the infinite lattice drawn in the chapter. */
#include "experiments.h"
#include "ising.h"
#include "results.h"

#include <gmp.h>
#include <math.h>
#include <omp.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

static double rel(double a, double b) { return fabs(a - b) / fmax(fabs(b), 1e-300); }

/* Beale g_k of an L x L torus checked exactly: sum = 2^N, g_k = g_{N-k}
 * (bipartite: flip one sublattice), g_0 = 2, g_1 = 0, g_2 = 2N, g_3 = 4N,
 * g_4 = N(N + 9) for L >= 6 (two separated flips, straight and bent
 * trominoes, the 2x2 square).  Returns the number of failed checks; *maxrel the worst
 * relative gap of ln Z, u, c from the DOS to Kaufman over T = 1.0..3.5. */
static int beale_checks(int L, double *maxrel, double *secs)
{
    int N = L * L, bad = 0;
    ising_beale B;
    double t0 = omp_get_wtime();
    if (ising_beale_init(&B, L, L) != 0) return 1000;
    char **g = B.g;
    *secs = omp_get_wtime() - t0;
    mpz_t s, z, t;
    mpz_inits(s, z, t, NULL);
    for (int k = 0; k <= N; k++) { mpz_set_str(z, g[k], 10); mpz_add(s, s, z); }
    mpz_ui_pow_ui(t, 2, (unsigned long)N);
    bad += mpz_cmp(s, t) != 0;
    for (int k = 0; k <= N; k++) bad += strcmp(g[k], g[N - k]) != 0;
    long want[5] = {2, 0, 2L * N, 4L * N, (long)N * (N + 9)};
    for (int k = 0; k < 5 && (L >= 6 || k < 4); k++) { mpz_set_str(z, g[k], 10); bad += mpz_cmp_si(z, want[k]) != 0; }
    long double *gl = malloc((size_t)(N + 1) * sizeof *gl);
    *maxrel = 0;
    for (int k = 0; k <= N; k++) { mpz_set_str(z, g[k], 10); gl[k] = (long double)mpz_get_d(z); }
    for (int ti = 0; ti <= 25; ti++) {
        double T = 1.0 + 0.1 * ti;
        ising_thermo a, b;
        ising_exact_kaufman(&a, L, L, T);
        ising_dos_thermo(&b, gl, N, T);
        double r = fmax(rel(b.lnz, a.lnz), fmax(rel(b.u, a.u), rel(b.c, a.c)));
        if (r > *maxrel) *maxrel = r;
    }
    free(gl);
    mpz_clears(s, z, t, NULL);
    ising_beale_clear(&B);
    return bad;
}

/* listing: exactexp */

int exp_ising_exact(const exp_ctx *ctx)
{
    results_file tsv, mac, dos;
    /* 1. exact curves */
    if (results_tsv_open(&tsv, "ising_exact", "T\tu8\tc8\tu16\tc16\tu64\tc64\tuinf\tcinf\tminf\tabsm8") != 0) return 1;
    for (int i = 0; i <= 300; i++) {
        double T = 0.5 + 0.01 * i, ui, ci, mi;
        ising_thermo a, b, c, t;
        ising_exact_kaufman(&a, 8, 8, T);
        ising_exact_kaufman(&b, 16, 16, T);
        ising_exact_kaufman(&c, 64, 64, T);
        ising_onsager(&ui, &ci, &mi, T);
        if (i % 10 == 0) ising_exact_tm(&t, 8, 8, T); else t.absm = NAN;
        fprintf(tsv.f, "%.4f\t%.10f\t%.10f\t%.10f\t%.10f\t%.10f\t%.10f\t%.10f\t%.10g\t%.10f\t%.10g\n", T, a.u, a.c,
                b.u, b.c, c.u, c.c, ui, isfinite(ci) ? ci : NAN, mi, t.absm);
    }
    if (results_file_commit(&tsv) != 0) return 1;
    /* 2. independent methods against Kaufman */
    double d_brute = 0, d_tm = 0, d_ons = 0;
    int sizes[3][2] = {{4, 4}, {3, 4}, {4, 5}};
    for (int q = 0; q < 3; q++)
        for (int ti = 0; ti <= 25; ti++) {
            double T = 1.0 + 0.1 * ti;
            ising_thermo a, b;
            ising_exact_kaufman(&a, sizes[q][0], sizes[q][1], T);
            ising_exact_brute(&b, sizes[q][0], sizes[q][1], T);
            d_brute = fmax(d_brute, fmax(rel(b.lnz, a.lnz), fmax(rel(b.u, a.u), rel(b.c, a.c))));
        }
    int tmL[3] = {6, 8, ctx->scale == EXP_FULL ? 10 : 8};
    for (int q = 0; q < 3; q++)
        for (int ti = 0; ti <= 25; ti += (tmL[q] == 10 ? 12 : 5)) {
            double T = 1.0 + 0.1 * ti;
            ising_thermo a, b;
            ising_exact_kaufman(&a, tmL[q], tmL[q] + 1, T);
            ising_exact_tm(&b, tmL[q], tmL[q] + 1, T);
            d_tm = fmax(d_tm, fmax(rel(b.lnz, a.lnz), fmax(rel(b.u, a.u), rel(b.c, a.c))));
        }
    for (int ti = 0; ti <= 25; ti++) { /* far from T_c a 256 torus is the infinite lattice to 1e-10 */
        double T = 1.0 + 0.1 * ti, ui, ci, mi;
        if (fabs(T - ISING_TC) < 0.45) continue;
        ising_thermo a;
        ising_exact_kaufman(&a, 256, 256, T);
        ising_onsager(&ui, &ci, &mi, T);
        d_ons = fmax(d_ons, fmax(rel(ui, a.u), rel(ci, a.c)));
    }
    /* 3. Beale */
    int bealeL[4] = {4, 8, 16, 24}, nb = ctx->scale == EXP_FULL ? 4 : 3, bad = 0, maxL = 0;
    double d_beale = 0, secs16 = 0;
    for (int q = 0; q < nb; q++) {
        double r = 0, secs = 0;
        int b = beale_checks(bealeL[q], &r, &secs);
        bad += b;
        d_beale = fmax(d_beale, r);
        if (!b) maxL = bealeL[q];
        if (bealeL[q] == 16) secs16 = secs;
    }
    /* the L = 16 density of states itself */
    ising_beale B;
    if (ising_beale_init(&B, 16, 16) != 0) return 1;
    if (results_tsv_open(&dos, "ising_beale_L16", "k\tg_k") != 0) { ising_beale_clear(&B); return 1; }
    for (int k = 0; k <= B.N; k++) fprintf(dos.f, "%d\t%s\n", k, B.g[k]);
    ising_beale_clear(&B);
    if (results_file_commit(&dos) != 0) return 1;
    if (results_macros_open(&mac, "ising-exact") != 0) return 1;
    results_macro_sci(&mac, "IsingExactBrute", 1, fmax(d_brute, 1e-17));
    results_macro_sci(&mac, "IsingExactTm", 1, fmax(d_tm, 1e-17));
    results_macro_sci(&mac, "IsingExactOns", 1, fmax(d_ons, 1e-17));
    results_macro_sci(&mac, "IsingExactBeale", 1, fmax(d_beale, 1e-17));
    results_macro_int(&mac, "IsingBealeBad", bad);
    results_macro_int(&mac, "IsingBealeMaxL", maxL);
    results_macro_fix(&mac, "IsingBealeSecs", 2, secs16);
    results_macro_int(&mac, "IsingTmMaxL", tmL[2]);
    ising_thermo r4, r8;
    ising_exact_kaufman(&r4, 4, 4, 2.5);
    ising_exact_kaufman(&r8, 8, 8, 2.269185314);
    results_macro_fix(&mac, "IsingRefLnZ", 10, r4.lnz);
    results_macro_fix(&mac, "IsingRefU", 11, r4.u);
    results_macro_fix(&mac, "IsingRefC", 11, r4.c);
    results_macro_fix(&mac, "IsingRefUc", 6, r8.u);
    results_macro_fix(&mac, "IsingRefCc", 6, r8.c);
    double ok4 = fabs(r4.lnz - 14.5610930238) <= 1e-10 && fabs(r4.u + 1.37911648226) <= 1e-11 &&
                 fabs(r4.c - 0.81251522944) <= 1e-11 && fabs(r8.u + 1.491589) <= 1e-6 &&
                 fabs(r8.c - 1.145559) <= 1e-6;
    results_macro_str(&mac, "IsingRefAgree", ok4 ? "agree with" : "DISAGREE with");
    int fails = bad + (d_brute > 1e-10) + (d_tm > 1e-10) + (d_ons > 1e-10) + (d_beale > 1e-10) + !ok4;
    results_macro_int(&mac, "IsingExactFails", fails);
    if (results_file_commit(&mac) != 0) return 1;
    if (fails) fprintf(stderr, "ising-exact: %d exact cross-check(s) failed\n", fails);
    return fails ? 1 : 0;
}
/* end: exactexp */

EXP_LEGACY(exp_ising_exact, 0);
