#!/usr/bin/env bash
# Measures how one grid's wall time scales with Slurm array tasks on the
# local one-node Slurm (scripts/slurm-local.sh; root), and writes
# measured/slurm_scaling.tsv, which the performance appendix reads.
#   scripts/slurm-scaling.sh [EXPERIMENT] [SCALE] [MAX_TASKS]
# For N = 1..MAX_TASKS: `deepcheap slurm EXP --tasks N --threads 1 --submit`,
# timed from submission until the merge job has published; each shard's cell
# seconds and the merge's reduce seconds come from the manifests.
set -euo pipefail
cd "$(dirname "$0")/.."
exp=${1:-depth-width}
scale=${2:-quick}
max=${3:-3}
bin=${DEEPCHEAP:-build/deepcheap}
work=$(mktemp -d /tmp/deepcheap-slurm-scaling.XXXXXX)
sl=$work/slurm
cleanup() { bash scripts/slurm-local.sh stop "$sl" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
bash scripts/slurm-local.sh start "$sl" >&2
export SLURM_CONF=$sl/slurm.conf
cpus=$(sinfo -h -o '%c' | head -n 1)
get() { awk -F'\t' -v k="$2" '$1 == k {print $2}' "$1"; }

out=measured/slurm_scaling.tsv
tmp=$out.tmp
{
    echo "# deepcheap measurement: scripts/slurm-scaling.sh $exp $scale $max"
    echo "# commit $(git rev-parse --short=12 HEAD)$([ -n "$(git status --porcelain --untracked-files=no)" ] && echo ' (dirty)')"
    echo "# machine $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores; Slurm node CPUs $cpus; $(sinfo -V)"
    echo "# date $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf 'experiment\tscale\ttasks\tcpus\tcells\twall\tslowest_shard\tcell_sum\tcell_max\treduce\n'
} > "$tmp"
for n in $(seq 1 "$max"); do
    t0=$(date +%s.%N)
    "$bin" slurm "$exp" --tasks "$n" --scale "$scale" --threads 1 --out "$work/n$n" --submit > "$work/jobs$n"
    ids="$(get "$work/jobs$n" array_job),$(get "$work/jobs$n" merge_job)"
    while [ -n "$(squeue -h -j "$ids" 2>/dev/null)" ]; do sleep 0.2; done
    t1=$(date +%s.%N)
    m=$work/n$n/sets/$exp/manifest.tsv
    [ -f "$m" ] || { echo "slurm-scaling: $exp with $n tasks published nothing" >&2; cat "$work/n$n/slurm/$exp/"*.log >&2; exit 1; }
    printf '%s\t%s\t%d\t%s\t%s\t%.3f\t%s\t%s\t%s\t%s\n' "$exp" "$scale" "$n" "$cpus" "$(get "$m" cells)" \
        "$(echo "$t1 - $t0" | bc)" "$(get "$m" compute_seconds)" "$(get "$m" cell_seconds_sum)" \
        "$(get "$m" cell_seconds_max)" "$(get "$m" reduce_seconds)" >> "$tmp"
done
mv "$tmp" "$out"
cat "$out"
