/* Ch. 4 experiments: no-flattening (LT Sec. III + App., RT Sec. II-III).
 * flatten-exact   LT-12 LT-13 LT-14 RT-2 RT-3 RT-4  exact constructions, rank lemma, searches
 * flatten-rt5     RT-5                               optimal b_i (RT Fig. 1), m_k bound table
 * flatten-linear  LT-15                              butterflies, low rank, sparse products (Eq. 27)
 * bench-flatten-search                               search throughput vs the naive peer */
#include "experiments.h"
#include "claims.h"
#include "flatbound.h"
#include "flatnet.h"
#include "flatten_proofs.h"
#include "progress.h"
#include "results.h"
#include "rng.h"

#include <flint/fmpz_mat.h>
#include <float.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- double activations ------------------------------------------------------------- */
static double act_exp(double u) { return exp(u); }
static double act_softplus(double u) { return u > 30 ? u + log1p(exp(-u)) : log1p(exp(u)); }

static int ceil_log2(int r)
{
    int l = 0;
    while ((1 << l) < r) l++;
    return l;
}

/* The net in long double; beside the double pass it measures the double
 * rounding error, and long double's own rounding is 2^-11 of that. */
static long double eval_ld(const flatten_net *net, long double (*f)(long double), const double *x)
{
    int w = net->ninput;
    long double *v = malloc((size_t)w * sizeof *v);
    for (int i = 0; i < w; i++) v[i] = x[i];
    for (int l = 0; l < net->nlayer; l++) {
        int m = net->width[l];
        long double *nv = malloc((size_t)m * sizeof *nv + 16);
        for (int j = 0; j < m; j++) {
            const flatten_lin *p = &net->pre[l][j];
            long double s = 0;
            for (size_t i = 0; i < p->n; i++) s += (long double)mpq_get_d(p->c[i]) * v[p->idx[i]];
            nv[j] = f(s);
        }
        free(v);
        v = nv;
    }
    long double s = 0;
    for (size_t i = 0; i < net->out.n; i++) s += (long double)mpq_get_d(net->out.c[i]) * v[net->out.idx[i]];
    free(v);
    return s;
}
static long double actl_exp(long double u) { return expl(u); }
static long double actl_softplus(long double u) { return u > 30 ? u + log1pl(expl(-u)) : log1pl(expl(u)); }

/* Builders share one signature for the sweeps. */
typedef int (*builder)(flatten_net *, const flatten_act *, int, const int *, const mpq_t);
static int b_shallow_product(flatten_net *net, const flatten_act *a, int n, const int *r, const mpq_t l)
{
    (void)r;
    return flatten_build_shallow_product(net, a, n, l, 0);
}
static int b_tree(flatten_net *net, const flatten_act *a, int n, const int *r, const mpq_t l)
{
    (void)r;
    return flatten_build_tree_product(net, a, n, l);
}

#define NLAMBDA 6
/* Relative error max_x |N_lambda(x) - x^r| / |x^r| over 32 points with |x_i| in
 * [1/2, 1], lambda = 2^-1 .. 2^-6; converged when, wherever the rounding
 * estimate is below a tenth of the error, each halving of lambda cuts the
 * error by >= 1.8 (the remainder is O(lambda) or smaller), on >= 3 lambdas. */
static int lambda_sweep(builder b, const flatten_act *a, double (*f)(double), long double (*fl)(long double), int n,
                        const int *r, uint64_t seed, uint32_t cell, double *errs, FILE *tsv,
                        const char *what)
{
    rng_stream g;
    rng_init(&g, seed, cell, 0);
    double x[32][FLATTEN_MAXVAR * 4];
    for (int k = 0; k < 32; k++)
        for (int i = 0; i < n; i++) {
            double m = 0.5 + 0.5 * rng_uniform(&g);
            x[k][i] = rng_uniform(&g) < 0.5 ? -m : m;
        }
    double rerr[NLAMBDA];
    for (int li = 0; li < NLAMBDA; li++) {
        mpq_t lam;
        mpq_init(lam);
        mpq_set_ui(lam, 1, 1ul << (li + 1));
        flatten_net net;
        flatten_net_init(&net, n);
        b(&net, a, n, r, lam);
        double e = 0, re = 0;
        for (int k = 0; k < 32; k++) {
            double p = 1, est;
            for (int i = 0; i < n; i++)
                for (int t = 0; t < r[i]; t++) p *= x[k][i];
            double y = flatten_net_eval_d(&net, f, x[k]);
            long double yl = eval_ld(&net, fl, x[k]);
            est = 16 * fabs(y - (double)yl) / 2048; /* long double rounding, with a factor 16 margin */
            double rel = (double)(fabsl(yl - p) / fabs(p));
            if (rel > e) e = rel;
            if (est / fabs(p) > re) re = est / fabs(p);
        }
        errs[li] = e;
        rerr[li] = re;
        if (tsv) fprintf(tsv, "%s\t%d\t%.10g\t%.6g\t%.6g\n", what, n, 1.0 / (1ul << (li + 1)), e, re);
        flatten_net_clear(&net);
        mpq_clear(lam);
    }
    int used = 0, ok = 1;
    for (int li = 0; li + 1 < NLAMBDA; li++) {
        if (rerr[li + 1] > errs[li + 1] / 10) continue;
        used++;
        if (errs[li + 1] > errs[li] / 1.8) ok = 0;
    }
    return ok && used >= 3;
}

static const char *yesno(int b) { return b ? "yes" : "no"; }

/* ---------------------------------------------------------------------------------------- */
/* flatten-exact                                                                            */
/* ---------------------------------------------------------------------------------------- */

typedef struct {
    const char *name;
    int n, d, mode, lattice, mmax, bound;
    int r[4];
} search_case;

