/* flatnet: rational networks, gates and constructions (see flatnet.h). */
#include "flatnet.h"

#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) abort();
    return q;
}

/* --- linear forms ------------------------------------------------------------------ */

void flatten_lin_init(flatten_lin *l)
{
    l->n = l->cap = 0;
    l->idx = NULL;
    l->c = NULL;
}

void flatten_lin_clear(flatten_lin *l)
{
    for (size_t i = 0; i < l->cap; i++) mpq_clear(l->c[i]);
    free(l->idx);
    free(l->c);
    flatten_lin_init(l);
}

void flatten_lin_zero(flatten_lin *l) { l->n = 0; }

void flatten_lin_add(flatten_lin *l, int unit, const mpq_t c)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->idx[i] == unit) {
            mpq_add(l->c[i], l->c[i], c);
            return;
        }
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 4;
        l->idx = xrealloc(l->idx, cap * sizeof *l->idx);
        l->c = xrealloc(l->c, cap * sizeof *l->c);
        for (size_t i = l->cap; i < cap; i++) mpq_init(l->c[i]);
        l->cap = cap;
    }
    l->idx[l->n] = unit;
    mpq_set(l->c[l->n], c);
    l->n++;
}

void flatten_lin_addmul(flatten_lin *l, const flatten_lin *a, const mpq_t c)
{
    mpq_t t;
    mpq_init(t);
    for (size_t i = 0; i < a->n; i++) {
        mpq_mul(t, a->c[i], c);
        flatten_lin_add(l, a->idx[i], t);
    }
    mpq_clear(t);
}

void flatten_lin_copy(flatten_lin *r, const flatten_lin *a)
{
    mpq_t one;
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    flatten_lin_zero(r);
    flatten_lin_addmul(r, a, one);
    mpq_clear(one);
}

/* --- networks ---------------------------------------------------------------------- */

void flatten_net_init(flatten_net *net, int ninput)
{
    memset(net, 0, sizeof *net);
    net->ninput = ninput;
    flatten_lin_init(&net->out);
}

void flatten_net_clear(flatten_net *net)
{
    for (int l = 0; l < net->nlayer; l++) {
        for (int j = 0; j < net->cap_width[l]; j++) flatten_lin_clear(&net->pre[l][j]);
        free(net->pre[l]);
    }
    free(net->pre);
    free(net->width);
    free(net->cap_width);
    free(net->zero);
    flatten_lin_clear(&net->out);
    memset(net, 0, sizeof *net);
}

int flatten_net_open_layer(flatten_net *net)
{
    if (net->nlayer == net->cap_layer) {
        int cap = net->cap_layer ? 2 * net->cap_layer : 4;
        net->width = xrealloc(net->width, (size_t)cap * sizeof *net->width);
        net->cap_width = xrealloc(net->cap_width, (size_t)cap * sizeof *net->cap_width);
        net->zero = xrealloc(net->zero, (size_t)cap * sizeof *net->zero);
        net->pre = xrealloc(net->pre, (size_t)cap * sizeof *net->pre);
        net->cap_layer = cap;
    }
    int l = net->nlayer++;
    net->width[l] = net->cap_width[l] = 0;
    net->zero[l] = -1;
    net->pre[l] = NULL;
    return l;
}

int flatten_net_neuron(flatten_net *net, const flatten_lin *pre)
{
    int l = net->nlayer - 1;
    if (net->width[l] == net->cap_width[l]) {
        int cap = net->cap_width[l] ? 2 * net->cap_width[l] : 8;
        net->pre[l] = xrealloc(net->pre[l], (size_t)cap * sizeof **net->pre);
        for (int j = net->cap_width[l]; j < cap; j++) flatten_lin_init(&net->pre[l][j]);
        net->cap_width[l] = cap;
    }
    int j = net->width[l]++;
    flatten_lin_copy(&net->pre[l][j], pre);
    return j;
}

