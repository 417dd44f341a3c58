/* Chapter 3 experiments: exact parameter counts (LT-8, LT-9, LT-10) and
 * convolution by FFT (LT-11); the `count poly` query command. */
#include "claims.h"
#include "conv.h"
#include "count.h"
#include "experiments.h"
#include "progress.h"
#include "results.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ counts -- */

/* Closed form vs enumeration over every small lattice where both apply. */
static int lattice_crosscheck(int *compared)
{
    mpz_t a, b;
    mpz_inits(a, b, NULL);
    int bad = 0;
    *compared = 0;
    for (int dim = 1; dim <= 3; dim++)
        for (int L = 2; L <= (dim == 1 ? 13 : dim == 2 ? 8 : 4); L++)
            for (int d = 1; d <= 4; d++)
                for (int loc = 0; loc <= 2; loc++)
                    for (int r = 1; r <= (loc == 2 ? 2 : 1); r++)
                        for (int sym = 0; sym <= 1; sym++) {
                            count_lattice q = {dim, L, d, r, (count_locality)loc, sym, 1};
                            if (count_lattice_closed(a, &q) != 0 || count_lattice_enum(b, &q) != 0) continue;
                            bad += mpz_cmp(a, b) != 0;
                            (*compared)++;
                        }
    mpz_clears(a, b, NULL);
    return bad;
}

static unsigned long lattice_count(int dim, int L, int d, int r, count_locality loc, int sym, int cst)
{
    count_lattice q = {dim, L, d, r, loc, sym, cst};
    mpz_t c;
    mpz_init(c);
    unsigned long v = count_lattice_closed(c, &q) == 0 && mpz_fits_ulong_p(c) ? mpz_get_ui(c) : 0;
    mpz_clear(c);
    return v;
}

