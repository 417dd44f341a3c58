/* gate_cert: branch and bound in ball arithmetic for the gate's sup error,
 * and the exact Taylor expansion of the gate. */
#include "gatecert.h"

#include <arb.h>
#include <gmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREC 128

const char *gate_cert_verdict_name(gate_cert_verdict v)
{
    static const char *const n[] = {"certified", "refuted", "undecided"};
    return (unsigned)v < 3 ? n[v] : "?";
}

static void arb_bias(arb_t b, gate_act a)
{
    switch (a) {
    case GATE_LOGISTIC: arb_log_ui(b, 3, PREC); break;
    case GATE_TANH: arb_log_ui(b, 3, PREC); arb_mul_2exp_si(b, b, -1); break;
    case GATE_ELU: arb_set_si(b, -2); break;
    default: arb_zero(b);
    }
}

static void arb_logistic(arb_t r, const arb_t x)
{
    arb_t t;
    arb_init(t);
    arb_neg(t, x), arb_exp(t, t, PREC), arb_add_ui(t, t, 1, PREC), arb_inv(r, t, PREC);
    arb_clear(t);
}

/* sigma^(k)(x), k = 0, 1, 2, as a ball; returns -1 where ELU's kink may lie in x. */
static int arb_sigma(arb_t r, gate_act a, int k, const arb_t x)
{
    arb_t t;
    arb_init(t);
    int rc = 0;
    switch (a) {
    case GATE_SOFTPLUS: /* sigma' = p, sigma'' = p(1-p) */
        if (k == 0) arb_exp(t, x, PREC), arb_log1p(r, t, PREC);
        else if (k == 1) arb_logistic(r, x);
        else arb_logistic(r, x), arb_sub_ui(t, r, 1, PREC), arb_neg(t, t), arb_mul(r, r, t, PREC);
        break;
    case GATE_LOGISTIC: /* p' = p(1-p), p'' = p(1-p)(1-2p) */
        arb_logistic(r, x);
        if (k >= 1) {
            arb_t p;
            arb_init(p);
            arb_set(p, r);
            arb_sub_ui(t, p, 1, PREC), arb_neg(t, t), arb_mul(r, p, t, PREC);
            if (k == 2) arb_mul_2exp_si(t, p, 1), arb_sub_ui(t, t, 1, PREC), arb_neg(t, t),
                        arb_mul(r, r, t, PREC);
            arb_clear(p);
        }
        break;
    case GATE_TANH: /* tanh' = sech^2, tanh'' = -2 tanh sech^2 */
        if (k == 0) arb_tanh(r, x, PREC);
        else {
            arb_sech(t, x, PREC), arb_sqr(r, t, PREC);
            if (k == 2) arb_tanh(t, x, PREC), arb_mul(r, r, t, PREC), arb_mul_2exp_si(r, r, 1),
                        arb_neg(r, r);
        }
        break;
    case GATE_EXP: arb_exp(r, x, PREC); break;
    case GATE_ELU:
        if (!arb_is_nonpositive(x)) { rc = -1; arb_indeterminate(r); break; }
        if (k == 0) arb_expm1(r, x, PREC);
        else arb_exp(r, x, PREC);
        break;
    default: rc = -1;
    }
    arb_clear(t);
    return rc;
}

typedef struct {
    gate_act a;
    arb_t b, lam, scale; /* scale = 1/(4 s2 lambda^2) */
} gctx;

static void gctx_init(gctx *g, gate_act a, double lambda)
{
    g->a = a;
    arb_init(g->b), arb_init(g->lam), arb_init(g->scale);
    arb_bias(g->b, a);
    arb_set_d(g->lam, lambda);
    arb_t s2;
    arb_init(s2);
    switch (a) { /* sigma''(b) exactly */
    case GATE_SOFTPLUS: arb_set_d(s2, 0.25); break;
    case GATE_LOGISTIC: arb_set_d(s2, -3.0 / 32); break;
    case GATE_TANH: arb_set_d(s2, -0.75); break;
    case GATE_EXP: arb_one(s2); break;
    default: arb_set_si(s2, -2), arb_exp(s2, s2, PREC);
    }
    arb_mul(s2, s2, g->lam, PREC), arb_mul(s2, s2, g->lam, PREC), arb_mul_2exp_si(s2, s2, 2);
    arb_inv(g->scale, s2, PREC);
    arb_clear(s2);
}

static void gctx_clear(gctx *g) { arb_clear(g->b), arb_clear(g->lam), arb_clear(g->scale); }

