/* Monte Carlo for the 2D Ising torus: multi-spin coded Metropolis, Wolff,
 * the Morningstar-Melko step, samplers, statistics and sample files. */
#include "ising.h"
#include "binio.h"
#include "rng.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Philox4x32-10 (Salmon et al.), inlined so the sweep loop does not call out. */
static inline void philox(uint32_t out[4], const uint32_t ctr[4], const uint32_t key[2])
{
    uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3], k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; round++) {
        uint64_t p0 = (uint64_t)0xD2511F53u * c0, p1 = (uint64_t)0xCD9E8D57u * c2;
        uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0, n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
        c0 = n0; c1 = (uint32_t)p1; c2 = n2; c3 = (uint32_t)p0;
        k0 += 0x9E3779B9u; k1 += 0xBB67AE85u;
    }
    out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
}

void ising_philox(uint32_t out[4], const uint32_t ctr[4], const uint32_t key[2])
{
    philox(out, ctr, key);
}

/* --- multi-spin coded Metropolis ------------------------------------------------- */

int ising_msc_init(ising_msc *w, int L, uint64_t seed, uint32_t cell)
{
    if (L < 2 || L % 2 || L > 65536) return -1;
    w->s = malloc((size_t)L * L * sizeof *w->s);
    if (!w->s) return -1;
    for (size_t i = 0; i < (size_t)L * L; i++) w->s[i] = ~0ull;
    w->L = L; w->seed = seed; w->cell = cell; w->sweep = 0; w->blocks = 0;
    return 0;
}

void ising_msc_clear(ising_msc *w) { free(w->s); w->s = NULL; }

/* Random words for one site in one sweep: Philox at counter
 * (site, sweep_lo, sweep_hi << 12 | block, cell), key = seed.  The first
 * PRE blocks of a batch of sites are made together (vectorized); later
 * blocks, rarely needed, one at a time. */
#define PRE 4
#define BATCH 16
typedef struct {
    uint32_t ctr[4], key[2], buf[4];
    int used;
    const uint32_t *pre; /* PRE blocks x 4 words, stride BATCH */
    int npre;            /* words of pre used */
} site_rng;

static inline uint64_t site_u64(site_rng *g)
{
    if (g->npre < 4 * PRE) {
        int b = g->npre >> 2, w = g->npre & 3;
        const uint32_t *q = g->pre + (size_t)(b * 4 + w) * BATCH;
        g->npre += 2;
        return ((uint64_t)q[0] << 32) | q[BATCH];
    }
    if (g->used == 4) {
        philox(g->buf, g->ctr, g->key);
        g->ctr[2]++;
        g->used = 0;
    }
    uint64_t v = ((uint64_t)g->buf[g->used] << 32) | g->buf[g->used + 1];
    g->used += 2;
    return v;
}

/* PRE Philox blocks for each of BATCH counters c0[i] (sites), same c1, c2 base, c3:
 * out[(b * 4 + w) * BATCH + i].  The same rounds as philox(), lane-parallel. */
static void philox_batch(uint32_t *out, const uint32_t *site, uint32_t c1v, uint32_t c2v,
                         uint32_t c3v, const uint32_t key[2])
{
    for (int b = 0; b < PRE; b++) {
        uint32_t c0[BATCH], c1[BATCH], c2[BATCH], c3[BATCH];
        for (int i = 0; i < BATCH; i++) { c0[i] = site[i]; c1[i] = c1v; c2[i] = c2v + (uint32_t)b; c3[i] = c3v; }
        uint32_t k0 = key[0], k1 = key[1];
        for (int round = 0; round < 10; round++) {
            #pragma omp simd
            for (int i = 0; i < BATCH; i++) {
                uint64_t p0 = (uint64_t)0xD2511F53u * c0[i], p1 = (uint64_t)0xCD9E8D57u * c2[i];
                uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1[i] ^ k0, n2 = (uint32_t)(p0 >> 32) ^ c3[i] ^ k1;
                c0[i] = n0; c1[i] = (uint32_t)p1; c2[i] = n2; c3[i] = (uint32_t)p0;
            }
            k0 += 0x9E3779B9u; k1 += 0xBB67AE85u;
        }
        for (int i = 0; i < BATCH; i++) {
            out[(b * 4 + 0) * BATCH + i] = c0[i]; out[(b * 4 + 1) * BATCH + i] = c1[i];
            out[(b * 4 + 2) * BATCH + i] = c2[i]; out[(b * 4 + 3) * BATCH + i] = c3[i];
        }
    }
}

/* listing: bernoulli */

/* One uniform U_r per lane, compared digit by digit (most significant first)
 * with a lane-dependent threshold: P1 = p 2^64 on lanes m1, P2 = p^2 2^64 on
 * lanes m2.  Lane r accepts iff U_r < its threshold, decided at the first digit
 * where they differ; each random word settles half the open lanes on average. */
static inline uint64_t bernoulli_mask2(site_rng *g, uint64_t P1, uint64_t m1, uint64_t P2, uint64_t m2)
{
    uint64_t res = 0, open = m1 | m2;
    for (int k = 63; k >= 0 && open; k--) {
        uint64_t R = site_u64(g);
        uint64_t t = (m1 & (0 - ((P1 >> k) & 1))) | (m2 & (0 - ((P2 >> k) & 1)));
        res |= open & t & ~R;
        open &= ~(t ^ R);
    }
    return res; /* lanes still open have U = threshold on 64 digits: reject */
}
/* end: bernoulli */

/* listing: msc */

/* One colour of a checkerboard sweep.  Bit r of a word is replica r; a bond
 * is broken where the XOR of the two words is 1.  With B broken bonds of 4,
 * flipping costs dE = 8 - 4B: B >= 2 always flips, B = 1 flips with
 * probability p = e^{-4/T}, B = 0 with p^2. */
