/* The AVX2 multi-spin engine (issue 18): the same chain as the portable
 * engine bit for bit, for any thread count, and the 8-lane Philox it runs on
 * gives the scalar Philox's words. */
#include "ising.h"
#include "rng.h"

#include <criterion/criterion.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Runs `sweeps` sweeps from the all-up start with each engine, from sweep
 * counter `start`, and says whether the lattices agree; *moved: the portable
 * chain left the start (so agreement is not two idle engines). */
static int engines_agree(int L, double T, uint64_t seed, uint32_t cell, uint64_t start, uint64_t sweeps, int *moved)
{
    ising_msc a, b;
    cr_assert(ising_msc_init(&a, L, seed, cell) == 0 && ising_msc_init(&b, L, seed, cell) == 0);
    a.sweep = b.sweep = start;
    cr_assert(ising_msc_sweeps_with(&a, T, sweeps, ISING_MSC_PORTABLE) == 0);
    cr_assert(ising_msc_sweeps_with(&b, T, sweeps, ISING_MSC_AVX2) == 0);
    cr_assert(a.sweep == start + sweeps && b.sweep == start + sweeps);
    size_t n = (size_t)L * L;
    *moved = 0;
    for (size_t i = 0; i < n; i++) *moved |= a.s[i] != ~0ull;
    int same = memcmp(a.s, b.s, n * sizeof *a.s) == 0;
    ising_msc_clear(&a), ising_msc_clear(&b);
    return same;
}

Test(ising_avx2, engine_matches_portable_bitwise)
{
    if (!ising_msc_have_avx2()) {
        ising_msc w;
        cr_assert(ising_msc_init(&w, 16, 1, 0) == 0);
        cr_assert(ising_msc_sweeps_with(&w, 2.0, 1, ISING_MSC_AVX2) == -1, "AVX2 engine claimed without AVX2");
        ising_msc_clear(&w);
        return;
    }
    omp_set_num_threads(1);
    const int Ls[4] = {16, 32, 64, 128};
    const double Ts[4] = {1.2, 2.269185314, 3.0, 10.0};
    const uint64_t seeds[2] = {1, 0x9E3779B97F4A7C15ull};
    for (int li = 0; li < 4; li++)
        for (int ti = 0; ti < 4; ti++)
            for (int si = 0; si < 2; si++) {
                uint64_t sweeps = li < 2 ? 23 : (li == 2 ? 7 : 2);
                int moved;
                cr_assert(engines_agree(Ls[li], Ts[ti], seeds[si], (uint32_t)(3 + si), 0, sweeps, &moved),
                          "L=%d T=%g seed %d: AVX2 and portable engines differ", Ls[li], Ts[ti], si);
                cr_assert(moved, "L=%d T=%g: the chain never moved", Ls[li], Ts[ti]);
            }
    /* high counter words: sweep counts past 2^32 go into the block word */
    int moved;
    cr_assert(engines_agree(32, 2.3, 5, 1, (1ull << 32) - 2, 5, &moved) && moved, "sweep counter past 2^32");
}

Test(ising_avx2, engines_mix_mid_chain)
{
    if (!ising_msc_have_avx2()) return; /* covered by engine_matches_portable_bitwise */
    omp_set_num_threads(1);
    const int L = 48;
    ising_msc a, b;
    cr_assert(ising_msc_init(&a, L, 11, 2) == 0 && ising_msc_init(&b, L, 11, 2) == 0);
    ising_msc_sweeps_with(&a, 2.5, 12, ISING_MSC_PORTABLE);
    for (int k = 0; k < 4; k++) /* alternate engines along one chain */
        ising_msc_sweeps_with(&b, 2.5, 3, k % 2 ? ISING_MSC_PORTABLE : ISING_MSC_AVX2);
    cr_assert(memcmp(a.s, b.s, sizeof(uint64_t) * L * L) == 0, "alternating engines changed the chain");
    ising_msc c; /* a different temperature gives a different chain: the comparison can fail */
    cr_assert(ising_msc_init(&c, L, 11, 2) == 0);
    ising_msc_sweeps_with(&c, 2.6, 12, ISING_MSC_AVX2);
    cr_assert(memcmp(a.s, c.s, sizeof(uint64_t) * L * L) != 0, "temperature ignored");
    ising_msc_clear(&a), ising_msc_clear(&b), ising_msc_clear(&c);
}

