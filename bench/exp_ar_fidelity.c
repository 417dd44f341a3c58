/* Chapter 7, experiment `ar-fidelity` (issue 20 item 5, no claim of its
 * own): is the Fefferman-Umans distribution learnable at all by a model of
 * the VAEs' size?  An autoregressive model, MADE (src/made.h), is trained on
 * the very samples the VAEs of vae-fidelity see (bench/ch7_util.h: same
 * distributions, same training sets, same stream keys), and its exact q
 * gives the exact fidelity F = sum_x sqrt(p q), the exact cross-entropy
 * -sum_x p log q and the held-out negative log-likelihood, all per bit and
 * against the entropy of p, with no importance sampling.
 *
 * The grid: one MADE per (class, hidden width, repetition), cell
 * c = (k nw + iw) reps + rep, then one cell per class for the exact
 * baselines.  The training set of (class, repetition) is vae-fidelity's
 * (stream (seed, 7000 + k reps + rep, 0)); the held-out set is drawn from
 * stream 1 of that key, shared by every width of the repetition; weights
 * and batch order come from the cell's own stream.  Training: Adam by
 * minibatches, the held-out NLL after every epoch (the learning curve);
 * the plateau criterion stops a model when its held-out NLL has not
 * improved by CH7AR_TOL nats per bit for `patience` epochs, and the model
 * kept is the one of its best epoch; a model stopped by the epoch cap
 * instead is counted unconverged. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch7_util.h"
#include "experiments.h"
#include "fu.h"
#include "made.h"
#include "progress.h"
#include "vae.h"

enum { AR_MAXW = 6, AR_MAXEP = 400 }; /* the configurations stay within these */
#define CH7AR_TOL 1e-4 /* nats per bit: a smaller held-out improvement is no improvement */
#define AR_STUCK 1e-3  /* nats per bit: a model this close to the marginals' cross-entropy learnt no correlation */

typedef struct {
    int fu_n, fu_L, bits, ntrain, nheld, batch, reps, maxep, patience, nw, depth;
    double lr;
    int width[AR_MAXW];
} ar_cfg;

static void ar_config(ar_cfg *g, exp_scale s)
{
    if (s == EXP_FULL)
        *g = (ar_cfg){3, 4, 18, 100000, 20000, 100, 5, 250, 25, 3, 1, 3e-3, {16, 64, 256}};
    else
        *g = (ar_cfg){2, 4, 8, 20000, 5000, 100, 5, 150, 20, 3, 1, 3e-3, {4, 16, 64}};
}

static int ar_nmade(const ar_cfg *g) { return CH7_NCLASS * g->nw * g->reps; }

static int ar_ncells(const exp_ctx *ctx)
{
    ar_cfg g;
    ar_config(&g, ctx->scale);
    return ar_nmade(&g) + CH7_NCLASS;
}

typedef struct {
    double F, ce, nll, train, sumq, params, epochs, best, converged, secs;
    double Fq, ceq; /* F and cross-entropy of the best model within a quarter of the epoch cap */
    double curve[2][AR_MAXEP]; /* per epoch: training and held-out NLL, nats per sample */
} ar_cell;
enum { AR_NSCAL = 12 };

static int ar_exact(ar_cell *o, made *m, const double *p);

/* The second budget: F and cross-entropy of the best parameters so far
 * (keep, when some epoch improved) into o->Fq, o->ceq. */
static int ar_quarter(ar_cell *o, made *m, const float *keep, int have, const double *p)
{
    ar_cell t;
    size_t n = m->net.nparams;
    float *cur = malloc(n * sizeof *cur);
    if (!cur) return -1;
    memcpy(cur, m->net.params, n * sizeof *cur);
    if (have) memcpy(m->net.params, keep, n * sizeof *cur);
    int rc = ar_exact(&t, m, p);
    memcpy(m->net.params, cur, n * sizeof *cur);
    free(cur);
    o->Fq = t.F, o->ceq = t.ce;
    return rc;
}

/* listing: ar-train */
/* Trains m on X to the plateau criterion, keeping the parameters of the
 * best held-out epoch; fills the curve, epochs, best epoch and converged,
 * and (ar_quarter) the best model's F after a quarter of the epoch cap. */
