#include "experiments.h"

#include <string.h>

static const exp_entry table[] = {
#define EXPERIMENT(name, chapter, claims, summary, fn) {name, chapter, claims, summary, fn},
#include "experiments.def"
#undef EXPERIMENT
};

const exp_entry *experiments_list(size_t *n)
{
    *n = sizeof table / sizeof table[0];
    return table;
}

const exp_entry *experiments_find(const char *name)
{
    size_t n;
    const exp_entry *t = experiments_list(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0) return &t[i];
    return NULL;
}
