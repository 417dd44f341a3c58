/* gate: activations, multiplication, squaring, binary and tree gates. */
#include "gate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[GATE_NACT] = {"softplus", "logistic", "tanh", "exp", "elu"};

const char *gate_act_name(gate_act a) { return (unsigned)a < GATE_NACT ? names[a] : "?"; }

int gate_act_parse(const char *s, gate_act *a)
{
    for (int i = 0; i < GATE_NACT; i++)
        if (s && strcmp(s, names[i]) == 0) {
            *a = (gate_act)i;
            return 0;
        }
    return -1;
}

double gate_bias(gate_act a)
{
    switch (a) {
    case GATE_LOGISTIC: return log(3.0);       /* sigma(b) = 3/4 */
    case GATE_TANH: return 0.5 * log(3.0);     /* tanh(b) = 1/2 */
    case GATE_ELU: return -2.0;                /* inside the smooth branch */
    default: return 0.0;
    }
}

static double logistic(double x) { return x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x)); }

/* listing: activation */
double gate_sigma_d(gate_act a, int k, double x)
{
    double p, t;
    switch (a) {
    case GATE_SOFTPLUS: /* sigma' = p (logistic), sigma'' = p(1-p), sigma''' = p(1-p)(1-2p) */
        p = logistic(x);
        if (k == 0) return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
        if (k == 1) return p;
        if (k == 2) return p * (1 - p);
        return p * (1 - p) * (1 - 2 * p);
    case GATE_LOGISTIC: /* p' = p(1-p), p'' = p(1-p)(1-2p), p''' = p(1-p)(1-6p+6p^2) */
        p = logistic(x);
        if (k == 0) return p;
        if (k == 1) return p * (1 - p);
        if (k == 2) return p * (1 - p) * (1 - 2 * p);
        return p * (1 - p) * (1 - 6 * p + 6 * p * p);
    case GATE_TANH: /* t' = 1-t^2, t'' = -2t(1-t^2), t''' = (6t^2-2)(1-t^2) */
        t = tanh(x);
        if (k == 0) return t;
        if (k == 1) return 1 - t * t;
        if (k == 2) return -2 * t * (1 - t * t);
        return (6 * t * t - 2) * (1 - t * t);
    case GATE_EXP: return exp(x);
    case GATE_ELU: /* alpha = 1: C^1 at 0, the gate stays in x < 0 */
        if (x > 0) return k == 0 ? x : (k == 1 ? 1.0 : 0.0);
        return k == 0 ? expm1(x) : exp(x);
    default: return NAN;
    }
}
/* end: activation */

double gate_s2(gate_act a) { return gate_sigma_d(a, 2, gate_bias(a)); }

/* listing: mul */
/* LT Eq. 11 with input weights lambda and bias b: */
/* m = [s(b+l(x+y)) + s(b-l(x+y)) - s(b+l(x-y)) - s(b-l(x-y))] / (4 s2 l^2). */
double gate_mul(gate_act a, double lambda, double x, double y)
{
    double b = gate_bias(a), p = lambda * (x + y), q = lambda * (x - y);
    double num = (gate_sigma_d(a, 0, b + p) + gate_sigma_d(a, 0, b - p)) -
                 (gate_sigma_d(a, 0, b + q) + gate_sigma_d(a, 0, b - q));
    return num / (4 * gate_s2(a) * lambda * lambda);
}
/* end: mul */

/* listing: square */
/* RT Prop. II.6 at bias b: x^2 = [s(b+lx) + s(b-lx) - 2 s(b)] / (s2 l^2) + O(l^2 x^4). */
double gate_square(gate_act a, double lambda, double x)
{
    double b = gate_bias(a), p = lambda * x;
    double num = gate_sigma_d(a, 0, b + p) + gate_sigma_d(a, 0, b - p) - 2 * gate_sigma_d(a, 0, b);
    return num / (gate_s2(a) * lambda * lambda);
}
/* end: square */

double gate_square_printed(gate_act a, double lambda, double x)
{
    double p = lambda * x, s2 = gate_sigma_d(a, 2, 0.0);
    double num = gate_sigma_d(a, 0, p) + gate_sigma_d(a, 0, -p) - 2 * gate_sigma_d(a, 0, 0.0);
    return num / (s2 * lambda * lambda);
}

/* listing: binary */
double gate_binary(double beta, double u, double v, double w)
{
    return logistic(beta * (u + v + w) - 2.5 * beta);
}
/* end: binary */

/* ---- tree ---- */
static void add_neuron(gate_tree *t, int *k, int i0, double w0, int i1, double w1, double bias,
                       int out, double a)
{
    gate_neuron *n = &t->neurons[(*k)++];
    n->in[0] = i0, n->in[1] = i1, n->w[0] = w0, n->w[1] = w1, n->bias = bias, n->out = out, n->a = a;
}

