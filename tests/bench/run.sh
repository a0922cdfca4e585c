#!/bin/bash
# run.sh — haichao's benchmark: a full build, a no-op rebuild and a rebuild
# after one article changed, beside its peer (Hugo) and the floor (cmark
# alone), on the shared kit's synthetic corpora, in one run on one machine.
#
#   tests/bench/run.sh [-r RUNS] [-w WORKDIR] [--no-hugo] [N...]
#
#   N...       corpus sizes in articles (default: $BENCH_N, else 1000 10000 50000)
#   -r RUNS    timed runs per measurement, after one untimed warm-up (default 3)
#   -w DIR     corpora, outputs and logs (default build/bench); DIR/cN/content
#              is generated once with the kit's gen_corpus.py and reused
#   --no-hugo  leave Hugo out
#
# Prints a Markdown report on stdout (a copy goes to WORKDIR/report-*.md) and
# progress on stderr; every timed run is logged in WORKDIR/runs.tsv. Times are
# medians of wall seconds, memory the peak RSS, both from /usr/bin/time.
# Never writes into public/. `make bench` runs it; `make test` never does.
# See README.md beside this file.
#
# Output folders are not deleted between runs but moved aside (renamed)
# and deleted at the end, or before a size when the disk would be too full,
# and then the builds wait six minutes: on an ext4 without a journal (as on
# this project's machines) the inode allocator skips, one by one, the
# inodes freed in the last 60 to 360 seconds (recently_deleted() in
# fs/ext4/ialloc.c), so a build that follows the deletion of 50,000 files
# spends seconds in the kernel for what was deleted, not for what it
# builds.  One extra row measures haichao's full build right after
# deleting its previous output, to show that cost.
# shellcheck disable=SC2317 # the prep_* functions are called through measure()
set -uo pipefail
export LC_ALL=C

usage() {
	echo "usage: tests/bench/run.sh [-r RUNS] [-w WORKDIR] [--no-hugo] [N...]" >&2
	sed -n '8,12p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}
die() {
	echo "bench: $*" >&2
	exit 2
}
say() { echo "bench: $*" >&2; }

# ---- options -------------------------------------------------------------------
runs=3 work='' hugo_on=1 sizes=()
while [ $# -gt 0 ]; do
	case $1 in
	-r) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
	-r*) runs=${1#-r}; shift ;;
	-w) [ $# -ge 2 ] || usage; work=$2; shift 2 ;;
	-w*) work=${1#-w}; shift ;;
	--no-hugo) hugo_on=0; shift ;;
	-h | --help) usage ;;
	--) shift; sizes+=("$@"); break ;;
	-*) echo "bench: unknown option '$1'" >&2; usage ;;
	*) sizes+=("$1"); shift ;;
	esac
