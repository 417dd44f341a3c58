#include "ch4_util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *ch4_yesno(int b) { return b ? "yes" : "no"; }

int ch4_copy_text(FILE *f, cellio_in *in)
{
    char *text = cellio_get_text(in);
    if (text) fputs(text, f);
    free(text);
    return text ? 0 : -1;
}

int ch4_open_files(binio_file *f, run_set *set, const char *const *names, const char *const *cols, int n)
{
    for (int i = 0; i < n; i++)
        if (run_tsv_open(&f[i], set, names[i], cols[i]) != 0) {
            while (i-- > 0) run_abort_file(set, &f[i]);
            return -1;
        }
    return 0;
}

int ch4_close_files(binio_file *f, run_set *set, int n, int ok)
{
    int rc = ok ? 0 : -1;
    for (int i = 0; i < n; i++) {
        if (ok) rc |= run_close(set, &f[i]);
        else run_abort_file(set, &f[i]);
    }
    return rc;
}

int ch4_cols(vd_data *d, const tsv_table *t, int *c, const char *names)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", names);
    int k = 0;
    for (char *save = NULL, *s = strtok_r(buf, " ", &save); s; s = strtok_r(NULL, " ", &save))
        if ((c[k++] = vd_col(d, t, s)) < 0) return -1;
    return 0;
}

int ch4_yes(const tsv_table *t, int row, int col) { return strcmp(tsv_str(t, row, col), "yes") == 0; }

int ch4_is(const tsv_table *t, int row, int col, const char *s) { return strcmp(tsv_str(t, row, col), s) == 0; }

double ch4_summary(const tsv_table *t, const char *quantity, const char *kase)
{
    int cq = tsv_col(t, "quantity"), cc = tsv_col(t, "case"), cv = tsv_col(t, "value");
    if (cq < 0 || cc < 0 || cv < 0) return NAN;
    for (int i = 0; i < t->nrows; i++)
        if (ch4_is(t, i, cq, quantity) && ch4_is(t, i, cc, kase)) return tsv_num(t, i, cv);
    return NAN;
}

int ch4_bad(vd_data *d, const char *what)
{
    snprintf(d->err, sizeof d->err, "%s", what);
    return -1;
}
