#include "conv.h"

#include <complex.h>
#include <fftw3.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* listing: conv-direct */
void conv_direct(double *out, const double *a, const double *b, size_t n, size_t i0, size_t i1)
{
    for (size_t i = i0; i < i1; i++) {
        double s = 0.0;
        /* split the index range so the inner loops have no modulo and vectorize */
        for (size_t j = 0; j <= i; j++) s += a[j] * b[i - j];
        for (size_t j = i + 1; j < n; j++) s += a[j] * b[n + i - j];
        out[i] = s;
    }
}
/* end: conv-direct */

double conv_direct_errbound(const double *a, const double *b, size_t n, size_t i)
{
    double s = 0.0;
    for (size_t j = 0; j < n; j++) s += fabs(a[j] * b[(i + n - j) % n]);
    return (double)n * DBL_EPSILON * s;
}

int conv_plan_init(conv_plan *p, size_t n)
{
    memset(p, 0, sizeof *p);
    p->n = n;
    p->buf = fftw_alloc_real(n);
    p->fa = fftw_alloc_complex(n / 2 + 1);
    p->fb = fftw_alloc_complex(n / 2 + 1);
    if (!p->buf || !p->fa || !p->fb) {
        conv_plan_clear(p);
        return -1;
    }
    #pragma omp critical(deepcheap_fftw_planner) /* the FFTW planner is not thread-safe */
    {
        p->ra = fftw_plan_dft_r2c_1d((int)n, p->buf, p->fa, FFTW_ESTIMATE);
        p->rb = fftw_plan_dft_r2c_1d((int)n, p->buf, p->fb, FFTW_ESTIMATE);
        p->back = fftw_plan_dft_c2r_1d((int)n, p->fa, p->buf, FFTW_ESTIMATE);
    }
    if (!p->ra || !p->rb || !p->back) {
        conv_plan_clear(p);
        return -1;
    }
    return 0;
}

void conv_plan_clear(conv_plan *p)
{
    #pragma omp critical(deepcheap_fftw_planner)
    {
        if (p->ra) fftw_destroy_plan(p->ra);
        if (p->rb) fftw_destroy_plan(p->rb);
        if (p->back) fftw_destroy_plan(p->back);
    }
    fftw_free(p->buf); fftw_free(p->fa); fftw_free(p->fb);
    memset(p, 0, sizeof *p);
}

/* listing: conv-fft */
void conv_fft(conv_plan *p, double *out, const double *a, const double *b)
{
    size_t n = p->n, m = n / 2 + 1;
    for (size_t i = 0; i < n; i++) p->buf[i] = a[i];
    fftw_execute(p->ra);
    for (size_t i = 0; i < n; i++) p->buf[i] = b[i];
    fftw_execute(p->rb);
    /* convolution theorem: DFT(a (*) b) = DFT(a) DFT(b) */
    for (size_t k = 0; k < m; k++) {
        p->fa[k] *= p->fb[k]; /* fftw_complex is double complex after <complex.h> */
    }
    fftw_execute(p->back); /* unnormalized inverse: scale by 1/n */
    for (size_t i = 0; i < n; i++) out[i] = p->buf[i] / (double)n;
}
/* end: conv-fft */

double conv_mults_direct(size_t n)
{
    return (double)n * (double)n;
}

double conv_mults_fft(size_t n)
{
    double lg = log2((double)n);
    return 3.0 * 4.0 * ((double)n / 2.0) * lg + 4.0 * (double)n;
}
