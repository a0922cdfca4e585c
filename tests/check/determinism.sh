#!/bin/sh
# determinism.sh [HAICHAO] — the build is reproducible and publishes safely:
#   1. the bundled archive built with -j 1 and with -j 2 into two fresh
#      folders gives byte-identical trees (diff -r);
#   2. building again into the first folder writes nothing: the summary line
#      says "0 files written", and no file's mtime changes;
#   3. a failing build (a copy of content/ with one article's title: line
#      removed) exits 1, prints `path:line:col: error: ...` naming that
#      article, and leaves the previous output exactly as it was (same bytes,
#      same mtimes) with no *.staging-* folder left behind.
# HAICHAO defaults to generator/haichao. Runs from the repository root
# (whatever the current folder). Exit status: 0 good, 1 a check failed.
set -u

. "$(dirname "$0")/lib.sh"
check_setup determinism "${1:-}"

# build NAME ARGS...: runs the generator, stderr into $tmp/NAME.err; returns
# its exit status.
build() {
	name=$1
	shift
	"$bin" build "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
}

# mtimes DIR: every file's path, size and modification time, sorted.
mtimes() {
	(cd "$1" && find . -type f -printf '%p %s %T@\n' | LC_ALL=C sort)
}

# 1. -j 1 and -j 2 into fresh folders.
if ! build a -C content -t templates -o "$tmp/a" -j 1; then
	cat "$tmp/a.err"
	fail "the -j 1 build failed"
fi
if ! build b -C content -t templates -o "$tmp/b" -j 2; then
	cat "$tmp/b.err"
	fail "the -j 2 build failed"
fi
if [ "$failed" -ne 0 ]; then
	exit 1
fi
if ! diff -r "$tmp/a" "$tmp/b" >"$tmp/diff" 2>&1; then
	head -50 "$tmp/diff"
	fail "the -j 1 and -j 2 builds differ (diff -r above)"
fi

# 2. Rebuilding into the first folder writes nothing: once through the
#    build cache (a no-op), once with the cache deleted (every page is
#    rendered again and compared with what is there).
mtimes "$tmp/a" >"$tmp/mtimes.before"
sleep 1 # so that a rewritten file gets a different mtime even on coarse clocks
for round in cached uncached; do
[ "$round" = uncached ] && rm -f "$tmp/a.haichao-cache"
if ! build again -C content -t templates -o "$tmp/a" -j 2; then
	cat "$tmp/again.err"
	fail "the rebuild into the same folder failed"
else
	summary=$(grep ' files written' "$tmp/again.err" | tail -1)
	written=$(printf '%s\n' "$summary" | sed -n 's/.* \([0-9][0-9]*\) files\{0,1\} written.*/\1/p')
	if [ -z "$written" ]; then
		cat "$tmp/again.err"
		fail "the rebuild printed no 'N files written, M unchanged' summary"
	elif [ "$written" != 0 ]; then
		fail "the $round rebuild of an unchanged archive wrote $written files, expected 0: $summary"
	fi
	mtimes "$tmp/a" >"$tmp/mtimes.after"
	if ! diff "$tmp/mtimes.before" "$tmp/mtimes.after" >"$tmp/mdiff"; then
		head -20 "$tmp/mdiff"
		fail "the rebuild changed files or their mtimes (path size mtime; < before, > after)"
	fi
	if ! diff -r "$tmp/a" "$tmp/b" >/dev/null 2>&1; then
		fail "after the $round rebuild, the first folder differs from the second"
	fi
fi
done

# 3. A failing build leaves the previous output untouched.
cp -R content "$tmp/content"
victim=$(find "$tmp/content/articles" -name '*.zh.md' | LC_ALL=C sort | head -1)
if [ -z "$victim" ] || ! grep -q '^title:' "$victim"; then
	fail "no article with a title: line found in content/articles"
	exit 1
fi
sed '/^title:/d' "$victim" >"$tmp/victim" && cat "$tmp/victim" >"$victim"
victim_name=$(basename "$victim")
mtimes "$tmp/a" >"$tmp/mtimes.before"
build broken -C "$tmp/content" -t templates -o "$tmp/a"
status=$?
if [ "$status" -ne 1 ]; then
	cat "$tmp/broken.err"
	fail "a build with a missing title: exited $status, expected 1 (content error)"
fi
if ! grep -q "^[^:]*$victim_name:[0-9][0-9]*:[0-9][0-9]*: error: " "$tmp/broken.err"; then
	cat "$tmp/broken.err"
	fail "the failed build printed no 'path:line:col: error: ...' line for $victim_name"
fi
if ! diff -r "$tmp/a" "$tmp/b" >"$tmp/diff" 2>&1; then
	head -50 "$tmp/diff"
	fail "the failed build changed the previous output (diff -r above)"
fi
mtimes "$tmp/a" >"$tmp/mtimes.after"
if ! diff "$tmp/mtimes.before" "$tmp/mtimes.after" >"$tmp/mdiff"; then
	head -20 "$tmp/mdiff"
	fail "the failed build touched files of the previous output (path size mtime)"
fi
leftover=$(find "$tmp" -maxdepth 2 -name '*.staging-*')
if [ -n "$leftover" ]; then
	fail "the failed build left staging folders behind: $leftover"
fi

check_done "-j 1 and -j 2 builds identical; rebuild wrote 0 files; failed build left the output untouched"
