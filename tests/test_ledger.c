/* The ledger: the seed-stability rule (unanimous seeds keep their verdict,
 * disagreeing seeds make it inconclusive, only at the verdicts' scale), the
 * per-scale expected verdict, and `claims --compare` catching a value that
 * moved beyond its tolerance, on synthetic verdict files. */
#include "claims.h"
#include "ledger.h"
#include "testutil.h"

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char dir[256];

static void setup(void) { testutil_outdir(dir, sizeof dir); }
static void teardown(void) { testutil_cleanup(dir); }

static void write_file(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    char *slash = strrchr(path, '/');
    *slash = 0;
    mkdir(path, 0777);
    *slash = '/';
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "%s", path);
    fputs(text, f);
    fclose(f);
}

/* A verdict file of claim id at scale, with optional value lines. */
static void verdict(const char *id, const char *v, const char *scale, const char *values)
{
    char rel[64], text[2048];
    snprintf(rel, sizeof rel, "verdicts/%s.tsv", id);
    snprintf(text, sizeof text,
             "# deepcheap verdict\n# commit 0123456789ab\n# experiment x\n# seed 1\n# scale %s\n# threads 1\n"
             "id\tverdict\tmeasured\tpaper\tnote\n%s\t%s\tm\tp\tn\n%s",
             scale, id, v, values ? values : "");
    write_file(rel, text);
}

/* The ledger's row for id: verdict, status and seeds columns. */
static void ledger_row(const char *id, char *v, char *status, char *seeds)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    claims_ledger(f, dir, NULL);
    fclose(f);
    char want[32];
    snprintf(want, sizeof want, "\n%s\t", id);
    char *row = strstr(text, want);
    cr_assert(row != NULL, "no ledger row for %s", id);
    /* id chapter expected verdict status seeds ... */
    cr_assert(sscanf(row + 1, "%*[^\t]\t%*[^\t]\t%*[^\t]\t%63[^\t]\t%31[^\t]\t%63[^\t]", v, status, seeds) == 3);
    free(text);
}

Test(ledger, seed_stability_rule, .init = setup, .fini = teardown)
{
    const claims_entry *c = claims_find("RO-3");
    cr_assert(c != NULL);
    const char *expect = claims_verdict_name(claims_expected(c, "quick"));
    char v[64], status[32], seeds[64];
    /* the one seed's verdict, no stability file */
    verdict("RO-3", expect, "quick", NULL);
    ledger_row("RO-3", v, status, seeds);
    cr_assert(strcmp(v, expect) == 0 && strcmp(seeds, "-") == 0, "no stability: %s %s", v, seeds);
    /* unanimous seeds keep it and say so */
    char st[512];
    snprintf(st, sizeof st, "id\tscale\tseeds\tverdicts\tagree\tstable\nRO-3\tquick\t1,2,3\t%s,%s,%s\t3/3\t%s\n", expect,
             expect, expect, expect);
    write_file("stability.tsv", st);
    ledger_row("RO-3", v, status, seeds);
    cr_assert(strcmp(v, expect) == 0 && strcmp(seeds, "3/3 seeds agree") == 0, "unanimous: %s %s", v, seeds);
    /* disagreeing seeds: inconclusive, whatever the one seed said */
    write_file("stability.tsv", "id\tscale\tseeds\tverdicts\tagree\tstable\n"
                                "RO-3\tquick\t1,2,3\tpartly,not-reproduced,partly\t2/3\tinconclusive\n");
    ledger_row("RO-3", v, status, seeds);
    cr_assert(strcmp(v, "inconclusive") == 0 && strcmp(seeds, "2/3 seeds agree") == 0, "split: %s %s", v, seeds);
    /* a stability file of another scale does not apply */
    verdict("RO-3", claims_verdict_name(claims_expected(c, "full")), "full", NULL);
    ledger_row("RO-3", v, status, seeds);
    cr_assert(strcmp(v, claims_verdict_name(claims_expected(c, "full"))) == 0 && strcmp(seeds, "-") == 0,
              "other scale: %s %s", v, seeds);
    cr_assert(strcmp(status, "ok") == 0, "full-scale verdict as expected: %s", status);
}