done
if [ ${#sizes[@]} -eq 0 ]; then
	# shellcheck disable=SC2206 # BENCH_N is a blank-separated list
	sizes=(${BENCH_N:-1000 10000 50000})
fi
[ ${#sizes[@]} -gt 0 ] || usage
for n in "${sizes[@]}"; do
	[[ $n =~ ^[1-9][0-9]*$ ]] || die "'$n' is not a number of articles"
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "-r wants a positive number of runs, not '$runs'"

# ---- where things are ------------------------------------------------------------
# The kit is shared/bench beside the repository: ../shared/bench from its root.
kit_rel=$(dirname "$0")/../../../shared/bench
here=$(cd "$(dirname "$0")" && pwd -P) || exit 2
root=$(cd "$here/../.." && pwd -P) || exit 2
# -w is relative to where the script was called from; the default to the repository.
case $work in
'') work=$root/build/bench ;;
/*) ;;
*) work=$PWD/$work ;;
esac
bin=$root/generator/haichao
templates=$root/templates

if [ ! -d "$kit_rel" ]; then
	echo "bench: the shared benchmark kit is absent ($kit_rel): nothing was measured."
	echo "bench: skipped, for N = ${sizes[*]}: generating the corpora, the haichao full build," \
		"no-op rebuild and one-article rebuild, Hugo, and the cmark floor."
	exit 0
fi
kit=$(cd "$kit_rel" && pwd -P) || exit 2
for f in gen_corpus.py hugo_prepare.sh cmark_floor.c; do
	[ -f "$kit/$f" ] || die "$kit/$f: missing from the kit"
done
[ -x "$bin" ] || die "$bin: not built (run 'make bench', or 'make generator/haichao' first)"
command -v python3 >/dev/null || die "python3 is needed to generate the corpora"

# Never anything inside public/: check the path as written, then as resolved.
in_public() { case $1/ in "$root"/public/* | "$pub"/*) return 0 ;; esac; return 1; }
pub=$(cd "$root/public" 2>/dev/null && pwd -P) || pub=$root/public
in_public "$work" && die "$work is inside public/: choose another -w"
mkdir -p "$work" || exit 2
work=$(cd "$work" && pwd -P) || exit 2
in_public "$work" && die "$work is inside public/: choose another -w"
cd "$root" || exit 2

# One run at a time per work folder: corpora and outputs are shared.
exec 9>"$work/.lock"
flock -n 9 || die "another benchmark is running in $work (it holds $work/.lock)"

skipped=()
skip() {
	say "$*"
	skipped+=("$*")
}

is_root() { [ "$(id -u)" = 0 ]; }
apt_install() { # PACKAGE: install a Debian package, updating the lists once if needed
	local log=$work/apt.log
	say "installing the Debian package '$1' (log: $log)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y "$1" >>"$log" 2>&1 ||
		{ DEBIAN_FRONTEND=noninteractive apt-get update >>"$log" 2>&1 &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y "$1" >>"$log" 2>&1; }
}

if [ ! -x /usr/bin/time ]; then
	if is_root && command -v apt-get >/dev/null; then
		apt_install time || die "could not install the Debian package 'time' (GNU time)"
	fi
	[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time, Debian package 'time') is needed: install it and run again"
fi

if [ $hugo_on = 0 ]; then
	skip "Hugo: left out (--no-hugo)"
elif ! command -v hugo >/dev/null; then
	if is_root && command -v apt-get >/dev/null; then
		apt_install hugo || true
	fi
	if ! command -v hugo >/dev/null; then
		if is_root; then
			skip "Hugo: not installed, and 'apt-get install hugo' failed (see $work/apt.log): Hugo left out"
		else
			skip "Hugo: not installed, and not root to install it (apt-get install hugo): Hugo left out"
		fi
		hugo_on=0
	fi
fi

# The floor, built here from the kit's source.
floor=$work/cmark_floor
if [ ! -x "$floor" ] || [ "$kit/cmark_floor.c" -nt "$floor" ]; then
	# shellcheck disable=SC2046 # the pkg-config flags are meant to split
	if ! pkg-config --exists libcmark 2>/dev/null ||
		! cc -O2 -o "$floor" "$kit/cmark_floor.c" $(pkg-config --cflags --libs libcmark) 2>"$work/cmark_floor.log"; then
		rm -f "$floor"
		skip "cmark floor: cannot build cmark_floor (needs cc and libcmark-dev; see $work/cmark_floor.log): floor left out"
		floor=
	fi
fi

log=$work/runs.tsv
[ -f "$log" ] || printf 'date\tN\tmeasure\trun\twall_s\tpeak_kb\n' >"$log"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
report=$work/report-$stamp.md
# The report goes to stdout and, as it is written, to $report.
exec 3>&1 > >(tee "$report")
tee_pid=$!
failed=0

# ---- helpers ---------------------------------------------------------------------
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
num() { printf '%s' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|[^0-9]\)/\1,\2\3/; ta'; } # 12345 -> 12,345
div() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "–"; else printf f "\n", a / b }'; }
ratio() { # WALL_A WALL_B: a / b, with a time under the timer's resolution said so
	case $1 in
	0 | 0.0 | 0.00) [ -n "$2" ] && echo "< 0.01" || echo "–" ;;
	*) div "$1" "$2" ;;
	esac
}
mib() { [ -n "$1" ] && awk -v k="$1" 'BEGIN {printf "%.0f\n", k / 1024}' || echo "–"; }
mb() { awk -v b="$1" 'BEGIN {printf "%.1f MB\n", b / 1e6}'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# measure KEY DIR STDIN PREP CMD...
#   Runs PREP RUN (a function; RUN is 0 for the warm-up, then 1..RUNS) and
#   then CMD in DIR with stdin from STDIN, 1 + RUNS times; times the last RUNS
#   with /usr/bin/time. Sets M_WALL and M_RSS (medians) and M_RUN (a run
#   with the median time, for its log); the stderr of run I is in
#   $logs/KEY.I.err. Returns 1, having said why, if a run fails.
measure() {
	local key=$1 dir=$2 in=$3 prep=$4 i st w p walls=() peaks=() tf
	tf=$logs/$key.time
	shift 4
	M_WALL='' M_RSS='' M_RUN=''
	for ((i = 0; i <= runs; i++)); do
		say "N=$n: $key, $([ $i = 0 ] && echo warm-up || echo "run $i/$runs")"
		"$prep" "$i" || { say "N=$n: $key: preparing run $i failed"; return 1; }
		if [ $i = 0 ]; then
			(cd "$dir" && exec "$@") <"$in" >/dev/null 2>"$logs/$key.$i.err"
		else
			(cd "$dir" && exec /usr/bin/time -f '%e %M' -o "$tf" "$@") <"$in" >/dev/null 2>"$logs/$key.$i.err"
		fi
		st=$?
		if [ $st != 0 ]; then
			say "N=$n: $key: '$*' exited with status $st; the end of its stderr ($logs/$key.$i.err):"
			tail -n 15 "$logs/$key.$i.err" | sed 's/^/    /' >&2
			return 1
		fi
		[ $i = 0 ] && continue
		read -r w p < <(tail -n 1 "$tf")
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$n" "$key" "$i" "$w" "$p" >>"$log"
		walls[i]=$w peaks[i]=$p
	done
	rm -f "$tf"
	M_WALL=$(median "${walls[@]}")
	M_RSS=$(median "${peaks[@]}")
	# the run whose time is the (lower) median
	M_RUN=$(for i in "${!walls[@]}"; do echo "${walls[i]} $i"; done | sort -g | awk -v m=$(((runs + 1) / 2)) 'NR == m {print $2}')
}

# The median over the timed runs of MEASUREMENT of one stage's time, in ms,
# from the "haichao: timing: STAGE MS ms CPU ms CPU RSS MiB" lines of
# HAICHAO_TIMING=1.
stage_median() { # MEASUREMENT STAGE
	local i ms=()
	for ((i = 1; i <= runs; i++)); do
		ms+=("$(sed -n "s/^haichao: timing: *$2 *\([0-9.]*\) ms.*/\1/p" "$logs/$1.$i.err")")
	done
	median "${ms[@]}"
}

# haichao's closing line: "haichao: A articles, P pages; W files written, U
# unchanged, R removed, in DIR/; ...", or "haichao: DIR/ is up to date: 0 files
# written" when its no-op check found nothing to do (no page produced).
summary() { # ERRFILE -> "P W U R"
	sed -n -e 's/^haichao: [0-9]* articles\{0,1\}, \([0-9]*\) pages\{0,1\}; \([0-9]*\) files\{0,1\} written, \([0-9]*\) unchanged, \([0-9]*\) removed.*/\1 \2 \3 \4/p' \
		-e 's/^haichao: .* is up to date: \([0-9]*\) files\{0,1\} written.*/0 \1 - -/p' "$1" | tail -n 1
}

row() { # NAME WALL PAGES WRITTEN RSS_KB
	local pps
	pps=–
	[ "${3:-0}" = 0 ] || pps=$(div "$3" "$2" "%.0f")
	echo "| $1 | ${2:-–} | $(num "${3:-–}") / $(num "${4:-–}") | $(num "$pps") | $(mib "$5") |"
}

# ---- the one-article edit: a sentence appended, restored byte for byte -----------
# The original is kept (cp -p: bytes, mode, mtime) in cN/edit-backup/ until it
# is back in place, so a run killed even with SIGKILL is repaired by the next.
restore_edit() {
	local b f
	for b in "$work"/c*/edit-backup/*.md; do
		[ -f "$b" ] || continue
		f=${b%/edit-backup/*}/content/articles/${b##*/}
		if ! cp -p "$b" "$f" || ! cmp -s "$b" "$f"; then
			echo "bench: could not restore $f from $b" >&2
			return 1
		fi
		rm -f "$b"
	done
	return 0
}
trap 'restore_edit; empty_retired' EXIT
trap 'exit 130' INT TERM
restore_edit || die "a corpus could not be restored: fix it or delete it"

