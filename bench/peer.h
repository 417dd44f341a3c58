/* peer: runs a benchmark's peer (a PyTorch script) and reads its results. */
#ifndef DEEPCHEAP_PEER_H
#define DEEPCHEAP_PEER_H

#include <stddef.h>

/* Runs the shell command `cmd` and reads n numbers from its stdout, one per
 * line.  0 when all n were read and the command exited 0, -1 otherwise. */
int peer_run(double *out, int n, const char *cmd);

/* The path of peer script `name` (e.g. "torch_mlp.py"), found from any
 * working directory: $DEEPCHEAP_DATADIR/name, then beside the program's
 * install (<bin>/../share/deepcheap/name), then the source tree the program
 * was built in (<bin>/../bench/name for build/deepcheap).  0, or -1 after
 * one line on stderr naming the file and the package it needs. */
int peer_script(char *buf, size_t n, const char *name);

#endif
