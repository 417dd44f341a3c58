/* rgflow: exact renormalization steps (LT-18, MS-1, LT-19). */
#include "rgflow.h"

#include <arb_poly.h>
#include <gmp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NSER 7 /* t^0 .. t^6 */

/* K(k) = y0 + y1 s + y2 s^2 as a series, with s = 2 - 2 cos k given. */
static void kernel_series(arb_poly_t K, const arb_poly_t s, arb_t *const y, slong prec)
{
    arb_poly_t s2, t;
    arb_poly_init(s2), arb_poly_init(t);
    arb_poly_mullow(s2, s, s, NSER, prec);
    arb_poly_scalar_mul(K, s, y[1], prec);
    arb_poly_scalar_mul(t, s2, y[2], prec);
    arb_poly_add(K, K, t, prec);
    arb_poly_zero(t);
    arb_poly_set_coeff_arb(t, 0, y[0]);
    arb_poly_add(K, K, t, prec);
    arb_poly_clear(s2), arb_poly_clear(t);
}

/* s(k) = 2 - 2 cos k with k = (t + 2 pi m) / b, as a series in t. */
static void s_series(arb_poly_t s, int m, int b, slong prec)
{
    arb_poly_t h, S, C;
    arb_t c;
    arb_poly_init(h), arb_poly_init(S), arb_poly_init(C), arb_init(c);
    arb_const_pi(c, prec), arb_mul_si(c, c, 2 * m, prec), arb_div_si(c, c, b, prec);
    arb_poly_set_coeff_arb(h, 0, c);
    arb_one(c), arb_div_si(c, c, b, prec);
    arb_poly_set_coeff_arb(h, 1, c);
    arb_poly_sin_cos_series(S, C, h, NSER, prec);
    arb_poly_neg(s, C);
    arb_poly_scalar_mul_2exp_si(s, s, 1);
    arb_poly_add_si(s, s, 2, prec);
    arb_poly_clear(h), arb_poly_clear(S), arb_poly_clear(C), arb_clear(c);
}

/* sin(a t) / t as a series (a = 1/den). */
static void sinc_series(arb_poly_t r, int den, slong prec)
{
    arb_poly_t h, S;
    arb_t c;
    arb_poly_init(h), arb_poly_init(S), arb_init(c);
    arb_one(c), arb_div_si(c, c, den, prec);
    arb_poly_set_coeff_arb(h, 1, c);
    arb_poly_sin_series(S, h, NSER + 1, prec);
    arb_poly_shift_right(r, S, 1);
    arb_poly_clear(h), arb_poly_clear(S), arb_clear(c);
}

/* listing: blockseries */
// K'(t, 0, ..) = b^d K_0 / (|A_0|^2 + K_0 sum_{m=1}^{b-1} |A_m|^2 / K_m), a series in t
static void block_series(arb_poly_t Kp, arb_t *const y, int b, int d, slong prec)
{
    arb_poly_t s, K0, Km, A0, P, Q, P2, sum, t1, t2;
    arb_poly_init(s), arb_poly_init(K0), arb_poly_init(Km), arb_poly_init(A0), arb_poly_init(P);
    arb_poly_init(Q), arb_poly_init(P2), arb_poly_init(sum), arb_poly_init(t1), arb_poly_init(t2);
    s_series(s, 0, b, prec);
    kernel_series(K0, s, y, prec);
    sinc_series(P, 2, prec);      // sin(t/2)/t
    sinc_series(Q, 2 * b, prec);  // sin(t/(2b))/t
    arb_poly_mullow(t1, P, P, NSER, prec);
    arb_poly_mullow(t2, Q, Q, NSER, prec);
    arb_poly_div_series(A0, t1, t2, NSER, prec); // |A_0|^2 b^2
    arb_t c;
    arb_init(c);
    arb_set_si(c, b * b);
    arb_poly_scalar_div(A0, A0, c, prec);
    arb_poly_mullow(P2, P, P, NSER, prec);       // sin^2(t/2) = t^2 (sin(t/2)/t)^2
    arb_poly_shift_left(P2, P2, 2);
    for (int m = 1; m < b; m++) {                // |A_m|^2 = 4 sin^2(t/2) / (b^2 s_m)
        s_series(s, m, b, prec);
        kernel_series(Km, s, y, prec);
        arb_poly_mullow(t1, s, Km, NSER, prec);
        arb_poly_div_series(t2, P2, t1, NSER, prec);
        arb_poly_add(sum, sum, t2, prec);
    }
    arb_set_si(c, 4), arb_div_si(c, c, b * b, prec);
    arb_poly_scalar_mul(sum, sum, c, prec);
    arb_poly_mullow(t1, K0, sum, NSER, prec);
    arb_poly_add(t1, t1, A0, prec);
    arb_poly_div_series(Kp, K0, t1, NSER, prec);
    arb_set_si(c, b), arb_pow_ui(c, c, (ulong)d, prec);
    arb_poly_scalar_mul(Kp, Kp, c, prec);
    arb_clear(c);
    arb_poly_clear(s), arb_poly_clear(K0), arb_poly_clear(Km), arb_poly_clear(A0), arb_poly_clear(P);
    arb_poly_clear(Q), arb_poly_clear(P2), arb_poly_clear(sum), arb_poly_clear(t1), arb_poly_clear(t2);
}

