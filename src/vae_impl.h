/* vae_impl.h: the vae template, included by vae.c twice with NN_R, NN_S and
 * NN_M(fn) defined.  No include guard. */

int NN_F(vae_init)(NN_F(vae) *v, int bits, int latent, int depth, int width, nn_act act, int cap)
{
    memset(v, 0, sizeof *v);
    if (bits < 1 || bits > 62 || latent < 1 || latent > bits || depth < 1 || depth > VAE_MAXDEPTH || width < 1 ||
        cap < 1 || (int)act < 0 || act >= NN_ACT_COUNT)
        return -1;
    int se[VAE_MAXDEPTH + 2], sd[VAE_MAXDEPTH + 2];
    nn_act acts[VAE_MAXDEPTH + 1];
    se[0] = bits;
    sd[0] = latent;
    for (int l = 1; l <= depth; l++) se[l] = sd[l] = width, acts[l - 1] = act;
    se[depth + 1] = 2 * latent;
    sd[depth + 1] = bits;
    acts[depth] = NN_IDENTITY;
    v->bits = bits, v->latent = latent, v->depth = depth, v->width = width, v->cap = cap;
    if (NN_F(nn_net_init)(&v->enc, depth + 1, se, acts, cap) || NN_F(nn_net_init)(&v->dec, depth + 1, sd, acts, cap) ||
        NN_F(nn_opt_init)(&v->oe, NN_ADAM, v->enc.nparams) || NN_F(nn_opt_init)(&v->od, NN_ADAM, v->dec.nparams))
        goto fail;
    size_t ck = (size_t)cap * latent;
    v->eps = malloc(ck * sizeof(NN_R));
    v->z = malloc(ck * sizeof(NN_R));
    v->gz = malloc(ck * sizeof(NN_R));
    v->genc = malloc(2 * ck * sizeof(NN_R));
    v->gdec = malloc((size_t)cap * bits * sizeof(NN_R));
    v->xb = malloc((size_t)cap * bits * sizeof(NN_R));
    if (!v->eps || !v->z || !v->gz || !v->genc || !v->gdec || !v->xb) goto fail;
    return 0;
fail:
    NN_F(vae_clear)(v);
    return -1;
}

void NN_F(vae_clear)(NN_F(vae) *v)
{
    NN_F(nn_net_clear)(&v->enc);
    NN_F(nn_net_clear)(&v->dec);
    NN_F(nn_opt_clear)(&v->oe);
    NN_F(nn_opt_clear)(&v->od);
    free(v->eps);
    free(v->z);
    free(v->gz);
    free(v->genc);
    free(v->gdec);
    free(v->xb);
    memset(v, 0, sizeof *v);
}

void NN_F(vae_init_weights)(NN_F(vae) *v, rng_stream *r)
{
    NN_F(nn_init_weights)(&v->enc, NN_INIT_GLOROT, 0, r);
    NN_F(nn_init_weights)(&v->dec, NN_INIT_GLOROT, 0, r);
}

/* listing: vae-elbo */
// The forward half: z by the reparametrization, the decoder's logits, the loss
// (its gradient by the logits left in v->gdec); *enc: the encoder's output.
static double NN_F(vae_forward_loss)(NN_F(vae) *v, const NN_R **enc, const NN_R *X, const NN_R *eps, int B)
{
    int k = v->latent;
    const NN_R *o = NN_F(nn_forward)(&v->enc, X, B); // row i: mu (k), log var (k)
    *enc = NULL;
    if (!o || B > v->cap) return NAN;
    double kl = 0;
    for (int i = 0; i < B; i++)
        for (int j = 0; j < k; j++) {
            double mu = o[(size_t)i * 2 * k + j], lv = o[(size_t)i * 2 * k + k + j], s = exp(0.5 * lv);
            v->z[(size_t)i * k + j] = (NN_R)(mu + s * eps[(size_t)i * k + j]); // reparametrization
            kl += 0.5 * (mu * mu + s * s - 1 - lv);                           // KL to N(0,1)
        }
    const NN_R *logit = NN_F(nn_forward)(&v->dec, v->z, B);
    double recon = NN_F(nn_loss_eval)(v->gdec, NN_LOSS_BCE, logit, X, B, v->bits); // -log p(x|z)
    v->recon = recon;
    v->kl = kl / B;
    *enc = o;
    return recon + kl / B;
}

