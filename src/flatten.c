#include "flatten.h"
#include "rng.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) abort();
    return q;
}

/* --- activations ------------------------------------------------------------ */

void flatten_act_init(flatten_act *a, flatten_kind kind, int deg, int power)
{
    a->kind = kind;
    a->deg = deg;
    a->power = power;
    a->s = xrealloc(NULL, sizeof(mpq_t) * (size_t)(deg + 1));
    mpz_t f;
    mpz_init_set_ui(f, 1);
    for (int k = 0; k <= deg; k++) {
        mpq_init(a->s[k]);
        if (k > 0) mpz_mul_ui(f, f, (unsigned long)k);
        switch (kind) {
        case FLATTEN_EXP: /* 1/k! */
            mpz_set_ui(mpq_numref(a->s[k]), 1);
            mpz_set(mpq_denref(a->s[k]), f);
            break;
        case FLATTEN_GENERIC: /* 1/(k+1) */
            mpq_set_ui(a->s[k], 1, (unsigned long)(k + 1));
            break;
        case FLATTEN_POWER:
            mpq_set_ui(a->s[k], k == power, 1);
            break;
        }
    }
    mpz_clear(f);
}

void flatten_act_clear(flatten_act *a)
{
    for (int k = 0; k <= a->deg; k++) mpq_clear(a->s[k]);
    free(a->s);
    a->s = NULL;
}

const char *flatten_act_name(const flatten_act *a)
{
    switch (a->kind) {
    case FLATTEN_EXP: return "exp";
    case FLATTEN_GENERIC: return "generic";
    case FLATTEN_POWER: return "power";
    }
    return "?";
}

/* --- monomial keys: 4 bits per variable ------------------------------------------ */

uint64_t flatten_key(const int *e, int nvar)
{
    uint64_t k = 0;
    for (int i = 0; i < nvar; i++) k |= (uint64_t)e[i] << (4 * i);
    return k;
}

int flatten_key_deg(uint64_t key)
{
    int d = 0;
    for (; key; key >>= 4) d += (int)(key & 15);
    return d;
}

int flatten_key_exp(uint64_t key, int i) { return (int)((key >> (4 * i)) & 15); }

/* --- sparse truncated polynomials ---------------------------------------------- */

void flatten_poly_init(flatten_poly *p, int nvar, int dmax)
{
    p->nvar = nvar;
    p->dmax = dmax;
    p->n = p->cap = 0;
    p->key = NULL;
    p->c = NULL;
}

static void poly_reserve(flatten_poly *p, size_t n)
{
    if (n <= p->cap) return;
    size_t cap = p->cap ? p->cap : 8;
    while (cap < n) cap *= 2;
    p->key = xrealloc(p->key, cap * sizeof *p->key);
    p->c = xrealloc(p->c, cap * sizeof *p->c);
    for (size_t i = p->cap; i < cap; i++) mpq_init(p->c[i]);
    p->cap = cap;
}

void flatten_poly_clear(flatten_poly *p)
{
    for (size_t i = 0; i < p->cap; i++) mpq_clear(p->c[i]);
    free(p->key);
    free(p->c);
    p->key = NULL;
    p->c = NULL;
    p->n = p->cap = 0;
}

void flatten_poly_zero(flatten_poly *p) { p->n = 0; }

void flatten_poly_copy(flatten_poly *r, const flatten_poly *a)
{
    poly_reserve(r, a->n);
    r->n = a->n;
    for (size_t i = 0; i < a->n; i++) {
        r->key[i] = a->key[i];
        mpq_set(r->c[i], a->c[i]);
    }
}

static size_t poly_find(const flatten_poly *p, uint64_t key)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (p->key[mid] < key) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static void poly_remove(flatten_poly *p, size_t i)
{
    mpq_t t;
    t[0] = p->c[i][0];
    memmove(&p->key[i], &p->key[i + 1], (p->n - i - 1) * sizeof *p->key);
    memmove(&p->c[i], &p->c[i + 1], (p->n - i - 1) * sizeof *p->c);
    p->n--;
    p->c[p->n][0] = t[0]; /* keep the initialised mpq in the spare slot */
}

