/* claims: the registry covers the spec; verdict files round-trip; the
 * ledger flags mismatches and corrupt files. */
#include "binio.h"
#include "claims.h"
#include "run.h"
#include "testutil.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

static char dir[256];

static void setup(void) { testutil_outdir(dir, sizeof dir); }
static void teardown(void) { testutil_cleanup(dir); }

Test(claims, every_spec_id_is_registered)
{
    FILE *f = fopen("../shared/CLAIMS.md", "r");
    if (!f) cr_skip_test("../shared/CLAIMS.md not beside the checkout");
    char line[4096];
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        /* claim IDs appear as **XX-N** at the start of a bullet */
        char *p = strstr(line, "- **");
        if (!p) continue;
        char id[16];
        if (sscanf(p + 4, "%15[A-Z]-%*d", id) != 1) continue;
        int num;
        if (sscanf(p + 4 + strlen(id), "-%d", &num) != 1) continue;
        char full[32];
        snprintf(full, sizeof full, "%s-%d", id, num);
        cr_assert(claims_find(full) != NULL, "claim %s of CLAIMS.md is not registered", full);
        found++;
    }
    fclose(f);
    cr_assert(found >= 30, "only %d IDs parsed from CLAIMS.md", found);
}

Test(claims, registry_is_well_formed)
{
    size_t n;
    const claims_entry *r = claims_registry(&n);
    for (size_t i = 0; i < n; i++) {
        cr_assert(r[i].chapter >= 1 && r[i].chapter <= 7, "%s", r[i].id);
        cr_assert(r[i].location[0] && r[i].statement[0] && r[i].check[0], "%s", r[i].id);
        for (size_t j = 0; j < i; j++) cr_assert(strcmp(r[i].id, r[j].id) != 0, "duplicate %s", r[i].id);
    }
}

Test(claims, verdict_names_round_trip)
{
    for (int v = 0; v < CLAIMS_NVERDICTS; v++) {
        claims_verdict w;
        cr_assert(claims_verdict_parse(claims_verdict_name((claims_verdict)v), &w) == 0);
        cr_assert(w == (claims_verdict)v);
    }
    claims_verdict w;
    cr_assert(claims_verdict_parse("maybe", &w) != 0);
}

/* A result set of a made-up experiment in dir. */
static void open_set(run_set *set)
{
    run_prov p;
    memset(&p, 0, sizeof p);
    snprintf(p.experiment, sizeof p.experiment, "unit-test");
    snprintf(p.scale, sizeof p.scale, "quick");
    snprintf(p.commit, sizeof p.commit, "0123456789ab");
    p.seed = 1, p.threads = 1, p.chapter = 1;
    cr_assert(run_set_init(set, dir, &p, "") == 0);
}

Test(claims, emit_and_read_back, .init = setup, .fini = teardown)
{
    run_set set;
    open_set(&set);
    cr_assert(claims_emit(&set, "LT-1", CLAIMS_REPRODUCED, "diff 1e-15", "exact", "note") == 0);
    cr_assert(run_publish(&set, "", "LT-1", NULL) == 0);
    run_set_clear(&set);
    claims_row row;
    claims_read(&row, claims_find("LT-1"), dir);
    cr_assert(row.present && !row.corrupt && row.verdict == CLAIMS_REPRODUCED);
    cr_assert(strcmp(row.measured, "diff 1e-15") == 0);
    /* refused: unknown ID, pending, tab in a field; each marks the set failed */
    const struct { const char *id; claims_verdict v; const char *m; } bad[] = {
        {"NO-SUCH", CLAIMS_REPRODUCED, ""}, {"LT-1", CLAIMS_PENDING, ""}, {"LT-1", CLAIMS_PARTLY, "two\tfields"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        open_set(&set);
        cr_assert(claims_emit(&set, bad[i].id, bad[i].v, bad[i].m, "", "") != 0, "case %zu accepted", i);
        cr_assert(set.failed, "case %zu did not mark the set failed", i);
        cr_assert(run_publish(&set, "", "LT-1", NULL) != 0, "case %zu: a failed set was published", i);
        run_set_clear(&set);
    }
}

Test(claims, corrupt_and_foreign_files_are_flagged, .init = setup, .fini = teardown)
{
    char path[512];
    snprintf(path, sizeof path, "%s/verdicts", dir);
    cr_assert(binio_mkdirs(path) == 0);
    const char *bodies[] = {
        "garbage\n",
        "id\tverdict\tmeasured\tpaper\tnote\nLT-2\treproduced\tx\ty\tz\n", /* wrong ID */
        "id\tverdict\tmeasured\tpaper\tnote\nLT-1\tsuperb\tx\ty\tz\n",     /* bad verdict */
        "id\tverdict\tmeasured\tpaper\tnote\n",                              /* truncated */
    };
    for (size_t t = 0; t < sizeof bodies / sizeof bodies[0]; t++) {
        snprintf(path, sizeof path, "%s/verdicts/LT-1.tsv", dir);
        FILE *f = fopen(path, "w");
        fputs(bodies[t], f);
        fclose(f);
        claims_row row;
        claims_read(&row, claims_find("LT-1"), dir);
        cr_assert(row.corrupt && !row.ok && !row.present, "body %zu accepted", t);
    }
}

Test(claims, ledger_counts_mismatches, .init = setup, .fini = teardown)
{
    size_t n;
    const claims_entry *r = claims_registry(&n);
    /* emit every expected verdict: no mismatch */
    run_set set;
    char ids[2048] = "";
    open_set(&set);
    for (size_t i = 0; i < n; i++)
        if (claims_expected(&r[i], "quick") != CLAIMS_PENDING) { /* the set is quick scale */
            cr_assert(claims_emit(&set, r[i].id, claims_expected(&r[i], "quick"), "m", "p", "") == 0);
            snprintf(ids + strlen(ids), sizeof ids - strlen(ids), " %s", r[i].id);
        }
    cr_assert(run_publish(&set, "", ids, NULL) == 0);
    run_set_clear(&set);
    FILE *devnull = fopen("/dev/null", "w");
    char tex[512];
    snprintf(tex, sizeof tex, "%s/ledger.tex", dir);
    cr_assert(claims_ledger(devnull, dir, tex) == 0);
    /* flip one implemented claim, and give a pending claim a verdict */
    const claims_entry *impl = NULL, *pend = NULL;
    for (size_t i = 0; i < n; i++) {
        if (r[i].expected != CLAIMS_PENDING && r[i].expected != CLAIMS_NOT_REPRODUCED && !impl) impl = &r[i];
        if (r[i].expected == CLAIMS_PENDING && !pend) pend = &r[i];
    }
    int want = 0;
    open_set(&set);
    ids[0] = 0;
    for (size_t i = 0; i < n; i++) {
        claims_verdict v = &r[i] == impl ? CLAIMS_NOT_REPRODUCED : &r[i] == pend ? CLAIMS_REPRODUCED
                                                                          : claims_expected(&r[i], "quick");
        if (v == CLAIMS_PENDING) continue;
        cr_assert(claims_emit(&set, r[i].id, v, "", "", "") == 0);
        snprintf(ids + strlen(ids), sizeof ids - strlen(ids), " %s", r[i].id);
    }
    want = (impl != NULL) + (pend != NULL);
    cr_assert(run_publish(&set, "", ids, NULL) == 0);
    run_set_clear(&set);
    cr_assert(claims_ledger(devnull, dir, NULL) == want);
    fclose(devnull);
}