void rg_block_couplings(arb_t *out, arb_t *const y, int b, int d, slong prec)
{
    arb_poly_t Kp;
    arb_poly_init(Kp);
    block_series(Kp, y, b, d, prec);
    // K' = c0 + c2 t^2 + c4 t^4; t^2 = s' + s'^2/12 + O(s'^3), s' = 4 sin^2(t/2)
    arb_t c4;
    arb_init(c4);
    arb_poly_get_coeff_arb(out[0], Kp, 0);
    arb_poly_get_coeff_arb(out[1], Kp, 2);
    arb_poly_get_coeff_arb(c4, Kp, 4);
    arb_div_si(out[2], out[1], 12, prec);
    arb_add(out[2], out[2], c4, prec);
    arb_clear(c4);
    arb_poly_clear(Kp);
}
/* end: blockseries */

void rg_block_couplings_d(double out[3], double rad[3], const double y[3], int b, int d)
{
    arb_t yy[3], o[3];
    for (int i = 0; i < 3; i++) arb_init(yy[i]), arb_init(o[i]), arb_set_d(yy[i], y[i]);
    rg_block_couplings(o, yy, b, d, 128);
    for (int i = 0; i < 3; i++) {
        out[i] = arf_get_d(arb_midref(o[i]), ARF_RND_NEAR);
        rad[i] = mag_get_d(arb_radref(o[i]));
        arb_clear(yy[i]), arb_clear(o[i]);
    }
}

void rg_block_jacobian(double J[3][3], const double y[3], int b, int d)
{
    const slong prec = 256;
    arb_t yy[3], op[3], om[3], h;
    arb_init(h);
    arb_one(h), arb_mul_2exp_si(h, h, -60);
    for (int i = 0; i < 3; i++) arb_init(yy[i]), arb_init(op[i]), arb_init(om[i]);
    for (int j = 0; j < 3; j++) {
        for (int i = 0; i < 3; i++) arb_set_d(yy[i], y[i]);
        arb_add(yy[j], yy[j], h, prec);
        rg_block_couplings(op, yy, b, d, prec);
        arb_sub(yy[j], yy[j], h, prec), arb_sub(yy[j], yy[j], h, prec);
        rg_block_couplings(om, yy, b, d, prec);
        for (int i = 0; i < 3; i++) {
            arb_sub(op[i], op[i], om[i], prec);
            arb_mul_2exp_si(op[i], op[i], 59); // / (2h)
            J[i][j] = arf_get_d(arb_midref(op[i]), ARF_RND_NEAR);
        }
    }
    for (int i = 0; i < 3; i++) arb_clear(yy[i]), arb_clear(op[i]), arb_clear(om[i]);
    arb_clear(h);
}

static double kfine(const double y[3], double s) { return y[0] + y[1] * s + y[2] * s * s; }

