/* Chapter 5, experiment `hierarchy`: sufficient statistics and
 * renormalization, all exact or certified.
 * LT-16 (sufficient statistics of Markov chains compose), LT-17 (data
 * processing inequality), LT-18 (block-averaged Gaussian field), MS-1
 * (decimation and the trace condition), LT-19 (LT's early counterexample).
 *
 * The grid, in cell order: the LT-16 chains, the LT-17 joints, the MS-1
 * decimations (one cell per coupling) and RBMs, the MS-1 trace sums, the
 * LT-18 tables and the LT-19 cases.  Each part keeps its own RNG stream
 * number (16, 17, 18) and its part-local index, so a cell's result does not
 * depend on where its part starts.  Reduce writes the data files and the
 * macros; the five verdicts are pure functions of the data files (vd_lt16 ..
 * vd_lt19 at the end, registered in verdicts.def). */
#include "claims.h"
#include "experiments.h"
#include "rgflow.h"
#include "suffstat.h"
#include "verdicts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the grid ------------------------------------------------------------------- */
enum { PART_CHAIN, PART_DPI, PART_DEC, PART_RBM, PART_TRACE, PART_LT18, PART_LT19, NPART };

typedef struct {
    int nrand, ntag;     /* LT-16 random and tagged chains */
    int ndpi;            /* LT-17 joint distributions */
    int nmax;            /* MS-1: longest decimated chain */
    int nrbm;            /* MS-1: random RBMs */
    int first[NPART + 1];/* first cell of each part */
} hier_grid;

static const unsigned long dec_pq[6][2] = {{1, 2}, {2, 3}, {3, 7}, {9, 10}, {1, 100}, {99, 100}};

static hier_grid grid(const exp_ctx *ctx)
{
    int full = ctx->scale == EXP_FULL;
    hier_grid g = {full ? 20000 : 300, full ? 2000 : 40, full ? 40000 : 400, full ? 20 : 14, full ? 2000 : 40, {0}};
    int size[NPART] = {g.nrand + g.ntag, g.ndpi, 6, g.nrbm, 1, 1, 1};
    for (int p = 0; p < NPART; p++) g.first[p + 1] = g.first[p] + size[p];
    return g;
}

/* The part of cell c and its index within the part. */
static int part_of(const hier_grid *g, int c, int *i)
{
    int p = 0;
    while (c >= g->first[p + 1]) p++;
    *i = c - g->first[p];
    return p;
}

static int hier_ncells(const exp_ctx *ctx) { return grid(ctx).first[NPART]; }

/* --- LT-16 cells: one chain each ------------------------------------------------------ */
typedef struct {
    int tagged, n, kn, S, cls[SUFF_MAXLEV + 1];
    int composes, nontrivial, known_ok;
} chain_cell;

/* Cell c: random chains first, then tagged ones (known merges). */
static void chain_run(chain_cell *o, uint64_t seed, int c, int nrand)
{
    rng_stream r;
    rng_init(&r, seed, (uint32_t)c, 16);
    suff_chain ch;
    memset(o, 0, sizeof *o);
    o->tagged = c >= nrand;
    if (o->tagged) {
        o->n = 2 + (int)rng_below(&r, 3), o->S = 3 + (int)rng_below(&r, 2);
        suff_chain_tagged(&ch, &r, o->n, o->S, 2);
    } else {
        int k[SUFF_MAXLEV + 1];
        o->n = 2 + (int)rng_below(&r, 4);
        for (int j = 0; j <= o->n; j++) k[j] = 2 + (int)rng_below(&r, 4);
        suff_chain_random(&ch, &r, o->n, k);
    }
    o->kn = ch.k[o->n];
    int *lab = malloc((size_t)(o->n + 1) * o->kn * sizeof *lab);
    o->composes = 1, o->known_ok = 1;
    for (int i = 0; i <= o->n; i++) {
        o->cls[i] = suff_partition(lab + (size_t)i * o->kn, &ch, i);
        if (i < o->n && o->cls[i] < o->kn) o->nontrivial = 1;
        if (o->tagged && o->cls[i] != suff_tagged_classes(o->n, o->S, 2, i)) o->known_ok = 0;
    }
    for (int i = 0; i < o->n; i++) /* T_i = f_i(T_{i+1}) */
        o->composes &= suff_refines(lab + (size_t)(i + 1) * o->kn, lab + (size_t)i * o->kn, o->kn);
    free(lab);
    suff_chain_clear(&ch);
}

static void chain_put(cellio_out *out, const chain_cell *o)
{
    int v[7] = {o->tagged, o->n, o->kn, o->S, o->composes, o->nontrivial, o->known_ok};
    cellio_put_ints(out, v, 7);
    cellio_put_ints(out, o->cls, (size_t)o->n + 1);
}

static void chain_get(cellio_in *in, chain_cell *o)
{
    int v[7];
    memset(o, 0, sizeof *o);
    cellio_get_ints(in, v, 7);
    o->tagged = v[0], o->n = v[1], o->kn = v[2], o->S = v[3], o->composes = v[4], o->nontrivial = v[5];
    o->known_ok = v[6];
    if (o->n < 0 || o->n > SUFF_MAXLEV) in->failed = 1;
    else cellio_get_ints(in, o->cls, (size_t)o->n + 1);
}

/* --- LT-17 cells: one joint distribution each ------------------------------------------ */
typedef struct {
    int family, nx, ny, nz, exact_suff, claim_false_caught;
    suff_dpi_result d;
} dpi_cell;

static void dpi_run(dpi_cell *o, uint64_t seed, int c)
{
    rng_stream r;
    rng_init(&r, seed, (uint32_t)c, 17);
    o->family = c % 2; /* 1: sufficient by construction */
    o->nx = 2 + (int)rng_below(&r, 3), o->ny = 3 + (int)rng_below(&r, 5);
    o->nz = 2 + (int)rng_below(&r, (uint64_t)(o->ny - 2));
    int f[8];
    for (int y = 0; y < o->ny; y++) f[y] = y < o->nz ? y : (int)rng_below(&r, (uint64_t)o->nz);
    suff_joint J;
    if (o->family) suff_joint_sufficient(&J, &r, o->nx, o->ny, f, o->nz);
    else suff_joint_random(&J, &r, o->nx, o->ny);
    o->exact_suff = suff_is_sufficient(&J, f, o->nz);
    suff_dpi(&o->d, &J, f, o->nz, 128);
    /* negative control: claim every f sufficient; the check must reject the false claims */
    o->claim_false_caught = o->exact_suff ? 1 : !suff_dpi_check(&J, f, o->nz, 1, 128);
    suff_joint_clear(&J);
}

