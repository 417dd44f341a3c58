/* Chapter 3, experiment `count-params`: exact parameter counts.
 * LT-8 (polynomials and the combinatorial swindle), LT-9 (locality and
 * symmetry on lattices: the microphone), LT-10 (the standard model's 32
 * parameters: cited, not computable).
 *
 * Everything is exact and the same at every scale.  The grid, one cell per
 * part: the closed lattice counts vs enumeration, the polynomial counts vs
 * enumeration, the table of lattices of about 1000 sites, the swindle's
 * numbers, the microphone's counts.  Reduce writes the table, the macros and
 * the three verdicts. */
#include "claims.h"
#include "count.h"
#include "experiments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CELL_CROSS, CELL_POLY, CELL_TABLE, CELL_SWINDLE, CELL_MIC, NCELL };
#define NMIC 1000                               /* the microphone's samples */
static const int Ls[4] = {0, 1000, 32, 10};     /* side of the ~1000-site lattice per dimension */

static int count_ncells(const exp_ctx *ctx)
{
    (void)ctx; /* exact: no randomness, same at every scale */
    return NCELL;
}

static unsigned long lattice_count(int dim, int L, int d, int r, count_locality loc, int sym, int cst)
{
    count_lattice q = {dim, L, d, r, loc, sym, cst};
    mpz_t c;
    mpz_init(c);
    unsigned long v = count_lattice_closed(c, &q) == 0 && mpz_fits_ulong_p(c) ? mpz_get_ui(c) : 0;
    mpz_clear(c);
    return v;
}

/* --- cells ------------------------------------------------------------------------------ */
/* Closed form vs enumeration over every small lattice where both apply:
 * lattices compared, mismatches. */
static void cross_run(cellio_out *out)
{
    mpz_t a, b;
    mpz_inits(a, b, NULL);
    int64_t v[2] = {0, 0};
    for (int dim = 1; dim <= 3; dim++)
        for (int L = 2; L <= (dim == 1 ? 13 : dim == 2 ? 8 : 4); L++)
            for (int d = 1; d <= 4; d++)
                for (int loc = 0; loc <= 2; loc++)
                    for (int r = 1; r <= (loc == 2 ? 2 : 1); r++)
                        for (int sym = 0; sym <= 1; sym++) {
                            count_lattice q = {dim, L, d, r, (count_locality)loc, sym, 1};
                            if (count_lattice_closed(a, &q) != 0 || count_lattice_enum(b, &q) != 0) continue;
                            v[1] += mpz_cmp(a, b) != 0;
                            v[0]++;
                        }
    mpz_clears(a, b, NULL);
    cellio_put_i64s(out, v, 2);
}

/* C(n+d, d) vs enumeration of exponent vectors, n <= 8, d <= 6: mismatches. */
static void poly_run(cellio_out *out)
{
    mpz_t c, e;
    mpz_inits(c, e, NULL);
    int64_t bad = 0;
    for (unsigned n = 0; n <= 8; n++)
        for (unsigned d = 0; d <= 6; d++) {
            count_poly(c, n, d);
            count_poly_enum(e, n, d);
            bad += mpz_cmp(c, e) != 0;
        }
    mpz_clears(c, e, NULL);
    cellio_put_i64(out, bad);
}

/* Lattices of about 1000 sites in 1, 2, 3 dimensions, d = 2..4: per row the
 * generic count (decimal text) and NN, NN + symmetry, range 2, range 2 + symmetry. */
static void table_run(cellio_out *out)
{
    mpz_t c;
    mpz_init(c);
    for (int dim = 1; dim <= 3; dim++)
        for (int d = 2; d <= 4; d++) {
            unsigned long n = 1;
            for (int i = 0; i < dim; i++) n *= (unsigned long)Ls[dim];
            count_poly(c, n, (unsigned long)d);
            char *gen = mpz_get_str(NULL, 10, c);
            int64_t v[4] = {(int64_t)lattice_count(dim, Ls[dim], d, 1, COUNT_NN, 0, 1),
                            (int64_t)lattice_count(dim, Ls[dim], d, 1, COUNT_NN, 1, 1),
                            (int64_t)lattice_count(dim, Ls[dim], d, 2, COUNT_BOX, 0, 1),
                            (int64_t)lattice_count(dim, Ls[dim], d, 2, COUNT_BOX, 1, 1)};
            cellio_put_str(out, gen);
            cellio_put_i64s(out, v, 4);
            free(gen);
        }
    mpz_clear(c);
}