int flatten_net_zero(flatten_net *net)
{
    int l = net->nlayer - 1;
    if (net->zero[l] < 0) {
        flatten_lin z;
        flatten_lin_init(&z);
        net->zero[l] = flatten_net_neuron(net, &z);
        flatten_lin_clear(&z);
    }
    return net->zero[l];
}

long flatten_net_neurons(const flatten_net *net)
{
    long s = 0;
    for (int l = 0; l < net->nlayer; l++) s += net->width[l];
    return s;
}

/* --- gates ---------------------------------------------------------------------------- */

/* Adds neuron sigma(lambda * sum_i c_i f_i) and returns its unit. */
static int neuron_of(flatten_net *net, const mpq_t lambda, const flatten_lin *u, long cu,
                     const flatten_lin *v, long cv)
{
    flatten_lin pre;
    flatten_lin_init(&pre);
    mpq_t c;
    mpq_init(c);
    mpq_set_si(c, cu, 1);
    mpq_mul(c, c, lambda);
    if (u && cu) flatten_lin_addmul(&pre, u, c);
    mpq_set_si(c, cv, 1);
    mpq_mul(c, c, lambda);
    if (v && cv) flatten_lin_addmul(&pre, v, c);
    int j = flatten_net_neuron(net, &pre);
    mpq_clear(c);
    flatten_lin_clear(&pre);
    return j;
}

/* listing: gates */
// LT Eq. 10 with sigma(u) = sum_k sigma_k u^k: the even parts give
// s(a) + s(-a) - s(b) - s(-b) = 2 sigma_2 (a^2 - b^2) + ... = 8 sigma_2 uv + O(4).
void flatten_gate_mul(flatten_net *net, const flatten_act *a, const mpq_t lambda, flatten_lin *out,
                      const flatten_lin *u, const flatten_lin *v)
{
    mpq_t w;
    mpq_init(w);
    mpq_mul(w, lambda, lambda);
    mpq_mul(w, w, a->s[2]);
    mpz_mul_ui(mpq_numref(w), mpq_numref(w), 8);
    mpq_canonicalize(w);
    mpq_inv(w, w);                /* 1 / (8 sigma_2 lambda^2) */
    int p1 = neuron_of(net, lambda, u, 1, v, 1), p2 = neuron_of(net, lambda, u, -1, v, -1);
    int m1 = neuron_of(net, lambda, u, 1, v, -1), m2 = neuron_of(net, lambda, u, -1, v, 1);
    flatten_lin_zero(out);
    flatten_lin_add(out, p1, w);
    flatten_lin_add(out, p2, w);
    mpq_neg(w, w);
    flatten_lin_add(out, m1, w);
    flatten_lin_add(out, m2, w);
    mpq_clear(w);
}

// RT Prop. II.6: s(a) + s(-a) - 2 s(0) = 2 sigma_2 a^2 + O(a^4); 3 neurons, the
// sigma(0) neuron shared by every gate of the layer.
void flatten_gate_square(flatten_net *net, const flatten_act *a, const mpq_t lambda,
                         flatten_lin *out, const flatten_lin *u)
{
    mpq_t w;
    mpq_init(w);
    mpq_mul(w, lambda, lambda);
    mpq_mul(w, w, a->s[2]);
    mpz_mul_ui(mpq_numref(w), mpq_numref(w), 2);
    mpq_canonicalize(w);
    mpq_inv(w, w);                /* 1 / (2 sigma_2 lambda^2) */
    int p = neuron_of(net, lambda, u, 1, NULL, 0), m = neuron_of(net, lambda, u, -1, NULL, 0);
    int z = flatten_net_zero(net);
    flatten_lin_zero(out);
    flatten_lin_add(out, p, w);
    flatten_lin_add(out, m, w);
    mpz_mul_si(mpq_numref(w), mpq_numref(w), -2);
    mpq_canonicalize(w);
    flatten_lin_add(out, z, w);
    mpq_clear(w);
}

