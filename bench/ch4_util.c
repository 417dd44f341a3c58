#include "ch4_util.h"

#include <stdint.h>
#include <stdlib.h>

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
