/* made: the autoregressive property (flipping bit j never changes the
 * logits of bits i <= j, and does change later ones), sum_x q(x) = 1 by
 * enumeration, the loss gradient by central differences on every
 * parameter (double twin; masked ones zero), learning a small correlated
 * distribution (exact KL far below the product of its marginals), the
 * float and double twins agreeing, and bad sizes. */
#include "made.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A MADE with every free parameter (biases too) drawn N(0, s^2): far from
 * uniform, so that a wrong mask would show. */
static void random_made(made_d *m, int bits, int depth, int width, double s, uint64_t seed)
{
    cr_assert(eq(int, made_init_d(m, bits, depth, width, NN_TANH, 64), 0));
    rng_stream r;
    rng_init(&r, seed, 0, 0);
    for (size_t i = 0; i < m->net.nparams; i++) m->net.params[i] = m->mask[i] * s * rng_normal(&r);
}

static void bits_of(double *x, unsigned v, int bits)
{
    for (int j = 0; j < bits; j++) x[j] = (v >> (bits - 1 - j)) & 1;
}

Test(made, autoregressive)
{
    for (int depth = 1; depth <= 3; depth++) {
        int bits = 9;
        made_d m;
        random_made(&m, bits, depth, 13, 1.0, 10 + depth);
        double x[9], y[9], l0[9];
        int later = 0;
        for (unsigned v = 0; v < 512; v += 37) {
            bits_of(x, v, bits);
            memcpy(l0, made_logits_d(&m, x, 1), sizeof l0);
            for (int j = 0; j < bits; j++) {
                memcpy(y, x, sizeof y);
                y[j] = 1 - y[j];
                const double *l1 = made_logits_d(&m, y, 1);
                for (int i = 0; i <= j; i++)
                    cr_assert(l1[i] == l0[i], "depth %d x %u: flipping bit %d changed logit %d (%.17g vs %.17g)", depth,
                              v, j, i, l1[i], l0[i]);
                for (int i = j + 1; i < bits; i++) later += fabs(l1[i] - l0[i]) > 1e-9;
            }
        }
        /* 14 strings x 36 pairs (j < i): a mask that cut every path would leave later = 0 */
        cr_assert(later > 14 * 36 / 2, "depth %d: later logits react to earlier bits only %d times", depth, later);
        made_clear_d(&m);
    }
}

Test(made, normalized)
{
    for (int bits = 2; bits <= 10; bits += 4) {
        made_d m;
        made m1;
        random_made(&m, bits, 2, 16, 1.5, (uint64_t)bits);
        size_t N = (size_t)1 << bits;
        double *q = malloc(N * sizeof *q), sum = 0, qmin = 1, qmax = 0;
        cr_assert(eq(int, made_distribution_d(&m, q), 0));
        for (size_t x = 0; x < N; x++) sum += q[x], qmin = fmin(qmin, q[x]), qmax = fmax(qmax, q[x]);
        cr_assert(fabs(sum - 1) < 1e-12, "%d bits: sum q = %.17g", bits, sum);
        cr_assert(qmax > 4 * qmin, "%d bits: the test model should be far from uniform", bits);
        /* the float twin with the same parameters: normalized to float accuracy, and close to the double */
        cr_assert(eq(int, made_init(&m1, bits, 2, 16, NN_TANH, 64), 0));
        for (size_t i = 0; i < m.net.nparams; i++) m1.net.params[i] = (float)m.net.params[i];
        double *qf = malloc(N * sizeof *qf), sf = 0, dmax = 0;
        cr_assert(eq(int, made_distribution(&m1, qf), 0));
        for (size_t x = 0; x < N; x++) sf += qf[x], dmax = fmax(dmax, fabs(log(qf[x] / q[x])));
        cr_assert(fabs(sf - 1) < 1e-4, "%d bits float: sum q = %.9g", bits, sf);
        cr_assert(dmax < 1e-4, "%d bits: float and double log q differ by %g", bits, dmax);
        free(q);
        free(qf);
        made_clear(&m1);
        made_clear_d(&m);
    }
}

Test(made, gradient)
{
    int bits = 7, B = 11;
    made_d m;
    random_made(&m, bits, 2, 9, 0.8, 3);
    double X[11 * 7];
    rng_stream r;
    rng_init(&r, 4, 0, 0);
    for (int i = 0; i < B * bits; i++) X[i] = rng_below(&r, 2);
    made_loss_grad_d(&m, X, B);
    size_t n = m.net.nparams;
    double *g = malloc(n * sizeof *g), worst = 0;
    memcpy(g, m.net.grads, n * sizeof *g);
    int nonzero = 0;
    for (size_t i = 0; i < n; i++) {
        if (m.mask[i] == 0) {
            cr_assert(g[i] == 0, "masked parameter %zu has gradient %g", i, g[i]);
            continue;
        }
        double p = m.net.params[i], h = 1e-5;
        m.net.params[i] = p + h;
        double lp = made_loss_grad_d(&m, X, B);
        m.net.params[i] = p - h;
        double lm = made_loss_grad_d(&m, X, B);
        m.net.params[i] = p;
        double fd = (lp - lm) / (2 * h), err = fabs(fd - g[i]) / fmax(1e-3, fabs(fd) + fabs(g[i]));
        worst = fmax(worst, err);
        nonzero += fabs(g[i]) > 1e-6;
    }
    cr_assert(worst < 1e-6, "largest relative gradient error %g", worst);
    cr_assert(nonzero > (int)m.nfree / 2, "only %d of %zu free gradients are non-zero", nonzero, m.nfree);
    free(g);
    made_clear_d(&m);
}

