/* Exact references for the 2D Ising torus: Kaufman / Ferdinand-Fisher,
 * brute force, transfer matrix, Beale's density of states, Onsager/Yang. */
#include "ising.h"

#include <arb.h>
#include <flint/fmpz.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef long double ld;

/* --- Kaufman / Ferdinand-Fisher ---------------------------------------------- */

/* ln(2 cosh x) and ln|2 sinh x| without overflow. */
static ld ln2cosh(ld x) { x = fabsl(x); return x + log1pl(expl(-2 * x)); }
static ld ln2sinh(ld x) { x = fabsl(x); return x + log1pl(-expl(-2 * x)); }

/* One Kaufman term as value / e^{lv}: v[0] = Z_i, v[1] = dZ_i/dK, v[2] = d2Z_i/dK2. */
typedef struct { ld lv, v[3]; } kterm;

/* listing: kaufman */

/* Product over r of 2cosh (or 2sinh) (m gamma_l / 2), l = 2r + parity, in log
 * form with analytic derivatives.  cosh gamma_l = C - cos(pi l / n) with
 * C = cosh 2K coth 2K = sinh 2K + csch 2K; l = 0 uses g_0 = 2K + ln tanh K
 * (kept signed: negative above T_c, where its sinh factor is negative). */
static kterm kaufman_term(int m, int n, ld K, int parity, int use_sinh)
{
    ld a = m / 2.0L, x = 2 * K;
    ld C = sinhl(x) + 1 / sinhl(x);
    ld Cx = coshl(x) * (1 - 1 / (sinhl(x) * sinhl(x)));
    ld Cxx = sinhl(x) - 1 / sinhl(x) + 2 * coshl(x) * coshl(x) / powl(sinhl(x), 3);
    ld C1 = 2 * Cx, C2 = 4 * Cxx; /* d/dK, d2/dK2 */
    ld lsum = 0, D1 = 0, D2 = 0;  /* ln R, R'/R, sum (f''/f - (f'/f)^2) */
    ld h0 = 1, h1 = 0, h2 = 0, lh = 0; /* the l = 0 factor, scaled by e^{lh} */
    for (int r = 0; r < n; r++) {
        int l = 2 * r + parity;
        if (l == 0) {
            ld g = 2 * K + logl(tanhl(K));
            ld g1 = 2 + 2 / sinhl(x), g2 = -4 * coshl(x) / (sinhl(x) * sinhl(x));
            ld y = a * g, e = expl(-2 * fabsl(y));
            if (use_sinh) { /* 2 sinh y = sign(y) e^{|y|} (1 - e^{-2|y|}) */
                lh = fabsl(y);
                h0 = (y < 0 ? -1 : 1) * (1 - e);
                h1 = a * g1 * (1 + e);
                h2 = a * g2 * (1 + e) + a * a * g1 * g1 * h0;
            } else {
                lh = ln2cosh(y);
                h0 = 1;
                h1 = a * g1 * tanhl(y);
                h2 = a * g2 * tanhl(y) + a * a * g1 * g1;
            }
            continue;
        }
        ld c = C - cosl(3.14159265358979323846264338327950288L * l / n);
        ld gam = acoshl(c), sg = sqrtl(c * c - 1);
        ld g1 = C1 / sg, g2 = (C2 - c * g1 * g1) / sg;
        ld y = a * gam, t = use_sinh ? 1 / tanhl(y) : tanhl(y);
        lsum += use_sinh ? ln2sinh(y) : ln2cosh(y);
        ld q = a * g1 * t;             /* f'/f */
        D1 += q;
        D2 += a * g2 * t + a * a * g1 * g1 - q * q; /* f''/f - (f'/f)^2 */
    }
    kterm z;
    z.lv = lsum + lh;
    z.v[0] = h0;
    z.v[1] = h1 + h0 * D1;
    z.v[2] = h2 + 2 * h1 * D1 + h0 * (D1 * D1 + D2);
    return z;
}

