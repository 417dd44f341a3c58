/* Writes the fuzzers' seed corpus: files the program itself writes (a sample
 * file, an RBM and a DBM model, a weights file, a stored cell, a data file).
 *   corpus DIR   -> DIR/samples/, DIR/rbm/, DIR/nn/, DIR/cell/, DIR/tsv/ */
#include "binio.h"
#include "cellio.h"
#include "ising.h"
#include "nn.h"
#include "rbm.h"
#include "rng.h"
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void path(char *buf, size_t n, const char *dir, const char *sub, const char *file)
{
    snprintf(buf, n, "%s/%s/%s", dir, sub, file);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: corpus DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    char p[4096], err[512];
    ising_samples s;
    if (ising_samples_init(&s, 4, 2, 3, 7) != 0) return 1;
    s.T[0] = 2.0, s.T[1] = 2.5;
    for (int i = 0; i < 6; i++) s.bits[i] = 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1);
    path(p, sizeof p, dir, "samples", "s.bin");
    if (ising_samples_write(p, &s) != 0) return 1;
    ising_samples_clear(&s);
    rng_stream r;
    rng_init(&r, 1, 0, 0);
    static const int sizes[3] = {6, 4, 3};
    for (int k = 0; k < 2; k++) {
        rbm_deep d;
        if (rbm_deep_init(&d, k ? RBM_KIND_DBM : RBM_KIND_RBM, k ? 2 : 1, sizes) != 0) return 1;
        for (int l = 0; l < d.nl; l++) rbm_init_normal(&d.layer[l], &r, 0.1);
        path(p, sizeof p, dir, "rbm", k ? "dbm.bin" : "rbm.bin");
        if (rbm_save(&d, p, err, sizeof err) != 0) return 1;
        rbm_deep_clear(&d);
    }
    nn_net net;
    static const int nsz[3] = {3, 5, 2};
    static const nn_act acts[2] = {NN_TANH, NN_IDENTITY};
    if (nn_net_init(&net, 2, nsz, acts, 4) != 0) return 1;
    nn_init_weights(&net, NN_INIT_GLOROT, 0, &r);
    path(p, sizeof p, dir, "nn", "w.bin");
    if (nn_save(&net, p, err, sizeof err) != 0) return 1;
    nn_net_clear(&net);
    run_prov pv;
    memset(&pv, 0, sizeof pv);
    strcpy(pv.experiment, "fuzz"), strcpy(pv.scale, "quick"), strcpy(pv.sources, "0123456789abcdef");
    pv.seed = 1;
    run_cells c;
    char cdir[4096];
    snprintf(cdir, sizeof cdir, "%s/cellstore", dir);
    if (run_cells_init(&c, cdir, &pv, 4) != 0) return 1;
    cellio_out o;
    cellio_out_init(&o);
    double x[3] = {1.5, -2, 3e-300};
    cellio_put_f64s(&o, x, 3);
    cellio_put_str(&o, "row\t1\n");
    if (run_cell_store(&c, 0, o.p, o.n) != 0) return 1;
    cellio_out_clear(&o);
    char from[4300];
    snprintf(from, sizeof from, "%s/0.cell", c.dir);
    path(p, sizeof p, dir, "cell", "0.cell");
    binio_mkdirs(strcat(strcpy(cdir, dir), "/cell"));
    if (rename(from, p) != 0) return 1;
    path(p, sizeof p, dir, "tsv", "d.tsv");
    binio_file f;
    if (binio_file_open(&f, p) != 0) return 1;
    fputs("# deepcheap d\n# seed 1\na\tb\tc\n1\t2.5\tx\n-3\tnan\t1e-300\n", f.f);
    return binio_file_commit(&f) != 0;
}
