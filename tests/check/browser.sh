#!/bin/sh
# browser.sh DIR — loads pages of the built site DIR in headless Chromium
# (tests/check/browser.mjs): no console errors or failed requests, Chinese
# text drawn with a CJK font, no axe-core violations at all (in
# the light and the dark colour scheme), glossary footnotes that work without
# JavaScript, sub-path HTTP hosting and file:// both working. Prints one line
# per page and width; screenshots go to tests/artifacts/screenshots/.
#
# Needs the system Chromium (Debian package chromium), fonts-noto-cjk and
# Node.js with npm ('generator/deps.sh test' installs them all). The npm
# packages playwright-core and axe-core (pinned in tests/package.json and
# tests/package-lock.json) are installed into tests/node_modules on first
# use, with --ignore-scripts as in html.sh (vnu-jar's postinstall would
# download a Java runtime). No browser is downloaded: playwright-core drives
# /usr/bin/chromium (or $CHROMIUM).
#
# Exit status: 0 all checks passed, 1 a check failed or a tool is missing,
# 2 usage error.
set -u

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: tests/check/browser.sh DIR   (DIR: a built site)" >&2
	exit 2
fi
dir=$1
tests=$(cd "$(dirname "$0")/.." && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$chromium" ]; then
	echo "browser: $chromium is missing; the browser checks need the system Chromium" \
		"(Debian package chromium; 'generator/deps.sh test' installs it)"
	exit 1
fi
if ! command -v node >/dev/null 2>&1; then
	echo "browser: node is not installed (Debian packages nodejs and npm;" \
		"'generator/deps.sh test' installs them)"
	exit 1
fi

if [ ! -f "$tests/node_modules/playwright-core/package.json" ] ||
	[ ! -f "$tests/node_modules/axe-core/axe.min.js" ]; then
	if ! command -v npm >/dev/null 2>&1; then
		echo "browser: npm is not installed, and it is needed once to install playwright-core" \
			"and axe-core into tests/node_modules (Debian package npm; 'generator/deps.sh test' installs it)"
		exit 1
	fi
	echo "browser: installing playwright-core and axe-core into tests/node_modules (npm ci)"
	if ! npm ci --prefix "$tests" --no-audit --no-fund --ignore-scripts >&2; then
		echo "browser: 'npm ci --prefix tests' failed; cannot run the browser checks"
		exit 1
	fi
	if [ ! -f "$tests/node_modules/playwright-core/package.json" ] ||
		[ ! -f "$tests/node_modules/axe-core/axe.min.js" ]; then
		echo "browser: npm ci succeeded but playwright-core or axe-core is missing" \
			"(are they in tests/package.json?)"
		exit 1
	fi
fi

# Never let Playwright fetch a browser, whatever the environment says.
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
CHROMIUM=$chromium
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD CHROMIUM

# A machine busy with other work must not fail the check: the time limits
# in browser.mjs are generous (BROWSER_SLACK times what an idle machine
# needs, default 4), and a run that fails only on time is run once more.
BROWSER_SLACK=${BROWSER_SLACK:-4}
export BROWSER_SLACK
out=$(mktemp "${TMPDIR:-/tmp}/haichao-browser.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT
for attempt in 1 2; do
	if command -v timeout >/dev/null 2>&1; then
		timeout -k 10 $((180 * BROWSER_SLACK)) node "$tests/check/browser.mjs" "$dir" >"$out" 2>&1
	else
		node "$tests/check/browser.mjs" "$dir" >"$out" 2>&1
	fi
	status=$?
	cat "$out"
	case $status in
	124 | 137) echo "browser: timed out after $((180 * BROWSER_SLACK)) s" ;;
	1) grep -qE 'Timeout [0-9]+ms exceeded|took longer than' "$out" || break ;;
	*) break ;;
	esac
	[ $attempt = 1 ] && echo "browser: failed on time only; running it once more"
done
case $status in
0) exit 0 ;;
2) exit 2 ;;
*) exit 1 ;;
esac
