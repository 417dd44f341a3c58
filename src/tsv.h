/* tsv: reading the data files a result set publishes (tab-separated, '#'
 * provenance lines, one line of column names, then rows).  Verdict
 * functions read their evidence through this, so a verdict is a function of
 * the data files alone.
 *
 * The file is read whole after its size is checked (<= TSV_MAX_BYTES), then
 * split in place; cells are NUL-terminated strings inside the buffer. */
#ifndef DEEPCHEAP_TSV_H
#define DEEPCHEAP_TSV_H

#include <stddef.h>

#define TSV_MAX_BYTES ((size_t)1 << 30)

typedef struct {
    char *buf;      /* the file's bytes, split in place */
    char **cols;    /* ncols column names */
    char **cells;   /* nrows x ncols, row-major */
    int ncols, nrows;
} tsv_table;

/* Loads path.  0, or -1 with a one-line message in err (missing file, too
 * large, no column line, a row whose field count differs from the header). */
int tsv_load(tsv_table *t, const char *path, char *err, size_t nerr);
void tsv_clear(tsv_table *t);

/* Index of the column called name, or -1. */
int tsv_col(const tsv_table *t, const char *name);
/* Cell (row, col) as text; "" when out of range. */
const char *tsv_str(const tsv_table *t, int row, int col);
/* Cell as a number (strtod of the whole cell: nan, inf accepted); NAN when
 * out of range or not a number. */
double tsv_num(const tsv_table *t, int row, int col);

#endif