int ising_exact_kaufman(ising_thermo *out, int m, int n, double T)
{
    if (m < 2 || n < 2 || !(T > 0) || !isfinite(T)) return -1;
    ld K = 1.0L / T, N = (ld)m * n;
    kterm z[4] = {kaufman_term(m, n, K, 1, 0), kaufman_term(m, n, K, 1, 1),
                  kaufman_term(m, n, K, 0, 0), kaufman_term(m, n, K, 0, 1)};
    ld lmax = z[0].lv;
    for (int i = 1; i < 4; i++) if (z[i].lv > lmax) lmax = z[i].lv;
    ld S[3] = {0, 0, 0};
    for (int i = 0; i < 4; i++) {
        ld w = expl(z[i].lv - lmax);
        for (int d = 0; d < 3; d++) S[d] += w * z[i].v[d];
    }
    /* Z = 1/2 (2 sinh 2K)^{N/2} S */
    ld pre = N / 2 * logl(2 * sinhl(2 * K)) - logl(2.0L);
    ld pre1 = N / tanhl(2 * K), pre2 = -2 * N / (sinhl(2 * K) * sinhl(2 * K));
    ld d1 = pre1 + S[1] / S[0];
    ld d2 = pre2 + S[2] / S[0] - (S[1] / S[0]) * (S[1] / S[0]);
    out->lnz = (double)(pre + lmax + logl(S[0]));
    out->u = (double)(-d1 / N);
    out->c = (double)(K * K * d2 / N);
    out->absm = out->m2 = NAN;
    return 0;
}
/* end: kaufman */

/* --- thermodynamics from a joint histogram hist[b][U] ------------------------- */
/* b = broken bonds (E = -2N_b + 2b, N_b = 2N bonds), U = up spins (M = 2U - N). */
static void hist_thermo(ising_thermo *out, const ld *hist, int N, ld K, int joint)
{
    int nb = 2 * N + 1, nu = joint ? N + 1 : 1;
    ld Z = 0, B1 = 0, B2 = 0, A = 0, M2 = 0, x = expl(-2 * K);
    for (int b = 0; b < nb; b++) {
        ld wb = powl(x, b);
        for (int u = 0; u < nu; u++) {
            ld w = hist[(size_t)b * nu + u] * wb;
            if (w == 0) continue;
            Z += w; B1 += w * b; B2 += w * (ld)b * b;
            ld M = 2.0L * u - N;
            A += w * fabsl(M); M2 += w * M * M;
        }
    }
    B1 /= Z; B2 /= Z;
    out->lnz = (double)(logl(Z) + 2 * N * K);
    out->u = (double)((-2.0L * N + 2 * B1) / N);
    out->c = (double)(K * K * 4 * (B2 - B1 * B1) / N);
    out->absm = joint ? (double)(A / Z / N) : NAN;
    out->m2 = joint ? (double)(M2 / Z / ((ld)N * N)) : NAN;
}

/* Joint counts of (broken bonds, up spins) over all 2^N states, Gray code. */
static ld *brute_hist(int m, int n)
{
    int N = m * n;
    ld *h = calloc((size_t)(2 * N + 1) * (N + 1), sizeof *h);
    int8_t *s = malloc((size_t)N);
    if (!h || !s) { free(h); free(s); return NULL; }
    for (int i = 0; i < N; i++) s[i] = 1;
    int b = 0, u = N; /* all up: no broken bonds */
    h[(size_t)b * (N + 1) + u] += 1;
    for (uint64_t k = 1; k < (1ull << N); k++) {
        int j = __builtin_ctzll(k), x = j % m, y = j / m;
        int nb[4] = {y * m + (x + 1) % m, y * m + (x + m - 1) % m, ((y + 1) % n) * m + x,
                     ((y + n - 1) % n) * m + x};
        for (int q = 0; q < 4; q++) b += s[nb[q]] == s[j] ? 1 : -1; /* satisfied -> broken */
        s[j] = (int8_t)-s[j];
        u += s[j];
        h[(size_t)b * (N + 1) + u] += 1;
    }
    free(s);
    return h;
}

int ising_exact_brute(ising_thermo *out, int m, int n, double T)
{
    if (m < 2 || n < 2 || m * n > 20 || !(T > 0) || !isfinite(T)) return -1;
    ld *h = brute_hist(m, n);
    if (!h) return -1;
    hist_thermo(out, h, m * n, 1.0L / T, 1);
    free(h);
    return 0;
}

int ising_brute_dos(uint64_t *g, int m, int n)
{
    if (m < 2 || n < 2 || m * n > 20) return -1;
    int N = m * n;
    ld *h = brute_hist(m, n);
    if (!h) return -1;
    for (int b = 0; b <= 2 * N; b++) {
        ld s = 0;
        for (int u = 0; u <= N; u++) s += h[(size_t)b * (N + 1) + u];
        g[b] = (uint64_t)s;
    }
    free(h);
    return 0;
}

