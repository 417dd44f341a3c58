#include "multilinear.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* listing: moebius */
void multilinear_moebius(int64_t *a, const int64_t *h, int n)
{
    uint32_t N = 1u << n;
    memcpy(a, h, N * sizeof *a);
    /* One bit at a time: a_K -= a_{K \ {i}} for every K containing i. */
    for (int i = 0; i < n; i++)
        for (uint32_t K = 0; K < N; K++)
            if (K >> i & 1) a[K] -= a[K ^ (1u << i)];
}

void multilinear_zeta(int64_t *h, const int64_t *a, int n)
{
    uint32_t N = 1u << n;
    memcpy(h, a, N * sizeof *h);
    for (int i = 0; i < n; i++)
        for (uint32_t K = 0; K < N; K++)
            if (K >> i & 1) h[K] += h[K ^ (1u << i)];
}
/* end: moebius */

int64_t multilinear_eval(const int64_t *a, int n, uint32_t x)
{
    (void)n;
    int64_t s = a[0];
    /* all non-empty subsets K of x: K = (K - 1) & x enumerates them downwards */
    for (uint32_t K = x; K; K = (K - 1) & x) s += a[K];
    return s;
}

void multilinear_moebius_naive(int64_t *a, const int64_t *h, int n)
{
    uint32_t N = 1u << n;
    for (uint32_t K = 0; K < N; K++) {
        int64_t s = 0;
        int k = __builtin_popcount(K);
        for (uint32_t S = K;; S = (S - 1) & K) {
            int sign = (k - __builtin_popcount(S)) & 1 ? -1 : 1;
            s += sign * h[S];
            if (S == 0) break;
        }
        a[K] = s;
    }
}

double multilinear_sigmoid(double t)
{
    return t >= 0 ? 1.0 / (1.0 + exp(-t)) : exp(t) / (1.0 + exp(t));
}

/* listing: product-unit */
double multilinear_unit(int k, int s, double beta)
{
    /* LT Eq. 13: prod_{i in K} x_i = lim sigma(-beta (k - 1/2 - sum_{i in K} x_i)) */
    return multilinear_sigmoid(-beta * ((double)k - 0.5 - (double)s));
}

double multilinear_net_eval(const int64_t *a, int n, uint32_t x, double beta)
{
    uint32_t N = 1u << n;
    double out = (double)a[0]; /* output bias: the empty set's coefficient */
    for (uint32_t K = 1; K < N; K++) {
        if (!a[K]) continue;
        int k = __builtin_popcount(K), s = __builtin_popcount(K & x);
        out += (double)a[K] * multilinear_unit(k, s, beta);
    }
    return out;
}
/* end: product-unit */

int multilinear_net_units(const int64_t *a, int n)
{
    int u = 0;
    for (uint32_t K = 1; K < (1u << n); K++) u += a[K] != 0;
    return u;
}

double multilinear_net_maxerr(const int64_t *a, const int64_t *h, int n, double beta)
{
    uint32_t N = 1u << n;
    double m = 0.0;
    #pragma omp parallel for reduction(max : m) schedule(static)
    for (uint32_t x = 0; x < N; x++) {
        double e = fabs(multilinear_net_eval(a, n, x, beta) - (double)h[x]);
        m = e > m ? e : m;
    }
    return m;
}

double multilinear_net_errbound(const int64_t *a, int n, double beta)
{
    double s = 0.0;
    int units = multilinear_net_units(a, n);
    for (uint32_t K = 1; K < (1u << n); K++) s += fabs((double)a[K]);
    /* unit error <= sigma(-beta/2) each, each unit's value carries <= 4 ulp
     * (exp, add, divide), and a sum of units+1 terms adds (units+1) ulp of
     * the running magnitude <= |a_0| + s. */
    double total = fabs((double)a[0]) + s;
    return s * (multilinear_sigmoid(-beta / 2) + 4 * DBL_EPSILON) +
           (units + 1) * DBL_EPSILON * total;
}

double multilinear_unit_maxerr(int k, double beta)
{
    double m = 0.0;
    for (int s = 0; s <= k; s++) {
        double e = fabs(multilinear_unit(k, s, beta) - (s == k ? 1.0 : 0.0));
        m = e > m ? e : m;
    }
    return m;
}

double multilinear_beta_for_decimals(int k, int D)
{
    double target = 0.5 * pow(10.0, -D), lo = 0.0, hi = 1.0;
    while (multilinear_unit_maxerr(k, hi) >= target) hi *= 2; /* error falls monotonically */
    while (hi - lo > 1e-9) {
        double mid = 0.5 * (lo + hi);
        if (multilinear_unit_maxerr(k, mid) < target) hi = mid; else lo = mid;
    }
    return hi;
}
