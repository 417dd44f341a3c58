/* nn_impl.h: the nn template, included by nn.c twice with NN_R, NN_S,
 * NN_GEMM (cblas_sgemm / cblas_dgemm) and NN_M(fn) (float or double libm
 * name) defined.  No include guard. */

static int NN_F(alloc_buffers)(NN_F(nn_net) *net, int cap)
{
    for (int l = 0; l < net->nlayers; l++) {
        size_t m = (size_t)cap * net->sizes[l + 1];
        NN_R *z = realloc(net->z[l], m * sizeof(NN_R)), *a;
        if (!z) return -1;
        net->z[l] = z;
        if (!(a = realloc(net->a[l], m * sizeof(NN_R)))) return -1;
        net->a[l] = a;
    }
    size_t m = (size_t)cap * net->maxw;
    NN_R *p;
    if (!(p = realloc(net->d1, m * sizeof(NN_R)))) return -1;
    net->d1 = p;
    if (!(p = realloc(net->d2, m * sizeof(NN_R)))) return -1;
    net->d2 = p;
    net->cap = cap;
    return 0;
}

int NN_F(nn_net_init)(NN_F(nn_net) *net, int nlayers, const int *sizes, const nn_act *acts, int cap)
{
    memset(net, 0, sizeof *net);
    if (nlayers < 1 || cap < 1) return -1;
    for (int l = 0; l <= nlayers; l++)
        if (sizes[l] < 1) return -1;
    for (int l = 0; l < nlayers; l++)
        if ((int)acts[l] < 0 || acts[l] >= NN_ACT_COUNT) return -1;
    net->nlayers = nlayers;
    net->sizes = malloc((nlayers + 1) * sizeof(int));
    net->acts = malloc(nlayers * sizeof(nn_act));
    net->woff = malloc(nlayers * sizeof(size_t));
    net->z = calloc(nlayers, sizeof(NN_R *));
    net->a = calloc(nlayers, sizeof(NN_R *));
    if (!net->sizes || !net->acts || !net->woff || !net->z || !net->a) goto fail;
    memcpy(net->sizes, sizes, (nlayers + 1) * sizeof(int));
    memcpy(net->acts, acts, nlayers * sizeof(nn_act));
    size_t off = 0;
    net->maxw = sizes[0];
    for (int l = 0; l < nlayers; l++) {
        net->woff[l] = off;
        off += (size_t)sizes[l + 1] * sizes[l] + sizes[l + 1];
        if (sizes[l + 1] > net->maxw) net->maxw = sizes[l + 1];
    }
    net->nparams = off;
    net->params = calloc(off, sizeof(NN_R));
    net->grads = calloc(off, sizeof(NN_R));
    if (!net->params || !net->grads || NN_F(alloc_buffers)(net, cap)) goto fail;
    return 0;
fail:
    NN_F(nn_net_clear)(net);
    return -1;
}

void NN_F(nn_net_clear)(NN_F(nn_net) *net)
{
    if (net->z)
        for (int l = 0; l < net->nlayers; l++) free(net->z[l]);
    if (net->a)
        for (int l = 0; l < net->nlayers; l++) free(net->a[l]);
    free(net->z);
    free(net->a);
    free(net->sizes);
    free(net->acts);
    free(net->woff);
    free(net->params);
    free(net->grads);
    free(net->d1);
    free(net->d2);
    free(net->xb);
    free(net->yb);
    free(net->gout);
    memset(net, 0, sizeof *net);
}

int NN_F(nn_reserve)(NN_F(nn_net) *net, int cap)
{
    if (cap <= net->cap) return 0;
    return NN_F(alloc_buffers)(net, cap);
}

void NN_F(nn_init_weights)(NN_F(nn_net) *net, nn_init_kind kind, double std, rng_stream *r)
{
    for (int l = 0; l < net->nlayers; l++) {
        int in = net->sizes[l], out = net->sizes[l + 1];
        NN_R *W = net->params + net->woff[l];
        size_t nw = (size_t)in * out;
        double lim = sqrt(6.0 / (in + out)), s = kind == NN_INIT_HE ? sqrt(2.0 / in) : std;
        for (size_t i = 0; i < nw; i++)
            W[i] = (NN_R)(kind == NN_INIT_GLOROT ? lim * (2 * rng_uniform(r) - 1) : s * rng_normal(r));
        memset(W + nw, 0, out * sizeof(NN_R));
    }
}