/* D_k(s) = sigma^(k)(b + l s) + (-1)^k sigma^(k)(b - l s) */
static int pair(arb_t r, const gctx *g, int k, const arb_t s)
{
    arb_t u, p, q;
    arb_init(u), arb_init(p), arb_init(q);
    arb_mul(u, g->lam, s, PREC);
    arb_add(p, g->b, u, PREC);
    int rc = arb_sigma(p, g->a, k, p);
    arb_sub(q, g->b, u, PREC);
    rc |= arb_sigma(q, g->a, k, q);
    if (k != 1) arb_add(r, p, q, PREC);
    else arb_sub(r, p, q, PREC);
    arb_clear(u), arb_clear(p), arb_clear(q);
    return rc;
}

/* listing: meanvalue */
/* e(x,y) = [D0(x+y) - D0(x-y)] / (4 s2 l^2) - xy.  On a box B = c + [-r, r] */
/* (second-order mean-value form, no cancellation under 1/l^2): */
/* e(B) in e(c) + gx dx + gy dy,  dx in [-rx, rx], dy in [-ry, ry], */
/* gx = k l [D1(sc) - D1(dc)] - yc + dx k l^2 [D2(S) - D2(D)] + dy (k l^2 [D2(S) + D2(D)] - 1), */
/* gy = k l [D1(sc) + D1(dc)] - xc + dx (k l^2 [D2(S) + D2(D)] - 1) + dy k l^2 [D2(S) - D2(D)], */
/* k = 1/(4 s2 l^2), S = x + y and D = x - y over B (D1' = l D2). */
static int box_enclose(arb_t e, const gctx *g, double cx, double cy, double rx, double ry)
{
    arb_t x, y, s, d, t1, t2, gx, gy, dx, dy, A, Bm, l2k;
    arb_init(x), arb_init(y), arb_init(s), arb_init(d), arb_init(t1), arb_init(t2);
    arb_init(gx), arb_init(gy), arb_init(dx), arb_init(dy), arb_init(A), arb_init(Bm), arb_init(l2k);
    int rc = 0;
    arb_set_d(x, cx), arb_set_d(y, cy);
    arb_add(s, x, y, PREC), arb_sub(d, x, y, PREC);
    rc |= pair(t1, g, 0, s), rc |= pair(t2, g, 0, d);
    arb_sub(e, t1, t2, PREC), arb_mul(e, e, g->scale, PREC);
    arb_mul(t1, x, y, PREC), arb_sub(e, e, t1, PREC);
    if (rx > 0 || ry > 0) {
        /* first-order part at the centre */
        rc |= pair(t1, g, 1, s), rc |= pair(t2, g, 1, d);
        arb_sub(gx, t1, t2, PREC), arb_add(gy, t1, t2, PREC);
        arb_mul(gx, gx, g->lam, PREC), arb_mul(gx, gx, g->scale, PREC), arb_sub(gx, gx, y, PREC);
        arb_mul(gy, gy, g->lam, PREC), arb_mul(gy, gy, g->scale, PREC), arb_sub(gy, gy, x, PREC);
        /* second-order coefficients over the box */
        mag_set_d(arb_radref(x), rx), mag_set_d(arb_radref(y), ry);
        arb_add(s, x, y, PREC), arb_sub(d, x, y, PREC);
        rc |= pair(t1, g, 2, s), rc |= pair(t2, g, 2, d);
        arb_mul(l2k, g->lam, g->lam, PREC), arb_mul(l2k, l2k, g->scale, PREC);
        arb_sub(A, t1, t2, PREC), arb_mul(A, A, l2k, PREC);            /* k l^2 [D2(S)-D2(D)] */
        arb_add(Bm, t1, t2, PREC), arb_mul(Bm, Bm, l2k, PREC), arb_sub_ui(Bm, Bm, 1, PREC);
        arb_zero(dx), mag_set_d(arb_radref(dx), rx);
        arb_zero(dy), mag_set_d(arb_radref(dy), ry);
        arb_addmul(gx, dx, A, PREC), arb_addmul(gx, dy, Bm, PREC);
        arb_addmul(gy, dx, Bm, PREC), arb_addmul(gy, dy, A, PREC);
        arb_addmul(e, gx, dx, PREC), arb_addmul(e, gy, dy, PREC);
    }
    arb_clear(x), arb_clear(y), arb_clear(s), arb_clear(d), arb_clear(t1), arb_clear(t2);
    arb_clear(gx), arb_clear(gy), arb_clear(dx), arb_clear(dy), arb_clear(A), arb_clear(Bm);
    arb_clear(l2k);
    return rc;
}
/* end: meanvalue */

