#include "flatnet.h"
#include "flatten_proofs.h"

#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>
#include <flint/fmpz_mat.h>
#include <flint/nmod_mat.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PMOD ((1ull << 61) - 1)

static inline uint64_t md(uint64_t x) { return x >= PMOD ? x - PMOD : x; }
static inline uint64_t mmul(uint64_t a, uint64_t b)
{
    unsigned __int128 z = (unsigned __int128)a * b;
    uint64_t lo = (uint64_t)z & PMOD, hi = (uint64_t)(z >> 61);
    return md(lo + hi);
}
static inline uint64_t msub(uint64_t a, uint64_t b) { return a >= b ? a - b : a + PMOD - b; }
static uint64_t minv(uint64_t a)
{
    uint64_t r = 1, e = PMOD - 2;
    while (e) {
        if (e & 1) r = mmul(r, a);
        a = mmul(a, a);
        e >>= 1;
    }
    return r;
}
static uint64_t mfrom(long long v) { return v >= 0 ? (uint64_t)v % PMOD : PMOD - (uint64_t)(-v) % PMOD; }

/* Rows: monomials of the allowed degrees, in a fixed order. */
static int gen_rows(uint64_t *keys, int n, int d, int mode)
{
    int cnt = 0, e[FLATTEN_MAXVAR] = {0};
    for (;;) {
        int deg = 0;
        for (int i = 0; i < n; i++) deg += e[i];
        if (mode == FLATTEN_MODE_GENERIC ? deg <= d : deg == d) {
            if (keys) keys[cnt] = flatten_key(e, n);
            cnt++;
        }
        int i = 0;
        while (i < n && e[i] == d) e[i++] = 0;
        if (i == n) break;
        e[i]++;
    }
    return cnt;
}

/* multinomial(|e|; e) a^e as an integer */
static long long col_entry(uint64_t key, const int *a, int n)
{
    long long v = 1;
    int tot = 0;
    for (int i = 0; i < n; i++) {
        int ei = flatten_key_exp(key, i);
        for (int k = 1; k <= ei; k++) {
            tot++;
            v = v * tot / k; /* running multinomial stays integral */
            v *= a[i];
        }
    }
    return v;
}

int flatten_search_init(flatten_search_problem *pr, int n, int d, flatten_mode mode, int lattice,
                        const flatten_poly *target)
{
    memset(pr, 0, sizeof *pr);
    if (n < 1 || n > 6 || d < 1 || d > 12 || lattice < 1 || lattice > 4) return -1;
    pr->n = n;
    pr->d = d;
    pr->mode = mode;
    pr->lattice = lattice;
    pr->nrow = gen_rows(NULL, n, d, mode);
    pr->rowkey = malloc((size_t)pr->nrow * sizeof *pr->rowkey);
    gen_rows(pr->rowkey, n, d, mode);
    long side = 2 * lattice + 1, total = 1;
    for (int i = 0; i < n; i++) total *= side;
    pr->vec = malloc((size_t)(total * n) * sizeof *pr->vec);
    pr->col = malloc((size_t)(total * pr->nrow) * sizeof *pr->col);
    pr->log2norm = malloc((size_t)(total + 1) * sizeof *pr->log2norm);
    pr->t = malloc((size_t)pr->nrow * sizeof *pr->t);
    for (long v = 0; v < total; v++) {
        int a[FLATTEN_MAXVAR];
        long q = v;
        int first = 0, zero = 1;
        for (int i = 0; i < n; i++) {
            a[i] = (int)(q % side) - lattice;
            q /= side;
        }
        for (int i = 0; i < n && zero; i++)
            if (a[i]) zero = 0, first = a[i];
        if (mode == FLATTEN_MODE_POWER && (zero || first < 0)) continue; /* +-a proportional */
        int j = pr->nvec++;
        memcpy(&pr->vec[j * n], a, (size_t)n * sizeof *a);
        double nrm = 0;
        for (int r = 0; r < pr->nrow; r++) {
            long long c = col_entry(pr->rowkey[r], a, n);
            pr->col[(size_t)j * pr->nrow + r] = mfrom(c);
            nrm += (double)c * (double)c;
        }
        pr->log2norm[j] = 0.5 * log2(nrm > 0 ? nrm : 1);
    }
    double tn = 0;
    mpq_t c;
    mpq_init(c);
    for (int r = 0; r < pr->nrow; r++) {
        flatten_poly_coeff(c, target, pr->rowkey[r]);
        if (mpz_cmp_ui(mpq_denref(c), 1) != 0 || !mpz_fits_slong_p(mpq_numref(c))) {
            mpq_clear(c);
            flatten_search_clear(pr);
            return -1; /* integer targets only */
        }
        long long tv = mpz_get_si(mpq_numref(c));
        pr->t[r] = mfrom(tv);
        tn += (double)tv * (double)tv;
    }
    mpq_clear(c);
    pr->log2norm[pr->nvec] = 0.5 * log2(tn > 0 ? tn : 1);
    return 0;
}

