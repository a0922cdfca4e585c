#!/bin/sh
# deps.sh build|test — makes sure haichao's build (or test) dependencies are
# installed: checks with pkg-config / command -v, installs what is missing
# with apt-get (through sudo when not root), and otherwise names the
# packages and exits 2.
set -eu
what=${1:-build}

missing=""
need_pkg() {  # pkg-config module, Debian package
	pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"
}
need_cmd() {  # command, Debian package
	command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}

need_cmd cc gcc
need_cmd make make
need_cmd pkg-config pkg-config
need_pkg libcmark-gfm libcmark-gfm-dev
[ -f /usr/include/cmark-gfm-core-extensions.h ] || missing="$missing libcmark-gfm-extensions-dev"
need_pkg libxml-2.0 libxml2-dev
need_pkg yaml-0.1 libyaml-dev
need_pkg libmicrohttpd libmicrohttpd-dev
if [ "$what" = test ]; then
	need_pkg cmocka libcmocka-dev
	need_cmd cmark-gfm cmark-gfm   # expected HTML of the spec examples
	need_cmd xmllint libxml2-utils
	need_cmd python3 python3
	need_cmd java default-jre-headless
	need_cmd npm npm
	need_cmd clang clang
	need_cmd chromium chromium
	need_cmd valgrind valgrind
	need_cmd mandoc mandoc          # man pages: mandoc -Tlint
	[ -d /usr/share/fonts/opentype/noto ] || missing="$missing fonts-noto-cjk"
	# libFuzzer's runtime for the fuzz targets
	ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
		missing="$missing libclang-rt-14-dev"
fi

[ -z "$missing" ] && exit 0

echo "haichao: installing missing packages:$missing" >&2
if command -v apt-get >/dev/null 2>&1; then
	SUDO=""
	if [ "$(id -u)" != 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			SUDO="sudo"
		else
			echo "haichao: not root and no sudo; please install:$missing" >&2
			exit 2
		fi
	fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq >&2 || true
	# shellcheck disable=SC2086
	if $SUDO apt-get install -y -qq --no-install-recommends $missing >&2; then
		exit 0
	fi
	echo "haichao: apt-get could not install:$missing" >&2
	exit 2
fi
echo "haichao: this system has no apt-get; please install the equivalents of" \
	"these Debian packages:$missing" >&2
exit 2
