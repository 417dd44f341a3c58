/* Chapter 7 helpers shared by its experiments: the three classes of exact
 * distributions over 2^bits outcomes (Fefferman-Umans, Haar, product), the
 * training samples of a (class, repetition), and the exact baselines.
 *
 * vae-fidelity (bench/exp_vae_fidelity.c) and ar-fidelity both call these
 * functions, so the two experiments train on the very same samples: the
 * comparison of Chapter 7 rests on that.  Changing a stream key or the order
 * of operations here changes the samples and baselines of both. */
#ifndef DEEPCHEAP_CH7_UTIL_H
#define DEEPCHEAP_CH7_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "fu.h"

enum { CH7_NCLASS = 3 }; /* 0 Fefferman-Umans, 1 Haar, 2 product */
extern const char *const ch7_class_name[CH7_NCLASS]; /* "fu", "haar", "product" */

/* The exact distribution of class k over 2^bits outcomes, drawn from seed
 * (Haar: cell 700, product: cell 701; FU: the n = fu_n, L = fu_L
 * distribution, bits = fu_n^2 log2 fu_L, its zeros from the exact integer
 * permanents).  0, or -1 when FU (fu_n, fu_L) is unsupported. */
int ch7_distribution(double *p, int bits, int fu_n, int fu_L, int k, uint64_t seed);

/* The training set of (class k, repetition rep) of a grid with `reps`
 * repetitions: ntrain outcomes drawn by al from the stream (seed, 7000 + k
 * reps + rep, 0), written as bits (vae_bits) into X (ntrain x bits). */
void ch7_train_set(float *X, const fu_alias *al, int bits, int ntrain, uint64_t seed, int k, int rep, int reps);

/* The exact single-bit marginals m1[j] = P(bit j = 1) of p (bit 0 the
 * most significant). */
void ch7_marginals(double *m1, const double *p, int bits);

/* Exact fidelities of the three baselines with p over 2^bits outcomes:
 * out[0] (a) uniform, out[1] (b) product of the exact single-bit marginals,
 * out[2] (c) uniform on the support of p. */
void ch7_baselines(double out[3], const double *p, int bits);

/* out[0]: the cross-entropy (nats) of p with the product of its exact
 * single-bit marginals (the sum of their binary entropies); out[1]: the
 * entropy of p (nats). */
void ch7_entropies(double out[2], const double *p, int bits);

#endif
