/* Benchmark `bench-rbm` (performance appendix): RBM CD-k training
 * throughput against PyTorch (bench/torch_rbm.py).
 *
 * One cell measures ours (one model on one thread; two models on two
 * threads, aggregate) and the peer (one and two intra-op threads; two models
 * in two processes, aggregate); reduce picks the best configuration of each
 * side and writes the table and the macros. */
#include "experiments.h"
#include "peer.h"
#include "progress.h"
#include "rbm.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    int nv, nh, batch, k;
} br_cfg;

static const br_cfg br_cfgs[4] = {{64, 64, 100, 1}, {64, 256, 100, 1}, {784, 500, 100, 1}, {1600, 400, 100, 1}};
static const char *const br_tmode[3] = {"1", "2", "2p"},
                         *const br_tname[3] = {"1 thread", "2 threads", "2 models in 2 processes (aggregate)"};
enum { BR_N = 2000 };

/* Sizes compared, our thread counts (1..2) and peer modes (1 or 3). */
static int br_nc(const exp_ctx *ctx) { return ctx->scale == EXP_FULL ? 4 : 2; }
static int br_threads(const exp_ctx *ctx) { return ctx->threads > 1 ? 2 : 1; }
static int br_nmodes(const exp_ctx *ctx) { return br_threads(ctx) > 1 ? 3 : 1; }
static double br_min_s(const exp_ctx *ctx) { return ctx->scale == EXP_FULL ? 0.5 : 0.2; }

static int br_ncells(const exp_ctx *ctx)
{
    (void)ctx;
    return 1;
}

/* Samples/s of rbm_train (CD-k, momentum 0.5, no augmentation) on BR_N
 * random bit vectors, one warm-up epoch then epochs until min_s; with
 * models = 2, two independent models train concurrently (one per OpenMP
 * thread) and the aggregate rate is reported. */
static double br_ours(const br_cfg *c, int models, double min_s, uint64_t seed)
{
    const size_t n = BR_N;
    float *data = malloc(sizeof(float) * n * c->nv);
    if (!data) return NAN;
    rng_stream r;
    rng_init(&r, seed, 0, 3);
    for (size_t i = 0; i < n * c->nv; i++) data[i] = (float)(rng_u32(&r) & 1);
    double total = 0, t0 = 0;
    rbm_blas_single_thread();
    #pragma omp parallel num_threads(models) reduction(+:total)
    {
        rbm_model m;
        rng_stream rr;
        rng_init(&rr, seed, (uint32_t)omp_get_thread_num(), 4);
        if (!rbm_model_init(&m, c->nv, c->nh)) {
            rbm_init_normal(&m, &rr, 0.1 / sqrt((double)c->nv * c->nh));
            rbm_train_opts o = {c->k, 0, c->batch, 1, 0.01, 0.01, 0, 0, 0.5, 0, 0};
            rbm_train(&m, data, n, &o, seed, 0); /* warm-up */
            #pragma omp barrier
            #pragma omp single
            t0 = progress_seconds();
            for (int e = 0;; e++) {
                rbm_train(&m, data, n, &o, seed, (uint32_t)e);
                total += (double)(n / c->batch * c->batch);
                if (progress_seconds() - t0 >= min_s) break;
            }
            rbm_model_clear(&m);
        }
    }
    double el = progress_seconds() - t0;
    free(data);
    return total / el;
}

/* mode: "1" or "2" intra-op threads for one model, "2p" two models in two processes (aggregate) */
static int br_torch(double *out, int ncfg, const char *mode, double min_s, uint64_t seed)
{
    char cmd[8192], script[4200];
    if (peer_script(script, sizeof script, "torch_rbm.py") != 0) return -1;
    int k = snprintf(cmd, sizeof cmd, "env OPENBLAS_NUM_THREADS=1 /usr/bin/python3 '%s' %s %g %llu", script,
                     mode, min_s, (unsigned long long)seed);
    for (int i = 0; i < ncfg; i++)
        k += snprintf(cmd + k, sizeof cmd - k, " %d,%d,%d,%d", br_cfgs[i].nv, br_cfgs[i].nh, br_cfgs[i].batch,
                      br_cfgs[i].k);
    return peer_run(out, ncfg, cmd);
}