int exp_flatten_exact(const exp_ctx *ctx)
{
    int quick = ctx->scale == EXP_QUICK;
    results_file tsv, mac, rk, srch, cnt, lam;
    if (results_tsv_open(&tsv, "flatten_constructions", "construction\tact\tn\texponents\tneurons\texact") ||
        results_tsv_open(&lam, "flatten_lambda", "construction\tn\tlambda\trel_err\tround_est") ||
        results_tsv_open(&rk, "flatten_rank", "n\trows\tcols\trank_mod_p\trank_exact\tseconds") ||
        results_tsv_open(&srch, "flatten_search",
                         "case\tmode\tn\tdegree\tlattice\tvectors\tmmax\tbound\tmin_neurons\tnets\tseconds\tnets_per_s\tcertified\tconfirmed") ||
        results_tsv_open(&cnt, "flatten_counts", "kind\tsize\tneurons\tbound\tlayers") ||
        results_macros_open(&mac, "flatten_exact"))
        return 1;
    flatten_act aexp, agen;
    flatten_act_init(&aexp, FLATTEN_EXP, 16, 0);
    flatten_act_init(&agen, FLATTEN_GENERIC, 16, 0);
    const flatten_act *acts[2] = {&aexp, &agen};
    flatten_act asoft; /* the softplus coefficients the builders need: sigma_1 = 1/2, sigma_2 = 1/8 */
    flatten_act_init(&asoft, FLATTEN_GENERIC, 2, 0);
    mpq_set_ui(asoft.s[1], 1, 2);
    mpq_set_ui(asoft.s[2], 1, 8);
    int ones[64];
    for (int i = 0; i < 64; i++) ones[i] = 1;

    /* --- LT-12: Eq. A4 corrected vs Eq. 28 as printed, exactly --------------------- */
    int nmax12 = quick ? 5 : 6, corr_ok = 1, printed_fail_generic = 1, printed_pass_exp = 1;
    mpq_t one;
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    for (int ai = 0; ai < 2; ai++)
        for (int n = 1; n <= nmax12; n++)
            for (int printed = 0; printed < 2; printed++) {
                flatten_net net;
                flatten_net_init(&net, n);
                flatten_build_shallow_product(&net, acts[ai], n, one, printed);
                flatten_poly got, want;
                flatten_poly_init(&got, n, n);
                flatten_poly_init(&want, n, n);
                flatten_net_poly(&got, &net, acts[ai]);
                flatten_poly_monomial(&want, ones);
                int ok = flatten_poly_equal_upto(&got, &want, n);
                if (!printed) corr_ok &= ok;
                else if (ai == 1) printed_fail_generic &= !ok;
                else printed_pass_exp &= ok;
                fprintf(tsv.f, "%s\t%s\t%d\t1^%d\t%ld\t%s\n", printed ? "A4-printed" : "A4-corrected",
                        flatten_act_name(acts[ai]), n, n, flatten_net_neurons(&net), yesno(ok));
                flatten_poly_clear(&got);
                flatten_poly_clear(&want);
                flatten_net_clear(&net);
            }
    /* numerically, lambda -> 0 */
    double errs[NLAMBDA];
    int num12 = 1;
    for (int n = 2; n <= 4; n++)
        num12 &= lambda_sweep(b_shallow_product, &aexp, act_exp, actl_exp, n, ones, ctx->seed, 100 + n, errs,
                              lam.f, "A4-exp");
    results_macro_sci(&mac, "FlatAFourErrExpFour", 2, errs[NLAMBDA - 1]);
    num12 &= lambda_sweep(b_shallow_product, &asoft, act_softplus, actl_softplus, 2, ones, ctx->seed, 110, errs,
                          lam.f, "A4-softplus");
    results_macro_int(&mac, "FlatAFourMaxN", nmax12);
    results_macro_str(&mac, "FlatAFourCorrected", corr_ok ? "passes" : "fails");
    results_macro_str(&mac, "FlatAFourPrintedGeneric", printed_fail_generic ? "fails" : "passes");
    results_macro_str(&mac, "FlatAFourPrintedExp", printed_pass_exp ? "passes" : "fails");
    {
        char meas[256];
        snprintf(meas, sizeof meas,
                 "Eq. A4 with 1/(2^n n! sigma_n) exact for n<=%d (exp, generic): %s; as printed (1/2^n): generic %s, exp %s; lambda->0 %s",
                 nmax12, corr_ok ? "pass" : "FAIL", printed_fail_generic ? "fails" : "passes",
                 printed_pass_exp ? "passes (n! sigma_n = 1)" : "fails", num12 ? "converges" : "does not converge");
        claims_verdict v = !corr_ok || !num12 ? CLAIMS_NOT_REPRODUCED
                           : printed_fail_generic ? CLAIMS_ERRATUM : CLAIMS_REPRODUCED;
        claims_emit_legacy("LT-12", v, meas, "Eq. 28: w_s = prod s_i / 2^n", "erratum: Eq. 28 lacks 1/(n! sigma_n); exact for exp only");
    }

    /* --- LT-13: rank lemma ----------------------------------------------------------- */
    int nmax13 = quick ? 10 : 12, rank_ok = 1, exact_agree = 1, deficient_ok = 1;
    for (int n = 1; n <= nmax13; n++) {
        int m = 1 << n;
        int *vecs = malloc((size_t)m * n * sizeof *vecs);
        for (int s = 0; s < m; s++)
            for (int i = 0; i < n; i++) vecs[s * n + i] = (s >> i) & 1 ? -1 : 1;
        long ex = -1;
        double t0 = omp_get_wtime();
        long rmod = flatten_rank_lemma(n <= 7 ? &ex : NULL, n, ones, m, vecs);
        double dt = omp_get_wtime() - t0;
        rank_ok &= rmod == m;
        if (n <= 7) exact_agree &= ex == rmod;
        fprintf(rk.f, "%d\t%d\t%d\t%ld\t%ld\t%.4f\n", n, m, m, rmod, ex, dt);
        if (n <= 4) { /* a rank-deficient net: duplicate neuron 0's vector into neuron 1 */
            memcpy(&vecs[n], &vecs[0], (size_t)n * sizeof *vecs);
            long r2 = flatten_rank_lemma(NULL, n, ones, m, vecs);
            flatten_poly want;
            flatten_poly_init(&want, n, n);
            flatten_poly_monomial(&want, ones);
            int feas = flatten_exact_feasible(NULL, n, n, FLATTEN_MODE_GENERIC, &want, m, vecs);
            deficient_ok &= r2 < m && !feas;
            flatten_poly_clear(&want);
        }
        free(vecs);
    }
    results_macro_int(&mac, "FlatRankMaxN", nmax13);
    results_macro_int(&mac, "FlatRankExactMaxN", 7);
    results_macro_int(&mac, "FlatRankMaxRows", 1 << nmax13);

    /* --- searches (LT-13, RT-2, RT-3, RT-4) ------------------------------------------- */
    search_case cases[] = {
        {"xy", 2, 2, FLATTEN_MODE_GENERIC, 1, 4, 4, {1, 1}},
        {"xy", 2, 2, FLATTEN_MODE_GENERIC, 2, 4, 4, {1, 1}},
        {"xy", 2, 2, FLATTEN_MODE_GENERIC, 3, 4, 4, {1, 1}},
        {"xyz", 3, 3, FLATTEN_MODE_GENERIC, 1, 8, 8, {1, 1, 1}},
        {"x^2y", 2, 3, FLATTEN_MODE_GENERIC, 2, 6, 6, {2, 1}},
        {"x^2y^2", 2, 4, FLATTEN_MODE_GENERIC, 1, 9, 9, {2, 2}},
        {"x^3y", 2, 4, FLATTEN_MODE_GENERIC, 2, 8, 8, {3, 1}},
        {"x", 1, 1, FLATTEN_MODE_GENERIC, 3, 2, 2, {1}},
        {"x^2", 1, 2, FLATTEN_MODE_GENERIC, 3, 3, 3, {2}},
        {"x^3", 1, 3, FLATTEN_MODE_GENERIC, 3, 4, 4, {3}},
        {"x^4", 1, 4, FLATTEN_MODE_GENERIC, 3, 5, 5, {4}},
        {"x^5", 1, 5, FLATTEN_MODE_GENERIC, 3, 6, 6, {5}},
        {"x^6", 1, 6, FLATTEN_MODE_GENERIC, 3, 7, 7, {6}},
        {"xy", 2, 2, FLATTEN_MODE_POWER, 2, 4, 2, {1, 1}},
        {"xyz", 3, 3, FLATTEN_MODE_POWER, 2, 8, 3, {1, 1, 1}},
        {"x^2y", 2, 3, FLATTEN_MODE_POWER, 2, 6, 2, {2, 1}},
        {"x^2y^2", 2, 4, FLATTEN_MODE_POWER, 2, 9, 3, {2, 2}},
        {"wxyz", 4, 4, FLATTEN_MODE_POWER, 1, 8, 6, {1, 1, 1, 1}},
    };
    int ncase = (int)(sizeof cases / sizeof cases[0]);
    int lower13 = 1, lower2 = 1, lower4 = 1, lower3 = 1, certified_all = 1, confirmed_all = 1;
    uint64_t xyz_nets = 0;
    double xyz_sec = 0;
    static char table[8192];
    table[0] = 0;
    for (int c = 0; c < ncase; c++) {
        search_case *sc = &cases[c];
        if (quick && sc->mode == FLATTEN_MODE_POWER && sc->n == 4) sc->mmax = 6; /* bound only */
        if (quick && sc->mode == FLATTEN_MODE_POWER && sc->n == 3) sc->mmax = 4;
        flatten_poly want;
        flatten_poly_init(&want, sc->n, sc->d);
        flatten_poly_monomial(&want, sc->r);
        flatten_search_problem pr;
        if (flatten_search_init(&pr, sc->n, sc->d, sc->mode, sc->lattice, &want) != 0) return 1;
        flatten_search_result res;
        flatten_search_run(&res, &pr, sc->mmax);
        fprintf(srch.f, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%llu\t%.4f\t%.4g\t%s\t%s\n", sc->name,
                sc->mode == FLATTEN_MODE_POWER ? "power" : "generic", sc->n, sc->d, sc->lattice, pr.nvec,
                sc->mmax, sc->bound, res.min, (unsigned long long)res.nets, res.seconds,
                res.seconds > 0 ? res.nets / res.seconds : 0, yesno(res.certified), yesno(res.min < 0 || res.confirmed));
        {
            char tx[64] = "", mn[32];
            for (const char *q = sc->name; *q; q++) {
                size_t l = strlen(tx);
                if (*q == '^') snprintf(tx + l, sizeof tx - l, "^%c", *++q);
                else snprintf(tx + l, sizeof tx - l, "%c", *q);
            }
            if (res.min > 0) snprintf(mn, sizeof mn, "%d", res.min);
            else snprintf(mn, sizeof mn, "none $\\le %d$", sc->mmax);
            size_t l = strlen(table);
            snprintf(table + l, sizeof table - l, "$%s$ & %s & $\\{-%d..%d\\}^{%d}$ & %d & %d & %s & %llu & %s\\\\ ",
                     tx, sc->mode == FLATTEN_MODE_POWER ? "$x^d$" : "generic", sc->lattice, sc->lattice, sc->n, pr.nvec,
                     sc->bound, mn, (unsigned long long)res.nets, res.certified ? "yes" : "no");
        }
        certified_all &= res.certified;
        if (res.min > 0) confirmed_all &= res.confirmed;
        if (sc->mode == FLATTEN_MODE_GENERIC) {
            /* the lower bound m_1 = prod(r_i+1): nothing smaller matches, and the lattice
             * holds a net of exactly that size */
            int ok = res.min == sc->bound && res.certified && res.confirmed;
            if (sc->n == 1) lower4 &= ok;
            else lower2 &= ok;
            if (!strcmp(sc->name, "xy") || !strcmp(sc->name, "xyz")) lower13 &= ok;
            if (!strcmp(sc->name, "xyz")) {
                xyz_nets = res.nets;
                xyz_sec = res.seconds;
                results_macro_int(&mac, "FlatSearchXYZNets", (long long)res.nets);
                results_macro_int(&mac, "FlatSearchXYZVectors", pr.nvec);
                results_macro_int(&mac, "FlatSearchXYZMin", res.min);
            }
        } else {
            /* RT Thm II.2: no net below the bound; min (if found) >= bound */
            lower3 &= (res.min < 0 || res.min >= sc->bound) && res.certified;
            if (!strcmp(sc->name, "xyz")) {
                results_macro_int(&mac, "FlatPowXYZMin", res.min);
                results_macro_int(&mac, "FlatPowXYZBound", sc->bound);
            }
        }
        flatten_search_clear(&pr);
        flatten_poly_clear(&want);
    }
    results_macro_num(&mac, "FlatSearchRate", 3, xyz_sec > 0 ? xyz_nets / xyz_sec : 0);
    results_macro_fix(&mac, "FlatSearchXYZSeconds", 2, xyz_sec);
    results_macro_int(&mac, "FlatSearchCases", ncase);
    results_macro_str(&mac, "FlatSearchTable", table);
    results_macro_str(&mac, "FlatSearchCertified", certified_all ? "all" : "not all");
    results_macro_int(&mac, "FlatThreads", ctx->threads);

    {
        char meas[256];
        snprintf(meas, sizeof meas,
                 "rank of A (2^n x 2^n, Eq. A4 vectors) full mod p for n<=%d (exact agrees n<=7: %s); duplicated neuron: rank drops and no weights match: %s; lattice search min = 2^n for n=2,3: %s",
                 nmax13, yesno(exact_agree), yesno(deficient_ok), yesno(lower13));
        int ok = rank_ok && exact_agree && deficient_ok && lower13;
        claims_emit_legacy("LT-13", ok ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, meas, "2^n neurons minimum", "");
    }

    /* --- RT-2: shallow monomial constructions + deep bound ------------------------------- */
    int rs[][4] = {{1, 1}, {2, 1}, {2, 2}, {3, 1}, {3, 2}, {1, 1, 1}, {2, 1, 1}, {2, 2, 1}, {1, 1, 1, 1}, {4, 2}};
    int rn[] = {2, 2, 2, 2, 2, 3, 3, 3, 4, 2};
    int nrs = (int)(sizeof rn / sizeof rn[0]), shallow2 = 1, deep2 = 1, rank2 = 1;
    for (int c = 0; c < nrs; c++) {
        long neu, neud;
        int ok = flatten_check_exact(FLATTEN_BUILD_SHALLOW_MONOMIAL, &agen, rn[c], rs[c], &neu);
        int okd = flatten_check_exact(FLATTEN_BUILD_DEEP_MONOMIAL, &aexp, rn[c], rs[c], &neud);
        long m1 = 1, bound = 0;
        for (int i = 0; i < rn[c]; i++) m1 *= rs[c][i] + 1, bound += 7 * ceil_log2(rs[c][i]) + 4;
        shallow2 &= ok && neu == m1;
        deep2 &= okd && neud <= bound;
        char ex[32] = "";
        for (int i = 0; i < rn[c]; i++) snprintf(ex + strlen(ex), sizeof ex - strlen(ex), "%s%d", i ? "," : "", rs[c][i]);
        fprintf(tsv.f, "shallow-monomial\tgeneric\t%d\t%s\t%ld\t%s\n", rn[c], ex, neu, yesno(ok));
        fprintf(tsv.f, "deep-monomial\texp\t%d\t%s\t%ld\t%s\n", rn[c], ex, neud, yesno(okd));
        int *vecs = malloc((size_t)(m1 * rn[c]) * sizeof *vecs);
        for (long t = 0; t < m1; t++) {
            long q = t;
            for (int i = 0; i < rn[c]; i++) {
                vecs[t * rn[c] + i] = (int)(q % (rs[c][i] + 1));
                q /= rs[c][i] + 1;
            }
        }
        rank2 &= flatten_rank_lemma(NULL, rn[c], rs[c], (int)m1, vecs) == m1;
        free(vecs);
    }
    /* the deep bound by counting, exponents 1..64 per variable, n = 1..3 */
    int deepcount2 = 1, worst_slack = 1 << 30;
    for (int r1 = 1; r1 <= 64; r1++)
        for (int r2 = 1; r2 <= (quick ? 16 : 64); r2 *= 2) {
            int r[2] = {r1, r2};
            flatten_net net;
            flatten_net_init(&net, 2);
            flatten_build_deep_monomial(&net, &aexp, 2, r, one);
            long b = 7 * ceil_log2(r1) + 4 + 7 * ceil_log2(r2) + 4;
            deepcount2 &= flatten_net_neurons(&net) <= b;
            if (b - flatten_net_neurons(&net) < worst_slack) worst_slack = (int)(b - flatten_net_neurons(&net));
            flatten_net_clear(&net);
        }
    results_macro_int(&mac, "FlatDeepSlack", worst_slack);
    results_macro_int(&mac, "FlatDeepCountMax", 64);
    results_macro_int(&mac, "FlatRTTwoCases", nrs);
    {
        char meas[256];
        snprintf(meas, sizeof meas,
                 "prod(r_i+1)-neuron shallow nets exact (%d exponent vectors): %s; rank lemma full: %s; lattice searches min = prod(r_i+1): %s; deep nets exact and <= sum(7 ceil(log2 r_i)+4): %s (counted r<=64: %s)",
                 nrs, yesno(shallow2), yesno(rank2), yesno(lower2), yesno(deep2), yesno(deepcount2));
        int ok = shallow2 && rank2 && lower2 && deep2 && deepcount2;
        claims_emit_legacy("RT-2", ok ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, meas,
                    "m_1 = prod(r_i+1); m <= sum(7 ceil(log2 r_i)+4)", "");
    }

    /* --- RT-4: univariate -------------------------------------------------------------- */
    int uni_ok = 1, pow_exact = 1, pow_count = 1, dmax4 = quick ? 10 : 12;
    for (int d = 1; d <= dmax4; d++) {
        int r[1] = {d};
        long neu, neud;
        uni_ok &= flatten_check_exact(FLATTEN_BUILD_SHALLOW_MONOMIAL, &agen, 1, r, &neu) && neu == d + 1;
        int ok = flatten_check_exact(FLATTEN_BUILD_POWER, &aexp, 1, r, &neud);
        pow_exact &= ok;
        fprintf(tsv.f, "shallow-power\tgeneric\t1\t%d\t%ld\t%s\n", d, neu, yesno(1));
        fprintf(tsv.f, "deep-power\texp\t1\t%d\t%ld\t%s\n", d, neud, yesno(ok));
    }
    for (int d = 2; d <= 4096; d++) {
        flatten_net net;
        flatten_net_init(&net, 1);
        flatten_build_power(&net, &aexp, d, one);
        long b = 7L * ceil_log2(d);
        pow_count &= flatten_net_neurons(&net) <= b;
        if ((d & (d - 1)) == 0 || d % 97 == 0 || d < 33)
            fprintf(cnt.f, "power\t%d\t%ld\t%ld\t%d\n", d, flatten_net_neurons(&net), b, net.nlayer);
        flatten_net_clear(&net);
    }
    /* RT Prop. II.5 (Vandermonde): a non-homogeneous cubic 2x^3 - 3x^2 + x - 5 with
     * d+1 = 4 neurons sigma(a x), a = 0..3, matched to degree 3 without scaling:
     * solve sum_j w_j sigma_k a_j^k = t_k exactly (sigma = exp), check with the engine. */
    int vand_ok;
    {
        long coef[4] = {-5, 1, -3, 2};
        int vecs[4] = {0, 1, 2, 3}, e[1];
        flatten_poly p, ps, got;
        flatten_poly_init(&p, 1, 3);
        flatten_poly_init(&ps, 1, 3);
        flatten_poly_init(&got, 1, 3);
        mpq_t c, w[4];
        mpq_init(c);
        for (int k = 0; k < 4; k++) {
            mpq_init(w[k]);
            e[0] = k;
            mpq_set_si(c, coef[k], 1);
            flatten_poly_add_term(&p, flatten_key(e, 1), c);
            mpq_div(c, c, aexp.s[k]); /* t_k / sigma_k */
            flatten_poly_add_term(&ps, flatten_key(e, 1), c);
        }
        vand_ok = flatten_exact_feasible(w, 1, 3, FLATTEN_MODE_GENERIC, &ps, 4, vecs);
        if (vand_ok) {
            flatten_net net;
            flatten_net_init(&net, 1);
            flatten_net_open_layer(&net);
            flatten_lin pre;
            flatten_lin_init(&pre);
            for (int j = 0; j < 4; j++) {
                flatten_lin_zero(&pre);
                mpq_set_si(c, vecs[j], 1);
                if (vecs[j]) flatten_lin_add(&pre, 0, c);
                flatten_lin_add(&net.out, flatten_net_neuron(&net, &pre), w[j]);
            }
            flatten_net_poly(&got, &net, &aexp);
            vand_ok = flatten_poly_equal_upto(&got, &p, 3);
            flatten_lin_clear(&pre);
            flatten_net_clear(&net);
        }
        for (int k = 0; k < 4; k++) mpq_clear(w[k]);
        mpq_clear(c);
        flatten_poly_clear(&p);
        flatten_poly_clear(&ps);
        flatten_poly_clear(&got);
    }
    {
        char meas[256];
        snprintf(meas, sizeof meas,
                 "x^d with d+1 neurons exact d<=%d: %s; lattice search min(x^d) = d+1 for d<=6: %s; 2x^3-3x^2+x-5 with 4: %s; repeated squaring exact d<=%d: %s, <= 7 ceil(log2 d) for d<=4096: %s",
                 dmax4, yesno(uni_ok), yesno(lower4), yesno(vand_ok), dmax4, yesno(pow_exact), yesno(pow_count));
        int ok = uni_ok && lower4 && vand_ok && pow_exact && pow_count;
        results_macro_int(&mac, "FlatPowExactMax", dmax4);
        results_macro_int(&mac, "FlatPowCountMax", 4096);
        claims_emit_legacy("RT-4", ok ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, meas,
                    "m_1(x^d) = d+1; m(x^d) <= 7 ceil(log2 d)", "");
    }

    /* --- LT-14: tree counts ------------------------------------------------------------- */
    int tree_exact = 1, tree_num = 1;
    long n32 = 0;
    for (int n = 2; n <= 64; n++) {
        mpq_t l;
        mpq_init(l);
        mpq_set_ui(l, 1, 1);
        flatten_net net;
        flatten_net_init(&net, n);
        flatten_build_tree_product(&net, &aexp, n, l);
        if (n == 32) n32 = flatten_net_neurons(&net);
        fprintf(cnt.f, "tree\t%d\t%ld\t%d\t%d\n", n, flatten_net_neurons(&net), 4 * (n - 1), net.nlayer);
        flatten_net_clear(&net);
        mpq_clear(l);
    }
    for (int n = 2; n <= (quick ? 6 : 8); n++) {
        long neu;
        int ok = flatten_check_exact(FLATTEN_BUILD_TREE_PRODUCT, &aexp, n, ones, &neu);
        tree_exact &= ok;
        fprintf(tsv.f, "tree\texp\t%d\t1^%d\t%ld\t%s\n", n, n, neu, yesno(ok));
    }
    for (int n = 4; n <= 32; n *= 2)
        tree_num &= lambda_sweep(b_tree, &asoft, act_softplus, actl_softplus, n, ones, ctx->seed, 200 + n, errs,
                                 lam.f, "tree-softplus");
    results_macro_sci(&mac, "FlatTreeErrThirtyTwo", 2, errs[NLAMBDA - 1]);
    flatten_act_clear(&asoft);
    results_macro_int(&mac, "FlatTreeThirtyTwo", n32);
    results_macro_int(&mac, "FlatTreeFourN", 4 * 32);
    results_macro_int(&mac, "FlatTreePrinted", 160);
    results_macro_int(&mac, "FlatTreeN", 32);
    results_macro_str(&mac, "FlatTreeExact", tree_exact ? "agrees" : "DISAGREES");
    results_macro_int(&mac, "FlatTreeExactMax", quick ? 6 : 8);
    results_macro_int(&mac, "FlatTreeGates", 31);
    {
        char meas[256];
        snprintf(meas, sizeof meas,
                 "tree for n=32: %ld neurons (31 gates); 4n = %d, not 160; 4(n-1) for powers of 2; exact n<=%d: %s; softplus lambda->0 n<=32: %s",
                 n32, 4 * 32, quick ? 6 : 8, yesno(tree_exact), yesno(tree_num));
        int ok = n32 == 4 * 31 && tree_exact && tree_num;
        claims_emit_legacy("LT-14", ok ? (4 * 32 != 160 ? CLAIMS_ERRATUM : CLAIMS_REPRODUCED) : CLAIMS_NOT_REPRODUCED,
                    meas, "32 numbers: 4n = 160 neurons", "erratum: 4n = 128 and the tree needs 124");
    }

    /* --- RT-3: largest coefficient --------------------------------------------------------- */
    int binom_ok = 1;
    mpz_t mc, bn;
    mpz_inits(mc, bn, NULL);
    for (int n = 1; n <= 40; n++) {
        flatten_rt3_maxcoef(mc, n, ones);
        mpz_bin_uiui(bn, (unsigned long)n, (unsigned long)(n / 2));
        binom_ok &= mpz_cmp(mc, bn) == 0;
    }
    /* and against a direct count: coefficient of y^k = #{e <= r : |e| = k} */
    for (int r1 = 1; r1 <= 6; r1++)
        for (int r2 = 1; r2 <= 6; r2++) {
            int r[2] = {r1, r2};
            flatten_rt3_maxcoef(mc, 2, r);
            long best = 0;
            for (int k = 0; k <= r1 + r2; k++) {
                long c = 0;
                for (int e1 = 0; e1 <= r1; e1++) c += k - e1 >= 0 && k - e1 <= r2;
                if (c > best) best = c;
            }
            binom_ok &= mpz_cmp_si(mc, best) == 0;
        }
    mpz_clears(mc, bn, NULL);
    results_macro_int(&mac, "FlatBinomMax", 40);
    {
        char meas[256];
        snprintf(meas, sizeof meas,
                 "max coefficient = C(n, n/2) for n<=40 and = direct count for r<=(6,6): %s; sigma = x^d searches: no net below the bound: %s",
                 yesno(binom_ok), yesno(lower3));
        int ok = binom_ok && lower3;
        claims_emit_legacy("RT-3", ok ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, meas,
                    "m_1 >= max coeff of prod(1+...+y^r_i); C(n, n/2)", "a lower bound: searches find larger minima");
    }

    mpq_clear(one);
    flatten_act_clear(&aexp);
    flatten_act_clear(&agen);
    int bad = results_file_commit(&tsv) | results_file_commit(&lam) | results_file_commit(&rk) |
              results_file_commit(&srch) | results_file_commit(&cnt) | results_file_commit(&mac);
    return bad ? 1 : 0;
}

