# deepcheap: `make report` and `make test` on a fresh Debian 12 machine.
# See README.md.  Everything generated lands in $(B)/ (build/ by default).

SHELL   := /bin/bash
SCALE   ?= full
SEED    ?= 1
THREADS ?= $(shell nproc)
SAN     ?= 0

ifeq ($(SAN),1)
B       ?= build-san
OPT     ?= -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
B       ?= build
OPT     ?= -O2 -g
endif

CC      ?= gcc
ARCH    ?= -march=native
WERROR  ?= -Werror
# Flags every object shares; the include paths come per layer (below).
BASE_CFLAGS := -std=c17 $(OPT) $(ARCH) -Wall -Wextra $(WERROR) -D_GNU_SOURCE -fopenmp -MMD -MP $(EXTRA_CFLAGS)
LDLIBS  := -fopenmp -lopenblas -lflint-arb -lflint -lmpfr -lgmp -lfftw3 -lfftw3f -lRmath -lcjson -lm
ifeq ($(SAN),1)
LDLIBS  += -fsanitize=address,undefined
endif

# --- layers: each folder compiles with the include paths it may use ------------
# src (core, engines) <- proofs <- bench (experiments) <- cmd (the command);
# tests see everything.  scripts/check-layers.sh (run by `make test`) also
# refuses path includes ("../") and core modules including engines.
INC_src    := -Isrc
INC_proofs := -Isrc -Iproofs
INC_bench  := -Isrc -Iproofs -Ibench
INC_gen    := $(INC_bench)
INC_cmd    := -Isrc -Iproofs -Ibench -Icmd
INC_tests  := -Isrc -Iproofs -Ibench -Icmd -Itests
layer       = $(firstword $(subst /, ,$(patsubst $(B)/obj/%,%,$(1))))