/* Samples of p over 6 bits, NTRAIN of them from stream (1, 0, 0). */
enum { BITS = 6, NOUT = 1 << BITS, NTRAIN = 20000 };
static float *sample(const double *p)
{
    float *X = malloc(NTRAIN * BITS * sizeof *X);
    rng_stream r;
    rng_init(&r, 1, 0, 0);
    for (int i = 0; i < NTRAIN; i++) {
        double u = rng_uniform(&r), c = 0;
        int x = 0;
        while (x < NOUT - 1 && (c += p[x]) <= u) x++;
        for (int j = 0; j < BITS; j++) X[i * BITS + j] = (float)((x >> (BITS - 1 - j)) & 1);
    }
    return X;
}

/* Trains a width-32 MADE for `epochs` epochs; returns KL(p || q) exactly,
 * and the product-of-marginals KL and the entropy in *ku, *H. */
static double learn(const double *p, int epochs, double *ku, double *H, double *last)
{
    float *X = sample(p);
    double m1[BITS] = {0};
    *H = 0, *ku = 0;
    for (int x = 0; x < NOUT; x++)
        for (int j = 0; j < BITS; j++) m1[j] += (x >> (BITS - 1 - j)) & 1 ? p[x] : 0;
    for (int x = 0; x < NOUT; x++) {
        double pm = 1;
        for (int j = 0; j < BITS; j++) pm *= (x >> (BITS - 1 - j)) & 1 ? m1[j] : 1 - m1[j];
        *H -= p[x] * log(p[x]), *ku += p[x] * log(p[x] / pm);
    }
    made m;
    cr_assert(eq(int, made_init(&m, BITS, 1, 32, NN_TANH, 100), 0));
    m.opt.lr = 3e-3;
    rng_stream r;
    rng_init(&r, 2, 0, 0);
    made_init_weights(&m, &r);
    for (int e = 0; e < epochs; e++) *last = made_train_epoch(&m, X, NTRAIN, 100, &r);
    double q[NOUT], kl = 0;
    cr_assert(eq(int, made_distribution(&m, q), 0));
    for (int x = 0; x < NOUT; x++) kl += p[x] * log(p[x] / q[x]);
    free(X);
    made_clear(&m);
    return kl;
}

/* A Markov chain: x_0 uniform, x_i = x_{i-1} with probability 0.9.  The
 * product of its marginals (uniform) is 1.84 nats away. */
Test(made, learns_markov_chain, .timeout = 120)
{
    double p[NOUT], ku, H, last;
    for (int x = 0; x < NOUT; x++) {
        p[x] = 0.5;
        for (int j = 1; j < BITS; j++) p[x] *= ((x >> (BITS - 1 - j)) & 1) == ((x >> (BITS - j)) & 1) ? 0.9 : 0.1;
    }
    double kl = learn(p, 20, &ku, &H, &last);
    cr_assert(ku > 1, "the target should be far from its product of marginals (KL %g)", ku);
    cr_assert(kl < 0.01, "KL(p||q) = %g after training (product of marginals: %g)", kl, ku);
    cr_assert(fabs(last - H) < 0.02, "training NLL %g should approach H(p) = %g", last, H);
}

/* p: with probability 0.9 an even-parity string, else any string,
 * uniformly.  Every marginal of fewer than 6 bits is uniform, so nothing
 * short of all earlier bits predicts the last one, and the product of the
 * marginals (uniform) is 0.95 ln 1.9 + 0.05 ln 0.1 = 0.49 nats away.
 * Gradient training first sits on the uniform plateau, then leaves it,
 * sometimes for a second, partial plateau (here KL 0.07 after 150 epochs;
 * other seeds reach 0.003): the behaviour ar-fidelity's plateau criterion
 * has to survive on the Fefferman-Umans states.  Asserted: the model left
 * the uniform plateau, recovering most of the parity structure. */
Test(made, learns_parity_mixture, .timeout = 120)
{
    double p[NOUT], ku, H, last;
    for (int x = 0; x < NOUT; x++) p[x] = (__builtin_popcount((unsigned)x) % 2 == 0 ? 0.9 / (NOUT / 2) : 0) + 0.1 / NOUT;
    double kl = learn(p, 150, &ku, &H, &last);
    cr_assert(ku > 0.45, "the target should be far from its product of marginals (KL %g)", ku);
    cr_assert(kl < ku / 2, "KL(p||q) = %g after training (product of marginals: %g)", kl, ku);
}

Test(made, bad_sizes)
{
    made m;
    cr_assert(eq(int, made_init(&m, 1, 1, 8, NN_TANH, 8), -1));
    cr_assert(eq(int, made_init(&m, 63, 1, 8, NN_TANH, 8), -1));
    cr_assert(eq(int, made_init(&m, 8, 0, 8, NN_TANH, 8), -1));
    cr_assert(eq(int, made_init(&m, 8, 9, 8, NN_TANH, 8), -1));
    cr_assert(eq(int, made_init(&m, 8, 1, 0, NN_TANH, 8), -1));
    cr_assert(eq(int, made_init(&m, 8, 1, 8, NN_TANH, 0), -1));
    cr_assert(eq(int, made_init(&m, 8, 1, 8, NN_TANH, 4), 0));
    float X[5 * 8] = {0};
    cr_assert(made_logits(&m, X, 5) == NULL, "a batch above cap must be refused");
    double lq[5];
    cr_assert(eq(int, made_log_q(&m, lq, X, 5), -1));
    cr_assert(isnan(made_train_epoch(&m, X, 5, 5, NULL)), "batch above cap");
    made_clear(&m);
    made_d md;
    cr_assert(eq(int, made_init_d(&md, 25, 1, 4, NN_TANH, 4), 0));
    double *q = NULL;
    cr_assert(eq(int, made_distribution_d(&md, q), -1), "25 bits: too many outcomes to enumerate");
    made_clear_d(&md);
}
