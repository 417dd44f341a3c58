/* Chapter 7, experiment `vae-fidelity` (RO-3): variational autoencoders on
 * the Fefferman-Umans (hard), Haar-random and product (easy) distributions:
 * fidelity against the exact distribution vs compression, per depth and
 * class, with baselines; the verdict by the rule of issue 17 (vd_ro3), the
 * first rule kept beside it.
 *
 * The grid: one VAE per (class, depth, compression, repetition), cell
 * c = ((k nd + d) nc + ic) reps + rep, then one cell per class for the exact
 * baselines.  Each cell rebuilds its class's exact distribution (cheap next
 * to the training) and the training set of its (class, repetition), keyed by
 * cell 7000 + k reps + rep: shared by all depths and compressions of that
 * repetition (a paired design).  Weights, noise and the fidelity estimate
 * draw from the cell's own index.  Reduce writes the tables and, from the
 * same analysis of the written tables, the macros; the verdict is vd_ro3, a
 * pure function of vae_cells.tsv and vae_baselines.tsv (bench/verdicts.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch7_util.h"
#include "claims.h"
#include "experiments.h"
#include "fu.h"
#include "nn.h"
#include "progress.h"
#include "stats.h"
#include "vae.h"
#include "verdicts.h"

enum { NCLASS = 4, MAXC = 9, MAXD = 5, MAXE = 16, MAXLR = 3, MAXR = 32 };
#define VX_ACTIVE 0.01 /* nats: the first unit measure, a latent unit with a smaller mean KL is collapsed */
static const char *cls_name[NCLASS] = {"fu", "haar", "product", "mix"};
static const char *cls_tex[NCLASS] = {"FU", "Haar", "Product", "Mix"};

/* Sizes.  epochs is the long budget; the short budget is epochs / 4, the
 * same run's state at that epoch (constant learning rate, no schedule: the
 * model a budget of epochs / 4 trains).  lr: the learning rates each model
 * tries for the short budget before it trains on with the best one. */
typedef struct {
    int fu_n, fu_L, bits, width, ntrain, epochs, batch, reps, M, K, nc, nd, nheld, nlr;
    double alpha, comp[MAXC], lr[MAXLR];
} vx_cfg;

static void vx_config(vx_cfg *g, exp_scale s)
{
    if (s == EXP_FULL)
        *g = (vx_cfg){3, 4, 18, 72, 50000, 8, 100, 5, 4000, 64, 3, 5, 2000, 3, 0.2, {0.1, 0.5, 0.9}, {3e-4, 1e-3, 3e-3}};
    else
        *g = (vx_cfg){2, 4, 8, 32, 12000, 8, 100, 5, 2000, 64, 3, 5, 1000, 3, 0.2, {0.25, 0.5, 0.75}, {3e-4, 1e-3, 3e-3}};
}

static int vx_short(const vx_cfg *g) { return g->epochs / 4; }

static int vx_latent(const vx_cfg *g, int ic)
{
    int k = (int)lround(g->comp[ic] * g->bits);
    return k < 1 ? 1 : k;
}

static int vx_nvae(const vx_cfg *g) { return NCLASS * g->nd * g->nc * g->reps; }

static int vx_ncells(const exp_ctx *ctx)
{
    vx_cfg g;
    vx_config(&g, ctx->scale);
    return vx_nvae(&g) + NCLASS;
}

/* listing: vae-mixture */
/* The positive control: an equal mixture of 4 product distributions whose
 * bits sit at 0.1 or 0.9 around 4 random centres (stream 702): neither a
 * product (its marginals miss the modes) nor uniform; one latent unit can
 * pick the component, the decoder the rest. */
static void vx_mixture(double *p, int bits, uint64_t seed)
{
    enum { NMIX = 4 };
    double u[NMIX][64];
    rng_stream r;
    rng_init(&r, seed, 702, 0);
    for (int m = 0; m < NMIX; m++)
        for (int j = 0; j < bits; j++) u[m][j] = rng_uniform(&r) < 0.5 ? 0.1 : 0.9;
    size_t N = (size_t)1 << bits;
    for (size_t x = 0; x < N; x++) {
        double s = 0;
        for (int m = 0; m < NMIX; m++) {
            double q = 1.0 / NMIX;
            for (int j = 0; j < bits; j++) q *= (x >> (bits - 1 - j)) & 1 ? u[m][j] : 1 - u[m][j];
            s += q;
        }
        p[x] = s;
    }
}
/* end: vae-mixture */

/* The exact distribution of class k over 2^bits outcomes: FU, Haar and
 * product from bench/ch7_util (shared with ar-fidelity), the mixture here. */
static int vx_distribution(double *p, const vx_cfg *g, int k, uint64_t seed)
{
    if (k == 3) {
        vx_mixture(p, g->bits, seed);
        return 0;
    }
    return ch7_distribution(p, g->bits, g->fu_n, g->fu_L, k, seed);
}

enum { VX_NFIX = 19 }; /* the fixed numbers of a VAE cell, then the curve, then the sweep */
typedef struct {
    double F, se, corr, maxrel, nelbo, kl, klunit, active;
    double secs;       /* wall time of the cell */
    double nelbo_prev; /* training: the epoch before the last */
    double lr;         /* the learning rate chosen on the held-out set */
    double Fs, ses;    /* fidelity and its SE at the short budget */
    double ho, ho_se, ho_prev;    /* held-out negative ELBO at the long budget, its SE, the epoch before */
    double hos, hos_se, hos_prev; /* the same at the short budget */
    double curve[MAXE];           /* held-out negative ELBO after each epoch (the chosen rate) */
    double sweep[MAXLR];          /* held-out negative ELBO of each rate at the short budget */
} vx_cell;

/* The negative ELBO of the held-out set H (nh x bits, nh a multiple of 100)
 * with the fixed noise eps, mean and SE over its chunks of 100. */
static double vx_heldout(vae *v, double *se, const float *H, const float *eps, int nh)
{
    enum { CH = 100 };
    double s = 0, s2 = 0;
    int n = nh / CH;
    for (int i = 0; i < n; i++) {
        double l = vae_loss(v, H + (size_t)i * CH * v->bits, eps + (size_t)i * CH * v->latent, CH);
        s += l, s2 += l * l;
    }
    double m = s / n;
    *se = n > 1 ? sqrt(fmax(s2 - s * m, 0) / (n - 1) / n) : NAN;
    return m;
}

typedef struct {
    const vx_cfg *g;
    const float *X, *H, *eps; /* training set, held-out set, its fixed noise */
    const uint64_t *xs;       /* fidelity samples x ~ p */
    const double *px;
    uint64_t seed;
    uint32_t cell;
} vx_job;

/* The fidelity of v from the job's samples, importance sampling on stream s. */
static int vx_fid(vae_fid *f, vae *v, const vx_job *j, uint32_t s)
{
    rng_stream rq;
    rng_init(&rq, j->seed, j->cell, s);
    return vae_fidelity(v, f, j->xs, j->px, j->g->M, j->g->K, j->g->alpha, &rq);
}

/* listing: vae-cell */
// Each rate of the sweep trains the same initial weights on the same batches
// for the short budget; the one with the lowest held-out negative ELBO (the
// first on a tie) is measured there and trains on to the long budget.
static int vx_train(vx_cell *out, const vx_job *j, int depth, int latent)
{
    const vx_cfg *g = j->g;
    int E4 = vx_short(g), best = 0, rc = 0;
    vae v[MAXLR];
    rng_stream r[MAXLR];
    double train[MAXLR][MAXE], curve[MAXLR][MAXE], cse[MAXLR][MAXE];
    for (int i = 0; i < g->nlr; i++) {
        if (vae_init(&v[i], g->bits, latent, depth, g->width, NN_TANH, g->batch > g->K ? g->batch : g->K)) {
            for (int h = 0; h < i; h++) vae_clear(&v[h]);
            return -1;
        }
        rng_init(&r[i], j->seed, j->cell, 0);
        vae_init_weights(&v[i], &r[i]);
        v[i].oe.lr = v[i].od.lr = g->lr[i];
        for (int e = 0; e < E4; e++) {
            train[i][e] = vae_train_epoch(&v[i], j->X, (size_t)g->ntrain, g->batch, &r[i]);
            curve[i][e] = vx_heldout(&v[i], &cse[i][e], j->H, j->eps, g->nheld);
        }
        out->sweep[i] = curve[i][E4 - 1];
        if (curve[i][E4 - 1] < curve[best][E4 - 1]) best = i;
    }
    vae *w = &v[best];
    const double *tr = train[best], *cv = curve[best], *cs = cse[best];
    out->lr = g->lr[best];
    vae_fid f;
    rc |= vx_fid(&f, w, j, 4);
    out->Fs = f.F, out->ses = f.se;
    for (int e = E4; e < g->epochs; e++) {
        train[best][e] = vae_train_epoch(w, j->X, (size_t)g->ntrain, g->batch, &r[best]);
        curve[best][e] = vx_heldout(w, &cse[best][e], j->H, j->eps, g->nheld);
    }
    for (int e = 0; e < g->epochs; e++) out->curve[e] = cv[e];
    int L = g->epochs - 1;
    out->ho = cv[L], out->ho_se = cs[L], out->ho_prev = cv[L - 1];
    out->hos = cv[E4 - 1], out->hos_se = cs[E4 - 1], out->hos_prev = E4 > 1 ? cv[E4 - 2] : NAN;
    out->nelbo = tr[L], out->nelbo_prev = tr[L - 1];
    double kl[64];
    vae_kl_units(w, kl, j->X, (size_t)g->ntrain);
    out->kl = 0, out->active = 0;
    for (int u = 0; u < latent; u++) out->kl += kl[u], out->active += kl[u] > VX_ACTIVE;
    out->klunit = out->kl / latent;
    rc |= vx_fid(&f, w, j, 2);
    out->F = f.F, out->se = f.se, out->corr = f.bias_corr, out->maxrel = f.max_relse;
    for (int i = 0; i < g->nlr; i++) vae_clear(&v[i]);
    return rc;
}
/* end: vae-cell */