double NN_F(vae_loss)(NN_F(vae) *v, const NN_R *X, const NN_R *eps, int B)
{
    const NN_R *o;
    return NN_F(vae_forward_loss)(v, &o, X, eps, B);
}

double NN_F(vae_loss_grad)(NN_F(vae) *v, const NN_R *X, const NN_R *eps, int B)
{
    int k = v->latent;
    const NN_R *o;
    double loss = NN_F(vae_forward_loss)(v, &o, X, eps, B);
    if (!o) return NAN;
    const NN_R *gz = NN_F(nn_backward)(&v->dec, v->gdec);
    for (int i = 0; i < B; i++)
        for (int j = 0; j < k; j++) {
            double mu = o[(size_t)i * 2 * k + j], lv = o[(size_t)i * 2 * k + k + j], s = exp(0.5 * lv);
            double g = gz[(size_t)i * k + j], e = eps[(size_t)i * k + j];
            v->genc[(size_t)i * 2 * k + j] = (NN_R)(g + mu / B);                                 // dz/dmu = 1
            v->genc[(size_t)i * 2 * k + k + j] = (NN_R)(0.5 * g * e * s + 0.5 * (s * s - 1) / B); // dz/dlv = eps s/2
        }
    NN_F(nn_backward_params)(&v->enc, v->genc);
    return loss;
}
/* end: vae-elbo */

double NN_F(vae_train_epoch)(NN_F(vae) *v, const NN_R *X, size_t n, int batch, rng_stream *r)
{
    if (batch < 1 || n == 0) return NAN;
    if (batch > v->cap) batch = v->cap;
    if ((size_t)batch > n) batch = (int)n;
    size_t *idx = malloc(n * sizeof(size_t));
    if (!idx) return NAN;
    for (size_t i = 0; i < n; i++) idx[i] = i;
    rng_shuffle(r, idx, n);
    rng_ahead ra; // the noise: r's words computed in groups of blocks
    rng_ahead_begin(&ra, r);
    double total = 0;
    int bits = v->bits;
    for (size_t s = 0; s < n; s += batch) {
        int b = (int)(n - s < (size_t)batch ? n - s : (size_t)batch);
        for (int i = 0; i < b; i++) memcpy(v->xb + (size_t)i * bits, X + idx[s + i] * bits, bits * sizeof(NN_R));
        for (size_t i = 0; i < (size_t)b * v->latent; i++) v->eps[i] = (NN_R)rng_ahead_normal(&ra);
        total += b * NN_F(vae_loss_grad)(v, v->xb, v->eps, b);
        NN_F(nn_opt_step)(&v->oe, v->enc.params, v->enc.grads);
        NN_F(nn_opt_step)(&v->od, v->dec.params, v->dec.grads);
    }
    rng_ahead_end(&ra);
    free(idx);
    return total / n;
}

void NN_F(vae_kl_units)(NN_F(vae) *v, double *kl, const NN_R *X, size_t n)
{
    int k = v->latent;
    for (int j = 0; j < k; j++) kl[j] = 0;
    for (size_t s = 0; s < n; s += v->cap) {
        int b = (int)(n - s < (size_t)v->cap ? n - s : (size_t)v->cap);
        const NN_R *o = NN_F(nn_forward)(&v->enc, X + s * v->bits, b);
        for (int i = 0; i < b; i++)
            for (int j = 0; j < k; j++) {
                double mu = o[(size_t)i * 2 * k + j], lv = o[(size_t)i * 2 * k + k + j];
                kl[j] += 0.5 * (mu * mu + exp(lv) - 1 - lv);
            }
    }
    for (int j = 0; j < k; j++) kl[j] /= (double)n;
}

