#include "fu.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int log2_int(int L)
{
    int b = 0;
    while ((1 << b) < L) b++;
    return (1 << b) == L ? b : -1;
}

int fu_supported(int n, int L)
{
    int b = log2_int(L);
    if (n < 1 || n > FU_MAXN || b < 1 || L > 16) return -1;
    return (size_t)n * n * (size_t)b <= 24 ? 0 : -1;
}

size_t fu_outcomes(int n, int L)
{
    return (size_t)1 << (n * n * log2_int(L));
}

int fu_bits(int n, int L)
{
    return n * n * log2_int(L);
}

void fu_digits(int *y, size_t x, int n, int L)
{
    for (int k = n * n - 1; k >= 0; k--) { y[k] = (int)(x % (size_t)L); x /= (size_t)L; }
}

/* listing: ryser */
double complex fu_perm_ryser(const double complex *a, int n)
{
    double complex rowsum[FU_MAXN] = {0}, total = 0;
    unsigned gray = 0;
    for (unsigned k = 1; k < (1u << n); k++) {
        /* Gray code: subset k differs from k-1 in column j */
        int j = __builtin_ctz(k);
        unsigned next = k ^ (k >> 1);
        double sign = next & (1u << j) ? 1.0 : -1.0; /* column j enters or leaves */
        gray = next;
        double complex prod = 1;
        for (int i = 0; i < n; i++) {
            rowsum[i] += sign * a[i * n + j];
            prod *= rowsum[i];
        }
        total += (__builtin_popcount(gray) & 1 ? -1.0 : 1.0) * prod;
    }
    return (n & 1 ? -1.0 : 1.0) * total;
}
/* end: ryser */

/* Next permutation in lexicographic order; 0 after the last. */
static int next_perm(int *s, int n)
{
    int i = n - 2;
    while (i >= 0 && s[i] > s[i + 1]) i--;
    if (i < 0) return 0;
    int j = n - 1;
    while (s[j] < s[i]) j--;
    int t = s[i]; s[i] = s[j]; s[j] = t;
    for (int a = i + 1, b = n - 1; a < b; a++, b--) { t = s[a]; s[a] = s[b]; s[b] = t; }
    return 1;
}

int fu_perm_exact(int64_t *c, const int *y, int n, int L)
{
    int s[FU_MAXN];
    for (int i = 0; i < n; i++) s[i] = i;
    memset(c, 0, (size_t)(L / 2) * sizeof *c);
    do {
        int e = 0;
        for (int i = 0; i < n; i++) e += y[i * n + s[i]];
        e %= L;
        /* omega^e = omega^{e - L/2} * (-1) for e >= L/2 */
        if (e < L / 2) c[e]++; else c[e - L / 2]--;
    } while (next_perm(s, n));
    for (int k = 0; k < L / 2; k++)
        if (c[k]) return 1;
    return 0;
}

int64_t fu_perm2_exact(const int *y, int n, int L)
{
    int64_t c[8];
    fu_perm_exact(c, y, n, L);
    if (L == 2) return c[0] * c[0];
    if (L == 4) return c[0] * c[0] + c[1] * c[1]; /* |c0 + i c1|^2 */
    return -1;
}

int fu_distribution_exact(double *p, int64_t *total, int n, int L)
{
    if (fu_supported(n, L) != 0 || L > 4) return -1;
    size_t N = fu_outcomes(n, L);
    int64_t z = (int64_t)N; /* sum over y of |perm|^2 = L^{n^2} n! (RO-1) */
    for (int k = 2; k <= n; k++) z *= k;
    int64_t sum = 0;
    #pragma omp parallel for schedule(static) reduction(+ : sum)
    for (size_t x = 0; x < N; x++) {
        int y[FU_MAXN * FU_MAXN];
        fu_digits(y, x, n, L);
        int64_t q = fu_perm2_exact(y, n, L);
        sum += q;
        p[x] = (double)q / (double)z; /* q and z below 2^53: one correctly rounded division */
    }
    *total = sum;
    return 0;
}