void flatten_search_clear(flatten_search_problem *pr)
{
    free(pr->vec);
    free(pr->col);
    free(pr->t);
    free(pr->rowkey);
    free(pr->log2norm);
    memset(pr, 0, sizeof *pr);
}

static int dbl_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* Every minor of [M_S | t] with |S| <= mmax is at most the product of its
 * mmax+1 largest column norms (Hadamard); below P no non-zero minor vanishes
 * mod P, so modular ranks are the rational ranks. */
static int certify(const flatten_search_problem *pr, int mmax)
{
    double *s = malloc((size_t)(pr->nvec + 1) * sizeof *s);
    memcpy(s, pr->log2norm, (size_t)(pr->nvec + 1) * sizeof *s);
    qsort(s, (size_t)pr->nvec + 1, sizeof *s, dbl_desc);
    double b = 0;
    for (int i = 0; i <= mmax && i <= pr->nvec; i++) b += s[i];
    free(s);
    return b < 60.0;
}

/* listing: search */
// Depth-first over column sets in increasing index order, keeping an echelon
// basis mod P and the target reduced against it.  A column already in the span
// is pruned with its whole subtree (any superset has the span of a set the
// search visits anyway); a set whose span holds the target is a match and is
// not extended.  Counts depend only on the branch, so totals do not depend on
// the thread count.
typedef struct {
    const flatten_search_problem *pr;
    int mmax, best;
    uint64_t nets;
    uint64_t *basis; /* mmax x nrow, pivot entry 1 */
    int *piv, *set, *wit;
    uint64_t *tred;  /* (mmax+1) x nrow: target reduced after each depth */
} dfs_state;

static void dfs(dfs_state *s, int depth, int start, int end)
{
    const flatten_search_problem *pr = s->pr;
    int R = pr->nrow;
    for (int j = start; j < end; j++) {
        if (depth + 1 >= s->best) return; /* cannot beat this branch's best */
        s->nets++;
        uint64_t *v = &s->basis[(size_t)depth * R];
        memcpy(v, &pr->col[(size_t)j * R], (size_t)R * sizeof *v);
        for (int i = 0; i < depth; i++) {
            uint64_t f = v[s->piv[i]];
            if (!f) continue;
            const uint64_t *b = &s->basis[(size_t)i * R];
            for (int r = 0; r < R; r++) v[r] = msub(v[r], mmul(f, b[r]));
        }
        int p = 0;
        while (p < R && !v[p]) p++;
        if (p == R) continue; /* dependent: pruned */
        uint64_t inv = minv(v[p]);
        for (int r = 0; r < R; r++) v[r] = mmul(v[r], inv);
        s->piv[depth] = p;
        s->set[depth] = j;
        const uint64_t *t0 = &s->tred[(size_t)depth * R];
        uint64_t *t1 = &s->tred[(size_t)(depth + 1) * R];
        uint64_t f = t0[p], nz = 0;
        for (int r = 0; r < R; r++) nz |= t1[r] = msub(t0[r], mmul(f, v[r]));
        if (!nz) { /* match with depth+1 neurons */
            s->best = depth + 1;
            memcpy(s->wit, s->set, (size_t)(depth + 1) * sizeof *s->wit);
            continue;
        }
        if (depth + 1 < s->mmax) dfs(s, depth + 1, j + 1, pr->nvec);
    }
}
/* end: search */

