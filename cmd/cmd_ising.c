/* `deepcheap ising exact|mc|samples`: Ch. 6 query commands. */
#include "commands.h"
#include "ising.h"

#include <math.h>
#include <stdio.h>

/* Verifies a sample file and prints, per temperature, the count and the
 * sample means of e and |m|. */
int cmd_ising_samples(const cmd_val *v)
{
    ising_samples s;
    char err[512];
    if (ising_samples_load(&s, v[0].s, err, sizeof err) != 0) {
        fprintf(stderr, "deepcheap ising samples: %s\n", err);
        return 1; /* a file that cannot be read is a runtime error */
    }
    printf("L\tT\tcount\tseed\te\tabsm\n");
    int L = s.L, N = L * L;
    for (int t = 0; t < s.ntemps; t++) {
        double e = 0, m = 0;
        for (int k = 0; k < s.count; k++) {
            const uint64_t *b = s.bits + ((size_t)t * s.count + k) * s.words;
            int E = 0, M = 0;
            for (int i = 0; i < N; i++) {
                int si = (b[i / 64] >> (i % 64)) & 1 ? 1 : -1, x = i % L, y = i / L;
                int r = y * L + (x + 1) % L, d = ((y + 1) % L) * L + x;
                E -= si * (((b[r / 64] >> (r % 64)) & 1 ? 1 : -1) + ((b[d / 64] >> (d % 64)) & 1 ? 1 : -1));
                M += si;
            }
            e += (double)E / N;
            m += fabs((double)M) / N;
        }
        printf("%d\t%.4f\t%d\t%llu\t%.6f\t%.6f\n", L, s.T[t], s.count, (unsigned long long)s.seed,
               e / s.count, m / s.count);
    }
    ising_samples_clear(&s);
    return 0;
}

int cmd_ising_exact(const cmd_val *v)
{
    int L = (int)v[0].i;
    double T = v[1].d;
    ising_thermo k;
    if (ising_exact_kaufman(&k, L, L, T) != 0) {
        fprintf(stderr, "deepcheap ising exact: cannot evaluate at L=%d T=%g\n", L, T);
        return 2;
    }
    double uo, co, mo;
    ising_onsager(&uo, &co, &mo, T);
    ising_thermo t = {0, 0, 0, NAN, NAN};
    if (L <= 10) ising_exact_tm(&t, L, L, T);
    printf("L\tT\tlnZ_per_site\tu\tc\tabsm_tm\tm2_tm\tu_inf\tc_inf\tm_inf\n");
    printf("%d\t%.10g\t%.12f\t%.12f\t%.12f\t%.12g\t%.12g\t%.12f\t%.12g\t%.12f\n", L, T,
           k.lnz / ((double)L * L), k.u, k.c, t.absm, t.m2, uo, co, mo);
    return 0;
}

int cmd_ising_mc(const cmd_val *v)
{
    int L = (int)v[0].i;
    if (L % 2) {
        fprintf(stderr, "deepcheap ising mc: --L '%d': the checkerboard needs an even L\n", L);
        return 2;
    }
    double T = v[1].d;
    uint64_t sweeps = (uint64_t)v[2].i;
    /* the work, said up front: L^2 sites x 64 replicas x (burn-in + measured
     * sweeps) flips at about 1 flip/ns (bench-ising, one thread) */
    double flips = (double)L * L * 64.0 * (double)(sweeps + sweeps / 5 + 100), hours = flips / 1e9 / 3600.0;
    if (hours > 1.0 && !v[4].i) {
        fprintf(stderr, "deepcheap ising mc: about %.0f hours of work (L %d, %llu sweeps x 64 replicas at ~1 flip/ns); "
                        "add --yes-really to run it\n", hours, L, (unsigned long long)sweeps);
        return 2;
    }
    ising_mc_result r;
    if (ising_msc_run(&r, L, T, sweeps / 5 + 100, sweeps, 32, v[3].u, 0) != 0) {
        fprintf(stderr, "deepcheap ising mc: run failed (out of memory?)\n");
        return 1;
    }
    printf("L\tT\tsweeps\treplicas\te\te_err\tc\tc_err\tabsm\tabsm_err\ttau_int\ttau_int_absm\n");
    printf("%d\t%.10g\t%llu\t64\t%.8f\t%.2e\t%.6f\t%.2e\t%.8f\t%.2e\t%.3f\t%.3f\n", L, T,
           (unsigned long long)sweeps, r.e, r.e_err, r.c, r.c_err, r.absm, r.absm_err, r.tau_e, r.tau_m);
    return 0;
}