int exp_count_params(const exp_ctx *ctx)
{
    (void)ctx; /* exact: no randomness, same at every scale */
    results_file tsv, mac;
    int compared, mismatches = lattice_crosscheck(&compared);
    mpz_t c, e;
    mpz_inits(c, e, NULL);
    int poly_bad = 0;
    for (unsigned n = 0; n <= 8; n++)
        for (unsigned d = 0; d <= 6; d++) {
            count_poly(c, n, d);
            count_poly_enum(e, n, d);
            poly_bad += mpz_cmp(c, e) != 0;
        }
    /* lattices of about 1000 sites in 1, 2, 3 dimensions */
    if (results_tsv_open(&tsv, "count_lattice", "dim\tL\tsites\td\tgeneric\tnn\tnn_sym\tbox2\tbox2_sym") != 0) return 1;
    static const int Ls[4] = {0, 1000, 32, 10};
    char rows[4096] = "";
    for (int dim = 1; dim <= 3; dim++)
        for (int d = 2; d <= 4; d++) {
            unsigned long n = 1;
            for (int i = 0; i < dim; i++) n *= (unsigned long)Ls[dim];
            count_poly(c, n, (unsigned long)d);
            char *gen = mpz_get_str(NULL, 10, c);
            unsigned long nn = lattice_count(dim, Ls[dim], d, 1, COUNT_NN, 0, 1);
            unsigned long nns = lattice_count(dim, Ls[dim], d, 1, COUNT_NN, 1, 1);
            unsigned long bx = lattice_count(dim, Ls[dim], d, 2, COUNT_BOX, 0, 1);
            unsigned long bxs = lattice_count(dim, Ls[dim], d, 2, COUNT_BOX, 1, 1);
            fprintf(tsv.f, "%d\t%d\t%lu\t%d\t%s\t%lu\t%lu\t%lu\t%lu\n", dim, Ls[dim], n, d, gen, nn, nns, bx, bxs);
            char row[512];
            snprintf(row, sizeof row, "%d & %lu & %d & %s & %lu & %lu & %lu & %lu\\\\ ", dim, n, d, gen, nn, nns, bx, bxs);
            strncat(rows, row, sizeof rows - strlen(rows) - 1);
            free(gen);
        }
    if (results_file_commit(&tsv) != 0) return 1;

    /* the swindle: 256^(10^6) megapixel images; Boolean functions of n bits */
    unsigned long img_digits = count_pow_digits(256, 1000000);
    unsigned long nbool = count_pow2_exceeds_pow10(78);
    /* microphone: n samples, d = 2, 1-D nearest neighbours, with and without symmetry */
    const int nmic = 1000;
    unsigned long gen2 = (unsigned long)(nmic + 1) * (nmic + 2) / 2;
    unsigned long loc_all = lattice_count(1, nmic, 2, 1, COUNT_NN, 0, 1);
    unsigned long sym_all = lattice_count(1, nmic, 2, 1, COUNT_NN, 1, 1);
    unsigned long loc_nocst = lattice_count(1, nmic, 2, 1, COUNT_NN, 0, 0);
    unsigned long sym_nocst = lattice_count(1, nmic, 2, 1, COUNT_NN, 1, 0);
    /* quadratic terms only: total minus the (constant +) linear terms */
    unsigned long loc_quad = loc_nocst - (unsigned long)nmic, sym_quad = sym_nocst - 1;
    count_poly(c, nmic, 2);
    int generic_ok = mpz_cmp_ui(c, gen2) == 0;
    /* The paper's chain (n+1)(n+2)/2 -> 2n -> 3: is there one convention under
     * which all three hold?  all monomials / no constant / quadratic only. */
    unsigned long g_all = gen2, g_nocst = gen2 - 1, g_quad = gen2 - 1 - (unsigned long)nmic;
    int conv_all = g_all == gen2 && loc_all == 2UL * nmic && sym_all == 3;
    int conv_nocst = g_nocst == gen2 && loc_nocst == 2UL * nmic && sym_nocst == 3;
    int conv_quad = g_quad == gen2 && loc_quad == 2UL * nmic && sym_quad == 3;
    int each_somewhere = (g_all == gen2) && (loc_quad == 2UL * nmic) && (sym_nocst == 3);

    if (results_macros_open(&mac, "count-params") != 0) return 1;
    results_macro_int(&mac, "CPCompared", compared);
    results_macro_int(&mac, "CPMismatches", mismatches);
    results_macro_int(&mac, "CPPolyMismatches", poly_bad);
    results_macro_str(&mac, "CPLatticeRows", rows);
    results_macro_int(&mac, "CPImageDigits", (long long)img_digits);
    results_macro_int(&mac, "CPBoolN", (long long)nbool);
    results_macro_int(&mac, "CPMicN", nmic);
    results_macro_int(&mac, "CPMicGeneric", (long long)gen2);
    results_macro_int(&mac, "CPMicLocal", (long long)loc_all);
    results_macro_int(&mac, "CPMicLocalNoConst", (long long)loc_nocst);
    results_macro_int(&mac, "CPMicLocalQuad", (long long)loc_quad);
    results_macro_int(&mac, "CPMicSym", (long long)sym_all);
    results_macro_int(&mac, "CPMicSymNoConst", (long long)sym_nocst);
    results_macro_int(&mac, "CPMicSymQuad", (long long)sym_quad);
    if (results_file_commit(&mac) != 0) return 1;
    mpz_clears(c, e, NULL);

    char m8[256], m9[256];
    int ok8 = mismatches == 0 && poly_bad == 0 && nbool == 260 && img_digits > 78;
    snprintf(m8, sizeof m8, "C(n+d,d) = enumeration (%d lattices, 63 polys); 2^n > 10^78 first at n = %lu; 256^(10^6) has %lu digits",
             compared, nbool, img_digits);
    int r8 = claims_emit_legacy("LT-8", ok8 ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, m8,
                         "n > 260; 256^(10^6) >> 10^78", "exact threshold: 2^259 < 10^78 < 2^260");
    claims_verdict v9 = !generic_ok || !each_somewhere ? CLAIMS_NOT_REPRODUCED
                        : conv_all || conv_nocst || conv_quad ? CLAIMS_REPRODUCED : CLAIMS_ERRATUM;
    snprintf(m9, sizeof m9, "n = %d, d = 2: %lu -> %lu -> %lu monomials (%lu -> %lu quadratic + linear without constant)",
             nmic, gen2, loc_all, sym_all, loc_nocst, sym_nocst);
    int r9 = claims_emit_legacy("LT-9", v9, m9, "(n+1)(n+2)/2 -> 2n -> 3",
                         "2n counts quadratic terms only, 3 counts the linear term too: no single convention gives all three");
    int r10 = claims_emit_legacy("LT-10", CLAIMS_CITED, "not computable here", "32 parameters",
                          "a fact of particle physics, outside what these models can compute");
    return (r8 | r9 | r10) != 0;
}

/* -------------------------------------------------------------- LT-11 -- */

/* Least-squares slope of log y vs log x. */
static double loglog_slope(const double *x, const double *y, int n)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        double a = log(x[i]), b = log(y[i]);
        sx += a; sy += b; sxx += a * a; sxy += a * b;
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

