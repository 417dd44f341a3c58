/* run: result sets are published whole or not at all, the cell store
 * rejects corrupt and foreign cells, and through the command: a run killed
 * anywhere resumes to the same bytes, concurrent runs never mix, shards
 * merge to the single run, and the ledger refuses mixed provenance. */
#include "binio.h"
#include "experiments.h"
#include "run.h"
#include "testutil.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[256];

static void setup(void) { testutil_outdir(dir, sizeof dir); }
static void teardown(void) { testutil_cleanup(dir); }

static const char *bin(void)
{
    const char *b = getenv("DEEPCHEAP");
    return b ? b : "build/deepcheap";
}

static run_prov prov(const char *experiment, uint64_t seed)
{
    run_prov p;
    memset(&p, 0, sizeof p);
    snprintf(p.experiment, sizeof p.experiment, "%s", experiment);
    snprintf(p.scale, sizeof p.scale, "quick");
    snprintf(p.commit, sizeof p.commit, "0123456789ab");
    snprintf(p.sources, sizeof p.sources, "feedfacecafebeef");
    p.seed = seed, p.threads = 1, p.chapter = 3;
    return p;
}

static int exists(const char *fmt, const char *a, const char *b)
{
    char path[1024];
    snprintf(path, sizeof path, fmt, a, b);
    return access(path, F_OK) == 0;
}

/* A set with one data file, one macro and one verdict of claim LT-8. */
static int make_set(run_set *s, uint64_t seed, const char *declared, const char *macro)
{
    run_prov p = prov("unit-exp", seed);
    cr_assert(run_set_init(s, dir, &p, "Count") == 0);
    binio_file f;
    cr_assert(run_tsv_open(&f, s, "unit_data", "x") == 0);
    fprintf(f.f, "%llu\n", (unsigned long long)seed);
    cr_assert(run_close(s, &f) == 0);
    const texmac m[] = {TEXMAC_I(macro, 1)};
    run_macros(s, m, 1);
    run_verdict(s, "LT-8", "reproduced", "m", "p", "n", NULL);
    return run_publish(s, declared, "LT-8", NULL);
}

Test(run, publish_links_manifest_and_replaces_whole, .init = setup, .fini = teardown)
{
    run_set s;
    cr_assert(make_set(&s, 1, "unit_data.tsv", "CountOne") == 0);
    run_set_clear(&s);
    cr_assert(exists("%s/data/unit_data.tsv%s", dir, ""));
    cr_assert(exists("%s/macros/unit-exp.tex%s", dir, ""));
    cr_assert(exists("%s/verdicts/LT-8.tsv%s", dir, ""));
    char v[128];
    cr_assert(run_manifest_get(v, sizeof v, dir, "unit-exp", "seed") == 0 && strcmp(v, "1") == 0);
    cr_assert(run_manifest_get(v, sizeof v, dir, "unit-exp", "sources") == 0 && strcmp(v, "feedfacecafebeef") == 0);
    char path[512];
    snprintf(path, sizeof path, "%s/sets/unit-exp/manifest.tsv", dir);
    char *text = NULL;
    size_t n;
    cr_assert(binio_read_file((unsigned char **)&text, &n, path, 1, 1 << 20, NULL, 0) == 0);
    text = realloc(text, n + 1);
    text[n] = 0;
    cr_assert(strstr(text, "file\tdata/unit_data.tsv fnv1a64 ") != NULL, "%s", text);
    cr_assert(strstr(text, "file\tverdicts/LT-8.tsv fnv1a64 ") != NULL, "%s", text);
    free(text);
    /* a second publish replaces the set; the old set directory is gone */
    cr_assert(make_set(&s, 2, "unit_data.tsv", "CountOne") == 0);
    run_set_clear(&s);
    cr_assert(run_manifest_get(v, sizeof v, dir, "unit-exp", "seed") == 0 && strcmp(v, "2") == 0);
    snprintf(path, sizeof path, "%s/sets", dir);
    DIR *d = opendir(path);
    int sets = 0;
    for (struct dirent *e; (e = readdir(d));) sets += strncmp(e->d_name, "unit-exp.", 9) == 0;
    closedir(d);
    cr_assert(sets == 1, "%d set directories", sets);
}

