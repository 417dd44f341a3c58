/* progress: one updating progress line with an ETA on stderr when stderr is
 * a terminal; otherwise one line every 30 s.  Thread-safe to tick from
 * inside OpenMP loops. */
#ifndef DEEPCHEAP_PROGRESS_H
#define DEEPCHEAP_PROGRESS_H

#include <stdint.h>

typedef struct {
    const char *label;
    uint64_t total;
    uint64_t done;
    double t0, last;
    int tty;
} progress;

/* Seconds on the monotonic clock (for timings: differences only). */
double progress_seconds(void);

void progress_start(progress *p, const char *label, uint64_t total);
/* Adds `n` finished units; redraws at most every 0.2 s. */
void progress_add(progress *p, uint64_t n);
void progress_end(progress *p);

#endif
