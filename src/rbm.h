/* rbm: binary restricted Boltzmann machines and their deep stacks (Ch. 6).
 *
 * RBM: E(v, h) = -b.v - c.h - h W v, v in {0,1}^nv, h in {0,1}^nh, W nh x nv
 * row-major.  Ising spins s = 2v - 1 map to bits v.  Trained by CD-k or
 * PCD-k on minibatches with cblas_sgemm; exact evaluation (free energy with
 * the hidden units summed out, ln Z by enumeration over either layer in
 * double) for small systems.
 *
 * Deep models (rbm_deep): DBN (greedy layer-wise stack of RBMs; sampled by
 * Gibbs in the top RBM then a down pass), DBM (DBN pre-training, then joint
 * training with a mean-field positive phase and a persistent block-Gibbs
 * negative phase), DRBN (DBN pre-training, then all layers trained jointly
 * with the up pass of probabilities as positive phase and persistent
 * up-down chains as negative phase; one sampling step is a full up pass then
 * a full down pass).
 *
 * Threads: nothing here opens an OpenMP region; training and sampling run
 * on the calling thread with single-threaded BLAS (set here when called
 * outside a parallel region; call rbm_blas_single_thread() before a parallel
 * region).  Every random number comes from rng streams keyed by (seed, cell,
 * stream), so results depend on (seed, cell) only. */
#ifndef DEEPCHEAP_RBM_H
#define DEEPCHEAP_RBM_H

#include "rng.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int nv, nh;
    float *W; /* nh x nv row-major: W[j*nv + i] */
    float *b; /* visible bias, nv */
    float *c; /* hidden bias, nh */
} rbm_model;

int rbm_model_init(rbm_model *m, int nv, int nh);              /* zeroed; 0 or -1 */
int rbm_model_init_copy(rbm_model *dst, const rbm_model *src); /* a copy of src; 0 or -1 */
void rbm_model_clear(rbm_model *m);
void rbm_init_normal(rbm_model *m, rng_stream *r, double sd);  /* W ~ N(0, sd^2), biases 0 */

typedef struct {
    int k;
    int persistent;
    int batch;
    int epochs;
    double lr0, lr1; /* linear decay lr0 -> lr1 */
    double l1, l2;
    double momentum;
    int augment_flip;
    int augment_translate_L; /* 0 = off, else LxL torus translations */
} rbm_train_opts;

/* CD-k (persistent = 0) or PCD-k on data (n x nv, values 0/1 as float);
 * deterministic for (seed, cell) whatever the thread count; returns 0 or -1
 * (-1 also when augment_translate_L^2 != nv). */
int rbm_train(rbm_model *m, const float *data, size_t n, const rbm_train_opts *o, uint64_t seed,
              uint32_t cell);
void rbm_hidden_prob(float *ph, const rbm_model *m, const float *v, size_t n);  /* n x nh */
void rbm_visible_prob(float *pv, const rbm_model *m, const float *h, size_t n); /* n x nv */
/* F(v) = -b.v - sum_j softplus(c_j + W_j.v), in double. */
double rbm_free_energy(const rbm_model *m, const float *v);
/* F(h) = -c.h - sum_i softplus(b_i + (W^T h)_i), in double. */
double rbm_free_energy_hidden(const rbm_model *m, const float *h);

/* openblas_set_num_threads(1); call outside any parallel region. */
void rbm_blas_single_thread(void);

/* x[i] = 1 with probability p[i] (uniform floats from r). */
void rbm_bernoulli(float *x, const float *p, size_t n, rng_stream *r);

/* The CD-k estimate of the gradient of the mean log-likelihood of v0 (n
 * rows) that rbm_train follows: g->W = <h v>_0 - <h v>_k (hidden
 * probabilities), likewise b, c.  g must be allocated with m's shape. */
int rbm_grad_cd(rbm_model *g, const rbm_model *m, const float *v0, size_t n, int k, rng_stream *r);
/* The exact gradient of the mean log-likelihood, by enumeration over the
 * visible layer (nv <= 24). */
int rbm_grad_exact(rbm_model *g, const rbm_model *m, const float *v0, size_t n);

/* ln Z by enumeration over all 2^nv visible states (hidden summed out) or
 * all 2^nh hidden states (visible summed out), log-sum-exp in double.
 * Return 0, or -1 when the layer has more than 30 units. */
int rbm_lnz_visible(double *lnz, const rbm_model *m);
int rbm_lnz_hidden(double *lnz, const rbm_model *m);
/* ln q(v) = -F(v) - lnZ for all 2^nv visible states v (bit i of the index
 * = v_i), given lnZ; out has 2^nv entries.  0 or -1 (nv > 24). */
int rbm_log_marginal_all(double *out, const rbm_model *m, double lnz);
/* Both in one enumeration: ln Z (the value of rbm_lnz_visible) into *lnz and
 * ln q(v) for all 2^nv states (those of rbm_log_marginal_all given it) into
 * out.  0 or -1 (nv > 24). */
int rbm_log_marginal_lnz(double *out, double *lnz, const rbm_model *m);

/* `chains` independent Gibbs chains from uniform random visible states,
 * `steps` steps each; the final visible states (chains x nv) into out. */
int rbm_sample(float *out, const rbm_model *m, size_t chains, int steps, uint64_t seed,
               uint32_t cell);

/* Model files, little-endian: "DCRBM\0\0\0" magic, u32 version, u32 kind,
 * u32 nlayers, nlayers+1 u32 sizes, then per weight layer W (float32), b, c,
 * then u64 FNV-1a of every preceding byte.  Written atomically.  0, or -1
 * with a one-line message in err. */
#define RBM_MAX_LAYERS 4

