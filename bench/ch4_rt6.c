/* RT-6's rule (src/claims_prereg.def, issue 20) and its verdict: per
 * activation and budget, the OLS of the nets' log-space error r on a factor
 * of width plus the indicator "above RT's curve"; the indicator's
 * coefficient beta is RT's effect beyond anything width alone explains. */
#include "ch4_rt6.h"
#include "ch4_util.h"
#include "stats.h"
#include "texmac.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double rt6_curve(int k) { return pow(RT6_N, (k - 1.0) / k) * pow(2.0, pow(RT6_N, 1.0 / k)); }

/* The registered thresholds. */
typedef struct {
    double delta;   /* equivalence margin on beta */
    double learn;   /* a cell learned: mean r <= learn */
    double ctl;     /* the control passes: mean r + t SE <= ctl */
    double plateau; /* a net plateaued: r(3B) - r(4B) <= plateau */
    double conv;    /* at least this fraction of the nets of learned cells plateaued */
    double alpha;   /* family-wise, Bonferroni over the two activations */
} rt6_rule;
static const rt6_rule RT6_RULE = {0.10, 0.90, 0.50, 0.02, 0.75, 0.01};

enum { RT6_GRID, RT6_PROD, RT6_SUMLOG };
static const char *const rt6_kinds[3] = {"grid", "prod", "sumlog"};
static const char *const rt6_actn[2] = {"tanh", "relu"};

/* The nets of rt6_nets.tsv. */
typedef struct {
    int n, *kind, *nin, *act, *depth, *width, *above;
    double *r[2], *r3, *se4; /* r[0] at B, r[1] at 4B; r at 3B; SE at 4B */
} rt6_nets;

static void rt6_nets_clear(rt6_nets *o)
{
    free(o->kind), free(o->nin), free(o->act), free(o->depth), free(o->width), free(o->above);
    free(o->r[0]), free(o->r[1]), free(o->r3), free(o->se4);
    memset(o, 0, sizeof *o);
}

static int rt6_nets_load(rt6_nets *o, vd_data *d)
{
    memset(o, 0, sizeof *o);
    const tsv_table *t = vd_table(d, "rt6_nets.tsv");
    int c[10];
    if (!t || ch4_cols(d, t, c, "kind n act depth width above r_b r_3b r_4b se_4b") != 0) return -1;
    size_t m = (size_t)t->nrows + 1;
    int **iv[6] = {&o->kind, &o->nin, &o->act, &o->depth, &o->width, &o->above};
    double **dv[4] = {&o->r[0], &o->r3, &o->r[1], &o->se4};
    for (int i = 0; i < 6; i++)
        if (!(*iv[i] = calloc(m, sizeof(int)))) return ch4_bad(d, "rt6: out of memory");
    for (int i = 0; i < 4; i++)
        if (!(*dv[i] = calloc(m, sizeof(double)))) return ch4_bad(d, "rt6: out of memory");
    for (int i = 0; i < t->nrows; i++) {
        int k = -1;
        for (int j = 0; j < 3; j++) k = ch4_is(t, i, c[0], rt6_kinds[j]) ? j : k;
        if (k < 0) return ch4_bad(d, "rt6_nets.tsv: unknown kind");
        o->kind[i] = k, o->act[i] = ch4_is(t, i, c[2], "relu");
        if (!o->act[i] && !ch4_is(t, i, c[2], "tanh")) return ch4_bad(d, "rt6_nets.tsv: unknown activation");
        o->nin[i] = (int)tsv_num(t, i, c[1]), o->depth[i] = (int)tsv_num(t, i, c[3]);
        o->width[i] = (int)tsv_num(t, i, c[4]), o->above[i] = (int)tsv_num(t, i, c[5]);
        for (int j = 0; j < 4; j++) {
            (*dv[j])[i] = tsv_num(t, i, c[6 + j]);
            if (!isfinite((*dv[j])[i])) return ch4_bad(d, "rt6_nets.tsv: an error is not a finite number");
        }
    }
    o->n = t->nrows;
    return 0;
}

