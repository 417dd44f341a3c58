#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ provenance -- */

/* First line of a command's output into buf; 0 when it ran and printed. */
static int command_line(char *buf, size_t n, const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    buf[0] = 0;
    int got = fgets(buf, (int)n, p) != NULL;
    int rc = pclose(p);
    buf[strcspn(buf, "\r\n")] = 0;
    return got && rc == 0 ? 0 : -1;
}

static int shell_safe(const char *s)
{
    for (; *s; s++)
        if (*s == '\'' || *s == '\n') return 0;
    return 1;
}

void run_read_commit(run_prov *p, const char *srcdir)
{
    const char *env = getenv("DEEPCHEAP_COMMIT");
    snprintf(p->commit, sizeof p->commit, "unknown");
    p->dirty = 0;
    if (env && *env) {
        snprintf(p->commit, sizeof p->commit, "%s", env);
        const char *d = getenv("DEEPCHEAP_DIRTY");
        p->dirty = d && strcmp(d, "1") == 0;
        return;
    }
    if (!srcdir || !*srcdir || !shell_safe(srcdir)) return;
    char cmd[4352], buf[128];
    snprintf(cmd, sizeof cmd, "git -C '%s' rev-parse --short=12 HEAD 2>/dev/null", srcdir);
    if (command_line(buf, sizeof buf, cmd) != 0 || !*buf) return;
    snprintf(p->commit, sizeof p->commit, "%.63s", buf);
    snprintf(cmd, sizeof cmd, "git -C '%s' status --porcelain --untracked-files=no 2>/dev/null | head -n 1",
             srcdir);
    p->dirty = command_line(buf, sizeof buf, cmd) == 0 && buf[0] != 0;
}

void run_write_header(FILE *f, const run_prov *p, const char *what)
{
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(f, "# deepcheap %s\n", what);
    fprintf(f, "# commit %s%s\n", p->commit, p->dirty ? " (dirty)" : "");
    fprintf(f, "# experiment %s\n", p->experiment);
    fprintf(f, "# seed %llu\n", (unsigned long long)p->seed);
    fprintf(f, "# scale %s\n", p->scale);
    fprintf(f, "# threads %d\n", p->threads);
    fprintf(f, "# date %s\n", date);
}

/* ------------------------------------------------------------- cleanup -- */

/* What a signal must not leave behind: the staging directory being built
 * and the cell store whose temp files carry our pid. */
static char cleanup_stage[4096];
static char cleanup_cells[4096];

/* Cells are stored by several OpenMP threads at once.  A signal handled on
 * one thread must not remove the temp files while another thread creates
 * one: each store counts itself in cell_writers before it starts and backs
 * out (and waits to be killed) if the handler has begun; the handler waits
 * until no other thread is inside a store.  Sequentially consistent atomics:
 * either the store sees `dying`, or the handler sees the store. */
static atomic_int cell_writers;
static atomic_int dying;
static _Thread_local volatile sig_atomic_t cell_writing; /* this thread is inside a store */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int run_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode)) return unlink(path);
    return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Removes "*.tmp.<pid>" files in dir whose process is gone (pid = -1), or
 * of this process (pid = ours). */
static void remove_tmp(const char *dir, long pid)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char path[4400];
    while ((e = readdir(d))) {
        const char *t = strstr(e->d_name, ".tmp.");
        if (!t) continue;
        char *end;
        long p = strtol(t + 5, &end, 10);
        if (*end || p <= 0) continue;
        if (pid > 0 ? p != pid : !(kill((pid_t)p, 0) != 0 && errno == ESRCH)) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
}

/* Removes "*.tmp.<pid>" files of this process in dir. */
static void remove_own_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    char suffix[32], path[4400];
    snprintf(suffix, sizeof suffix, ".tmp.%ld", (long)getpid());
    size_t ls = strlen(suffix);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > ls && strcmp(e->d_name + l - ls, suffix) == 0) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    }
    closedir(d);
}

static void on_signal(int sig)
{
    atomic_store(&dying, 1);
    struct timespec ms = {0, 1000000};
    for (int i = 0; i < 5000 && atomic_load(&cell_writers) > cell_writing; i++) nanosleep(&ms, NULL);
    if (cleanup_stage[0]) run_remove_tree(cleanup_stage);
    if (cleanup_cells[0]) remove_own_tmp(cleanup_cells);
    signal(sig, SIG_DFL);
    raise(sig);
}

