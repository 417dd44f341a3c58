/* bayes: the two routes to each posterior, and the chain's partition
 * function by transfer matrix and enumeration. */
#include "bayes.h"
#include "softmax.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>

Test(bayes, chain_partition_function_two_ways)
{
    const double Js[] = {1.0, -0.7, 0.3}, hs[] = {0.0, 0.2, -1.1}, Ts[] = {0.4, 1.0, 3.0};
    for (int n = 2; n <= 14; n += 3)
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                for (int c = 0; c < 3; c++) {
                    bayes_chain ch;
                    double prior = 1.0;
                    cr_assert(bayes_chain_init(&ch, n, Js[a], hs[b], 1, &Ts[c], &prior) == 0);
                    /* lm can be negative for J < 0: pow keeps its sign, log1p handles it */
                    double lt = bayes_chain_lnz_transfer(n, 1.0 / Ts[c], Js[a], hs[b]);
                    double le = log(ch.z_enum[0]);
                    cr_assert(fabs(lt - le) < 1e-12 * fmax(1.0, fabs(le)),
                              "n=%d J=%g h=%g T=%g: %.15g vs %.15g", n, Js[a], hs[b], Ts[c], lt, le);
                    bayes_chain_clear(&ch);
                }
}

Test(bayes, chain_energy_by_hand)
{
    bayes_chain ch;
    double T = 1.0, prior = 1.0;
    cr_assert(bayes_chain_init(&ch, 4, 1.0, 0.5, 1, &T, &prior) == 0);
    /* all up: 4 bonds, magnetization 4 -> E = -4 - 2 = -6 */
    cr_assert(epsilon_eq(dbl, bayes_chain_energy(&ch, 0xF), -6.0, 1e-15));
    /* up,down,up,down: 4 broken bonds, magnetization 0 -> E = +4 */
    cr_assert(epsilon_eq(dbl, bayes_chain_energy(&ch, 0x5), 4.0, 1e-15));
    bayes_chain_clear(&ch);
}

Test(bayes, gaussian_posterior_two_ways)
{
    for (int d = 1; d <= 6; d++) {
        bayes_gauss g;
        rng_stream r;
        rng_init(&r, 100 + (uint64_t)d, 0, 0);
        cr_assert(bayes_gauss_random(&g, 4, d, 2.0, &r) == 0);
        for (int t = 0; t < 2000; t++) {
            int y;
            double x[BAYES_MAXD], H[BAYES_MAXK], mu[BAYES_MAXK], p[BAYES_MAXK], q[BAYES_MAXK];
            bayes_gauss_sample(&y, x, &g, &r);
            cr_assert(y >= 0 && y < 4);
            bayes_gauss_hamiltonians(H, mu, &g, x);
            softmax_posterior(p, H, mu, 4);
            bayes_gauss_posterior_direct(q, &g, x);
            for (int c = 0; c < 4; c++) cr_assert(fabs(p[c] - q[c]) < 1e-12, "d=%d sample %d class %d", d, t, c);
        }
    }
}

Test(bayes, gaussian_hamiltonian_is_minus_log_density)
{
    /* 1-D check by hand: N(m, s^2) has -ln p = (x-m)^2/(2 s^2) + ln s + ln(2 pi)/2 */
    bayes_gauss g;
    rng_stream r;
    rng_init(&r, 7, 0, 0);
    cr_assert(bayes_gauss_random(&g, 1, 1, 1.0, &r) == 0);
    double s = sqrt(g.cov[0][0]), m = g.mean[0][0], x = m + 0.7, H, mu;
    bayes_gauss_hamiltonians(&H, &mu, &g, &x);
    cr_assert(epsilon_eq(dbl, H, 0.49 / (2 * s * s) + log(s) + 0.5 * log(2 * M_PI), 1e-13));
    cr_assert(epsilon_eq(dbl, mu, 0.0, 1e-15)); /* one class: prior 1 */
}

Test(bayes, chain_sampler_follows_boltzmann)
{
    /* n = 4: 16 states; chi^2 over 16 bins (15 dof) below 50 fails with p < 1e-5 */
    bayes_chain ch;
    double T = 1.5, prior = 1.0;
    cr_assert(bayes_chain_init(&ch, 4, 1.0, 0.3, 1, &T, &prior) == 0);
    long count[16] = {0};
    rng_stream r;
    rng_init(&r, 3, 0, 0);
    const int N = 200000;
    for (int i = 0; i < N; i++) {
        int y;
        unsigned s;
        bayes_chain_sample(&y, &s, &ch, &r);
        count[s]++;
    }
    double chi2 = 0.0;
    for (unsigned s = 0; s < 16; s++) {
        double e = N * exp(-bayes_chain_energy(&ch, s) / T) / ch.z_enum[0];
        chi2 += (count[s] - e) * (count[s] - e) / e;
    }
    cr_assert(chi2 < 50.0, "chi2 = %g", chi2);
    bayes_chain_clear(&ch);
}
