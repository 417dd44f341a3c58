/* flatbound: the counts and bounds of Ch. 4 that need no network: the
 * k-layer product bound of RT Thm III.1 (optimal b_i), the largest
 * coefficient of RT Thm II.2, and the synapse counts and sparse-product
 * fills of LT-15 (LT Sec. III, Eq. 27). */
#ifndef DEEPCHEAP_FLATBOUND_H
#define DEEPCHEAP_FLATBOUND_H

#include <gmp.h>
#include <stdint.h>

/* --- RT Thm III.1: k hidden layers, product of n inputs -------------------- */
/* Bound sum_i (prod_{j>i} b_j) 2^b_i in log2 (b real or integer). */
double flatten_rt5_log2_bound(const double *b, int k);
/* Optimal real b_1..b_k with prod b_i = n by the Lagrange recursion
 * b_i = b_{i-1} + log2(b_{i-1} - 1/ln 2), b_1 by bisection. 0 on success. */
int flatten_rt5_lagrange(double *b, int k, double n);
/* Exhaustive integer search: b_i >= 1, prod b_i >= n, minimising the bound. */
double flatten_rt5_integer(int *b, int k, double n);

/* --- RT Thm II.2: largest coefficient of prod_i (1 + y + ... + y^r_i) ------- */
void flatten_rt3_maxcoef(mpz_t out, int n, const int *r);

/* --- LT-15: linear networks ---------------------------------------------------- */
/* Non-zeros of the log2 n butterfly factors of the Walsh-Hadamard transform,
 * after checking exactly that their product is the dense Sylvester matrix
 * (returns -1 when it is not). */
long flatten_wht_synapses(int n);
/* The same for the radix-2 DFT in double: the largest entry error of the
 * product of the factors against the dense DFT matrix goes to *maxerr. */
long flatten_fft_synapses(int n, double *maxerr);
/* Fill fraction of A*B for n x n 0/1 matrices of density p, drawn from
 * stream (seed, cell, stream). */
double flatten_sparse_fill(int n, double p, uint64_t seed, uint32_t cell, uint32_t stream);
/* LT Eq. 27: 1 - (1 - p^2)^n. */
double flatten_eq27_fill(int n, double p);

#endif
