/* Chapter 3 at quick scale: the exact counts give the same data for 1 and
 * 2 threads and their registered verdicts, and the count query command.
 * (conv-fft times code, so no test runs it.) */
#include "experiments.h"
#include "testutil.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static char dir[256];

static void setup(void) { testutil_outdir(dir, sizeof dir); }
static void teardown(void) { testutil_cleanup(dir); }
#define expect_verdict(id) testutil_expect_verdict(dir, id)

Test(ch3, count_params_thread_independence, .timeout = 120)
{
    testutil_check_experiment("count-params", "count_lattice", "LT-8");
}

Test(ch3, count_params_verdicts, .init = setup, .fini = teardown, .timeout = 60)
{
    testutil_run(dir, "count-params", 1, 1);
    expect_verdict("LT-8");
    expect_verdict("LT-9");
    expect_verdict("LT-10");
}

Test(ch3, count_poly_command)
{
    const char *bin = getenv("DEEPCHEAP") ? getenv("DEEPCHEAP") : "build/deepcheap";
    char cmd[512], line[256];
    snprintf(cmd, sizeof cmd, "%s count poly --n 1000000 --d 4", bin);
    FILE *p = popen(cmd, "r");
    cr_assert(p != NULL);
    cr_assert(fgets(line, sizeof line, p) != NULL);
    cr_assert(strcmp(line, "n\td\tcount\n") == 0, "%s", line);
    cr_assert(fgets(line, sizeof line, p) != NULL);
    /* C(1000004, 4) = 1000004 * 1000003 * 1000002 * 1000001 / 24, by hand */
    cr_assert(strcmp(line, "1000000\t4\t41667083334791668750001\n") == 0, "%s", line);
    cr_assert(pclose(p) == 0);
    snprintf(cmd, sizeof cmd, "%s count poly --n -3 --d 4 2>/dev/null", bin);
    int st = system(cmd);
    cr_assert(st != -1 && WEXITSTATUS(st) == 2, "negative n accepted");
    snprintf(cmd, sizeof cmd, "%s count poly --n 2.5 --d 4 2>/dev/null", bin);
    st = system(cmd);
    cr_assert(st != -1 && WEXITSTATUS(st) == 2, "non-integer n accepted");
}