static void dpi_put(cellio_out *out, const dpi_cell *o)
{
    int v[8] = {o->family, o->nx, o->ny, o->nz, o->exact_suff, o->claim_false_caught, (int)o->d.kind, o->d.identity_ok};
    double x[3] = {o->d.ixy, o->d.ixf, o->d.diff_lo};
    cellio_put_ints(out, v, 8);
    cellio_put_f64s(out, x, 3);
}

static void dpi_get(cellio_in *in, dpi_cell *o)
{
    int v[8];
    double x[3];
    memset(o, 0, sizeof *o);
    cellio_get_ints(in, v, 8);
    cellio_get_f64s(in, x, 3);
    o->family = v[0], o->nx = v[1], o->ny = v[2], o->nz = v[3], o->exact_suff = v[4];
    o->claim_false_caught = v[5], o->d.kind = v[6], o->d.identity_ok = v[7];
    o->d.ixy = x[0], o->d.ixf = x[1], o->d.diff_lo = x[2];
    if (v[6] < SUFF_EQUAL || v[6] > SUFF_UNDECIDED) in->failed = 1;
}

/* --- MS-1 cells -------------------------------------------------------------------------- */
/* One coupling tanh J = p/q: exact decimation of chains of 3..nmax spins. */
static void dec_run(cellio_out *out, const hier_grid *g, int k)
{
    unsigned long p = dec_pq[k][0], q = dec_pq[k][1];
    long mc = 0, checks = 0;
    for (int n = 3; n <= g->nmax; n++) {
        mc += rg_decimate_check(n, n % 2 == 0, p, q, p * p, q * q);
        checks++;
    }
    long wc = rg_decimate_check(8, 1, p, q, p, q); /* the unchanged coupling must fail */
    int64_t v[3] = {mc, checks, wc};
    cellio_put_i64s(out, v, 3);
}

/* One random RBM, exact and perturbed (the perturbation must be caught). */
static void rbm_run(cellio_out *out, uint64_t seed, int c)
{
    rng_stream r;
    int nv = 3 + c % 4, nh = 2 + c % 3;
    rg_ms_result a, b;
    rng_init(&r, seed, (uint32_t)c, 18);
    rg_ms_rbm(&a, &r, nv, nh, 0);
    rng_init(&r, seed, (uint32_t)c, 18);
    rg_ms_rbm(&b, &r, nv, nh, 1);
    int v[2] = {a.trace_bad != 0 || a.hrg_bad != 0 || !a.z_equal, b.trace_bad > 0 && !b.z_equal};
    cellio_put_ints(out, v, 2);
}

/* The decimation trace for chains of TRACE_N0..TRACE_N1 spins: the v with Tr_h e^T != 1. */
enum { TRACE_N0 = 3, TRACE_N1 = 14, TRACE_COUNT = TRACE_N1 - TRACE_N0 + 1 };

static void trace_run(cellio_out *out)
{
    int64_t bad[TRACE_COUNT];
    for (int n = TRACE_N0; n <= TRACE_N1; n++) bad[n - TRACE_N0] = rg_decimate_trace(n, n % 2 == 0);
    cellio_put_i64s(out, bad, TRACE_COUNT);
}

/* --- LT-18 cell: the exact block-averaging map --------------------------------------------- */
/* The rule's tolerances.  Jacobian entries: central differences, step 2^-60 in 256-bit balls
 * (truncation ~2^-120) rounded to double: 1e-12 is far above both.  The two routes to the
 * block kernel (alias sum; real-space Cholesky inversions of a 144 x 144 precision matrix of
 * condition number up to ~1e3, twice): agreement within cond^2 x 1e-16 ~ 1e-10, so 1e-9. */
#define LT18_EXP_TOL 1e-12
#define LT18_ROUTES_TOL 1e-9
/* A midpoint compared with a value: the ball radius plus a few ulps of the value. */
#define LT18_ULPS 4e-16

/* The cell hands its four tables over as text rows (exact values printed
 * once, here) and the numbers the macros and the verdict need. */
typedef struct {
    double worst_exp2, worst_expd, worst_upper, j10b2, j20b2, j21b2, ex_y2p, rs_diff;
    int lit_fail[3], corr_fail, ncorr, rs_failed;
} lt18_sum;

static void lt18_put(cellio_out *out, const lt18_sum *s)
{
    double x[8] = {s->worst_exp2, s->worst_expd, s->worst_upper, s->j10b2, s->j20b2, s->j21b2, s->ex_y2p, s->rs_diff};
    int v[6] = {s->lit_fail[0], s->lit_fail[1], s->lit_fail[2], s->corr_fail, s->ncorr, s->rs_failed};
    cellio_put_f64s(out, x, 8);
    cellio_put_ints(out, v, 6);
}

static void lt18_get(cellio_in *in, lt18_sum *s)
{
    double x[8];
    int v[6];
    cellio_get_f64s(in, x, 8);
    cellio_get_ints(in, v, 6);
    s->worst_exp2 = x[0], s->worst_expd = x[1], s->worst_upper = x[2], s->j10b2 = x[3], s->j20b2 = x[4];
    s->j21b2 = x[5], s->ex_y2p = x[6], s->rs_diff = x[7];
    memcpy(s->lit_fail, v, sizeof s->lit_fail);
    s->corr_fail = v[3], s->ncorr = v[4], s->rs_failed = v[5];
}

/* Jacobian of the map at the fixed line, for d = 1..3, b = 2..4. */
static void lt18_jacobian(FILE *f, lt18_sum *s)
{
    for (int d = 1; d <= 3; d++)
        for (int b = 2; b <= 4; b++) {
            double J[3][3], y[3] = {0, 1, 1.0 / 6}, e[3], up;
            rg_block_jacobian(J, y, b, d);
            up = fmax(fabs(J[0][1]), fmax(fabs(J[0][2]), fabs(J[1][2])));
            for (int i = 0; i < 3; i++) {
                e[i] = log(J[i][i]) / log(b);
                s->worst_expd = fmax(s->worst_expd, fabs(e[i] - (d - 2 * i)));
                if (d == 2) s->worst_exp2 = fmax(s->worst_exp2, fabs(e[i] - (2 - 2 * i)));
            }
            s->worst_upper = fmax(s->worst_upper, up);
            if (d == 2 && b == 2) s->j10b2 = J[1][0], s->j20b2 = J[2][0], s->j21b2 = J[2][1];
            fprintf(f, "%d\t%d\t%.15g\t%.15g\t%.15g\t%.15g\t%.15g\t%.15g\t%.3e\t%.12f\t%.12f\t%.12f\n", d, b, J[0][0], J[1][1],
                    J[2][2], J[1][0], J[2][0], J[2][1], up, e[0], e[1], e[2]);
        }
}

