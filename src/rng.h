/* rng: counter-based random streams (Philox4x32-10, Salmon et al. SC'11).
 *
 * A stream is keyed by (seed, cell, stream): the 64-bit seed is the Philox key,
 * cell and stream fill the high two counter words and the low two words count
 * blocks.  Distinct (cell, stream) pairs therefore walk disjoint counter ranges,
 * and a value depends only on its coordinates, never on which thread drew it. */
#ifndef DEEPCHEAP_RNG_H
#define DEEPCHEAP_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t key[2];
    uint32_t ctr[4];
    uint32_t buf[4];
    int used; /* words of buf already handed out (4 = empty) */
    int have_normal;
    double normal_spare;
} rng_stream;

/* One Philox4x32-10 block: out = philox(ctr, key). */
void rng_philox4x32(uint32_t out[4], const uint32_t ctr[4], const uint32_t key[2]);

void rng_init(rng_stream *r, uint64_t seed, uint32_t cell, uint32_t stream);
/* Position the stream at block `block` (4 words per block). */
void rng_seek(rng_stream *r, uint64_t block);

uint32_t rng_u32(rng_stream *r);
uint64_t rng_u64(rng_stream *r);
/* Uniform in [0,1) with 53 random bits. */
double rng_uniform(rng_stream *r);
/* Uniform in (0,1]: safe under log(). */
double rng_uniform_pos(rng_stream *r);
/* Uniform in [0,1) as float with 24 random bits. */
float rng_uniformf(rng_stream *r);
/* Unbiased integer in [0, n) (Lemire's multiply-and-reject); n >= 1. */
uint64_t rng_below(rng_stream *r, uint64_t n);
/* Standard normal (Marsaglia polar method, spare cached). */
double rng_normal(rng_stream *r);
/* Fisher-Yates shuffle of idx[0..n). */
void rng_shuffle(rng_stream *r, size_t *idx, size_t n);
/* Bernoulli(p). */
int rng_bernoulli(rng_stream *r, double p);

/* The next n words of r, exactly as n calls of rng_u32 would return them,
 * leaving r in the same state; whole Philox blocks are computed 16 (AVX-512)
 * or 8 (AVX2) side by side, one counter per SIMD lane, when compiled for
 * those, else one at a time.  Tested bitwise against rng_u32. */
void rng_u32_fill(rng_stream *r, uint32_t *out, size_t n);

#endif
