/* plik: maximum pseudo-likelihood estimation of Ising couplings.
 *
 * Model p(s) ~ exp(sum_{i<j} K_ij s_i s_j), s in {-1,+1}^n.  The couplings
 * are tied to parameters: K_ij = theta_p for each pair (i, j) assigned to p
 * (all pairs / nearest-neighbour bonds / one shared coupling).  The objective
 * is the negative mean log pseudo-likelihood plus a Gaussian prior,
 *   f(theta) = -(1/N) sum_samples sum_i [s_i h_i - ln 2 cosh h_i] + (lam/2) |theta|^2,
 * with h_i = sum_j K_ij s_j; it is convex, minimized by L-BFGS. */
#ifndef DEEPCHEAP_PLIK_H
#define DEEPCHEAP_PLIK_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int n;          /* spins */
    int npar;       /* parameters */
    int npairs;
    int *pi, *pj, *pp; /* pair (pi[k], pj[k]) uses parameter pp[k] */
} plik_param;

/* Two initializers (0, or -1 on bad sizes or allocation failure, nothing
 * left allocated); plik_param_clear frees either.
 * All n(n-1)/2 pairs, one parameter each. */
int plik_param_init_all(plik_param *p, int n);
/* Nearest-neighbour bonds of an L x L torus (2 L^2 bonds), one parameter each
 * (shared = 0) or all sharing one parameter (shared = 1). */
int plik_param_init_nn(plik_param *p, int L, int shared);
void plik_param_clear(plik_param *p);

/* Most pairs per site of the sparse route; more makes plik_data dense. */
#define PLIK_MAXDEG 8

/* Samples prepared for one parametrization: for many pairs the spins as a
 * double matrix (BLAS route); for few pairs per site the counts of every
 * local pattern (a site and its coupled neighbours), so an evaluation costs
 * O(n 2^(k+1)) whatever N is. */
typedef struct {
    size_t N;
    int dense;
    double *S;        /* dense: N x n spins */
    int *deg;         /* sparse: pairs incident to each site */
    int *inc;         /* sparse: n x PLIK_MAXDEG incident pair indices */
    int *nbr;         /* sparse: the neighbour across each incident pair */
    double *count;    /* sparse: n x 2^(PLIK_MAXDEG+1) pattern counts / N */
} plik_data;
/* From N samples s (N x n, +-1) for parametrization p; 0, or -1 on
 * allocation failure (nothing left allocated). */
int plik_data_init(plik_data *d, const plik_param *p, const int8_t *s, size_t N);
void plik_data_clear(plik_data *d);

/* Objective and gradient (g may be NULL). */
double plik_objective(double *g, const plik_param *p, const double *theta, const plik_data *d,
                      double lam);

typedef struct {
    int iterations, evaluations;
    double f, gnorm;
    int converged;
} plik_fit_info;

/* Minimizes the objective from theta (in/out) by L-BFGS (memory 8) until
 * |g|_inf < gtol or maxit iterations. */
int plik_fit(double *theta, plik_fit_info *info, const plik_param *p, const plik_data *d,
             double lam, double gtol, int maxit);

/* Mean log pseudo-likelihood per spin (without the prior) of couplings theta. */
double plik_mean_logpl(const plik_param *p, const double *theta, const plik_data *d);

#endif
