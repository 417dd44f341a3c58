/* Chapter 7, experiment `fu-states` (exact part): the Fefferman-Umans
 * distribution and the comparison classes.
 * RO-1 (the distribution two ways: Ryser in double and exact integer
 * permanents), RO-2 (Haar-random and product states of 18 qubits).
 *
 * The grid, in cell order: the three Fefferman-Umans cases (n, L) = (3, 4),
 * (2, 4), (4, 2), then the Haar state and the product state (RNG cells 700
 * and 701, as before).  Each cell hands over its statistics; the 18-qubit
 * ones also their rank-ordered probabilities, thinned.  Reduce writes the two
 * tables, then the macros and verdict of each claim. */
#include "claims.h"
#include "experiments.h"
#include "fu.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NFU = 3, CELL_HAAR = NFU, CELL_PRODUCT, NCELL, BITS = 18 };
static const int fu_cases[NFU][2] = {{3, 4}, {2, 4}, {4, 2}};
static const char *const cls_name[NCELL] = {"fu", "fu", "fu", "haar", "product"};

static int fu_ncells(const exp_ctx *ctx)
{
    (void)ctx;
    return NCELL;
}

/* One cell's result. */
typedef struct {
    fu_stats s;
    int bits;
    int64_t mismatch, exact_bad; /* FU cases: Ryser vs exact, failures of the exact sum */
    double maxdiff, hp;          /* product: exact entropy, the sum of single-qubit ones */
} fu_cell;

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Rank-ordered probabilities, thinned to ~600 points on a log scale of rank:
 * the ranks (1-based) and probabilities. */
static void put_ranked(cellio_out *out, const double *p, size_t N)
{
    double *q = malloc(N * sizeof *q), *v = malloc(N * sizeof *v);
    int64_t *rank = malloc(N * sizeof *rank);
    if (!q || !v || !rank) {
        out->failed = 1;
        free(q), free(v), free(rank);
        return;
    }
    memcpy(q, p, N * sizeof *q);
    qsort(q, N, sizeof *q, cmp_desc);
    double next = 1.0;
    size_t k = 0;
    for (size_t r = 1; r <= N; r++)
        if ((double)r >= next || r == N) {
            rank[k] = (int64_t)r, v[k++] = q[r - 1];
            next = fmax(next * 1.02, (double)r + 1);
        }
    cellio_put_i64s(out, rank, k);
    cellio_put_f64s(out, v, k);
    free(q), free(v), free(rank);
}

/* Case (n, L): the distribution by Ryser, checked outcome by outcome against
 * the exact integer |perm|^2 from counting exponent sums. */
static int fu_case(fu_cell *o, double *p, int n, int L)
{
    size_t N = fu_outcomes(n, L);
    double fact = 1.0;
    for (int k = 2; k <= n; k++) fact *= k;
    if (fu_distribution(p, n, L) != 0) return -1;
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
    fu_stats_of(&o->s, p, N);
    o->bits = fu_bits(n, L);
    o->mismatch = mismatch, o->maxdiff = maxdiff;
    o->exact_bad = mismatch != 0 || exact_sum != (long long)N * (long long)fact;
    return 0;
}

static int fu_cell_run(const exp_ctx *ctx, int c, cellio_out *out)
{
    size_t N = c < NFU ? fu_outcomes(fu_cases[c][0], fu_cases[c][1]) : (size_t)1 << BITS;
    double *p = malloc(N * sizeof *p), u[64];
    fu_cell o;
    memset(&o, 0, sizeof o);
    if (!p) return -1;
    if (c < NFU) {
        if (fu_case(&o, p, fu_cases[c][0], fu_cases[c][1]) != 0) {
            free(p);
            return -1;
        }
    } else {
        o.bits = BITS;
        if (c == CELL_HAAR) fu_haar(p, BITS, ctx->seed, 700);
        else fu_product(p, u, BITS, ctx->seed, 701);
        fu_stats_of(&o.s, p, N);
        /* product entropy exactly: sum of binary entropies */
        for (int k = 0; c == CELL_PRODUCT && k < BITS; k++) o.hp -= u[k] * log2(u[k]) + (1 - u[k]) * log2(1 - u[k]);
    }
    double x[5] = {o.s.sum, o.s.max, o.s.entropy_bits, o.maxdiff, o.hp};
    int64_t v[4] = {(int64_t)o.s.nonzero, o.bits, o.mismatch, o.exact_bad};
    cellio_put_f64s(out, x, 5);
    cellio_put_i64s(out, v, 4);
    if (o.bits == BITS) put_ranked(out, p, N);
    free(p);
    return 0;
}

