#include "bayes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Cholesky A = L L^T (lower, row-major); -1 if not positive definite. */
static int cholesky(double *L, const double *A, int d)
{
    memset(L, 0, (size_t)(d * d) * sizeof *L);
    for (int i = 0; i < d; i++)
        for (int j = 0; j <= i; j++) {
            double s = A[i * d + j];
            for (int t = 0; t < j; t++) s -= L[i * d + t] * L[j * d + t];
            if (i == j) {
                if (s <= 0) return -1;
                L[i * d + i] = sqrt(s);
            } else {
                L[i * d + j] = s / L[j * d + j];
            }
        }
    return 0;
}

/* Gauss-Jordan with partial pivoting: inv = A^{-1}, *det = det A. */
static int gauss_jordan(double *inv, double *det, const double *A, int d)
{
    double M[BAYES_MAXD][2 * BAYES_MAXD];
    for (int i = 0; i < d; i++)
        for (int j = 0; j < 2 * d; j++) M[i][j] = j < d ? A[i * d + j] : (j - d == i);
    double dt = 1.0;
    for (int c = 0; c < d; c++) {
        int p = c;
        for (int i = c + 1; i < d; i++) p = fabs(M[i][c]) > fabs(M[p][c]) ? i : p;
        if (M[p][c] == 0.0) return -1;
        if (p != c) {
            for (int j = 0; j < 2 * d; j++) { double t = M[p][j]; M[p][j] = M[c][j]; M[c][j] = t; }
            dt = -dt;
        }
        double piv = M[c][c];
        dt *= piv;
        for (int j = 0; j < 2 * d; j++) M[c][j] /= piv;
        for (int i = 0; i < d; i++) {
            if (i == c) continue;
            double f = M[i][c];
            for (int j = 0; j < 2 * d; j++) M[i][j] -= f * M[c][j];
        }
    }
    for (int i = 0; i < d; i++)
        for (int j = 0; j < d; j++) inv[i * d + j] = M[i][d + j];
    *det = dt;
    return 0;
}

int bayes_gauss_random(bayes_gauss *g, int k, int d, double spread, rng_stream *r)
{
    if (k < 1 || k > BAYES_MAXK || d < 1 || d > BAYES_MAXD) return -1;
    memset(g, 0, sizeof *g);
    g->k = k;
    g->d = d;
    double wsum = 0.0;
    for (int c = 0; c < k; c++) {
        g->prior[c] = 0.5 + rng_uniform(r);
        wsum += g->prior[c];
        for (int i = 0; i < d; i++) g->mean[c][i] = spread * rng_normal(r);
        double A[BAYES_MAXD * BAYES_MAXD];
        for (int t = 0; t < d * d; t++) A[t] = 0.7 * rng_normal(r);
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) {
                double s = i == j ? 0.3 : 0.0;
                for (int t = 0; t < d; t++) s += A[i * d + t] * A[j * d + t];
                g->cov[c][i * d + j] = s;
            }
        if (cholesky(g->chol[c], g->cov[c], d) != 0) return -1;
        g->logdet[c] = 0.0;
        for (int i = 0; i < d; i++) g->logdet[c] += 2.0 * log(g->chol[c][i * d + i]);
        if (gauss_jordan(g->inv[c], &g->det[c], g->cov[c], d) != 0) return -1;
    }
    for (int c = 0; c < k; c++) g->prior[c] /= wsum;
    return 0;
}

void bayes_gauss_sample(int *y, double *x, const bayes_gauss *g, rng_stream *r)
{
    double u = rng_uniform(r), acc = 0.0;
    int c = g->k - 1;
    for (int t = 0; t < g->k; t++) {
        acc += g->prior[t];
        if (u < acc) { c = t; break; }
    }
    double z[BAYES_MAXD];
    for (int i = 0; i < g->d; i++) z[i] = rng_normal(r);
    for (int i = 0; i < g->d; i++) {
        double s = g->mean[c][i];
        for (int j = 0; j <= i; j++) s += g->chol[c][i * g->d + j] * z[j]; /* x = m + L z */
        x[i] = s;
    }
    *y = c;
}

/* listing: gauss-hamiltonian */
void bayes_gauss_hamiltonians(double *H, double *mu, const bayes_gauss *g, const double *x)
{
    int d = g->d;
    for (int c = 0; c < g->k; c++) {
        /* H_c(x) = |L^{-1}(x - m)|^2 / 2 + ln det(Sigma) / 2 + (d/2) ln 2 pi */
        double z[BAYES_MAXD], q = 0.0;
        for (int i = 0; i < d; i++) {
            double s = x[i] - g->mean[c][i];
            for (int j = 0; j < i; j++) s -= g->chol[c][i * d + j] * z[j];
            z[i] = s / g->chol[c][i * d + i];
            q += z[i] * z[i];
        }
        H[c] = 0.5 * q + 0.5 * g->logdet[c] + 0.5 * d * log(2.0 * M_PI);
        mu[c] = -log(g->prior[c]);
    }
}
/* end: gauss-hamiltonian */

