/* bench-gate: certification time per case, and the throughput of evaluating
 * a tree of gates (OpenMP over samples) against plain products (peer). */
#include "experiments.h"
#include "gate.h"
#include "gatecert.h"
#include "results.h"
#include "rng.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <stdio.h>

static double now(void) { return omp_get_wtime(); }

int exp_bench_gate(const exp_ctx *ctx)
{
    int full = ctx->scale == EXP_FULL;
    results_file f, mf;
    if (results_tsv_open(&f, "bench_gate", "case\tours_s\tpeer_s\tratio\twork\tus_per_unit")) return 1;
    if (results_macros_open(&mf, "bench-gate")) { results_file_abort(&f); return 1; }
    /* certification time: certify eps = 1.01 x enclosed sup; no peer certifier here: ratio NaN, time per box reported */
    const gate_act acts[3] = {GATE_SOFTPLUS, GATE_LOGISTIC, GATE_TANH};
    double tsum = 0;
    for (int i = 0; i < 3; i++) {
        gate_cert_result s, c;
        gate_cert_sup(&s, acts[i], 0.1, 1, 1e-3, 4000000);
        double t0 = now();
        gate_cert_eps(&c, acts[i], 0.1, 1, 1.01 * s.sup_hi, 4000000);
        double t = now() - t0;
        tsum += t;
        fprintf(f.f, "certify-%s-0.1\t%.6g\tNaN\tNaN\t%ld\t%.6g\n", gate_act_name(acts[i]), t, c.boxes, 1e6 * t / (double)c.boxes);

    }
    results_macro_sci(&mf, "BenchGateCertTime", 2, tsum / 3);
    /* tree of n = 16 factors, S samples: ours (gate tree, OpenMP) vs plain products (OpenMP) */
    int n = 16, S = full ? 400000 : 100000;
    double *x = malloc((size_t)S * n * sizeof(double)), *out = malloc((size_t)S * sizeof(double));
    if (!x || !out) { free(x), free(out); results_file_abort(&f), results_file_abort(&mf); return 1; }
    rng_stream r;
    rng_init(&r, ctx->seed, 0, 0);
    for (long i = 0; i < (long)S * n; i++) x[i] = 2 * rng_uniform(&r) - 1;
    gate_tree t;
    gate_tree_init(&t, GATE_SOFTPLUS, 0.05, n);
    double best_o = INFINITY, best_p = INFINITY;
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
        if (t1 - t0 < best_o) best_o = t1 - t0;
        if (t2 - t1 < best_p) best_p = t2 - t1;
    }
    fprintf(f.f, "tree16-vs-products\t%.6g\t%.6g\t%.6g\t%d\t%.6g\n", best_o, best_p, best_o / best_p, S, 1e6 * best_o / S);
    results_macro_num(&mf, "BenchGateTreeRatio", 3, best_o / best_p);
    results_macro_int(&mf, "BenchGateSamples", S);
    gate_tree_clear(&t);
    free(x), free(out);
    int rc = results_file_commit(&f);
    rc |= results_file_commit(&mf);
    return rc ? 1 : 0;
}

EXP_LEGACY(exp_bench_gate, EXP_BENCH);
