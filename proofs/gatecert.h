/* gate_cert: certified sup error of the multiplication gate (Arb), and the
 * exact Taylor expansion of the gate (GMP rationals). */
#ifndef DEEPCHEAP_GATE_CERT_H
#define DEEPCHEAP_GATE_CERT_H

#include "gate.h"

typedef enum { GATE_CERTIFIED = 0, GATE_REFUTED, GATE_UNDECIDED } gate_cert_verdict;

typedef struct {
    gate_cert_verdict verdict;
    long boxes;     /* boxes examined */
    double sup_lo;  /* certified lower bound of sup |m - xy| (value at a point) */
    double sup_hi;  /* certified upper bound (rounded up to double) */
} gate_cert_result;

const char *gate_cert_verdict_name(gate_cert_verdict v);

/* Proves sup_{[-R,R]^2} |m(x,y) - xy| <= eps (certified), or > eps
 * (refuted), by branch and bound with a mean-value form.  max_boxes bounds
 * the work (undecided when reached).  0 on success, -1 on bad input. */
int gate_cert_eps(gate_cert_result *r, gate_act a, double lambda, double R, double eps,
                  long max_boxes);
/* Encloses the sup: sup_hi <= (1 + rtol) sup_lo unless undecided. */
int gate_cert_sup(gate_cert_result *r, gate_act a, double lambda, double R, double rtol,
                  long max_boxes);
/* Arb value of m(x,y) - xy at a point: *lo <= e <= *hi. */
void gate_cert_point(double *lo, double *hi, gate_act a, double lambda, double x, double y);

/* Exact Taylor coefficients c_k, k = 0..K (K <= 12), of u -> sigma(b+u) as
 * exact rationals in double form num/den, in units of `unit`
 * (softplus, logistic, tanh: unit 1, c_0 of softplus = ln 2 is irrational and
 * reported as NAN; exp and ELU: unit e^b). Returns 0, -1 on bad input. */
int gate_taylor(long *num, long *den, gate_act a, int K);
/* Degree-4 term of m - xy: coefficient q of lambda^2 (x^3 y + x y^3),
 * q = 2 c4 / c2, as an exact fraction. */
void gate_taylor_deg4(long *num, long *den, gate_act a);


#endif