/* ---------------------------------------------------------------------------------------- */
/* flatten-rt5: RT Thm III.1 and Fig. 1                                                     */
/* ---------------------------------------------------------------------------------------- */

/* Stationarity on the constraint surface: moving log b_i up and log b_j down by
 * t keeps prod b_i = n; at a minimum no such move lowers the bound. */
static int kkt_ok(const double *b, int k)
{
    double f0 = flatten_rt5_log2_bound(b, k);
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++) {
            if (i == j) continue;
            for (int sg = -1; sg <= 1; sg += 2) {
                double c[8];
                memcpy(c, b, (size_t)k * sizeof *c);
                c[i] *= exp(sg * 1e-3);
                c[j] *= exp(-sg * 1e-3);
                if (flatten_rt5_log2_bound(c, k) < f0 - 1e-9 * fabs(f0)) return 0;
            }
        }
    return 1;
}

int exp_flatten_rt5(const exp_ctx *ctx)
{
    int steps = ctx->scale == EXP_QUICK ? 4 : 8; /* points per decade */
    results_file tsv, tab, mac;
    if (results_tsv_open(&tsv, "flatten_rt5", "n\tk\ti\tb_lagrange\tb_integer\tb_over_root") ||
        results_tsv_open(&tab, "flatten_rt5_bound",
                         "n\tk\tlog10_bound_real\tlog10_bound_integer\tlog10_asymptotic\tintegers") ||
        results_macros_open(&mac, "flatten_rt5"))
        return 1;
    int kkt = 1, int_close = 1, approach = 1, solved = 1;
    static double BL[5][64][4], NN[64];
    static int BI[5][64][4];
    double dev[5][3]; /* max_i |ln(b_i / n^(1/k))| at n = 10^2, 10^5, 10^8 */
    for (int k = 2; k <= 4; k++)
        for (int s = 0; s <= 6 * steps; s++) {
            double n = pow(10.0, 2.0 + (double)s / steps);
            double b[8];
            int bi[8];
            if (flatten_rt5_lagrange(b, k, n) != 0) {
                solved = 0;
                continue;
            }
            kkt &= kkt_ok(b, k);
            double fr = flatten_rt5_log2_bound(b, k), fi = flatten_rt5_integer(bi, k, n);
            /* the integer optimum cannot beat the real one, and rounding up the real
             * one costs at most the factor prod ceil(b)/b in each term */
            double bc[8];
            for (int i = 0; i < k; i++) bc[i] = ceil(b[i]);
            int_close &= fi >= fr - 1e-9 && fi <= flatten_rt5_log2_bound(bc, k) + 1e-9;
            double root = pow(n, 1.0 / k), d = 0;
            for (int i = 0; i < k; i++) {
                if (s < 64) {
                    BL[k][s][i] = b[i];
                    BI[k][s][i] = bi[i];
                    NN[s] = n;
                }
                if (fabs(log(b[i] / root)) > d) d = fabs(log(b[i] / root));
            }
            if (s % (3 * steps) == 0) dev[k][s / (3 * steps)] = d;
            if (s % steps == 0) {
                double asym = ((k - 1.0) / k) * log10(n) + root * log10(2.0);
                char ints[64] = "";
                for (int i = 0; i < k; i++) snprintf(ints + strlen(ints), sizeof ints - strlen(ints), "%s%d", i ? "," : "", bi[i]);
                fprintf(tab.f, "%.0f\t%d\t%.3f\t%.3f\t%.3f\t%s\n", n, k, fr * log10(2.0), fi * log10(2.0), asym, ints);
                if (s % (2 * steps) == 0) {
                    char name[64];
                    const char *kn[] = {"", "", "Two", "Three", "Four"}, *en[] = {"Two", "", "Four", "", "Six", "", "Eight"};
                    snprintf(name, sizeof name, "FlatRTBoundK%sE%s", kn[k], en[s / steps]);
                    results_macro_fix(&mac, name, 1, fr * log10(2.0));
                    snprintf(name, sizeof name, "FlatRTIntsK%sE%s", kn[k], en[s / steps]);
                    results_macro_str(&mac, name, ints);
                    snprintf(name, sizeof name, "FlatRTAsymK%sE%s", kn[k], en[s / steps]);
                    results_macro_fix(&mac, name, 1, asym);
                }
            }
        }
    /* one block per (k, i), so the figure draws each curve as one line */
    for (int k = 2; k <= 4; k++)
        for (int i = 0; i < k; i++) {
            for (int s = 0; s <= 6 * steps && s < 64; s++)
                fprintf(tsv.f, "%.6g\t%d\t%d\t%.6f\t%d\t%.6f\n", NN[s], k, i + 1, BL[k][s][i], BI[k][s][i],
                        BL[k][s][i] / pow(NN[s], 1.0 / k));
            fprintf(tsv.f, "\n");
        }
    /* "b_i -> n^(1/k)": b_i = b_1 + (i-1) log2 b_1 + ... with prod b_i = n gives
     * b_i / n^(1/k) - 1 ~ (i - (k+1)/2) delta, delta = log2(n^(1/k)) / n^(1/k) -> 0,
     * so max_i |ln(b_i / n^(1/k))| ~ (k-1)/2 delta.  Check at n = 1e8 with the
     * neglected second-order terms, relative size delta, as tolerance (2 delta),
     * and that the deviation falls from 1e5 to 1e8. */
    double pred[5];
    for (int k = 2; k <= 4; k++) {
        double root = pow(1e8, 1.0 / k), delta = log2(root) / root;
        pred[k] = 0.5 * (k - 1) * delta;
        approach &= dev[k][2] < dev[k][1] && fabs(dev[k][2] - pred[k]) <= 2 * delta * pred[k] + 1e-12;
    }
    results_macro_fix(&mac, "FlatRTPredFourHigh", 2, pred[4]);
    results_macro_fix(&mac, "FlatRTDevFourLow", 2, dev[4][0]);
    results_macro_fix(&mac, "FlatRTDevFourHigh", 2, dev[4][2]);
    results_macro_fix(&mac, "FlatRTDevTwoHigh", 3, dev[2][2]);
    char meas[256];
    snprintf(meas, sizeof meas,
             "Lagrange recursion solved and stationary for k=2..4, n=1e2..1e8: %s; exhaustive integer optimum within rounding: %s; max|ln(b_i/n^(1/k))| falls 1e5->1e8 and equals (k-1)/2 log2(n^(1/k))/n^(1/k) at 1e8: %s (k=4: %.3f at 1e2, %.3f at 1e8)",
             yesno(solved && kkt), yesno(int_close), yesno(approach), dev[4][0], dev[4][2]);
    claims_emit_legacy("RT-5", solved && kkt && int_close && approach ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, meas,
                "b_i ~ n^(1/k); Conjecture III.2 stays a conjecture", "Conjecture III.2 (2^Theta(n^(1/k))) is not checked: it is open");
    return results_file_commit(&tsv) | results_file_commit(&tab) | results_file_commit(&mac) ? 1 : 0;
}

