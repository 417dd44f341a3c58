#!/usr/bin/env bash
# Writes make rules: each figure depends on the published sets of the
# experiments whose data files its gnuplot script reads (data.'NAME'),
# found through the data column of bench/experiments.def.
# Usage: scripts/figdeps.sh BUILD_DIR > BUILD_DIR/gen/figdeps.mk
set -euo pipefail
b=$1
declare -A owner
while IFS=$'\t' read -r exp files; do
    for f in $files; do owner[$f]=$exp; done
done < <(sed -n 's/^EXPERIMENT("\([^"]*\)", [0-9]*, "[^"]*", "\([^"]*\)".*/\1\t\2/p' bench/experiments.def)
for gp in figures/*.gp; do
    [ "$gp" = figures/style.gp ] && continue
    fig=$(basename "$gp" .gp)
    deps=""
    # the script and the scripts it loads (figures/X.gp)
    srcs="$gp $(grep -o "load *'figures/[A-Za-z0-9_-]*\.gp'" "$gp" | sed "s/.*'\(.*\)'/\1/" | grep -v style.gp || true)"
    for f in $(cat $srcs | grep -o "data *\. *'[A-Za-z0-9_.-]*'" | sed "s/.*'\(.*\)'/\1/" | sort -u); do
        exp=${owner[$f]:-}
        if [ -z "$exp" ]; then echo "figdeps: $gp reads $f, which no experiment declares" >&2; exit 1; fi
        deps="$deps $b/sets/$exp/manifest.tsv"
    done
    echo "$b/figures/$fig.tex: $srcs$(echo "$deps" | tr ' ' '\n' | sort -u | tr '\n' ' ')"
done
