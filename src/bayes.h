/* bayes: generative class models whose Hamiltonians are known exactly
 * (LT Sec. II): H_y(x) = -ln p(x|y), mu_y = -ln p(y).
 *
 * Two families, each with a second, independent route to the posterior:
 *  - Gaussian classes in d dimensions: H by Cholesky; the direct route uses
 *    the explicit inverse (Gauss-Jordan) and the LU determinant.
 *  - Periodic Ising chains at several temperatures (classes = temperatures):
 *    H_y = beta_y E(x) + ln Z_y with Z_y from the transfer matrix; the direct
 *    route uses Z by enumeration of all 2^n states. */
#ifndef DEEPCHEAP_BAYES_H
#define DEEPCHEAP_BAYES_H

#include "rng.h"

#include <stddef.h>

#define BAYES_MAXK 16
#define BAYES_MAXD 8

typedef struct {
    int k, d;
    double prior[BAYES_MAXK];
    double mean[BAYES_MAXK][BAYES_MAXD];
    double cov[BAYES_MAXK][BAYES_MAXD * BAYES_MAXD];
    double chol[BAYES_MAXK][BAYES_MAXD * BAYES_MAXD]; /* lower Cholesky factor */
    double logdet[BAYES_MAXK];
    double inv[BAYES_MAXK][BAYES_MAXD * BAYES_MAXD];  /* Gauss-Jordan inverse */
    double det[BAYES_MAXK];                           /* product of LU pivots */
} bayes_gauss;

/* Random classes: means ~ N(0, spread^2 I), covariance A A^T + 0.3 I with
 * A_ij ~ N(0, 0.7^2), priors from uniform weights in [0.5, 1.5]. */
int bayes_gauss_random(bayes_gauss *g, int k, int d, double spread, rng_stream *r);
/* Draws (y, x) from the joint distribution. */
void bayes_gauss_sample(int *y, double *x, const bayes_gauss *g, rng_stream *r);
/* H_y(x) for every class (Cholesky route) and mu_y = -ln p(y). */
void bayes_gauss_hamiltonians(double *H, double *mu, const bayes_gauss *g, const double *x);
/* Posterior by Bayes' theorem from densities (inverse + LU determinant). */
void bayes_gauss_posterior_direct(double *p, const bayes_gauss *g, const double *x);

typedef struct {
    int n;      /* spins on the ring */
    int k;      /* classes = temperatures */
    double J, h;
    double beta[BAYES_MAXK];
    double prior[BAYES_MAXK];
    double lnz[BAYES_MAXK];      /* transfer matrix: ln(l+^n + l-^n) */
    double z_enum[BAYES_MAXK];   /* Z by enumeration of all 2^n states */
    double *energy;              /* E(s) for every state s (bit i = spin i up) */
    double *cdf;                 /* k x 2^n cumulative p(s|y) for sampling */
} bayes_chain;

/* E(s) = -J sum s_i s_{i+1} - h sum s_i on a ring of n <= 20 spins. */
int bayes_chain_init(bayes_chain *c, int n, double J, double h, int k, const double *temps,
                     const double *prior);
void bayes_chain_clear(bayes_chain *c);
double bayes_chain_energy(const bayes_chain *c, unsigned s);
/* ln Z by the transfer matrix: Z = l+^n + l-^n,
 * l+- = e^{bJ} cosh bh +- sqrt(e^{2bJ} sinh^2 bh + e^{-2bJ}). */
double bayes_chain_lnz_transfer(int n, double beta, double J, double h);
void bayes_chain_sample(int *y, unsigned *s, const bayes_chain *c, rng_stream *r);
void bayes_chain_hamiltonians(double *H, double *mu, const bayes_chain *c, unsigned s);
void bayes_chain_posterior_direct(double *p, const bayes_chain *c, unsigned s);

#endif
