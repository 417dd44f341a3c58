/* nn: dense MLPs on OpenBLAS; see nn.h.  The float and double versions are
 * one template (nn_impl.h) compiled twice. */
#include "nn.h"

#include <cblas.h>
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binio.h"
#include "vmath.h"

/* nn_loss_eval's BCE chunk (elements per vmath call, on the stack) */
enum { NN_BCE_CHUNK = 256 };

void openblas_set_num_threads(int n);

void nn_blas_single_thread(void) { openblas_set_num_threads(1); }

static const char *const act_names[NN_ACT_COUNT] = {"identity", "logistic", "tanh", "softplus",
                                                    "relu", "lrelu", "elu", "square"};
static const char *const loss_names[NN_LOSS_COUNT] = {"mse", "mae", "xent", "bce"};

const char *nn_act_name(nn_act a) { return (int)a >= 0 && a < NN_ACT_COUNT ? act_names[a] : "?"; }
const char *nn_loss_name(nn_loss l) { return (int)l >= 0 && l < NN_LOSS_COUNT ? loss_names[l] : "?"; }

int nn_act_parse(const char *s)
{
    for (int i = 0; i < NN_ACT_COUNT; i++)
        if (!strcmp(s, act_names[i])) return i;
    return -1;
}

/* Element-wise loops carry `omp simd`: -O2's very-cheap vectorizer leaves
 * loops with conditionals scalar.  Vectorization changes no result order
 * (no reductions are vectorized), so results stay thread-count independent. */
#define NN_SIMD _Pragma("omp simd")

#include "nn_fast.h"

float nn_logisticf(float x) { return nn_logisticf_fast(x); }
float nn_tanhf(float x) { return nn_tanhf_fast(x); }

#define NN_R float
#define NN_S
#define NN_GEMM cblas_sgemm
#define NN_M(fn) fn##f
#define NN_MLOGISTIC nn_logisticf_fast
#define NN_MTANH nn_tanhf_fast
#include "nn_impl.h"
#undef NN_R
#undef NN_S
#undef NN_GEMM
#undef NN_M

#undef NN_MLOGISTIC
#undef NN_MTANH
/* logistic in double, 1/(1+e^-z) for z >= 0, e^z/(1+e^z) below: no overflow */
static inline double nn_logistic_d(double z)
{
    double e = exp(-fabs(z));
    return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}

#define NN_R double
#define NN_S _d
#define NN_GEMM cblas_dgemm
#define NN_M(fn) fn
#define NN_MLOGISTIC nn_logistic_d
#define NN_MTANH tanh
#include "nn_impl.h"
#undef NN_R
#undef NN_S
#undef NN_GEMM
#undef NN_M

/* --- weights on disk -------------------------------------------------------- */
static const unsigned char nn_magic[8] = {'D', 'C', 'N', 'N', 'W', 'G', 'T', 0};
enum { NN_FILE_VERSION = 1, NN_MAX_LAYERS = 4096, NN_MAX_WIDTH = 1 << 20 };


/* Little-endian byte buffer. */
typedef struct {
    unsigned char *p;
    size_t n, cap;
    int oom;
} nn_buf;

static void put(nn_buf *b, uint64_t v, int bytes)
{
    if (b->n + bytes > b->cap) {
        size_t c = b->cap ? 2 * b->cap : 256;
        while (c < b->n + bytes) c *= 2;
        unsigned char *q = realloc(b->p, c);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = c;
    }
    for (int i = 0; i < bytes; i++) b->p[b->n++] = (unsigned char)(v >> (8 * i));
}