edit_file='' edit_backup=''
prep_edit() { # RUN: the article is the original plus one sentence naming RUN
	[ -f "$edit_backup" ] || { mkdir -p "${edit_backup%/*}" && cp -p "$edit_file" "$edit_backup"; } || return 1
	{ cat "$edit_backup" && printf '\n基准测试第 %d 次修改时在文末追加了这一句。\n' "$1"; } >"$edit_file"
}
prep_none() { :; }
# Outputs are renamed into $work/retired/ (no inode freed) and deleted at
# the end; see the top of this file.
retire() { # PATH...
	local p
	# Off ext4 nothing ages, so an output goes at once: on tmpfs a kept
	# one is memory (16 GB by the end of N = 10,000, and Hugo was then
	# killed for memory).
	if [ "$(stat -f -c %T "$work" 2>/dev/null)" != ext2/ext3 ]; then
		rm -rf "$@"
		return
	fi
	mkdir -p "$work/retired" || return 1
	for p in "$@"; do
		[ -e "$p" ] || [ -L "$p" ] || continue
		mv "$p" "$(mktemp -d "$work/retired/XXXXXX")/" || return 1
	done
}
empty_retired() { # deletes what was retired; the time is kept for settle
	[ -d "$work/retired" ] || return 0
	say "deleting the outputs of earlier runs ($(du -sh "$work/retired" | cut -f1))"
	rm -rf "$work/retired" && sync
	date +%s >"$work/deleted-at"
}
settle() { # waits until the last deletion is more than six minutes old
	local left deleted_at
	deleted_at=$(cat "$work/deleted-at" 2>/dev/null) || return 0
	# Only ext4 ages its freed inodes (stat calls it ext2/ext3): on tmpfs
	# and the rest there is nothing to wait for.
	[ "$(stat -f -c %T "$work" 2>/dev/null)" = ext2/ext3 ] || return 0
	left=$((deleted_at + 365 - $(date +%s)))
	if [ "$left" -gt 0 ]; then
		say "waiting ${left} s for the inodes deleted at $(date -u -d "@$deleted_at" +%T) to age (see the top of run.sh)"
		sleep "$left"
	fi
}
# Full builds start with no earlier output still being written back to
# disk (a build's 1.6 GB would otherwise compete with the next one's) and,
# where the bench may (root), with the page cache holding only its input:
# earlier outputs fill memory with clean pages, and a build that must
# reclaim them as it writes spends twice the system time, more or less
# depending on the run before (seen: 2.3 s and 5.6 s for one build).
drop_cache=0
[ -w /proc/sys/vm/drop_caches ] && drop_cache=1
fresh_memory() { # DIR...: sync; empty the page cache; read DIR... back in
	sync || return 1
	[ $drop_cache = 1 ] || return 0
	echo 1 >/proc/sys/vm/drop_caches || return 1
	find "$@" -type f -exec cat {} + >/dev/null
}
prep_fresh() { retire "$out" "$out".* && fresh_memory "$content"; } # with haichao's staging folder and cache beside it
prep_deleted() { rm -rf "$out" "$out".* && fresh_memory "$content" && date +%s >"$work/deleted-at"; }
prep_nocache() { rm -rf "$out".*; }
prep_hugo() { retire "$site/public" && fresh_memory "$site"; }
prep_floor() { retire "$floor_out" && mkdir -p "$floor_out" && fresh_memory "$content"; }
prep_copy() { retire "$copy_out" && mkdir -p "$copy_out" && fresh_memory "$out"; }

