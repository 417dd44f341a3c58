#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double progress_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_start(progress *p, const char *label, uint64_t total)
{
    p->label = label;
    p->total = total ? total : 1;
    p->done = 0;
    p->t0 = p->last = progress_seconds();
    p->tty = isatty(2);
}

static void draw(const progress *p, double t)
{
    double frac = (double)p->done / (double)p->total;
    double el = t - p->t0;
    double eta = frac > 0 ? el * (1.0 - frac) / frac : 0.0;
    fprintf(stderr, "\r%s: %5.1f%% (%llu/%llu)  elapsed %.0fs  ETA %.0fs   ", p->label,
            100.0 * frac, (unsigned long long)p->done, (unsigned long long)p->total, el, eta);
    fflush(stderr);
}

/* Without a terminal (CI, nohup, a log file): one line every 30 s, so a
 * long run shows it is alive and how far it got, without flooding the log. */
static void line(const progress *p, double t)
{
    double frac = (double)p->done / (double)p->total, el = t - p->t0;
    fprintf(stderr, "%s: %.0f%% (%llu/%llu) after %.0f s, about %.0f s left\n", p->label, 100.0 * frac,
            (unsigned long long)p->done, (unsigned long long)p->total, el, frac > 0 ? el * (1.0 - frac) / frac : 0.0);
    fflush(stderr);
}

void progress_add(progress *p, uint64_t n)
{
    #pragma omp critical(deepcheap_progress)
    {
        p->done += n;
        double t = progress_seconds();
        if (p->tty && (t - p->last > 0.2 || p->done >= p->total)) {
            p->last = t;
            draw(p, t);
        } else if (!p->tty && t - p->last >= 30.0 && p->done < p->total) {
            p->last = t;
            line(p, t);
        }
    }
}

void progress_end(progress *p)
{
    if (p->tty) {
        draw(p, progress_seconds());
        fputc('\n', stderr);
    }
}
