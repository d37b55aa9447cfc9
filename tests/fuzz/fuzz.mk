# tests/fuzz/fuzz.mk - builds the fuzz targets (tests/fuzz/fuzz-NAME.c) as
# libFuzzer binaries with clang, with AddressSanitizer and UBSan, and runs
# them. Run it from the top of the tree (make fuzz does):
#
#   make -f tests/fuzz/fuzz.mk          build-fuzz/fuzz-NAME for every target
#   make -f tests/fuzz/fuzz.mk run      fuzz each target FUZZ_SECONDS (30)
#                                       on a scratch copy of its corpus
#   make -f tests/fuzz/fuzz.mk run FUZZ_TARGETS="csv orgchart" FUZZ_SECONDS=600
#   make -f tests/fuzz/fuzz.mk merge    list, per target, the inputs found by
#                                       run that add coverage to the corpus
#   make -f tests/fuzz/fuzz.mk clean
#
# The committed corpus (tests/fuzz/corpus/fuzz-NAME/) is only read: run
# copies it to build-fuzz/corpus/fuzz-NAME/, where new inputs pile up from
# run to run, and crashes land in build-fuzz/crashes/fuzz-NAME/. See
# tests/fuzz/README.md.
#
# The variables have names of their own (FUZZ_...), so that CC, CFLAGS or
# BUILD given to the top Makefile do not leak into this build.

FUZZ_CC ?= clang
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30
FUZZ_TIMEOUT ?= 20
FUZZ_FLAGS ?=
FUZZ_SANITIZE ?= address,undefined
PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local
DATADIR ?= $(PREFIX)/share/majlis

# The libraries are those of the top Makefile's PKGS (read from it, so
# that a library added there is added here), or these if it cannot be read.
ifndef FUZZ_PKGS
FUZZ_PKGS := $(or $(shell awk '/^PKGS[ \t]*=/ { p = 1; \
	sub(/^PKGS[ \t]*=/, "") } p { c = /\\$$/; sub(/\\$$/, ""); \
	printf "%s ", $$0; if (!c) exit }' Makefile 2>/dev/null), \
	sqlite3 icu-i18n icu-uc inih jansson libsodium)
endif

# The same -std and -D flags as the top Makefile; no -Werror (a new clang
# warning must not stop a fuzzing run) and no _FORTIFY_SOURCE (ASan checks
# more, and the two do not mix well).
FUZZ_CFLAGS := -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer-no-link,$(FUZZ_SANITIZE) -fno-sanitize-recover=all \
	-std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 \
	-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-DMAJLIS_DATADIR='"$(DATADIR)"' \
	$(shell $(PKG_CONFIG) --cflags $(FUZZ_PKGS))
FUZZ_LDFLAGS := -fsanitize=fuzzer,$(FUZZ_SANITIZE)
FUZZ_LIBS := $(shell $(PKG_CONFIG) --libs $(FUZZ_PKGS)) -letpan -lm

ENGINE_SRC = $(sort $(wildcard engine/*.c))
ENGINE_OBJ = $(ENGINE_SRC:%.c=$(FUZZ_BUILD)/obj/%.o)
ENGINE_LIB = $(FUZZ_BUILD)/libmajlis-fuzz.a

TARGET_SRC = $(sort $(wildcard tests/fuzz/fuzz-*.c))
TARGETS = $(TARGET_SRC:tests/fuzz/fuzz-%.c=%)
TARGET_BIN = $(TARGETS:%=$(FUZZ_BUILD)/fuzz-%)
FUZZ_TARGETS ?= $(TARGETS)

.PHONY: all run merge clean
.SUFFIXES:
.SECONDARY: $(TARGET_SRC:%.c=$(FUZZ_BUILD)/obj/%.o)

all: $(TARGET_BIN)

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@printf '  %-6s %s\n' CLANG $<
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(ENGINE_LIB): $(ENGINE_OBJ)
	@rm -f $@
	@printf '  %-6s %s\n' AR $@
	@ar rcs $@ $^

# A target may #include an engine source (fuzz-config.c takes in
# engine/cli/config.c), hence -Iengine and the dependency files.
$(FUZZ_BUILD)/obj/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(dir $@)
	@printf '  %-6s %s\n' CLANG $<
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -Iengine -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/fuzz-%: $(FUZZ_BUILD)/obj/tests/fuzz/fuzz-%.o $(ENGINE_LIB)
	@printf '  %-6s %s\n' LINK $@
	@$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $< $(ENGINE_LIB) $(FUZZ_LIBS)

# Each target in turn, on build-fuzz/corpus/fuzz-NAME (the committed
# corpus copied in), with its dictionary if there is one. The log of each
# run is build-fuzz/fuzz-NAME.log; the run fails if any target crashed.
run: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz-%)
	@failed=; \
	for t in $(FUZZ_TARGETS); do \
		scratch=$(FUZZ_BUILD)/corpus/fuzz-$$t; \
		crashes=$(FUZZ_BUILD)/crashes/fuzz-$$t; \
		log=$(FUZZ_BUILD)/fuzz-$$t.log; \
		dict=; \
		if [ -f tests/fuzz/dict/$$t.dict ]; then \
			dict=-dict=tests/fuzz/dict/$$t.dict; \
		fi; \
		mkdir -p $$scratch $$crashes; \
		cp -R tests/fuzz/corpus/fuzz-$$t/. $$scratch/; \
		echo "fuzz-$$t: $(FUZZ_SECONDS)s on $$scratch ($$log)"; \
		if $(FUZZ_BUILD)/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) \
			-timeout=$(FUZZ_TIMEOUT) -print_final_stats=1 \
			-artifact_prefix=$$crashes/ $$dict $(FUZZ_FLAGS) \
			$$scratch >$$log 2>&1; then \
			grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|stat::(number_of_executed_units|new_units_added)' $$log; \
		else \
			tail -n 60 $$log; \
			echo "fuzz-$$t: CRASHED, see $$crashes/"; \
			failed="$$failed $$t"; \
		fi; \
	done; \
	if [ -n "$$failed" ]; then \
		echo "crashed:$$failed"; \
		exit 1; \
	fi

# For each target: the inputs of the scratch corpus that reach code the
# committed corpus does not (new edges; hit counts do not count), in
# build-fuzz/new/fuzz-NAME/, to pick from.
merge: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz-%)
	@for t in $(FUZZ_TARGETS); do \
		work=$(FUZZ_BUILD)/merge/fuzz-$$t; \
		new=$(FUZZ_BUILD)/new/fuzz-$$t; \
		rm -rf $$work $$new; \
		mkdir -p $$work $$new $(FUZZ_BUILD)/corpus/fuzz-$$t; \
		cp -R tests/fuzz/corpus/fuzz-$$t/. $$work/; \
		$(FUZZ_BUILD)/fuzz-$$t -merge=1 -use_counters=0 $(FUZZ_FLAGS) $$work \
			$(FUZZ_BUILD)/corpus/fuzz-$$t \
			>$(FUZZ_BUILD)/merge-$$t.log 2>&1 || \
			{ tail -n 30 $(FUZZ_BUILD)/merge-$$t.log; exit 1; }; \
		for f in $$work/*; do \
			[ -e tests/fuzz/corpus/fuzz-$$t/$${f##*/} ] || \
				cp "$$f" $$new/; \
		done; \
		echo "fuzz-$$t: $$(ls $$new | wc -l) new inputs in $$new"; \
	done

clean:
	rm -rf $(FUZZ_BUILD)

-include $(ENGINE_OBJ:.o=.d) $(TARGET_SRC:%.c=$(FUZZ_BUILD)/obj/%.d)
