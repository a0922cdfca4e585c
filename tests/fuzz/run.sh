#!/usr/bin/env bash
# run.sh — builds haichao's libFuzzer targets and runs each for a while.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
#
# Builds tests/fuzz/fuzz_*.c into build/fuzz/ with clang and
# -fsanitize=fuzzer,address,undefined (tests/fuzz/fuzz.mk; the generator's
# objects are compiled separately from the gcc ones, in build/fuzz/obj/),
# then runs every target (or only the TARGETs named, e.g. `yaml render`)
# for SECONDS seconds each (default 10) with
#
#   -max_total_time=SECONDS -timeout=10 -rss_limit_mb=2048
#
# on a scratch copy of tests/fuzz/corpus/<name>/ (the seeds are only read;
# nothing new is ever written there) and tests/fuzz/<name>.dict if present.
# The seeds include crash-* reproducers of bugs found earlier: libFuzzer runs
# every seed first, so a bug that comes back fails the target at once.
#
# A crash, leak, timeout, out-of-memory or sanitizer report fails the
# target: its log's report is printed and the input that caused it is kept
# in build/fuzz/artifacts/<name>/ (reproduce with
# `build/fuzz/fuzz_<name> FILE`, shrink with
# `build/fuzz/fuzz_<name> -minimize_crash=1 -runs=10000 FILE`).
# Ends with `N passed, M failed`; exits 1 if any target failed, 2 on a usage
# or build error, 77 (skip) when clang or its fuzzer runtime is missing.
set -u
export LC_ALL=C

usage() {
	echo "usage: $0 [SECONDS] [TARGET...]" >&2
	exit 2
}

secs=10
if [ $# -gt 0 ]; then
	case $1 in
	-h|--help) usage ;;
	''|*[!0-9]*) ;;
	*) secs=$1; shift ;;
	esac
fi
[ "$secs" -ge 1 ] 2>/dev/null || usage

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo" || exit 2
out=build/fuzz

# ---- toolchain ----------------------------------------------------------------
clang=${CLANG:-}
if [ -z "$clang" ]; then
	for c in clang clang-14 clang-15 clang-16 clang-17 clang-18; do
		if command -v "$c" >/dev/null 2>&1; then
			clang=$c
			break
		fi
	done
fi
if [ -z "$clang" ]; then
	echo "SKIP fuzz: clang is not installed"
	exit 77
fi

tmp=$(mktemp -d /dev/shm/haichao-fuzz-run.XXXXXX 2>/dev/null) ||
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/haichao-fuzz-run.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
    >"$tmp/probe.c"
if ! "$clang" -fsanitize=fuzzer,address,undefined -o "$tmp/probe" "$tmp/probe.c" \
    >"$tmp/probe.log" 2>&1; then
	sed 's/^/    /' "$tmp/probe.log" | head -5
	echo "SKIP fuzz: $clang has no libFuzzer runtime (install libclang-rt-dev)"
	exit 77
fi
if ! pkg-config --exists libcmark libxml-2.0 yaml-0.1 2>/dev/null; then
	echo "SKIP fuzz: libcmark, libxml-2.0 or yaml-0.1 not found by pkg-config"
	exit 77
fi

# ---- build --------------------------------------------------------------------
jobs=$(nproc 2>/dev/null || echo 2)
echo "building the fuzz targets with $clang into $out/"
if ! make --no-print-directory -f tests/fuzz/fuzz.mk -j "$jobs" \
    CLANG="$clang" OUT="$out" >"$tmp/build.log" 2>&1; then
	grep -E 'error|Error' "$tmp/build.log" | head -30
	echo "fuzz: the build failed (log above)"
	exit 2
fi

targets=()
if [ $# -gt 0 ]; then
	for t in "$@"; do
		t=${t#fuzz_}
		t=${t%.c}
		[ -f "tests/fuzz/fuzz_$t.c" ] || { echo "$0: no tests/fuzz/fuzz_$t.c" >&2; exit 2; }
		targets+=("$t")
	done
else
	for f in tests/fuzz/fuzz_*.c; do
		t=${f#tests/fuzz/fuzz_}
		targets+=("${t%.c}")
	done
fi

# ---- run ----------------------------------------------------------------------
# libFuzzer's own options decide leaks, timeouts and memory; the sanitizers
# only need to stop at the first error with a stack.
export ASAN_OPTIONS=${FUZZ_ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${FUZZ_UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

passed=0 failed=0 failures=()
for t in "${targets[@]}"; do
	bin=$out/fuzz_$t
	w=$tmp/$t
	mkdir -p "$w/corpus" "$w/artifacts" "$w/tmp"
	[ -d "tests/fuzz/corpus/$t" ] && cp -R "tests/fuzz/corpus/$t/." "$w/corpus/"
	seeds=$(find "$w/corpus" -type f | wc -l)
	opts=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048
	    -artifact_prefix="$w/artifacts/" -print_final_stats=1)
	[ -f "tests/fuzz/$t.dict" ] && opts+=(-dict="tests/fuzz/$t.dict")
	# The outer limit only guards against a fuzzer that stops checking
	# its own clock (a hang inside one input is -timeout's job).
	HAICHAO_FUZZ_TMP=$w/tmp timeout -k 10 $((secs + 120)) \
	    "$bin" "${opts[@]}" "$w/corpus" >"$w/log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$w/log" | tail -1)
	crashes=$(find "$w/artifacts" -type f | sort)
	# What the run leaves: the corpus it grew and the coverage it reached
	# (libFuzzer's last status line), for the record of a long run.
	corpus=$(find "$w/corpus" -type f | wc -l)
	cov=$(grep -o 'cov: [0-9]*' "$w/log" | tail -1)
	if [ "$status" -eq 0 ] && [ -z "$crashes" ]; then
		echo "PASS $t (${runs:-?} runs in ${secs}s; corpus $seeds -> $corpus inputs; ${cov:-cov: ?})"
		passed=$((passed + 1))
		continue
	fi
	echo "FAIL $t (exit status $status after ${runs:-?} runs)"
	# The report: from the first sanitizer / libFuzzer error line on.
	awk '/^==[0-9]+==(ERROR|WARNING)|runtime error:|CHECK failed|^ALARM|out-of-memory|Test unit written|SUMMARY/ { p = 1 } p' \
	    "$w/log" | head -60 | sed 's/^/    /'
	if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
		echo "    (stopped by the outer time limit)"
		tail -5 "$w/log" | sed 's/^/    /'
	fi
	if [ -n "$crashes" ]; then
		mkdir -p "$out/artifacts/$t"
		for c in $crashes; do
			cp "$c" "$out/artifacts/$t/"
			echo "    input kept: $out/artifacts/$t/${c##*/}"
		done
	fi
	failed=$((failed + 1))
	failures+=("$t")
done

if [ "$failed" -gt 0 ]; then
	echo "failed:"
	printf '    %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
