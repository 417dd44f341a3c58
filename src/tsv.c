#include "tsv.h"

#include "binio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void tsv_clear(tsv_table *t)
{
    free(t->buf);
    free(t->cols);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

/* Splits line at tabs into out[0..max); returns the field count (max + 1 if more). */
static int split(char *line, char **out, int max)
{
    int n = 0;
    for (char *p = line;;) {
        if (n < max) out[n] = p;
        n++;
        char *tab = strchr(p, '\t');
        if (!tab) break;
        *tab = 0;
        p = tab + 1;
    }
    return n;
}

int tsv_load(tsv_table *t, const char *path, char *err, size_t nerr)
{
    memset(t, 0, sizeof *t);
    unsigned char *raw;
    size_t n;
    if (binio_read_file(&raw, &n, path, 0, TSV_MAX_BYTES, err, nerr) != 0) return -1;
    t->buf = realloc(raw, n + 1);
    if (!t->buf) {
        free(raw);
        binio_errf(err, nerr, "%s: out of memory", path);
        return -1;
    }
    t->buf[n] = 0;
    size_t lines = 1;
    for (size_t i = 0; i < n; i++) lines += t->buf[i] == '\n';
    char *save = NULL;
    int header = 0, bad = 0, rowcap = 0;
    for (char *line = strtok_r(t->buf, "\n", &save); line && !bad; line = strtok_r(NULL, "\n", &save)) {
        line[strcspn(line, "\r")] = 0;
        if (line[0] == '#' || !line[0]) continue;
        if (!header) {
            int k = 1;
            for (char *p = line; *p; p++) k += *p == '\t';
            t->cols = malloc(sizeof *t->cols * (size_t)k);
            rowcap = (int)lines;
            t->cells = malloc(sizeof *t->cells * (size_t)k * (size_t)rowcap);
            if (!t->cols || !t->cells) {
                binio_errf(err, nerr, "%s: out of memory", path);
                bad = 1;
                break;
            }
            t->ncols = split(line, t->cols, k);
            header = 1;
            continue;
        }
        int got = split(line, t->cells + (size_t)t->nrows * t->ncols, t->ncols);
        if (got != t->ncols) {
            binio_errf(err, nerr, "%s: row %d has %d fields, the header %d", path, t->nrows + 1, got, t->ncols);
            bad = 1;
            break;
        }
        t->nrows++;
    }
    if (!bad && !header) {
        binio_errf(err, nerr, "%s: no column line", path);
        bad = 1;
    }
    if (bad) {
        tsv_clear(t);
        return -1;
    }
    return 0;
}

int tsv_col(const tsv_table *t, const char *name)
{
    for (int c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c], name) == 0) return c;
    return -1;
}

const char *tsv_str(const tsv_table *t, int row, int col)
{
    if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols) return "";
    return t->cells[(size_t)row * t->ncols + col];
}

double tsv_num(const tsv_table *t, int row, int col)
{
    const char *s = tsv_str(t, row, col);
    char *end;
    if (!*s) return NAN;
    double v = strtod(s, &end);
    return *end ? NAN : v;
}
