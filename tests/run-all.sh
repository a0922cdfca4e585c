#!/bin/sh
# run-all.sh — haichao's whole test suite in one run (what `make test` runs
# after building generator/haichao, build/asan/haichao, build/unit/test_* and
# build/unit-asan/test_*). Each step prints one line, PASS name, FAIL name or
# SKIP name: reason, and the output of a step only when it fails; the run goes
# on after a failure and ends with the line `N passed, M failed, K skipped`.
# Exit status: 1 if any step failed, else 0.
#
# A step exits 77 to say it was skipped; its last output line gives the reason.
set -u

cd "$(dirname "$0")/.." || exit 2

BIN=generator/haichao
ASAN_BIN=build/asan/haichao

# Sanitizers: stop at the first error, with a stack; leaks count as errors.
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:halt_on_error=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS

tmp=$(mktemp -d "${TMPDIR:-/tmp}/haichao-tests.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
skipped=0
log="$tmp/step.log"

pass() {
	echo "PASS $1"
	passed=$((passed + 1))
}
fail() { # name [why]: the step's log follows, indented
	if [ $# -gt 1 ]; then
		echo "FAIL $1: $2"
	else
		echo "FAIL $1"
	fi
	if [ -s "$log" ]; then
		sed 's/^/    /' "$log"
	fi
	failed=$((failed + 1))
}
skip() {
	echo "SKIP $1: $2"
	skipped=$((skipped + 1))
}

# step NAME COMMAND...: runs COMMAND with its output into $log.
step() {
	name=$1
	shift
	"$@" >"$log" 2>&1
	status=$?
	case $status in
	0) pass "$name" ;;
	77) skip "$name" "$(grep -v '^[[:space:]]*$' "$log" | tail -1 | sed 's/^SKIP [^:]*: //')" ;;
	*) fail "$name" "exit status $status" ;;
	esac
}

# ---- unit tests --------------------------------------------------------------
have_unit_src=no
for src in tests/unit/test_*.c; do
	[ -f "$src" ] && have_unit_src=yes
done
for kind in unit unit-asan; do
	found=no
	for t in "build/$kind"/test_*; do
		if [ ! -f "$t" ] || [ ! -x "$t" ]; then
			continue
		fi
		found=yes
		step "$kind/$(basename "$t")" "$t"
	done
	if [ "$found" = no ]; then
		: >"$log"
		if [ "$have_unit_src" = yes ]; then
			fail "$kind" "no build/$kind/test_* binaries (build them with make test)"
		else
			skip "$kind" "no tests/unit/test_*.c"
		fi
	fi
done

# ---- regression cases (tests/regress/run.sh is maintained separately) ---------
for b in "$BIN" "$ASAN_BIN"; do
	name="regress ($b)"
	if [ ! -f tests/regress/run.sh ]; then
		skip "$name" "tests/regress/run.sh is absent"
	elif [ ! -x "$b" ]; then
		: >"$log"
		fail "$name" "$b is not built"
	elif [ -x tests/regress/run.sh ]; then
		step "$name" tests/regress/run.sh "$b"
	else
		step "$name" sh tests/regress/run.sh "$b"
	fi
done

# ---- the bundled archive --------------------------------------------------------
# build_clean NAME BINARY OUTDIR: builds content/ into OUTDIR; needs exit 0 and
# nothing on stderr but the closing summary `haichao: ... N pages; ...`.
build_clean() {
	name=$1 b=$2 out=$3
	if [ ! -x "$b" ]; then
		: >"$log"
		fail "$name" "$b is not built"
		return 1
	fi
	"$b" build -C content -t templates -o "$out" >"$tmp/build.out" 2>"$tmp/build.err"
	status=$?
	cat "$tmp/build.err" "$tmp/build.out" >"$log"
	nlines=$(grep -c '' "$tmp/build.err")
	summary=$(grep -c '^haichao: .* pages;' "$tmp/build.err")
	if [ "$status" -ne 0 ]; then
		fail "$name" "exit status $status"
	elif grep -q 'warning:\|error:\|runtime error\|Sanitizer' "$tmp/build.err"; then
		fail "$name" "diagnostics on stderr"
	elif [ "$nlines" -ne 1 ] || [ "$summary" -ne 1 ]; then
		fail "$name" "stderr must be exactly one 'haichao: ... pages; ...' summary line"
	else
		pass "$name"
		return 0
	fi
	return 1
}

site="$tmp/public"
build_clean build "$BIN" "$site"
build_clean build-asan "$ASAN_BIN" "$tmp/public-asan"
if [ -f "$site/index.html" ] && [ -f "$tmp/public-asan/index.html" ]; then
	step build-asan-same-output diff -r "$site" "$tmp/public-asan"
fi

# ---- checks of the generated site ----------------------------------------------
if [ -f "$site/index.html" ]; then
	step html tests/check/html.sh "$site"
	step links python3 tests/check/links.py "$site"
	step glossary python3 tests/check/glossary.py content "$site"
	step xml tests/check/xml.sh "$site"
	step browser tests/check/browser.sh "$site"
	step search tests/check/search.sh "$BIN" "$site"
else
	for s in html links glossary xml browser search; do
		skip "$s" "the bundled build produced no site"
	done
fi
# ---- man pages: mandoc -Tlint, warnings and worse fail -------------------------
step man-lint sh -c 'mandoc -Tlint -Wwarning man/*.[1-9]'

# ---- `haichao serve`: HTTP, safety, reloads, Chromium, with both builds ------
for b in "$BIN" "$ASAN_BIN"; do
	if [ -x "$b" ]; then
		step "serve ($b)" python3 tests/check/serve.py "$b"
	else
		: >"$log"
		fail "serve ($b)" "$b is not built"
	fi
done
if [ -x "$BIN" ]; then
	step determinism tests/check/determinism.sh "$BIN"
	step publish tests/check/publish.sh "$BIN"
	step incremental tests/check/incremental.sh "$BIN"
	step cli tests/check/cli.sh "$BIN"
	step install tests/check/install.sh
	# Builds that meet faults; a full disk needs root (a small tmpfs).
	step faults bash tests/check/faults.sh "$BIN" kill eacces parallel cache mirror restored
	step faults-enospc bash tests/check/faults.sh "$BIN" enospc halfswap
	# The same publishing faults through the swap's fallback, as on a
	# file system without renameat2(RENAME_EXCHANGE) (output.h).
	step faults-rename env HAICHAO_NO_EXCHANGE=1 bash tests/check/faults.sh \
	    "$BIN" kill eacces parallel mirror enospc halfswap
else
	: >"$log"
	fail determinism "$BIN is not built"
fi

# ---- hostile sizes: pathological inputs at N and 2N must take linear time --
if [ -x "$BIN" ]; then
	step slow-inputs bash tests/fuzz/slow-inputs.sh "$BIN"
fi

# ---- fuzzing: every libFuzzer target for 5 s, seeds and crash reproducers first --
# (tests/fuzz/run.sh exits 77 when clang or its fuzzer runtime is missing)
if [ -f tests/fuzz/run.sh ]; then
	step fuzz bash tests/fuzz/run.sh 5
else
	skip fuzz "tests/fuzz/run.sh is absent"
fi

# ---- a site of more than 20,000 pages: its sitemap index (last: it writes
# and deletes 42,000 files, which slows the file system's next creations) --
if [ -x "$BIN" ]; then
	step sitemap-split tests/check/sitemap-split.sh "$BIN"
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
