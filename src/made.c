/* made: masked autoencoders over bit strings; see made.h.  The float and
 * double versions are one template (made_impl.h) compiled twice. */
#include "made.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#define NN_R float
#define NN_S
#define NN_M(fn) fn##f
#include "made_impl.h"
#undef NN_R
#undef NN_S
#undef NN_M

#define NN_R double
#define NN_S _d
#define NN_M(fn) fn
#include "made_impl.h"
#undef NN_R
#undef NN_S
#undef NN_M
