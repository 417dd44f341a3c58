/* suffstat: exact sufficient statistics on rational distributions. */
#include "suffstat.h"

#include <flint/fmpz.h>
#include <stdlib.h>

static mpq_t *qvec(size_t n)
{
    mpq_t *v = malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++) mpq_init(v[i]);
    return v;
}

static void qfree(mpq_t *v, size_t n)
{
    if (!v) return;
    for (size_t i = 0; i < n; i++) mpq_clear(v[i]);
    free(v);
}

/* Random integer weights in [1, wmax], rows of length len normalized. */
static void qrand_rows_w(mpq_t *v, rng_stream *r, int rows, int len, unsigned long wmax)
{
    mpq_t s;
    mpq_init(s);
    for (int a = 0; a < rows; a++) {
        mpq_set_ui(s, 0, 1);
        for (int b = 0; b < len; b++) {
            mpq_set_ui(v[a * len + b], 1 + (unsigned long)rng_below(r, wmax), 1);
            mpq_add(s, s, v[a * len + b]);
        }
        for (int b = 0; b < len; b++) mpq_div(v[a * len + b], v[a * len + b], s);
    }
    mpq_clear(s);
}

static void qrand_rows(mpq_t *v, rng_stream *r, int rows, int len) { qrand_rows_w(v, r, rows, len, 9); }

/* Weights for the tagged family: wide enough that coincidental proportional
 * columns (which small weights produce in a few per cent of chains) are negligible. */
#define TAG_WMAX 65536UL

void suff_chain_init(suff_chain *c, int n, const int *k)
{
    c->n = n;
    for (int j = 0; j <= n; j++) c->k[j] = k[j];
    c->prior = qvec((size_t)k[0]);
    for (int j = 0; j < n; j++) c->M[j] = qvec((size_t)k[j] * (size_t)k[j + 1]);
}

void suff_chain_clear(suff_chain *c)
{
    qfree(c->prior, (size_t)c->k[0]);
    for (int j = 0; j < c->n; j++) qfree(c->M[j], (size_t)c->k[j] * (size_t)c->k[j + 1]);
}

void suff_chain_random(suff_chain *c, rng_stream *r, int n, const int *k)
{
    suff_chain_init(c, n, k);
    qrand_rows(c->prior, r, 1, k[0]);
    for (int j = 0; j < n; j++) qrand_rows(c->M[j], r, k[j], k[j + 1]);
}

static int ipow(int b, int e)
{
    int p = 1;
    while (e-- > 0) p *= b;
    return p;
}

int suff_tagged_classes(int n, int S, int m, int i)
{
    return i >= n ? S * ipow(m, n) : (S - 1) * ipow(m, i);
}

void suff_chain_tagged(suff_chain *c, rng_stream *r, int n, int S, int m)
{
    int k[SUFF_MAXLEV + 1];
    for (int j = 0; j <= n; j++) k[j] = S * ipow(m, j);
    suff_chain_init(c, n, k);
    qrand_rows_w(c->prior, r, 1, S, TAG_WMAX);
    mpq_t *A = qvec((size_t)S * S), *q = qvec((size_t)m), s;
    mpq_init(s);
    for (int j = 0; j < n; j++) {
        qrand_rows_w(A, r, S, S, TAG_WMAX);
        qrand_rows_w(q, r, 1, m, TAG_WMAX);
        if (j == n - 1) /* column 0 = 2 x column 1, rows renormalized: still proportional */
            for (int a = 0; a < S; a++) {
                mpq_add(A[a * S], A[a * S + 1], A[a * S + 1]);
                mpq_set_ui(s, 0, 1);
                for (int b = 0; b < S; b++) mpq_add(s, s, A[a * S + b]);
                for (int b = 0; b < S; b++) mpq_div(A[a * S + b], A[a * S + b], s);
            }
        int tags = ipow(m, j);
        /* (s, tag code) -> (s', tag code + t m^j): A[s][s'] q[t] */
        for (int tc = 0; tc < tags; tc++)
            for (int a = 0; a < S; a++)
                for (int b = 0; b < S; b++)
                    for (int t = 0; t < m; t++)
                        mpq_mul(c->M[j][(size_t)(a + S * tc) * k[j + 1] + b + S * (tc + t * tags)], A[a * S + b], q[t]);
    }
    mpq_clear(s);
    qfree(A, (size_t)S * S);
    qfree(q, (size_t)m);
}

