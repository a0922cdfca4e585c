#!/bin/sh
# publish.sh [HAICHAO] — where a build may publish, and how it updates a
# folder that holds something in the way:
#   1. `-o` naming the folder that holds content/ (or templates/), or a
#      folder inside content/, is refused (exit 2) and nothing is deleted;
#   2. an existing folder with files and no index.tsv from an earlier build
#      is refused, and its files stay;
#   3. stale things standing where the build needs to write (a file where a
#      folder goes, a folder where a file goes) are cleared and the result
#      equals a fresh build;
#   4. a folder holding a dot file where a page must go fails before
#      anything in the old output has changed;
#   5. a damaged build cache is reported with a warning, and ignored;
#   6. a removed article's pages disappear, with the build cache and
#      without it, and a cache listing a path outside the folder deletes
#      nothing there;
#   7. an output folder that is a symbolic link stays one;
#   8. files put below the output's top by hand are left out, and a build
#      without a mirror leaves them out of the next one too.
# HAICHAO defaults to generator/haichao. Exit status: 0 good, 1 a check failed.
set -u

. "$(dirname "$0")/lib.sh"
check_setup publish "${1:-}"

# expect_refusal NAME OUT MESSAGE: builds into OUT from inside $tmp/site,
# which must fail with exit 2 and MESSAGE on stderr.
expect_refusal() {
	name=$1 out=$2 message=$3
	(cd "$tmp/site" && "$bin" build -o "$out") >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ "$status" -ne 2 ]; then
		cat "$tmp/err"
		fail "$name: exit status $status, expected 2"
	elif ! grep -q "$message" "$tmp/err"; then
		cat "$tmp/err"
		fail "$name: stderr lacks '$message'"
	fi
}

mkdir "$tmp/site"
cp -R "$root/content" "$root/templates" "$tmp/site/"
(cd "$tmp/site" && find content templates -type f | LC_ALL=C sort) >"$tmp/sources.before"

# 1. Overlapping the sources.
expect_refusal "-o ." . "overlaps the source folder content"
expect_refusal "-o content/public" content/public "overlaps the source folder content"
expect_refusal "-o templates" templates/ "overlaps the source folder templates"
(cd "$tmp/site" && find content templates -type f | LC_ALL=C sort) >"$tmp/sources.after"
if ! diff "$tmp/sources.before" "$tmp/sources.after" >/dev/null; then
	fail "a refused build deleted or added source files"
fi

# 2. Someone else's folder.
mkdir "$tmp/site/mine"
echo "my notes" >"$tmp/site/mine/notes.txt"
expect_refusal "a foreign folder" mine "no index.tsv from an earlier build"
if [ ! -f "$tmp/site/mine/notes.txt" ]; then
	fail "a refused build deleted a file in the foreign folder"
fi

# 3. Stale things in the way are cleared.
build() {
	(cd "$tmp/site" && "$bin" build -o "$1") >"$tmp/out" 2>"$tmp/err"
}
build fresh || { cat "$tmp/err"; fail "the fresh build failed"; exit 1; }
build pub || { cat "$tmp/err"; fail "the first build into pub/ failed"; exit 1; }
rm -rf "$tmp/site/pub/zh/articles" "$tmp/site/pub/robots.txt" "$tmp/site/pub.haichao-cache"
echo "stale" >"$tmp/site/pub/zh/articles"
mkdir -p "$tmp/site/pub/robots.txt/old"
echo "stale" >"$tmp/site/pub/robots.txt/old/page.html"
if ! build pub; then
	cat "$tmp/err"
	fail "a build over stale things in the way failed"
elif ! diff -r "$tmp/site/fresh" "$tmp/site/pub" >"$tmp/diff" 2>&1; then
	head -20 "$tmp/diff"
	fail "after clearing what was in the way, the output differs from a fresh build"
fi

# 4. A dot file where a page must go: nothing changes.
rm -rf "$tmp/site/pub/robots.txt" "$tmp/site/pub.haichao-cache"
mkdir "$tmp/site/pub/robots.txt"
echo "the host's" >"$tmp/site/pub/robots.txt/.keep"
rm "$tmp/site/pub/zh/index.html"
cp -R "$tmp/site/pub" "$tmp/before"
build pub
status=$?
if [ "$status" -ne 2 ]; then
	cat "$tmp/err"
	fail "a build that must replace a folder holding a dot file exited $status, expected 2"
elif ! grep -q "pub/robots.txt: error: cannot replace this folder" "$tmp/err"; then
	cat "$tmp/err"
	fail "no error naming pub/robots.txt"
fi
if ! diff -r "$tmp/before" "$tmp/site/pub" >"$tmp/diff" 2>&1; then
	head -20 "$tmp/diff"
	fail "the failed commit changed the old output"
fi

# 5. A cache whose recorded length runs past its end is reported and
#    ignored, not read past.
rm -rf "$tmp/site/pub" "$tmp/site/pub.haichao-cache"
build pub || { cat "$tmp/err"; fail "the build into a new pub/ failed"; }
cache="$tmp/site/pub.haichao-cache"
if [ ! -f "$cache" ]; then
	fail "the build left no pub.haichao-cache"
