#!/bin/sh
# install.sh — `make install` as a newcomer uses it: installs into a
# temporary PREFIX (and once more under a DESTDIR), checks the binary, the
# default templates and the man pages are there, starts an archive with the
# installed binary alone in an empty folder (no ./templates, no -t), builds
# it with no warning and checks its pages (links.py, and the Nu Html Checker
# through html.sh), then `make uninstall` must leave no file behind.
# Finally generator/haichao is rebuilt for the default PREFIX, as it was.
#
# Exit status: 0 good, 1 a check failed.
. "$(dirname "$0")/lib.sh"
check_setup install
MAKE=${MAKE:-make}

# files_under DIR: the files and links below DIR, one a line.
files_under() { find "$1" ! -type d 2>/dev/null; }

# ---- DESTDIR is honoured: everything lands below it ------------------------------
dest=$tmp/dest
"$MAKE" -s --no-print-directory install DESTDIR="$dest" PREFIX=/opt/haichao-test \
    >"$tmp/make.log" 2>&1 || fail "make install DESTDIR=: $(tail -5 "$tmp/make.log")"
[ -x "$dest/opt/haichao-test/bin/haichao" ] || fail "DESTDIR: no bin/haichao below it"
[ -e /opt/haichao-test ] && fail "DESTDIR: something was installed outside it"
"$MAKE" -s --no-print-directory uninstall DESTDIR="$dest" PREFIX=/opt/haichao-test \
    >"$tmp/make.log" 2>&1 || fail "make uninstall DESTDIR=: $(tail -5 "$tmp/make.log")"
left=$(files_under "$dest")
[ -z "$left" ] || fail "make uninstall DESTDIR= left: $left"

# ---- a PREFIX, used for real --------------------------------------------------------
prefix=$tmp/prefix
"$MAKE" -s --no-print-directory install PREFIX="$prefix" >"$tmp/make.log" 2>&1 ||
	fail "make install: $(tail -5 "$tmp/make.log")"
for f in bin/haichao share/haichao/templates/article.html \
    share/haichao/templates/strings.yaml share/haichao/templates/assets/style.css \
    share/haichao/templates/partials/head.html share/man/man1/haichao.1 \
    share/man/man5/haichao-content.5 share/man/man5/haichao-templates.5; do
	[ -f "$prefix/$f" ] || fail "make install did not install $f"
done
inst=$prefix/bin/haichao

mkdir "$tmp/empty"
cd "$tmp/empty" || exit 1
"$inst" new site archive >"$tmp/new.out" 2>&1 || fail "new site: $(cat "$tmp/new.out")"
cd archive || exit 1
[ -e templates ] && fail "new site wrote a templates folder"
"$inst" build >"$tmp/build.out" 2>"$tmp/build.err"
status=$?
[ "$status" = 0 ] || fail "the installed binary's build exited $status: $(cat "$tmp/build.err")"
[ "$(grep -c '' "$tmp/build.err")" = 1 ] ||
	fail "the build said more than its summary: $(cat "$tmp/build.err")"
grep -q "; templates from $prefix/share/haichao/templates\$" "$tmp/build.err" ||
	fail "the summary does not name the installed templates: $(cat "$tmp/build.err")"
python3 "$root/tests/check/links.py" public --base-url https://example.org/ >"$tmp/links" 2>&1 ||
	fail "links: $(tail -5 "$tmp/links")"
"$root/tests/check/html.sh" public >"$tmp/html" 2>&1 ||
	fail "html: $(tail -5 "$tmp/html")"
[ -f public/assets/style.css ] || fail "the installed assets were not published"
cd "$root" || exit 1

"$MAKE" -s --no-print-directory uninstall PREFIX="$prefix" >"$tmp/make.log" 2>&1 ||
	fail "make uninstall: $(tail -5 "$tmp/make.log")"
left=$(files_under "$prefix")
[ -z "$left" ] || fail "make uninstall left: $left"

# The repository's binary again looks in the default PREFIX.
"$MAKE" -s --no-print-directory generator/haichao >"$tmp/make.log" 2>&1 ||
	fail "rebuilding generator/haichao: $(tail -5 "$tmp/make.log")"

check_done "installed under DESTDIR and PREFIX, a new archive built with the installed templates alone, nothing left after uninstall"
