/* rfield: receptive fields of stacked layers and how local they are.
 *
 * Mehta-Schwab (MS Sec. V) show the receptive field of a hidden unit in layer
 * l of stacked RBMs as the product of the weight matrices below it,
 * R_l = W_l W_{l-1} ... W_1 (row j: a field over the visible sites).  We
 * measure its spatial spread on the L x L torus by the radius of gyration of
 * the weights w(x) = R(x)^2 / sum R^2 about their circular centre. */
#ifndef DEEPCHEAP_RFIELD_H
#define DEEPCHEAP_RFIELD_H

#include "rng.h"

/* out (sizes[depth] x sizes[0], row-major) = W[depth-1] ... W[0], where W[l]
 * is sizes[l+1] x sizes[l] row-major (hidden x visible).  0 on success, -1
 * on allocation failure. */
int rfield_compose(double *out, const double *const *W, const int *sizes, int depth);

typedef struct {
    double rg;         /* radius of gyration, lattice units */
    double cx, cy;     /* circular centre, in [0, L) */
} rfield_spread_t;

/* Spread of one field f[L*L] (row-major, site (x, y) = f[y*L + x]) on the
 * torus.  Centre per axis: the circular mean of w(x) e^{2 pi i x / L}; then
 * rg^2 = sum w d^2 with minimum-image distances.  An all-zero field gets
 * rg = NAN. */
rfield_spread_t rfield_spread(const double *f, int L);

/* Feature scale of a field: xi^2 = sum_x f^2 / sum_{x, e} (f(x+e) - f(x))^2
 * over the two lattice directions e, periodic.  A smooth blob
 * exp(-r^2 / 2 s^2) has xi -> s (continuum: int f^2 = pi s^2, int |grad f|^2
 * = pi); white noise has E[xi^2] -> 1/4.  A constant field gets INFINITY,
 * an all-zero one NAN.  Unlike rg it measures the size of the blocks a field
 * is made of, not how far its weight spreads. */
double rfield_scale(const double *f, int L);

/* rg of the uniform field on the L x L torus about a site: sqrt(2 var), var
 * the variance of the minimum-image offset on the L-cycle (exact sum). */
double rfield_spread_uniform(int L);

/* The same field with its sites permuted by Fisher-Yates from r (a null
 * model: same values, no spatial order); tmp[L*L] is scratch. */
double rfield_spread_permuted(const double *f, int L, double *tmp, rng_stream *r);

#endif