/* The literal map y_i' = b^(2-2i) y_i at d = 2, and the corrected one, on sample couplings. */
static void lt18_literal(FILE *f, lt18_sum *s)
{
    static const double ys[5][3] = {{0, 1, 0}, {0, 1, 0.5}, {0, 2, 1.0 / 3}, {0.3, 1, 0}, {0.01, 2, 0.1}};
    for (int b = 2; b <= 4; b++)
        for (int k = 0; k < 5; k++) {
            double o[3], rad[3], pr[3], corr;
            rg_block_couplings_d(o, rad, ys[k], b, 2);
            for (int i = 0; i < 3; i++) {
                pr[i] = pow(b, 2 - 2 * i) * ys[k][i];
                /* ball radius plus the double rounding of the midpoint */
                s->lit_fail[i] += fabs(o[i] - pr[i]) > rad[i] + LT18_ULPS * fmax(1, fabs(pr[i]));
            }
            /* corrected: on y0 = 0, y1' = y1 and y2' - y1'/6 = b^-2 (y2 - y1/6) */
            corr = ys[k][1] / 6 + (ys[k][2] - ys[k][1] / 6) / (b * b);
            if (ys[k][0] == 0) {
                s->ncorr++;
                s->corr_fail += fabs(o[2] - corr) > rad[2] + LT18_ULPS * fmax(1, fabs(corr)) ||
                                fabs(o[1] - ys[k][1]) > rad[1] + LT18_ULPS;
            }
            if (b == 2 && k == 0) s->ex_y2p = o[2];
            fprintf(f, "%d\t%g\t%g\t%.6g\t%.15g\t%.15g\t%.15g\t%.15g\t%.15g\t%.15g\t%.15g", b, ys[k][0], ys[k][1],
                    ys[k][2], o[0], o[1], o[2], pr[0], pr[1], pr[2], ys[k][0] == 0 ? corr : NAN);
            /* what the verdict reads: couplings and midpoints to the last bit, ball radii */
            fprintf(f, "\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\n", ys[k][0], ys[k][1],
                    ys[k][2], o[0], o[1], o[2], rad[0], rad[1], rad[2]);
        }
}

/* Coupling flow: blocking b = 2 n times equals one block of side B = 2^n (averages compose). */
static void lt18_flow(FILE *f)
{
    static const double y0s[2][3] = {{0, 1, 0}, {1e-4, 1, 0}};
    for (int fl = 0; fl < 2; fl++)
        for (int n = 0; n <= 7; n++) {
            int B = 1 << n;
            double o[3], rad[3];
            if (B == 1) memcpy(o, y0s[fl], sizeof o);
            else rg_block_couplings_d(o, rad, y0s[fl], B, 2);
            fprintf(f, "%s\t%d\t%.15g\t%.15g\t%.15g\t%.15g\t%.15g\t%.15g\n", fl ? "massive" : "massless", B, o[0], o[1], o[2],
                    o[2] - o[1] / 6, y0s[fl][0] * B * B, (y0s[fl][2] - y0s[fl][1] / 6) / ((double)B * B));
        }
}

/* Independent route: real-space inversion on a 12 x 12 lattice vs the alias sum, one
 * row per couplings and b (largest relative difference over the coarse momenta). */
static void lt18_realspace(FILE *f, lt18_sum *s)
{
    static const double yr[2][3] = {{0.5, 1.0, 0.2}, {0.05, 2.0, 0.6}};
    for (int k = 0; k < 2; k++)
        for (int b = 2; b <= 3; b++) {
            double Kq[36], diff = 0;
            int Lc = 12 / b, bad = rg_block_realspace(Kq, yr[k], 12, b) != 0;
            if (bad) s->rs_failed = 1, diff = NAN;
            for (int a = 0; !bad && a < Lc * Lc; a++) {
                double q[2] = {2 * M_PI * (a / Lc) / Lc, 2 * M_PI * (a % Lc) / Lc};
                diff = fmax(diff, fabs(rg_block_kernel(yr[k], b, q) - Kq[a]) / fmax(1.0, fabs(Kq[a])));
            }
            s->rs_diff = fmax(s->rs_diff, diff);
            fprintf(f, "%g\t%g\t%g\t12\t%d\t%.3e\n", yr[k][0], yr[k][1], yr[k][2], b, diff);
        }
}

/* The three tables as printed rows (cellio_put_printed takes void * arguments). */
static void print_jacobian(FILE *f, void *s) { lt18_jacobian(f, s); }
static void print_literal(FILE *f, void *s) { lt18_literal(f, s); }
static void print_flow(FILE *f, void *s) { (void)s, lt18_flow(f); }
static void print_realspace(FILE *f, void *s) { lt18_realspace(f, s); }

static int lt18_run(cellio_out *out)
{
    lt18_sum s;
    memset(&s, 0, sizeof s);
    if (cellio_put_printed(out, print_jacobian, &s) || cellio_put_printed(out, print_literal, &s) ||
        cellio_put_printed(out, print_flow, NULL) || cellio_put_printed(out, print_realspace, &s))
        return -1;
    lt18_put(out, &s);
    return 0;
}

/* --- LT-19 cell: LT's counterexample, six cases ------------------------------------------ */
static const unsigned long lt19_cases[6][5] = {/* n, p, q, kn, kd */
                                               {4, 1, 3, 2, 1}, {4, 1, 2, 1, 3}, {6, 2, 5, 3, 2},
                                               {6, 1, 3, 7, 4}, {4, 1, 3, 1, 1}, {6, 2, 5, 4, 4}};

static void lt19_run(cellio_out *out)
{
    for (int c = 0; c < 6; c++) {
        rg_lt19_result o;
        const unsigned long *k = lt19_cases[c];
        rg_lt19(&o, (int)k[0], k[1], k[2], k[3], k[4]);
        int64_t v[7] = {o.z_kept, o.hrg_equal, o.marginal_changed, o.hidden_changed, o.trace_violated, o.identity_bad, 0};
        double x[3] = {o.trace_min, o.trace_max, o.kl};
        cellio_put_i64s(out, v, 7);
        cellio_put_f64s(out, x, 3);
    }
}

static void lt19_get(cellio_in *in, rg_lt19_result *o)
{
    int64_t v[7];
    double x[3];
    cellio_get_i64s(in, v, 7);
    cellio_get_f64s(in, x, 3);
    memset(o, 0, sizeof *o);
    o->z_kept = (int)v[0], o->hrg_equal = (int)v[1], o->marginal_changed = v[2], o->hidden_changed = v[3];
    o->trace_violated = v[4], o->identity_bad = v[5];
    o->trace_min = x[0], o->trace_max = x[1], o->kl = x[2];
}

