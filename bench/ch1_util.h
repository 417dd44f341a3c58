/* Chapter 1 experiments: the RNG key scheme they share.
 *
 * A random stream of Chapter 1 is keyed by (seed, CH1_KEY(config, chunk),
 * stream): `config` names a model or a data set of one experiment (0-2
 * softmax-posterior; 20-22, 62-99 and 100-139 softmax-training (the classes,
 * repetition 0, repetitions 1 <= r < 20 at 60 + 2r and 61 + 2r, controls
 * at 100 + 2r and 101 + 2r); 31-42 and 50-52 moebius-network),
 * `chunk` a block of CH1_CHUNK inputs drawn from one stream (or a
 * repetition).  The keys are those of the code before the split into cells,
 * so the results are the same. */
#ifndef DEEPCHEAP_CH1_UTIL_H
#define DEEPCHEAP_CH1_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define CH1_KEY(config, chunk) (((uint32_t)(config) << 16) | (uint32_t)(chunk))
#define CH1_CHUNK 4096

/* Number of chunks of n inputs. */
static inline int ch1_nchunks(size_t n) { return (int)((n + CH1_CHUNK - 1) / CH1_CHUNK); }

#endif
