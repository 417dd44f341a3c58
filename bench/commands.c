/* The table of query commands.  Handlers live beside their experiments in
 * bench/ or proofs/; add an entry here to expose one. */
#include "commands.h"
#include "gatecert.h"

#define NOLIMIT 1e300

static const cmd_spec table[] = {
    {"gate", "certify", "prove or refute sup |m(x,y) - xy| <= eps on [-R,R]^2 (Arb)", gate_cmd_certify,
     {{"act", CMD_STR, NULL, 0, 0, 0, "activation: softplus, logistic, tanh, exp, elu"},
      {"lambda", CMD_REAL, NULL, 0, 10, 1, "input weight lambda (0 < lambda <= 10)"},
      {"eps", CMD_REAL, NULL, 0, NOLIMIT, 1, "error bound to prove (> 0)"},
      {"R", CMD_REAL, "1", 0, 100, 1, "box half-width"},
      {"max-boxes", CMD_INT, "20000000", 1, 1e9, 0, "work limit (then undecided)"},
      {NULL, CMD_END, NULL, 0, 0, 0, NULL}}},
    {"gate", "sup", "certified enclosure [sup_lo, sup_hi] of sup |m(x,y) - xy| on [-R,R]^2", gate_cmd_sup,
     {{"act", CMD_STR, NULL, 0, 0, 0, "activation: softplus, logistic, tanh, exp, elu"},
      {"lambda", CMD_REAL, NULL, 0, 10, 1, "input weight lambda (0 < lambda <= 10)"},
      {"R", CMD_REAL, "1", 0, 100, 1, "box half-width"},
      {"rtol", CMD_REAL, "0.001", 0, 1, 1, "sup_hi <= (1 + rtol) sup_lo"},
      {"max-boxes", CMD_INT, "20000000", 1, 1e9, 0, "work limit (then undecided)"},
      {NULL, CMD_END, NULL, 0, 0, 0, NULL}}},
    {NULL, NULL, NULL, NULL, {{0}}},
};

const cmd_spec *commands_list(size_t *n)
{
    *n = sizeof table / sizeof table[0] - 1;
    return table;
}