/* listing: suffpartition */
int suff_partition(int *cls, const suff_chain *c, int i)
{
    int kn = c->k[c->n], ki = c->k[i];
    // L = P(y_n | y_i) = M_i M_{i+1} ... M_{n-1}, built from the right
    mpq_t *L = qvec((size_t)c->k[c->n] * kn), *T = NULL, t;
    mpq_init(t);
    for (int v = 0; v < kn; v++) mpq_set_ui(L[(size_t)v * kn + v], 1, 1);
    for (int j = c->n - 1; j >= i; j--) {
        int a_n = c->k[j], b_n = c->k[j + 1];
        T = qvec((size_t)a_n * kn);
        for (int a = 0; a < a_n; a++)
            for (int b = 0; b < b_n; b++)
                for (int v = 0; v < kn; v++) {
                    mpq_mul(t, c->M[j][(size_t)a * b_n + b], L[(size_t)b * kn + v]);
                    mpq_add(T[(size_t)a * kn + v], T[(size_t)a * kn + v], t);
                }
        qfree(L, (size_t)b_n * kn);
        L = T;
    }
    // prior of y_i: P(y_0) M_0 ... M_{i-1}
    mpq_t *p = qvec((size_t)c->k[0]);
    for (int a = 0; a < c->k[0]; a++) mpq_set(p[a], c->prior[a]);
    for (int j = 0; j < i; j++) {
        mpq_t *p2 = qvec((size_t)c->k[j + 1]);
        for (int a = 0; a < c->k[j]; a++)
            for (int b = 0; b < c->k[j + 1]; b++) {
                mpq_mul(t, p[a], c->M[j][(size_t)a * c->k[j + 1] + b]);
                mpq_add(p2[b], p2[b], t);
            }
        qfree(p, (size_t)c->k[j]);
        p = p2;
    }
    // posterior column v: P(y_i = a | y_n = v) = p[a] L[a][v] / sum_a p[a] L[a][v]
    mpq_t *post = qvec((size_t)ki * kn);
    for (int v = 0; v < kn; v++) {
        mpq_set_ui(t, 0, 1);
        for (int a = 0; a < ki; a++) {
            mpq_mul(post[(size_t)v * ki + a], p[a], L[(size_t)a * kn + v]);
            mpq_add(t, t, post[(size_t)v * ki + a]);
        }
        if (mpq_sgn(t) == 0) continue; // y_n = v impossible: the zero vector, one class for all such v
        for (int a = 0; a < ki; a++) mpq_div(post[(size_t)v * ki + a], post[(size_t)v * ki + a], t);
    }
    // classes: equal posterior vectors, compared exactly
    int ncls = 0, *rep = malloc((size_t)kn * sizeof *rep);
    for (int v = 0; v < kn; v++) {
        cls[v] = -1;
        for (int c2 = 0; c2 < ncls && cls[v] < 0; c2++) {
            int eq = 1;
            for (int a = 0; a < ki && eq; a++) eq = mpq_equal(post[(size_t)v * ki + a], post[(size_t)rep[c2] * ki + a]);
            if (eq) cls[v] = c2;
        }
        if (cls[v] < 0) rep[ncls] = v, cls[v] = ncls++;
    }
    free(rep);
    qfree(post, (size_t)ki * kn);
    qfree(p, (size_t)ki);
    qfree(L, (size_t)ki * kn);
    mpq_clear(t);
    return ncls;
}
/* end: suffpartition */

int suff_refines(const int *fine, const int *coarse, int len)
{
    for (int v = 0; v < len; v++)
        for (int w = v + 1; w < len; w++)
            if (fine[v] == fine[w] && coarse[v] != coarse[w]) return 0;
    return 1;
}

/* --- data processing inequality ----------------------------------------- */
void suff_joint_init(suff_joint *J, int nx, int ny)
{
    J->nx = nx, J->ny = ny;
    J->p = qvec((size_t)nx * ny);
}