/* Undeclared or missing files, or a macro without the chapter prefix: nothing published. */
Test(run, refused_sets_publish_nothing, .init = setup, .fini = teardown)
{
    const char *declared[3] = {"", "unit_data.tsv other.tsv", "unit_data.tsv"};
    const char *macro[3] = {"CountOne", "CountOne", "SoftOne"};
    for (int k = 0; k < 3; k++) {
        run_set s;
        cr_assert(make_set(&s, 1, declared[k], macro[k]) != 0, "case %d published", k);
        run_set_clear(&s);
        cr_assert(exists("%s/sets/unit-exp%s", dir, "") == 0, "case %d: a set is visible", k);
        cr_assert(exists("%s/data/unit_data.tsv%s", dir, "") == 0, "case %d: data is visible", k);
        char path[512];
        snprintf(path, sizeof path, "%s/sets", dir);
        DIR *d = opendir(path);
        for (struct dirent *e; d && (e = readdir(d));)
            cr_assert(strncmp(e->d_name, "unit-exp.", 9) != 0, "case %d left staging %s", k, e->d_name);
        if (d) closedir(d);
    }
}

Test(run, cell_store_rejects_corrupt_foreign_and_forged, .init = setup, .fini = teardown)
{
    run_prov p = prov("unit-exp", 1);
    run_cells c;
    cr_assert(run_cells_init(&c, dir, &p, 4) == 0);
    const unsigned char payload[] = "cell payload";
    cr_assert(run_cell_store(&c, 2, payload, sizeof payload) == 0);
    unsigned char *q;
    size_t n;
    char err[512];
    cr_assert(run_cell_load(&c, 1, &q, &n, err, sizeof err) == 1, "absent cell found");
    cr_assert(run_cell_load(&c, 2, &q, &n, err, sizeof err) == 0, "%s", err);
    cr_assert(n == sizeof payload && memcmp(q, payload, n) == 0);
    free(q);
    /* the same file read as another seed's, or as another cell */
    run_prov p2 = prov("unit-exp", 2);
    run_cells c2 = c;
    c2.prov = p2;
    cr_assert(run_cell_load(&c2, 2, &q, &n, err, sizeof err) == -1);
    char path[4200], other[4200];
    snprintf(path, sizeof path, "%s/2.cell", c.dir);
    snprintf(other, sizeof other, "%s/3.cell", c.dir);
    cr_assert(link(path, other) == 0);
    cr_assert(run_cell_load(&c, 3, &q, &n, err, sizeof err) == -1);
    cr_assert(strstr(err, "another") != NULL, "%s", err);
    /* one flipped payload bit */
    FILE *f = fopen(path, "r+b");
    fseek(f, -10, SEEK_END);
    int ch = fgetc(f);
    fseek(f, -10, SEEK_END);
    fputc(ch ^ 4, f);
    fclose(f);
    cr_assert(run_cell_load(&c, 2, &q, &n, err, sizeof err) == -1);
    cr_assert(strstr(err, "checksum") != NULL, "%s", err);
    /* a forged length field (2^40 bytes): refused from the size, before any allocation */
    f = fopen(path, "r+b");
    fseek(f, 8 + 64 + 16 + 40 + 8 + 4 + 4, SEEK_SET);
    unsigned char big[8];
    binio_le_put(big, (uint64_t)1 << 40, 8);
    fwrite(big, 1, 8, f);
    fclose(f);
    cr_assert(run_cell_load(&c, 2, &q, &n, err, sizeof err) == -1);
    cr_assert(strstr(err, "truncated or not a cell") != NULL, "%s", err);
    /* truncated to less than a header */
    cr_assert(truncate(path, 20) == 0);
    cr_assert(run_cell_load(&c, 2, &q, &n, err, sizeof err) == -1);
}

/* --- through the command -------------------------------------------------------- */

/* Runs `deepcheap ARGS` with an optional environment assignment; returns
 * the exit status (128 + signal when killed), stderr into err. */