/* The held-out set of (class k, repetition rep): stream 1 of the training
 * set's key (stream 0, unchanged, is the training set). */
static void vx_heldout_set(float *H, const fu_alias *al, const vx_cfg *g, int k, int rep, uint64_t seed)
{
    rng_stream r;
    rng_init(&r, seed, 7000 + (uint32_t)(k * g->reps + rep), 1);
    for (int i = 0; i < g->nheld; i++) vae_bits(H + (size_t)i * g->bits, fu_alias_draw(al, &r), g->bits);
}

static int vx_model(vx_cell *o, const vx_cfg *g, const double *p, const fu_alias *al, const float *X, int k, int rep,
                    int depth, int latent, uint64_t seed, uint32_t cell)
{
    float *H = malloc((size_t)g->nheld * g->bits * sizeof *H), *eps = malloc((size_t)g->nheld * latent * sizeof *eps);
    uint64_t *xs = malloc(g->M * sizeof *xs);
    double *px = malloc(g->M * sizeof *px);
    int rc = -1;
    if (H && eps && xs && px) {
        rng_stream rs, re;
        vx_heldout_set(H, al, g, k, rep, seed);
        rng_init(&re, seed, cell, 5);
        for (size_t i = 0; i < (size_t)g->nheld * latent; i++) eps[i] = (float)rng_normal(&re);
        rng_init(&rs, seed, cell, 1); /* fidelity: M fresh samples x ~ p (stream 1), q by IS (streams 2, 4) */
        for (int i = 0; i < g->M; i++) xs[i] = fu_alias_draw(al, &rs), px[i] = p[xs[i]];
        vx_job j = {g, X, H, eps, xs, px, seed, cell};
        rc = vx_train(o, &j, depth, latent);
    }
    free(H), free(eps), free(xs), free(px);
    return rc;
}

/* VAE cell c: its class's distribution and training set, then the model. */
static int vx_vae_cell(const exp_ctx *ctx, const vx_cfg *g, int c, cellio_out *out)
{
    double t0 = progress_seconds();
    int rep = c % g->reps, ic = (c / g->reps) % g->nc, d = (c / (g->reps * g->nc)) % g->nd,
        k = c / (g->reps * g->nc * g->nd);
    size_t N = (size_t)1 << g->bits;
    double *p = malloc(N * sizeof *p);
    float *X = malloc((size_t)g->ntrain * g->bits * sizeof *X);
    fu_alias al;
    vx_cell o;
    memset(&o, 0, sizeof o);
    int rc = p && X && vx_distribution(p, g, k, ctx->seed) == 0 ? 0 : -1;
    if (rc == 0) {
        rc = fu_alias_init(&al, p, N);
        if (rc == 0) {
            /* the training set of (class, repetition), as ar-fidelity's */
            ch7_train_set(X, &al, g->bits, g->ntrain, ctx->seed, k, rep, g->reps);
            rc = vx_model(&o, g, p, &al, X, k, rep, d + 1, vx_latent(g, ic), ctx->seed, (uint32_t)c);
        }
        fu_alias_clear(&al);
    }
    free(p);
    free(X);
    if (rc != 0) {
        fprintf(stderr, "vae-fidelity: cell %d failed (allocation or bad size)\n", c);
        return -1;
    }
    o.secs = progress_seconds() - t0;
    double x[VX_NFIX] = {o.F,  o.se,    o.corr, o.maxrel, o.nelbo,   o.kl,  o.klunit, o.active, o.secs,  o.nelbo_prev,
                         o.lr, o.Fs,    o.ses,  o.ho,     o.ho_se,   o.ho_prev, o.hos, o.hos_se, o.hos_prev};
    cellio_put_f64s(out, x, VX_NFIX);
    cellio_put_f64s(out, o.curve, g->epochs);
    cellio_put_f64s(out, o.sweep, g->nlr);
    return 0;
}

/* listing: vae-collapsed */
/* A collapsed VAE on class k, built rather than trained: depth 1 at
 * compression 0.5, the encoder's Glorot weights (so its latent units carry
 * KL), every decoder weight zero and its output biases the logits of the
 * exact marginals, so q is the product of the exact marginals (baseline b)
 * whatever z.  out: its held-out negative ELBO, that SE, and the fraction of
 * its units above the first measure's VX_ACTIVE nats of KL. */
static int vx_collapsed(double out[3], const vx_cfg *g, const double *p, const fu_alias *al, int k, int latent,
                        uint64_t seed, uint32_t cell)
{
    vae v;
    float *H = malloc((size_t)g->nheld * g->bits * sizeof *H), *eps = malloc((size_t)g->nheld * latent * sizeof *eps);
    int rc = H && eps ? vae_init(&v, g->bits, latent, 1, g->width, NN_TANH, g->batch) : -1;
    if (rc == 0) {
        rng_stream r;
        rng_init(&r, seed, cell, 0);
        vae_init_weights(&v, &r);
        double m1[64], kl[64];
        ch7_marginals(m1, p, g->bits);
        for (size_t i = 0; i < v.dec.nparams; i++) v.dec.params[i] = 0;
        float *b = v.dec.params + v.dec.woff[1] + (size_t)g->bits * g->width; /* the output layer's biases */
        for (int j = 0; j < g->bits; j++) {
            double m = fmin(fmax(m1[j], 1e-6), 1 - 1e-6);
            b[j] = (float)log(m / (1 - m));
        }
        vx_heldout_set(H, al, g, k, 0, seed);
        rng_init(&r, seed, cell, 5);
        for (size_t i = 0; i < (size_t)g->nheld * latent; i++) eps[i] = (float)rng_normal(&r);
        out[0] = vx_heldout(&v, &out[1], H, eps, g->nheld);
        vae_kl_units(&v, kl, H, (size_t)g->nheld);
        out[2] = 0;
        for (int u = 0; u < latent; u++) out[2] += (kl[u] > VX_ACTIVE) / (double)latent;
        vae_clear(&v);
    }
    free(H), free(eps);
    return rc;
}
/* end: vae-collapsed */

/* Baseline cell of class k: the exact baselines and entropies, and the built collapsed VAE. */
static int vx_base_cell(const exp_ctx *ctx, const vx_cfg *g, int k, cellio_out *out)
{
    size_t N = (size_t)1 << g->bits;
    double *p = malloc(N * sizeof *p), base[8];
    fu_alias al;
    int rc = p && vx_distribution(p, g, k, ctx->seed) == 0 ? fu_alias_init(&al, p, N) : -1;
    if (rc == 0) {
        int ih = 0;
        for (int ic = 0; ic < g->nc; ic++)
            if (fabs(g->comp[ic] - 0.5) < 1e-9) ih = ic;
        ch7_baselines(base, p, g->bits);
        ch7_entropies(base + 3, p, g->bits);
        rc = vx_collapsed(base + 5, g, p, &al, k, vx_latent(g, ih), ctx->seed, (uint32_t)(vx_nvae(g) + k));
        fu_alias_clear(&al);
    }
    free(p);
    if (rc != 0) return -1;
    cellio_put_f64s(out, base, 8);
    return 0;
}

static int vx_cell_fn(const exp_ctx *ctx, int c, cellio_out *out)
{
    vx_cfg g;
    vx_config(&g, ctx->scale);
    if (c < vx_nvae(&g)) return vx_vae_cell(ctx, &g, c, out);
    return vx_base_cell(ctx, &g, c - vx_nvae(&g), out);
}

/* --- reduce: the tables ------------------------------------------------------------------ */