/* --- transfer matrix ------------------------------------------------------------ */

/* Canonical representative of s under rotations and global flip. */
static unsigned canon(unsigned s, int m)
{
    unsigned mask = (1u << m) - 1, best = s;
    for (int f = 0; f < 2; f++) {
        unsigned t = f ? (~s & mask) : s;
        for (int r = 0; r < m; r++) {
            t = ((t << 1) | (t >> (m - 1))) & mask;
            if (t < best) best = t;
        }
    }
    return best;
}

/* listing: transfer */

/* Z = Tr T^n, added site by site: the state holds the m most recent spins.
 * For each (state, up-count U) we carry sum w, sum w b, sum w b^2 with w the
 * Boltzmann weight divided by e^{K * bonds} (so a broken bond costs x = e^{-2K}),
 * b the broken-bond count.  The trace fixes row 0 = row n; traces of rows
 * related by rotation or flip are equal, so only one row per orbit runs. */
int ising_exact_tm(ising_thermo *out, int m, int n, double T)
{
    if (m < 2 || m > 10 || n < 2 || (long)m * n > 4096 || !(T > 0) || !isfinite(T)) return -1;
    int N = m * n, S = 1 << m, NU = N + 1;
    double x = exp(-2.0 / T);
    size_t sz = (size_t)S * NU * 3;
    double *v = malloc(sz * sizeof *v), *w = malloc(sz * sizeof *w);
    unsigned *mult = calloc((size_t)S, sizeof *mult);
    ld *hz = calloc(3 * (size_t)NU, sizeof *hz); /* per U: sum w, wb, wb^2 */
    if (!v || !w || !mult || !hz) { free(v); free(w); free(mult); free(hz); return -1; }
    for (unsigned s = 0; s < (unsigned)S; s++) mult[canon(s, m)]++;
    for (unsigned s0 = 0; s0 < (unsigned)S; s0++) {
        if (!mult[s0]) continue;
        memset(v, 0, sz * sizeof *v);
        v[((size_t)s0 * NU) * 3] = 1;
        for (int site = 0; site < N; site++) {
            int j = site % m, umax = site < NU ? site : N;
            memset(w, 0, sz * sizeof *w);
            for (unsigned s = 0; s < (unsigned)S; s++) {
                int up = (s >> j) & 1, left = (s >> ((j + m - 1) % m)) & 1, first = s & 1;
                for (int sig = 0; sig < 2; sig++) {
                    int br = (sig != up) + (j > 0 && sig != left) + (j == m - 1 && sig != first);
                    double f = br == 0 ? 1 : br == 1 ? x : br == 2 ? x * x : x * x * x;
                    unsigned t = (s & ~(1u << j)) | ((unsigned)sig << j);
                    const double *a = v + (size_t)s * NU * 3;
                    double *c = w + ((size_t)t * NU + sig) * 3;
                    for (int u = 0; u <= umax; u++, a += 3, c += 3) {
                        if (a[0] == 0) continue;
                        c[0] += f * a[0];
                        c[1] += f * (a[1] + br * a[0]);
                        c[2] += f * (a[2] + 2 * br * a[1] + br * br * a[0]);
                    }
                }
            }
            double *tmp = v; v = w; w = tmp;
        }
        for (int u = 0; u < NU; u++)
            for (int d = 0; d < 3; d++) hz[3 * u + d] += (ld)mult[s0] * v[((size_t)s0 * NU + u) * 3 + d];
    }
    ld K = 1.0L / T, Z = 0, B1 = 0, B2 = 0, A = 0, M2 = 0;
    for (int u = 0; u < NU; u++) {
        ld M = 2.0L * u - N;
        Z += hz[3 * u]; B1 += hz[3 * u + 1]; B2 += hz[3 * u + 2];
        A += hz[3 * u] * fabsl(M); M2 += hz[3 * u] * M * M;
    }
    B1 /= Z; B2 /= Z;
    out->lnz = (double)(logl(Z) + 2 * N * K);
    out->u = (double)((-2.0L * N + 2 * B1) / N);
    out->c = (double)(K * K * 4 * (B2 - B1 * B1) / N);
    out->absm = (double)(A / Z / N);
    out->m2 = (double)(M2 / Z / ((ld)N * N));
    free(v); free(w); free(mult); free(hz);
    return 0;
}
/* end: transfer */

