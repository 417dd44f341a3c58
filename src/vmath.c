/* vmath: see vmath.h.  Perf (issue 18): libm's scalar log1p, expm1 and exp
 * were 22% of vae-fidelity, 40% of coupling-recovery and 37% of
 * softmax-training. */
#include "vmath.h"

#include <math.h>

#if defined(__AVX2__) && defined(__x86_64__)
#include <immintrin.h>

/* glibc's libmvec AVX2 variants (vector function ABI names; linked through
 * -lm, whose linker script pulls in libmvec as needed). */
__m256d _ZGVdN4v_exp(__m256d x);
__m256d _ZGVdN4v_expm1(__m256d x);
__m256d _ZGVdN4v_log1p(__m256d x);

/* Four at a time; the last 1-3 elements padded with copies of the last one
 * and computed the same way. */
#define VMATH_MAP(name, vf)                                                                                 \
    void name(double *y, const double *x, size_t n)                                                     \
    {                                                                                                   \
        size_t i = 0;                                                                                   \
        for (; i + 4 <= n; i += 4) _mm256_storeu_pd(y + i, vf(_mm256_loadu_pd(x + i)));                  \
        if (i < n) {                                                                                    \
            double in[4], out[4];                                                                       \
            for (size_t j = 0; j < 4; j++) in[j] = x[i + j < n ? i + j : n - 1];                         \
            _mm256_storeu_pd(out, vf(_mm256_loadu_pd(in)));                                             \
            for (size_t j = 0; i + j < n; j++) y[i + j] = out[j];                                       \
        }                                                                                               \
    }
VMATH_MAP(vmath_exp, _ZGVdN4v_exp)
VMATH_MAP(vmath_expm1, _ZGVdN4v_expm1)
VMATH_MAP(vmath_log1p, _ZGVdN4v_log1p)
int vmath_vectorized(void) { return 1; }
#else
#define VMATH_MAP(name, f)                                                                                  \
    void name(double *y, const double *x, size_t n)                                                     \
    {                                                                                                   \
        for (size_t i = 0; i < n; i++) y[i] = f(x[i]);                                                  \
    }
VMATH_MAP(vmath_exp, exp)
VMATH_MAP(vmath_expm1, expm1)
VMATH_MAP(vmath_log1p, log1p)
int vmath_vectorized(void) { return 0; }
#endif