/* Per activation and budget. */
typedef struct {
    int nnet, ncell, nlearn, nwidth, best_k, best_w, w0;
    double beta, se, df, p_eff, p_eq, best, r2_rt, r2_w0, r2_log;
} rt6_act;

/* Everything the rule looks at, at one budget. */
typedef struct {
    rt6_act a[2];
    double ctl_mean[2], ctl_up[2]; /* prod n = 4 and sumlog: mean r, upper bound */
    int ctl_found[2], breakdown;   /* smallest prod n with mean r > ctl (0: none) */
    int npl, nplc;                 /* nets of learned cells, and those plateaued (4B only) */
} rt6_stats;

/* Mean r of cell (act, depth, width) at budget b over its nets. */
static double cell_mean(const rt6_nets *o, int i, int b)
{
    double s = 0;
    int c = 0;
    for (int j = 0; j < o->n; j++)
        if (o->kind[j] == RT6_GRID && o->act[j] == o->act[i] && o->depth[j] == o->depth[i] && o->width[j] == o->width[i])
            s += o->r[b][j], c++;
    return s / c;
}

/* RSS of r against a two-group split g(j) in {0, 1} (both groups' means). */
static double rss_split(const rt6_nets *o, int act, int b, int w0)
{
    double s[2] = {0, 0}, s2[2] = {0, 0};
    int c[2] = {0, 0};
    for (int j = 0; j < o->n; j++) {
        if (o->kind[j] != RT6_GRID || o->act[j] != act) continue;
        int g = w0 ? o->width[j] >= w0 : o->above[j];
        s[g] += o->r[b][j], s2[g] += o->r[b][j] * o->r[b][j], c[g]++;
    }
    double rss = 0;
    for (int g = 0; g < 2; g++) rss += c[g] ? s2[g] - s[g] * s[g] / c[g] : 0;
    return rss;
}

/* The width-factor regression and the descriptive R^2 of the three boundaries. */
static void act_fit(rt6_act *s, const rt6_nets *o, int act, int b, const rt6_rule *t)
{
    int ws[64], nw = 0;
    double sx[64] = {0}, sy[64] = {0}, sl = 0, sll = 0, sly = 0, sy_all = 0, syy_all = 0;
    int cnt[64] = {0};
    s->nnet = 0;
    for (int j = 0; j < o->n; j++) {
        if (o->kind[j] != RT6_GRID || o->act[j] != act) continue;
        int w = 0;
        while (w < nw && ws[w] != o->width[j]) w++;
        if (w == nw && nw < 64) ws[nw++] = o->width[j];
        if (w == 64) continue;
        double y = o->r[b][j], l = log(o->width[j]);
        sx[w] += o->above[j], sy[w] += y, cnt[w]++, s->nnet++;
        sl += l, sll += l * l, sly += l * y, sy_all += y, syy_all += y * y;
    }
    double sxx = 0, sxy = 0, syy = 0;
    for (int j = 0; j < o->n; j++) {
        if (o->kind[j] != RT6_GRID || o->act[j] != act) continue;
        int w = 0;
        while (w < nw && ws[w] != o->width[j]) w++;
        double dx = o->above[j] - sx[w] / cnt[w], dy = o->r[b][j] - sy[w] / cnt[w];
        sxx += dx * dx, sxy += dx * dy, syy += dy * dy;
    }
    int N = s->nnet;
    s->nwidth = nw, s->df = N - nw - 1;
    s->beta = sxx > 0 ? sxy / sxx : NAN;
    double rss = sxx > 0 ? fmax(syy - s->beta * sxy, 0) : NAN;
    s->se = s->df > 0 && sxx > 0 ? fmax(sqrt(rss / s->df / sxx), 1e-12) : NAN;
    s->p_eff = isfinite(s->se) ? stats_t_upper(-s->beta / s->se, s->df) : 1;
    s->p_eq = isfinite(s->se) ? stats_t_upper((s->beta + t->delta) / s->se, s->df) : 1;
    double tss = N ? syy_all - sy_all * sy_all / N : 0, vl = N ? sll - sl * sl / N : 0;
    double cly = N ? sly - sl * sy_all / N : 0;
    s->r2_rt = tss > 0 ? 1 - rss_split(o, act, b, 0) / tss : NAN;
    s->r2_log = tss > 0 && vl > 0 ? cly * cly / (vl * tss) : NAN;
    s->r2_w0 = NAN, s->w0 = 0;
    for (int w = 0; w < nw; w++) {
        double r2 = tss > 0 ? 1 - rss_split(o, act, b, ws[w]) / tss : NAN;
        int split = 0; /* both groups non-empty */
        for (int v = 0; v < nw; v++) split += ws[v] < ws[w];
        if (split && (isnan(s->r2_w0) || r2 > s->r2_w0)) s->r2_w0 = r2, s->w0 = ws[w];
    }
}