void run_install_signal_cleanup(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

/* ------------------------------------------------------------------ sets -- */

static int path_join(char *buf, size_t n, const char *a, const char *b)
{
    return snprintf(buf, n, "%s/%s", a, b) < (int)n ? 0 : -1;
}

int run_set_init(run_set *s, const char *out, const run_prov *prov, const char *macro_prefix)
{
    memset(s, 0, sizeof *s);
    s->prov = *prov;
    s->prefix = macro_prefix ? macro_prefix : "";
    if (snprintf(s->out, sizeof s->out, "%s", out) >= (int)sizeof s->out) return -1;
    /* run id: time, pid and a per-process count, unique among the runs that
     * may share OUT (one process may publish the same experiment twice a second) */
    static int serial;
    int k;
    #pragma omp atomic capture
    k = ++serial;
    snprintf(s->name, sizeof s->name, "%s.%lld-%ld-%d", prov->experiment, (long long)time(NULL), (long)getpid(), k);
    char sets[4096];
    if (path_join(sets, sizeof sets, out, "sets") != 0 ||
        snprintf(s->dir, sizeof s->dir, "%s/%s", sets, s->name) >= (int)sizeof s->dir)
        return -1;
    static const char *sub[] = {"data", "macros", "verdicts"};
    for (int i = 0; i < 3; i++) {
        char d[4200];
        snprintf(d, sizeof d, "%s/%s", s->dir, sub[i]);
        if (binio_mkdirs(d) != 0) {
            fprintf(stderr, "deepcheap: cannot create %s: %s\n", d, strerror(errno));
            run_remove_tree(s->dir);
            return -1;
        }
    }
    snprintf(cleanup_stage, sizeof cleanup_stage, "%s", s->dir);
    return 0;
}

void run_set_clear(run_set *s)
{
    if (s->macros.f) binio_file_abort(&s->macros);
    if (s->dir[0]) run_remove_tree(s->dir);
    if (strcmp(cleanup_stage, s->dir) == 0) cleanup_stage[0] = 0;
    s->dir[0] = 0;
}

int run_data_path(char *buf, size_t n, const run_set *s, const char *file)
{
    if (!*file || strchr(file, '/') || file[0] == '.') return -1;
    return snprintf(buf, n, "%s/data/%s", s->dir, file) < (int)n ? 0 : -1;
}

int run_data_open(binio_file *f, run_set *s, const char *file)
{
    char path[4400];
    memset(f, 0, sizeof *f);
    if (run_data_path(path, sizeof path, s, file) != 0) {
        fprintf(stderr, "deepcheap: bad data file name '%s'\n", file);
        s->failed = 1;
        return -1;
    }
    if (binio_file_open(f, path) != 0) {
        s->failed = 1;
        return -1;
    }
    return 0;
}

int run_tsv_open(binio_file *f, run_set *s, const char *name, const char *columns)
{
    char file[256];
    snprintf(file, sizeof file, "%s.tsv", name);
    if (run_data_open(f, s, file) != 0) return -1;
    run_write_header(f->f, &s->prov, name);
    fprintf(f->f, "%s\n", columns);
    return 0;
}

int run_tsv_write(run_set *s, const char *name, const char *columns, const char *rows)
{
    binio_file f;
    if (!rows) {
        s->failed = 1;
        return -1;
    }
    if (run_tsv_open(&f, s, name, columns) != 0) return -1;
    fputs(rows, f.f);
    return run_close(s, &f);
}

int run_close(run_set *s, binio_file *f)
{
    if (binio_file_commit(f) != 0) {
        s->failed = 1;
        return -1;
    }
    return 0;
}

void run_abort_file(run_set *s, binio_file *f)
{
    binio_file_abort(f);
    s->failed = 1;
}

int run_macros(run_set *s, const texmac *t, size_t n)
{
    size_t lp = strlen(s->prefix);
    for (size_t i = 0; i < n; i++)
        if (!t[i].name || strncmp(t[i].name, s->prefix, lp) != 0) {
            fprintf(stderr, "deepcheap: macro '%s' of %s lacks the chapter prefix '%s'\n",
                    t[i].name ? t[i].name : "(null)", s->prov.experiment, s->prefix);
            s->failed = 1;
            return -1;
        }
    if (!s->macros.f) {
        char path[4400];
        snprintf(path, sizeof path, "%s/macros/%s.tex", s->dir, s->prov.experiment);
        if (binio_file_open(&s->macros, path) != 0) {
            s->failed = 1;
            return -1;
        }
        const run_prov *p = &s->prov;
        fprintf(s->macros.f, "%% deepcheap macros %s: generated, do not edit\n", p->experiment);
        fprintf(s->macros.f, "%% commit %s%s seed %llu scale %s threads %d\n", p->commit,
                p->dirty ? " (dirty)" : "", (unsigned long long)p->seed, p->scale, p->threads);
    }
    if (texmac_write(s->macros.f, t, n) != 0) {
        s->failed = 1;
        return -1;
    }
    return 0;
}

static int one_line(const char *s)
{
    return strpbrk(s, "\t\n\r") == NULL;
}

int run_verdict(run_set *s, const char *id, const char *verdict, const char *measured, const char *paper,
                const char *note, const char *extra)
{
    if (!one_line(id) || !one_line(verdict) || !one_line(measured) || !one_line(paper) || !one_line(note)) {
        fprintf(stderr, "deepcheap: verdict %s: fields must be one line without tabs\n", id);
        s->failed = 1;
        return -1;
    }
    char path[4400];
    snprintf(path, sizeof path, "%s/verdicts/%s.tsv", s->dir, id);
    binio_file f;
    if (binio_file_open(&f, path) != 0) {
        s->failed = 1;
        return -1;
    }
    run_write_header(f.f, &s->prov, "verdict");
    fprintf(f.f, "id\tverdict\tmeasured\tpaper\tnote\n");
    fprintf(f.f, "%s\t%s\t%s\t%s\t%s\n", id, verdict, measured, paper, note);
    if (extra) fputs(extra, f.f);
    return run_close(s, &f);
}

/* --- publishing ---------------------------------------------------------------- */

/* Sorted names of the regular files in dir (NULL-terminated; free with free_names). */
static char **list_files(const char *dir, size_t *count)
{
    *count = 0;
    DIR *d = opendir(dir);
    if (!d) return NULL;
    size_t cap = 16, n = 0;
    char **v = malloc(cap * sizeof *v);
    struct dirent *e;
    while (v && (e = readdir(d))) {
        if (e->d_name[0] == '.' || strstr(e->d_name, ".tmp.")) continue;
        if (n + 2 > cap) {
            char **w = realloc(v, (cap *= 2) * sizeof *v);
            if (!w) break;
            v = w;
        }
        v[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (!v) return NULL;
    v[n] = NULL;
    for (size_t i = 1; i < n; i++) /* insertion sort: a few dozen names */
        for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
            char *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    *count = n;
    return v;
}

static void free_names(char **v)
{
    if (!v) return;
    for (char **p = v; *p; p++) free(*p);
    free(v);
}

/* 1 when the space-separated list holds `name` (with `suffix` appended to each word). */
static int listed(const char *list, const char *name, const char *suffix)
{
    size_t ls = strlen(suffix), ln = strlen(name);
    for (const char *p = list; *p;) {
        while (*p == ' ') p++;
        size_t w = strcspn(p, " ");
        if (w && w + ls == ln && strncmp(p, name, w) == 0 && strcmp(name + w, suffix) == 0) return 1;
        p += w;
    }
    return 0;
}

static int words(const char *list)
{
    int n = 0;
    for (const char *p = list; *p;) {
        while (*p == ' ') p++;
        size_t w = strcspn(p, " ");
        n += w > 0;
        p += w;
    }
    return n;
}

/* The set's files in one kind must be exactly the declared ones. */
static int check_declared(const run_set *s, const char *kind, const char *declared, const char *suffix)
{
    char dir[4400];
    size_t n;
    snprintf(dir, sizeof dir, "%s/%s", s->dir, kind);
    char **v = list_files(dir, &n);
    int bad = 0;
    for (size_t i = 0; v && i < n && !bad; i++)
        if (!listed(declared, v[i], suffix)) {
            fprintf(stderr, "deepcheap: %s wrote %s/%s, which experiments.def does not declare\n",
                    s->prov.experiment, kind, v[i]);
            bad = 1;
        }
    if (!bad && (int)n != words(declared)) {
        fprintf(stderr, "deepcheap: %s wrote %zu %s files, experiments.def declares %d ('%s')\n",
                s->prov.experiment, n, kind, words(declared), declared);
        bad = 1;
    }
    free_names(v);
    return bad ? -1 : 0;
}

static int file_digest(const char *path, uint64_t *h, uint64_t *bytes)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    unsigned char buf[65536];
    size_t r;
    *h = BINIO_FNV1A_INIT;
    *bytes = 0;
    while ((r = fread(buf, 1, sizeof buf, f)) > 0) {
        *h = binio_fnv1a(*h, buf, r);
        *bytes += r;
    }
    int bad = ferror(f);
    fclose(f);
    return bad ? -1 : 0;
}

/* CPU model and the SIMD flags that change what the code computes or how fast. */
static void cpu_info(char *model, size_t nm, char *flags, size_t nf)
{
    snprintf(model, nm, "unknown");
    flags[0] = 0;
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return;
    char line[8192];
    int have_model = 0, have_flags = 0;
    while (fgets(line, sizeof line, f) && !(have_model && have_flags)) {
        char *c = strchr(line, ':');
        if (!c) continue;
        line[strcspn(line, "\n")] = 0;
        if (!have_model && strncmp(line, "model name", 10) == 0) {
            snprintf(model, nm, "%s", c + 2);
            have_model = 1;
        } else if (!have_flags && strncmp(line, "flags", 5) == 0) {
            static const char *keep[] = {"sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl"};
            size_t off = 0;
            for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++) {
                char pat[32];
                snprintf(pat, sizeof pat, " %s ", keep[k]);
                char padded[8200];
                snprintf(padded, sizeof padded, " %s ", c + 2);
                if (strstr(padded, pat) && off < nf)
                    off += (size_t)snprintf(flags + off, nf - off, "%s%s", off ? " " : "", keep[k]);
            }
            have_flags = 1;
        }
    }
    fclose(f);
}

static int write_manifest(const run_set *s, const char *extra)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/manifest.tsv", s->dir);
    binio_file f;
    if (binio_file_open(&f, path) != 0) return -1;
    const run_prov *p = &s->prov;
    char model[256], flags[256], date[64];
    cpu_info(model, sizeof model, flags, sizeof flags);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(f.f, "# deepcheap manifest: one published result set\nkey\tvalue\n");
    fprintf(f.f, "experiment\t%s\nchapter\t%d\nseed\t%llu\nscale\t%s\nthreads\t%d\n", p->experiment, p->chapter,
            (unsigned long long)p->seed, p->scale, p->threads);
    fprintf(f.f, "commit\t%s\ndirty\t%d\nsources\t%s\ncpu\t%s\ncpu_flags\t%s\ndate\t%s\n", p->commit, p->dirty,
            p->sources, model, flags, date);
    if (extra) fputs(extra, f.f);
    static const char *kinds[] = {"data", "macros", "verdicts"};
    for (int k = 0; k < 3; k++) {
        char dir[4400];
        size_t n;
        snprintf(dir, sizeof dir, "%s/%s", s->dir, kinds[k]);
        char **v = list_files(dir, &n);
        for (size_t i = 0; v && i < n; i++) {
            char fp[4700];
            uint64_t h = 0, bytes = 0;
            snprintf(fp, sizeof fp, "%s/%s", dir, v[i]);
            if (file_digest(fp, &h, &bytes) != 0) f.failed = 1;
            fprintf(f.f, "file\t%s/%s fnv1a64 %016llx bytes %llu\n", kinds[k], v[i], (unsigned long long)h,
                    (unsigned long long)bytes);
        }
        free_names(v);
    }
    return binio_file_commit(&f);
}

