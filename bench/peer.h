/* peer: runs a benchmark's peer (a PyTorch script) and reads its results. */
#ifndef DEEPCHEAP_PEER_H
#define DEEPCHEAP_PEER_H

#include <stddef.h>
#include <stdio.h>

/* The path of peer script `name` (e.g. "torch_mlp.py"), found from any
 * working directory: $DEEPCHEAP_DATADIR/name, then beside the program's
 * install (<bin>/../share/deepcheap/name), then the source tree the program
 * was built in (<bin>/../bench/name for build/deepcheap).  0, or -1 after
 * one line on stderr naming the file and the package it needs. */
int peer_script(char *buf, size_t n, const char *name);

/* A peer kept running for a whole benchmark, so that Python and torch are
 * imported once, not once per measurement: `cmd` (a shell command line, the
 * script without arguments) reads one line per request on stdin, the
 * arguments it would take on its command line, and answers one number per
 * line on stdout; it sits idle, blocked on stdin, between requests.  Once
 * ready (torch imported) it prints "ready". */
typedef struct {
    int pid, to;
    FILE *from;
} peer_proc;

/* Starts `cmd` under /bin/sh and waits for its "ready".  0, or -1
 * (nothing left running). */
int peer_start(peer_proc *p, const char *cmd);

/* Sends one request line `args` and reads n numbers.  0, or -1 (the peer
 * failed or died; a write to it never raises SIGPIPE). */
int peer_ask(peer_proc *p, double *out, int n, const char *args);

/* peer_start in two halves, so that several peers import torch at once:
 * peer_spawn starts `cmd` (0, or -1 with nothing left running),
 * peer_wait_ready waits for its "ready" (0, or -1 after stopping it). */
int peer_spawn(peer_proc *p, const char *cmd);
int peer_wait_ready(peer_proc *p);

/* Closes the peer's stdin and waits for it: 0 when it exited 0. */
int peer_stop(peer_proc *p);

#endif
