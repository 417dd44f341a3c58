/* peer: the shared reader of the benchmark peers' output. */
#include "peer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int peer_script(char *buf, size_t n, const char *name)
{
    char exe[4096];
    const char *env = getenv("DEEPCHEAP_DATADIR");
    if (env && *env) {
        snprintf(buf, n, "%s/%s", env, name);
        if (access(buf, R_OK) == 0) return 0;
    }
    ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (l > 0) {
        exe[l] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) *slash = 0;
        static const char *rel[] = {"../share/deepcheap", "../bench"};
        for (int i = 0; i < 2; i++) {
            snprintf(buf, n, "%s/%s/%s", exe, rel[i], name);
            if (access(buf, R_OK) == 0) return 0;
        }
    }
    if (access("/usr/bin/python3", X_OK) != 0) {
        fprintf(stderr, "deepcheap: the PyTorch peer needs /usr/bin/python3 (Debian packages python3, python3-torch)\n");
        return -1;
    }
    fprintf(stderr, "deepcheap: peer script %s not found (set DEEPCHEAP_DATADIR, or 'make install')\n", name);
    return -1;
}