static int ar_train(ar_cell *o, made *m, const ar_cfg *g, const float *X, const float *Xh, const double *p,
                    rng_stream *r)
{
    float *keep = malloc(m->net.nparams * sizeof *keep);
    if (!keep) return -1;
    double best = INFINITY, tol = CH7AR_TOL * g->bits;
    int stall = 0, e, rc = 0, quarter = 0;
    o->converged = 0;
    for (e = 0; e < g->maxep && !o->converged; e++) {
        if (e == g->maxep / 4) rc |= ar_quarter(o, m, keep, isfinite(best), p), quarter = 1;
        o->curve[0][e] = made_train_epoch(m, X, (size_t)g->ntrain, g->batch, r);
        o->curve[1][e] = made_nll(m, Xh, (size_t)g->nheld);
        if (!isfinite(o->curve[0][e]) || !isfinite(o->curve[1][e])) break;
        if (o->curve[1][e] < best - tol) {
            best = o->curve[1][e], o->best = e + 1, stall = 0;
            memcpy(keep, m->net.params, m->net.nparams * sizeof *keep);
        } else if (++stall >= g->patience)
            o->converged = 1;
    }
    o->epochs = e;
    if (isfinite(best)) memcpy(m->net.params, keep, m->net.nparams * sizeof *keep);
    free(keep);
    if (!quarter) rc |= ar_quarter(o, m, NULL, 0, p); /* stopped before: the same model */
    return isfinite(best) && rc == 0 ? 0 : -1;
}
/* end: ar-train */

/* listing: ar-exact */
/* The exact fidelity and cross-entropy of the trained MADE with p, by
 * enumerating all 2^bits outcomes. */
static int ar_exact(ar_cell *o, made *m, const double *p)
{
    size_t N = (size_t)1 << m->bits;
    double *q = malloc(N * sizeof *q);
    if (!q || made_distribution(m, q) != 0) {
        free(q);
        return -1;
    }
    double F = 0, ce = 0, s = 0;
    for (size_t x = 0; x < N; x++) {
        F += sqrt(p[x] * q[x]);
        ce -= p[x] > 0 ? p[x] * log(q[x]) : 0;
        s += q[x];
    }
    o->F = F, o->ce = ce, o->sumq = s;
    free(q);
    return 0;
}
/* end: ar-exact */

/* MADE cell c: its class's distribution, training and held-out sets, the model. */
static int ar_made_cell(const exp_ctx *ctx, const ar_cfg *g, int c, cellio_out *out)
{
    double t0 = progress_seconds();
    int rep = c % g->reps, iw = (c / g->reps) % g->nw, k = c / (g->reps * g->nw);
    size_t N = (size_t)1 << g->bits;
    double *p = malloc(N * sizeof *p);
    float *X = malloc((size_t)g->ntrain * g->bits * sizeof *X), *Xh = malloc((size_t)g->nheld * g->bits * sizeof *Xh);
    ar_cell *o = calloc(1, sizeof *o);
    fu_alias al;
    made m;
    int rc = p && X && Xh && o && ch7_distribution(p, g->bits, g->fu_n, g->fu_L, k, ctx->seed) == 0 ? 0 : -1;
    if (rc == 0 && (rc = fu_alias_init(&al, p, N)) == 0) {
        ch7_train_set(X, &al, g->bits, g->ntrain, ctx->seed, k, rep, g->reps);
        rng_stream rh; /* held-out: stream 1 of the training set's key */
        rng_init(&rh, ctx->seed, 7000 + (uint32_t)(k * g->reps + rep), 1);
        for (int i = 0; i < g->nheld; i++) vae_bits(Xh + (size_t)i * g->bits, fu_alias_draw(&al, &rh), g->bits);
        fu_alias_clear(&al);
        rc = made_init(&m, g->bits, g->depth, g->width[iw], NN_TANH, g->batch);
        if (rc == 0) {
            rng_stream r;
            rng_init(&r, ctx->seed, (uint32_t)c, 0);
            m.opt.lr = g->lr;
            made_init_weights(&m, &r);
            o->params = (double)m.nfree;
            rc = ar_train(o, &m, g, X, Xh, p, &r) || ar_exact(o, &m, p);
            o->nll = rc == 0 ? made_nll(&m, Xh, (size_t)g->nheld) : NAN;
            o->train = rc == 0 ? made_nll(&m, X, (size_t)g->ntrain) : NAN;
            made_clear(&m);
        }
    }
    if (rc == 0) {
        o->secs = progress_seconds() - t0;
        double x[AR_NSCAL] = {o->F,     o->ce,     o->nll,       o->train, o->sumq, o->params,
                              o->epochs, o->best, o->converged, o->secs, o->Fq,   o->ceq};
        cellio_put_f64s(out, x, AR_NSCAL);
        cellio_put_f64s(out, o->curve[0], (size_t)o->epochs);
        cellio_put_f64s(out, o->curve[1], (size_t)o->epochs);
    } else
        fprintf(stderr, "ar-fidelity: cell %d failed (allocation, bad size or a diverged model)\n", c);
    free(p), free(X), free(Xh), free(o);
    return rc ? -1 : 0;
}