static uint64_t msc_half(ising_msc *w, uint64_t P, uint64_t P2, int colour)
{
    int L = w->L;
    uint64_t *s = w->s, blocks = 0; /* Philox blocks made (the RNG count of the appendix) */
    #pragma omp for schedule(static)
    for (int y = 0; y < L; y++) {
        const uint64_t *up = s + (size_t)((y + L - 1) % L) * L, *dn = s + (size_t)((y + 1) % L) * L;
        uint64_t *row = s + (size_t)y * L;
        uint32_t c1v = (uint32_t)w->sweep, c2v = (uint32_t)(w->sweep >> 32) << 12;
        uint32_t key[2] = {(uint32_t)w->seed, (uint32_t)(w->seed >> 32)};
        uint32_t pre[PRE * 4 * BATCH], site[BATCH];
        for (int x0 = (y + colour) & 1; x0 < L; x0 += 2 * BATCH) {
            int nx = (L - x0 + 1) / 2 < BATCH ? (L - x0 + 1) / 2 : BATCH;
            for (int i = 0; i < BATCH; i++) site[i] = (uint32_t)(y * L + x0 + 2 * (i < nx ? i : 0));
            philox_batch(pre, site, c1v, c2v, w->cell, key);
            blocks += PRE * BATCH;
            for (int i = 0; i < nx; i++) {
                int x = x0 + 2 * i;
                uint64_t c = row[x];
                uint64_t a1 = c ^ row[x == 0 ? L - 1 : x - 1], a2 = c ^ row[x == L - 1 ? 0 : x + 1];
                uint64_t a3 = c ^ up[x], a4 = c ^ dn[x];
                uint64_t s1 = a1 ^ a2, c1 = a1 & a2, s2 = a3 ^ a4, c2 = a3 & a4;
                uint64_t lo = s1 ^ s2, twos = c1 | c2 | (s1 & s2);
                uint64_t eq1 = lo & ~twos, eq0 = ~(lo | twos);
                site_rng g = {{site[i], c1v, c2v + PRE, w->cell}, {key[0], key[1]}, {0}, 4, pre + i, 0};
                row[x] = c ^ (twos | bernoulli_mask2(&g, P, eq1, P2, eq0));
                blocks += g.ctr[2] - (c2v + PRE);
            }
        }
    }
    return blocks;
}

/* The acceptance thresholds P1 = p 2^64 and P2 = p^2 2^64 of temperature T. */
static void msc_thresholds(uint64_t *P1, uint64_t *P2, double T)
{
    double p = exp(-4.0 / T), p2 = exp(-8.0 / T);
    *P1 = p >= 1 ? ~0ull : (uint64_t)ldexp(p, 64), *P2 = p2 >= 1 ? ~0ull : (uint64_t)ldexp(p2, 64);
}

static void msc_sweeps_portable(ising_msc *w, double T, uint64_t sweeps)
{
    uint64_t P, P2, blocks = 0;
    msc_thresholds(&P, &P2, T);
    #pragma omp parallel if (w->L >= 64) reduction(+ : blocks) /* small lattices: threads cost more than they give */
    for (uint64_t k = 0; k < sweeps; k++) {
        blocks += msc_half(w, P, P2, 0);
        blocks += msc_half(w, P, P2, 1); /* the implicit barriers of omp for separate the colours */
        #pragma omp single
        w->sweep++;
    }
    w->blocks += blocks;
}
/* end: msc */

/* --- the AVX2 engine --------------------------------------------------------------
 * The same chain, bit for bit: site i's acceptance mask compares the digits of
 * P1, P2 with the same Philox words as msc_half (u64 word 2b is words 0, 1 of
 * block b at counter (site, sweep_lo, sweep_hi << 12 | b, cell), word 2b + 1
 * words 2, 3; digit 63 - j from word j).  What changes is the order of the
 * work.  Eight sites of one colour and one row (x, x + 2, ..., x + 14) are
 * classified 4 per AVX2 operation; blocks 0 .. MSC_HEAD - 1, which nearly
 * every site needs, are made for all 8 by one interleaved call of the 8-lane
 * Philox and settle digits 63 .. 64 - 2 MSC_HEAD, 4 sites per operation, in
 * registers; the new words go back with the lanes decided so far.  The few
 * sites with lanes still open join a per-thread queue of stragglers, which
 * makes block b = MSC_HEAD, MSC_HEAD + 1, ... 16 sites at a time for the
 * stragglers still open and flips the lanes it decides.  Making a block that
 * no lane needs changes nothing but the time.  Needs L % 16 == 0 (else the
 * portable engine runs). */
#if defined(__AVX2__)

enum { MSC_HEAD = 4, MSC_Q = 256, MSC_PAD = 16 };

/* Stragglers: sites of one colour whose acceptance masks are still open.  m1,
 * m2 hold only the open lanes; the lanes decided so far are already in s. */
typedef struct {
    _Alignas(32) uint64_t m1[MSC_Q + MSC_PAD]; /* open lanes with B = 1 (threshold P1) */
    _Alignas(32) uint64_t m2[MSC_Q + MSC_PAD]; /* open lanes with B = 0 (threshold P2) */
    _Alignas(32) uint64_t res[MSC_Q + MSC_PAD];  /* lanes decided to flip since queued */
    _Alignas(32) uint32_t site[MSC_Q + MSC_PAD];
    int n;
} msc_queue;

/* What a half-sweep needs to know: counter words, key, and the digits of the
 * thresholds as masks (d1[k] all ones where bit k of P1 is 1). */
typedef struct {
    uint32_t c1, c2, cell, k0, k1;
    uint64_t d1[64], d2[64];
} msc_par;

/* listing: msc-avx2 */

/* Digit k of the comparison for 4 sites, from their random words R: a lane
 * accepts where R's digit is 0 and the threshold's 1, and stays open (in m1 or
 * m2) while they are equal. */
static inline void digit4(__m256i *m1, __m256i *m2, __m256i *res, __m256i R, const msc_par *p, int k)
{
    __m256i t = _mm256_or_si256(_mm256_and_si256(*m1, _mm256_set1_epi64x((long long)p->d1[k])),
                                _mm256_and_si256(*m2, _mm256_set1_epi64x((long long)p->d2[k])));
    __m256i keep = _mm256_xor_si256(t, R); /* 1 where decided */
    *res = _mm256_or_si256(*res, _mm256_andnot_si256(R, t));
    *m1 = _mm256_andnot_si256(keep, *m1), *m2 = _mm256_andnot_si256(keep, *m2);
}