static void fu_cell_get(cellio_in *in, fu_cell *o)
{
    double x[5];
    int64_t v[4];
    cellio_get_f64s(in, x, 5);
    cellio_get_i64s(in, v, 4);
    memset(o, 0, sizeof *o);
    o->s.sum = x[0], o->s.max = x[1], o->s.entropy_bits = x[2], o->maxdiff = x[3], o->hp = x[4];
    o->s.nonzero = (size_t)v[0], o->bits = (int)v[1], o->mismatch = v[2], o->exact_bad = v[3];
}

/* --- reduce ---------------------------------------------------------------------------- */

/* Writes one class's ranked probabilities (rank fraction, N p). */
static int write_ranked(FILE *f, cellio_in *in, const char *cls)
{
    int64_t k = cellio_peek_count(in);
    size_t N = (size_t)1 << BITS;
    int64_t *rank = k > 0 ? malloc((size_t)k * sizeof *rank) : NULL;
    double *v = k > 0 ? malloc((size_t)k * sizeof *v) : NULL;
    if (!rank || !v) {
        in->failed = 1;
        free(rank), free(v);
        return -1;
    }
    cellio_get_i64s(in, rank, (size_t)k);
    cellio_get_f64s(in, v, (size_t)k);
    for (int64_t i = 0; i < k; i++)
        fprintf(f, "%s\t%zu\t%.6e\t%.6e\n", cls, (size_t)rank[i], (double)rank[i] / (double)N, v[i] * (double)N);
    free(rank), free(v);
    return 0;
}

/* fu_stats and fu_ranked: a row per cell, the 18-qubit classes ranked. */
static int write_tables(cellio_in *in, fu_cell *o, run_set *set)
{
    binio_file tsv, rk;
    if (run_tsv_open(&tsv, set, "fu_stats",
                     "class\tn\tL\tqubits\tsum_p\tnonzero\tmax_p\tentropy_bits\texact_mismatch\tmax_abs_diff") != 0)
        return -1;
    if (run_tsv_open(&rk, set, "fu_ranked", "class\trank\trank_frac\tNp") != 0) {
        run_abort_file(set, &tsv);
        return -1;
    }
    int rc = 0;
    for (int c = 0; c < NCELL; c++) {
        fu_cell_get(&in[c], &o[c]);
        const fu_stats *s = &o[c].s;
        if (c < NFU)
            fprintf(tsv.f, "fu\t%d\t%d\t%d\t%.15f\t%zu\t%.6e\t%.6f\t%ld\t%.3e\n", fu_cases[c][0], fu_cases[c][1], o[c].bits,
                    s->sum, s->nonzero, s->max, s->entropy_bits, (long)o[c].mismatch, o[c].maxdiff);
        else
            fprintf(tsv.f, "%s\t-\t-\t%d\t%.15f\t%zu\t%.6e\t%.6f\t0\t0\n", cls_name[c], o[c].bits, s->sum, s->nonzero, s->max,
                    s->entropy_bits);
        if (o[c].bits == BITS) rc |= write_ranked(rk.f, &in[c], cls_name[c]);
    }
    if (rc != 0) {
        run_abort_file(set, &tsv);
        run_abort_file(set, &rk);
        return -1;
    }
    return run_close(set, &tsv) | run_close(set, &rk);
}

/* RO-1: the distribution two ways (Ryser in double, exact exponent counting),
 * normalized to float error: N eps bounds the rounding of the sum. */