typedef struct {
    vx_cfg g;
    vx_cell *res;           /* every VAE, by cell index */
    double base[NCLASS][8]; /* F of baselines (a), (b), (c); H_b and H(p) in nats; the collapsed VAE */
    double Fm[NCLASS][MAXD][MAXC], Fe[NCLASS][MAXD][MAXC], klu[NCLASS][MAXD][MAXC];
    double Fsm[NCLASS][MAXD][MAXC], Fse[NCLASS][MAXD][MAXC];
    long params[MAXD][MAXC]; /* trainable parameters per (depth, compression) */
    double maxrel, maxcorr, maxse, secs;
    int ih; /* the compression 0.5 */
} vx_grid;

static const vx_cell *vx_at(const vx_grid *G, int k, int d, int ic, int rep)
{
    const vx_cfg *g = &G->g;
    return &G->res[((k * g->nd + d) * g->nc + ic) * g->reps + rep];
}

static void vx_read(vx_grid *G, cellio_in *in)
{
    const vx_cfg *g = &G->g;
    int nv = vx_nvae(g);
    for (int c = 0; c < nv; c++) {
        double x[VX_NFIX];
        vx_cell *e = &G->res[c];
        cellio_get_f64s(&in[c], x, VX_NFIX);
        e->F = x[0], e->se = x[1], e->corr = x[2], e->maxrel = x[3], e->nelbo = x[4], e->kl = x[5];
        e->klunit = x[6], e->active = x[7], e->secs = x[8], e->nelbo_prev = x[9], e->lr = x[10], e->Fs = x[11];
        e->ses = x[12], e->ho = x[13], e->ho_se = x[14], e->ho_prev = x[15], e->hos = x[16], e->hos_se = x[17];
        e->hos_prev = x[18];
        cellio_get_f64s(&in[c], e->curve, g->epochs);
        cellio_get_f64s(&in[c], e->sweep, g->nlr);
        G->secs += e->secs;
    }
    for (int k = 0; k < NCLASS; k++) cellio_get_f64s(&in[nv + k], G->base[k], 8);
    G->ih = -1;
    for (int ic = 0; ic < g->nc; ic++)
        if (fabs(g->comp[ic] - 0.5) < 1e-9) G->ih = ic;
    for (int d = 0; d < g->nd; d++)
        for (int ic = 0; ic < g->nc; ic++) {
            vae v;
            G->params[d][ic] = vae_init(&v, g->bits, vx_latent(g, ic), d + 1, g->width, NN_TANH, 1) == 0
                                   ? (long)(v.enc.nparams + v.dec.nparams)
                                   : -1;
            vae_clear(&v);
        }
}

static double mean_of(const double *x, int n, double *sem)
{
    double s = 0, s2 = 0;
    for (int i = 0; i < n; i++) s += x[i];
    double m = s / n;
    for (int i = 0; i < n; i++) s2 += (x[i] - m) * (x[i] - m);
    if (sem) *sem = n > 1 ? sqrt(s2 / (n - 1) / n) : NAN;
    return m;
}

/* One model's row of vae_cells. */
static void vx_cell_row(FILE *f, const vx_grid *G, int k, int d, int ic, int rep)
{
    const vx_cfg *g = &G->g;
    const vx_cell *e = vx_at(G, k, d, ic, rep);
    fprintf(f, "%s\t%d\t%.2f\t%d\t%d\t%.6f\t%.6f\t%.2e\t%.3e\t%.5f\t%.5f\t%.5f\t%.0f\t%.5f", cls_name[k], d + 1,
            g->comp[ic], vx_latent(g, ic), rep, e->F, e->se, e->corr, e->maxrel, e->nelbo, e->kl, e->klunit, e->active,
            e->nelbo_prev);
    fprintf(f, "\t%g\t%.6f\t%.6f\t%.5f\t%.5f\t%.5f\t%.5f\t%.5f\t%.5f", e->lr, e->Fs, e->ses, e->ho, e->ho_se, e->ho_prev,
            e->hos, e->hos_se, e->hos_prev);
    for (int i = 0; i < g->nlr; i++) fprintf(f, "\t%.5f", e->sweep[i]);
    fputc('\n', f);
}

/* Class k's rows of vae_cells, vae_fidelity and vae_curves; means, errors, KL. */
static void vx_class_rows(vx_grid *G, int k, FILE *tc, FILE *ts, FILE *tl)
{
    const vx_cfg *g = &G->g;
    for (int d = 0; d < g->nd; d++)
        for (int ic = 0; ic < g->nc; ic++) {
            double fv[MAXR], fs[MAXR], kv[MAXR], cv[MAXR];
            for (int rep = 0; rep < g->reps; rep++) {
                const vx_cell *e = vx_at(G, k, d, ic, rep);
                vx_cell_row(tc, G, k, d, ic, rep);
                fv[rep] = e->F, fs[rep] = e->Fs, kv[rep] = e->klunit;
                G->maxrel = fmax(G->maxrel, e->maxrel), G->maxcorr = fmax(G->maxcorr, e->corr);
                G->maxse = fmax(G->maxse, e->se);
                for (int ep = 0; ep < g->epochs; ep++)
                    fprintf(tl, "%s\t%d\t%.2f\t%d\t%g\t%d\t%.5f\t-\n", cls_name[k], d + 1, g->comp[ic], rep, e->lr, ep + 1,
                            e->curve[ep]);
            }
            for (int ep = 0; ep < g->epochs; ep++) { /* the mean curve over the repetitions */
                double se;
                for (int rep = 0; rep < g->reps; rep++) cv[rep] = vx_at(G, k, d, ic, rep)->curve[ep];
                double m = mean_of(cv, g->reps, &se);
                fprintf(tl, "%s\t%d\t%.2f\tmean\t-\t%d\t%.5f\t%.5f\n", cls_name[k], d + 1, g->comp[ic], ep + 1, m, se);
            }
            /* error bar: spread over independent repetitions (training set, init, estimator) */
            G->Fm[k][d][ic] = mean_of(fv, g->reps, &G->Fe[k][d][ic]);
            G->Fsm[k][d][ic] = mean_of(fs, g->reps, &G->Fse[k][d][ic]);
            G->klu[k][d][ic] = mean_of(kv, g->reps, NULL);
            fprintf(ts, "%s\t%d\t%.2f\t%d\t%.6f\t%.6f\t%.5f\t%ld\t%.6f\t%.6f\n", cls_name[k], d + 1, g->comp[ic],
                    vx_latent(g, ic), G->Fm[k][d][ic], G->Fe[k][d][ic], G->klu[k][d][ic], G->params[d][ic],
                    G->Fsm[k][d][ic], G->Fse[k][d][ic]);
        }
}

/* vae_cells (one row per model: what the rule reads), vae_fidelity (means
 * per point, for the figure), vae_baselines (exact, per class), vae_curves
 * (held-out learning curves per model and their means). */
static int vx_tables(vx_grid *G, run_set *set)
{
    binio_file tc, ts, tb, tl;
    char hc[1024];
    int l = snprintf(hc, sizeof hc, "class\tdepth\tcompression\tlatent\trep\tF\tF_se\tbias_corr\tmax_relse\tneg_elbo\t"
                                    "kl_total\tkl_per_unit\tactive_units\tneg_elbo_prev\tlr\tF_short\tF_se_short\theldout\t"
                                    "heldout_se\theldout_prev\theldout_short\theldout_short_se\theldout_short_prev");
    for (int i = 0; i < G->g.nlr; i++) l += snprintf(hc + l, sizeof hc - l, "\tsweep_lr%d", i + 1);
    if (run_tsv_open(&tc, set, "vae_cells", hc)) return -1;
    if (run_tsv_open(&ts, set, "vae_fidelity",
                     "class\tdepth\tcompression\tlatent\tF_mean\tF_err\tkl_per_unit\tparams\tF_short_mean\tF_short_err")) {
        run_abort_file(set, &tc);
        return -1;
    }
    if (run_tsv_open(&tb, set, "vae_baselines",
                     "class\tuniform\tmarginals\tsupport\tqubits\tmarg_entropy_nats\tentropy_nats\tcollapsed_heldout\t"
                     "collapsed_heldout_se\tcollapsed_kl_active")) {
        run_abort_file(set, &tc);
        run_abort_file(set, &ts);
        return -1;
    }
    if (run_tsv_open(&tl, set, "vae_curves", "class\tdepth\tcompression\trep\tlr\tepoch\theldout\theldout_err")) {
        run_abort_file(set, &tc);
        run_abort_file(set, &ts);
        run_abort_file(set, &tb);
        return -1;
    }
    for (int k = 0; k < NCLASS; k++) {
        const double *b = G->base[k];
        fprintf(tb.f, "%s\t%.6f\t%.6f\t%.6f\t%d\t%.9f\t%.9f\t%.5f\t%.5f\t%.3f\n", cls_name[k], b[0], b[1], b[2], G->g.bits,
                b[3], b[4], b[5], b[6], b[7]);
        vx_class_rows(G, k, tc.f, ts.f, tl.f);
    }
    return run_close(set, &tc) | run_close(set, &ts) | run_close(set, &tb) | run_close(set, &tl);
}

/* --- RO-3's rule: a pure function of vae_cells.tsv and vae_baselines.tsv ------------------ */