/* Identity: (s(a) - s(0)) / sigma_1 = a + O(a^2): 1 neuron plus the shared sigma(0). */
void flatten_gate_id(flatten_net *net, const flatten_act *a, const mpq_t lambda, flatten_lin *out,
                     const flatten_lin *u)
{
    mpq_t w;
    mpq_init(w);
    mpq_mul(w, lambda, a->s[1]);
    mpq_inv(w, w);
    int p = neuron_of(net, lambda, u, 1, NULL, 0);
    int z = flatten_net_zero(net);
    flatten_lin_zero(out);
    flatten_lin_add(out, p, w);
    mpq_neg(w, w);
    flatten_lin_add(out, z, w);
    mpq_clear(w);
}
/* end: gates */

/* --- constructions ------------------------------------------------------------------- */

static int needs(const flatten_act *a, int k) { return k <= a->deg && mpq_sgn(a->s[k]) != 0; }

/* listing: shallow */
// LT Eq. A4: sum_s (prod s_i) (s.x)^k = 0 for k < n and 2^n n! prod x_i for k = n,
// so w_s = prod s_i / (2^n n! sigma_n lambda^n).  LT Eq. 28 prints prod s_i / 2^n.
int flatten_build_shallow_product(flatten_net *net, const flatten_act *a, int n, const mpq_t lambda,
                                  int printed)
{
    if (!needs(a, n)) return -1;
    mpq_t w, c;
    mpq_inits(w, c, NULL);
    mpq_set_ui(w, 1, 1);
    mpz_mul_2exp(mpq_denref(w), mpq_denref(w), (unsigned long)n); /* 1/2^n */
    if (!printed) {
        mpq_t t;
        mpq_init(t);
        mpz_fac_ui(mpq_numref(t), (unsigned long)n);
        mpq_mul(t, t, a->s[n]);
        for (int i = 0; i < n; i++) mpq_mul(t, t, lambda);
        mpq_div(w, w, t);
        mpq_clear(t);
    }
    flatten_net_open_layer(net);
    flatten_lin pre;
    flatten_lin_init(&pre);
    flatten_lin_zero(&net->out);
    for (unsigned long s = 0; s < (1ul << n); s++) {
        flatten_lin_zero(&pre);
        int sign = 1;
        for (int i = 0; i < n; i++) {
            int si = (s >> i) & 1 ? -1 : 1;
            sign *= si;
            mpq_set_si(c, si, 1);
            mpq_mul(c, c, lambda);
            flatten_lin_add(&pre, i, c);
        }
        int j = flatten_net_neuron(net, &pre);
        mpq_set(c, w);
        if (sign < 0) mpq_neg(c, c);
        flatten_lin_add(&net->out, j, c);
    }
    flatten_lin_clear(&pre);
    mpq_clears(w, c, NULL);
    return 0;
}

/* end: shallow */

// RT Thm II.1: the r-th finite difference of a -> (a.x)^d is d! x^r for |r| = d
// and 0 for lower powers, so x^r = sum_{0<=a<=r} (-1)^{d-|a|} prod C(r_i,a_i)
// sigma(a.x) / (d! sigma_d) + O(d+1): prod (r_i + 1) neurons.
int flatten_build_shallow_monomial(flatten_net *net, const flatten_act *a, int n, const int *r,
                                   const mpq_t lambda)
{
    int d = 0;
    long cnt = 1;
    for (int i = 0; i < n; i++) d += r[i], cnt *= r[i] + 1;
    if (!needs(a, d)) return -1;
    mpq_t base, c;
    mpq_inits(base, c, NULL);
    mpz_fac_ui(mpq_numref(base), (unsigned long)d);
    mpq_mul(base, base, a->s[d]);
    for (int i = 0; i < d; i++) mpq_mul(base, base, lambda);
    mpq_inv(base, base); /* 1 / (d! sigma_d lambda^d) */
    flatten_net_open_layer(net);
    flatten_lin pre;
    flatten_lin_init(&pre);
    flatten_lin_zero(&net->out);
    int av[FLATTEN_MAXVAR] = {0};
    for (long t = 0; t < cnt; t++) {
        long q = t;
        int sum = 0;
        mpz_t binom;
        mpz_init_set_ui(binom, 1);
        flatten_lin_zero(&pre);
        for (int i = 0; i < n; i++) {
            av[i] = (int)(q % (r[i] + 1));
            q /= r[i] + 1;
            sum += av[i];
            mpz_t b;
            mpz_init(b);
            mpz_bin_uiui(b, (unsigned long)r[i], (unsigned long)av[i]);
            mpz_mul(binom, binom, b);
            mpz_clear(b);
            if (av[i]) {
                mpq_set_si(c, av[i], 1);
                mpq_mul(c, c, lambda);
                flatten_lin_add(&pre, i, c);
            }
        }
        int j = flatten_net_neuron(net, &pre);
        mpq_set_z(c, binom);
        mpq_mul(c, c, base);
        if ((d - sum) & 1) mpq_neg(c, c);
        flatten_lin_add(&net->out, j, c);
        mpz_clear(binom);
    }
    flatten_lin_clear(&pre);
    mpq_clears(base, c, NULL);
    return 0;
}

