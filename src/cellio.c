#include "cellio.h"

#include "binio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Type tags: a record is tag, then (for arrays) an 8-byte count, then the values. */
enum { T_F64 = 1, T_I64, T_F64S, T_I64S, T_STR, T_BYTES };

void cellio_out_init(cellio_out *o) { memset(o, 0, sizeof *o); }

void cellio_out_clear(cellio_out *o)
{
    free(o->p);
    memset(o, 0, sizeof *o);
}

static unsigned char *grow(cellio_out *o, size_t add)
{
    if (o->failed) return NULL;
    if (o->n + add > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < o->n + add) cap *= 2;
        unsigned char *p = realloc(o->p, cap);
        if (!p) {
            o->failed = 1;
            return NULL;
        }
        o->p = p;
        o->cap = cap;
    }
    unsigned char *at = o->p + o->n;
    o->n += add;
    return at;
}

/* The tag and count of an array; the caller appends the values. */
static void put_head(cellio_out *o, int tag, size_t count)
{
    unsigned char *p = grow(o, 9);
    if (!p) return;
    p[0] = (unsigned char)tag;
    binio_le_put(p + 1, count, 8);
}

static void put_word(cellio_out *o, uint64_t w)
{
    unsigned char *p = grow(o, 8);
    if (p) binio_le_put(p, w, 8);
}

static uint64_t f64_bits(double x)
{
    uint64_t w;
    memcpy(&w, &x, 8);
    return w;
}

void cellio_put_f64(cellio_out *o, double x)
{
    unsigned char *p = grow(o, 9);
    if (!p) return;
    p[0] = T_F64;
    binio_le_put(p + 1, f64_bits(x), 8);
}

void cellio_put_i64(cellio_out *o, int64_t x)
{
    unsigned char *p = grow(o, 9);
    if (!p) return;
    p[0] = T_I64;
    binio_le_put(p + 1, (uint64_t)x, 8);
}

void cellio_put_f64s(cellio_out *o, const double *x, size_t n)
{
    put_head(o, T_F64S, n);
    for (size_t i = 0; i < n; i++) put_word(o, f64_bits(x[i]));
}

void cellio_put_i64s(cellio_out *o, const int64_t *x, size_t n)
{
    put_head(o, T_I64S, n);
    for (size_t i = 0; i < n; i++) put_word(o, (uint64_t)x[i]);
}

void cellio_put_ints(cellio_out *o, const int *x, size_t n)
{
    put_head(o, T_I64S, n);
    for (size_t i = 0; i < n; i++) put_word(o, (uint64_t)(int64_t)x[i]);
}

void cellio_put_bytes(cellio_out *o, const void *p, size_t n)
{
    put_head(o, T_BYTES, n);
    unsigned char *d = grow(o, n);
    if (d && n) memcpy(d, p, n);
}

void cellio_put_str(cellio_out *o, const char *s)
{
    if (!s) s = "";
    size_t n = strlen(s);
    put_head(o, T_STR, n);
    unsigned char *d = grow(o, n);
    if (d && n) memcpy(d, s, n);
}

int cellio_put_printed(cellio_out *o, void (*fn)(FILE *f, void *arg), void *arg)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        o->failed = 1;
        return -1;
    }
    fn(f, arg);
    int bad = fclose(f) != 0;
    if (!bad) cellio_put_str(o, text);
    free(text);
    if (bad) o->failed = 1;
    return bad ? -1 : 0;
}

/* --- reading ---------------------------------------------------------------- */

void cellio_in_init(cellio_in *in, const unsigned char *p, size_t n, int cell)
{
    in->p = p;
    in->n = n;
    in->pos = 0;
    in->failed = 0;
    in->cell = cell;
}

static const unsigned char *take(cellio_in *in, size_t k)
{
    if (in->failed || in->n - in->pos < k) {
        in->failed = 1;
        return NULL;
    }
    const unsigned char *p = in->p + in->pos;
    in->pos += k;
    return p;
}