static int hier_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    hier_grid g = grid(ctx);
    int i;
    switch (part_of(&g, c, &i)) {
    case PART_CHAIN: {
        chain_cell o;
        chain_run(&o, ctx->seed, i, g.nrand);
        chain_put(out, &o);
        return 0;
    }
    case PART_DPI: {
        dpi_cell o;
        dpi_run(&o, ctx->seed, i);
        dpi_put(out, &o);
        return 0;
    }
    case PART_DEC: dec_run(out, &g, i); return 0;
    case PART_RBM: rbm_run(out, ctx->seed, i); return 0;
    case PART_TRACE: trace_run(out); return 0;
    case PART_LT18: return lt18_run(out);
    case PART_LT19: lt19_run(out); return 0;
    }
    return -1;
}

/* --- reduce: one function per claim (data files and macros; the verdicts are below) ------- */

static int reduce_lt16(const hier_grid *g, cellio_in *in, run_set *set)
{
    int N = g->nrand + g->ntag;
    binio_file f;
    if (run_tsv_open(&f, set, "hierarchy_chains", "cell\tkind\tn\tk_n\tclasses\tnontrivial\tcomposes\tknown_ok") != 0)
        return -1;
    int fail = 0, known_bad = 0, nontriv[2] = {0, 0}, trivial_rand = 0, maxkn = 0;
    for (int c = 0; c < N; c++) {
        chain_cell o;
        chain_get(&in[g->first[PART_CHAIN] + c], &o);
        char buf[128] = "";
        for (int i = 0; i <= o.n; i++) snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%d", i ? "," : "", o.cls[i]);
        fprintf(f.f, "%d\t%s\t%d\t%d\t%s\t%d\t%d\t%d\n", c, o.tagged ? "tagged" : "random", o.n, o.kn, buf, o.nontrivial,
                o.composes, o.known_ok);
        fail += !o.composes, known_bad += !o.known_ok, nontriv[o.tagged != 0] += o.nontrivial;
        trivial_rand += !o.tagged && !o.nontrivial;
        maxkn = o.kn > maxkn ? o.kn : maxkn;
    }
    if (run_close(set, &f) != 0) return -1;
    const texmac m[] = {
        TEXMAC_I("HierChainsRandom", g->nrand),       TEXMAC_I("HierChainsTagged", g->ntag),
        TEXMAC_I("HierChainsTrivial", trivial_rand),  TEXMAC_I("HierChainsRandomNontrivial", nontriv[0]),
        TEXMAC_I("HierChainsTaggedNontrivial", nontriv[1]), TEXMAC_I("HierChainsFail", fail),
        TEXMAC_I("HierChainsKnownBad", known_bad),    TEXMAC_I("HierChainsMaxStates", maxkn),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

static int reduce_lt17(const hier_grid *g, cellio_in *in, run_set *set)
{
    int N = g->ndpi;
    binio_file f;
    if (run_tsv_open(&f, set, "hierarchy_dpi",
                     "cell\tfamily\tnx\tny\tnz\tIxy\tIxf\tdiff_lo\texact_sufficient\tball_verdict\tidentity_ok\t"
                     "false_claim_caught") != 0)
        return -1;
    static const char *kn[3] = {"equal", "strict", "undecided"};
    int disagree = 0, undecided = 0, ident_bad = 0, nsuff = 0, nstrict = 0, caught = 0, nfalse = 0;
    double min_strict = INFINITY;
    for (int c = 0; c < N; c++) {
        dpi_cell o;
        dpi_get(&in[g->first[PART_DPI] + c], &o);
        fprintf(f.f, "%d\t%s\t%d\t%d\t%d\t%.12e\t%.12e\t%.6e\t%d\t%s\t%d\t%d\n", c, o.family ? "sufficient" : "random", o.nx,
                o.ny, o.nz, o.d.ixy, o.d.ixf, o.d.diff_lo, o.exact_suff, kn[o.d.kind], o.d.identity_ok,
                o.claim_false_caught);
        undecided += o.d.kind == SUFF_UNDECIDED;
        disagree += o.d.kind != SUFF_UNDECIDED && (o.d.kind == SUFF_EQUAL) != o.exact_suff;
        ident_bad += !o.d.identity_ok;
        nsuff += o.exact_suff, nstrict += o.d.kind == SUFF_STRICT;
        if (o.d.kind == SUFF_STRICT && o.d.ixy - o.d.ixf < min_strict) min_strict = o.d.ixy - o.d.ixf;
        nfalse += !o.exact_suff, caught += !o.exact_suff && o.claim_false_caught;
    }
    if (run_close(set, &f) != 0) return -1;
    const texmac m[] = {
        TEXMAC_I("HierDpiCases", N),          TEXMAC_I("HierDpiSufficient", nsuff),
        TEXMAC_I("HierDpiStrict", nstrict),   TEXMAC_I("HierDpiUndecided", undecided),
        TEXMAC_I("HierDpiDisagree", disagree), TEXMAC_I("HierDpiIdentityBad", ident_bad),
        TEXMAC_I("HierDpiFalseClaims", nfalse), TEXMAC_I("HierDpiFalseCaught", caught),
        TEXMAC_E("HierDpiMinGap", 2, min_strict),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* Writes one table handed over as text by a cell. */
static int table_from_cell(run_set *set, cellio_in *in, const char *name, const char *columns)
{
    char *rows = cellio_get_text(in);
    int rc = run_tsv_write(set, name, columns, rows);
    free(rows);
    return rc;
}

static int reduce_lt18(const hier_grid *g, cellio_in *in, run_set *set)
{
    cellio_in *c = &in[g->first[PART_LT18]];
    if (table_from_cell(set, c, "hierarchy_jacobian", "d\tb\tJ00\tJ11\tJ22\tJ10\tJ20\tJ21\tupper_max\texp0\texp1\texp2") ||
        table_from_cell(set, c, "hierarchy_literal",
                        "b\ty0\ty1\ty2\ty0p\ty1p\ty2p\tprinted0\tprinted1\tprinted2\tcorrected2\t"
                        "y0_full\ty1_full\ty2_full\ty0p_full\ty1p_full\ty2p_full\trad0\trad1\trad2") ||
        table_from_cell(set, c, "hierarchy_flow", "flow\tB\ty0\ty1\ty2\tdy2\ty0_theory\tdy2_theory") ||
        table_from_cell(set, c, "hierarchy_realspace", "y0\ty1\ty2\tL\tb\tmax_rel_diff"))
        return -1;
    lt18_sum s;
    lt18_get(c, &s);
    const texmac m[] = {
        TEXMAC_E("HierRealspaceDiff", 1, s.rs_diff), TEXMAC_N("HierExpDevTwo", 2, s.worst_exp2),
        TEXMAC_N("HierExpDevD", 2, s.worst_expd),    TEXMAC_N("HierUpperMax", 2, s.worst_upper),
        TEXMAC_F("HierMixTen", 6, s.j10b2),          TEXMAC_F("HierMixTwenty", 6, s.j20b2),
        TEXMAC_F("HierMixTwentyOne", 6, s.j21b2),    TEXMAC_F("HierExYTwo", 6, s.ex_y2p),
        TEXMAC_I("HierLitFailZero", s.lit_fail[0]),  TEXMAC_I("HierLitFailOne", s.lit_fail[1]),
        TEXMAC_I("HierLitFailTwo", s.lit_fail[2]),   TEXMAC_I("HierLitCases", 15),
        TEXMAC_I("HierCorrCases", s.ncorr),          TEXMAC_I("HierCorrFail", s.corr_fail),
        TEXMAC_N("HierRealspaceTol", 1, LT18_ROUTES_TOL), TEXMAC_N("HierExpTol", 1, LT18_EXP_TOL),
        /* the coefficient c of (1 - b^-2) y1 in y2' from (0, 1, 0) at b = 2 (printed: 0) */
        TEXMAC_F("HierMixCoef", 6, s.ex_y2p / 0.75),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

static int reduce_ms1(const hier_grid *g, cellio_in *in, run_set *set)
{
    binio_file f;
    if (run_tsv_open(&f, set, "hierarchy_decimation",
                     "p\tq\ttanhJ\tJ\tJprime\tring_max_n\topen_max_n\tmismatch\twrong_claim_mismatch\tchecks") != 0)
        return -1;
    long mism = 0, wrong_caught = 0, checks = 0;
    for (int c = 0; c < 6; c++) {
        unsigned long p = dec_pq[c][0], q = dec_pq[c][1];
        int64_t v[3];
        cellio_get_i64s(&in[g->first[PART_DEC] + c], v, 3);
        mism += v[0], checks += v[1], wrong_caught += v[2] > 0;
        double t = (double)p / q;
        fprintf(f.f, "%lu\t%lu\t%.6f\t%.10f\t%.10f\t%d\t%d\t%ld\t%ld\t%ld\n", p, q, t, atanh(t), atanh(t * t),
                g->nmax - g->nmax % 2, g->nmax - 1 + g->nmax % 2, (long)v[0], (long)v[2], (long)v[1]);
    }
    if (run_close(set, &f) != 0) return -1;
    int64_t tb[TRACE_COUNT];
    long trace_bad = 0;
    cellio_get_i64s(&in[g->first[PART_TRACE]], tb, TRACE_COUNT);
    if (run_tsv_open(&f, set, "hierarchy_trace", "n\tring\ttrace_bad") != 0) return -1;
    for (int n = TRACE_N0; n <= TRACE_N1; n++) {
        fprintf(f.f, "%d\t%d\t%ld\n", n, n % 2 == 0, (long)tb[n - TRACE_N0]);
        trace_bad += (long)tb[n - TRACE_N0];
    }
    if (run_close(set, &f) != 0) return -1;
    int rbm_bad = 0, pert_caught = 0;
    if (run_tsv_open(&f, set, "hierarchy_rbm", "cell\tvisible\thidden\texact_bad\tperturbed_caught") != 0) return -1;
    for (int c = 0; c < g->nrbm; c++) {
        int v[2];
        cellio_get_ints(&in[g->first[PART_RBM] + c], v, 2);
        fprintf(f.f, "%d\t%d\t%d\t%d\t%d\n", c, 3 + c % 4, 2 + c % 3, v[0], v[1]);
        rbm_bad += v[0], pert_caught += v[1];
    }
    if (run_close(set, &f) != 0) return -1;
    const texmac m[] = {
        TEXMAC_I("HierDecChecks", checks),         TEXMAC_I("HierDecMaxN", g->nmax),
        TEXMAC_I("HierDecMismatch", mism),         TEXMAC_I("HierDecWrongCaught", wrong_caught),
        TEXMAC_I("HierDecTraceBad", trace_bad),    TEXMAC_I("HierRbmCases", g->nrbm),
        TEXMAC_I("HierRbmBad", rbm_bad),           TEXMAC_I("HierRbmPertCaught", pert_caught),
        TEXMAC_F("HierDecJ", 6, atanh(0.5)),       TEXMAC_F("HierDecJp", 6, atanh(0.25)),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

static int reduce_lt19(const hier_grid *g, cellio_in *in, run_set *set)
{
    binio_file f;
    if (run_tsv_open(&f, set, "hierarchy_lt19",
                     "n\ttanhJ\teK_per_up\tcontrol\tZ_kept\tH_RG_equal\tmarginal_changed\thidden_changed\ttrace_violated\ttrace_min\ttrace_max\tKL\tidentity_bad") != 0)
        return -1;
    cellio_in *c0 = &in[g->first[PART_LT19]];
    rg_lt19_result ex = {0};
    for (int c = 0; c < 6; c++) {
        rg_lt19_result o;
        const unsigned long *k = lt19_cases[c];
        int control = k[3] == k[4];
        lt19_get(c0, &o);
        fprintf(f.f, "%lu\t%lu/%lu\t%lu/%lu\t%d\t%d\t%d\t%ld\t%ld\t%ld\t%.6f\t%.6f\t%.6e\t%ld\n", k[0], k[1], k[2], k[3], k[4],
                control, o.z_kept, o.hrg_equal, o.marginal_changed, o.hidden_changed, o.trace_violated, o.trace_min,
                o.trace_max, o.kl, o.identity_bad);
        if (c == 0) ex = o;
    }
    if (run_close(set, &f) != 0) return -1;
    const texmac m[] = {
        TEXMAC_I("HierLtNineChanged", ex.marginal_changed), TEXMAC_I("HierLtNineViolated", ex.trace_violated),
        TEXMAC_F("HierLtNineTraceMin", 4, ex.trace_min),    TEXMAC_F("HierLtNineTraceMax", 4, ex.trace_max),
        TEXMAC_E("HierLtNineKL", 2, ex.kl),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

static int hier_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    hier_grid g = grid(ctx);
    if (n != g.first[NPART]) return -1;
    if (reduce_lt16(&g, in, set) || reduce_lt17(&g, in, set) || reduce_lt18(&g, in, set) || reduce_ms1(&g, in, set) ||
        reduce_lt19(&g, in, set))
        return -1;
    return 0;
}

const exp_def exp_hierarchy_def = {hier_ncells, hier_cell, hier_reduce, 0};

/* --- verdicts: pure functions of the data files --------------------------------------------- */

/* Column indices of names[0..n) in t, or -1 (d->err names the missing one). */
static int hier_cols(vd_data *d, const tsv_table *t, int *c, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if ((c[i] = vd_col(d, t, names[i])) < 0) return -1;
    return 0;
}

/* LT-16.  Exact comparisons, no tolerance.  The tagged chains are the positive control:
 * their partitions are known and non-trivial, so a partition engine that misses them, or
 * none at all (a vacuous check), makes the verdict inconclusive.  Then any failure of
 * T_i = f_i(T_{i+1}) refutes the composition (not reproduced); none: reproduced. */
int vd_lt16(vd_result *r, vd_data *d)
{
    static const char *const nm[4] = {"kind", "nontrivial", "composes", "known_ok"};
    const tsv_table *t = vd_table(d, "hierarchy_chains.tsv");
    int c[4];
    if (!t || hier_cols(d, t, c, nm, 4)) return -1;
    int ntag = 0, fail = 0, known_bad = 0, nontriv[2] = {0, 0}, trivial_rand = 0;
    for (int i = 0; i < t->nrows; i++) {
        int tagged = strcmp(tsv_str(t, i, c[0]), "tagged") == 0, nt = tsv_num(t, i, c[1]) != 0;
        ntag += tagged, nontriv[tagged] += nt, trivial_rand += !tagged && !nt;
        fail += tsv_num(t, i, c[2]) != 1, known_bad += tagged && tsv_num(t, i, c[3]) != 1;
    }
    int control = ntag > 0 && known_bad == 0 && nontriv[1] > 0;
    r->verdict = !control ? CLAIMS_INCONCLUSIVE : fail ? CLAIMS_NOT_REPRODUCED : CLAIMS_REPRODUCED;
    vd_measured(r, "%d chains, %d failures of T_i = f(T_{i+1}); non-trivial merges in %d of %d tagged (known classes %s) and %d random; %d random all-trivial",
                t->nrows, fail, nontriv[1], ntag, known_bad ? "WRONG" : "all right", nontriv[0], trivial_rand);
    vd_paper(r, "theorem (no numbers)");
    vd_note(r, "exact mpq posteriors; random chains almost surely have trivial partitions, tagged chains have known merges%s",
            control ? "" : "; inconclusive: the positive control failed (tagged chains missing, without merges, or with wrong classes)");
    vd_value(r, "failures", fail, 0);
    vd_value(r, "tagged_nontrivial", nontriv[1], 0);
    vd_value(r, "known_classes_wrong", known_bad, 0);
    return 0;
}

/* LT-17.  Certified balls against the exact sufficiency test.  Controls: both sides of the
 * "iff" must occur (sufficient and strict cases), every false claim of sufficiency must be
 * rejected (negative control), and every case must be decided by the balls; otherwise
 * inconclusive.  Then a disagreement with the exact test, or a gap ball that misses the
 * difference ball, refutes (not reproduced); none: reproduced. */
int vd_lt17(vd_result *r, vd_data *d)
{
    static const char *const nm[6] = {"Ixy", "Ixf", "exact_sufficient", "ball_verdict", "identity_ok", "false_claim_caught"};
    const tsv_table *t = vd_table(d, "hierarchy_dpi.tsv");
    int c[6];
    if (!t || hier_cols(d, t, c, nm, 6)) return -1;
    int disagree = 0, undecided = 0, ident_bad = 0, nsuff = 0, nstrict = 0, caught = 0, nfalse = 0;
    double min_strict = INFINITY;
    for (int i = 0; i < t->nrows; i++) {
        const char *k = tsv_str(t, i, c[3]);
        int suff = tsv_num(t, i, c[2]) == 1, equal = strcmp(k, "equal") == 0, strict = strcmp(k, "strict") == 0;
        undecided += !equal && !strict;
        disagree += (equal || strict) && equal != suff;
        ident_bad += tsv_num(t, i, c[4]) != 1;
        nsuff += suff, nstrict += strict, nfalse += !suff, caught += !suff && tsv_num(t, i, c[5]) == 1;
        if (strict) min_strict = fmin(min_strict, tsv_num(t, i, c[0]) - tsv_num(t, i, c[1]));
    }
    int control = nsuff > 0 && nstrict > 0 && caught == nfalse && undecided == 0;
    r->verdict = !control ? CLAIMS_INCONCLUSIVE : disagree || ident_bad ? CLAIMS_NOT_REPRODUCED : CLAIMS_REPRODUCED;
    vd_measured(r, "%d joints: %d sufficient f with I(x;y) = I(x;f(y)) exactly, %d strict (certified, smallest gap %.2e nats); %d disagreements with the exact test",
                t->nrows, nsuff, nstrict, min_strict, disagree + undecided);
    vd_paper(r, "theorem (no numbers)");
    vd_note(r, "mutual informations in 128-bit Arb balls, ratios exact in mpq; sufficiency tested exactly%s%s",
            control ? "" : "; inconclusive: ", control ? ""
            : nsuff == 0 || nstrict == 0 ? "one side of the iff untested"
            : caught < nfalse ? "a false sufficiency claim was accepted (negative control)" : "balls too wide to decide");
    vd_value(r, "disagreements", disagree, 0);
    vd_value(r, "undecided", undecided, 0);
    /* midpoints printed to 13 digits, I(x;y) <= ln 4: the difference is good to ~1e-12 */
    vd_value(r, "min_strict_gap", min_strict, 1e-11);
    return 0;
}

/* The printed map of LT-18, as registered: y_i' = b^(e_i) y_i with e_i = e0 - 2i (statement 0:
 * e0 = 2), and the coefficient c of (1 - b^-2) y_1 in y_2' (statement 1: the printed map is
 * diagonal, c = 0; the computed map on the massless line has c = 1/6). */
static int lt18_printed(double e[3], double *c, vd_data *d)
{
    const claims_printed *p = vd_printed(d, "LT-18", 0), *q = vd_printed(d, "LT-18", 1);
    if (!p || !q || isnan(p->value) || isnan(q->value)) {
        snprintf(d->err, sizeof d->err, "LT-18: the printed exponent and y_2 coefficient are not registered");
        return -1;
    }
    for (int i = 0; i < 3; i++) e[i] = p->value - 2 * i;
    *c = q->value;
    return 0;
}

/* LT-18 at d = 2: the eigenvalue exponents ln J_ii / ln b of the Jacobian at the fixed line
 * (upper triangle zero), and the printed map b^(e_i) y_i against the certified balls. */
typedef struct {
    double exp_dev, upper, j10, routes, cmix;
    int lit_fail[3], nlit, corr_fail, ncorr, njac, nroutes;
    char bs[32];
} lt18_eval;

static int lt18_jacobian_eval(lt18_eval *v, vd_data *d, const double e[3])
{
    /* the exponents as printed (12 decimals: rounding 5e-13, below LT18_EXP_TOL) */
    static const char *const nm[6] = {"d", "b", "exp0", "exp1", "exp2", "upper_max"};
    int c[7];
    const tsv_table *t = vd_table(d, "hierarchy_jacobian.tsv");
    if (!t || hier_cols(d, t, c, nm, 6) || (c[6] = vd_col(d, t, "J10")) < 0) return -1;
    for (int i = 0; i < t->nrows; i++) {
        if (tsv_num(t, i, c[0]) != 2) continue;
        double b = tsv_num(t, i, c[1]);
        for (int k = 0; k < 3; k++) v->exp_dev = fmax(v->exp_dev, fabs(tsv_num(t, i, c[2 + k]) - e[k]));
        v->upper = fmax(v->upper, tsv_num(t, i, c[5]));
        if (b == 2) v->j10 = tsv_num(t, i, c[6]);
        snprintf(v->bs + strlen(v->bs), sizeof v->bs - strlen(v->bs), "%s%g", v->njac++ ? "," : "", b);
        if (isnan(v->exp_dev)) v->exp_dev = INFINITY; /* a non-positive J_ii: no exponent (nan) */
    }
    return 0;
}

static int lt18_literal_eval(lt18_eval *v, vd_data *d, const double e[3], double cp)
{
    static const char *const nm[10] = {"b",         "y0_full",   "y1_full",   "y2_full", "y0p_full",
                                       "y1p_full", "y2p_full", "rad0", "rad1",   "rad2"};
    int c[10];
    const tsv_table *t = vd_table(d, "hierarchy_literal.tsv");
    if (!t || hier_cols(d, t, c, nm, 10)) return -1;
    for (int i = 0; i < t->nrows; i++, v->nlit++) {
        double b = tsv_num(t, i, c[0]), y[3], o[3], rad[3];
        for (int k = 0; k < 3; k++)
            y[k] = tsv_num(t, i, c[1 + k]), o[k] = tsv_num(t, i, c[4 + k]), rad[k] = tsv_num(t, i, c[7 + k]);
        for (int k = 0; k < 3; k++) {
            double pr = pow(b, e[k]) * y[k] + (k == 2 ? cp * (1 - 1 / (b * b)) * y[1] : 0);
            v->lit_fail[k] += !(fabs(o[k] - pr) <= rad[k] + LT18_ULPS * fmax(1, fabs(pr)));
        }
        if (y[0] != 0) continue;
        /* the corrected map on the massless line: y1' = y1, y2' - y1/6 = b^-2 (y2 - y1/6) */
        double corr = y[1] / 6 + (y[2] - y[1] / 6) / (b * b);
        /* the measured coefficient c of (1 - b^-2) y1 in y2' (printed: cp) */
        double cm = (o[2] - y[2] / (b * b)) / ((1 - 1 / (b * b)) * y[1]);
        if (v->ncorr == 0) v->cmix = cm; /* the first massless row (1/6 on every one: corr_fail) */
        v->ncorr++;
        v->corr_fail += !(fabs(o[2] - corr) <= rad[2] + LT18_ULPS * fmax(1, fabs(corr))) ||
                        !(fabs(o[1] - y[1]) <= rad[1] + LT18_ULPS * fmax(1, fabs(y[1])));
    }
    const tsv_table *rs = vd_table(d, "hierarchy_realspace.tsv");
    int cr = rs ? vd_col(d, rs, "max_rel_diff") : -1;
    if (cr < 0) return -1;
    for (int i = 0; i < rs->nrows; i++, v->nroutes++) {
        double x = tsv_num(rs, i, cr);
        v->routes = isnan(x) || isnan(v->routes) ? NAN : fmax(v->routes, x);
    }
    return 0;
}

/* LT-18 (erratum).  Positive control: the alias sum and the real-space inversion agree within
 * LT18_ROUTES_TOL (else inconclusive).  If the printed exponents are not the eigenvalue
 * exponents of the d = 2 map at the fixed line (within LT18_EXP_TOL, upper triangle zero): not
 * reproduced.  If the printed map (registered exponent and y_1 coefficient of y_2') holds at
 * every sample coupling (within the balls): reproduced; if it fails and the corrected map
 * holds: reproduced with erratum; if both fail: partly (exponents only). */
int vd_lt18(vd_result *r, vd_data *d)
{
    double e[3], cp;
    lt18_eval v;
    memset(&v, 0, sizeof v);
    if (lt18_printed(e, &cp, d) || lt18_jacobian_eval(&v, d, e) || lt18_literal_eval(&v, d, e, cp)) return -1;
    int control = v.nroutes > 0 && v.routes <= LT18_ROUTES_TOL && v.njac > 0 && v.nlit > 0 && v.ncorr > 0;
    int exps_ok = v.exp_dev <= LT18_EXP_TOL && v.upper <= LT18_EXP_TOL;
    int lit_fail = v.lit_fail[0] + v.lit_fail[1] + v.lit_fail[2];
    r->verdict = !control ? CLAIMS_INCONCLUSIVE : !exps_ok ? CLAIMS_NOT_REPRODUCED : lit_fail == 0 ? CLAIMS_REPRODUCED
               : v.corr_fail == 0 ? CLAIMS_ERRATUM : CLAIMS_PARTLY;
    const claims_printed *p = vd_printed(d, "LT-18", 0);
    vd_measured(r, "d=2, b=%s: linearized map triangular, eigenvalues b^(%g-2i) (largest exponent deviation %.1g); literal %s fails %d/%d/%d of %d (i=0/1/2): y2' = y2/b^2 + (1-b^-2) y1/6",
                v.bs, e[0], v.exp_dev, p->value_text, v.lit_fail[0], v.lit_fail[1], v.lit_fail[2], v.nlit);
    vd_paper(r, "%s", p->value_text);
    vd_note(r, "exact in Fourier space (alias sum, Arb series); exponents are eigenvalues at the fixed line y0 = 0, y2 = y1/6; y1 marginal; d dims: b^(d-2i); on y0 = 0, y2' = b^-2 y2 + c (1-b^-2) y1 with c = %.6g (printed %g)%s",
            v.cmix, cp, control ? "" : "; inconclusive: the two routes to the block kernel disagree (or a table is empty)");
    vd_value(r, "exponent_deviation", v.exp_dev, LT18_EXP_TOL);
    vd_value(r, "printed_fails_y1", v.lit_fail[1], 0);
    vd_value(r, "printed_fails_y2", v.lit_fail[2], 0);
    vd_value(r, "corrected_fails", v.corr_fail, 0);
    vd_value(r, "y2p_y1_coefficient", v.cmix, 1e-12); /* 1/6 from certified balls (radii ~1e-16) */
    vd_value(r, "dy1p_dy0_b2", v.j10, LT18_EXP_TOL);
    return 0;
}

/* MS-1.  Exact sums, no tolerance.  Negative controls: the wrong coupling tanh J' = tanh J
 * must be rejected for every coupling and every perturbed RBM caught, else inconclusive (the
 * check could not see a wrong claim).  Then any decimation mismatch, trace != 1 or RBM with
 * T = -E + H not exact refutes (not reproduced); none: reproduced. */
int vd_ms1(vd_result *r, vd_data *d)
{
    static const char *const nd[5] = {"mismatch", "wrong_claim_mismatch", "checks", "ring_max_n", "open_max_n"};
    static const char *const nr[2] = {"exact_bad", "perturbed_caught"};
    const tsv_table *t = vd_table(d, "hierarchy_decimation.tsv"), *rb = vd_table(d, "hierarchy_rbm.tsv"),
                    *tr = vd_table(d, "hierarchy_trace.tsv");
    int c[5], cr[2], ct;
    if (!t || !rb || !tr || hier_cols(d, t, c, nd, 5) || hier_cols(d, rb, cr, nr, 2) ||
        (ct = vd_col(d, tr, "trace_bad")) < 0)
        return -1;
    long mism = 0, checks = 0, trace_bad = 0;
    int wrong_caught = 0, maxn = 0, rbm_bad = 0, pert = 0;
    for (int i = 0; i < t->nrows; i++) {
        mism += (long)tsv_num(t, i, c[0]), checks += (long)tsv_num(t, i, c[2]), wrong_caught += tsv_num(t, i, c[1]) > 0;
        maxn = (int)fmax(maxn, fmax(tsv_num(t, i, c[3]), tsv_num(t, i, c[4])));
    }
    for (int i = 0; i < rb->nrows; i++) rbm_bad += tsv_num(rb, i, cr[0]) != 0, pert += tsv_num(rb, i, cr[1]) == 1;
    for (int i = 0; i < tr->nrows; i++) trace_bad += (long)tsv_num(tr, i, ct);
    int control = t->nrows > 0 && wrong_caught == t->nrows && rb->nrows > 0 && pert == rb->nrows && tr->nrows > 0;
    r->verdict = !control ? CLAIMS_INCONCLUSIVE : mism || trace_bad || rbm_bad ? CLAIMS_NOT_REPRODUCED : CLAIMS_REPRODUCED;
    char tracebuf[64] = "trace = 1 exactly";
    if (trace_bad) snprintf(tracebuf, sizeof tracebuf, "trace != 1 for %ld states", trace_bad);
    vd_measured(r, "%ld exact decimations (chains to %d spins, %d couplings): %ld mismatches with tanh J' = tanh^2 J; %s; %d RBMs: T = -E + H %s, %d/%d perturbed caught",
                checks, maxn, t->nrows, mism, tracebuf, rb->nrows, rbm_bad ? "NOT exact" : "exact", pert, rb->nrows);
    vd_paper(r, "tanh J' = tanh^2 J");
    vd_note(r, "brute-force sums in mpz/mpq, no tolerance%s",
            control ? "" : "; inconclusive: a negative control (wrong coupling, perturbed RBM) was not caught");
    vd_value(r, "mismatches", mism, 0);
    vd_value(r, "checks", checks, 0);
    vd_value(r, "trace_bad", trace_bad, 0);
    vd_value(r, "rbm_bad", rbm_bad, 0);
    return 0;
}

/* LT-19.  Both sides exact in mpq.  Controls (K constant) must keep the marginal and the
 * trace condition (else inconclusive).  Reproduced if every counterexample case keeps Z and
 * H_RG and the y'-marginal, changes the y-marginal (LT's side), violates the trace condition
 * and satisfies P_joint(y) = P(y) Tr e^T (MS's side); otherwise not reproduced. */
int vd_lt19(vd_result *r, vd_data *d)
{
    static const char *const nm[11] = {"control",        "Z_kept",    "H_RG_equal", "marginal_changed", "hidden_changed",
                                       "trace_violated", "trace_min", "trace_max",  "KL",               "identity_bad", "n"};
    const tsv_table *t = vd_table(d, "hierarchy_lt19.tsv");
    int c[11];
    if (!t || hier_cols(d, t, c, nm, 11)) return -1;
    int ncontrol = 0, control_bad = 0, ncase = 0, bad = 0, ex = -1;
    for (int i = 0; i < t->nrows; i++) {
        double x[10];
        for (int k = 0; k < 10; k++) x[k] = tsv_num(t, i, c[k]);
        int kept = x[1] == 1 && x[2] == 1 && x[4] == 0 && x[9] == 0;
        if (x[0] == 1) {
            ncontrol++, control_bad += !kept || x[3] != 0 || x[5] != 0;
            continue;
        }
        ncase++, bad += !kept || !(x[3] > 0) || !(x[5] > 0);
        if (ex < 0) ex = i;
    }
    int control = ncontrol > 0 && control_bad == 0 && ncase > 0;
    r->verdict = !control ? CLAIMS_INCONCLUSIVE : bad ? CLAIMS_NOT_REPRODUCED : CLAIMS_REPRODUCED;
    double mc = ex >= 0 ? tsv_num(t, ex, c[3]) : NAN, kl = ex >= 0 ? tsv_num(t, ex, c[8]) : NAN;
    double tmin = ex >= 0 ? tsv_num(t, ex, c[6]) : NAN, tmax = ex >= 0 ? tsv_num(t, ex, c[7]) : NAN;
    vd_measured(r, "Z kept exactly, H_RG = H, y-marginal changed (%.0f of %.0f states, KL %.3g nats); Tr_h e^T ranges %.3f..%.3f != 1; controls K = const exact",
                mc, ex >= 0 ? ldexp(1, (int)tsv_num(t, ex, c[10])) : NAN, kl, tmin, tmax);
    if (bad) vd_measured(r, "%d of %d counterexample cases fail a side (Z, H_RG, marginal change, trace violation or identity); first: %.0f states changed, Tr_h e^T %.3f..%.3f",
                         bad, ncase, mc, tmin, tmax);
    vd_paper(r, "construction (no numbers)");
    vd_note(r, "both sides exact in mpq: LT's Z and marginal, MS's trace condition and P_joint(v) = P(v) Tr_h e^T%s",
            control ? "" : "; inconclusive: a control (K = const) changed the marginal or the trace, or no case ran");
    vd_value(r, "marginal_changed", mc, 0);
    vd_value(r, "cases_failing", bad, 0);
    vd_value(r, "kl_nats", kl, 1e-6 * fmax(1, kl)); /* printed to 7 digits */
    vd_value(r, "trace_min", tmin, 1e-6);            /* printed to 6 decimals */
    vd_value(r, "trace_max", tmax, 1e-6);
    return 0;
}
