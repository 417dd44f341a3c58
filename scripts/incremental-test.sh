#!/usr/bin/env bash
# CI, after `make report SCALE=quick`: the report is incremental.
#  1. A chapter's prose edited: `make report` reruns no experiment.
#  2. src/flatbound.c edited: it reruns exactly the experiments built from it
#     (those whose source list, build/srchash/EXP, names it).
# Each edit is a comment appended and removed again (trap), so the tree
# ends as it started.  Step 2 runs on a copy of $B, so $B itself is left
# as published for the unedited tree (nothing to rerun afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
SCALE=${SCALE:-quick}
chapter=chapters/ch1-softmax.tex
src=src/flatbound.c   # 3 dependents, none statistical: cheap to rerun (src/ising.c, 8 dependents and their stability seeds, passed too but costs 6 min of CI)
cp "$chapter" "$chapter.orig"; cp -p "$src" "$src.orig"   # -p: the restored engine keeps its mtime
B2=$(mktemp -d /tmp/incremental-test.XXXXXX)
restore() { mv -f "$chapter.orig" "$chapter"; mv -f "$src.orig" "$src"; rm -rf "$B2"; }
trap restore EXIT

published() { for l in "$B"/sets/*; do if [ -L "$l" ]; then echo "$(basename "$l") $(readlink "$l")"; fi; done | sort; }
changed() { join <(echo "$1") <(echo "$2") | awk '$2 != $3 {print $1}'; }

before=$(published)
[ -n "$before" ] || { echo "incremental-test: no published sets in $B (run make report first)" >&2; exit 1; }
echo '% incremental-test: an edit to the prose' >> "$chapter"
make --no-print-directory report SCALE=$SCALE > /dev/null
after=$(published)
reran=$(changed "$before" "$after")
if [ -n "$reran" ]; then echo "incremental-test: editing $chapter reran: $(echo $reran)" >&2; exit 1; fi
echo "incremental-test: editing $chapter reran no experiment"

cp -a "$B/." "$B2/"
B=$B2
echo '/* incremental-test: an edit to the bounds module */' >> "$src"
make --no-print-directory report SCALE=$SCALE B="$B" > /dev/null
after2=$(published)
reran=$(changed "$after" "$after2" | sort)
want=$(grep -lx "$src" "$B"/srchash/* | xargs -n1 basename | sort)
if [ "$reran" != "$want" ]; then
    echo "incremental-test: editing $src reran [$(echo $reran)], its dependents are [$(echo $want)]" >&2
    exit 1
fi
echo "incremental-test: editing $src reran exactly its $(echo "$want" | wc -l) dependents: $(echo $want)"
