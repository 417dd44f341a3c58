/* The table of query commands, from cmd/commands.def.  Handlers live in
 * cmd/cmd_<group>.c, named cmd_<group>_<name>. */
#include "commands.h"

#define NOLIMIT 1e300 /* no upper bound */

#define OPT(name, type, def, lo, hi, lo_open, help) {name, type, def, lo, hi, lo_open, help}
#define COMMAND(group, name, summary, fn, ...) {group, name, summary, fn, {__VA_ARGS__}},
static const cmd_spec table[] = {
#include "commands.def"
    {NULL, NULL, NULL, NULL, {{0}}},
};
#undef COMMAND
#undef OPT

const cmd_spec *commands_list(size_t *n)
{
    *n = sizeof table / sizeof table[0] - 1;
    return table;
}
