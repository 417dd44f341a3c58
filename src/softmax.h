/* softmax: the readout layer of LT Sec. II and softmax regression.
 *
 * LT Eqs. 1-8: with H_y(x) = -ln p(x|y) and mu_y = -ln p(y), Bayes' theorem
 * gives p(y|x) = softmax(-H(x) - mu) exactly. */
#ifndef DEEPCHEAP_SOFTMAX_H
#define DEEPCHEAP_SOFTMAX_H

#include <stddef.h>
#include <stdint.h>

/* ln sum_i e^{z_i}, stable: m + ln sum e^{z_i - m}, m = max z (k >= 1). */
double softmax_logsumexp(const double *z, size_t k);
/* p_i = e^{z_i - lse(z)}. */
void softmax_eval(double *p, const double *z, size_t k);
/* p(y|x) = softmax(-H - mu) (LT Eq. 8); k <= 64. */
void softmax_posterior(double *p, const double *H, const double *mu, size_t k);

/* Softmax regression: q(y|x) = softmax(W phi(x)), W is k x f (row-major). */
typedef struct {
    size_t k, f;
    double *w;
} softmax_model;

int softmax_model_init(softmax_model *m, size_t k, size_t f);
void softmax_model_clear(softmax_model *m);

/* Mean cross-entropy -(1/n) sum ln q(y_i|x_i) over features phi (n x f) and
 * labels y; when `per` is non-NULL it receives each -ln q(y_i|x_i). */
double softmax_model_xent(const softmax_model *m, const double *phi, const int *y, size_t n,
                          double *per);
/* Fraction of argmax q = y. */
double softmax_model_accuracy(const softmax_model *m, const double *phi, const int *y, size_t n);
/* Gradient of the mean cross-entropy wrt W: g = (1/n) sum (q - e_y) phi^T. */
void softmax_model_grad(double *g, const softmax_model *m, const double *phi, const int *y,
                        size_t n);
/* softmax_model_grad, and returns softmax_model_xent at the same weights
 * (the same bits as the two calls, one pass over the data). */
double softmax_model_grad_xent(double *g, const softmax_model *m, const double *phi, const int *y,
                               size_t n);
/* One step of gradient descent with heavy-ball momentum: v = beta v - lr g; W += v. */
void softmax_model_step(softmax_model *m, double *v, const double *g, double lr, double beta);

#endif