/* Philox lane j holds site perm[j] of 8, so that unpacking the output gives
 * sites 0-3 (lo) and 4-7 (hi) in order: u64 word 2b = (x0 << 32) | x1. */
#define MSC_PERM _mm256_setr_epi32(0, 1, 4, 5, 2, 3, 6, 7)

/* Blocks b0 .. b0 + G - 1 for 8 S sites (G, S constants, G S <= 4; one
 * interleaved Philox call), sites sv[j] (Philox lane order), 2 digits per
 * block into m1[h], m2[h], res[h] (sites 4h .. 4h + 3). */
static inline __attribute__((always_inline)) void blocks8(const __m256i *sv, int b0, int G, int S, const msc_par *p,
                                                            __m256i *m1, __m256i *m2, __m256i *res)
{
    __m256i x[16];
    for (int j = 0; j < S; j++)
        for (int b = 0; b < G; b++) {
            __m256i *y = x + 4 * (j * G + b);
            y[0] = sv[j], y[1] = _mm256_set1_epi32((int)p->c1);
            y[2] = _mm256_set1_epi32((int)(p->c2 + (uint32_t)(b0 + b))), y[3] = _mm256_set1_epi32((int)p->cell);
        }
    rng_philox4x32_avx2(x, G * S, p->k0, p->k1);
    for (int h = 0; h < 2 * S; h++)
        for (int b = 0; b < G; b++) {
            const __m256i *y = x + 4 * ((h >> 1) * G + b);
            int k = 63 - 2 * (b0 + b);
            __m256i R0 = h & 1 ? _mm256_unpackhi_epi32(y[1], y[0]) : _mm256_unpacklo_epi32(y[1], y[0]);
            __m256i R1 = h & 1 ? _mm256_unpackhi_epi32(y[3], y[2]) : _mm256_unpacklo_epi32(y[3], y[2]);
            digit4(m1 + h, m2 + h, res + h, R0, p, k);
            digit4(m1 + h, m2 + h, res + h, R1, p, k - 1);
        }
}

/* Settles the queue: block b = MSC_HEAD, ... for the stragglers still open,
 * decided lanes flipped in s, the open ones kept at the head.  Returns the
 * blocks made for its sites. */
static uint64_t queue_settle(msc_queue *q, uint64_t *s, const msc_par *p)
{
    uint64_t blocks = 0;
    int n = q->n;
    for (int b = MSC_HEAD; n > 0 && b < 32; b++) {
        for (int i = n; i < n + MSC_PAD; i++) q->m1[i] = q->m2[i] = q->res[i] = 0, q->site[i] = 0; /* pads */
        blocks += (uint64_t)n;
        for (int i = 0; i < n; i += 16) {
            __m256i sv[2], m1[4], m2[4], res[4];
            for (int j = 0; j < 2; j++)
                sv[j] = _mm256_permutevar8x32_epi32(_mm256_load_si256((const __m256i *)(q->site + i + 8 * j)), MSC_PERM);
            for (int h = 0; h < 4; h++) {
                m1[h] = _mm256_load_si256((const __m256i *)(q->m1 + i + 4 * h));
                m2[h] = _mm256_load_si256((const __m256i *)(q->m2 + i + 4 * h));
                res[h] = _mm256_setzero_si256();
            }
            blocks8(sv, b, 1, 2, p, m1, m2, res);
            for (int h = 0; h < 4; h++) {
                _mm256_store_si256((__m256i *)(q->m1 + i + 4 * h), m1[h]);
                _mm256_store_si256((__m256i *)(q->m2 + i + 4 * h), m2[h]);
                _mm256_store_si256((__m256i *)(q->res + i + 4 * h), res[h]);
            }
        }
        int m = 0;
        for (int i = 0; i < n; i++) { /* flip what this block decided; keep the open sites */
            uint64_t a = q->m1[i], c = q->m2[i];
            uint32_t st = q->site[i];
            s[st] ^= q->res[i];
            q->m1[m] = a, q->m2[m] = c, q->site[m] = st;
            m += (a | c) != 0;
        }
        n = m;
    }
    q->n = 0; /* open after 64 digits: U equals the threshold, reject */
    return blocks;
}

/* Four words r[x], r[x + 2], r[x + 4], r[x + 6] of a row (x + 6 < L). */
static inline __m256i row4(const uint64_t *r, int x) { return _mm256_setr_epi64x((long long)r[x], (long long)r[x + 2], (long long)r[x + 4], (long long)r[x + 6]); }

/* The four words r[0], r[2], r[4], r[6], from two loads of r[0..7]. */
static inline __m256i evens(const uint64_t *r)
{
    __m256i a = _mm256_loadu_si256((const __m256i *)r), b = _mm256_loadu_si256((const __m256i *)(r + 4));
    return _mm256_permute4x64_epi64(_mm256_unpacklo_epi64(a, b), 0xD8); /* r0 r4 r2 r6 -> r0 r2 r4 r6 */
}

/* Row y of one colour, 8 sites at a time; stragglers join q (settled when full).
 * Returns the blocks made. */
