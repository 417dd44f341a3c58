#!/usr/bin/env bash
# CI, after `make report`: a `make report` killed (SIGKILL) during its LaTeX
# pass recovers by itself on the next `make report` (the Makefile builds the
# PDF in a fresh directory each time; a half-written .aux cannot survive).
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
SCALE=${SCALE:-quick}
chapter=chapters/ch1-softmax.tex
# Bring the report up to date first, so the run below has only LaTeX to do.
make --no-print-directory report SCALE=$SCALE > /tmp/latex-kill-test.log 2>&1
cp "$chapter" "$chapter.orig"
trap 'mv -f "$chapter.orig" "$chapter"' EXIT
echo '% latex-kill-test' >> "$chapter"
make --no-print-directory report SCALE=$SCALE > /tmp/latex-kill-test.log 2>&1 &
make_pid=$!
for i in $(seq 1 3000); do pgrep -x pdflatex >/dev/null && break; sleep 0.1; done
pgrep -x pdflatex >/dev/null || { echo "latex-kill-test: pdflatex never started" >&2; exit 1; }
sleep 1
pkill -KILL -x pdflatex || true
pkill -KILL -x latexmk || true
wait $make_pid || true
mv -f "$chapter.orig" "$chapter"; trap - EXIT
make --no-print-directory report SCALE=$SCALE > /tmp/latex-kill-test.log 2>&1 || {
    echo "latex-kill-test: make report did not recover after a killed LaTeX run (see /tmp/latex-kill-test.log)" >&2; exit 1; }
[ -s "$B/paper.pdf" ] || { echo "latex-kill-test: no $B/paper.pdf" >&2; exit 1; }
echo "latex-kill-test: make report recovered after pdflatex was killed mid-run"