static int ar_cell_fn(const exp_ctx *ctx, int c, cellio_out *out)
{
    ar_cfg g;
    ar_config(&g, ctx->scale);
    if (g.maxep > AR_MAXEP || g.nw > AR_MAXW || g.reps > 64) {
        fprintf(stderr, "ar-fidelity: the configuration exceeds the buffers (epochs, widths or repetitions)\n");
        return -1;
    }
    if (c < ar_nmade(&g)) return ar_made_cell(ctx, &g, c, out);
    /* baseline cell of class c - nmade: (a), (b), (c), H_b, H(p) */
    double *p = malloc(((size_t)1 << g.bits) * sizeof *p), base[5];
    if (!p || ch7_distribution(p, g.bits, g.fu_n, g.fu_L, c - ar_nmade(&g), ctx->seed) != 0) {
        free(p);
        return -1;
    }
    ch7_baselines(base, p, g.bits);
    ch7_entropies(base + 3, p, g.bits);
    free(p);
    cellio_put_f64s(out, base, 5);
    return 0;
}

/* --- reduce ------------------------------------------------------------------------------ */

typedef struct {
    ar_cfg g;
    ar_cell *res; /* every MADE, by cell index */
    double base[CH7_NCLASS][5];
    /* per (class, width): means and standard errors over repetitions */
    double Fm[CH7_NCLASS][AR_MAXW], Fe[CH7_NCLASS][AR_MAXW], Nm[CH7_NCLASS][AR_MAXW], Ne[CH7_NCLASS][AR_MAXW];
    double Km[CH7_NCLASS][AR_MAXW], Ke[CH7_NCLASS][AR_MAXW], P[CH7_NCLASS][AR_MAXW];
    double Qm[CH7_NCLASS][AR_MAXW], Qe[CH7_NCLASS][AR_MAXW]; /* F at a quarter of the epoch cap */
    int conv, capped, stuck[CH7_NCLASS]; /* stuck: held-out NLL within AR_STUCK of the marginals' */
    double secs, maxdq, maxep;
} ar_grid;

static ar_cell *ar_at(const ar_grid *G, int k, int iw, int rep)
{
    return &G->res[(k * G->g.nw + iw) * G->g.reps + rep];
}

static void ar_read(ar_grid *G, cellio_in *in)
{
    int nm = ar_nmade(&G->g);
    for (int c = 0; c < nm; c++) {
        ar_cell *o = &G->res[c];
        double x[AR_NSCAL];
        cellio_get_f64s(&in[c], x, AR_NSCAL);
        o->F = x[0], o->ce = x[1], o->nll = x[2], o->train = x[3], o->sumq = x[4], o->params = x[5];
        o->epochs = x[6], o->best = x[7], o->converged = x[8], o->secs = x[9], o->Fq = x[10], o->ceq = x[11];
        int ne = (int)o->epochs < AR_MAXEP ? (int)o->epochs : AR_MAXEP;
        cellio_get_f64s(&in[c], o->curve[0], (size_t)ne);
        cellio_get_f64s(&in[c], o->curve[1], (size_t)ne);
        G->secs += o->secs;
        G->conv += o->converged > 0, G->capped += !(o->converged > 0);
        G->maxdq = fmax(G->maxdq, fabs(o->sumq - 1));
        G->maxep = fmax(G->maxep, o->epochs);
    }
    for (int k = 0; k < CH7_NCLASS; k++) cellio_get_f64s(&in[nm + k], G->base[k], 5);
}

static double ar_mean(const double *x, int n, double *sem)
{
    double s = 0, s2 = 0;
    for (int i = 0; i < n; i++) s += x[i];
    double m = s / n;
    for (int i = 0; i < n; i++) s2 += (x[i] - m) * (x[i] - m);
    *sem = n > 1 ? sqrt(s2 / (n - 1) / n) : NAN;
    return m;
}

