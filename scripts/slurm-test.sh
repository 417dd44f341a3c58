#!/usr/bin/env bash
# CI: runs a quick experiment through a real local Slurm (scripts/slurm-local.sh)
# as a 3-task job array plus the merge job, and checks that the merged result
# set is byte-identical (apart from '# date' lines) to a single-process run.
#   scripts/slurm-test.sh [EXPERIMENT] [TASKS]
set -euo pipefail
cd "$(dirname "$0")/.."
exp=${1:-hierarchy}
tasks=${2:-3}
bin=${DEEPCHEAP:-build/deepcheap}
work=$(mktemp -d /tmp/deepcheap-slurm-test.XXXXXX)
sl=$work/slurm
cleanup() { bash scripts/slurm-local.sh stop "$sl" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
bash scripts/slurm-local.sh start "$sl"
export SLURM_CONF=$sl/slurm.conf

"$bin" run "$exp" --scale quick --threads 1 --out "$work/single" 2>/dev/null
t0=$(date +%s.%N)
"$bin" slurm "$exp" --tasks "$tasks" --scale quick --threads 1 --out "$work/cluster" --submit > "$work/jobs.tsv"
merge=$(awk -F'\t' '$1 == "merge_job" {print $2}' "$work/jobs.tsv")
array=$(awk -F'\t' '$1 == "array_job" {print $2}' "$work/jobs.tsv")
[ -n "$merge" ] && [ -n "$array" ] || { echo "slurm-test: no job ids from deepcheap slurm" >&2; exit 1; }
# until both jobs have left the queue (the merge is cancelled when the array
# fails: --kill-on-invalid-dep), at most 5 minutes
for i in $(seq 1 600); do
    [ -z "$(squeue -h -j "$array,$merge" 2>/dev/null)" ] && break
    sleep 0.5
done
t1=$(date +%s.%N)
state=$(scontrol show job "$merge" 2>/dev/null | grep -o 'JobState=[A-Z]*' || echo JobState=UNKNOWN)
if [ "$state" != JobState=COMPLETED ]; then
    echo "slurm-test: merge job $merge ended in $state" >&2
    cat "$work/cluster/slurm/$exp/"*.log >&2 || true
    exit 1
fi
bad=0
for f in "$work/single/data/"* "$work/single/verdicts/"*; do
    rel=${f#"$work/single/"}
    if ! cmp -s <(grep -av '^# date ' "$f") <(grep -av '^# date ' "$work/cluster/$rel"); then
        echo "slurm-test: $rel differs between the single run and the $tasks-task array" >&2
        bad=1
    fi
done
[ $bad = 0 ] || exit 1
n=$(ls "$work/single/data" | wc -l)
printf 'slurm-test: %s through a %d-task Slurm array + merge: %d data files and the verdicts byte-identical to a single run (%.1f s from submit to merged)\n' \
    "$exp" "$tasks" "$n" "$(echo "$t1 - $t0" | bc)"