#define RO3_ALPHA 0.05          /* level of each family of tests */
#define RO3_CONTROL 0.95        /* positive control: product F at the smallest compression above this */
#define RO3_MIXROOM 0.5         /* positive control: mixture F above (b) by this fraction of 1 - F_b at the smallest compression */
#define RO3_MARGIN 0.1          /* equivalence margin: this fraction of 1 - F_b, the room above baseline (b) */
#define RO3_LATENT 0.01         /* nats: a held-out negative ELBO below H_b by more (upper bound) uses its latent */
#define RO3_CONV 0.01           /* nats: a class whose last epoch lowers the held-out negative ELBO by this much on average (upper bound): not converged */
#define RO3_BOOT 1000           /* bootstrap resamples of the repetitions */
#define RO3_BOOT_KEY 0x524f33u  /* the bootstrap's fixed stream ("RO3") */

/* Every model of the grid, as the data files give it. */
typedef struct {
    int nd, nc, reps, bits;
    double comp[MAXC];
    int latent[MAXC];
    double base[NCLASS][5]; /* uniform, marginals, support, H_b, H(p) */
    double F[NCLASS][MAXD][MAXC][MAXR], se[NCLASS][MAXD][MAXC][MAXR], nelbo[NCLASS][MAXD][MAXC][MAXR];
    double prev[NCLASS][MAXD][MAXC][MAXR], active[NCLASS][MAXD][MAXC][MAXR], nse[NCLASS][MAXD][MAXC][MAXR];
} ro3_data;

static int ro3_class(const char *s)
{
    for (int k = 0; k < NCLASS; k++)
        if (strcmp(s, cls_name[k]) == 0) return k;
    return -1;
}

static int ro3_load_base(ro3_data *D, vd_data *d)
{
    static const char *const name[5] = {"uniform", "marginals", "support", "marg_entropy_nats", "entropy_nats"};
    const tsv_table *t = vd_table(d, "vae_baselines.tsv");
    int col[5], cc, cq, seen = 0;
    if (!t || (cc = vd_col(d, t, "class")) < 0 || (cq = vd_col(d, t, "qubits")) < 0) return -1;
    for (int j = 0; j < 5; j++)
        if ((col[j] = vd_col(d, t, name[j])) < 0) return -1;
    for (int i = 0; i < t->nrows; i++) {
        int k = ro3_class(tsv_str(t, i, cc));
        if (k < 0) continue;
        seen |= 1 << k;
        for (int j = 0; j < 5; j++) D->base[k][j] = tsv_num(t, i, col[j]);
        D->bits = (int)tsv_num(t, i, cq);
    }
    if (seen != (1 << NCLASS) - 1 || !(D->bits > 0)) {
        snprintf(d->err, sizeof d->err, "vae_baselines.tsv: a class or the qubit count is missing");
        return -1;
    }
    return 0;
}

/* The columns the rule reads; F, its SE and the held-out curve at the long
 * budget (0) or the short one (1). */
enum { RC_CLASS, RC_DEPTH, RC_COMP, RC_LATENT, RC_REP, RC_F, RC_SE, RC_NELBO, RC_PREV, RC_ACTIVE, RC_NSE, RC_N };
static const char *const rc_name[2][RC_N] = {
    {"class", "depth", "compression", "latent", "rep", "F", "F_se", "heldout", "heldout_prev", "active_units",
     "heldout_se"},
    {"class", "depth", "compression", "latent", "rep", "F_short", "F_se_short", "heldout_short", "heldout_short_prev",
     "active_units", "heldout_short_se"}};

/* The index of compression c, added (in order) when new; -1 when the grid is full. */
static int ro3_comp(ro3_data *D, double c, int add)
{
    for (int i = 0; i < D->nc; i++)
        if (fabs(D->comp[i] - c) < 1e-9) return i;
    if (!add || D->nc == MAXC) return -1;
    int i = D->nc++;
    while (i > 0 && D->comp[i - 1] > c) D->comp[i] = D->comp[i - 1], i--;
    D->comp[i] = c;
    return i;
}

/* The grid's sizes: depths 1..nd, repetitions 0..reps-1, the compressions ascending. */
static int ro3_grid(ro3_data *D, vd_data *d, const tsv_table *t, const int *col)
{
    for (int i = 0; i < t->nrows; i++) {
        int dep = (int)tsv_num(t, i, col[RC_DEPTH]), rep = (int)tsv_num(t, i, col[RC_REP]);
        double c = tsv_num(t, i, col[RC_COMP]);
        if (ro3_class(tsv_str(t, i, col[RC_CLASS])) < 0 || dep < 1 || dep > MAXD || rep < 0 || rep >= MAXR || !(c > 0) ||
            ro3_comp(D, c, 1) < 0) {
            snprintf(d->err, sizeof d->err, "vae_cells.tsv row %d: outside the grid this rule reads", i + 1);
            return -1;
        }
        D->nd = dep > D->nd ? dep : D->nd, D->reps = rep + 1 > D->reps ? rep + 1 : D->reps;
    }
    if (D->reps < 2) {
        snprintf(d->err, sizeof d->err, "vae_cells.tsv: fewer than two repetitions");
        return -1;
    }
    return 0;
}

static int ro3_load_cells(ro3_data *D, vd_data *d, int budget)
{
    const tsv_table *t = vd_table(d, "vae_cells.tsv");
    int col[RC_N];
    if (!t) return -1;
    for (int j = 0; j < RC_N; j++)
        if ((col[j] = vd_col(d, t, rc_name[budget][j])) < 0) return -1;
    if (ro3_grid(D, d, t, col) != 0) return -1;
    static const int n = NCLASS * MAXD * MAXC * MAXR;
    unsigned char seen[NCLASS * MAXD * MAXC * MAXR] = {0};
    for (int i = 0; i < t->nrows; i++) {
        int k = ro3_class(tsv_str(t, i, col[RC_CLASS])), dd = (int)tsv_num(t, i, col[RC_DEPTH]) - 1;
        int c = ro3_comp(D, tsv_num(t, i, col[RC_COMP]), 0), r = (int)tsv_num(t, i, col[RC_REP]);
        int at = ((k * MAXD + dd) * MAXC + c) * MAXR + r;
        if (seen[at]++) {
            snprintf(d->err, sizeof d->err, "vae_cells.tsv row %d: a model given twice", i + 1);
            return -1;
        }
        D->F[k][dd][c][r] = tsv_num(t, i, col[RC_F]), D->se[k][dd][c][r] = tsv_num(t, i, col[RC_SE]);
        D->nelbo[k][dd][c][r] = tsv_num(t, i, col[RC_NELBO]), D->prev[k][dd][c][r] = tsv_num(t, i, col[RC_PREV]);
        D->active[k][dd][c][r] = tsv_num(t, i, col[RC_ACTIVE]), D->latent[c] = (int)tsv_num(t, i, col[RC_LATENT]);
        D->nse[k][dd][c][r] = tsv_num(t, i, col[RC_NSE]);
    }
    int have = 0;
    for (int i = 0; i < n; i++) have += seen[i];
    if (have != NCLASS * D->nd * D->nc * D->reps) {
        snprintf(d->err, sizeof d->err, "vae_cells.tsv: %d models, the grid has %d", have, NCLASS * D->nd * D->nc * D->reps);
        return -1;
    }
    return 0;
}

static double sq(double x) { return x * x; }

/* The mean of R values v[r] (one per repetition: the statistical unit) and
 * its standard error, from the sample variance over the repetitions floored
 * by the mean estimator variance ev[r] (a few repetitions can agree by
 * chance far better than their fidelity estimates allow). */
static double ro3_mean_se(double *se, const double *v, const double *ev, int R)
{
    double m = 0, s2 = 0, e2 = 0;
    for (int r = 0; r < R; r++) m += v[r];
    m /= R;
    for (int r = 0; r < R; r++) s2 += sq(v[r] - m), e2 += ev[r];
    *se = sqrt(fmax(s2 / (R - 1), e2 / R) / R);
    return m;
}

/* Class k at (depth index d, compression c): the mean F over the
 * repetitions rm[0..R-1] and its standard error. */
static double ro3_point(double *se, const ro3_data *D, const int *rm, int k, int d, int c)
{
    double v[MAXR], ev[MAXR];
    for (int r = 0; r < D->reps; r++) v[r] = D->F[k][d][c][rm[r]], ev[r] = sq(D->se[k][d][c][rm[r]]);
    return ro3_mean_se(se, v, ev, D->reps);
}

/* Class k at compression c: the paired depth gain F(deepest) - F(depth 1)
 * (one training set per repetition, shared by the depths). */
static double ro3_gain(double *se, const ro3_data *D, const int *rm, int k, int c)
{
    double v[MAXR], ev[MAXR];
    for (int r = 0; r < D->reps; r++) {
        int q = rm[r], t = D->nd - 1;
        v[r] = D->F[k][t][c][q] - D->F[k][0][c][q], ev[r] = sq(D->se[k][t][c][q]) + sq(D->se[k][0][c][q]);
    }
    return ro3_mean_se(se, v, ev, D->reps);
}