/* Cells learned, the best cell, and (4B) the plateau counts of learned cells. */
static void act_cells(rt6_act *s, rt6_stats *st, const rt6_nets *o, int act, int b, const rt6_rule *t)
{
    s->ncell = s->nlearn = 0, s->best = INFINITY, s->best_k = s->best_w = 0;
    for (int i = 0; i < o->n; i++) {
        if (o->kind[i] != RT6_GRID || o->act[i] != act) continue;
        int first = 1;
        for (int j = 0; j < i && first; j++)
            first = !(o->kind[j] == RT6_GRID && o->act[j] == act && o->depth[j] == o->depth[i] && o->width[j] == o->width[i]);
        double m = cell_mean(o, i, b);
        if (first) {
            s->ncell++, s->nlearn += m <= t->learn;
            if (m < s->best) s->best = m, s->best_k = o->depth[i], s->best_w = o->width[i];
        }
        if (b == 1 && m <= t->learn) st->npl++, st->nplc += o->r3[i] - o->r[1][i] <= t->plateau;
    }
}

/* The controls at budget b: prod n = 4 and sumlog, and the breakdown n. */
static void controls(rt6_stats *st, const rt6_nets *o, int b, const rt6_rule *t)
{
    int ns[32], nn = 0;
    st->breakdown = 0;
    for (int j = 0; j < o->n; j++)
        if (o->kind[j] == RT6_PROD) {
            int k = 0;
            while (k < nn && ns[k] != o->nin[j]) k++;
            if (k == nn && nn < 32) ns[nn++] = o->nin[j];
        }
    for (int q = 0; q < 2; q++) st->ctl_found[q] = 0, st->ctl_mean[q] = st->ctl_up[q] = NAN;
    for (int pass = 0; pass <= nn; pass++) { /* pass < nn: prod n = ns[pass]; nn: sumlog */
        double s = 0, s2 = 0;
        int c = 0;
        for (int j = 0; j < o->n; j++)
            if (pass < nn ? o->kind[j] == RT6_PROD && o->nin[j] == ns[pass] : o->kind[j] == RT6_SUMLOG)
                s += o->r[b][j], s2 += o->r[b][j] * o->r[b][j], c++;
        if (c < 2) continue;
        double m = s / c, sd = sqrt(fmax(s2 / c - m * m, 0) * c / (c - 1)), up = m + stats_t_quantile(0.975, c - 1) * sd / sqrt(c);
        if (pass < nn && m > t->ctl && (!st->breakdown || ns[pass] < st->breakdown)) st->breakdown = ns[pass];
        int q = pass == nn ? 1 : ns[pass] == 4 ? 0 : -1;
        if (q >= 0) st->ctl_found[q] = 1, st->ctl_mean[q] = m, st->ctl_up[q] = up;
    }
}

static void rt6_stats_of(rt6_stats *st, const rt6_nets *o, int b, const rt6_rule *t)
{
    memset(st, 0, sizeof *st);
    for (int a = 0; a < 2; a++) {
        act_fit(&st->a[a], o, a, b, t);
        act_cells(&st->a[a], st, o, a, b, t);
    }
    controls(st, o, b, t);
}