static int witness_confirm(const flatten_search_problem *pr, const flatten_search_result *res);

void flatten_search_run(flatten_search_result *res, const flatten_search_problem *pr, int mmax)
{
    memset(res, 0, sizeof *res);
    if (mmax > 63) mmax = 63;
    int R = pr->nrow, N = pr->nvec;
    int *bestv = malloc((size_t)N * sizeof *bestv), *wits = malloc((size_t)N * 64 * sizeof *wits);
    uint64_t *nets = calloc((size_t)N, sizeof *nets);
    double t0 = omp_get_wtime();
    int tzero = 1;
    for (int r = 0; r < R; r++) tzero &= pr->t[r] == 0;
#pragma omp parallel
    {
        dfs_state s;
        s.pr = pr;
        s.mmax = mmax;
        s.basis = malloc((size_t)(mmax + 1) * R * sizeof *s.basis);
        s.tred = malloc((size_t)(mmax + 2) * R * sizeof *s.tred);
        s.piv = malloc((size_t)(mmax + 1) * sizeof *s.piv);
        s.set = malloc((size_t)(mmax + 1) * sizeof *s.set);
        s.wit = malloc((size_t)(mmax + 1) * sizeof *s.wit);
        memcpy(s.tred, pr->t, (size_t)R * sizeof *s.tred);
#pragma omp for schedule(dynamic, 1)
        for (int j = 0; j < N; j++) { /* branch j: sets whose smallest index is j */
            s.best = mmax + 1;
            s.nets = 0;
            if (!tzero) dfs(&s, 0, j, j + 1);
            bestv[j] = s.best;
            nets[j] = s.nets;
            memcpy(&wits[j * 64], s.wit, (size_t)(s.best <= mmax ? s.best : 0) * sizeof *s.wit);
        }
        free(s.basis);
        free(s.tred);
        free(s.piv);
        free(s.set);
        free(s.wit);
    }
    res->seconds = omp_get_wtime() - t0;
    res->min = tzero ? 0 : -1;
    for (int j = 0; j < N; j++) {
        res->nets += nets[j];
        if (bestv[j] <= mmax && (res->min < 0 || bestv[j] < res->min)) {
            res->min = bestv[j];
            memcpy(res->witness, &wits[j * 64], (size_t)bestv[j] * sizeof *wits);
        }
    }
    res->certified = certify(pr, mmax);
    res->confirmed = res->min > 0 ? witness_confirm(pr, res) : res->min == 0;
    free(bestv);
    free(wits);
    free(nets);
}

/* rank of the R x m column set mod P (destroys a) */
static int rank_mod(uint64_t *a, int R, int m)
{
    int rank = 0;
    for (int c = 0; c < m && rank < R; c++) {
        int p = rank;
        while (p < R && !a[(size_t)p * m + c]) p++;
        if (p == R) continue;
        for (int k = 0; k < m; k++) {
            uint64_t t = a[(size_t)p * m + k];
            a[(size_t)p * m + k] = a[(size_t)rank * m + k];
            a[(size_t)rank * m + k] = t;
        }
        uint64_t inv = minv(a[(size_t)rank * m + c]);
        for (int r = rank + 1; r < R; r++) {
            uint64_t f = mmul(a[(size_t)r * m + c], inv);
            if (!f) continue;
            for (int k = c; k < m; k++) a[(size_t)r * m + k] = msub(a[(size_t)r * m + k], mmul(f, a[(size_t)rank * m + k]));
        }
        rank++;
    }
    return rank;
}

