/* vae: variational autoencoders over bit strings; see vae.h. */
#include "vae.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vmath.h"

#define VAE_MAXDEPTH 8

double vae_fidelity_exact(const double *p, const double *q, size_t N)
{
    double F = 0;
    for (size_t x = 0; x < N; x++) F += sqrt(p[x] * q[x]);
    return F;
}

void vae_bits(float *out, uint64_t x, int bits)
{
    for (int j = 0; j < bits; j++) out[j] = (float)((x >> (bits - 1 - j)) & 1);
}

void vae_bits_d(double *out, uint64_t x, int bits)
{
    for (int j = 0; j < bits; j++) out[j] = (double)((x >> (bits - 1 - j)) & 1);
}

#define NN_R float
#define NN_S
#define NN_M(fn) fn##f
#include "vae_impl.h"
#undef NN_R
#undef NN_S
#undef NN_M

#define NN_R double
#define NN_S _d
#define NN_M(fn) fn
#include "vae_impl.h"
#undef NN_R
#undef NN_S
#undef NN_M
