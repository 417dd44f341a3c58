/* rbm_resume: resumable deep training.  A run continued in steps gives bit
 * for bit the model of one rbm_deep_train call for the total epochs, for every
 * kind (pre-training and the joint phase); a copied run continues like the
 * original; a resume that restarts the streams (and momentum, chains) gives
 * a different model (the identity can fail); the refusals. */
#include "rbm.h"
#include "testutil.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

enum { N = 300, NV = 16 };

static float *random_data(void)
{
    float *data = malloc((size_t)N * NV * sizeof *data);
    rng_stream r;
    rng_init(&r, 1, 0, 0);
    for (int i = 0; i < N * NV; i++) data[i] = (float)(rng_u32(&r) & 1);
    return data;
}

static rbm_deep_opts opts(int epochs, int joint)
{
    rbm_deep_opts o = {{.k = 1, .persistent = 1, .batch = 50, .epochs = epochs, .lr0 = 0.1, .lr1 = 0.01,
                        .momentum = 0.5, .augment_flip = 1, .augment_translate_L = 4},
                       joint, 3, 0.1, 0.02, 0.005, 0, 0};
    return o;
}

static void init(rbm_deep *d, rbm_kind kind)
{
    const int sizes[3] = {NV, 8, 6};
    cr_assert(rbm_deep_init(d, kind, kind == RBM_KIND_RBM ? 1 : 2, sizes) == 0);
}

Test(rbm_resume, continued_run_equals_one_call_every_kind)
{
    float *data = random_data();
    rbm_blas_single_thread();
    for (int k = 0; k < RBM_KIND_COUNT; k++) {
        rbm_deep one, res;
        rbm_deep_opts o = opts(4, 3);
        init(&one, (rbm_kind)k), init(&res, (rbm_kind)k);
        cr_assert(rbm_deep_train(&one, data, N, &o, 5, 9) == 0);
        rbm_deep_run *s = rbm_deep_run_new(&res, data, N, &o, 5, 9);
        cr_assert(s != NULL);
        static const int steps[5][2] = {{1, 0}, {3, 0}, {4, 0}, {4, 1}, {4, 3}};
        for (int i = 0; i < 5; i++) {
            cr_assert(rbm_deep_run_to(s, &res, data, steps[i][0], steps[i][1]) == 0);
            if (i == 1) cr_assert(!testutil_same_rbm_deep(&one, &res), "%s: 3 epochs equal 4", rbm_kind_name((rbm_kind)k));
        }
        cr_assert(testutil_same_rbm_deep(&one, &res), "%s: resumed != one call", rbm_kind_name((rbm_kind)k));
        rbm_deep_run_free(s);
        rbm_deep_clear(&one), rbm_deep_clear(&res);
    }
    free(data);
}

/* What rbm-ising does: a checkpoint at 2 of a 4-epoch horizon, copied, the
 * copy given 2 joint epochs; the same as one call for (2, 2) with horizon 4. */
Test(rbm_resume, copied_checkpoint_equals_one_call)
{
    float *data = random_data();
    rbm_blas_single_thread();
    for (int k = 0; k < RBM_KIND_COUNT; k++) {
        rbm_deep one, pre, cp;
        rbm_deep_opts o = opts(4, 0), oj = opts(2, 2);
        o.horizon = oj.horizon = 4;
        init(&one, (rbm_kind)k), init(&pre, (rbm_kind)k);
        cr_assert(rbm_deep_train(&one, data, N, &oj, 5, 9) == 0);
        rbm_deep_run *s = rbm_deep_run_new(&pre, data, N, &o, 5, 9), *c = NULL;
        cr_assert(s && rbm_deep_run_to(s, &pre, data, 2, 0) == 0);
        cr_assert(rbm_deep_init_copy(&cp, &pre) == 0 && (c = rbm_deep_run_copy(s, &cp, &oj)) != NULL);
        cr_assert(rbm_deep_run_to(c, &cp, data, 2, 2) == 0);
        cr_assert(testutil_same_rbm_deep(&one, &cp), "%s: copied checkpoint != one call", rbm_kind_name((rbm_kind)k));
        /* the original goes on unaffected by its copy */
        cr_assert(rbm_deep_run_to(s, &pre, data, 4, 0) == 0);
        rbm_deep ref;
        init(&ref, (rbm_kind)k);
        cr_assert(rbm_deep_train(&ref, data, N, &o, 5, 9) == 0);
        cr_assert(testutil_same_rbm_deep(&ref, &pre), "%s: original disturbed by its copy", rbm_kind_name((rbm_kind)k));
        rbm_deep_run_free(s), rbm_deep_run_free(c);
        rbm_deep_clear(&one), rbm_deep_clear(&pre), rbm_deep_clear(&cp), rbm_deep_clear(&ref);
    }
    free(data);
}

