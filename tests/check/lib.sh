# lib.sh — what the shell checks share; sourced, never run.
#
#   check_setup NAME [HAICHAO]
#
# Sets `bin` to the generator (HAICHAO, default generator/haichao, made
# absolute), `cd`s to the repository root and sets `root` to it, makes a
# scratch folder `tmp` that is removed on exit, and defines `fail MESSAGE`
# (prints "NAME: MESSAGE", remembers the failure in `failed`) and
# `check_done SUMMARY` (exits 1 after a failure, else prints the summary
# and exits 0).  Exits 1 when the generator is not built.

check_setup() {
	check_name=$1
	bin=${2:-generator/haichao}
	case $bin in
	/*) ;;
	*) bin="$(pwd)/$bin" ;;
	esac
	cd "$(dirname "$0")/../.." || exit 1
	root=$(pwd)
	if [ ! -x "$bin" ]; then
		echo "$check_name: $bin is not built (make all)"
		exit 1
	fi
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/haichao-$check_name.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT INT TERM
	failed=0
}

fail() {
	echo "$check_name: $*"
	failed=1
}

check_done() {
	if [ "$failed" -ne 0 ]; then
		exit 1
	fi
	echo "$check_name: $*"
	exit 0
}
