/* ledger: what `deepcheap claims`, `deepcheap verdict` and `deepcheap
 * stability` do with the published verdicts of an output directory (the
 * options are parsed by cmd/main.c). */
#ifndef DEEPCHEAP_LEDGER_H
#define DEEPCHEAP_LEDGER_H

#include <stdint.h>

/* 1 when OUT holds at least one verdict file. */
int ledger_has_verdicts(const char *out);
/* Refuses verdicts from different seeds or scales, or from sources other
 * than the program's own: one line naming the odd ones out, -1. */
int ledger_check_provenance(const char *out);
/* `claims --detail ID`: the registry entry, the printed statements and the
 * pre-registration as key<TAB>value lines.  Exit status. */
int ledger_detail(const char *id);
/* `claims --json`: the ledger as a JSON array (cJSON), each claim with its
 * expected and computed verdict, status, seed agreement, measured, paper,
 * note and key values.  Exit status as `claims`. */
int ledger_json(const char *out);
/* `claims --values`: every claim's key values as id, name, value, tol. */
int ledger_values(const char *out);
/* `claims --compare FILE`: every value of the baseline FILE that moved
 * beyond its tolerance, one line each on stdout; exit status 1 if any. */
int ledger_compare(const char *out, const char *baseline);
/* `verdict ID`: recomputes the claim's verdict from OUT/data alone and
 * prints the ledger line; exit 1 when it differs from OUT/verdicts/ID.tsv. */
int ledger_verdict(const char *id, const char *out);

/* `stability`: runs every experiment that decides a statistical claim at
 * each of seeds[0..n) (into OUT/stability/seed-S; OUT itself for a seed it
 * already holds at this scale and sources) and writes OUT/stability.tsv:
 * per claim the verdict of every seed, how many agree, and the seed-stable
 * verdict (the unanimous one, else inconclusive), which `claims` then
 * reports.  only[0..nonly) limits it to those experiments (their rows
 * replace theirs in an existing stability.tsv).  Exit status. */
int ledger_stability(const char *out, const int64_t *seeds, int n, int quick, int threads, const char *srcdir,
                     const char *const *only, int nonly);

#endif