/* ar_cells (one row per model) and ar_fidelity (means per class and width). */
static void ar_rows(ar_grid *G, int k, FILE *tc, FILE *tf)
{
    const ar_cfg *g = &G->g;
    double nb = g->bits, H = G->base[k][4];
    for (int iw = 0; iw < g->nw; iw++) {
        double f[64], n[64], kl[64], fq[64];
        for (int rep = 0; rep < g->reps; rep++) {
            const ar_cell *o = ar_at(G, k, iw, rep);
            f[rep] = o->F, n[rep] = o->nll / nb, kl[rep] = (o->ce - H) / nb, fq[rep] = o->Fq;
            G->stuck[k] += o->nll / nb > G->base[k][3] / nb - AR_STUCK;
            fprintf(tc, "%s\t%d\t%.0f\t%d\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%.0f\t%.0f\t%.0f\t%.6f\t%.6f\n", ch7_class_name[k],
                    g->width[iw], o->params, rep, o->F, o->nll / nb, o->train / nb, o->ce / nb, kl[rep], o->epochs, o->best,
                    o->converged, o->Fq, (o->ceq - H) / nb);
        }
        G->Qm[k][iw] = ar_mean(fq, g->reps, &G->Qe[k][iw]);
        G->Fm[k][iw] = ar_mean(f, g->reps, &G->Fe[k][iw]);
        G->Nm[k][iw] = ar_mean(n, g->reps, &G->Ne[k][iw]);
        G->Km[k][iw] = ar_mean(kl, g->reps, &G->Ke[k][iw]);
        G->P[k][iw] = ar_at(G, k, iw, 0)->params;
        fprintf(tf, "%s\t%d\t%.0f\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\n", ch7_class_name[k], g->width[iw],
                G->P[k][iw], G->Fm[k][iw], G->Fe[k][iw], G->Nm[k][iw], G->Ne[k][iw], G->Km[k][iw], G->Ke[k][iw], H / nb,
                G->Qm[k][iw], G->Qe[k][iw]);
    }
}

/* ar_curve: every model's learning curve, nats per bit. */
static void ar_curves(const ar_grid *G, FILE *f)
{
    const ar_cfg *g = &G->g;
    for (int k = 0; k < CH7_NCLASS; k++)
        for (int iw = 0; iw < g->nw; iw++)
            for (int rep = 0; rep < g->reps; rep++) {
                const ar_cell *o = ar_at(G, k, iw, rep);
                for (int e = 0; e < (int)o->epochs; e++)
                    fprintf(f, "%s\t%d\t%.0f\t%d\t%d\t%.6f\t%.6f\n", ch7_class_name[k], g->width[iw], o->params, rep, e + 1,
                            o->curve[0][e] / g->bits, o->curve[1][e] / g->bits);
            }
}

static int ar_tables(ar_grid *G, run_set *set)
{
    binio_file tc, tf, tb, tl;
    int ok = 0;
    ok |= run_tsv_open(&tc, set, "ar_cells",
                       "class\twidth\tparams\trep\tF\tnll_bit\ttrain_nll_bit\tce_bit\tkl_bit\tepochs\tbest_epoch\tconverged\t"
                       "F_quarter\tkl_bit_quarter");
    if (ok) return -1;
    if (run_tsv_open(&tf, set, "ar_fidelity",
                     "class\twidth\tparams\tF_mean\tF_err\tnll_bit_mean\tnll_bit_err\tkl_bit_mean\tkl_bit_err\tentropy_bit\t"
                     "F_quarter_mean\tF_quarter_err")) {
        run_abort_file(set, &tc);
        return -1;
    }
    if (run_tsv_open(&tb, set, "ar_baselines",
                     "class\tuniform\tmarginals\tsupport\tqubits\tuniform_nll_bit\tmarg_nll_bit\tentropy_bit")) {
        run_abort_file(set, &tc), run_abort_file(set, &tf);
        return -1;
    }
    if (run_tsv_open(&tl, set, "ar_curve", "class\twidth\tparams\trep\tepoch\ttrain_nll_bit\theldout_nll_bit")) {
        run_abort_file(set, &tc), run_abort_file(set, &tf), run_abort_file(set, &tb);
        return -1;
    }
    for (int k = 0; k < CH7_NCLASS; k++) {
        const double *b = G->base[k];
        fprintf(tb.f, "%s\t%.6f\t%.6f\t%.6f\t%d\t%.6f\t%.6f\t%.6f\n", ch7_class_name[k], b[0], b[1], b[2], G->g.bits, log(2.0),
                b[3] / G->g.bits, b[4] / G->g.bits);
        ar_rows(G, k, tc.f, tf.f);
    }
    ar_curves(G, tl.f);
    return run_close(set, &tc) | run_close(set, &tf) | run_close(set, &tb) | run_close(set, &tl);
}