int exp_conv_fft(const exp_ctx *ctx)
{
    int kmax = ctx->scale == EXP_FULL ? 20 : 16, kfull = 14;
    const size_t sampled = 512; /* outputs timed by the direct route beyond 2^kfull */
    results_file tsv, mac;
    if (results_tsv_open(&tsv, "conv_fft",
                         "n\tmults_direct\tmults_fft\tmult_ratio\tt_direct\tt_fft\ttime_ratio\tmax_err\tmax_tol\tdirect_outputs") != 0)
        return 1;
    double ns[32], td[32], tf[32];
    int nrows = 0, agree = 1, crossover = 0;
    double worst_ratio_err = 0.0;
    for (int k = 6; k <= kmax; k++) {
        size_t n = (size_t)1 << k, m = k <= kfull ? n : sampled;
        double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
        double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
        rng_stream r;
        rng_init(&r, ctx->seed, (uint32_t)k, 0);
        for (size_t i = 0; i < n; i++) { a[i] = rng_normal(&r); b[i] = rng_normal(&r); }
        conv_plan p;
        if (conv_plan_init(&p, n) != 0) {
            free(a); free(b); free(x); free(y);
            results_file_abort(&tsv);
            return 1;
        }
        /* FFT: repeat until >= 0.1 s, best of 3 rounds (single thread, as is the direct route) */
        double best_fft = 1e300;
        for (int round = 0; round < 3; round++) {
            int reps = 0;
            double t0 = progress_seconds(), t;
            do { conv_fft(&p, y, a, b); reps++; } while ((t = progress_seconds() - t0) < 0.1);
            best_fft = fmin(best_fft, t / reps);
        }
        /* direct: all outputs up to 2^kfull, else `sampled` evenly spaced outputs scaled by n/m
         * (every output costs exactly n multiply-adds) */
        double t0 = progress_seconds();
        size_t stride = n / m;
        for (size_t i = 0; i < n; i += stride) conv_direct(x, a, b, n, i, i + 1);
        double t_direct = (progress_seconds() - t0) * (double)n / (double)m;
        double maxerr = 0.0, maxtol = 0.0;
        double na = 0, nb = 0;
        for (size_t i = 0; i < n; i++) { na += a[i] * a[i]; nb += b[i] * b[i]; }
        for (size_t i = 0; i < n; i += stride) {
            double tol = 5.0 * 2.220446049250313e-16 * (k + 1) * sqrt(na * nb) + conv_direct_errbound(a, b, n, i);
            double err = fabs(x[i] - y[i]);
            maxerr = fmax(maxerr, err);
            maxtol = fmax(maxtol, tol);
            agree &= err <= tol;
            worst_ratio_err = fmax(worst_ratio_err, err / tol);
        }
        if (!crossover && t_direct > best_fft) crossover = k;
        fprintf(tsv.f, "%zu\t%.0f\t%.0f\t%.3f\t%.6e\t%.6e\t%.3f\t%.3e\t%.3e\t%zu\n", n, conv_mults_direct(n),
                conv_mults_fft(n), conv_mults_direct(n) / conv_mults_fft(n), t_direct, best_fft, t_direct / best_fft,
                maxerr, maxtol, m);
        ns[nrows] = (double)n; td[nrows] = t_direct; tf[nrows] = best_fft; nrows++;
        conv_plan_clear(&p);
        free(a); free(b); free(x); free(y);
    }
    if (results_file_commit(&tsv) != 0) return 1;
    /* exponents over n >= 2^10, where start-up costs no longer dominate */
    int off = 10 - 6;
    double sd = loglog_slope(ns + off, td + off, nrows - off), sf = loglog_slope(ns + off, tf + off, nrows - off);
    double ratio_max = td[nrows - 1] / tf[nrows - 1];
    if (results_macros_open(&mac, "conv-fft") != 0) return 1;
    results_macro_fix(&mac, "CFSlopeDirect", 2, sd);
    results_macro_fix(&mac, "CFSlopeFFT", 2, sf);
    results_macro_num(&mac, "CFRatioMax", 3, ratio_max);
    results_macro_int(&mac, "CFKmax", kmax);
    results_macro_int(&mac, "CFKfull", kfull);
    results_macro_int(&mac, "CFSampled", (long long)sampled);
    results_macro_int(&mac, "CFCrossover", crossover ? 1LL << crossover : 0);
    results_macro_num(&mac, "CFMultRatioMax", 3, conv_mults_direct(ns[nrows - 1]) / conv_mults_fft(ns[nrows - 1]));
    results_macro_fix(&mac, "CFWorstErrRatio", 3, worst_ratio_err);
    if (results_file_commit(&mac) != 0) return 1;
    /* The claim is about multiplications: n^2 direct vs O(n log2 n) by FFT,
     * counted exactly for radix 2.  The run must also give the same results
     * within the rounding bound of each route and the FFT must win at the
     * largest n.  Time exponents are reported, not judged: on a shared
     * machine they move with the load, and the FFT's also measures the
     * memory hierarchy. */
    int counts_ok = 1;
    for (int k = 6; k <= kmax; k++) {
        double n = ldexp(1.0, k);
        counts_ok &= conv_mults_direct((size_t)n) == n * n && conv_mults_fft((size_t)n) <= 6.0 * n * k + 4.0 * n;
    }
    int ok = counts_ok && agree && ratio_max > 1.0;
    char m[256];
    snprintf(m, sizeof m, "time exponents: direct %.2f, FFT %.2f; FFT %.3g x faster at n = 2^%d; results agree", sd, sf,
             ratio_max, kmax);
    return claims_emit_legacy("LT-11", ok ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, m, "n log2 n vs n^2",
                       "single-threaded FFTW (estimate plans) vs a vectorized direct sum") != 0;
}

EXP_LEGACY(exp_count_params, 0);

EXP_LEGACY(exp_conv_fft, 0);