# haichao serve's measurement needs Node.js, playwright-core in
# tests/node_modules and Chromium; its temporary output goes to /dev/shm.
serve_ok='' serve_edits=${BENCH_SERVE_EDITS:-11} serve_mem=${BENCH_SERVE_MEM_EDITS:-1000}
serve_tmp=${TMPDIR:-/tmp}
[ -d /dev/shm ] && serve_tmp=/dev/shm
if ! command -v node >/dev/null || [ ! -f "$root/tests/node_modules/playwright-core/package.json" ] ||
	[ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
	skip "haichao serve: needs node, tests/node_modules/playwright-core (npm ci --prefix tests) and Chromium: left out"
else
	serve_ok=1
fi

# ---- machine facts ---------------------------------------------------------------
hugo_version=-
[ $hugo_on = 1 ] && hugo_version=$(hugo version 2>/dev/null | sed 's/ BuildDate=[^ ]*//')
cmark_lib=$(pkg-config --modversion libcmark 2>/dev/null || echo "not found")
cmark_cli=$(cmark --version 2>/dev/null | head -n 1)
rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "?")
[ -n "$(git -C "$root" --no-optional-locks status --porcelain -- generator templates 2>/dev/null)" ] && rev="$rev + uncommitted changes in generator/ or templates/"
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)

