#include "slurm.h"

#include "binio.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Single-quoted for the shell (no quote inside: refused by the caller). */
static int quotable(const char *s)
{
    return s && !strpbrk(s, "'\n");
}

static int abs_path(char *buf, size_t n, const char *p)
{
    if (p[0] == '/') return snprintf(buf, n, "%s", p) < (int)n ? 0 : -1;
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return -1;
    return snprintf(buf, n, "%s/%s", cwd, p) < (int)n ? 0 : -1;
}

/* The #SBATCH lines must all come before the first command: sbatch stops
 * reading directives there.  `extra` is one more directive line or "". */
static void sbatch_head(FILE *f, const slurm_job *j, const char *name, const char *log, const char *extra)
{
    fprintf(f, "#!/bin/bash\n# written by deepcheap slurm: %s, %s scale, seed %llu\n", j->experiment, j->scale,
            (unsigned long long)j->seed);
    fprintf(f, "#SBATCH --job-name=%s\n#SBATCH --nodes=1\n#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=%d\n", name,
            j->threads);
    fprintf(f, "#SBATCH --output=%s\n", log);
    if (j->partition) fprintf(f, "#SBATCH --partition=%s\n", j->partition);
    if (j->time) fprintf(f, "#SBATCH --time=%s\n", j->time);
    fputs(extra, f);
    fprintf(f, "set -euo pipefail\nexport OMP_NUM_THREADS=%d OPENBLAS_NUM_THREADS=1\n", j->threads);
}

static int write_script(const char *path, const char *text)
{
    binio_file f;
    if (binio_file_open(&f, path) != 0) return -1;
    fputs(text, f.f);
    if (binio_file_commit(&f) != 0) return -1;
    return chmod(path, 0755) == 0 ? 0 : -1;
}

/* Runs `sbatch --parsable [extra] script` and reads the job id. */
static int submit(char *id, size_t n, const char *extra, const char *script)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "sbatch --parsable %s '%s'", extra, script);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    id[0] = 0;
    if (!fgets(id, (int)n, p)) id[0] = 0;
    int rc = pclose(p);
    id[strcspn(id, ";\n")] = 0; /* --parsable prints "id" or "id;cluster" */
    return rc == 0 && id[0] >= '0' && id[0] <= '9' ? 0 : -1;
}

static int scripts(const slurm_job *j, const char *exe, const char *out, const char *dir)
{
    char path[8192], log[8192];
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return -1;
    snprintf(log, sizeof log, "%s/task-%%a.log", dir);
    char array[64];
    snprintf(array, sizeof array, "#SBATCH --array=0-%d\n", j->tasks - 1);
    sbatch_head(f, j, j->experiment, log, array);
    fprintf(f, "k=$((SLURM_ARRAY_TASK_ID + 1))\n");
    fprintf(f, "exec '%s' run '%s' --scale %s --seed %llu --threads %d --shard \"$k/%d\" --out '%s/shard-'\"$k\"\n",
            exe, j->experiment, j->scale, (unsigned long long)j->seed, j->threads, j->tasks, dir);
    fclose(f);
    snprintf(path, sizeof path, "%s/array.sbatch", dir);
    int rc = write_script(path, text);
    free(text);
    if (rc) return -1;
    f = open_memstream(&text, &len);
    if (!f) return -1;
    snprintf(log, sizeof log, "%s/merge.log", dir);
    sbatch_head(f, j, "merge", log, "#SBATCH --kill-on-invalid-dep=yes\n");
    fprintf(f, "exec '%s' merge '%s'", exe, j->experiment);
    for (int k = 1; k <= j->tasks; k++) fprintf(f, " '%s/shard-%d'", dir, k);
    fprintf(f, " --out '%s' --threads %d\n", out, j->threads);
    fclose(f);
    snprintf(path, sizeof path, "%s/merge.sbatch", dir);
    rc = write_script(path, text);
    free(text);
    return rc;
}

int slurm_write(const slurm_job *j)
{
    char exe[PATH_MAX], out[PATH_MAX], dir[PATH_MAX + 64];
    ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (l <= 0) {
        fprintf(stderr, "deepcheap slurm: cannot find this program's path: %s\n", strerror(errno));
        return 1;
    }
    exe[l] = 0;
    if (abs_path(out, sizeof out, j->out) != 0 || !quotable(out) || !quotable(exe) ||
        (j->partition && !quotable(j->partition)) || (j->time && !quotable(j->time))) {
        fprintf(stderr, "deepcheap slurm: --out '%s': not usable in a job script\n", j->out);
        return 1;
    }
    snprintf(dir, sizeof dir, "%s/slurm/%s", out, j->experiment);
    if (binio_mkdirs(dir) != 0) {
        fprintf(stderr, "deepcheap slurm: cannot create %s: %s\n", dir, strerror(errno));
        return 1;
    }
    if (scripts(j, exe, out, dir) != 0) {
        fprintf(stderr, "deepcheap slurm: cannot write the job scripts in %s\n", dir);
        return 1;
    }
    char array[8192], merge[8192];
    snprintf(array, sizeof array, "%s/array.sbatch", dir);
    snprintf(merge, sizeof merge, "%s/merge.sbatch", dir);
    if (!j->submit) {
        printf("wrote %s and %s\nsubmit with:\n  jid=$(sbatch --parsable '%s')\n"
               "  sbatch --dependency=afterok:$jid '%s'\n", array, merge, array, merge);
        return 0;
    }
    char jid[64], mid[64], dep[128];
    if (submit(jid, sizeof jid, "", array) != 0) {
        fprintf(stderr, "deepcheap slurm: sbatch refused %s (is Slurm installed and SLURM_CONF set?)\n", array);
        return 1;
    }
    snprintf(dep, sizeof dep, "--dependency=afterok:%s", jid);
    if (submit(mid, sizeof mid, dep, merge) != 0) {
        fprintf(stderr, "deepcheap slurm: sbatch refused %s (the array job %s is queued; cancel it with scancel %s)\n",
                merge, jid, jid);
        return 1;
    }
    printf("array_job\t%s\nmerge_job\t%s\nresults\t%s\n", jid, mid, out);
    return 0;
}
