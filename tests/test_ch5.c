/* Chapter 5 at quick scale: the hierarchy experiment yields the registered
 * verdicts for its five claims, and its data do not depend on the thread count;
 * so does ms-receptive (MS-2). */
#include "claims.h"
#include "experiments.h"
#include "testutil.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static char dir[256];

static void setup(void) { testutil_outdir(dir, sizeof dir); }
static void teardown(void) { testutil_cleanup(dir); }

Test(ch5, hierarchy_verdicts, .init = setup, .fini = teardown, .timeout = 120)
{
    testutil_run(dir, "hierarchy", 1, 1);
    const char *ids[5] = {"LT-16", "LT-17", "LT-18", "MS-1", "LT-19"};
    for (int i = 0; i < 5; i++) testutil_expect_verdict(dir, ids[i]);
}

Test(ch5, results_independent_of_thread_count, .init = setup, .fini = teardown, .timeout = 120)
{
    const char *names[3] = {"hierarchy_chains", "hierarchy_dpi", "hierarchy_decimation"};
    char *rows[3][2];
    for (int t = 0; t < 2; t++) {
        testutil_run(dir, "hierarchy", 1, t + 1);
        for (int k = 0; k < 3; k++) rows[k][t] = testutil_data_rows(dir, names[k]);
    }
    omp_set_num_threads(1);
    for (int k = 0; k < 3; k++) {
        cr_assert(strlen(rows[k][0]) > 100, "%s: empty", names[k]);
        cr_assert(strcmp(rows[k][0], rows[k][1]) == 0, "%s differs between 1 and 2 threads", names[k]);
        free(rows[k][0]);
        free(rows[k][1]);
    }
}

/* ms-receptive (11 cells: 25 stacks of RBMs and the PCA null, about 45 s of CPU at quick scale)
 * once whole on 2 threads against three merged 1-thread shards, plus the registered verdict */
Test(ch5, ms_receptive_ms2, .timeout = 900) { testutil_check_shards_verdict("ms-receptive", 3, "MS-2"); }

static const char *bin(void)
{
    const char *b = getenv("DEEPCHEAP");
    return b ? b : "build/deepcheap";
}

/* exit status of `deepcheap ARGS`, first stdout line after the header in *row */
static int run_cmd(const char *args, char *row, size_t n)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s 2>/dev/null", bin(), args);
    FILE *p = popen(cmd, "r");
    cr_assert(p != NULL);
    char line[1024];
    int k = 0;
    row[0] = 0;
    while (fgets(line, sizeof line, p))
        if (k++ == 1) snprintf(row, n, "%s", line);
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(ch5, rg_query_commands)
{
    char row[1024];
    cr_assert(run_cmd("rg decimate --p 1 --q 3 --n 8", row, sizeof row) == 0);
    cr_assert(strstr(row, "\t0\t") != NULL, "decimation mismatch: %s", row);
    cr_assert(run_cmd("rg decimate --p 3 --q 3", row, sizeof row) == 2, "p >= q accepted");
    cr_assert(run_cmd("rg block --b 2 --y0 0 --y1 1 --y2 0", row, sizeof row) == 0);
    /* y2' = (1 - 1/4)/6 = 0.125 on the massless line at d = 2 */
    cr_assert(strstr(row, "\t0.125\t") != NULL, "%s", row);
    cr_assert(run_cmd("rg block --y1 0", row, sizeof row) == 2, "y1 = 0 accepted");
}
