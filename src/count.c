#include "count.h"

#include <stdlib.h>
#include <string.h>

void count_poly(mpz_t out, unsigned long n, unsigned long d)
{
    mpz_bin_uiui(out, n + d, d);
}

/* Exponent vectors e_0..e_{n-1} >= 0 with sum <= left, counted recursively. */
static void enum_exps(mpz_t acc, unsigned i, unsigned n, unsigned left)
{
    if (i == n) { mpz_add_ui(acc, acc, 1); return; }
    for (unsigned e = 0; e <= left; e++) enum_exps(acc, i + 1, n, left - e);
}

void count_poly_enum(mpz_t out, unsigned n, unsigned d)
{
    mpz_set_ui(out, 0);
    enum_exps(out, 0, n, d);
}

unsigned long count_pow_digits(unsigned long base, unsigned long e)
{
    mpz_t p;
    mpz_init(p);
    mpz_ui_pow_ui(p, base, e);
    char *s = mpz_get_str(NULL, 10, p); /* exact, unlike mpz_sizeinbase */
    unsigned long digits = strlen(s);
    free(s);
    mpz_clear(p);
    return digits;
}

unsigned long count_pow2_exceeds_pow10(unsigned long k)
{
    mpz_t a, b;
    mpz_inits(a, b, NULL);
    mpz_ui_pow_ui(b, 10, k);
    unsigned long n = 0;
    mpz_set_ui(a, 1);
    while (mpz_cmp(a, b) <= 0) { mpz_mul_2exp(a, a, 1); n++; }
    mpz_clears(a, b, NULL);
    return n;
}

/* listing: lattice-closed */
/* Supports of size s per anchor site (= orbits under translation).
 * NN: 1 site, `dim` bonds.  BOX: subsets of the (r+1)^dim box that touch
 * its lower face in every dimension, by inclusion-exclusion over the set T of
 * dimensions where the lower face is missed:
 *   O_s = sum_T (-1)^|T| C(r^|T| (r+1)^(dim-|T|), s). */
static void orbits(mpz_t out, const count_lattice *q, int s)
{
    mpz_set_ui(out, 0);
    if (q->locality == COUNT_NN) {
        if (s == 1) mpz_set_ui(out, 1);
        if (s == 2) mpz_set_ui(out, (unsigned long)q->dim);
        return;
    }
    mpz_t term, c;
    mpz_inits(term, c, NULL);
    for (int T = 0; T < (1 << q->dim); T++) {
        int t = __builtin_popcount((unsigned)T);
        unsigned long cells = 1;
        for (int i = 0; i < q->dim; i++) cells *= (unsigned long)(i < t ? q->r : q->r + 1);
        mpz_bin_uiui(c, cells, (unsigned long)s);
        if (t & 1) mpz_sub(out, out, c); else mpz_add(out, out, c);
    }
    mpz_clears(term, c, NULL);
}

int count_lattice_closed(mpz_t out, const count_lattice *q)
{
    unsigned long n = 1;
    for (int i = 0; i < q->dim; i++) n *= (unsigned long)q->L;
    if (q->locality == COUNT_GENERIC) {
        if (q->symmetric) return -1; /* no closed form here: orbits of arbitrary supports */
        count_poly(out, n, (unsigned long)q->d);
        if (!q->constant) mpz_sub_ui(out, out, 1);
        return 0;
    }
    int r = q->locality == COUNT_NN ? 1 : q->r;
    if (q->L < 3 * r + 1) return -1; /* pairwise-close sets need not fit one box */
    mpz_t o, c;
    mpz_inits(o, c, NULL);
    mpz_set_ui(out, q->constant ? 1 : 0);
    for (int s = 1; s <= q->d; s++) {
        orbits(o, q, s);
        if (!q->symmetric) mpz_mul_ui(o, o, n);
        mpz_bin_uiui(c, (unsigned long)q->d, (unsigned long)s); /* exponents >= 1, sum <= d */
        mpz_addmul(out, o, c);
    }
    mpz_clears(o, c, NULL);
    return 0;
}
/* end: lattice-closed */

/* ---- enumeration ---------------------------------------------------------- */

typedef struct {
    const count_lattice *q;
    int n;
    int coord[64][3];
    int sites[16], exps[16];
    /* canonical keys of the monomials found (symmetric) or a plain count */
    unsigned long long *keys;
    size_t nkeys, cap;
    unsigned long count;
    int overflow;
} enum_state;

