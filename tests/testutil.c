#include "testutil.h"

#include "claims.h"

#include <criterion/criterion.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void testutil_outdir(char *dir, size_t n)
{
    snprintf(dir, n, "/tmp/deepcheap-test-XXXXXX");
    cr_assert(mkdtemp(dir) != NULL);
}

void testutil_cleanup(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert(system(cmd) == 0);
    omp_set_num_threads(1);
}

void testutil_expect_verdict(const char *dir, const char *id)
{
    claims_row row;
    const claims_entry *c = claims_find(id);
    cr_assert(c != NULL, "%s is not registered", id);
    claims_read(&row, c, dir);
    cr_assert(row.present, "%s: no verdict written", id);
    claims_verdict want = claims_expected(c, row.scale); /* the verdict expected at the run's scale */
    cr_assert(row.verdict == want, "%s: computed %s, registry expects %s at %s scale (%s)", id,
              claims_verdict_name(row.verdict), claims_verdict_name(want), row.scale, row.measured);
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

/* The file's text without '# date' lines (binary-safe for data without such lines). */
static char *read_without_dates(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *out = NULL, *line = NULL;
    size_t cap = 0, len = 0;
    FILE *m = open_memstream(&out, &len);
    ssize_t r;
    while ((r = getline(&line, &cap, f)) > 0)
        if (strncmp(line, "# date ", 7) != 0) fwrite(line, 1, (size_t)r, m);
    free(line);
    fclose(f);
    fclose(m);
    *n = len;
    return out;
}

int testutil_same_file(const char *a, const char *b)
{
    size_t na, nb;
    char *x = read_without_dates(a, &na), *y = read_without_dates(b, &nb);
    int same = x && y && na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

void testutil_check_shards_verdict(const char *experiment, int nshards, const char *id)
{
    const exp_entry *e = experiments_find(experiment);
    cr_assert(e != NULL, "no experiment %s", experiment);
    char whole[256], merged[256], shard[8][256];
    cr_assert(nshards >= 2 && nshards <= 8);
    testutil_outdir(whole, sizeof whole);
    testutil_outdir(merged, sizeof merged);
    if (!TESTUTIL_SANITIZED) testutil_run(whole, experiment, 1, 2);
    const char *dirs[8];
    for (int k = 0; k < nshards; k++) {
        testutil_outdir(shard[k], sizeof shard[k]);
        exp_run_opts o = {0};
        o.ctx.scale = EXP_QUICK;
        o.ctx.seed = 1;
        o.ctx.threads = 1;
        o.out = shard[k];
        o.shard_k = k + 1;
        o.shard_n = nshards;
        omp_set_num_threads(1);
        cr_assert(experiments_run(e, &o) == 0, "%s: shard %d/%d failed", experiment, k + 1, nshards);
        dirs[k] = shard[k];
    }
    exp_run_opts m = {0};
    m.ctx.threads = 2;
    m.out = merged;
    omp_set_num_threads(2);
    cr_assert(experiments_merge(e, dirs, nshards, &m) == 0, "%s: merge of %d shards failed", experiment, nshards);
    omp_set_num_threads(1);
    /* every declared data file, and every verdict */
    char list[2048];
    snprintf(list, sizeof list, "%s %s", e->data, e->claims);
    int files = 0;
    for (char *save = NULL, *w = strtok_r(list, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        char a[512], b[512];
        int is_claim = strchr(w, '.') == NULL;
        snprintf(a, sizeof a, "%s/%s/%s%s", whole, is_claim ? "verdicts" : "data", w, is_claim ? ".tsv" : "");
        snprintf(b, sizeof b, "%s/%s/%s%s", merged, is_claim ? "verdicts" : "data", w, is_claim ? ".tsv" : "");
        if (TESTUTIL_SANITIZED) {
            struct stat st;
            cr_assert(stat(b, &st) == 0 && st.st_size > 0, "%s: %s missing or empty after merging %d shards",
                      experiment, w, nshards);
        } else {
            cr_assert(testutil_same_file(a, b), "%s: %s differs between the whole run and %d merged shards",
                      experiment, w, nshards);
        }
        files++;
    }
    cr_assert(files > 0);
    if (id) testutil_expect_verdict(TESTUTIL_SANITIZED ? merged : whole, id);
    testutil_cleanup(whole);
    testutil_cleanup(merged);
    for (int k = 0; k < nshards; k++) testutil_cleanup(shard[k]);
}

void testutil_check_shards(const char *experiment, int nshards)
{
    testutil_check_shards_verdict(experiment, nshards, NULL);
}

void testutil_decide(vd_result *r, vd_fn fn, const char *dir, const claims_printed *pr, size_t npr, const char *what)
{
    vd_data d;
    vd_data_init(&d, dir);
    d.printed_override = pr, d.nprinted_override = npr;
    memset(r, 0, sizeof *r);
    int rc = fn(r, &d);
    char err[sizeof d.err];
    snprintf(err, sizeof err, "%s", d.err);
    vd_data_clear(&d);
    cr_assert(rc == 0, "%s: the verdict function could not decide from %s: %s", what, dir, err);
}

int testutil_same_rbm_deep(const rbm_deep *a, const rbm_deep *b)
{
    if (a->kind != b->kind || a->nl != b->nl) return 0;
    for (int l = 0; l < a->nl; l++) {
        const rbm_model *x = &a->layer[l], *y = &b->layer[l];
        if (x->nv != y->nv || x->nh != y->nh || memcmp(x->W, y->W, (size_t)x->nv * x->nh * 4) ||
            memcmp(x->b, y->b, (size_t)x->nv * 4) || memcmp(x->c, y->c, (size_t)x->nh * 4))
            return 0;
    }
    return 1;
}
