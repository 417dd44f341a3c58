/* stats: small statistical tests shared by the chapters. */
#ifndef DEEPCHEAP_STATS_H
#define DEEPCHEAP_STATS_H

/* One-sided Mann-Whitney U test of "the a's tend to be smaller than the
 * b's": U = #{(i,j): a_i < b_j} + #{a_i = b_j}/2, and p = P(Z <= z) with the
 * normal approximation z = (na nb / 2 - U) / sqrt(na nb (na + nb + 1) / 12)
 * (no tie correction; good for na, nb >= 8).  Small p: a smaller. */
double stats_mann_whitney_p(const double *a, int na, const double *b, int nb);

/* Median of x[n] (mean of the two middle values for even n); x is sorted in
 * place.  NAN for n = 0. */
double stats_median(double *x, int n);

#endif
