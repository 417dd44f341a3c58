/* Fuzz target: the stored-cell loader (src/run.c), which a resumed run or a
 * merge reads from disk, and the typed reader of its payload (src/cellio.c). */
#include "cellio.h"
#include "fuzz_util.h"
#include "run.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    static run_cells c;
    static int ready;
    if (!ready) { /* the store the corpus writer used */
        run_prov p;
        memset(&p, 0, sizeof p);
        strcpy(p.experiment, "fuzz"), strcpy(p.scale, "quick"), strcpy(p.sources, "0123456789abcdef");
        p.seed = 1;
        char dir[64];
        snprintf(dir, sizeof dir, "/tmp/deepcheap-fuzz-cells-%ld", (long)getpid());
        if (run_cells_init(&c, dir, &p, 4) != 0) abort();
        ready = 1;
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/0.cell", c.dir);
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (n) fwrite(data, 1, n, f);
    fclose(f);
    unsigned char *p;
    size_t len;
    char err[512];
    if (run_cell_load(&c, 0, &p, &len, err, sizeof err) == 0) {
        /* read the payload as a cell would be read: a count, then doubles */
        cellio_in in;
        cellio_in_init(&in, p, len, 0);
        int64_t k = cellio_peek_count(&in);
        if (k >= 0 && k < 1024) {
            double x[1024];
            cellio_get_f64s(&in, x, (size_t)k);
        }
        free(p);
    }
    return 0;
}
