/* stats: small statistical tests shared by the chapters. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

double stats_mann_whitney_p(const double *a, int na, const double *b, int nb)
{
    double u = 0.0;
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++) u += a[i] < b[j] ? 1.0 : a[i] == b[j] ? 0.5 : 0.0;
    double mu = na * (double)nb / 2.0, sd = sqrt(na * (double)nb * (na + nb + 1) / 12.0);
    double z = (mu - u) / sd; /* large u (a smaller) gives negative z */
    return 0.5 * erfc(-z / sqrt(2.0));
}

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
