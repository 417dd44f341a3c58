/* Chapter 4, experiment `flatten-linear`: linear networks (LT Sec. III, LT-15).
 * Butterflies (Walsh-Hadamard and FFT factors: 2 n log2 n weights vs n^2),
 * low-rank products (2nk vs n^2), and the fill of sparse products against
 * LT Eq. 27.
 *
 * The grid, in cell order: one butterfly cell per n = 2..1024, one low-rank
 * cell per k = 1..16, one sparse cell per (n, p) point holding all its
 * trials.  RNG keys as before: low rank (seed, 300 + k, 0), sparse trial t of
 * point j (seed, 400 + j, t).  Reduce writes the three tables, the macros and
 * the verdict. */
#include "ch4_util.h"
#include "claims.h"
#include "experiments.h"
#include "stats.h"
#include "flatbound.h"
#include "rng.h"

#include <flint/fmpz_mat.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { PART_BFLY, PART_LOWRANK, PART_SPARSE, NPART };
#define NBFLY 10   /* n = 2, 4, ..., 1024 */
#define NLOWRANK 5 /* k = 1, 2, 4, 8, 16 */
#define LOWRANK_N 64
static const int sparse_n[4] = {32, 64, 128, 256};
static const double sparse_p[4] = {0.01, 0.03, 0.1, 0.2};
static const int first[NPART + 1] = {0, NBFLY, NBFLY + NLOWRANK, NBFLY + NLOWRANK + 16};

static int trials_of(const exp_ctx *ctx) { return ctx->scale == EXP_QUICK ? 24 : 96; }
static int lin_ncells(const exp_ctx *ctx) { return (void)ctx, first[NPART]; }

/* The butterfly factors of size n = 2^(i+1): WHT exactly, the FFT in double (n <= 256). */
static void bfly_run(cellio_out *out, int i)
{
    int n = 2 << i, lg = i + 1;
    long w = flatten_wht_synapses(n);
    double err = 0;
    long f = n <= 256 ? flatten_fft_synapses(n, &err) : 2L * n * lg;
    int64_t v[2] = {w, f};
    cellio_put_i64s(out, v, 2);
    cellio_put_f64(out, err);
}

/* An n x n matrix of rank k as (n x k)(k x n): 2nk synapses vs n^2. */
static void lowrank_run(cellio_out *out, uint64_t seed, int k)
{
    int n = LOWRANK_N;
    rng_stream r;
    rng_init(&r, seed, 300 + k, 0);
    int *U = malloc((size_t)n * k * sizeof *U), *V = malloc((size_t)k * n * sizeof *V);
    for (int i = 0; i < n * k; i++) U[i] = (int)rng_below(&r, 7) - 3;
    for (int i = 0; i < n * k; i++) V[i] = (int)rng_below(&r, 7) - 3;
    int *M = calloc((size_t)n * n, sizeof *M);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            for (int t = 0; t < k; t++) M[i * n + j] += U[i * k + t] * V[t * n + j];
    /* the product has rank exactly k (FLINT, exact) and is dense, so the flat
     * net needs its n^2 non-zeros while the factored one has at most 2nk */
    fmpz_mat_t Z;
    fmpz_mat_init(Z, n, n);
    long nnz = 0, dense = 0;
    for (int i = 0; i < n * n; i++) {
        fmpz_set_si(Z->entries + i, M[i]);
        dense += M[i] != 0;
    }
    for (int i = 0; i < n * k; i++) nnz += (U[i] != 0) + (V[i] != 0);
    long rank = fmpz_mat_rank(Z);
    fmpz_mat_clear(Z);
    free(U);
    free(V);
    free(M);
    int64_t v[3] = {rank, dense, nnz};
    cellio_put_i64s(out, v, 3);
}

/* Point j = (n, p): the fill of `trials` products A*B of n x n 0/1 matrices of density p. */
static void sparse_run(cellio_out *out, uint64_t seed, int j, int trials)
{
    double *fill = malloc((size_t)trials * sizeof *fill);
    for (int t = 0; t < trials; t++)
        fill[t] = flatten_sparse_fill(sparse_n[j / 4], sparse_p[j % 4], seed, 400 + (uint32_t)j, (uint32_t)t);
    cellio_put_f64s(out, fill, (size_t)trials);
    free(fill);
}

static int lin_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    if (c < first[PART_LOWRANK]) bfly_run(out, c);
    else if (c < first[PART_SPARSE]) lowrank_run(out, ctx->seed, 1 << (c - first[PART_LOWRANK]));
    else sparse_run(out, ctx->seed, c - first[PART_SPARSE], trials_of(ctx));
    return 0;
}

/* --- reduce: LT-15 ---------------------------------------------------------------------- */
typedef struct {
    long wht_k;           /* WHT synapses at n = 1024 */
    double cs_k;          /* its C_s */
    double chi2, q, maxz; /* sparse fills vs Eq. 27 */
    int bfly, lowrank, eq27, trials, cells;
} lin_sum;