/* The swindle: digits of 256^(10^6) (megapixel images); first n with 2^n > 10^78. */
static void swindle_run(cellio_out *out)
{
    int64_t v[2] = {(int64_t)count_pow_digits(256, 1000000), (int64_t)count_pow2_exceeds_pow10(78)};
    cellio_put_i64s(out, v, 2);
}

/* The microphone: NMIC samples, d = 2, 1-D nearest neighbours, with and
 * without symmetry and the constant; C(n+2, 2) checked against (n+1)(n+2)/2. */
static void mic_run(cellio_out *out)
{
    mpz_t c;
    mpz_init(c);
    count_poly(c, NMIC, 2);
    int64_t v[6] = {(int64_t)(NMIC + 1) * (NMIC + 2) / 2,
                    (int64_t)lattice_count(1, NMIC, 2, 1, COUNT_NN, 0, 1),
                    (int64_t)lattice_count(1, NMIC, 2, 1, COUNT_NN, 1, 1),
                    (int64_t)lattice_count(1, NMIC, 2, 1, COUNT_NN, 0, 0),
                    (int64_t)lattice_count(1, NMIC, 2, 1, COUNT_NN, 1, 0), 0};
    v[5] = mpz_cmp_ui(c, (unsigned long)v[0]) == 0;
    mpz_clear(c);
    cellio_put_i64s(out, v, 6);
}

static int count_cell(const exp_ctx *ctx, int c, cellio_out *out)
{
    (void)ctx;
    switch (c) {
    case CELL_CROSS: cross_run(out); break;
    case CELL_POLY: poly_run(out); break;
    case CELL_TABLE: table_run(out); break;
    case CELL_SWINDLE: swindle_run(out); break;
    default: mic_run(out);
    }
    return 0;
}

/* --- reduce: one function per claim -------------------------------------------------------- */
/* Writes count_lattice.tsv and the same rows as LaTeX table rows into rows[n]. */
static int lattice_table(cellio_in *in, run_set *set, char *rows, size_t nrows)
{
    binio_file f;
    if (run_tsv_open(&f, set, "count_lattice", "dim\tL\tsites\td\tgeneric\tnn\tnn_sym\tbox2\tbox2_sym") != 0) return -1;
    rows[0] = '\0';
    for (int dim = 1; dim <= 3; dim++)
        for (int d = 2; d <= 4; d++) {
            unsigned long n = 1;
            for (int i = 0; i < dim; i++) n *= (unsigned long)Ls[dim];
            char gen[128], row[512];
            int64_t v[4];
            cellio_get_str(in, gen, sizeof gen);
            cellio_get_i64s(in, v, 4);
            fprintf(f.f, "%d\t%d\t%lu\t%d\t%s\t%ld\t%ld\t%ld\t%ld\n", dim, Ls[dim], n, d, gen, (long)v[0], (long)v[1],
                    (long)v[2], (long)v[3]);
            snprintf(row, sizeof row, "%d & %lu & %d & %s & %ld & %ld & %ld & %ld\\\\ ", dim, n, d, gen, (long)v[0],
                     (long)v[1], (long)v[2], (long)v[3]);
            strncat(rows, row, nrows - strlen(rows) - 1);
        }
    return run_close(set, &f);
}

/* LT-8.  The lattice table's rows go into this macro table so that the
 * macro file keeps its order (the table itself is LT-9's illustration). */
