/* rbm: free energies against brute force, ln Z by both layers, the exact
 * gradient against finite differences and the CD-k estimate against it,
 * training on exact Ising samples, invariance of the deep samplers' target
 * distributions, model files, thread-count independence. */
#include "rbm.h"
#include "testutil.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void random_rbm(rbm_model *m, int nv, int nh, double sd, uint32_t cell)
{
    rng_stream r;
    rng_init(&r, 77, cell, 0);
    cr_assert(rbm_model_init(m, nv, nh) == 0);
    rbm_init_normal(m, &r, sd);
    for (int i = 0; i < nv; i++) m->b[i] = (float)(sd * rng_normal(&r));
    for (int j = 0; j < nh; j++) m->c[j] = (float)(sd * rng_normal(&r));
}

static void bits(float *x, int n, uint64_t k)
{
    for (int i = 0; i < n; i++) x[i] = (float)((k >> i) & 1);
}

/* E(v, h) = -b.v - c.h - h W v in double. */
static double energy(const rbm_model *m, const float *v, const float *h)
{
    double E = 0;
    for (int i = 0; i < m->nv; i++) E -= (double)m->b[i] * v[i];
    for (int j = 0; j < m->nh; j++) {
        E -= (double)m->c[j] * h[j];
        for (int i = 0; i < m->nv; i++) E -= (double)m->W[j * m->nv + i] * h[j] * v[i];
    }
    return E;
}

static double lse2(double a, double b) { return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b)); }

Test(rbm, free_energy_and_lnz_brute_force)
{
    const double sds[3] = {0.1, 1.0, 4.0}; /* 4: large weights, sums dominated by few states */
    for (int t = 0; t < 3; t++) {
        rbm_model m;
        random_rbm(&m, 6, 5, sds[t], (uint32_t)t);
        float v[6], h[5];
        double lnz = -INFINITY;
        for (uint64_t kv = 0; kv < 64; kv++) {
            bits(v, 6, kv);
            double fv = -INFINITY;
            for (uint64_t kh = 0; kh < 32; kh++) {
                bits(h, 5, kh);
                fv = lse2(fv, -energy(&m, v, h));
            }
            double F = rbm_free_energy(&m, v);
            cr_assert(fabs(F + fv) <= 1e-12 * (1 + fabs(fv)), "sd %g v %llu: F %.15g brute %.15g", sds[t],
                      (unsigned long long)kv, F, -fv);
            lnz = lse2(lnz, fv);
        }
        for (uint64_t kh = 0; kh < 32; kh++) { /* hidden free energy */
            bits(h, 5, kh);
            double fh = -INFINITY;
            for (uint64_t kv = 0; kv < 64; kv++) {
                bits(v, 6, kv);
                fh = lse2(fh, -energy(&m, v, h));
            }
            double F = rbm_free_energy_hidden(&m, h);
            cr_assert(fabs(F + fh) <= 1e-12 * (1 + fabs(fh)), "sd %g h %llu", sds[t], (unsigned long long)kh);
        }
        double zv, zh;
        cr_assert(rbm_lnz_visible(&zv, &m) == 0);
        cr_assert(rbm_lnz_hidden(&zh, &m) == 0);
        cr_assert(fabs(zv - lnz) <= 1e-12 * (1 + fabs(lnz)), "sd %g: lnZ_v %.15g brute %.15g", sds[t], zv, lnz);
        cr_assert(fabs(zh - lnz) <= 1e-12 * (1 + fabs(lnz)), "sd %g: lnZ_h %.15g brute %.15g", sds[t], zh, lnz);
        rbm_model_clear(&m);
    }
}

/* Larger layers (2^14 and 2^11 terms, several enumeration blocks): the two
 * routes agree to double rounding (terms carry relative error ~(nv+nh) eps;
 * 1e-11 relative is far above that and far below any formula error). */
