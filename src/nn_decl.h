/* nn_decl.h: declarations of the nn template, included by nn.h twice with
 * NN_R (scalar type) and NN_S (name suffix) defined.  No include guard. */
#define NN_CAT2(a, b) a##b
#define NN_CAT(a, b) NN_CAT2(a, b)
#define NN_F(name) NN_CAT(name, NN_S)

typedef struct {
    int nlayers;
    int *sizes;       /* nlayers + 1 widths: sizes[0] = input */
    nn_act *acts;     /* per layer */
    size_t nparams;
    NN_R *params;     /* per layer: W (out x in, row-major), then b (out) */
    NN_R *grads;      /* same layout: gradients of the last nn_backward */
    size_t *woff;     /* offset of W_l in params; b_l at woff[l] + out*in */
    int maxw;         /* largest width */
    int cap;          /* batch capacity of the buffers */
    int batch;        /* batch of the last forward */
    const NN_R *input;/* input of the last forward (caller's memory) */
    NN_R **z, **a;    /* per layer cap x out: pre-activations, activations */
    NN_R *d1, *d2;    /* cap x maxw: backward ping-pong */
    NN_R *xb, *yb, *gout; /* training helper: gathered batch and dL/doutput */
    int ycols, tcap;  /* training buffers: target columns, batch capacity */
} NN_F(nn_net);

typedef struct {
    nn_opt_kind kind;
    double lr, momentum, beta1, beta2, eps, rho;
    long t;           /* steps taken */
    size_t n;
    NN_R *s1, *s2;    /* SGD: velocity; Adam: m, v; AdaDelta: E[g^2], E[dx^2] */
} NN_F(nn_opt);

/* Allocates a net with widths sizes[0..nlayers], activation acts[l] on layer
 * l, buffers for batches up to cap; params zero.  0 on success, -1 on
 * allocation failure or a width/cap < 1. */
int NN_F(nn_net_init)(NN_F(nn_net) *net, int nlayers, const int *sizes, const nn_act *acts, int cap);
void NN_F(nn_net_clear)(NN_F(nn_net) *net);
/* Grows the batch buffers to cap; 0 on success. */
int NN_F(nn_reserve)(NN_F(nn_net) *net, int cap);

/* Weights: Glorot uniform U(+-sqrt(6/(in+out))) (Glorot-Bengio 2010), He
 * normal N(0, 2/in) (He et al. 2015), or N(0, std^2); biases zero.  Drawn
 * in params order from r. */
void NN_F(nn_init_weights)(NN_F(nn_net) *net, nn_init_kind kind, double std, rng_stream *r);

/* Forward pass on X (batch x sizes[0]); returns the output (batch x
 * sizes[nlayers], owned by the net) or NULL if batch > cap and growing
 * failed.  X must stay alive until nn_backward. */
const NN_R *NN_F(nn_forward)(NN_F(nn_net) *net, const NN_R *X, int batch);
/* Backward pass for the last forward: dout = dL/doutput (batch x out).
 * Overwrites net->grads with dL/dparams and returns dL/dinput (batch x in,
 * owned by the net). */
const NN_R *NN_F(nn_backward)(NN_F(nn_net) *net, const NN_R *dout);
/* As nn_backward without dL/dinput (one gemm fewer): for training. */
void NN_F(nn_backward_params)(NN_F(nn_net) *net, const NN_R *dout);

/* Loss value and grad = dL/dpred (batch x k), conventions in nn_loss. */
double NN_F(nn_loss_eval)(NN_R *grad, nn_loss kind, const NN_R *pred, const NN_R *target, int batch, int k);
/* KL(N(mu, e^logvar) || N(0, 1)) summed over k latents, mean over batch:
 * 0.5 sum (mu^2 + e^lv - 1 - lv); gmu, glv its gradients (may be NULL). */
double NN_F(nn_kl_gauss)(NN_R *gmu, NN_R *glv, const NN_R *mu, const NN_R *logvar, int batch, int k);

/* Optimizer over n parameters with the usual defaults (SGD lr 0.01
 * momentum 0.9; Adam lr 1e-3, 0.9, 0.999, 1e-8; AdaDelta lr 1, rho 0.9,
 * eps 1e-6, as PyTorch); change fields after init.  0 on success. */
int NN_F(nn_opt_init)(NN_F(nn_opt) *opt, nn_opt_kind kind, size_t n);
void NN_F(nn_opt_clear)(NN_F(nn_opt) *opt);
/* One update of params from grads (formulas in nn_impl.h). */
void NN_F(nn_opt_step)(NN_F(nn_opt) *opt, NN_R *params, const NN_R *grads);

/* One epoch of mini-batch training on X (n x in), Y (n x ycols: outputs, or
 * 1 class index for NN_LOSS_XENT): order shuffled by r (Fisher-Yates),
 * batches of `batch` (last one smaller), one optimizer step each.  Returns
 * the sample-weighted mean training loss, or NAN on allocation failure. */
double NN_F(nn_train_epoch)(NN_F(nn_net) *net, NN_F(nn_opt) *opt, nn_loss loss, const NN_R *X, const NN_R *Y,
                            size_t n, int batch, rng_stream *r);
/* Mean loss of the net on (X, Y) in batches of net->cap. */
double NN_F(nn_eval_loss)(NN_F(nn_net) *net, nn_loss loss, const NN_R *X, const NN_R *Y, size_t n);
