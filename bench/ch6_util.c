/* Chapter 6 helpers: distribution tails (moved unchanged from the old
 * bench/ising.c) and torus observables.  See ch6_util.h. */
#include "ch6_util.h"
#include "ising.h"

#include <math.h>
#include <stdint.h>

/* --- distribution tails (for the joint tests) --------------------------------------- */

/* Continued fraction for the regularized incomplete beta (Lentz). */
static double betacf(double a, double b, double x)
{
    double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 - qab * x / qap;
    if (fabs(d) < 1e-300) d = 1e-300;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 1000; m++) {
        int m2 = 2 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1 + aa * d; if (fabs(d) < 1e-300) d = 1e-300;
        c = 1 + aa / c; if (fabs(c) < 1e-300) c = 1e-300;
        d = 1 / d; h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1 + aa * d; if (fabs(d) < 1e-300) d = 1e-300;
        c = 1 + aa / c; if (fabs(c) < 1e-300) c = 1e-300;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-15) break;
    }
    return h;
}

static double betai(double a, double b, double x)
{
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    double bt = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
    return x < (a + 1) / (a + b + 2) ? bt * betacf(a, b, x) / a : 1 - bt * betacf(b, a, 1 - x) / b;
}

/* Two-sided Student-t tail P(|t_nu| > t). */
double student_tail(double t, double nu) { return betai(nu / 2, 0.5, nu / (nu + t * t)); }

/* Upper tail of chi-square with k degrees of freedom: Q(k/2, x/2). */
double chi2_tail(double x, double k)
{
    double a = k / 2, z = x / 2;
    if (z <= 0) return 1;
    if (z < a + 1) { /* series for P */
        double sum = 1 / a, term = sum;
        for (int n = 1; n < 10000; n++) { term *= z / (a + n); sum += term; if (term < sum * 1e-16) break; }
        return 1 - sum * exp(-z + a * log(z) - lgamma(a));
    }
    double b = z + 1 - a, c = 1e300, d = 1 / b, h = d; /* continued fraction for Q */
    for (int n = 1; n < 10000; n++) {
        double an = -n * (n - a);
        b += 2;
        d = an * d + b; if (fabs(d) < 1e-300) d = 1e-300;
        c = b + an / c; if (fabs(c) < 1e-300) c = 1e-300;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-15) break;
    }
    return exp(-z + a * log(z) - lgamma(a)) * h;
}

/* --- torus observables ------------------------------------------------------------- */

/* E/N of an L x L torus configuration (L <= 16) given as bits (1 = up), and M/N. */
void ch6_torus_obs(double *e, double *m, const float *v, int L)
{
    int8_t s[256];
    int E, M;
    for (int i = 0; i < L * L; i++) s[i] = v[i] > 0.5f ? 1 : -1;
    ising_config_measure(&E, &M, s, L);
    *e = (double)E / (L * L);
    *m = (double)M / (L * L);
}