static void bfly_rows(FILE *f, cellio_in *in, lin_sum *s)
{
    s->bfly = 1;
    for (int i = 0; i < NBFLY; i++) {
        int n = 2 << i, lg = i + 1;
        int64_t v[2];
        cellio_get_i64s(&in[first[PART_BFLY] + i], v, 2);
        double err = cellio_get_f64(&in[first[PART_BFLY] + i]);
        long w = (long)v[0], fs = (long)v[1];
        s->bfly &= w == 2L * n * lg && fs == 2L * n * lg && err < 64 * lg * DBL_EPSILON * 4;
        fprintf(f, "%d\t%ld\t%ld\t%ld\t%ld\t%.3g\t%.4f\n", n, w, fs, (long)n * n, (long)n * lg, err, (double)n * n / (double)w);
        if (n == 1024) s->wht_k = w, s->cs_k = (double)n * n / (double)w;
    }
}

static void lowrank_rows(FILE *f, cellio_in *in, lin_sum *s)
{
    int n = LOWRANK_N;
    s->lowrank = 1;
    for (int i = 0; i < NLOWRANK; i++) {
        int k = 1 << i;
        int64_t v[3]; /* rank, dense non-zeros, factor non-zeros */
        cellio_get_i64s(&in[first[PART_LOWRANK] + i], v, 3);
        s->lowrank &= v[0] == k && v[2] <= 2L * n * k;
        fprintf(f, "%d\t%d\t%ld\t%ld\t%ld\t%.4f\t%.4f\n", n, k, (long)v[0], (long)v[1], (long)v[2], (double)v[1] / v[2],
                (double)n / (2 * k));
    }
}

/* Mean fill per point against Eq. 27: z-scores and their chi^2 at the 99.9% quantile. */
static void sparse_rows(FILE *f, cellio_in *in, lin_sum *s)
{
    int trials = s->trials;
    double *fill = malloc((size_t)trials * sizeof *fill);
    for (int j = 0; j < 16; j++) {
        int n = sparse_n[j / 4];
        double p = sparse_p[j % 4], m = 0, v = 0;
        cellio_get_f64s(&in[first[PART_SPARSE] + j], fill, (size_t)trials);
        for (int t = 0; t < trials; t++) m += fill[t];
        m /= trials;
        for (int t = 0; t < trials; t++) v += (fill[t] - m) * (fill[t] - m);
        double se = sqrt(v / (trials - 1) / trials), ex = flatten_eq27_fill(n, p);
        double z = se > 0 ? (m - ex) / se : 0;
        s->chi2 += z * z;
        s->cells++;
        if (fabs(z) > s->maxz) s->maxz = fabs(z);
        fprintf(f, "%d\t%g\t%d\t%.6g\t%.3g\t%.6g\t%.3f\t%.6g\t%.3g\t%.6g\t%.6g\n", n, p, trials, m, se, ex, z, m / (2 * p),
                se / (2 * p), ex / (2 * p), 1 / (2 * p));
    }
    free(fill);
    s->q = stats_chi2_quantile(0.999, s->cells); /* 99.9% */
    s->eq27 = s->chi2 <= s->q;
}

static int lin_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    if (n != first[NPART]) return -1;
    static const char *const names[3] = {"flatten_butterfly", "flatten_sparse", "flatten_lowrank"};
    static const char *const cols[3] = {"n\twht_synapses\tfft_synapses\tdense\tnlog2n\tfft_maxerr\tCs",
                                        "n\tp\ttrials\tfill_mean\tfill_se\teq27\tz\tCs_mean\tCs_se\tCs_eq27\tCs_cap",
                                        "n\tk\trank\tdense_nnz\tfactor_nnz\tCs\tn_over_2k"};
    binio_file f[3];
    if (ch4_open_files(f, set, names, cols, 3) != 0) return -1;
    lin_sum s = {0};
    s.trials = trials_of(ctx);
    bfly_rows(f[0].f, in, &s);
    lowrank_rows(f[2].f, in, &s);
    sparse_rows(f[1].f, in, &s);
    if (ch4_close_files(f, set, 3, 1) != 0) return -1;
    const texmac m[] = {
        TEXMAC_I("FlatWHTSynapsesK", s.wht_k),   TEXMAC_F("FlatWHTCsK", 1, s.cs_k),
        TEXMAC_I("FlatLowRankN", LOWRANK_N),     TEXMAC_I("FlatSparseTrials", s.trials),
        TEXMAC_I("FlatSparseCells", s.cells),    TEXMAC_F("FlatSparseChi", 1, s.chi2),
        TEXMAC_F("FlatSparseChiQ", 1, s.q),      TEXMAC_F("FlatSparseMaxZ", 2, s.maxz),
    };
    if (run_macros(set, m, TEXMAC_LEN(m)) != 0) return -1;
    char meas[320];
    snprintf(meas, sizeof meas,
             "WHT/FFT factors: 2 n log2 n non-zero weights, exact product (n<=1024): %s; low rank 2nk vs n^2, C_s = n/(2k): %s; sparse fill vs Eq. 27: chi2 = %.1f on %d cells (99.9%% quantile %.1f)",
             ch4_yesno(s.bfly), ch4_yesno(s.lowrank), s.chi2, s.cells, s.q);
    claims_verdict v = !s.bfly || !s.lowrank ? CLAIMS_NOT_REPRODUCED : s.eq27 ? CLAIMS_ERRATUM : CLAIMS_PARTLY;
    return claims_emit(set, "LT-15", v, meas, "n log2 n vs n^2; C_s = n/(2k); Eq. 27; Strassen/Le Gall cited",
                       "erratum: low-rank factor shapes printed swapped; butterflies have 2 weights per output: 2 n log2 n");
}

const exp_def exp_flatten_linear_def = {lin_ncells, lin_cell, lin_reduce, 0};
