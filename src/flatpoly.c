/* flatpoly: the exact rational polynomial engine (see flatpoly.h). */
#include "flatpoly.h"

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