/* a = f(z), element-wise; stable softplus; logistic and tanh from nn.c. */
static void NN_F(act_forward)(NN_R *restrict a, const NN_R *restrict z, size_t n, nn_act act)
{
    switch (act) {
    case NN_IDENTITY: memcpy(a, z, n * sizeof(NN_R)); break;
    case NN_LOGISTIC:
        NN_SIMD
        for (size_t i = 0; i < n; i++) a[i] = NN_MLOGISTIC(z[i]);
        break;
    case NN_TANH:
        NN_SIMD
        for (size_t i = 0; i < n; i++) a[i] = NN_MTANH(z[i]);
        break;
    case NN_SOFTPLUS: /* log(1+e^z) = max(z,0) + log1p(e^-|z|) */
        for (size_t i = 0; i < n; i++) a[i] = (z[i] > 0 ? z[i] : 0) + NN_M(log1p)(NN_M(exp)(-NN_M(fabs)(z[i])));
        break;
    case NN_RELU:
        NN_SIMD
        for (size_t i = 0; i < n; i++) a[i] = z[i] > 0 ? z[i] : 0;
        break;
    case NN_LRELU:
        NN_SIMD
        for (size_t i = 0; i < n; i++) a[i] = z[i] > 0 ? z[i] : (NN_R)0.01 * z[i];
        break;
    case NN_ELU: /* z for z > 0, e^z - 1 below */
        for (size_t i = 0; i < n; i++) a[i] = z[i] > 0 ? z[i] : NN_M(expm1)(z[i]);
        break;
    case NN_SQUARE:
        NN_SIMD
        for (size_t i = 0; i < n; i++) a[i] = z[i] * z[i];
        break;
    default: break;
    }
}

/* dz = da * f'(z), with f' from a where cheaper: logistic a(1-a), tanh 1-a^2,
 * softplus logistic(z), ELU a+1 below zero, square 2z. */
static void NN_F(act_backward)(NN_R *restrict dz, const NN_R *restrict da, const NN_R *restrict z,
                               const NN_R *restrict a, size_t n, nn_act act)
{
    const NN_R one = 1;
    switch (act) {
    case NN_IDENTITY: if (dz != da) memcpy(dz, da, n * sizeof(NN_R)); break;
    case NN_LOGISTIC:
        NN_SIMD
        for (size_t i = 0; i < n; i++) dz[i] = da[i] * a[i] * (one - a[i]);
        break;
    case NN_TANH:
        NN_SIMD
        for (size_t i = 0; i < n; i++) dz[i] = da[i] * (one - a[i] * a[i]);
        break;
    case NN_SOFTPLUS:
        for (size_t i = 0; i < n; i++) {
            NN_R e = NN_M(exp)(-NN_M(fabs)(z[i]));
            dz[i] = da[i] * (z[i] >= 0 ? one / (one + e) : e / (one + e));
        }
        break;
    case NN_RELU:
        NN_SIMD
        for (size_t i = 0; i < n; i++) dz[i] = z[i] > 0 ? da[i] : 0;
        break;
    case NN_LRELU:
        NN_SIMD
        for (size_t i = 0; i < n; i++) dz[i] = z[i] > 0 ? da[i] : (NN_R)0.01 * da[i];
        break;
    case NN_ELU:
        NN_SIMD
        for (size_t i = 0; i < n; i++) dz[i] = z[i] > 0 ? da[i] : da[i] * (a[i] + one);
        break;
    case NN_SQUARE:
        NN_SIMD
        for (size_t i = 0; i < n; i++) dz[i] = 2 * z[i] * da[i];
        break;
    default: break;
    }
}

/* dZ = dA * f'(Z) and the bias gradient gb = 1^T dZ (rows summed in order
 * 0..batch-1, as a separate pass would), in chunks of rows that stay in L1
 * between the two loops: one pass over dA instead of two over dZ.  Returns
 * dZ: dz, or da itself for the identity (no copy). */
static const NN_R *NN_F(act_backward_bias)(NN_R *restrict dz, NN_R *restrict gb, const NN_R *da, const NN_R *z,
                                           const NN_R *a, int batch, int no, nn_act act)
{
    const NN_R *g = act == NN_IDENTITY ? da : dz;
    int chunk = no >= 2048 ? 1 : 2048 / no;
    for (int j = 0; j < no; j++) gb[j] = 0;
    for (int r0 = 0; r0 < batch; r0 += chunk) {
        int nr = batch - r0 < chunk ? batch - r0 : chunk;
        size_t off = (size_t)r0 * no;
        if (act != NN_IDENTITY) NN_F(act_backward)(dz + off, da + off, z + off, a + off, (size_t)nr * no, act);
        for (int r = 0; r < nr; r++) {
            const NN_R *row = g + off + (size_t)r * no;
            NN_SIMD
            for (int j = 0; j < no; j++) gb[j] += row[j];
        }
    }
    return g;
}

