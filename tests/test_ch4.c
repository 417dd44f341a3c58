/* Chapter 4 at quick scale: the flatten-* experiments and depth-width yield
 * the registered verdicts, each recomputed from the published data alone by
 * its verdict function, their data do not depend on the thread count or on
 * sharding, and the search benchmark's three methods agree. */
#include "claims.h"
#include "experiments.h"
#include "testutil.h"
#include "verdicts.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[256];

static void setup(void) { testutil_outdir(dir, sizeof dir); }
static void teardown(void) { testutil_cleanup(dir); }

/* The registered verdict, and the same verdict and measured string from dir/data alone. */
static void expect_recomputed(const char *id)
{
    testutil_expect_verdict(dir, id);
    char data[512];
    snprintf(data, sizeof data, "%s/data", dir);
    vd_result r;
    cr_assert(verdicts_decide(&r, id, data) == 0, "%s: cannot be decided from %s", id, data);
    claims_row row;
    claims_read(&row, claims_find(id), dir);
    cr_assert(row.verdict == r.verdict && strcmp(row.measured, r.measured) == 0, "%s: published %s (%s), recomputed %s (%s)",
              id, claims_verdict_name(row.verdict), row.measured, claims_verdict_name(r.verdict), r.measured);
}

/* The exact constructions at 1 and 2 threads (the searches inside use all of them). */
Test(ch4, flatten_exact_thread_independent, .timeout = 600)
{
    testutil_check_experiment("flatten-exact", "flatten_constructions", "LT-12");
}

Test(ch4, flatten_exact_verdicts, .init = setup, .fini = teardown, .timeout = 600)
{
    testutil_run(dir, "flatten-exact", 1, 2);
    const char *ids[6] = {"LT-12", "LT-13", "LT-14", "RT-2", "RT-3", "RT-4"};
    for (int i = 0; i < 6; i++) expect_recomputed(ids[i]);
    /* the search counts do not depend on the thread count: column 10 (nets) of xyz */
    char *rows = testutil_data_rows(dir, "flatten_search");
    cr_assert(strstr(rows, "\nxyz\tgeneric\t3\t3\t1\t27\t8\t8\t8\t2047562\t") != NULL, "xyz search: %s", rows);
    free(rows);
}

Test(ch4, flatten_rt5_and_linear_verdicts, .init = setup, .fini = teardown, .timeout = 300)
{
    testutil_run(dir, "flatten-rt5", 1, 1);
    expect_recomputed("RT-5");
    testutil_run(dir, "flatten-linear", 1, 2);
    expect_recomputed("LT-15");
}

/* Whole run == 3 merged shards: grid points (rt5) and RNG-keyed cells (linear). */
Test(ch4, flatten_rt5_shards, .timeout = 300) { testutil_check_shards("flatten-rt5", 3); }
Test(ch4, flatten_linear_shards, .timeout = 300) { testutil_check_shards("flatten-linear", 3); }

/* 115 trained nets at quick scale (about 20 s of CPU): one run whole on 2
 * threads against three merged 1-thread shards, and the registered verdict. */
Test(ch4, depth_width_shards_verdict, .timeout = 900) { testutil_check_shards_verdict("depth-width", 3, "RT-6"); }

/* The benchmark runs as one cell; its three methods find the same minimum. */
Test(ch4, bench_flatten_search_agrees, .init = setup, .fini = teardown, .timeout = 300)
{
    testutil_run(dir, "bench-flatten-search", 1, 2);
    char *rows = testutil_data_rows(dir, "bench_flatten_search");
    int mins[3], k = 0;
    for (char *save = NULL, *l = strtok_r(rows, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        char method[16];
        int th, min;
        if (sscanf(l, "%15s %d %d", method, &th, &min) == 3 && k < 3) mins[k++] = min;
    }
    cr_assert(k == 3, "three rows expected");
    cr_assert(mins[0] == 6 && mins[1] == 6 && mins[2] == 6, "minima %d %d %d", mins[0], mins[1], mins[2]);
    free(rows);
}
