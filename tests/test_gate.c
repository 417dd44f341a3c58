#include "gate.h"
#include "gatecert.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>

static int rel_close(double a, double b, double tol) { return fabs(a - b) <= tol * fabs(b); }

/* CLAIMS.md LT-5 reference values of e(1,1) for softplus (6 digits given) */
Test(gate, softplus_reference_error)
{
    const double lam[3] = {0.5, 0.125, 0.03125}, ref[3] = {-0.0390839, -0.00259337, -1.62718e-4};
    for (int i = 0; i < 3; i++) {
        double e = gate_mul(GATE_SOFTPLUS, lam[i], 1, 1) - 1;
        cr_assert(rel_close(e, ref[i], 5e-6), "lambda %g: e = %.9g, ref %.9g", lam[i], e, ref[i]);
        double lo, hi;
        gate_cert_point(&lo, &hi, GATE_SOFTPLUS, lam[i], 1, 1);
        cr_assert(lo <= e + 1e-12 && e - 1e-12 <= hi, "lambda %g: arb [%g,%g] vs %g", lam[i], lo, hi, e);
    }
}

/* certify just above the enclosed sup, refute just below, for several cases */
Test(gate, certify_and_refute_around_sup)
{
    const gate_act acts[4] = {GATE_SOFTPLUS, GATE_LOGISTIC, GATE_TANH, GATE_EXP};
    const double lam[4] = {0.125, 0.1, 0.1, 0.25};
    for (int i = 0; i < 4; i++) {
        gate_cert_result s, c, r;
        cr_assert(gate_cert_sup(&s, acts[i], lam[i], 1, 1e-3, 1000000) == 0);
        cr_assert(s.verdict == GATE_CERTIFIED && s.sup_hi <= 1.001 * s.sup_lo, "act %d", i);
        cr_assert(gate_cert_eps(&c, acts[i], lam[i], 1, s.sup_hi * 1.0001, 1000000) == 0);
        cr_assert(c.verdict == GATE_CERTIFIED, "act %s: %s", gate_act_name(acts[i]),
                  gate_cert_verdict_name(c.verdict));
        cr_assert(gate_cert_eps(&r, acts[i], lam[i], 1, s.sup_lo * 0.9999, 1000000) == 0);
        cr_assert(r.verdict == GATE_REFUTED, "act %s", gate_act_name(acts[i]));
        /* the sampled max on a grid cannot exceed the certified upper bound */
        double mx = 0;
        for (int a = 0; a <= 40; a++)
            for (int b = 0; b <= 40; b++) {
                double x = -1 + a / 20.0, y = -1 + b / 20.0;
                double e = fabs(gate_mul(acts[i], lam[i], x, y) - x * y);
                if (e > mx) mx = e;
            }
        cr_assert(mx <= s.sup_hi * (1 + 1e-9) && mx >= 0.99 * s.sup_lo, "act %s grid %g sup [%g,%g]",
                  gate_act_name(acts[i]), mx, s.sup_lo, s.sup_hi);
    }
}

/* leading order: sup ~ lambda^2/6 for softplus as lambda -> 0 */
Test(gate, softplus_leading_order)
{
    gate_cert_result s;
    cr_assert(gate_cert_sup(&s, GATE_SOFTPLUS, 1.0 / 64, 1, 1e-3, 1000000) == 0);
    double pred = 1.0 / (64.0 * 64 * 6);
    cr_assert(rel_close(s.sup_lo, pred, 2e-3), "sup %g pred %g", s.sup_lo, pred);
}

/* exact Taylor coefficients vs finite differences of sigma'' (long double) */
Test(gate, taylor_exact_vs_finite_differences)
{
    long num[9], den[9];
    cr_assert(gate_taylor(num, den, GATE_SOFTPLUS, 6) == 0);
    cr_assert(num[1] == 1 && den[1] == 2 && num[2] == 1 && den[2] == 8 && num[3] == 0 &&
              num[4] == -1 && den[4] == 192, "softplus: %ld/%ld %ld/%ld", num[2], den[2], num[4], den[4]);
    for (int a = 0; a < GATE_NACT; a++) {
        cr_assert(gate_taylor(num, den, (gate_act)a, 8) == 0);
        double b = gate_bias((gate_act)a), unit = (a == GATE_EXP || a == GATE_ELU) ? exp(b) : 1;
        /* c_2, c_3 from the closed-form derivatives */
        cr_assert(rel_close(unit * num[2] / den[2], gate_sigma_d((gate_act)a, 2, b) / 2, 1e-12), "%s c2", gate_act_name(a));
        double c3 = unit * num[3] / den[3], d3 = gate_sigma_d((gate_act)a, 3, b) / 6;
        cr_assert(fabs(c3 - d3) <= 1e-12 * (fabs(d3) + 1e-300) + 1e-15, "%s c3 %g %g", gate_act_name(a), c3, d3);
        /* c_4 = sigma''''(b)/24 by central differences of sigma'' */
        long double h = 1e-3L, f0 = gate_sigma_d((gate_act)a, 2, b);
        long double fp = gate_sigma_d((gate_act)a, 2, b + (double)h), fm = gate_sigma_d((gate_act)a, 2, b - (double)h);
        long double d4 = (fp - 2 * f0 + fm) / (h * h) / 24;
        double c4 = unit * num[4] / den[4];
        cr_assert(fabs(c4 - (double)d4) <= 1e-6, "%s c4 %g fd %g", gate_act_name(a), c4, (double)d4);
    }
    long qn, qd;
    gate_taylor_deg4(&qn, &qd, GATE_SOFTPLUS);
    cr_assert(qn == -1 && qd == 12, "softplus deg-4 %ld/%ld", qn, qd);
}