LIB_SRC   := $(wildcard src/*.c)
PROOF_SRC := $(wildcard proofs/*.c)
BENCH_SRC := $(wildcard bench/*.c)
CMD_SRC   := $(filter-out cmd/main.c,$(wildcard cmd/*.c))
TEST_SRC  := $(wildcard tests/*.c)
LIB_OBJ   := $(LIB_SRC:%.c=$(B)/obj/%.o)
PROOF_OBJ := $(PROOF_SRC:%.c=$(B)/obj/%.o)
BENCH_OBJ := $(BENCH_SRC:%.c=$(B)/obj/%.o)
CMD_OBJ   := $(CMD_SRC:%.c=$(B)/obj/%.o)
TEST_OBJ  := $(TEST_SRC:%.c=$(B)/obj/%.o)
GEN_OBJ   := $(B)/obj/gen/sources.o
DEEPCHEAP := $(B)/deepcheap
TESTBIN   := $(B)/test_deepcheap

.PHONY: all deps test report bench clean FORCE check-layers fuzz install
.DEFAULT_GOAL := all

# Plain `make` builds the program and the library with the compile-time
# libraries only and never calls apt (`make deps` installs everything, as
# root; `make test` and `make report` call it).
all: $(DEEPCHEAP) $(B)/libdeepcheap.a

deps:
	@bash scripts/deps.sh

# --- build -------------------------------------------------------------------
# V=1 shows the full compiler lines.
Q := $(if $(filter 1,$(V)),,@)
$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(INC_$(call layer,$@)) -c $< -o $@

# The source directory, for reading the commit at run time (cmd/main.c only).
$(B)/obj/cmd/main.o: BASE_CFLAGS += -DDEEPCHEAP_SRCDIR='"$(CURDIR)"'

# sqrt in the optimizer loops vectorizes only when it need not set errno;
# the nn module never reads errno.
$(B)/obj/src/nn.o: BASE_CFLAGS += -fno-math-errno

# The hash of each experiment's sources (scripts/sources.py), from the .d
# files of everything it is built from; rewritten only when it changes.
$(B)/gen/sources.c: $(LIB_OBJ) $(PROOF_OBJ) $(BENCH_OBJ) scripts/sources.py FORCE
	@python3 scripts/sources.py $(B) "$(CC) $(BASE_CFLAGS)"

$(B)/obj/gen/sources.o: $(B)/gen/sources.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) $(INC_gen) -c $< -o $@

$(B)/libdeepcheap.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(DEEPCHEAP): $(B)/obj/cmd/main.o $(CMD_OBJ) $(BENCH_OBJ) $(GEN_OBJ) $(PROOF_OBJ) $(B)/libdeepcheap.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(BASE_CFLAGS) -o $@ $^ $(LDLIBS)

$(TESTBIN): $(TEST_OBJ) $(CMD_OBJ) $(BENCH_OBJ) $(GEN_OBJ) $(PROOF_OBJ) $(B)/libdeepcheap.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(BASE_CFLAGS) -o $@ $^ -lcriterion $(LDLIBS)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# --- tests -------------------------------------------------------------------
check-layers:
	@bash scripts/check-layers.sh
	@bash scripts/check-layers.sh --self-test
	@bash scripts/check-functions.sh

# Criterion prints its closing "Synthesis" line; OMP_NUM_THREADS=1 as the
# guide asks (tests that compare thread counts set them explicitly).
test: deps check-layers
	@$(MAKE) --no-print-directory $(TESTBIN) $(DEEPCHEAP)
	OMP_NUM_THREADS=1 DEEPCHEAP=$(DEEPCHEAP) LSAN_OPTIONS=suppressions=tests/lsan.supp:print_suppressions=0 \
	    UBSAN_OPTIONS=print_stacktrace=1 $(TESTBIN) $(TEST_ARGS)

# --- report ------------------------------------------------------------------
# Each experiment publishes OUT/sets/EXP/manifest.tsv.  Its rule always asks
# the program, which does nothing (--if-needed) when the published set has
# this seed, scale and source hash: editing prose reruns nothing, editing
# src/ising.c reruns the experiments built from it, and a hand-made run of
# another seed or scale is detected and redone.  Benchmarks take the machine
# lock exclusively (src/run.h), so `make -j2 report` never runs anything
# beside a benchmark.
EXPERIMENTS := $(shell grep -o '^EXPERIMENT."[^"]*"' bench/experiments.def | cut -d'"' -f2)
EXP_SETS    := $(EXPERIMENTS:%=$(B)/sets/%/manifest.tsv)
FIG_SRC     := $(filter-out figures/style.gp,$(wildcard figures/*.gp))
FIG_TEX     := $(FIG_SRC:figures/%.gp=$(B)/figures/%.tex)
BENCH_ENV   := env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE

$(B)/sets/%/manifest.tsv: FORCE | $(DEEPCHEAP)
	@$(BENCH_ENV) $(DEEPCHEAP) run $* --scale $(SCALE) --seed $(SEED) --threads $(THREADS) --out $(B) --if-needed

# Which experiments each figure reads (from the data column of experiments.def).
$(B)/gen/figdeps.mk: $(FIG_SRC) bench/experiments.def scripts/figdeps.sh
	@mkdir -p $(@D)
	@bash scripts/figdeps.sh $(B) > $@.tmp && mv $@.tmp $@
ifeq ($(filter report $(B)/paper.pdf $(FIG_TEX),$(MAKECMDGOALS)),)
else
-include $(B)/gen/figdeps.mk
endif

$(B)/figures/%.tex: figures/%.gp figures/style.gp
	@mkdir -p $(@D)
	gnuplot -e "set terminal cairolatex pdf colortext size 5.6in,3.4in font ',9'; set output '$@'; data='$(B)/data/'" \
	        -e "load 'figures/style.gp'" $<

# At quick scale every statistical verdict is recomputed at 5 seeds
# (SEED..SEED+4; `deepcheap stability`, incremental like the runs) and the
# ledger reports the verdict they agree on, else inconclusive.  At full scale
# the repetitions carry the power (each chapter bootstraps its verdict).
ifeq ($(SCALE),quick)
STABILITY := $(B)/stability.tsv
$(B)/stability.tsv: $(EXP_SETS) | $(DEEPCHEAP)
	@echo "$(DEEPCHEAP) stability --scale quick --seeds $(SEED)..$$(($(SEED) + 4)) --out $(B)"
	@$(BENCH_ENV) $(DEEPCHEAP) stability --scale quick --threads $(THREADS) --out $(B) \
	    --seeds $(SEED),$$(($(SEED) + 1)),$$(($(SEED) + 2)),$$(($(SEED) + 3)),$$(($(SEED) + 4)) > /dev/null
endif

# The ledger: refuses mixed or stale results (then no ledger.tex: the build
# stops); a verdict that differs from the registry is a warning here and an
# error in CI (`deepcheap claims`).
$(B)/macros/ledger.tex: $(EXP_SETS) $(DEEPCHEAP) $(STABILITY)
	@mkdir -p $(B)/macros
	@rm -f $@
	@echo "$(DEEPCHEAP) claims --out $(B) --tex $@ > $(B)/claims.tsv"
	@$(DEEPCHEAP) claims --out $(B) --tex $@ > $(B)/claims.tsv || \
	    echo "deepcheap: WARNING: the ledger differs from the registry (see $(B)/claims.tsv)" >&2
	@test -s $@

$(B)/macros/listings.tex: $(wildcard src/*.c src/*.h bench/*.c proofs/*.c cmd/*.c) scripts/listings.sh
	@mkdir -p $(@D)
	@bash scripts/listings.sh $(B) $@

# The cost model of the performance appendix: the measured Slurm scaling and
# every published manifest (at quick scale the stability pass's too).
$(B)/macros/scaling.tex: $(EXP_SETS) $(STABILITY) measured/slurm_scaling.tsv scripts/scaling.py
	@mkdir -p $(@D)
	@python3 scripts/scaling.py $(B) $@

$(B)/macros/machine.tex: $(DEEPCHEAP) scripts/machine.sh
	@bash scripts/machine.sh $@

$(B)/macros/version.tex: FORCE
	@bash scripts/version.sh $(B)

$(B)/macros/all.tex: $(EXP_SETS) $(B)/macros/ledger.tex $(B)/macros/machine.tex $(B)/macros/listings.tex \
                     $(B)/macros/version.tex $(B)/macros/scaling.tex
	@for f in $(B)/macros/*.tex; do case $$f in */all.tex) ;; *) echo "\\input{$$f}";; esac; done > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