/* Why the verdict is inconclusive, or NULL. */
static const char *rt6_why;

/* The registered rule at budget b (convergence is checked at 4B only). */
static claims_verdict rt6_decide(const rt6_stats *s, int b, const rt6_rule *t)
{
    rt6_why = NULL;
    int pass = s->ctl_found[0] && s->ctl_found[1] && s->ctl_up[0] <= t->ctl && s->ctl_up[1] <= t->ctl;
    if (!pass) return rt6_why = "the positive control failed", CLAIMS_INCONCLUSIVE;
    int eff = 0, none = 0, learned = 0;
    for (int a = 0; a < 2; a++) {
        if (!s->a[a].nlearn) continue;
        learned++;
        if (s->a[a].p_eff < t->alpha / 2) eff++;
        else if (s->a[a].p_eq < t->alpha / 2) none++;
    }
    if (!learned) return rt6_why = "no cell learned", CLAIMS_INCONCLUSIVE;
    if (b == 1 && s->nplc < t->conv * s->npl) return rt6_why = "the learned nets did not plateau", CLAIMS_INCONCLUSIVE;
    if (eff == 2) return CLAIMS_REPRODUCED;
    if (eff == 1) return CLAIMS_PARTLY;
    if (none == 2) return CLAIMS_NOT_REPRODUCED;
    return rt6_why = "too little power (neither effect nor equivalence in both activations)", CLAIMS_INCONCLUSIVE;
}

/* --- verdict (bench/verdicts.h) ------------------------------------------------------------ */
/* RT-6 from rt6_nets.tsv by the rule above, at the long budget 4B. */
int vd_rt6(vd_result *r, vd_data *d)
{
    rt6_nets o;
    if (rt6_nets_load(&o, d) != 0) {
        rt6_nets_clear(&o);
        return -1;
    }
    rt6_stats s, sb;
    rt6_stats_of(&s, &o, 1, &RT6_RULE);
    rt6_stats_of(&sb, &o, 0, &RT6_RULE);
    r->verdict = rt6_decide(&s, 1, &RT6_RULE);
    const char *why = rt6_why;
    claims_verdict vb = rt6_decide(&sb, 0, &RT6_RULE);
    const rt6_act *t = &s.a[0], *u = &s.a[1];
    vd_measured(r, "long budget: tanh beta = %.3f +- %.3f (p = %.2g, equivalence p = %.2g; %d of %d cells learned, best %.3f), relu beta = %.3f +- %.3f (p = %.2g, equivalence p = %.2g; %d of %d learned, best %.3f); control r: prod n = 4 %.3f, sum ln x %.3f; plateaued %d of %d; short budget: %s",
                t->beta, t->se, t->p_eff, t->p_eq, t->nlearn, t->ncell, t->best, u->beta, u->se, u->p_eff, u->p_eq,
                u->nlearn, u->ncell, u->best, s.ctl_mean[0], s.ctl_mean[1], s.nplc, s.npl, claims_verdict_name(vb));
    vd_paper(r, "qualitative (no numbers printed)");
    vd_note(r, "%s%sr: log-space test MSE over the variance (1 = best constant); beta: the RT indicator beyond a width factor (OLS, nets as units)",
            why ? why : "", why ? "; " : "");
    for (int a = 0; a < 2; a++) {
        char name[32];
        snprintf(name, sizeof name, "beta_%s", rt6_actn[a]);
        vd_value(r, name, isfinite(s.a[a].beta) ? s.a[a].beta : 0, isfinite(s.a[a].se) ? 4 * s.a[a].se + 0.01 : 1);
    }
    for (int q = 0; q < 2; q++) /* the upper bound lies t SE above the mean */
        vd_value(r, q ? "control_sumlog" : "control_prod4", s.ctl_found[q] ? s.ctl_mean[q] : -1,
                 s.ctl_found[q] ? 2 * (s.ctl_up[q] - s.ctl_mean[q]) + 0.01 : 0.5);
    int nl = t->nlearn + u->nlearn, nc = t->ncell + u->ncell;
    vd_value(r, "cells_learned", nl, 0.5 + 2 * sqrt(nc * (nl + 0.5) / nc * (1 - (nl + 0.5) / (nc + 1.0))));
    rt6_nets_clear(&o);
    return 0;
}

