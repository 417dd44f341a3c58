/* count: exact parameter counts (LT Sec. II D-E), in GMP integers.
 *
 * Polynomials of degree <= d in n real variables, and lattice Hamiltonians
 * restricted by locality and translation symmetry, each counted both by a
 * closed form and by explicit enumeration of monomials. */
#ifndef DEEPCHEAP_COUNT_H
#define DEEPCHEAP_COUNT_H

#include <gmp.h>

/* C(n + d, d): monomials of degree <= d in n variables. */
void count_poly(mpz_t out, unsigned long n, unsigned long d);
/* The same by enumerating exponent vectors (small n, d only). */
void count_poly_enum(mpz_t out, unsigned n, unsigned d);
/* Decimal digits of base^e, exact. */
unsigned long count_pow_digits(unsigned long base, unsigned long e);
/* Smallest n with 2^n > 10^k (exact integer comparison). */
unsigned long count_pow2_exceeds_pow10(unsigned long k);

/* Locality: which supports (sets of sites) a monomial may have. */
typedef enum {
    COUNT_GENERIC = 0, /* any support */
    COUNT_NN,          /* single sites and nearest-neighbour pairs (Manhattan distance 1) */
    COUNT_BOX          /* all pairwise periodic Chebyshev distances <= r */
} count_locality;

typedef struct {
    int dim;          /* 1, 2, 3 */
    int L;            /* side; n = L^dim sites, periodic */
    int d;            /* maximal degree */
    int r;            /* range for COUNT_BOX */
    count_locality locality;
    int symmetric;    /* count orbits under lattice translations */
    int constant;     /* include the constant monomial */
} count_lattice;

/* Closed form: sum_s N_s C(d, s) with N_s supports of size s (orbits when
 * symmetric).  Returns -1 where the closed form is not valid (small L). */
int count_lattice_closed(mpz_t out, const count_lattice *q);
/* Enumeration of all monomials (orbits canonicalized by translation).
 * Returns -1 when the lattice is too large to enumerate (> 20000 monomials
 * per support size bound or n > 64). */
int count_lattice_enum(mpz_t out, const count_lattice *q);

#endif
