/* gate: smooth activations and the multiplication gates of LT Sec. II C
 * (Eqs. 10-11, Fig. 2) and RT Prop. II.6.
 *
 * Every activation is used at a bias point b with sigma''(b) != 0:
 * the gate evaluates sigma(b + .), so the Taylor coefficients that matter
 * are those of u -> sigma(b + u) at u = 0. */
#ifndef DEEPCHEAP_GATE_H
#define DEEPCHEAP_GATE_H

#include <stddef.h>

typedef enum {
    GATE_SOFTPLUS = 0, /* ln(1 + e^x), b = 0, s2 = 1/4 */
    GATE_LOGISTIC,     /* 1/(1+e^-x), b = ln 3 (sigma(b) = 3/4), s2 = -3/32 */
    GATE_TANH,         /* tanh x, b = atanh(1/2) = ln(3)/2, s2 = -3/4 */
    GATE_EXP,          /* e^x, b = 0, s2 = 1 */
    GATE_ELU,          /* x (x > 0), e^x - 1 (x <= 0); b = -2, s2 = e^-2 */
    GATE_NACT
} gate_act;

const char *gate_act_name(gate_act a);
/* 0 and *a on a known name, -1 otherwise. */
int gate_act_parse(const char *s, gate_act *a);
double gate_bias(gate_act a);
/* k-th derivative of sigma at x, k = 0..3 (double). */
double gate_sigma_d(gate_act a, int k, double x);
double gate_s2(gate_act a); /* sigma''(b) */

/* The 4-neuron gate m(x,y) with input weights lambda (LT Eq. 11). */
double gate_mul(gate_act a, double lambda, double x, double y);
/* The 3-neuron squaring gate [sigma(b+lx)+sigma(b-lx)-2 sigma(b)]/(s2 l^2). */
double gate_square(gate_act a, double lambda, double x);
/* The printed RT Prop. II.6 form [sigma(x)+sigma(-x)-2sigma(0)]/sigma''(0),
 * with input weight lambda and output 1/lambda^2 (b = 0 requires s2(0)!=0). */
double gate_square_printed(gate_act a, double lambda, double x);
/* LT Fig. 2 right: logistic(beta (u + v + w) - 2.5 beta). */
double gate_binary(double beta, double u, double v, double w);

/* Product of n numbers by a binary tree of gates.  Each neuron reads up to
 * two values of the previous layer; each layer output is
 * c[j] + sum_k a_k sigma(w_k . in_k + bias_k) over the neurons writing j. */
typedef struct {
    int in[2];
    double w[2];
    double bias;
    int out;
    double a;
} gate_neuron;

typedef struct {
    int nlayers;
    int nneurons, ngates, ncopies; /* product gates (4 neurons), copy gates (1) */
    int *layer_start;              /* nlayers + 1 offsets into neurons */
    int *width;                    /* nlayers + 1: values entering layer l; width[nlayers] = 1 */
    double **c;                    /* per layer output constants */
    gate_neuron *neurons;
    gate_act act;
    double lambda;
} gate_tree;

/* Builds the tree for n >= 1 inputs; 0 on success, -1 on bad input. */
int gate_tree_init(gate_tree *t, gate_act a, double lambda, int n);
void gate_tree_clear(gate_tree *t);
/* Evaluates the tree on x[0..n-1]; scratch needs 2 n doubles. */
double gate_tree_eval(const gate_tree *t, const double *x, double *scratch);

/* Yarotsky (2017) ReLU squaring on [0,1]: f_m(x) = x - sum_{s=1}^m g_s(x)/4^s,
 * g_s the s-fold tooth composition; |f_m - x^2| <= 2^{-2m-2}. */
double gate_relu_square(int m, double x);
/* xy on [-1,1]^2 by polarization 4xy = (x+y)^2 - (x-y)^2 with |.|/2 inputs. */
double gate_relu_mul(int m, double x, double y);
/* Neurons and depth of the ReLU multiplication net with m compositions. */
void gate_relu_size(int *neurons, int *depth, int m);

#endif