/* --- the chapter's numbers (reduce) ------------------------------------------------------- */
static const char *rt6_letter(claims_verdict v)
{
    return v == CLAIMS_REPRODUCED ? "R" : v == CLAIMS_PARTLY ? "P" : v == CLAIMS_NOT_REPRODUCED ? "N" : "I";
}

/* The verdict at alternative margins (delta x learned), both budgets: the
 * file rows and a LaTeX table body.  Returns the rows agreeing with the
 * registered verdict at the same budget; *nrow the rows. */
static int sensitivity(FILE *f, char *tab, size_t cap, const rt6_nets *o, const claims_verdict *v0, int *nrow)
{
    static const double deltas[] = {0.05, 0.10, 0.20}, learns[] = {0.80, 0.90, 0.95};
    int agree = 0;
    *nrow = 0, tab[0] = 0;
    for (int b = 0; b < 2; b++)
        for (int i = 0; i < 3; i++) {
            size_t l = strlen(tab);
            snprintf(tab + l, cap - l, "%s & $%.2f$", b ? "$4B$" : "$B$", learns[i]);
            for (int j = 0; j < 3; j++) {
                rt6_rule t = RT6_RULE;
                t.delta = deltas[j], t.learn = learns[i];
                rt6_stats s;
                rt6_stats_of(&s, o, b, &t);
                claims_verdict v = rt6_decide(&s, b, &t);
                fprintf(f, "%s\t%g\t%g\t%s\n", b ? "4B" : "B", t.delta, t.learn, claims_verdict_name(v));
                agree += v == v0[b], ++*nrow;
                l = strlen(tab);
                snprintf(tab + l, cap - l, " & %s", rt6_letter(v));
            }
            l = strlen(tab);
            snprintf(tab + l, cap - l, "\\\\ ");
        }
    return agree;
}

/* One row per (activation, budget) of the chapter's table. */
static void act_table(char *tab, size_t cap, const rt6_stats *s)
{
    tab[0] = 0;
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) {
            const rt6_act *x = &s[b].a[a];
            size_t l = strlen(tab);
            snprintf(tab + l, cap - l,
                     "%s & %s & %d/%d & $%.3f$ ($%d$, $%d$) & $%.3f\\pm%.3f$ & $%.2g$ & $%.2g$ & $%.2f$ & $%.2f$ ($%d$) & $%.2f$\\\\ ",
                     rt6_actn[a], b ? "$4B$" : "$B$", x->nlearn, x->ncell, x->best, x->best_k, x->best_w, x->beta, x->se,
                     x->p_eff, x->p_eq, x->r2_rt, x->r2_w0, x->w0, x->r2_log);
        }
}

/* The controls as table rows: n, r at B and 4B (mean +- sd). */
static int ctl_table(char *tab, size_t cap, vd_data *d)
{
    const tsv_table *t = vd_table(d, "rt6_control.tsv");
    int c[6];
    if (!t || ch4_cols(d, t, c, "kind n r_b r_b_sd r_4b r_4b_sd") != 0) return -1;
    tab[0] = 0;
    for (int i = 0; i < t->nrows; i++) {
        size_t l = strlen(tab);
        int sl = ch4_is(t, i, c[0], "sumlog");
        snprintf(tab + l, cap - l, "%s & $%d$ & $%.3f\\pm%.3f$ & $%.3f\\pm%.3f$\\\\ ", sl ? "$\\sum\\ln x_i$" : "$\\prod x_i$",
                 (int)tsv_num(t, i, c[1]), tsv_num(t, i, c[2]), tsv_num(t, i, c[3]), tsv_num(t, i, c[4]), tsv_num(t, i, c[5]));
    }
    return 0;
}

