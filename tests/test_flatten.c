#include "flatbound.h"
#include "flatnet.h"
#include "flatpoly.h"
#include "flatten_proofs.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

/* Criterion's cr_assert pastes the first token: wrap '!' and macro calls. */
static int not_(int x) { return !x; }
static int is_(int x) { return x; }

static int ones[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

Test(flatten, shallow_product_exact_and_printed_erratum)
{
    flatten_act e, g;
    flatten_act_init(&e, FLATTEN_EXP, 8, 0);
    flatten_act_init(&g, FLATTEN_GENERIC, 8, 0);
    for (int n = 1; n <= 4; n++) {
        cr_assert(flatten_check_exact(FLATTEN_BUILD_SHALLOW_PRODUCT, &e, n, ones, NULL), "A4 corrected, exp, n=%d", n);
        cr_assert(flatten_check_exact(FLATTEN_BUILD_SHALLOW_PRODUCT, &g, n, ones, NULL), "A4 corrected, generic, n=%d", n);
        cr_assert(not_(flatten_check_exact(FLATTEN_BUILD_PRINTED_PRODUCT, &g, n, ones, NULL)),
                  "Eq. 28 as printed must fail for generic sigma, n=%d", n);
        cr_assert(flatten_check_exact(FLATTEN_BUILD_PRINTED_PRODUCT, &e, n, ones, NULL),
                  "as printed coincides for exp (n! sigma_n = 1), n=%d", n);
    }
    /* softplus-like: sigma_3 = 0 makes the n = 3 construction impossible */
    flatten_act s;
    flatten_act_init(&s, FLATTEN_GENERIC, 4, 0);
    mpq_set_ui(s.s[3], 0, 1);
    mpq_t one;
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    flatten_net net;
    flatten_net_init(&net, 3);
    cr_assert(flatten_build_shallow_product(&net, &s, 3, one, 0) == -1);
    cr_assert(not_(flatten_check_exact(FLATTEN_BUILD_SHALLOW_PRODUCT, &s, 3, ones, NULL)), "a refused build fails the check");
    flatten_net_clear(&net);
    mpq_clear(one);
    flatten_act_clear(&s);
    flatten_act_clear(&e);
    flatten_act_clear(&g);
}

Test(flatten, monomial_tree_power_exact)
{
    flatten_act e, g;
    flatten_act_init(&e, FLATTEN_EXP, 12, 0);
    flatten_act_init(&g, FLATTEN_GENERIC, 12, 0);
    int rs[][3] = {{2, 1, 0}, {1, 2, 1}, {3, 1, 0}};
    int rn[] = {2, 3, 2};
    for (int c = 0; c < 3; c++) {
        cr_assert(flatten_check_exact(FLATTEN_BUILD_SHALLOW_MONOMIAL, &g, rn[c], rs[c], NULL), "shallow monomial %d", c);
        cr_assert(flatten_check_exact(FLATTEN_BUILD_DEEP_MONOMIAL, &e, rn[c], rs[c], NULL), "deep monomial case %d", c);
    }
    for (int n = 2; n <= 5; n++) cr_assert(flatten_check_exact(FLATTEN_BUILD_TREE_PRODUCT, &e, n, ones, NULL), "tree n=%d", n);
    for (int d = 1; d <= 9; d++) {
        int r[1] = {d};
        cr_assert(flatten_check_exact(FLATTEN_BUILD_POWER, &e, 1, r, NULL), "power d=%d", d);
    }
    /* a wrong target must fail: the tree for n = 3 is not x1 x2 */
    int r2[3] = {1, 1, 0};
    mpq_t one;
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    flatten_net net;
    flatten_net_init(&net, 3);
    flatten_build_tree_product(&net, &e, 3, one);
    flatten_poly got, want;
    flatten_poly_init(&got, 3, 3);
    flatten_poly_init(&want, 3, 3);
    flatten_net_poly(&got, &net, &e);
    flatten_poly_monomial(&want, r2);
    cr_assert(not_(flatten_poly_equal_upto(&got, &want, 3)));
    flatten_poly_clear(&got);
    flatten_poly_clear(&want);
    flatten_net_clear(&net);
    mpq_clear(one);
    flatten_act_clear(&e);
    flatten_act_clear(&g);
}

Test(flatten, neuron_counts)
{
    flatten_act e;
    flatten_act_init(&e, FLATTEN_EXP, 4, 0);
    mpq_t one;
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    for (int n = 2; n <= 64; n *= 2) {
        flatten_net net;
        flatten_net_init(&net, n);
        flatten_build_tree_product(&net, &e, n, one);
        cr_assert(flatten_net_neurons(&net) == 4 * (n - 1), "tree n=%d: %ld", n, flatten_net_neurons(&net));
        flatten_net_clear(&net);
    }
    for (int d = 2; d <= 300; d++) {
        flatten_net net;
        flatten_net_init(&net, 1);
        flatten_build_power(&net, &e, d, one);
        int l = 0;
        while ((1 << l) < d) l++;
        cr_assert(flatten_net_neurons(&net) <= 7 * l, "power d=%d", d);
        flatten_net_clear(&net);
    }
    mpq_clear(one);
    flatten_act_clear(&e);
}

Test(flatten, rank_lemma_detects_deficiency)
{
    for (int n = 1; n <= 4; n++) {
        int m = 1 << n, *v = malloc((size_t)m * n * sizeof *v);
        for (int s = 0; s < m; s++)
            for (int i = 0; i < n; i++) v[s * n + i] = (s >> i) & 1 ? -1 : 1;
        long ex;
        cr_assert(flatten_rank_lemma(&ex, n, ones, m, v) == m && ex == m, "full rank n=%d", n);
        flatten_poly want;
        flatten_poly_init(&want, n, n);
        flatten_poly_monomial(&want, ones);
        cr_assert(flatten_exact_feasible(NULL, n, n, FLATTEN_MODE_GENERIC, &want, m, v), "A4 vectors feasible n=%d", n);
        if (n >= 2) {
            for (int i = 0; i < n; i++) v[n + i] = v[i]; /* neuron 1 := neuron 0 */
            cr_assert(flatten_rank_lemma(&ex, n, ones, m, v) < m && ex < m, "deficient n=%d", n);
            cr_assert(not_(flatten_exact_feasible(NULL, n, n, FLATTEN_MODE_GENERIC, &want, m, v)), "infeasible n=%d", n);
        }
        flatten_poly_clear(&want);
        free(v);
    }
}

static int search_min(const flatten_poly *t, int n, int d, flatten_mode mode, int L, int mmax, uint64_t *nets)
{
    flatten_search_problem pr;
    cr_assert(flatten_search_init(&pr, n, d, mode, L, t) == 0);
    flatten_search_result res;
    flatten_search_run(&res, &pr, mmax);
    cr_assert(res.certified);
    if (res.min > 0) cr_assert(res.confirmed, "witness confirmed exactly");
    if (nets) *nets = res.nets;
    flatten_search_clear(&pr);
    return res.min;
}

Test(flatten, search_finds_cheaper_representation)
{
    /* (x+y)^2 needs 3 neurons (squaring gate), xy needs 4 (LT App.) */
    flatten_poly sq, xy;
    flatten_poly_init(&sq, 2, 2);
    flatten_poly_init(&xy, 2, 2);
    mpq_t c;
    mpq_init(c);
    int e20[2] = {2, 0}, e11[2] = {1, 1}, e02[2] = {0, 2};
    mpq_set_ui(c, 1, 1);
    flatten_poly_add_term(&sq, flatten_key(e20, 2), c);
    flatten_poly_add_term(&sq, flatten_key(e02, 2), c);
    flatten_poly_add_term(&xy, flatten_key(e11, 2), c);
    mpq_set_ui(c, 2, 1);
    flatten_poly_add_term(&sq, flatten_key(e11, 2), c);
    cr_assert(search_min(&sq, 2, 2, FLATTEN_MODE_GENERIC, 1, 4, NULL) == 3);
    cr_assert(search_min(&xy, 2, 2, FLATTEN_MODE_GENERIC, 1, 4, NULL) == 4);
    cr_assert(search_min(&xy, 2, 2, FLATTEN_MODE_GENERIC, 1, 3, NULL) == -1, "nothing below 4");
    /* sigma = x^2: xy = ((x+y)^2 - (x-y)^2)/4 needs 2 = C(2,1) */
    cr_assert(search_min(&xy, 2, 2, FLATTEN_MODE_POWER, 1, 4, NULL) == 2);
    mpq_clear(c);
    flatten_poly_clear(&sq);
    flatten_poly_clear(&xy);
}

Test(flatten, search_thread_count_independent_and_naive_agrees)
{
    int r[2] = {2, 1};
    flatten_poly t;
    flatten_poly_init(&t, 2, 3);
    flatten_poly_monomial(&t, r);
    flatten_search_problem pr;
    cr_assert(flatten_search_init(&pr, 2, 3, FLATTEN_MODE_GENERIC, 1, &t) == 0);
    flatten_search_result a, b, nv;
    omp_set_num_threads(1);
    flatten_search_run(&a, &pr, 6);
    omp_set_num_threads(3);
    flatten_search_run(&b, &pr, 6);
    omp_set_num_threads(1);
    flatten_search_naive(&nv, &pr, 6);
    cr_assert(a.min == 6 && b.min == 6 && nv.min == 6);
    cr_assert(a.nets == b.nets, "%llu vs %llu", (unsigned long long)a.nets, (unsigned long long)b.nets);
    cr_assert(nv.confirmed);
    flatten_search_clear(&pr);
    flatten_poly_clear(&t);
}

/* The Taylor engine against an independent double evaluation: the A4 net with
 * sigma = exp, truncated at degree 14, at small inputs. */
Test(flatten, taylor_engine_vs_double)
{
    flatten_act e;
    flatten_act_init(&e, FLATTEN_EXP, 14, 0);
    mpq_t one;
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    flatten_net net;
    flatten_net_init(&net, 2);
    flatten_build_shallow_product(&net, &e, 2, one, 0);
    flatten_poly p;
    flatten_poly_init(&p, 2, 14);
    flatten_net_poly(&p, &net, &e);
    double xs[][2] = {{0.1, -0.2}, {0.3, 0.25}, {-0.05, 0.4}};
    for (int k = 0; k < 3; k++) {
        double y = flatten_net_eval_d(&net, exp, xs[k]), z = flatten_poly_eval_d(&p, xs[k]);
        /* remainder: 4 neurons, |w| = 1/4, |s.x| <= 0.7: 0.7^15/15! < 1e-14; rounding ~1e-16 * 4 e/4 */
        cr_assert(fabs(y - z) < 1e-13, "x=(%g,%g): %.17g vs %.17g", xs[k][0], xs[k][1], y, z);
        cr_assert(fabs(z - xs[k][0] * xs[k][1]) > 1e-6, "the net is not exactly xy: higher terms present");
    }
    /* poly arithmetic: (x+y)^3 by the engine = binomial coefficients */
    flatten_poly u, u2, u3;
    flatten_poly_init(&u, 2, 5);
    flatten_poly_init(&u2, 2, 5);
    flatten_poly_init(&u3, 2, 5);
    int ex[2] = {1, 0}, ey[2] = {0, 1};
    flatten_poly_add_term(&u, flatten_key(ex, 2), one);
    flatten_poly_add_term(&u, flatten_key(ey, 2), one);
    flatten_poly_mul(&u2, &u, &u);
    flatten_poly_mul(&u3, &u2, &u);
    long binom[4] = {1, 3, 3, 1};
    mpq_t c;
    mpq_init(c);
    for (int k = 0; k <= 3; k++) {
        int ek[2] = {k, 3 - k};
        flatten_poly_coeff(c, &u3, flatten_key(ek, 2));
        cr_assert(is_(mpq_cmp_si(c, binom[k], 1) == 0), "k=%d", k);
    }
    mpq_clear(c);
    flatten_poly_clear(&u);
    flatten_poly_clear(&u2);
    flatten_poly_clear(&u3);
    flatten_poly_clear(&p);
    flatten_net_clear(&net);
    mpq_clear(one);
    flatten_act_clear(&e);
}

/* LT Eq. 27 against exact enumeration of all 0/1 pairs (A, B) for n = 2. */
Test(flatten, eq27_exact_enumeration)
{
    int n = 2, bits = n * n;
    double ps[] = {0.1, 0.37, 0.8};
    for (int k = 0; k < 3; k++) {
        double p = ps[k], expect = 0;
        for (int A = 0; A < 1 << bits; A++)
            for (int B = 0; B < 1 << bits; B++) {
                int ones_ = __builtin_popcount((unsigned)A) + __builtin_popcount((unsigned)B);
                double w = pow(p, ones_) * pow(1 - p, 2 * bits - ones_);
                int fill = 0;
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++) {
                        int any = 0;
                        for (int t = 0; t < n; t++) any |= ((A >> (i * n + t)) & 1) && ((B >> (t * n + j)) & 1);
                        fill += any;
                    }
                expect += w * fill / (double)(n * n);
            }
        cr_assert(fabs(expect - flatten_eq27_fill(n, p)) < 1e-12, "p=%g: %.15g vs %.15g", p, expect,
                  flatten_eq27_fill(n, p));
    }
}

