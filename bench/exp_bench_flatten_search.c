/* Benchmark `bench-flatten-search`: lattice search throughput (Ch. 4's
 * exhaustive searches), the pruned parallel search on all threads and on
 * one, against the naive peer (every subset of each size from scratch, one
 * thread).  Quick: x^2 y on {-2..2}^2 (min 6); full: x1 x2 x3 on {-1,0,1}^3
 * (min 8).
 *
 * One cell, run alone (EXP_BENCH | EXP_SERIAL): it measures the three
 * searches; reduce only writes the table and the macros. */
#include "experiments.h"
#include "flatten_proofs.h"

#include <omp.h>
#include <stdio.h>

typedef struct {
    int full, n, lattice, mmax, exps[3];
} bench_problem;

static bench_problem problem(const exp_ctx *ctx)
{
    int full = ctx->scale == EXP_FULL;
    bench_problem b = {full, full ? 3 : 2, full ? 1 : 2, full ? 8 : 6, {full ? 1 : 2, 1, 1}};
    return b;
}

static int bfs_ncells(const exp_ctx *ctx) { return (void)ctx, 1; }

static void put_result(cellio_out *out, const flatten_search_result *r)
{
    cellio_put_i64(out, r->min);
    cellio_put_i64(out, (int64_t)r->nets);
    cellio_put_f64(out, r->seconds);
}

static void get_result(cellio_in *in, flatten_search_result *r)
{
    r->min = (int)cellio_get_i64(in);
    r->nets = (uint64_t)cellio_get_i64(in);
    r->seconds = cellio_get_f64(in);
}

static int bfs_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    (void)c;
    bench_problem b = problem(ctx);
    flatten_poly want;
    flatten_poly_init(&want, b.n, 3);
    flatten_poly_monomial(&want, b.exps);
    flatten_search_problem pr;
    if (flatten_search_init(&pr, b.n, 3, FLATTEN_MODE_GENERIC, b.lattice, &want) != 0) {
        fprintf(stderr, "deepcheap: bench-flatten-search: unsupported problem\n");
        flatten_poly_clear(&want);
        return -1;
    }
    flatten_search_result fast, one, naive;
    flatten_search_run(&fast, &pr, b.mmax);
    int th = omp_get_max_threads();
    omp_set_num_threads(1);
    flatten_search_run(&one, &pr, b.mmax);
    flatten_search_naive(&naive, &pr, b.mmax);
    omp_set_num_threads(th);
    cellio_put_i64(out, th);
    put_result(out, &fast);
    put_result(out, &one);
    put_result(out, &naive);
    flatten_search_clear(&pr);
    flatten_poly_clear(&want);
    return 0;
}

static int bfs_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    if (n != 1) return -1;
    bench_problem b = problem(ctx);
    flatten_search_result fast, one, naive;
    int th = (int)cellio_get_i64(in);
    get_result(in, &fast);
    get_result(in, &one);
    get_result(in, &naive);
    double ratio = naive.seconds / fast.seconds;
    binio_file f;
    if (run_tsv_open(&f, set, "bench_flatten_search", "method\tthreads\tmin_neurons\tnets\tseconds\tnets_per_s\tratio") != 0)
        return -1;
    fprintf(f.f, "pruned\t%d\t%d\t%llu\t%.4f\t%.4g\t%.3f\n", th, fast.min, (unsigned long long)fast.nets, fast.seconds,
            fast.nets / fast.seconds, ratio);
    fprintf(f.f, "pruned\t1\t%d\t%llu\t%.4f\t%.4g\t%.3f\n", one.min, (unsigned long long)one.nets, one.seconds,
            one.nets / one.seconds, naive.seconds / one.seconds);
    fprintf(f.f, "naive\t1\t%d\t%llu\t%.4f\t%.4g\t1\n", naive.min, (unsigned long long)naive.nets, naive.seconds,
            naive.nets / naive.seconds);
    if (run_close(set, &f) != 0) return -1;
    int agree = fast.min == naive.min && one.min == fast.min && one.nets == fast.nets;
    const texmac m[] = {
        TEXMAC_I("PerfFlatSearchThreads", th),
        TEXMAC_S("PerfFlatSearchProblem", b.full ? "$x_1x_2x_3$ on $\\{-1,0,1\\}^3$" : "$x^2y$ on $\\{-2,\\dots,2\\}^2$"),
        TEXMAC_I("PerfFlatSearchMin", fast.min),
        TEXMAC_N("PerfFlatSearchRate", 3, fast.nets / fast.seconds),
        TEXMAC_N("PerfFlatSearchRateOne", 3, one.nets / one.seconds),
        TEXMAC_N("PerfFlatSearchRateNaive", 3, naive.nets / naive.seconds),
        TEXMAC_I("PerfFlatSearchNets", (long long)fast.nets),
        TEXMAC_I("PerfFlatSearchNetsNaive", (long long)naive.nets),
        TEXMAC_F("PerfFlatSearchSeconds", 2, fast.seconds),
        TEXMAC_F("PerfFlatSearchSecondsOne", 2, one.seconds),
        TEXMAC_F("PerfFlatSearchSecondsNaive", 2, naive.seconds),
        TEXMAC_F("PerfFlatSearchRatio", 1, ratio),
        TEXMAC_F("PerfFlatSearchRatioOne", 1, naive.seconds / one.seconds),
        TEXMAC_S("PerfFlatSearchAgree", agree ? "agree" : "DISAGREE"),
    };
    return run_macros(set, m, TEXMAC_LEN(m));
}

const exp_def exp_bench_flatten_search_def = {bfs_ncells, bfs_cell, bfs_reduce, EXP_BENCH | EXP_SERIAL};
