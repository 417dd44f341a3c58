/* conv: circular convolution, directly (n^2 multiplications) and by FFT
 * (FFTW, O(n log n)): the translation-invariant linear map of LT Sec. II E. */
#ifndef DEEPCHEAP_CONV_H
#define DEEPCHEAP_CONV_H

#include <stddef.h>

/* out_i = sum_j a_j b_{(i-j) mod n}, for the outputs i in [i0, i1). */
void conv_direct(double *out, const double *a, const double *b, size_t n, size_t i0, size_t i1);
/* Rounding bound of one direct output: n eps sum_j |a_j b_{i-j}| (recursive summation). */
double conv_direct_errbound(const double *a, const double *b, size_t n, size_t i);

/* A reusable FFT plan for length n (FFTW_ESTIMATE: no timing at plan time).
 * The plans are fftw_plan and the buffers FFTW-allocated; void * keeps
 * <fftw3.h> out of this header. */
typedef struct {
    size_t n;
    double *buf;              /* n reals */
    double _Complex *fa, *fb; /* n/2 + 1 complex (fftw_complex after <complex.h>) */
    void *ra, *rb, *back;     /* fftw_plan: r2c of buf into fa, into fb; c2r of fa into buf */
} conv_plan;
/* 0, or -1 on allocation or planning failure (nothing left allocated). */
int conv_plan_init(conv_plan *p, size_t n);
void conv_plan_clear(conv_plan *p);
/* out = a (*) b by r2c FFTs, pointwise product, c2r FFT, scaled by 1/n. */
void conv_fft(conv_plan *p, double *out, const double *a, const double *b);

/* Real multiplications of each route for length n = 2^k:
 * direct n^2; radix-2 FFT route 3 (n/2) log2 n complex twiddle products (4
 * real each) + n pointwise complex products (4 real each). */
double conv_mults_direct(size_t n);
double conv_mults_fft(size_t n);

#endif