void ising_dos_thermo(ising_thermo *out, const long double *g, int N, double T)
{
    /* g_k counts states with b = 2k broken bonds: spread into hist[b]. */
    ld *h = calloc((size_t)(2 * N + 1), sizeof *h);
    if (!h) { out->lnz = out->u = out->c = NAN; return; }
    for (int k = 0; k <= N; k++) h[2 * k] = g[k];
    hist_thermo(out, h, N, 1.0L / T, 0);
    free(h);
}

/* --- Onsager / Yang: u = -coth 2K [1 + (2/pi)(2 tanh^2 2K - 1) K1(k)],
 * c = -K^2 du/dK by differentiating u analytically,
 * k = 2 sinh 2K / cosh^2 2K; m = (1 - sinh^{-4} 2K)^{1/8} below T_c ------------------------------------------------------------- */

/* Complete elliptic integrals K(k), E(k) by the arithmetic-geometric mean. */
static void ellipke(ld *Kk, ld *Ek, ld k)
{
    ld a = 1, b = sqrtl(1 - k * k), c = k, sum = c * c / 2, p = 0.5L;
    for (int i = 0; i < 64 && fabsl(c) > 1e-19L; i++) {
        ld an = (a + b) / 2;
        c = (a - b) / 2;
        b = sqrtl(a * b);
        a = an;
        p *= 2;
        sum += p * c * c;
    }
    *Kk = 3.14159265358979323846264338327950288L / (2 * a);
    *Ek = *Kk * (1 - sum);
}

void ising_onsager(double *u, double *c, double *m_spont, double T)
{
    const ld PI = 3.14159265358979323846264338327950288L;
    ld K = 1.0L / T, th = tanhl(2 * K), k = 2 * sinhl(2 * K) / (coshl(2 * K) * coshl(2 * K));
    ld t2 = 2 * th * th - 1, K1 = 0, E1 = 1;
    if (k < 1) ellipke(&K1, &E1, k);
    ld kt = fabsl(t2) < 1e-18L ? 0 : t2 * K1; /* K1 diverges where t2 = 0 (T_c) */
    *u = (double)(-(1 / th) * (1 + 2 / PI * kt));
    /* c = -K^2 du/dK, with dK1/dk = E1 / (k (1 - k^2)) - K1 / k */
    ld sech2 = 1 - th * th, t2p = 8 * th * sech2;
    ld kp = 4 * (coshl(2 * K) * coshl(2 * K) - 2 * sinhl(2 * K) * sinhl(2 * K)) / powl(coshl(2 * K), 3);
    ld K1p = k < 1 ? E1 / (k * (1 - k * k)) - K1 / k : INFINITY;
    ld dudK = 2 / (sinhl(2 * K) * sinhl(2 * K)) * (1 + 2 / PI * kt) -
              (1 / th) * (2 / PI) * (t2p * K1 + t2 * K1p * kp);
    *c = k < 1 ? (double)(-K * K * dudK) : INFINITY;
    ld s = sinhl(2 * K);
    *m_spont = T < ISING_TC ? (double)powl(1 - 1 / (s * s * s * s), 0.125L) : 0.0;
}

/* --- Beale: exact density of states --------------------------------------------- */

/* P(y) = Z e^{-2NK} at y = e^{-4K}, Kaufman's formula in ball arithmetic. */
static void beale_eval(arb_t P, const arb_t y, int m, int n, slong prec)
{
    arb_t K, x, C, c, g, t, Zi, sum, pi;
    arb_init(K); arb_init(x); arb_init(C); arb_init(c); arb_init(g); arb_init(t);
    arb_init(Zi); arb_init(sum); arb_init(pi);
    arb_const_pi(pi, prec);
    arb_log(K, y, prec); arb_div_si(K, K, -4, prec);        /* K = -ln(y)/4 */
    arb_mul_2exp_si(x, K, 1); arb_sinh(x, x, prec);          /* sinh 2K */
    arb_inv(C, x, prec); arb_add(C, C, x, prec);             /* C = sinh 2K + csch 2K */
    arb_zero(sum);
    for (int term = 0; term < 4; term++) {
        int parity = term < 2, use_sinh = term & 1;
        arb_one(Zi);
        for (int r = 0; r < n; r++) {
            int l = 2 * r + parity;
            if (l == 0) { /* g_0 = 2K + ln tanh K */
                arb_tanh(g, K, prec); arb_log(g, g, prec);
                arb_addmul_si(g, K, 2, prec);
            } else {
                arb_mul_si(c, pi, l, prec); arb_div_si(c, c, n, prec); arb_cos(c, c, prec);
                arb_sub(c, C, c, prec);
                arb_acosh(g, c, prec);
            }
            arb_mul_si(t, g, m, prec); arb_mul_2exp_si(t, t, -1);
            if (use_sinh) arb_sinh(t, t, prec); else arb_cosh(t, t, prec);
            arb_mul_2exp_si(t, t, 1);
            arb_mul(Zi, Zi, t, prec);
        }
        arb_add(sum, sum, Zi, prec);
    }
    /* Z = 1/2 (2 sinh 2K)^{N/2} sum; times e^{-2NK} = y^{N/2} */
    arb_mul_2exp_si(x, x, 1);
    arb_pow_ui(x, x, (ulong)(m * n / 2), prec);
    arb_mul(P, sum, x, prec);
    arb_mul_2exp_si(P, P, -1);
    arb_pow_ui(t, y, (ulong)(m * n / 2), prec);
    arb_mul(P, P, t, prec);
    arb_clear(K); arb_clear(x); arb_clear(C); arb_clear(c); arb_clear(g); arb_clear(t);
    arb_clear(Zi); arb_clear(sum); arb_clear(pi);
}

