#!/bin/sh
# search.sh BIN SITE — the search index against brute force, and the search
# page in a browser:
#  1. tests/check/search.mjs on SITE (the bundled archive, built): the search
#     page's own script, run in Node on the index the build wrote, must find
#     exactly what a brute-force search of every article's text finds, for
#     400 queries per language (substrings of 1 to 8 characters, Latin words,
#     traditional characters, full-width forms, several words, no match);
#  2. the same on a generated corpus of 150 articles (../shared/bench's
#     gen_corpus.py; said and skipped when the kit is absent), built by BIN,
#     and there, in Chromium, a query with more than twenty hits: ten, then
#     ten more with "More results"; then one article edited: the index is
#     patched (HAICHAO_TIMING says search-patch) and equals a fresh build's;
#  3. tests/check/search-browser.mjs on SITE in headless Chromium: typing,
#     ?q= links over HTTP and from file://, the header's box with and
#     without JavaScript.
# Exit status 0 when all passed, 1 otherwise.
set -u
[ $# -eq 2 ] || { echo "usage: tests/check/search.sh BIN SITE" >&2; exit 2; }
bin=$1 site=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/haichao-search.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
status=0

echo "search: the bundled archive"
node "$here/search.mjs" "$site" --queries 400 || status=1

kit=$repo/../shared/bench/gen_corpus.py
if [ -f "$kit" ]; then
	echo "search: a generated corpus of 150 articles"
	if python3 "$kit" --articles 150 --out "$tmp/content" --quiet >"$tmp/gen.log" 2>&1 &&
		"$bin" build -C "$tmp/content" -t "$repo/templates" -o "$tmp/public" 2>"$tmp/build.log"; then
		node "$here/search.mjs" "$tmp/public" --queries 400 --seed 7 || status=1
		(cd "$repo/tests" && node check/search-browser.mjs "$tmp/public" --more) || status=1
		# One article edited: the index is patched, not rebuilt, and equals a
		# build from nothing (the last build's files are older than the
		# cache's two-second window for racily clean files).
		sleep 3
		f=$(ls "$tmp/content/articles/"*.zh.md | head -n 1)
		printf '\n新加的一段：小紅書与TikTok。\n' >>"$f"
		if ! HAICHAO_TIMING=1 "$bin" build -C "$tmp/content" -t "$repo/templates" -o "$tmp/public" 2>"$tmp/edit.log"; then
			cat "$tmp/edit.log"
			status=1
		elif ! grep -q 'timing: search-patch' "$tmp/edit.log"; then
			echo "search: one article edited, but the index was not patched"
			status=1
		fi
		"$bin" build -C "$tmp/content" -t "$repo/templates" -o "$tmp/fresh" 2>/dev/null || status=1
		if diff -r "$tmp/public" "$tmp/fresh" >"$tmp/diff.log"; then
			echo "search: one article edited: the patched index equals a fresh build's"
			node "$here/search.mjs" "$tmp/public" --queries 100 --seed 9 || status=1
		else
			head -20 "$tmp/diff.log"
			status=1
		fi
	else
		cat "$tmp/gen.log" "$tmp/build.log"
		status=1
	fi
else
	echo "search: $kit is absent: the generated corpus is skipped"
fi

echo "search: the page in Chromium"
# Screenshots beside the other browser checks' (tests/artifacts/).
mkdir -p "$repo/tests/artifacts/screenshots"
cp -r "$site" "$tmp/site" || exit 1
if command -v timeout >/dev/null 2>&1; then
	(cd "$repo/tests" && timeout -k 10 240 node check/search-browser.mjs "$tmp/site") || status=1
else
	(cd "$repo/tests" && node check/search-browser.mjs "$tmp/site") || status=1
fi
cp "$tmp"/search-screenshots/*.png "$repo/tests/artifacts/screenshots/" 2>/dev/null
exit $status
