/* multilinear: Hamiltonians on bits as multilinear polynomials (LT Eqs. 12-13).
 *
 * A function h on {0,1}^n (index = bit mask) equals the polynomial
 * sum_K a_K prod_{i in K} x_i, with a = Moebius transform of h.  The product of
 * the bits in K (k = |K|) is lim_{beta->inf} sigma(-beta (k - 1/2 - sum_{i in K} x_i)),
 * so a three-layer network (inputs, sigmoid product units, linear sum)
 * computes h. */
#ifndef DEEPCHEAP_MULTILINEAR_H
#define DEEPCHEAP_MULTILINEAR_H

#include <stdint.h>

/* a_K = sum_{S subset K} (-1)^{|K \ S|} h(S)   (fast Moebius transform, exact). */
void multilinear_moebius(int64_t *a, const int64_t *h, int n);
/* h(x) = sum_{K subset x} a_K                  (fast zeta transform, exact). */
void multilinear_zeta(int64_t *h, const int64_t *a, int n);
/* The polynomial at one point by direct summation over the subsets of x. */
int64_t multilinear_eval(const int64_t *a, int n, uint32_t x);
/* Naive O(3^n) Moebius transform by inclusion-exclusion (for tests). */
void multilinear_moebius_naive(int64_t *a, const int64_t *h, int n);

/* Logistic sigma(t) = 1 / (1 + e^{-t}). */
double multilinear_sigmoid(double t);
/* Product unit for a set of size k when s of its bits are on. */
double multilinear_unit(int k, int s, double beta);
/* The three-layer network at input x: a_0 + sum_{K != 0, a_K != 0} a_K unit_K(x). */
double multilinear_net_eval(const int64_t *a, int n, uint32_t x, double beta);
/* Hidden units of that network (non-zero coefficients of non-empty sets). */
int multilinear_net_units(const int64_t *a, int n);
/* max_x |net(x) - h(x)| over all 2^n inputs (OpenMP). */
double multilinear_net_maxerr(const int64_t *a, const int64_t *h, int n, double beta);
/* Error estimate of the network: each unit is off by at most sigma(-beta/2)
 * (its argument is >= beta/2 away from 0), plus summation rounding. */
double multilinear_net_errbound(const int64_t *a, int n, double beta);
/* max over s = 0..k of |unit(k, s, beta) - [s == k]|. */
double multilinear_unit_maxerr(int k, double beta);
/* Smallest beta (bisection to 1e-9) with unit_maxerr(k, beta) < 0.5 * 10^-D. */
double multilinear_beta_for_decimals(int k, int D);

#endif