void flatten_poly_add_term(flatten_poly *p, uint64_t key, const mpq_t c)
{
    if (mpq_sgn(c) == 0 || flatten_key_deg(key) > p->dmax) return;
    size_t i = poly_find(p, key);
    if (i < p->n && p->key[i] == key) {
        mpq_add(p->c[i], p->c[i], c);
        if (mpq_sgn(p->c[i]) == 0) poly_remove(p, i);
        return;
    }
    poly_reserve(p, p->n + 1);
    mpq_t t;
    t[0] = p->c[p->n][0];
    memmove(&p->key[i + 1], &p->key[i], (p->n - i) * sizeof *p->key);
    memmove(&p->c[i + 1], &p->c[i], (p->n - i) * sizeof *p->c);
    p->c[i][0] = t[0];
    p->key[i] = key;
    mpq_set(p->c[i], c);
    p->n++;
}

void flatten_poly_addmul(flatten_poly *p, const flatten_poly *q, const mpq_t c)
{
    if (mpq_sgn(c) == 0) return;
    mpq_t t;
    mpq_init(t);
    for (size_t i = 0; i < q->n; i++) {
        mpq_mul(t, q->c[i], c);
        flatten_poly_add_term(p, q->key[i], t);
    }
    mpq_clear(t);
}

/* Truncated product accumulated in an open-addressing hash table, then sorted. */
typedef struct {
    uint64_t key;
    size_t slot;
} keyslot;

static int keyslot_cmp(const void *a, const void *b)
{
    uint64_t x = ((const keyslot *)a)->key, y = ((const keyslot *)b)->key;
    return (x > y) - (x < y);
}

