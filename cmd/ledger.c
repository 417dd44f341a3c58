#include "ledger.h"

#include "binio.h"
#include "claims.h"
#include "experiments.h"
#include "run.h"
#include "verdicts.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ledger_has_verdicts(const char *out)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/verdicts", out);
    DIR *d = opendir(path);
    int any = 0;
    struct dirent *de;
    while (d && !any && (de = readdir(d))) any = de->d_name[0] != '.';
    if (d) closedir(d);
    return any;
}

int ledger_check_provenance(const char *out)
{
    size_t n;
    const exp_entry *t = experiments_list(&n);
    char seed0[32] = "", scale0[16] = "", who0[64] = "", odd[1024] = "", stale[1024] = "";
    int have = 0;
    for (size_t i = 0; i < n; i++) {
        if (!t[i].claims[0]) continue;
        char seed[32], scale[16], src[64];
        if (run_manifest_get(seed, sizeof seed, out, t[i].name, "seed") != 0) continue;
        if (run_manifest_get(scale, sizeof scale, out, t[i].name, "scale") != 0) scale[0] = 0;
        if (run_manifest_get(src, sizeof src, out, t[i].name, "sources") != 0) src[0] = 0;
        if (!have++) {
            snprintf(seed0, sizeof seed0, "%s", seed);
            snprintf(scale0, sizeof scale0, "%s", scale);
            snprintf(who0, sizeof who0, "%s", t[i].name);
        } else if (strcmp(seed, seed0) || strcmp(scale, scale0)) {
            size_t l = strlen(odd);
            snprintf(odd + l, sizeof odd - l, "%s%s (seed %s, %s)", l ? ", " : "", t[i].name, seed, scale);
        }
        if (strcmp(src, experiments_sources(t[i].name)) != 0) {
            size_t l = strlen(stale);
            snprintf(stale + l, sizeof stale - l, "%s%s", l ? ", " : "", t[i].name);
        }
    }
    if (odd[0]) {
        fprintf(stderr, "deepcheap claims: mixed results in %s: %s differ from %s (seed %s, %s)\n", out, odd, who0,
                seed0, scale0);
        return -1;
    }
    if (stale[0]) {
        fprintf(stderr, "deepcheap claims: stale results in %s: %s ran other sources than this program; rerun them\n",
                out, stale);
        return -1;
    }
    return 0;
}

int ledger_detail(const char *id)
{
    const claims_entry *c = claims_find(id);
    if (!c) {
        fprintf(stderr, "deepcheap claims: --detail '%s': no such claim (see 'deepcheap claims')\n", id);
        return 2;
    }
    printf("key\tvalue\nid\t%s\nchapter\t%d\nlocation\t%s\nstatement\t%s\ncheck\t%s\nexpected\t%s\n", c->id,
           c->chapter, c->location, c->statement, c->check, claims_verdict_name(c->expected));
    size_t ne;
    const exp_entry *e = experiments_list(&ne);
    for (size_t i = 0; i < ne; i++) {
        char list[512];
        snprintf(list, sizeof list, " %s ", e[i].claims);
        char want[32];
        snprintf(want, sizeof want, " %s ", id);
        if (strstr(list, want)) printf("experiment\t%s\n", e[i].name);
    }
    printf("verdict_function\t%s\n", verdicts_find(id) ? "yes" : "no (decided inside its reduce step)");
    for (int k = 0;; k++) {
        const claims_printed *p = claims_printed_get(id, k);
        if (!p) break;
        printf("printed\t%s\nprinted_where\t%s\n", p->quote, p->where);
        if (!isnan(p->value)) printf("printed_value\t%.17g\n", p->value);
        if (p->value_text && p->value_text[0]) printf("printed_text\t%s\n", p->value_text);
    }
    const claims_prereg *r = claims_prereg_find(id);
    if (r)
        printf("hypotheses\t%s\ntest\t%s\nalpha\t%s\nmargin\t%s\nunit\t%s\nrepetitions\t%s\npositive_control\t%s\n"
               "convergence\t%s\nchanged_after_results\t%s\n",
               r->hypotheses, r->test, r->alpha, r->margin, r->unit, r->reps, r->control, r->convergence,
               r->changed[0] ? r->changed : "no");
    else if (strcmp(c->check, "statistical") == 0)
        printf("preregistration\tmissing\n");
    return 0;
}