/* A positive control's value: class k's F at the smallest compression, per
 * repetition the mean over the depths (product: k = 2; mixture: k = 3). */
static double ro3_control(double *se, const ro3_data *D, const int *rm, int k)
{
    double v[MAXR], ev[MAXR];
    for (int r = 0; r < D->reps; r++) {
        v[r] = ev[r] = 0;
        for (int d = 0; d < D->nd; d++) v[r] += D->F[k][d][0][rm[r]] / D->nd, ev[r] += sq(D->se[k][d][0][rm[r]] / D->nd);
    }
    return ro3_mean_se(se, v, ev, D->reps);
}

/* Why the rule decided as it did (the note and the chapter say it in words). */
enum { RO3_NOCONV, RO3_NOCONTROL, RO3_NOTLEARNED, RO3_NOGAIN, RO3_HARM, RO3_UNDECIDED, RO3_CONTRAST, RO3_HAARGAIN,
       RO3_HAARUNDECIDED, RO3_HAARNOCONV, RO3_NWHY };
/* The depth effect of a class: no effect (equivalent within the margin), helps, harms, undecided. */
enum { DEPTH_NONE, DEPTH_HELPS, DEPTH_HARMS, DEPTH_UNDECIDED };
static const char *const depth_word[4] = {"none", "helps", "harms", "undecided"};

typedef struct {
    int unconverged[NCLASS], bad[NCLASS], models; /* per class: not converged; models with a non-finite value; models */
    double drift[NCLASS], drift_up[NCLASS];       /* per class: mean last-epoch decrease of the negative ELBO, upper bound */
    double tq_point, tq_gain, tq_equiv; /* t quantiles, reps - 1 degrees of freedom */
    double ctl, ctl_se, ctl_lo;         /* the product control and its lower bound */
    double mix, mix_se, mix_lo, mix_need; /* the mixture control, its lower bound and the level it must pass */
    int control;                        /* both controls pass */
    int beats[2];                       /* FU, Haar: (depth, compression) points above F_b */
    double gap, gap_se;                 /* FU: the largest mean F - F_b over the points, its SE */
    int gap_d, gap_c;
    double gain[2][MAXC], gain_se[2][MAXC], margin[2];
    int depth[2]; /* DEPTH_* of FU and Haar */
    int why;
    claims_verdict v;
} ro3_out;

/* listing: ro3-rule */
// Convergence of class k: every model's numbers finite, and the mean over its
// models of the last epoch's decrease of the negative ELBO (per repetition the
// mean over depths and compressions; one model's epoch-to-epoch change is
// mostly noise) has a one-sided upper bound below RO3_CONV nats.
static void ro3_converged(ro3_out *o, const ro3_data *D)
{
    o->models = D->nd * D->nc * D->reps;
    for (int k = 0; k < NCLASS; k++) {
        double v[MAXR], ev[MAXR], se;
        for (int r = 0; r < D->reps; r++) {
            v[r] = ev[r] = 0;
            for (int d = 0; d < D->nd; d++)
                for (int c = 0; c < D->nc; c++) {
                    double F = D->F[k][d][c][r], e = D->se[k][d][c][r];
                    v[r] += (D->prev[k][d][c][r] - D->nelbo[k][d][c][r]) / (D->nd * D->nc);
                    o->bad[k] += !(isfinite(F) && isfinite(e) && e >= 0);
                }
        }
        o->drift[k] = ro3_mean_se(&se, v, ev, D->reps);
        o->drift_up[k] = o->drift[k] + o->tq_equiv * se;
        o->unconverged[k] = o->bad[k] > 0 || !(o->drift_up[k] < RO3_CONV);
    }
}

// Class k's depth effect over the compressions: equivalence (TOST at alpha at
// every compression: |gain| + t SE < margin) takes precedence; else helps (the
// one-sided lower bound above 0 at some compression, Bonferroni over the
// compressions; for FU the deepest models there also beat baseline (b)); else
// harms (upper bound below 0 somewhere); else undecided.
static int ro3_depth(ro3_out *o, const ro3_data *D, const int *rm, int k)
{
    int helps = 0, harms = 0, equiv = 1;
    o->margin[k] = RO3_MARGIN * (1 - D->base[k][1]);
    for (int c = 0; c < D->nc; c++) {
        double se, dse, g = ro3_gain(&se, D, rm, k, c);
        int deep = ro3_point(&dse, D, rm, k, D->nd - 1, c) - o->tq_point * dse > D->base[k][1];
        o->gain[k][c] = g, o->gain_se[k][c] = se;
        equiv &= fabs(g) + o->tq_equiv * se < o->margin[k];
        helps |= g - o->tq_gain * se > 0 && (k == 1 || deep);
        harms |= g + o->tq_gain * se < 0;
    }
    return equiv ? DEPTH_NONE : helps ? DEPTH_HELPS : harms ? DEPTH_HARMS : DEPTH_UNDECIDED;
}

// The verdict.  Repetition r of class k is rm[k][r] (the identity, or a
// bootstrap resample).  FU models not converged, or a control (product,
// mixture) failed: inconclusive.  No FU point beats (b): not reproduced.
// Else by the depth effect on FU, then on Haar (whose models must have
// converged to decide its half).  The controls' convergence is reported, not
// required: a control that clears its level while still improving shows the
// pipeline learns, and one that fails makes the verdict inconclusive anyway.
static void ro3_decide(ro3_out *o, const ro3_data *D, int rm[NCLASS][MAXR])
{
    memset(o, 0, sizeof *o);
    o->tq_point = stats_t_quantile(1 - RO3_ALPHA / (D->nd * D->nc), D->reps - 1);
    o->tq_gain = stats_t_quantile(1 - RO3_ALPHA / D->nc, D->reps - 1);
    o->tq_equiv = stats_t_quantile(1 - RO3_ALPHA, D->reps - 1);
    ro3_converged(o, D);
    o->ctl = ro3_control(&o->ctl_se, D, rm[2], 2);
    o->ctl_lo = o->ctl - o->tq_equiv * o->ctl_se;
    o->mix = ro3_control(&o->mix_se, D, rm[3], 3);
    o->mix_lo = o->mix - o->tq_equiv * o->mix_se;
    o->mix_need = D->base[3][1] + RO3_MIXROOM * (1 - D->base[3][1]);
    o->control = o->ctl_lo > RO3_CONTROL && o->mix_lo > o->mix_need;
    o->gap = -INFINITY;
    for (int k = 0; k < 2; k++)
        for (int d = 0; d < D->nd; d++)
            for (int c = 0; c < D->nc; c++) {
                double se, m = ro3_point(&se, D, rm[k], k, d, c) - D->base[k][1];
                o->beats[k] += m - o->tq_point * se > 0;
                if (k == 0 && m > o->gap) o->gap = m, o->gap_se = se, o->gap_d = d, o->gap_c = c;
            }
    for (int k = 0; k < 2; k++) o->depth[k] = ro3_depth(o, D, rm[k], k);
    int fu = o->depth[0], haar = o->depth[1];
    o->why = o->unconverged[0]                        ? RO3_NOCONV
             : !o->control                             ? RO3_NOCONTROL
             : o->beats[0] == 0                        ? RO3_NOTLEARNED
             : fu == DEPTH_NONE                        ? RO3_NOGAIN
             : fu == DEPTH_HARMS                       ? RO3_HARM
             : fu == DEPTH_UNDECIDED                   ? RO3_UNDECIDED
             : o->unconverged[1]                       ? RO3_HAARNOCONV
             : haar == DEPTH_HELPS                     ? RO3_HAARGAIN
             : haar == DEPTH_UNDECIDED                 ? RO3_HAARUNDECIDED
                                                       : RO3_CONTRAST; /* Haar: none or harms */
    static const claims_verdict v[RO3_NWHY] = {
        CLAIMS_INCONCLUSIVE,   CLAIMS_INCONCLUSIVE, CLAIMS_NOT_REPRODUCED, CLAIMS_NOT_REPRODUCED,
        CLAIMS_NOT_REPRODUCED, CLAIMS_INCONCLUSIVE, CLAIMS_REPRODUCED,     CLAIMS_PARTLY,
        CLAIMS_PARTLY,         CLAIMS_PARTLY};
    o->v = v[o->why];
}
/* end: ro3-rule */

/* listing: vae-statistic */
// The first rule, fixed before the first runs, kept beside the new one (it
// lands on `partly` when the VAEs learn nothing).  Per class: a = F(depth 1),
// b = F(depth max) over all (compression, repetition); one-sided Mann-Whitney
// p of "a smaller" (depth helps).
// H1 (hard): p_FU < 0.05 and, at some compression, deep F - 2 err > baseline (b).
// H2 (random): p_Haar >= 0.05 (no significant gain from depth).
// H3 (easy): product F at the smallest compression, mean over depths and
//            repetitions, exceeds 0.95 by more than 2 standard errors.
// All three: reproduced; none: not reproduced; otherwise partly.
typedef struct {
    double pval[NCLASS], pmean, pse;
    int n, beats_b, h1, h2, h3;
    claims_verdict v;
} ro3_first_out;

