/* Ising: exact methods against each other and the published values, Monte
 * Carlo against exact with error-bar tolerances, determinism, sample files. */
#include "ising.h"
#include "rng.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <gmp.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int close_rel(double a, double b, double tol) { return fabs(a - b) <= tol * fmax(1.0, fabs(b)); }

/* MC tolerance: k = 4.5 error bars.  With 32 bins (t, 31 dof) a single check
 * fails by chance with probability 8e-5. */
#define KSIG 4.5

Test(ising, kaufman_reference_values)
{
    ising_thermo a;
    cr_assert(ising_exact_kaufman(&a, 4, 4, 2.5) == 0);
    cr_assert(epsilon_eq(dbl, a.lnz, 14.5610930238, 1e-10), "lnZ %.12f", a.lnz);
    cr_assert(epsilon_eq(dbl, a.u, -1.37911648226, 1e-11), "u %.12f", a.u);
    cr_assert(epsilon_eq(dbl, a.c, 0.81251522944, 1e-11), "c %.12f", a.c);
    cr_assert(ising_exact_kaufman(&a, 8, 8, 2.269185314) == 0);
    cr_assert(epsilon_eq(dbl, a.u, -1.491589, 1e-6), "u %.8f", a.u);
    cr_assert(epsilon_eq(dbl, a.c, 1.145559, 1e-6), "c %.8f", a.c);
    cr_assert(ising_exact_kaufman(&a, 1, 4, 2.5) == -1);
    cr_assert(ising_exact_kaufman(&a, 4, 4, 0) == -1);
    cr_assert(ising_exact_kaufman(&a, 4, 4, NAN) == -1);
}

Test(ising, kaufman_large_and_at_tc)
{
    ising_thermo a;
    /* L = 256 stays finite (log-scale products); exactly at T_c g_0 = 0 */
    cr_assert(ising_exact_kaufman(&a, 256, 256, ISING_TC) == 0);
    cr_assert(isfinite(a.lnz) && isfinite(a.u) && isfinite(a.c));
    /* finite-size law u(T_c, L) = -sqrt 2 + a / L + O(1/L^2) (Ferdinand-Fisher) */
    ising_thermo b;
    cr_assert(ising_exact_kaufman(&b, 512, 512, ISING_TC) == 0);
    double a256 = (a.u + sqrt(2.0)) * 256, a512 = (b.u + sqrt(2.0)) * 512;
    cr_assert(fabs(a256) > 0.1 && fabs(a256 - a512) < 0.01 * fabs(a512), "L(u + sqrt 2): %.6f %.6f", a256, a512);
    cr_assert(ising_exact_kaufman(&a, 1024, 1024, 0.3) == 0);
    cr_assert(close_rel(a.u, -2.0, 1e-10), "u %.15f", a.u);
}

Test(ising, kaufman_brute_tm_agree)
{
    const int sz[4][2] = {{4, 4}, {3, 4}, {4, 5}, {2, 6}};
    const double Ts[6] = {0.4, 1.0, 2.0, ISING_TC, 2.5, 10.0};
    for (int q = 0; q < 4; q++)
        for (int i = 0; i < 6; i++) {
            ising_thermo k, b, t;
            int m = sz[q][0], n = sz[q][1];
            cr_assert(ising_exact_kaufman(&k, m, n, Ts[i]) == 0);
            cr_assert(ising_exact_brute(&b, m, n, Ts[i]) == 0);
            cr_assert(ising_exact_tm(&t, m, n, Ts[i]) == 0);
            cr_assert(close_rel(k.lnz, b.lnz, 1e-10) && close_rel(k.u, b.u, 1e-10) && close_rel(k.c, b.c, 1e-10),
                      "kaufman vs brute %dx%d T=%g: %.12g %.12g / %.12g %.12g", m, n, Ts[i], k.u, b.u, k.c, b.c);
            cr_assert(close_rel(t.lnz, b.lnz, 1e-10) && close_rel(t.u, b.u, 1e-10) && close_rel(t.c, b.c, 1e-10),
                      "tm vs brute %dx%d T=%g", m, n, Ts[i]);
            cr_assert(close_rel(t.absm, b.absm, 1e-10) && close_rel(t.m2, b.m2, 1e-10),
                      "tm |m| vs brute %dx%d T=%g: %.12g %.12g", m, n, Ts[i], t.absm, b.absm);
        }
}

