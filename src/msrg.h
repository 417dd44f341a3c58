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

/* As msrg_train_stack, one epoch at a time (the same linear learning-rate schedule; the
 * momentum restarts each epoch, epoch e uses cell `cell0 + l + (e << 16)`), recording the
 * learning curve of every layer: curve[l * (epochs + 1) + e] is the mean squared
 * reconstruction error per unit, |x - P(v | P(h | x))|^2, on the held-out rows `held`
 * (nheld x sizes[0], passed up the trained layers below) before epoch e (e = epochs: after
 * training).  0 on success, -1 on failure. */
int msrg_train_stack_curves(rbm_model *layers, double *curve, const int *sizes, int depth,
                            const float *data, size_t n, const float *held, size_t nheld,
                            const rbm_train_opts *o, double init_sd, uint64_t seed, uint32_t cell0);

/* Near copies among the fields f (nf x N): greedily in unit order, a field whose cosine
 * similarity with an earlier kept field exceeds `thr` is a copy of it (copy[j] = 1), else
 * kept (copy[j] = 0); all-zero fields are kept.  Returns the number of copies, -1 on
 * allocation failure. */
int msrg_copies(int *copy, const double *f, int nf, int N, double thr);

/* Two-point function C(dx, dy) = <s(x) s(x + d)> (out[dy * L + dx], torus, averaged over
 * sites and rows) of the spins s = 2 v - 1 of n rows v (L*L bits as floats). */
void msrg_two_point(double *out, const float *v, size_t n, int L);

/* n rows of bits v = [G > 0] of a stationary Gaussian field G on the L x L torus whose
 * correlation is sin(pi C / 2), so that the bits have the two-point function C
 * (arcsine law); negative parts of its spectrum are clipped to 0.  Rows drawn from
 * (seed, cell, row).  0 on success, -1 on failure. */
int msrg_gauss_bits(float *out, const double *C, size_t n, int L, uint64_t seed, uint32_t cell);

/* The top k principal components of the rows of data (n x nv, centred by their mean):
 * out (k x nv) unit vectors, largest variance first (LAPACK dsyevr on the covariance).
 * 0 on success, -1 on failure. */
int msrg_pca(double *out, int k, const float *data, size_t n, int nv);

#endif