echo "# haichao benchmark, $(date -u '+%F %H:%M UTC')"
echo
echo "- machine: $(nproc) CPUs${cpu:+ ($cpu)}, $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, Linux $(uname -r); load average at the start: $(loadavg)"
echo "- haichao: $("$bin" --version 2>&1 | head -n 1) (git $rev), default -j ($(nproc) threads)"
echo "- Hugo: ${hugo_version:--}"
echo "- cmark: libcmark $cmark_lib${cmark_cli:+; CLI: $cmark_cli}; floor: the kit's cmark_floor.c, cc -O2, one thread"
echo "- $runs timed run(s) per measurement after one untimed warm-up; medians. Raw runs: ${log#"$root"/}"
fstype=$(stat -f -c %T "$work" 2>/dev/null)
if [ "$fstype" = tmpfs ]; then
	echo "- Every tool's output is on tmpfs ($work)."
else
	echo "- Outputs are in $work, on ${fstype:-an unknown file system}, not tmpfs: writing costs more there, and more for the tool that writes more (-w /dev/shm/DIR puts them on tmpfs)."
fi
echo "- The machine may be shared: compare ratios within one run, not absolute times across runs."
if [ $drop_cache = 1 ]; then
	echo "- Before each full build (haichao, Hugo, floor) the page cache is emptied and the build's input read back in, so no build pays for reclaiming an earlier one's output."
else
	echo "- The page cache is not emptied before full builds (that needs root): earlier outputs in memory may slow later builds."
fi
echo "- 'pages / files written': HTML pages the run produced / files it wrote (haichao compares with what the output holds and writes only what changed; cmark_floor: documents rendered / files written)."

