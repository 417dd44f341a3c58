/* ch4_rt6: RT-6's pre-registered rule (src/claims_prereg.def), shared by the
 * verdict vd_rt6 and the reduce of experiment depth-width, which both read
 * rt6_nets.tsv: one row per trained net (kind grid / prod / sumlog, inputs
 * n, act, depth, width, rep, above the curve, chosen learning rate, test r
 * at B/2, B, 2B, 3B, 4B and its SE at B and 4B). */
#ifndef DEEPCHEAP_CH4_RT6_H
#define DEEPCHEAP_CH4_RT6_H

#include "claims.h"
#include "run.h"
#include "verdicts.h"

#define RT6_N 20
/* The columns of rt6_nets.tsv. */
#define RT6_NETS_COLS "kind\tn\tact\tdepth\twidth\trep\tabove\tlr\tr_h\tr_b\tr_2b\tr_3b\tr_4b\tse_b\tse_4b"

/* The curve of RT Fig. 2 at n = 20. */
double rt6_curve(int k);

/* The chapter's prose numbers and rt6_sensitivity.tsv, from the set's
 * rt6_nets.tsv just written (so they are the verdict's); settings are the
 * experiment's.  0 or -1. */
typedef struct {
    int B, batch, ntest, nval, reps, nlr;
    const double *lrs;
} rt6_settings;
int rt6_summary(run_set *set, const rt6_settings *st);

#endif