/* Combines the signals sig[0..m) pairwise by multiplication gates, one layer
 * per round, carrying an odd one with an identity gate; sig is consumed. */
static void tree_reduce(flatten_net *net, const flatten_act *a, const mpq_t lambda, flatten_lin *sig,
                        int m)
{
    while (m > 1) {
        flatten_net_open_layer(net);
        int k = 0;
        flatten_lin o;
        flatten_lin_init(&o);
        for (int i = 0; i + 1 < m; i += 2) {
            flatten_gate_mul(net, a, lambda, &o, &sig[i], &sig[i + 1]);
            flatten_lin_copy(&sig[k++], &o);
        }
        if (m & 1) {
            flatten_gate_id(net, a, lambda, &o, &sig[m - 1]);
            flatten_lin_copy(&sig[k++], &o);
        }
        flatten_lin_clear(&o);
        m = k;
    }
}

/* listing: tree */
int flatten_build_tree_product(flatten_net *net, const flatten_act *a, int n, const mpq_t lambda)
{
    if (!needs(a, 2) || (n > 2 && (n & (n - 1)) && !needs(a, 1))) return -1;
    flatten_lin *sig = xrealloc(NULL, (size_t)n * sizeof *sig);
    mpq_t one;
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    for (int i = 0; i < n; i++) {
        flatten_lin_init(&sig[i]);
        flatten_lin_add(&sig[i], i, one); /* x_i */
    }
    tree_reduce(net, a, lambda, sig, n);
    flatten_lin_copy(&net->out, &sig[0]);
    for (int i = 0; i < n; i++) flatten_lin_clear(&sig[i]);
    free(sig);
    mpq_clear(one);
    return 0;
}
/* end: tree */

/* One layer of repeated squaring for the chain (p, acc) of variable x^r:
 * after layer t, p = x^(2^t) and acc = x^(r mod 2^t) (has_acc = 0: acc = 1). */
typedef struct {
    flatten_lin p, acc;
    int has_acc, r, t, L, done;
} power_chain;

static void chain_step(flatten_net *net, const flatten_act *a, const mpq_t lambda, power_chain *c)
{
    flatten_lin np, na;
    flatten_lin_init(&np);
    flatten_lin_init(&na);
    if (c->t < c->L) {
        int bit = (c->r >> c->t) & 1;
        flatten_gate_square(net, a, lambda, &np, &c->p);
        if (bit && c->has_acc) flatten_gate_mul(net, a, lambda, &na, &c->acc, &c->p);
        else if (bit) flatten_gate_id(net, a, lambda, &na, &c->p);
        else if (c->has_acc) flatten_gate_id(net, a, lambda, &na, &c->acc);
        c->has_acc |= bit;
        flatten_lin_copy(&c->p, &np);
        if (c->has_acc) flatten_lin_copy(&c->acc, &na);
        c->t++;
        if (c->t == c->L && !c->has_acc) c->done = 1; /* r = 2^L: result is p */
    } else if (!c->done) {                           /* top bit: acc * x^(2^L) */
        flatten_gate_mul(net, a, lambda, &na, &c->acc, &c->p);
        flatten_lin_copy(&c->p, &na);
        c->done = 1;
    } else { /* finished: carry */
        flatten_gate_id(net, a, lambda, &np, &c->p);
        flatten_lin_copy(&c->p, &np);
    }
    flatten_lin_clear(&np);
    flatten_lin_clear(&na);
}