int fu_distribution(double *p, int n, int L)
{
    if (fu_supported(n, L) != 0) return -1;
    size_t N = fu_outcomes(n, L);
    double fact = 1.0;
    for (int k = 2; k <= n; k++) fact *= k;
    double norm = 1.0 / ((double)N * fact); /* L^{n^2} = N */
    #pragma omp parallel for schedule(static)
    for (size_t x = 0; x < N; x++) {
        int y[FU_MAXN * FU_MAXN];
        double complex a[FU_MAXN * FU_MAXN];
        fu_digits(y, x, n, L);
        for (int k = 0; k < n * n; k++) a[k] = cexp(2.0 * M_PI * I * y[k] / L);
        double complex perm = fu_perm_ryser(a, n);
        p[x] = (creal(perm) * creal(perm) + cimag(perm) * cimag(perm)) * norm;
    }
    return 0;
}

void fu_haar(double *p, int bits, uint64_t seed, uint32_t cell)
{
    size_t N = (size_t)1 << bits, chunks = (N + 4095) / 4096;
    #pragma omp parallel for schedule(static)
    for (size_t c = 0; c < chunks; c++) {
        rng_stream r;
        rng_init(&r, seed, cell, (uint32_t)c);
        for (size_t x = c * 4096; x < N && x < (c + 1) * 4096; x++) {
            double re = rng_normal(&r), im = rng_normal(&r);
            p[x] = re * re + im * im;
        }
    }
    double s = 0.0;
    for (size_t x = 0; x < N; x++) s += p[x]; /* in order: thread-count independent */
    for (size_t x = 0; x < N; x++) p[x] /= s;
}

void fu_product(double *p, double *u, int bits, uint64_t seed, uint32_t cell)
{
    rng_stream r;
    rng_init(&r, seed, cell, 0);
    for (int k = 0; k < bits; k++) u[k] = rng_uniform(&r);
    size_t N = (size_t)1 << bits;
    #pragma omp parallel for schedule(static)
    for (size_t x = 0; x < N; x++) {
        double q = 1.0;
        for (int k = 0; k < bits; k++) {
            int bit = (int)(x >> (bits - 1 - k) & 1); /* qubit 0 is the most significant bit */
            q *= bit ? u[k] : 1.0 - u[k];
        }
        p[x] = q;
    }
}

void fu_stats_of(fu_stats *s, const double *p, size_t N)
{
    memset(s, 0, sizeof *s);
    double comp = 0.0; /* Neumaier's compensated sum: the sum of 2^18 terms within an ulp or two */
    for (size_t x = 0; x < N; x++) {
        double t = s->sum + p[x];
        comp += fabs(s->sum) >= fabs(p[x]) ? (s->sum - t) + p[x] : (p[x] - t) + s->sum;
        s->sum = t;
        s->max = p[x] > s->max ? p[x] : s->max;
        if (p[x] > 0) {
            s->nonzero++;
            s->entropy_bits -= p[x] * log2(p[x]);
        }
    }
    s->sum += comp;
}

/* listing: alias */
int fu_alias_init(fu_alias *a, const double *p, size_t n)
{
    a->n = n;
    a->prob = malloc(n * sizeof *a->prob);
    a->alias = malloc(n * sizeof *a->alias);
    uint32_t *small = malloc(n * sizeof *small), *large = malloc(n * sizeof *large);
    if (!a->prob || !a->alias || !small || !large) { free(small); free(large); return -1; }
    double total = 0.0;
    for (size_t i = 0; i < n; i++) total += p[i];
    size_t ns = 0, nl = 0;
    for (size_t i = 0; i < n; i++) {
        a->prob[i] = p[i] * (double)n / total; /* scaled so the mean is 1 */
        a->alias[i] = (uint32_t)i;
        if (a->prob[i] < 1.0) small[ns++] = (uint32_t)i; else large[nl++] = (uint32_t)i;
    }
    /* Vose: pair each under-full column with an over-full donor */
    while (ns && nl) {
        uint32_t s = small[--ns], l = large[--nl];
        a->alias[s] = l;
        a->prob[l] -= 1.0 - a->prob[s];
        if (a->prob[l] < 1.0) small[ns++] = l; else large[nl++] = l;
    }
    while (nl) a->prob[large[--nl]] = 1.0;
    while (ns) a->prob[small[--ns]] = 1.0; /* rounding leftovers */
    free(small);
    free(large);
    return 0;
}

size_t fu_alias_draw(const fu_alias *a, rng_stream *r)
{
    size_t i = (size_t)rng_below(r, a->n);
    return rng_uniform(r) < a->prob[i] ? i : a->alias[i];
}
/* end: alias */

void fu_alias_clear(fu_alias *a)
{
    free(a->prob);
    free(a->alias);
    a->prob = NULL;
    a->alias = NULL;
}
