/* Chapter 5 (MS-2): stacked RBMs and receptive-field locality. */
#include "msrg.h"

#include "rfield.h"
#include "rng.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* listing: msrg-stack */
int msrg_train_stack(rbm_model *layers, const int *sizes, int depth, const float *data,
                     size_t n, const rbm_train_opts *o, double init_sd, uint64_t seed,
                     uint32_t cell0)
{
    const float *x = data;
    float *next = NULL;
    for (int l = 0; l < depth; l++) {
        rng_stream r;
        rng_init(&r, seed, cell0 + (uint32_t)l, 99);
        if (rbm_model_init(&layers[l], sizes[l], sizes[l + 1]) != 0) goto fail;
        rbm_init_normal(&layers[l], &r, init_sd);
        if (rbm_train(&layers[l], x, n, o, seed, cell0 + (uint32_t)l) != 0) goto fail;
        if (l + 1 == depth) break;
        /* greedy: the next layer's data are this layer's hidden probabilities */
        float *h = malloc(n * (size_t)sizes[l + 1] * sizeof *h);
        if (!h) goto fail;
        rbm_hidden_prob(h, &layers[l], x, n);
        free(next);
        next = h;
        x = h;
    }
    free(next);
    return 0;
fail:
    free(next);
    return -1;
}
/* end: msrg-stack */

int msrg_fields(double *out, const rbm_model *layers, int l)
{
    int sizes[16];
    const double *W[15];
    double *buf[15] = {0};
    int rc = -1;
    if (l < 0 || l >= 15) return -1;
    for (int k = 0; k <= l; k++) {
        size_t nw = (size_t)layers[k].nh * (size_t)layers[k].nv;
        sizes[k] = layers[k].nv;
        sizes[k + 1] = layers[k].nh;
        if (!(buf[k] = malloc(nw * sizeof *buf[k]))) goto done;
        for (size_t i = 0; i < nw; i++) buf[k][i] = layers[k].W[i];
        W[k] = buf[k];
    }
    rc = rfield_compose(out, W, sizes, l + 1);
done:
    for (int k = 0; k <= l; k++) free(buf[k]);
    return rc;
}

void msrg_spreads(double *rg, double *rg_null, const double *f, int nf, int L,
                  uint64_t seed, uint32_t cell)
{
    size_t N = (size_t)L * (size_t)L;
    double *tmp = malloc(N * sizeof *tmp);
    rng_stream r;
    rng_init(&r, seed, cell, 7);
    for (int j = 0; j < nf; j++) {
        rg[j] = rfield_spread(f + (size_t)j * N, L).rg;
        rg_null[j] = tmp ? rfield_spread_permuted(f + (size_t)j * N, L, tmp, &r) : NAN;
    }
    free(tmp);
}

/* Mean squared reconstruction error per unit of the rows x (n x m->nv). */
static double msrg_recon(const rbm_model *m, const float *x, size_t n)
{
    float *h = malloc(n * (size_t)m->nh * sizeof *h), *v = malloc(n * (size_t)m->nv * sizeof *v);
    double s = 0;
    if (!h || !v) {
        free(h), free(v);
        return NAN;
    }
    rbm_hidden_prob(h, m, x, n);
    rbm_visible_prob(v, m, h, n);
    for (size_t i = 0; i < n * (size_t)m->nv; i++) s += ((double)x[i] - v[i]) * ((double)x[i] - v[i]);
    free(h), free(v);
    return s / ((double)n * m->nv);
}

/* listing: msrg-curves */
int msrg_train_stack_curves(rbm_model *layers, double *curve, const int *sizes, int depth,
                            const float *data, size_t n, const float *held, size_t nheld,
                            const rbm_train_opts *o, double init_sd, uint64_t seed, uint32_t cell0)
{
    const float *x = data, *hx = held;
    float *next = NULL, *hnext = NULL;
    int B = o->batch < (int)n ? o->batch : (int)n, E = o->epochs;
    long nb = (long)(n / (size_t)B), T = nb * E;
    for (int l = 0; l < depth; l++) {
        rng_stream r;
        rng_init(&r, seed, cell0 + (uint32_t)l, 99);
        if (rbm_model_init(&layers[l], sizes[l], sizes[l + 1]) != 0) goto fail;
        rbm_init_normal(&layers[l], &r, init_sd);
        for (int e = 0; e <= E; e++) {
            curve[(size_t)l * (E + 1) + e] = msrg_recon(&layers[l], hx, nheld);
            if (e == E) break;
            /* epoch e alone, with the learning rates its steps have in the whole schedule */
            rbm_train_opts oe = *o;
            oe.epochs = 1;
            oe.lr0 = T > 1 ? o->lr0 + (o->lr1 - o->lr0) * (double)(e * nb) / (double)(T - 1) : o->lr0;
            oe.lr1 = T > 1 ? o->lr0 + (o->lr1 - o->lr0) * (double)(e * nb + nb - 1) / (double)(T - 1) : o->lr0;
            if (rbm_train(&layers[l], x, n, &oe, seed, cell0 + (uint32_t)l + ((uint32_t)e << 16)) != 0) goto fail;
        }
        if (l + 1 == depth) break;
        float *h = malloc(n * (size_t)sizes[l + 1] * sizeof *h), *hh = malloc(nheld * (size_t)sizes[l + 1] * sizeof *hh);
        if (!h || !hh) {
            free(h), free(hh);
            goto fail;
        }
        rbm_hidden_prob(h, &layers[l], x, n);
        rbm_hidden_prob(hh, &layers[l], hx, nheld);
        free(next), free(hnext);
        x = next = h;
        hx = hnext = hh;
    }
    free(next), free(hnext);
    return 0;
fail:
    free(next), free(hnext);
    return -1;
}
/* end: msrg-curves */

