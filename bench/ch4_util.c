#include "ch4_util.h"

#include <stdint.h>
#include <stdlib.h>

const char *ch4_yesno(int b) { return b ? "yes" : "no"; }

int ch4_put_text(cellio_out *out, void (*fn)(FILE *f, void *arg), void *arg)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return -1;
    fn(f, arg);
    if (fclose(f) != 0) {
        free(text);
        return -1;
    }
    cellio_put_str(out, text);
    free(text);
    return 0;
}

int ch4_copy_text(FILE *f, cellio_in *in)
{
    int64_t n = cellio_peek_count(in);
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!text) {
        in->failed = 1;
        return -1;
    }
    cellio_get_str(in, text, (size_t)n + 1);
    fputs(text, f);
    free(text);
    return in->failed ? -1 : 0;
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