/* Makes `link` a symlink to `target`, atomically (symlink beside it, then rename). */
static int symlink_swap(const char *target, const char *link)
{
    char tmp[4400];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", link, (long)getpid());
    unlink(tmp);
    if (symlink(target, tmp) != 0) return -1;
    if (rename(tmp, link) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* OUT/<kind>/F -> ../sets/EXP/<kind>/F for every file of the set; removes
 * links of EXP that the new set no longer has. */
static int link_files(const run_set *s, const char *kind)
{
    char top[4400], dir[4400], prefix[512];
    snprintf(top, sizeof top, "%s/%s", s->out, kind);
    snprintf(dir, sizeof dir, "%s/%s", s->dir, kind);
    snprintf(prefix, sizeof prefix, "../sets/%s/%s/", s->prov.experiment, kind);
    if (binio_mkdirs(top) != 0) return -1;
    size_t n;
    char **v = list_files(dir, &n);
    int bad = !v;
    for (size_t i = 0; v && i < n; i++) {
        char link[4700], target[1024], cur[1024];
        snprintf(link, sizeof link, "%s/%s", top, v[i]);
        snprintf(target, sizeof target, "%s%s", prefix, v[i]);
        ssize_t l = readlink(link, cur, sizeof cur - 1);
        if (l >= 0) {
            cur[l] = 0;
            if (strcmp(cur, target) == 0) continue;
        }
        bad |= symlink_swap(target, link) != 0;
    }
    free_names(v);
    /* dangling links into this experiment's set: files it no longer writes */
    DIR *d = opendir(top);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char link[4700], cur[1024];
        struct stat st;
        snprintf(link, sizeof link, "%s/%s", top, e->d_name);
        ssize_t l = readlink(link, cur, sizeof cur - 1);
        if (l < 0) continue;
        cur[l] = 0;
        if (strncmp(cur, prefix, strlen(prefix)) == 0 && stat(link, &st) != 0) unlink(link);
    }
    if (d) closedir(d);
    return bad ? -1 : 0;
}

/* Removes set directories of this experiment other than `keep` (stale
 * staging from killed runs, the previous set).  Caller holds the lock. */
static void remove_other_sets(const char *out, const char *experiment, const char *keep)
{
    char sets[4400];
    snprintf(sets, sizeof sets, "%s/sets", out);
    DIR *d = opendir(sets);
    if (!d) return;
    size_t le = strlen(experiment);
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *nm = e->d_name;
        if (strncmp(nm, experiment, le) != 0 || nm[le] != '.' || !nm[le + 1]) continue;
        if (keep && strcmp(nm, keep) == 0) continue;
        if (strstr(nm, ".lock")) continue;
        /* EXP.<digits>-<digits>: the run id shape; other experiments' names never match */
        const char *id = nm + le + 1;
        if (strspn(id, "0123456789-") != strlen(id)) continue;
        char path[4700];
        snprintf(path, sizeof path, "%s/%s", sets, nm);
        run_remove_tree(path);
    }
    closedir(d);
}

