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

/* Marsaglia's polar method on uniforms from uni(src); the spare normal lives
 * in r.  rng_normal and rng_ahead_normal share it, so the read-ahead gives
 * rng_normal's values bit for bit. */
static inline double polar_normal(rng_stream *r, double (*uni)(void *), void *src)
{
    if (r->have_normal) {
        r->have_normal = 0;
        return r->normal_spare;
    }
    double u, v, s;
    do {
        u = 2.0 * uni(src) - 1.0;
        v = 2.0 * uni(src) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * log(s) / s);
    r->normal_spare = v * f;
    r->have_normal = 1;
    return u * f;
}

static double uni_stream(void *r) { return rng_uniform(r); }

double rng_normal(rng_stream *r) { return polar_normal(r, uni_stream, r); }

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

/* --- bulk words: Philox blocks side by side ---------------------------------- */

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

#if defined(__AVX512F__)
enum { RNG_LANES = 16 };
typedef __m512i rng_vec;
#define RV_SET1(x) _mm512_set1_epi32((int)(x))
#define RV_XOR _mm512_xor_si512
#define RV_ADD _mm512_add_epi32
#define RV_MUL _mm512_mul_epu32
#define RV_SRL _mm512_srli_epi64
#define RV_SLL _mm512_slli_epi64
#define RV_ODD(a, b) _mm512_mask_blend_epi32((__mmask16)0xAAAA, a, b) /* even lanes of a, odd of b */
#define RV_IDX _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define RV_LO32 _mm512_unpacklo_epi32
#define RV_HI32 _mm512_unpackhi_epi32
#define RV_LO64 _mm512_unpacklo_epi64
#define RV_HI64 _mm512_unpackhi_epi64
#elif defined(__AVX2__)
enum { RNG_LANES = 8 };
typedef __m256i rng_vec;
#define RV_SET1(x) _mm256_set1_epi32((int)(x))
#define RV_XOR _mm256_xor_si256
#define RV_ADD _mm256_add_epi32
#define RV_MUL _mm256_mul_epu32
#define RV_SRL _mm256_srli_epi64
#define RV_SLL _mm256_slli_epi64
#define RV_ODD(a, b) _mm256_blend_epi32(a, b, 0xAA)
#define RV_IDX _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0)
#define RV_LO32 _mm256_unpacklo_epi32
#define RV_HI32 _mm256_unpackhi_epi32
#define RV_LO64 _mm256_unpacklo_epi64
#define RV_HI64 _mm256_unpackhi_epi64
#else
enum { RNG_LANES = 4 };
#endif

#if defined(__AVX512F__) || defined(__AVX2__)
/* hi and lo words of the 32 x 32-bit products m * a, lane by lane */
static inline void rv_mulhilo(rng_vec a, rng_vec m, rng_vec *hi, rng_vec *lo)
{
#if defined(__AVX512F__) /* word swaps in merge-masked shuffles: fewer uops, off the multiplier's port */
    __m512i pe = _mm512_mul_epu32(a, m), po = _mm512_mul_epu32(_mm512_shuffle_epi32(a, _MM_PERM_CDAB), m);
    *hi = _mm512_mask_shuffle_epi32(po, (__mmask16)0x5555, pe, _MM_PERM_CDAB);
    *lo = _mm512_mask_shuffle_epi32(pe, (__mmask16)0xAAAA, po, _MM_PERM_CDAB);
#else
    rng_vec pe = RV_MUL(a, m), po = RV_MUL(RV_SRL(a, 32), m);
    *hi = RV_ODD(RV_SRL(pe, 32), po);
    *lo = RV_ODD(pe, RV_SLL(po, 32));
#endif
}
#endif

/* out[0 .. 4 RNG_LANES) = the blocks at counters (blk + j, ctr2, ctr3),
 * j = 0 .. RNG_LANES - 1, in block order (as RNG_LANES refills). */
