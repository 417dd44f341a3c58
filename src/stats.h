/* stats: the statistical tests and distributions the verdicts use.
 *
 * Tails and quantiles come from R's standalone math library (Debian's
 * r-mathlib: pnorm, pt, pchisq, qchisq, ...), not from copied formulas.
 * The Mann-Whitney test is exact: the permutation distribution of the rank
 * sum given the observed ties, by dynamic programming over the pooled
 * (mid)ranks, for samples up to STATS_MW_EXACT_MAX together; beyond that the
 * normal approximation with the tie correction and a continuity correction. */
#ifndef DEEPCHEAP_STATS_H
#define DEEPCHEAP_STATS_H

#define STATS_MW_EXACT_MAX 100

/* One-sided Mann-Whitney U test of "the a's tend to be smaller than the
 * b's": p = P(U >= u_obs) under exchangeability, where U = #{(i,j): a_i <
 * b_j} + #{a_i = b_j}/2.  Small p: a smaller.  1 when na or nb is 0. */
double stats_mann_whitney_p(const double *a, int na, const double *b, int nb);
/* The same by the normal approximation with tie and continuity corrections
 * (what stats_mann_whitney_p uses above STATS_MW_EXACT_MAX). */
double stats_mann_whitney_p_normal(const double *a, int na, const double *b, int nb);

/* One-sided sign test: P(X >= k) for X ~ Binomial(n, 1/2). */
double stats_sign_test_p(int k, int n);

/* Upper tails: P(T > t) for Student t with nu degrees of freedom, P(X > x)
 * for chi-square with k, P(Z > z) for the standard normal. */
double stats_t_upper(double t, double nu);
double stats_chi2_upper(double x, double k);
double stats_normal_upper(double z);
/* Quantiles: t with P(T <= t) = p; chi-square with P(X <= x) = p; normal. */
double stats_t_quantile(double p, double nu);
double stats_chi2_quantile(double p, double k);
double stats_normal_quantile(double p);

/* Median of x[n] (mean of the two middle values for even n); x is sorted in
 * place.  NAN for n = 0. */
double stats_median(double *x, int n);

#endif