void flatten_poly_mul(flatten_poly *r, const flatten_poly *a, const flatten_poly *b)
{
    size_t cap = 16;
    while (cap < 2 * (a->n * b->n < 4096 ? a->n * b->n : 4096) + 16) cap *= 2;
    size_t used = 0;
    uint64_t *keys = xrealloc(NULL, cap * sizeof *keys);
    mpq_t *vals = xrealloc(NULL, cap * sizeof *vals);
    char *full = calloc(cap, 1);
    if (!full) abort();
    mpq_t t;
    mpq_init(t);
    int *da = xrealloc(NULL, (a->n + 1) * sizeof *da);
    for (size_t i = 0; i < a->n; i++) da[i] = flatten_key_deg(a->key[i]);
    for (size_t j = 0; j < b->n; j++) {
        int dbj = flatten_key_deg(b->key[j]);
        for (size_t i = 0; i < a->n; i++) {
            if (da[i] + dbj > r->dmax) continue;
            uint64_t k = a->key[i] + b->key[j]; /* no nibble overflow: degree <= 15 */
            mpq_mul(t, a->c[i], b->c[j]);
            if (2 * (used + 1) > cap) { /* grow and rehash */
                size_t ncap = cap * 2;
                uint64_t *nk = xrealloc(NULL, ncap * sizeof *nk);
                mpq_t *nv = xrealloc(NULL, ncap * sizeof *nv);
                char *nf = calloc(ncap, 1);
                if (!nf) abort();
                for (size_t s = 0; s < cap; s++) {
                    if (!full[s]) continue;
                    size_t h = (size_t)((keys[s] * 0x9E3779B97F4A7C15ull) >> 20) & (ncap - 1);
                    while (nf[h]) h = (h + 1) & (ncap - 1);
                    nf[h] = 1;
                    nk[h] = keys[s];
                    nv[h][0] = vals[s][0];
                }
                free(keys);
                free(vals);
                free(full);
                keys = nk;
                vals = nv;
                full = nf;
                cap = ncap;
            }
            size_t h = (size_t)((k * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
            while (full[h] && keys[h] != k) h = (h + 1) & (cap - 1);
            if (!full[h]) {
                full[h] = 1;
                keys[h] = k;
                mpq_init(vals[h]);
                mpq_set(vals[h], t);
                used++;
            } else {
                mpq_add(vals[h], vals[h], t);
            }
        }
    }
    keyslot *ks = xrealloc(NULL, (used + 1) * sizeof *ks);
    size_t m = 0;
    for (size_t s = 0; s < cap; s++)
        if (full[s]) ks[m++] = (keyslot){keys[s], s};
    qsort(ks, m, sizeof *ks, keyslot_cmp);
    poly_reserve(r, m);
    r->n = 0;
    for (size_t i = 0; i < m; i++) {
        mpq_t *v = &vals[ks[i].slot];
        if (mpq_sgn(*v) != 0) {
            r->key[r->n] = ks[i].key;
            mpq_set(r->c[r->n], *v);
            r->n++;
        }
        mpq_clear(*v);
    }
    free(ks);
    free(da);
    free(keys);
    free(vals);
    free(full);
    mpq_clear(t);
}

int flatten_poly_mindeg(const flatten_poly *p)
{
    int m = 1 << 20;
    for (size_t i = 0; i < p->n; i++) {
        int d = flatten_key_deg(p->key[i]);
        if (d < m) m = d;
    }
    return m;
}

/* listing: taylor */
// sigma(u) = sum_k sigma_k u^k, truncated at degree dmax.  Without biases u has
// no constant term, so u^k starts at degree k * mindeg(u) and the sum stops
// once that exceeds dmax.
void flatten_poly_act(flatten_poly *r, const flatten_act *a, const flatten_poly *u)
{
    flatten_poly pw, tmp;
    flatten_poly_init(&pw, r->nvar, r->dmax);
    flatten_poly_init(&tmp, r->nvar, r->dmax);
    flatten_poly_zero(r);
    mpq_t one;
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    flatten_poly_add_term(&pw, 0, one); /* u^0 = 1 */
    int md = u->n ? flatten_poly_mindeg(u) : 1 << 20;
    for (int k = 0; k <= a->deg && pw.n > 0; k++) {
        flatten_poly_addmul(r, &pw, a->s[k]);
        if (md == 0 && k >= r->dmax) break; /* constant input: cannot truncate by degree */
        if (md > 0 && (long)(k + 1) * md > r->dmax) break;
        flatten_poly_mul(&tmp, &pw, u);
        flatten_poly_copy(&pw, &tmp);
    }
    mpq_clear(one);
    flatten_poly_clear(&pw);
    flatten_poly_clear(&tmp);
}
/* end: taylor */

void flatten_poly_coeff(mpq_t out, const flatten_poly *p, uint64_t key)
{
    size_t i = poly_find(p, key);
    if (i < p->n && p->key[i] == key) mpq_set(out, p->c[i]);
    else mpq_set_ui(out, 0, 1);
}

int flatten_poly_equal_upto(const flatten_poly *a, const flatten_poly *b, int d)
{
    size_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        if (i < a->n && flatten_key_deg(a->key[i]) > d) { i++; continue; }
        if (j < b->n && flatten_key_deg(b->key[j]) > d) { j++; continue; }
        if (i == a->n || j == b->n) return 0;
        if (a->key[i] != b->key[j] || !mpq_equal(a->c[i], b->c[j])) return 0;
        i++;
        j++;
    }
    return 1;
}

double flatten_poly_eval_d(const flatten_poly *p, const double *x)
{
    double s = 0;
    for (size_t i = 0; i < p->n; i++) {
        double t = mpq_get_d(p->c[i]);
        for (int v = 0; v < p->nvar; v++)
            for (int e = flatten_key_exp(p->key[i], v); e > 0; e--) t *= x[v];
        s += t;
    }
    return s;
}

void flatten_poly_monomial(flatten_poly *p, const int *r)
{
    mpq_t one;
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    flatten_poly_zero(p);
    flatten_poly_add_term(p, flatten_key(r, p->nvar), one);
    mpq_clear(one);
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

/* --- RT Thm III.1 ---------------------------------------------------------------------- */

/* log2(2^a + 2^b) without overflow. */
static double log2_add(double a, double b)
{
    if (a < b) { double t = a; a = b; b = t; }
    if (b == -INFINITY) return a;
    return a + log2(1 + exp2(b - a));
}

double flatten_rt5_log2_bound(const double *b, int k)
{
    double s = -INFINITY, lp = 0; /* lp = log2 prod_{j>i} b_j */
    for (int i = k - 1; i >= 0; i--) {
        s = log2_add(s, lp + b[i]);
        lp += log2(b[i]);
    }
    return s;
}

/* listing: lagrange */
// Stationarity of sum_i P_i 2^b_i under sum ln b_i = ln n gives
// b_i = b_{i-1} + log2(b_{i-1} - 1/ln 2) (RT Thm III.1); b_1 solves prod b_i = n.
static double lagrange_prod(double *b, int k, double b1)
{
    double lp = log(b1);
    b[0] = b1;
    for (int i = 1; i < k; i++) {
        double t = b[i - 1] - 1 / log(2.0);
        if (t <= 0) return -INFINITY;
        b[i] = b[i - 1] + log2(t);
        if (b[i] <= 0) return -INFINITY;
        lp += log(b[i]);
    }
    return lp;
}

int flatten_rt5_lagrange(double *b, int k, double n)
{
    if (k == 1) {
        b[0] = n;
        return 0;
    }
    double lo = 1 / log(2.0) + 1.0 + 1e-12, hi = n; /* recursion needs b_1 - 1/ln 2 >= 1 */
    if (lagrange_prod(b, k, lo) > log(n)) return -1;
    for (int it = 0; it < 200; it++) {
        double mid = 0.5 * (lo + hi);
        if (lagrange_prod(b, k, mid) < log(n)) lo = mid;
        else hi = mid;
    }
    lagrange_prod(b, k, 0.5 * (lo + hi));
    return 0;
}
/* end: lagrange */

/* Any b with some b_i > log2(best) has a term 2^b_i above the best bound: the
 * box 1 <= b_i <= log2(best) is exhaustive.  b_k = ceil(need) is the least
 * integer completing prod b_i >= n. */
static void rt5_int_rec(int *best, int *cur, int k, int i, double need, double *bestv)
{
    if (i == k - 1) {
        double bk = ceil(need - 1e-9);
        if (bk < 1) bk = 1;
        if (bk > *bestv) return;
        cur[i] = (int)bk;
        double b[8];
        for (int j = 0; j < k; j++) b[j] = cur[j];
        double v = flatten_rt5_log2_bound(b, k);
        if (v < *bestv) {
            *bestv = v;
            memcpy(best, cur, (size_t)k * sizeof *cur);
        }
        return;
    }
    for (int bi = 1; bi <= *bestv; bi++) {
        cur[i] = bi;
        rt5_int_rec(best, cur, k, i + 1, need / bi, bestv);
        if (need / bi < 1) break;
    }
}

double flatten_rt5_integer(int *b, int k, double n)
{
    int cur[8];
    double br[8], bc[8];
    if (k < 1 || k > 8) return INFINITY;
    flatten_rt5_lagrange(br, k, n);
    for (int i = 0; i < k; i++) { /* a feasible start: the real optimum rounded up */
        bc[i] = ceil(br[i]);
        b[i] = (int)bc[i];
    }
    double v = flatten_rt5_log2_bound(bc, k);
    rt5_int_rec(b, cur, k, 0, n, &v);
    return v;
}

/* --- RT Thm II.2 ------------------------------------------------------------------------ */

void flatten_rt3_maxcoef(mpz_t out, int n, const int *r)
{
    int deg = 0;
    for (int i = 0; i < n; i++) deg += r[i];
    mpz_t *c = xrealloc(NULL, (size_t)(deg + 1) * sizeof *c), *t = xrealloc(NULL, (size_t)(deg + 1) * sizeof *t);
    for (int j = 0; j <= deg; j++) {
        mpz_init_set_ui(c[j], j == 0);
        mpz_init(t[j]);
    }
    int cur = 0;
    for (int i = 0; i < n; i++) { /* c *= 1 + y + ... + y^r_i */
        for (int j = 0; j <= cur + r[i]; j++) {
            mpz_set_ui(t[j], 0);
            for (int e = 0; e <= r[i] && e <= j; e++)
                if (j - e <= cur) mpz_add(t[j], t[j], c[j - e]);
        }
        cur += r[i];
        for (int j = 0; j <= cur; j++) mpz_set(c[j], t[j]);
    }
    mpz_set_ui(out, 0);
    for (int j = 0; j <= deg; j++)
        if (mpz_cmp(c[j], out) > 0) mpz_set(out, c[j]);
    for (int j = 0; j <= deg; j++) {
        mpz_clear(c[j]);
        mpz_clear(t[j]);
    }
    free(c);
    free(t);
}

/* --- LT-15 -------------------------------------------------------------------------------- */

/* Stage s of the radix-2 transforms (bit s): rows i and i^(1<<s) mix. */
long flatten_wht_synapses(int n)
{
    if (n < 1 || (n & (n - 1)) || n > 1024) return -1;
    /* Multiply the factors into a dense integer matrix and compare with Sylvester's
     * H[i][j] = (-1)^popcount(i & j). */
    long *m = xrealloc(NULL, (size_t)n * n * sizeof *m), *t = xrealloc(NULL, (size_t)n * n * sizeof *t);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) m[(size_t)i * n + j] = i == j;
    long nnz = 0;
    for (int s = 1; s < n; s <<= 1) {
        for (int i = 0; i < n; i++) {
            int lo = i & ~s, hi = i | s;
            nnz += 2;
            for (int j = 0; j < n; j++) /* row i of F_s * M: F has entries at (i,lo),(i,hi) */
                t[(size_t)i * n + j] = m[(size_t)lo * n + j] + ((i & s) ? -m[(size_t)hi * n + j] : m[(size_t)hi * n + j]);
        }
        long *x = m;
        m = t;
        t = x;
    }
    int ok = 1;
    for (int i = 0; i < n && ok; i++)
        for (int j = 0; j < n; j++)
            if (m[(size_t)i * n + j] != (__builtin_popcount((unsigned)(i & j)) & 1 ? -1 : 1)) ok = 0;
    free(m);
    free(t);
    return ok ? nnz : -1;
}

long flatten_fft_synapses(int n, double *maxerr)
{
    if (n < 1 || (n & (n - 1)) || n > 1024) return -1;
    int lg = 0;
    while ((1 << lg) < n) lg++;
    /* DIT: X = B_lg ... B_1 P x, P the bit reversal (a permutation: no synapses
     * counted, only wiring).  Apply to each unit vector and compare columns. */
    long nnz = 2L * n * lg;
    double err = 0;
    double complex *v = xrealloc(NULL, (size_t)n * sizeof *v);
    for (int col = 0; col < n; col++) {
        for (int i = 0; i < n; i++) {
            int rv = 0;
            for (int b = 0; b < lg; b++) rv |= ((i >> b) & 1) << (lg - 1 - b);
            v[i] = rv == col;
        }
        for (int len = 2; len <= n; len <<= 1) {
            for (int i = 0; i < n; i += len)
                for (int j = 0; j < len / 2; j++) { /* each output: 2 non-zero weights */
                    double complex w = cexp(-2 * M_PI * I * j / len);
                    double complex u = v[i + j], t = w * v[i + j + len / 2];
                    v[i + j] = u + t;
                    v[i + j + len / 2] = u - t;
                }
        }
        for (int k = 0; k < n; k++) {
            double complex ref = cexp(-2 * M_PI * I * (double)(((long)k * col) % n) / n);
            double e = cabs(v[k] - ref);
            if (e > err) err = e;
        }
    }
    free(v);
    *maxerr = err;
    return nnz;
}

double flatten_sparse_fill(int n, double p, uint64_t seed, uint32_t cell, uint32_t stream)
{
    rng_stream r;
    rng_init(&r, seed, cell, stream);
    size_t words = ((size_t)n + 63) / 64;
    uint64_t *arow = calloc((size_t)n * words, sizeof *arow), *bcol = calloc((size_t)n * words, sizeof *bcol);
    if (!arow || !bcol) abort();
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++)
            if (rng_uniform(&r) < p) arow[(size_t)i * words + k / 64] |= 1ull << (k % 64);
    for (int k = 0; k < n; k++)
        for (int j = 0; j < n; j++)
            if (rng_uniform(&r) < p) bcol[(size_t)j * words + k / 64] |= 1ull << (k % 64);
    long fill = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            int any = 0;
            for (size_t w = 0; w < words && !any; w++) any = (arow[(size_t)i * words + w] & bcol[(size_t)j * words + w]) != 0;
            fill += any;
        }
    free(arow);
    free(bcol);
    return (double)fill / ((double)n * n);
}

double flatten_eq27_fill(int n, double p) { return 1 - pow(1 - p * p, n); }
