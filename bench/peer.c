/* peer: the shared reader of the benchmark peers' output. */
#include "peer.h"

#include <stdio.h>
#include <stdlib.h>

int peer_run(double *out, int n, const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    int got = 0;
    char line[128];
    while (got < n && fgets(line, sizeof line, p)) {
        char *end;
        out[got] = strtod(line, &end);
        if (end == line) break;
        got++;
    }
    int rc = pclose(p);
    return got == n && rc == 0 ? 0 : -1;
}
