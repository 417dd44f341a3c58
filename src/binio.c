#include "binio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int binio_mkdirs(const char *dir)
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

int binio_file_open(binio_file *bf, const char *path)
{
    memset(bf, 0, sizeof *bf);
    char dir[8192];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir) return -1;
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = 0;
        if (binio_mkdirs(dir) != 0) {
            fprintf(stderr, "deepcheap: cannot create directory %s: %s\n", dir, strerror(errno));
            return -1;
        }
    }
    bf->path = strdup(path);
    bf->tmp = tmp_name(path);
    bf->f = bf->path && bf->tmp ? fopen(bf->tmp, "w") : NULL;
    if (!bf->f) {
        fprintf(stderr, "deepcheap: cannot write %s: %s\n", bf->tmp ? bf->tmp : path, strerror(errno));
        free(bf->path);
        free(bf->tmp);
        bf->path = bf->tmp = NULL;
        return -1;
    }
    return 0;
}

int binio_file_commit(binio_file *bf)
{
    if (!bf->f) return -1;
    int bad = bf->failed || ferror(bf->f);
    bad |= fflush(bf->f) != 0;
    bad |= fsync(fileno(bf->f)) != 0 && errno != EINVAL;
    bad |= fclose(bf->f) != 0;
    bf->f = NULL;
    if (!bad && rename(bf->tmp, bf->path) != 0) bad = 1;
    if (bad) {
        fprintf(stderr, "deepcheap: failed to write %s\n", bf->path);
        remove(bf->tmp);
    }
    free(bf->path);
    free(bf->tmp);
    bf->path = bf->tmp = NULL;
    return bad ? -1 : 0;
}

void binio_file_abort(binio_file *bf)
{
    if (bf->f) fclose(bf->f);
    if (bf->tmp) remove(bf->tmp);
    free(bf->path);
    free(bf->tmp);
    memset(bf, 0, sizeof *bf);
}

uint64_t binio_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

void binio_le_put(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++) p[i] = (unsigned char)(v >> (8 * i));
}

uint64_t binio_le_get(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

void binio_errf(char *err, size_t nerr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && nerr) vsnprintf(err, nerr, fmt, ap);
    va_end(ap);
}

int binio_checksum_ok(const unsigned char *p, size_t n)
{
    return n >= 8 && binio_fnv1a(BINIO_FNV1A_INIT, p, n - 8) == binio_le_get(p + n - 8, 8);
}

int binio_write_checksummed(const char *path, const void *p, size_t n, char *err, size_t nerr)
{
    unsigned char sum[8];
    binio_le_put(sum, binio_fnv1a(BINIO_FNV1A_INIT, p, n), 8);
    binio_file bf;
    if (binio_file_open(&bf, path)) {
        binio_errf(err, nerr, "%s: cannot open for writing", path);
        return -1;
    }
    if (fwrite(p, 1, n, bf.f) != n || fwrite(sum, 1, 8, bf.f) != 8) {
        binio_file_abort(&bf);
        binio_errf(err, nerr, "%s: write failed", path);
        return -1;
    }
    if (binio_file_commit(&bf)) {
        binio_errf(err, nerr, "%s: write failed", path);
        return -1;
    }
    return 0;
}

int binio_read_file(unsigned char **p, size_t *n, const char *path, size_t min, size_t max, char *err,
                    size_t nerr)
{
    *p = NULL;
    *n = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        binio_errf(err, nerr, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        binio_errf(err, nerr, "%s: not a regular file", path);
        close(fd);
        return -1;
    }
    if ((uint64_t)st.st_size < min || (uint64_t)st.st_size > max) {
        binio_errf(err, nerr, "%s: %lld bytes, expected %zu to %zu", path, (long long)st.st_size, min, max);
        close(fd);
        return -1;
    }
    size_t size = (size_t)st.st_size, got = 0;
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf) {
        binio_errf(err, nerr, "%s: out of memory for %zu bytes", path, size);
        close(fd);
        return -1;
    }
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r <= 0) {
            if (r < 0 && errno == EINTR) continue;
            binio_errf(err, nerr, "%s: read failed after %zu of %zu bytes", path, got, size);
            free(buf);
            close(fd);
            return -1;
        }
        got += (size_t)r;
    }
    close(fd);
    *p = buf;
    *n = size;
    return 0;
}
