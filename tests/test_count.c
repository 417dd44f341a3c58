/* count: closed forms against enumeration. */
#include "count.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>

/* mpz_cmp_ui is a macro that confuses Criterion's assertion parser */
static int eq_ui(const mpz_t a, unsigned long v) { return mpz_cmp_ui(a, v) == 0; }

Test(count, poly_closed_form_vs_enumeration)
{
    mpz_t a, b;
    mpz_inits(a, b, NULL);
    for (unsigned n = 0; n <= 7; n++)
        for (unsigned d = 0; d <= 6; d++) {
            count_poly(a, n, d);
            count_poly_enum(b, n, d);
            cr_assert(mpz_cmp(a, b) == 0, "n=%u d=%u", n, d);
        }
    /* microphone, d = 2: (n+1)(n+2)/2 */
    count_poly(a, 1000, 2);
    cr_assert(eq_ui(a, 1001UL * 1002UL / 2));
    mpz_clears(a, b, NULL);
}

Test(count, digits_and_thresholds)
{
    /* 2^10 = 1024 (4 digits), 10^5 has 6; 256^(10^6) = 2^(8 10^6): floor(8e6 log10 2) + 1 */
    cr_assert(count_pow_digits(2, 10) == 4);
    cr_assert(count_pow_digits(10, 5) == 6);
    cr_assert(count_pow_digits(256, 1000000) == (unsigned long)floor(8e6 * log10(2.0)) + 1);
    /* 2^259 < 10^78 < 2^260 */
    cr_assert(count_pow2_exceeds_pow10(78) == 260);
    cr_assert(count_pow2_exceeds_pow10(0) == 1);  /* 2^1 > 1 */
    cr_assert(count_pow2_exceeds_pow10(3) == 10); /* 1024 > 1000 > 512 */
}

Test(count, lattice_closed_form_vs_enumeration)
{
    mpz_t a, b;
    mpz_inits(a, b, NULL);
    int compared = 0;
    for (int dim = 1; dim <= 3; dim++)
        for (int L = 2; L <= (dim == 1 ? 12 : dim == 2 ? 7 : 4); L++)
            for (int d = 1; d <= (dim == 3 ? 3 : 4); d++)
                for (int loc = 0; loc <= 2; loc++)
                    for (int r = 1; r <= (loc == 2 ? 2 : 1); r++)
                        for (int sym = 0; sym <= 1; sym++)
                            for (int cst = 0; cst <= 1; cst++) {
                                count_lattice q = {dim, L, d, r, (count_locality)loc, sym, cst};
                                if (count_lattice_closed(a, &q) != 0) continue;
                                if (count_lattice_enum(b, &q) != 0) continue;
                                cr_assert(mpz_cmp(a, b) == 0, "dim=%d L=%d d=%d loc=%d r=%d sym=%d const=%d: %s vs %s",
                                          dim, L, d, loc, r, sym, cst, mpz_get_str(NULL, 10, a), mpz_get_str(NULL, 10, b));
                                compared++;
                            }
    cr_assert(compared > 300, "only %d cases compared", compared);
    mpz_clears(a, b, NULL);
}

Test(count, microphone_counts)
{
    /* 1-D ring of n = 10, d = 2, nearest neighbours: 1 + n + n + n; symmetric 4 */
    mpz_t a;
    mpz_init(a);
    count_lattice q = {1, 10, 2, 1, COUNT_NN, 0, 1};
    cr_assert(count_lattice_closed(a, &q) == 0 && eq_ui(a, 31));
    q.symmetric = 1;
    cr_assert(count_lattice_closed(a, &q) == 0 && eq_ui(a, 4));
    mpz_clear(a);
}

Test(count, enumeration_detects_locality)
{
    /* a 2-D NN lattice has no triangles: degree-3 monomials on 3 sites absent */
    mpz_t a, b;
    mpz_inits(a, b, NULL);
    count_lattice nn = {2, 5, 3, 1, COUNT_NN, 0, 0}, box = {2, 5, 3, 1, COUNT_BOX, 0, 0};
    count_lattice_enum(a, &nn);
    count_lattice_enum(b, &box);
    cr_assert(mpz_cmp(a, b) < 0, "diagonals must add monomials");
    mpz_clears(a, b, NULL);
}
