/* made_impl.h: the made template, included by made.c twice with NN_R, NN_S
 * and NN_M(fn) defined.  No include guard. */

/* listing: made-masks */
/* Degree of hidden unit j: 1 + (j mod (bits - 1)); of input k: k + 1.  A
 * weight from a unit of degree a (below) to one of degree b (above) is free
 * when b >= a for a hidden unit above, b > a for an output above (output i
 * has degree i + 1): so logit i sees only inputs 0..i-1. */
static void NN_F(made_masks)(NN_F(made) *m)
{
    const NN_F(nn_net) *net = &m->net;
    m->nfree = 0;
    for (int l = 0; l < net->nlayers; l++) {
        int ni = net->sizes[l], no = net->sizes[l + 1], out = l == net->nlayers - 1;
        NN_R *M = m->mask + net->woff[l];
        for (int j = 0; j < no; j++)
            for (int k = 0; k < ni; k++) {
                int a = l == 0 ? k + 1 : 1 + k % (m->bits - 1), b = out ? j + 1 : 1 + j % (m->bits - 1);
                M[(size_t)j * ni + k] = (NN_R)(out ? b > a : b >= a);
                m->nfree += out ? b > a : b >= a;
            }
        for (int j = 0; j < no; j++) M[(size_t)no * ni + j] = 1; /* biases */
        m->nfree += no;
    }
}
/* end: made-masks */

int NN_F(made_init)(NN_F(made) *m, int bits, int depth, int width, nn_act act, int cap)
{
    memset(m, 0, sizeof *m);
    if (bits < 2 || bits > MADE_MAXBITS || depth < 1 || depth > MADE_MAXDEPTH || width < 1 || cap < 1 || (int)act < 0 ||
        act >= NN_ACT_COUNT)
        return -1;
    int sizes[MADE_MAXDEPTH + 2];
    nn_act acts[MADE_MAXDEPTH + 1];
    sizes[0] = bits;
    for (int l = 1; l <= depth; l++) sizes[l] = width, acts[l - 1] = act;
    sizes[depth + 1] = bits;
    acts[depth] = NN_IDENTITY;
    m->bits = bits, m->depth = depth, m->width = width, m->cap = cap;
    if (NN_F(nn_net_init)(&m->net, depth + 1, sizes, acts, cap) || NN_F(nn_opt_init)(&m->opt, NN_ADAM, m->net.nparams))
        goto fail;
    m->mask = malloc(m->net.nparams * sizeof(NN_R));
    m->xb = malloc((size_t)cap * bits * sizeof(NN_R));
    m->gout = malloc((size_t)cap * bits * sizeof(NN_R));
    if (!m->mask || !m->xb || !m->gout) goto fail;
    NN_F(made_masks)(m);
    return 0;
fail:
    NN_F(made_clear)(m);
    return -1;
}

void NN_F(made_clear)(NN_F(made) *m)
{
    NN_F(nn_net_clear)(&m->net);
    NN_F(nn_opt_clear)(&m->opt);
    free(m->mask);
    free(m->xb);
    free(m->gout);
    memset(m, 0, sizeof *m);
}

void NN_F(made_init_weights)(NN_F(made) *m, rng_stream *r)
{
    NN_F(nn_init_weights)(&m->net, NN_INIT_GLOROT, 0, r);
    for (size_t i = 0; i < m->net.nparams; i++) m->net.params[i] *= m->mask[i];
}

const NN_R *NN_F(made_logits)(NN_F(made) *m, const NN_R *X, int B)
{
    if (B < 1 || B > m->cap) return NULL;
    return NN_F(nn_forward)(&m->net, X, B);
}

/* log q(x_i | x_<i) = -softplus(l) + x l, stably: -(max(l,0) + log1p(e^-|l|)) + x l */
static double NN_F(made_row_lq)(const NN_R *l, const NN_R *x, int bits)
{
    double s = 0;
    for (int i = 0; i < bits; i++) {
        double li = l[i];
        s -= (li > 0 ? li : 0) + log1p(exp(-fabs(li))) - x[i] * li;
    }
    return s;
}

int NN_F(made_log_q)(NN_F(made) *m, double *lq, const NN_R *X, int B)
{
    const NN_R *L = NN_F(made_logits)(m, X, B);
    if (!L) return -1;
    for (int r = 0; r < B; r++) lq[r] = NN_F(made_row_lq)(L + (size_t)r * m->bits, X + (size_t)r * m->bits, m->bits);
    return 0;
}

/* listing: made-loss */
double NN_F(made_loss_grad)(NN_F(made) *m, const NN_R *X, int B)
{
    const NN_R *L = NN_F(made_logits)(m, X, B);
    if (!L) return NAN;
    /* BCE on the logits, summed over bits, mean over the batch: exactly mean -log q(x) */
    double loss = NN_F(nn_loss_eval)(m->gout, NN_LOSS_BCE, L, X, B, m->bits);
    NN_F(nn_backward_params)(&m->net, m->gout);
    for (size_t i = 0; i < m->net.nparams; i++) m->net.grads[i] *= m->mask[i];
    return loss;
}
/* end: made-loss */

double NN_F(made_train_epoch)(NN_F(made) *m, const NN_R *X, size_t n, int batch, rng_stream *r)
{
    if (batch < 1 || batch > m->cap || n == 0) return NAN;
    if (!omp_in_parallel()) nn_blas_single_thread();
    size_t *idx = malloc(n * sizeof *idx);
    if (!idx) return NAN;
    for (size_t i = 0; i < n; i++) idx[i] = i;
    rng_shuffle(r, idx, n);
    double total = 0;
    int bits = m->bits;
    for (size_t s = 0; s < n; s += batch) {
        int b = (int)(n - s < (size_t)batch ? n - s : (size_t)batch);
        for (int i = 0; i < b; i++) memcpy(m->xb + (size_t)i * bits, X + idx[s + i] * bits, bits * sizeof(NN_R));
        total += b * NN_F(made_loss_grad)(m, m->xb, b);
        NN_F(nn_opt_step)(&m->opt, m->net.params, m->net.grads);
    }
    free(idx);
    return total / n;
}

double NN_F(made_nll)(NN_F(made) *m, const NN_R *X, size_t n)
{
    double *lq = malloc((size_t)m->cap * sizeof *lq), s = 0;
    if (!lq || n == 0) {
        free(lq);
        return NAN;
    }
    for (size_t s0 = 0; s0 < n; s0 += m->cap) {
        int b = (int)(n - s0 < (size_t)m->cap ? n - s0 : (size_t)m->cap);
        NN_F(made_log_q)(m, lq, X + s0 * m->bits, b);
        for (int i = 0; i < b; i++) s -= lq[i];
    }
    free(lq);
    return s / n;
}

int NN_F(made_distribution)(NN_F(made) *m, double *q)
{
    if (m->bits > 24) return -1;
    size_t N = (size_t)1 << m->bits;
    NN_R *X = malloc((size_t)m->cap * m->bits * sizeof(NN_R));
    if (!X) return -1;
    for (size_t x0 = 0; x0 < N; x0 += m->cap) {
        int b = (int)(N - x0 < (size_t)m->cap ? N - x0 : (size_t)m->cap);
        for (int i = 0; i < b; i++)
            for (int j = 0; j < m->bits; j++) X[(size_t)i * m->bits + j] = (NN_R)(((x0 + i) >> (m->bits - 1 - j)) & 1);
        NN_F(made_log_q)(m, q + x0, X, b);
        for (int i = 0; i < b; i++) q[x0 + i] = exp(q[x0 + i]);
    }
    free(X);
    return 0;
}
