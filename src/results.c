#include "results.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char outdir[4096] = "build";
static results_provenance prov = {1, "quick", 1, ""};

static char commit[64] = "unknown";
static int dirty;

void results_set_commit(const char *c, int d)
{
    snprintf(commit, sizeof commit, "%s", c);
    dirty = d;
}

const char *results_commit(void) { return commit; }
int results_dirty(void) { return dirty; }

void results_set_outdir(const char *dir)
{
    snprintf(outdir, sizeof outdir, "%s", dir);
}

const char *results_outdir(void) { return outdir; }

void results_set_provenance(const results_provenance *p) { prov = *p; }

const results_provenance *results_get_provenance(void) { return &prov; }

int results_mkdirs(const char *dir)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf) return -1;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    return 0;
}

static char *tmp_name(const char *path)
{
    int n = snprintf(NULL, 0, "%s.tmp.%ld", path, (long)getpid());
    char *s = malloc((size_t)n + 1);
    if (s) snprintf(s, (size_t)n + 1, "%s.tmp.%ld", path, (long)getpid());
    return s;
}

int results_file_open(results_file *rf, const char *path)
{
    memset(rf, 0, sizeof *rf);
    char dir[8192];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir) return -1;
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = 0;
        if (results_mkdirs(dir) != 0) {
            fprintf(stderr, "deepcheap: cannot create directory %s: %s\n", dir, strerror(errno));
            return -1;
        }
    }
    rf->path = strdup(path);
    rf->tmp = tmp_name(path);
    rf->f = rf->path && rf->tmp ? fopen(rf->tmp, "w") : NULL;
    if (!rf->f) {
        fprintf(stderr, "deepcheap: cannot write %s: %s\n", rf->tmp, strerror(errno));
        free(rf->path); free(rf->tmp);
        rf->path = rf->tmp = NULL;
        return -1;
    }
    return 0;
}

int results_file_commit(results_file *rf)
{
    if (!rf->f) return -1;
    int bad = rf->failed || ferror(rf->f);
    bad |= fflush(rf->f) != 0;
    bad |= fsync(fileno(rf->f)) != 0 && errno != EINVAL;
    bad |= fclose(rf->f) != 0;
    rf->f = NULL;
    if (!bad && rename(rf->tmp, rf->path) != 0) bad = 1;
    if (bad) {
        fprintf(stderr, "deepcheap: failed to write %s\n", rf->path);
        remove(rf->tmp);
    }
    free(rf->path); free(rf->tmp);
    rf->path = rf->tmp = NULL;
    return bad ? -1 : 0;
}

void results_file_abort(results_file *rf)
{
    if (rf->f) fclose(rf->f);
    if (rf->tmp) remove(rf->tmp);
    free(rf->path); free(rf->tmp);
    memset(rf, 0, sizeof *rf);
}

void results_write_header(FILE *f, const char *what)
{
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(f, "# deepcheap %s\n", what);
    fprintf(f, "# commit %s%s\n", results_commit(), results_dirty() ? " (dirty)" : "");
    fprintf(f, "# experiment %s\n", prov.experiment ? prov.experiment : "");
    fprintf(f, "# seed %llu\n", (unsigned long long)prov.seed);
    fprintf(f, "# scale %s\n", prov.scale);
    fprintf(f, "# threads %d\n", prov.threads);
    fprintf(f, "# date %s\n", date);
}

int results_tsv_open(results_file *rf, const char *name, const char *columns)
{
    char path[8192];
    if (snprintf(path, sizeof path, "%s/data/%s.tsv", outdir, name) >= (int)sizeof path) return -1;
    if (results_file_open(rf, path) != 0) return -1;
    results_write_header(rf->f, name);
    fprintf(rf->f, "%s\n", columns);
    return 0;
}

int results_macros_open(results_file *rf, const char *name)
{
    char path[8192];
    if (snprintf(path, sizeof path, "%s/macros/%s.tex", outdir, name) >= (int)sizeof path) return -1;
    if (results_file_open(rf, path) != 0) return -1;
    fprintf(rf->f, "%% deepcheap macros %s: generated, do not edit\n", name);
    fprintf(rf->f, "%% commit %s%s seed %llu scale %s threads %d\n", results_commit(),
            results_dirty() ? " (dirty)" : "", (unsigned long long)prov.seed, prov.scale,
            prov.threads);
    return 0;
}

int results_macro_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 63) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalpha((unsigned char)name[i])) return 0;
    return 1;
}

void results_macro_str(results_file *rf, const char *name, const char *value)
{
    if (!results_macro_name_ok(name)) {
        fprintf(stderr, "deepcheap: bad macro name '%s' (letters only)\n", name);
        rf->failed = 1;
        return;
    }
    fprintf(rf->f, "\\newcommand{\\%s}{%s}\n", name, value);
}

void results_macro_int(results_file *rf, const char *name, long long v)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%lld", v);
    results_macro_str(rf, name, buf);
}

void results_macro_fix(results_file *rf, const char *name, int digits, double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.*f", digits, v);
    results_macro_str(rf, name, buf);
}

static void format_sci(char *buf, size_t n, int sig, double v)
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

void results_macro_sci(results_file *rf, const char *name, int digits, double v)
{
    char buf[96], wrapped[128];
    format_sci(buf, sizeof buf, digits, v);
    snprintf(wrapped, sizeof wrapped, "\\ensuremath{%s}", buf);
    results_macro_str(rf, name, wrapped);
}

void results_format_num(char *buf, size_t n, int sig, double v)
{
    double a = fabs(v);
    if (v == 0.0 || (a >= 1e-3 && a < 1e6)) {
        int dec = v == 0.0 ? 0 : sig - 1 - (int)floor(log10(a));
        if (dec < 0) dec = 0;
        snprintf(buf, n, "%.*f", dec, v);
    } else {
        format_sci(buf, n, sig, v);
    }
}

void results_macro_num(results_file *rf, const char *name, int sig, double v)
{
    char buf[96], wrapped[128];
    results_format_num(buf, sizeof buf, sig, v);
    snprintf(wrapped, sizeof wrapped, "\\ensuremath{%s}", buf);
    results_macro_str(rf, name, wrapped);
}

uint64_t results_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

void results_le_put(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++) p[i] = (unsigned char)(v >> (8 * i));
}

uint64_t results_le_get(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

void results_errf(char *err, size_t nerr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && nerr) vsnprintf(err, nerr, fmt, ap);
    va_end(ap);
}

int results_checksum_ok(const unsigned char *p, size_t n)
{
    return n >= 8 && results_fnv1a(RESULTS_FNV1A_INIT, p, n - 8) == results_le_get(p + n - 8, 8);
}

int results_write_checksummed(const char *path, const void *p, size_t n, char *err, size_t nerr)
{
    unsigned char sum[8];
    results_le_put(sum, results_fnv1a(RESULTS_FNV1A_INIT, p, n), 8);
    results_file rf;
    if (results_file_open(&rf, path)) {
        results_errf(err, nerr, "%s: cannot open for writing", path);
        return -1;
    }
    if (fwrite(p, 1, n, rf.f) != n || fwrite(sum, 1, 8, rf.f) != 8) {
        results_file_abort(&rf);
        results_errf(err, nerr, "%s: write failed", path);
        return -1;
    }
    if (results_file_commit(&rf)) {
        results_errf(err, nerr, "%s: write failed", path);
        return -1;
    }
    return 0;
}