double rg_block_kernel(const double y[3], int b, const double q[2])
{
    double den = 0.0;
    for (int m1 = 0; m1 < b; m1++)
        for (int m2 = 0; m2 < b; m2++) {
            double k[2] = {(q[0] + 2 * M_PI * m1) / b, (q[1] + 2 * M_PI * m2) / b}, a2 = 1.0, s = 0.0;
            for (int mu = 0; mu < 2; mu++) {
                double sh = sin(k[mu] / 2);
                s += 4 * sh * sh;
                a2 *= fabs(sh) < 1e-300 ? 1.0 : pow(sin(b * k[mu] / 2) / (b * sh), 2);
            }
            den += a2 / kfine(y, s);
        }
    return (double)(b * b) / den;
}

/* In-place Cholesky A = L L^T (lower); 0 or -1 when not positive definite. */
static int cholesky(double *A, int n)
{
    for (int j = 0; j < n; j++) {
        double d = A[j * n + j];
        for (int k = 0; k < j; k++) d -= A[j * n + k] * A[j * n + k];
        if (!(d > 0)) return -1;
        d = sqrt(d);
        A[j * n + j] = d;
        for (int i = j + 1; i < n; i++) {
            double v = A[i * n + j];
            for (int k = 0; k < j; k++) v -= A[i * n + k] * A[j * n + k];
            A[i * n + j] = v / d;
        }
    }
    return 0;
}

/* Solves L L^T x = rhs in place. */
static void chol_solve(const double *L, double *x, int n)
{
    for (int i = 0; i < n; i++) {
        double v = x[i];
        for (int k = 0; k < i; k++) v -= L[i * n + k] * x[k];
        x[i] = v / L[i * n + i];
    }
    for (int i = n - 1; i >= 0; i--) {
        double v = x[i];
        for (int k = i + 1; k < n; k++) v -= L[k * n + i] * x[k];
        x[i] = v / L[i * n + i];
    }
}

int rg_block_realspace(double *Kq, const double y[3], int L, int b)
{
    int N = L * L, Lc = L / b, Nc = Lc * Lc, rc = -1;
    double *lap = calloc((size_t)N * N, sizeof *lap), *A = calloc((size_t)N * N, sizeof *A);
    double *C = calloc((size_t)Nc * Nc, sizeof *C), *u = malloc((size_t)N * sizeof *u);
    // -Lap = sum_mu (2 - T_mu - T_mu^-1); A = y0 + y1 (-Lap) + y2 Lap^2; precision 2A
    for (int x = 0; x < L; x++)
        for (int z = 0; z < L; z++) {
            int i = x * L + z, nb[4] = {((x + 1) % L) * L + z, ((x + L - 1) % L) * L + z, x * L + (z + 1) % L,
                                        x * L + (z + L - 1) % L};
            lap[(size_t)i * N + i] += 4;
            for (int k = 0; k < 4; k++) lap[(size_t)i * N + nb[k]] -= 1;
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double l2 = 0;
            for (int k = 0; k < N; k++) l2 += lap[(size_t)i * N + k] * lap[(size_t)k * N + j];
            A[(size_t)i * N + j] = 2 * ((i == j) * y[0] + y[1] * lap[(size_t)i * N + j] + y[2] * l2);
        }
    if (cholesky(A, N) != 0) goto done;
    // C'[X][Y] = <psi_X psi_Y>, psi_X = b^-2 sum of the block's sites
    for (int X = 0; X < Nc; X++) {
        memset(u, 0, (size_t)N * sizeof *u);
        int X1 = X / Lc, X2 = X % Lc;
        for (int j1 = 0; j1 < b; j1++)
            for (int j2 = 0; j2 < b; j2++) u[(X1 * b + j1) * L + X2 * b + j2] = 1.0 / (b * b);
        chol_solve(A, u, N);
        for (int Y = 0; Y < Nc; Y++) {
            int Y1 = Y / Lc, Y2 = Y % Lc;
            double v = 0;
            for (int j1 = 0; j1 < b; j1++)
                for (int j2 = 0; j2 < b; j2++) v += u[(Y1 * b + j1) * L + Y2 * b + j2];
            C[(size_t)X * Nc + Y] = v / (b * b);
        }
    }
    // row 0 of the coarse precision: solve C' w = e_0; K'(q) = (1/2) sum_R w_R cos(q R)
    if (cholesky(C, Nc) != 0) goto done;
    double *w = calloc((size_t)Nc, sizeof *w);
    w[0] = 1.0;
    chol_solve(C, w, Nc);
    for (int n1 = 0; n1 < Lc; n1++)
        for (int n2 = 0; n2 < Lc; n2++) {
            double k = 0;
            for (int R = 0; R < Nc; R++)
                k += w[R] * cos(2 * M_PI * ((double)n1 * (R / Lc) + (double)n2 * (R % Lc)) / Lc);
            Kq[n1 * Lc + n2] = k / 2;
        }
    free(w);
    rc = 0;
done:
    free(lap), free(A), free(C), free(u);
    return rc;
}

