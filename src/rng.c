#include "rng.h"

#include <math.h>

/* Philox4x32 round constants (Salmon et al., Table 2). */
#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

static inline void mulhilo32(uint32_t a, uint32_t b, uint32_t *hi, uint32_t *lo)
{
    uint64_t p = (uint64_t)a * b;
    *hi = (uint32_t)(p >> 32);
    *lo = (uint32_t)p;
}

void rng_philox4x32(uint32_t out[4], const uint32_t ctr[4], const uint32_t key[2])
{
    uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
    uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; round++) {
        uint32_t hi0, lo0, hi1, lo1;
        mulhilo32(PHILOX_M0, c0, &hi0, &lo0);
        mulhilo32(PHILOX_M1, c2, &hi1, &lo1);
        uint32_t n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
        c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
        k0 += PHILOX_W0; k1 += PHILOX_W1; /* key schedule: bump after each round */
    }
    out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
}

void rng_init(rng_stream *r, uint64_t seed, uint32_t cell, uint32_t stream)
{
    r->key[0] = (uint32_t)seed;
    r->key[1] = (uint32_t)(seed >> 32);
    r->ctr[0] = r->ctr[1] = 0;
    r->ctr[2] = cell;
    r->ctr[3] = stream;
    r->used = 4;
    r->have_normal = 0;
    r->normal_spare = 0.0;
}

void rng_seek(rng_stream *r, uint64_t block)
{
    r->ctr[0] = (uint32_t)block;
    r->ctr[1] = (uint32_t)(block >> 32);
    r->used = 4;
    r->have_normal = 0;
}

static void refill(rng_stream *r)
{
    rng_philox4x32(r->buf, r->ctr, r->key);
    if (++r->ctr[0] == 0) r->ctr[1]++;
    r->used = 0;
}

uint32_t rng_u32(rng_stream *r)
{
    if (r->used == 4) refill(r);
    return r->buf[r->used++];
}

uint64_t rng_u64(rng_stream *r)
{
    uint64_t hi = rng_u32(r);
    return (hi << 32) | rng_u32(r);
}

double rng_uniform(rng_stream *r)
{
    return (double)(rng_u64(r) >> 11) * 0x1.0p-53;
}

double rng_uniform_pos(rng_stream *r)
{
    return ((double)(rng_u64(r) >> 11) + 1.0) * 0x1.0p-53;
}

float rng_uniformf(rng_stream *r)
{
    return (float)(rng_u32(r) >> 8) * 0x1.0p-24f;
}

uint64_t rng_below(rng_stream *r, uint64_t n)
{
    /* Lemire (2019): high word of x*n is uniform once the low word clears the
     * threshold (2^64 - n) mod n.  n < 2^32 uses the 32-bit variant. */
    if (n <= UINT32_MAX) {
        uint32_t n32 = (uint32_t)n, t = (uint32_t)(-n32) % n32;
        uint64_t m;
        do m = (uint64_t)rng_u32(r) * n32; while ((uint32_t)m < t);
        return m >> 32;
    }
    unsigned __int128 m;
    uint64_t t = (uint64_t)(-n) % n;
    do m = (unsigned __int128)rng_u64(r) * n; while ((uint64_t)m < t);
    return (uint64_t)(m >> 64);
}

double rng_normal(rng_stream *r)
{
    if (r->have_normal) {
        r->have_normal = 0;
        return r->normal_spare;
    }
    double u, v, s;
    do {
        u = 2.0 * rng_uniform(r) - 1.0;
        v = 2.0 * rng_uniform(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * log(s) / s);
    r->normal_spare = v * f;
    r->have_normal = 1;
    return u * f;
}

void rng_shuffle(rng_stream *r, size_t *idx, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)rng_below(r, i);
        size_t t = idx[i - 1]; idx[i - 1] = idx[j]; idx[j] = t;
    }
}

int rng_bernoulli(rng_stream *r, double p)
{
    return rng_uniform(r) < p;
}

void rng_philox4x32x8(uint32_t out[4][8], const uint32_t ctr[4][8], const uint32_t key[2])
{
#if defined(__AVX2__)
    __m256i x[4];
    for (int j = 0; j < 4; j++) x[j] = _mm256_loadu_si256((const __m256i *)ctr[j]);
    rng_philox4x32_avx2(x, 1, key[0], key[1]);
    for (int j = 0; j < 4; j++) _mm256_storeu_si256((__m256i *)out[j], x[j]);
#else
    for (int i = 0; i < 8; i++) {
        uint32_t c[4] = {ctr[0][i], ctr[1][i], ctr[2][i], ctr[3][i]}, o[4];
        rng_philox4x32(o, c, key);
        for (int j = 0; j < 4; j++) out[j][i] = o[j];
    }
#endif
}
