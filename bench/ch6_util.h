/* Chapter 6 helpers shared by its experiments: the distribution tails of the
 * Ising reference's t-tests (ising-validate, ising-samples) and the
 * observables of an L x L torus configuration (rbm-kl, rbm-ising). */
#ifndef DEEPCHEAP_CH6_UTIL_H
#define DEEPCHEAP_CH6_UTIL_H

/* Temperatures of the Ising reference: T = 1.0, 1.1, ..., 3.5. */
#define CH6_NT 26

/* Two-sided Student-t tail P(|t_nu| > t). */
double student_tail(double t, double nu);
/* Upper tail of chi-square with k degrees of freedom: Q(k/2, x/2). */
double chi2_tail(double x, double k);

/* E/N of an L x L torus configuration (L <= 16) given as bits (1 = up), and M/N. */
void ch6_torus_obs(double *e, double *m, const float *v, int L);

#endif
