#!/usr/bin/python3
"""Peer for bench-rbm: CD-k training throughput of the same binary RBM in PyTorch (CPU, float32).

usage: torch_rbm.py THREADS MIN_SECONDS SEED CFG...   CFG = nv,nh,batch,k
Same algorithm as rbm_train in src/rbm.c (augmentation off): per minibatch
ph0 = sigmoid(v0 W^T + c), k Gibbs steps with Bernoulli samples, gradient
<h v>_0 - <h v>_k from hidden probabilities, momentum 0.5 SGD with weight
decay terms zero.  Data: 2000 random bit vectors, shuffled each epoch.
Prints one line per CFG: samples/s (one warm-up epoch, then epochs until
MIN_SECONDS have passed)."""
import sys
import time

import torch


def main():
    threads, min_s, seed = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    for cfg in sys.argv[4:]:
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
            m, t0 = 0, time.perf_counter()
            while True:
                epoch()
                m += (n // batch) * batch
                el = time.perf_counter() - t0
                if el >= min_s:
                    break
        print("%.6g" % (m / el), flush=True)


if __name__ == "__main__":
    main()
