/* made_decl.h: declarations of the made template, included by made.h twice
 * with NN_R (scalar type) and NN_S (name suffix) defined.  No include guard. */

typedef struct {
    int bits, depth, width, cap;
    NN_F(nn_net) net;  /* bits -> depth x width (act) -> bits logits (identity) */
    NN_F(nn_opt) opt;  /* Adam, lr 1e-3 (change opt.lr after init) */
    NN_R *mask;        /* net.nparams entries: 1 free, 0 masked (layout of net.params) */
    size_t nfree;      /* free parameters: unmasked weights and all biases */
    NN_R *xb;          /* cap x bits: gathered batch */
    NN_R *gout;        /* cap x bits: dL/dlogits */
} NN_F(made);

/* Allocates a MADE over `bits` binary inputs (2..MADE_MAXBITS) with `depth`
 * (1..MADE_MAXDEPTH) hidden layers of `width` units (activation act),
 * batches up to cap, Adam on the free parameters.  0 on success; -1 on bad
 * sizes or allocation failure (nothing allocated). */
int NN_F(made_init)(NN_F(made) *m, int bits, int depth, int width, nn_act act, int cap);
void NN_F(made_clear)(NN_F(made) *m);
/* Glorot weights drawn from r, then masked. */
void NN_F(made_init_weights)(NN_F(made) *m, rng_stream *r);

/* Logits l_i(x) of the B <= cap rows of X (B x bits, entries 0/1): returns
 * B x bits values owned by the MADE (valid until the next call). */
const NN_R *NN_F(made_logits)(NN_F(made) *m, const NN_R *X, int B);
/* log q(x) of the B <= cap rows of X into lq[B] (nats); 0, or -1 if B is out of range. */
int NN_F(made_log_q)(NN_F(made) *m, double *lq, const NN_R *X, int B);
/* Mean over the batch of -log q(x); leaves its gradient (masked) in
 * m->net.grads.  B <= cap. */
double NN_F(made_loss_grad)(NN_F(made) *m, const NN_R *X, int B);
/* One epoch of Adam on X (n x bits): order shuffled by r, batches of
 * `batch` (batch <= cap).  Returns the mean of -log q over the epoch's
 * batches (nats per sample), NAN on bad input. */
double NN_F(made_train_epoch)(NN_F(made) *m, const NN_R *X, size_t n, int batch, rng_stream *r);
/* Mean of -log q(x) over X (n x bits), in batches of cap (nats per sample). */
double NN_F(made_nll)(NN_F(made) *m, const NN_R *X, size_t n);
/* The whole distribution: q[x] for the 2^bits outcomes x (bit bits-1-j of
 * x is input j, as vae_bits), bits <= 24.  0, or -1 on bad size or
 * allocation failure. */
int NN_F(made_distribution)(NN_F(made) *m, double *q);