Test(rbm, lnz_visible_equals_hidden)
{
    for (int t = 0; t < 3; t++) {
        rbm_model m;
        random_rbm(&m, 14, 11, 0.3 * (t + 1), 10u + (uint32_t)t);
        double zv, zh;
        cr_assert(rbm_lnz_visible(&zv, &m) == 0);
        cr_assert(rbm_lnz_hidden(&zh, &m) == 0);
        cr_assert(fabs(zv - zh) <= 1e-11 * (1 + fabs(zv)), "case %d: %.15g vs %.15g", t, zv, zh);
        double *lq = malloc((size_t)(1 << 14) * sizeof *lq), s = -INFINITY;
        cr_assert(rbm_log_marginal_all(lq, &m, zv) == 0);
        for (int k = 0; k < 1 << 14; k++) s = lse2(s, lq[k]);
        cr_assert(fabs(s) <= 1e-11, "case %d: marginals sum to e^%g", t, s);
        free(lq);
        rbm_model_clear(&m);
    }
    rbm_model big;
    cr_assert(rbm_model_init(&big, 31, 2) == 0);
    double z;
    cr_assert(rbm_lnz_visible(&z, &big) == -1, "31 visible units must be refused");
    rbm_model_clear(&big);
}

/* The one-pass form hands out exactly the values of the two passes it
 * replaces (the same enumeration, the same log-sum-exp order): ln Z and
 * every ln q(v), bit for bit, on layers of several enumeration blocks. */
Test(rbm, log_marginal_lnz_equals_two_passes)
{
    for (int t = 0; t < 2; t++) {
        rbm_model m;
        random_rbm(&m, 13, 5 + 6 * t, 0.4 * (t + 1), 30u + (uint32_t)t);
        size_t S = (size_t)1 << 13;
        double z1, z2, *a = malloc(S * sizeof *a), *b = malloc(S * sizeof *b);
        cr_assert(a && b);
        cr_assert(rbm_lnz_visible(&z1, &m) == 0 && rbm_log_marginal_all(a, &m, z1) == 0);
        cr_assert(rbm_log_marginal_lnz(b, &z2, &m) == 0);
        cr_assert(memcmp(&z1, &z2, sizeof z1) == 0, "case %d: ln Z %.17g vs %.17g", t, z1, z2);
        cr_assert(memcmp(a, b, S * sizeof *a) == 0, "case %d: ln q differs", t);
        free(a), free(b);
        rbm_model_clear(&m);
    }
    rbm_model big;
    cr_assert(rbm_model_init(&big, 25, 2) == 0);
    double z;
    cr_assert(rbm_log_marginal_lnz(NULL, &z, &big) == -1, "25 visible units must be refused");
    rbm_model_clear(&big);
}

static double mean_loglik(const rbm_model *m, const float *data, int n)
{
    double lnz, s = 0;
    rbm_lnz_visible(&lnz, m);
    for (int r = 0; r < n; r++) s -= rbm_free_energy(m, data + r * m->nv) + lnz;
    return s / n;
}

/* The exact gradient against central differences of the exact
 * log-likelihood (float parameters, step 2^-8: truncation ~1e-6, rounding
 * of the double sums ~1e-13 / h). */
Test(rbm, exact_gradient_vs_finite_differences)
{
    rbm_model m, g;
    random_rbm(&m, 5, 3, 0.7, 20);
    cr_assert(rbm_model_init(&g, 5, 3) == 0);
    float data[6 * 5];
    rng_stream r;
    rng_init(&r, 5, 0, 0);
    for (int i = 0; i < 30; i++) data[i] = (float)(rng_u32(&r) & 1);
    cr_assert(rbm_grad_exact(&g, &m, data, 6) == 0);
    float *par[3] = {m.W, m.b, m.c}, *gr[3] = {g.W, g.b, g.c};
    int cnt[3] = {15, 5, 3};
    const float h = 1.0f / 256;
    for (int a = 0; a < 3; a++)
        for (int i = 0; i < cnt[a]; i++) {
            float x = par[a][i];
            par[a][i] = x + h;
            double fp = mean_loglik(&m, data, 6);
            par[a][i] = x - h;
            double fm = mean_loglik(&m, data, 6);
            par[a][i] = x;
            double fd = (fp - fm) / (2 * h);
            cr_assert(fabs(fd - gr[a][i]) <= 2e-5, "array %d index %d: exact %g fd %g", a, i, gr[a][i], fd);
        }
    rbm_model_clear(&m);
    rbm_model_clear(&g);
}