Test(ledger, compare_catches_a_moved_value, .init = setup, .fini = teardown)
{
    verdict("LT-1", "reproduced", "quick", "value\tmax_diff\t5.7e-15\t1e-13\nvalue\tcount\t300000\t0\n");
    char base[512];
    snprintf(base, sizeof base, "%s/base.tsv", dir);
    FILE *f = fopen(base, "w");
    fputs("# baseline\nid\tname\tvalue\ttol\nLT-1\tmax_diff\t6e-15\t1e-13\nLT-1\tcount\t300000\t0\n", f);
    fclose(f);
    FILE *saved = stdout;
    stdout = fopen("/dev/null", "w");
    int same = ledger_compare(dir, base);
    /* one count off: an exact value moved */
    verdict("LT-1", "reproduced", "quick", "value\tmax_diff\t5.7e-15\t1e-13\nvalue\tcount\t300001\t0\n");
    int moved = ledger_compare(dir, base);
    /* a float beyond its error bar */
    verdict("LT-1", "reproduced", "quick", "value\tmax_diff\t5.7e-12\t1e-13\nvalue\tcount\t300000\t0\n");
    int far = ledger_compare(dir, base);
    /* a value that disappeared */
    verdict("LT-1", "reproduced", "quick", "value\tcount\t300000\t0\n");
    int gone = ledger_compare(dir, base);
    fclose(stdout);
    stdout = saved;
    cr_assert(same == 0, "unchanged values reported");
    cr_assert(moved == 1, "a perturbed exact count was not caught");
    cr_assert(far == 1, "a float beyond its tolerance was not caught");
    cr_assert(gone == 1, "a missing value was not caught");
}

/* claims --json parses back (cJSON) with one object per registered claim,
 * carrying the verdict and the key values of the verdict file. */
Test(ledger, json_parses_back, .init = setup, .fini = teardown)
{
    verdict("LT-1", "reproduced", "quick", "value\tmax_diff\t5.7e-15\t1e-13\n");
    char path[512];
    snprintf(path, sizeof path, "%s/ledger.json", dir);
    FILE *saved = stdout;
    stdout = fopen(path, "w");
    ledger_json(dir);
    fclose(stdout);
    stdout = saved;
    FILE *f = fopen(path, "r");
    char *text = calloc(1, 1 << 20);
    size_t n = fread(text, 1, (1 << 20) - 1, f);
    fclose(f);
    text[n] = 0;
    cJSON *arr = cJSON_Parse(text);
    cr_assert(arr != NULL && cJSON_IsArray(arr), "not JSON: %.200s", text);
    size_t nreg;
    claims_registry(&nreg);
    cr_assert(cJSON_GetArraySize(arr) == (int)nreg, "%d objects for %zu claims", cJSON_GetArraySize(arr), nreg);
    const cJSON *lt1 = NULL, *o;
    cJSON_ArrayForEach(o, arr)
        if (strcmp(cJSON_GetObjectItem(o, "id")->valuestring, "LT-1") == 0) lt1 = o;
    cr_assert(lt1 != NULL);
    cr_assert(strcmp(cJSON_GetObjectItem(lt1, "verdict")->valuestring, "reproduced") == 0);
    const cJSON *v = cJSON_GetArrayItem(cJSON_GetObjectItem(lt1, "values"), 0);
    cr_assert(v && strcmp(cJSON_GetObjectItem(v, "name")->valuestring, "max_diff") == 0 &&
              cJSON_GetObjectItem(v, "value")->valuedouble == 5.7e-15);
    cJSON_Delete(arr);
    free(text);
}

/* Measured strings reach the PDF with their ASCII math typeset: powers and
 * one-letter subscripts as scripts, arrows and relations as symbols, and
 * file names' underscores kept literal. */
Test(ledger, tex_typesets_ascii_math, .init = setup, .fini = teardown)
{
    char text[1024];
    snprintf(text, sizeof text,
             "# deepcheap verdict\n# scale quick\nid\tverdict\tmeasured\tpaper\tnote\n"
             "LT-3\treproduced\tbeta > 2 ln(2*10^D - 1) at T_c, b^(2-2i), x^{-1}; 10^-8 -> 0 <= 1 ~ 2 in rbm_kl.tsv\tp\tn\n");
    write_file("verdicts/LT-3.tsv", text);
    char tex[512];
    snprintf(tex, sizeof tex, "%s/ledger.tex", dir);
    FILE *devnull = fopen("/dev/null", "w");
    claims_ledger(devnull, dir, tex);
    fclose(devnull);
    FILE *f = fopen(tex, "r");
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    buf[n] = 0;
    char *m = strstr(buf, "dcmeasured@LT-3");
    cr_assert(m != NULL);
    m[strcspn(m, "\n")] = 0; /* this claim's macro only */
    const char *want[] = {"10\\textsuperscript{D}", "T\\textsubscript{c}", "b\\textsuperscript{(2-2i)}",
                          "x\\textsuperscript{-1}", "10\\textsuperscript{-8}", "\\ensuremath{\\to}",
                          "\\ensuremath{\\le}", "\\ensuremath{\\sim}", "rbm\\_kl.tsv"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_assert(strstr(m, want[i]) != NULL, "no '%s' in %.300s", want[i], m);
    cr_assert(strstr(m, "\\^{}") == NULL, "a raw caret is left: %.300s", m);
    free(buf);
}
