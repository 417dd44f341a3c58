/* peer: the shared reader of the benchmark peers' output. */
#include "peer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

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

int peer_spawn(peer_proc *p, const char *cmd)
{
    int sv[2], po[2];
    p->pid = -1, p->to = -1, p->from = NULL;
    /* close-on-exec: a later peer must not hold this one's ends (its stdin would never close) */
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return -1;
    if (pipe2(po, O_CLOEXEC) != 0) {
        close(sv[0]), close(sv[1]);
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(sv[0]), close(sv[1]), close(po[0]), close(po[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(sv[1], 0), dup2(po[1], 1);
        close(sv[0]), close(sv[1]), close(po[0]), close(po[1]);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(sv[1]), close(po[1]);
    p->pid = pid, p->to = sv[0], p->from = fdopen(po[0], "r");
    if (!p->from) {
        close(po[0]);
        peer_stop(p);
        return -1;
    }
    return 0;
}

int peer_wait_ready(peer_proc *p)
{
    char line[64];
    if (!p->from || !fgets(line, sizeof line, p->from) || strcmp(line, "ready\n") != 0) {
        peer_stop(p);
        return -1;
    }
    return 0;
}

int peer_start(peer_proc *p, const char *cmd)
{
    return peer_spawn(p, cmd) ? -1 : peer_wait_ready(p);
}

int peer_ask(peer_proc *p, double *out, int n, const char *args)
{
    if (p->pid < 0 || !p->from) return -1;
    size_t len = strlen(args), done = 0;
    while (done <= len) { /* args, then the newline */
        const char *b = done < len ? args + done : "\n";
        size_t k = done < len ? len - done : 1;
        ssize_t w = send(p->to, b, k, MSG_NOSIGNAL);
        if (w <= 0) return -1;
        done += (size_t)w;
    }
    char line[128];
    for (int got = 0; got < n; got++) {
        char *end;
        if (!fgets(line, sizeof line, p->from)) return -1;
        out[got] = strtod(line, &end);
        if (end == line) return -1;
    }
    return 0;
}

int peer_stop(peer_proc *p)
{
    int st = -1;
    if (p->to >= 0) close(p->to);
    if (p->from) fclose(p->from);
    if (p->pid > 0 && waitpid(p->pid, &st, 0) != p->pid) st = -1;
    p->pid = -1, p->to = -1, p->from = NULL;
    return st == 0 ? 0 : -1;
}
