/* Chapter 1, experiment `softmax-posterior`: LT-1, the softmax readout of
 * -H - mu is Bayes' posterior.
 *
 * Three models (Gaussian classes k = 3 in d = 2 and k = 5 in d = 5, an Ising
 * chain of 12 spins at four temperatures); n inputs each from the joint
 * distribution, in chunks of CH1_CHUNK with their own streams.  The grid, in
 * cell order: model 0's chunks, model 1's, model 2's, then one cell for the
 * chain's ln Z by transfer matrix vs enumeration.  A chunk cell rebuilds its
 * model (the Gaussian classes from their own stream) and compares the
 * softmax readout with the direct posterior on its inputs; reduce merges the
 * chunks in order, as the code before the split did. */
#include "bayes.h"
#include "ch1_util.h"
#include "experiments.h"
#include "rng.h"
#include "softmax.h"
#include "verdicts.h"

#include <math.h>
#include <stdio.h>

#define NMODEL 3
#define LT1_TOL 1e-12

static const int gk[2] = {3, 5}, gd[2] = {2, 5};
static const double temps[4] = {0.8, 1.5, 2.5, 4.0}, chain_prior[4] = {0.4, 0.3, 0.2, 0.1};

static size_t ninputs(const exp_ctx *ctx) { return ctx->scale == EXP_FULL ? 1000000 : 100000; }

static int post_ncells(const exp_ctx *ctx) { return NMODEL * ch1_nchunks(ninputs(ctx)) + 1; }

typedef struct {
    double maxdiff, sumdiff, minpost;
    size_t n;
} posterior_stats;

static void stats_merge(posterior_stats *a, const posterior_stats *b)
{
    a->maxdiff = fmax(a->maxdiff, b->maxdiff);
    a->sumdiff += b->sumdiff;
    a->minpost = fmin(a->minpost, b->minpost);
    a->n += b->n;
}

static void compare(posterior_stats *s, const double *p, const double *q, int k)
{
    for (int c = 0; c < k; c++) {
        double d = fabs(p[c] - q[c]);
        s->maxdiff = fmax(s->maxdiff, d);
        s->sumdiff += d;
        s->minpost = fmin(s->minpost, q[c]);
    }
    s->n++;
}

/* One input from the joint distribution: the softmax readout p and Bayes' posterior q. */
static void gauss_pair(double *p, double *q, const bayes_gauss *g, rng_stream *r)
{
    int y;
    double x[BAYES_MAXD], H[BAYES_MAXK], mu[BAYES_MAXK];
    bayes_gauss_sample(&y, x, g, r);
    bayes_gauss_hamiltonians(H, mu, g, x);
    softmax_posterior(p, H, mu, (size_t)g->k);
    bayes_gauss_posterior_direct(q, g, x);
}

static void chain_pair(double *p, double *q, const bayes_chain *c, rng_stream *r)
{
    int y;
    unsigned st;
    double H[BAYES_MAXK], mu[BAYES_MAXK];
    bayes_chain_sample(&y, &st, c, r);
    bayes_chain_hamiltonians(H, mu, c, st);
    softmax_posterior(p, H, mu, (size_t)c->k);
    bayes_chain_posterior_direct(q, c, st);
}

static int chain_init(bayes_chain *ch) { return bayes_chain_init(ch, 12, 1.0, 0.2, 4, temps, chain_prior); }

/* Cell: chunk j of model m (inputs j*CHUNK .. min(n, (j+1)*CHUNK)). */
static int chunk_run(cellio_out *out, uint64_t seed, int m, int j, size_t n)
{
    bayes_gauss g;
    bayes_chain ch;
    rng_stream r;
    if (m < 2) {
        rng_init(&r, seed, CH1_KEY(m, 0xffff), 1);
        if (bayes_gauss_random(&g, gk[m], gd[m], 1.5, &r) != 0) return -1;
    } else if (chain_init(&ch) != 0)
        return -1;
    rng_init(&r, seed, CH1_KEY(m, j), 0);
    posterior_stats s = {0, 0, 1, 0};
    for (size_t i = (size_t)j * CH1_CHUNK; i < n && i < (size_t)(j + 1) * CH1_CHUNK; i++) {
        double p[BAYES_MAXK], q[BAYES_MAXK];
        if (m < 2) gauss_pair(p, q, &g, &r);
        else chain_pair(p, q, &ch, &r);
        compare(&s, p, q, m < 2 ? g.k : ch.k);
    }
    if (m == 2) bayes_chain_clear(&ch);
    double x[3] = {s.maxdiff, s.sumdiff, s.minpost};
    cellio_put_f64s(out, x, 3);
    cellio_put_i64(out, (int64_t)s.n);
    return 0;
}

/* Cell: the chain's ln Z, transfer matrix vs enumeration. */
static int lnz_run(cellio_out *out)
{
    bayes_chain ch;
    if (chain_init(&ch) != 0) return -1;
    double gap = 0.0;
    for (int y = 0; y < ch.k; y++) gap = fmax(gap, fabs(ch.lnz[y] - log(ch.z_enum[y])));
    bayes_chain_clear(&ch);
    cellio_put_f64(out, gap);
    return 0;
}