/* ---------------------------------------------------------------------------------------- */
/* flatten-linear: LT-15                                                                    */
/* ---------------------------------------------------------------------------------------- */

/* Wilson-Hilferty upper quantile of chi^2_k at standard normal quantile z. */
static double chi2_quantile(int k, double z)
{
    double h = 2.0 / (9.0 * k);
    return k * pow(1 - h + z * sqrt(h), 3);
}

int exp_flatten_linear(const exp_ctx *ctx)
{
    int quick = ctx->scale == EXP_QUICK;
    results_file bt, sp, lr, mac;
    if (results_tsv_open(&bt, "flatten_butterfly", "n\twht_synapses\tfft_synapses\tdense\tnlog2n\tfft_maxerr\tCs") ||
        results_tsv_open(&sp, "flatten_sparse",
                         "n\tp\ttrials\tfill_mean\tfill_se\teq27\tz\tCs_mean\tCs_se\tCs_eq27\tCs_cap") ||
        results_tsv_open(&lr, "flatten_lowrank", "n\tk\trank\tdense_nnz\tfactor_nnz\tCs\tn_over_2k") ||
        results_macros_open(&mac, "flatten_linear"))
        return 1;
    /* butterflies */
    int bfly = 1;
    for (int n = 2; n <= 1024; n *= 2) {
        int lg = 0;
        while ((1 << lg) < n) lg++;
        long w = flatten_wht_synapses(n);
        double err = 0;
        long f = n <= 256 ? flatten_fft_synapses(n, &err) : 2L * n * lg;
        bfly &= w == 2L * n * lg && f == 2L * n * lg && err < 64 * lg * DBL_EPSILON * 4;
        fprintf(bt.f, "%d\t%ld\t%ld\t%ld\t%ld\t%.3g\t%.4f\n", n, w, f, (long)n * n, (long)n * lg, err,
                (double)n * n / (double)w);
        if (n == 1024) {
            results_macro_int(&mac, "FlatWHTSynapsesK", w);
            results_macro_fix(&mac, "FlatWHTCsK", 1, (double)n * n / (double)w);
        }
    }
    /* low rank: an n x n matrix of rank k as (n x k)(k x n): 2nk synapses vs n^2 */
    int lowrank = 1;
    {
        int n = 64;
        for (int k = 1; k <= 16; k *= 2) {
            rng_stream r;
            rng_init(&r, ctx->seed, 300 + k, 0);
            int *U = malloc((size_t)n * k * sizeof *U), *V = malloc((size_t)k * n * sizeof *V);
            for (int i = 0; i < n * k; i++) U[i] = (int)rng_below(&r, 7) - 3;
            for (int i = 0; i < n * k; i++) V[i] = (int)rng_below(&r, 7) - 3;
            int *M = calloc((size_t)n * n, sizeof *M);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int t = 0; t < k; t++) M[i * n + j] += U[i * k + t] * V[t * n + j];
            /* the product has rank exactly k (FLINT, exact) and is dense, so the flat
             * net needs its n^2 non-zeros while the factored one has at most 2nk */
            fmpz_mat_t Z;
            fmpz_mat_init(Z, n, n);
            long nnz = 0, dense = 0;
            for (int i = 0; i < n * n; i++) {
                fmpz_set_si(Z->entries + i, M[i]);
                dense += M[i] != 0;
            }
            for (int i = 0; i < n * k; i++) nnz += (U[i] != 0) + (V[i] != 0);
            long rank = fmpz_mat_rank(Z);
            fmpz_mat_clear(Z);
            lowrank &= rank == k && nnz <= 2L * n * k;
            fprintf(lr.f, "%d\t%d\t%ld\t%ld\t%ld\t%.4f\t%.4f\n", n, k, rank, dense, nnz, (double)dense / nnz,
                    (double)n / (2 * k));
            free(U);
            free(V);
            free(M);
        }
        results_macro_int(&mac, "FlatLowRankN", n);
    }
    /* sparse products vs LT Eq. 27 */
    int ns[] = {32, 64, 128, 256};
    double ps[] = {0.01, 0.03, 0.1, 0.2};
    int trials = quick ? 24 : 96, cells = 0;
    double chi2 = 0, maxz = 0;
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 4; b++) {
            int n = ns[a];
            double p = ps[b], *fill = malloc((size_t)trials * sizeof *fill);
            int cell = a * 4 + b;
#pragma omp parallel for schedule(dynamic, 1)
            for (int t = 0; t < trials; t++) fill[t] = flatten_sparse_fill(n, p, ctx->seed, 400 + cell, (uint32_t)t);
            double m = 0, v = 0;
            for (int t = 0; t < trials; t++) m += fill[t];
            m /= trials;
            for (int t = 0; t < trials; t++) v += (fill[t] - m) * (fill[t] - m);
            double se = sqrt(v / (trials - 1) / trials), ex = flatten_eq27_fill(n, p);
            double z = se > 0 ? (m - ex) / se : 0;
            chi2 += z * z;
            cells++;
            if (fabs(z) > maxz) maxz = fabs(z);
            fprintf(sp.f, "%d\t%g\t%d\t%.6g\t%.3g\t%.6g\t%.3f\t%.6g\t%.3g\t%.6g\t%.6g\n", n, p, trials, m, se, ex, z,
                    m / (2 * p), se / (2 * p), ex / (2 * p), 1 / (2 * p));
            free(fill);
        }
    double q = chi2_quantile(cells, 3.09); /* 99.9% */
    int eq27 = chi2 <= q;
    results_macro_int(&mac, "FlatSparseTrials", trials);
    results_macro_int(&mac, "FlatSparseCells", cells);
    results_macro_fix(&mac, "FlatSparseChi", 1, chi2);
    results_macro_fix(&mac, "FlatSparseChiQ", 1, q);
    results_macro_fix(&mac, "FlatSparseMaxZ", 2, maxz);
    char meas[320];
    snprintf(meas, sizeof meas,
             "WHT/FFT factors: 2 n log2 n non-zero weights, exact product (n<=1024): %s; low rank 2nk vs n^2, C_s = n/(2k): %s; sparse fill vs Eq. 27: chi2 = %.1f on %d cells (99.9%% quantile %.1f)",
             yesno(bfly), yesno(lowrank), chi2, cells, q);
    claims_verdict v = !bfly || !lowrank ? CLAIMS_NOT_REPRODUCED : eq27 ? CLAIMS_ERRATUM : CLAIMS_PARTLY;
    claims_emit_legacy("LT-15", v, meas, "n log2 n vs n^2; C_s = n/(2k); Eq. 27; Strassen/Le Gall cited",
                "erratum: low-rank factor shapes printed swapped; butterflies have 2 weights per output: 2 n log2 n");
    return results_file_commit(&bt) | results_file_commit(&sp) | results_file_commit(&lr) | results_file_commit(&mac) ? 1 : 0;
}

