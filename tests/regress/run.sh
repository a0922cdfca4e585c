#!/usr/bin/env bash
# run.sh — haichao's data-driven regression tests: each folder here is a
# content tree, the arguments and the expected stderr, status and files.
#
#   tests/regress/run.sh [--update] [--valgrind] [-j N] HAICHAO [CASE...]
#
# --update rewrites each case's expected.stderr, expected.status and the
# files already present in its expected/ folder from what the binary does
# now, and prints what changed.  --valgrind also fails a case on any memory
# error or definite leak.  Cases run in parallel; reports print in order.
set -u
export LC_ALL=C TZ=UTC

usage() {
	echo "usage: $0 [--update] [--valgrind] [-j N] HAICHAO [CASE...]" >&2
	exit 2
}

update=0 valgrind=0 jobs=
while [ $# -gt 0 ]; do
	case $1 in
	--update) update=1 ;;
	--valgrind) valgrind=1 ;;
	-j) [ $# -ge 2 ] || usage; jobs=$2; shift ;;
	-h|--help) usage ;;
	-*) usage ;;
	*) break ;;
	esac
	shift
done
[ $# -ge 1 ] || usage
bin=$1
shift
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
[ -x "$bin" ] || { echo "$0: $bin is not an executable" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
if [ -z "$jobs" ]; then
	jobs=$(nproc 2>/dev/null || echo 2)
	[ "$valgrind" = 1 ] || jobs=$((jobs * 2))
fi

if [ $# -gt 0 ]; then
	cases=("$@")
	cases=("${cases[@]%/}")
	cases=("${cases[@]##*/}")
else
	cases=()
	for d in "$here"/*/; do
		[ -d "$d/content" ] && { d=${d%/}; cases+=("${d##*/}"); }
	done
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/haichao-regress.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# Runs one case in $work/<name>/; its report goes to $work/<name>.out and
# its verdict (pass / fail) to $work/<name>.verdict.
run_case() {
	local name=$1 src=$here/$1 w=$work/$1
	local out=$w.out fail=0
	mkdir -p "$w/run"
	: >"$out"
	if [ ! -d "$src/content" ]; then
		echo "$name: no content/ folder" >>"$out"
		echo fail >"$w.verdict"
		return
	fi
	local args=() own_t=0
	[ -f "$src/args" ] && read -r -a args <"$src/args"
	local a
	for a in "${args[@]}"; do
		case $a in -t|-t?*) own_t=1 ;; esac
	done
	cp -R "$src/content" "$w/run/content"
	# With -t in args, the run's templates/ is the repository's, with the
	# case's templates/ copied over it and the paths in `remove` deleted:
	# a case holds only what it breaks.
	if [ "$own_t" = 1 ] || [ -d "$src/templates" ]; then
		cp -R "$repo/templates" "$w/run/templates"
		[ -d "$src/templates" ] && cp -R "$src/templates/." "$w/run/templates/"
	fi
	if [ -f "$src/remove" ]; then
		local r
		while IFS= read -r r; do
			case $r in
			''|/*|*..*) ;;
			*) rm -rf "${w:?}/run/$r" ;;
			esac
		done <"$src/remove"
	fi

	local targs=(-t "$repo/templates")
	[ "$own_t" = 1 ] && targs=()

	local want_status=
	[ -f "$src/expected.status" ] && want_status=$(head -n 1 "$src/expected.status")
	# A failing build must leave the previous site exactly as it was.
	local sentinel=0
	if [ -n "$want_status" ] && [ "$want_status" != 0 ]; then
		sentinel=1
		mkdir -p "$w/run/public/zh" "$w/before/zh"
		printf 'the previous site\n' >"$w/run/public/index.html"
		printf 'an older page\n' >"$w/run/public/zh/index.html"
		cp -R "$w/run/public/." "$w/before/"
	fi

	local vg=()
	# shellcheck disable=SC2054 # the commas belong to one option
	[ "$valgrind" = 1 ] && vg=(valgrind --error-exitcode=99 --leak-check=full
	    --errors-for-leak-kinds=definite,indirect --quiet
	    "--log-file=$w/valgrind.log")

	# A `command` file runs `check` or `status` instead of `build`.
	local cmd=build
	[ -f "$src/command" ] && read -r cmd <"$src/command"
	local cargs=(-C content "${targs[@]}" -o public)
	[ "$cmd" = check ] && cargs=(-C content "${targs[@]}")
	[ "$cmd" = status ] && cargs=(-C content)
	local status
	# An `env` file holds NAME=VALUE lines set for the run.
	(cd "$w/run" &&
	    if [ -f "$src/env" ]; then
		    while IFS= read -r kv; do [ -n "$kv" ] && export "$kv"; done <"$src/env"
	    fi &&
	    exec "${vg[@]}" "$bin" "$cmd" "${cargs[@]}" \
	    "${args[@]}" >"$w/stdout" 2>"$w/stderr" </dev/null)
	status=$?
	echo "$status" >"$w/status"

	if [ "$valgrind" = 1 ] && [ -s "$w/valgrind.log" ]; then
		echo "$name: valgrind reports errors:" >>"$out"
		sed 's/^/    /' "$w/valgrind.log" >>"$out"
		fail=1
	fi
	if [ "$sentinel" = 1 ]; then
		if ! diff -r "$w/before" "$w/run/public" >"$w/sentinel.diff" 2>&1; then
			echo "$name: the failed build changed the previous public/:" >>"$out"
			cat "$w/sentinel.diff" >>"$out"
			fail=1
		fi
	fi
	local left
	left=$(cd "$w/run" && ls -d public.staging-* 2>/dev/null)
	if [ -n "$left" ]; then
		echo "$name: staging folder left behind: $left" >>"$out"
		fail=1
	fi

	if [ "$update" = 1 ]; then
		update_case "$name" "$src" "$w" >>"$out"
	else
		compare "$name" "$src/expected.stderr" "$w/stderr" "stderr" >>"$out" || fail=1
		compare "$name" "$src/expected.status" "$w/status" "exit status" >>"$out" || fail=1
		if [ -f "$src/expected.stdout" ]; then
			compare "$name" "$src/expected.stdout" "$w/stdout" "stdout" >>"$out" || fail=1
		fi
		if [ -d "$src/expected" ]; then
			local f
			while IFS= read -r f; do
				compare "$name" "$src/expected/$f" "$w/run/public/$f" \
				    "public/$f" >>"$out" || fail=1
			done < <(cd "$src/expected" && find . -type f | sed 's|^\./||' | sort)
		fi
	fi
	if [ "$fail" = 0 ]; then echo pass; else echo fail; fi >"$w.verdict"
}

# Prints a unified diff when `actual` differs from `expected`.
compare() {
	local name=$1 expected=$2 actual=$3 what=$4
	if [ ! -f "$expected" ]; then
		echo "$name: no ${expected##*/} (run with --update to create it)"
		return 1
	fi
	if [ ! -f "$actual" ]; then
		echo "$name: $what was not written"
		return 1
	fi
	cmp -s "$expected" "$actual" && return 0
	echo "$name: $what differs:"
	diff -u --label "expected $what" --label "actual $what" "$expected" "$actual"
	return 1
}

