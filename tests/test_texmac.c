/* texmac: macro names, number formats, tables. */
#include "texmac.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

Test(texmac, number_formats)
{
    char b[64];
    texmac_format_num(b, sizeof b, 3, 9.999e-4);
    cr_assert(strcmp(b, "1.00\\times10^{-3}") == 0, "%s", b);
    texmac_format_num(b, sizeof b, 0, 3e-7); /* fewer than one significant digit means one */
    cr_assert(strcmp(b, "3\\times10^{-7}") == 0, "%s", b);
    texmac_format_num(b, sizeof b, 2, -0.0123);
    cr_assert(strcmp(b, "-0.012") == 0, "%s", b);
    texmac_format_num(b, sizeof b, 3, 2.5e7);
    cr_assert(strcmp(b, "2.50\\times10^{7}") == 0, "%s", b);
    texmac_format_num(b, sizeof b, 3, 0.0);
    cr_assert(strcmp(b, "0") == 0, "%s", b);
    texmac_format_sci(b, sizeof b, 2, 9.96e5); /* rounding carries into the exponent */
    cr_assert(strcmp(b, "1.0\\times10^{6}") == 0, "%s", b);
    texmac_format_sci(b, sizeof b, 2, -1.0 / 0.0);
    cr_assert(strcmp(b, "-\\infty") == 0, "%s", b);
    cr_assert(texmac_name_ok("Abc") && !texmac_name_ok("") && !texmac_name_ok("a_b") && !texmac_name_ok("Bad1"));
    char long_name[80];
    memset(long_name, 'a', 64);
    long_name[64] = 0;
    cr_assert(texmac_name_ok(long_name) == 0 && texmac_name_ok(long_name + 1));
}

/* Each kind formats as the old one-call-per-macro functions did. */
Test(texmac, table_rows)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    const char *row = "1 & 2\\\\ 3 & 4\\\\ ";
    const texmac t[] = {
        TEXMAC_I("Count", 42), TEXMAC_F("Half", 2, 0.5), TEXMAC_E("Tiny", 2, 1.234e-13), TEXMAC_N("Mid", 3, 123.456),
        TEXMAC_S("Rows", row),
    };
    cr_assert(texmac_write(f, t, TEXMAC_LEN(t)) == 0);
    fclose(f);
    cr_assert(strstr(text, "\\newcommand{\\Count}{42}\n") != NULL, "%s", text);
    cr_assert(strstr(text, "\\newcommand{\\Half}{0.50}\n") != NULL, "%s", text);
    cr_assert(strstr(text, "\\newcommand{\\Tiny}{\\ensuremath{1.2\\times10^{-13}}}\n") != NULL, "%s", text);
    cr_assert(strstr(text, "\\newcommand{\\Mid}{\\ensuremath{123}}\n") != NULL, "%s", text);
    cr_assert(strstr(text, "\\newcommand{\\Rows}{1 & 2\\\\ 3 & 4\\\\ }\n") != NULL, "%s", text);
    free(text);
}

/* A table with one bad name writes nothing at all. */
Test(texmac, bad_name_writes_nothing)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    const texmac t[] = {TEXMAC_I("Good", 1), TEXMAC_I("Bad1", 2)};
    cr_assert(texmac_write(f, t, TEXMAC_LEN(t)) != 0);
    fclose(f);
    cr_assert(len == 0, "%s", text);
    free(text);
}

/* A long string value is written whole (table rows run to kilobytes). */
Test(texmac, long_string_whole)
{
    size_t n = 20000;
    char *big = malloc(n + 1);
    memset(big, 'x', n);
    big[n] = 0;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    const texmac t[] = {TEXMAC_S("Big", big)};
    cr_assert(texmac_write(f, t, 1) == 0);
    fclose(f);
    cr_assert(len == n + strlen("\\newcommand{\\Big}{}\n"), "%zu", len);
    free(text);
    free(big);
}