int ledger_values(const char *out)
{
    size_t n;
    const claims_entry *reg = claims_registry(&n);
    printf("id\tname\tvalue\ttol\n");
    for (size_t i = 0; i < n; i++) {
        claims_row row;
        claims_read(&row, &reg[i], out);
        for (int k = 0; k < row.nvalues; k++)
            printf("%s\t%s\t%.17g\t%.17g\n", reg[i].id, row.values[k].name, row.values[k].value, row.values[k].tol);
    }
    return 0;
}

int ledger_compare(const char *out, const char *baseline)
{
    FILE *f = fopen(baseline, "r");
    if (!f) {
        fprintf(stderr, "deepcheap claims: --compare '%s': cannot read it\n", baseline);
        return 1;
    }
    char line[1024];
    int moved = 0, rows = 0, header = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        line[strcspn(line, "\r\n")] = 0;
        if (!header++) continue; /* the column line */
        char id[32], name[64];
        double base, tol;
        if (sscanf(line, "%31[^\t]\t%63[^\t]\t%lf\t%lf", id, name, &base, &tol) != 4) {
            fprintf(stderr, "deepcheap claims: --compare '%s': bad line '%s'\n", baseline, line);
            fclose(f);
            return 1;
        }
        rows++;
        const claims_entry *c = claims_find(id);
        claims_row row;
        int found = 0;
        double cur = NAN, ctol = 0;
        if (c) {
            claims_read(&row, c, out);
            for (int k = 0; k < row.nvalues; k++)
                if (strcmp(row.values[k].name, name) == 0) found = 1, cur = row.values[k].value, ctol = row.values[k].tol;
        }
        /* the wider of the two tolerances: each run states its own error bar */
        double t = fmax(tol, ctol);
        if (!found) {
            printf("%s\t%s\tmissing (baseline %.6g)\n", id, name, base);
            moved++;
        } else if (!(fabs(cur - base) <= t) && !(isnan(cur) && isnan(base))) {
            printf("%s\t%s\tmoved from %.6g to %.6g (tolerance %.2g)\n", id, name, base, cur, t);
            moved++;
        }
    }
    fclose(f);
    if (moved) {
        fprintf(stderr, "deepcheap claims: %d of %d values moved beyond their tolerance from %s\n", moved, rows,
                baseline);
        return 1;
    }
    return 0;
}

int ledger_verdict(const char *id, const char *out)
{
    const claims_entry *c = claims_find(id);
    if (!c) {
        fprintf(stderr, "deepcheap verdict: '%s': no such claim (see 'deepcheap claims')\n", id);
        return 2;
    }
    if (!verdicts_find(id)) {
        fprintf(stderr, "deepcheap verdict: %s is still decided inside its experiment's reduce step, not from data\n",
                id);
        return 1;
    }
    char data[4200];
    snprintf(data, sizeof data, "%s/data", out);
    vd_result r;
    if (verdicts_decide(&r, id, data) != 0) return 1;
    printf("id\tverdict\tmeasured\tpaper\tnote\n%s\t%s\t%s\t%s\t%s\n", id, claims_verdict_name(r.verdict), r.measured,
           r.paper, r.note);
    claims_row row;
    claims_read(&row, c, out);
    if (row.present && (row.verdict != r.verdict || strcmp(row.measured, r.measured) != 0)) {
        fprintf(stderr, "deepcheap verdict: %s recomputed from %s differs from the published verdict (%s)\n", id, data,
                claims_verdict_name(row.verdict));
        return 1;
    }
    return 0;
}

