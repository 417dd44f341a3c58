/* nn_fast: the float tanh and logistic that vectorize, shared by the
 * engines whose results depend on their exact roundings (nn, rbm): one
 * definition, inline, so that loops calling them stay vectorized. */
#ifndef DEEPCHEAP_NN_FAST_H
#define DEEPCHEAP_NN_FAST_H

/* listing: nn-tanhf */
/* tanh in float, vectorizable (libm's tanhf is a call that keeps the loop
 * scalar): the odd rational minimax approximation x P(x^2)/Q(x^2) of Eigen's
 * generic_fast_tanh_float (as PyTorch's CPU kernels use), on x clamped to
 * +-7.905311 where it reaches 1 in float.  Accuracy is tested against
 * double tanh in tests/test_nn.c. */
static inline float nn_tanhf_fast(float x)
{
    const float c = 7.90531110763549805f;
    x = x < -c ? -c : x; /* ternaries, not fminf: those are libm calls */
    x = x > c ? c : x;
    float x2 = x * x;
    float p = -2.76076847742355e-16f;
    p = 2.00018790482477e-13f + x2 * p;
    p = -8.60467152213735e-11f + x2 * p;
    p = 5.12229709037114e-08f + x2 * p;
    p = 1.48572235717979e-05f + x2 * p;
    p = 6.37261928875436e-04f + x2 * p;
    p = 4.89352455891786e-03f + x2 * p;
    float q = 1.19825839466702e-06f;
    q = 1.18534705686654e-04f + x2 * q;
    q = 2.26843463243900e-03f + x2 * q;
    q = 4.89352518554385e-03f + x2 * q;
    return x * p / q;
}

/* logistic(z) = (1 + tanh(z/2))/2: vectorizable; absolute error ~ float
 * eps (relative accuracy lost only where the output is below ~1e-7). */
static inline float nn_logisticf_fast(float z) { return 0.5f + 0.5f * nn_tanhf_fast(0.5f * z); }
/* end: nn-tanhf */

#endif