/* listing: tree */
/* Layer l pairs values (2i, 2i+1) with a 4-neuron gate; an odd last value */
/* passes through a 2-neuron copy gate [s(b+lx) - s(b-lx)]/(2 l s1(b)) = x + O(l^2 x^3) */
/* (LT footnote 3). */
int gate_tree_init(gate_tree *t, gate_act a, double lambda, int n)
{
    memset(t, 0, sizeof *t);
    if (n < 1 || n > (1 << 20) || !(lambda > 0) || (unsigned)a >= GATE_NACT) return -1;
    int L = 0;
    for (int w = n; w > 1; w = (w + 1) / 2) L++;
    t->nlayers = L, t->act = a, t->lambda = lambda;
    t->layer_start = calloc((size_t)L + 1, sizeof(int));
    t->width = calloc((size_t)L + 1, sizeof(int));
    t->c = calloc((size_t)L + 1, sizeof(double *));
    t->neurons = calloc((size_t)4 * n + 8, sizeof(gate_neuron));
    if (!t->layer_start || !t->width || !t->c || !t->neurons) { gate_tree_clear(t); return -1; }
    double b = gate_bias(a), s1 = gate_sigma_d(a, 1, b), s2 = gate_s2(a);
    double s0 = gate_sigma_d(a, 0, b), am = 1.0 / (4 * s2 * lambda * lambda), ac = 1.0 / (2 * lambda * s1);
    int k = 0, w = n;
    for (int l = 0; l < L; l++) {
        int wo = (w + 1) / 2;
        t->width[l] = w, t->layer_start[l] = k;
        t->c[l] = calloc((size_t)wo, sizeof(double));
        if (!t->c[l]) { gate_tree_clear(t); return -1; }
        for (int i = 0; i + 1 < w; i += 2) {
            add_neuron(t, &k, i, lambda, i + 1, lambda, b, i / 2, am);
            add_neuron(t, &k, i, -lambda, i + 1, -lambda, b, i / 2, am);
            add_neuron(t, &k, i, lambda, i + 1, -lambda, b, i / 2, -am);
            add_neuron(t, &k, i, -lambda, i + 1, lambda, b, i / 2, -am);
            t->ngates++;
        }
        if (w % 2) {
            add_neuron(t, &k, w - 1, lambda, w - 1, 0.0, b, wo - 1, ac);
            add_neuron(t, &k, w - 1, -lambda, w - 1, 0.0, b, wo - 1, -ac);
            t->ncopies++;
        }
        (void)s0;
        w = wo;
    }
    t->layer_start[L] = k, t->width[L] = w, t->nneurons = k;
    return 0;
}
/* end: tree */

void gate_tree_clear(gate_tree *t)
{
    if (t->c)
        for (int l = 0; l <= t->nlayers; l++) free(t->c[l]);
    free(t->c), free(t->layer_start), free(t->width), free(t->neurons);
    memset(t, 0, sizeof *t);
}

double gate_tree_eval(const gate_tree *t, const double *x, double *scratch)
{
    double *cur = scratch, *nxt = scratch + (t->width[0] > 0 ? t->width[0] : 1);
    int n = t->nlayers ? t->width[0] : 1;
    memcpy(cur, x, (size_t)n * sizeof(double));
    for (int l = 0; l < t->nlayers; l++) {
        int wo = t->width[l + 1];
        for (int j = 0; j < wo; j++) nxt[j] = t->c[l][j];
        for (int k = t->layer_start[l]; k < t->layer_start[l + 1]; k++) {
            const gate_neuron *g = &t->neurons[k];
            double z = g->bias + g->w[0] * cur[g->in[0]] + g->w[1] * cur[g->in[1]];
            nxt[g->out] += g->a * gate_sigma_d(t->act, 0, z);
        }
        double *s = cur; cur = nxt; nxt = s;
    }
    return cur[0];
}

/* ---- ReLU (Yarotsky 2017) ---- */
static double relu(double x) { return x > 0 ? x : 0; }

/* listing: relu */
/* tooth g(x) = 2 relu(x) - 4 relu(x - 1/2) + 2 relu(x - 1) (3 neurons); */
/* f_m(x) = x - sum_{s=1}^m g_s(x) / 4^s, |f_m(x) - x^2| <= 2^{-2m-2} on [0,1]. */
double gate_relu_square(int m, double x)
{
    double g = x, f = x, p = 1.0;
    for (int s = 1; s <= m; s++) {
        g = 2 * relu(g) - 4 * relu(g - 0.5) + 2 * relu(g - 1.0);
        p *= 0.25;
        f = relu(f - p * g); /* f_s >= x^2 >= 0: the carry neuron is exact */
    }
    return f;
}

/* xy = (|x+y|/2)^2 - (|x-y|/2)^2, |a| = relu(a) + relu(-a). */
double gate_relu_mul(int m, double x, double y)
{
    double p = 0.5 * (relu(x + y) + relu(-x - y)), q = 0.5 * (relu(x - y) + relu(y - x));
    return gate_relu_square(m, p) - gate_relu_square(m, q);
}
/* end: relu */

void gate_relu_size(int *neurons, int *depth, int m)
{
    /* 4 abs neurons; per square and composition 3 tooth neurons + 1 carry of f */
    *neurons = 4 + 2 * 4 * m;
    *depth = 1 + m;
}
