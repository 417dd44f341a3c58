/* Chapter 1 at quick scale: each experiment yields its registered verdict,
 * and its data do not depend on the thread count. */
#include "claims.h"
#include "experiments.h"
#include "results.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[256];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/deepcheap-test-ch1-XXXXXX");
    cr_assert(mkdtemp(dir) != NULL);
    results_set_outdir(dir);
}

static void teardown(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert(system(cmd) == 0);
    results_set_outdir("build");
    omp_set_num_threads(1);
}

static void expect_verdict(const char *id)
{
    claims_row row;
    const claims_entry *c = claims_find(id);
    claims_read(&row, c, dir);
    cr_assert(row.present, "%s: no verdict written", id);
    cr_assert(row.verdict == c->expected, "%s: computed %s, registry expects %s (%s)", id,
              claims_verdict_name(row.verdict), claims_verdict_name(c->expected), row.measured);
}

static const exp_ctx quick = {EXP_QUICK, 1, 1};

Test(ch1, lt1_posterior_verdict, .init = setup, .fini = teardown)
{
    cr_assert(exp_softmax_posterior(&quick) == 0);
    expect_verdict("LT-1");
}

Test(ch1, lt2_training_verdict, .init = setup, .fini = teardown, .timeout = 120)
{
    cr_assert(exp_softmax_training(&quick) == 0);
    expect_verdict("LT-2");
}

Test(ch1, lt3_moebius_verdict, .init = setup, .fini = teardown, .timeout = 120)
{
    cr_assert(exp_moebius_network(&quick) == 0);
    expect_verdict("LT-3");
}

/* The data rows of build/data/NAME.tsv, without the '#' provenance lines. */
static char *data_rows(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/data/%s.tsv", dir, name);
    FILE *f = fopen(path, "r");
    cr_assert(f != NULL, "%s missing", path);
    char *out = calloc(1, 1 << 20), line[4096];
    while (fgets(line, sizeof line, f))
        if (line[0] != '#') strncat(out, line, (1 << 20) - strlen(out) - 1);
    fclose(f);
    return out;
}

Test(ch1, results_independent_of_thread_count, .init = setup, .fini = teardown, .timeout = 300)
{
    const char *names[] = {"softmax_posterior", "softmax_training"};
    char *rows[2][2];
    for (int t = 0; t < 2; t++) {
        exp_ctx ctx = quick;
        ctx.threads = t + 1;
        omp_set_num_threads(t + 1);
        cr_assert(exp_softmax_posterior(&ctx) == 0);
        cr_assert(exp_softmax_training(&ctx) == 0);
        for (int k = 0; k < 2; k++) rows[k][t] = data_rows(names[k]);
    }
    for (int k = 0; k < 2; k++) {
        cr_assert(strlen(rows[k][0]) > 100, "%s: empty", names[k]);
        cr_assert(strcmp(rows[k][0], rows[k][1]) == 0, "%s differs between 1 and 2 threads", names[k]);
        free(rows[k][0]);
        free(rows[k][1]);
    }
}

Test(ch1, seed_changes_the_sample, .init = setup, .fini = teardown, .timeout = 120)
{
    exp_ctx a = quick, b = quick;
    b.seed = 2;
    cr_assert(exp_softmax_posterior(&a) == 0);
    char *ra = data_rows("softmax_posterior");
    cr_assert(exp_softmax_posterior(&b) == 0);
    char *rb = data_rows("softmax_posterior");
    cr_assert(strcmp(ra, rb) != 0, "seed has no effect");
    free(ra);
    free(rb);
}
