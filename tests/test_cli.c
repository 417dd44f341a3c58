/* The command: bad options give one line on stderr, exit status 2, and
 * nothing written. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *bin(void)
{
    const char *b = getenv("DEEPCHEAP");
    return b ? b : "build/deepcheap";
}

/* Runs `deepcheap ARGS`; returns the exit status, stderr line count in *lines. */
static int run(const char *args, int *lines, char *err, size_t errn)
{
    char cmd[2048], errf[] = "/tmp/deepcheap-cli-XXXXXX";
    int fd = mkstemp(errf);
    cr_assert(fd >= 0);
    close(fd);
    snprintf(cmd, sizeof cmd, "%s %s >/dev/null 2>%s", bin(), args, errf);
    int st = system(cmd);
    FILE *f = fopen(errf, "r");
    *lines = 0;
    err[0] = 0;
    char line[1024];
    while (f && fgets(line, sizeof line, f)) {
        if (*lines == 0) snprintf(err, errn, "%s", line);
        (*lines)++;
    }
    if (f) fclose(f);
    unlink(errf);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(cli, binary_exists)
{
    cr_assert(access(bin(), X_OK) == 0, "%s not built", bin());
}

Test(cli, bad_options_one_line_exit_2_nothing_written)
{
    const char *out = "/tmp/deepcheap-cli-never-written";
    const char *cases[] = {
        "run softmax-posterior --out %s --seed abc",
        "run softmax-posterior --out %s --seed -1",
        "run softmax-posterior --out %s --threads 0",
        "run softmax-posterior --out %s --threads 2x",
        "run softmax-posterior --out %s --scale huge",
        "run softmax-posterior --out %s --bogus 1",
        "run softmax-posterior --out %s --seed",
        "run softmax-posterior --out %s --seed 1 --seed 2",
        "run softmax-posterior --out %s stray",
        "claims --out %s --bogus",
        "nosuchcommand --out %s",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[512], err[1024];
        int lines;
        snprintf(args, sizeof args, cases[i], out);
        int rc = run(args, &lines, err, sizeof err);
        cr_assert(rc == 2, "'%s': exit %d", args, rc);
        cr_assert(lines == 1, "'%s': %d lines on stderr", args, lines);
        cr_assert(access(out, F_OK) != 0, "'%s' wrote %s", args, out);
    }
}

Test(cli, error_line_names_the_bad_value)
{
    char err[1024];
    int lines;
    cr_assert(run("run softmax-posterior --seed abc", &lines, err, sizeof err) == 2);
    cr_assert(strstr(err, "abc") != NULL, "%s", err);
    cr_assert(run("run softmax-posterior --scale huge", &lines, err, sizeof err) == 2);
    cr_assert(strstr(err, "huge") != NULL, "%s", err);
    cr_assert(run("run softmax-posterior --threads 0", &lines, err, sizeof err) == 2);
    cr_assert(strstr(err, "--threads") != NULL, "%s", err);
}

Test(cli, unknown_experiment_is_one_line)
{
    char err[1024];
    int lines;
    cr_assert(run("run nosuch", &lines, err, sizeof err) == 2);
    cr_assert(strstr(err, "nosuch") != NULL, "%s", err);
    cr_assert(strstr(err, "deepcheap list") != NULL, "does not say where the list is: %s", err);
    cr_assert(lines == 1, "%d lines: %s", lines, err);
    cr_assert(run("run", &lines, err, sizeof err) == 2);
    cr_assert(lines == 1, "%d lines: %s", lines, err);
    cr_assert(run("run --scale quick", &lines, err, sizeof err) == 2);
    cr_assert(lines == 1, "%d lines: %s", lines, err);
}

Test(cli, no_arguments_and_list)
{
    char err[1024];
    int lines;
    cr_assert(run("", &lines, err, sizeof err) == 2);
    cr_assert(run("list", &lines, err, sizeof err) == 0);
    cr_assert(run("list extra", &lines, err, sizeof err) == 2);
    cr_assert(run("help", &lines, err, sizeof err) == 0);
}

/* The conventions users expect: --version, --help on every command (exit
 * 0), one line and exit 2 for an unknown help topic or a missing
 * subcommand, numbers strictly decimal (no leading space, hex, inf). */
Test(cli, conventions)
{
    char err[1024];
    int lines;
    cr_assert(run("--version", &lines, err, sizeof err) == 0 && lines == 0, "--version: %s", err);
    const char *help_ok[] = {"run --help", "claims --help", "merge --help", "slurm --help", "verdict --help",
                             "gate sup --help", "ising mc --help", "help ising", "help run"};
    for (size_t i = 0; i < sizeof help_ok / sizeof help_ok[0]; i++)
        cr_assert(run(help_ok[i], &lines, err, sizeof err) == 0 && lines == 0, "'%s': %s", help_ok[i], err);
    const char *one_line[] = {"", "help x", "ising", "ising nope", "run", "run nope", "list x",
                              "ising exact --L ' 5' --T 1", "ising exact --L 4 --T 0x10", "ising exact --L 4 --T inf",
                              "ising exact --L 4 --T ' 1'", "ising mc --L 8 --T 2 --seed ' 5'", "run hierarchy --threads ' 2'",
                              "run hierarchy --shard 1/2/3", "stability --seeds 1", "stability --seeds 1,1",
                              /* work limits said up front */
                              "ising mc --L 1024 --T 2.3 --sweeps 2000000", "gate sup --act softplus --lambda 0.5 --rtol 1e-300",
                              "run hierachy", "run --claim XX-1", "run --chapter 9"};
    for (size_t i = 0; i < sizeof one_line / sizeof one_line[0]; i++) {
        int rc = run(one_line[i], &lines, err, sizeof err);
        cr_assert(rc == 2 && lines == 1, "'%s': exit %d, %d lines: %s", one_line[i], rc, lines, err);
    }
    /* runtime errors: one line, exit 1 */
    const char *runtime[] = {"run hierarchy --scale quick --out /proc/deepcheap-nope", "claims --out /nonexistent/deepcheap",
                             "ising samples --file /nonexistent/x.bin"};
    for (size_t i = 0; i < sizeof runtime / sizeof runtime[0]; i++) {
        int rc = run(runtime[i], &lines, err, sizeof err);
        cr_assert(rc == 1 && lines == 1, "'%s': exit %d, %d lines: %s", runtime[i], rc, lines, err);
    }
    cr_assert(run("run hierachy", &lines, err, sizeof err) == 2 && strstr(err, "did you mean hierarchy") != NULL, "%s",
              err);
}

/* fu stats sums the exact distribution exactly: the probabilities come from
 * integer permanents, so their total is the ratio of two integers (it was
 * 0.999999999998681 from 2^18 rounded doubles). */
Test(cli, fu_stats_sum_is_exact)
{
    char cmd[512], line[256];
    snprintf(cmd, sizeof cmd, "%s fu stats --n 3 --L 4", bin());
    FILE *p = popen(cmd, "r");
    cr_assert(p != NULL);
    cr_assert(fgets(line, sizeof line, p) != NULL && fgets(line, sizeof line, p) != NULL);
    pclose(p);
    cr_assert(strstr(line, "\t1.000000000000000\t225280\t") != NULL, "%s", line);
}