Test(ising, tm_vs_kaufman_larger)
{
    const double Ts[3] = {1.3, 2.3, 3.4};
    for (int i = 0; i < 3; i++) {
        ising_thermo k, t;
        cr_assert(ising_exact_kaufman(&k, 6, 7, Ts[i]) == 0);
        cr_assert(ising_exact_tm(&t, 6, 7, Ts[i]) == 0);
        cr_assert(close_rel(k.lnz, t.lnz, 1e-10) && close_rel(k.u, t.u, 1e-10) && close_rel(k.c, t.c, 1e-10),
                  "6x7 T=%g", Ts[i]);
    }
    ising_thermo t;
    cr_assert(ising_exact_tm(&t, 11, 4, 2.0) == -1);
}

Test(ising, onsager_vs_large_torus)
{
    const double Ts[4] = {1.0, 1.5, 3.0, 3.5};
    for (int i = 0; i < 4; i++) {
        double u, c, m;
        ising_thermo k;
        ising_onsager(&u, &c, &m, Ts[i]);
        ising_exact_kaufman(&k, 256, 256, Ts[i]);
        cr_assert(close_rel(u, k.u, 1e-10) && close_rel(c, k.c, 1e-10), "T=%g: %.12g %.12g / %.12g %.12g",
                  Ts[i], u, k.u, c, k.c);
    }
    double u, c, m;
    ising_onsager(&u, &c, &m, ISING_TC);
    cr_assert(epsilon_eq(dbl, u, -sqrt(2.0), 1e-12), "u(Tc) %.15f", u);
    ising_onsager(&u, &c, &m, 1.0); /* Yang: (1 - sinh^-4 2)^(1/8) */
    cr_assert(epsilon_eq(dbl, m, pow(1 - pow(sinh(2.0), -4), 0.125), 1e-14));
    ising_onsager(&u, &c, &m, 3.0);
    cr_assert(m == 0);
}

static void check_beale(int L)
{
    int N = L * L;
    ising_beale B;
    cr_assert(ising_beale_init(&B, L, L) == 0, "L=%d", L);
    cr_assert(B.N == N && B.m == L && B.n == L);
    char **g = B.g;
    mpz_t s, z, t;
    mpz_inits(s, z, t, NULL);
    long double *gl = malloc((N + 1) * sizeof *gl);
    for (int k = 0; k <= N; k++) {
        cr_assert(mpz_set_str(z, g[k], 10) == 0);
        int sg = mpz_sgn(z);
        cr_assert(sg >= 0, "L=%d g_%d negative", L, k);
        mpz_add(s, s, z);
        gl[k] = mpz_get_d(z);
        cr_assert(strcmp(g[k], g[N - k]) == 0, "L=%d g_%d != g_%d", L, k, N - k);
    }
    mpz_ui_pow_ui(t, 2, N);
    int cmp = mpz_cmp(s, t);
    cr_assert(cmp == 0, "L=%d sum g_k != 2^N", L);
    long want[4] = {2, 0, 2L * N, 4L * N};
    for (int k = 0; k < 4; k++) cr_assert(atol(g[k]) == want[k], "L=%d g_%d=%s", L, k, g[k]);
    /* b = 8: two separated flips, straight and bent trominoes, the 2x2 square */
    if (L >= 6) cr_assert(atol(g[4]) == (long)N * (N + 9), "L=%d g_4=%s", L, g[4]);
    for (double T = 1.0; T < 3.6; T += 0.5) {
        ising_thermo a, b;
        ising_exact_kaufman(&a, L, L, T);
        ising_dos_thermo(&b, gl, N, T);
        cr_assert(close_rel(a.lnz, b.lnz, 1e-10) && close_rel(a.u, b.u, 1e-10) && close_rel(a.c, b.c, 1e-10),
                  "beale vs kaufman L=%d T=%g", L, T);
    }
    free(gl);
    mpz_clears(s, z, t, NULL);
    ising_beale_clear(&B);
}