/* listing: msrg-copies */
int msrg_copies(int *copy, const double *f, int nf, int N, double thr)
{
    double *g = malloc((size_t)nf * (size_t)nf * sizeof *g);
    if (!g) return -1;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, nf, nf, N, 1.0, f, N, f, N, 0.0, g, nf);
    int ncopy = 0;
    for (int j = 0; j < nf; j++) {
        copy[j] = 0;
        double gj = g[(size_t)j * nf + j];
        for (int i = 0; i < j && gj > 0; i++) {
            double gi = g[(size_t)i * nf + i];
            if (copy[i] || !(gi > 0)) continue;
            if (g[(size_t)j * nf + i] / sqrt(gi * gj) > thr) {
                copy[j] = 1;
                break;
            }
        }
        ncopy += copy[j];
    }
    free(g);
    return ncopy;
}
/* end: msrg-copies */

/* cos and sin of 2 pi m / L, m = 0..L-1 */
static void msrg_twiddles(double *c, double *s, int L)
{
    for (int m = 0; m < L; m++) c[m] = cos(2 * M_PI * m / L), s[m] = sin(2 * M_PI * m / L);
}

/* out[k] = sum_x in[x] e^{sign 2 pi i k.x / L} on the L x L torus, separable (re, im parts). */
static void msrg_dft2(double *ore, double *oim, const double *ire, const double *iim, int L, int sign,
                      const double *c, const double *s, double *tre, double *tim)
{
    for (int y = 0; y < L; y++) /* along x */
        for (int k = 0; k < L; k++) {
            double a = 0, b = 0;
            for (int x = 0, m = 0; x < L; x++, m = m + k < L ? m + k : m + k - L) { /* m = k x mod L */
                double cr = c[m], ci = sign * s[m], xr = ire[y * L + x], xi = iim ? iim[y * L + x] : 0;
                a += xr * cr - xi * ci, b += xr * ci + xi * cr;
            }
            tre[y * L + k] = a, tim[y * L + k] = b;
        }
    for (int k = 0; k < L; k++) /* along y */
        for (int kx = 0; kx < L; kx++) {
            double a = 0, b = 0;
            for (int y = 0, m = 0; y < L; y++, m = m + k < L ? m + k : m + k - L) { /* m = k y mod L */
                double cr = c[m], ci = sign * s[m], xr = tre[y * L + kx], xi = tim[y * L + kx];
                a += xr * cr - xi * ci, b += xr * ci + xi * cr;
            }
            ore[k * L + kx] = a, oim[k * L + kx] = b;
        }
}

/* out[d] = sum_k p[k] cos(2 pi k.d / L) / norm */
static void msrg_cos_sum(double *out, const double *p, int L, double norm, const double *c)
{
    for (int dy = 0; dy < L; dy++)
        for (int dx = 0; dx < L; dx++) {
            double t = 0;
            for (int ky = 0; ky < L; ky++) /* m = (kx dx + ky dy) mod L */
                for (int kx = 0, m = ky * dy % L; kx < L; kx++, m = m + dx < L ? m + dx : m + dx - L)
                    t += p[ky * L + kx] * c[m];
            out[dy * L + dx] = t / norm;
        }
}

void msrg_two_point(double *out, const float *v, size_t n, int L)
{
    int N = L * L;
    double *buf = malloc(sizeof *buf * (size_t)N * 7), c[64], s[64];
    if (!buf || L < 1 || L > 64) {
        free(buf);
        for (int i = 0; i < N; i++) out[i] = NAN;
        return;
    }
    double *x = buf, *re = x + N, *im = re + N, *tre = im + N, *tim = tre + N, *p = tim + N;
    msrg_twiddles(c, s, L);
    memset(p, 0, sizeof *p * (size_t)N);
    for (size_t r = 0; r < n; r++) {
        for (int i = 0; i < N; i++) x[i] = 2.0 * v[r * (size_t)N + i] - 1;
        msrg_dft2(re, im, x, NULL, L, -1, c, s, tre, tim);
        for (int i = 0; i < N; i++) p[i] += re[i] * re[i] + im[i] * im[i];
    }
    msrg_cos_sum(out, p, L, (double)n * N * N, c);
    free(buf);
}

