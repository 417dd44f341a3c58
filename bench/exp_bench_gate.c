/* bench-gate: certification time per case, and the throughput of evaluating
 * a tree of gates (OpenMP over samples) against plain products (peer).
 * One cell (the benchmark runs alone, its OpenMP regions with all threads):
 * the cell measures, reduce writes the table and the macros. */
#include "experiments.h"
#include "gate.h"
#include "gatecert.h"
#include "rng.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#define NCERT 3
static const gate_act cert_acts[NCERT] = {GATE_SOFTPLUS, GATE_LOGISTIC, GATE_TANH};

static double now(void) { return omp_get_wtime(); }

static int bg_ncells(const exp_ctx *ctx)
{
    (void)ctx;
    return 1;
}

/* Certification time: certify eps = 1.01 x enclosed sup at lambda = 0.1. */
static void measure_cert(double *secs, int64_t *boxes)
{
    for (int i = 0; i < NCERT; i++) {
        gate_cert_result s, c;
        gate_cert_sup(&s, cert_acts[i], 0.1, 1, 1e-3, 4000000);
        double t0 = now();
        gate_cert_eps(&c, cert_acts[i], 0.1, 1, 1.01 * s.sup_hi, 4000000);
        secs[i] = now() - t0;
        boxes[i] = c.boxes;
    }
}

/* Tree of n = 16 factors on S samples: ours (gate tree, OpenMP) vs plain
 * products (OpenMP + SIMD), best of 3; best[0] ours, best[1] products. */
static int measure_tree(double *best, int S, uint64_t seed)
{
    int n = 16;
    double *x = malloc((size_t)S * n * sizeof(double)), *out = malloc((size_t)S * sizeof(double));
    gate_tree t;
    if (!x || !out || gate_tree_init(&t, GATE_SOFTPLUS, 0.05, n) != 0) {
        free(x), free(out);
        fprintf(stderr, "deepcheap: bench-gate: out of memory\n");
        return -1;
    }
    rng_stream r;
    rng_init(&r, seed, 0, 0);
    for (long i = 0; i < (long)S * n; i++) x[i] = 2 * rng_uniform(&r) - 1;
    best[0] = best[1] = INFINITY;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
#pragma omp parallel
        {
            double sc[64];
#pragma omp for schedule(static)
            for (int s = 0; s < S; s++) out[s] = gate_tree_eval(&t, x + (size_t)s * n, sc);
        }
        double t1 = now();
#pragma omp parallel for schedule(static)
        for (int s = 0; s < S; s++) {
            double p = 1;
#pragma omp simd reduction(*:p)
            for (int k = 0; k < n; k++) p *= x[(size_t)s * n + k];
            out[s] -= p;
        }
        double t2 = now();
        if (t1 - t0 < best[0]) best[0] = t1 - t0;
        if (t2 - t1 < best[1]) best[1] = t2 - t1;
    }
    gate_tree_clear(&t);
    free(x), free(out);
    return 0;
}

static int bg_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    (void)c;
    int S = ctx->scale == EXP_FULL ? 400000 : 100000;
    double secs[NCERT], best[2];
    int64_t boxes[NCERT];
    measure_cert(secs, boxes);
    if (measure_tree(best, S, ctx->seed) != 0) return -1;
    cellio_put_f64s(out, secs, NCERT);
    cellio_put_i64s(out, boxes, NCERT);
    cellio_put_f64s(out, best, 2);
    cellio_put_i64(out, S);
    return 0;
}

static int bg_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    (void)ctx;
    if (n != 1) return -1;
    double secs[NCERT], best[2], tsum = 0;
    int64_t boxes[NCERT];
    cellio_get_f64s(in, secs, NCERT);
    cellio_get_i64s(in, boxes, NCERT);
    cellio_get_f64s(in, best, 2);
    int S = (int)cellio_get_i64(in);
    binio_file f;
    if (run_tsv_open(&f, set, "bench_gate", "case\tours_s\tpeer_s\tratio\twork\tus_per_unit") != 0) return -1;
    /* no peer certifier: ratio NaN, time per box reported */
    for (int i = 0; i < NCERT; i++) {
        tsum += secs[i];
        fprintf(f.f, "certify-%s-0.1\t%.6g\tNaN\tNaN\t%ld\t%.6g\n", gate_act_name(cert_acts[i]), secs[i], (long)boxes[i],
                1e6 * secs[i] / (double)boxes[i]);
    }
    fprintf(f.f, "tree16-vs-products\t%.6g\t%.6g\t%.6g\t%d\t%.6g\n", best[0], best[1], best[0] / best[1], S, 1e6 * best[0] / S);
    if (run_close(set, &f) != 0) return -1;
    const texmac m[] = {
        TEXMAC_E("PerfGateCertTime", 2, tsum / NCERT),
        TEXMAC_N("PerfGateTreeRatio", 3, best[0] / best[1]),
        TEXMAC_I("PerfGateSamples", S),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

const exp_def exp_bench_gate_def = {bg_ncells, bg_cell, bg_reduce, EXP_BENCH | EXP_SERIAL};
