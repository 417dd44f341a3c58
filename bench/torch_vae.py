#!/usr/bin/python3
"""Peer for bench-vae: training throughput of the same VAE in PyTorch (CPU, float32).

usage: torch_vae.py THREADS MIN_SECONDS SEED CFG...   CFG = bits,latent,width,depth,batch
Encoder: `depth` Linear+Tanh layers of `width`, then Linear(width, 2 latent)
(mean, log variance); decoder: `depth` Linear+Tanh layers, then Linear(width,
bits) logits.  Loss: Bernoulli cross-entropy summed over bits plus the Gaussian
KL, mean over the batch (the negative ELBO, one reparametrized noise sample);
Adam lr 1e-3; a fixed random batch of bits.  Prints one line per CFG:
samples/s (3 warm-up steps, then steps until MIN_SECONDS have passed)."""
import sys
import time

import torch


def mlp(d_in, width, depth, d_out):
    layers, d = [], d_in
    for _ in range(depth):
        layers += [torch.nn.Linear(d, width), torch.nn.Tanh()]
        d = width
    layers.append(torch.nn.Linear(d, d_out))
    return torch.nn.Sequential(*layers)


def main(argv):
    threads, min_s, seed = int(argv[0]), float(argv[1]), int(argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    for cfg in argv[3:]:
        bits, latent, width, depth, batch = (int(t) for t in cfg.split(","))
        enc, dec = mlp(bits, width, depth, 2 * latent), mlp(latent, width, depth, bits)
        opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=1e-3)
        x = torch.randint(0, 2, (batch, bits)).float()
        bce = torch.nn.BCEWithLogitsLoss(reduction="sum")

        def step():
            opt.zero_grad(set_to_none=True)
            h = enc(x)
            mu, lv = h[:, :latent], h[:, latent:]
            z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
            kl = 0.5 * (mu * mu + torch.exp(lv) - 1 - lv).sum()
            loss = (bce(dec(z), x) + kl) / batch
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