Test(ising, beale_dos)
{
    /* L = 4 against enumeration, coefficient by coefficient */
    ising_beale B;
    uint64_t bd[33];
    cr_assert(ising_beale_init(&B, 4, 4) == 0);
    char **g = B.g;
    cr_assert(ising_brute_dos(bd, 4, 4) == 0);
    for (int b = 0; b <= 32; b++) {
        uint64_t want = b % 2 ? 0 : strtoull(g[b / 2], NULL, 10);
        cr_assert(bd[b] == want, "b=%d brute %llu beale %llu", b, (unsigned long long)bd[b], (unsigned long long)want);
    }
    /* L = 4: N(N + 9) plus 16 width-1 and 8 width-2 wrapping stripes */
    cr_assert(strcmp(g[4], "424") == 0, "g_4(L=4) = 424, got %s", g[4]);
    ising_beale_clear(&B);
    check_beale(4);
    check_beale(8);
    check_beale(16);
    cr_assert(ising_beale_init(&B, 3, 4) == -1 && B.g == NULL);
    ising_beale_clear(&B); /* safe after a failed init */
}

Test(ising, philox_inline_matches_rng)
{
    rng_stream r;
    rng_init(&r, 99, 1, 2);
    for (int i = 0; i < 1000; i++) {
        uint32_t ctr[4] = {rng_u32(&r), rng_u32(&r), rng_u32(&r), rng_u32(&r)}, key[2] = {rng_u32(&r), rng_u32(&r)};
        uint32_t a[4], b[4];
        rng_philox4x32(a, ctr, key);
        ising_philox(b, ctr, key);
        cr_assert(memcmp(a, b, sizeof a) == 0);
    }
}

Test(ising, msc_thread_count_independent)
{
    const int L = 64;
    ising_msc a, b;
    cr_assert(ising_msc_init(&a, L, 5, 3) == 0 && ising_msc_init(&b, L, 5, 3) == 0);
    omp_set_num_threads(1);
    ising_msc_sweeps(&a, 2.4, 20);
    omp_set_num_threads(2);
    ising_msc_sweeps(&b, 2.4, 20);
    omp_set_num_threads(1);
    cr_assert(memcmp(a.s, b.s, sizeof(uint64_t) * L * L) == 0, "1 vs 2 threads differ");
    ising_msc c;
    cr_assert(ising_msc_init(&c, L, 6, 3) == 0);
    ising_msc_sweeps(&c, 2.4, 20);
    cr_assert(memcmp(a.s, c.s, sizeof(uint64_t) * L * L) != 0, "seed ignored");
    int E[64], M[64];
    ising_msc_measure(&a, E, M);
    int8_t *s = malloc(L * L);
    ising_msc_replica(s, &a, 17);
    int e = 0, m = 0;
    for (int y = 0; y < L; y++)
        for (int x = 0; x < L; x++) {
            e -= s[y * L + x] * (s[y * L + (x + 1) % L] + s[((y + 1) % L) * L + x]);
            m += s[y * L + x];
        }
    cr_assert(E[17] == e && M[17] == m, "bit-sliced measure %d %d vs %d %d", E[17], M[17], e, m);
    free(s);
    ising_msc_clear(&a); ising_msc_clear(&b); ising_msc_clear(&c);
    cr_assert(ising_msc_init(&a, 7, 1, 0) == -1, "odd L accepted");
}

Test(ising, msc_matches_exact)
{
    const double Ts[2] = {1.8, 2.4};
    for (int i = 0; i < 2; i++) {
        ising_mc_result r;
        ising_thermo k, t;
        cr_assert(ising_msc_run(&r, 8, Ts[i], 1000, 8000, 32, 11, (uint32_t)i) == 0);
        ising_exact_kaufman(&k, 8, 8, Ts[i]);
        ising_exact_tm(&t, 8, 8, Ts[i]);
        cr_assert(fabs(r.e - k.u) <= KSIG * r.e_err, "T=%g e %.6f +- %.2g exact %.6f", Ts[i], r.e, r.e_err, k.u);
        cr_assert(fabs(r.c - k.c) <= KSIG * r.c_err, "T=%g c %.5f +- %.2g exact %.5f", Ts[i], r.c, r.c_err, k.c);
        cr_assert(fabs(r.absm - t.absm) <= KSIG * r.absm_err, "T=%g |m| %.6f +- %.2g exact %.6f", Ts[i], r.absm,
                  r.absm_err, t.absm);
        cr_assert(r.e_err > 0 && r.e_err < 0.01 && r.tau_e >= 0.5);
    }
}