void flatten_search_naive(flatten_search_result *res, const flatten_search_problem *pr, int mmax)
{
    memset(res, 0, sizeof *res);
    int R = pr->nrow, N = pr->nvec;
    double t0 = omp_get_wtime();
    res->min = -1;
    int idx[64];
    uint64_t *a = malloc((size_t)R * (mmax + 1) * sizeof *a);
    for (int m = 1; m <= mmax && m <= N && res->min < 0; m++) {
        for (int i = 0; i < m; i++) idx[i] = i;
        for (;;) {
            res->nets++;
            int rk0 = 0;
            for (int pass = 0; pass < 2; pass++) { /* rank of M_S, then of [M_S | t] */
                int w = m + pass;
                for (int r = 0; r < R; r++) {
                    for (int i = 0; i < m; i++) a[(size_t)r * w + i] = pr->col[(size_t)idx[i] * R + r];
                    if (pass) a[(size_t)r * w + m] = pr->t[r];
                }
                int rk = rank_mod(a, R, w);
                if (!pass) rk0 = rk;
                else if (rk == rk0 && res->min < 0) {
                    res->min = m;
                    memcpy(res->witness, idx, (size_t)m * sizeof *idx);
                }
            }
            int i = m - 1;
            while (i >= 0 && idx[i] == N - m + i) i--;
            if (i < 0) break;
            idx[i]++;
            for (int k = i + 1; k < m; k++) idx[k] = idx[k - 1] + 1;
        }
    }
    free(a);
    res->seconds = omp_get_wtime() - t0;
    res->certified = certify(pr, mmax);
    res->confirmed = res->min > 0 ? witness_confirm(pr, res) : 0;
}

/* --- exact rational checks --------------------------------------------------------- */

int flatten_exact_feasible(mpq_t *w, int n, int d, flatten_mode mode, const flatten_poly *target, int m,
                           const int *vecs)
{
    int R = gen_rows(NULL, n, d, mode);
    uint64_t *keys = malloc((size_t)R * sizeof *keys);
    gen_rows(keys, n, d, mode);
    fmpq_mat_t A, B, X;
    fmpq_mat_init(A, R, m);
    fmpq_mat_init(B, R, 1);
    fmpq_mat_init(X, m, 1);
    mpq_t c;
    mpq_init(c);
    for (int r = 0; r < R; r++) {
        for (int j = 0; j < m; j++) fmpq_set_si(fmpq_mat_entry(A, r, j), col_entry(keys[r], &vecs[j * n], n), 1);
        flatten_poly_coeff(c, target, keys[r]);
        fmpq_set_mpq(fmpq_mat_entry(B, r, 0), c);
    }
    int ok = fmpq_mat_can_solve(X, A, B);
    if (ok && w)
        for (int j = 0; j < m; j++) fmpq_get_mpq(w[j], fmpq_mat_entry(X, j, 0));
    mpq_clear(c);
    fmpq_mat_clear(A);
    fmpq_mat_clear(B);
    fmpq_mat_clear(X);
    free(keys);
    return ok;
}

/* Re-solves the witness over Q and checks with the Taylor engine (sigma = exp
 * in GENERIC mode, sigma = x^d in POWER mode) that the net matches the target. */
