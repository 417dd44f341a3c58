#!/usr/bin/env bash
# No function in bench/ (the experiments) is longer than 150 lines (issue 16:
# each claim's computation, macros and verdict sit together in short
# functions).  A function is the lines from its opening brace at column 0
# to its closing brace at column 0, as the code is written.
# Exit 1 with one line per offender.
set -uo pipefail
cd "${1:-.}" || exit 2
limit=${LIMIT:-150}
awk -v limit="$limit" '
    FNR == 1 { prev = "" }
    /^\{/ { start = FNR; name = prev; next }
    /^\}/ && start { n = FNR - start + 1; if (n > limit) { printf "check-functions: %s:%d: %s is %d lines (limit %d)\n", FILENAME, start, name, n, limit; bad = 1 } start = 0; next }
    /[^ \t]/ && !start { prev = $0 }
    END { exit bad }' bench/*.c