Test(ising, mm_chain_matches_exact)
{
    const int L = 8, n = 20000;
    double T = 2.5, *x = malloc(n * sizeof *x), *x2 = malloc(n * sizeof *x2);
    ising_chain c;
    cr_assert(ising_chain_init(&c, L, 3, 0, 0) == 0);
    for (int t = 0; t < 500; t++) ising_mm_step(&c, T);
    for (int t = 0; t < n; t++) {
        int E, M;
        ising_mm_step(&c, T);
        ising_chain_measure(&c, &E, &M);
        x[t] = E / 64.0;
        x2[t] = x[t] * x[t];
    }
    double e, ee, be[32], be2[32], cc, ce;
    ising_binned(&e, &ee, x, n, n / 32);
    for (int b = 0; b < 32; b++) {
        double m1, m2, d;
        ising_binned(&m1, &d, x + b * (n / 32), n / 32, n / 32);
        ising_binned(&m2, &d, x2 + b * (n / 32), n / 32, n / 32);
        be[b] = m1; be2[b] = m2;
    }
    ising_jack_c(&cc, &ce, be, be2, 32, 64, T);
    ising_thermo k;
    ising_exact_kaufman(&k, L, L, T);
    cr_assert(fabs(e - k.u) <= KSIG * ee, "MM e %.5f +- %.2g exact %.5f", e, ee, k.u);
    cr_assert(fabs(cc - k.c) <= KSIG * ce, "MM c %.4f +- %.2g exact %.4f", cc, ce, k.c);
    ising_chain_clear(&c);
    free(x); free(x2);
}

Test(ising, tau_int_ar1)
{
    /* AR(1) x_t = rho x_{t-1} + noise: tau_int = (1 + rho) / (2 (1 - rho)) = 4.5 for rho = 0.8;
     * the estimate's standard error is about tau sqrt(2(2W+1)/n) ~ 0.1 here. */
    size_t n = 200000;
    double *x = malloc(n * sizeof *x), rho = 0.8;
    rng_stream r;
    rng_init(&r, 1, 0, 0);
    x[0] = rng_normal(&r) / sqrt(1 - rho * rho);
    for (size_t t = 1; t < n; t++) x[t] = rho * x[t - 1] + rng_normal(&r);
    double tau = ising_tau_int(x, n);
    cr_assert(fabs(tau - 4.5) < 0.5, "tau %.3f", tau);
    free(x);
}

Test(ising, general_sampler_two_spins)
{
    /* two spins, J = 0.7, h = (0.2, -0.1): exact <s1 s2> by enumeration */
    double J[4] = {0, 0.7, 0.7, 0}, h[2] = {0.2, -0.1}, z = 0, ss = 0;
    for (int a = -1; a <= 1; a += 2)
        for (int b = -1; b <= 1; b += 2) {
            double w = exp(0.7 * a * b + 0.2 * a - 0.1 * b);
            z += w; ss += w * a * b;
        }
    int n = 40000;
    int8_t *out = malloc(2 * n);
    cr_assert(ising_sample_general(out, 2, J, h, n, 100, 1, 4, 0) == 0);
    double m = 0;
    for (int k = 0; k < n; k++) m += out[2 * k] * out[2 * k + 1];
    m /= n;
    /* heat bath on 2 spins mixes in a sweep or two: error ~ sqrt(var/n) * 2 */
    double err = 2 * sqrt((1 - (ss / z) * (ss / z)) / n);
    cr_assert(fabs(m - ss / z) <= KSIG * err, "<s1 s2> %.4f exact %.4f", m, ss / z);
    free(out);
}

static char tmpdir[64];

static void write_samples(const char *path)
{
    ising_samples s;
    cr_assert(ising_samples_init(&s, 8, 2, 3, 42) == 0 && s.words == 1 && s.bits[5] == 0);
    double T[2] = {1.5, 2.5};
    uint64_t bits[6] = {1, 2, 3, 0xdeadbeefcafef00dull, 5, ~0ull};
    memcpy(s.T, T, sizeof T);
    memcpy(s.bits, bits, sizeof bits);
    cr_assert(ising_samples_write(path, &s) == 0);
    ising_samples_clear(&s);
}