Test(flatten, rt3_rt5_lt15_counts)
{
    mpz_t m, b;
    mpz_inits(m, b, NULL);
    for (int n = 1; n <= 16; n++) {
        flatten_rt3_maxcoef(m, n, ones);
        mpz_bin_uiui(b, (unsigned long)n, (unsigned long)(n / 2));
        cr_assert(mpz_cmp(m, b) == 0, "n=%d", n);
    }
    int r[2] = {2, 1};
    flatten_rt3_maxcoef(m, 2, r);
    cr_assert(is_(mpz_cmp_ui(m, 2) == 0)); /* (1+y+y^2)(1+y) = 1+2y+2y^2+y^3 */
    mpz_clears(m, b, NULL);
    double br[4];
    int bi[4];
    cr_assert(flatten_rt5_lagrange(br, 3, 1e4) == 0);
    cr_assert(fabs(br[0] * br[1] * br[2] - 1e4) < 1e-6 * 1e4);
    double fr = flatten_rt5_log2_bound(br, 3), fi = flatten_rt5_integer(bi, 3, 1e4);
    cr_assert(fi >= fr - 1e-9 && (double)bi[0] * bi[1] * bi[2] >= 1e4);
    cr_assert(flatten_wht_synapses(8) == 48);
    cr_assert(flatten_wht_synapses(6) == -1);
    double err;
    cr_assert(flatten_fft_synapses(64, &err) == 2 * 64 * 6 && err < 1e-12, "err %g", err);
}

Test(flatten, commands_reject_bad_input)
{
    const char *bin = getenv("DEEPCHEAP");
    if (!bin) bin = "build/deepcheap";
    char cmd[512];
    const char *bad[] = {"flatten search --n 4 --lattice 1", "flatten search --n 9", "flatten shallow-min --exponents 0,1",
                         "flatten shallow-min --exponents 9,9", "flatten shallow-min --exponents 1,,2"};
    for (int k = 0; k < 5; k++) {
        snprintf(cmd, sizeof cmd, "%s %s >/dev/null 2>&1", bin, bad[k]);
        int rc = system(cmd);
        cr_assert(is_(WIFEXITED(rc) && WEXITSTATUS(rc) == 2), "'%s' -> %d", bad[k], rc);
    }
}
