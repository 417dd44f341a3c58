/* cellio: one grid cell's result as a typed, portable record.
 *
 * A cell function puts values in order; the reduce step gets them back in
 * the same order.  Each value carries a one-byte type tag and is stored
 * little-endian (doubles bit for bit), so a record written on one machine
 * reads the same on another, and a reduce that reads a different type or
 * past the end is caught (the reader's `failed` flag) instead of misreading. */
#ifndef DEEPCHEAP_CELLIO_H
#define DEEPCHEAP_CELLIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    unsigned char *p;
    size_t n, cap;
    int failed; /* allocation failure: the cell is reported failed */
} cellio_out;

typedef struct {
    const unsigned char *p;
    size_t n, pos;
    int failed; /* type mismatch or read past the end */
    int cell;   /* which cell (for messages) */
} cellio_in;

void cellio_out_init(cellio_out *o);
void cellio_out_clear(cellio_out *o);

void cellio_put_f64(cellio_out *o, double x);
void cellio_put_i64(cellio_out *o, int64_t x);
void cellio_put_f64s(cellio_out *o, const double *x, size_t n);
void cellio_put_i64s(cellio_out *o, const int64_t *x, size_t n);
void cellio_put_ints(cellio_out *o, const int *x, size_t n);
/* NUL-terminated text (NULL puts ""). */
void cellio_put_str(cellio_out *o, const char *s);
/* Opaque bytes (only for byte data: no structs, their layout is not portable). */
void cellio_put_bytes(cellio_out *o, const void *p, size_t n);

/* What fn(f, arg) prints, as one text record: a one-off cell hands a table
 * over as its formatted rows this way.  0, or -1 (and out marked failed). */
int cellio_put_printed(cellio_out *o, void (*fn)(FILE *f, void *arg), void *arg);

void cellio_in_init(cellio_in *in, const unsigned char *p, size_t n, int cell);
double cellio_get_f64(cellio_in *in);
int64_t cellio_get_i64(cellio_in *in);
/* Array getters: the record's count must equal n. */
void cellio_get_f64s(cellio_in *in, double *x, size_t n);
void cellio_get_i64s(cellio_in *in, int64_t *x, size_t n);
void cellio_get_ints(cellio_in *in, int *x, size_t n);
/* Copies the text into buf[n] (truncation fails the reader). */
void cellio_get_str(cellio_in *in, char *buf, size_t n);
void cellio_get_bytes(cellio_in *in, void *p, size_t n);
/* The next text record of any length, malloc'd (free it); NULL and the
 * reader marked failed on a mismatch. */
char *cellio_get_text(cellio_in *in);
/* Length of the next record's array or bytes (without consuming it); -1 on a mismatch. */
int64_t cellio_peek_count(const cellio_in *in);
/* 0 when every read matched and the whole record was consumed; otherwise
 * one line on stderr naming the cell and -1. */
int cellio_in_done(cellio_in *in);

#endif
