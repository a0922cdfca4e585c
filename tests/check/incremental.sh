#!/bin/sh
# incremental.sh [HAICHAO] — a rebuild that reuses the build cache gives
# exactly what a build from nothing gives.  A copy of content/ is edited
# step by step (an article's body, title, date, terms; a translation;
# taxonomy.yaml, glossary.yaml, site.yaml; an article added, one
# removed); after each edit the cached build of the running output is
# compared (diff -r) with a fresh build of the same content.  A page kept
# from the last build when it should have changed shows up here.
# Article files unchanged since the last build are not read again (their
# front matter comes from the cache while their stamp is the same, their
# body only when it is rendered): the copy is left to settle first, so
# that every step but the edited file's takes that path, and one edit
# keeps the file's size and modification time.
# HAICHAO defaults to generator/haichao. Exit status: 0 good, 1 a check failed.
set -u

. "$(dirname "$0")/lib.sh"
check_setup incremental "${1:-}"

cp -R "$root/content" "$tmp/content"
c=$tmp/content
# Files written in the last two seconds are always read (their stamp
# could repeat): let the copy age past that.
sleep 3
arts=$c/articles
build() { # OUT: build $c into $tmp/OUT
	"$bin" build -C "$c" -t "$root/templates" -o "$tmp/$1" >"$tmp/out" 2>"$tmp/err"
}
build running || { cat "$tmp/err"; fail "the first build failed"; exit 1; }

# check STEP: the cached rebuild of running/ equals a fresh build.
steps=0
check() {
	steps=$((steps + 1))
	if ! build running; then
		cat "$tmp/err"
		fail "after '$1': the cached rebuild failed"
		return
	fi
	written=$(sed -n 's/.* \([0-9][0-9]*\) files\{0,1\} written.*/\1/p' "$tmp/err")
	rm -rf "$tmp/fresh" "$tmp/fresh.haichao-cache"
	if ! build fresh; then
		cat "$tmp/err"
		fail "after '$1': the fresh build failed"
		return
	fi
	if ! diff -r "$tmp/running" "$tmp/fresh" >"$tmp/diff" 2>&1; then
		head -30 "$tmp/diff"
		fail "after '$1': the cached rebuild differs from a fresh build"
	else
		echo "ok: $1 ($written files written)"
	fi
}

# The articles to edit: the first two zh originals, and one translation.
first=$(cd "$arts" && ls *.zh.md | LC_ALL=C sort | head -1)
second=$(cd "$arts" && ls *.zh.md | LC_ALL=C sort | sed -n 2p)
translated=$(cd "$arts" && ls *.en.md | LC_ALL=C sort | head -1)
[ -n "$first" ] && [ -n "$second" ] && [ -n "$translated" ] ||
	{ fail "content/ needs two articles and a translation"; exit 1; }
sedi() { sed "$1" "$2" >"$tmp/edit" && cat "$tmp/edit" >"$2"; }

printf '\n又一段：出海的企业越来越多。\n' >>"$arts/$first"
check "a paragraph added to $first"
sedi 's/^title: .*/title: 改过的标题/' "$arts/$second"
check "the title of $second"
# The same size and modification time, another title: only the change
# time tells (and it cannot be set back).  First a build that records
# the file as it is now (settled, so it is no longer read every time).
sleep 3
printf '\n再加一段。\n' >>"$arts/$first"
check "a paragraph added to $first, $second settled"
touch -r "$arts/$second" "$tmp/stamp"
sedi 's/^title: 改过的标题$/title: 再改的标题/' "$arts/$second"
touch -r "$tmp/stamp" "$arts/$second"
sleep 3
check "the title of $second, same size and modification time"
sedi 's/^date: .*/date: 2019-06-30/' "$arts/$second"
check "the date of $second (it moves to the end)"
sedi '/^author:/d; /^updated:/d; s/^date: \(.*\)/date: \1\nauthor: 新作者\nupdated: 2026-02-02/' "$arts/$second"
check "the author and the updated date of $second"
# Tags decide the term pages and every article's related reading: one
# app swapped for another, so that only which tags changes, not how many.
sedi 's/^apps: \[\(.*\)\]$/apps: [\1]/; /^apps:/s/\([[ ]\)[a-z0-9-]*\]$/\1chatgpt]/' "$arts/$second"
grep -q '^apps:.*chatgpt\]' "$arts/$second" || fail "could not change an app of $second"
check "an app of $second swapped for another"
# The search index is patched in place while its shards stay as many;
# 3,000 characters never seen before make it outgrow them (a full
# index then), and taking them out makes it shrink back.
python3 -c 'print("\\n" + "".join(chr(0x4E00 + i * 7) for i in range(3000)))' \
	>"$tmp/para"
