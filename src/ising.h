/* ising: the 2D Ising model on an m x n torus (J = 1, no field, k_B = 1).
 *
 * Exact references: Kaufman / Ferdinand-Fisher closed form (any size, log
 * scale, analytic derivatives), brute-force enumeration (N <= 20), a
 * row-by-row transfer matrix with magnetization count (m <= 10), Beale's
 * exact density of states (integers, certified by Arb ball arithmetic) and
 * Onsager / Yang for the infinite lattice.
 *
 * Monte Carlo: checkerboard Metropolis multi-spin coded as 64 independent
 * replicas per 64-bit word (bit r of word i = spin i of replica r), OpenMP
 * over sites; Wolff cluster updates; the Morningstar-Melko step (one Wolff
 * update, then N single-spin Metropolis attempts).  Every random number
 * comes from Philox keyed by (seed, cell, stream) and counters of
 * (sweep, site): results do not depend on the thread count. */
#ifndef DEEPCHEAP_ISING_H
#define DEEPCHEAP_ISING_H

#include "rng.h"

#include <stddef.h>
#include <stdint.h>

#define ISING_TC 2.269185314213022 /* 2 / ln(1 + sqrt 2) */

/* Per-site thermodynamics.  u = <E>/N, c = C/N = (<E^2> - <E>^2) / (N T^2). */
typedef struct {
    double lnz;   /* ln Z (whole lattice) */
    double u, c;
    double absm;  /* <|M|>/N (transfer matrix and brute force only; else NaN) */
    double m2;    /* <M^2>/N^2 (likewise) */
} ising_thermo;

/* Kaufman / Ferdinand-Fisher on an m x n torus (m columns, n rows), T > 0.
 * Returns 0, or -1 on bad arguments (m, n < 2, T not positive finite). */
int ising_exact_kaufman(ising_thermo *out, int m, int n, double T);
/* Enumeration of all 2^(mn) states, mn <= 20. */
int ising_exact_brute(ising_thermo *out, int m, int n, double T);
/* Row-by-row transfer matrix with magnetization count, 2 <= m <= 10, n >= 2. */
int ising_exact_tm(ising_thermo *out, int m, int n, double T);
/* g[b] = number of states with b broken bonds, b = 0..2N, mn <= 20. */
int ising_brute_dos(uint64_t *g, int m, int n);
/* Onsager (u, c) and Yang (spontaneous m) for the infinite lattice. */
void ising_onsager(double *u, double *c, double *m_spont, double T);

/* Beale: Z = e^{2NK} sum_{k=0}^{N} g[k] e^{-4kK}, N = m n, m and n even.
 * ising_beale_init computes the N + 1 exact integers as decimal strings g[k].
 * Certified: each coefficient's Arb ball contains exactly one integer.
 * Returns 0, or -1 on bad sizes or when certification fails (nothing left
 * allocated). */
typedef struct {
    int m, n, N;       /* N = m n */
    char **g;          /* g[0..N], decimal strings */
} ising_beale;
int ising_beale_init(ising_beale *b, int m, int n);
void ising_beale_clear(ising_beale *b);
/* ln Z and (u, c) from a density of states given as long doubles. */
void ising_dos_thermo(ising_thermo *out, const long double *g, int N, double T);

/* --- multi-spin Metropolis: 64 replicas per word ---------------------------- */
typedef struct {
    int L;             /* even, >= 2 */
    uint64_t *s;       /* L*L words; bit r = spin of replica r (1 = up) */
    uint64_t seed;
    uint32_t cell;
    uint64_t sweep;    /* sweeps done: the counter random numbers are keyed by */
    uint64_t blocks;   /* Philox blocks made so far (the engine's RNG cost) */
} ising_msc;

int ising_msc_init(ising_msc *w, int L, uint64_t seed, uint32_t cell); /* all up */
void ising_msc_clear(ising_msc *w);
/* `sweeps` checkerboard sweeps at temperature T (OpenMP over sites), with
 * the fastest engine compiled in. */
void ising_msc_sweeps(ising_msc *w, double T, uint64_t sweeps);
/* The engines give the same chain bit for bit (the same Philox words decide
 * the same digits); they differ in speed and in the blocks they make.
 * PORTABLE: plain C, 4 blocks per site made ahead, later ones one by one.
 * AVX2 (compiled in where the compiler targets AVX2, e.g. -march=native on
 * x86-64-v3; needs L % 16 == 0): the 8-lane Philox of rng.h, 8 sites per step,
 * blocks 0-3 for every site, later ones 16 stragglers at a time.
 * AUTO (ising_msc_sweeps): AVX2 where it can run, else PORTABLE. */
typedef enum { ISING_MSC_AUTO, ISING_MSC_PORTABLE, ISING_MSC_AVX2 } ising_msc_engine;
/* 0, or -1 when `engine` cannot run (not compiled in, or L % 16 != 0 for AVX2;
 * nothing done). */
int ising_msc_sweeps_with(ising_msc *w, double T, uint64_t sweeps, ising_msc_engine engine);
/* 1 when the AVX2 engine is compiled in. */
int ising_msc_have_avx2(void);
/* The RNG's own rate, for the benchmark: makes `nblocks` blocks (rounded
 * down to a multiple of 32 with AVX2) with the engine's kernel, 4 x 8 lanes
 * per call as the engine makes most of its blocks, and returns their XOR (so
 * the work cannot be skipped). */
