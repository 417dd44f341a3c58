#!/usr/bin/env bash
# Writes $1/macros/version.tex: the commit the report is built from and
# whether the tree is modified; replaced only when the content changes.
# (The program reads the commit at run time; nothing is compiled in.)
set -eu
b=$1
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
dirty=0
if [ "$commit" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then dirty=1; fi
mkdir -p "$b/macros"
if [ $dirty = 1 ]; then d='yes (uncommitted changes)'; else d=no; fi
t="\\newcommand{\\DCcommit}{$commit}
\\newcommand{\\DCdirty}{$d}"
printf '%s\n' "$t" | cmp -s - "$b/macros/version.tex" || printf '%s\n' "$t" > "$b/macros/version.tex"