cp "$arts/$second" "$tmp/second"
cat "$tmp/para" >>"$arts/$second"
check "3,000 new characters in $second (more search shards)"
cat "$tmp/second" >"$arts/$second"
check "the 3,000 characters taken out again"
# A damaged index in the output (a shard of garbage, an empty one, a
# text file gone, and the English one of a translated article whose
# Chinese one is there): the next build must not patch it but make it
# again.
shards=$tmp/running/zh/search/s
printf 'garbage' >"$shards/$(ls "$shards" | LC_ALL=C sort | head -1)"
: >"$shards/$(ls "$shards" | LC_ALL=C sort | sed -n 2p)"
texts=$tmp/running/zh/search/t
rm -f "$texts/$(ls "$texts" | LC_ALL=C sort | head -1)"
rm -f "$tmp/running/en/search/t/${translated%.en.md}.js"
printf '\n损坏之后再加一段。\n' >>"$arts/$second"
check "the search index damaged, then a paragraph added to $second"
# Shards edited by hand but still well formed (each one's first list
# now names another article): a patch would trust the ones it reads and
# keep the others, so the next build must make them all again.
python3 - "$tmp/running" <<'PY' || fail "could not edit the search shards"
import glob, re, sys
n = 0
for path in glob.glob(sys.argv[1] + "/*/search/s/*.js"):
    text = open(path, encoding="utf-8-sig").read()
    edited = re.sub(r':"([^"]*)"', lambda m: ':"%s"' % ("1" if m.group(1) == "0" else "0"), text, count=1)
    if edited != text:
        open(path, "w", encoding="utf-8").write(edited)
        n += 1
sys.exit(0 if n > 0 else 1)
PY
printf '
改过索引之后再加一段。
' >>"$arts/$second"
check "every search shard edited by hand, then a paragraph added to $second"
printf '\nOne more English sentence.\n' >>"$arts/$translated"
check "a sentence added to $translated"
sedi 's/^title: .*/title: A changed English title/' "$arts/$translated"
check "the title of $translated"
sedi '0,/^ *zh: /s/^\( *\)zh: .*/\1zh: 改名公司/' "$c/taxonomy.yaml"
check "a name in taxonomy.yaml"
sedi '0,/^  en: /s/^  en: .*/  en: a changed meaning/' "$c/glossary.yaml"
check "a meaning in glossary.yaml"
sedi '0,/^  zh: /s/^  zh: .*/  zh: 改名的站/' "$c/site.yaml"
check "the site title in site.yaml"
cat >"$arts/zz-new-article.zh.md" <<'EOF'
---
title: 新文章
title_en: A new article
date: 2026-01-01
---

一篇新文章，谈出海和本地化。
EOF
check "an article added"
rm -f "$arts/$first"
slug=${first%.zh.md}
rm -f "$arts/$slug.en.md"
rm -rf "${arts:?}/$slug"
grep -l "$slug\.\(zh\|en\)\.md" "$arts/"*.md 2>/dev/null |
	while read -r f; do sedi "/$slug\.\(zh\|en\)\.md/d" "$f"; done
check "$first removed"

check_done "$steps edits, each cached rebuild identical to a fresh build"