/* CD-k with long chains is an unbiased-in-the-limit estimate of the exact
 * gradient: over R independent batches the mean must lie within 5 standard
 * errors (plus 2e-3 for the k = 40 mixing bias on weights of sd 0.5) of the
 * exact value; CD-1 on a strongly coupled model must not (it is biased). */
Test(rbm, cd_gradient_vs_exact)
{
    enum { NV = 4, NH = 3, ND = 5, REP = 200, R = 40 };
    rbm_model m, g, ge;
    random_rbm(&m, NV, NH, 0.5, 30);
    cr_assert(rbm_model_init(&g, NV, NH) == 0 && rbm_model_init(&ge, NV, NH) == 0);
    float rows[ND * NV], *data = malloc((size_t)ND * REP * NV * sizeof *data);
    rng_stream r;
    rng_init(&r, 6, 0, 0);
    for (int i = 0; i < ND * NV; i++) rows[i] = (float)(rng_u32(&r) & 1);
    for (int q = 0; q < ND * REP; q++) memcpy(data + q * NV, rows + (q % ND) * NV, NV * sizeof(float));
    cr_assert(rbm_grad_exact(&ge, &m, rows, ND) == 0);
    int np = NV * NH + NV + NH;
    double *s1 = calloc(np, sizeof *s1), *s2 = calloc(np, sizeof *s2);
    for (int rep = 0; rep < R; rep++) {
        cr_assert(rbm_grad_cd(&g, &m, data, (size_t)ND * REP, 40, &r) == 0);
        for (int i = 0; i < np; i++) {
            float v = i < NV * NH ? g.W[i] : i < NV * NH + NV ? g.b[i - NV * NH] : g.c[i - NV * NH - NV];
            s1[i] += v;
            s2[i] += (double)v * v;
        }
    }
    for (int i = 0; i < np; i++) {
        double mean = s1[i] / R, se = sqrt(fmax(s2[i] / R - mean * mean, 0) / (R - 1));
        float ex = i < NV * NH ? ge.W[i] : i < NV * NH + NV ? ge.b[i - NV * NH] : ge.c[i - NV * NH - NV];
        cr_assert(fabs(mean - ex) <= 5 * se + 2e-3, "param %d: CD-40 %g +- %g exact %g", i, mean, se, ex);
    }
    free(s1);
    free(s2);
    free(data);
    rbm_model_clear(&m);
    rbm_model_clear(&g);
    rbm_model_clear(&ge);
}

/* A 3x3 torus at T = 2.5 (512 states, 18 bonds): an RBM with 18 hidden
 * units (one per bond suffices to represent it) trained by PCD-5 on 4000
 * exact samples (300 epochs; 60 epochs of lr 0.05 with 8 hidden units left a
 * KL of 0.15: too short, measured) must reproduce the exact energy per spin
 * to 0.05 (about 5 standard errors of the sample mean; the untrained model
 * gives 0) and reach an exact KL below 0.05 nats. */