/* listing: nn-forward */
/* Z_l = A_{l-1} W_l^T + 1 b_l^T (one gemm, bias pre-filled), A_l = f_l(Z_l). */
const NN_R *NN_F(nn_forward)(NN_F(nn_net) *net, const NN_R *X, int batch)
{
    if (batch < 1 || NN_F(nn_reserve)(net, batch)) return NULL;
    net->input = X;
    net->batch = batch;
    const NN_R *in = X;
    for (int l = 0; l < net->nlayers; l++) {
        int ni = net->sizes[l], no = net->sizes[l + 1];
        const NN_R *W = net->params + net->woff[l], *b = W + (size_t)no * ni;
        NN_R *Z = net->z[l];
        for (int r = 0; r < batch; r++) memcpy(Z + (size_t)r * no, b, no * sizeof(NN_R));
        NN_GEMM(CblasRowMajor, CblasNoTrans, CblasTrans, batch, no, ni, 1, in, ni, W, ni, 1, Z, no);
        NN_F(act_forward)(net->a[l], Z, (size_t)batch * no, net->acts[l]);
        in = net->a[l];
    }
    return net->a[net->nlayers - 1];
}
/* end: nn-forward */

/* listing: nn-backward */
/* dZ_l = dA_l * f_l'(Z_l); dW_l = dZ_l^T A_{l-1}; db_l = 1^T dZ_l;
 * dA_{l-1} = dZ_l W_l.  want_dx = 0 skips dA_0 (not needed to train). */
static const NN_R *NN_F(backward)(NN_F(nn_net) *net, const NN_R *dout, int want_dx)
{
    int batch = net->batch;
    const NN_R *da = dout;
    NN_R *dz = net->d1, *dnext = net->d2;
    for (int l = net->nlayers - 1; l >= 0; l--) {
        int ni = net->sizes[l], no = net->sizes[l + 1];
        const NN_R *W = net->params + net->woff[l];
        const NN_R *A = l ? net->a[l - 1] : net->input;
        NN_R *gW = net->grads + net->woff[l], *gb = gW + (size_t)no * ni;
        const NN_R *g = NN_F(act_backward_bias)(dz, gb, da, net->z[l], net->a[l], batch, no, net->acts[l]);
        NN_GEMM(CblasRowMajor, CblasTrans, CblasNoTrans, no, ni, batch, 1, g, no, A, ni, 0, gW, ni);
        if (l == 0 && !want_dx) return NULL;
        NN_GEMM(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, ni, no, 1, g, no, W, ni, 0, dnext, ni);
        da = dnext;
        NN_R *t = dz;
        dz = dnext;
        dnext = t;
    }
    return da;
}
/* end: nn-backward */

const NN_R *NN_F(nn_backward)(NN_F(nn_net) *net, const NN_R *dout)
{
    return NN_F(backward)(net, dout, 1);
}

void NN_F(nn_backward_params)(NN_F(nn_net) *net, const NN_R *dout)
{
    NN_F(backward)(net, dout, 0);
}

