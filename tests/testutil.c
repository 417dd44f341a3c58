#include "testutil.h"

#include "claims.h"
#include "results.h"

#include <criterion/criterion.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void testutil_outdir(char *dir, size_t n)
{
    snprintf(dir, n, "/tmp/deepcheap-test-XXXXXX");
    cr_assert(mkdtemp(dir) != NULL);
    results_set_outdir(dir);
}

void testutil_cleanup(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert(system(cmd) == 0);
    results_set_outdir("build");
    omp_set_num_threads(1);
}

void testutil_expect_verdict(const char *dir, const char *id)
{
    claims_row row;
    const claims_entry *c = claims_find(id);
    cr_assert(c != NULL, "%s is not registered", id);
    claims_read(&row, c, dir);
    cr_assert(row.present, "%s: no verdict written", id);
    cr_assert(row.verdict == c->expected, "%s: computed %s, registry expects %s (%s)", id,
              claims_verdict_name(row.verdict), claims_verdict_name(c->expected), row.measured);
}

char *testutil_data_rows(const char *dir, const char *name)
{
    char path[512], line[4096];
    snprintf(path, sizeof path, "%s/data/%s.tsv", dir, name);
    FILE *f = fopen(path, "r");
    cr_assert(f != NULL, "%s missing", path);
    size_t cap = 1 << 20;
    char *out = calloc(1, cap);
    while (fgets(line, sizeof line, f))
        if (line[0] != '#') strncat(out, line, cap - strlen(out) - 1);
    fclose(f);
    return out;
}

void testutil_run(const char *dir, const char *name, uint64_t seed, int threads)
{
    const exp_entry *e = experiments_find(name);
    cr_assert(e != NULL, "no experiment %s", name);
    exp_run_opts o = {0};
    o.ctx.scale = EXP_QUICK;
    o.ctx.seed = seed;
    o.ctx.threads = threads;
    o.out = dir;
    omp_set_num_threads(threads);
    cr_assert(experiments_run(e, &o) == 0, "%s (seed %llu, %d threads): the run failed", name,
              (unsigned long long)seed, threads);
    omp_set_num_threads(1);
}

void testutil_check_experiment(const char *experiment, const char *name, const char *id)
{
    char dirs[2][256];
    char *rows[2];
    for (int t = 0; t < 2; t++) {
        testutil_outdir(dirs[t], sizeof dirs[t]);
        testutil_run(dirs[t], experiment, 1, t + 1);
        rows[t] = testutil_data_rows(dirs[t], name);
    }
    cr_assert(strlen(rows[0]) > 200, "%s: too little data", name);
    cr_assert(strcmp(rows[0], rows[1]) == 0, "%s differs between 1 and 2 threads", name);
    testutil_expect_verdict(dirs[0], id);
    for (int t = 0; t < 2; t++) {
        testutil_cleanup(dirs[t]);
        free(rows[t]);
    }
}