/* Puts ours[t][0..nc) for t = 1..threads, then torch[m][0..nc) for each mode. */
static int br_cell(const exp_ctx *ctx, int cell, cellio_out *out)
{
    (void)cell;
    const int nc = br_nc(ctx);
    double rates[4];
    for (int t = 1; t <= br_threads(ctx); t++) {
        for (int i = 0; i < nc; i++) rates[i] = br_ours(&br_cfgs[i], t, br_min_s(ctx), ctx->seed);
        cellio_put_f64s(out, rates, (size_t)nc);
    }
    for (int m = 0; m < br_nmodes(ctx); m++) {
        if (br_torch(rates, nc, br_tmode[m], br_min_s(ctx), ctx->seed)) {
            fprintf(stderr, "bench-rbm: the PyTorch peer failed (/usr/bin/python3 bench/torch_rbm.py, needs python3-torch)\n");
            return -1;
        }
        cellio_put_f64s(out, rates, (size_t)nc);
    }
    return 0;
}

static int br_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    const int nc = br_nc(ctx), T = br_threads(ctx), ntm = br_nmodes(ctx);
    double ours[2][4], torch_[3][4];
    if (n != 1) return -1;
    for (int t = 0; t < T; t++) cellio_get_f64s(&in[0], ours[t], (size_t)nc);
    for (int m = 0; m < ntm; m++) cellio_get_f64s(&in[0], torch_[m], (size_t)nc);
    binio_file f;
    if (run_tsv_open(&f, set, "bench_rbm", "nv\tnh\tbatch\tk\tdeepcheap_sps\tdeepcheap_config\ttorch_sps\ttorch_config\tratio"))
        return -1;
    char rows[2048] = "";
    size_t rl = 0;
    double rmin = INFINITY, rmax = 0;
    for (int i = 0; i < nc; i++) {
        const br_cfg *c = &br_cfgs[i];
        int bo = T > 1 && ours[1][i] > ours[0][i], bt = 0;
        for (int m = 1; m < ntm; m++) if (torch_[m][i] > torch_[bt][i]) bt = m;
        double a = ours[bo][i], b = torch_[bt][i], ratio = a / b;
        rmin = fmin(rmin, ratio), rmax = fmax(rmax, ratio);
        const char *oc = bo ? "2 models on 2 threads (aggregate)" : "1 thread";
        fprintf(f.f, "%d\t%d\t%d\t%d\t%.6g\t%s\t%.6g\t%s, OPENBLAS_NUM_THREADS=1\t%.4f\n", c->nv, c->nh, c->batch, c->k, a,
                oc, b, br_tname[bt], ratio);
        char na[32], nb[32];
        texmac_format_num(na, sizeof na, 3, a);
        texmac_format_num(nb, sizeof nb, 3, b);
        rl += snprintf(rows + rl, sizeof rows - rl, "%d & %d & %d & $%s$ & %s & $%s$ & %s & %.2f \\\\\n", c->nv, c->nh,
                       c->k, na, bo ? "2 models" : "1", nb, bt == 2 ? "2 models" : br_tmode[bt], ratio);
    }
    if (run_close(set, &f) != 0) return -1;
    const texmac m[] = {
        TEXMAC_S("PerfRbmRows", rows),         TEXMAC_F("PerfRbmRatioMin", 2, rmin),
        TEXMAC_F("PerfRbmRatioMax", 2, rmax),  TEXMAC_F("PerfRbmMinSeconds", 2, br_min_s(ctx)),
        TEXMAC_I("PerfRbmThreads", T),         TEXMAC_I("PerfRbmN", BR_N),
        TEXMAC_I("PerfRbmBatch", br_cfgs[0].batch),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

const exp_def exp_bench_rbm_def = {br_ncells, br_cell, br_reduce, EXP_BENCH | EXP_SERIAL};
