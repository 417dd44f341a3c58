/* Chapter 7 helpers shared by vae-fidelity and ar-fidelity; see ch7_util.h. */
#include "ch7_util.h"

#include <math.h>

#include "rng.h"
#include "vae.h"

const char *const ch7_class_name[CH7_NCLASS] = {"fu", "haar", "product"};

int ch7_distribution(double *p, int bits, int fu_n, int fu_L, int k, uint64_t seed)
{
    double u[64];
    if (k == 1) fu_haar(p, bits, seed, 700);
    if (k == 2) fu_product(p, u, bits, seed, 701);
    if (k != 0) return 0;
    if (fu_distribution(p, fu_n, fu_L) != 0) return -1;
    /* Ryser in double leaves ~1e-17 where perm = 0: take the zeros from the
     * exact integer |perm|^2, so the support (baseline c) is exact */
    size_t N = (size_t)1 << bits;
    #pragma omp parallel for
    for (size_t x = 0; x < N; x++) {
        int y[16];
        fu_digits(y, x, fu_n, fu_L);
        if (fu_perm2_exact(y, fu_n, fu_L) == 0) p[x] = 0;
    }
    return 0;
}

void ch7_train_set(float *X, const fu_alias *al, int bits, int ntrain, uint64_t seed, int k, int rep, int reps)
{
    rng_stream r;
    rng_init(&r, seed, 7000 + (uint32_t)(k * reps + rep), 0);
    for (int i = 0; i < ntrain; i++) vae_bits(X + (size_t)i * bits, fu_alias_draw(al, &r), bits);
}

void ch7_marginals(double *m1, const double *p, int bits)
{
    size_t N = (size_t)1 << bits;
    for (int j = 0; j < bits; j++) m1[j] = 0;
    for (size_t x = 0; x < N; x++)
        for (int j = 0; j < bits; j++)
            if ((x >> (bits - 1 - j)) & 1) m1[j] += p[x];
}

/* listing: ch7-baselines */
void ch7_baselines(double out[3], const double *p, int bits)
{
    size_t N = (size_t)1 << bits, supp = 0;
    double m1[64], fa = 0, fb = 0, fc = 0;
    ch7_marginals(m1, p, bits);
    for (size_t x = 0; x < N; x++) supp += p[x] > 0;
    for (size_t x = 0; x < N; x++) {
        double q = 1;
        for (int j = 0; j < bits; j++) q *= (x >> (bits - 1 - j)) & 1 ? m1[j] : 1 - m1[j];
        fa += sqrt(p[x] / (double)N);
        fb += sqrt(p[x] * q);
        fc += p[x] > 0 ? sqrt(p[x] / (double)supp) : 0;
    }
    out[0] = fa, out[1] = fb, out[2] = fc;
}
/* end: ch7-baselines */

void ch7_entropies(double out[2], const double *p, int bits)
{
    size_t N = (size_t)1 << bits;
    double m1[64], hb = 0, hp = 0;
    for (size_t x = 0; x < N; x++) hp -= p[x] > 0 ? p[x] * log(p[x]) : 0;
    ch7_marginals(m1, p, bits);
    for (int j = 0; j < bits; j++) {
        double m = fmin(fmax(m1[j], 0), 1);
        hb -= (m > 0 ? m * log(m) : 0) + (m < 1 ? (1 - m) * log1p(-m) : 0);
    }
    out[0] = hb, out[1] = hp;
}
