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
 * depend on where its part starts.  Reduce writes one data file per part,
 * the macros and the five verdicts, one function per claim. */
#include "claims.h"
#include "experiments.h"
#include "rgflow.h"
#include "suffstat.h"

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

static void trace_run(cellio_out *out)
{
    int64_t bad = 0;
    for (int n = 3; n <= 14; n++) bad += rg_decimate_trace(n, n % 2 == 0);
    cellio_put_i64(out, bad);
}

/* --- LT-18 cell: the exact block-averaging map --------------------------------------------- */
/* The cell hands its three tables over as text rows (exact values printed
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
                s->lit_fail[i] += fabs(o[i] - pr[i]) > rad[i] + 4e-16 * fmax(1, fabs(pr[i]));
            }
            /* corrected: on y0 = 0, y1' = y1 and y2' - y1'/6 = b^-2 (y2 - y1/6) */
            corr = ys[k][1] / 6 + (ys[k][2] - ys[k][1] / 6) / (b * b);
            if (ys[k][0] == 0) {
                s->ncorr++;
                s->corr_fail += fabs(o[2] - corr) > rad[2] + 4e-16 * fmax(1, fabs(corr)) ||
                                fabs(o[1] - ys[k][1]) > rad[1] + 4e-16;
            }
            if (b == 2 && k == 0) s->ex_y2p = o[2];
            fprintf(f, "%d\t%g\t%g\t%.6g\t%.15g\t%.15g\t%.15g\t%.15g\t%.15g\t%.15g\t%.15g\n", b, ys[k][0], ys[k][1],
                    ys[k][2], o[0], o[1], o[2], pr[0], pr[1], pr[2], ys[k][0] == 0 ? corr : NAN);
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

/* Independent route: real-space inversion on a 12 x 12 lattice vs the alias sum. */
static void lt18_realspace(lt18_sum *s)
{
    static const double yr[2][3] = {{0.5, 1.0, 0.2}, {0.05, 2.0, 0.6}};
    for (int k = 0; k < 2; k++)
        for (int b = 2; b <= 3; b++) {
            double Kq[36];
            int Lc = 12 / b;
            if (rg_block_realspace(Kq, yr[k], 12, b) != 0) {
                s->rs_failed = 1;
                return;
            }
            for (int a = 0; a < Lc * Lc; a++) {
                double q[2] = {2 * M_PI * (a / Lc) / Lc, 2 * M_PI * (a % Lc) / Lc};
                s->rs_diff = fmax(s->rs_diff, fabs(rg_block_kernel(yr[k], b, q) - Kq[a]) / fmax(1.0, fabs(Kq[a])));
            }
        }
}

/* The three tables as printed rows (cellio_put_printed takes void * arguments). */
static void print_jacobian(FILE *f, void *s) { lt18_jacobian(f, s); }
static void print_literal(FILE *f, void *s) { lt18_literal(f, s); }
static void print_flow(FILE *f, void *s) { (void)s, lt18_flow(f); }

static int lt18_run(cellio_out *out)
{
    lt18_sum s;
    memset(&s, 0, sizeof s);
    if (cellio_put_printed(out, print_jacobian, &s) || cellio_put_printed(out, print_literal, &s) ||
        cellio_put_printed(out, print_flow, NULL))
        return -1;
    lt18_realspace(&s);
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

/* --- reduce: one function per claim ------------------------------------------------------- */

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
    if (run_macros(set, m, TEXMAC_LEN(m)) != 0) return -1;
    /* exact comparisons: no tolerance.  All-trivial partitions would make the check vacuous. */
    claims_verdict v = fail || known_bad ? CLAIMS_NOT_REPRODUCED : nontriv[1] == 0 ? CLAIMS_PARTLY : CLAIMS_REPRODUCED;
    char s[256];
    snprintf(s, sizeof s, "%d chains, %d failures of T_i = f(T_{i+1}); non-trivial merges in %d of %d tagged (known classes %s) and %d random; %d random all-trivial",
             N, fail, nontriv[1], g->ntag, known_bad ? "WRONG" : "all right", nontriv[0], trivial_rand);
    return claims_emit(set, "LT-16", v, s, "theorem (no numbers)",
                       "exact mpq posteriors; random chains almost surely have trivial partitions, tagged chains have known merges");
}