int run_publish(run_set *s, const char *data, const char *claims, const char *extra)
{
    if (s->macros.f && binio_file_commit(&s->macros) != 0) s->failed = 1;
    if (s->failed) {
        fprintf(stderr, "deepcheap: %s: a write or check failed; nothing published\n", s->prov.experiment);
        return -1;
    }
    if (check_declared(s, "data", data, "") != 0 || check_declared(s, "verdicts", claims, ".tsv") != 0) return -1;
    if (write_manifest(s, extra) != 0) {
        fprintf(stderr, "deepcheap: %s: cannot write the manifest; nothing published\n", s->prov.experiment);
        return -1;
    }
    char link[4400];
    snprintf(link, sizeof link, "%s/sets/%s", s->out, s->prov.experiment);
    if (symlink_swap(s->name, link) != 0) {
        fprintf(stderr, "deepcheap: cannot publish %s: %s\n", link, strerror(errno));
        return -1;
    }
    /* published: from here the set is the experiment's result; the links
     * only make it visible under data/, macros/, verdicts/ */
    cleanup_stage[0] = 0;
    char keep[128];
    snprintf(keep, sizeof keep, "%s", s->name);
    s->dir[0] = 0; /* run_set_clear must not remove it */
    snprintf(s->dir, sizeof s->dir, "%.2000s/sets/%.127s", s->out, keep);
    int bad = link_files(s, "data") | link_files(s, "macros") | link_files(s, "verdicts");
    s->dir[0] = 0;
    remove_other_sets(s->out, s->prov.experiment, keep);
    if (bad) fprintf(stderr, "deepcheap: %s published, but linking its files under %s failed\n",
                     s->prov.experiment, s->out);
    return bad ? -1 : 0;
}

