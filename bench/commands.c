/* The table of query commands.  Handlers live beside their experiments in
 * bench/ or proofs/; add an entry here to expose one. */
#include "commands.h"

#define NOLIMIT 1e300

int cmd_count_poly(const cmd_val *v);

static const cmd_spec table[] = {
    {"count", "poly", "exact number of monomials of degree <= d in n variables, C(n+d, d)", cmd_count_poly,
     {{"n", CMD_INT, NULL, 0, 1e15, 0, "variables"}, {"d", CMD_INT, NULL, 0, 100000, 0, "degree"}}},
    {NULL, NULL, NULL, NULL, {{0}}},
};

const cmd_spec *commands_list(size_t *n)
{
    *n = sizeof table / sizeof table[0] - 1;
    return table;
}
