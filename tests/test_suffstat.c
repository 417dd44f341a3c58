/* suffstat: minimal sufficient statistics on hand-made chains with known
 * partitions, the tagged family's known class counts, and the data
 * processing inequality against double-precision sums and a false claim. */
/* Criterion first: FLINT (via arb.h) defines ulong, which Criterion also declares */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "suffstat.h"
#include <math.h>

static int is_one(const mpq_t q) { return mpq_cmp_ui(q, 1, 1) == 0; }
static void setq(mpq_t q, const char *s) { mpq_set_str(q, s, 10), mpq_canonicalize(q); }

/* y_0 in {0,1} -> y_1 in {0,1,2}; columns 1 and 2 of M equal: T_0 = {0}, {1,2}. */
Test(suffstat, hand_chain_merges_equal_columns)
{
    int k[2] = {2, 3}, cls[3];
    suff_chain c;
    suff_chain_init(&c, 1, k);
    setq(c.prior[0], "1/3"), setq(c.prior[1], "2/3");
    const char *m[6] = {"1/2", "1/4", "1/4", "1/4", "3/8", "3/8"};
    for (int i = 0; i < 6; i++) setq(c.M[0][i], m[i]);
    cr_assert(suff_partition(cls, &c, 0) == 2);
    cr_assert(cls[0] == 0 && cls[1] == 1 && cls[2] == 1);
    cr_assert(suff_partition(cls, &c, 1) == 3, "T_n is the identity");
    /* proportional but unequal columns also merge: 1 2 | 2 4 in likelihood */
    const char *m2[6] = {"1/7", "2/7", "4/7", "1/5", "2/5", "2/5"};
    for (int i = 0; i < 6; i++) setq(c.M[0][i], m2[i]);
    cr_assert(suff_partition(cls, &c, 0) == 2 && cls[0] == cls[1], "columns (1/7,1/5), (2/7,2/5) proportional");
    const char *m4[6] = {"1/7", "2/7", "4/7", "1/5", "1/5", "3/5"};
    for (int i = 0; i < 6; i++) setq(c.M[0][i], m4[i]);
    cr_assert(suff_partition(cls, &c, 0) == 3, "no two columns proportional");
    const char *m3[6] = {"1/7", "2/7", "4/7", "1/14", "1/7", "11/14"};
    for (int i = 0; i < 6; i++) setq(c.M[0][i], m3[i]);
    cr_assert(suff_partition(cls, &c, 0) == 2 && cls[0] == cls[1] && cls[1] != cls[2]);
    suff_chain_clear(&c);
}

/* Identical rows of M: y_1 says nothing about y_0, one class. */
Test(suffstat, hand_chain_identical_rows_one_class)
{
    int k[3] = {2, 2, 3}, cls[3];
    suff_chain c;
    suff_chain_init(&c, 2, k);
    setq(c.prior[0], "1/2"), setq(c.prior[1], "1/2");
    const char *m0[4] = {"1/3", "2/3", "1/3", "2/3"};
    const char *m1[6] = {"1/2", "1/3", "1/6", "1/6", "1/3", "1/2"};
    for (int i = 0; i < 4; i++) setq(c.M[0][i], m0[i]);
    for (int i = 0; i < 6; i++) setq(c.M[1][i], m1[i]);
    cr_assert(suff_partition(cls, &c, 0) == 1);
    cr_assert(suff_partition(cls, &c, 1) == 3);
    suff_chain_clear(&c);
}

/* y_1 = 2 is impossible: it gets a class of its own instead of a division by zero. */
Test(suffstat, impossible_values_share_a_class)
{
    int k[2] = {2, 4}, cls[4];
    suff_chain c;
    suff_chain_init(&c, 1, k);
    setq(c.prior[0], "1/2"), setq(c.prior[1], "1/2");
    const char *m[8] = {"1/2", "1/2", "0", "0", "1/4", "3/4", "0", "0"};
    for (int i = 0; i < 8; i++) setq(c.M[0][i], m[i]);
    cr_assert(suff_partition(cls, &c, 0) == 3);
    cr_assert(cls[2] == cls[3] && cls[0] != cls[2] && cls[1] != cls[2] && cls[0] != cls[1]);
    suff_chain_clear(&c);
}

Test(suffstat, refines_detects_violation)
{
    int a[4] = {0, 1, 2, 2}, b[4] = {0, 0, 1, 1}, c[4] = {0, 1, 1, 2};
    cr_assert(suff_refines(a, b, 4));
    cr_assert(0 == suff_refines(a, c, 4), "2 and 3 share a fine class but not a coarse one");
    cr_assert(0 == suff_refines(b, a, 4));
}

Test(suffstat, tagged_family_known_class_counts_and_composition)
{
    for (int cell = 0; cell < 4; cell++) {
        rng_stream r;
        rng_init(&r, 11, (uint32_t)cell, 0);
        int n = 2 + cell % 2, S = 3 + cell / 2, m = 2;
        suff_chain c;
        suff_chain_tagged(&c, &r, n, S, m);
        int kn = c.k[n], cls[SUFF_MAXLEV + 1][64];
        for (int i = 0; i <= n; i++) {
            int nc = suff_partition(cls[i], &c, i);
            cr_assert(nc == suff_tagged_classes(n, S, m, i), "cell %d i=%d: %d classes, expected %d", cell, i, nc,
                      suff_tagged_classes(n, S, m, i));
        }
        for (int i = 0; i < n; i++) cr_assert(suff_refines(cls[i + 1], cls[i], kn), "cell %d i=%d", cell, i);
        /* and not the other way: each coarser level really merges */
        for (int i = 0; i < n; i++) cr_assert(0 == suff_refines(cls[i], cls[i + 1], kn), "cell %d i=%d", cell, i);
        suff_chain_clear(&c);
    }
}