Test(rbm, trained_on_exact_ising_samples)
{
    enum { L = 3, NV = 9, S = 512, NS = 4000 };
    double T = 2.5, p[S], E[S], Z = 0, u = 0;
    for (int k = 0; k < S; k++) {
        int e = 0;
        for (int y = 0; y < L; y++)
            for (int x = 0; x < L; x++) {
                int s = (k >> (y * L + x)) & 1 ? 1 : -1;
                int sr = (k >> (y * L + (x + 1) % L)) & 1 ? 1 : -1, sd = (k >> (((y + 1) % L) * L + x)) & 1 ? 1 : -1;
                e -= s * (sr + sd);
            }
        E[k] = (double)e / NV;
        p[k] = exp(-e / T);
        Z += p[k];
    }
    for (int k = 0; k < S; k++) u += (p[k] /= Z) * E[k];
    float *data = malloc((size_t)NS * NV * sizeof *data);
    rng_stream r;
    rng_init(&r, 8, 0, 0);
    for (int q = 0; q < NS; q++) {
        double x = rng_uniform(&r), c = 0;
        int k = 0;
        while (k < S - 1 && (c += p[k]) <= x) k++;
        bits(data + q * NV, NV, (uint64_t)k);
    }
    rbm_model m;
    cr_assert(rbm_model_init(&m, NV, 18) == 0);
    rbm_init_normal(&m, &r, 0.01);
    rbm_train_opts o = {.k = 5, .persistent = 1, .batch = 100, .epochs = 300, .lr0 = 0.2, .lr1 = 0.02,
                        .momentum = 0.5, .augment_flip = 1, .augment_translate_L = L};
    cr_assert(rbm_train(&m, data, NS, &o, 9, 0) == 0);
    double lnz, lq[S], um = 0, kl = 0;
    cr_assert(rbm_lnz_visible(&lnz, &m) == 0);
    cr_assert(rbm_log_marginal_all(lq, &m, lnz) == 0);
    for (int k = 0; k < S; k++) {
        um += exp(lq[k]) * E[k];
        kl += p[k] * (log(p[k]) - lq[k]);
    }
    cr_assert(fabs(um - u) <= 0.05, "model u %g exact %g", um, u);
    cr_assert(kl >= 0 && kl < 0.05, "KL %g", kl);
    free(data);
    rbm_model_clear(&m);
}

static void random_deep(rbm_deep *d, rbm_kind kind, int nl, const int *sizes, double sd, uint32_t cell)
{
    cr_assert(rbm_deep_init(d, kind, nl, sizes) == 0);
    rng_stream r;
    rng_init(&r, 99, cell, 0);
    for (int l = 0; l < nl; l++) {
        rbm_model *m = &d->layer[l];
        rbm_init_normal(m, &r, sd);
        for (int i = 0; i < m->nv; i++) m->b[i] = (float)(sd * rng_normal(&r));
        for (int j = 0; j < m->nh; j++) m->c[j] = (float)(sd * rng_normal(&r));
    }
}

/* States of all layers from one index: layer bits packed low to high. */
static void unpack(float *const *x, const rbm_deep *d, uint64_t k)
{
    for (int l = 0, sh = 0; l <= d->nl; sh += d->sizes[l], l++) bits(x[l], d->sizes[l], k >> sh);
}

/* prob of sampling bits `to` (n units) from probabilities p */
static double bern_prob(const float *p, const float *to, int n)
{
    double q = 1;
    for (int i = 0; i < n; i++) q *= to[i] > 0.5f ? p[i] : 1 - p[i];
    return q;
}

/* DBM 2-2-2: the exact joint Boltzmann distribution is invariant under the
 * block-Gibbs step (odd layer given both neighbours, then the even layers),
 * with the kernel built from the library's conditionals. */
Test(rbm, dbm_step_leaves_boltzmann_invariant)
{
    const int sizes[3] = {2, 2, 2};
    rbm_deep d;
    random_deep(&d, RBM_KIND_DBM, 2, sizes, 1.0, 1);
    enum { S = 64 };
    double pi[S], Z = 0;
    float s0[2], s1[2], s2[2], *x[3] = {s0, s1, s2};
    for (int k = 0; k < S; k++) {
        unpack(x, &d, (uint64_t)k);
        double e = 0;
        for (int l = 0; l <= 2; l++)
            for (int i = 0; i < 2; i++) e += rbm_deep_bias(&d, l)[i] * x[l][i];
        for (int l = 0; l < 2; l++)
            for (int j = 0; j < 2; j++)
                for (int i = 0; i < 2; i++) e += d.layer[l].W[j * 2 + i] * x[l + 1][j] * x[l][i];
        Z += pi[k] = exp(e);
    }
    double out[S] = {0};
    float p1[2], p0[2], p2[2], t0[2], t1[2], t2[2], *y[3] = {t0, t1, t2};
    for (int a = 0; a < S; a++) {
        unpack(x, &d, (uint64_t)a);
        rbm_deep_cond(p1, &d, 1, 0, x, 1);
        for (int b = 0; b < S; b++) {
            unpack(y, &d, (uint64_t)b);
            double q = bern_prob(p1, t1, 2);
            float *z[3] = {s0, t1, s2};
            rbm_deep_cond(p0, &d, 0, 0, z, 1);
            rbm_deep_cond(p2, &d, 2, 0, z, 1);
            q *= bern_prob(p0, t0, 2) * bern_prob(p2, t2, 2);
            out[b] += pi[a] / Z * q;
        }
    }
    for (int b = 0; b < S; b++)
        cr_assert(fabs(out[b] - pi[b] / Z) <= 1e-6, "state %d: pi K %g pi %g", b, out[b], pi[b] / Z);
    rbm_deep_clear(&d);
}

