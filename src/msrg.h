/* msrg: Mehta-Schwab's stacked RBMs on Ising configurations (MS Sec. V) and
 * the locality of their receptive fields (claim MS-2).
 *
 * Layers are trained greedily: layer l sees the hidden probabilities of
 * layer l-1 on the data (Hinton's DBN pre-training).  The receptive field
 * of unit j of layer l is row j of W_l ... W_1 (src/rfield.h). */
#ifndef DEEPCHEAP_MSRG_H
#define DEEPCHEAP_MSRG_H

#include <stddef.h>
#include <stdint.h>

#include "rbm.h"

/* Trains layers[0..depth-1] (sizes[l] -> sizes[l+1]) greedily on data
 * (n x sizes[0], 0/1 floats); layer l uses cell `cell0 + l`.  The layers are
 * allocated here (rbm_model_clear each).  0 on success, -1 on failure. */
int msrg_train_stack(rbm_model *layers, const int *sizes, int depth, const float *data,
                     size_t n, const rbm_train_opts *o, double init_sd, uint64_t seed,
                     uint32_t cell0);

/* Receptive fields of the units of layer `l` (0-based): out (sizes[l+1] x
 * sizes[0]) = W_l ... W_0 in double.  0 on success, -1 on failure. */
int msrg_fields(double *out, const rbm_model *layers, int l);

/* Spread of each field (rows of f, nf x L*L) and of the same field with its
 * sites permuted (the null model: same weights, no spatial order). */
void msrg_spreads(double *rg, double *rg_null, const double *f, int nf, int L,
                  uint64_t seed, uint32_t cell);

#endif
