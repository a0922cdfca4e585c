#!/bin/sh
# sitemap-split.sh [HAICHAO] — a site of more than 20,000 pages gets a
# sitemap index: 10,050 one-line articles (21,118 pages) are built, and
# tests/check/xml.sh checks the result: sitemap.xml against the sitemap
# index schema, each sitemap-N.xml it lists against the urlset schema, and
# every page listed exactly once across them.  Then the same site built with
# -j 1 must be byte-identical (the parts are written on several threads).
# Needs ../shared/schemas like xml.sh: exits 77 (skipped) without them.
# Exit status: 0 good, 1 a check failed, 77 skipped.
set -u

. "$(dirname "$0")/lib.sh"
check_setup sitemap-split "${1:-}"

if [ ! -d "$root/../shared/schemas" ]; then
	echo "SKIP sitemap-split: ../shared/schemas is absent"
	exit 77
fi
mkdir -p "$tmp/content/articles"
printf 'title:\n  zh: 测试站\n  en: Test Site\nbase_url: https://example.org/\nlanguages: [zh, en]\n' \
	>"$tmp/content/site.yaml"
python3 - "$tmp/content/articles" <<'PY' || exit 1
import sys
for i in range(10050):
    date = f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    with open(f"{sys.argv[1]}/a{i:05d}.zh.md", "w", encoding="utf-8") as f:
        f.write(f"---\ntitle: 第{i}篇\ndate: {date}\n---\n正文{i}。\n")
PY
for j in 2 1; do
	if ! "$bin" build -j "$j" -C "$tmp/content" -t templates -o "$tmp/public-$j" \
		>"$tmp/build.out" 2>"$tmp/build.err"; then
		fail "the build with -j $j failed:"
		sed 's/^/    /' "$tmp/build.err"
		exit 1
	fi
done
[ -f "$tmp/public-2/sitemap-2.xml" ] || fail "no sitemap-2.xml for 21,118 pages"
if ! tests/check/xml.sh "$tmp/public-2" "$tmp/content/site.yaml" >"$tmp/xml.out" 2>&1; then
	fail "xml.sh:"
	sed 's/^/    /' "$tmp/xml.out"
fi
if ! diff -r "$tmp/public-2" "$tmp/public-1" >"$tmp/diff.out" 2>&1; then
	fail "-j 1 and -j 2 differ:"
	head -20 "$tmp/diff.out" | sed 's/^/    /'
fi
check_done "21,118 pages: a sitemap index and its parts are valid and list every page once"
