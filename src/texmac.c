#include "texmac.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int texmac_name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 63) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalpha((unsigned char)name[i])) return 0;
    return 1;
}

void texmac_format_sci(char *buf, size_t n, int sig, double v)
{
    if (sig < 1) sig = 1; /* a negative printf precision would mean the default, 6 */
    if (v == 0.0) { snprintf(buf, n, "0"); return; }
    if (!isfinite(v)) { snprintf(buf, n, "%s", isnan(v) ? "\\mathrm{NaN}" : (v > 0 ? "\\infty" : "-\\infty")); return; }
    int e = (int)floor(log10(fabs(v)));
    double m = v / pow(10.0, e);
    /* rounding may carry to 10.0 */
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%.*f", sig - 1, m);
    if (fabs(atof(tmp)) >= 10.0) { e++; m = v / pow(10.0, e); snprintf(tmp, sizeof tmp, "%.*f", sig - 1, m); }
    if (e == 0) snprintf(buf, n, "%s", tmp);
    else snprintf(buf, n, "%s\\times10^{%d}", tmp, e);
}

void texmac_format_num(char *buf, size_t n, int sig, double v)
{
    double a = fabs(v);
    if (v == 0.0 || (a >= 1e-3 && a < 1e6)) {
        int dec = v == 0.0 ? 0 : sig - 1 - (int)floor(log10(a));
        if (dec < 0) dec = 0;
        snprintf(buf, n, "%.*f", dec, v);
    } else {
        texmac_format_sci(buf, n, sig, v);
    }
}

void texmac_value(char *buf, size_t n, const texmac *m)
{
    char tmp[96];
    switch (m->kind) {
    case TEXMAC_STR: snprintf(buf, n, "%s", m->s ? m->s : ""); return;
    case TEXMAC_INT: snprintf(buf, n, "%lld", m->i); return;
    case TEXMAC_FIX: snprintf(buf, n, "%.*f", m->digits, m->x); return;
    case TEXMAC_SCI: texmac_format_sci(tmp, sizeof tmp, m->digits, m->x); break;
    case TEXMAC_NUM: texmac_format_num(tmp, sizeof tmp, m->digits, m->x); break;
    }
    snprintf(buf, n, "\\ensuremath{%s}", tmp);
}

int texmac_write(FILE *f, const texmac *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!texmac_name_ok(t[i].name)) {
            fprintf(stderr, "deepcheap: bad macro name '%s' (letters only, 1 to 63)\n",
                    t[i].name ? t[i].name : "(null)");
            return -1;
        }
    for (size_t i = 0; i < n; i++) {
        /* STR values may be long (table rows): size them first */
        size_t len = t[i].kind == TEXMAC_STR && t[i].s ? strlen(t[i].s) + 1 : 128;
        char *buf = malloc(len);
        if (!buf) return -1;
        texmac_value(buf, len, &t[i]);
        fprintf(f, "\\newcommand{\\%s}{%s}\n", t[i].name, buf);
        free(buf);
    }
    return 0;
}