static int sh(const char *env, const char *args, char *err, size_t nerr)
{
    char cmd[4096], errf[] = "/tmp/deepcheap-run-XXXXXX";
    int fd = mkstemp(errf);
    cr_assert(fd >= 0);
    close(fd);
    snprintf(cmd, sizeof cmd, "%s %s %s >/dev/null 2>%s", env ? env : "", bin(), args, errf);
    int st = system(cmd);
    FILE *f = fopen(errf, "r");
    size_t n = f ? fread(err, 1, nerr - 1, f) : 0;
    err[n] = 0;
    if (f) fclose(f);
    unlink(errf);
    if (WIFEXITED(st)) return WEXITSTATUS(st);
    return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

/* Every data file of hierarchy equal between two output directories. */
static void same_hierarchy(const char *a, const char *b, const char *what)
{
    const exp_entry *e = experiments_find("hierarchy");
    char list[1024];
    snprintf(list, sizeof list, "%s", e->data);
    for (char *save = NULL, *w = strtok_r(list, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        char x[512], y[512];
        snprintf(x, sizeof x, "%s/data/%s", a, w);
        snprintf(y, sizeof y, "%s/data/%s", b, w);
        cr_assert(testutil_same_file(x, y), "%s: %s differs", what, w);
    }
}

/* No temp files and no staging directories anywhere under d. */
static void nothing_left(const char *d, const char *what)
{
    char cmd[512], out[512] = "";
    snprintf(cmd, sizeof cmd, "find '%s' -name '*.tmp.*' | head -n 1; ls '%s/sets' 2>/dev/null | grep -E '^hierarchy\\.' | grep -v \"^$(readlink '%s/sets/hierarchy' 2>/dev/null)$\" | head -n 1",
             d, d, d);
    FILE *p = popen(cmd, "r");
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    pclose(p);
    cr_assert(n == 0, "%s: left behind: %s", what, out);
}

/* Killed (SIGKILL) after 0, 1 and 200 stored cells, before the reduce and
 * with the set staged but unpublished: the rerun reuses what was stored and
 * reaches the same bytes as an uninterrupted run. */
Test(run, killed_anywhere_resumes_to_the_same_bytes, .init = setup, .fini = teardown, .timeout = 600)
{
    char clean[256], err[4096];
    testutil_outdir(clean, sizeof clean);
    char args[512];
    snprintf(args, sizeof args, "run hierarchy --scale quick --threads 2 --out %s", clean);
    cr_assert(sh(NULL, args, err, sizeof err) == 0, "%s", err);
    const char *faults[] = {"cells:1", "cells:200", "reduce", "publish"};
    const int reused_min[] = {1, 200, 789, 789};
    for (int k = 0; k < 4; k++) {
        char d[256], env[64];
        testutil_outdir(d, sizeof d);
        snprintf(args, sizeof args, "run hierarchy --scale quick --threads 2 --out %s", d);
        snprintf(env, sizeof env, "DEEPCHEAP_FAULT=%s", faults[k]);
        cr_assert(sh(env, args, err, sizeof err) == 128 + 9, "fault %s: not killed", faults[k]);
        cr_assert(exists("%s/sets/hierarchy%s", d, "") == 0, "fault %s: a set was published", faults[k]);
        cr_assert(sh(NULL, args, err, sizeof err) == 0, "fault %s: rerun failed: %s", faults[k], err);
        char v[64];
        cr_assert(run_manifest_get(v, sizeof v, d, "hierarchy", "cells_reused") == 0);
        cr_assert(atoi(v) >= reused_min[k], "fault %s: only %s cells reused", faults[k], v);
        same_hierarchy(clean, d, faults[k]);
        nothing_left(d, faults[k]);
        testutil_cleanup(d);
    }
    testutil_cleanup(clean);
}

/* SIGTERM and SIGINT: the handler removes the staging directory and temp files. */
Test(run, interrupted_leaves_nothing_behind, .init = setup, .fini = teardown, .timeout = 300)
{
    const char *faults[] = {"cells:50:TERM", "publish:TERM", "reduce:INT"};
    for (int k = 0; k < 3; k++) {
        char args[512], env[64], err[4096];
        snprintf(args, sizeof args, "run hierarchy --scale quick --threads 2 --out %s", dir);
        snprintf(env, sizeof env, "DEEPCHEAP_FAULT=%s", faults[k]);
        int rc = sh(env, args, err, sizeof err);
        cr_assert(rc == 128 + 15 || rc == 128 + 2, "fault %s: exit %d", faults[k], rc);
        cr_assert(exists("%s/sets/hierarchy%s", dir, "") == 0, "fault %s published", faults[k]);
        nothing_left(dir, faults[k]);
    }
}

/* A second run into an OUT where the experiment is being run refuses with
 * one line and exit 1; the first run's set is then whole. */
Test(run, concurrent_runs_never_mix, .init = setup, .fini = teardown, .timeout = 300)
{
    int fd;
    cr_assert(run_lock_experiment(&fd, dir, "hierarchy") == 0);
    char args[512], err[4096];
    snprintf(args, sizeof args, "run hierarchy --scale quick --seed 2 --out %s", dir);
    cr_assert(sh(NULL, args, err, sizeof err) == 1, "the second run did not refuse: %s", err);
    cr_assert(strstr(err, "another process") != NULL && strchr(err, '\n') == err + strlen(err) - 1, "%s", err);
    close(fd);
    /* two real processes with different seeds at once: each set is one seed's, whole */
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "(%s run hierarchy --scale quick --seed 1 --out %s & %s run hierarchy --scale quick --seed 2 --out %s; wait) >/dev/null 2>&1",
             bin(), dir, bin(), dir);
    cr_assert(system(cmd) != -1);
    char seed[16];
    cr_assert(run_manifest_get(seed, sizeof seed, dir, "hierarchy", "seed") == 0);
    const exp_entry *e = experiments_find("hierarchy");
    char list[1024];
    snprintf(list, sizeof list, "%s", e->data);
    for (char *save = NULL, *w = strtok_r(list, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        char path[512], line[256], want[32];
        snprintf(path, sizeof path, "%s/data/%s", dir, w);
        snprintf(want, sizeof want, "# seed %s\n", seed);
        FILE *f = fopen(path, "r");
        int ok = 0;
        while (f && fgets(line, sizeof line, f)) ok |= strcmp(line, want) == 0;
        if (f) fclose(f);
        cr_assert(ok, "%s is not from seed %s like the manifest", w, seed);
    }
}

Test(run, shards_merge_to_the_whole_run, .timeout = 300)
{
    testutil_check_shards("hierarchy", 3);
}

/* merge refuses shards of two seeds, a missing shard and a doubled one:
 * one line, exit 1, nothing published. */
Test(run, merge_refuses_inconsistent_shards, .init = setup, .fini = teardown, .timeout = 300)
{
    char s[4][256], args[2048], err[4096];
    for (int k = 0; k < 4; k++) {
        testutil_outdir(s[k], sizeof s[k]);
        snprintf(args, sizeof args, "run hierarchy --scale quick --threads 1 --shard %d/3 --seed %d --out %s",
                 k < 3 ? k + 1 : 1, k < 3 ? 1 : 2, s[k]);
        cr_assert(sh(NULL, args, err, sizeof err) == 0, "%s", err);
    }
    const char *cases[3][2] = {{"%s %s %s", "seed"}, {"%s %s", "missing"}, {"%s %s %s %s", "doubled"}};
    const char *dirs[3][4] = {{s[3], s[1], s[2]}, {s[0], s[1]}, {s[0], s[1], s[2], s[2]}};
    for (int k = 0; k < 3; k++) {
        char list[1200];
        snprintf(list, sizeof list, cases[k][0], dirs[k][0], dirs[k][1], dirs[k][2], dirs[k][3]);
        snprintf(args, sizeof args, "merge hierarchy %s --out %s", list, dir);
        cr_assert(sh(NULL, args, err, sizeof err) == 1, "case %s: %s", cases[k][1], err);
        cr_assert(strstr(err, cases[k][1]) != NULL, "case %s: %s", cases[k][1], err);
        cr_assert(strchr(err, '\n') == err + strlen(err) - 1, "case %s: not one line: %s", cases[k][1], err);
        cr_assert(exists("%s/sets/hierarchy%s", dir, "") == 0, "case %s published", cases[k][1]);
    }
    for (int k = 0; k < 4; k++) testutil_cleanup(s[k]);
}

/* The ledger refuses verdicts from different seeds, names the odd one out,
 * and says so when OUT holds no results. */
Test(run, claims_refuses_mixed_results, .init = setup, .fini = teardown, .timeout = 300)
{
    char args[512], err[4096];
    snprintf(args, sizeof args, "run hierarchy --scale quick --out %s", dir);
    cr_assert(sh(NULL, args, err, sizeof err) == 0, "%s", err);
    snprintf(args, sizeof args, "run count-params --scale quick --seed 7 --out %s", dir);
    cr_assert(sh(NULL, args, err, sizeof err) == 0, "%s", err);
    snprintf(args, sizeof args, "claims --out %s", dir);
    cr_assert(sh(NULL, args, err, sizeof err) == 1);
    cr_assert(strstr(err, "mixed") && (strstr(err, "count-params") || strstr(err, "hierarchy")), "%s", err);
    cr_assert(strchr(err, '\n') == err + strlen(err) - 1, "not one line: %s", err);
    cr_assert(sh(NULL, "claims --out /nonexistent/deepcheap", err, sizeof err) == 1);
    cr_assert(strstr(err, "no verdicts in /nonexistent/deepcheap") != NULL, "%s", err);
}

/* An unwritable --out is refused before any computation. */
Test(run, unwritable_out_refused_first)
{
    char err[4096];
    cr_assert(sh(NULL, "run hierarchy --scale full --out /proc/deepcheap-nope", err, sizeof err) == 1);
    cr_assert(strstr(err, "/proc/deepcheap-nope") != NULL, "%s", err);
}

/* `deepcheap slurm` without --submit writes the array and the merge job:
 * every #SBATCH directive before the first command (sbatch stops reading
 * there), the array over the tasks, the merge depending on nothing but its
 * submission; a benchmark and --tasks 0 are refused. */
Test(run, slurm_writes_the_jobs, .init = setup, .fini = teardown)
{
    char args[512], err[4096], path[600];
    snprintf(args, sizeof args, "slurm hierarchy --tasks 3 --scale quick --threads 2 --out %s", dir);
    cr_assert(sh(NULL, args, err, sizeof err) == 0, "%s", err);
    const char *files[2] = {"array.sbatch", "merge.sbatch"};
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/slurm/hierarchy/%s", dir, files[k]);
        FILE *f = fopen(path, "r");
        cr_assert(f != NULL, "%s not written", path);
        char line[4096];
        int commands = 0, late = 0, array = 0, shard = 0, merge = 0;
        while (fgets(line, sizeof line, f)) {
            if (strncmp(line, "#SBATCH", 7) == 0) late += commands > 0;
            else if (line[0] != '#' && line[0] != '\n') commands++;
            array += strstr(line, "#SBATCH --array=0-2") != NULL;
            shard += strstr(line, "--shard \"$k/3\"") != NULL;
            merge += strstr(line, " merge 'hierarchy'") != NULL && strstr(line, "/shard-3'") != NULL;
        }
        fclose(f);
        cr_assert(late == 0, "%s: a directive after a command", files[k]);
        if (k == 0) cr_assert(array == 1 && shard == 1, "%s: array %d, shard %d", files[k], array, shard);
        else cr_assert(merge == 1, "%s: no merge of the three shards", files[k]);
    }
    snprintf(args, sizeof args, "slurm bench-nn --tasks 3 --out %s", dir);
    cr_assert(sh(NULL, args, err, sizeof err) == 2, "%s", err);
    snprintf(args, sizeof args, "slurm hierarchy --tasks 0 --out %s", dir);
    cr_assert(sh(NULL, args, err, sizeof err) == 2, "%s", err);
}
