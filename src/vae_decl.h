/* vae_decl.h: declarations of the vae template, included by vae.h twice with
 * NN_R (scalar type) and NN_S (name suffix) defined.  No include guard. */

typedef struct {
    int bits, latent, depth, width, cap;
    NN_F(nn_net) enc, dec;   /* enc: bits -> depth x width -> 2 latent (mu, log var); dec: latent -> ... -> bits logits */
    NN_F(nn_opt) oe, od;     /* Adam on each net */
    NN_R *eps, *z, *gz;      /* cap x latent: noise, latent sample, dL/dz */
    NN_R *genc;              /* cap x 2 latent: dL/d(mu, log var) */
    NN_R *gdec;              /* cap x bits: dL/dlogits */
    NN_R *xb;                /* cap x bits: gathered batch */
    double recon, kl;        /* terms of the last vae_loss(_grad) (means over the batch) */
} NN_F(vae);

/* Allocates a VAE over `bits` binary inputs with `latent` Gaussian units,
 * `depth` hidden layers of `width` units (activation act) in encoder and
 * decoder, batches up to cap, Adam (lr 1e-3) on both.  0 on success; -1 on
 * bad sizes (bits outside 1..62, latent outside 1..bits, depth outside
 * 1..8, width or cap < 1) or allocation failure (nothing allocated). */
int NN_F(vae_init)(NN_F(vae) *v, int bits, int latent, int depth, int width, nn_act act, int cap);
void NN_F(vae_clear)(NN_F(vae) *v);
/* Glorot weights for both nets, drawn from r. */
void NN_F(vae_init_weights)(NN_F(vae) *v, rng_stream *r);

/* Negative ELBO of the batch X (B x bits, entries 0/1) for the given noise
 * eps (B x latent) by the reparametrization z = mu + e^{lv/2} eps, mean over
 * the batch: -ELBO = sum_j BCE(x_j, logit_j(z)) + KL(N(mu, e^lv) || N(0,1)).
 * Leaves its gradient in v->enc.grads and v->dec.grads.  B <= cap. */
double NN_F(vae_loss_grad)(NN_F(vae) *v, const NN_R *X, const NN_R *eps, int B);
/* The same negative ELBO without the gradients (no backward pass): the value
 * vae_loss_grad returns, bit for bit. */
double NN_F(vae_loss)(NN_F(vae) *v, const NN_R *X, const NN_R *eps, int B);
/* One epoch of Adam on X (n x bits): order shuffled by r, batches of
 * `batch`, fresh noise from r.  Returns the mean -ELBO, NAN on bad input. */
double NN_F(vae_train_epoch)(NN_F(vae) *v, const NN_R *X, size_t n, int batch, rng_stream *r);
/* Mean over X (n x bits) of KL(q(z|x) || N(0,1)) per latent unit: kl[latent]. */
void NN_F(vae_kl_units)(NN_F(vae) *v, double *kl, const NN_R *X, size_t n);

/* Importance-sampled log q(x) for one x (bits entries 0/1), with K latent
 * samples from the defensive proposal r(z) = (1 - alpha) q(z|x) + alpha N(0,1),
 * weights w = N(z; 0, 1) p(x|z) / r(z) <= p(x|z) / alpha.  q^ = mean w is
 * unbiased; *relse = SE(q^) / q^ = sd(w) / (sqrt(K) mean w).  0 < alpha <= 1. */
double NN_F(vae_log_q)(NN_F(vae) *v, double *relse, const NN_R *x, int K, double alpha, rng_stream *r);

/* Classical fidelity F = sum_x sqrt(p(x) q(x)) = E_{x~p} sqrt(q(x)/p(x)),
 * estimated from M samples xs[i] ~ p (bit strings as integers, bit bits-1-j
 * is input j) with their probabilities px[i] > 0 and q by vae_log_q. */
int NN_F(vae_fidelity)(NN_F(vae) *v, vae_fid *out, const uint64_t *xs, const double *px, int M, int K, double alpha,
                       rng_stream *r);
