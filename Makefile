# haichao — a static site generator for bilingual market-analysis archives.
# Verbs: site (default), test, bench, clean, install, uninstall, asan,
# valgrind, fuzz.

PREFIX ?= /usr/local
DESTDIR ?=
# The default templates are installed here; the binary looks for them here
# (compiled into main.c), so a build from PREFIX's binary works anywhere.
DATADIR = $(PREFIX)/share/haichao
MANDIR = $(PREFIX)/share/man
MAN1 = man/haichao.1
MAN5 = man/haichao-content.5 man/haichao-templates.5
VERSION = 0.1.0
PKGS = libcmark-gfm libxml-2.0 yaml-0.1 libmicrohttpd

CC ?= cc
CFLAGS ?= -O2 -g
WARN = -std=c11 -Wall -Wextra -Werror -pedantic -Wno-overlength-strings
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DHAICHAO_VERSION='"$(VERSION)"'
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS += $(PKG_LIBS) -lpthread

SRC = $(filter-out generator/main.c,$(wildcard generator/*.c))
OBJ = $(SRC:generator/%.c=build/obj/%.o) build/obj/scaffold_data.o
ASAN_OBJ = $(SRC:generator/%.c=build/asan/%.o) build/asan/scaffold_data.o
BIN = generator/haichao
# What `haichao new` writes: data files, compiled in by generator/embed.sh.
SCAFFOLD = $(sort $(shell find share/scaffold -type f))

.PHONY: site all test unit regress regress-update asan valgrind fuzz bench clean install uninstall publish faults FORCE

# `make site` and `make test` first make sure the libraries are installed
# (generator/deps.sh may apt-get them), then build in a sub-make so that
# pkg-config sees them.
site:
	@generator/deps.sh build
	@$(MAKE) --no-print-directory $(BIN)
	./$(BIN) build -C content -t templates -o public

all: $(BIN)

$(BIN): $(OBJ) build/obj/main.o
	$(CC) $(CFLAGS) -o $@ $(OBJ) build/obj/main.o $(LDFLAGS) $(LDLIBS)

build/obj/%.o: generator/%.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

build/gen/scaffold_data.c: $(SCAFFOLD) generator/embed.sh
	@mkdir -p $(dir $@)
	generator/embed.sh $@ share/scaffold $(SCAFFOLD)

build/obj/scaffold_data.o: build/gen/scaffold_data.c generator/scaffold.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -Igenerator -c -o $@ $<

build/asan/scaffold_data.o: build/gen/scaffold_data.c generator/scaffold.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) -Igenerator -c -o $@ $<

# main.c knows where the default templates are installed; build/datadir
# changes (and main.o is compiled again) only when PREFIX does.
build/obj/main.o build/asan/main.o: CPPFLAGS += -DHAICHAO_TEMPLATES='"$(DATADIR)/templates"'
build/obj/main.o build/asan/main.o: build/datadir
build/datadir: FORCE
	@mkdir -p build
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' >$@

# The same sources with AddressSanitizer and UndefinedBehaviorSanitizer.
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
build/asan/%.o: generator/%.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

build/asan/haichao: $(ASAN_OBJ) build/asan/main.o
	$(CC) $(SAN) -o $@ $^ $(LDLIBS)

asan: build/asan/haichao

-include $(OBJ:.o=.d) $(ASAN_OBJ:.o=.d) build/obj/main.d build/asan/main.d

# ---- tests ------------------------------------------------------------------
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=build/unit/%)
UNIT_ASAN = $(UNIT_SRC:tests/unit/%.c=build/unit-asan/%)
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

build/unit/%: tests/unit/%.c tests/unit/fixture.h $(OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -Wno-pedantic $(CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS) -Igenerator -o $@ $< $(OBJ) $(LDLIBS) $(CMOCKA_LIBS)

build/unit-asan/%: tests/unit/%.c tests/unit/fixture.h $(ASAN_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -Wno-pedantic -O1 -g $(SAN) $(CPPFLAGS) $(PKG_CFLAGS) -Igenerator -o $@ $< $(ASAN_OBJ) $(LDLIBS) $(CMOCKA_LIBS)

test:
	@generator/deps.sh test
	@$(MAKE) --no-print-directory $(BIN) build/asan/haichao $(UNIT_BIN) $(UNIT_ASAN)
	@tests/run-all.sh

unit: $(UNIT_BIN)
	@for t in $(UNIT_BIN); do $$t || exit 1; done

regress: $(BIN)
	@tests/regress/run.sh $(BIN)

# Regenerate the expected output of every regression case and show the diff.
regress-update: $(BIN)
	@tests/regress/run.sh --update $(BIN)

# Builds that meet faults (kill -9, full disk, permissions, parallel builds,
# damaged caches): tests/check/faults.sh; FAULTS_KILLS=N for more kills.
faults: $(BIN)
	@tests/check/faults.sh $(BIN)

valgrind: $(BIN)
	@tests/regress/run.sh --valgrind $(BIN)

bench: $(BIN)
	@tests/bench/run.sh
	@bash tests/fuzz/slow-inputs.sh --strict $(BIN)

# `make fuzz SECONDS=N`: every libFuzzer target for N seconds (default 10).
fuzz:
	@generator/deps.sh test
	@tests/fuzz/run.sh $(or $(SECONDS),10)

publish: site
	@test -n "$(DEST)" || { echo "usage: make publish DEST=user@host:/path/ (an rsync destination)"; exit 2; }
	@command -v rsync >/dev/null || { echo "make publish needs rsync (Debian package rsync)"; exit 2; }
	rsync -rlc --delete --info=stats1 public/ "$(DEST)"

# The binary, the default templates (with their assets) and the man pages;
# DESTDIR is prepended to every path, for packaging.
install: $(BIN)
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(DATADIR)/templates" \
	    "$(DESTDIR)$(MANDIR)/man1" "$(DESTDIR)$(MANDIR)/man5"
	install -m 755 $(BIN) "$(DESTDIR)$(PREFIX)/bin/haichao"
	cd templates && find . -type d -exec install -d "$(abspath $(DESTDIR)$(DATADIR))/templates/{}" \; \
	    && find . -type f -exec install -m 644 {} "$(abspath $(DESTDIR)$(DATADIR))/templates/{}" \;
	install -m 644 $(MAN1) "$(DESTDIR)$(MANDIR)/man1"
	install -m 644 $(MAN5) "$(DESTDIR)$(MANDIR)/man5"

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/haichao"
	rm -rf "$(DESTDIR)$(DATADIR)"
	rm -f $(MAN1:man/%="$(DESTDIR)$(MANDIR)/man1/%") $(MAN5:man/%="$(DESTDIR)$(MANDIR)/man5/%")

clean:
	rm -rf build $(BIN) public public.staging-* public.haichao-*