void bayes_gauss_posterior_direct(double *p, const bayes_gauss *g, const double *x)
{
    int d = g->d;
    double tot = 0.0;
    for (int c = 0; c < g->k; c++) {
        /* p(x|c) p(c) with p(x|c) = exp(-q/2) / sqrt((2 pi)^d det Sigma), q = r^T Sigma^{-1} r */
        double q = 0.0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                q += (x[i] - g->mean[c][i]) * g->inv[c][i * d + j] * (x[j] - g->mean[c][j]);
        p[c] = g->prior[c] * exp(-0.5 * q) / sqrt(pow(2.0 * M_PI, d) * g->det[c]);
        tot += p[c];
    }
    for (int c = 0; c < g->k; c++) p[c] /= tot;
}

double bayes_chain_energy(const bayes_chain *c, unsigned s)
{
    int n = c->n, bond = 0, mag = 0;
    for (int i = 0; i < n; i++) {
        int si = (s >> i) & 1 ? 1 : -1, sj = (s >> ((i + 1) % n)) & 1 ? 1 : -1;
        bond += si * sj;
        mag += si;
    }
    return -c->J * bond - c->h * mag;
}

/* listing: chain-transfer */
double bayes_chain_lnz_transfer(int n, double beta, double J, double h)
{
    /* Eigenvalues of T = [[e^{b(J+h)}, e^{-bJ}], [e^{-bJ}, e^{b(J-h)}]]. */
    double a = exp(beta * J) * cosh(beta * h);
    double r = sqrt(exp(2.0 * beta * J) * sinh(beta * h) * sinh(beta * h) + exp(-2.0 * beta * J));
    double lp = a + r, lm = a - r;
    /* ln(lp^n + lm^n) = n ln lp + ln(1 + (lm/lp)^n) */
    return n * log(lp) + log1p(pow(lm / lp, n));
}
/* end: chain-transfer */

int bayes_chain_init(bayes_chain *c, int n, double J, double h, int k, const double *temps,
                     const double *prior)
{
    if (n < 2 || n > 20 || k < 1 || k > BAYES_MAXK) return -1;
    memset(c, 0, sizeof *c);
    c->n = n; c->k = k; c->J = J; c->h = h;
    size_t ns = (size_t)1 << n;
    c->energy = malloc(ns * sizeof *c->energy);
    c->cdf = malloc((size_t)k * ns * sizeof *c->cdf);
    if (!c->energy || !c->cdf) { bayes_chain_clear(c); return -1; }
    for (size_t s = 0; s < ns; s++) c->energy[s] = bayes_chain_energy(c, (unsigned)s);
    double psum = 0.0;
    for (int y = 0; y < k; y++) psum += prior[y];
    for (int y = 0; y < k; y++) {
        c->beta[y] = 1.0 / temps[y];
        c->prior[y] = prior[y] / psum;
        c->lnz[y] = bayes_chain_lnz_transfer(n, c->beta[y], J, h);
        double z = 0.0, *cdf = c->cdf + (size_t)y * ns;
        for (size_t s = 0; s < ns; s++) {
            z += exp(-c->beta[y] * c->energy[s]);
            cdf[s] = z;
        }
        c->z_enum[y] = z;
        for (size_t s = 0; s < ns; s++) cdf[s] /= z;
    }
    return 0;
}

void bayes_chain_clear(bayes_chain *c)
{
    free(c->energy);
    free(c->cdf);
    c->energy = c->cdf = NULL;
}

void bayes_chain_sample(int *y, unsigned *s, const bayes_chain *c, rng_stream *r)
{
    double u = rng_uniform(r), acc = 0.0;
    int cls = c->k - 1;
    for (int t = 0; t < c->k; t++) {
        acc += c->prior[t];
        if (u < acc) { cls = t; break; }
    }
    const double *cdf = c->cdf + (size_t)cls * ((size_t)1 << c->n);
    double v = rng_uniform(r);
    size_t lo = 0, hi = ((size_t)1 << c->n) - 1;
    while (lo < hi) { /* first state with cdf > v */
        size_t mid = (lo + hi) / 2;
        if (cdf[mid] > v) hi = mid; else lo = mid + 1;
    }
    *y = cls;
    *s = (unsigned)lo;
}

void bayes_chain_hamiltonians(double *H, double *mu, const bayes_chain *c, unsigned s)
{
    double e = c->energy[s];
    for (int y = 0; y < c->k; y++) {
        H[y] = c->beta[y] * e + c->lnz[y]; /* -ln p(s|y) = beta E + ln Z */
        mu[y] = -log(c->prior[y]);
    }
}

void bayes_chain_posterior_direct(double *p, const bayes_chain *c, unsigned s)
{
    double tot = 0.0, e = c->energy[s];
    for (int y = 0; y < c->k; y++) {
        p[y] = c->prior[y] * exp(-c->beta[y] * e) / c->z_enum[y];
        tot += p[y];
    }
    for (int y = 0; y < c->k; y++) p[y] /= tot;
}