/* 1 when exp e decides a statistical claim. */
static int statistical(const exp_entry *e)
{
    char list[512];
    snprintf(list, sizeof list, "%s", e->claims);
    for (char *save = NULL, *id = strtok_r(list, " ", &save); id; id = strtok_r(NULL, " ", &save)) {
        const claims_entry *c = claims_find(id);
        if (c && strcmp(c->check, "statistical") == 0) return 1;
    }
    return 0;
}

/* The directory holding seed s of experiment e: OUT when its published set
 * is that seed at this scale and sources, else OUT/stability/seed-s. */
static void seed_dir(char *buf, size_t n, const char *out, const exp_entry *e, uint64_t seed, const char *scale)
{
    char v[64], want[32];
    snprintf(want, sizeof want, "%llu", (unsigned long long)seed);
    int here = run_manifest_get(v, sizeof v, out, e->name, "seed") == 0 && strcmp(v, want) == 0 &&
               run_manifest_get(v, sizeof v, out, e->name, "scale") == 0 && strcmp(v, scale) == 0 &&
               run_manifest_get(v, sizeof v, out, e->name, "sources") == 0 && strcmp(v, experiments_sources(e->name)) == 0;
    if (here) snprintf(buf, n, "%s", out);
    else snprintf(buf, n, "%s/stability/seed-%llu", out, (unsigned long long)seed);
}

/* The rows of an existing stability.tsv whose claim none of the selected
 * experiments decides (kept when only some are rerun). */
static void keep_other_rows(FILE *t, const char *out, const exp_entry *e, size_t ne, const int *sel)
{
    char path[4200], line[2048];
    snprintf(path, sizeof path, "%s/stability.tsv", out);
    FILE *f = fopen(path, "r");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || strncmp(line, "id\t", 3) == 0) continue;
        char id[32];
        if (sscanf(line, "%31[^\t]", id) != 1) continue;
        int mine = 0;
        for (size_t i = 0; i < ne; i++) {
            char list[512], want[40];
            snprintf(list, sizeof list, " %s ", e[i].claims);
            snprintf(want, sizeof want, " %s ", id);
            if (sel[i] && strstr(list, want)) mine = 1;
        }
        if (!mine) fputs(line, t);
    }
    fclose(f);
}

int ledger_stability(const char *out, const int64_t *seeds, int ns, int quick, int threads, const char *srcdir,
                     const char *const *only, int nonly)
{
    const char *scale = quick ? "quick" : "full";
    size_t ne;
    const exp_entry *e = experiments_list(&ne);
    char *text = NULL;
    size_t len = 0;
    FILE *t = open_memstream(&text, &len);
    if (!t) return 1;
    fprintf(t, "# deepcheap stability: each statistical claim at %d seeds, %s scale\n", ns, scale);
    fprintf(t, "id\tscale\tseeds\tverdicts\tagree\tstable\n");
    int sel[256] = {0};
    for (size_t i = 0; i < ne; i++) {
        sel[i] = statistical(&e[i]);
        if (nonly) {
            int named = 0;
            for (int k = 0; k < nonly; k++) named |= strcmp(only[k], e[i].name) == 0;
            sel[i] &= named;
        }
    }
    if (nonly) keep_other_rows(t, out, e, ne, sel);
    int rc = 0;
    for (size_t i = 0; i < ne && rc == 0; i++) {
        if (!sel[i]) continue;
        char dirs[16][4200];
        for (int k = 0; k < ns && rc == 0; k++) {
            seed_dir(dirs[k], sizeof dirs[k], out, &e[i], (uint64_t)seeds[k], scale);
            exp_run_opts o = {0};
            o.ctx.scale = quick ? EXP_QUICK : EXP_FULL;
            o.ctx.seed = (uint64_t)seeds[k];
            o.ctx.threads = threads;
            o.out = dirs[k];
            o.srcdir = srcdir;
            o.if_needed = 1;
            fprintf(stderr, "deepcheap stability: %s seed %lld\n", e[i].name, (long long)seeds[k]);
            rc = experiments_run(&e[i], &o);
        }
        char list[512];
        snprintf(list, sizeof list, "%s", e[i].claims);
        for (char *save = NULL, *id = strtok_r(list, " ", &save); rc == 0 && id; id = strtok_r(NULL, " ", &save)) {
            const claims_entry *c = claims_find(id);
            if (!c || strcmp(c->check, "statistical") != 0) continue;
            claims_verdict v[16] = {CLAIMS_PENDING};
            int agree = 0;
            fprintf(t, "%s\t%s\t", id, scale);
            for (int k = 0; k < ns; k++) fprintf(t, "%s%lld", k ? "," : "", (long long)seeds[k]);
            fputc('\t', t);
            for (int k = 0; k < ns; k++) {
                claims_row row;
                claims_read(&row, c, dirs[k]);
                v[k] = row.verdict;
                fprintf(t, "%s%s", k ? "," : "", claims_verdict_name(v[k]));
            }
            /* the verdict most seeds give, and how many give it */
            claims_verdict best = v[0];
            for (int k = 0; k < ns; k++) {
                int m = 0;
                for (int j = 0; j < ns; j++) m += v[j] == v[k];
                if (m > agree) agree = m, best = v[k];
            }
            fprintf(t, "\t%d/%d\t%s\n", agree, ns, claims_verdict_name(agree == ns ? best : CLAIMS_INCONCLUSIVE));
        }
    }
    fclose(t);
    if (rc == 0) {
        char path[4200];
        snprintf(path, sizeof path, "%s/stability.tsv", out);
        binio_file f;
        rc = binio_file_open(&f, path);
        if (rc == 0) {
            fputs(text, f.f);
            rc = binio_file_commit(&f);
        }
        if (rc == 0) fputs(text, stdout);
    }
    free(text);
    return rc ? 1 : 0;
}

