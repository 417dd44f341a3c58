/* slurm: `deepcheap slurm`, an experiment's grid as a Slurm job array.
 *
 * Writes OUT/slurm/EXP/array.sbatch (task i runs shard i+1 of N with
 * OpenMP inside the task, into OUT/slurm/EXP/shard-(i+1)) and
 * OUT/slurm/EXP/merge.sbatch (merges the shards and publishes the result
 * set into OUT).  With submit, runs `sbatch --parsable` on the array and
 * then on the merge with --dependency=afterok:<array job>. */
#ifndef DEEPCHEAP_SLURM_H
#define DEEPCHEAP_SLURM_H

#include <stdint.h>

typedef struct {
    const char *experiment, *scale, *out;
    const char *partition, *time; /* NULL: the cluster's default */
    uint64_t seed;
    int tasks, threads, submit;
} slurm_job;

/* Writes (and submits) the two jobs; prints what it did.  Exit status:
 * 0, or 1 after one line on stderr. */
int slurm_write(const slurm_job *j);

#endif
