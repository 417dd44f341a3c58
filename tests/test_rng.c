/* rng: known answers, reproducibility, stream independence, uniformity. */
#include "rng.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>

/* Random123 kat_vectors for philox4x32-10: counter[4] key[2] -> output[4]. */
static const uint32_t kat[3][10] = {
    {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
    {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
     0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
    {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0,
     0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
};

Test(rng, philox_known_answers)
{
    for (int t = 0; t < 3; t++) {
        uint32_t out[4];
        rng_philox4x32(out, kat[t], kat[t] + 4);
        for (int i = 0; i < 4; i++)
            cr_assert(out[i] == kat[t][6 + i], "vector %d word %d: %08x != %08x", t, i, out[i], kat[t][6 + i]);
    }
}

Test(rng, stream_is_philox_of_its_coordinates)
{
    /* word j of block b of stream (seed, cell, stream) = philox((b, cell, stream), seed)[j] */
    rng_stream r;
    uint64_t seed = 0x0123456789abcdefull;
    rng_init(&r, seed, 77, 5);
    uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
    for (uint32_t b = 0; b < 3; b++) {
        uint32_t ctr[4] = {b, 0, 77, 5}, out[4];
        rng_philox4x32(out, ctr, key);
        for (int j = 0; j < 4; j++) cr_assert(rng_u32(&r) == out[j], "block %u word %d", b, j);
    }
}

Test(rng, reproducible_and_seekable)
{
    rng_stream a, b;
    rng_init(&a, 42, 3, 1);
    rng_init(&b, 42, 3, 1);
    uint32_t first[64];
    for (int i = 0; i < 64; i++) {
        first[i] = rng_u32(&a);
        cr_assert(first[i] == rng_u32(&b));
    }
    rng_seek(&b, 4); /* block 4 = words 16..19 */
    for (int i = 16; i < 20; i++) cr_assert(rng_u32(&b) == first[i], "word %d after seek", i);
}

Test(rng, streams_differ_and_are_uncorrelated)
{
    /* Neighbouring seeds, cells and streams: correlation of 10^5 uniforms is
     * N(0, 1/n); |r| < 5/sqrt(n) fails by chance with probability ~6e-7. */
    const int n = 100000;
    const struct { uint64_t s; uint32_t c, t; } pairs[4][2] = {
        {{1, 0, 0}, {2, 0, 0}}, {{1, 0, 0}, {1, 1, 0}}, {{1, 0, 0}, {1, 0, 1}}, {{1, 1, 0}, {1, 0, 1}},
    };
    for (int p = 0; p < 4; p++) {
        rng_stream a, b;
        rng_init(&a, pairs[p][0].s, pairs[p][0].c, pairs[p][0].t);
        rng_init(&b, pairs[p][1].s, pairs[p][1].c, pairs[p][1].t);
        double sab = 0, sa = 0, sb = 0, saa = 0, sbb = 0;
        int same = 0;
        for (int i = 0; i < n; i++) {
            uint32_t ua = rng_u32(&a), ub = rng_u32(&b);
            same += ua == ub;
            double x = ua * 0x1p-32, y = ub * 0x1p-32;
            sab += x * y; sa += x; sb += y; saa += x * x; sbb += y * y;
        }
        double cov = sab / n - sa / n * sb / n;
        double r = cov / sqrt((saa / n - sa * sa / n / n) * (sbb / n - sb * sb / n / n));
        cr_assert(fabs(r) < 5.0 / sqrt(n), "pair %d: correlation %g", p, r);
        cr_assert(same < 5, "pair %d: %d equal words", p, same);
    }
}

Test(rng, uniform_chi_square)
{
    /* 10^6 draws in 100 bins: chi^2 with 99 dof has mean 99, sd 14;
     * the bound 180 is exceeded with probability < 1e-7. */
    enum { BINS = 100, N = 1000000 };
    long count[BINS] = {0};
    rng_stream r;
    rng_init(&r, 2024, 0, 0);
    for (int i = 0; i < N; i++) {
        double u = rng_uniform(&r);
        cr_assert(u >= 0.0 && u < 1.0);
        count[(int)(u * BINS)]++;
    }
    double chi2 = 0, e = (double)N / BINS;
    for (int b = 0; b < BINS; b++) chi2 += (count[b] - e) * (count[b] - e) / e;
    cr_assert(chi2 < 180.0, "chi2 = %g", chi2);
    cr_assert(chi2 > 40.0, "chi2 = %g suspiciously small", chi2);
}

Test(rng, below_is_in_range_and_unbiased)
{
    rng_stream r;
    rng_init(&r, 9, 9, 9);
    cr_assert(rng_below(&r, 1) == 0);
    const uint64_t ns[] = {2, 3, 7, 1000, (1ull << 32) + 1, UINT64_MAX};
    for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++)
        for (int i = 0; i < 1000; i++) cr_assert(rng_below(&r, ns[t]) < ns[t], "n = %llu", (unsigned long long)ns[t]);
    /* n = 3: frequencies within 5 sigma of 1/3 over 3 10^5 draws */
    long c[3] = {0};
    for (int i = 0; i < 300000; i++) c[rng_below(&r, 3)]++;
    for (int k = 0; k < 3; k++) cr_assert(fabs(c[k] - 100000.0) < 5 * sqrt(300000 * 2.0 / 9), "bin %d: %ld", k, c[k]);
}

Test(rng, normal_moments)
{
    /* mean and variance of 10^6 normals within 5 standard errors */
    enum { N = 1000000 };
    rng_stream r;
    rng_init(&r, 5, 1, 2);
    double s = 0, s2 = 0, s4 = 0;
    for (int i = 0; i < N; i++) {
        double z = rng_normal(&r);
        s += z; s2 += z * z; s4 += z * z * z * z;
    }
    cr_assert(fabs(s / N) < 5 / sqrt(N), "mean %g", s / N);
    cr_assert(fabs(s2 / N - 1) < 5 * sqrt(2.0 / N), "variance %g", s2 / N);
    cr_assert(fabs(s4 / N - 3) < 5 * sqrt(96.0 / N), "fourth moment %g", s4 / N);
}

Test(rng, shuffle_is_a_permutation)
{
    size_t idx[257];
    int seen[257] = {0};
    for (size_t i = 0; i < 257; i++) idx[i] = i;
    rng_stream r;
    rng_init(&r, 1, 2, 3);
    rng_shuffle(&r, idx, 257);
    size_t moved = 0;
    for (size_t i = 0; i < 257; i++) {
        seen[idx[i]]++;
        moved += idx[i] != i;
    }
    for (size_t i = 0; i < 257; i++) cr_assert(seen[i] == 1, "element %zu", i);
    cr_assert(moved > 200);
}

/* rng_ahead: the same doubles, bit for bit, as rng_uniform and rng_normal on
 * the stream itself, for random mixes of the two and of the lengths between
 * begin and end (a pending normal spare, a partly used block, a counter about
 * to carry into its high word), and the stream left in the same state. */
Test(rng, ahead_is_the_stream_itself)
{
    rng_stream pick;
    rng_init(&pick, 99, 1, 2);
    for (int trial = 0; trial < 200; trial++) {
        rng_stream a, b;
        rng_init(&a, 7 + (uint64_t)trial, (uint32_t)trial, 3);
        if (trial % 3 == 1) rng_seek(&a, 0xFFFFFFFFull - rng_below(&pick, 40)); /* carry inside a group */
        for (int i = (int)rng_below(&pick, 4); i > 0; i--) (void)rng_u32(&a);    /* mid-block start */
        if (rng_below(&pick, 2)) (void)rng_normal(&a);                            /* maybe a spare */
        b = a;
        for (int round = 0; round < 3; round++) {
            rng_ahead ra;
            rng_ahead_begin(&ra, &b);
            int n = (int)rng_below(&pick, 300);
            for (int i = 0; i < n; i++) {
                double x, y;
                if (rng_below(&pick, 3) == 0) x = rng_uniform(&a), y = rng_ahead_uniform(&ra);
                else x = rng_normal(&a), y = rng_ahead_normal(&ra);
                cr_assert(eq(dbl, x, y), "trial %d draw %d", trial, i);
            }
            rng_ahead_end(&ra);
            cr_assert(eq(u32, a.ctr[0], b.ctr[0]));
            cr_assert(eq(u32, a.ctr[1], b.ctr[1]));
            cr_assert(eq(int, a.used, b.used));
            cr_assert(eq(int, a.have_normal, b.have_normal));
            if (a.have_normal) cr_assert(eq(dbl, a.normal_spare, b.normal_spare));
            for (int i = a.used; i < 4; i++) cr_assert(eq(u32, a.buf[i], b.buf[i]));
        }
        cr_assert(eq(u64, rng_u64(&a), rng_u64(&b)));
    }
}
