#!/bin/sh
# cli.sh [HAICHAO] — the command line as a newcomer meets it: --help for
# the program and for each command, usage errors (one line, the usage, exit
# 2), system errors (exit 2, a FIFO for a data file among them) against
# content errors (exit 1), `-o a/b/public`
# making its parent folders (but never inside content/), where templates
# come from without -t, and `haichao new site` / `new article`: the new
# archive builds with no warning and passes the link check, nothing is ever
# overwritten, bad slugs and titles are refused.
#
# HAICHAO defaults to generator/haichao. Exit status: 0 good, 1 a check failed.
. "$(dirname "$0")/lib.sh"
check_setup cli "${1:-}"

# expect STATUS CMD...: runs CMD with stdout/stderr in $tmp/out, $tmp/err.
expect() {
	want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" = "$want" ] || fail "'$*' exited $got, not $want: $(head -3 "$tmp/err")"
}

# ---- help and usage errors --------------------------------------------------
expect 0 "$bin" --help
for c in build check status new; do
	grep -q "^  $c " "$tmp/out" || fail "--help does not list '$c'"
done
for c in build check status new; do
	expect 0 "$bin" "$c" --help
	# Every option of the usage line is described below it.
	for o in $(head -1 "$tmp/out" | grep -o '\[-[-a-zA-Z]*' | tr -d '['); do
		grep -q "^  $o" "$tmp/out" || fail "'$c --help' does not describe $o"
	done
done
expect 2 "$bin" frobnicate
[ "$(head -1 "$tmp/err")" = "haichao: unknown command 'frobnicate'" ] ||
	fail "unknown command: first line is '$(head -1 "$tmp/err")'"
grep -q '^usage: haichao build' "$tmp/err" || fail "unknown command: no usage"
expect 2 "$bin" build -q
[ "$(head -1 "$tmp/err")" = "haichao: unknown option '-q'" ] ||
	fail "unknown option: first line is '$(head -1 "$tmp/err")'"
expect 2 "$bin"
expect 2 "$bin" new
expect 2 "$bin" new thing x
expect 2 "$bin" status extra
expect 2 "$bin" build -j 0
expect 2 "$bin" check --no-fsync   # a build's option only

