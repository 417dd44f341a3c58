/* results: atomic files, provenance headers, macro files. */
#include "results.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/deepcheap-test-results-XXXXXX");
    cr_assert(mkdtemp(dir) != NULL);
    results_set_outdir(dir);
    results_provenance p = {1234, "quick", 3, "unit-test"};
    results_set_provenance(&p);
}

static void teardown(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert(system(cmd) == 0);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    char *buf = calloc(1, 65536);
    size_t n = fread(buf, 1, 65535, f);
    buf[n] = 0;
    fclose(f);
    return buf;
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

Test(results, tsv_has_provenance_and_appears_only_on_commit, .init = setup, .fini = teardown)
{
    results_file rf;
    cr_assert(results_tsv_open(&rf, "demo", "a\tb") == 0);
    fprintf(rf.f, "1\t2\n");
    char path[512], ddir[512];
    snprintf(path, sizeof path, "%s/data/demo.tsv", dir);
    snprintf(ddir, sizeof ddir, "%s/data", dir);
    cr_assert(access(path, F_OK) != 0, "file visible before commit");
    cr_assert(results_file_commit(&rf) == 0);
    char *s = slurp(path);
    cr_assert(s != NULL);
    cr_assert(strstr(s, "# seed 1234\n") && strstr(s, "# scale quick\n") && strstr(s, "# threads 3\n") != NULL);
    cr_assert(strstr(s, "# commit ") && strstr(s, "# date ") && strstr(s, "# experiment unit-test\n") != NULL);
    cr_assert(strstr(s, "a\tb\n1\t2\n") != NULL);
    cr_assert(entries(ddir) == 1, "temp file left behind");
    free(s);
}

Test(results, abort_leaves_nothing, .init = setup, .fini = teardown)
{
    results_file rf;
    cr_assert(results_tsv_open(&rf, "gone", "x") == 0);
    fprintf(rf.f, "half a result");
    results_file_abort(&rf);
    char ddir[512];
    snprintf(ddir, sizeof ddir, "%s/data", dir);
    cr_assert(entries(ddir) == 0);
}

Test(results, commit_replaces_old_version_whole, .init = setup, .fini = teardown)
{
    for (int v = 0; v < 2; v++) {
        results_file rf;
        cr_assert(results_tsv_open(&rf, "ver", "v") == 0);
        fprintf(rf.f, "%d\n", v);
        cr_assert(results_file_commit(&rf) == 0);
    }
    char path[512];
    snprintf(path, sizeof path, "%s/data/ver.tsv", dir);
    char *s = slurp(path);
    cr_assert(strstr(s, "v\n1\n") && !strstr(s, "v\n0\n"));
    free(s);
}

Test(results, macros_and_bad_names, .init = setup, .fini = teardown)
{
    results_file rf;
    cr_assert(results_macros_open(&rf, "m") == 0);
    results_macro_int(&rf, "Count", 42);
    results_macro_fix(&rf, "Half", 2, 0.5);
    results_macro_sci(&rf, "Tiny", 2, 1.234e-13);
    results_macro_num(&rf, "Mid", 3, 123.456);
    cr_assert(results_file_commit(&rf) == 0);
    char path[512];
    snprintf(path, sizeof path, "%s/macros/m.tex", dir);
    char *s = slurp(path);
    cr_assert(strstr(s, "\\newcommand{\\Count}{42}") != NULL);
    cr_assert(strstr(s, "\\newcommand{\\Half}{0.50}") != NULL);
    cr_assert(strstr(s, "\\newcommand{\\Tiny}{\\ensuremath{1.2\\times10^{-13}}}") != NULL, "%s", s);
    cr_assert(strstr(s, "\\newcommand{\\Mid}{\\ensuremath{123}}") != NULL, "%s", s);
    free(s);
    /* a digit in a macro name is not a TeX control word: the file is refused */
    cr_assert(results_macros_open(&rf, "bad") == 0);
    results_macro_int(&rf, "Bad1", 1);
    cr_assert(results_file_commit(&rf) != 0);
    snprintf(path, sizeof path, "%s/macros/bad.tex", dir);
    cr_assert(access(path, F_OK) != 0);
}

Test(results, number_formats)
{
    char b[64];
    results_format_num(b, sizeof b, 3, 9.999e-4);
    cr_assert(strcmp(b, "1.00\\times10^{-3}") == 0, "%s", b);
    results_format_num(b, sizeof b, 0, 3e-7); /* fewer than one significant digit means one */
    cr_assert(strcmp(b, "3\\times10^{-7}") == 0, "%s", b);
    results_format_num(b, sizeof b, 2, -0.0123);
    cr_assert(strcmp(b, "-0.012") == 0, "%s", b);
    results_format_num(b, sizeof b, 3, 2.5e7);
    cr_assert(strcmp(b, "2.50\\times10^{7}") == 0, "%s", b);
    results_format_num(b, sizeof b, 3, 0.0);
    cr_assert(strcmp(b, "0") == 0, "%s", b);
    cr_assert(results_macro_name_ok("Abc") && !results_macro_name_ok("") && !results_macro_name_ok("a_b"));
}

Test(results, unwritable_directory_fails_cleanly)
{
    results_set_outdir("/proc/deepcheap-cannot-exist");
    results_file rf;
    cr_assert(results_tsv_open(&rf, "x", "y") != 0);
    results_set_outdir("build");
}

/* FNV-1a 64 against the published test vectors, and continuation. */
Test(results, fnv1a_vectors)
{
    cr_assert(results_fnv1a(RESULTS_FNV1A_INIT, "", 0) == 0xcbf29ce484222325ull);
    cr_assert(results_fnv1a(RESULTS_FNV1A_INIT, "a", 1) == 0xaf63dc4c8601ec8cull);
    cr_assert(results_fnv1a(RESULTS_FNV1A_INIT, "foobar", 6) == 0x85944171f73967e8ull);
    cr_assert(results_fnv1a(results_fnv1a(RESULTS_FNV1A_INIT, "foo", 3), "bar", 3) == 0x85944171f73967e8ull);
}

/* Little-endian integers: put then get, and get against the byte layout. */
Test(results, little_endian_round_trip)
{
    unsigned char b[8];
    const uint64_t vs[4] = {0, 1, 0x0123456789abcdefull, UINT64_MAX};
    for (int k = 0; k < 4; k++)
        for (int bytes = 1; bytes <= 8; bytes++) {
            uint64_t mask = bytes == 8 ? UINT64_MAX : (((uint64_t)1 << (8 * bytes)) - 1);
            results_le_put(b, vs[k], bytes);
            cr_assert(results_le_get(b, bytes) == (vs[k] & mask), "v=%d bytes=%d", k, bytes);
            cr_assert(b[0] == (unsigned char)vs[k], "v=%d bytes=%d: lowest byte first", k, bytes);
        }
}

/* A checksummed file is the payload plus its FNV-1a; one flipped bit or a
 * missing byte makes the check fail. */
Test(results, checksummed_file_round_trip, .init = setup, .fini = teardown)
{
    char path[512], err[256] = "";
    snprintf(path, sizeof path, "%s/c.bin", dir);
    const char payload[] = "deepcheap payload";
    size_t n = sizeof payload - 1;
    cr_assert(results_write_checksummed(path, payload, n, err, sizeof err) == 0, "%s", err);
    unsigned char buf[64];
    FILE *f = fopen(path, "rb");
    size_t got = fread(buf, 1, sizeof buf, f);
    fclose(f);
    cr_assert(got == n + 8 && memcmp(buf, payload, n) == 0);
    cr_assert(results_le_get(buf + n, 8) == results_fnv1a(RESULTS_FNV1A_INIT, payload, n));
    cr_assert(results_checksum_ok(buf, got));
    cr_assert(results_checksum_ok(buf, got - 1) == 0);
    cr_assert(results_checksum_ok(buf, 7) == 0);
    buf[3] ^= 0x10;
    cr_assert(results_checksum_ok(buf, got) == 0);
    cr_assert(results_write_checksummed("/proc/deepcheap-no/c.bin", payload, n, err, sizeof err) == -1);
    cr_assert(strstr(err, "/proc/deepcheap-no/c.bin") != NULL, "%s", err);
}
