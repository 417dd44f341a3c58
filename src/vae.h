/* vae: variational autoencoders over bit strings (Kingma-Welling 2014) on the
 * nn core: MLP encoder to a Gaussian latent, MLP decoder to independent
 * Bernoulli bits, trained by Adam on the reparametrized ELBO; the model's
 * probabilities q(x) by importance sampling and the classical fidelity with
 * a target distribution, each with its standard error (RO-3).
 *
 * Float API vae_*, double twin vae_*_d (gradient checks), as in nn.h.
 * Threads: no OpenMP region inside; one VAE per thread, BLAS single-threaded
 * (nn_blas_single_thread() before the region). */
#ifndef DEEPCHEAP_VAE_H
#define DEEPCHEAP_VAE_H

#include <stddef.h>
#include <stdint.h>

#include "nn.h"
#include "rng.h"

/* Fidelity estimate: F with its standard error and the second-order bias
 * correction that was added (see vae_fidelity). */
typedef struct {
    double F, se, bias_corr;
    double max_relse;   /* largest SE(q^)/q^ over the M samples */
} vae_fid;

/* Exact F = sum sqrt(p q) over N outcomes (Kahan-free: terms are >= 0). */
double vae_fidelity_exact(const double *p, const double *q, size_t N);

/* Writes the bits of x (bit bits-1-j to entry j) as floats/doubles. */
void vae_bits(float *out, uint64_t x, int bits);
void vae_bits_d(double *out, uint64_t x, int bits);

#define NN_R float
#define NN_S
#include "vae_decl.h"
#undef NN_R
#undef NN_S

#define NN_R double
#define NN_S _d
#include "vae_decl.h"
#undef NN_R
#undef NN_S

#endif