/* --- MS-1: decimation ------------------------------------------------------ */
static int spin(unsigned long v, int i) { return (v >> i & 1) ? 1 : -1; }

/* listing: decimate */
long rg_decimate_check(int n, int ring, unsigned long p, unsigned long q, unsigned long pp, unsigned long qq)
{
    int nb = ring ? n : n - 1, nk = ring ? n / 2 : (n + 1) / 2;
    mpz_t *M = malloc(((size_t)1 << nk) * sizeof *M), w, e;
    mpz_init(w), mpz_init(e);
    for (unsigned long h = 0; h < 1UL << nk; h++) mpz_init(M[h]);
    // marginal of the kept (even) sites: sum over the odd sites of prod (q + p s s')
    for (unsigned long v = 0; v < 1UL << n; v++) {
        mpz_set_ui(w, 1);
        for (int i = 0; i < nb; i++) mpz_mul_ui(w, w, spin(v, i) == spin(v, (i + 1) % n) ? q + p : q - p);
        unsigned long h = 0;
        for (int j = 0; j < nk; j++) h |= (v >> (2 * j) & 1) << j;
        mpz_add(M[h], M[h], w);
    }
    // claimed chain: M(h) proportional to prod (qq + pp h h'), tanh J' = pp/qq;
    // checked as M(h) E(0) == M(0) E(h), exactly
    long bad = 0;
    mpz_t e0, l, r;
    mpz_inits(e0, l, r, NULL);
    for (unsigned long h = 0; h < 1UL << nk; h++) {
        mpz_set_ui(e, 1);
        for (int j = 0; j < (ring ? nk : nk - 1); j++)
            mpz_mul_ui(e, e, spin(h, j) == spin(h, (j + 1) % nk) ? qq + pp : qq - pp);
        if (h == 0) mpz_set(e0, e);
        mpz_mul(l, M[h], e0), mpz_mul(r, M[0], e);
        bad += mpz_cmp(l, r) != 0;
    }
    for (unsigned long h = 0; h < 1UL << nk; h++) mpz_clear(M[h]);
    mpz_clears(e0, l, r, NULL);
    free(M);
    mpz_clear(w), mpz_clear(e);
    return bad;
}
/* end: decimate */

long rg_decimate_trace(int n, int ring)
{
    int nk = ring ? n / 2 : (n + 1) / 2;
    long bad = 0;
    for (unsigned long v = 0; v < 1UL << n; v++) {
        long tr = 0; // sum_h prod_j delta(h_j, v_{2j})
        for (unsigned long h = 0; h < 1UL << nk; h++) {
            int e = 1;
            for (int j = 0; j < nk && e; j++) e = (h >> j & 1) == (v >> (2 * j) & 1);
            tr += e;
        }
        bad += tr != 1;
    }
    return bad;
}

static void qrand(mpq_t x, rng_stream *r)
{
    mpq_set_ui(x, 1 + (unsigned long)rng_below(r, 9), 1 + (unsigned long)rng_below(r, 9));
    mpq_canonicalize(x);
}

/* e^{-E(v,h)} = prod a_i^{v_i} prod c_j^{h_j} prod w_ij^{v_i h_j}, bits v, h. */
static void rbm_weight(mpq_t out, unsigned long v, unsigned long h, int nv, int nh, mpq_t *a, mpq_t *c, mpq_t *w)
{
    mpq_set_ui(out, 1, 1);
    for (int i = 0; i < nv; i++)
        if (v >> i & 1) mpq_mul(out, out, a[i]);
    for (int j = 0; j < nh; j++)
        if (h >> j & 1) {
            mpq_mul(out, out, c[j]);
            for (int i = 0; i < nv; i++)
                if (v >> i & 1) mpq_mul(out, out, w[i * nh + j]);
        }
}

