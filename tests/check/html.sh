#!/bin/sh
# html.sh DIR — runs the Nu Html Checker (vnu.jar) over every .html file in
# DIR, and over its .css and .svg files too (the templates' assets). Any error
# fails; warnings and info messages are printed but allowed.
#
# vnu.jar comes from npm (vnu-jar, pinned in tests/package.json and
# tests/package-lock.json) and is installed into tests/node_modules on first
# use. Its postinstall script would download a Java runtime from outside the
# npm registry when it finds no suitable java; --ignore-scripts skips it, and
# the system's java (Debian default-jre-headless, >= 17, installed by
# generator/deps.sh test) runs the jar instead.
#
# Exit status: 0 no errors, 1 errors or a missing tool, 2 usage error.
set -u

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: tests/check/html.sh DIR   (DIR: a built site)" >&2
	exit 2
fi
dir=$1
tests=$(cd "$(dirname "$0")/.." && pwd)
jar="$tests/node_modules/vnu-jar/build/dist/vnu.jar"

if ! command -v java >/dev/null 2>&1; then
	echo "html: java is not installed; the Nu Html Checker needs Java 17 or later" \
		"(Debian package default-jre-headless; 'generator/deps.sh test' installs it)"
	exit 1
fi

if [ ! -f "$jar" ]; then
	if ! command -v npm >/dev/null 2>&1; then
		echo "html: npm is not installed, and it is needed once to install vnu-jar into" \
			"tests/node_modules (Debian package npm; 'generator/deps.sh test' installs it)"
		exit 1
	fi
	echo "html: installing vnu-jar into tests/node_modules (npm ci)"
	if ! npm ci --prefix "$tests" --no-audit --no-fund --ignore-scripts >&2; then
		echo "html: 'npm ci --prefix tests' failed; cannot run the Nu Html Checker"
		exit 1
	fi
	if [ ! -f "$jar" ]; then
		echo "html: npm ci succeeded but $jar is missing (has vnu-jar moved the jar?)"
		exit 1
	fi
fi

nhtml=$(find "$dir" -type f -name '*.html' | wc -l | tr -d ' ')
if [ "$nhtml" -eq 0 ]; then
	echo "html: no .html files under $dir"
	exit 1
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT INT TERM

# No --errors-only: warnings are to be seen, though only errors fail. vnu
# exits non-zero on errors (not on warnings) and writes messages to stderr.
# No --filterpattern: there is no known false positive to filter.
java -jar "$jar" --skip-non-html --also-check-css --also-check-svg \
	--format gnu "$dir" >"$out" 2>&1
status=$?
cat "$out"
errors=$(grep -c ': error: \|: fatal: \|^Exception\|^Error' "$out")
warnings=$(grep -c ': warning: \|: info' "$out")
if [ "$status" -ne 0 ] || [ "$errors" -ne 0 ]; then
	echo "html: $nhtml pages checked: $errors errors, $warnings warnings or info messages (vnu exit status $status)"
	exit 1
fi
echo "html: $nhtml pages checked: no errors, $warnings warnings or info messages"
exit 0