/* The identity can fail: continuing the 2-epoch model with a run that starts
 * over at epoch 0 (streams, momentum and chains restarted) for 2 more epochs
 * is not the 4-epoch model; nor is a continuation with another horizon. */
Test(rbm_resume, restarted_streams_differ)
{
    float *data = random_data();
    rbm_blas_single_thread();
    for (int k = 0; k < RBM_KIND_COUNT; k++) {
        rbm_deep one, res, scratch, hz;
        rbm_deep_opts o = opts(4, 0), o2 = opts(2, 0);
        o2.horizon = 4;
        init(&one, (rbm_kind)k), init(&res, (rbm_kind)k), init(&scratch, (rbm_kind)k), init(&hz, (rbm_kind)k);
        cr_assert(rbm_deep_train(&one, data, N, &o, 5, 9) == 0);
        cr_assert(rbm_deep_train(&res, data, N, &o2, 5, 9) == 0);
        rbm_deep_run *s = rbm_deep_run_new(&scratch, data, N, &o, 5, 9);
        cr_assert(s && rbm_deep_run_to(s, &res, data, 2, 0) == 0);
        cr_assert(!testutil_same_rbm_deep(&one, &res), "%s: a restarted resume passed", rbm_kind_name((rbm_kind)k));
        rbm_deep_run *h = rbm_deep_run_new(&hz, data, N, &o2, 5, 9); /* horizon 4, then on to 4 */
        rbm_deep_opts o3 = o2;
        o3.horizon = 0;
        rbm_deep hz2;
        init(&hz2, (rbm_kind)k);
        rbm_deep_run *h2 = rbm_deep_run_new(&hz2, data, N, &o3, 5, 9); /* horizon 2, then on to 4 */
        cr_assert(h && h2 && rbm_deep_run_to(h, &hz, data, 4, 0) == 0 && rbm_deep_run_to(h2, &hz2, data, 4, 0) == 0);
        cr_assert(testutil_same_rbm_deep(&one, &hz), "%s: horizon 4 run != one call", rbm_kind_name((rbm_kind)k));
        cr_assert(!testutil_same_rbm_deep(&one, &hz2), "%s: the horizon is not carried", rbm_kind_name((rbm_kind)k));
        rbm_deep_run_free(s), rbm_deep_run_free(h), rbm_deep_run_free(h2);
        rbm_deep_clear(&one), rbm_deep_clear(&res), rbm_deep_clear(&scratch), rbm_deep_clear(&hz), rbm_deep_clear(&hz2);
    }
    free(data);
}

