/* Chapter 6 helpers shared by its experiments: the observables of an L x L
 * torus configuration (rbm-kl, rbm-ising).  The t and chi-square tails of
 * the Ising reference's tests come from src/stats (R's math library). */
#ifndef DEEPCHEAP_CH6_UTIL_H
#define DEEPCHEAP_CH6_UTIL_H

/* Temperatures of the Ising reference: T = 1.0, 1.1, ..., 3.5. */
#define CH6_NT 26

/* E/N of an L x L torus configuration (L <= 16) given as bits (1 = up), and M/N. */
void ch6_torus_obs(double *e, double *m, const float *v, int L);

#endif