void suff_joint_clear(suff_joint *J) { qfree(J->p, (size_t)J->nx * J->ny); }

void suff_joint_random(suff_joint *J, rng_stream *r, int nx, int ny)
{
    suff_joint_init(J, nx, ny);
    qrand_rows(J->p, r, 1, nx * ny);
}

void suff_joint_sufficient(suff_joint *J, rng_stream *r, int nx, int ny, const int *f, int nz)
{
    suff_joint_init(J, nx, ny);
    mpq_t *pxz = qvec((size_t)nx * nz), *w = qvec((size_t)ny), s;
    mpq_init(s);
    qrand_rows(pxz, r, 1, nx * nz);
    qrand_rows(w, r, 1, ny);
    for (int z = 0; z < nz; z++) { /* w(y | z): normalize within the class */
        mpq_set_ui(s, 0, 1);
        for (int y = 0; y < ny; y++) if (f[y] == z) mpq_add(s, s, w[y]);
        for (int y = 0; y < ny; y++) if (f[y] == z) mpq_div(w[y], w[y], s);
    }
    for (int x = 0; x < nx; x++)
        for (int y = 0; y < ny; y++) mpq_mul(J->p[x * ny + y], pxz[x * nz + f[y]], w[y]);
    mpq_clear(s);
    qfree(pxz, (size_t)nx * nz);
    qfree(w, (size_t)ny);
}

/* Marginals P(y), P(z = f(y)) and P(x, z). */
static void marginals(mpq_t *py, mpq_t *pz, mpq_t *px, const suff_joint *J, const int *f)
{
    for (int x = 0; x < J->nx; x++)
        for (int y = 0; y < J->ny; y++) {
            const mpq_t *q = &J->p[x * J->ny + y];
            mpq_add(py[y], py[y], *q);
            mpq_add(pz[f[y]], pz[f[y]], *q);
            mpq_add(px[x], px[x], *q);
        }
}

static void pxz_of(mpq_t *pxz, const suff_joint *J, const int *f, int nz)
{
    for (int x = 0; x < J->nx; x++)
        for (int y = 0; y < J->ny; y++) mpq_add(pxz[x * nz + f[y]], pxz[x * nz + f[y]], J->p[x * J->ny + y]);
}

/* P(x | y) / P(x | f(y)) = P(x,y) P(z) / (P(y) P(x,z)), exactly. */
static void ratio(mpq_t r, const suff_joint *J, const mpq_t *py, const mpq_t *pz, const mpq_t *pxz, const int *f,
                  int nz, int x, int y)
{
    /* both posteriors 0, or y never occurs: nothing to compare */
    if (mpq_sgn(pxz[x * nz + f[y]]) == 0 || mpq_sgn(py[y]) == 0) { mpq_set_ui(r, 1, 1); return; }
    mpq_t d;
    mpq_init(d);
    mpq_mul(r, J->p[x * J->ny + y], pz[f[y]]);
    mpq_mul(d, py[y], pxz[x * nz + f[y]]);
    mpq_div(r, r, d);
    mpq_clear(d);
}

int suff_is_sufficient(const suff_joint *J, const int *f, int nz)
{
    mpq_t *py = qvec((size_t)J->ny), *pz = qvec((size_t)nz), *px = qvec((size_t)J->nx);
    mpq_t *pxz = qvec((size_t)J->nx * nz), r;
    mpq_init(r);
    marginals(py, pz, px, J, f);
    pxz_of(pxz, J, f, nz);
    int ok = 1;
    for (int x = 0; x < J->nx && ok; x++)
        for (int y = 0; y < J->ny && ok; y++) {
            ratio(r, J, py, pz, pxz, f, nz, x, y);
            ok = mpq_cmp_ui(r, 1, 1) == 0;
        }
    mpq_clear(r);
    qfree(py, (size_t)J->ny), qfree(pz, (size_t)nz), qfree(px, (size_t)J->nx), qfree(pxz, (size_t)J->nx * nz);
    return ok;
}

