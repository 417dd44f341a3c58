/* flatten: the no-flattening machinery of LT Sec. III / App. and RT Sec. II-III.
 *
 * - An exact truncated Taylor engine: multivariate polynomials with GMP
 *   rational coefficients, truncated at total degree dmax, and the
 *   polynomial a layered network computes when its activation is given by
 *   exact Taylor coefficients sigma_0..sigma_D.
 * - Networks with rational weights (no biases; constants come from neurons
 *   with zero input weights), built from gates: LT's multiplication gate,
 *   RT's squaring and identity gates, and the shallow constructions (LT Eq. A4,
 *   RT Thm II.1).  Every builder takes a rational input scale lambda: input
 *   weights lambda, output weights lambda^-deg, so the same net is checked
 *   exactly and evaluated in double as lambda -> 0.
 * - Counting helpers for RT Thm III.1 (optimal b_i), RT Thm II.2 and LT-15.
 * Monomials are packed 4 bits per variable: at most 16 variables, degree 15. */
#ifndef DEEPCHEAP_FLATTEN_H
#define DEEPCHEAP_FLATTEN_H

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

/* --- networks ------------------------------------------------------------- */
/* A sparse linear form over the units of one layer (layer 0: the inputs). */
typedef struct {
    size_t n, cap;
    int *idx;
    mpq_t *c;
} flatten_lin;

void flatten_lin_init(flatten_lin *l);
void flatten_lin_clear(flatten_lin *l);
void flatten_lin_zero(flatten_lin *l);
void flatten_lin_copy(flatten_lin *r, const flatten_lin *a);
/* l += c * unit */
void flatten_lin_add(flatten_lin *l, int unit, const mpq_t c);
/* l += c * a */
void flatten_lin_addmul(flatten_lin *l, const flatten_lin *a, const mpq_t c);

typedef struct {
    int nlayer, cap_layer;
    int *width, *cap_width;
    int *zero;             /* per layer: the shared zero-input neuron, or -1 */
    flatten_lin **pre;     /* pre[l][j]: neuron j of hidden layer l over layer l's inputs */
    int ninput;
    flatten_lin out;       /* output over the last layer's units */
} flatten_net;

void flatten_net_init(flatten_net *net, int ninput);
void flatten_net_clear(flatten_net *net);
/* Opens a new hidden layer; returns its index (0 = first hidden layer). */
int flatten_net_open_layer(flatten_net *net);
/* Adds a neuron to the open layer; returns its unit index. */
int flatten_net_neuron(flatten_net *net, const flatten_lin *pre);
/* The open layer's zero-input neuron (sigma(0)), created at most once. */
int flatten_net_zero(flatten_net *net);
long flatten_net_neurons(const flatten_net *net);

/* Gates: inputs are forms over the previous layer, outputs over the open one.
 * mul: [s(u+v) + s(-u-v) - s(u-v) - s(v-u)] / (8 sigma_2 lambda^2)  (LT Eq. 10)
 * square: [s(u) + s(-u) - 2 s(0)] / (2 sigma_2 lambda^2)             (RT Prop. II.6)
 * id: [s(u) - s(0)] / (sigma_1 lambda)                               (RT identity gate) */
void flatten_gate_mul(flatten_net *net, const flatten_act *a, const mpq_t lambda, flatten_lin *out,
                      const flatten_lin *u, const flatten_lin *v);
void flatten_gate_square(flatten_net *net, const flatten_act *a, const mpq_t lambda,
                         flatten_lin *out, const flatten_lin *u);
void flatten_gate_id(flatten_net *net, const flatten_act *a, const mpq_t lambda, flatten_lin *out,
                     const flatten_lin *u);

/* Constructions.  Each returns 0, or -1 when the activation cannot support it
 * (a needed Taylor coefficient is zero). */
/* LT Eq. A4: prod_{i<n} x_i = sum_s w_s sigma(lambda s.x), s in {+-1}^n.
 * printed = 1 uses the normalization as printed in LT Eq. 28, w_s = prod s / 2^n. */
int flatten_build_shallow_product(flatten_net *net, const flatten_act *a, int n, const mpq_t lambda,
                                  int printed);
/* RT Thm II.1: prod x_i^r_i with prod(r_i+1) neurons (finite differences over 0 <= a <= r). */
int flatten_build_shallow_monomial(flatten_net *net, const flatten_act *a, int n, const int *r,
                                   const mpq_t lambda);
/* LT Sec. III: binary tree of multiplication gates (identity gates carry odd ones). */
int flatten_build_tree_product(flatten_net *net, const flatten_act *a, int n, const mpq_t lambda);
/* RT Prop. II.6: x^d by repeated squaring on the binary digits of d. */
int flatten_build_power(flatten_net *net, const flatten_act *a, int d, const mpq_t lambda);
/* RT Thm II.1 upper bound: each x_i^r_i by repeated squaring, then the tree. */
int flatten_build_deep_monomial(flatten_net *net, const flatten_act *a, int n, const int *r,
                                const mpq_t lambda);

/* The polynomial the net computes, truncated at degree dmax. */
void flatten_net_poly(flatten_poly *out, const flatten_net *net, const flatten_act *a);
/* The net in double with activation f. */
double flatten_net_eval_d(const flatten_net *net, double (*f)(double), const double *x);

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
