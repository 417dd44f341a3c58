/* stats: tests and distributions for the verdicts (R's standalone math library). */
#include "stats.h"

#define MATHLIB_STANDALONE
#include <Rmath.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int stats_cmp(const void *p, const void *q)
{
    double a = *(const double *)p, b = *(const double *)q;
    return (a > b) - (a < b);
}

double stats_median(double *x, int n)
{
    if (n <= 0) return NAN;
    qsort(x, (size_t)n, sizeof *x, stats_cmp);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

double stats_sign_test_p(int k, int n) { return k <= 0 ? 1.0 : pbinom(k - 1, n, 0.5, 0, 0); }

double stats_t_upper(double t, double nu) { return pt(t, nu, 0, 0); }
double stats_chi2_upper(double x, double k) { return pchisq(x, k, 0, 0); }
double stats_normal_upper(double z) { return pnorm(z, 0.0, 1.0, 0, 0); }
double stats_t_quantile(double p, double nu) { return qt(p, nu, 1, 0); }
double stats_chi2_quantile(double p, double k) { return qchisq(p, k, 1, 0); }
double stats_normal_quantile(double p) { return qnorm(p, 0.0, 1.0, 1, 0); }

typedef struct {
    double v;
    int from_a;
} pooled;

static int pooled_cmp(const void *p, const void *q)
{
    return stats_cmp(&((const pooled *)p)->v, &((const pooled *)q)->v);
}

/* Twice the midranks of the pooled sample (integers), in pooled order, and
 * twice the rank sum of the a's.  Returns the pooled array (free it). */
static pooled *midranks(int *r2, long *w2, const double *a, int na, const double *b, int nb)
{
    int n = na + nb;
    pooled *p = malloc(sizeof *p * (size_t)n);
    if (!p) return NULL;
    for (int i = 0; i < na; i++) p[i] = (pooled){a[i], 1};
    for (int j = 0; j < nb; j++) p[na + j] = (pooled){b[j], 0};
    qsort(p, (size_t)n, sizeof *p, pooled_cmp);
    *w2 = 0;
    for (int i = 0; i < n;) {
        int j = i;
        while (j + 1 < n && p[j + 1].v == p[i].v) j++;
        for (int k = i; k <= j; k++) r2[k] = i + j + 2; /* 2 * midrank of ranks i+1..j+1 */
        i = j + 1;
    }
    for (int k = 0; k < n; k++)
        if (p[k].from_a) *w2 += r2[k];
    return p;
}

/* P(W <= w_obs) over the C(n, na) equally likely choices of the a's among
 * the pooled doubled ranks r2: count[k][s] by dynamic programming. */
static double exact_lower(const int *r2, int n, int na, long w2)
{
    long smax = 0;
    for (int k = 0; k < n; k++) smax += r2[k];
    size_t width = (size_t)smax + 1;
    long double *cnt = calloc((size_t)(na + 1) * width, sizeof *cnt);
    if (!cnt) return NAN;
    cnt[0] = 1.0L;
    for (int i = 0; i < n; i++)
        for (int k = (i + 1 < na ? i + 1 : na); k >= 1; k--) {
            long double *dst = cnt + (size_t)k * width, *src = cnt + (size_t)(k - 1) * width;
            for (long s = smax; s >= r2[i]; s--) dst[s] += src[s - r2[i]];
        }
    long double le = 0.0L, all = 0.0L;
    for (long s = 0; s <= smax; s++) {
        all += cnt[(size_t)na * width + (size_t)s];
        if (s <= w2) le += cnt[(size_t)na * width + (size_t)s];
    }
    free(cnt);
    return (double)(le / all);
}

/* listing: mannwhitney */
double stats_mann_whitney_p(const double *a, int na, const double *b, int nb)
{
    if (na <= 0 || nb <= 0) return 1.0;
    int n = na + nb;
    if (n > STATS_MW_EXACT_MAX) return stats_mann_whitney_p_normal(a, na, b, nb);
    int *r2 = malloc(sizeof *r2 * (size_t)n);
    long w2;
    pooled *p = r2 ? midranks(r2, &w2, a, na, b, nb) : NULL;
    /* a small rank sum of the a's is "a smaller": the lower tail of W */
    double pv = p ? exact_lower(r2, n, na, w2) : NAN;
    free(p);
    free(r2);
    return pv;
}
/* end: mannwhitney */

double stats_mann_whitney_p_normal(const double *a, int na, const double *b, int nb)
{
    if (na <= 0 || nb <= 0) return 1.0;
    int n = na + nb;
    int *r2 = malloc(sizeof *r2 * (size_t)n);
    long w2;
    pooled *p = r2 ? midranks(r2, &w2, a, na, b, nb) : NULL;
    if (!p) {
        free(r2);
        return NAN;
    }
    /* tie correction: sum over tie groups of t^3 - t */
    double ties = 0.0;
    for (int i = 0; i < n;) {
        int j = i;
        while (j + 1 < n && p[j + 1].v == p[i].v) j++;
        double t = j - i + 1;
        ties += t * t * t - t;
        i = j + 1;
    }
    free(p);
    free(r2);
    double w = w2 / 2.0, mu = na * (n + 1) / 2.0;
    double var = na * (double)nb / 12.0 * ((n + 1) - ties / ((double)n * (n - 1)));
    if (var <= 0) return 1.0;
    double z = (w - mu + 0.5) / sqrt(var); /* continuity: lower tail of W */
    return pnorm(z, 0.0, 1.0, 1, 0);
}
