/* peer: runs a benchmark's peer (a PyTorch script) and reads its results. */
#ifndef DEEPCHEAP_PEER_H
#define DEEPCHEAP_PEER_H

/* Runs the shell command `cmd` and reads n numbers from its stdout, one per
 * line.  0 when all n were read and the command exited 0, -1 otherwise. */
int peer_run(double *out, int n, const char *cmd);

#endif