/* DRBN with one hidden layer is an RBM: the up-down step leaves the RBM's
 * visible marginal e^{-F(v)}/Z invariant (float conditionals: 1e-6). */
Test(rbm, drbn_single_layer_leaves_rbm_marginal_invariant)
{
    const int sizes[2] = {3, 2};
    rbm_deep d;
    random_deep(&d, RBM_KIND_DRBN, 1, sizes, 1.0, 2);
    double lnz, lq[8], out[8] = {0};
    cr_assert(rbm_lnz_visible(&lnz, &d.layer[0]) == 0);
    cr_assert(rbm_log_marginal_all(lq, &d.layer[0], lnz) == 0);
    float v[3], h[2], ph[2], pv[3], v2[3], *x[2] = {v, h};
    for (int a = 0; a < 8; a++) {
        bits(v, 3, (uint64_t)a);
        rbm_deep_cond(ph, &d, 1, -1, x, 1);
        for (int hb = 0; hb < 4; hb++) {
            bits(h, 2, (uint64_t)hb);
            double qh = bern_prob(ph, h, 2);
            rbm_deep_cond(pv, &d, 0, +1, x, 1);
            for (int b = 0; b < 8; b++) {
                bits(v2, 3, (uint64_t)b);
                out[b] += exp(lq[a]) * qh * bern_prob(pv, v2, 3);
            }
        }
        bits(v, 3, (uint64_t)a);
    }
    for (int b = 0; b < 8; b++) cr_assert(fabs(out[b] - exp(lq[b])) <= 1e-6, "v %d", b);
    rbm_deep_clear(&d);
}

/* Sampler against exact stationary distributions: DRBN 3-2-2 (the v-chain's
 * kernel from the library's conditionals, stationary vector by power
 * iteration) and DBM 3-2-2 (the exact Boltzmann marginal of v).  20000
 * chains x 30 steps; each frequency within 5 binomial standard errors. */
static void check_sampler(rbm_deep *d, const double *target, int nstate)
{
    enum { C = 20000 };
    float *out = malloc((size_t)C * d->sizes[0] * sizeof *out);
    cr_assert(rbm_deep_sample(out, d, C, 30, 4, 0) == 0);
    int *cnt = calloc(nstate, sizeof *cnt);
    for (int q = 0; q < C; q++) {
        int k = 0;
        for (int i = 0; i < d->sizes[0]; i++) k |= (out[q * d->sizes[0] + i] > 0.5f) << i;
        cnt[k]++;
    }
    for (int k = 0; k < nstate; k++) {
        double f = (double)cnt[k] / C, se = sqrt(target[k] * (1 - target[k]) / C);
        cr_assert(fabs(f - target[k]) <= 5 * se + 1e-4, "%s state %d: %g vs %g", rbm_kind_name(d->kind), k, f,
                  target[k]);
    }
    free(cnt);
    free(out);
}

