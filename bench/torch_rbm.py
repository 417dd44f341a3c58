#!/usr/bin/python3
"""Peer for bench-rbm: the same binary RBM in PyTorch (CPU, float32, torch.no_grad).

usage: torch_rbm.py THREADS MIN_SECONDS SEED CFG...
  CFG = t:nv,nh,batch,k,persistent   training throughput (samples/s)
  CFG = s:nv,nh,chains,steps         model sampling (Gibbs steps x chains per second)
THREADS = N: one model, N intra-op threads; THREADS = Np: N independent
models in N processes at once (one thread each, forked once and kept for
every later request), aggregate rate.

Training is the algorithm of rbm_train in src/rbm.c (augmentation off): per
minibatch ph0 = sigmoid(v0 W^T + c), k Gibbs steps with Bernoulli samples
from the data (CD-k) or from persistent chains (PCD-k, chains started at
data rows), gradient <h v>_0 - <h v>_k from hidden probabilities, momentum
0.5 SGD.  Data: 2000 random bit vectors, shuffled each epoch.  One warm-up
epoch, then epochs until MIN_SECONDS have passed.

Sampling is rbm_deep_step of an RBM: h ~ P(h | v), then v ~ P(v | h), for
all chains at once, from uniform random states; one warm-up run of `steps`
steps, then runs until MIN_SECONDS have passed (bench-rbm asks for runs of a
tenth of the burn-in).

Without arguments: reads one request per line on stdin (the arguments
above), answers each, until end of input (imports torch once).
Prints one line per CFG: the rate."""
import multiprocessing as mp
import sys
import time

import torch

N_DATA = 2000


def train_rate(nv, nh, batch, k, persistent, min_s, barrier):
    data = (torch.rand(N_DATA, nv) < 0.5).float()
    W = torch.randn(nh, nv) * (0.1 / (nv * nh) ** 0.5)
    b, c = torch.zeros(nv), torch.zeros(nh)
    vW, vb, vc = torch.zeros_like(W), torch.zeros_like(b), torch.zeros_like(c)
    lr, mom = 0.01, 0.5
    vneg = data[:batch].clone()

    def epoch():
        nonlocal vneg
        perm = torch.randperm(N_DATA)
        for i in range(0, N_DATA - batch + 1, batch):
            v0 = data[perm[i:i + batch]]
            ph0 = torch.sigmoid(v0 @ W.t() + c)
            if persistent:
                h = torch.bernoulli(torch.sigmoid(vneg @ W.t() + c))
            else:
                h = torch.bernoulli(ph0)
            for s in range(k):
                vneg = torch.bernoulli(torch.sigmoid(h @ W + b))
                phk = torch.sigmoid(vneg @ W.t() + c)
                if s + 1 < k:
                    h = torch.bernoulli(phk)
            gW = (ph0.t() @ v0 - phk.t() @ vneg) / batch
            gb = (v0 - vneg).mean(0)
            gc = (ph0 - phk).mean(0)
            vW.mul_(mom).add_(gW, alpha=lr)
            vb.mul_(mom).add_(gb, alpha=lr)
            vc.mul_(mom).add_(gc, alpha=lr)
            W.add_(vW)
            b.add_(vb)
            c.add_(vc)

    return timed(epoch, (N_DATA // batch) * batch, min_s, barrier)


def sample_rate(nv, nh, chains, steps, min_s, barrier):
    W = torch.randn(nh, nv) * (0.1 / (nv * nh) ** 0.5)
    b, c = torch.zeros(nv), torch.zeros(nh)

    def run():
        v = (torch.rand(chains, nv) < 0.5).float()
        for _ in range(steps):
            h = torch.bernoulli(torch.sigmoid(v @ W.t() + c))
            v = torch.bernoulli(torch.sigmoid(h @ W + b))

    return timed(run, chains * steps, min_s, barrier)


def timed(unit, work, min_s, barrier):
    with torch.no_grad():
        unit()  # warm-up
        if barrier is not None:
            barrier.wait()
        m, t0 = 0, time.perf_counter()
        while True:
            unit()
            m += work
            el = time.perf_counter() - t0
            if el >= min_s:
                return m / el


def rate(cfg, min_s, barrier=None):
    kind, _, nums = cfg.partition(":")
    a = [int(x) for x in nums.split(",")]
    if kind == "t" and len(a) == 5:
        return train_rate(*a, min_s, barrier)
    if kind == "s" and len(a) == 4:
        return sample_rate(*a, min_s, barrier)
    sys.exit("torch_rbm.py: bad CFG %r (t:nv,nh,batch,k,persistent or s:nv,nh,chains,steps)" % cfg)


def worker(i, barrier, conn):
    """Process i of an aggregate: one thread, one model per request, until None."""
    torch.set_num_threads(1)
    while True:
        req = conn.recv()
        if req is None:
            return
        cfg, min_s, seed = req
        torch.manual_seed(seed + i)
        conn.send(rate(cfg, min_s, barrier))


WORKERS = {}  # procs -> [(process, pipe)], forked once and kept for every request


def workers(procs):
    if procs not in WORKERS:
        ctx = mp.get_context("fork")
        barrier, ws = ctx.Barrier(procs), []
        for i in range(procs):
            a, b = ctx.Pipe()
            p = ctx.Process(target=worker, args=(i, barrier, b))
            p.start()
            ws.append((p, a))
        WORKERS[procs] = ws
    return WORKERS[procs]


def stop_workers():
    for ws in WORKERS.values():
        for p, conn in ws:
            conn.send(None)
        for p, conn in ws:
            p.join()
    WORKERS.clear()


def main(argv):
    arg, min_s, seed = argv[0], float(argv[1]), int(argv[2])
    for cfg in argv[3:]:
        if arg.endswith("p"):
            ws = workers(int(arg[:-1]))
            for p, conn in ws:
                conn.send((cfg, min_s, seed))
            print("%.6g" % sum(conn.recv() for p, conn in ws), flush=True)
        else:
            torch.set_num_threads(int(arg))
            torch.manual_seed(seed)
            print("%.6g" % rate(cfg, min_s), flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(sys.argv[1:])
    else:  # kept running by the benchmark: one request (the arguments) per line
        print("ready", flush=True)  # torch imported: the benchmark starts timing
        for line in sys.stdin:
            if line.split():
                main(line.split())
    stop_workers()
