/* flatnet: networks with rational weights for the no-flattening checks of
 * LT Sec. III / App. and RT Sec. II.
 *
 * No biases: constants come from neurons with zero input weights.  Nets are
 * built from gates (LT's multiplication gate, RT's squaring and identity
 * gates) and from the shallow constructions (LT Eq. A4, RT Thm II.1).  Every
 * builder takes a rational input scale lambda: input weights lambda, output
 * weights lambda^-deg, so the same net is checked exactly (its truncated
 * polynomial, by the engine of flatpoly.h) and evaluated in double as
 * lambda -> 0. */
#ifndef DEEPCHEAP_FLATNET_H
#define DEEPCHEAP_FLATNET_H

#include "flatpoly.h"

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

/* --- the constructions by name, and the exact check ------------------------------------ */
typedef enum {
    FLATTEN_BUILD_SHALLOW_PRODUCT,  /* LT Eq. A4, weights prod s / (2^n n! sigma_n) */
    FLATTEN_BUILD_PRINTED_PRODUCT,  /* LT Eq. 28 as printed, weights prod s / 2^n */
    FLATTEN_BUILD_SHALLOW_MONOMIAL, /* RT Thm II.1, prod(r_i+1) neurons */
    FLATTEN_BUILD_TREE_PRODUCT,     /* LT Sec. III, tree of multiplication gates */
    FLATTEN_BUILD_POWER,            /* RT Prop. II.6, x^r[0] (n = 1) */
    FLATTEN_BUILD_DEEP_MONOMIAL     /* RT Thm II.1 upper bound */
} flatten_build_kind;

/* Builds the construction `kind` for prod_{i<n} x_i^r_i (the product
 * constructions ignore r: their target has every r_i = 1; the power uses
 * r[0] only).  0, or -1 as the builder returns it. */
int flatten_build(flatten_net *net, flatten_build_kind kind, const flatten_act *a, int n, const int *r,
                  const mpq_t lambda);
/* The exact check: builds `kind` with lambda = 1 and compares the net's
 * polynomial with prod x_i^r_i on every term of degree <= |r|.  1 when they
 * agree, 0 when not or when the builder refuses the activation.  *neurons
 * (may be NULL) receives the net's size. */
int flatten_check_exact(flatten_build_kind kind, const flatten_act *a, int n, const int *r, long *neurons);

#endif