Test(rbm, drbn_and_dbm_samplers_match_exact_distributions)
{
    const int sizes[3] = {3, 2, 2};
    rbm_deep d;
    random_deep(&d, RBM_KIND_DRBN, 2, sizes, 1.2, 3);
    double K[8][8] = {{0}};
    float v[3], h1[2], h2[2], g1[2], p1[2], p2[2], q1[2], pv[3], v2[3];
    for (int a = 0; a < 8; a++)
        for (int b1 = 0; b1 < 4; b1++)
            for (int b2 = 0; b2 < 4; b2++)
                for (int c1 = 0; c1 < 4; c1++) {
                    bits(v, 3, (uint64_t)a), bits(h1, 2, (uint64_t)b1), bits(h2, 2, (uint64_t)b2), bits(g1, 2, (uint64_t)c1);
                    float *up[3] = {v, h1, h2}, *dn[3] = {v, g1, h2};
                    rbm_deep_cond(p1, &d, 1, -1, up, 1);
                    rbm_deep_cond(p2, &d, 2, -1, up, 1);
                    rbm_deep_cond(q1, &d, 1, +1, up, 1);
                    rbm_deep_cond(pv, &d, 0, +1, dn, 1);
                    double w = bern_prob(p1, h1, 2) * bern_prob(p2, h2, 2) * bern_prob(q1, g1, 2);
                    for (int b = 0; b < 8; b++) {
                        bits(v2, 3, (uint64_t)b);
                        K[a][b] += w * bern_prob(pv, v2, 3);
                    }
                }
    double pi[8], nx[8];
    for (int k = 0; k < 8; k++) pi[k] = 1.0 / 8;
    for (int it = 0; it < 2000; it++) {
        for (int b = 0; b < 8; b++) {
            nx[b] = 0;
            for (int a = 0; a < 8; a++) nx[b] += pi[a] * K[a][b];
        }
        memcpy(pi, nx, sizeof pi);
    }
    check_sampler(&d, pi, 8);
    rbm_deep_clear(&d);

    random_deep(&d, RBM_KIND_DBM, 2, sizes, 1.2, 4);
    double pv8[8] = {0}, Z = 0;
    float s0[3], s1[2], s2[2], *x[3] = {s0, s1, s2};
    for (int k = 0; k < 128; k++) {
        unpack(x, &d, (uint64_t)k);
        double e = 0;
        for (int l = 0; l <= 2; l++)
            for (int i = 0; i < sizes[l]; i++) e += rbm_deep_bias(&d, l)[i] * x[l][i];
        for (int l = 0; l < 2; l++)
            for (int j = 0; j < sizes[l + 1]; j++)
                for (int i = 0; i < sizes[l]; i++) e += d.layer[l].W[j * sizes[l] + i] * x[l + 1][j] * x[l][i];
        pv8[k & 7] += exp(e);
        Z += exp(e);
    }
    for (int k = 0; k < 8; k++) pv8[k] /= Z;
    check_sampler(&d, pv8, 8);
    rbm_deep_clear(&d);
}

Test(rbm, model_files_round_trip_and_reject_corruption)
{
    const int sizes[3] = {6, 4, 3};
    rbm_deep d, e;
    random_deep(&d, RBM_KIND_DBM, 2, sizes, 0.5, 5);
    char path[] = "/tmp/test_rbm_XXXXXX", err[256];
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert(rbm_save(&d, path, err, sizeof err) == 0, "%s", err);
    cr_assert(rbm_load(&e, path, err, sizeof err) == 0, "%s", err);
    cr_assert(testutil_same_rbm_deep(&d, &e));
    rbm_deep_clear(&e);
    FILE *f = fopen(path, "rb");
    unsigned char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    const struct {
        size_t off;
        int trunc;
        const char *msg;
    } cases[] = {{0, 0, "bad magic"}, {50, 0, "checksum"}, {n - 1, 0, "checksum"}, {n - 20, 1, "truncated"},
                 {12, 0, "kind"}, {16, 0, "layer count"},
                 /* a forged width (byte 21: the visible width's second byte): refused from the
                  * file length before the model is allocated */
                 {21, 0, "forged"}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        unsigned char b2[4096];
        memcpy(b2, buf, n);
        size_t len = n;
        if (cases[c].trunc) len = cases[c].off;
        else b2[cases[c].off] ^= 0x5a;
        f = fopen(path, "wb");
        fwrite(b2, 1, len, f);
        fclose(f);
        err[0] = 0;
        cr_assert(rbm_load(&e, path, err, sizeof err) == -1, "case %zu accepted", c);
        cr_assert(strstr(err, cases[c].msg) != NULL, "case %zu: message '%s'", c, err);
    }
    unlink(path);
    cr_assert(rbm_load(&e, path, err, sizeof err) == -1);
    rbm_deep_clear(&d);
}