/* listing: msrg-gauss */
int msrg_gauss_bits(float *out, const double *C, size_t n, int L, uint64_t seed, uint32_t cell)
{
    int N = L * L;
    double *buf = calloc((size_t)N * 7, sizeof *buf), c[64], s[64]; /* calloc: gcc -O1 saw rho as maybe unset */
    if (!buf || L < 1 || L > 64) {
        free(buf);
        return -1;
    }
    double *rho = buf, *S = rho + N, *zr = S + N, *zi = zr + N, *g = zi + N, *gi = g + N, *tmp = gi + N;
    msrg_twiddles(c, s, L);
    for (int i = 0; i < N; i++) rho[i] = sin(M_PI / 2 * C[i]); /* the Gaussian field's correlation */
    msrg_cos_sum(S, rho, L, 1.0, c);                             /* its spectrum S(k) */
    for (int i = 0; i < N; i++) S[i] = sqrt(fmax(S[i], 0) / N);
    double *t2 = malloc(sizeof *t2 * (size_t)N);
    if (!t2) {
        free(buf);
        return -1;
    }
    for (size_t r = 0; r < n; r++) {
        rng_stream q;
        rng_init(&q, seed, cell, 1000 + (uint32_t)r);
        /* G(x) = Re sum_k sqrt(S(k) / N) (a_k - i b_k) e^{i k.x}: covariance rho */
        for (int i = 0; i < N; i++) zr[i] = S[i] * rng_normal(&q), zi[i] = -S[i] * rng_normal(&q);
        msrg_dft2(g, gi, zr, zi, L, +1, c, s, tmp, t2);
        for (int i = 0; i < N; i++) out[r * (size_t)N + i] = (float)(g[i] > 0);
    }
    free(t2);
    free(buf);
    return 0;
}
/* end: msrg-gauss */

void dsyevr_(const char *jobz, const char *range, const char *uplo, const int *n, double *a, const int *lda,
             const double *vl, const double *vu, const int *il, const int *iu, const double *abstol, int *m,
             double *w, double *z, const int *ldz, int *isuppz, double *work, const int *lwork, int *iwork,
             const int *liwork, int *info, size_t, size_t, size_t);

int msrg_pca(double *out, int k, const float *data, size_t n, int nv)
{
    double *x = malloc(sizeof *x * n * (size_t)nv), *cov = malloc(sizeof *cov * (size_t)nv * nv);
    double *mu = calloc((size_t)nv, sizeof *mu), *w = malloc(sizeof *w * (size_t)nv);
    double *z = malloc(sizeof *z * (size_t)nv * (size_t)k), wq, *work = NULL;
    int *isuppz = malloc(sizeof *isuppz * 2 * (size_t)nv), iq, *iwork = NULL, rc = -1;
    if (!x || !cov || !mu || !w || !z || !isuppz || k < 1 || k > nv) goto done;
    for (size_t r = 0; r < n; r++)
        for (int i = 0; i < nv; i++) mu[i] += data[r * (size_t)nv + i] / (double)n;
    for (size_t r = 0; r < n; r++)
        for (int i = 0; i < nv; i++) x[r * (size_t)nv + i] = data[r * (size_t)nv + i] - mu[i];
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasNoTrans, nv, (int)n, 1.0 / (double)n, x, nv, 0.0, cov, nv);
    int il = nv - k + 1, iu = nv, m = 0, info = 0, lw = -1, liw = -1;
    double vl = 0, vu = 0, tol = 0;
    dsyevr_("V", "I", "U", &nv, cov, &nv, &vl, &vu, &il, &iu, &tol, &m, w, z, &nv, isuppz, &wq, &lw, &iq, &liw, &info,
            1, 1, 1);
    lw = (int)wq, liw = iq;
    work = malloc(sizeof *work * (size_t)lw), iwork = malloc(sizeof *iwork * (size_t)liw);
    if (info != 0 || !work || !iwork) goto done;
    dsyevr_("V", "I", "U", &nv, cov, &nv, &vl, &vu, &il, &iu, &tol, &m, w, z, &nv, isuppz, work, &lw, iwork, &liw,
            &info, 1, 1, 1);
    if (info != 0 || m != k) goto done;
    for (int j = 0; j < k; j++) /* ascending eigenvalues: the last column first */
        memcpy(out + (size_t)j * nv, z + (size_t)(k - 1 - j) * nv, sizeof *out * (size_t)nv);
    rc = 0;
done:
    free(x), free(cov), free(mu), free(w), free(z), free(isuppz), free(work), free(iwork);
    return rc;
}
