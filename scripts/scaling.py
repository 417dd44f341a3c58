#!/usr/bin/env python3
"""The cost model of a grid on a cluster, from measurements only.

Usage: scripts/scaling.py BUILD_DIR OUT.tex

Reads measured/slurm_scaling.tsv (scripts/slurm-scaling.sh: one grid run
through the local Slurm with 1, 2, 3 array tasks) and the manifests of the
published sets in BUILD_DIR/sets.  The model: with N tasks of t threads on
nodes that run P tasks at once,

    wall(N) = o + ceil(N / P) * max(C / (N t), c_max) + r

where C is the grid's cost in thread-seconds (the sum of its cells' wall
times; cells that use all threads count times the threads they had), c_max
the largest cell (no sharding goes below it), r the merge's reduce, and o
the fixed cost of scheduling and starting the jobs, fitted as the median of
wall - ceil(N/P) C/N - r over the measured N.  Writes LaTeX macros: the
measured table with the model's prediction beside each row, the fitted o,
and a table predicting each experiment of this report on 64 nodes.
"""
import glob, math, os, statistics, sys

build, out = sys.argv[1], sys.argv[2]
NODES, THREADS = 64, 32   # the prediction: 64 nodes of 32 cores, one task per node


def tsv(path):
    rows, cols = [], None
    for line in open(path):
        if line.startswith("#"):
            continue
        f = line.rstrip("\n").split("\t")
        if cols is None:
            cols = f
        else:
            rows.append(dict(zip(cols, f)))
    return rows


def manifest(path):
    m = {}
    for line in open(path):
        k, _, v = line.rstrip("\n").partition("\t")
        m.setdefault(k, v)
    return m


def fmt(x, digits=1):
    return ("%%.%df" % digits) % x


def esc(s):
    return s.replace("_", "\\_")


macros = []
meas = tsv("measured/slurm_scaling.tsv")
provenance = [l[2:].strip() for l in open("measured/slurm_scaling.tsv") if l.startswith("# ")]
waves = lambda n, p: math.ceil(n / p)
o = statistics.median(float(r["wall"]) - waves(int(r["tasks"]), int(r["cpus"])) * float(r["cell_sum"]) / int(r["tasks"])
                      - float(r["reduce"]) for r in meas)
rows, worst = [], 0.0
for r in meas:
    n, p = int(r["tasks"]), int(r["cpus"])
    pred = o + waves(n, p) * max(float(r["cell_sum"]) / n, float(r["cell_max"])) + float(r["reduce"])
    err = (pred - float(r["wall"])) / float(r["wall"])
    worst = max(worst, abs(err))
    rows.append("%d & %s & %s & %s & %s & %s & %+.0f\\%%\\\\" % (n, r["cells"], fmt(float(r["wall"])),
                fmt(float(r["slowest_shard"])), fmt(float(r["cell_sum"])), fmt(pred), 100 * err))
first = meas[0]
macros += [("PerfSlurmExperiment", "\\texttt{%s}" % first["experiment"]), ("PerfSlurmScale", first["scale"]),
           ("PerfSlurmCpus", first["cpus"]), ("PerfSlurmOverhead", fmt(o)), ("PerfSlurmWorstErr", "%.0f" % (100 * worst)),
           ("PerfSlurmRows", "\n".join(rows)), ("PerfSlurmProvenance", esc("; ".join(provenance[1:]))),
           ("PerfSlurmNodes", str(NODES)), ("PerfSlurmNodeThreads", str(THREADS))]

# every published set of this report: its wall time, share, cost and the 64-node prediction
# the published sets: OUT/sets/EXP (a symlink), not the EXP.<runid> directories behind them
sets = [manifest(p) for p in sorted(glob.glob(os.path.join(build, "sets", "*", "manifest.tsv")))
        if "." not in os.path.basename(os.path.dirname(p))]
sets = [m for m in sets if "cell_seconds_sum" in m]
total = sum(float(m["compute_seconds"]) + float(m["reduce_seconds"]) for m in sets) or 1.0
macros.append(("PerfRunTotal", fmt(total)))
pred_rows = []
for m in sets:
    cells, csum, cmax, red = int(m["cells"]), float(m["cell_seconds_sum"]), float(m["cell_seconds_max"]), float(m["reduce_seconds"])
    threads = int(m["threads"])
    if m.get("cells_parallel") == "0":   # each cell used all the run's threads
        csum, cmax = csum * threads, cmax * threads
    here = float(m["compute_seconds"]) + red
    bench = m.get("benchmark") == "1"  # benchmarks run whole, on one machine
    t64 = "--" if bench else fmt(o + max(csum / (NODES * THREADS), cmax) + red)
    pred_rows.append("\\texttt{%s} & %d & %s & %.0f\\%% & %s & %s & %s\\\\" % (
        m["experiment"], cells, fmt(here), 100 * here / total, fmt(csum), fmt(cmax, 2), t64))
macros.append(("PerfSlurmPredictRows", "\n".join(pred_rows)))

# The report's time against issue 18's goal (30 minutes on 2 cores at full scale, 3 at
# quick).  At quick scale the report also reruns every statistical experiment at 4 more
# seeds (`deepcheap stability`, OUT/stability/seed-S/sets): their manifests count too.
# Compiling and LaTeX come on top and are not in any manifest.
scale = sets[0]["scale"] if sets else "full"
stab = [manifest(p) for p in sorted(glob.glob(os.path.join(build, "stability", "seed-*", "sets", "*", "manifest.tsv")))
        if "." not in os.path.basename(os.path.dirname(p))]
stab = [m for m in stab if "cell_seconds_sum" in m and m.get("scale") == scale]
stab_total = sum(float(m["compute_seconds"]) + float(m["reduce_seconds"]) for m in stab)
nseeds = len({m["seed"] for m in stab})
goal = 3.0 if scale == "quick" else 30.0
both = (total + stab_total) / 60.0
text = "The experiments of this %s-scale report took %s\\,min here" % (scale, fmt(total / 60.0))
if stab:
    text += ", and the stability pass (%d more seeds of each statistical experiment) %s\\,min" % (nseeds, fmt(stab_total / 60.0))
text += (": %s\\,min in all, %s issue~18's goal of %s\\,min for the whole report on two cores"
         % (fmt(both), "within" if both <= goal else "over", fmt(goal, 0)))
text += " (compiling and the \\LaTeX{} runs come on top)."
macros += [("PerfRunScale", scale), ("PerfStabilityTotal", fmt(stab_total)), ("PerfRunGoalText", text)]
tmp = out + ".tmp"
with open(tmp, "w") as f:
    f.write("% generated by scripts/scaling.py from measured/slurm_scaling.tsv and the manifests\n")
    for k, v in macros:
        f.write("\\newcommand{\\%s}{%s}\n" % (k, v))
os.replace(tmp, out)