static void ro3_first(ro3_first_out *s, const ro3_data *D)
{
    double a[MAXC * MAXR], b[MAXC * MAXR], f[MAXD * MAXR], sem;
    int t = D->nd - 1;
    for (int k = 0; k < NCLASS; k++) {
        s->n = 0;
        for (int c = 0; c < D->nc; c++)
            for (int r = 0; r < D->reps; r++, s->n++) a[s->n] = D->F[k][0][c][r], b[s->n] = D->F[k][t][c][r];
        s->pval[k] = stats_mann_whitney_p(a, s->n, b, s->n);
    }
    s->beats_b = 0;
    for (int c = 0; c < D->nc; c++) {
        double m = mean_of(D->F[0][t][c], D->reps, &sem);
        s->beats_b += m - 2 * sem > D->base[0][1];
    }
    int np = 0;
    for (int d = 0; d < D->nd; d++)
        for (int r = 0; r < D->reps; r++) f[np++] = D->F[2][d][0][r];
    s->pmean = mean_of(f, np, &s->pse);
    s->h1 = s->pval[0] < 0.05 && s->beats_b > 0, s->h2 = s->pval[1] >= 0.05;
    s->h3 = s->pmean - 2 * s->pse > 0.95;
    int nh = s->h1 + s->h2 + s->h3;
    s->v = nh == 3 ? CLAIMS_REPRODUCED : nh == 0 ? CLAIMS_NOT_REPRODUCED : CLAIMS_PARTLY;
}
/* end: vae-statistic */

/* The whole analysis: the rule, the first rule, latent use and the bootstrap. */
typedef struct {
    ro3_data *D, *S; /* the long and the short budget */
    ro3_out o, os;
    ro3_first_out first;
    double flip;               /* bootstrap: how often a resample of the repetitions flips the verdict */
    int uses[NCLASS], nmodels; /* models whose latent is in use */
    double active[NCLASS], active_all[NCLASS];
} ro3_all;

/* listing: ro3-latent */
// A model uses its latent when its held-out negative ELBO, plus 2 SE, is
// below H_b, the cross-entropy of the product of exact marginals (n ln 2 for
// FU), by more than RO3_LATENT nats.  A collapsed model (decoder independent
// of z) has an expected reconstruction term of at least H_b on fresh samples,
// so its negative ELBO (reconstruction plus KL) cannot pass, whatever KL its
// units carry (the experiment builds one and shows it).  Active units: the
// units above VX_ACTIVE nats of KL in models that use their latent.
static void ro3_latent(ro3_all *A)
{
    const ro3_data *D = A->D;
    A->nmodels = D->nd * D->nc * D->reps;
    for (int k = 0; k < NCLASS; k++) {
        double units = 0;
        for (int d = 0; d < D->nd; d++)
            for (int c = 0; c < D->nc; c++)
                for (int r = 0; r < D->reps; r++) {
                    int use = D->nelbo[k][d][c][r] + 2 * D->nse[k][d][c][r] < D->base[k][3] - RO3_LATENT;
                    A->uses[k] += use;
                    A->active[k] += use ? D->active[k][d][c][r] : 0;
                    A->active_all[k] += D->active[k][d][c][r];
                    units += D->latent[c];
                }
        A->active[k] /= units, A->active_all[k] /= units;
    }
}
/* end: ro3-latent */

/* How often the verdict flips when the repetitions of each class are
 * resampled with replacement (RO3_BOOT times, a fixed-key stream). */
static double ro3_boot(const ro3_data *D, claims_verdict v0)
{
    rng_stream g;
    rng_init(&g, 0, RO3_BOOT_KEY, 0);
    int rm[NCLASS][MAXR], flips = 0;
    ro3_out o;
    for (int b = 0; b < RO3_BOOT; b++) {
        for (int k = 0; k < NCLASS; k++)
            for (int r = 0; r < D->reps; r++) rm[k][r] = (int)rng_below(&g, (uint64_t)D->reps);
        ro3_decide(&o, D, rm);
        flips += o.v != v0;
    }
    return (double)flips / RO3_BOOT;
}

static void ro3_all_clear(ro3_all *A)
{
    free(A->D);
    free(A->S);
    A->D = A->S = NULL;
}

static int ro3_analyze(ro3_all *A, vd_data *d)
{
    memset(A, 0, sizeof *A);
    A->D = calloc(1, sizeof *A->D);
    A->S = calloc(1, sizeof *A->S);
    if (!A->D || !A->S || ro3_load_base(A->D, d) != 0 || ro3_load_cells(A->D, d, 0) != 0 ||
        ro3_load_base(A->S, d) != 0 || ro3_load_cells(A->S, d, 1) != 0) {
        ro3_all_clear(A);
        return -1;
    }
    int id[NCLASS][MAXR];
    for (int k = 0; k < NCLASS; k++)
        for (int r = 0; r < MAXR; r++) id[k][r] = r;
    ro3_decide(&A->o, A->D, id);
    ro3_decide(&A->os, A->S, id);
    ro3_first(&A->first, A->D);
    ro3_latent(A);
    A->flip = ro3_boot(A->D, A->o.v);
    return 0;
}

/* The reason in words (note, chapter). */
static void ro3_why(char *buf, size_t n, const ro3_out *o, const ro3_data *D)
{
    switch (o->why) {
    case RO3_NOCONV:
        snprintf(buf, n, "inconclusive: the FU models did not converge (mean last-epoch decrease of the held-out negative "
                         "ELBO up to %.3g nats, bound %.2g; models with a non-finite value: %d)",
                 o->drift_up[0], RO3_CONV, o->bad[0]);
        break;
    case RO3_HAARNOCONV:
        snprintf(buf, n, "partly: depth helps FU beyond (b); the Haar models did not converge (mean last-epoch decrease "
                         "up to %.3g nats), so the Haar half is not decided", o->drift_up[1]);
        break;
    case RO3_NOCONTROL:
        snprintf(buf, n, "inconclusive: a positive control failed at c = %.2g (product F lower bound %.4f, needs > %.2f; "
                         "mixture F lower bound %.4f, needs > %.4f)",
                 D->comp[0], o->ctl_lo, RO3_CONTROL, o->mix_lo, o->mix_need);
        break;
    case RO3_NOTLEARNED:
        snprintf(buf, n, "not reproduced: no FU model beats baseline (b), the product of the exact marginals, so nothing "
                         "beyond the marginals is learned and depth cannot help; the positive controls pass");
        break;
    case RO3_NOGAIN: snprintf(buf, n, "not reproduced: on FU the depth gain is within the margin at every compression"); break;
    case RO3_HARM: snprintf(buf, n, "not reproduced: on FU depth lowers F significantly"); break;
    case RO3_UNDECIDED:
        snprintf(buf, n, "inconclusive: FU models beat (b), but the depth gain is neither significant nor within the "
                         "margin (too little power)");
        break;
    case RO3_CONTRAST: snprintf(buf, n, "reproduced: depth helps FU beyond (b), no benefit on Haar, the control passes"); break;
    case RO3_HAARGAIN: snprintf(buf, n, "partly: depth helps FU beyond (b), but also Haar"); break;
    default:
        snprintf(buf, n, "partly: depth helps FU beyond (b); on Haar the gain is neither significant nor within the margin");
    }
}

/* The depth gains per compression, "+0.001 -0.002 ..." */
static void ro3_gains(char *buf, size_t n, const ro3_out *o, const ro3_data *D, int k)
{
    int l = 0;
    for (int c = 0; c < D->nc && l < (int)n; c++) l += snprintf(buf + l, n - l, "%s%+.3f", c ? " " : "", o->gain[k][c]);
}

