/* nn: gradients by central differences (double twin), optimizer steps by
 * hand, convergence on XOR and a 1-D regression, thread-count independence,
 * weight files (round trip, rejection of corrupt and foreign files). */
#include "nn.h"
#include "binio.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Central differences D(h) = (f(x+h) - f(x-h))/2h have truncation error
 * ~ C h^2 (C = f'''/6) and rounding error <= eps |f| / h.  The truncation
 * part is estimated from the data, not assumed: D(2h) - D(h) ~ 3 C h^2, so
 * |D(2h) - D(h)| / 3 estimates it; the tolerance is 3x that estimate plus
 * 8 eps (1 + |f|)/h for rounding in the four evaluations, plus a floor of
 * 1e-12 relative.  With h = 1e-5 a wrong formula (off by O(|g|)) is far
 * outside; a right one sits at ~1e-10. */
#define FD_H 1e-5
static double fd_tol(double d1, double d2, double f)
{
    return fabs(d2 - d1) + 8 * 2.220446049250313e-16 * (1 + fabs(f)) / FD_H + 1e-12 * (1 + fabs(d1));
}
/* Evaluates f at x +- h and x +- 2h through *x; returns D(h), sets *tol. */
#define FD_PAIR(EXPR, x, tolp)                                                    \
    __extension__({                                                               \
        double v_ = *(x), f0_ = (EXPR);                                           \
        *(x) = v_ + FD_H;                                                         \
        double p1_ = (EXPR);                                                      \
        *(x) = v_ - FD_H;                                                         \
        double m1_ = (EXPR);                                                      \
        *(x) = v_ + 2 * FD_H;                                                     \
        double p2_ = (EXPR);                                                      \
        *(x) = v_ - 2 * FD_H;                                                     \
        double m2_ = (EXPR);                                                      \
        *(x) = v_;                                                                \
        double d1_ = (p1_ - m1_) / (2 * FD_H), d2_ = (p2_ - m2_) / (4 * FD_H);    \
        *(tolp) = fd_tol(d1_, d2_, f0_);                                          \
        d1_;                                                                      \
    })

enum { GB = 4, GIN = 3 };
static const int gsizes[4] = {GIN, 4, 3, 2};

/* L = sum c_i out_i (a fixed random cotangent): exercises nn_backward with a
 * caller-supplied dL/doutput, as the VAE uses it. */
static double probe_loss(nn_net_d *net, const double *X, const double *c)
{
    const double *o = nn_forward_d(net, X, GB);
    double L = 0;
    for (int i = 0; i < GB * gsizes[3]; i++) L += c[i] * o[i];
    return L;
}

static void check_act(nn_act act)
{
    nn_act acts[3] = {act, act, act};
    nn_net_d net;
    cr_assert(nn_net_init_d(&net, 3, gsizes, acts, GB) == 0);
    rng_stream r;
    rng_init(&r, 11, (uint32_t)act, 0);
    nn_init_weights_d(&net, NN_INIT_NORMAL, 0.7, &r);
    for (size_t i = 0; i < net.nparams; i++) net.params[i] += 0.1 * rng_normal(&r); /* nonzero biases */
    double X[GB * GIN], c[GB * 2];
    for (int i = 0; i < GB * GIN; i++) X[i] = rng_normal(&r);
    for (int i = 0; i < GB * 2; i++) c[i] = rng_normal(&r);
    probe_loss(&net, X, c);
    /* kinks (ReLU, leaky ReLU, ELU's f'') must be out of reach of the
     * perturbation: every |z| > 1e-3 >> h |input| */
    int kinked = act == NN_RELU || act == NN_LRELU || act == NN_ELU;
    for (int l = 0; l < 3 && kinked; l++)
        for (int i = 0; i < GB * gsizes[l + 1]; i++)
            cr_assert(fabs(net.z[l][i]) > 1e-3, "%s: pre-activation %g too near a kink", nn_act_name(act), net.z[l][i]);
    const double *dx = nn_backward_d(&net, c);
    double gx[GB * GIN], *g = malloc(net.nparams * sizeof(double));
    memcpy(gx, dx, sizeof gx);
    memcpy(g, net.grads, net.nparams * sizeof(double));
    for (size_t i = 0; i < net.nparams; i++) {
        double tol, fd = FD_PAIR(probe_loss(&net, X, c), &net.params[i], &tol);
        cr_assert(fabs(fd - g[i]) <= tol, "%s param %zu: backprop %.12g fd %.12g tol %.3g", nn_act_name(act), i, g[i], fd, tol);
    }
    for (int i = 0; i < GB * GIN; i++) {
        double tol, fd = FD_PAIR(probe_loss(&net, X, c), &X[i], &tol);
        cr_assert(fabs(fd - gx[i]) <= tol, "%s input %d: backprop %.12g fd %.12g tol %.3g", nn_act_name(act), i, gx[i], fd, tol);
    }
    free(g);
    nn_net_clear_d(&net);
}

Test(nn, gradcheck_every_activation)
{
    for (int a = 0; a < NN_ACT_COUNT; a++) check_act((nn_act)a);
}

static void check_loss(nn_loss kind)
{
    enum { B = 3, K = 4 };
    rng_stream r;
    rng_init(&r, 12, (uint32_t)kind, 0);
    double p[B * K], y[B * K], g[B * K], tmp[B * K];
    for (int i = 0; i < B * K; i++) {
        p[i] = 2 * rng_normal(&r);
        y[i] = kind == NN_LOSS_BCE ? (double)rng_bernoulli(&r, 0.5) : rng_normal(&r);
    }
    if (kind == NN_LOSS_XENT)
        for (int b = 0; b < B; b++) y[b] = (double)rng_below(&r, K);
    nn_loss_eval_d(g, kind, p, y, B, K);
    for (int i = 0; i < B * K; i++) {
        if (kind == NN_LOSS_MAE) cr_assert(fabs(p[i] - y[i]) > 1e-3, "MAE kink within reach at %d", i);
        double tol, fd = FD_PAIR(nn_loss_eval_d(tmp, kind, p, y, B, K), &p[i], &tol);
        cr_assert(fabs(fd - g[i]) <= tol, "%s pred %d: grad %.12g fd %.12g", nn_loss_name(kind), i, g[i], fd);
    }
}

Test(nn, gradcheck_every_loss)
{
    for (int l = 0; l < NN_LOSS_COUNT; l++) check_loss((nn_loss)l);
}

Test(nn, loss_values_by_hand)
{
    /* MSE of (1,2) vs (0,0): (1+4)/2; MAE: 3/2; xent of logits (0, ln 3)
     * class 1: -log(3/4); BCE of logit 0, y=1: log 2. */
    double p[2] = {1, 2}, y[2] = {0, 0}, g[2];
    cr_assert(epsilon_eq(dbl, nn_loss_eval_d(g, NN_LOSS_MSE, p, y, 1, 2), 2.5, 1e-15));
    cr_assert(epsilon_eq(dbl, nn_loss_eval_d(g, NN_LOSS_MAE, p, y, 1, 2), 1.5, 1e-15));
    double q[2] = {0, log(3.0)}, c = 1;
    cr_assert(epsilon_eq(dbl, nn_loss_eval_d(g, NN_LOSS_XENT, q, &c, 1, 2), -log(0.75), 1e-15));
    double z = 0, one = 1;
    cr_assert(epsilon_eq(dbl, nn_loss_eval_d(g, NN_LOSS_BCE, &z, &one, 1, 1), log(2.0), 1e-15));
    /* KL(N(1, e^0) || N(0,1)) = 0.5 (1 + 1 - 1 - 0) = 0.5 */
    double mu = 1, lv = 0;
    cr_assert(epsilon_eq(dbl, nn_kl_gauss_d(NULL, NULL, &mu, &lv, 1, 1), 0.5, 1e-15));
}

Test(nn, gradcheck_kl_gauss)
{
    enum { B = 2, K = 3 };
    rng_stream r;
    rng_init(&r, 13, 0, 0);
    double mu[B * K], lv[B * K], gm[B * K], gl[B * K];
    for (int i = 0; i < B * K; i++) mu[i] = rng_normal(&r), lv[i] = rng_normal(&r);
    nn_kl_gauss_d(gm, gl, mu, lv, B, K);
    for (int i = 0; i < B * K; i++)
        for (int w = 0; w < 2; w++) {
            double *x = w ? lv : mu, g = w ? gl[i] : gm[i];
            double tol, fd = FD_PAIR(nn_kl_gauss_d(NULL, NULL, mu, lv, B, K), &x[i], &tol);
            cr_assert(fabs(fd - g) <= tol, "KL d/d%s[%d]: %.12g fd %.12g", w ? "logvar" : "mu", i, g, fd);
        }
}

/* float32 against hand-computed values: float rounding ~1e-7 relative. */
#define OPT_TOL 1e-6

Test(nn, sgd_momentum_two_steps_by_hand)
{
    nn_opt o;
    cr_assert(nn_opt_init(&o, NN_SGD, 2) == 0);
    o.lr = 0.1;
    o.momentum = 0.9;
    float p[2] = {1, -2}, g[2] = {0.5f, -0.25f};
    nn_opt_step(&o, p, g); /* v = g: p = 1 - 0.05, -2 + 0.025 */
    cr_assert(epsilon_eq(flt, p[0], 0.95f, OPT_TOL));
    cr_assert(epsilon_eq(flt, p[1], -1.975f, OPT_TOL));
    nn_opt_step(&o, p, g); /* v = 0.9*0.5 + 0.5 = 0.95: p = 0.95 - 0.095; v1 = -0.475: -1.975 + 0.0475 */
    cr_assert(epsilon_eq(flt, p[0], 0.855f, OPT_TOL), "%.9g", p[0]);
    cr_assert(epsilon_eq(flt, p[1], -1.9275f, OPT_TOL), "%.9g", p[1]);
    nn_opt_clear(&o);
}

Test(nn, adam_two_steps_by_hand)
{
    nn_opt o;
    cr_assert(nn_opt_init(&o, NN_ADAM, 1) == 0);
    o.lr = 0.1;
    float p = 1, g1 = 0.5f, g2 = -1;
    /* step 1: mhat = g, vhat = g^2: p -= 0.1 * 0.5/(0.5 + 1e-8) = 0.9 */
    nn_opt_step(&o, &p, &g1);
    cr_assert(epsilon_eq(flt, p, 0.9f, OPT_TOL), "%.9g", p);
    /* step 2: m = 0.9*0.05 + 0.1*(-1) = -0.055, v = 0.999*0.00025 + 0.001 = 0.00124975;
     * mhat = -0.055/0.19 = -0.289473684, vhat = 0.00124975/0.001999 = 0.625187594,
     * sqrt = 0.790688051: p = 0.9 + 0.1*0.289473684/0.790688051 = 0.936610246 */
    nn_opt_step(&o, &p, &g2);
    cr_assert(epsilon_eq(flt, p, 0.936610246f, OPT_TOL), "%.9g", p);
    nn_opt_clear(&o);
}

Test(nn, adadelta_two_steps_by_hand)
{
    nn_opt o;
    cr_assert(nn_opt_init(&o, NN_ADADELTA, 1) == 0);
    float p = 1, g = 0.5f;
    /* E[g^2] = 0.025, dx = -sqrt(1e-6/0.025001) 0.5 = -0.00316221442, E[dx^2] = 0.1 dx^2 = 9.99960002e-7 */
    nn_opt_step(&o, &p, &g);
    cr_assert(epsilon_eq(flt, p, 0.99683778f, OPT_TOL), "%.9g", p);
    /* E[g^2] = 0.0475, dx = -sqrt((9.99960002e-7 + 1e-6)/0.047501) 0.5 = -0.00324436183: p = 0.993593424 */
    nn_opt_step(&o, &p, &g);
    cr_assert(epsilon_eq(flt, p, 0.993593424f, OPT_TOL), "%.9g", p);
    nn_opt_clear(&o);
}

Test(nn, xor_converges)
{
    /* 2-8-1 tanh, BCE on the logit, Adam lr 0.05, full batch, 500 epochs:
     * the loss must fall below 0.05 (chance is log 2 = 0.693). */
    float X[8] = {0, 0, 0, 1, 1, 0, 1, 1}, Y[4] = {0, 1, 1, 0};
    int sizes[3] = {2, 8, 1};
    nn_act acts[2] = {NN_TANH, NN_IDENTITY};
    nn_net net;
    nn_opt o;
    rng_stream r;
    rng_init(&r, 1, 0, 0);
    cr_assert(nn_net_init(&net, 2, sizes, acts, 4) == 0);
    nn_init_weights(&net, NN_INIT_GLOROT, 0, &r);
    cr_assert(nn_opt_init(&o, NN_ADAM, net.nparams) == 0);
    o.lr = 0.05;
    for (int e = 0; e < 500; e++) nn_train_epoch(&net, &o, NN_LOSS_BCE, X, Y, 4, 4, &r);
    double L = nn_eval_loss(&net, NN_LOSS_BCE, X, Y, 4);
    cr_assert(L < 0.05, "XOR BCE %g", L);
    nn_opt_clear(&o);
    nn_net_clear(&net);
}

Test(nn, regression_1d_converges)
{
    /* y = sin x on 64 points of [-3, 3]; 1-16-16-1 tanh, MSE, Adam lr 0.01,
     * batch 16, 1000 epochs: MSE below 1e-3 (Var sin ~ 0.46 on the grid). */
    enum { N = 64 };
    float X[N], Y[N];
    for (int i = 0; i < N; i++) X[i] = -3 + 6.0f * i / (N - 1), Y[i] = sinf(X[i]);
    int sizes[4] = {1, 16, 16, 1};
    nn_act acts[3] = {NN_TANH, NN_TANH, NN_IDENTITY};
    nn_net net;
    nn_opt o;
    rng_stream r;
    rng_init(&r, 2, 0, 0);
    cr_assert(nn_net_init(&net, 3, sizes, acts, 16) == 0);
    nn_init_weights(&net, NN_INIT_GLOROT, 0, &r);
    cr_assert(nn_opt_init(&o, NN_ADAM, net.nparams) == 0);
    o.lr = 0.01;
    for (int e = 0; e < 1000; e++) nn_train_epoch(&net, &o, NN_LOSS_MSE, X, Y, N, 16, &r);
    double L = nn_eval_loss(&net, NN_LOSS_MSE, X, Y, N);
    cr_assert(L < 1e-3, "sin MSE %g", L);
    nn_opt_clear(&o);
    nn_net_clear(&net);
}

/* RT-6 shape: one net per OpenMP thread, AdaDelta, MAE; each net seeded by
 * its cell.  Returns all nets' params concatenated. */
enum { TNETS = 4, TN = 200 };
static float *train_cells(int threads)
{
    int sizes[4] = {20, 30, 30, 1};
    nn_act acts[3] = {NN_TANH, NN_TANH, NN_IDENTITY};
    nn_net probe;
    cr_assert(nn_net_init(&probe, 3, sizes, acts, 1) == 0);
    size_t np = probe.nparams;
    nn_net_clear(&probe);
    float *out = calloc(TNETS * np, sizeof(float));
    nn_blas_single_thread();
    omp_set_num_threads(threads);
#pragma omp parallel for schedule(dynamic)
    for (int c = 0; c < TNETS; c++) {
        rng_stream r;
        rng_init(&r, 5, (uint32_t)c, 0);
        float *X = malloc(TN * 20 * sizeof(float)), *Y = malloc(TN * sizeof(float));
        for (int i = 0; i < TN; i++) {
            double s = 0;
            for (int j = 0; j < 20; j++) s += (X[i * 20 + j] = (float)rng_normal(&r)) * (j + 1);
            Y[i] = (float)sin(s / 20);
        }
        nn_net net;
        nn_opt o;
        nn_net_init(&net, 3, sizes, acts, 32);
        nn_init_weights(&net, NN_INIT_GLOROT, 0, &r);
        nn_opt_init(&o, NN_ADADELTA, net.nparams);
        for (int e = 0; e < 5; e++) nn_train_epoch(&net, &o, NN_LOSS_MAE, X, Y, TN, 32, &r);
        memcpy(out + c * np, net.params, np * sizeof(float));
        nn_opt_clear(&o);
        nn_net_clear(&net);
        free(X);
        free(Y);
    }
    omp_set_num_threads(1);
    return out;
}

Test(nn, same_weights_with_1_and_2_threads)
{
    float *a = train_cells(1), *b = train_cells(2);
    int sizes[4] = {20, 30, 30, 1};
    size_t np = (size_t)30 * 20 + 30 + 30 * 30 + 30 + 30 + 1;
    (void)sizes;
    cr_assert(memcmp(a, b, TNETS * np * sizeof(float)) == 0, "weights differ between 1 and 2 threads");
    /* and training moved the weights away from the init of the next check */
    int moved = 0;
    for (size_t i = 0; i < np; i++) moved |= a[i] != a[np + i];
    cr_assert(moved, "cells got identical weights: streams not keyed by cell");
    free(a);
    free(b);
}

/* --- weight files ------------------------------------------------------------ */
static void tmpname(char *buf, size_t n, const char *tag)
{
    snprintf(buf, n, "/tmp/deepcheap_test_nn_%ld_%s.bin", (long)getpid(), tag);
}

static void make_net(nn_net *net)
{
    int sizes[4] = {5, 7, 3, 2};
    nn_act acts[3] = {NN_ELU, NN_LRELU, NN_IDENTITY};
    rng_stream r;
    rng_init(&r, 9, 0, 0);
    cr_assert(nn_net_init(net, 3, sizes, acts, 4) == 0);
    nn_init_weights(net, NN_INIT_HE, 0, &r);
    for (size_t i = 0; i < net->nparams; i++) net->params[i] += (float)rng_normal(&r) * 1e-3f;
}

Test(nn, save_load_round_trip_bit_exact)
{
    nn_net a, b;
    char path[256], err[256];
    tmpname(path, sizeof path, "rt");
    make_net(&a);
    cr_assert(nn_save(&a, path, err, sizeof err) == 0, "%s", err);
    cr_assert(nn_load(&b, path, 8, err, sizeof err) == 0, "%s", err);
    cr_assert(b.nlayers == a.nlayers && b.nparams == a.nparams);
    cr_assert(memcmp(a.sizes, b.sizes, (a.nlayers + 1) * sizeof(int)) == 0);
    cr_assert(memcmp(a.acts, b.acts, a.nlayers * sizeof(nn_act)) == 0);
    cr_assert(memcmp(a.params, b.params, a.nparams * sizeof(float)) == 0);
    unlink(path);
    nn_net_clear(&a);
    nn_net_clear(&b);
}

static unsigned char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f != NULL);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    unsigned char *p = malloc(*n);
    cr_assert(fread(p, 1, *n, f) == *n);
    fclose(f);
    return p;
}

static void write_all(const char *path, const unsigned char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f != NULL);
    cr_assert(fwrite(p, 1, n, f) == n);
    fclose(f);
}

static void expect_reject(const char *path, const char *what)
{
    nn_net b;
    char err[256] = "";
    cr_assert(nn_load(&b, path, 4, err, sizeof err) == -1, "%s accepted", what);
    cr_assert(strlen(err) > 0 && !strchr(err, '\n'), "%s: message '%s'", what, err);
    cr_assert(b.params == NULL, "%s: net not left empty", what);
}

Test(nn, load_rejects_truncated_flipped_foreign)
{
    nn_net a;
    char path[256], bad[256], err[256];
    tmpname(path, sizeof path, "ok");
    tmpname(bad, sizeof bad, "bad");
    make_net(&a);
    cr_assert(nn_save(&a, path, err, sizeof err) == 0, "%s", err);
    size_t n;
    unsigned char *p = read_all(path, &n);
    char what[64];
    for (size_t len = 0; len < n; len += (len < 64 ? 1 : 37)) { /* every header prefix, then a stride */
        write_all(bad, p, len);
        snprintf(what, sizeof what, "truncated to %zu of %zu", len, n);
        expect_reject(bad, what);
    }
    for (size_t i = 0; i < n; i += (i < 64 ? 1 : 13))
        for (int bit = 0; bit < 8; bit += 3) {
            p[i] ^= (unsigned char)(1u << bit);
            write_all(bad, p, n);
            snprintf(what, sizeof what, "bit %d of byte %zu flipped", bit, i);
            expect_reject(bad, what);
            p[i] ^= (unsigned char)(1u << bit);
        }
    const char *text = "a\tb\tc\n1\t2\t3\n";
    write_all(bad, (const unsigned char *)text, strlen(text));
    expect_reject(bad, "a TSV file");
    unlink(bad);
    expect_reject(bad, "a missing file");
    /* a future version with a valid checksum is refused by version */
    p[8] = 2;
    uint64_t h = binio_fnv1a(BINIO_FNV1A_INIT, p, n - 8);
    for (int i = 0; i < 8; i++) p[n - 8 + i] = (unsigned char)(h >> (8 * i));
    write_all(bad, p, n);
    nn_net b;
    cr_assert(nn_load(&b, bad, 4, err, sizeof err) == -1);
    cr_assert(strstr(err, "version") != NULL, "message: %s", err);
    unlink(bad);
    unlink(path);
    free(p);
    nn_net_clear(&a);
}

Test(nn, forward_rejects_bad_shapes)
{
    int sizes[2] = {3, 0};
    nn_act acts[1] = {NN_TANH};
    nn_net net;
    cr_assert(nn_net_init(&net, 1, sizes, acts, 4) == -1, "width 0 accepted");
    sizes[1] = 2;
    acts[0] = (nn_act)99;
    cr_assert(nn_net_init(&net, 1, sizes, acts, 4) == -1, "activation 99 accepted");
    acts[0] = NN_TANH;
    cr_assert(nn_net_init(&net, 1, sizes, acts, 2) == 0);
    float X[30] = {0};
    cr_assert(nn_forward(&net, X, 0) == NULL, "batch 0 accepted");
    cr_assert(nn_forward(&net, X, 10) != NULL, "batch above capacity not grown");
    nn_net_clear(&net);
}

Test(nn, float_tanh_logistic_accuracy)
{
    /* nn_tanhf is a rational minimax fit (Eigen's, documented at a few ulp):
     * required within 4 float eps relative of tanh in double; logistic =
     * (1 + tanh(z/2))/2 within 4 eps absolute.  Grid over [-12, 12] plus
     * tiny arguments down to 1e-30 (where tanh x = x). */
    double mr = 0, ma = 0;
    for (double x = -12; x <= 12; x += 1e-3) {
        float xf = (float)x;
        double t = tanh((double)xf), l = 1 / (1 + exp(-(double)xf));
        if (t != 0 && fabs(nn_tanhf(xf) - t) / fabs(t) > mr) mr = fabs(nn_tanhf(xf) - t) / fabs(t);
        if (fabs(nn_logisticf(xf) - l) > ma) ma = fabs(nn_logisticf(xf) - l);
    }
    for (double x = 1e-30; x < 1; x *= 1.1) {
        float xf = (float)x;
        double t = tanh((double)xf), e = fabs(nn_tanhf(xf) - t) / t;
        mr = e > mr ? e : mr;
    }
    cr_assert(mr <= 4 * 1.1920929e-7, "tanh relative error %g", mr);
    cr_assert(ma <= 4 * 1.1920929e-7, "logistic absolute error %g", ma);
}

Test(nn, float_path_matches_double_path)
{
    /* Same weights and inputs through nn_* (float, own tanh/logistic) and
     * nn_*_d (double, libm): outputs, parameter and input gradients agree to
     * 1e-4 of each vector's largest magnitude (float eps 1.2e-7 amplified
     * through 3 layers of width <= 4 and the activations' 4-eps error). */
    for (int act = 0; act < NN_ACT_COUNT; act++) {
        nn_act acts[3] = {(nn_act)act, (nn_act)act, NN_IDENTITY};
        nn_net f;
        nn_net_d d;
        cr_assert(nn_net_init(&f, 3, gsizes, acts, GB) == 0 && nn_net_init_d(&d, 3, gsizes, acts, GB) == 0);
        rng_stream r;
        rng_init(&r, 14, (uint32_t)act, 0);
        for (size_t i = 0; i < f.nparams; i++) f.params[i] = (float)(0.7 * rng_normal(&r)), d.params[i] = f.params[i];
        float Xf[GB * GIN], cf[GB * 2];
        double Xd[GB * GIN], cd[GB * 2];
        for (int i = 0; i < GB * GIN; i++) Xf[i] = (float)rng_normal(&r), Xd[i] = Xf[i];
        for (int i = 0; i < GB * 2; i++) cf[i] = (float)rng_normal(&r), cd[i] = cf[i];
        const float *of = nn_forward(&f, Xf, GB);
        const double *od = nn_forward_d(&d, Xd, GB);
        double m = 0;
        for (int i = 0; i < GB * 2; i++) m = fmax(m, fabs(od[i]));
        for (int i = 0; i < GB * 2; i++)
            cr_assert(fabs(of[i] - od[i]) <= 1e-4 * m, "%s output %d: %.9g vs %.9g", nn_act_name(acts[0]), i, of[i], od[i]);
        const float *xf = nn_backward(&f, cf);
        const double *xd = nn_backward_d(&d, cd);
        m = 0;
        for (size_t i = 0; i < f.nparams; i++) m = fmax(m, fabs(d.grads[i]));
        for (size_t i = 0; i < f.nparams; i++)
            cr_assert(fabs(f.grads[i] - d.grads[i]) <= 1e-4 * m, "%s grad %zu: %.9g vs %.9g", nn_act_name(acts[0]), i,
                      f.grads[i], d.grads[i]);
        m = 0;
        for (int i = 0; i < GB * GIN; i++) m = fmax(m, fabs(xd[i]));
        for (int i = 0; i < GB * GIN; i++)
            cr_assert(fabs(xf[i] - xd[i]) <= 1e-4 * m, "%s dx %d: %.9g vs %.9g", nn_act_name(acts[0]), i, xf[i], xd[i]);
        nn_net_clear(&f);
        nn_net_clear_d(&d);
    }
}

Test(nn, batch_gradient_is_sum_of_sample_gradients)
{
    /* The backward pass works on row chunks of the batch (2048 / width rows,
     * one row for widths >= 2048): with batches spanning many chunks, the
     * batch gradient (parameters and input) must equal the sum of the
     * gradients of its samples taken one at a time, in double to 1e-12 of
     * each vector's largest magnitude.  A chunk skipped or counted twice, or
     * a bias gradient summed over the wrong rows, is off by O(1). */
    enum { BB = 1500, NL = 3 };
    static const int sz[NL + 1] = {5, 3, 2100, 2};
    for (int act = 0; act < NN_ACT_COUNT; act++) {
        nn_act acts[NL] = {(nn_act)act, (nn_act)act, act % 2 ? NN_IDENTITY : (nn_act)act};
        nn_net_d net, one;
        cr_assert(nn_net_init_d(&net, NL, sz, acts, BB) == 0 && nn_net_init_d(&one, NL, sz, acts, 1) == 0);
        rng_stream r;
        rng_init(&r, 15, (uint32_t)act, 0);
        nn_init_weights_d(&net, NN_INIT_GLOROT, 0, &r);
        for (size_t i = 0; i < net.nparams; i++) net.params[i] += 0.1 * rng_normal(&r);
        memcpy(one.params, net.params, net.nparams * sizeof(double));
        double *X = malloc(BB * sz[0] * sizeof(double)), *c = malloc(BB * sz[NL] * sizeof(double));
        double *gs = calloc(net.nparams, sizeof(double)), *gx = malloc(BB * sz[0] * sizeof(double));
        cr_assert(X && c && gs && gx);
        for (int i = 0; i < BB * sz[0]; i++) X[i] = rng_normal(&r);
        for (int i = 0; i < BB * sz[NL]; i++) c[i] = rng_normal(&r);
        for (int s = 0; s < BB; s++) {
            nn_forward_d(&one, X + s * sz[0], 1);
            const double *dx = nn_backward_d(&one, c + s * sz[NL]);
            memcpy(gx + s * sz[0], dx, sz[0] * sizeof(double));
            for (size_t i = 0; i < one.nparams; i++) gs[i] += one.grads[i];
        }
        nn_forward_d(&net, X, BB);
        const double *dx = nn_backward_d(&net, c);
        double m = 0, mx = 0;
        for (size_t i = 0; i < net.nparams; i++) m = fmax(m, fabs(gs[i]));
        for (int i = 0; i < BB * sz[0]; i++) mx = fmax(mx, fabs(gx[i]));
        for (size_t i = 0; i < net.nparams; i++)
            cr_assert(fabs(net.grads[i] - gs[i]) <= 1e-12 * m, "%s grad %zu: batch %.15g, sum of samples %.15g",
                      nn_act_name((nn_act)act), i, net.grads[i], gs[i]);
        for (int i = 0; i < BB * sz[0]; i++)
            cr_assert(fabs(dx[i] - gx[i]) <= 1e-12 * mx, "%s dx %d: batch %.15g, sample %.15g", nn_act_name((nn_act)act),
                      i, dx[i], gx[i]);
        free(X);
        free(c);
        free(gs);
        free(gx);
        nn_net_clear_d(&net);
        nn_net_clear_d(&one);
    }
}