static int periodic_dist(int a, int b, int L)
{
    int d = abs(a - b);
    return d < L - d ? d : L - d;
}

static int close_pair(const enum_state *st, int i, int j)
{
    const count_lattice *q = st->q;
    if (q->locality == COUNT_GENERIC) return 1;
    int man = 0, cheb = 0;
    for (int k = 0; k < q->dim; k++) {
        int d = periodic_dist(st->coord[i][k], st->coord[j][k], q->L);
        man += d;
        cheb = d > cheb ? d : cheb;
    }
    return q->locality == COUNT_NN ? man <= 1 : cheb <= q->r;
}

/* Key of a monomial: sorted (site, exponent) pairs packed 6+4 bits each. */
static unsigned long long pack(const int *sites, const int *exps, int s)
{
    int idx[16];
    for (int i = 0; i < s; i++) idx[i] = i;
    for (int i = 1; i < s; i++)
        for (int j = i; j > 0 && sites[idx[j]] < sites[idx[j - 1]]; j--) {
            int t = idx[j]; idx[j] = idx[j - 1]; idx[j - 1] = t;
        }
    unsigned long long k = (unsigned long long)s;
    for (int i = 0; i < s; i++) k = (k << 10) | (unsigned long long)(sites[idx[i]] << 4 | exps[idx[i]]);
    return k;
}

/* Smallest key over all translations of the monomial. */
static unsigned long long canonical(const enum_state *st, int s)
{
    const count_lattice *q = st->q;
    unsigned long long best = ~0ull;
    for (int t = 0; t < st->n; t++) {
        int moved[16];
        for (int i = 0; i < s; i++) {
            int site = 0;
            for (int k = q->dim - 1; k >= 0; k--)
                site = site * q->L + (st->coord[st->sites[i]][k] + st->coord[t][k]) % q->L;
            moved[i] = site;
        }
        unsigned long long key = pack(moved, st->exps, s);
        best = key < best ? key : best;
    }
    return best;
}

static void record(enum_state *st, int s)
{
    if (!st->q->symmetric) { st->count++; return; }
    if (st->nkeys == st->cap) {
        st->cap = st->cap ? 2 * st->cap : 1024;
        st->keys = realloc(st->keys, st->cap * sizeof *st->keys);
    }
    st->keys[st->nkeys++] = canonical(st, s);
}

/* Exponents >= 1 for the chosen sites with total degree <= left. */
static void assign_exps(enum_state *st, int i, int s, int left)
{
    if (i == s) { record(st, s); return; }
    for (int e = 1; e <= left - (s - i - 1); e++) {
        st->exps[i] = e;
        assign_exps(st, i + 1, s, left - e);
    }
}

/* Sites in increasing order, each close to all chosen so far. */
static void choose_sites(enum_state *st, int first, int s)
{
    if (s > 0) assign_exps(st, 0, s, st->q->d);
    if (s == st->q->d || s == 15) return;
    for (int j = first; j < st->n; j++) {
        int ok = 1;
        for (int i = 0; i < s && ok; i++) ok = close_pair(st, st->sites[i], j);
        if (!ok) continue;
        st->sites[s] = j;
        choose_sites(st, j + 1, s + 1);
    }
}

static int cmp_key(const void *a, const void *b)
{
    unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
    return x < y ? -1 : x > y;
}

int count_lattice_enum(mpz_t out, const count_lattice *q)
{
    enum_state st;
    memset(&st, 0, sizeof st);
    st.q = q;
    st.n = 1;
    for (int i = 0; i < q->dim; i++) st.n *= q->L;
    if (st.n > 64 || q->d > 4 || q->dim > 3) return -1;
    for (int s = 0; s < st.n; s++)
        for (int k = 0, v = s; k < q->dim; k++, v /= q->L) st.coord[s][k] = v % q->L;
    choose_sites(&st, 0, 0);
    unsigned long total = st.count;
    if (q->symmetric) {
        qsort(st.keys, st.nkeys, sizeof *st.keys, cmp_key);
        for (size_t i = 0; i < st.nkeys; i++) total += i == 0 || st.keys[i] != st.keys[i - 1];
        free(st.keys);
    }
    mpz_set_ui(out, total + (q->constant ? 1 : 0));
    return 0;
}