/* listing: vae-logq */
double NN_F(vae_log_q)(NN_F(vae) *v, double *relse, const NN_R *x, int K, double alpha, rng_stream *r)
{
    int k = v->latent, bits = v->bits;
    if (K < 2 || !(alpha > 0 && alpha <= 1)) return NAN;
    const NN_R *o = NN_F(nn_forward)(&v->enc, x, 1);
    double mu[64], sd[64], lsd[64]; // lsd: log sd, once per x rather than per sample
    for (int j = 0; j < k; j++) mu[j] = o[j], sd[j] = exp(0.5 * o[k + j]), lsd[j] = log(sd[j]);
    NN_R *Z = malloc((size_t)K * k * sizeof(NN_R));
    double *lw = malloc((size_t)K * sizeof(double));
    if (!Z || !lw) { free(Z); free(lw); return NAN; }
    rng_ahead ra;
    rng_ahead_begin(&ra, r);
    double lp0 = -0.5 * k * log(2 * M_PI), la = log(alpha), lb = alpha < 1 ? log1p(-alpha) : 0;
    for (int s = 0; s < K; s++) {
        int prior = rng_ahead_uniform(&ra) < alpha; // defensive mixture: prior with probability alpha
        double lpz = lp0, lenc = lp0;       // log N(z; 0, 1), log N(z; mu, sd^2)
        for (int j = 0; j < k; j++) {
            double e = rng_ahead_normal(&ra), zj = prior ? e : mu[j] + sd[j] * e, u = (zj - mu[j]) / sd[j];
            Z[(size_t)s * k + j] = (NN_R)zj;
            lpz -= 0.5 * zj * zj;
            lenc -= 0.5 * u * u + lsd[j];
        }
        double a = la + lpz, b = alpha < 1 ? lb + lenc : -INFINITY;
        double lr = fmax(a, b) + log1p(exp(-fabs(a - b)));                // log r(z)
        lw[s] = lpz - lr;                                                   // + log p(x|z) below
    }
    rng_ahead_end(&ra);
    const NN_R *L = NN_F(nn_forward)(&v->dec, Z, K);
    // log1p(e^-|l|) for all K x bits logits at once, by vmath's AVX2 exp and log1p
    // (perf: libm's log1p and exp were 22% of vae-fidelity)
    size_t nl = (size_t)K * bits;
    double *sp = malloc(nl * sizeof(double));
    if (!sp) { free(Z); free(lw); return NAN; }
    for (size_t t = 0; t < nl; t++) sp[t] = -fabs((double)L[t]);
    vmath_exp(sp, sp, nl);
    vmath_log1p(sp, sp, nl);
    double m = -INFINITY;
    for (int s = 0; s < K; s++) {
        double lpx = 0; // log p(x|z) = sum_j x_j l_j - softplus(l_j)
        for (int j = 0; j < bits; j++) {
            double l = L[(size_t)s * bits + j];
            lpx += x[j] * l - (l > 0 ? l : 0) - sp[(size_t)s * bits + j];
        }
        lw[s] += lpx;
        m = fmax(m, lw[s]);
    }
    free(sp);
    double s1 = 0, s2 = 0; // moments of w / e^m
    for (int s = 0; s < K; s++) {
        double w = exp(lw[s] - m);
        s1 += w;
        s2 += w * w;
    }
    double mean = s1 / K, var = (s2 - s1 * mean) / (K - 1);
    *relse = sqrt(fmax(var, 0) / K) / mean;
    free(Z);
    free(lw);
    return m + log(mean);
}
/* end: vae-logq */

/* listing: vae-fidelity */
int NN_F(vae_fidelity)(NN_F(vae) *v, vae_fid *out, const uint64_t *xs, const double *px, int M, int K, double alpha,
                       rng_stream *r)
{
    if (M < 2) return -1;
    NN_R x[64];
    double s1 = 0, s2 = 0, corr = 0, maxrel = 0;
    for (int i = 0; i < M; i++) {
        NN_F(vae_bits)(x, xs[i], v->bits);
        double rel, lq = NN_F(vae_log_q)(v, &rel, x, K, alpha, r);
        if (isnan(lq) || !(px[i] > 0)) return -1;
        // E sqrt(q^) = sqrt(q) (1 - rel^2/8 + O(rel^3)): add the second-order term back
        double t = exp(0.5 * (lq - log(px[i]))), c = t * rel * rel / 8;
        s1 += t + c;
        s2 += (t + c) * (t + c);
        corr += c;
        maxrel = fmax(maxrel, rel);
    }
    // the spread of t over x ~ p already carries the IS noise of each q^ (law of total variance)
    double mean = s1 / M;
    out->F = mean;
    out->se = sqrt(fmax(s2 - s1 * mean, 0) / (M - 1) / M);
    out->bias_corr = corr / M;
    out->max_relse = maxrel;
    return 0;
}
/* end: vae-fidelity */
