/* commands: the query commands (`deepcheap GROUP NAME --opt value ...`).
 *
 * A command declares its options; src/main.c parses and range-checks them
 * (one-line error, exit 2, before anything runs) and calls the handler with
 * typed values in declaration order.  A handler prints a TSV header line and
 * rows to stdout and returns the exit status (2 for a bad value it alone can
 * judge, e.g. an unknown activation name, after one line on stderr). */
#ifndef DEEPCHEAP_COMMANDS_H
#define DEEPCHEAP_COMMANDS_H

#include <stddef.h>
#include <stdint.h>

#define CMD_MAXOPT 8
#define CMD_MAXLIST 32

typedef enum {
    CMD_END = 0, /* terminates the option list */
    CMD_INT,     /* integer in [lo, hi] */
    CMD_REAL,    /* finite real, > lo (lo_open) or >= lo, and <= hi */
    CMD_STR,     /* any non-empty string */
    CMD_UINT64,  /* unsigned 64-bit (seeds) */
    CMD_INTLIST, /* comma-separated integers in [lo, hi], 1..CMD_MAXLIST of them */
    CMD_FLAG     /* no value: present (i = 1) or absent (default "0") */
} cmd_type;

typedef struct {
    const char *name;  /* without the leading "--" */
    cmd_type type;
    const char *def;   /* default as text; NULL = required */
    double lo, hi;
    int lo_open;
    const char *help;
} cmd_opt;

typedef struct {
    int64_t i;
    double d;
    uint64_t u;
    const char *s;
    int64_t list[CMD_MAXLIST];
    int nlist;
} cmd_val;

typedef struct {
    const char *group, *name, *summary;
    int (*fn)(const cmd_val *v);
    cmd_opt opts[CMD_MAXOPT];
} cmd_spec;

const cmd_spec *commands_list(size_t *n);

/* Every handler, declared once: cmd_<group>_<name> in cmd/cmd_<group>.c. */
#define COMMAND(group, name, summary, fn, ...) int fn(const cmd_val *v);
#include "commands.def"
#undef COMMAND

#endif
