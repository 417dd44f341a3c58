#!/usr/bin/python3
"""Peer for bench-nn: training throughput of the same MLP in PyTorch (CPU, float32).

usage: torch_mlp.py THREADS MIN_SECONDS SEED CFG...   CFG = input,width,depth,batch,act[,threads]
(threads: torch.set_num_threads for that configuration, THREADS if absent).
Net: `depth` hidden Linear+act layers of `width`, then Linear(width, 1); MSE
loss on a fixed random batch; Adam lr 1e-3.  Prints one line per CFG: samples/s
(3 warm-up steps, then steps until MIN_SECONDS have passed)."""
import sys
import time

import torch


def main(argv):
    threads, min_s, seed = int(argv[0]), float(argv[1]), int(argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    for cfg in argv[3:]:
        f = cfg.split(",")
        inp, width, depth, batch, act = int(f[0]), int(f[1]), int(f[2]), int(f[3]), f[4]
        torch.set_num_threads(int(f[5]) if len(f) > 5 else threads)
        layers, d = [], inp
        for _ in range(depth):
            layers += [torch.nn.Linear(d, width), torch.nn.Tanh() if act == "tanh" else torch.nn.LeakyReLU(0.01)]
            d = width
        layers.append(torch.nn.Linear(d, 1))
        model = torch.nn.Sequential(*layers)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        x, y = torch.randn(batch, inp), torch.randn(batch, 1)
        lossf = torch.nn.MSELoss()

        def step():
            opt.zero_grad(set_to_none=True)
            loss = lossf(model(x), y)
            loss.backward()
            opt.step()

        for _ in range(3):
            step()
        n, t0 = 0, time.perf_counter()
        while True:
            step()
            n += 1
            el = time.perf_counter() - t0
            if el >= min_s:
                break
        print("%.6g" % (n * batch / el), flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(sys.argv[1:])
    else:  # kept running by the benchmark: one request (the arguments) per line
        print("ready", flush=True)  # torch imported: the benchmark starts timing
        for line in sys.stdin:
            if line.split():
                main(line.split())