static void philox_blocks(uint32_t *out, uint64_t blk, const uint32_t ctr[4], const uint32_t key[2])
{
#if defined(__AVX512F__) || defined(__AVX2__)
    uint32_t lo = (uint32_t)blk;
    if ((uint32_t)(lo + RNG_LANES - 1) >= lo) { /* no carry into the high word inside the group */
        rng_vec c0 = RV_ADD(RV_SET1(lo), RV_IDX), c1 = RV_SET1(blk >> 32), c2 = RV_SET1(ctr[2]),
                c3 = RV_SET1(ctr[3]), m0 = RV_SET1(PHILOX_M0), m1 = RV_SET1(PHILOX_M1);
        uint32_t k0 = key[0], k1 = key[1];
        for (int round = 0; round < 10; round++) {
            rng_vec hi0, lo0, hi1, lo1;
            rv_mulhilo(c0, m0, &hi0, &lo0);
            rv_mulhilo(c2, m1, &hi1, &lo1);
            c0 = RV_XOR(RV_XOR(hi1, c1), RV_SET1(k0));
            c2 = RV_XOR(RV_XOR(hi0, c3), RV_SET1(k1));
            c1 = lo1;
            c3 = lo0;
            k0 += PHILOX_W0;
            k1 += PHILOX_W1;
        }
        /* transpose: 128-bit lane L of u[q] is block 4 L + q */
        rng_vec t0 = RV_LO32(c0, c1), t1 = RV_HI32(c0, c1), t2 = RV_LO32(c2, c3), t3 = RV_HI32(c2, c3);
        rng_vec u0 = RV_LO64(t0, t2), u1 = RV_HI64(t0, t2), u2 = RV_LO64(t1, t3), u3 = RV_HI64(t1, t3);
#if defined(__AVX512F__) /* then a 4 x 4 transpose of 128-bit lanes */
        __m512i a = _mm512_shuffle_i32x4(u0, u1, 0x44), b = _mm512_shuffle_i32x4(u2, u3, 0x44),
                c = _mm512_shuffle_i32x4(u0, u1, 0xEE), d = _mm512_shuffle_i32x4(u2, u3, 0xEE);
        _mm512_storeu_si512((void *)out, _mm512_shuffle_i32x4(a, b, 0x88));
        _mm512_storeu_si512((void *)(out + 16), _mm512_shuffle_i32x4(a, b, 0xDD));
        _mm512_storeu_si512((void *)(out + 32), _mm512_shuffle_i32x4(c, d, 0x88));
        _mm512_storeu_si512((void *)(out + 48), _mm512_shuffle_i32x4(c, d, 0xDD));
#else /* then a 2 x 2 transpose of 128-bit lanes */
        _mm256_storeu_si256((__m256i *)out, _mm256_permute2x128_si256(u0, u1, 0x20));
        _mm256_storeu_si256((__m256i *)(out + 8), _mm256_permute2x128_si256(u2, u3, 0x20));
        _mm256_storeu_si256((__m256i *)(out + 16), _mm256_permute2x128_si256(u0, u1, 0x31));
        _mm256_storeu_si256((__m256i *)(out + 24), _mm256_permute2x128_si256(u2, u3, 0x31));
#endif
        return;
    }
#endif
    for (int j = 0; j < RNG_LANES; j++) {
        uint64_t b = blk + (uint64_t)j;
        uint32_t c[4] = {(uint32_t)b, (uint32_t)(b >> 32), ctr[2], ctr[3]};
        rng_philox4x32(out + 4 * j, c, key);
    }
}

static void advance(rng_stream *r, uint64_t blocks)
{
    uint64_t b = ((uint64_t)r->ctr[1] << 32 | r->ctr[0]) + blocks;
    r->ctr[0] = (uint32_t)b;
    r->ctr[1] = (uint32_t)(b >> 32);
}

void rng_u32_fill(rng_stream *r, uint32_t *out, size_t n)
{
    size_t i = 0;
    while (i < n && r->used < 4) out[i++] = r->buf[r->used++];
    while (i < n) {
        uint64_t blk = (uint64_t)r->ctr[1] << 32 | r->ctr[0];
        if (n - i >= 4 * RNG_LANES) {
            philox_blocks(out + i, blk, r->ctr, r->key);
            advance(r, RNG_LANES);
            i += 4 * RNG_LANES;
            continue;
        }
        uint32_t tmp[4 * RNG_LANES];
        philox_blocks(tmp, blk, r->ctr, r->key);
        size_t whole = (n - i) / 4;
        for (size_t t = 0; t < 4 * whole; t++) out[i++] = tmp[t];
        advance(r, whole);
        if (i < n) { /* a partly used block stays in buf, as after a refill */
            for (int t = 0; t < 4; t++) r->buf[t] = tmp[4 * whole + (size_t)t];
            advance(r, 1);
            r->used = 0;
            while (i < n) out[i++] = r->buf[r->used++];
        }
    }
}

/* --- read-ahead -------------------------------------------------------------------------- */

_Static_assert(RNG_AHEAD_WORDS >= 4 * RNG_LANES, "the read-ahead holds one group of blocks");

void rng_ahead_begin(rng_ahead *a, rng_stream *r)
{
    a->r = r;
    a->blk = (uint64_t)r->ctr[1] << 32 | r->ctr[0];
    a->pos = a->len = 0;
}

void rng_ahead_refill(rng_ahead *a)
{
    philox_blocks(a->w, a->blk, a->r->ctr, a->r->key);
    a->blk += RNG_LANES;
    a->len = 4 * RNG_LANES;
    a->pos = 0;
}

void rng_ahead_end(rng_ahead *a)
{
    rng_stream *r = a->r;
    if (a->len == 0) return; /* nothing computed ahead: r is up to date */
    uint64_t b = a->blk - (uint64_t)(a->len / 4) + (uint64_t)(a->pos / 4); /* the block of w[pos] */
    int rem = a->pos % 4;
    if (rem) { /* a partly used block stays in buf, as after a refill */
        for (int t = 0; t < 4; t++) r->buf[t] = a->w[a->pos - rem + t];
        b++;
    }
    r->used = rem ? rem : 4;
    r->ctr[0] = (uint32_t)b;
    r->ctr[1] = (uint32_t)(b >> 32);
    a->len = a->pos = 0;
    a->blk = b;
}

static double uni_ahead(void *a) { return rng_ahead_uniform(a); }

double rng_ahead_normal(rng_ahead *a) { return polar_normal(a->r, uni_ahead, a); }