/* How often each learning rate won, and the largest and the median relative SE of r at 4B. */
static int lr_and_se(char *buf, size_t cap, double *se_max, double *se_med, vd_data *d, const rt6_settings *st)
{
    const tsv_table *t = vd_table(d, "rt6_nets.tsv");
    int c[3], cnt[8] = {0};
    if (!t || ch4_cols(d, t, c, "lr r_4b se_4b") != 0) return -1;
    double *rel = malloc(sizeof *rel * ((size_t)t->nrows + 1));
    if (!rel) return ch4_bad(d, "rt6: out of memory");
    *se_max = 0;
    for (int i = 0; i < t->nrows; i++) {
        for (int l = 0; l < st->nlr && l < 8; l++) cnt[l] += fabs(tsv_num(t, i, c[0]) - st->lrs[l]) < 1e-9;
        rel[i] = tsv_num(t, i, c[2]) / fmax(tsv_num(t, i, c[1]), 1e-12);
        *se_max = fmax(*se_max, rel[i]);
    }
    *se_med = t->nrows ? stats_median(rel, t->nrows) : NAN;
    free(rel);
    buf[0] = 0;
    for (int l = 0; l < st->nlr && l < 8; l++) {
        size_t k = strlen(buf);
        snprintf(buf + k, cap - k, "%s%g: %d", l ? ", " : "", st->lrs[l], cnt[l]);
    }
    return 0;
}

static void breakdown_text(char *buf, size_t cap, int n)
{
    if (n) snprintf(buf, cap, "$n=%d$", n);
    else snprintf(buf, cap, "none of the tested $n$");
}

/* The sentence the data decide. */
static const char *reading(claims_verdict v, const rt6_stats *s, const char *why)
{
    if (v == CLAIMS_REPRODUCED) return "Both activations show RT's effect beyond what width alone explains";
    if (v == CLAIMS_PARTLY) return "One activation shows RT's effect beyond width, the other does not";
    if (v == CLAIMS_NOT_REPRODUCED) return "Where the networks learn, being above RT's curve adds nothing beyond width (equivalence within the margin)";
    if (!s->a[0].nlearn && !s->a[1].nlearn) return "No grid cell learned the product at $n=20$, so the experiment cannot place a low-error region";
    if (why && !strcmp(why, "the positive control failed")) return "Without a passing control the map says nothing about RT's claim";
    if (why && !strcmp(why, "the learned nets did not plateau")) return "The learned networks were still improving at $4B$, so the map may still change with a longer budget";
    return "The data decide neither RT's effect nor its absence";
}

