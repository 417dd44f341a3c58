/* binio: binary and atomic file I/O for the core and the engines.
 *
 * Atomic files are written to "<path>.tmp.<pid>" and renamed over <path> on
 * commit, so a reader never sees half a file.  Binary files carry
 * little-endian integers and end with an FNV-1a 64 checksum of everything
 * before it: that detects truncation and bit flips, not an adversary. */
#ifndef DEEPCHEAP_BINIO_H
#define DEEPCHEAP_BINIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* --- atomic files ------------------------------------------------------ */
typedef struct {
    FILE *f;
    char *path;
    char *tmp;
    int failed; /* set by writers that detect a bad value: commit then fails */
} binio_file;

/* Opens a temp file beside `path`, creating parent directories.
 * Returns 0 on success; on failure prints one line to stderr and returns -1. */
int binio_file_open(binio_file *bf, const char *path);
/* Flushes, checks for write errors, renames into place.  0 on success; on
 * failure one line on stderr, the temp file removed, nothing at `path`. */
int binio_file_commit(binio_file *bf);
/* Removes the temp file; nothing reaches `path`. */
void binio_file_abort(binio_file *bf);

/* mkdir -p; 0 on success. */
int binio_mkdirs(const char *dir);

/* --- checksums and integers --------------------------------------------- */
#define BINIO_FNV1A_INIT 0xcbf29ce484222325ull
/* FNV-1a 64 over n bytes, continuing from h (start with BINIO_FNV1A_INIT). */
uint64_t binio_fnv1a(uint64_t h, const void *p, size_t n);

/* Little-endian unsigned integers of `bytes` bytes (1..8). */
void binio_le_put(unsigned char *p, uint64_t v, int bytes);
uint64_t binio_le_get(const unsigned char *p, int bytes);

/* Writes p[0..n) and then its FNV-1a 64 (8 bytes, little-endian) to `path`
 * atomically.  0, or -1 with a one-line message in err. */
int binio_write_checksummed(const char *path, const void *p, size_t n, char *err, size_t nerr);
/* 1 when p[0..n) ends with the FNV-1a 64 of the bytes before it. */
int binio_checksum_ok(const unsigned char *p, size_t n);

/* Reads the whole regular file `path` into *p (malloc'd, *n bytes) after
 * checking its size against [min, max] with fstat, so a forged or huge file
 * is refused before anything is allocated.  0, or -1 with a one-line
 * message in err. */
int binio_read_file(unsigned char **p, size_t *n, const char *path, size_t min, size_t max, char *err,
                    size_t nerr);

/* printf into err[nerr] (when err is not NULL): the one-line messages of loaders. */
void binio_errf(char *err, size_t nerr, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