static uint64_t msc_row_avx2(ising_msc *w, int y, int colour, const msc_par *p, msc_queue *q)
{
    int L = w->L;
    uint64_t *s = w->s, blocks = 0;
    const uint64_t *up = s + (size_t)((y + L - 1) % L) * L, *dn = s + (size_t)((y + 1) % L) * L;
    uint64_t *row = s + (size_t)y * L;
    const __m256i step = _mm256_setr_epi32(0, 2, 8, 10, 4, 6, 12, 14); /* 2 MSC_PERM */
    for (int x = (y + colour) & 1; x < L; x += 16) {
        __m256i m1[2], m2[2], res[2], cw[2], twos[2];
        for (int h = 0; h < 2; h++) {
            int xh = x + 8 * h;
            __m256i c, l, r, u, d;
            if (xh > 0 && xh + 7 < L) { /* inside the row: whole-vector loads, deinterleaved */
                __m256i a = _mm256_loadu_si256((const __m256i *)(row + xh)), b = _mm256_loadu_si256((const __m256i *)(row + xh + 4));
                c = _mm256_permute4x64_epi64(_mm256_unpacklo_epi64(a, b), 0xD8); /* r0 r4 r2 r6 -> r0 r2 r4 r6 */
                r = _mm256_permute4x64_epi64(_mm256_unpackhi_epi64(a, b), 0xD8); /* r1 r3 r5 r7 */
                l = evens(row + xh - 1);
                u = evens(up + xh), d = evens(dn + xh);
            } else { /* at the row's ends, the torus wraps */
                c = row4(row, xh), u = row4(up, xh), d = row4(dn, xh);
                r = _mm256_setr_epi64x((long long)row[xh + 1], (long long)row[xh + 3], (long long)row[xh + 5],
                                       (long long)row[xh + 7 < L ? xh + 7 : 0]);
                l = _mm256_setr_epi64x((long long)row[xh == 0 ? L - 1 : xh - 1], (long long)row[xh + 1],
                                       (long long)row[xh + 3], (long long)row[xh + 5]);
            }
            __m256i a1 = _mm256_xor_si256(c, l), a2 = _mm256_xor_si256(c, r);
            __m256i a3 = _mm256_xor_si256(c, u), a4 = _mm256_xor_si256(c, d);
            __m256i s1 = _mm256_xor_si256(a1, a2), c1 = _mm256_and_si256(a1, a2);
            __m256i s2 = _mm256_xor_si256(a3, a4), c2 = _mm256_and_si256(a3, a4);
            __m256i lo = _mm256_xor_si256(s1, s2);
            twos[h] = _mm256_or_si256(_mm256_or_si256(c1, c2), _mm256_and_si256(s1, s2));
            m1[h] = _mm256_andnot_si256(twos[h], lo);                       /* B = 1 */
            m2[h] = _mm256_xor_si256(_mm256_or_si256(lo, twos[h]), _mm256_set1_epi64x(-1)); /* B = 0 */
            res[h] = _mm256_setzero_si256(), cw[h] = c;
        }
        uint32_t site = (uint32_t)y * (uint32_t)L + (uint32_t)x;
        __m256i sv = _mm256_add_epi32(_mm256_set1_epi32((int)site), step);
        blocks8(&sv, 0, MSC_HEAD, 1, p, m1, m2, res);
        blocks += 8 * MSC_HEAD;
        _Alignas(32) uint64_t nw[8], o1[8], o2[8];
        for (int h = 0; h < 2; h++) {
            _mm256_store_si256((__m256i *)(nw + 4 * h), _mm256_xor_si256(cw[h], _mm256_or_si256(twos[h], res[h])));
            _mm256_store_si256((__m256i *)(o1 + 4 * h), m1[h]);
            _mm256_store_si256((__m256i *)(o2 + 4 * h), m2[h]);
        }
        int k = q->n;
        for (int i = 0; i < 8; i++) { /* stragglers join the queue (written always, kept if open) */
            row[x + 2 * i] = nw[i];
            q->m1[k] = o1[i], q->m2[k] = o2[i], q->site[k] = site + 2 * (uint32_t)i;
            k += (o1[i] | o2[i]) != 0;
        }
        q->n = k;
        if (k > MSC_Q - 8) blocks += queue_settle(q, s, p);
    }
    return blocks;
}

static void msc_sweeps_avx2(ising_msc *w, double T, uint64_t sweeps)
{
    msc_par p = {.cell = w->cell, .k0 = (uint32_t)w->seed, .k1 = (uint32_t)(w->seed >> 32)};
    uint64_t P1, P2;
    msc_thresholds(&P1, &P2, T);
    for (int k = 0; k < 64; k++) p.d1[k] = 0 - ((P1 >> k) & 1), p.d2[k] = 0 - ((P2 >> k) & 1);
    int L = w->L;
    uint64_t blocks = 0;
    #pragma omp parallel if (L >= 64) reduction(+ : blocks) firstprivate(p)
    {
        msc_queue qs, *q = &qs; /* this thread's stragglers */
        q->n = 0;
        for (uint64_t k = 0; k < sweeps; k++) {
            p.c1 = (uint32_t)(w->sweep + k), p.c2 = (uint32_t)((w->sweep + k) >> 32) << 12;
            for (int colour = 0; colour < 2; colour++) {
                #pragma omp for schedule(static) nowait
                for (int y = 0; y < L; y++) blocks += msc_row_avx2(w, y, colour, &p, q);
                blocks += queue_settle(q, w->s, &p);
                #pragma omp barrier
            }
        }
    }
    w->sweep += sweeps;
    w->blocks += blocks;
}
/* end: msc-avx2 */
#endif

int ising_msc_have_avx2(void)
{
#if defined(__AVX2__)
    return 1;
#else
    return 0;
#endif
}

int ising_msc_sweeps_with(ising_msc *w, double T, uint64_t sweeps, ising_msc_engine engine)
{
    if (engine == ISING_MSC_AUTO) engine = ising_msc_have_avx2() && w->L % 16 == 0 ? ISING_MSC_AVX2 : ISING_MSC_PORTABLE;
    if (engine == ISING_MSC_PORTABLE) {
        msc_sweeps_portable(w, T, sweeps);
        return 0;
    }
#if defined(__AVX2__)
    if (engine == ISING_MSC_AVX2 && w->L % 16 == 0) {
        msc_sweeps_avx2(w, T, sweeps);
        return 0;
    }
#endif
    return -1;
}

void ising_msc_sweeps(ising_msc *w, double T, uint64_t sweeps)
{
    ising_msc_sweeps_with(w, T, sweeps, ISING_MSC_AUTO);
}