typedef enum { RBM_KIND_RBM, RBM_KIND_DBN, RBM_KIND_DBM, RBM_KIND_DRBN, RBM_KIND_COUNT } rbm_kind;
const char *rbm_kind_name(rbm_kind k);

/* A stack of nl weight layers over nl + 1 unit layers.  layer[l] joins unit
 * layer l (its visible side) and l + 1.  DBN: every layer[l] is a complete
 * RBM (layer[l].c is its own hidden bias, used in the up pass).  DBM and
 * DRBN: unit layer l has the single bias rbm_deep_bias(d, l): layer[l].b for
 * l < nl, layer[nl-1].c for the top; layer[l].c (l < nl-1) unused. */
typedef struct {
    rbm_kind kind;
    int nl;
    int sizes[RBM_MAX_LAYERS + 1];
    rbm_model layer[RBM_MAX_LAYERS];
} rbm_deep;

/* Zeroed layers of the given shape; 0, or -1 on bad sizes or allocation
 * failure (nothing left allocated).  rbm_load also initializes. */
int rbm_deep_init(rbm_deep *d, rbm_kind kind, int nl, const int *sizes);
void rbm_deep_clear(rbm_deep *d);
float *rbm_deep_bias(const rbm_deep *d, int l);

typedef struct {
    rbm_train_opts rbm; /* per-layer (DBN, pre-training) and joint settings */
    int joint_epochs;   /* DBM / DRBN joint epochs */
    int mf_iters;       /* DBM mean-field iterations in the positive phase */
    double sd0;         /* initial weight sd factor: sd = sd0 / sqrt(nv nh) */
    double joint_lr0, joint_lr1; /* joint phase learning rate, linear decay */
    int horizon;       /* pre-training lr decays lr0 -> lr1 over this many epochs (0: rbm.epochs) */
    int joint_horizon; /* joint lr decays over this many epochs (0: joint_epochs) */
} rbm_deep_opts;

/* Trains a model of d's kind and shape on data (n x sizes[0]): rbm.epochs
 * pre-training epochs, each training every layer once in turn (layer l on
 * Bernoulli samples of layer l-1's hidden probabilities given its input of
 * that epoch; augmentation on the first layer only), then for DBM and DRBN
 * joint_epochs joint epochs.  Every epoch draws from its own stream keyed by
 * (seed, cell, phase, layer, epoch).  0 or -1.  The same as
 * rbm_deep_run_new, rbm_deep_run_to(rbm.epochs, joint_epochs), free. */
int rbm_deep_train(rbm_deep *d, const float *data, size_t n, const rbm_deep_opts *o,
                   uint64_t seed, uint32_t cell);

/* A resumable training run: d's initial weights drawn, momentum and
 * persistent chains held between calls.  Continuing a run gives bit for bit
 * the model that one rbm_deep_train call for the total epochs gives (with the
 * same horizons).  rbm_deep_run_new: NULL on bad options or allocation
 * failure.  rbm_deep_run_to: continues d (the same d, data and n as at new)
 * to `epochs` pre-training and `joint_epochs` joint epochs in all; -1 when
 * either is below what is done or pre-training would continue after the
 * joint phase began (it begins with the first joint epoch).
 * rbm_deep_run_copy: a run in the same state for a copy of d
 * (rbm_deep_init_copy), with options o (which may change the epochs and the
 * joint phase's settings, not the batch), before the joint phase only (else
 * NULL). */
typedef struct rbm_deep_run rbm_deep_run;
rbm_deep_run *rbm_deep_run_new(rbm_deep *d, const float *data, size_t n, const rbm_deep_opts *o,
                               uint64_t seed, uint32_t cell);
int rbm_deep_run_to(rbm_deep_run *s, rbm_deep *d, const float *data, int epochs, int joint_epochs);
rbm_deep_run *rbm_deep_run_copy(const rbm_deep_run *s, const rbm_deep *d, const rbm_deep_opts *o);
void rbm_deep_run_free(rbm_deep_run *s);
/* dst = a copy of src (initializes dst); 0 or -1. */
int rbm_deep_init_copy(rbm_deep *dst, const rbm_deep *src);
/* p = P(unit layer l = 1 | its neighbours) for n rows: x[l-1] and x[l+1]
 * (each n x size) as the model's Gibbs conditional uses them: DBM both
 * neighbours; DBN/DRBN up (from = -1: x[l-1] only) or down (from = +1:
 * x[l+1] only).  x[] entries not used may be NULL. */
void rbm_deep_cond(float *p, const rbm_deep *d, int l, int from, float *const *x, size_t n);
/* One sampling step on the state x[0..nl] (each chains x sizes[l]):
 * RBM/DBN: block Gibbs in the top RBM (for DBN the lower layers are then
 * set by a down pass); DBM: odd layers then even layers (block Gibbs of the
 * joint); DRBN: up pass then down pass. */
void rbm_deep_step(const rbm_deep *d, float *const *x, size_t chains, rng_stream *r);
/* `steps` steps: the state and stream of `steps` rbm_deep_step calls, bit for
 * bit; for a DBN the layers below the top RBM are computed in the last step
 * only (their random numbers skipped before). */
void rbm_deep_steps(const rbm_deep *d, float *const *x, size_t chains, int steps, rng_stream *r);
/* `chains` chains from uniform random states, `steps` steps; the visible
 * layer's final states into out (chains x sizes[0]). */
int rbm_deep_sample(float *out, const rbm_deep *d, size_t chains, int steps, uint64_t seed,
                    uint32_t cell);

int rbm_save(const rbm_deep *d, const char *path, char *err, size_t nerr);
/* An init from a file (rbm_deep_clear it); on failure one line in err, -1. */
int rbm_load(rbm_deep *d, const char *path, char *err, size_t nerr);

#endif