static int reduce_ro1(const fu_cell *o, run_set *set)
{
    size_t N = (size_t)1 << BITS;
    const fu_stats *m = &o[0].s;
    int64_t exact_bad = 0;
    double worst_norm = 0.0, worst_diff = 0.0;
    for (int c = 0; c < NFU; c++) {
        worst_norm = fmax(worst_norm, fabs(o[c].s.sum - 1.0));
        worst_diff = fmax(worst_diff, o[c].maxdiff);
        exact_bad += o[c].exact_bad;
    }
    const texmac t[] = {
        TEXMAC_I("QuantFuNonzero", m->nonzero),      TEXMAC_I("QuantFuZeros", N - m->nonzero),
        TEXMAC_E("QuantFuMax", 3, m->max),           TEXMAC_N("QuantFuMaxTimesN", 3, m->max * (double)N),
        TEXMAC_F("QuantFuEntropy", 3, m->entropy_bits), TEXMAC_E("QuantFuNormErr", 1, worst_norm),
        TEXMAC_E("QuantFuExactDiff", 1, worst_diff), TEXMAC_I("QuantFuExactBad", exact_bad),
    };
    if (run_macros(set, t, TEXMAC_LEN(t)) != 0) return -1;
    int ok = exact_bad == 0 && worst_norm <= (double)N * DBL_EPSILON;
    char s[256];
    snprintf(s, sizeof s, "18 qubits: %zu of %zu outcomes nonzero, entropy %.3f bits, max p = %.3g; |sum - 1| = %.1e",
             m->nonzero, N, m->entropy_bits, m->max, worst_norm);
    return claims_emit(set, "RO-1", ok ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, s, "construction (no numbers printed)",
                       "Ryser vs exact integer permanents agree on every outcome; sum |perm|^2 = L^(n^2) n! exactly");
}

/* RO-2: the classes normalized; the Haar entropy within 0.01 bit of Porter-Thomas
 * (its standard deviation is ~ 1/sqrt(N) bits ~ 0.002 at N = 2^18); product
 * entropy equal to the sum of single-qubit entropies to float error. */
static int reduce_ro2(const fu_cell *o, run_set *set)
{
    size_t N = (size_t)1 << BITS;
    const fu_stats *sh = &o[CELL_HAAR].s, *sp = &o[CELL_PRODUCT].s;
    double hp = o[CELL_PRODUCT].hp;
    /* Porter-Thomas: for N p ~ Exp(1), E[-sum p log2 p] = log2 N - (1 - gamma)/ln 2 (large N) */
    double hpt = BITS - (1.0 - 0.5772156649015329) / log(2.0);
    const texmac t[] = {
        TEXMAC_F("QuantFuHaarEntropy", 3, sh->entropy_bits), TEXMAC_F("QuantFuPorterThomas", 3, hpt),
        TEXMAC_F("QuantFuProductEntropy", 3, sp->entropy_bits), TEXMAC_F("QuantFuProductEntropyExact", 3, hp),
        TEXMAC_E("QuantFuHaarMax", 2, sh->max),
    };
    if (run_macros(set, t, TEXMAC_LEN(t)) != 0) return -1;
    int ok = fabs(sh->sum - 1) <= N * DBL_EPSILON && fabs(sp->sum - 1) <= N * DBL_EPSILON &&
             fabs(sh->entropy_bits - hpt) < 0.01 && fabs(sp->entropy_bits - hp) < 1e-9;
    char s[256];
    snprintf(s, sizeof s, "entropy: Haar %.3f bits (Porter-Thomas %.3f), product %.3f (exact %.3f)", sh->entropy_bits, hpt,
             sp->entropy_bits, hp);
    return claims_emit(set, "RO-2", ok ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, s, "construction",
                       "Haar: normalized complex Gaussian amplitudes; product: Haar-random qubits");
}

static int fu_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    (void)ctx;
    fu_cell o[NCELL];
    if (n != NCELL || write_tables(in, o, set) != 0) return -1;
    return reduce_ro1(o, set) || reduce_ro2(o, set) ? -1 : 0;
}

const exp_def exp_fu_states_def = {fu_ncells, fu_cell_run, fu_reduce, 0};