PAPER_DEPS := paper.tex refs.bib $(wildcard chapters/*.tex) $(FIG_TEX) $(B)/macros/all.tex $(EXP_SETS) \
              $(B)/macros/ledger.tex $(B)/macros/version.tex $(B)/macros/listings.tex $(B)/macros/scaling.tex

# latexmk in a fresh directory each time: an interrupted pdflatex leaves a
# half-written .aux that would otherwise break every later build.
$(B)/paper.pdf: $(PAPER_DEPS)
	@rm -rf $(B)/tex.tmp
	@mkdir -p $(B)/tex.tmp
	latexmk -pdf -halt-on-error -interaction=nonstopmode -quiet -outdir=$(B)/tex.tmp \
	    -pdflatex='pdflatex %O "\def\builddir{$(B)}\input{%S}"' paper.tex
	@rm -rf $(B)/tex && mv $(B)/tex.tmp $(B)/tex
	cp $(B)/tex/paper.pdf $@.tmp && mv $@.tmp $@

report: deps
	@$(MAKE) --no-print-directory $(DEEPCHEAP)
	@$(MAKE) --no-print-directory $(B)/paper.pdf

# --- fuzzing ---------------------------------------------------------------------
# libFuzzer (clang) on every loader of a file the program reads back: sample
# files, RBM and weights files, stored cells, data files; under ASan and
# UBSan.  The seed corpus is written by the library itself (fuzz/corpus.c);
# fuzz/regressions/<target>/ holds inputs that once crashed and is replayed
# first.  Any crash or sanitizer report fails.
FUZZ_CC      ?= clang
FUZZ_RUNS    ?= 20000
FB           := build-fuzz
FUZZ_TARGETS := samples rbm nn cell tsv
FUZZ_FLAGS   := -std=c17 -O1 -g -D_GNU_SOURCE -fopenmp -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer -Isrc -Ifuzz
FUZZ_LIB_OBJ := $(patsubst src/%.c,$(FB)/obj/%.o,$(LIB_SRC))

$(FB)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FB)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_util.c fuzz/fuzz_util.h $(FUZZ_LIB_OBJ)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $< fuzz/fuzz_util.c $(FUZZ_LIB_OBJ) -o $@ $(LDLIBS)

$(FB)/corpus: fuzz/corpus.c $(FUZZ_LIB_OBJ)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $< $(FUZZ_LIB_OBJ) -o $@ $(LDLIBS)

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS:%=$(FB)/fuzz_%) $(FB)/corpus
	@rm -rf $(FB)/seeds && $(FB)/corpus $(FB)/seeds
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FB)/work/$$t; \
	    if [ -d fuzz/regressions/$$t ]; then $(FB)/fuzz_$$t fuzz/regressions/$$t/* > $(FB)/$$t.log 2>&1 || \
	        { echo "fuzz: $$t fails on a committed regression input (see $(FB)/$$t.log)" >&2; exit 1; }; fi; \
	    $(FB)/fuzz_$$t -runs=$(FUZZ_RUNS) -seed=1 -max_len=4096 -artifact_prefix=$(FB)/crash-$$t- \
	        $(FB)/work/$$t $(FB)/seeds/$$t > $(FB)/$$t.log 2>&1 || \
	        { echo "fuzz: $$t crashed (see $(FB)/$$t.log and $(FB)/crash-$$t-*)" >&2; exit 1; }; \
	    echo "fuzz: $$t: $(FUZZ_RUNS) runs clean ($$(grep -o 'cov: [0-9]*' $(FB)/$$t.log | tail -n 1))"; \
	done

# --- benchmarks ----------------------------------------------------------------
BENCHES := $(filter bench-%,$(EXPERIMENTS))
bench: deps
	@$(MAKE) --no-print-directory $(DEEPCHEAP)
	@for b in $(BENCHES); do $(BENCH_ENV) $(DEEPCHEAP) run $$b --scale $(SCALE) --seed $(SEED) --threads $(THREADS) --out $(B) || exit 1; done

bench-%: deps
	@$(MAKE) --no-print-directory $(DEEPCHEAP)
	$(BENCH_ENV) $(DEEPCHEAP) run bench-$* --scale $(SCALE) --seed $(SEED) --threads $(THREADS) --out $(B)

# --- install ----------------------------------------------------------------------
# `make install PREFIX=/usr/local DESTDIR=`: the program, the PyTorch peer
# scripts (found through <bin>/../share/deepcheap) and a man page generated
# from --help (help2man).
PREFIX  ?= /usr/local
DESTDIR ?=
install: $(DEEPCHEAP)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/deepcheap $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(DEEPCHEAP) $(DESTDIR)$(PREFIX)/bin/deepcheap
	install -m 644 bench/torch_mlp.py bench/torch_rbm.py bench/torch_vae.py $(DESTDIR)$(PREFIX)/share/deepcheap/
	@if command -v help2man >/dev/null; then \
	    help2man --no-info --no-discard-stderr --name="reproduce and check the claims of why deep and cheap learning works" \
	        --output=$(DESTDIR)$(PREFIX)/share/man/man1/deepcheap.1 $(DEEPCHEAP) && echo "  MAN     deepcheap.1"; \
	else echo "install: help2man is missing (Debian package help2man): no man page" >&2; fi

clean:
	rm -rf build build-san build-fuzz