Test(ising_avx2, thread_count_independent)
{
    const int Ls[2] = {64, 128};
    for (int li = 0; li < 2; li++) {
        int L = Ls[li];
        ising_msc a, b;
        cr_assert(ising_msc_init(&a, L, 21, 7) == 0 && ising_msc_init(&b, L, 21, 7) == 0);
        omp_set_num_threads(1);
        ising_msc_sweeps(&a, 2.269185314, 9);
        omp_set_num_threads(2);
        ising_msc_sweeps(&b, 2.269185314, 9);
        omp_set_num_threads(1);
        cr_assert(memcmp(a.s, b.s, sizeof(uint64_t) * L * L) == 0, "L=%d: 1 vs 2 threads differ", L);
        ising_msc_clear(&a), ising_msc_clear(&b);
    }
}

Test(ising_avx2, auto_engine_for_any_L)
{
    /* L % 16 != 0 runs the portable engine; the default gives the same chain */
    omp_set_num_threads(1);
    const int Ls[3] = {8, 12, 40};
    for (int li = 0; li < 3; li++) {
        int L = Ls[li];
        ising_msc a, b;
        cr_assert(ising_msc_init(&a, L, 4, 0) == 0 && ising_msc_init(&b, L, 4, 0) == 0);
        ising_msc_sweeps(&a, 2.1, 10);
        cr_assert(ising_msc_sweeps_with(&b, 2.1, 10, ISING_MSC_PORTABLE) == 0);
        cr_assert(memcmp(a.s, b.s, sizeof(uint64_t) * L * L) == 0, "L=%d: default engine differs", L);
        ising_msc_clear(&a), ising_msc_clear(&b);
    }
}

Test(ising_avx2, philox8_matches_scalar)
{
    rng_stream r;
    rng_init(&r, 2026, 18, 3);
    for (int t = 0; t < 2000; t++) {
        uint32_t ctr[4][8], out[4][8], key[2] = {rng_u32(&r), rng_u32(&r)};
        for (int j = 0; j < 4; j++)
            for (int i = 0; i < 8; i++) ctr[j][i] = t < 4 ? (uint32_t)(t * 8 + i) * (j == 0) : rng_u32(&r);
        rng_philox4x32x8(out, ctr, key);
        for (int i = 0; i < 8; i++) {
            uint32_t c[4] = {ctr[0][i], ctr[1][i], ctr[2][i], ctr[3][i]}, o[4];
            rng_philox4x32(o, c, key);
            for (int j = 0; j < 4; j++) cr_assert(out[j][i] == o[j], "lane %d word %d differs", i, j);
        }
    }
    /* Salmon et al.'s known-answer test: counter 0, key 0 */
    uint32_t z[4][8] = {{0}}, o[4][8], k0[2] = {0, 0};
    rng_philox4x32x8(o, z, k0);
    cr_assert(o[0][5] == 0x6627e8d5u && o[1][5] == 0xe169c58du && o[2][5] == 0xbc57ac4cu && o[3][5] == 0x9b00dbd8u);
#if defined(__AVX2__)
    /* the interleaved kernel as the engine calls it: 2 and 4 groups at once (and 3) */
    for (int G = 2; G <= 4; G++) {
        __m256i x[16];
        uint32_t in[16][8], got[16][8], key[2] = {rng_u32(&r), rng_u32(&r)};
        for (int g = 0; g < 4 * G; g++) {
            for (int i = 0; i < 8; i++) in[g][i] = rng_u32(&r);
            x[g] = _mm256_loadu_si256((const __m256i *)in[g]);
        }
        if (G == 2) rng_philox4x32_avx2(x, 2, key[0], key[1]);
        else if (G == 3) rng_philox4x32_avx2(x, 3, key[0], key[1]);
        else rng_philox4x32_avx2(x, 4, key[0], key[1]);
        for (int g = 0; g < 4 * G; g++) _mm256_storeu_si256((__m256i *)got[g], x[g]);
        for (int g = 0; g < G; g++)
            for (int i = 0; i < 8; i++) {
                uint32_t c[4] = {in[4 * g][i], in[4 * g + 1][i], in[4 * g + 2][i], in[4 * g + 3][i]}, ref[4];
                rng_philox4x32(ref, c, key);
                for (int j = 0; j < 4; j++)
                    cr_assert(got[4 * g + j][i] == ref[j], "G=%d group %d lane %d word %d", G, g, i, j);
            }
    }
#endif
}
