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

/* --- eight blocks at once (the Ising engine's kernel) -------------------------------
 * Lane i of out[j] is word j of rng_philox4x32(ctr[.][i], key): the same words,
 * computed 8 lanes per AVX2 operation where the compiler targets AVX2 (a
 * scalar loop otherwise). */
void rng_philox4x32x8(uint32_t out[4][8], const uint32_t ctr[4][8], const uint32_t key[2]);

#if defined(__AVX2__)
#include <immintrin.h>
/* The AVX2 kernel, inlined into loops: g groups of 8 lanes, x[4 * i + j]
 * holding word j of group i's counters on entry and of its blocks on return.
 * Called with a constant g (1 to 4), the groups' rounds interleave, which
 * hides the multiplies' latency.  The high halves of the products:
 * _mm256_mul_epu32 multiplies the even 32-bit lanes into 64-bit products, the
 * odd lanes are shifted down first, and a blend puts the high halves back in
 * place; the low halves: _mm256_mullo_epi32. */
static inline __attribute__((always_inline)) void rng_philox4x32_avx2(__m256i *x, int g, uint32_t k0, uint32_t k1)
{
    const __m256i M0 = _mm256_set1_epi32((int)0xD2511F53u), M1 = _mm256_set1_epi32((int)0xCD9E8D57u);
    #pragma GCC unroll 10
    for (int round = 0; round < 10; round++) {
        const __m256i K0 = _mm256_set1_epi32((int)k0), K1 = _mm256_set1_epi32((int)k1);
        #pragma GCC unroll 4
        for (int i = 0; i < g; i++) {
            __m256i *c = x + 4 * i;
            __m256i e0 = _mm256_mul_epu32(c[0], M0), o0 = _mm256_mul_epu32(_mm256_srli_epi64(c[0], 32), M0);
            __m256i e1 = _mm256_mul_epu32(c[2], M1), o1 = _mm256_mul_epu32(_mm256_srli_epi64(c[2], 32), M1);
            __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(e0, 32), o0, 0xAA);
            __m256i lo0 = _mm256_mullo_epi32(c[0], M0);
            __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(e1, 32), o1, 0xAA);
            __m256i lo1 = _mm256_mullo_epi32(c[2], M1);
            c[0] = _mm256_xor_si256(_mm256_xor_si256(hi1, c[1]), K0);
            c[1] = lo1;
            c[2] = _mm256_xor_si256(_mm256_xor_si256(hi0, c[3]), K1);
            c[3] = lo0;
        }
        k0 += 0x9E3779B9u; k1 += 0xBB67AE85u;
    }
}
#endif
/* The next n words of r, exactly as n calls of rng_u32 would return them,
 * leaving r in the same state; whole Philox blocks are computed 16 (AVX-512)
 * or 8 (AVX2) side by side, one counter per SIMD lane, when compiled for
 * those, else one at a time.  Tested bitwise against rng_u32. */
void rng_u32_fill(rng_stream *r, uint32_t *out, size_t n);

/* Read-ahead on a stream: the words of r, computed RNG_AHEAD_WORDS / 4 Philox
 * blocks at a time as rng_u32_fill does, handed out one by one.  Between
 * rng_ahead_begin and rng_ahead_end, r must not be used directly;
 * rng_ahead_end leaves r exactly where the same draws through r would have
 * (words, normal spare): rng_ahead_uniform and rng_ahead_normal return what
 * rng_uniform and rng_normal would, bit for bit. */
enum { RNG_AHEAD_WORDS = 64 };
typedef struct {
    rng_stream *r;
    uint64_t blk; /* the next block to compute */
    int pos, len; /* w[pos .. len) not yet handed out; w holds blocks blk - len / 4 .. blk - 1 */
    uint32_t w[RNG_AHEAD_WORDS];
} rng_ahead;
void rng_ahead_begin(rng_ahead *a, rng_stream *r);
void rng_ahead_refill(rng_ahead *a);
void rng_ahead_end(rng_ahead *a);
double rng_ahead_normal(rng_ahead *a);

static inline uint32_t rng_ahead_u32(rng_ahead *a)
{
    if (a->r->used < 4) return a->r->buf[a->r->used++]; /* the words r had already computed */
    if (a->pos == a->len) rng_ahead_refill(a);
    return a->w[a->pos++];
}

static inline double rng_ahead_uniform(rng_ahead *a)
{
    uint64_t hi = rng_ahead_u32(a);
    return (double)(((hi << 32) | rng_ahead_u32(a)) >> 11) * 0x1.0p-53;
}

#endif