Test(ising, sample_file_round_trip_and_rejects)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dc_ising_test_%d", (int)getpid());
    char path[128], bad[128], err[256];
    snprintf(path, sizeof path, "%s/s.bin", tmpdir);
    snprintf(bad, sizeof bad, "%s/bad.bin", tmpdir);
    write_samples(path);
    ising_samples s;
    cr_assert(ising_samples_load(&s, path, err, sizeof err) == 0, "%s", err);
    cr_assert(s.L == 8 && s.ntemps == 2 && s.count == 3 && s.seed == 42 && s.T[1] == 2.5 &&
              s.bits[3] == 0xdeadbeefcafef00dull);
    ising_samples_clear(&s);
    FILE *f = fopen(path, "rb");
    unsigned char buf[512];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    /* truncated, each bit-flip position class, trailing garbage, foreign */
    struct { size_t len; int flip; const char *tail; } cases[] = {
        {n - 1, -1, NULL}, {20, -1, NULL}, {n, 60, NULL}, {n, 3, NULL}, {n, 13, NULL}, {n, 33, NULL},
        {n, (int)n - 1, NULL}, {n, -1, "x"}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        unsigned char b2[512];
        memcpy(b2, buf, n);
        if (cases[c].flip >= 0) b2[cases[c].flip] ^= 0x10;
        f = fopen(bad, "wb");
        fwrite(b2, 1, cases[c].len, f);
        if (cases[c].tail) fputs(cases[c].tail, f);
        fclose(f);
        err[0] = 0;
        cr_assert(ising_samples_load(&s, bad, err, sizeof err) == -1, "case %zu accepted", c);
        cr_assert(strlen(err) > 0 && strchr(err, '\n') == NULL, "case %zu: one line, got '%s'", c, err);
    }
    f = fopen(bad, "wb");
    fputs("L\tT\te\n8\t2.3\t-1.4\n", f);
    fclose(f);
    cr_assert(ising_samples_load(&s, bad, err, sizeof err) == -1);
    cr_assert(ising_samples_load(&s, "/nonexistent/x.bin", err, sizeof err) == -1);
    remove(path); remove(bad); rmdir(tmpdir);
}

/* Every bit of the header (version, L, counts, seed, length) is covered:
 * flipping any one of them is refused, including a change of L that keeps
 * the word count (8 -> 7) and a forged seed; a header claiming a huge
 * payload is refused from the file's length before anything is allocated. */
Test(ising, sample_header_checksummed_and_sized_first)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dc_ising_hdr_%d", (int)getpid());
    char path[128], bad[128], err[256];
    snprintf(path, sizeof path, "%s/s.bin", tmpdir);
    snprintf(bad, sizeof bad, "%s/bad.bin", tmpdir);
    write_samples(path);
    FILE *f = fopen(path, "rb");
    unsigned char buf[512];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    ising_samples s;
    for (int bit = 8 * 8; bit < 8 * 48; bit++) { /* after the magic: bytes 8..47 */
        unsigned char b2[512];
        memcpy(b2, buf, n);
        b2[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        f = fopen(bad, "wb");
        fwrite(b2, 1, n, f);
        fclose(f);
        cr_assert(ising_samples_load(&s, bad, err, sizeof err) == -1, "header bit %d (byte %d) flipped: accepted", bit,
                  bit / 8);
    }
    /* forged: count 10^8 and a matching payload length, in a small file */
    unsigned char b2[512];
    memcpy(b2, buf, n);
    uint64_t cnt = 100000000, words = 1, len = 8 * (2 + 2 * cnt * words);
    for (int i = 0; i < 4; i++) b2[20 + i] = (unsigned char)(cnt >> (8 * i));
    for (int i = 0; i < 8; i++) b2[32 + i] = (unsigned char)(len >> (8 * i));
    f = fopen(bad, "wb");
    fwrite(b2, 1, n, f);
    fclose(f);
    cr_assert(ising_samples_load(&s, bad, err, sizeof err) == -1);
    cr_assert(strstr(err, "file length") != NULL, "forged size not refused by the length check: %s", err);
    remove(path); remove(bad); rmdir(tmpdir);
}