void run_clean_stale(const char *out, const char *experiment)
{
    char link[4400], cur[256];
    snprintf(link, sizeof link, "%s/sets/%s", out, experiment);
    ssize_t l = readlink(link, cur, sizeof cur - 1);
    if (l >= 0) cur[l] = 0;
    remove_other_sets(out, experiment, l >= 0 ? cur : NULL);
    static const char *kinds[] = {"data", "macros", "verdicts", "sets"};
    for (int k = 0; k < 4; k++) {
        snprintf(link, sizeof link, "%s/%s", out, kinds[k]);
        remove_tmp(link, -1);
    }
}

int run_manifest_get(char *buf, size_t n, const char *out, const char *experiment, const char *key)
{
    char path[4400], line[4096];
    snprintf(path, sizeof path, "%s/sets/%s/manifest.tsv", out, experiment);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t lk = strlen(key);
    int found = -1;
    while (found != 0 && fgets(line, sizeof line, f)) {
        if (strncmp(line, key, lk) == 0 && line[lk] == '\t') {
            line[strcspn(line, "\n")] = 0;
            snprintf(buf, n, "%s", line + lk + 1);
            found = 0;
        }
    }
    fclose(f);
    return found;
}

/* ------------------------------------------------------------------ locks -- */

int run_lock_experiment(int *fd, const char *out, const char *experiment)
{
    char dir[4400], path[4600];
    snprintf(dir, sizeof dir, "%s/sets", out);
    snprintf(path, sizeof path, "%s/.%s.lock", dir, experiment);
    if (binio_mkdirs(dir) != 0 || (*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) < 0) {
        fprintf(stderr, "deepcheap: cannot write into %s: %s\n", dir, strerror(errno));
        return -1;
    }
    if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
        fprintf(stderr, "deepcheap: %s is being run into %s by another process; wait for it or use another --out\n",
                experiment, out);
        close(*fd);
        *fd = -1;
        return -1;
    }
    return 0;
}