/* Upper bound of |e| on the box, lower bound of |e(c)| at its centre. */
static int box_bounds(double *hi, double *lo_c, const gctx *g, double cx, double cy, double rx,
                      double ry)
{
    arb_t e, ec;
    arb_init(e), arb_init(ec);
    int rc = box_enclose(e, g, cx, cy, rx, ry);
    rc |= box_enclose(ec, g, cx, cy, 0, 0);
    arf_t t;
    arf_init(t);
    arb_get_abs_ubound_arf(t, e, 53);
    *hi = arf_get_d(t, ARF_RND_UP);
    arb_get_abs_lbound_arf(t, ec, 53);
    *lo_c = arf_get_d(t, ARF_RND_DOWN);
    arf_clear(t), arb_clear(e), arb_clear(ec);
    if (rc || !isfinite(*hi)) *hi = INFINITY;
    if (!isfinite(*lo_c)) *lo_c = 0;
    return rc;
}

void gate_cert_point(double *lo, double *hi, gate_act a, double lambda, double x, double y)
{
    gctx g;
    gctx_init(&g, a, lambda);
    arb_t e;
    arb_init(e);
    box_enclose(e, &g, x, y, 0, 0);
    arf_t t;
    arf_init(t);
    arb_get_lbound_arf(t, e, 53), *lo = arf_get_d(t, ARF_RND_DOWN);
    arb_get_ubound_arf(t, e, 53), *hi = arf_get_d(t, ARF_RND_UP);
    arf_clear(t), arb_clear(e), gctx_clear(&g);
}

typedef struct { double cx, cy, rx, ry; } box;

/* listing: bnb */
/* Branch and bound: a box is dropped when its upper bound is <= the */
/* threshold (eps, or (1+rtol) times the best witness); the witness is the */
/* certified lower bound of |e| at box centres.  mode 0: eps, 1: sup. */
static int bnb(gate_cert_result *r, gate_act a, double lambda, double R, double eps, double rtol,
               int mode, long max_boxes)
{
    if ((unsigned)a >= GATE_NACT || !(lambda > 0) || !(R > 0) || !isfinite(lambda) || !isfinite(R))
        return -1;
    if (mode == 0 && !(eps > 0)) return -1;
    gctx g;
    gctx_init(&g, a, lambda);
    size_t cap = 1024, n = 0;
    box *st = malloc(cap * sizeof *st);
    if (!st) { gctx_clear(&g); return -1; }
    double best = 0, hi_dropped = 0, hi, loc;
    /* seed the witness on a 9 x 9 grid including the corners */
    for (int i = 0; i <= 8; i++)
        for (int j = 0; j <= 8; j++) {
            box_bounds(&hi, &loc, &g, -R + R * i / 4.0, -R + R * j / 4.0, 0, 0);
            if (loc > best) best = loc;
        }
    st[n++] = (box){0, 0, R, R};
    long count = 0;
    gate_cert_verdict v = GATE_CERTIFIED;
    while (n > 0) {
        if (mode == 0 && best > eps) { v = GATE_REFUTED; break; }
        if (count >= max_boxes) { v = GATE_UNDECIDED; break; }
        box b = st[--n];
        count++;
        box_bounds(&hi, &loc, &g, b.cx, b.cy, b.rx, b.ry);
        if (loc > best) best = loc;
        double thr = mode == 0 ? eps : best * (1 + rtol);
        if (hi <= thr) {
            if (hi > hi_dropped) hi_dropped = hi;
            continue;
        }
        if (n + 2 > cap) {
            box *s2 = realloc(st, 2 * cap * sizeof *st);
            if (!s2) { v = GATE_UNDECIDED; break; }
            st = s2, cap *= 2;
        }
        if (b.rx >= b.ry) {
            double h = b.rx / 2;
            st[n++] = (box){b.cx - h, b.cy, h, b.ry};
            st[n++] = (box){b.cx + h, b.cy, h, b.ry};
        } else {
            double h = b.ry / 2;
            st[n++] = (box){b.cx, b.cy - h, b.rx, h};
            st[n++] = (box){b.cx, b.cy + h, b.rx, h};
        }
    }
    if (mode == 0 && v == GATE_CERTIFIED && best > eps) v = GATE_REFUTED;
    r->verdict = v, r->boxes = count, r->sup_lo = best;
    r->sup_hi = v == GATE_CERTIFIED ? (hi_dropped > best ? hi_dropped : best) : INFINITY;
    if (mode == 1 && v == GATE_CERTIFIED) r->verdict = GATE_CERTIFIED;
    free(st);
    gctx_clear(&g);
    return 0;
}
/* end: bnb */

int gate_cert_eps(gate_cert_result *r, gate_act a, double lambda, double R, double eps,
                  long max_boxes)
{
    return bnb(r, a, lambda, R, eps, 0, 0, max_boxes);
}