Test(rbm_resume, refusals)
{
    float *data = random_data();
    rbm_blas_single_thread();
    rbm_deep d, cp;
    rbm_deep_opts o = opts(3, 2);
    init(&d, RBM_KIND_DBM);
    rbm_deep_run *s = rbm_deep_run_new(&d, data, N, &o, 5, 9);
    cr_assert(s && rbm_deep_run_to(s, &d, data, 2, 0) == 0);
    cr_assert(rbm_deep_run_to(s, &d, data, 1, 0) == -1, "backwards accepted");
    cr_assert(rbm_deep_run_to(s, &d, data, 2, 1) == 0);
    cr_assert(rbm_deep_run_to(s, &d, data, 3, 1) == -1, "pre-training after the joint phase accepted");
    cr_assert(rbm_deep_run_to(s, &d, data, 2, 0) == -1, "joint backwards accepted");
    cr_assert(rbm_deep_init_copy(&cp, &d) == 0);
    cr_assert(rbm_deep_run_copy(s, &cp, &o) == NULL, "copy after the joint phase began accepted");
    rbm_deep_run *s2 = rbm_deep_run_new(&cp, data, N, &o, 5, 9);
    rbm_deep_opts ob = o;
    ob.rbm.batch = 60;
    cr_assert(s2 && rbm_deep_run_copy(s2, &cp, &ob) == NULL, "copy with another batch accepted");
    rbm_deep_run_free(s2);
    o.horizon = -1;
    cr_assert(rbm_deep_run_new(&cp, data, N, &o, 5, 9) == NULL, "a negative horizon accepted");
    rbm_deep_run_free(s);
    rbm_deep_clear(&d), rbm_deep_clear(&cp);
    free(data);
}

/* rbm_deep_steps (which skips a DBN's lower layers before the last step) is
 * rbm_deep_step repeated, bit for bit: the states and the stream after, for
 * every kind and a 3-layer DBN (13 chains: skips that end inside a block).
 * A skip one word short fails it (checked by hand). */
Test(rbm_resume, steps_equal_repeated_step)
{
    const int s2[3] = {NV, 8, 6}, s3[4] = {NV, 7, 5, 3};
    for (int k = 0; k <= RBM_KIND_COUNT; k++) {
        rbm_deep d;
        rbm_kind kind = k == RBM_KIND_COUNT ? RBM_KIND_DBN : (rbm_kind)k;
        int nl = k == RBM_KIND_COUNT ? 3 : kind == RBM_KIND_RBM ? 1 : 2;
        const int *sz = nl == 3 ? s3 : s2;
        cr_assert(rbm_deep_init(&d, kind, nl, sz) == 0);
        rng_stream r;
        rng_init(&r, 3, 4, 5);
        for (int l = 0; l < nl; l++) {
            rbm_init_normal(&d.layer[l], &r, 1.0);
            for (int i = 0; i < sz[l]; i++) d.layer[l].b[i] = (float)(0.3 * rng_normal(&r));
            for (int j = 0; j < sz[l + 1]; j++) d.layer[l].c[j] = (float)(0.3 * rng_normal(&r));
        }
        enum { C = 13 }; /* chains: word counts not multiples of 4 */
        float *x[2][RBM_MAX_LAYERS + 1];
        for (int l = 0; l <= nl; l++) {
            x[0][l] = malloc(sizeof(float) * C * sz[l]), x[1][l] = malloc(sizeof(float) * C * sz[l]);
            for (int i = 0; i < C * sz[l]; i++) x[0][l][i] = x[1][l][i] = (float)(rng_u32(&r) & 1);
        }
        for (int steps = 1; steps <= 7; steps += 3) {
            rng_stream a, b;
            rng_init(&a, 9, 1, (uint32_t)steps), rng_init(&b, 9, 1, (uint32_t)steps);
            (void)rng_u32(&a), (void)rng_u32(&b); /* a partly used block */
            for (int s = 0; s < steps; s++) rbm_deep_step(&d, x[0], C, &a);
            rbm_deep_steps(&d, x[1], C, steps, &b);
            for (int l = 0; l <= nl; l++)
                cr_assert(memcmp(x[0][l], x[1][l], sizeof(float) * C * sz[l]) == 0, "kind %d layer %d steps %d", k, l, steps);
            cr_assert(rng_u32(&a) == rng_u32(&b), "kind %d steps %d: stream position", k, steps);
        }
        for (int l = 0; l <= nl; l++) free(x[0][l]), free(x[1][l]);
        rbm_deep_clear(&d);
    }
}