uint64_t ising_philox_bench(uint64_t nblocks, uint32_t stream, uint64_t seed)
{
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    uint64_t acc = 0;
#if defined(__AVX2__)
    /* as the engine's head makes them: 8 counters x 4 blocks per call */
    __m256i a = _mm256_setzero_si256();
    for (uint64_t b = 0; b + 32 <= nblocks; b += 32) {
        __m256i x[16], sv = _mm256_add_epi32(_mm256_set1_epi32((int)(uint32_t)b), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        for (int g = 0; g < 4; g++)
            x[4 * g] = sv, x[4 * g + 1] = _mm256_set1_epi32((int)(uint32_t)(b >> 32)),
            x[4 * g + 2] = _mm256_set1_epi32((int)(stream + (uint32_t)g)), x[4 * g + 3] = _mm256_setzero_si256();
        rng_philox4x32_avx2(x, 4, k0, k1);
        for (int j = 0; j < 16; j++) a = _mm256_xor_si256(a, x[j]);
    }
    _Alignas(32) uint64_t v[4];
    _mm256_store_si256((__m256i *)v, a);
    acc = v[0] ^ v[1] ^ v[2] ^ v[3];
#else
    for (uint64_t b = 0; b < nblocks; b++) {
        uint32_t c[4] = {(uint32_t)b, (uint32_t)(b >> 32), stream, 0}, key[2] = {k0, k1}, o[4];
        philox(o, c, key);
        acc ^= ((uint64_t)o[0] << 32 | o[1]) ^ ((uint64_t)o[2] << 32 | o[3]);
    }
#endif
    return acc;
}

/* Adds word v into the bit-sliced counters plane[0..np) (lane-wise +1). */
static inline void slice_add(uint64_t *plane, int np, uint64_t v)
{
    for (int p = 0; p < np && v; p++) {
        uint64_t t = plane[p] & v;
        plane[p] ^= v;
        v = t;
    }
}

/* Lane-wise counting of a stream of words, Harley-Seal: carry-save adders fold
 * each 16 words into ones, twos, fours and eights and one word of sixteens,
 * the only one that goes through the ripple adder.  Counts are integers: the
 * same planes whatever the grouping. */
typedef struct {
    uint64_t *plane, ones, twos, fours, eights, buf[16];
    int np, n;
} vcount;

#define CSA(h, l, a, b, c)                                                                                             \
    do {                                                                                                               \
        uint64_t u_ = (a) ^ (b), c_ = (c);                                                                             \
        h = ((a) & (b)) | (u_ & c_);                                                                                   \
        l = u_ ^ c_;                                                                                                   \
    } while (0)

static void vc_block(vcount *c)
{
    const uint64_t *d = c->buf;
    uint64_t ta, tb, fa, fb, ea, eb, sx;
    CSA(ta, c->ones, c->ones, d[0], d[1]);
    CSA(tb, c->ones, c->ones, d[2], d[3]);
    CSA(fa, c->twos, c->twos, ta, tb);
    CSA(ta, c->ones, c->ones, d[4], d[5]);
    CSA(tb, c->ones, c->ones, d[6], d[7]);
    CSA(fb, c->twos, c->twos, ta, tb);
    CSA(ea, c->fours, c->fours, fa, fb);
    CSA(ta, c->ones, c->ones, d[8], d[9]);
    CSA(tb, c->ones, c->ones, d[10], d[11]);
    CSA(fa, c->twos, c->twos, ta, tb);
    CSA(ta, c->ones, c->ones, d[12], d[13]);
    CSA(tb, c->ones, c->ones, d[14], d[15]);
    CSA(fb, c->twos, c->twos, ta, tb);
    CSA(eb, c->fours, c->fours, fa, fb);
    CSA(sx, c->eights, c->eights, ea, eb);
    slice_add(c->plane + 4, c->np - 4, sx);
    c->n = 0;
}

static inline void vc_push(vcount *c, uint64_t v)
{
    c->buf[c->n++] = v;
    if (c->n == 16) vc_block(c);
}

/* The words left over and the partial sums into the planes (a partial sum
 * never exceeds the total, so no plane past np is needed). */
static void vc_finish(vcount *c)
{
    for (int i = 0; i < c->n; i++) slice_add(c->plane, c->np, c->buf[i]);
    slice_add(c->plane, c->np, c->ones);
    slice_add(c->plane + 1, c->np - 1, c->twos);
    slice_add(c->plane + 2, c->np - 2, c->fours);
    slice_add(c->plane + 3, c->np - 3, c->eights);
}

/* cnt[r] = the number in lane r of the planes plane[0..np) */
static void vc_lanes(int cnt[64], const uint64_t *plane, int np)
{
    for (int r = 0; r < 64; r++) cnt[r] = 0;
    for (int p = 0; p < np; p++) {
        uint32_t lo = (uint32_t)plane[p], hi = (uint32_t)(plane[p] >> 32);
        for (int r = 0; r < 32; r++) cnt[r] |= (int)((lo >> r) & 1) << p;
        for (int r = 0; r < 32; r++) cnt[r + 32] |= (int)((hi >> r) & 1) << p;
    }
}

void ising_msc_measure(const ising_msc *w, int E[64], int M[64])
{
    int L = w->L, N = L * L, nb = 1, nu = 1;
    while ((1 << nb) <= 2 * N) nb++;
    while ((1 << nu) <= N) nu++;
    uint64_t pb[32] = {0}, pu[32] = {0};
    vcount cb = {.plane = pb, .np = nb}, cu = {.plane = pu, .np = nu};
    for (int y = 0; y < L; y++) {
        const uint64_t *row = w->s + (size_t)y * L, *down = w->s + (size_t)((y + 1) % L) * L;
        for (int x = 0; x < L; x++) {
            uint64_t c = row[x];
            vc_push(&cb, c ^ row[x + 1 < L ? x + 1 : 0]);
            vc_push(&cb, c ^ down[x]);
            vc_push(&cu, c);
        }
    }
    vc_finish(&cb);
    vc_finish(&cu);
    int B[64], U[64];
    vc_lanes(B, pb, nb);
    vc_lanes(U, pu, nu);
    for (int r = 0; r < 64; r++) {
        E[r] = -2 * N + 2 * B[r];
        M[r] = 2 * U[r] - N;
    }
}

void ising_jack_c(double *c, double *err, const double *be, const double *be2, int nb, int N,
                  double T)
{
    double S1 = 0, S2 = 0, jm = 0, jv = 0;
    for (int b = 0; b < nb; b++) { S1 += be[b]; S2 += be2[b]; }
    *c = N * (S2 / nb - (S1 / nb) * (S1 / nb)) / (T * T);
    double *cj = malloc((size_t)nb * sizeof *cj);
    if (!cj) { *err = NAN; return; }
    for (int b = 0; b < nb; b++) {
        double m1 = (S1 - be[b]) / (nb - 1), m2 = (S2 - be2[b]) / (nb - 1);
        cj[b] = N * (m2 - m1 * m1) / (T * T);
        jm += cj[b];
    }
    jm /= nb;
    for (int b = 0; b < nb; b++) jv += (cj[b] - jm) * (cj[b] - jm);
    *err = sqrt(jv * (nb - 1) / nb);
    free(cj);
}

/* listing: mcrun */

int ising_msc_run(ising_mc_result *res, int L, double T, uint64_t therm, uint64_t sweeps,
                  int nbins, uint64_t seed, uint32_t cell)
{
    if (nbins < 2 || sweeps < (uint64_t)nbins) return -1;
    ising_msc w;
    if (ising_msc_init(&w, L, seed, cell) != 0) return -1;
    int N = L * L;
    double *se = malloc(sweeps * sizeof *se), *se2 = malloc(sweeps * sizeof *se2);
    double *sm = malloc(sweeps * sizeof *sm), *sm2 = malloc(sweeps * sizeof *sm2);
    if (!se || !se2 || !sm || !sm2) { free(se); free(se2); free(sm); free(sm2); ising_msc_clear(&w); return -1; }
    ising_msc_sweeps(&w, T, therm); /* cold start, then `therm` sweeps */
    for (uint64_t t = 0; t < sweeps; t++) {
        int E[64], M[64];
        ising_msc_sweeps(&w, T, 1);
        ising_msc_measure(&w, E, M);
        double a = 0, a2 = 0, b = 0, b2 = 0;
        for (int r = 0; r < 64; r++) {
            double e = (double)E[r] / N, m = fabs((double)M[r]) / N;
            a += e; a2 += e * e; b += m; b2 += m * m;
        }
        se[t] = a / 64; se2[t] = a2 / 64; sm[t] = b / 64; sm2[t] = b2 / 64;
    }
    uint64_t bin = sweeps / (uint64_t)nbins, n = bin * (uint64_t)nbins;
    ising_binned(&res->e, &res->e_err, se, n, bin);
    ising_binned(&res->absm, &res->absm_err, sm, n, bin);
    ising_binned(&res->m2, &res->m2_err, sm2, n, bin);
    double *be = malloc((size_t)nbins * sizeof *be), *be2 = malloc((size_t)nbins * sizeof *be2);
    if (be && be2) {
        for (int k = 0; k < nbins; k++) {
            be[k] = be2[k] = 0;
            for (uint64_t t = 0; t < bin; t++) { be[k] += se[k * bin + t]; be2[k] += se2[k * bin + t]; }
            be[k] /= bin; be2[k] /= bin;
        }
        ising_jack_c(&res->c, &res->c_err, be, be2, nbins, N, T);
    }
    res->tau_e = ising_tau_int(se, n);
    res->tau_m = ising_tau_int(sm, n);
    res->nbins = nbins;
    res->bin = bin;
    free(be); free(be2); free(se); free(se2); free(sm); free(sm2);
    ising_msc_clear(&w);
    return 0;
}
/* end: mcrun */

void ising_msc_replica(int8_t *out, const ising_msc *w, int r)
{
    for (size_t i = 0; i < (size_t)w->L * w->L; i++) out[i] = ((w->s[i] >> r) & 1) ? 1 : -1;
}

/* listing: plain */

/* The peer: textbook single-spin checkerboard Metropolis on int8 spins with a
 * tabulated acceptance, one Philox stream. */
void ising_plain_sweeps(int8_t *s, int L, double T, uint64_t sweeps, uint64_t seed, uint32_t cell)
{
    rng_stream r;
    rng_init(&r, seed, cell, 0);
    double acc[5];
    for (int k = 0; k < 5; k++) acc[k] = exp(-2.0 * (2 * k - 4) / T); /* dE = 2 s h, h = 2k - 4 */
    int *nx = malloc(2 * (size_t)L * sizeof *nx); /* neighbour tables: no modulo in the loop */
    if (!nx) return;
    for (int x = 0; x < L; x++) { nx[x] = (x + 1) % L; nx[L + x] = (x + L - 1) % L; }
    for (uint64_t t = 0; t < sweeps; t++)
        for (int colour = 0; colour < 2; colour++)
            for (int y = 0; y < L; y++) {
                const int8_t *row = s + (size_t)y * L, *up = s + (size_t)nx[L + y] * L, *dn = s + (size_t)nx[y] * L;
                for (int x = (y + colour) & 1; x < L; x += 2) {
                    int h = row[nx[x]] + row[nx[L + x]] + up[x] + dn[x];
                    int k = (row[x] * h + 4) / 2;
                    if (k <= 2 || rng_uniform(&r) < acc[k]) s[(size_t)y * L + x] = (int8_t)-row[x];
                }
            }
    free(nx);
}
/* end: plain */

/* --- Wolff and the MM step ---------------------------------------------------------- */

int ising_chain_init(ising_chain *c, int L, uint64_t seed, uint32_t cell, uint32_t stream)
{
    if (L < 2 || L > 65536) return -1;
    c->L = L; c->N = L * L;
    c->s = malloc((size_t)c->N);
    c->stack = malloc((size_t)c->N * sizeof *c->stack);
    if (!c->s || !c->stack) { free(c->s); free(c->stack); return -1; }
    memset(c->s, 1, (size_t)c->N);
    rng_init(&c->r, seed, cell, stream);
    return 0;
}

void ising_chain_clear(ising_chain *c)
{
    free(c->s); free(c->stack);
    c->s = NULL; c->stack = NULL;
}

/* listing: wolff */

/* Wolff (1989): grow a cluster from a random seed site, adding aligned
 * neighbours with probability 1 - e^{-2/T}; spins are flipped as they join,
 * so a flipped spin is never added twice. */
int ising_wolff(ising_chain *c, double T)
{
    int L = c->L, n = 0, size = 1;
    double padd = -expm1(-2.0 / T);
    int i = (int)rng_below(&c->r, (uint64_t)c->N);
    int8_t s0 = c->s[i];
    c->s[i] = (int8_t)-s0;
    c->stack[n++] = i;
    while (n) {
        int j = c->stack[--n], x = j % L, y = j / L;
        int nb[4] = {y * L + (x + 1) % L, y * L + (x + L - 1) % L, ((y + 1) % L) * L + x,
                     ((y + L - 1) % L) * L + x};
        for (int q = 0; q < 4; q++)
            if (c->s[nb[q]] == s0 && rng_uniform(&c->r) < padd) {
                c->s[nb[q]] = (int8_t)-s0;
                c->stack[n++] = nb[q];
                size++;
            }
    }
    return size;
}
/* end: wolff */

void ising_metropolis_random(ising_chain *c, double T, int attempts)
{
    int L = c->L;
    double acc[5];
    for (int k = 0; k < 5; k++) acc[k] = exp(-2.0 * (2 * k - 4) / T);
    for (int a = 0; a < attempts; a++) {
        int i = (int)rng_below(&c->r, (uint64_t)c->N), x = i % L, y = i / L;
        int h = c->s[y * L + (x + 1) % L] + c->s[y * L + (x + L - 1) % L] +
                c->s[((y + 1) % L) * L + x] + c->s[((y + L - 1) % L) * L + x];
        int k = (c->s[i] * h + 4) / 2;
        if (k <= 2 || rng_uniform(&c->r) < acc[k]) c->s[i] = (int8_t)-c->s[i];
    }
}

/* listing: mmstep */

/* Morningstar-Melko (authors' code): one Wolff update, then N single-spin
 * Metropolis attempts at random sites. */
void ising_mm_step(ising_chain *c, double T)
{
    ising_wolff(c, T);
    ising_metropolis_random(c, T, c->N);
}
/* end: mmstep */

void ising_config_measure(int *E, int *M, const int8_t *s, int L)
{
    int e = 0, m = 0;
    for (int y = 0; y < L; y++)
        for (int x = 0; x < L; x++) {
            int i = y * L + x;
            e -= s[i] * (s[y * L + (x + 1) % L] + s[((y + 1) % L) * L + x]);
            m += s[i];
        }
    *E = e; *M = m;
}

void ising_chain_measure(const ising_chain *c, int *E, int *M)
{
    ising_config_measure(E, M, c->s, c->L);
}

int ising_sample_torus(int8_t *out, int L, double T, int count, int burn, int spacing,
                       uint64_t seed, uint32_t cell)
{
    if (count < 0 || burn < 0 || spacing < 1 || !(T > 0)) return -1;
    ising_chain c;
    if (ising_chain_init(&c, L, seed, cell, 0) != 0) return -1;
    for (int t = 0; t < burn; t++) ising_mm_step(&c, T);
    for (int k = 0; k < count; k++) {
        for (int t = 0; t < spacing; t++) ising_mm_step(&c, T);
        memcpy(out + (size_t)k * c.N, c.s, (size_t)c.N);
    }
    ising_chain_clear(&c);
    return 0;
}

int ising_sample_general(int8_t *out, int n, const double *J, const double *h, int count,
                         int burn, int spacing, uint64_t seed, uint32_t cell)
{
    if (n < 1 || count < 0 || burn < 0 || spacing < 1) return -1;
    int8_t *s = malloc((size_t)n);
    if (!s) return -1;
    rng_stream r;
    rng_init(&r, seed, cell, 0);
    for (int i = 0; i < n; i++) s[i] = rng_bernoulli(&r, 0.5) ? 1 : -1;
    for (long t = 0; t < (long)burn + (long)count * spacing; t++) {
        for (int i = 0; i < n; i++) { /* heat bath: P(s_i = 1) = 1 / (1 + e^{-2 phi}) */
            double phi = h ? h[i] : 0;
            for (int j = 0; j < n; j++) if (j != i) phi += J[(size_t)i * n + j] * s[j];
            s[i] = rng_uniform(&r) * (1 + exp(-2 * phi)) < 1 ? 1 : -1;
        }
        long k = t - burn + 1;
        if (k > 0 && k % spacing == 0) memcpy(out + (size_t)(k / spacing - 1) * n, s, (size_t)n);
    }
    free(s);
    return 0;
}

/* --- statistics ------------------------------------------------------------------- */

/* listing: tauint */

/* Sokal's automatic window: tau(W) = 1/2 + sum_{t<=W} rho(t), stop at the
 * first W >= 6 tau(W).  The autocovariance is averaged over R series. */
double ising_tau_int_multi(const double *x, int R, size_t n)
{
    if (n < 4 || R < 1) return NAN;
    double *mu = malloc((size_t)R * sizeof *mu);
    if (!mu) return NAN;
    double c0 = 0;
    for (int r = 0; r < R; r++) {
        double m = 0;
        for (size_t t = 0; t < n; t++) m += x[(size_t)r * n + t];
        mu[r] = m / n;
        for (size_t t = 0; t < n; t++) {
            double d = x[(size_t)r * n + t] - mu[r];
            c0 += d * d;
        }
    }
    if (c0 == 0) { free(mu); return 0.5; }
    double tau = 0.5;
    for (size_t W = 1; W < n / 2; W++) {
        double cw = 0;
        for (int r = 0; r < R; r++) {
            const double *xr = x + (size_t)r * n;
            for (size_t t = 0; t + W < n; t++) cw += (xr[t] - mu[r]) * (xr[t + W] - mu[r]);
        }
        tau += cw / c0 * (double)n / (double)(n - W);
        if ((double)W >= 6 * tau) break;
    }
    free(mu);
    return tau;
}
/* end: tauint */

double ising_tau_int(const double *x, size_t n) { return ising_tau_int_multi(x, 1, n); }

void ising_binned(double *mean, double *err, const double *x, size_t n, size_t bin)
{
    if (bin < 1) bin = 1;
    size_t nb = n / bin;
    double m = 0;
    for (size_t i = 0; i < n; i++) m += x[i];
    *mean = m / n;
    if (nb < 2) { *err = NAN; return; }
    double s = 0, s2 = 0;
    for (size_t b = 0; b < nb; b++) {
        double bm = 0;
        for (size_t i = 0; i < bin; i++) bm += x[b * bin + i];
        bm /= bin;
        s += bm; s2 += bm * bm;
    }
    s /= nb;
    *err = sqrt(fmax(s2 / nb - s * s, 0) / (nb - 1));
}

/* --- sample files ---------------------------------------------------------------------- */
/* Layout, little-endian: magic[8], u32 version, u32 L, u32 ntemps, u32 count,
 * u64 seed, u64 payload bytes, u64 FNV-1a-64 of the payload; payload =
 * f64 T[ntemps], then u64 bits[ntemps][count][words]. */

#define HDR_BYTES 48


static unsigned char *samples_payload(const ising_samples *s, size_t *n)
{
    size_t nbits = (size_t)s->ntemps * s->count * s->words;
    *n = 8 * ((size_t)s->ntemps + nbits);
    unsigned char *p = malloc(*n);
    if (!p) return NULL;
    for (int t = 0; t < s->ntemps; t++) {
        uint64_t v;
        memcpy(&v, &s->T[t], 8);
        binio_le_put(p + 8 * t, v, 8);
    }
    for (size_t i = 0; i < nbits; i++) binio_le_put(p + 8 * (s->ntemps + i), s->bits[i], 8);
    return p;
}

int ising_samples_write(const char *path, const ising_samples *s)
{
    size_t n;
    unsigned char *p = samples_payload(s, &n), h[HDR_BYTES];
    if (!p) return -1;
    memcpy(h, ISING_SAMPLES_MAGIC, 8);
    binio_le_put(h + 8, ISING_SAMPLES_VERSION, 4); binio_le_put(h + 12, (uint32_t)s->L, 4);
    binio_le_put(h + 16, (uint32_t)s->ntemps, 4); binio_le_put(h + 20, (uint32_t)s->count, 4);
    binio_le_put(h + 24, s->seed, 8); binio_le_put(h + 32, n, 8);
    /* the checksum covers the header (all but itself) and the payload */
    binio_le_put(h + 40, binio_fnv1a(binio_fnv1a(BINIO_FNV1A_INIT, h, 40), p, n), 8);
    binio_file rf;
    if (binio_file_open(&rf, path) != 0) { free(p); return -1; }
    if (fwrite(h, 1, HDR_BYTES, rf.f) != HDR_BYTES || fwrite(p, 1, n, rf.f) != n) rf.failed = 1;
    free(p);
    return binio_file_commit(&rf);
}

int ising_samples_init(ising_samples *s, int L, int ntemps, int count, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    if (L < 2 || ntemps < 1 || count < 1) return -1;
    s->L = L, s->ntemps = ntemps, s->count = count, s->seed = seed;
    s->words = (L * L + 63) / 64;
    s->T = calloc((size_t)ntemps, sizeof *s->T);
    s->bits = calloc((size_t)ntemps * count * s->words, sizeof *s->bits);
    if (!s->T || !s->bits) {
        ising_samples_clear(s);
        return -1;
    }
    return 0;
}

int ising_samples_load(ising_samples *s, const char *path, char *err, size_t errn)
{
    memset(s, 0, sizeof *s);
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(err, errn, "%s: cannot open: %s", path, strerror(errno)); return -1; }
    unsigned char h[HDR_BYTES];
    const char *why = NULL;
    unsigned char *p = NULL;
    uint64_t n = 0, L = 0, nt = 0, cnt = 0;
    struct stat st;
    if (fread(h, 1, HDR_BYTES, f) != HDR_BYTES) why = "truncated header";
    else if (memcmp(h, ISING_SAMPLES_MAGIC, 8) != 0) why = "not an Ising sample file (bad magic)";
    else if ((uint32_t)binio_le_get(h + 8, 4) != ISING_SAMPLES_VERSION) why = "unsupported version";
    else {
        /* ranges first, in 64 bits: nothing is computed from a forged size */
        L = binio_le_get(h + 12, 4), nt = binio_le_get(h + 16, 4), cnt = binio_le_get(h + 20, 4);
        n = binio_le_get(h + 32, 8);
        uint64_t words = L >= 2 && L <= 1024 ? (L * L + 63) / 64 : 0;
        if (!words || nt < 1 || nt > 100000 || cnt < 1 || cnt > 100000000)
            why = "header sizes out of range";
        else if (n != 8 * (nt + nt * cnt * words))
            why = "payload size does not match the header";
        else if (fstat(fileno(f), &st) != 0 || (uint64_t)st.st_size != HDR_BYTES + n)
            why = "file length does not match the header (truncated or forged)";
        else if (!(p = malloc(n))) why = "out of memory";
        else if (fread(p, 1, n, f) != n) why = "truncated payload";
        else if (binio_fnv1a(binio_fnv1a(BINIO_FNV1A_INIT, h, 40), p, n) != binio_le_get(h + 40, 8))
            why = "checksum mismatch (corrupt header or payload)";
        else {
            s->L = (int)L, s->ntemps = (int)nt, s->count = (int)cnt, s->words = (int)words;
            s->seed = binio_le_get(h + 24, 8);
        }
    }
    fclose(f);
    if (!why) {
        size_t nbits = (size_t)s->ntemps * s->count * s->words;
        s->T = malloc((size_t)s->ntemps * sizeof *s->T);
        s->bits = malloc(nbits * sizeof *s->bits);
        if (!s->T || !s->bits) why = "out of memory";
        else {
            for (int t = 0; t < s->ntemps; t++) { uint64_t v = binio_le_get(p + 8 * t, 8); memcpy(&s->T[t], &v, 8); }
            for (size_t i = 0; i < nbits; i++) s->bits[i] = binio_le_get(p + 8 * (s->ntemps + i), 8);
        }
    }
    free(p);
    if (why) {
        snprintf(err, errn, "%s: %s", path, why);
        ising_samples_clear(s);
        return -1;
    }
    return 0;
}

void ising_samples_clear(ising_samples *s)
{
    free(s->T); free(s->bits);
    s->T = NULL; s->bits = NULL;
}