static int tag_ok(cellio_in *in, int tag)
{
    const unsigned char *p = take(in, 1);
    if (!p || *p != tag) in->failed = 1;
    return !in->failed;
}

/* Reads an array header and checks its count against want. */
static int head_ok(cellio_in *in, int tag, size_t want)
{
    if (!tag_ok(in, tag)) return 0;
    const unsigned char *p = take(in, 8);
    if (!p || binio_le_get(p, 8) != want) in->failed = 1;
    return !in->failed;
}

int64_t cellio_peek_count(const cellio_in *in)
{
    if (in->failed || in->n - in->pos < 9) return -1;
    int tag = in->p[in->pos];
    if (tag != T_F64S && tag != T_I64S && tag != T_STR && tag != T_BYTES) return -1;
    return (int64_t)binio_le_get(in->p + in->pos + 1, 8);
}

double cellio_get_f64(cellio_in *in)
{
    if (!tag_ok(in, T_F64)) return 0.0;
    const unsigned char *p = take(in, 8);
    if (!p) return 0.0;
    uint64_t w = binio_le_get(p, 8);
    double x;
    memcpy(&x, &w, 8);
    return x;
}

int64_t cellio_get_i64(cellio_in *in)
{
    if (!tag_ok(in, T_I64)) return 0;
    const unsigned char *p = take(in, 8);
    return p ? (int64_t)binio_le_get(p, 8) : 0;
}

void cellio_get_f64s(cellio_in *in, double *x, size_t n)
{
    if (!head_ok(in, T_F64S, n)) return;
    const unsigned char *p = take(in, 8 * n);
    for (size_t i = 0; p && i < n; i++) {
        uint64_t w = binio_le_get(p + 8 * i, 8);
        memcpy(&x[i], &w, 8);
    }
}

void cellio_get_i64s(cellio_in *in, int64_t *x, size_t n)
{
    if (!head_ok(in, T_I64S, n)) return;
    const unsigned char *p = take(in, 8 * n);
    for (size_t i = 0; p && i < n; i++) x[i] = (int64_t)binio_le_get(p + 8 * i, 8);
}

void cellio_get_ints(cellio_in *in, int *x, size_t n)
{
    if (!head_ok(in, T_I64S, n)) return;
    const unsigned char *p = take(in, 8 * n);
    for (size_t i = 0; p && i < n; i++) {
        int64_t v = (int64_t)binio_le_get(p + 8 * i, 8);
        if (v < -2147483647 - 1 || v > 2147483647) in->failed = 1;
        x[i] = (int)v;
    }
}

void cellio_get_str(cellio_in *in, char *buf, size_t n)
{
    if (n) buf[0] = 0;
    int64_t k = cellio_peek_count(in);
    if (k < 0 || (size_t)k >= n) {
        in->failed = 1;
        return;
    }
    if (!head_ok(in, T_STR, (size_t)k)) return;
    const unsigned char *p = take(in, (size_t)k);
    if (!p) return;
    memcpy(buf, p, (size_t)k);
    buf[k] = 0;
}

void cellio_get_bytes(cellio_in *in, void *p, size_t n)
{
    if (!head_ok(in, T_BYTES, n)) return;
    const unsigned char *s = take(in, n);
    if (s && n) memcpy(p, s, n);
}

int cellio_in_done(cellio_in *in)
{
    if (!in->failed && in->pos == in->n) return 0;
    fprintf(stderr, "deepcheap: cell %d: its stored result does not match what the reduce step reads (%s)\n",
            in->cell, in->failed ? "type or count mismatch" : "unread values left");
    return -1;
}

char *cellio_get_text(cellio_in *in)
{
    int64_t n = cellio_peek_count(in);
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!text) {
        in->failed = 1;
        return NULL;
    }
    cellio_get_str(in, text, (size_t)n + 1);
    if (in->failed) {
        free(text);
        return NULL;
    }
    return text;
}
