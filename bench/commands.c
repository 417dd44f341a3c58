/* The table of query commands.  Handlers live beside their experiments in
 * bench/ or proofs/; add an entry here to expose one. */
#include "commands.h"
#include "flatten_proofs.h"

#define NOLIMIT 1e300

static const cmd_spec table[] = {
    {"flatten", "shallow-min",
     "fewest one-hidden-layer neurons for prod x_i^r_i (RT Thm II.1): construction + rank lemma",
     flatten_cmd_shallow_min,
     {{"exponents", CMD_INTLIST, NULL, 1, 15, 0, "exponents r_1,...,r_n (degree <= 10)"},
      {NULL, CMD_END, NULL, 0, 0, 0, NULL}}},
    {"flatten", "search",
     "exhaustive search of shallow nets on the lattice {-L..L}^n for prod x_i (LT App.)",
     flatten_cmd_search,
     {{"n", CMD_INT, "3", 1, 4, 0, "number of variables"},
      {"lattice", CMD_INT, "1", 1, 3, 0, "input weights in {-L..L}"},
      {NULL, CMD_END, NULL, 0, 0, 0, NULL}}},
    {NULL, NULL, NULL, NULL, {{0}}},
};

const cmd_spec *commands_list(size_t *n)
{
    *n = sizeof table / sizeof table[0] - 1;
    return table;
}