/* listing: nn-loss */
double NN_F(nn_loss_eval)(NN_R *grad, nn_loss kind, const NN_R *pred, const NN_R *target, int batch, int k)
{
    size_t n = (size_t)batch * k;
    double L = 0;
    switch (kind) {
    case NN_LOSS_MSE: /* (1/(Bk)) sum (p-y)^2, grad 2(p-y)/(Bk) */
        for (size_t i = 0; i < n; i++) {
            double d = (double)pred[i] - target[i];
            L += d * d;
            grad[i] = (NN_R)(2 * d / n);
        }
        return L / n;
    case NN_LOSS_MAE: /* (1/(Bk)) sum |p-y|, grad sign(p-y)/(Bk) (0 at a tie) */
        for (size_t i = 0; i < n; i++) {
            double d = (double)pred[i] - target[i];
            L += fabs(d);
            grad[i] = (NN_R)((d > 0) - (d < 0)) / (NN_R)n;
        }
        return L / n;
    case NN_LOSS_XENT: /* (1/B) sum_r [logsumexp(p_r) - p_{r,y_r}], grad (softmax - onehot)/B */
        for (int r = 0; r < batch; r++) {
            const NN_R *p = pred + (size_t)r * k;
            NN_R *g = grad + (size_t)r * k;
            int y = (int)target[r];
            double m = p[0], s = 0;
            for (int j = 1; j < k; j++) m = p[j] > m ? p[j] : m;
            for (int j = 0; j < k; j++) s += exp(p[j] - m);
            L += m + log(s) - ((y >= 0 && y < k) ? p[y] : NAN);
            for (int j = 0; j < k; j++) g[j] = (NN_R)((exp(p[j] - m) / s - (j == y)) / batch);
        }
        return L / batch;
    case NN_LOSS_BCE: /* (1/B) sum softplus(l) - y l, grad (logistic(l) - y)/B */
        /* In chunks: e = e^-|l| and log1p(e) by vmath's AVX2 functions (perf:
         * libm's log1p and exp were most of the 22% they took of vae-fidelity),
         * then the terms, summed in order i = 0, 1, ... as one loop would. */
        for (size_t i0 = 0; i0 < n; i0 += NN_BCE_CHUNK) {
            size_t nc = n - i0 < NN_BCE_CHUNK ? n - i0 : NN_BCE_CHUNK;
            double e[NN_BCE_CHUNK], lp[NN_BCE_CHUNK];
            for (size_t t = 0; t < nc; t++) e[t] = -fabs((double)pred[i0 + t]);
            vmath_exp(e, e, nc);
            vmath_log1p(lp, e, nc);
            for (size_t t = 0; t < nc; t++) {
                size_t i = i0 + t;
                double l = pred[i];
                L += (l > 0 ? l : 0) + lp[t] - target[i] * l;
                grad[i] = (NN_R)(((l >= 0 ? 1 / (1 + e[t]) : e[t] / (1 + e[t])) - target[i]) / batch);
            }
        }
        return L / batch;
    default: return NAN;
    }
}
/* end: nn-loss */

double NN_F(nn_kl_gauss)(NN_R *gmu, NN_R *glv, const NN_R *mu, const NN_R *logvar, int batch, int k)
{
    /* KL(N(mu, s^2) || N(0,1)) = 0.5 (mu^2 + s^2 - 1 - log s^2) per latent;
     * d/dmu = mu, d/dlogvar = 0.5 (e^lv - 1); mean over the batch. */
    size_t n = (size_t)batch * k;
    double L = 0;
    for (size_t i = 0; i < n; i++) {
        double m = mu[i], lv = logvar[i], e = exp(lv);
        L += 0.5 * (m * m + e - 1 - lv);
        if (gmu) gmu[i] = (NN_R)(m / batch);
        if (glv) glv[i] = (NN_R)(0.5 * (e - 1) / batch);
    }
    return L / batch;
}

int NN_F(nn_opt_init)(NN_F(nn_opt) *opt, nn_opt_kind kind, size_t n)
{
    memset(opt, 0, sizeof *opt);
    opt->kind = kind;
    opt->n = n;
    switch (kind) {
    case NN_SGD: opt->lr = 0.01; opt->momentum = 0.9; break;
    case NN_ADAM: opt->lr = 1e-3; opt->beta1 = 0.9; opt->beta2 = 0.999; opt->eps = 1e-8; break;
    case NN_ADADELTA: opt->lr = 1.0; opt->rho = 0.9; opt->eps = 1e-6; break;
    default: return -1;
    }
    opt->s1 = calloc(n ? n : 1, sizeof(NN_R));
    opt->s2 = calloc(n ? n : 1, sizeof(NN_R));
    if (!opt->s1 || !opt->s2) {
        NN_F(nn_opt_clear)(opt);
        return -1;
    }
    return 0;
}

void NN_F(nn_opt_clear)(NN_F(nn_opt) *opt)
{
    free(opt->s1);
    free(opt->s2);
    opt->s1 = opt->s2 = NULL;
}

