/* Fuzz target: the data-file reader (src/tsv.c) the verdict functions use. */
#include "fuzz_util.h"
#include "tsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    tsv_table t;
    char err[512];
    if (tsv_load(&t, fuzz_file(data, n), err, sizeof err) == 0) {
        for (int r = 0; r < t.nrows; r++)
            for (int c = 0; c < t.ncols; c++) (void)tsv_num(&t, r, c);
        (void)tsv_col(&t, "x");
        tsv_clear(&t);
    }
    return 0;
}