uint64_t ising_philox_bench(uint64_t nblocks, uint32_t stream, uint64_t seed);
/* Per-replica energy E_r and magnetization M_r (whole lattice). */
void ising_msc_measure(const ising_msc *w, int E[64], int M[64]);
/* Replica r's spins as +-1 into out[L*L]. */
void ising_msc_replica(int8_t *out, const ising_msc *w, int r);
/* Philox4x32-10 inline (identical to rng_philox4x32; tested equal). */
void ising_philox(uint32_t out[4], const uint32_t ctr[4], const uint32_t key[2]);
/* Plain single-spin checkerboard Metropolis on int8 spins (the peer):
 * one stream, one replica. */
void ising_plain_sweeps(int8_t *s, int L, double T, uint64_t sweeps, uint64_t seed, uint32_t cell);

/* Estimates from `replicas` = 64 independent chains of `sweeps` measured
 * sweeps each after `therm` sweeps.  Errors: binning of the replica-mean
 * series into `nbins` bins (e, |m|) and a jackknife over the same bins (c). */
typedef struct {
    double e, e_err, c, c_err, absm, absm_err, m2, m2_err;
    double tau_e, tau_m;  /* Sokal tau_int of the replica-mean series, sweeps */
    int nbins;
    uint64_t bin;         /* sweeps per bin */
} ising_mc_result;
int ising_msc_run(ising_mc_result *res, int L, double T, uint64_t therm, uint64_t sweeps,
                  int nbins, uint64_t seed, uint32_t cell);
/* Jackknife over bins of per-bin sums: c = N (<e^2> - <e>^2) / T^2. */
void ising_jack_c(double *c, double *err, const double *be, const double *be2, int nb, int N,
                  double T);

/* --- Wolff and the Morningstar-Melko step ------------------------------------ */
typedef struct {
    int L, N;
    int8_t *s;         /* +-1 */
    int *stack;
    rng_stream r;
} ising_chain;

int ising_chain_init(ising_chain *c, int L, uint64_t seed, uint32_t cell, uint32_t stream);
void ising_chain_clear(ising_chain *c);
/* One Wolff cluster update; returns the cluster size. */
int ising_wolff(ising_chain *c, double T);
/* N single-spin Metropolis attempts at random sites. */
void ising_metropolis_random(ising_chain *c, double T, int attempts);
/* MM step: one Wolff update, then N Metropolis attempts. */
void ising_mm_step(ising_chain *c, double T);
void ising_chain_measure(const ising_chain *c, int *E, int *M);
/* E = -sum over nearest-neighbour bonds of s_i s_j and M = sum s_i of one
 * L x L torus configuration s (+-1, row-major). */
void ising_config_measure(int *E, int *M, const int8_t *s, int L);

/* Sampler for other chapters: `count` configurations of an L x L torus at T
 * (MM steps, `spacing` steps apart after `burn` steps), written as +-1 into
 * out[count * L * L], row-major. */
int ising_sample_torus(int8_t *out, int L, double T, int count, int burn, int spacing,
                       uint64_t seed, uint32_t cell);
/* Heat-bath Gibbs sampler for general couplings: p(s) ~ exp(sum_{i<j} J_ij
 * s_i s_j + sum_i h_i s_i), J symmetric n x n (diagonal ignored). */
int ising_sample_general(int8_t *out, int n, const double *J, const double *h, int count,
                         int burn, int spacing, uint64_t seed, uint32_t cell);

/* --- statistics ---------------------------------------------------------------- */
/* Integrated autocorrelation time with Sokal's automatic window (c = 6):
 * tau = 1/2 + sum_{t=1}^{W} rho(t), W the first t >= c tau(t). */
double ising_tau_int(const double *x, size_t n);
/* The same from the autocovariance averaged over R series x[r * n + t]. */
double ising_tau_int_multi(const double *x, int R, size_t n);
/* Mean and binning error: bins of `bin` samples, error of the bin means. */
void ising_binned(double *mean, double *err, const double *x, size_t n, size_t bin);

/* --- sample files ---------------------------------------------------------------- */
#define ISING_SAMPLES_MAGIC "DCISING1"
/* Version 2: the checksum at offset 40 covers the header's first 40 bytes
 * and the payload (version 1 left the header, seed and sizes included,
 * outside it). */
#define ISING_SAMPLES_VERSION 2u
typedef struct {
    int L, ntemps, count;
    uint64_t seed;
    double *T;         /* ntemps */
    uint64_t *bits;    /* ntemps * count * words, words = ceil(L*L/64); bit = 1 up */
    int words;
} ising_samples;

/* Allocates T and bits (zeroed) for ntemps x count configurations of an
 * L x L torus; 0, or -1 on bad sizes or allocation failure (nothing left
 * allocated). */
int ising_samples_init(ising_samples *s, int L, int ntemps, int count, uint64_t seed);
/* Writes atomically; 0 on success. */
int ising_samples_write(const char *path, const ising_samples *s);
/* Loads and verifies (an init from a file): sizes in range and matching the
 * file's length before anything is allocated, then the checksum over header
 * and payload; on failure writes one line to err and returns -1. */
int ising_samples_load(ising_samples *s, const char *path, char *err, size_t errn);
void ising_samples_clear(ising_samples *s);

#endif