int vd_ro3(vd_result *r, vd_data *d)
{
    ro3_all A;
    if (ro3_analyze(&A, d) != 0) return -1;
    const ro3_data *D = A.D;
    const ro3_out *o = &A.o;
    char gf[128], gh[128], why[320];
    ro3_gains(gf, sizeof gf, o, D, 0);
    ro3_gains(gh, sizeof gh, o, D, 1);
    ro3_why(why, sizeof why, o, D);
    r->verdict = o->v;
    vd_measured(r,
                "%d qubits; controls at c=%.2g: product F %.4f (lower bound %.4f, needs > %.2f), mixture F %.4f (lower "
                "bound %.4f, needs > %.4f); FU: %d of %d points beat (b), best by %+.4f (needs > %.4f); depth %d vs 1 "
                "gain per c: FU %s (%s), Haar %s (%s); short budget: %s; first rule: %s",
                D->bits, D->comp[0], o->ctl, o->ctl_lo, RO3_CONTROL, o->mix, o->mix_lo, o->mix_need, o->beats[0],
                D->nd * D->nc, o->gap, o->tq_point * o->gap_se, D->nd, gf, depth_word[o->depth[0]], gh,
                depth_word[o->depth[1]], claims_verdict_name(A.os.v), claims_verdict_name(A.first.v));
    vd_paper(r, "depth helps FU, not Haar; product compresses (figures, no table)");
    vd_note(r, "%s; latent in use (held-out neg ELBO + 2 SE < H_b - %.2g nats): FU %d, Haar %d, product %d, mixture %d of "
               "%d; the verdict %s at the short budget; bootstrap: flips in %.1f%% of %d resamples",
            why, RO3_LATENT, A.uses[0], A.uses[1], A.uses[2], A.uses[3], A.nmodels,
            A.os.v == o->v ? "holds" : "differs", 100 * A.flip, RO3_BOOT);
    int cf = 0, ch = 0;
    for (int c = 1; c < D->nc; c++) {
        cf = o->gain[0][c] > o->gain[0][cf] ? c : cf;
        ch = fabs(o->gain[1][c]) > fabs(o->gain[1][ch]) ? c : ch;
    }
    /* tolerances: 4 standard errors of each estimate; the flip rate's binomial error */
    vd_value(r, "product_F_cmin", o->ctl, 4 * o->ctl_se);
    vd_value(r, "mix_F_cmin", o->mix, 4 * o->mix_se);
    vd_value(r, "fu_best_gap", o->gap, 4 * o->gap_se);
    vd_value(r, "fu_gain_max", o->gain[0][cf], 4 * o->gain_se[0][cf]);
    vd_value(r, "haar_gain_maxabs", o->gain[1][ch], 4 * o->gain_se[1][ch]);
    vd_value(r, "boot_flip", A.flip, 4 * sqrt((A.flip * (1 - A.flip) + 1.0 / RO3_BOOT) / RO3_BOOT));
    ro3_all_clear(&A);
    return 0;
}

/* --- reduce: the macros, from the same analysis of the written data --------------------- */