int run_lock_machine(int *fd, const char *out, int exclusive)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/.machine.lock", out);
    if (binio_mkdirs(out) != 0 || (*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) < 0) {
        fprintf(stderr, "deepcheap: cannot write into %s: %s\n", out, strerror(errno));
        return -1;
    }
    while (flock(*fd, exclusive ? LOCK_EX : LOCK_SH) != 0)
        if (errno != EINTR) {
            close(*fd);
            *fd = -1;
            return -1;
        }
    return 0;
}

/* ------------------------------------------------------------------ cells -- */

/* Cell file: magic, then fixed little-endian fields, the payload, and the
 * FNV-1a 64 of everything before it. */
#define CELL_MAGIC "DCCELL01"
enum { CELL_EXP = 64, CELL_SCALE = 16, CELL_SRC = 40 };
#define CELL_HEAD (8 + CELL_EXP + CELL_SCALE + CELL_SRC + 8 + 4 + 4 + 8)
#define CELL_MAX_PAYLOAD ((uint64_t)1 << 34)

int run_cells_init(run_cells *c, const char *out, const run_prov *prov, int ncells)
{
    memset(c, 0, sizeof *c);
    c->prov = *prov;
    c->ncells = ncells;
    if (snprintf(c->dir, sizeof c->dir, "%s/cells/%s/%s-%llu-%s", out, prov->experiment, prov->scale,
                 (unsigned long long)prov->seed, prov->sources) >= (int)sizeof c->dir)
        return -1;
    if (binio_mkdirs(c->dir) != 0) {
        fprintf(stderr, "deepcheap: cannot create %s: %s\n", c->dir, strerror(errno));
        return -1;
    }
    snprintf(cleanup_cells, sizeof cleanup_cells, "%s", c->dir);
    remove_tmp(c->dir, -1); /* temp files of killed runs */
    return 0;
}

static void cell_path(char *buf, size_t n, const run_cells *c, int cell)
{
    snprintf(buf, n, "%s/%d.cell", c->dir, cell);
}

static void put_field(unsigned char *p, const char *s, size_t width)
{
    memset(p, 0, width);
    memcpy(p, s, strnlen(s, width - 1));
}

static void cell_head(unsigned char *h, const run_cells *c, int cell, uint64_t len)
{
    unsigned char *p = h;
    memcpy(p, CELL_MAGIC, 8), p += 8;
    put_field(p, c->prov.experiment, CELL_EXP), p += CELL_EXP;
    put_field(p, c->prov.scale, CELL_SCALE), p += CELL_SCALE;
    put_field(p, c->prov.sources, CELL_SRC), p += CELL_SRC;
    binio_le_put(p, c->prov.seed, 8), p += 8;
    binio_le_put(p, (uint64_t)c->ncells, 4), p += 4;
    binio_le_put(p, (uint64_t)cell, 4), p += 4;
    binio_le_put(p, len, 8);
}