int nn_save(const nn_net *net, const char *path, char *err, size_t nerr)
{
    nn_buf b = {0};
    for (int i = 0; i < 8; i++) put(&b, nn_magic[i], 1);
    put(&b, NN_FILE_VERSION, 4);
    put(&b, (uint64_t)net->nlayers, 4);
    for (int l = 0; l <= net->nlayers; l++) put(&b, (uint64_t)net->sizes[l], 4);
    for (int l = 0; l < net->nlayers; l++) put(&b, (uint64_t)net->acts[l], 4);
    put(&b, net->nparams, 8);
    for (size_t i = 0; i < net->nparams; i++) {
        uint32_t u;
        memcpy(&u, &net->params[i], 4);
        put(&b, u, 4);
    }
    if (b.oom) {
        free(b.p);
        binio_errf(err, nerr, "%s: out of memory", path);
        return -1;
    }
    int rc = binio_write_checksummed(path, b.p, b.n, err, nerr);
    free(b.p);
    return rc;
}

/* Reads the whole file (bounded) into *out. */

int nn_load(nn_net *net, const char *path, int cap, char *err, size_t nerr)
{
    unsigned char *p;
    size_t n;
    memset(net, 0, sizeof *net);
    /* the whole file, its size checked first (16 GiB: no net of ours is that large) */
    if (binio_read_file(&p, &n, path, 0, (size_t)1 << 34, err, nerr)) return -1;
    int rc = -1;
    int *sizes = NULL;
    nn_act *acts = NULL;
    if (n < 8 + 4 + 4 || memcmp(p, nn_magic, 8)) {
        binio_errf(err, nerr, "%s: not a deepcheap weights file (bad magic)", path);
        goto out;
    }
    if (n < 8 + 8 + 8 + 8 || !binio_checksum_ok(p, n)) {
        binio_errf(err, nerr, "%s: checksum mismatch (truncated or corrupt)", path);
        goto out;
    }
    uint32_t ver = (uint32_t)binio_le_get(p + 8, 4), L = (uint32_t)binio_le_get(p + 12, 4);
    if (ver != NN_FILE_VERSION) {
        binio_errf(err, nerr, "%s: unsupported weights format version %u (expected %d)", path, ver, NN_FILE_VERSION);
        goto out;
    }
    size_t body = n - 8, pos = 16;
    if (L < 1 || L > NN_MAX_LAYERS || pos + 4 * (2 * (size_t)L + 1) + 8 > body) {
        binio_errf(err, nerr, "%s: bad layer count %u", path, L);
        goto out;
    }
    sizes = malloc((L + 1) * sizeof(int));
    acts = malloc(L * sizeof(nn_act));
    if (!sizes || !acts) {
        binio_errf(err, nerr, "%s: out of memory", path);
        goto out;
    }
    uint64_t np = 0;
    for (uint32_t l = 0; l <= L; l++, pos += 4) {
        uint32_t w = (uint32_t)binio_le_get(p + pos, 4);
        if (w < 1 || w > NN_MAX_WIDTH) {
            binio_errf(err, nerr, "%s: bad width %u at layer %u", path, w, l);
            goto out;
        }
        sizes[l] = (int)w;
        if (l) np += (uint64_t)w * sizes[l - 1] + w;
    }
    for (uint32_t l = 0; l < L; l++, pos += 4) {
        uint32_t a = (uint32_t)binio_le_get(p + pos, 4);
        if (a >= NN_ACT_COUNT) {
            binio_errf(err, nerr, "%s: bad activation %u at layer %u", path, a, l);
            goto out;
        }
        acts[l] = (nn_act)a;
    }
    uint64_t fnp = binio_le_get(p + pos, 8);
    pos += 8;
    if (fnp != np || body - pos != 4 * np) {
        binio_errf(err, nerr, "%s: parameter count %llu does not match the shapes (%llu)", path,
             (unsigned long long)fnp, (unsigned long long)np);
        goto out;
    }
    if (nn_net_init(net, (int)L, sizes, acts, cap)) {
        binio_errf(err, nerr, "%s: cannot allocate the net (batch capacity %d)", path, cap);
        goto out;
    }
    for (size_t i = 0; i < np; i++, pos += 4) {
        uint32_t u = (uint32_t)binio_le_get(p + pos, 4);
        memcpy(&net->params[i], &u, 4);
    }
    rc = 0;
out:
    free(p);
    free(sizes);
    free(acts);
    return rc;
}
