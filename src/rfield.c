/* rfield: receptive fields of stacked layers and their spatial spread. */
#include "rfield.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int rfield_compose(double *out, const double *const *W, const int *sizes, int depth)
{
    int nv = sizes[0], maxw = 1;
    for (int l = 1; l <= depth; l++) maxw = sizes[l] > maxw ? sizes[l] : maxw;
    double *acc = malloc(sizeof *acc * (size_t)maxw * (size_t)nv);
    double *tmp = malloc(sizeof *tmp * (size_t)maxw * (size_t)nv);
    if (!acc || !tmp) { free(acc); free(tmp); return -1; }
    memcpy(acc, W[0], sizeof *acc * (size_t)sizes[1] * (size_t)nv);
    /* R_l = W_l R_{l-1}: (sizes[l+1] x sizes[l]) (sizes[l] x nv) */
    for (int l = 1; l < depth; l++) {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, sizes[l + 1], nv, sizes[l], 1.0,
                    W[l], sizes[l], acc, nv, 0.0, tmp, nv);
        double *t = acc; acc = tmp; tmp = t;
    }
    memcpy(out, acc, sizeof *out * (size_t)sizes[depth] * (size_t)nv);
    free(acc); free(tmp);
    return 0;
}

/* minimum-image offset of a - c on the L-cycle, in (-L/2, L/2] */
static double rfield_mindist(double a, double c, int L)
{
    double d = fmod(a - c, (double)L);
    if (d > L / 2.0) d -= L;
    if (d <= -L / 2.0) d += L;
    return d;
}

/* listing: rfield-spread */
rfield_spread_t rfield_spread(const double *f, int L)
{
    rfield_spread_t s = {NAN, NAN, NAN};
    double tot = 0, sx = 0, cxs = 0, sy = 0, cys = 0, k = 2 * M_PI / L;
    for (int y = 0; y < L; y++)
        for (int x = 0; x < L; x++) {
            double w = f[y * L + x] * f[y * L + x];
            tot += w;
            cxs += w * cos(k * x); sx += w * sin(k * x);
            cys += w * cos(k * y); sy += w * sin(k * y);
        }
    if (!(tot > 0)) return s;
    // circular mean per axis: the angle of sum w e^{i k x}
    s.cx = fmod(atan2(sx, cxs) / k + L, (double)L);
    s.cy = fmod(atan2(sy, cys) / k + L, (double)L);
    double m2 = 0;
    for (int y = 0; y < L; y++)
        for (int x = 0; x < L; x++) {
            double dx = rfield_mindist(x, s.cx, L), dy = rfield_mindist(y, s.cy, L);
            m2 += f[y * L + x] * f[y * L + x] * (dx * dx + dy * dy);
        }
    s.rg = sqrt(m2 / tot);
    return s;
}
/* end: rfield-spread */

/* listing: rfield-scale */
double rfield_scale(const double *f, int L)
{
    double s2 = 0, g2 = 0;
    for (int y = 0; y < L; y++)
        for (int x = 0; x < L; x++) {
            double v = f[y * L + x], dx = f[y * L + (x + 1) % L] - v, dy = f[((y + 1) % L) * L + x] - v;
            s2 += v * v;
            g2 += dx * dx + dy * dy;
        }
    if (!(s2 > 0)) return NAN;
    return g2 > 0 ? sqrt(s2 / g2) : INFINITY;
}
/* end: rfield-scale */

double rfield_spread_uniform(int L)
{
    double v = 0;
    for (int x = 0; x < L; x++) {
        double d = rfield_mindist(x, 0, L);
        v += d * d;
    }
    return sqrt(2 * v / L);
}

double rfield_spread_permuted(const double *f, int L, double *tmp, rng_stream *r)
{
    int n = L * L;
    memcpy(tmp, f, sizeof *tmp * (size_t)n);
    for (int i = n - 1; i > 0; i--) {
        int j = (int)rng_below(r, (uint64_t)i + 1);
        double t = tmp[i]; tmp[i] = tmp[j]; tmp[j] = t;
    }
    return rfield_spread(tmp, L).rg;
}
