/* nn: dense multilayer perceptrons on OpenBLAS (float32), with a double twin
 * for finite-difference gradient checks.
 *
 * A net maps a batch X (batch x in, row-major) through layers
 * a_l = f_l(a_{l-1} W_l^T + b_l), W_l is out x in, all with sgemm.  All weights
 * and biases live in one contiguous array `params` (layer by layer: W then b),
 * their gradients in `grads`, so optimizers and save/load see a flat vector.
 *
 * The float API is nn_*; the double twin is the same code compiled with
 * double and suffix _d (nn_net_d, nn_forward_d, ...), see src/nn_decl.h.
 *
 * Threads: nothing here opens an OpenMP region, so one net per OpenMP thread
 * is safe and its results do not depend on the thread count, provided BLAS
 * runs single-threaded.  Debian's OpenBLAS is the pthread build: call
 * nn_blas_single_thread() once before entering a parallel region (the
 * training helper calls it itself when not inside one).
 *
 * Lifecycle: nn_net_init / nn_net_clear, nn_opt_init / nn_opt_clear (nn_load
 * also initializes a net).  Names avoid nn_free and nn_init: libnanomsg
 * (linked by Criterion) exports those, and an executable's definition would
 * interpose on the library's. */
#ifndef DEEPCHEAP_NN_H
#define DEEPCHEAP_NN_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

typedef enum {
    NN_IDENTITY,
    NN_LOGISTIC,
    NN_TANH,
    NN_SOFTPLUS,
    NN_RELU,
    NN_LRELU, /* leaky ReLU, slope 0.01 below zero */
    NN_ELU,   /* alpha = 1 */
    NN_SQUARE,
    NN_ACT_COUNT
} nn_act;

typedef enum {
    NN_LOSS_MSE,  /* mean over batch and outputs of (p - y)^2 */
    NN_LOSS_MAE,  /* mean over batch and outputs of |p - y| */
    NN_LOSS_XENT, /* softmax cross-entropy, target = class index stored as a real; mean over batch */
    NN_LOSS_BCE,  /* Bernoulli cross-entropy on logits, summed over outputs, mean over batch */
    NN_LOSS_COUNT
} nn_loss;

typedef enum { NN_SGD, NN_ADAM, NN_ADADELTA } nn_opt_kind;
typedef enum { NN_INIT_GLOROT, NN_INIT_HE, NN_INIT_NORMAL } nn_init_kind;

const char *nn_act_name(nn_act a);
const char *nn_loss_name(nn_loss l);
/* Parses a name of nn_act_name; -1 if unknown. */
int nn_act_parse(const char *s);

/* The float path's vectorizable tanh and logistic (the double path uses
 * libm); exposed for their accuracy test. */
float nn_tanhf(float x);
float nn_logisticf(float x);

/* openblas_set_num_threads(1); call outside any parallel region. */
void nn_blas_single_thread(void);

#define NN_R float
#define NN_S
#include "nn_decl.h"
#undef NN_R
#undef NN_S

#define NN_R double
#define NN_S _d
#include "nn_decl.h"
#undef NN_R
#undef NN_S

/* --- weights on disk (float nets) ----------------------------------------
 * Format v1, little-endian: "DCNNWGT\0" magic, u32 version, u32 nlayers,
 * nlayers+1 u32 sizes, nlayers u32 activations, u64 nparams, nparams float32,
 * then u64 FNV-1a (64-bit, standard offset basis) of every preceding byte.
 * Written atomically. */
/* 0 on success; -1 with a one-line message in err. */
int nn_save(const nn_net *net, const char *path, char *err, size_t nerr);
/* Initializes *net (batch capacity `cap`) from a file; 0 on success, -1 with a
 * one-line message in err (nothing allocated). */
int nn_load(nn_net *net, const char *path, int cap, char *err, size_t nerr);

#endif