static int reduce_lt8(cellio_in *in, run_set *set, const char *rows)
{
    int64_t cross[2], sw[2]; /* lattices compared, mismatches; image digits, Boolean n */
    cellio_get_i64s(&in[CELL_CROSS], cross, 2);
    int64_t poly_bad = cellio_get_i64(&in[CELL_POLY]);
    cellio_get_i64s(&in[CELL_SWINDLE], sw, 2);
    const texmac m[] = {
        TEXMAC_I("CountCompared", cross[0]),  TEXMAC_I("CountMismatches", cross[1]),
        TEXMAC_I("CountPolyMismatches", poly_bad), TEXMAC_S("CountLatticeRows", rows),
        TEXMAC_I("CountImageDigits", sw[0]),  TEXMAC_I("CountBoolN", sw[1]),
    };
    if (run_macros(set, m, TEXMAC_LEN(m)) != 0) return -1;
    int ok = cross[1] == 0 && poly_bad == 0 && sw[1] == 260 && sw[0] > 78;
    char s[256];
    snprintf(s, sizeof s, "C(n+d,d) = enumeration (%d lattices, 63 polys); 2^n > 10^78 first at n = %lu; 256^(10^6) has %lu digits",
             (int)cross[0], (unsigned long)sw[1], (unsigned long)sw[0]);
    return claims_emit(set, "LT-8", ok ? CLAIMS_REPRODUCED : CLAIMS_NOT_REPRODUCED, s, "n > 260; 256^(10^6) >> 10^78",
                       "exact threshold: 2^259 < 10^78 < 2^260");
}

/* LT-9: the microphone's chain (n+1)(n+2)/2 -> 2n -> 3.  Is there one
 * convention (all monomials / no constant / quadratic only) under which all
 * three hold? */
static int reduce_lt9(cellio_in *in, run_set *set)
{
    int64_t v[6];
    cellio_get_i64s(&in[CELL_MIC], v, 6);
    unsigned long gen2 = (unsigned long)v[0], loc_all = (unsigned long)v[1], sym_all = (unsigned long)v[2];
    unsigned long loc_nocst = (unsigned long)v[3], sym_nocst = (unsigned long)v[4];
    /* quadratic terms only: total minus the (constant +) linear terms */
    unsigned long loc_quad = loc_nocst - (unsigned long)NMIC, sym_quad = sym_nocst - 1;
    unsigned long g_all = gen2, g_nocst = gen2 - 1, g_quad = gen2 - 1 - (unsigned long)NMIC;
    int conv_all = g_all == gen2 && loc_all == 2UL * NMIC && sym_all == 3;
    int conv_nocst = g_nocst == gen2 && loc_nocst == 2UL * NMIC && sym_nocst == 3;
    int conv_quad = g_quad == gen2 && loc_quad == 2UL * NMIC && sym_quad == 3;
    int each_somewhere = (g_all == gen2) && (loc_quad == 2UL * NMIC) && (sym_nocst == 3);
    const texmac m[] = {
        TEXMAC_I("CountMicN", NMIC),                TEXMAC_I("CountMicGeneric", gen2),
        TEXMAC_I("CountMicLocal", loc_all),         TEXMAC_I("CountMicLocalNoConst", loc_nocst),
        TEXMAC_I("CountMicLocalQuad", loc_quad),    TEXMAC_I("CountMicSym", sym_all),
        TEXMAC_I("CountMicSymNoConst", sym_nocst),  TEXMAC_I("CountMicSymQuad", sym_quad),
    };
    if (run_macros(set, m, TEXMAC_LEN(m)) != 0) return -1;
    claims_verdict v9 = !v[5] || !each_somewhere                ? CLAIMS_NOT_REPRODUCED
                        : conv_all || conv_nocst || conv_quad ? CLAIMS_REPRODUCED
                                                              : CLAIMS_ERRATUM;
    char s[256];
    snprintf(s, sizeof s, "n = %d, d = 2: %lu -> %lu -> %lu monomials (%lu -> %lu quadratic + linear without constant)",
             NMIC, gen2, loc_all, sym_all, loc_nocst, sym_nocst);
    return claims_emit(set, "LT-9", v9, s, "(n+1)(n+2)/2 -> 2n -> 3",
                       "2n counts quadratic terms only, 3 counts the linear term too: no single convention gives all three");
}

static int reduce_lt10(run_set *set)
{
    return claims_emit(set, "LT-10", CLAIMS_CITED, "not computable here", "32 parameters",
                       "a fact of particle physics, outside what these models can compute");
}

static int count_reduce(const exp_ctx *ctx, cellio_in *in, int n, run_set *set)
{
    (void)ctx;
    char rows[4096];
    if (n != NCELL) return -1;
    if (lattice_table(&in[CELL_TABLE], set, rows, sizeof rows) || reduce_lt8(in, set, rows) || reduce_lt9(in, set) ||
        reduce_lt10(set))
        return -1;
    return 0;
}

const exp_def exp_count_params_def = {count_ncells, count_cell, count_reduce, 0};