/* listing: msrbm */
void rg_ms_rbm(rg_ms_result *out, rng_stream *r, int nv, int nh, int perturb)
{
    size_t NV = 1UL << nv, NH = 1UL << nh;
    mpq_t *a = malloc((size_t)nv * sizeof *a), *c = malloc((size_t)nh * sizeof *c);
    mpq_t *w = malloc((size_t)(nv * nh) * sizeof *w), *E = malloc(NV * NH * sizeof *E);
    mpq_t *eH = malloc(NV * sizeof *eH), t, z, zd;
    for (int i = 0; i < nv; i++) mpq_init(a[i]), qrand(a[i], r);
    for (int j = 0; j < nh; j++) mpq_init(c[j]), qrand(c[j], r);
    for (int k = 0; k < nv * nh; k++) mpq_init(w[k]), qrand(w[k], r);
    mpq_inits(t, z, zd, NULL);
    for (size_t v = 0; v < NV; v++) {
        mpq_init(eH[v]);
        for (size_t h = 0; h < NH; h++) {
            mpq_init(E[v * NH + h]);
            rbm_weight(E[v * NH + h], v, h, nv, nh, a, c, w);
            mpq_add(eH[v], eH[v], E[v * NH + h]); // e^{-H(v)} = Tr_h e^{-E(v,h)}
        }
    }
    if (perturb) mpq_add(eH[0], eH[0], eH[0]); // data no longer the RBM's marginal
    // trace condition: Tr_h e^{T(v,h)} = e^{H(v)} Tr_h e^{-E(v,h)}
    out->trace_bad = 0;
    for (size_t v = 0; v < NV; v++) {
        mpq_set_ui(t, 0, 1);
        for (size_t h = 0; h < NH; h++) mpq_add(t, t, E[v * NH + h]);
        mpq_div(t, t, eH[v]);
        out->trace_bad += mpq_cmp_ui(t, 1, 1) != 0;
        mpq_add(zd, zd, eH[v]);
    }
    // e^{-H_RG(h)} = Tr_v e^{T(v,h) - H(v)} vs the RBM's marginal Tr_v e^{-E(v,h)}
    out->hrg_bad = 0;
    for (size_t h = 0; h < NH; h++) {
        mpq_t rg, mar;
        mpq_inits(rg, mar, NULL);
        for (size_t v = 0; v < NV; v++) {
            mpq_t tt;
            mpq_init(tt);
            // e^{T} e^{-H} = e^{-E} e^{H} e^{-H}: computed as written, H from the data
            mpq_div(tt, E[v * NH + h], eH[v]);
            mpq_mul(tt, tt, eH[v]);
            mpq_add(rg, rg, tt);
            mpq_add(mar, mar, E[v * NH + h]);
            mpq_clear(tt);
        }
        out->hrg_bad += !mpq_equal(rg, mar);
        mpq_add(z, z, rg);
        mpq_clears(rg, mar, NULL);
    }
    out->z_equal = mpq_equal(z, zd) != 0;
    for (size_t v = 0; v < NV; v++) {
        for (size_t h = 0; h < NH; h++) mpq_clear(E[v * NH + h]);
        mpq_clear(eH[v]);
    }
    for (int i = 0; i < nv; i++) mpq_clear(a[i]);
    for (int j = 0; j < nh; j++) mpq_clear(c[j]);
    for (int k = 0; k < nv * nh; k++) mpq_clear(w[k]);
    mpq_clears(t, z, zd, NULL);
    free(a), free(c), free(w), free(E), free(eH);
}
/* end: msrbm */

/* --- LT-19 ------------------------------------------------------------------ */
static void ring_weight(mpq_t out, unsigned long y, int n, unsigned long p, unsigned long q)
{
    mpq_set_ui(out, 1, 1);
    mpq_t b;
    mpq_init(b);
    for (int i = 0; i < n; i++) {
        mpq_set_ui(b, spin(y, i) == spin(y, (i + 1) % n) ? q + p : q - p, q);
        mpq_canonicalize(b);
        mpq_mul(out, out, b);
    }
    mpq_clear(b);
}