static int reduce_lt17(const hier_grid *g, cellio_in *in, run_set *set)
{
    int N = g->ndpi;
    binio_file f;
    if (run_tsv_open(&f, set, "hierarchy_dpi",
                     "cell\tfamily\tnx\tny\tnz\tIxy\tIxf\tdiff_lo\texact_sufficient\tball_verdict\tidentity_ok") != 0)
        return -1;
    static const char *kn[3] = {"equal", "strict", "undecided"};
    int disagree = 0, undecided = 0, ident_bad = 0, nsuff = 0, nstrict = 0, caught = 0, nfalse = 0;
    double min_strict = INFINITY;
    for (int c = 0; c < N; c++) {
        dpi_cell o;
        dpi_get(&in[g->first[PART_DPI] + c], &o);
        fprintf(f.f, "%d\t%s\t%d\t%d\t%d\t%.12e\t%.12e\t%.6e\t%d\t%s\t%d\n", c, o.family ? "sufficient" : "random", o.nx, o.ny,
                o.nz, o.d.ixy, o.d.ixf, o.d.diff_lo, o.exact_suff, kn[o.d.kind], o.d.identity_ok);
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
    if (run_macros(set, m, TEXMAC_LEN(m)) != 0) return -1;
    /* certified balls: equality exact (gap identically 0), strictness certified > 0 */
    int ok = disagree == 0 && undecided == 0 && ident_bad == 0 && caught == nfalse && nsuff > 0 && nstrict > 0;
    char s[256];
    snprintf(s, sizeof s, "%d joints: %d sufficient f with I(x;y) = I(x;f(y)) exactly, %d strict (certified, smallest gap %.2e nats); %d disagreements with the exact test",
             N, nsuff, nstrict, min_strict, disagree + undecided);
    return claims_emit(set, "LT-17", ok ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, s, "theorem (no numbers)",
                       "mutual informations in 128-bit Arb balls, ratios exact in mpq; sufficiency tested exactly");
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
        table_from_cell(set, c, "hierarchy_literal", "b\ty0\ty1\ty2\ty0p\ty1p\ty2p\tprinted0\tprinted1\tprinted2\tcorrected2") ||
        table_from_cell(set, c, "hierarchy_flow", "flow\tB\ty0\ty1\ty2\tdy2\ty0_theory\tdy2_theory"))
        return -1;
    lt18_sum s;
    lt18_get(c, &s);
    if (s.rs_failed) {
        fprintf(stderr, "deepcheap: hierarchy: the real-space inversion failed\n");
        return -1;
    }
    const texmac m[] = {
        TEXMAC_E("HierRealspaceDiff", 1, s.rs_diff), TEXMAC_N("HierExpDevTwo", 2, s.worst_exp2),
        TEXMAC_N("HierExpDevD", 2, s.worst_expd),    TEXMAC_N("HierUpperMax", 2, s.worst_upper),
        TEXMAC_F("HierMixTen", 6, s.j10b2),          TEXMAC_F("HierMixTwenty", 6, s.j20b2),
        TEXMAC_F("HierMixTwentyOne", 6, s.j21b2),    TEXMAC_F("HierExYTwo", 6, s.ex_y2p),
        TEXMAC_I("HierLitFailZero", s.lit_fail[0]),  TEXMAC_I("HierLitFailOne", s.lit_fail[1]),
        TEXMAC_I("HierLitFailTwo", s.lit_fail[2]),   TEXMAC_I("HierLitCases", 15),
        TEXMAC_I("HierCorrCases", s.ncorr),          TEXMAC_I("HierCorrFail", s.corr_fail),
    };
    if (run_macros(set, m, TEXMAC_LEN(m)) != 0) return -1;
    /* Jacobian entries: central differences, step 2^-60 in 256-bit balls (truncation
     * ~2^-120) rounded to double: 1e-12 is far above both. */
    const double tol = 1e-12;
    int exps_ok = s.worst_exp2 <= tol && s.worst_upper <= tol;
    int literal_ok = s.lit_fail[0] + s.lit_fail[1] + s.lit_fail[2] == 0;
    claims_verdict v = !exps_ok ? CLAIMS_NOT_REPRODUCED : literal_ok ? CLAIMS_REPRODUCED : CLAIMS_ERRATUM;
    char t[300];
    snprintf(t, sizeof t, "d=2, b=2,3,4: linearized map triangular, eigenvalues b^(2-2i) (largest exponent deviation %.1g); literal y_i' = b^(2-2i) y_i fails %d/%d/%d of 15 (i=0/1/2): y2' = y2/b^2 + (1-b^-2) y1/6",
             s.worst_exp2, s.lit_fail[0], s.lit_fail[1], s.lit_fail[2]);
    return claims_emit(set, "LT-18", v, t, "y_i' = b^(2-2i) y_i",
                       "exact in Fourier space (alias sum, Arb series); exponents are eigenvalues at the fixed line y0 = 0, y2 = y1/6; y1 marginal; d dims: b^(d-2i)");
}

