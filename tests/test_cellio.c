/* cellio: records round-trip bit for bit; a reader that reads another
 * type, past the end, or leaves values unread is caught. */
#include "cellio.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void fill(cellio_out *o)
{
    const double xs[4] = {0.1, -0.0, INFINITY, 5e-324};
    const int64_t is[3] = {INT64_MIN, -1, INT64_MAX};
    const int ints[3] = {-2147483647 - 1, 0, 2147483647};
    cellio_out_init(o);
    cellio_put_f64(o, M_PI);
    cellio_put_f64(o, NAN);
    cellio_put_i64(o, -42);
    cellio_put_f64s(o, xs, 4);
    cellio_put_i64s(o, is, 3);
    cellio_put_ints(o, ints, 3);
    cellio_put_str(o, "rows\tand\nlines");
    cellio_put_str(o, NULL);
    cellio_put_bytes(o, "\0\1\2", 3);
    cellio_put_f64s(o, NULL, 0);
}

Test(cellio, round_trip_bit_for_bit)
{
    cellio_out o;
    fill(&o);
    cr_assert(o.failed == 0);
    cellio_in in;
    cellio_in_init(&in, o.p, o.n, 7);
    cr_assert(cellio_get_f64(&in) == M_PI);
    cr_assert(isnan(cellio_get_f64(&in)));
    cr_assert(cellio_get_i64(&in) == -42);
    double xs[4];
    cellio_get_f64s(&in, xs, 4);
    cr_assert(xs[0] == 0.1 && signbit(xs[1]) && xs[1] == 0.0 && isinf(xs[2]) && xs[3] == 5e-324);
    int64_t is[3];
    cellio_get_i64s(&in, is, 3);
    cr_assert(is[0] == INT64_MIN && is[1] == -1 && is[2] == INT64_MAX);
    int ints[3];
    cellio_get_ints(&in, ints, 3);
    cr_assert(ints[0] == -2147483647 - 1 && ints[1] == 0 && ints[2] == 2147483647);
    cr_assert(cellio_peek_count(&in) == 14);
    char s[32];
    cellio_get_str(&in, s, sizeof s);
    cr_assert(strcmp(s, "rows\tand\nlines") == 0);
    cellio_get_str(&in, s, sizeof s);
    cr_assert(strcmp(s, "") == 0);
    unsigned char b[3];
    cellio_get_bytes(&in, b, 3);
    cr_assert(b[0] == 0 && b[1] == 1 && b[2] == 2);
    cellio_get_f64s(&in, xs, 0);
    cr_assert(cellio_in_done(&in) == 0);
    cellio_out_clear(&o);
}

/* Each wrong read at position k fails the reader (parameter: the wrong read). */
Test(cellio, mismatches_are_caught)
{
    cellio_out o;
    fill(&o);
    for (int k = 0; k < 7; k++) {
        cellio_in in;
        cellio_in_init(&in, o.p, o.n, k);
        double xs[5];
        int64_t is[3];
        char s[4];
        switch (k) {
        case 0: cellio_get_i64(&in); break;              /* f64 read as i64 */
        case 1: cellio_get_f64s(&in, xs, 1); break;      /* scalar read as array */
        case 2: cellio_get_f64(&in), cellio_get_f64(&in), cellio_get_i64(&in), cellio_get_f64s(&in, xs, 5); break;
        case 3: cellio_get_f64(&in), cellio_get_f64(&in), cellio_get_i64(&in), cellio_get_f64s(&in, xs, 4),
                cellio_get_i64s(&in, is, 3), cellio_get_ints(&in, (int *)is, 3), cellio_get_str(&in, s, sizeof s);
                break;                                   /* string longer than the buffer */
        case 4: break;                                   /* nothing read: values left */
        case 5: cellio_in_init(&in, o.p, o.n - 1, k);    /* truncated record */
                for (int i = 0; i < 12; i++) cellio_get_f64(&in);
                break;
        case 6: cellio_in_init(&in, o.p, 0, k), cellio_get_i64(&in); break; /* empty */
        }
        cr_assert(cellio_in_done(&in) != 0, "wrong read %d not caught", k);
    }
    cellio_out_clear(&o);
}

/* An int record holding a value outside int is refused by cellio_get_ints. */
Test(cellio, int_range_checked)
{
    cellio_out o;
    cellio_out_init(&o);
    int64_t big = (int64_t)1 << 40;
    cellio_put_i64s(&o, &big, 1);
    cellio_in in;
    cellio_in_init(&in, o.p, o.n, 0);
    int x;
    cellio_get_ints(&in, &x, 1);
    cr_assert(in.failed);
    cellio_out_clear(&o);
}