/* listing: beale */

/* g_k from P(y) = sum_k g_k y^k (degree N) at N + 1 Chebyshev nodes in (0, 1):
 * Newton divided differences, expanded to monomials, all in ball arithmetic.
 * Each coefficient is an integer; a ball containing a unique integer
 * certifies it, otherwise the precision doubles. */
static int beale_try(fmpz *gz, int m, int n, slong prec)
{
    int N = m * n;
    arb_ptr yv = _arb_vec_init(N + 1), d = _arb_vec_init(N + 1), p = _arb_vec_init(N + 2);
    arb_t t;
    arb_init(t);
    for (int j = 0; j <= N; j++) {
        double node = 0.5 * (1 - cos(3.141592653589793 * (j + 0.5) / (N + 1)));
        arb_set_d(yv + j, node); /* the double node is itself the exact node */
        beale_eval(d + j, yv + j, m, n, prec);
    }
    for (int k = 1; k <= N; k++)
        for (int j = N; j >= k; j--) {
            arb_sub(t, yv + j, yv + j - k, prec);
            arb_sub(d + j, d + j, d + j - 1, prec);
            arb_div(d + j, d + j, t, prec);
        }
    /* Horner in Newton form: p <- p (y - y_j) + d_j */
    _arb_vec_zero(p, N + 2);
    for (int j = N; j >= 0; j--) {
        for (int i = N; i >= 1; i--) { /* p <- p * y - y_j * p */
            arb_mul(t, p + i, yv + j, prec);
            arb_sub(p + i, p + i - 1, t, prec);
        }
        arb_mul(t, p, yv + j, prec);
        arb_neg(p, t);
        arb_add(p, p, d + j, prec);
    }
    int ok = 1;
    for (int k = 0; k <= N && ok; k++) ok = arb_get_unique_fmpz(gz + k, p + k);
    arb_clear(t);
    _arb_vec_clear(yv, N + 1); _arb_vec_clear(d, N + 1); _arb_vec_clear(p, N + 2);
    return ok;
}
/* end: beale */

int ising_beale_init(ising_beale *b, int m, int n)
{
    memset(b, 0, sizeof *b);
    if (m < 2 || n < 2 || m % 2 || n % 2 || m * n > 4096) return -1;
    int N = m * n, ok = 0;
    fmpz *gz = _fmpz_vec_init(N + 1);
    for (slong prec = 4 * N + 128; prec <= 64 * N + 1024 && !ok; prec *= 2) ok = beale_try(gz, m, n, prec);
    if (!ok) { _fmpz_vec_clear(gz, N + 1); return -1; }
    char **g = malloc((size_t)(N + 1) * sizeof *g);
    if (!g) { _fmpz_vec_clear(gz, N + 1); return -1; }
    for (int k = 0; k <= N; k++) g[k] = fmpz_get_str(NULL, 10, gz + k);
    _fmpz_vec_clear(gz, N + 1);
    b->m = m, b->n = n, b->N = N, b->g = g;
    return 0;
}

void ising_beale_clear(ising_beale *b)
{
    if (b->g)
        for (int k = 0; k <= b->N; k++) flint_free(b->g[k]);
    free(b->g);
    memset(b, 0, sizeof *b);
}