int ledger_json(const char *out)
{
    size_t n;
    claims_row *rows = claims_rows(&n, out);
    cJSON *arr = cJSON_CreateArray();
    if (!rows || !arr) {
        free(rows);
        cJSON_Delete(arr);
        fprintf(stderr, "deepcheap claims: out of memory\n");
        return 1;
    }
    int mismatches = 0;
    for (size_t i = 0; i < n; i++) {
        const claims_row *r = &rows[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "id", r->claim->id);
        cJSON_AddNumberToObject(o, "chapter", r->claim->chapter);
        cJSON_AddStringToObject(o, "location", r->claim->location);
        cJSON_AddStringToObject(o, "statement", r->claim->statement);
        cJSON_AddStringToObject(o, "expected", claims_verdict_name(claims_expected(r->claim, r->scale)));
        cJSON_AddStringToObject(o, "verdict", claims_verdict_name(r->verdict));
        cJSON_AddStringToObject(o, "status", r->ok ? "ok" : r->corrupt ? "corrupt" : "mismatch");
        cJSON_AddStringToObject(o, "scale", r->scale);
        cJSON_AddStringToObject(o, "seed", r->seed);
        if (r->seeds[0]) cJSON_AddStringToObject(o, "seeds", r->seeds);
        cJSON_AddStringToObject(o, "measured", r->measured);
        cJSON_AddStringToObject(o, "paper", r->paper);
        cJSON_AddStringToObject(o, "note", r->note);
        cJSON *vals = cJSON_AddArrayToObject(o, "values");
        for (int k = 0; k < r->nvalues; k++) {
            cJSON *v = cJSON_CreateObject();
            cJSON_AddStringToObject(v, "name", r->values[k].name);
            cJSON_AddNumberToObject(v, "value", r->values[k].value);
            cJSON_AddNumberToObject(v, "tol", r->values[k].tol);
            cJSON_AddItemToArray(vals, v);
        }
        mismatches += !r->ok;
    }
    char *text = cJSON_Print(arr);
    if (text) puts(text);
    cJSON_free(text);
    cJSON_Delete(arr);
    free(rows);
    if (mismatches) fprintf(stderr, "deepcheap claims: %d claim(s) differ from the registry's expected verdict\n", mismatches);
    return mismatches ? 1 : 0;
}