static int chain_layers(int r)
{
    int L = 0;
    while ((2 << L) <= r) L++;
    return (r & (r - 1)) ? L + 1 : L; /* = ceil(log2 r) */
}

static void chain_init(power_chain *c, int var, int r)
{
    mpq_t one;
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    flatten_lin_init(&c->p);
    flatten_lin_init(&c->acc);
    flatten_lin_add(&c->p, var, one);
    c->r = r;
    c->t = 0;
    c->L = 0;
    while ((2 << c->L) <= r) c->L++;
    c->has_acc = 0;
    c->done = r == 1;
    mpq_clear(one);
}

/* listing: power */
// RT Prop. II.6: x^d on the binary digits of d.  Each layer squares (3 neurons)
// and multiplies the accumulator in (4) or carries it (1), sharing one sigma(0)
// neuron: at most 7 neurons in each of ceil(log2 d) layers.
int flatten_build_power(flatten_net *net, const flatten_act *a, int d, const mpq_t lambda)
{
    if (d < 1 || (d > 1 && (!needs(a, 2) || !needs(a, 1)))) return -1;
    power_chain c;
    chain_init(&c, 0, d);
    for (int l = chain_layers(d); l > 0; l--) {
        flatten_net_open_layer(net);
        chain_step(net, a, lambda, &c);
    }
    if (d == 1) { /* x itself: one identity layer so the net has a hidden layer */
        flatten_net_open_layer(net);
        flatten_lin o;
        flatten_lin_init(&o);
        flatten_gate_id(net, a, lambda, &o, &c.p);
        flatten_lin_copy(&c.p, &o);
        flatten_lin_clear(&o);
    }
    flatten_lin_copy(&net->out, &c.p);
    flatten_lin_clear(&c.p);
    flatten_lin_clear(&c.acc);
    return 0;
}
/* end: power */

int flatten_build_deep_monomial(flatten_net *net, const flatten_act *a, int n, const int *r,
                                const mpq_t lambda)
{
    if (!needs(a, 2) || !needs(a, 1)) return -1;
    power_chain *c = xrealloc(NULL, (size_t)n * sizeof *c);
    int depth = 0;
    for (int i = 0; i < n; i++) {
        chain_init(&c[i], i, r[i]);
        int l = chain_layers(r[i]);
        if (l > depth) depth = l;
    }
    for (int l = 0; l < depth; l++) {
        flatten_net_open_layer(net);
        for (int i = 0; i < n; i++) chain_step(net, a, lambda, &c[i]);
    }
    flatten_lin *sig = xrealloc(NULL, (size_t)n * sizeof *sig);
    for (int i = 0; i < n; i++) {
        flatten_lin_init(&sig[i]);
        flatten_lin_copy(&sig[i], &c[i].p);
        flatten_lin_clear(&c[i].p);
        flatten_lin_clear(&c[i].acc);
    }
    tree_reduce(net, a, lambda, sig, n);
    flatten_lin_copy(&net->out, &sig[0]);
    for (int i = 0; i < n; i++) flatten_lin_clear(&sig[i]);
    free(sig);
    free(c);
    return 0;
}

/* --- evaluation ------------------------------------------------------------------------ */

static void lin_poly(flatten_poly *out, const flatten_lin *l, const flatten_poly *units)
{
    flatten_poly_zero(out);
    for (size_t i = 0; i < l->n; i++) flatten_poly_addmul(out, &units[l->idx[i]], l->c[i]);
}

