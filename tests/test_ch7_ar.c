/* Chapter 7, ar-fidelity at quick scale: the whole run (2 threads) and
 * three merged 1-thread shards give the same data; and, from one run, the
 * product state (an easy target) is learnt by every width, the models beat baseline (b) on Haar, the
 * fidelity never exceeds 1, and every learning curve is as long as the
 * model's epoch count. */
#include "testutil.h"
#include "tsv.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static char dir[256];

static void setup(void) { testutil_outdir(dir, sizeof dir); }
static void teardown(void) { testutil_cleanup(dir); }

/* about 40 s of CPU at quick scale (45 MADEs, twice) */
Test(ch7ar, shards, .timeout = 600) { testutil_check_shards("ar-fidelity", 3); }

static void load(tsv_table *t, const char *name)
{
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/data/%s", dir, name);
    cr_assert(eq(int, tsv_load(t, path, err, sizeof err), 0), "%s: %s", name, err);
}

Test(ch7ar, controls, .init = setup, .fini = teardown, .timeout = 600)
{
    testutil_run(dir, "ar-fidelity", 1, 2);
    tsv_table f, b, c, l;
    load(&f, "ar_fidelity.tsv");
    load(&b, "ar_baselines.tsv");
    load(&c, "ar_cells.tsv");
    load(&l, "ar_curve.tsv");
    int cc = tsv_col(&f, "class"), cF = tsv_col(&f, "F_mean"), cE = tsv_col(&f, "F_err");
    int bc = tsv_col(&b, "class"), bm = tsv_col(&b, "marginals");
    cr_assert(cc >= 0 && cF >= 0 && cE >= 0 && bc >= 0 && bm >= 0);
    double fb_haar = NAN;
    for (int i = 0; i < b.nrows; i++)
        if (!strcmp(tsv_str(&b, i, bc), "haar")) fb_haar = tsv_num(&b, i, bm);
    int nprod = 0, haar_above = 0;
    for (int i = 0; i < f.nrows; i++) {
        const char *k = tsv_str(&f, i, cc);
        double F = tsv_num(&f, i, cF), se = tsv_num(&f, i, cE);
        cr_assert(F > 0 && F <= 1 + 1e-6, "row %d: F = %g", i, F);
        if (!strcmp(k, "product")) {
            nprod++;
            cr_assert(F > 0.99, "product state not learnt: F = %g", F);
        }
        if (!strcmp(k, "haar")) haar_above += F - 2 * se > fb_haar;
    }
    cr_assert(eq(int, nprod, 3));
    cr_assert(haar_above >= 1, "no MADE beats baseline (b) = %g on the Haar state", fb_haar);
    /* every model's curve has as many rows as its epochs */
    int ce = tsv_col(&c, "epochs"), le = tsv_col(&l, "epoch");
    cr_assert(ce >= 0 && le >= 0);
    double epochs = 0;
    for (int i = 0; i < c.nrows; i++) epochs += tsv_num(&c, i, ce);
    cr_assert(eq(int, (int)epochs, l.nrows), "curve rows %d, epochs %g", l.nrows, epochs);
    tsv_clear(&f), tsv_clear(&b), tsv_clear(&c), tsv_clear(&l);
}
