/* flatpoly: the exact truncated Taylor engine of Ch. 4 (LT Sec. III / App.,
 * RT Sec. II-III).
 *
 * Multivariate polynomials with GMP rational coefficients, truncated at total
 * degree dmax, and activations given by their exact Taylor coefficients
 * sigma_0..sigma_D; flatnet.h pushes such polynomials through a network,
 * proofs/flatten_proofs.h solves for shallow nets against them.
 * Monomials are packed 4 bits per variable: at most 16 variables, degree 15. */
#ifndef DEEPCHEAP_FLATPOLY_H
#define DEEPCHEAP_FLATPOLY_H

#include <gmp.h>
#include <stddef.h>
#include <stdint.h>

#define FLATTEN_MAXVAR 16
#define FLATTEN_MAXDEG 15

/* --- activations: exact Taylor coefficients ------------------------------ */
typedef enum {
    FLATTEN_EXP = 0,   /* sigma_k = 1/k! */
    FLATTEN_GENERIC,   /* sigma_k = 1/(k+1): -ln(1-u)/u, every coefficient non-zero */
    FLATTEN_POWER      /* sigma(u) = u^N: only sigma_N = 1 */
} flatten_kind;

typedef struct {
    flatten_kind kind;
    int deg;      /* coefficients 0..deg are stored */
    int power;    /* N for FLATTEN_POWER */
    mpq_t *s;
} flatten_act;

void flatten_act_init(flatten_act *a, flatten_kind kind, int deg, int power);
void flatten_act_clear(flatten_act *a);
const char *flatten_act_name(const flatten_act *a);

/* --- truncated polynomials ------------------------------------------------ */
typedef struct {
    int nvar, dmax;
    size_t n, cap;   /* terms sorted by key, no zero coefficients */
    uint64_t *key;
    mpq_t *c;
} flatten_poly;

uint64_t flatten_key(const int *e, int nvar);
int flatten_key_deg(uint64_t key);
int flatten_key_exp(uint64_t key, int i);

void flatten_poly_init(flatten_poly *p, int nvar, int dmax);
void flatten_poly_clear(flatten_poly *p);
void flatten_poly_zero(flatten_poly *p);
void flatten_poly_copy(flatten_poly *r, const flatten_poly *a);
/* p += c * x^key (truncated) */
void flatten_poly_add_term(flatten_poly *p, uint64_t key, const mpq_t c);
/* p += c * q */
void flatten_poly_addmul(flatten_poly *p, const flatten_poly *q, const mpq_t c);
/* r = a * b truncated at r->dmax; r may not alias a or b */
void flatten_poly_mul(flatten_poly *r, const flatten_poly *a, const flatten_poly *b);
/* r = sigma(u) = sum_k sigma_k u^k truncated; r may not alias u */
void flatten_poly_act(flatten_poly *r, const flatten_act *a, const flatten_poly *u);
int flatten_poly_mindeg(const flatten_poly *p);
/* Coefficient of x^key (0 when absent). */
void flatten_poly_coeff(mpq_t out, const flatten_poly *p, uint64_t key);
/* 1 when every term of total degree <= d agrees. */
int flatten_poly_equal_upto(const flatten_poly *a, const flatten_poly *b, int d);
double flatten_poly_eval_d(const flatten_poly *p, const double *x);
/* The monomial prod x_i^r_i. */
void flatten_poly_monomial(flatten_poly *p, const int *r);

#endif
