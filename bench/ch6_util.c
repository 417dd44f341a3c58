/* Chapter 6 helpers: torus observables.  See ch6_util.h. */
#include "ch6_util.h"
#include "ising.h"

#include <math.h>
#include <stdint.h>


/* --- torus observables ------------------------------------------------------------- */

/* E/N of an L x L torus configuration (L <= 16) given as bits (1 = up), and M/N. */
void ch6_torus_obs(double *e, double *m, const float *v, int L)
{
    int8_t s[256];
    int E, M;
    for (int i = 0; i < L * L; i++) s[i] = v[i] > 0.5f ? 1 : -1;
    ising_config_measure(&E, &M, s, L);
    *e = (double)E / (L * L);
    *m = (double)M / (L * L);
}
