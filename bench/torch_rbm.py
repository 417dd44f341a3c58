#!/usr/bin/python3
"""Peer for bench-rbm: CD-k training throughput of the same binary RBM in PyTorch (CPU, float32).

usage: torch_rbm.py THREADS MIN_SECONDS SEED CFG...   CFG = nv,nh,batch,k
THREADS = N: one model, N intra-op threads; THREADS = Np: N independent
models in N processes at once (one thread each), aggregate samples/s.
Same algorithm as rbm_train in src/rbm.c (augmentation off): per minibatch
ph0 = sigmoid(v0 W^T + c), k Gibbs steps with Bernoulli samples, gradient
<h v>_0 - <h v>_k from hidden probabilities, momentum 0.5 SGD with weight
decay terms zero.  Data: 2000 random bit vectors, shuffled each epoch.
Prints one line per CFG: samples/s (one warm-up epoch, then epochs until
MIN_SECONDS have passed)."""
import multiprocessing as mp
import sys
import time

import torch


def rate(cfg, min_s, seed, barrier=None, out=None):
    if True:
        nv, nh, batch, k = (int(x) for x in cfg.split(","))
        n = 2000
        data = (torch.rand(n, nv) < 0.5).float()
        W = torch.randn(nh, nv) * (0.1 / (nv * nh) ** 0.5)
        b, c = torch.zeros(nv), torch.zeros(nh)
        vW, vb, vc = torch.zeros_like(W), torch.zeros_like(b), torch.zeros_like(c)
        lr, mom = 0.01, 0.5

        def epoch():
            perm = torch.randperm(n)
            for i in range(0, n - batch + 1, batch):
                v0 = data[perm[i:i + batch]]
                ph0 = torch.sigmoid(v0 @ W.t() + c)
                h = torch.bernoulli(ph0)
                for s in range(k):
                    vk = torch.bernoulli(torch.sigmoid(h @ W + b))
                    phk = torch.sigmoid(vk @ W.t() + c)
                    if s + 1 < k:
                        h = torch.bernoulli(phk)
                gW = (ph0.t() @ v0 - phk.t() @ vk) / batch
                gb = (v0 - vk).mean(0)
                gc = (ph0 - phk).mean(0)
                vW.mul_(mom).add_(gW, alpha=lr)
                vb.mul_(mom).add_(gb, alpha=lr)
                vc.mul_(mom).add_(gc, alpha=lr)
                W.add_(vW)
                b.add_(vb)
                c.add_(vc)

        with torch.no_grad():
            epoch()
            if barrier is not None:
                barrier.wait()
            m, t0 = 0, time.perf_counter()
            while True:
                epoch()
                m += (n // batch) * batch
                el = time.perf_counter() - t0
                if el >= min_s:
                    break
        if out is not None:
            out.put(m / el)
        return m / el


def one(cfg, min_s, seed, barrier, out):
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    rate(cfg, min_s, seed, barrier, out)


def main():
    arg, min_s, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    for cfg in sys.argv[4:]:
        if arg.endswith("p"):
            procs = int(arg[:-1])
            ctx = mp.get_context("fork")
            barrier, out = ctx.Barrier(procs), ctx.Queue()
            ps = [ctx.Process(target=one, args=(cfg, min_s, seed + i, barrier, out)) for i in range(procs)]
            for p in ps:
                p.start()
            total = sum(out.get() for _ in ps)
            for p in ps:
                p.join()
            print("%.6g" % total, flush=True)
        else:
            torch.set_num_threads(int(arg))
            torch.manual_seed(seed)
            print("%.6g" % rate(cfg, min_s, seed), flush=True)


if __name__ == "__main__":
    main()
