#!/usr/bin/env bash
# Enforces the layers (README, "Layout"): an #include may only name a header
# of its own layer or of a layer below, never by a path ("../").
#
#   core     src/{rng,binio,texmac,run,cellio,claims,stats,progress}
#   engines  the rest of src/               may include core and engines
#   proofs   proofs/                        src/, proofs/
#   bench    bench/ (experiments)           src/, proofs/, bench/
#   cmd      cmd/ (the command)             everything above
#   tests    tests/, fuzz/                  everything
#
# Also: no file name in two folders.  Exit 1 with one line per violation.
# `--self-test` checks that a deliberate upward include is caught.
set -uo pipefail
CORE="rng binio texmac run cellio claims stats progress tsv"

self_test() {
    local t
    t=$(mktemp -d)
    cp -r src proofs bench cmd tests scripts "$t"/
    echo '#include "experiments.h"' >> "$t/src/rng.c"
    if bash "$t/scripts/check-layers.sh" "$t" >/dev/null 2>&1; then
        echo "check-layers: self-test: an upward include (src/rng.c -> bench/experiments.h) was not caught" >&2
        rm -rf "$t"; return 1
    fi
    rm -rf "$t"
    t=$(mktemp -d)
    cp -r src proofs bench cmd tests scripts "$t"/
    echo '#include "run.h"' >> "$t/src/rng.h"
    sed -i 's|#include "run.h"|#include "nn.h"|' "$t/src/rng.h"
    if bash "$t/scripts/check-layers.sh" "$t" >/dev/null 2>&1; then
        echo "check-layers: self-test: core including an engine (src/rng.h -> src/nn.h) was not caught" >&2
        rm -rf "$t"; return 1
    fi
    rm -rf "$t"
    echo "check-layers: self-test passed (two deliberate violations caught)"
}
if [ "${1:-}" = --self-test ]; then self_test; exit $?; fi
cd "${1:-.}" 2>/dev/null || { echo "check-layers: no directory ${1:-.}" >&2; exit 2; }

layer_of() { # folder of a header name, by lookup (names are unique)
    local h=$1 d
    for d in src proofs bench cmd tests fuzz; do [ -e "$d/$h" ] && { echo "$d"; return; }; done
    echo system
}
allowed() { # may folder $1 include from folder $2?
    case "$1:$2" in
        *:system) return 0 ;;
        src:src|proofs:src|proofs:proofs|bench:src|bench:proofs|bench:bench) return 0 ;;
        cmd:src|cmd:proofs|cmd:bench|cmd:cmd) return 0 ;;
        tests:*|fuzz:*) return 0 ;;
    esac
    return 1
}
is_core() { local m; for m in $CORE; do [ "$1" = "$m" ] && return 0; done; return 1; }

bad=0
# file names unique across folders
dups=$(ls src proofs bench cmd tests fuzz 2>/dev/null | grep -v '^$' | grep -v ':$' | sort | uniq -d)
for d in $dups; do echo "check-layers: $d exists in two folders"; bad=1; done
for dir in src proofs bench cmd tests fuzz; do
    for f in "$dir"/*.c "$dir"/*.h; do
        [ -e "$f" ] || continue
        base=$(basename "$f"); mod=${base%.*}; mod=${mod%_decl}; mod=${mod%_impl}
        while IFS= read -r line; do
            n=${line%%:*}; inc=$(sed 's/.*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/' <<< "${line#*:}")
            case $inc in */*) echo "check-layers: $f:$n: #include \"$inc\" names a path; use the layer's include flags"; bad=1; continue ;; esac
            to=$(layer_of "$inc")
            if ! allowed "$dir" "$to"; then
                echo "check-layers: $f:$n: $dir/ may not include $to/$inc (upward)"; bad=1; continue
            fi
            hmod=${inc%.*}; hmod=${hmod%_decl}; hmod=${hmod%_impl}
            case $inc in *.def) hmod=${hmod%%_*} ;; esac # claims_printed.def belongs to claims
            if [ "$dir" = src ] && [ "$to" = src ] && is_core "$mod" && ! is_core "$hmod"; then
                echo "check-layers: $f:$n: core module $mod may not include engine header $inc"; bad=1
            fi
        done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f")
    done
done
exit $bad