Test(suffstat, random_chain_rows_stochastic_and_trivial_partition)
{
    rng_stream r;
    rng_init(&r, 3, 0, 0);
    int k[4] = {3, 4, 2, 5}, cls[5];
    suff_chain c;
    suff_chain_random(&c, &r, 3, k);
    mpq_t s;
    mpq_init(s);
    for (int j = 0; j < 3; j++)
        for (int a = 0; a < k[j]; a++) {
            mpq_set_ui(s, 0, 1);
            for (int b = 0; b < k[j + 1]; b++) mpq_add(s, s, c.M[j][a * k[j + 1] + b]);
            cr_assert(is_one(s));
        }
    mpq_clear(s);
    for (int i = 0; i <= 3; i++) cr_assert(suff_partition(cls, &c, i) == 5, "i=%d", i);
    suff_chain_clear(&c);
}

static double mi_double(const suff_joint *J, const int *f, int nz, int use_f)
{
    double px[8] = {0}, py[16] = {0}, pxy[8][16] = {{0}};
    int ny = use_f ? nz : J->ny;
    for (int x = 0; x < J->nx; x++)
        for (int y = 0; y < J->ny; y++) {
            double p = mpq_get_d(J->p[x * J->ny + y]);
            int yy = use_f ? f[y] : y;
            px[x] += p, py[yy] += p, pxy[x][yy] += p;
        }
    double mi = 0;
    for (int x = 0; x < J->nx; x++)
        for (int y = 0; y < ny; y++)
            if (pxy[x][y] > 0) mi += pxy[x][y] * log(pxy[x][y] / (px[x] * py[y]));
    return mi;
}

/* Columns y=0 (1,2)/12 and y=1 (2,4)/12 proportional: f = {0,1}{2} sufficient. */
Test(suffstat, hand_joint_sufficient_and_false_claim)
{
    suff_joint J;
    suff_joint_init(&J, 2, 3);
    const char *p[6] = {"1/12", "2/12", "2/12", "2/12", "4/12", "1/12"};
    for (int i = 0; i < 6; i++) setq(J.p[i], p[i]);
    int fs[3] = {0, 0, 1}, fn[3] = {0, 1, 1};
    cr_assert(suff_is_sufficient(&J, fs, 2));
    cr_assert(0 == suff_is_sufficient(&J, fn, 2));
    suff_dpi_result d;
    suff_dpi(&d, &J, fs, 2, 128);
    cr_assert(d.kind == SUFF_EQUAL && d.identity_ok && d.gap == 0.0);
    cr_assert(epsilon_eq(dbl, d.ixy, mi_double(&J, fs, 2, 0), 1e-14));
    cr_assert(epsilon_eq(dbl, d.ixf, mi_double(&J, fs, 2, 1), 1e-14));
    suff_dpi(&d, &J, fn, 2, 128);
    cr_assert(d.kind == SUFF_STRICT && d.identity_ok && d.diff_lo > 0);
    cr_assert(epsilon_eq(dbl, d.ixy - d.ixf, d.gap, 1e-14));
    /* the check must fail when the non-sufficient f is claimed sufficient */
    cr_assert(0 == suff_dpi_check(&J, fn, 2, 1, 128));
    cr_assert(suff_dpi_check(&J, fn, 2, 0, 128));
    cr_assert(suff_dpi_check(&J, fs, 2, 1, 128));
    cr_assert(0 == suff_dpi_check(&J, fs, 2, 0, 128));
    suff_joint_clear(&J);
}

Test(suffstat, random_joints_exact_test_agrees_with_balls)
{
    for (int cell = 0; cell < 40; cell++) {
        rng_stream r;
        rng_init(&r, 5, (uint32_t)cell, 0);
        int nx = 2 + cell % 3, ny = 3 + cell % 5, nz = 2 + (int)rng_below(&r, (uint64_t)(ny - 2)), f[16];
        for (int y = 0; y < ny; y++) f[y] = y < nz ? y : (int)rng_below(&r, (uint64_t)nz);
        suff_joint J;
        int suff = cell % 2;
        if (suff) suff_joint_sufficient(&J, &r, nx, ny, f, nz);
        else suff_joint_random(&J, &r, nx, ny);
        suff_dpi_result d;
        suff_dpi(&d, &J, f, nz, 128);
        cr_assert(suff_is_sufficient(&J, f, nz) == suff, "cell %d", cell);
        cr_assert(d.kind == (suff ? SUFF_EQUAL : SUFF_STRICT), "cell %d kind %d", cell, d.kind);
        cr_assert(d.identity_ok, "cell %d", cell);
        cr_assert(epsilon_eq(dbl, d.ixy, mi_double(&J, f, nz, 0), 1e-13), "cell %d", cell);
        cr_assert(epsilon_eq(dbl, d.ixf, mi_double(&J, f, nz, 1), 1e-13), "cell %d", cell);
        suff_joint_clear(&J);
    }
}
