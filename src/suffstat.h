/* suffstat: exact minimal sufficient statistics of finite Markov chains
 * (LT Thm 2) and the data processing inequality with its equality case
 * (LT Eqs. 21-22), on rational distributions (GMP mpq) with mutual
 * informations in Arb balls. */
#ifndef DEEPCHEAP_SUFFSTAT_H
#define DEEPCHEAP_SUFFSTAT_H

#include "rng.h"

#include <arb.h>
#include <gmp.h>

#define SUFF_MAXLEV 8

/* y_0 -> y_1 -> ... -> y_n, y_j in [0, k[j]); prior P(y_0) and row-stochastic
 * transitions M[j][a*k[j+1]+b] = P(y_{j+1} = b | y_j = a), all rational. */
typedef struct {
    int n;
    int k[SUFF_MAXLEV + 1];
    mpq_t *prior;
    mpq_t *M[SUFF_MAXLEV];
} suff_chain;

/* Allocates a chain with n transitions (1 <= n <= SUFF_MAXLEV); entries 0. */
void suff_chain_init(suff_chain *c, int n, const int *k);
void suff_chain_clear(suff_chain *c);

/* Random chain: every entry a random integer in [1, 9], rows normalized.
 * For continuous weights every T_i would almost surely be the identity on y_n
 * (trivial partition); these small integers give coincidental exact merges in a
 * few per cent of chains. */
void suff_chain_random(suff_chain *c, rng_stream *r, int n, const int *k);

/* Chain with known merges: y_j = (s, t_1..t_j), s in [0,S), tags t_r in
 * [0,m) born independently at step r and copied onward; s_{j+1} depends on
 * s_j only, and the last signal step has two proportional columns (s_n = 0
 * and 1 carry the same information).  Then T_i keeps s (0 and 1 merged) and
 * the tags born at steps <= i: (S-1) m^i classes for i < n, for generic weights
 * (integers in [1, 65536], so coincidental extra merges are negligible).  S >= 3, m >= 2. */
void suff_chain_tagged(suff_chain *c, rng_stream *r, int n, int S, int m);
/* The number of classes suff_chain_tagged's T_i has, by the argument above. */
int suff_tagged_classes(int n, int S, int m, int i);

/* The minimal sufficient statistic of y_n for y_i: cls[v] labels y_n = v by
 * its exact posterior P(y_i | y_n = v) (labels 0, 1, ... by first
 * occurrence).  Returns the number of classes.  Values with P(y_n = v) = 0
 * (no posterior) share one class of their own. */
int suff_partition(int *cls, const suff_chain *c, int i);

/* 1 iff `coarse` is a function of `fine` on [0, len): equal fine labels imply
 * equal coarse labels. */
int suff_refines(const int *fine, const int *coarse, int len);

/* --- data processing inequality ----------------------------------------- */
typedef struct {
    int nx, ny;
    mpq_t *p; /* p[x*ny + y] = P(x, y), sums to 1 */
} suff_joint;

void suff_joint_init(suff_joint *J, int nx, int ny);
void suff_joint_clear(suff_joint *J);
/* Random joint with integer weights in [1, 9], normalized. */
void suff_joint_random(suff_joint *J, rng_stream *r, int nx, int ny);
/* P(x, y) = P(x, f(y)) w(y | f(y)) with random rational factors: f sufficient. */
void suff_joint_sufficient(suff_joint *J, rng_stream *r, int nx, int ny, const int *f, int nz);

/* Exact: 1 iff P(x | y) depends on y only through f(y) (f: [0,ny) -> [0,nz)). */
int suff_is_sufficient(const suff_joint *J, const int *f, int nz);

typedef enum { SUFF_EQUAL = 0, SUFF_STRICT, SUFF_UNDECIDED } suff_dpi_kind;

typedef struct {
    double ixy, ixf;     /* midpoints of I(x;y), I(x;f(y)) in nats */
    double diff_lo;      /* lower end of the ball I(x;y) - I(x;f(y)) */
    double gap;          /* midpoint of sum p log(P(x|y)/P(x|f(y))) */
    suff_dpi_kind kind;  /* from the balls */
    int identity_ok;     /* the gap ball overlaps the difference ball */
} suff_dpi_result;

/* I(x;y) and I(x;f(y)) as Arb balls (each term's ratio exact in mpq); the
 * difference certified > 0 gives SUFF_STRICT; a gap that is exactly zero
 * (every ratio P(x|y)/P(x|f(y)) exactly 1) with a difference ball containing
 * 0 gives SUFF_EQUAL. */
void suff_dpi(suff_dpi_result *out, const suff_joint *J, const int *f, int nz, slong prec);

/* The check a claim "f is sufficient" (claimed = 1) or "f is not" (claimed =
 * 0) must pass: 1 iff the certified DPI outcome agrees with the claim. */
int suff_dpi_check(const suff_joint *J, const int *f, int nz, int claimed, slong prec);

#endif