static int witness_confirm(const flatten_search_problem *pr, const flatten_search_result *res)
{
    int m = res->min, n = pr->n, d = pr->d;
    int *vecs = malloc((size_t)m * n * sizeof *vecs);
    for (int j = 0; j < m; j++) memcpy(&vecs[j * n], &pr->vec[res->witness[j] * n], (size_t)n * sizeof *vecs);
    flatten_poly target, got;
    flatten_poly_init(&target, n, d);
    flatten_poly_init(&got, n, d);
    mpq_t c;
    mpq_init(c);
    for (int r = 0; r < pr->nrow; r++) { /* target back from the residues (small integers) */
        uint64_t v = pr->t[r];
        long long s = v > PMOD / 2 ? -(long long)(PMOD - v) : (long long)v;
        mpq_set_si(c, s, 1);
        flatten_poly_add_term(&target, pr->rowkey[r], c);
    }
    mpq_t *w = malloc((size_t)m * sizeof *w);
    for (int j = 0; j < m; j++) mpq_init(w[j]);
    int ok = flatten_exact_feasible(w, n, d, pr->mode, &target, m, vecs);
    if (ok) {
        flatten_act a;
        flatten_act_init(&a, pr->mode == FLATTEN_MODE_GENERIC ? FLATTEN_EXP : FLATTEN_POWER, d,
                         pr->mode == FLATTEN_MODE_GENERIC ? 0 : d);
        flatten_net net;
        flatten_net_init(&net, n);
        flatten_net_open_layer(&net);
        flatten_lin pre;
        flatten_lin_init(&pre);
        for (int j = 0; j < m; j++) {
            flatten_lin_zero(&pre);
            for (int i = 0; i < n; i++) {
                mpq_set_si(c, vecs[j * n + i], 1);
                if (vecs[j * n + i]) flatten_lin_add(&pre, i, c);
            }
            int u = flatten_net_neuron(&net, &pre);
            mpq_div(c, w[j], a.s[d]); /* unscaled weights / sigma_d */
            flatten_lin_add(&net.out, u, c);
        }
        flatten_net_poly(&got, &net, &a);
        ok = flatten_poly_equal_upto(&got, &target, d);
        flatten_lin_clear(&pre);
        flatten_net_clear(&net);
        flatten_act_clear(&a);
    }
    for (int j = 0; j < m; j++) mpq_clear(w[j]);
    free(w);
    mpq_clear(c);
    flatten_poly_clear(&target);
    flatten_poly_clear(&got);
    free(vecs);
    return ok;
}

/* listing: ranklemma */
// LT App.: if sum_j w_j sigma(a_j.x) = prod x_i + O(n+1), differentiating by the
// variables in S shows the rows A_{S,j} = prod_{h in S} a_hj must be independent,
// so m >= 2^n.  Full rank mod p implies full rank over Q (a non-zero minor mod p
// is non-zero); the exact rank (FLINT fmpz_mat) confirms where asked.
long flatten_rank_lemma(long *exact, int n, const int *r, int m, const int *vecs)
{
    long rows = 1;
    for (int i = 0; i < n; i++) rows *= r[i] + 1;
    nmod_mat_t A;
    nmod_mat_init(A, rows, m, 2147483647ul);
    fmpz_mat_t Z;
    if (exact) fmpz_mat_init(Z, rows, m);
    for (long e = 0; e < rows; e++) {
        int ev[FLATTEN_MAXVAR];
        long q = e;
        for (int i = 0; i < n; i++) {
            ev[i] = (int)(q % (r[i] + 1));
            q /= r[i] + 1;
        }
        for (int j = 0; j < m; j++) {
            long long v = 1;
            for (int i = 0; i < n; i++)
                for (int k = 0; k < ev[i]; k++) v *= vecs[j * n + i];
            nmod_mat_entry(A, e, j) = v >= 0 ? (mp_limb_t)(v % 2147483647) : (mp_limb_t)(2147483647 - (-v) % 2147483647) % 2147483647;
            if (exact) fmpz_set_si(fmpz_mat_entry(Z, e, j), v);
        }
    }
    long rk = nmod_mat_rank(A);
    if (exact) {
        *exact = fmpz_mat_rank(Z);
        fmpz_mat_clear(Z);
    }
    nmod_mat_clear(A);
    return rk;
}
/* end: ranklemma */

long flatten_rank_lemma_box(int n, const int *r)
{
    long m = 1;
    for (int i = 0; i < n; i++) m *= r[i] + 1;
    int *vecs = malloc((size_t)(m * n) * sizeof *vecs);
    if (!vecs) return -1;
    for (long t = 0; t < m; t++) { /* t in mixed radix (r_i + 1) */
        long q = t;
        for (int i = 0; i < n; i++) {
            vecs[t * n + i] = (int)(q % (r[i] + 1));
            q /= r[i] + 1;
        }
    }
    long rank = flatten_rank_lemma(NULL, n, r, (int)m, vecs);
    free(vecs);
    return rank;
}
