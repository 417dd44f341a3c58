/* One source of truth for claims: the registry (src/claims.c), the claims
 * column of bench/experiments.def, the IDs of ../shared/CLAIMS.md, the IDs
 * the experiments emit (claims_emit literals in bench/) and the chapters'
 * \verdict{} calls all name the same claims.  Reads the source tree, so it
 * runs from the repository root (as `make test` does). */
#include "claims.h"
#include "experiments.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXIDS 128

typedef struct {
    char id[MAXIDS][24];
    int n;
} idset;

static void add(idset *s, const char *id)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->id[i], id) == 0) return;
    cr_assert(s->n < MAXIDS);
    snprintf(s->id[s->n++], sizeof s->id[0], "%s", id);
}

static int has(const idset *s, const char *id)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->id[i], id) == 0) return 1;
    return 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = 0;
    fclose(f);
    return s;
}

/* Adds every claim ID that follows `prefix` (e.g. `\verdict{`) in the files matching pattern. */
static int collect(idset *s, const char *pattern, const char *prefix)
{
    glob_t g;
    int files = 0;
    if (glob(pattern, 0, NULL, &g) != 0) return 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char *text = slurp(g.gl_pathv[i]);
        if (!text) continue;
        files++;
        for (char *p = strstr(text, prefix); p; p = strstr(p + 1, prefix)) {
            /* an ID: capitals, a dash, then capitals or digits (LT-1, BP-KL) */
            const char *q = p + strlen(prefix);
            size_t a = strspn(q, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
            size_t b = a && q[a] == '-' ? strspn(q + a + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") : 0;
            if (b == 0 || a + 1 + b > 23) continue;
            char id[24];
            snprintf(id, sizeof id, "%.*s", (int)(a + 1 + b), q);
            add(s, id);
        }
        free(text);
    }
    globfree(&g);
    return files;
}

static void registry(idset *s)
{
    size_t n;
    const claims_entry *r = claims_registry(&n);
    s->n = 0;
    for (size_t i = 0; i < n; i++) add(s, r[i].id);
}

/* Every registered claim is decided by exactly one experiment, and every
 * ID in the claims column is registered. */
Test(agreement, experiments_def_covers_the_registry_once)
{
    idset reg;
    registry(&reg);
    size_t ne;
    const exp_entry *e = experiments_list(&ne);
    for (int i = 0; i < reg.n; i++) {
        int owners = 0;
        for (size_t k = 0; k < ne; k++) {
            char list[512];
            snprintf(list, sizeof list, " %s ", e[k].claims);
            char want[32];
            snprintf(want, sizeof want, " %s ", reg.id[i]);
            owners += strstr(list, want) != NULL;
        }
        cr_assert(owners == 1, "%s is decided by %d experiments", reg.id[i], owners);
    }
    for (size_t k = 0; k < ne; k++) {
        char list[512];
        snprintf(list, sizeof list, "%s", e[k].claims);
        for (char *save = NULL, *w = strtok_r(list, " ", &save); w; w = strtok_r(NULL, " ", &save))
            cr_assert(has(&reg, w), "experiments.def: %s names unregistered claim %s", e[k].name, w);
    }
}

/* The IDs bench/ decides, by claims_emit literals or registered verdict
 * functions, are exactly the registry. */
Test(agreement, emitted_ids_are_the_registry)
{
    idset reg, emitted = {.n = 0};
    registry(&reg);
    int files = collect(&emitted, "bench/*.c", "claims_emit(set, \"");
    /* claims decided by a verdict function of the data (bench/verdicts.def) */
    collect(&emitted, "bench/verdicts.def", "VERDICT(\"");
    cr_assert(files > 5, "bench/ not found: run from the repository root");
    for (int i = 0; i < emitted.n; i++) cr_assert(has(&reg, emitted.id[i]), "bench/ emits unregistered %s", emitted.id[i]);
    for (int i = 0; i < reg.n; i++) cr_assert(has(&emitted, reg.id[i]), "no claims_emit in bench/ names %s", reg.id[i]);
}

/* Each chapter states each of its claims' verdicts with \verdict{ID}, and
 * names no unregistered claim. */
Test(agreement, chapters_state_every_verdict)
{
    idset reg, stated = {.n = 0};
    registry(&reg);
    cr_assert(collect(&stated, "chapters/*.tex", "\\verdict{") > 5, "chapters/ not found");
    for (int i = 0; i < stated.n; i++) cr_assert(has(&reg, stated.id[i]), "a chapter states unregistered %s", stated.id[i]);
    for (int i = 0; i < reg.n; i++) cr_assert(has(&stated, reg.id[i]), "no chapter states \\verdict{%s}", reg.id[i]);
}

/* CLAIMS.md (beside the checkout) and the registry name the same claims,
 * apart from the registry's beyond-the-papers BP-* checks. */
Test(agreement, claims_md_is_the_registry)
{
    char *text = slurp("../shared/CLAIMS.md");
    if (!text) cr_skip_test("../shared/CLAIMS.md not beside the checkout");
    free(text);
    idset reg, spec = {.n = 0};
    registry(&reg);
    collect(&spec, "../shared/CLAIMS.md", "- **");
    cr_assert(spec.n >= 30, "only %d IDs parsed from CLAIMS.md", spec.n);
    for (int i = 0; i < spec.n; i++) cr_assert(has(&reg, spec.id[i]), "CLAIMS.md %s is not registered", spec.id[i]);
    for (int i = 0; i < reg.n; i++)
        if (strncmp(reg.id[i], "BP-", 3) != 0) cr_assert(has(&spec, reg.id[i]), "registered %s is not in CLAIMS.md", reg.id[i]);
}

/* Experiment names are unique (experiments.def merges as a union: a line
 * changed on two branches comes back twice). */
Test(agreement, experiment_names_unique)
{
    size_t ne;
    const exp_entry *e = experiments_list(&ne);
    for (size_t i = 0; i < ne; i++)
        for (size_t j = 0; j < i; j++) cr_assert(strcmp(e[i].name, e[j].name) != 0, "experiment %s is registered twice", e[i].name);
}
