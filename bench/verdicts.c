#include "verdicts.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *id;
    vd_fn fn;
} table[] = {
#define VERDICT(id, fn) {id, fn},
#include "verdicts.def"
#undef VERDICT
    {NULL, NULL},
};

vd_fn verdicts_find(const char *id)
{
    for (size_t i = 0; table[i].id; i++)
        if (strcmp(table[i].id, id) == 0) return table[i].fn;
    return NULL;
}

void vd_data_init(vd_data *d, const char *datadir)
{
    memset(d, 0, sizeof *d);
    snprintf(d->dir, sizeof d->dir, "%s", datadir);
}

void vd_data_clear(vd_data *d)
{
    for (int i = 0; i < d->n; i++) tsv_clear(&d->tab[i].t);
    d->n = 0;
}

const tsv_table *vd_table(vd_data *d, const char *file)
{
    for (int i = 0; i < d->n; i++)
        if (strcmp(d->tab[i].file, file) == 0) return &d->tab[i].t;
    if (d->n == VD_MAXTABLES) {
        snprintf(d->err, sizeof d->err, "more than %d data files", VD_MAXTABLES);
        return NULL;
    }
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", d->dir, file);
    if (tsv_load(&d->tab[d->n].t, path, d->err, sizeof d->err) != 0) return NULL;
    snprintf(d->tab[d->n].file, sizeof d->tab[d->n].file, "%s", file);
    return &d->tab[d->n++].t;
}

int vd_col(vd_data *d, const tsv_table *t, const char *name)
{
    int c = tsv_col(t, name);
    if (c < 0) snprintf(d->err, sizeof d->err, "no column '%s'", name);
    return c;
}

const claims_printed *vd_printed(const vd_data *d, const char *id, int k)
{
    if (d->printed_override) {
        for (size_t i = 0; i < d->nprinted_override; i++)
            if (strcmp(d->printed_override[i].id, id) == 0 && k-- == 0) return &d->printed_override[i];
        return NULL;
    }
    return claims_printed_get(id, k);
}

#define VD_PRINTF(field)                                 \
    va_list ap;                                          \
    va_start(ap, fmt);                                   \
    vsnprintf(r->field, sizeof r->field, fmt, ap);       \
    va_end(ap)

void vd_measured(vd_result *r, const char *fmt, ...) { VD_PRINTF(measured); }
void vd_paper(vd_result *r, const char *fmt, ...) { VD_PRINTF(paper); }
void vd_note(vd_result *r, const char *fmt, ...) { VD_PRINTF(note); }

void vd_value(vd_result *r, const char *name, double value, double tol)
{
    if (r->nvalues == CLAIMS_MAXVALUES) return;
    claims_value *v = &r->values[r->nvalues++];
    snprintf(v->name, sizeof v->name, "%s", name);
    v->value = value;
    v->tol = tol;
}

int verdicts_decide(vd_result *r, const char *id, const char *datadir)
{
    vd_fn fn = verdicts_find(id);
    memset(r, 0, sizeof *r);
    if (!fn) {
        fprintf(stderr, "deepcheap: %s has no verdict function\n", id);
        return -1;
    }
    vd_data d;
    vd_data_init(&d, datadir);
    int rc = fn(r, &d);
    if (rc != 0) fprintf(stderr, "deepcheap: %s: cannot decide from %s: %s\n", id, datadir, d.err[0] ? d.err : "bad data");
    vd_data_clear(&d);
    return rc;
}
