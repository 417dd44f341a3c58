/* `deepcheap count poly`: exact monomial counts. */
#include "commands.h"
#include "count.h"

#include <stdio.h>

int cmd_count_poly(const cmd_val *v)
{
    mpz_t c;
    mpz_init(c);
    count_poly(c, (unsigned long)v[0].i, (unsigned long)v[1].i);
    printf("n\td\tcount\n%lld\t%lld\t", (long long)v[0].i, (long long)v[1].i);
    mpz_out_str(stdout, 10, c);
    printf("\n");
    mpz_clear(c);
    return 0;
}
