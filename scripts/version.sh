#!/usr/bin/env bash
# Writes $1/version.c and $1/macros/version.tex with the git commit and
# whether the tree is dirty; replaces them only when the content changes.
set -eu
b=$1
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
dirty=0
if [ "$commit" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then dirty=1; fi
mkdir -p "$b/macros"
c="const char *results_commit(void) { return \"$commit\"; }
int results_dirty(void) { return $dirty; }"
printf '%s\n' "$c" | cmp -s - "$b/version.c" || printf '%s\n' "$c" > "$b/version.c"
if [ $dirty = 1 ]; then d='yes (uncommitted changes)'; else d=no; fi
t="\\newcommand{\\DCcommit}{$commit}
\\newcommand{\\DCdirty}{$d}"
printf '%s\n' "$t" | cmp -s - "$b/macros/version.tex" || printf '%s\n' "$t" > "$b/macros/version.tex"
