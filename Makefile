# majlis - hand-written Makefile.
#
#   make                 build build/majlis (and ./majlis, a link to it)
#   make check           set-up, build, then every test (unit, e2e, fuzz replay)
#   make demo            set-up, build, a fresh ./var demo instance and one tick
#   make SANITIZE=address,undefined check
#                        the same with AddressSanitizer + UBSan, in build-san/
#   make install PREFIX=/usr/local DESTDIR=
#
# CFLAGS may be overridden; the required warnings and hardening are always
# added. Every library comes through pkg-config.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/majlis
DESTDIR ?=

CC ?= cc
CFLAGS ?= -O2 -g
PKG_CONFIG ?= pkg-config
SANITIZE ?=

PKGS = sqlite3 icu-i18n icu-uc inih jansson libsodium libxml-2.0 \
	pangocairo pangoft2 fontconfig cairo libzip libical gnutls xlsxwriter
TEST_PKGS = cmocka

ifeq ($(SANITIZE),)
BUILD ?= build
else
BUILD ?= build-san
override CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
override LDFLAGS += -fsanitize=$(SANITIZE)
endif

override CFLAGS += -std=c11 -Wall -Wextra -Werror -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
	-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE \
	-DMAJLIS_DATADIR='"$(DATADIR)"' \
	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
override LDFLAGS += -pie -Wl,-z,relro,-z,now
# libetpan is linked by name: its pkg-config file asks for a non-PIE
# link (-specs=.../no-pie-link.specs) that would drop the hardening.
LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -letpan -lm

LIB_SRC = $(sort $(wildcard engine/*.c))
CLI_SRC = $(sort $(wildcard engine/cli/*.c))
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ = $(CLI_SRC:%.c=$(BUILD)/%.o)
LIB = $(BUILD)/libmajlis.a
BIN = $(BUILD)/majlis

UNIT_SRC = $(sort $(wildcard tests/unit/test-*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_REPLAY = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%-replay)

# The fonts of fonts/ come from Debian's fonts-noto-core (see
# fonts/README.md), copied in at build time.
NOTO_DIR ?= /usr/share/fonts/truetype/noto
FONT_FILES = NotoNaskhArabic-Regular.ttf NotoNaskhArabic-Bold.ttf \
	NotoSerif-Regular.ttf NotoSerif-Bold.ttf NotoSerif-Italic.ttf

.PHONY: all fonts check check-unit check-e2e check-fuzz checksrc demo setup \
	install uninstall clean fuzz bench
.SUFFIXES:

all: $(BIN) fonts
ifeq ($(SANITIZE),)
	@ln -sf $(BIN) majlis
endif

fonts: $(FONT_FILES:%=fonts/%)

fonts/%.ttf: $(NOTO_DIR)/%.ttf
	$(say) FONT $@
	$(Q)cp $< $@

# make V=1 shows the commands.
ifeq ($(V),1)
Q =
say = @true
else
Q = @
say = @printf '  %-6s %s\n'
endif

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(say) AR $@
	$(Q)$(AR) rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(say) LINK $@
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) tests/unit/testlib.h tests/unit/testmail.h
	@mkdir -p $(dir $@)
	$(say) TEST $@
	$(Q)$(CC) $(CFLAGS) -Iengine $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS)) \
		$(LDFLAGS) -o $@ $< $(LIB) $(LIBS) \
		$(shell $(PKG_CONFIG) --libs $(TEST_PKGS))

# Fuzz targets are built twice: as a replay driver (any compiler, run by
# make check over the saved corpus) and, with clang, as libFuzzer binaries
# (make fuzz).
$(BUILD)/fuzz/%-replay: tests/fuzz/%.c tests/fuzz/replay.c $(LIB)
	@mkdir -p $(dir $@)
	$(say) FUZZ $@
	$(Q)$(CC) $(CFLAGS) -Iengine $(LDFLAGS) -o $@ $< tests/fuzz/replay.c \
		$(LIB) $(LIBS)

setup:
	@sh scripts/setup.sh

check:
	@sh scripts/setup.sh check
	@$(MAKE) --no-print-directory all checksrc
	@$(MAKE) --no-print-directory check-unit check-e2e check-fuzz

# test-doc and fuzz-docxml draw PDFs with the fonts of fonts/.
check-unit: $(UNIT_BIN) fonts
	@sh tests/run-unit.sh $(UNIT_BIN)

# Test tools the e2e tests run beside majlis (tests/tools/).
TOOLS = $(BUILD)/tests/ics-check

$(BUILD)/tests/ics-check: tests/tools/ics-check.c
	@mkdir -p $(dir $@)
	$(say) TOOL $@
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS)

check-e2e: $(BIN) $(TOOLS)
	@MAJLIS=$(CURDIR)/$(BIN) MAJLIS_SANITIZE="$(SANITIZE)" \
		MAJLIS_TOOLS=$(CURDIR)/$(BUILD)/tests \
		sh tests/run-e2e.sh

check-fuzz: $(FUZZ_REPLAY) fonts
	@sh tests/run-fuzz-replay.sh $(FUZZ_REPLAY)

checksrc:
	@sh scripts/checksrc.sh

fuzz: $(LIB)
	@$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk

demo: setup
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh $(BIN)

$(BUILD)/bench/%: bench/%.c bench/bench.h $(LIB)
	@mkdir -p $(dir $@)
	$(say) BENCH $@
	$(Q)$(CC) $(CFLAGS) -Iengine $(LDFLAGS) -o $@ $< $(LIB) $(LIBS)

bench: $(BIN) $(BUILD)/bench/outbox $(BUILD)/bench/ingest
	@sh scripts/setup.sh bench
	@MAJLIS=$(CURDIR)/$(BIN) BUILD=$(BUILD) sh bench/run.sh

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/majlis
	for d in mailflows notify templates fonts reports calendar structure; do \
		[ -d $$d ] || continue; \
		install -d $(DESTDIR)$(DATADIR)/$$d; \
		find $$d -type f -exec install -D -m 644 {} \
			$(DESTDIR)$(DATADIR)/{} \; ; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/majlis
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san majlis

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
