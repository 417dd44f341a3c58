/* fu: hard and easy quantum distributions over bit strings (RO Sec. 2).
 *
 * Fefferman-Umans: for y in Z_L^{n x n},
 *   P(y) = |perm(omega^{y_ij})|^2 / (L^{n^2} n!),  omega = e^{2 pi i / L},
 * the output distribution of the quantum Fourier transform over Z_L^{n^2}
 * applied to the uniform superposition of the n! permutation matrices.
 * Encoding: y_k (row-major) written as log2 L big-endian bits, y_11 first, so
 * the outcome index is x = sum_k y_k L^{n^2 - 1 - k}. */
#ifndef DEEPCHEAP_FU_H
#define DEEPCHEAP_FU_H

#include "rng.h"

#include <complex.h>
#include <stddef.h>
#include <stdint.h>

#define FU_MAXN 4
#define FU_MAXOUTCOMES ((size_t)1 << 24)

/* 0 when (n, L) is supported: 1 <= n <= 4, L a power of two in [2, 16],
 * L^{n^2} <= 2^24 outcomes; -1 otherwise. */
int fu_supported(int n, int L);
/* Number of outcomes L^{n^2} and bits n^2 log2 L. */
size_t fu_outcomes(int n, int L);
int fu_bits(int n, int L);
/* Digits y_k of outcome x. */
void fu_digits(int *y, size_t x, int n, int L);

/* Permanent by Ryser's formula with Gray-code subset order:
 * perm A = (-1)^n sum_{S subset [n]} (-1)^{|S|} prod_i sum_{j in S} a_ij. */
double complex fu_perm_ryser(const double complex *a, int n);
/* perm(omega^y) exactly: coefficients c_k (k < L/2) of perm = sum_k c_k omega^k
 * in the basis 1, omega, ..., omega^{L/2-1} of Z[omega], summed over all n!
 * permutations (omega^{L/2} = -1).  Returns 1 if perm != 0. */
int fu_perm_exact(int64_t *c, const int *y, int n, int L);

/* The whole distribution p[x] (OpenMP over outcomes, Ryser); returns 0. */
int fu_distribution(double *p, int n, int L);
/* Exact |perm|^2 L^{n^2} n! P for L in {2, 4} as an integer (exact route). */
int64_t fu_perm2_exact(const int *y, int n, int L);
/* The distribution from the exact integer |perm|^2 (L <= 4): each p a
 * correctly rounded ratio q / (L^{n^2} n!); *total receives sum q, which
 * equals L^{n^2} n! exactly when the permanents are right.  0, or -1 when
 * unsupported. */
int fu_distribution_exact(double *p, int64_t *total, int n, int L);

/* Comparison classes over 2^bits outcomes (RO-2). */
/* Haar-random state: normalized complex Gaussian amplitudes, p = |a|^2. */
void fu_haar(double *p, int bits, uint64_t seed, uint32_t cell);
/* Random product state: qubit k is |1> with probability u_k ~ U(0,1) (the
 * Haar measure on one qubit); p(x) = prod_k (x_k ? u_k : 1 - u_k). */
void fu_product(double *p, double *u, int bits, uint64_t seed, uint32_t cell);

typedef struct {
    double sum, max, entropy_bits;
    size_t nonzero;
} fu_stats;
/* Statistics of p; nonzero counts p > 0. */
void fu_stats_of(fu_stats *s, const double *p, size_t N);

/* Walker's alias method: O(N) build, O(1) per sample. */
typedef struct {
    size_t n;
    double *prob;
    uint32_t *alias;
} fu_alias;
int fu_alias_init(fu_alias *a, const double *p, size_t n);
size_t fu_alias_draw(const fu_alias *a, rng_stream *r);
void fu_alias_clear(fu_alias *a);

#endif