static int post_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    int nch = ch1_nchunks(ninputs(ctx));
    if (c == NMODEL * nch) return lnz_run(out);
    if (chunk_run(out, ctx->seed, c / nch, c % nch, ninputs(ctx)) != 0) {
        fprintf(stderr, "deepcheap: softmax-posterior: model %d could not be built\n", c / nch);
        return -1;
    }
    return 0;
}

/* --- reduce: LT-1 ------------------------------------------------------------------- */
static int reduce_lt1(const exp_ctx *ctx, cellio_in *in, run_set *set)
{
    size_t n = ninputs(ctx);
    int nch = ch1_nchunks(n);
    posterior_stats st[NMODEL];
    for (int m = 0; m < NMODEL; m++) {
        st[m] = (posterior_stats){0, 0, 1, 0};
        for (int j = 0; j < nch; j++) {
            double x[3];
            cellio_in *c = &in[m * nch + j];
            cellio_get_f64s(c, x, 3);
            posterior_stats s = {x[0], x[1], x[2], (size_t)cellio_get_i64(c)};
            stats_merge(&st[m], &s);
        }
    }
    double lnz_gap = cellio_get_f64(&in[NMODEL * nch]);
    binio_file f;
    if (run_tsv_open(&f, set, "softmax_posterior",
                     "family\tclasses\tsize\tinputs\tmax_abs_diff\tmean_abs_diff\tmin_posterior") != 0)
        return -1;
    double worst = 0.0;
    for (int m = 0; m < NMODEL; m++) {
        int k = m < 2 ? gk[m] : 4;
        fprintf(f.f, "%s\t%d\t%d\t%zu\t%.3e\t%.3e\t%.3e\n", m < 2 ? "gaussian" : "ising-chain", k, m < 2 ? gd[m] : 12,
                st[m].n, st[m].maxdiff, st[m].sumdiff / (double)(st[m].n * (size_t)k), st[m].minpost);
        worst = fmax(worst, st[m].maxdiff);
    }
    if (run_close(set, &f) != 0) return -1;
    const texmac mac[] = {
        TEXMAC_N("SoftPostInputs", 3, (double)n),
        TEXMAC_E("SoftPostGaussTwoDiff", 2, st[0].maxdiff),
        TEXMAC_E("SoftPostGaussFiveDiff", 2, st[1].maxdiff),
        TEXMAC_E("SoftPostChainDiff", 2, st[2].maxdiff),
        TEXMAC_E("SoftPostGaussTwoMinPost", 2, st[0].minpost),
        TEXMAC_E("SoftPostGaussFiveMinPost", 2, st[1].minpost),
        TEXMAC_E("SoftPostChainMinPost", 2, st[2].minpost),
        TEXMAC_E("SoftPostChainLnzGap", 2, lnz_gap),
        TEXMAC_E("SoftPostTol", 1, LT1_TOL),
        TEXMAC_E("SoftPostWorst", 2, worst),
    };
    return run_macros(set, mac, TEXMAC_LEN(mac));
}

/* --- verdict: LT-1, from softmax_posterior.tsv ----------------------------------------
 * Rule: the softmax readout equals Bayes' posterior when the largest
 * absolute difference over every model and input is at most LT1_TOL, a
 * bound on the rounding error of either route (a few hundred ulps of a
 * probability); a larger or non-finite difference, or a model with no
 * inputs, is not-reproduced. */
int vd_lt1(vd_result *r, vd_data *d)
{
    const tsv_table *t = vd_table(d, "softmax_posterior.tsv");
    if (!t) return -1;
    int cf = vd_col(d, t, "family"), cs = vd_col(d, t, "size"), cn = vd_col(d, t, "inputs");
    int cd = vd_col(d, t, "max_abs_diff");
    if (cf < 0 || cs < 0 || cn < 0 || cd < 0) return -1;
    if (t->nrows < 1) {
        snprintf(d->err, sizeof d->err, "softmax_posterior.tsv has no models");
        return -1;
    }
    double worst = 0.0, inputs = tsv_num(t, 0, cn);
    int bad = 0;
    for (int i = 0; i < t->nrows; i++) {
        double x = tsv_num(t, i, cd);
        bad += !(x >= 0.0 && isfinite(x)) || !(tsv_num(t, i, cn) >= 1.0);
        worst = isfinite(x) ? fmax(worst, x) : INFINITY;
        inputs = fmin(inputs, tsv_num(t, i, cn));
        char name[48];
        snprintf(name, sizeof name, "max_diff_%s_d%.0f", tsv_str(t, i, cf), tsv_num(t, i, cs));
        vd_value(r, name, x, LT1_TOL);
    }
    r->verdict = !bad && worst <= LT1_TOL ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED;
    vd_measured(r, "max |softmax - Bayes| = %.2e over %.0f inputs x %d models", worst, inputs, t->nrows);
    vd_paper(r, "exact identity");
    vd_note(r, "tolerance %.0e (float error of a stable log-sum-exp)%s", LT1_TOL,
            bad ? "; a model compared no inputs or gave a non-finite difference" : "");
    return 0;
}

static int post_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    if (n != post_ncells(ctx)) return -1;
    return reduce_lt1(ctx, in, set);
}

const exp_def exp_softmax_posterior_def = {post_ncells, post_cell, post_reduce, 0};