int gate_cert_sup(gate_cert_result *r, gate_act a, double lambda, double R, double rtol,
                  long max_boxes)
{
    if (!(rtol > 0)) return -1;
    return bnb(r, a, lambda, R, 0, rtol, 1, max_boxes);
}

/* ---- exact Taylor coefficients ---- */
#define PMAX 16
/* listing: taylor */
/* sigma^(k)(b) = P_k(y0) with y0 = sigma(b) or sigma'(b) rational: */
/* logistic p' = p - p^2 (softplus' = p), tanh t' = 1 - t^2; exp: e^b / k!. */
static void taylor_q(mpq_t *c, gate_act a, int K)
{
    mpq_t P[PMAX], Q[PMAX], y0, acc, t;
    for (int i = 0; i < PMAX; i++) mpq_init(P[i]), mpq_init(Q[i]);
    mpq_init(y0), mpq_init(acc), mpq_init(t);
    int lowdeg = a == GATE_SOFTPLUS ? 1 : 0; /* P represents sigma^(lowdeg) */
    mpq_set_ui(P[1], 1, 1);                  /* P = y */
    if (a == GATE_LOGISTIC) mpq_set_ui(y0, 3, 4);
    else if (a == GATE_SOFTPLUS) mpq_set_ui(y0, 1, 2);
    else mpq_set_ui(y0, 1, 2);
    mpz_t fact;
    mpz_init_set_ui(fact, 1);
    for (int k = 0; k <= K; k++) {
        if (k > 0) mpz_mul_ui(fact, fact, (unsigned long)k);
        if (a == GATE_EXP || a == GATE_ELU) { /* c_k = e^b / k! */
            mpq_set_z(c[k], fact), mpq_inv(c[k], c[k]);
            continue;
        }
        if (k < lowdeg) { mpq_set_ui(c[k], 0, 1); continue; }
        /* evaluate P at y0, divide by k! */
        mpq_set_ui(acc, 0, 1);
        for (int i = PMAX - 1; i >= 0; i--) mpq_mul(acc, acc, y0), mpq_add(acc, acc, P[i]);
        mpq_set_z(t, fact), mpq_div(c[k], acc, t);
        /* P <- P'(y) * g(y), g = y - y^2 (logistic) or 1 - y^2 (tanh) */
        for (int i = 0; i < PMAX; i++) mpq_set_ui(Q[i], 0, 1);
        for (int i = 1; i < PMAX; i++) {
            mpq_set_ui(t, (unsigned long)i, 1), mpq_mul(t, t, P[i]); /* coefficient of y^{i-1} in P' */
            if (a == GATE_TANH) {
                mpq_add(Q[i - 1], Q[i - 1], t);
                if (i + 1 < PMAX) mpq_sub(Q[i + 1], Q[i + 1], t);
            } else {
                mpq_add(Q[i], Q[i], t);
                if (i + 1 < PMAX) mpq_sub(Q[i + 1], Q[i + 1], t);
            }
        }
        for (int i = 0; i < PMAX; i++) mpq_set(P[i], Q[i]);
    }
    mpz_clear(fact);
    for (int i = 0; i < PMAX; i++) mpq_clear(P[i]), mpq_clear(Q[i]);
    mpq_clear(y0), mpq_clear(acc), mpq_clear(t);
}
/* end: taylor */

int gate_taylor(long *num, long *den, gate_act a, int K)
{
    if ((unsigned)a >= GATE_NACT || K < 0 || K > 12) return -1;
    mpq_t c[13];
    for (int k = 0; k <= K; k++) mpq_init(c[k]);
    taylor_q(c, a, K);
    for (int k = 0; k <= K; k++) {
        num[k] = mpz_get_si(mpq_numref(c[k])), den[k] = mpz_get_si(mpq_denref(c[k]));
        mpq_clear(c[k]);
    }
    if (a == GATE_SOFTPLUS || a == GATE_ELU) num[0] = 0, den[0] = 0; /* irrational / not e^b */
    return 0;
}

void gate_taylor_deg4(long *num, long *den, gate_act a)
{
    mpq_t c[5], q;
    for (int k = 0; k < 5; k++) mpq_init(c[k]);
    mpq_init(q);
    taylor_q(c, a, 4);
    mpq_div(q, c[4], c[2]), mpq_mul_2exp(q, q, 1); /* 2 c4 / c2 */
    *num = mpz_get_si(mpq_numref(q)), *den = mpz_get_si(mpq_denref(q));
    for (int k = 0; k < 5; k++) mpq_clear(c[k]);
    mpq_clear(q);
}

