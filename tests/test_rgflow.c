/* rgflow: the block-averaged Gaussian field two independent ways (real-space
 * lattice inversion vs the Fourier alias sum), its Taylor couplings against the
 * kernel and the closed forms, decimation against brute force, the trace
 * condition, and LT's counterexample with its control. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "rgflow.h"

#include <math.h>

static int rel_close(double a, double b, double tol) { return fabs(a - b) <= tol * fmax(1.0, fabs(b)); }

Test(rgflow, alias_sum_equals_real_space_lattice)
{
    const double ys[3][3] = {{0.5, 1.0, 0.2}, {1.3, 0.7, 0.0}, {0.05, 2.0, 0.6}};
    const int bs[2] = {2, 3};
    for (int c = 0; c < 3; c++)
        for (int ib = 0; ib < 2; ib++) {
            int b = bs[ib], L = 12, Lc = L / b;
            double Kq[36];
            cr_assert(rg_block_realspace(Kq, ys[c], L, b) == 0);
            for (int a = 0; a < Lc; a++)
                for (int e = 0; e < Lc; e++) {
                    double q[2] = {2 * M_PI * a / Lc, 2 * M_PI * e / Lc};
                    cr_assert(rel_close(rg_block_kernel(ys[c], b, q), Kq[a * Lc + e], 1e-10), "case %d b=%d q=(%d,%d): %.15g vs %.15g",
                              c, b, a, e, rg_block_kernel(ys[c], b, q), Kq[a * Lc + e]);
                }
        }
}

/* The series couplings reproduce K'(t,0) up to O(s'^3): halving t cuts the residual ~64x. */
Test(rgflow, couplings_match_kernel_to_third_order)
{
    const double y[3] = {0.4, 1.0, 0.3};
    for (int b = 2; b <= 4; b++) {
        double o[3], r[3], res[2];
        rg_block_couplings_d(o, r, y, b, 2);
        for (int k = 0; k < 2; k++) {
            double t = 0.08 / (1 << k), s = 4 * sin(t / 2) * sin(t / 2), q[2] = {t, 0};
            res[k] = rg_block_kernel(y, b, q) - (o[0] + o[1] * s + o[2] * s * s);
        }
        double ratio = res[0] / res[1];
        cr_assert(ratio > 55 && ratio < 75, "b=%d residual ratio %g (64 expected)", b, ratio);
    }
}

Test(rgflow, mass_exact_and_massless_closed_forms)
{
    for (int d = 1; d <= 3; d++)
        for (int b = 2; b <= 5; b++) {
            double y[3] = {0.37, 1.4, 0.25}, o[3], r[3], f = pow(b, d - 2);
            rg_block_couplings_d(o, r, y, b, d);
            cr_assert(rel_close(o[0], pow(b, d) * y[0], 1e-14), "d=%d b=%d y0'=%g", d, b, o[0]);
            y[0] = 0;
            rg_block_couplings_d(o, r, y, b, d);
            cr_assert(rel_close(o[1], f * y[1], 1e-14), "d=%d b=%d y1'=%g", d, b, o[1]);
            double y2 = f * (y[2] / (b * b) + (1 - 1.0 / (b * b)) * y[1] / 6);
            cr_assert(rel_close(o[2], y2, 1e-14), "d=%d b=%d y2'=%.15g vs %.15g", d, b, o[2], y2);
            cr_assert(r[2] < 1e-20, "balls stay tight");
        }
}

Test(rgflow, jacobian_triangular_with_eigenvalues_b_2_minus_2i)
{
    for (int b = 2; b <= 4; b++) {
        double J[3][3], y[3] = {0, 1, 1.0 / 6};
        rg_block_jacobian(J, y, b, 2);
        cr_assert(fabs(J[0][1]) < 1e-12 && fabs(J[0][2]) < 1e-12 && fabs(J[1][2]) < 1e-12, "b=%d", b);
        for (int i = 0; i < 3; i++)
            cr_assert(rel_close(J[i][i], pow(b, 2 - 2 * i), 1e-12), "b=%d J%d%d=%.15g", b, i, i, J[i][i]);
        /* the mixing a real-space block average brings: d y1'/d y0 = (b^2-1)/12 */
        cr_assert(rel_close(J[1][0], (b * b - 1) / 12.0, 1e-12), "b=%d J10=%.15g", b, J[1][0]);
    }
}

Test(rgflow, decimation_exact_against_brute_force)
{
    const unsigned long pq[4][2] = {{1, 2}, {2, 3}, {3, 7}, {0, 1}};
    for (int c = 0; c < 4; c++) {
        unsigned long p = pq[c][0], q = pq[c][1];
        for (int n = 4; n <= 12; n += 2) cr_assert(rg_decimate_check(n, 1, p, q, p * p, q * q) == 0, "ring n=%d", n);
        for (int n = 3; n <= 11; n += 2) cr_assert(rg_decimate_check(n, 0, p, q, p * p, q * q) == 0, "open n=%d", n);
        /* a wrong renormalized coupling (tanh J' = tanh J) is caught */
        if (p > 0) cr_assert(rg_decimate_check(8, 1, p, q, p, q) > 0, "p/q=%lu/%lu", p, q);
    }
    for (int n = 4; n <= 10; n += 2) cr_assert(rg_decimate_trace(n, 1) == 0);
    for (int n = 3; n <= 9; n += 2) cr_assert(rg_decimate_trace(n, 0) == 0);
}

Test(rgflow, ms_rbm_trace_condition)
{
    for (int c = 0; c < 6; c++) {
        rng_stream r;
        rng_init(&r, 9, (uint32_t)c, 0);
        rg_ms_result m;
        rg_ms_rbm(&m, &r, 3 + c % 3, 2 + c % 2, 0);
        cr_assert(m.trace_bad == 0 && m.hrg_bad == 0 && m.z_equal, "cell %d", c);
        rng_init(&r, 9, (uint32_t)c, 0);
        rg_ms_rbm(&m, &r, 3 + c % 3, 2 + c % 2, 1);
        cr_assert(m.trace_bad == 1 && m.hrg_bad == 0 && m.z_equal == 0, "perturbed cell %d", c);
    }
}

Test(rgflow, lt19_counterexample_and_control)
{
    rg_lt19_result o;
    rg_lt19(&o, 4, 1, 3, 2, 1);
    cr_assert(o.z_kept && o.hrg_equal && o.identity_bad == 0 && o.hidden_changed == 0);
    cr_assert(o.marginal_changed > 0 && o.trace_violated > 0 && o.kl > 0);
    cr_assert(o.trace_min < 1 && o.trace_max > 1);
    rg_lt19(&o, 4, 1, 3, 5, 5);
    cr_assert(o.z_kept && o.hrg_equal && o.identity_bad == 0);
    cr_assert(o.marginal_changed == 0 && o.trace_violated == 0 && fabs(o.kl) < 1e-15);
}
