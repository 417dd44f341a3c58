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
CFLAGS  := -std=c17 $(OPT) $(ARCH) -Wall -Wextra $(WERROR) -D_GNU_SOURCE -fopenmp \
           -Isrc -Ibench -Iproofs -Itests -I$(B) -MMD -MP $(EXTRA_CFLAGS)
LDLIBS  := -fopenmp -lopenblas -lflint-arb -lflint -lmpfr -lgmp -lfftw3 -lfftw3f -lm
ifeq ($(SAN),1)
LDLIBS  += -fsanitize=address,undefined
endif

LIB_SRC   := $(filter-out src/main.c,$(wildcard src/*.c))
BENCH_SRC := $(wildcard bench/*.c) $(wildcard proofs/*.c)
TEST_SRC  := $(wildcard tests/*.c)
LIB_OBJ   := $(LIB_SRC:%.c=$(B)/obj/%.o) $(B)/obj/version.o
BENCH_OBJ := $(BENCH_SRC:%.c=$(B)/obj/%.o)
TEST_OBJ  := $(TEST_SRC:%.c=$(B)/obj/%.o)
DEEPCHEAP := $(B)/deepcheap
TESTBIN   := $(B)/test_deepcheap

.PHONY: all deps test report bench clean FORCE
.DEFAULT_GOAL := all

all: deps
	@$(MAKE) --no-print-directory $(DEEPCHEAP) $(B)/libdeepcheap.a

deps:
	@bash scripts/deps.sh

# --- build -------------------------------------------------------------------
$(B)/version.c: FORCE
	@bash scripts/version.sh $(B)

$(B)/obj/version.o: $(B)/version.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

# sqrt in the optimizer loops vectorizes only when it need not set errno;
# the nn module never reads errno.
$(B)/obj/src/nn.o: CFLAGS += -fno-math-errno

$(B)/libdeepcheap.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(DEEPCHEAP): $(B)/obj/src/main.o $(BENCH_OBJ) $(B)/libdeepcheap.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(TESTBIN): $(TEST_OBJ) $(BENCH_OBJ) $(B)/libdeepcheap.a
	$(CC) $(CFLAGS) -o $@ $^ -lcriterion $(LDLIBS)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# --- tests -------------------------------------------------------------------
# Criterion prints its closing "Synthesis" line; OMP_NUM_THREADS=1 as the
# guide asks (tests that compare thread counts set them explicitly).
test: deps
	@$(MAKE) --no-print-directory $(TESTBIN) $(DEEPCHEAP)
	OMP_NUM_THREADS=1 DEEPCHEAP=$(DEEPCHEAP) LSAN_OPTIONS=suppressions=tests/lsan.supp:print_suppressions=0 \
	    UBSAN_OPTIONS=print_stacktrace=1 $(TESTBIN) $(TEST_ARGS)

# --- report ------------------------------------------------------------------
EXPERIMENTS := $(shell grep -o '^EXPERIMENT."[^"]*"' bench/experiments.def | cut -d'"' -f2)
EXP_STAMPS  := $(EXPERIMENTS:%=$(B)/stamps/%.done)
FIG_SRC     := $(filter-out figures/style.gp,$(wildcard figures/*.gp))
FIG_TEX     := $(FIG_SRC:figures/%.gp=$(B)/figures/%.tex)
BENCH_ENV   := env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE

# The scale stamp changes only when SCALE or SEED does.
$(B)/scale.stamp: FORCE
	@mkdir -p $(@D)
	@echo "$(SCALE) $(SEED)" | cmp -s - $@ || echo "$(SCALE) $(SEED)" > $@

$(B)/stamps/%.done: $(DEEPCHEAP) $(B)/scale.stamp
	@mkdir -p $(@D)
	$(BENCH_ENV) $(DEEPCHEAP) run $* --scale $(SCALE) --seed $(SEED) --threads $(THREADS) --out $(B)
	@touch $@

$(B)/figures/%.tex: figures/%.gp figures/style.gp $(EXP_STAMPS)
	@mkdir -p $(@D)
	gnuplot -e "set terminal cairolatex pdf colortext size 5.6in,3.4in font ',9'; set output '$@'; data='$(B)/data/'" \
	        -e "load 'figures/style.gp'" $<

$(B)/macros/ledger.tex: $(EXP_STAMPS) $(DEEPCHEAP)
	@mkdir -p $(B)/data
	@echo "$(DEEPCHEAP) claims --out $(B) --tex $@ > $(B)/data/claims.tsv"
	@$(DEEPCHEAP) claims --out $(B) --tex $@ > $(B)/data/claims.tsv || \
	    echo "deepcheap: WARNING: the ledger differs from the registry (see $(B)/data/claims.tsv)" >&2

$(B)/macros/listings.tex: $(wildcard src/*.c src/*.h bench/*.c proofs/*.c) scripts/listings.sh
	@mkdir -p $(@D)
	@bash scripts/listings.sh $(B) $@

$(B)/macros/machine.tex: $(DEEPCHEAP) scripts/machine.sh
	@bash scripts/machine.sh $@

$(B)/macros/all.tex: $(EXP_STAMPS) $(B)/macros/ledger.tex $(B)/macros/machine.tex $(B)/macros/listings.tex
	@for f in $(B)/macros/*.tex; do case $$f in */all.tex) ;; *) echo "\\input{$$f}";; esac; done > $@.tmp && mv $@.tmp $@

PAPER_DEPS := paper.tex refs.bib $(wildcard chapters/*.tex) $(FIG_TEX) $(B)/macros/all.tex \
              $(wildcard src/*.c src/*.h bench/*.c proofs/*.c)

$(B)/paper.pdf: $(PAPER_DEPS)
	@mkdir -p $(B)/tex
	latexmk -pdf -halt-on-error -interaction=nonstopmode -quiet -outdir=$(B)/tex \
	    -pdflatex='pdflatex %O "\def\builddir{$(B)}\input{%S}"' paper.tex
	cp $(B)/tex/paper.pdf $@

report: deps
	@$(MAKE) --no-print-directory $(B)/paper.pdf

# --- benchmarks ----------------------------------------------------------------
BENCHES := $(filter bench-%,$(EXPERIMENTS))
bench: deps
	@$(MAKE) --no-print-directory $(DEEPCHEAP)
	@for b in $(BENCHES); do $(BENCH_ENV) $(DEEPCHEAP) run $$b --scale $(SCALE) --seed $(SEED) --threads $(THREADS) --out $(B) || exit 1; done

bench-%: deps
	@$(MAKE) --no-print-directory $(DEEPCHEAP)
	$(BENCH_ENV) $(DEEPCHEAP) run bench-$* --scale $(SCALE) --seed $(SEED) --threads $(THREADS) --out $(B)

clean:
	rm -rf build build-san
