/* made: masked autoencoders for distribution estimation (Germain, Gregor,
 * Murray and Larochelle 2015) over bit strings, on the nn core.
 *
 * A MADE is an MLP from n bits through `depth` hidden layers of `width`
 * units to n logits, whose weights are multiplied by fixed binary masks so
 * that logit i depends only on bits 0..i-1.  Then
 *   log q(x) = sum_i log q(x_i | x_<i),  q(x_i = 1 | x_<i) = logistic(l_i(x)),
 * is an exact, normalized log-likelihood: no sampling is needed to evaluate
 * q, and the training loss (the Bernoulli cross-entropy of the logits,
 * summed over the bits) is exactly the mean of -log q(x) over the batch.
 *
 * Masks (Germain et al. Sec. 4): input k has degree k + 1 (1..n), hidden
 * unit j of every layer the degree 1 + (j mod (n - 1)); a hidden unit of
 * degree m sees the units of the layer below of degree <= m, output i
 * (degree i + 1) sees the last hidden units of degree < i + 1.  The order
 * of the bits is the input order: bit 0 first (vae_bits writes the most
 * significant bit of an outcome to entry 0).
 *
 * The masks live in an array of the layout of net.params (1 for a free
 * parameter, 0 for a masked weight; biases are free).  Masked weights are
 * zero from made_init_weights on and their gradients are zeroed before each
 * Adam step, so Adam never moves them (its moments stay zero).
 *
 * Float API made_*, double twin made_*_d (gradient checks), as nn.h.
 * Threads: no OpenMP region inside; one MADE per thread with single-threaded
 * BLAS (nn_blas_single_thread() before the region), as the nn core.
 * Lifecycle: made_init / made_clear. */
#ifndef DEEPCHEAP_MADE_H
#define DEEPCHEAP_MADE_H

#include <stddef.h>
#include <stdint.h>

#include "nn.h"
#include "rng.h"

#define MADE_MAXDEPTH 8
#define MADE_MAXBITS 62

#define NN_R float
#define NN_S
#include "made_decl.h"
#undef NN_R
#undef NN_S

#define NN_R double
#define NN_S _d
#include "made_decl.h"
#undef NN_R
#undef NN_S

#endif
