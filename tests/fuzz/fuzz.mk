# fuzz.mk — builds the libFuzzer targets; tests/fuzz/run.sh runs it as
#
#     make -f tests/fuzz/fuzz.mk CLANG=clang OUT=build/fuzz
#
# from the repository root.  The generator's sources (not main.c) are
# compiled with clang, AddressSanitizer, UndefinedBehaviorSanitizer and
# libFuzzer's coverage instrumentation into OUT/obj/, apart from the gcc
# objects in build/obj/; each tests/fuzz/fuzz_<name>.c is linked with them
# into OUT/fuzz_<name>.

CLANG ?= clang
OUT ?= build/fuzz
PKGS = libcmark-gfm libxml-2.0 yaml-0.1 libmicrohttpd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DHAICHAO_VERSION='"fuzz"'
CFLAGS = -std=c11 -O1 -g -Wall -Wextra
SAN = -fsanitize=address,undefined -fno-sanitize-recover=all \
      -fno-omit-frame-pointer

# main.c and scaffold.c (`haichao new`, with its embedded data) are the
# command line only: no target reaches them.
SRC = $(filter-out generator/main.c generator/scaffold.c,$(wildcard generator/*.c))
OBJ = $(SRC:generator/%.c=$(OUT)/obj/%.o)
TARGETS = $(patsubst tests/fuzz/%.c,$(OUT)/%,$(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all
# Keep the objects: they are intermediate files of the pattern rules.
.SECONDARY: $(OBJ)
all: $(TARGETS)

$(OUT)/obj/%.o: generator/%.c
	@mkdir -p $(@D)
	$(CLANG) $(CFLAGS) $(SAN) -fsanitize=fuzzer-no-link $(CPPFLAGS) \
	    $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

$(OUT)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(OBJ) $(wildcard generator/*.h)
	@mkdir -p $(@D)
	$(CLANG) $(CFLAGS) $(SAN) -fsanitize=fuzzer $(CPPFLAGS) $(PKG_CFLAGS) \
	    -Igenerator -o $@ $< $(OBJ) $(PKG_LIBS) -lpthread

-include $(OBJ:.o=.d)
