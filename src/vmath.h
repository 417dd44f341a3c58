/* vmath: elementary functions over arrays, y[i] = f(x[i]).
 *
 * Built with AVX2 (the report's -march=native on this machine), each
 * element goes through glibc's libmvec AVX2 variant (_ZGVdN4v_*, glibc
 * >= 2.35 for expm1 and log1p), four at a time; the tail is padded to a
 * full vector, so an element's value never depends on its position or its
 * neighbours (the chunks of a threaded loop give the same bits).  Without
 * AVX2, the scalar libm function.  Accuracy: libmvec's stated criterion is
 * 4 ulp maximum relative error on the function's domain
 * (sourceware.org/glibc/wiki/libmvec); tests/test_vmath.c measures it
 * against MPFR's correctly rounded values, corner cases included.  Special
 * values (NaN, infinities, overflow, underflow, subnormals) are handled by
 * libmvec through the scalar routines.
 *
 * y may equal x (in place); otherwise the arrays must not overlap. */
#ifndef DEEPCHEAP_VMATH_H
#define DEEPCHEAP_VMATH_H

#include <stddef.h>

void vmath_exp(double *y, const double *x, size_t n);
void vmath_expm1(double *y, const double *x, size_t n);
void vmath_log1p(double *y, const double *x, size_t n);
/* 1 when the AVX2 (libmvec) path is compiled in, 0 for scalar libm. */
int vmath_vectorized(void);

#endif
