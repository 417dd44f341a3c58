/* The table of query commands.  Handlers live beside their experiments in
 * bench/ or proofs/; add an entry here to expose one. */
#include "commands.h"

#define NOLIMIT 1e300

/* handlers (bench/ising.c) */
int ising_cmd_exact(const cmd_val *v);
int ising_cmd_mc(const cmd_val *v);
int ising_cmd_samples(const cmd_val *v);

static const cmd_spec table[] = {
    {"ising", "exact", "exact per-site ln Z, u, c of the L x L torus (Kaufman); TM <|m|>, <m^2> for L <= 10; Onsager",
     ising_cmd_exact,
     {{"L", CMD_INT, NULL, 2, 4096, 0, "linear size"},
      {"T", CMD_REAL, NULL, 0.01, 1e6, 0, "temperature (below 0.01 long double overflows; u = -2, c = 0 there)"},
      {NULL, CMD_END, NULL, 0, 0, 0, NULL}}},
    {"ising", "mc", "multi-spin Metropolis (64 replicas): e, c, |m| with error bars and tau_int",
     ising_cmd_mc,
     {{"L", CMD_INT, NULL, 2, 1024, 0, "linear size (even)"},
      {"T", CMD_REAL, NULL, 0.01, 1e6, 0, "temperature (below 0.01 long double overflows; u = -2, c = 0 there)"},
      {"sweeps", CMD_INT, "100000", 320, 2000000, 0, "measured sweeps per replica (<= 2e6: the series is kept for tau_int)"},
      {"seed", CMD_UINT64, "1", 0, 0, 0, "seed"},
      {NULL, CMD_END, NULL, 0, 0, 0, NULL}}},
    {"ising", "samples", "verify an Ising sample file (ising-samples) and print per-T sample means of e and |m|",
     ising_cmd_samples,
     {{"file", CMD_STR, "build/data/ising_samples_L8.bin", 0, 0, 0, "sample file"},
      {NULL, CMD_END, NULL, 0, 0, 0, NULL}}},
    {NULL, NULL, NULL, NULL, {{0}}},
};

const cmd_spec *commands_list(size_t *n)
{
    *n = sizeof table / sizeof table[0] - 1;
    return table;
}