/* ---------------------------------------------------------------------------------------- */
/* bench-flatten-search: search throughput vs the naive peer                               */
/* ---------------------------------------------------------------------------------------- */

int exp_bench_flatten_search(const exp_ctx *ctx)
{
    results_file tsv, mac;
    /* full: prod of 3 on {-1,0,1}^3 (min 8); quick: x^2 y on {-2..2}^2 (min 6) */
    int full = ctx->scale == EXP_FULL, n = full ? 3 : 2, L = full ? 1 : 2, mmax = full ? 8 : 6;
    int ex[3] = {full ? 1 : 2, 1, 1};
    if (results_tsv_open(&tsv, "bench_flatten_search",
                         "method\tthreads\tmin_neurons\tnets\tseconds\tnets_per_s\tratio") ||
        results_macros_open(&mac, "bench_flatten_search"))
        return 1;
    flatten_poly want;
    flatten_poly_init(&want, n, 3);
    flatten_poly_monomial(&want, ex);
    flatten_search_problem pr;
    if (flatten_search_init(&pr, n, 3, FLATTEN_MODE_GENERIC, L, &want) != 0) return 1;
    flatten_search_result fast, one, naive;
    flatten_search_run(&fast, &pr, mmax);
    int th = omp_get_max_threads();
    omp_set_num_threads(1);
    flatten_search_run(&one, &pr, mmax);
    flatten_search_naive(&naive, &pr, mmax);
    omp_set_num_threads(th);
    double ratio = naive.seconds / fast.seconds;
    fprintf(tsv.f, "pruned\t%d\t%d\t%llu\t%.4f\t%.4g\t%.3f\n", th, fast.min, (unsigned long long)fast.nets, fast.seconds,
            fast.nets / fast.seconds, ratio);
    fprintf(tsv.f, "pruned\t1\t%d\t%llu\t%.4f\t%.4g\t%.3f\n", one.min, (unsigned long long)one.nets, one.seconds,
            one.nets / one.seconds, naive.seconds / one.seconds);
    fprintf(tsv.f, "naive\t1\t%d\t%llu\t%.4f\t%.4g\t1\n", naive.min, (unsigned long long)naive.nets, naive.seconds,
            naive.nets / naive.seconds);
    results_macro_int(&mac, "FlatBenchThreads", th);
    results_macro_str(&mac, "FlatBenchProblem", full ? "$x_1x_2x_3$ on $\\{-1,0,1\\}^3$" : "$x^2y$ on $\\{-2,\\dots,2\\}^2$");
    results_macro_int(&mac, "FlatBenchMin", fast.min);
    results_macro_num(&mac, "FlatBenchRate", 3, fast.nets / fast.seconds);
    results_macro_num(&mac, "FlatBenchRateOne", 3, one.nets / one.seconds);
    results_macro_num(&mac, "FlatBenchRateNaive", 3, naive.nets / naive.seconds);
    results_macro_int(&mac, "FlatBenchNets", (long long)fast.nets);
    results_macro_int(&mac, "FlatBenchNetsNaive", (long long)naive.nets);
    results_macro_fix(&mac, "FlatBenchSeconds", 2, fast.seconds);
    results_macro_fix(&mac, "FlatBenchSecondsOne", 2, one.seconds);
    results_macro_fix(&mac, "FlatBenchSecondsNaive", 2, naive.seconds);
    results_macro_fix(&mac, "FlatBenchRatio", 1, ratio);
    results_macro_fix(&mac, "FlatBenchRatioOne", 1, naive.seconds / one.seconds);
    results_macro_str(&mac, "FlatBenchAgree", fast.min == naive.min && one.min == fast.min && one.nets == fast.nets ? "agree" : "DISAGREE");
    flatten_search_clear(&pr);
    flatten_poly_clear(&want);
    return results_file_commit(&tsv) | results_file_commit(&mac) ? 1 : 0;
}

EXP_LEGACY(exp_flatten_exact, 0);

EXP_LEGACY(exp_flatten_rt5, 0);

EXP_LEGACY(exp_flatten_linear, 0);

EXP_LEGACY(exp_bench_flatten_search, EXP_BENCH);