# ---- haichao new site ---------------------------------------------------------
cd "$tmp" || exit 1
export SOURCE_DATE_EPOCH=1736985600   # 2025-01-16
expect 2 "$bin" new site ""   # not the file system's root
expect 0 "$bin" new site s
expect 1 "$bin" new site s
mkdir notempty && : >notempty/x
expect 1 "$bin" new site notempty
# -C and --title belong to 'new article': a usage error, nothing made.
expect 2 "$bin" new site other -C elsewhere
expect 2 "$bin" new site other --title x
[ ! -e other ] || fail "'new site other -C elsewhere' made other/"
cd s || exit 1
# Without waiting for the disk, the same files.
expect 0 "$bin" build -t "$root/templates" -o public-no-fsync --no-fsync
expect 0 "$bin" build -t "$root/templates"
diff -r public public-no-fsync >/dev/null || fail "--no-fsync gives other files"
rm -rf public-no-fsync public-no-fsync.haichao-*
# A build waits for the disk (fsync of what it wrote, of the folders, and
# of the folder holding public/ after the swap); --no-fsync does not.
if command -v strace >/dev/null 2>&1; then
	for f in content/articles/*.zh.md; do echo "追加一句。" >>"$f"; break; done
	strace -f -qq -e trace=fsync -o "$tmp/strace" "$bin" build -t "$root/templates" 2>/dev/null
	[ "$(grep -c 'fsync(' "$tmp/strace")" -ge 3 ] ||
	    fail "a build that wrote files called fsync $(grep -c 'fsync(' "$tmp/strace") times"
	for f in content/articles/*.zh.md; do echo "再追加。" >>"$f"; break; done
	strace -f -qq -e trace=fsync -o "$tmp/strace" "$bin" build -t "$root/templates" --no-fsync 2>/dev/null
	[ "$(grep -c 'fsync(' "$tmp/strace")" = 0 ] || fail "--no-fsync called fsync"
fi
[ "$(grep -c '' "$tmp/err")" = 1 ] && grep -q '^haichao: 1 article, .* pages;' "$tmp/err" ||
	fail "the new site does not build cleanly: $(cat "$tmp/err")"
grep -q 'templates from' "$tmp/err" && fail "-t given, yet the summary names the templates"
python3 "$root/tests/check/links.py" public --base-url https://example.org/ >"$tmp/links" 2>&1 ||
	fail "the new site's links: $(tail -3 "$tmp/links")"
for f in zh/articles/why-xiaohongshu/index.html en/articles/why-xiaohongshu/index.html; do
	grep -q 'class="gl"' "public/$f" || fail "$f has no glossary annotation"
	[ -f "public/${f%index.html}notes.svg" ] || fail "$f: its image was not published"
done

# ---- haichao new article ------------------------------------------------------
expect 0 "$bin" new article second-note --title 'A "quoted" \ title'
[ "$(cat "$tmp/out")" = content/articles/second-note.zh.md ] ||
	fail "new article printed '$(cat "$tmp/out")'"
grep -q '^date: 2025-01-16$' content/articles/second-note.zh.md ||
	fail "new article is not dated by SOURCE_DATE_EPOCH"
cp content/articles/second-note.zh.md "$tmp/before"
expect 1 "$bin" new article second-note
cmp -s content/articles/second-note.zh.md "$tmp/before" || fail "new article overwrote a file"
expect 1 "$bin" new article Bad_Slug
expect 1 "$bin" new article tabbed --title "$(printf 'a\tb')"
[ -e content/articles/tabbed.zh.md ] && fail "a title with a tab was written"
# Titles the next build would refuse are refused now: not UTF-8, only
# spaces; an empty one (or any empty value or operand) is a usage error.
expect 1 "$bin" new article latin1 --title "$(printf 'caf\351')"
expect 1 "$bin" new article blank --title "   "
expect 2 "$bin" new article empty --title ""
[ -e content/articles/latin1.zh.md ] || [ -e content/articles/blank.zh.md ] ||
    [ -e content/articles/empty.zh.md ] && fail "a title the build refuses was written"
expect 2 "$bin" new article ""
expect 2 "$bin" build -C ""
expect 2 "$bin" new article x -C no-such-content
expect 0 "$bin" build -t "$root/templates"
grep -q 'error\|warning' "$tmp/err" && fail "with a new article: $(cat "$tmp/err")"
grep -q '^title: "A \\"quoted\\" \\\\ title"$' content/articles/second-note.zh.md ||
	fail "the title is not quoted for YAML: $(grep title: content/articles/second-note.zh.md)"
grep -q 'A &quot;quoted&quot; \\ title\|A "quoted" \\ title' public/zh/articles/second-note/index.html ||
	fail "the quoted title did not reach its page"

# ---- where templates come from ------------------------------------------------
cp -R "$root/templates" templates
expect 0 "$bin" build
grep -q '; templates from ./templates$' "$tmp/err" ||
	fail "without -t, the summary does not name ./templates: $(cat "$tmp/err")"
rm -rf templates

# ---- -o makes its parent folders, never inside the sources -------------------
expect 0 "$bin" build -t "$root/templates" -o a/b/public
[ -f a/b/public/index.html ] || fail "-o a/b/public: nothing published"
expect 2 "$bin" build -t "$root/templates" -o content/x/y/public
[ -e content/x ] && fail "-o inside content/ made folders there"
: >plain-file
expect 2 "$bin" build -t "$root/templates" -o plain-file/public

# ---- system errors exit 2, content errors 1 ------------------------------------
expect 2 "$bin" build -t "$root/templates" -C no-such-content
expect 2 "$bin" check -t no-such-templates
# serve watches both folders: it needs them there (and stops at once).
expect 2 timeout 20 "$bin" serve -C no-such-content -p 0
expect 2 timeout 20 "$bin" serve -t no-such-templates -p 0
# A data file that is a FIFO: refused at once, not waited on for ever.
mv content/glossary.yaml glossary.yaml.saved && mkfifo content/glossary.yaml
expect 2 timeout 20 "$bin" check -t "$root/templates"
grep -q 'glossary.yaml: error: cannot read: not a regular file' "$tmp/err" ||
	fail "a FIFO for glossary.yaml: $(tail -2 "$tmp/err")"
rm -f content/glossary.yaml && mv glossary.yaml.saved content/glossary.yaml
sed -i 's/^title: .*//' content/articles/second-note.zh.md
expect 1 "$bin" check -t "$root/templates"

check_done "help, usage errors, exit statuses, -o parents, templates lookup, new site and new article"