void flatten_net_poly(flatten_poly *out, const flatten_net *net, const flatten_act *a)
{
    int nv = out->nvar, dm = out->dmax;
    int w = net->ninput;
    flatten_poly *prev = calloc((size_t)w + 1, sizeof *prev);
    if (!prev) abort();
    mpq_t one;
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    for (int i = 0; i < w; i++) {
        int e[FLATTEN_MAXVAR] = {0};
        e[i] = 1;
        flatten_poly_init(&prev[i], nv, dm);
        flatten_poly_add_term(&prev[i], flatten_key(e, nv), one);
    }
    flatten_poly pre;
    flatten_poly_init(&pre, nv, dm);
    for (int l = 0; l < net->nlayer; l++) {
        flatten_poly *cur = calloc((size_t)net->width[l] + 1, sizeof *cur);
        if (!cur) abort();
        for (int j = 0; j < net->width[l]; j++) {
            flatten_poly_init(&cur[j], nv, dm);
            lin_poly(&pre, &net->pre[l][j], prev);
            flatten_poly_act(&cur[j], a, &pre);
        }
        for (int i = 0; i < w; i++) flatten_poly_clear(&prev[i]);
        free(prev);
        prev = cur;
        w = net->width[l];
    }
    lin_poly(out, &net->out, prev);
    for (int i = 0; i < w; i++) flatten_poly_clear(&prev[i]);
    free(prev);
    flatten_poly_clear(&pre);
    mpq_clear(one);
}

double flatten_net_eval_d(const flatten_net *net, double (*f)(double), const double *x)
{
    int w = net->ninput;
    double *prev = xrealloc(NULL, (size_t)w * sizeof *prev);
    memcpy(prev, x, (size_t)w * sizeof *prev);
    for (int l = 0; l < net->nlayer; l++) {
        double *cur = xrealloc(NULL, (size_t)net->width[l] * sizeof *cur + 1);
        for (int j = 0; j < net->width[l]; j++) {
            const flatten_lin *p = &net->pre[l][j];
            double s = 0;
            for (size_t i = 0; i < p->n; i++) s += mpq_get_d(p->c[i]) * prev[p->idx[i]];
            cur[j] = f(s);
        }
        free(prev);
        prev = cur;
    }
    double s = 0;
    for (size_t i = 0; i < net->out.n; i++) s += mpq_get_d(net->out.c[i]) * prev[net->out.idx[i]];
    free(prev);
    return s;
}

/* --- the constructions by name, and the exact check ------------------------------------ */

int flatten_build(flatten_net *net, flatten_build_kind kind, const flatten_act *a, int n, const int *r,
                  const mpq_t lambda)
{
    switch (kind) {
    case FLATTEN_BUILD_SHALLOW_PRODUCT: return flatten_build_shallow_product(net, a, n, lambda, 0);
    case FLATTEN_BUILD_PRINTED_PRODUCT: return flatten_build_shallow_product(net, a, n, lambda, 1);
    case FLATTEN_BUILD_SHALLOW_MONOMIAL: return flatten_build_shallow_monomial(net, a, n, r, lambda);
    case FLATTEN_BUILD_TREE_PRODUCT: return flatten_build_tree_product(net, a, n, lambda);
    case FLATTEN_BUILD_POWER: return flatten_build_power(net, a, r[0], lambda);
    case FLATTEN_BUILD_DEEP_MONOMIAL: return flatten_build_deep_monomial(net, a, n, r, lambda);
    }
    return -1;
}

int flatten_check_exact(flatten_build_kind kind, const flatten_act *a, int n, const int *r, long *neurons)
{
    int d = 0;
    for (int i = 0; i < n; i++) d += r[i];
    mpq_t one;
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    flatten_net net;
    flatten_net_init(&net, n);
    int ok = flatten_build(&net, kind, a, n, r, one) == 0;
    if (neurons) *neurons = flatten_net_neurons(&net);
    if (ok) {
        flatten_poly got, want;
        flatten_poly_init(&got, n, d);
        flatten_poly_init(&want, n, d);
        flatten_net_poly(&got, &net, a);
        flatten_poly_monomial(&want, r);
        ok = flatten_poly_equal_upto(&got, &want, d);
        flatten_poly_clear(&got);
        flatten_poly_clear(&want);
    }
    flatten_net_clear(&net);
    mpq_clear(one);
    return ok;
}