static int reduce_ms1(const hier_grid *g, cellio_in *in, run_set *set)
{
    binio_file f;
    if (run_tsv_open(&f, set, "hierarchy_decimation",
                     "p\tq\ttanhJ\tJ\tJprime\tring_max_n\topen_max_n\tmismatch\twrong_claim_mismatch") != 0)
        return -1;
    long mism = 0, wrong_caught = 0, checks = 0;
    for (int c = 0; c < 6; c++) {
        unsigned long p = dec_pq[c][0], q = dec_pq[c][1];
        int64_t v[3];
        cellio_get_i64s(&in[g->first[PART_DEC] + c], v, 3);
        mism += v[0], checks += v[1], wrong_caught += v[2] > 0;
        double t = (double)p / q;
        fprintf(f.f, "%lu\t%lu\t%.6f\t%.10f\t%.10f\t%d\t%d\t%ld\t%ld\n", p, q, t, atanh(t), atanh(t * t),
                g->nmax - g->nmax % 2, g->nmax - 1 + g->nmax % 2, (long)v[0], (long)v[2]);
    }
    if (run_close(set, &f) != 0) return -1;
    long trace_bad = (long)cellio_get_i64(&in[g->first[PART_TRACE]]);
    int rbm_bad = 0, pert_caught = 0;
    for (int c = 0; c < g->nrbm; c++) {
        int v[2];
        cellio_get_ints(&in[g->first[PART_RBM] + c], v, 2);
        rbm_bad += v[0], pert_caught += v[1];
    }
    const texmac m[] = {
        TEXMAC_I("HierDecChecks", checks),         TEXMAC_I("HierDecMaxN", g->nmax),
        TEXMAC_I("HierDecMismatch", mism),         TEXMAC_I("HierDecWrongCaught", wrong_caught),
        TEXMAC_I("HierDecTraceBad", trace_bad),    TEXMAC_I("HierRbmCases", g->nrbm),
        TEXMAC_I("HierRbmBad", rbm_bad),           TEXMAC_I("HierRbmPertCaught", pert_caught),
        TEXMAC_F("HierDecJ", 6, atanh(0.5)),       TEXMAC_F("HierDecJp", 6, atanh(0.25)),
    };
    if (run_macros(set, m, TEXMAC_LEN(m)) != 0) return -1;
    int ok = mism == 0 && trace_bad == 0 && rbm_bad == 0 && pert_caught == g->nrbm && wrong_caught == 6;
    char s[256];
    snprintf(s, sizeof s, "%ld exact decimations (chains to %d spins, 6 couplings): %ld mismatches with tanh J' = tanh^2 J; trace = 1 exactly; %d RBMs: T = -E + H exact, %d/%d perturbed caught",
             checks, g->nmax, mism, g->nrbm, pert_caught, g->nrbm);
    return claims_emit(set, "MS-1", ok ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, s, "tanh J' = tanh^2 J",
                       "brute-force sums in mpz/mpq, no tolerance");
}

static int reduce_lt19(const hier_grid *g, cellio_in *in, run_set *set)
{
    binio_file f;
    if (run_tsv_open(&f, set, "hierarchy_lt19",
                     "n\ttanhJ\teK_per_up\tcontrol\tZ_kept\tH_RG_equal\tmarginal_changed\thidden_changed\ttrace_violated\ttrace_min\ttrace_max\tKL\tidentity_bad") != 0)
        return -1;
    cellio_in *c0 = &in[g->first[PART_LT19]];
    int ok = 1;
    rg_lt19_result ex = {0};
    for (int c = 0; c < 6; c++) {
        rg_lt19_result o;
        const unsigned long *k = lt19_cases[c];
        int control = k[3] == k[4];
        lt19_get(c0, &o);
        fprintf(f.f, "%lu\t%lu/%lu\t%lu/%lu\t%d\t%d\t%d\t%ld\t%ld\t%ld\t%.6f\t%.6f\t%.6e\t%ld\n", k[0], k[1], k[2], k[3], k[4],
                control, o.z_kept, o.hrg_equal, o.marginal_changed, o.hidden_changed, o.trace_violated, o.trace_min,
                o.trace_max, o.kl, o.identity_bad);
        ok &= o.z_kept && o.hrg_equal && o.identity_bad == 0 && o.hidden_changed == 0;
        if (control) ok &= o.marginal_changed == 0 && o.trace_violated == 0;
        else ok &= o.marginal_changed > 0 && o.trace_violated > 0;
        if (c == 0) ex = o;
    }
    if (run_close(set, &f) != 0) return -1;
    const texmac m[] = {
        TEXMAC_I("HierLtNineChanged", ex.marginal_changed), TEXMAC_I("HierLtNineViolated", ex.trace_violated),
        TEXMAC_F("HierLtNineTraceMin", 4, ex.trace_min),    TEXMAC_F("HierLtNineTraceMax", 4, ex.trace_max),
        TEXMAC_E("HierLtNineKL", 2, ex.kl),
    };
    if (run_macros(set, m, TEXMAC_LEN(m)) != 0) return -1;
    char s[256];
    snprintf(s, sizeof s, "Z kept exactly, H_RG = H, y-marginal changed (%ld of 16 states, KL %.3g nats); Tr_h e^T ranges %.3f..%.3f != 1; controls K = const exact",
             ex.marginal_changed, ex.kl, ex.trace_min, ex.trace_max);
    return claims_emit(set, "LT-19", ok ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, s, "construction (no numbers)",
                       "both sides exact in mpq: LT's Z and marginal, MS's trace condition and P_joint(v) = P(v) Tr_h e^T");
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
