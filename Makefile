# vigie — plain Makefile.  Every Debian library comes through pkg-config.
#   make            build build/vigie
#   make demo       install packages, build, import the Chicago data, show it
#   make check      install packages, build, run every test
#   make SANITIZE=address,undefined check    the same under ASan+UBSan
#   make fuzz       build the libFuzzer targets (clang)
#   make lint       reject banned functions
CC      ?= cc
BUILD   ?= build
WERROR  ?= -Werror
SANITIZE ?=
OPT     ?= -O2
PKGS    := sqlite3 proj geos jansson libsodium libmicrohttpd libpq \
           libavformat libavcodec libavutil libswscale libutf8proc zlib
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wwrite-strings -Wformat=2 -Wundef -Wcast-qual \
           -Wno-format-truncation  # snprintf truncation is the point of snprintf
CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(WERROR) -Isrc -MMD -MP \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -llinear -lm -pthread
ifneq ($(SANITIZE),)
CFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
BUILD   := build/san
endif

LIB_SRC  := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(BUILD)/src/cli/main.o
UNIT_SRC := $(wildcard tests/unit/*.c tests/unit/*/*.c)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
REPLAY   := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/replay_%)

.PHONY: all demo check test deps lint fuzz bench clean
all: $(BUILD)/vigie

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libvigie.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/vigie: $(CLI_OBJ) $(BUILD)/libvigie.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/test-unit: $(UNIT_OBJ) $(BUILD)/libvigie.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Each fuzz target also links with a plain main() that replays its corpus.
$(BUILD)/replay_%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay_main.o $(BUILD)/libvigie.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Store load benchmark (bench/store.sh, bench/README-store.md).
$(BUILD)/store_bench: $(BUILD)/bench/store_bench.o $(BUILD)/libvigie.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Audit trail benchmark (bench/audit.sh, bench/README-audit.md).
$(BUILD)/audit_bench: $(BUILD)/bench/audit_bench.o $(BUILD)/libvigie.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Text measurement program (docs/logbook.md records how it is run).
$(BUILD)/text_eval: $(BUILD)/bench/text_eval.o $(BUILD)/libvigie.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

deps:
	@scripts/install-deps

demo: deps
	$(MAKE) all
	scripts/demo

test: all $(BUILD)/test-unit $(REPLAY)
	BUILD=$(BUILD) tests/run

check: deps
	$(MAKE) test

lint:
	@! grep -nE '\b(strcpy|strcat|sprintf|gets|strtok|atoi|atol)\s*\(' src/*/*.c src/*/*.h \
	  || (echo "lint: banned function above" && false)

fuzz:
	$(MAKE) -C tests/fuzz

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