/* listing: nn-opt */
void NN_F(nn_opt_step)(NN_F(nn_opt) *opt, NN_R *restrict p, const NN_R *restrict g)
{
    size_t n = opt->n;
    NN_R *restrict s1 = opt->s1, *restrict s2 = opt->s2;
    opt->t++;
    if (opt->kind == NN_SGD) { /* PyTorch form: v = mu v + g; p -= lr v */
        const NN_R mu = (NN_R)opt->momentum, lr = (NN_R)opt->lr;
        NN_SIMD
        for (size_t i = 0; i < n; i++) {
            s1[i] = mu * s1[i] + g[i];
            p[i] -= lr * s1[i];
        }
    } else if (opt->kind == NN_ADAM) { /* Kingma-Ba Alg. 1: bias-corrected m/(sqrt(v)+eps) */
        const NN_R b1 = (NN_R)opt->beta1, b2 = (NN_R)opt->beta2, eps = (NN_R)opt->eps;
        const NN_R c1 = (NN_R)(opt->lr / (1 - pow(opt->beta1, (double)opt->t)));
        const NN_R c2 = (NN_R)(1 / sqrt(1 - pow(opt->beta2, (double)opt->t)));
        NN_SIMD
        for (size_t i = 0; i < n; i++) {
            s1[i] = b1 * s1[i] + (1 - b1) * g[i];
            s2[i] = b2 * s2[i] + (1 - b2) * g[i] * g[i];
            p[i] -= c1 * s1[i] / (NN_M(sqrt)(s2[i]) * c2 + eps);
        }
    } else { /* Zeiler 2012 Alg. 1: dx = -sqrt(E[dx^2]+eps)/sqrt(E[g^2]+eps) g */
        const NN_R rho = (NN_R)opt->rho, eps = (NN_R)opt->eps, lr = (NN_R)opt->lr;
        NN_SIMD
        for (size_t i = 0; i < n; i++) {
            s1[i] = rho * s1[i] + (1 - rho) * g[i] * g[i];
            NN_R dx = -NN_M(sqrt)((s2[i] + eps) / (s1[i] + eps)) * g[i];
            s2[i] = rho * s2[i] + (1 - rho) * dx * dx;
            p[i] += lr * dx;
        }
    }
}
/* end: nn-opt */

static int NN_F(train_buffers)(NN_F(nn_net) *net, int batch, int ycols)
{
    if (NN_F(nn_reserve)(net, batch)) return -1;
    if (net->xb && net->ycols == ycols && net->tcap >= batch) return 0;
    free(net->xb);
    free(net->yb);
    free(net->gout);
    int out = net->sizes[net->nlayers];
    net->xb = malloc((size_t)net->cap * net->sizes[0] * sizeof(NN_R));
    net->yb = malloc((size_t)net->cap * ycols * sizeof(NN_R));
    net->gout = malloc((size_t)net->cap * out * sizeof(NN_R));
    net->ycols = ycols;
    net->tcap = net->cap;
    return net->xb && net->yb && net->gout ? 0 : -1;
}

/* listing: nn-train */
double NN_F(nn_train_epoch)(NN_F(nn_net) *net, NN_F(nn_opt) *opt, nn_loss loss, const NN_R *X, const NN_R *Y,
                            size_t n, int batch, rng_stream *r)
{
    int in = net->sizes[0], out = net->sizes[net->nlayers], ycols = loss == NN_LOSS_XENT ? 1 : out;
    if (batch < 1 || n == 0 || opt->n != net->nparams) return NAN;
    if ((size_t)batch > n) batch = (int)n;
    if (!omp_in_parallel()) nn_blas_single_thread();
    size_t *idx = malloc(n * sizeof(size_t));
    if (!idx || NN_F(train_buffers)(net, batch, ycols)) {
        free(idx);
        return NAN;
    }
    for (size_t i = 0; i < n; i++) idx[i] = i;
    rng_shuffle(r, idx, n);
    double total = 0;
    for (size_t s = 0; s < n; s += batch) {
        int b = (int)(n - s < (size_t)batch ? n - s : (size_t)batch);
        for (int i = 0; i < b; i++) {
            memcpy(net->xb + (size_t)i * in, X + idx[s + i] * in, in * sizeof(NN_R));
            memcpy(net->yb + (size_t)i * ycols, Y + idx[s + i] * ycols, ycols * sizeof(NN_R));
        }
        const NN_R *pred = NN_F(nn_forward)(net, net->xb, b);
        total += b * NN_F(nn_loss_eval)(net->gout, loss, pred, net->yb, b, out);
        NN_F(backward)(net, net->gout, 0);
        NN_F(nn_opt_step)(opt, net->params, net->grads);
    }
    free(idx);
    return total / n;
}
/* end: nn-train */

double NN_F(nn_eval_loss)(NN_F(nn_net) *net, nn_loss loss, const NN_R *X, const NN_R *Y, size_t n)
{
    int in = net->sizes[0], out = net->sizes[net->nlayers], ycols = loss == NN_LOSS_XENT ? 1 : out;
    if (NN_F(train_buffers)(net, net->cap, ycols)) return NAN;
    double total = 0;
    for (size_t s = 0; s < n; s += net->cap) {
        int b = (int)(n - s < (size_t)net->cap ? n - s : (size_t)net->cap);
        const NN_R *pred = NN_F(nn_forward)(net, X + s * in, b);
        total += b * NN_F(nn_loss_eval)(net->gout, loss, pred, Y + s * ycols, b, out);
    }
    return total / n;
}