static int run_cmd(const char *args)
{
    const char *bin = getenv("DEEPCHEAP");
    if (!bin) bin = "build/deepcheap";
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s %s >/dev/null 2>&1", bin, args);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(ising, commands_reject_bad_input)
{
    cr_assert(run_cmd("ising exact --L 8 --T 2.269185314") == 0);
    cr_assert(run_cmd("ising exact --L 1 --T 2") == 2);
    cr_assert(run_cmd("ising exact --L x --T 2") == 2);
    cr_assert(run_cmd("ising exact --L 8 --T -1") == 2);
    cr_assert(run_cmd("ising exact --L 8 --T 0") == 2);
    cr_assert(run_cmd("ising exact --L 8 --T nan") == 2);
    cr_assert(run_cmd("ising mc --L 7 --T 2 --sweeps 1000") == 2);
    cr_assert(run_cmd("ising mc --L 8 --T 2 --sweeps 10") == 2);
    cr_assert(run_cmd("ising samples --file /nonexistent/s.bin") == 1); /* a runtime error, not usage */
}

/* One configuration's E and M against a sum over all site pairs that are
 * torus neighbours (|dx| + |dy| = 1 with wrap-around), for L >= 3. */
Test(ising, config_measure_matches_pair_sum)
{
    rng_stream r;
    rng_init(&r, 21, 0, 0);
    for (int L = 3; L <= 7; L++)
        for (int t = 0; t < 5; t++) {
            int8_t s[49];
            for (int i = 0; i < L * L; i++) s[i] = t == 0 ? 1 : (rng_bernoulli(&r, 0.5) ? 1 : -1);
            int E, M, e2 = 0, m2 = 0;
            ising_config_measure(&E, &M, s, L);
            for (int i = 0; i < L * L; i++) {
                m2 += s[i];
                for (int j = i + 1; j < L * L; j++) {
                    int dx = abs(i % L - j % L), dy = abs(i / L - j / L);
                    dx = dx < L - dx ? dx : L - dx;
                    dy = dy < L - dy ? dy : L - dy;
                    if (dx + dy == 1) e2 -= s[i] * s[j];
                }
            }
            cr_assert(E == e2 && M == m2, "L=%d t=%d: E %d vs %d, M %d vs %d", L, t, E, e2, M, m2);
            if (t == 0) cr_assert(E == -2 * L * L, "L=%d all up", L);
        }
}

/* The carry-save measure, every replica, against a direct count: random
 * words, all spins down (every lane at the largest |M|) and a checkerboard
 * (every bond broken: the largest E), at sizes below, at and above one block
 * of 16 words. */
Test(ising, msc_measure_every_replica)
{
    const int Ls[5] = {2, 4, 6, 8, 16};
    rng_stream r;
    rng_init(&r, 3, 0, 0);
    for (int li = 0; li < 5; li++)
        for (int kind = 0; kind < 3; kind++) {
            int L = Ls[li], N = L * L, E[64], M[64];
            ising_msc w;
            cr_assert(ising_msc_init(&w, L, 1, 0) == 0);
            for (int i = 0; i < N; i++)
                w.s[i] = kind == 0 ? rng_u64(&r) : kind == 1 ? ~0ull : ((i / L + i % L) % 2 ? ~0ull : 0);
            ising_msc_measure(&w, E, M);
            int8_t *s = malloc((size_t)N);
            for (int rep = 0; rep < 64; rep++) {
                ising_msc_replica(s, &w, rep);
                int e = 0, m = 0;
                for (int y = 0; y < L; y++)
                    for (int x = 0; x < L; x++) {
                        e -= s[y * L + x] * (s[y * L + (x + 1) % L] + s[((y + 1) % L) * L + x]);
                        m += s[y * L + x];
                    }
                cr_assert(E[rep] == e && M[rep] == m, "L %d kind %d replica %d: %d %d vs %d %d", L, kind, rep, E[rep],
                          M[rep], e, m);
            }
            free(s);
            ising_msc_clear(&w);
        }
}