else
	# The said section's length in the table (state.h: "NAME\tLENGTH\tSUM").
	sed 's/^said\t[0-9]*\t/said\t18446744073709551615\t/' "$cache" >"$tmp/cache" &&
	    cat "$tmp/cache" >"$cache"
	grep -q "$(printf '^said\t18446744073709551615\t')" "$cache" ||
	    fail "could not damage the cache's table"
	if ! build pub; then
		cat "$tmp/err"
		fail "a build with a damaged cache failed"
	elif ! grep -q "pub.haichao-cache: warning: the build cache is damaged" "$tmp/err"; then
		cat "$tmp/err"
		fail "a damaged cache gave no warning"
	fi
fi

# 6. A removed article's pages disappear, found through the cache's list
#    of published files (and, with no cache, by walking the folder).  (A
#    list that names something outside the folder deletes nothing there:
#    tests/unit/test_state.c plants one in a sound cache, which a shell
#    edit cannot make now that the cache is checksummed.)
for round in cached uncached; do
	rm -rf "$tmp/site/pub" "$tmp/site/pub.haichao-cache" "$tmp/site/content"
	cp -R "$root/content" "$tmp/site/"
	build pub || { cat "$tmp/err"; fail "$round: the build into pub/ failed"; }
	victim=$(cd "$tmp/site/content/articles" && ls *.zh.md | LC_ALL=C sort | head -1)
	slug=${victim%.zh.md}
	rm -f "$tmp/site/content/articles/$slug.zh.md" "$tmp/site/content/articles/$slug.en.md"
	rm -rf "$tmp/site/content/articles/$slug"
	# Cross-links to it would now fail: drop the lines that make them.
	grep -l "$slug\.\(zh\|en\)\.md" "$tmp/site/content/articles/"*.md 2>/dev/null |
	    while read -r f; do sed -i "/$slug\.\(zh\|en\)\.md/d" "$f"; done
	echo "outside" >"$tmp/site/outside.txt"
	[ "$round" = cached ] || rm -f "$tmp/site/pub.haichao-cache"
	if ! build pub; then
		cat "$tmp/err"
		fail "$round: the build after removing $slug failed"
	elif [ -e "$tmp/site/pub/zh/articles/$slug" ] || [ -e "$tmp/site/pub/en/articles/$slug" ]; then
		fail "$round: the pages of the removed article $slug are still there"
	elif ! grep -q ' [1-9][0-9]* removed' "$tmp/err"; then
		cat "$tmp/err"
		fail "$round: the summary does not count the removed files"
	fi
	if [ ! -f "$tmp/site/outside.txt" ]; then
		fail "$round: a file outside the output folder was deleted"
	fi
done

# 7. An output folder that is a symbolic link stays one: the folder it
#    names is what a build replaces.
rm -rf "$tmp/site/real" "$tmp/site/link" "$tmp/site/link.haichao-cache"
build real || { cat "$tmp/err"; fail "the build into real/ failed"; }
ln -s real "$tmp/site/link"
echo "追加。" >>"$tmp/site/content/articles/$(cd "$tmp/site/content/articles" && ls *.zh.md | head -1)"
if ! build link; then
	cat "$tmp/err"
	fail "a build through a symbolic link failed"
elif [ ! -L "$tmp/site/link" ]; then
	fail "a build replaced the symbolic link link -> real with a folder"
elif ! build fresh-after-link || ! diff -r "$tmp/site/fresh-after-link" "$tmp/site/real" >/dev/null; then
	fail "the folder behind the symbolic link is not the new output"
fi

# 8. Files put into the output by hand below its top (a sub-folder's
#    dot file, a stray page) are not kept; a build without a mirror walks
#    the old tree and leaves them out of the next mirror too, so they do
#    not come back with the build after.  (With a mirror they do, every
#    other build: docs/INTERNALS.md says so.)
rm -rf "$tmp/site/pub" "$tmp/site/pub.haichao-"*
build pub || { cat "$tmp/err"; fail "the build into pub/ failed"; }
first=$(cd "$tmp/site/content/articles" && ls *.zh.md | head -1)
echo "deny" >"$tmp/site/pub/zh/.htaccess"
echo "stray" >"$tmp/site/pub/zh/stray.html"
rm -rf "$tmp/site/pub.haichao-mirror"
for round in 1 2; do
	echo "第${round}次追加。" >>"$tmp/site/content/articles/$first"
	build pub || { cat "$tmp/err"; fail "hand-made files, build $round failed"; }
	for f in zh/.htaccess zh/stray.html; do
		[ -e "$tmp/site/pub/$f" ] && fail "hand-made files, build $round: public/$f is there"
		[ -e "$tmp/site/pub.haichao-mirror/$f" ] &&
		    fail "hand-made files, build $round: the mirror keeps $f"
	done
done

check_done "overlapping and foreign folders refused; obstacles cleared; a blocked commit changed nothing; files made by hand below the top are not kept"