static void arb_set_mpq(arb_t a, const mpq_t q, slong prec)
{
    fmpz_t n, d;
    fmpz_init(n), fmpz_init(d);
    fmpz_set_mpz(n, mpq_numref(q)), fmpz_set_mpz(d, mpq_denref(q));
    arb_fmpz_div_fmpz(a, n, d, prec);
    fmpz_clear(n), fmpz_clear(d);
}

/* acc += w log(ratio), with w and ratio exact; an exactly-1 ratio adds exactly 0. */
static void add_plogr(arb_t acc, const mpq_t w, const mpq_t ratio_q, slong prec)
{
    if (mpq_sgn(w) == 0 || mpq_cmp_ui(ratio_q, 1, 1) == 0) return;
    arb_t a, b;
    arb_init(a), arb_init(b);
    arb_set_mpq(a, ratio_q, prec);
    arb_log(a, a, prec);
    arb_set_mpq(b, w, prec);
    arb_addmul(acc, a, b, prec);
    arb_clear(a), arb_clear(b);
}

/* listing: suffdpi */
void suff_dpi(suff_dpi_result *out, const suff_joint *J, const int *f, int nz, slong prec)
{
    int nx = J->nx, ny = J->ny;
    mpq_t *py = qvec((size_t)ny), *pz = qvec((size_t)nz), *px = qvec((size_t)nx);
    mpq_t *pxz = qvec((size_t)nx * nz), r;
    mpq_init(r);
    marginals(py, pz, px, J, f);
    pxz_of(pxz, J, f, nz);
    arb_t ixy, ixf, gap, diff;
    arb_init(ixy), arb_init(ixf), arb_init(gap), arb_init(diff);
    for (int x = 0; x < nx; x++) {
        for (int y = 0; y < ny; y++) { // I(x;y) = sum p(x,y) log[p(x,y) / (p(x) p(y))]
            if (mpq_sgn(J->p[x * ny + y]) == 0) continue; // 0 log 0 = 0; the gap term is 0 too
            mpq_mul(r, px[x], py[y]);
            mpq_div(r, J->p[x * ny + y], r);
            add_plogr(ixy, J->p[x * ny + y], r, prec);
            ratio(r, J, py, pz, pxz, f, nz, x, y); // gap term: log[P(x|y) / P(x|f(y))]
            add_plogr(gap, J->p[x * ny + y], r, prec);
        }
        for (int z = 0; z < nz; z++) { // I(x;f(y)) from P(x, z)
            if (mpq_sgn(pxz[x * nz + z]) == 0) continue;
            mpq_mul(r, px[x], pz[z]);
            mpq_div(r, pxz[x * nz + z], r);
            add_plogr(ixf, pxz[x * nz + z], r, prec);
        }
    }
    arb_sub(diff, ixy, ixf, prec);
    out->ixy = arf_get_d(arb_midref(ixy), ARF_RND_NEAR);
    out->ixf = arf_get_d(arb_midref(ixf), ARF_RND_NEAR);
    out->gap = arf_get_d(arb_midref(gap), ARF_RND_NEAR);
    arb_t lo;
    arb_init(lo);
    arb_get_lbound_arf(arb_midref(lo), diff, prec);
    out->diff_lo = arf_get_d(arb_midref(lo), ARF_RND_DOWN);
    arb_clear(lo);
    out->identity_ok = arb_overlaps(gap, diff);
    if (arb_is_positive(diff)) out->kind = SUFF_STRICT;
    else if (arb_is_zero(gap) && arb_contains_zero(diff)) out->kind = SUFF_EQUAL;
    else out->kind = SUFF_UNDECIDED;
    arb_clear(ixy), arb_clear(ixf), arb_clear(gap), arb_clear(diff);
    mpq_clear(r);
    qfree(py, (size_t)ny), qfree(pz, (size_t)nz), qfree(px, (size_t)nx), qfree(pxz, (size_t)nx * nz);
}
/* end: suffdpi */

int suff_dpi_check(const suff_joint *J, const int *f, int nz, int claimed, slong prec)
{
    suff_dpi_result d;
    suff_dpi(&d, J, f, nz, prec);
    if (!d.identity_ok) return 0;
    return claimed ? d.kind == SUFF_EQUAL : d.kind == SUFF_STRICT;
}