/* listing: lt19 */
void rg_lt19(rg_lt19_result *out, int n, unsigned long p, unsigned long q, unsigned long kn, unsigned long kd)
{
    size_t NS = 1UL << n;
    mpq_t *eH = malloc(NS * sizeof *eH), *eK = malloc(NS * sizeof *eK), Z, Zt, Zj, t, u, f;
    mpq_inits(Z, Zt, Zj, t, u, f, NULL);
    mpq_set_ui(f, kn, kd), mpq_canonicalize(f);
    for (size_t y = 0; y < NS; y++) {
        mpq_init(eH[y]), mpq_init(eK[y]);
        ring_weight(eH[y], y, n, p, q);
        mpq_set_ui(eK[y], 1, 1);
        for (int i = 0; i < n; i++)
            if (y >> i & 1) mpq_mul(eK[y], eK[y], f); // e^{-K(y)} = f^{#up}
        mpq_add(Z, Z, eH[y]);
        mpq_mul(t, eH[y], eK[y]);
        mpq_add(Zt, Zt, t); // Z~ = sum e^{-H(y) - K(y)}
    }
    // e^{-H(y,y')} = e^{-H(y)} e^{-H(y')} e^{-K(y)} / Z~; marginals of y and y'
    mpq_t *my = malloc(NS * sizeof *my), *mh = malloc(NS * sizeof *mh);
    for (size_t y = 0; y < NS; y++) mpq_init(my[y]), mpq_init(mh[y]);
    for (size_t y = 0; y < NS; y++)
        for (size_t h = 0; h < NS; h++) {
            mpq_mul(t, eH[y], eH[h]), mpq_mul(t, t, eK[y]), mpq_div(t, t, Zt);
            mpq_add(Zj, Zj, t), mpq_add(my[y], my[y], t), mpq_add(mh[h], mh[h], t);
        }
    out->z_kept = mpq_equal(Zj, Z) != 0;
    out->marginal_changed = out->hidden_changed = out->trace_violated = out->identity_bad = 0;
    out->trace_min = INFINITY, out->trace_max = -INFINITY, out->kl = 0;
    for (size_t y = 0; y < NS; y++) {
        mpq_div(u, my[y], Z); // P_joint(y)
        mpq_div(t, eH[y], Z); // P(y)
        out->marginal_changed += !mpq_equal(u, t);
        out->kl += mpq_get_d(u) * log(mpq_get_d(u) / mpq_get_d(t));
        mpq_div(t, mh[y], Z);
        mpq_div(u, eH[y], Z);
        out->hidden_changed += !mpq_equal(t, u);
        // T(v,h) = -H(h) - K(v) - ln Z~:  Tr_h e^T = Z e^{-K(v)} / Z~
        mpq_mul(t, Z, eK[y]), mpq_div(t, t, Zt);
        out->trace_violated += mpq_cmp_ui(t, 1, 1) != 0;
        out->trace_min = fmin(out->trace_min, mpq_get_d(t));
        out->trace_max = fmax(out->trace_max, mpq_get_d(t));
        // MS: P_joint(v) = P(v) Tr_h e^{T(v,h)}
        mpq_mul(t, t, eH[y]), mpq_div(t, t, Z), mpq_div(u, my[y], Z);
        out->identity_bad += !mpq_equal(t, u);
    }
    // H_RG(h) = -ln Tr_v e^{T(v,h) - H(v)} = -ln [e^{-H(h)} Z~ / Z~] = H(h)
    out->hrg_equal = 1;
    for (size_t h = 0; h < NS; h++) {
        mpq_set_ui(u, 0, 1);
        for (size_t v = 0; v < NS; v++) mpq_mul(t, eH[h], eK[v]), mpq_mul(t, t, eH[v]), mpq_div(t, t, Zt), mpq_add(u, u, t);
        out->hrg_equal &= mpq_equal(u, eH[h]) != 0;
    }
    for (size_t y = 0; y < NS; y++) mpq_clear(eH[y]), mpq_clear(eK[y]), mpq_clear(my[y]), mpq_clear(mh[y]);
    free(eH), free(eK), free(my), free(mh);
    mpq_clears(Z, Zt, Zj, t, u, f, NULL);
}
/* end: lt19 */