Test(gate, tree_counts_and_products)
{
    for (int n = 1; n <= 64; n++) {
        gate_tree t;
        cr_assert(gate_tree_init(&t, GATE_SOFTPLUS, 0.01, n) == 0);
        int L = 0;
        while ((1 << L) < n) L++;
        cr_assert(t.ngates == n - 1 && t.nlayers == L, "n %d gates %d layers %d", n, t.ngates, t.nlayers);
        cr_assert(t.nneurons == 4 * (n - 1) + 2 * t.ncopies, "n %d", n);
        if ((n & (n - 1)) == 0) cr_assert(t.ncopies == 0, "n %d", n);
        double x[64], sc[128], p = 1;
        for (int i = 0; i < n; i++) x[i] = 0.9 - 0.37 * (i % 5) / 2, p *= x[i];
        double v = gate_tree_eval(&t, x, sc);
        cr_assert(fabs(v - p) <= 1e-3, "n %d: %g vs %g", n, v, p);
        gate_tree_clear(&t);
    }
}

Test(gate, square_binary_relu)
{
    /* RT Prop II.6 with bias: x^2 + O(lambda^2) */
    for (int a = 0; a < GATE_NACT; a++)
        cr_assert(fabs(gate_square((gate_act)a, 1e-2, 0.7) - 0.49) < 1e-3, "%s", gate_act_name(a));
    /* printed normalization (softplus, b = 0): 1/sigma''(0) is right */
    cr_assert(fabs(gate_square_printed(GATE_SOFTPLUS, 1e-2, 0.7) - 0.49) < 1e-4);
    /* binary gate: uvw for large beta */
    for (int k = 0; k < 8; k++) {
        int u = k & 1, v = (k >> 1) & 1, w = (k >> 2) & 1;
        cr_assert(fabs(gate_binary(30, u, v, w) - u * v * w) < 1e-6, "bits %d%d%d", u, v, w);
    }
    /* Yarotsky: |f_m - x^2| <= 2^{-2m-2} */
    for (int m = 1; m <= 10; m++)
        for (int i = 0; i <= 1000; i++) {
            double x = i / 1000.0;
            cr_assert(fabs(gate_relu_square(m, x) - x * x) <= ldexp(1, -2 * m - 2) * (1 + 1e-12), "m %d x %g", m, x);
        }
}

Test(gate, bad_inputs)
{
    gate_act a;
    gate_tree t;
    gate_cert_result r;
    long num[3], den[3];
    cr_assert(gate_act_parse("relu", &a) == -1 && gate_act_parse(NULL, &a) == -1);
    cr_assert(gate_tree_init(&t, GATE_SOFTPLUS, 0.1, 0) == -1);
    cr_assert(gate_tree_init(&t, GATE_SOFTPLUS, -1, 4) == -1);
    cr_assert(gate_cert_eps(&r, GATE_SOFTPLUS, 0, 1, 1e-3, 10) == -1);
    cr_assert(gate_cert_eps(&r, GATE_SOFTPLUS, 0.1, 1, -1, 10) == -1);
    cr_assert(gate_cert_eps(&r, GATE_SOFTPLUS, NAN, 1, 1e-3, 10) == -1);
    cr_assert(gate_taylor(num, den, GATE_SOFTPLUS, 13) == -1);
    /* the work limit gives undecided, never a false verdict */
    cr_assert(gate_cert_eps(&r, GATE_SOFTPLUS, 0.125, 1, 0.0025937, 3) == 0 && r.verdict == GATE_UNDECIDED);
}
