/* binio: atomic files, FNV-1a, little-endian integers, checksummed files,
 * size-checked reads. */
#include "binio.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/deepcheap-test-binio-XXXXXX");
    cr_assert(mkdtemp(dir) != NULL);
}

static void teardown(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert(system(cmd) == 0);
}

/* Number of entries in a directory other than . and .. */
static int entries(const char *d)
{
    DIR *dp = opendir(d);
    if (!dp) return 0;
    int n = 0;
    for (struct dirent *e; (e = readdir(dp));) n += e->d_name[0] != '.';
    closedir(dp);
    return n;
}

Test(binio, file_appears_only_on_commit_and_abort_leaves_nothing, .init = setup, .fini = teardown)
{
    char path[600], sub[512];
    snprintf(sub, sizeof sub, "%s/a/b", dir);
    snprintf(path, sizeof path, "%s/f.txt", sub);
    binio_file f;
    cr_assert(binio_file_open(&f, path) == 0);
    fputs("x\n", f.f);
    cr_assert(access(path, F_OK) != 0, "file visible before commit");
    cr_assert(binio_file_commit(&f) == 0);
    cr_assert(access(path, F_OK) == 0);
    cr_assert(entries(sub) == 1, "temp file left behind");
    cr_assert(binio_file_open(&f, path) == 0);
    fputs("half", f.f);
    binio_file_abort(&f);
    cr_assert(entries(sub) == 1, "abort left a temp file");
    /* a writer that marks the file failed: commit refuses, the old file stays */
    cr_assert(binio_file_open(&f, path) == 0);
    fputs("bad\n", f.f);
    f.failed = 1;
    cr_assert(binio_file_commit(&f) != 0);
    FILE *r = fopen(path, "r");
    char line[16] = "";
    cr_assert(fgets(line, sizeof line, r) != NULL);
    fclose(r);
    cr_assert(strcmp(line, "x\n") == 0, "%s", line);
    cr_assert(entries(sub) == 1);
}

Test(binio, unwritable_directory_fails_cleanly)
{
    binio_file f;
    cr_assert(binio_file_open(&f, "/proc/deepcheap-cannot-exist/x") != 0);
}

/* FNV-1a 64 against the published test vectors, and continuation. */
Test(binio, fnv1a_vectors)
{
    cr_assert(binio_fnv1a(BINIO_FNV1A_INIT, "", 0) == 0xcbf29ce484222325ull);
    cr_assert(binio_fnv1a(BINIO_FNV1A_INIT, "a", 1) == 0xaf63dc4c8601ec8cull);
    cr_assert(binio_fnv1a(BINIO_FNV1A_INIT, "foobar", 6) == 0x85944171f73967e8ull);
    cr_assert(binio_fnv1a(binio_fnv1a(BINIO_FNV1A_INIT, "foo", 3), "bar", 3) == 0x85944171f73967e8ull);
}

/* Little-endian integers: put then get, and get against the byte layout. */
Test(binio, little_endian_round_trip)
{
    unsigned char b[8];
    const uint64_t vs[4] = {0, 1, 0x0123456789abcdefull, UINT64_MAX};
    for (int k = 0; k < 4; k++)
        for (int bytes = 1; bytes <= 8; bytes++) {
            uint64_t mask = bytes == 8 ? UINT64_MAX : (((uint64_t)1 << (8 * bytes)) - 1);
            binio_le_put(b, vs[k], bytes);
            cr_assert(binio_le_get(b, bytes) == (vs[k] & mask), "v=%d bytes=%d", k, bytes);
            cr_assert(b[0] == (unsigned char)vs[k], "v=%d bytes=%d: lowest byte first", k, bytes);
        }
}

/* A checksummed file is the payload plus its FNV-1a; one flipped bit or a
 * missing byte makes the check fail. */
Test(binio, checksummed_file_round_trip, .init = setup, .fini = teardown)
{
    char path[512], err[256] = "";
    snprintf(path, sizeof path, "%s/c.bin", dir);
    const char payload[] = "deepcheap payload";
    size_t n = sizeof payload - 1;
    cr_assert(binio_write_checksummed(path, payload, n, err, sizeof err) == 0, "%s", err);
    unsigned char *buf;
    size_t got;
    cr_assert(binio_read_file(&buf, &got, path, 0, 1024, err, sizeof err) == 0, "%s", err);
    cr_assert(got == n + 8 && memcmp(buf, payload, n) == 0);
    cr_assert(binio_le_get(buf + n, 8) == binio_fnv1a(BINIO_FNV1A_INIT, payload, n));
    cr_assert(binio_checksum_ok(buf, got));
    cr_assert(binio_checksum_ok(buf, got - 1) == 0);
    cr_assert(binio_checksum_ok(buf, 7) == 0);
    buf[3] ^= 0x10;
    cr_assert(binio_checksum_ok(buf, got) == 0);
    free(buf);
    cr_assert(binio_write_checksummed("/proc/deepcheap-no/c.bin", payload, n, err, sizeof err) == -1);
    cr_assert(strstr(err, "/proc/deepcheap-no/c.bin") != NULL, "%s", err);
}

/* The size is checked before anything is allocated: too small, too large,
 * a directory and a missing file are refused with a message naming the path. */
Test(binio, read_file_checks_size_first, .init = setup, .fini = teardown)
{
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/s.bin", dir);
    FILE *f = fopen(path, "wb");
    fputs("0123456789", f);
    fclose(f);
    unsigned char *p = (unsigned char *)"untouched";
    size_t n = 99;
    cr_assert(binio_read_file(&p, &n, path, 11, 100, err, sizeof err) != 0);
    cr_assert(p == NULL && n == 0 && strstr(err, "10 bytes") != NULL, "%s", err);
    cr_assert(binio_read_file(&p, &n, path, 0, 9, err, sizeof err) != 0);
    cr_assert(binio_read_file(&p, &n, dir, 0, 1 << 20, err, sizeof err) != 0);
    cr_assert(strstr(err, "not a regular file") != NULL, "%s", err);
    snprintf(path, sizeof path, "%s/missing", dir);
    cr_assert(binio_read_file(&p, &n, path, 0, 9, err, sizeof err) != 0);
    cr_assert(strstr(err, "missing") != NULL, "%s", err);
    snprintf(path, sizeof path, "%s/s.bin", dir);
    cr_assert(binio_read_file(&p, &n, path, 10, 10, err, sizeof err) == 0, "%s", err);
    cr_assert(n == 10 && memcmp(p, "0123456789", 10) == 0);
    free(p);
}