# Copies the actual results over the expectations and shows the change.
update_case() {
	local name=$1 src=$2 w=$3
	local pairs=("expected.stderr" "$w/stderr" "expected.status" "$w/status")
	[ -f "$src/expected.stdout" ] && pairs+=("expected.stdout" "$w/stdout")
	if [ -d "$src/expected" ]; then
		local f
		while IFS= read -r f; do
			pairs+=("expected/$f" "$w/run/public/$f")
		done < <(cd "$src/expected" && find . -type f | sed 's|^\./||' | sort)
	fi
	local i
	for ((i = 0; i < ${#pairs[@]}; i += 2)); do
		local rel=${pairs[i]} new=${pairs[i + 1]}
		if [ ! -f "$new" ]; then
			echo "$name: public/${rel#expected/} was not written; left as it was"
			continue
		fi
		if [ -f "$src/$rel" ] && cmp -s "$src/$rel" "$new"; then
			continue
		fi
		if [ -f "$src/$rel" ]; then
			diff -u --label "$name/$rel (old)" --label "$name/$rel (new)" \
			    "$src/$rel" "$new"
		else
			diff -u --label "$name/$rel (old)" --label "$name/$rel (new)" \
			    /dev/null "$new"
		fi
		cp "$new" "$src/$rel"
	done
}

running=0
for name in "${cases[@]}"; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	run_case "$name" &
	running=$((running + 1))
done
wait

passed=0 failed=0 failures=()
for name in "${cases[@]}"; do
	[ -s "$work/$name.out" ] && cat "$work/$name.out"
	if [ "$(cat "$work/$name.verdict" 2>/dev/null)" = pass ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures+=("$name")
	fi
done
if [ "$failed" -gt 0 ]; then
	echo "failed:"
	printf '    %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