/* The set-up: sizes, budgets, estimator checks. */
static int vx_macros_setup(const vx_grid *G, run_set *set)
{
    const vx_cfg *g = &G->g;
    char comps[512];
    int bl = 0;
    for (int ic = 0; ic < g->nc; ic++) bl += snprintf(comps + bl, sizeof comps - bl, "%s%.2g", ic ? ", " : "", g->comp[ic]);
    const texmac m[] = {
        TEXMAC_I("QuantVaeQubits", g->bits),      TEXMAC_I("QuantVaeFUn", g->fu_n),
        TEXMAC_I("QuantVaeFUL", g->fu_L),         TEXMAC_I("QuantVaeWidth", g->width),
        TEXMAC_I("QuantVaeTrainN", g->ntrain),    TEXMAC_I("QuantVaeEpochs", g->epochs),
        TEXMAC_I("QuantVaeBatch", g->batch),      TEXMAC_I("QuantVaeReps", g->reps),
        TEXMAC_I("QuantVaeM", g->M),              TEXMAC_I("QuantVaeK", g->K),
        TEXMAC_F("QuantVaeAlpha", 2, g->alpha),   TEXMAC_I("QuantVaeDepthMax", g->nd),
        TEXMAC_I("QuantVaeCells", vx_nvae(g)),    TEXMAC_I("QuantVaeNPairs", g->nc * g->reps),
        TEXMAC_S("QuantVaeCompressions", comps),  TEXMAC_F("QuantVaeCompMin", 2, g->comp[0]),
        TEXMAC_I("QuantVaeLatentMin", vx_latent(g, 0)), TEXMAC_N("QuantVaeSeconds", 3, G->secs),
        TEXMAC_E("QuantVaeMaxRelSE", 1, G->maxrel), TEXMAC_E("QuantVaeMaxCorr", 1, G->maxcorr),
        TEXMAC_E("QuantVaeMaxSE", 1, G->maxse),   TEXMAC_I("QuantVaeModelsPerClass", g->nd * g->nc * g->reps),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* Table bodies: F at c = 0.5 per class and depth with the baselines; KL per
 * unit, active fractions and latent use. */
static int vx_macros_tables(const vx_grid *G, const ro3_all *A, run_set *set)
{
    static const char *const pretty[NCLASS] = {"Fefferman--Umans", "Haar random", "product", "mixture (control)"};
    char fr[4096], kr[4096];
    int fl = 0, kl = 0, nd = G->g.nd, ih = G->ih;
    for (int k = 0; k < NCLASS; k++) {
        fl += snprintf(fr + fl, sizeof fr - fl, "%s", pretty[k]);
        kl += snprintf(kr + kl, sizeof kr - kl, "%s", pretty[k]);
        for (int d = 0; d < nd; d++) {
            fl += snprintf(fr + fl, sizeof fr - fl, " & $%.3f\\pm%.3f$", G->Fm[k][d][ih], G->Fe[k][d][ih]);
            kl += snprintf(kr + kl, sizeof kr - kl, " & %.3f", G->klu[k][d][ih]);
        }
        fl += snprintf(fr + fl, sizeof fr - fl, " & %.3f & %.3f & %.3f \\\\\n", G->base[k][0], G->base[k][1],
                       G->base[k][2]);
        kl += snprintf(kr + kl, sizeof kr - kl, " & %.2f & %d/%d & %.2f \\\\\n", A->active_all[k], A->uses[k], A->nmodels,
                       A->active[k]);
    }
    const texmac m[] = {TEXMAC_S("QuantVaeTableRows", fr), TEXMAC_S("QuantVaeKLRows", kr)};
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* Per class: first-rule p value, baselines, active fractions, latent use, F at c = 0.5. */
static int vx_macros_class(const vx_grid *G, const ro3_all *A, run_set *set)
{
    enum { PER = 10 };
    static const char *const stem[PER] = {"P", "BaseUniform", "BaseMarg", "BaseSupport", "Active", "FHalfDeep",
                                          "FHalfOne", "ActiveAll", "LatentUse", "HB"};
    char name[NCLASS * PER][64];
    texmac m[NCLASS * PER];
    for (int k = 0; k < NCLASS; k++) {
        double x[PER] = {A->first.pval[k], G->base[k][0], G->base[k][1], G->base[k][2], A->active[k],
                         G->Fm[k][G->g.nd - 1][G->ih], G->Fm[k][0][G->ih], A->active_all[k], A->uses[k], G->base[k][3]};
        for (int i = 0; i < PER; i++) {
            texmac *t = &m[k * PER + i];
            snprintf(name[k * PER + i], sizeof name[0], "QuantVae%s%s", stem[i], cls_tex[k]);
            *t = (texmac)TEXMAC_F(name[k * PER + i], i == 0 || i == 4 || i == 7 ? 2 : 3, x[i]);
            if (i == 0) t->kind = TEXMAC_NUM; /* the p value: fixed or scientific */
            if (i == 8) *t = (texmac)TEXMAC_I(name[k * PER + i], A->uses[k]);
        }
    }
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* The rule's table: per compression the depth gain of FU and Haar with its
 * standard error and the test's outcome there. */
static void vx_depth_rows(char *buf, size_t n, const ro3_all *A)
{
    const ro3_out *o = &A->o;
    const ro3_data *D = A->D;
    int l = 0;
    for (int c = 0; c < D->nc && l < (int)n; c++) {
        l += snprintf(buf + l, n - l, "%.2f", D->comp[c]);
        for (int k = 0; k < 2 && l < (int)n; k++) {
            double g = o->gain[k][c], se = o->gain_se[k][c];
            const char *w = fabs(g) + o->tq_equiv * se < o->margin[k] ? "within margin"
                            : g - o->tq_gain * se > 0                 ? "gain"
                            : g + o->tq_gain * se < 0                 ? "loss"
                                                                      : "undecided";
            l += snprintf(buf + l, n - l, " & $%+.4f$ & %.4f & %s", g, se, w);
        }
        l += snprintf(buf + l, n - l, " \\\\\n");
    }
}

/* The rule's outcome: control, the points above (b), the depth tests, the
 * bootstrap, and the first rule's verdict. */
static int vx_macros_rule(const ro3_all *A, run_set *set)
{
    const ro3_out *o = &A->o;
    const ro3_data *D = A->D;
    char rows[2048], why[320], power[320];
    vx_depth_rows(rows, sizeof rows, A);
    ro3_why(why, sizeof why, o, D);
    double hw = INFINITY; /* the narrowest equivalence half-width t SE on Haar */
    for (int c = 0; c < D->nc; c++) hw = fmin(hw, o->tq_equiv * o->gain_se[1][c]);
    snprintf(power, sizeof power,
             hw >= o->margin[1] ? "With these budgets the Haar half cannot come out as no effect: the narrowest "
                                  "equivalence half-width, $t\\,\\mathrm{SE} = %.4f$, exceeds the Haar margin."
                                : "The narrowest equivalence half-width on Haar, $t\\,\\mathrm{SE} = %.4f$, is below "
                                  "the margin, so the Haar half can be decided.",
             hw);
    const texmac m[] = {
        TEXMAC_F("QuantVaeLevel", 2, RO3_ALPHA),          TEXMAC_F("QuantVaeProdLevel", 2, RO3_CONTROL),
        TEXMAC_F("QuantVaeProdMean", 4, o->ctl),          TEXMAC_N("QuantVaeProdErr", 2, o->ctl_se),
        TEXMAC_F("QuantVaeProdLow", 4, o->ctl_lo),        TEXMAC_I("QuantVaeDF", D->reps - 1),
        TEXMAC_F("QuantVaeTPoint", 2, o->tq_point),       TEXMAC_F("QuantVaeTGain", 2, o->tq_gain),
        TEXMAC_F("QuantVaeTEquiv", 2, o->tq_equiv),       TEXMAC_I("QuantVaePoints", D->nd * D->nc),
        TEXMAC_I("QuantVaeBeatsFU", o->beats[0]),         TEXMAC_I("QuantVaeBeatsHaar", o->beats[1]),
        TEXMAC_F("QuantVaeGap", 4, o->gap),               TEXMAC_F("QuantVaeGapNeed", 4, o->tq_point * o->gap_se),
        TEXMAC_I("QuantVaeGapDepth", o->gap_d + 1),       TEXMAC_F("QuantVaeGapComp", 2, D->comp[o->gap_c]),
        TEXMAC_F("QuantVaeMarginFrac", 1, RO3_MARGIN),    TEXMAC_F("QuantVaeMarginFU", 4, o->margin[0]),
        TEXMAC_F("QuantVaeMarginHaar", 4, o->margin[1]),  TEXMAC_S("QuantVaeDepthRows", rows),
        TEXMAC_F("QuantVaeLatentDelta", 2, RO3_LATENT),   TEXMAC_F("QuantVaeConvDelta", 2, RO3_CONV),
        TEXMAC_N("QuantVaeDriftFU", 2, o->drift_up[0]),  TEXMAC_N("QuantVaeDriftHaar", 2, o->drift_up[1]),
        TEXMAC_N("QuantVaeDriftProduct", 2, o->drift_up[2]), TEXMAC_I("QuantVaeModels", o->models),
        TEXMAC_I("QuantVaeBadModels", o->bad[0] + o->bad[1] + o->bad[2] + o->bad[3]),
        TEXMAC_N("QuantVaeDriftMix", 2, o->drift_up[3]),
        TEXMAC_F("QuantVaeMixMean", 4, o->mix),            TEXMAC_N("QuantVaeMixErr", 2, o->mix_se),
        TEXMAC_F("QuantVaeMixLow", 4, o->mix_lo),          TEXMAC_F("QuantVaeMixNeed", 4, o->mix_need),
        TEXMAC_F("QuantVaeMixRoom", 1, RO3_MIXROOM),
        TEXMAC_I("QuantVaeBootB", RO3_BOOT),              TEXMAC_F("QuantVaeBootFlip", 1, 100 * A->flip),
        TEXMAC_S("QuantVaeOutcome", why),                 TEXMAC_S("QuantVaeVerdictNew", claims_verdict_name(o->v)),
        TEXMAC_S("QuantVaeHaarPower", power),
        TEXMAC_S("QuantVaeControlWord", o->ctl_lo > RO3_CONTROL ? "holds" : "fails"),
        TEXMAC_S("QuantVaeMixWord", o->mix_lo > o->mix_need ? "holds" : "fails"),
        TEXMAC_F("QuantVaeActiveThreshold", 2, VX_ACTIVE),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* The first rule's outcome (kept beside the new one). */
static int vx_macros_first(const ro3_all *A, run_set *set)
{
    const ro3_first_out *s = &A->first;
    const texmac m[] = {
        TEXMAC_I("QuantVaeBeatsB", s->beats_b),
        TEXMAC_F("QuantVaeFirstProdMean", 4, s->pmean),
        TEXMAC_N("QuantVaeFirstProdErr", 2, s->pse),
        TEXMAC_S("QuantVaeHOne", s->h1 ? "holds" : "fails"),
        TEXMAC_S("QuantVaeHTwo", s->h2 ? "holds" : "fails"),
        TEXMAC_S("QuantVaeHThree", s->h3 ? "holds" : "fails"),
        TEXMAC_S("QuantVaeFirstVerdict", claims_verdict_name(s->v)),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* The two budgets, the learning-rate sweep, the collapsed model built on
 * each class, the parameter counts. */
static int vx_macros_budget(const vx_grid *G, const ro3_all *A, run_set *set)
{
    const vx_cfg *g = &G->g;
    char why[320], lrs[256], pick[1024], coll[1024];
    ro3_why(why, sizeof why, &A->os, A->S);
    int l = 0, pl = 0, cl = 0;
    char head[256];
    int hl = 0;
    for (int i = 0; i < g->nlr; i++) {
        l += snprintf(lrs + l, sizeof lrs - l, "%s$%g$", i ? ", " : "", g->lr[i]);
        hl += snprintf(head + hl, sizeof head - hl, " & $%g$", g->lr[i]);
    }
    for (int d = 0; d < g->nd; d++) { /* per depth: how many models chose each rate */
        pl += snprintf(pick + pl, sizeof pick - pl, "%d", d + 1);
        for (int i = 0; i < g->nlr; i++) {
            int n = 0;
            for (int k = 0; k < NCLASS; k++)
                for (int ic = 0; ic < g->nc; ic++)
                    for (int r = 0; r < g->reps; r++) n += vx_at(G, k, d, ic, r)->lr == g->lr[i];
            pl += snprintf(pick + pl, sizeof pick - pl, " & %d", n);
        }
        pl += snprintf(pick + pl, sizeof pick - pl, " \\\\\n");
    }
    for (int k = 0; k < NCLASS; k++) /* the collapsed model: held-out neg ELBO - H_b, old active fraction */
        cl += snprintf(coll + cl, sizeof coll - cl, "%s & $%+.4f \\pm %.4f$ & %.2f & %s \\\\\n", cls_tex[k],
                       G->base[k][5] - G->base[k][3], G->base[k][6], G->base[k][7],
                       G->base[k][5] + 2 * G->base[k][6] < G->base[k][3] - RO3_LATENT ? "passes" : "fails");
    const texmac m[] = {
        TEXMAC_I("QuantVaeEpochsShort", vx_short(g)),   TEXMAC_I("QuantVaeHeldN", g->nheld),
        TEXMAC_S("QuantVaeLRs", lrs),                   TEXMAC_S("QuantVaeLRRows", pick),
        TEXMAC_I("QuantVaeNLR", g->nlr),                TEXMAC_S("QuantVaeCollapsedRows", coll),
        TEXMAC_S("QuantVaeLRHead", head),
        TEXMAC_S("QuantVaeVerdictShort", claims_verdict_name(A->os.v)),
        TEXMAC_S("QuantVaeOutcomeShort", why),
        TEXMAC_S("QuantVaeBudgetWord", A->os.v == A->o.v ? "the same" : "a different"),
        TEXMAC_I("QuantVaeParamsOne", G->params[0][G->ih]), TEXMAC_I("QuantVaeParamsDeep", G->params[g->nd - 1][G->ih]),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* Tables, then the analysis of the written tables (what `deepcheap verdict
 * RO-3` reads), then the macros; the verdict itself the runner decides. */
static int reduce_ro3(vx_grid *G, run_set *set)
{
    if (vx_tables(G, set) != 0) return -1;
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/data", set->dir);
    vd_data d;
    vd_data_init(&d, dir);
    ro3_all A;
    int rc = ro3_analyze(&A, &d);
    if (rc != 0) fprintf(stderr, "vae-fidelity: cannot read back the tables: %s\n", d.err);
    vd_data_clear(&d);
    if (rc != 0) return -1;
    rc = vx_macros_setup(G, set) || vx_macros_tables(G, &A, set) || vx_macros_class(G, &A, set) ||
         vx_macros_rule(&A, set) || vx_macros_first(&A, set) || vx_macros_budget(G, &A, set);
    ro3_all_clear(&A);
    return rc ? -1 : 0;
}

static int vx_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    vx_grid *G = calloc(1, sizeof *G);
    if (!G) return -1;
    vx_config(&G->g, ctx->scale);
    G->res = calloc((size_t)vx_nvae(&G->g), sizeof *G->res);
    int rc = -1;
    if (G->res && n == vx_nvae(&G->g) + NCLASS) {
        vx_read(G, in);
        if (G->ih < 0) fprintf(stderr, "vae-fidelity: no compression 0.5 in the grid\n");
        else rc = reduce_ro3(G, set);
    }
    free(G->res);
    free(G);
    return rc;
}

const exp_def exp_vae_fidelity_def = {vx_ncells, vx_cell_fn, vx_reduce, 0};
