/* flatten_proofs: exact lower-bound checks for shallow nets (LT App., RT Thm II.1-II.2).
 *
 * A shallow net sum_j w_j sigma(a_j . x) equals a target p of degree d up to
 * terms of degree >= d+1 iff, degree by degree, sum_j w_j sigma_k (a_j.x)^k
 * matches p's degree-k part.  For generic sigma (every sigma_k != 0) the rows
 * can be divided by sigma_k: the target's coefficients must lie in the span of
 * the columns c_j[e] = multinomial(|e|; e) a_j^e over all monomials e with
 * |e| <= d (mode GENERIC); for sigma = x^d only the |e| = d rows exist (mode
 * POWER).  Feasibility is a rank comparison, done modulo P = 2^61 - 1 and
 * certified exact when P exceeds the Hadamard bound of every minor involved. */
#ifndef DEEPCHEAP_FLATTEN_PROOFS_H
#define DEEPCHEAP_FLATTEN_PROOFS_H

#include "flatpoly.h"

#include <stdint.h>

typedef enum { FLATTEN_MODE_GENERIC = 0, FLATTEN_MODE_POWER = 1 } flatten_mode;

typedef struct {
    int n, d, mode, lattice;
    int nvec, nrow;
    int *vec;          /* nvec x n lattice vectors */
    uint64_t *col;     /* nvec x nrow, mod P */
    uint64_t *t;       /* target, mod P */
    uint64_t *rowkey;  /* monomial keys of the rows */
    double *log2norm;  /* column norms (last: target) */
} flatten_search_problem;

typedef struct {
    int min;           /* fewest neurons that match, -1 when none up to mmax */
    uint64_t nets;     /* candidate nets examined */
    double seconds;
    int certified;     /* modular ranks equal rational ranks (Hadamard bound < P) */
    int witness[64];   /* vector indices of a smallest matching net */
    int confirmed;     /* the witness re-solved over Q and checked by the Taylor engine */
} flatten_search_result;

/* Lattice {-L..L}^n; mode POWER drops the zero vector and keeps one of +-a
 * (their columns are proportional).  target: degree-d polynomial in n vars. */
int flatten_search_init(flatten_search_problem *pr, int n, int d, flatten_mode mode, int lattice,
                        const flatten_poly *target);
void flatten_search_clear(flatten_search_problem *pr);
/* Pruned, parallel depth-first search over independent column sets. */
void flatten_search_run(flatten_search_result *res, const flatten_search_problem *pr, int mmax);
/* The naive peer: every subset of each size from scratch, one thread. */
void flatten_search_naive(flatten_search_result *res, const flatten_search_problem *pr, int mmax);
/* Exact rational feasibility for the given vectors (m x n); w (m entries, may
 * be NULL) receives output weights for the unscaled system. 1 feasible, 0 not. */
int flatten_exact_feasible(mpq_t *w, int n, int d, flatten_mode mode, const flatten_poly *target, int m,
                           const int *vecs);
/* Rank of A_{e,j} = a_j^e, e <= r (prod(r_i+1) rows), modulo a word prime and,
 * when exact != NULL, over Q. */
long flatten_rank_lemma(long *exact, int n, const int *r, int m, const int *vecs);
/* The rank lemma for RT Thm II.1's construction: its prod(r_i+1) input
 * vectors are the points a of the box 0 <= a <= r.  -1 when out of memory. */
long flatten_rank_lemma_box(int n, const int *r);

/* Query commands. */

#endif
