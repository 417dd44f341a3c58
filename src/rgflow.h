/* rgflow: renormalization steps computed exactly.
 *
 * LT-18: the lattice Gaussian field H = sum_x [y0 phi^2 + y1 sum_mu (phi_{x+mu} - phi_x)^2
 * + y2 (Lap phi)^2], i.e. K(k) = y0 + y1 s + y2 s^2 with s = sum_mu 4 sin^2(k_mu/2),
 * P(phi) ~ exp(-H).  Averaging b^d blocks gives a Gaussian field on the coarse lattice
 * (spacing 1 in coarse units, field not rescaled) with
 *   K'(q) = b^d / sum_m |A(k_m)|^2 / K(k_m),   k_m = (q + 2 pi m) / b,
 *   |A(k)|^2 = prod_mu sin^2(b k_mu/2) / (b^2 sin^2(k_mu/2)).
 * Along an axis q = (t, 0, ..) only aliases m = (m_1, 0, ..) contribute; the couplings
 * y' are read off as K'(t,0) = y0' + y1' s' + y2' s'^2 + O(s'^3), s' = 4 sin^2(t/2).
 *
 * MS-1: 1D Ising decimation (tanh J' = tanh^2 J) by exact summation, the trace
 * condition Tr_h e^{T(v,h)} = 1, and T = -E + H for an RBM.
 * LT-19: LT's early counterexample H(y,y') = H(y) + H(y') + K(y) + ln Z~. */
#ifndef DEEPCHEAP_RGFLOW_H
#define DEEPCHEAP_RGFLOW_H

#include "rng.h"

#include <arb.h>

/* y' = (y0', y1', y2') as balls, from y as balls; b >= 2, 1 <= d <= 3.
 * Exact Taylor coefficients of the alias sum (Arb power series). */
void rg_block_couplings(arb_t *out, arb_t *const y, int b, int d, slong prec);
/* The same from doubles: midpoints and radii. */
void rg_block_couplings_d(double out[3], double rad[3], const double y[3], int b, int d);

/* K'(q) of the b x b block average in d = 2 by the alias sum (double). */
double rg_block_kernel(const double y[3], int b, const double q[2]);

/* Independent route: the L x L periodic lattice (L divisible by b, y0 > 0) in real
 * space.  Dense precision matrix, covariance of the block averages, inverted; Kq[nx*Lc+ny]
 * = K'(2 pi (nx, ny) / Lc), Lc = L/b.  Returns 0, or -1 when a matrix is not positive. */
int rg_block_realspace(double *Kq, const double y[3], int L, int b);

/* Jacobian J[i][j] = d y_i' / d y_j at y (central differences on the certified map,
 * step 2^-60, 256-bit balls: truncation error O(2^-120)). */
void rg_block_jacobian(double J[3][3], const double y[3], int b, int d);

/* --- MS-1 --------------------------------------------------------------------- */
/* Ring of n spins (n even, >= 4) or open chain (n odd, >= 3) with bond weights
 * q + p s s' (tanh J = p/q, 0 <= p < q).  Sums the odd sites out exactly (mpz) and
 * checks that the marginal weights of the even sites are proportional to the chain
 * with tanh J' = pp/qq (weights qq + pp h h').  Returns the number of mismatching
 * configurations: 0 for pp/qq = (p/q)^2 if tanh J' = tanh^2 J is exact. */
long rg_decimate_check(int n, int ring, unsigned long p, unsigned long q, unsigned long pp, unsigned long qq);
/* Decimation's coupling operator e^{T(v,h)} = prod_j delta(h_j, v_{2j}): the number of
 * v in {-1,1}^n whose Tr_h e^T differs from 1. */
long rg_decimate_trace(int n, int ring);

typedef struct {
    long trace_bad;  /* v with Tr_h e^{T(v,h)} != 1 */
    long hrg_bad;    /* h with e^{-H_RG(h)} != RBM hidden marginal */
    int z_equal;     /* Z' = Z of the data */
} rg_ms_result;
/* RBM with random rational Boltzmann factors (nv + nh <= 16) and T = -E(v,h) + H(v).
 * perturb = 0: the data Hamiltonian H is the RBM's marginal; perturb = 1: H differs
 * (one state's weight doubled), so the trace condition must fail. */
void rg_ms_rbm(rg_ms_result *out, rng_stream *r, int nv, int nh, int perturb);

/* --- LT-19 -------------------------------------------------------------------- */
typedef struct {
    int z_kept;               /* sum e^{-H(y,y')} == Z exactly */
    long marginal_changed;    /* y with P_joint(y) != e^{-H(y)}/Z */
    long hidden_changed;      /* y' with P_joint(y') != e^{-H(y')}/Z */
    long trace_violated;      /* v with Tr_h e^{T(v,h)} != 1 */
    long identity_bad;        /* v with P_joint(v) != P(v) Tr_h e^{T(v,h)} */
    int hrg_equal;            /* H_RG(h) == H(h) for all h */
    double trace_min, trace_max;
    double kl;                /* KL(P_joint(y) || P(y)) in nats (double) */
} rg_lt19_result;
/* Ising ring of n spins with bond weights q + p y y' (tanh J = p/q); K(y) with
 * e^{-K(y)} = (kn/kd)^{#up spins}.  kn == kd is the control (K constant). */
void rg_lt19(rg_lt19_result *out, int n, unsigned long p, unsigned long q, unsigned long kn, unsigned long kd);

#endif