/* --- reduce: the macros ------------------------------------------------------------------ */

static int ar_macros_setup(const ar_grid *G, run_set *set)
{
    const ar_cfg *g = &G->g;
    char ws[256];
    int l = 0;
    for (int iw = 0; iw < g->nw; iw++) l += snprintf(ws + l, sizeof ws - l, "%s%d", iw ? ", " : "", g->width[iw]);
    const texmac m[] = {
        TEXMAC_I("QuantArQubits", g->bits),       TEXMAC_I("QuantArTrainN", g->ntrain),
        TEXMAC_I("QuantArHeldN", g->nheld),       TEXMAC_I("QuantArBatch", g->batch),
        TEXMAC_I("QuantArReps", g->reps),         TEXMAC_I("QuantArMaxEpochs", g->maxep),
        TEXMAC_I("QuantArPatience", g->patience), TEXMAC_E("QuantArTol", 0, CH7AR_TOL),
        TEXMAC_E("QuantArLR", 0, g->lr),          TEXMAC_I("QuantArDepth", g->depth),
        TEXMAC_S("QuantArWidths", ws),            TEXMAC_I("QuantArModels", ar_nmade(g)),
        TEXMAC_I("QuantArConverged", G->conv),    TEXMAC_I("QuantArCapped", G->capped),
        TEXMAC_I("QuantArMaxEpochsRun", (int)G->maxep), TEXMAC_N("QuantArSeconds", 3, G->secs),
        TEXMAC_E("QuantArSumQErr", 1, G->maxdq),  TEXMAC_I("QuantArParamsMin", (int)G->P[0][0]),
        TEXMAC_I("QuantArParamsMax", (int)G->P[0][g->nw - 1]), TEXMAC_F("QuantArStuckTol", 3, AR_STUCK),
        TEXMAC_I("QuantArModelsPerClass", g->nw * g->reps),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* The table: per class, MADE's F (mean +- SE) per width, then the baselines;
 * and the same for the held-out NLL per bit against the entropy per bit. */
static int ar_macros_table(const ar_grid *G, run_set *set)
{
    static const char *const pretty[CH7_NCLASS] = {"Fefferman--Umans", "Haar random", "product"};
    char fr[4096], nr[4096], qr[4096], hdr[512], cols[64] = "\\begin{tabular}{l";
    int fl = 0, nl = 0, ql = 0, hl = 0, nw = G->g.nw;
    double nb = G->g.bits;
    for (int iw = 0; iw < nw; iw++) hl += snprintf(hdr + hl, sizeof hdr - hl, " & %d", G->g.width[iw]), strcat(cols, "c");
    strcat(cols, "|ccc}");
    for (int k = 0; k < CH7_NCLASS; k++) {
        fl += snprintf(fr + fl, sizeof fr - fl, "%s", pretty[k]);
        nl += snprintf(nr + nl, sizeof nr - nl, "%s", pretty[k]);
        ql += snprintf(qr + ql, sizeof qr - ql, "%s", pretty[k]);
        for (int iw = 0; iw < nw; iw++) {
            ql += snprintf(qr + ql, sizeof qr - ql, " & $%.4f\\pm%.4f$", G->Qm[k][iw], G->Qe[k][iw]);
            fl += snprintf(fr + fl, sizeof fr - fl, " & $%.4f\\pm%.4f$", G->Fm[k][iw], G->Fe[k][iw]);
            nl += snprintf(nr + nl, sizeof nr - nl, " & $%.4f\\pm%.4f$", G->Nm[k][iw], G->Ne[k][iw]);
        }
        fl += snprintf(fr + fl, sizeof fr - fl, " & %.4f & %.4f & %.4f \\\\\n", G->base[k][0], G->base[k][1], G->base[k][2]);
        ql += snprintf(qr + ql, sizeof qr - ql, " & %.4f & %.4f & %.4f \\\\\n", G->base[k][0], G->base[k][1], G->base[k][2]);
        nl += snprintf(nr + nl, sizeof nr - nl, " & %.4f & %.4f & %.4f \\\\\n", log(2.0), G->base[k][3] / nb,
                       G->base[k][4] / nb);
    }
    const texmac m[] = {TEXMAC_S("QuantArTableRows", fr), TEXMAC_S("QuantArNLLRows", nr), TEXMAC_S("QuantArWidthHead", hdr),
                        TEXMAC_I("QuantArNW", nw), TEXMAC_S("QuantArTabular", cols), TEXMAC_S("QuantArQuarterRows", qr),
                        TEXMAC_I("QuantArQuarterEpochs", G->g.maxep / 4)};
    return run_macros(set, m, TEXMAC_LEN(m));
}

/* Per class: the best width (highest mean F) against baselines (b) and (c),
 * in numbers and in words (a sentence the data could contradict is
 * generated from them); FLow, KLLow: the narrowest width. */
static int ar_macros_class(const ar_grid *G, run_set *set)
{
    static const char *const tex[CH7_NCLASS] = {"FU", "Haar", "Product"};
    static const char *const pretty[CH7_NCLASS] = {"Fefferman--Umans", "Haar", "product"};
    enum { PER = 7 };
    char name[CH7_NCLASS * PER][64], word[CH7_NCLASS][640];
    texmac m[CH7_NCLASS * PER];
    for (int k = 0; k < CH7_NCLASS; k++) {
        int top = 0; /* the width with the highest mean F */
        for (int iw = 1; iw < G->g.nw; iw++) top = G->Fm[k][iw] > G->Fm[k][top] ? iw : top;
        double F = G->Fm[k][top], se = G->Fe[k][top], fb = G->base[k][1], fc = G->base[k][2];
        double kl = G->Km[k][top];
        const char *vb = F - 2 * se > fb ? "above" : F + 2 * se < fb ? "below" : "within two standard errors of";
        snprintf(word[k], sizeof word[k],
                 "On the %s distribution the best MADE width, %d units (%.0f parameters), reaches "
                 "$F = %.4f \\pm %.4f$, %s baseline (b) ($%.4f$) and %s baseline (c) ($%.4f$); its excess "
                 "cross-entropy over the entropy is $%.4f$ nats per bit, and with a quarter of the epoch cap the same width had "
                 "reached $F = %.4f \\pm %.4f$",
                 pretty[k], G->g.width[top], G->P[k][top], F, se, vb, fb, F - 2 * se > fc ? "above" : "not above", fc, kl,
                 G->Qm[k][top], G->Qe[k][top]);
        double x[PER - 2] = {F, se, kl, G->Fm[k][0], G->Km[k][0]};
        static const char *const stem[PER - 2] = {"FTop", "FTopErr", "KLTop", "FLow", "KLLow"};
        for (int i = 0; i < PER - 2; i++) {
            snprintf(name[k * PER + i], sizeof name[0], "QuantAr%s%s", stem[i], tex[k]);
            m[k * PER + i] = (texmac)TEXMAC_F(name[k * PER + i], 4, x[i]);
        }
        snprintf(name[k * PER + PER - 2], sizeof name[0], "QuantArSentence%s", tex[k]);
        m[k * PER + PER - 2] = (texmac)TEXMAC_S(name[k * PER + PER - 2], word[k]);
        snprintf(name[k * PER + PER - 1], sizeof name[0], "QuantArStuck%s", tex[k]);
        m[k * PER + PER - 1] = (texmac)TEXMAC_I(name[k * PER + PER - 1], G->stuck[k]);
    }
    return run_macros(set, m, TEXMAC_LEN(m));
}

static int ar_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    ar_grid *G = calloc(1, sizeof *G);
    if (!G) return -1;
    ar_config(&G->g, ctx->scale);
    G->res = calloc((size_t)ar_nmade(&G->g), sizeof *G->res);
    int rc = -1;
    if (G->res && n == ar_nmade(&G->g) + CH7_NCLASS) {
        ar_read(G, in);
        rc = ar_tables(G, set) || ar_macros_setup(G, set) || ar_macros_table(G, set) || ar_macros_class(G, set) ? -1 : 0;
    }
    free(G->res);
    free(G);
    return rc;
}

const exp_def exp_ar_fidelity_def = {ar_ncells, ar_cell_fn, ar_reduce, 0};
