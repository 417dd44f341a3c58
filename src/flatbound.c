/* flatbound: counts and bounds of RT Thm III.1, RT Thm II.2 and LT-15 (see flatbound.h). */
#include "flatbound.h"
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