int run_cell_store(const run_cells *c, int cell, const unsigned char *p, size_t n)
{
    char path[4200], err[512];
    cell_path(path, sizeof path, c, cell);
    unsigned char *buf = malloc(CELL_HEAD + n);
    if (!buf) return -1;
    cell_head(buf, c, cell, n);
    if (n) memcpy(buf + CELL_HEAD, p, n);
    cell_writing = 1; /* before the count: the handler never waits for its own thread */
    atomic_fetch_add(&cell_writers, 1);
    if (atomic_load(&dying)) { /* a signal is being handled: create nothing, wait to be killed */
        atomic_fetch_sub(&cell_writers, 1);
        cell_writing = 0;
        for (;;) pause();
    }
    int rc = binio_write_checksummed(path, buf, CELL_HEAD + n, err, sizeof err);
    atomic_fetch_sub(&cell_writers, 1);
    cell_writing = 0;
    if (rc) fprintf(stderr, "deepcheap: %s\n", err);
    free(buf);
    return rc;
}

int run_cell_load(const run_cells *c, int cell, unsigned char **p, size_t *n, char *err, size_t nerr)
{
    *p = NULL;
    *n = 0;
    char path[4200];
    cell_path(path, sizeof path, c, cell);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return errno == ENOENT ? 1 : (binio_errf(err, nerr, "%s: %s", path, strerror(errno)), -1);
    /* the fixed header first: its length field is checked against the file
     * size before the payload is allocated */
    unsigned char head[CELL_HEAD];
    ssize_t got = read(fd, head, sizeof head);
    struct stat st;
    int ok = got == (ssize_t)sizeof head && fstat(fd, &st) == 0;
    close(fd);
    unsigned char want[CELL_HEAD];
    uint64_t len = ok ? binio_le_get(head + CELL_HEAD - 8, 8) : 0;
    if (!ok || len > CELL_MAX_PAYLOAD || (uint64_t)st.st_size != CELL_HEAD + len + 8) {
        binio_errf(err, nerr, "%s: truncated or not a cell file", path);
        return -1;
    }
    cell_head(want, c, cell, len);
    if (memcmp(head, want, CELL_HEAD) != 0) {
        binio_errf(err, nerr, "%s: belongs to another experiment, seed, scale, source version or cell", path);
        return -1;
    }
    unsigned char *buf;
    size_t size;
    if (binio_read_file(&buf, &size, path, CELL_HEAD + len + 8, CELL_HEAD + len + 8, err, nerr) != 0) return -1;
    if (!binio_checksum_ok(buf, size) || memcmp(buf, want, CELL_HEAD) != 0) {
        binio_errf(err, nerr, "%s: checksum mismatch", path);
        free(buf);
        return -1;
    }
    memmove(buf, buf + CELL_HEAD, len);
    *p = buf;
    *n = len;
    return 0;
}

void run_cells_remove(const run_cells *c)
{
    run_remove_tree(c->dir);
    if (strcmp(cleanup_cells, c->dir) == 0) cleanup_cells[0] = 0;
    /* the experiment's directory, when it held only this store */
    char parent[4200];
    snprintf(parent, sizeof parent, "%s", c->dir);
    char *slash = strrchr(parent, '/');
    if (slash) {
        *slash = 0;
        rmdir(parent);
    }
}

/* ------------------------------------------------------------------ shards -- */

int run_shard_write(const char *out, const run_prov *p, int ncells, int k, int n, const char *extra)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/shards/%s/%d-of-%d.tsv", out, p->experiment, k, n);
    binio_file f;
    if (binio_file_open(&f, path) != 0) return -1;
    fprintf(f.f, "# deepcheap shard manifest\nkey\tvalue\n");
    fprintf(f.f, "experiment\t%s\nseed\t%llu\nscale\t%s\ncommit\t%s\ndirty\t%d\nsources\t%s\n", p->experiment,
            (unsigned long long)p->seed, p->scale, p->commit, p->dirty, p->sources);
    if (extra) fputs(extra, f.f);
    fprintf(f.f, "ncells\t%d\nshard\t%d/%d\ncells\t", ncells, k, n);
    int first = 1;
    for (int c = k - 1; c < ncells; c += n) {
        fprintf(f.f, "%s%d", first ? "" : ",", c);
        first = 0;
    }
    fprintf(f.f, "\n");
    return binio_file_commit(&f);
}