/* Every model kind, trained and sampled in an OpenMP loop over cells with 1
 * and with 2 threads: bit-identical parameters and samples. */
Test(rbm, independent_of_thread_count)
{
    enum { NC = 4, N = 300, NV = 16 };
    float *data = malloc((size_t)N * NV * sizeof *data);
    rng_stream r;
    rng_init(&r, 1, 0, 0);
    for (int i = 0; i < N * NV; i++) data[i] = (float)(rng_u32(&r) & 1);
    rbm_deep runs[2][NC];
    float samp[2][NC][50 * NV];
    rbm_deep_opts o = {{.k = 2, .persistent = 1, .batch = 50, .epochs = 2, .lr0 = 0.05, .lr1 = 0.01,
                        .momentum = 0.5, .augment_flip = 1, .augment_translate_L = 4},
                       2, 3, 0.1, 0.02, 0.01, 0, 0};
    rbm_blas_single_thread();
    for (int t = 0; t < 2; t++) {
        omp_set_num_threads(t + 1);
        #pragma omp parallel for schedule(dynamic)
        for (int c = 0; c < NC; c++) {
            const int sizes[3] = {NV, 8, 4};
            rbm_kind kind = (rbm_kind)c;
            rbm_deep_init(&runs[t][c], kind, kind == RBM_KIND_RBM ? 1 : 2, sizes);
            rbm_deep_train(&runs[t][c], data, N, &o, 3, (uint32_t)c);
            rbm_deep_sample(samp[t][c], &runs[t][c], 50, 5, 3, (uint32_t)c);
        }
    }
    omp_set_num_threads(1);
    for (int c = 0; c < NC; c++) {
        cr_assert(testutil_same_rbm_deep(&runs[0][c], &runs[1][c]), "kind %s", rbm_kind_name((rbm_kind)c));
        cr_assert(memcmp(samp[0][c], samp[1][c], sizeof samp[0][c]) == 0, "samples %s", rbm_kind_name((rbm_kind)c));
        rbm_deep_clear(&runs[0][c]);
        rbm_deep_clear(&runs[1][c]);
    }
    free(data);
}

Test(rbm, bad_arguments)
{
    rbm_model m;
    cr_assert(rbm_model_init(&m, 0, 3) == -1);
    cr_assert(rbm_model_init(&m, 4, 3) == 0);
    float data[8] = {0};
    rbm_train_opts o = {.k = 0, .batch = 1, .epochs = 1, .lr0 = 0.1};
    cr_assert(rbm_train(&m, data, 2, &o, 1, 0) == -1, "k = 0 must be refused");
    o.k = 1;
    o.momentum = 1.0;
    cr_assert(rbm_train(&m, data, 2, &o, 1, 0) == -1, "momentum 1 must be refused");
    o.momentum = 0;
    o.augment_translate_L = 3;
    cr_assert(rbm_train(&m, data, 2, &o, 1, 0) == -1, "a 3x3 translation of 4 visible units must be refused");
    o.augment_translate_L = 2;
    cr_assert(rbm_train(&m, data, 2, &o, 1, 0) == 0);
    rbm_model_clear(&m);
    rbm_deep d;
    const int sizes[3] = {4, 3, 2};
    cr_assert(rbm_deep_init(&d, RBM_KIND_RBM, 2, sizes) == -1);
    cr_assert(rbm_deep_init(&d, RBM_KIND_DBN, 5, sizes) == -1);
}