int rt6_summary(run_set *set, const rt6_settings *st)
{
    char dir[4200], sens[4096], acts[4096], ctl[2048], lrs[256], lrw[128], brb[64], brl[64];
    snprintf(dir, sizeof dir, "%s/data", set->dir);
    vd_data d;
    vd_data_init(&d, dir);
    rt6_nets o;
    binio_file fs;
    double se_max = 0, se_med = 0;
    int rc = rt6_nets_load(&o, &d);
    if (rc == 0) rc = ctl_table(ctl, sizeof ctl, &d) | lr_and_se(lrw, sizeof lrw, &se_max, &se_med, &d, st);
    if (rc == 0) rc = run_tsv_open(&fs, set, "rt6_sensitivity", "budget\tdelta\tlearn\tverdict");
    if (rc != 0) {
        fprintf(stderr, "deepcheap: depth-width: %s\n", d.err);
        rt6_nets_clear(&o), vd_data_clear(&d);
        return -1;
    }
    rt6_stats s[2];
    claims_verdict v[2];
    const char *why[2];
    for (int b = 0; b < 2; b++) rt6_stats_of(&s[b], &o, b, &RT6_RULE), v[b] = rt6_decide(&s[b], b, &RT6_RULE), why[b] = rt6_why;
    int nrow, agree = sensitivity(fs.f, sens, sizeof sens, &o, v, &nrow);
    act_table(acts, sizeof acts, s);
    lrs[0] = 0;
    for (int l = 0; l < st->nlr; l++) snprintf(lrs + strlen(lrs), sizeof lrs - strlen(lrs), "%s%g", l ? ", " : "", st->lrs[l]);
    breakdown_text(brb, sizeof brb, s[0].breakdown);
    breakdown_text(brl, sizeof brl, s[1].breakdown);
    const texmac m[] = {
        TEXMAC_I("FlatRTSixB", st->B),                 TEXMAC_I("FlatRTSixBFour", 4 * st->B),
        TEXMAC_I("FlatRTSixBHalf", st->B / 2),         TEXMAC_I("FlatRTSixBatch", st->batch),
        TEXMAC_N("FlatRTSixTest", 3, st->ntest),       TEXMAC_N("FlatRTSixVal", 3, st->nval),
        TEXMAC_I("FlatRTSixReps", st->reps),           TEXMAC_S("FlatRTSixLrs", lrs),
        TEXMAC_S("FlatRTSixLrWins", lrw),              TEXMAC_I("FlatRTSixCells", s[1].a[0].ncell),
        TEXMAC_I("FlatRTSixNets", o.n),                TEXMAC_F("FlatRTSixDelta", 2, RT6_RULE.delta),
        TEXMAC_F("FlatRTSixLearn", 2, RT6_RULE.learn), TEXMAC_F("FlatRTSixCtl", 2, RT6_RULE.ctl),
        TEXMAC_F("FlatRTSixPlateau", 2, RT6_RULE.plateau), TEXMAC_I("FlatRTSixConv", (long long)lround(100 * RT6_RULE.conv)),
        TEXMAC_F("FlatRTSixAlpha", 2, RT6_RULE.alpha), TEXMAC_F("FlatRTSixAlphaHalf", 3, RT6_RULE.alpha / 2),
        TEXMAC_S("FlatRTSixCtlTable", ctl),            TEXMAC_F("FlatRTSixCtlFour", 3, s[1].ctl_mean[0]),
        TEXMAC_F("FlatRTSixCtlFourUp", 3, s[1].ctl_up[0]), TEXMAC_F("FlatRTSixCtlLog", 3, s[1].ctl_mean[1]),
        TEXMAC_F("FlatRTSixCtlLogUp", 3, s[1].ctl_up[1]), TEXMAC_S("FlatRTSixBreakB", brb),
        TEXMAC_S("FlatRTSixBreakL", brl),
        TEXMAC_S("FlatRTSixCtlPass", s[1].ctl_up[0] <= RT6_RULE.ctl && s[1].ctl_up[1] <= RT6_RULE.ctl ? "passes" : "fails"),
        TEXMAC_S("FlatRTSixActTable", acts),           TEXMAC_S("FlatRTSixVerdictB", claims_verdict_name(v[0])),
        TEXMAC_S("FlatRTSixVerdictL", claims_verdict_name(v[1])),
        TEXMAC_S("FlatRTSixWhyL", why[1] ? why[1] : "the rule decided"),
        TEXMAC_S("FlatRTSixWhyB", why[0] ? why[0] : "the rule decided"),
        TEXMAC_I("FlatRTSixPlateaued", s[1].nplc),     TEXMAC_I("FlatRTSixPlateauNets", s[1].npl),
        TEXMAC_F("FlatRTSixSeMax", 1, 100 * se_max),   TEXMAC_F("FlatRTSixSeMed", 1, 100 * se_med),
        TEXMAC_S("FlatRTSixReading", reading(v[1], &s[1], why[1])),
        TEXMAC_S("FlatRTSixSensTable", sens),          TEXMAC_I("FlatRTSixSensAgree", agree),
        TEXMAC_I("FlatRTSixSensRows", nrow),
    };
    rc = run_close(set, &fs) != 0 || run_macros(set, m, TEXMAC_LEN(m)) != 0 ? -1 : 0;
    rt6_nets_clear(&o), vd_data_clear(&d);
    return rc;
}