# ---- per N -------------------------------------------------------------------------
for n in "${sizes[@]}"; do
	c=$work/c$n content=$c/content out=$c/public-haichao site=$c/hugo-site floor_out=$c/floor-out copy_out=$c/copy-out logs=$c/logs
	mkdir -p "$logs"
	if [ "$n" -ge 50000 ]; then
		say "N=$n: this size needs ~$((n * 15 / 1000)) MB of corpus, several GB of output and, with Hugo, tens of GB of memory and a long time (BENCH_N=\"1000 10000\" leaves it out)"
	fi
	# corpus + Hugo site, and every run's outputs until the end
	need_kb=$((n * (300 + 430 * (runs + 1))))
	free_kb=$(df -Pk "$work" | awk 'NR == 2 {print $4}')
	[ "$free_kb" -lt "$need_kb" ] && empty_retired
	free_kb=$(df -Pk "$work" | awk 'NR == 2 {print $4}')
	if [ "$free_kb" -lt "$need_kb" ]; then
		skip "N=$n: skipped: about $((need_kb / 1048576 + 1)) GiB of disk needed in $work, $((free_kb / 1048576)) GiB free"
		continue
	fi
	if [ ! -f "$content/site.yaml" ] || [ ! -d "$content/articles" ]; then
		say "N=$n: generating the corpus in $content"
		rm -rf "$c/content.tmp"
		if ! python3 "$kit/gen_corpus.py" --articles "$n" --out "$c/content.tmp" --quiet ||
			! mv "$c/content.tmp" "$content"; then
			skip "N=$n: skipped: gen_corpus.py failed"
			failed=1
			continue
		fi
	fi
	find "$content/articles" -maxdepth 1 -type f -name '*.md' | sort >"$c/files.txt"
	# what an earlier run left: moved aside, deleted at the end
	retire "$out" "$out".* "$floor_out" "$site" || die "could not move old outputs into $work/retired"
	settle
	nfiles=$(wc -l <"$c/files.txt")
	in_bytes=$(du -sb "$content" | cut -f1)
	echo
	echo "## N = $(num "$n") articles ($(num "$nfiles") Markdown files, $(mb "$in_bytes"))"
	echo
	echo "Load average before: $(loadavg)."
	echo
	echo "| measurement | wall s | pages / files written | pages/s | peak RSS MiB |"
	echo "|---|---:|---:|---:|---:|"
	edit_file='' hf_w='' hf_r='' hd_w='' hn_w='' hc_w='' he_w='' hu_w='' hu_r='' fw_w='' cp_w='' hk1_s='' hkn_s=''
	# (1) full build, from an empty output folder each time
	if measure haichao-full "$root" /dev/null prep_fresh env HAICHAO_TIMING=1 "$bin" build -C "$content" -t "$templates" -o "$out"; then
		hf_w=$M_WALL hf_r=$M_RSS hf_run=$M_RUN
		read -r pages wrote _ _ < <(summary "$logs/haichao-full.$M_RUN.err")
		row "haichao full build (empty output)" "$M_WALL" "$pages" "$wrote" "$M_RSS"
		# (2) no-op rebuild: the same output, nothing changed
		if measure haichao-noop "$root" /dev/null prep_none "$bin" build -C "$content" -t "$templates" -o "$out"; then
			hn_w=$M_WALL
			read -r pages wrote _ _ < <(summary "$logs/haichao-noop.$M_RUN.err")
			row "haichao no-op rebuild" "$M_WALL" "$pages" "$wrote" "$M_RSS"
		else failed=1; fi
		# (2b) the same without what haichao keeps beside its output (its
		# no-op cache): every page produced and compared with the output
		if compgen -G "$out.*" >/dev/null; then
			kept=$(cd "$c" && echo "${out##*/}".*)
			if measure haichao-noop-nocache "$root" /dev/null prep_nocache "$bin" build -C "$content" -t "$templates" -o "$out"; then
				hc_w=$M_WALL
				read -r pages wrote _ _ < <(summary "$logs/haichao-noop-nocache.$M_RUN.err")
				row "haichao no-op rebuild, its cache removed ($kept)" "$M_WALL" "$pages" "$wrote" "$M_RSS"
			else failed=1; fi
		fi
		# (3) one article's body changed (a different sentence each run): the
		# first one without a translation, so that both its pages change
		edit_file=''
		while read -r f; do
			case $f in *.zh.md) [ -f "${f%.zh.md}.en.md" ] || { edit_file=$f; break; } ;; esac
		done <"$c/files.txt"
		[ -n "$edit_file" ] || edit_file=$(grep -m 1 '\.zh\.md$' "$c/files.txt")
		edit_backup=$c/edit-backup/${edit_file##*/}
		if measure haichao-edit1 "$root" /dev/null prep_edit "$bin" build -C "$content" -t "$templates" -o "$out"; then
			he_w=$M_WALL
			read -r pages wrote _ _ < <(summary "$logs/haichao-edit1.$M_RUN.err")
			row "haichao rebuild after one article changed" "$M_WALL" "$pages" "$wrote" "$M_RSS"
		else failed=1; fi
		restore_edit || die "could not restore $edit_file"
		# (3b) copying the output: the floor for writing its bytes and files
		# (haichao's top-level entries, en/, zh/ and the rest, copied side by
		# side on every CPU: what its bytes and files cost to write here)
		if measure copy-output "$root" /dev/null prep_copy sh -c 'cd "$1" && printf "%s\0" * | xargs -0 -P "$2" -I{} cp -r {} "$3/"' sh "$out" "$(nproc)" "$copy_out"; then
			cp_w=$M_WALL
			row "copying haichao's output (cp -r, $(nproc) at once): writing its bytes, nothing computed" "$M_WALL" 0 "$(find "$copy_out" -type f | wc -l)" "$M_RSS"
		else failed=1; fi
		retire "$copy_out"
	else
		failed=1
	fi
	# (3c) loading and rendering alone (`haichao check`: everything read,
	# rendered and checked, nothing written), on one thread and on every
	# CPU: how the render stage scales with threads
	if measure haichao-check-j1 "$root" /dev/null prep_none env HAICHAO_TIMING=1 "$bin" check -C "$content" -j 1; then
		hk1_s=$(stage_median haichao-check-j1 render)
		row "haichao check -j 1: load and render on one thread, nothing written (render stage $hk1_s ms)" "$M_WALL" 0 0 "$M_RSS"
	else failed=1; fi
	if measure haichao-check "$root" /dev/null prep_none env HAICHAO_TIMING=1 "$bin" check -C "$content"; then
		hkn_s=$(stage_median haichao-check render)
		row "haichao check, $(nproc) threads (render stage $hkn_s ms)" "$M_WALL" 0 0 "$M_RSS"
	else failed=1; fi
	# (4) Hugo, with an English page for every article, from a fresh public/
	if [ $hugo_on = 1 ]; then
		if "$kit/hugo_prepare.sh" "$content" "$site" --en-fallback 2>"$logs/hugo_prepare.err"; then
			if measure hugo "$site" /dev/null prep_hugo hugo --quiet; then
				hu_w=$M_WALL hu_r=$M_RSS
				hfiles=$(find "$site/public" -type f | wc -l)
				hpages=$(find "$site/public" -type f -name '*.html' | wc -l)
				hbytes=$(du -sb "$site/public" | cut -f1)
				row "Hugo (--en-fallback, fresh public/)" "$M_WALL" "$hpages" "$hfiles" "$M_RSS"
			else failed=1; fi
		else
			say "N=$n: hugo_prepare.sh failed:"
			sed 's/^/    /' "$logs/hugo_prepare.err" >&2
			skip "N=$n: Hugo: hugo_prepare.sh failed"
			failed=1
		fi
	fi
	# (5) the floor: render only, then render and write
	if [ -n "$floor" ]; then
		if measure floor "$root" "$c/files.txt" prep_none "$floor" -; then
			row "cmark_floor (render only)" "$M_WALL" "$nfiles" 0 "$M_RSS"
		else failed=1; fi
		if measure floor-write "$root" "$c/files.txt" prep_floor "$floor" -o "$floor_out" -; then
			fw_w=$M_WALL
			row "cmark_floor -o (render and write)" "$M_WALL" "$nfiles" "$(find "$floor_out" -type f | wc -l)" "$M_RSS"
		else failed=1; fi
		retire "$floor_out"
	fi
	# (6) haichao's full build right after deleting its previous output
	if [ -n "$hf_w" ] && measure haichao-after-delete "$root" /dev/null prep_deleted "$bin" build -C "$content" -t "$templates" -o "$out"; then
		hd_w=$M_WALL
		read -r pages wrote _ _ < <(summary "$logs/haichao-after-delete.$M_RUN.err")
		row "haichao full build right after deleting its previous output (ext4 without a journal: see run.sh)" "$M_WALL" "$pages" "$wrote" "$M_RSS"
	fi

	echo
	echo "| ratio | value |"
	echo "|---|---:|"
	echo "| Hugo wall / haichao wall (full build) | $(div "$hu_w" "$hf_w") |"
	echo "| haichao wall / floor-with-writes wall | $(div "$hf_w" "$fw_w") |"
	[ -z "$cp_w" ] || echo "| haichao wall / copying its output | $(div "$hf_w" "$cp_w") |"
	echo "| haichao RSS / Hugo RSS | $(div "$hf_r" "$hu_r") |"
	echo "| no-op rebuild / full build | $(ratio "$hn_w" "$hf_w") |"
	[ -z "$hc_w" ] || echo "| no-op rebuild without its cache / full build | $(ratio "$hc_w" "$hf_w") |"
	echo "| one-article rebuild / full build | $(ratio "$he_w" "$hf_w") |"
	[ -z "$hd_w" ] || echo "| full build right after deleting the previous output / full build | $(div "$hd_w" "$hf_w") |"
	[ -z "$hk1_s" ] || [ -z "$hkn_s" ] || echo "| render stage, 1 thread / $(nproc) threads (speed-up; haichao check) | $(div "$hk1_s" "$hkn_s") |"

	if [ -n "$hf_w" ]; then
		err=$logs/haichao-full.$hf_run.err
		echo
		echo "haichao's stages (HAICHAO_TIMING=1) in the full build with the median time (run $hf_run):"
		echo
		echo "| stage | ms | share | CPU ms (all threads) | resident after it, MiB |"
		echo "|---|---:|---:|---:|---:|"
		sed -n 's/^haichao: timing: *\([^ ]*\) *\([0-9.]*\) ms *\([0-9.]*\) ms CPU *\([0-9]*\) MiB$/\1 \2 \3 \4/p' "$err" |
			awk '{s[NR] = $1; t[NR] = $2; c[NR] = $3; m[NR] = $4; sum += $2; csum += $3} END {for (i = 1; i <= NR; i++) printf "| %s | %.1f | %.0f %% | %.1f | %s |\n", s[i], t[i], sum ? 100 * t[i] / sum : 0, c[i], m[i]; printf "| total | %.1f | | %.1f | |\n", sum, csum}'
		echo
		echo "Output and diagnostics:"
		echo
		obytes=$(du -sb "$out" | cut -f1)
		echo "- haichao wrote $(mb "$obytes") in $(num "$(find "$out" -type f | wc -l)") files ($(div "$obytes" "$in_bytes" "%.1f") × the corpus); largest files: $(find "$out" -type f -printf '%s %P\n' | sort -rn | head -n 3 | awk '{printf "%s%s %.1f MB", (NR > 1 ? ", " : ""), $2, $1 / 1e6}')."
		if [ -f "$out/sitemap.xml" ]; then
			urls=$(grep -o '<loc>' "$out/sitemap.xml" | wc -l)
			sbytes=$(wc -c <"$out/sitemap.xml")
			note=
			{ [ "$urls" -gt 50000 ] || [ "$sbytes" -gt 52428800 ]; } && note=": over the sitemap protocol's limit of 50,000 URLs or 50 MiB per file (a sitemap index is needed)"
			echo "- sitemap.xml: $(num "$urls") URLs, $(mb "$sbytes")$note."
		fi
		[ -n "$he_w" ] && echo "- The one-article rebuild appended a sentence to articles/${edit_file##*/} before each run (restored afterwards)."
		[ -n "$hu_w" ] && echo "- Hugo wrote $(mb "$hbytes") in $(num "$hfiles") files."
		warns=$(grep -c ': warning: ' "$err")
		echo "- haichao printed $(num "$(grep -c ': error: ' "$err")") errors and $(num "$warns") warnings$([ "$warns" -gt 0 ] && echo ", by kind:")"
		grep ': warning: ' "$err" | sed -e 's/^.*: warning: //' -e "s/'[^']*'/'…'/g" | sort | uniq -c | sort -rn | head -n 5 |
			awk '{c = $1; sub(/^ *[0-9]+ /, ""); printf "  - %d × %s\n", c, $0}'
	fi
	# (7) haichao serve: an editor's save to the open page reloaded, and
	# the server's memory over many edits (tests/bench/serve.mjs)
	if [ -n "$edit_file" ] && [ -n "$serve_ok" ]; then
		mkdir -p "${edit_backup%/*}" && cp -p "$edit_file" "$edit_backup"
		say "N=$n: haichao serve: $serve_edits timed edits in Chromium, then $serve_mem edits for memory"
		if sres=$(node "$here/serve.mjs" "$bin" "$content" "$templates" "$edit_file" "$serve_edits" "$serve_mem" 2>"$logs/serve.err"); then
			sv() { printf '%s\n' "$sres" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
			echo
			echo "\`haichao serve\` (its output in $serve_tmp; $(sv mem_edits) + $((serve_edits + 1)) edits of articles/${edit_file##*/}, restored afterwards):"
			echo
			echo "| measurement | value |"
			echo "|---|---:|"
			echo "| save → the open page reloaded with the new text (Chromium's load event), median of $serve_edits edits (min–max) | $(sv reload_ms_median) ms ($(sv reload_ms_min)–$(sv reload_ms_max)) |"
			echo "| save → reload event on the stream, mean over $(sv mem_edits) edits (one build each) | $(sv edit_to_event_ms_mean) ms |"
			echo "| server RSS before / after $(sv mem_edits) edits | $(div "$(sv rss_before_kb)" 1024 %.1f) / $(div "$(sv rss_after_kb)" 1024 %.1f) MiB |"
			echo "| server RSS every $(( $(sv mem_edits) / 10 )) edits, KiB | $(sv rss_samples_kb | tr ',' ' ') |"
			printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$n" serve-reload - "$(sv reload_ms_median)" "$(sv rss_after_kb)" >>"$log"
		else
			say "N=$n: haichao serve: tests/bench/serve.mjs failed ($logs/serve.err):"
			tail -n 15 "$logs/serve.err" | sed 's/^/    /' >&2
			failed=1
		fi
		restore_edit || die "could not restore $edit_file"
	fi
	# (8) search: its index, bytes and time per query, beside Pagefind on the same output
	if [ -f "$out/zh/search/meta.js" ]; then
		"$here/search.sh" "$out" "$c/search" || failed=1
	fi
	echo
	echo "Load average after: $(loadavg)."
	[ $hugo_on = 1 ] && retire "$site" # regenerated from the corpus every run
done

if [ ${#skipped[@]} -gt 0 ]; then
	echo
	echo "## Skipped"
	echo
	printf -- '- %s\n' "${skipped[@]}"
fi
exec >&3 3>&-
wait "$tee_pid"
say "report saved as $report"
[ $failed = 0 ] || say "some measurements failed: see above"
exit $failed
