/* Chapter 7 (exact part): the Fefferman-Umans distribution and the
 * comparison classes (RO-1, RO-2); the `fu stats` query command. */
#include "claims.h"
#include "experiments.h"
#include "fu.h"
#include "results.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Rank-ordered probabilities, thinned to ~600 points on a log scale of rank. */
static void write_ranked(FILE *f, const char *cls, double *p, size_t N)
{
    double *q = malloc(N * sizeof *q);
    memcpy(q, p, N * sizeof *q);
    qsort(q, N, sizeof *q, cmp_desc);
    double next = 1.0;
    for (size_t r = 1; r <= N; r++)
        if ((double)r >= next || r == N) {
            fprintf(f, "%s\t%zu\t%.6e\t%.6e\n", cls, r, (double)r / (double)N, q[r - 1] * (double)N);
            next = fmax(next * 1.02, (double)r + 1);
        }
    free(q);
}

int exp_fu_states(const exp_ctx *ctx)
{
    static const int cases[3][2] = {{3, 4}, {2, 4}, {4, 2}};
    results_file tsv, rk, mac;
    if (results_tsv_open(&tsv, "fu_stats", "class\tn\tL\tqubits\tsum_p\tnonzero\tmax_p\tentropy_bits\texact_mismatch\tmax_abs_diff") != 0)
        return 1;
    if (results_tsv_open(&rk, "fu_ranked", "class\trank\trank_frac\tNp") != 0) return 1;
    int exact_bad = 0;
    double worst_norm = 0.0, worst_diff = 0.0;
    fu_stats main_stats = {0};
    double *p18 = NULL;
    for (int c = 0; c < 3; c++) {
        int n = cases[c][0], L = cases[c][1];
        size_t N = fu_outcomes(n, L);
        double *p = malloc(N * sizeof *p), fact = 1.0;
        for (int k = 2; k <= n; k++) fact *= k;
        fu_distribution(p, n, L);
        /* the exact route: integer |perm|^2 from counting exponent sums */
        long mismatch = 0;
        long long exact_sum = 0; /* sum |perm|^2 = L^{n^2} n! exactly (unitarity) */
        double maxdiff = 0.0;
        #pragma omp parallel for reduction(+ : mismatch, exact_sum) reduction(max : maxdiff)
        for (size_t x = 0; x < N; x++) {
            int y[16];
            fu_digits(y, x, n, L);
            int64_t e2 = fu_perm2_exact(y, n, L);
            exact_sum += e2;
            double q = (double)e2 / ((double)N * fact);
            double d = fabs(q - p[x]);
            maxdiff = d > maxdiff ? d : maxdiff;
            /* Ryser in double: each of 2^n subset terms is exact to a few ulp of n^n */
            mismatch += d > 64.0 * DBL_EPSILON * pow(n, n) / ((double)N * fact);
            /* Ryser in double leaves residues ~1e-18 where perm = 0: the zeros
             * (support, nonzero count) come from the exact integer */
            if (e2 == 0) p[x] = 0.0;
        }
        fu_stats s;
        fu_stats_of(&s, p, N);
        worst_norm = fmax(worst_norm, fabs(s.sum - 1.0));
        worst_diff = fmax(worst_diff, maxdiff);
        exact_bad += mismatch != 0 || exact_sum != (long long)N * (long long)fact;
        fprintf(tsv.f, "fu\t%d\t%d\t%d\t%.15f\t%zu\t%.6e\t%.6f\t%ld\t%.3e\n", n, L, fu_bits(n, L), s.sum, s.nonzero,
                s.max, s.entropy_bits, mismatch, maxdiff);
        if (c == 0) { main_stats = s; p18 = p; } else free(p);
    }
    /* comparison classes at 18 qubits */
    int bits = 18;
    size_t N = (size_t)1 << bits;
    double *ph = malloc(N * sizeof *ph), *pp = malloc(N * sizeof *pp), u[64];
    fu_haar(ph, bits, ctx->seed, 700);
    fu_product(pp, u, bits, ctx->seed, 701);
    fu_stats sh, sp;
    fu_stats_of(&sh, ph, N);
    fu_stats_of(&sp, pp, N);
    fprintf(tsv.f, "haar\t-\t-\t%d\t%.15f\t%zu\t%.6e\t%.6f\t0\t0\n", bits, sh.sum, sh.nonzero, sh.max, sh.entropy_bits);
    fprintf(tsv.f, "product\t-\t-\t%d\t%.15f\t%zu\t%.6e\t%.6f\t0\t0\n", bits, sp.sum, sp.nonzero, sp.max, sp.entropy_bits);
    /* product entropy exactly: sum of binary entropies */
    double hp = 0.0;
    for (int k = 0; k < bits; k++) hp -= u[k] * log2(u[k]) + (1 - u[k]) * log2(1 - u[k]);
    /* Porter-Thomas: for N p ~ Exp(1), E[-sum p log2 p] = log2 N - (1 - gamma)/ln 2 (large N) */
    double hpt = bits - (1.0 - 0.5772156649015329) / log(2.0);
    write_ranked(rk.f, "fu", p18, N);
    write_ranked(rk.f, "haar", ph, N);
    write_ranked(rk.f, "product", pp, N);
    if (results_file_commit(&tsv) != 0 || results_file_commit(&rk) != 0) return 1;

    if (results_macros_open(&mac, "fu-states") != 0) return 1;
    results_macro_int(&mac, "FUNonzero", (long long)main_stats.nonzero);
    results_macro_int(&mac, "FUZeros", (long long)(N - main_stats.nonzero));
    results_macro_sci(&mac, "FUMax", 3, main_stats.max);
    results_macro_num(&mac, "FUMaxTimesN", 3, main_stats.max * (double)N);
    results_macro_fix(&mac, "FUEntropy", 3, main_stats.entropy_bits);
    results_macro_sci(&mac, "FUNormErr", 1, worst_norm);
    results_macro_sci(&mac, "FUExactDiff", 1, worst_diff);
    results_macro_int(&mac, "FUExactBad", exact_bad);
    results_macro_fix(&mac, "FUHaarEntropy", 3, sh.entropy_bits);
    results_macro_fix(&mac, "FUPorterThomas", 3, hpt);
    results_macro_fix(&mac, "FUProductEntropy", 3, sp.entropy_bits);
    results_macro_fix(&mac, "FUProductEntropyExact", 3, hp);
    results_macro_sci(&mac, "FUHaarMax", 2, sh.max);
    if (results_file_commit(&mac) != 0) return 1;
    free(p18); free(ph); free(pp);

    /* RO-1: the distribution two ways (Ryser in double, exact exponent counting),
     * normalized to float error: N eps bounds the rounding of the sum. */
    int ok1 = exact_bad == 0 && worst_norm <= (double)N * DBL_EPSILON;
    char m1[256], m2[256];
    snprintf(m1, sizeof m1, "18 qubits: %zu of %zu outcomes nonzero, entropy %.3f bits, max p = %.3g; |sum - 1| = %.1e",
             main_stats.nonzero, N, main_stats.entropy_bits, main_stats.max, worst_norm);
    int r1 = claims_emit_legacy("RO-1", ok1 ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, m1, "construction (no numbers printed)",
                         "Ryser vs exact integer permanents agree on every outcome; sum |perm|^2 = L^(n^2) n! exactly");
    /* RO-2: the classes normalized; the Haar entropy within 0.01 bit of Porter-Thomas
     * (its standard deviation is ~ 1/sqrt(N) bits ~ 0.002 at N = 2^18); product
     * entropy equal to the sum of single-qubit entropies to float error. */
    int ok2 = fabs(sh.sum - 1) <= N * DBL_EPSILON && fabs(sp.sum - 1) <= N * DBL_EPSILON &&
              fabs(sh.entropy_bits - hpt) < 0.01 && fabs(sp.entropy_bits - hp) < 1e-9;
    snprintf(m2, sizeof m2, "entropy: Haar %.3f bits (Porter-Thomas %.3f), product %.3f (exact %.3f)", sh.entropy_bits, hpt,
             sp.entropy_bits, hp);
    int r2 = claims_emit_legacy("RO-2", ok2 ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, m2, "construction",
                         "Haar: normalized complex Gaussian amplitudes; product: Haar-random qubits");
    return (r1 | r2) != 0;
}

EXP_LEGACY(exp_fu_states, 0);
