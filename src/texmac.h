/* texmac: LaTeX macros as data.
 *
 * An experiment declares the numbers its chapter quotes as a table of
 * {name, kind, digits, value} rows and hands it to run_macros (src/run.h);
 * this module checks the names and formats the values.  No number in the
 * report's prose is typed: each is one of these macros. */
#ifndef DEEPCHEAP_TEXMAC_H
#define DEEPCHEAP_TEXMAC_H

#include <stddef.h>
#include <stdio.h>

typedef enum {
    TEXMAC_STR, /* the text as given (already LaTeX) */
    TEXMAC_INT, /* %lld */
    TEXMAC_FIX, /* fixed notation, `digits` after the point */
    TEXMAC_SCI, /* \ensuremath{1.23\times10^{-4}}, `digits` significant */
    TEXMAC_NUM  /* fixed or scientific by magnitude, `digits` significant, in \ensuremath */
} texmac_kind;

typedef struct {
    const char *name; /* TeX control word: letters only, 1..63 */
    texmac_kind kind;
    int digits;
    double x;         /* FIX, SCI, NUM */
    long long i;      /* INT */
    const char *s;    /* STR */
} texmac;

/* Table rows. */
#define TEXMAC_S(n, str) {(n), TEXMAC_STR, 0, 0.0, 0, (str)}
#define TEXMAC_I(n, v) {(n), TEXMAC_INT, 0, 0.0, (long long)(v), NULL}
#define TEXMAC_F(n, d, v) {(n), TEXMAC_FIX, (d), (double)(v), 0, NULL}
#define TEXMAC_E(n, d, v) {(n), TEXMAC_SCI, (d), (double)(v), 0, NULL}
#define TEXMAC_N(n, d, v) {(n), TEXMAC_NUM, (d), (double)(v), 0, NULL}
#define TEXMAC_LEN(t) (sizeof(t) / sizeof((t)[0]))

/* 1 when `name` is a TeX control word of letters only (1..63 chars). */
int texmac_name_ok(const char *name);

/* The macro's value as text into buf[n] (what goes between the braces). */
void texmac_value(char *buf, size_t n, const texmac *m);

/* Writes \newcommand{\NAME}{VALUE} for each row.  Returns 0, or -1 after
 * one line on stderr naming the first bad name (nothing is written then). */
int texmac_write(FILE *f, const texmac *t, size_t n);

/* Fixed or scientific by magnitude with `sig` significant digits, without
 * \ensuremath (for measured-value strings): 0.0123, 4.6, 1.2\times10^{-7}. */
void texmac_format_num(char *buf, size_t n, int sig, double v);
/* Scientific notation as LaTeX math: 1.23\times10^{-4}; 1 significant digit at least. */
void texmac_format_sci(char *buf, size_t n, int sig, double v);

#endif
