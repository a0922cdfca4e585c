#!/usr/bin/env bash
# faults.sh [HAICHAO] [SECTION...] — builds that meet faults: public/ is always the old
# tree or the new one, and the next build equals a clean build.
#
# On a generated corpus (the shared kit's gen_corpus.py, FAULTS_ARTICLES
# articles, default 40; the repository's content/ when the kit is absent)
# in three versions — X, Y (three articles edited, one added, one removed)
# and Z (X with a new site title, so every page changes) — it builds each
# version into a fresh folder once for reference, then, on one output
# folder holding the host's dot files (.git/, .well-known/):
#   kill      FAULTS_KILLS builds (default 16) killed with SIGKILL at a
#             random moment (FAULTS_SEED), alternating X and Y, some with
#             the build cache or the mirror removed first;
#   enospc    (root: a small tmpfs) a build of Z into a full file system,
#             out of blocks at several levels, then out of inodes;
#   eacces    (as root: run as nobody) the folder holding public/
#             read-only (with the last build's mirror beside it), a
#             folder of the mirror read-only, public/ itself read-only
#             while it holds dot files;
#   parallel  two builds at once into a folder that does not exist yet and
#             into an existing one; a build that waits for one killed
#             while holding the lock;
#   cache     the build cache truncated, bit-flipped, from another site or
#             an older format, a FIFO, 64 GB long (sparse);
#   mirror    the last build's mirror replaced by a link to public/, or
#             by a file;
#   restored  public/ put back from a copy of an older tree (cp -a, and
#             cp without keeping times) while the cache is newer, with the
#             mirror and without it;
#   halfswap  what a build stopped between the two renames of the swap's
#             fallback leaves (no public/, the old tree aside, the new one
#             whole in its staging folder), made by hand: the next build
#             makes the new tree public/.
# With HAICHAO_NO_EXCHANGE=1 in the environment (make test's
# faults-rename step) every build publishes through that fallback, as on
# a file system without renameat2(RENAME_EXCHANGE); a build killed
# between its two renames may then leave no public/ (counted, and only
# allowed then) until the next build.
# After each fault: public/ is, file for file (sha256 of every file and the
# list of entries), X, Y or Z as the case allows; then a normal build of the
# current version must exit 0 and equal its reference, leave no staging
# folder behind, keep the dot files, and say that it removed what a
# stopped build left.  Steps that need root say SKIP and why.
# SECTIONs (default: all) are kill, enospc, eacces, parallel, cache,
# mirror, restored, halfswap.  HAICHAO defaults to generator/haichao.  Exit status: 0 good,
# 1 a check failed, 77 every section asked for was skipped.
set -u

. "$(dirname "$0")/lib.sh"
# tmpfs when there is one: this disk is slow to create files right after
# many were deleted, and these checks do little else.
[ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm
check_setup faults "${1:-}"
shift
sections=${*:-kill enospc eacces parallel cache mirror restored halfswap}
want() { case " $sections " in *" $1 "*) return 0 ;; esac; return 1; }
mnt=
cleanup() {
	[ -n "$mnt" ] && umount "$mnt" 2>/dev/null
	chmod -R u+rwX "$tmp" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export LC_ALL=C

kills=${FAULTS_KILLS:-16}
articles=${FAULTS_ARTICLES:-40}
seed=${FAULTS_SEED:-$$}
skipped=""
echo "faults: seed $seed (FAULTS_SEED=$seed repeats this run)"

# ---- the three versions --------------------------------------------------------
kit=
for k in "$root/../shared/bench" "$root/../../shared/bench"; do
	[ -f "$k/gen_corpus.py" ] && { kit=$k; break; }
done
w=$tmp/w
mkdir -p "$w"
if [ -n "$kit" ] && python3 "$kit/gen_corpus.py" --articles "$articles" \
    --out "$tmp/vX" --quiet --jobs 1 >/dev/null 2>&1; then
	:
else
	echo "faults: the bench kit's gen_corpus.py is absent: using content/"
	rm -rf "$tmp/vX"
	cp -R "$root/content" "$tmp/vX"
fi
cp -R "$root/templates" "$tmp/templates"

# An article no other file names (so removing it breaks no cross-link),
# and three others to edit.
cd "$tmp/vX/articles" || exit 1
victim=
for f in *.zh.md; do
	slug=${f%.zh.md}
	[ -d "$slug" ] && continue
	if ! grep -rqF "$slug" --exclude="$slug.*" . ..; then
		victim=$slug
		break
	fi
done
cd "$root" || exit 1
[ -n "$victim" ] || { fail "no article that nothing links to, to remove"; check_done; }
edits=$(cd "$tmp/vX/articles" && ls *.zh.md | grep -v "^$victim\." | head -3)
cp -R "$tmp/vX" "$tmp/vY"
for f in $edits; do
	printf '\n追加的一段话，来自故障测试。\n' >>"$tmp/vY/articles/$f"
done
rm -f "$tmp/vY/articles/$victim".*.md
first=$(echo "$edits" | head -1)
sed 's/^title: .*/title: 故障测试新增/' "$tmp/vX/articles/$first" >"$tmp/vY/articles/zz-fault-added.zh.md"
cp -R "$tmp/vX" "$tmp/vZ"
sed -i '0,/^  zh: /s/^  zh: .*/  zh: 故障测试站点/' "$tmp/vZ/site.yaml"
cmp -s "$tmp/vX/site.yaml" "$tmp/vZ/site.yaml" && fail "could not change the site title for Z"
# The files that differ between versions: switching copies only these,
# so the cache sees what changed and nothing else.
changed="site.yaml articles/zz-fault-added.zh.md"
for f in $edits "$victim".zh.md "$victim".en.md; do
	changed="$changed articles/$f"
done

# snap DIR: every entry under DIR but the dot entries at its top, with the
# sha256 of each file: two trees are the same when their snaps are.
snap() {
	(cd "$1" && find . -mindepth 1 -path './.*' -prune -o -printf '%y %p\n' |
	    sort && find . -mindepth 1 -path './.*' -prune -o -type f -print0 |
	    sort -z | xargs -0 -r sha256sum)
}

for v in X Y Z; do
	"$bin" build -C "$tmp/v$v" -t "$tmp/templates" -o "$tmp/ref$v" >/dev/null 2>"$tmp/err" ||
	    { cat "$tmp/err"; fail "the reference build of $v failed"; check_done; }
	snap "$tmp/ref$v" >"$tmp/snap$v"
done
cmp -s "$tmp/snapX" "$tmp/snapY" && fail "X and Y give the same output"

# switch V: makes $w/content version V.
switch() {
	[ -d "$w/content" ] || cp -R "$tmp/v$1" "$w/content"
	for f in $changed; do
		if [ -e "$tmp/v$1/$f" ]; then
			cmp -s "$tmp/v$1/$f" "$w/content/$f" || cp "$tmp/v$1/$f" "$w/content/$f"
		else
			rm -f "$w/content/$f"
		fi
	done
	current=$1
}

# build [OUT]: a build of $w/content into OUT (default $w/pub), run as
# $as (a command prefix); stderr in $tmp/err.
as=
build() {
	$as "$bin" build -C "$w/content" -t "$tmp/templates" -o "${1:-$w/pub}" \
	    >/dev/null 2>"$tmp/err"
}

# is WHAT V...: public/ ($out, default $w/pub) is one of the versions (or,
# through the fallback of HAICHAO_NO_EXCHANGE, missing: got=none).
halfswaps=0
is() {
	what=$1
	shift
	if [ -n "${HAICHAO_NO_EXCHANGE:-}" ] && [ ! -e "${out:-$w/pub}" ]; then
		got=none
		halfswaps=$((halfswaps + 1))
		return 0
	fi
	snap "${out:-$w/pub}" >"$tmp/snap"
	for v in "$@"; do
		cmp -s "$tmp/snap" "$tmp/snap$v" && { got=$v; return 0; }
	done
	fail "$what: public/ is none of $* ($(diff "$tmp/snap$1" "$tmp/snap" | grep -c '^[<>]') lines differ from $1)"
	diff "$tmp/snap$1" "$tmp/snap" | head -6
	got=
	return 1
}

# complete WHAT: the build after a fault: exit 0, equal to the reference
# of the current version, no staging folder left, the dot files kept, and
# a word for each staging folder a stopped build left.
complete() {
	dir=$(dirname "${out:-$w/pub}")
	base=$(basename "${out:-$w/pub}")
	left=$(ls -d "$dir/$base".staging-* 2>/dev/null | wc -l)
	leftovers=$((leftovers + left))
	if ! build "${out:-}"; then
		cat "$tmp/err"
		fail "$1: the next build failed"
		return 1
	fi
	is "$1: the next build" "$current" || return 1
	if ls -d "$dir/$base".staging-* >/dev/null 2>&1; then
		fail "$1: a staging folder is left after the next build"
	fi
	said=$(grep -c "removed .*left by a build that was stopped\|left whole by a build stopped" "$tmp/err")
	if [ "$said" -ne "$left" ]; then
		cat "$tmp/err"
		fail "$1: $left staging folder(s) were left, the next build said $said"
	fi
	if [ -n "${dots:-}" ] && { [ ! -f "${out:-$w/pub}/.git/HEAD" ] ||
	    [ ! -f "${out:-$w/pub}/.well-known/security.txt" ]; }; then
		fail "$1: the dot files at the top of public/ are gone"
	fi
}

leftovers=0
add_dots() {
	mkdir -p "$1/.git" "$1/.well-known"
	echo "ref: refs/heads/main" >"$1/.git/HEAD"
	echo "Contact: mailto:x@example.com" >"$1/.well-known/security.txt"
	dots=yes
}

# rand MAX_MS: a random number of milliseconds below MAX_MS.
rng=$seed
rand() {
	rng=$(( (rng * 1103515245 + 12345) % 2147483648 ))
	echo $(( rng % $1 ))
}

# ms COMMAND...: how long it took, in milliseconds.
ms() {
	s=$(date +%s%N)
	"$@"
	echo $(( ($(date +%s%N) - s) / 1000000 ))
}

switch X
build || { cat "$tmp/err"; fail "the first build failed"; check_done; }
add_dots "$w/pub"

# ---- kill -9 --------------------------------------------------------------------
if want kill; then
	switch Y
	t_inc=$(ms build)
	rm -f "$w/pub.haichao-cache"
	switch X
	t_full=$(ms build)
	old=X new=Y neither=0 before=0 after=0
	for i in $(seq 1 "$kills"); do
		switch $new
		limit=$t_inc
		case $((i % 4)) in
		1) rm -f "$w/pub.haichao-cache"; limit=$t_full ;;
		3) rm -rf "$w/pub.haichao-mirror" ;;
		esac
		"$bin" build -C "$w/content" -t "$tmp/templates" -o "$w/pub" >/dev/null 2>&1 &
		pid=$!
		# Half the kills at a random moment of the whole build, half
		# at one of its publishing (from when its staging folder
		# appears), which is short but where the danger is.
		when=
		if [ $((i % 2)) -eq 0 ]; then
			while kill -0 $pid 2>/dev/null && ! [ -d "$w/pub.staging-$pid" ]; do
				sleep 0.002
			done
			when=" of publishing"
			limit=$((limit / 3))
		fi
		delay=$(rand $((limit + 1)))
		sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		if is "kill $i after ${delay} ms$when" $old $new; then
			case $got in
			"$old") before=$((before + 1)) ;;
			"$new") after=$((after + 1)) ;;
			esac
		else
			neither=$((neither + 1))
		fi
		complete "kill $i after ${delay} ms$when"
		old=$new
		new=$([ "$new" = X ] && echo Y || echo X)
	done
	echo "faults: kill: $kills builds killed (full build ${t_full} ms, incremental ${t_inc} ms): public/ was the old tree $before times, the new one $after times${HAICHAO_NO_EXCHANGE:+, missing between the two renames of the fallback $halfswaps times}; the next builds removed $leftovers staging folders (${SECONDS} s)"
fi

# ---- ENOSPC ------------------------------------------------------------------------
if want enospc; then
	if [ "$(id -u)" -ne 0 ]; then
		skipped="$skipped enospc (needs root for a small tmpfs)"
		echo "SKIP faults/enospc: not root, so no small tmpfs can be mounted"
	else
		mkdir -p "$tmp/small"
		tree_kb=$(du -sk "$tmp/refZ" | cut -f1)
		files=$(find "$tmp/refZ" | wc -l)
		enospc_round() { # NAME FREE_KB
			switch X
			build || { cat "$tmp/err"; fail "$1: the build of X failed"; return; }
			switch Z
			avail=$(df -k --output=avail "$mnt" | tail -1)
			fill=$((avail - $2))
			[ "$fill" -gt 0 ] && fallocate -l "${fill}k" "$mnt/filler" 2>/dev/null
			if build; then
				is "$1: a build that succeeded" Z
			else
				grep -q "No space left on device" "$tmp/err" ||
				    { cat "$tmp/err"; fail "$1: the failure does not say No space left on device"; }
				is "$1: a build that failed" X
			fi
			rm -f "$mnt/filler"
			complete "$1"
		}
		mnt=$tmp/small
		if ! mount -t tmpfs -o size=$((tree_kb * 3 + 4096))k tmpfs "$mnt" 2>"$tmp/err"; then
			mnt=
			skipped="$skipped enospc (mount -t tmpfs failed: $(head -1 "$tmp/err"))"
			echo "SKIP faults/enospc: mount -t tmpfs failed"
		else
			saved_w=$w
			w=$mnt
			switch X
			build && add_dots "$w/pub"
			for free in $((tree_kb / 10)) $((tree_kb / 3)) $((tree_kb * 2 / 3)) $((tree_kb - 64)); do
				enospc_round "enospc with ${free} KiB free" "$free"
			done
			umount "$mnt"
			# Out of inodes rather than blocks.
			if mount -t tmpfs -o size=$((tree_kb * 3 + 4096))k,nr_inodes=$((files * 2 + files / 2)) tmpfs "$mnt"; then
				switch X
				build && add_dots "$w/pub"
				switch Z
				# Every page is new: the staging folder needs a whole
				# tree of inodes, and the mirror holds another.
				if build; then
					is "enospc (inodes): a build that succeeded" Z
				else
					is "enospc (inodes): a build that failed" X
				fi
				umount "$mnt"
			fi
			mnt=
			w=$saved_w
			echo "faults: enospc: builds into a full tmpfs left the old tree or the new one (${SECONDS} s)"
		fi
	fi
	dots=yes
fi

# ---- EACCES --------------------------------------------------------------------------
if want eacces; then
	# As root, permissions do not apply: the builds run as nobody, in a
	# folder of nobody's.
	perm=$tmp/perm
	mkdir -p "$perm"
	cp -R "$w/content" "$perm/content"
	if [ "$(id -u)" -eq 0 ]; then
		chmod 755 "$tmp"
		chown -R 65534:65534 "$perm"
		as="setpriv --reuid=65534 --regid=65534 --clear-groups"
		$as test -x "$bin" || { as=; skipped="$skipped eacces (nobody cannot run $bin)"; }
	fi
	if [ "$(id -u)" -ne 0 ] || [ -n "$as" ]; then
		saved_w=$w
		w=$perm
		switch X
		build || { cat "$tmp/err"; fail "eacces: the first build failed"; }
		$as sh -c "mkdir -p '$w/pub/.git' '$w/pub/.well-known' && echo x >'$w/pub/.git/HEAD' && echo x >'$w/pub/.well-known/security.txt'"
		# A second build leaves a mirror, which the failing one must not
		# empty: the next would take that for the last build's tree.
		switch Y
		build || { cat "$tmp/err"; fail "eacces: the second build failed"; }
		[ -d "$w/pub.haichao-mirror" ] || fail "eacces: the second build left no mirror"
		switch X
		chmod 555 "$w"
		if build; then
			fail "eacces: a build beside which nothing can be created succeeded"
		else
			grep -q "Permission denied" "$tmp/err" || { cat "$tmp/err"; fail "eacces: no Permission denied"; }
		fi
		is "eacces: the folder holding public/ read-only" Y
		chmod 755 "$w"
		complete "eacces: the folder holding public/ read-only"
		switch Y
		chmod 555 "$w/pub.haichao-mirror/zh"
		build
		is "eacces: a folder of the mirror read-only" X Y
		complete "eacces: a folder of the mirror read-only"
		switch X
		chmod 555 "$w/pub"
		build
		is "eacces: public/ read-only, with dot files" X Y
		[ "$got" = Y ] && ! grep -q "cannot swap in" "$tmp/err" &&
		    { cat "$tmp/err"; fail "eacces: public/ read-only: the failure does not say why"; }
		chmod 755 "$w/pub" 2>/dev/null
		complete "eacces: public/ read-only, with dot files"
		w=$saved_w
		as=
		echo "faults: eacces: permission errors left the old tree or the new one (${SECONDS} s)"
	fi
fi

# ---- two builds at once ------------------------------------------------------------
if want parallel; then
	switch Y
	for where in new existing; do
		out=$w/par-$where/pub
		mkdir -p "$w/par-$where"
		# An existing folder without its cache: both builds take a while.
		[ $where = existing ] && build "$out" && rm -f "$w/par-$where/pub.haichao-cache"
		build "$out" &
		a=$!
		"$bin" build -C "$w/content" -t "$tmp/templates" -o "$out" >/dev/null 2>"$tmp/err2" &
		b=$!
		wait $a
		sa=$?
		wait $b
		sb=$?
		[ $sa -eq 0 ] && [ $sb -eq 0 ] || { cat "$tmp/err" "$tmp/err2"; fail "parallel ($where folder): exit statuses $sa and $sb"; }
		is "parallel ($where folder)" Y
		ls "$w/par-$where" | grep -q staging && fail "parallel ($where folder): a staging folder is left"
		cat "$tmp/err" "$tmp/err2" | grep -q "waiting for it to finish" ||
		    echo "faults: parallel ($where folder): the builds did not overlap"
	done
	# The lock dies with its holder: a build waiting for a killed one goes on.
	out=$w/par-existing/pub
	rm -f "$w/par-existing/pub.haichao-cache"
	"$bin" build -C "$w/content" -t "$tmp/templates" -o "$out" >/dev/null 2>&1 &
	a=$!
	sleep 0.05
	timeout 120 "$bin" build -C "$w/content" -t "$tmp/templates" -o "$out" >/dev/null 2>"$tmp/err2" &
	b=$!
	sleep 0.1
	kill -9 $a 2>/dev/null
	wait $a 2>/dev/null
	wait $b
	sb=$?
	[ $sb -eq 0 ] || { cat "$tmp/err2"; fail "a build waiting for a killed one: exit status $sb"; }
	is "a build waiting for a killed one" Y
	ls "$w/par-existing" | grep -q staging && fail "a build waiting for a killed one left a staging folder"
	out=
	echo "faults: parallel: two builds at once gave one clean output (${SECONDS} s)"
fi

# ---- damaged caches ------------------------------------------------------------------
if want cache; then
	cache=$w/pub.haichao-cache
	"$bin" build -C "$root/content" -t "$tmp/templates" -o "$tmp/other" >/dev/null 2>&1
	damage() { # KIND N: damages the cache
		len=$(stat -c %s "$cache")
		case $1 in
		truncate) truncate -s $(( $2 == 0 ? 0 : $(rand "$len") )) "$cache" ;;
		flip)
			for _ in 1 2 3; do
				at=$(rand "$len")
				byte=$(od -An -tu1 -j "$at" -N1 "$cache" | tr -d ' ')
				printf "$(printf '\\%03o' $(( (byte ^ (1 << $(rand 8))) & 255 )))" |
				    dd of="$cache" bs=1 seek="$at" conv=notrunc status=none
			done ;;
		foreign) cp "$tmp/other.haichao-cache" "$cache" ;;
		older) sed -i '1s/^haichao-cache [0-9]*/haichao-cache 1/' "$cache" ;;
		fifo) rm -f "$cache" && mkfifo "$cache" ;;         # must not wait for a writer
		huge) truncate -s 64G "$cache" ;;                  # sparse: must not be read whole
		esac
	}
	cache_cases="truncate:0 truncate:1 truncate:2 older:0 foreign:0 flip:0 flip:1 flip:2 flip:3 fifo:0 huge:0"
	for c in $cache_cases; do
		kind=${c%:*}
		# The same content, and then a change, over a damaged cache.
		for v in $current $([ "$current" = X ] && echo Y || echo X); do
			[ -f "$cache" ] || build
			damage "$kind" "${c#*:}"
			switch $v
			as="timeout -k 10 300" build
			status=$?
			if [ $status -ne 0 ]; then
				cat "$tmp/err"
				fail "cache $c, $v: exit status $status"
			fi
			is "cache $c, then a build of $v" $v
		done
	done
	echo "faults: cache: damaged caches ($cache_cases) gave a clean build (${SECONDS} s)"
fi

# ---- a damaged mirror ---------------------------------------------------------------
if want mirror; then
	for kind in link file; do
		# A build that leaves the mirror level with public/, then the
		# mirror replaced by a link to public/ or by a file.
		switch $([ "$current" = X ] && echo Y || echo X)
		build || { cat "$tmp/err"; fail "mirror $kind: the build before failed"; }
		[ -d "$w/pub.haichao-mirror" ] || fail "mirror $kind: no mirror to damage"
		rm -rf "$w/pub.haichao-mirror"
		case $kind in
		link) ln -s pub "$w/pub.haichao-mirror" ;;
		file) echo x >"$w/pub.haichao-mirror" ;;
		esac
		switch $([ "$current" = X ] && echo Y || echo X)
		build || { cat "$tmp/err"; fail "mirror $kind: the build failed"; }
		[ -L "$w/pub" ] && fail "mirror $kind: public/ became a link"
		is "mirror $kind: the build" "$current"
		complete "mirror $kind"
	done
	echo "faults: mirror: a mirror replaced by a link or a file was not trusted (${SECONDS} s)"
fi

# ---- a restored public/ ----------------------------------------------------------------
if want restored; then
	for how in "cp -a" "cp -R"; do
		switch X
		build
		rm -rf "$tmp/saved"
		$how "$w/pub" "$tmp/saved"
		switch Y
		build
		rm -rf "$w/pub"
		$how "$tmp/saved" "$w/pub"
		build
		is "public/ restored with $how (an older tree, a newer cache)" Y
	done
	# Without the mirror, the cache's sizes and times tell what
	# was restored.
	rm -rf "$w/pub.haichao-mirror" "$w/pub"
	$how "$tmp/saved" "$w/pub"
	build
	is "public/ restored, without the mirror" Y
	echo "faults: restored: a restored public/ was brought up to date (${SECONDS} s)"
fi

# ---- stopped between the fallback's two renames ---------------------------------
if want halfswap; then
	switch X
	build || { cat "$tmp/err"; fail "halfswap: the build of X failed"; }
	[ -f "$w/pub/.git/HEAD" ] || add_dots "$w/pub"
	# What exchange() leaves when killed between its renames: the dot
	# files moved into the new tree, the old tree aside, no public/, no
	# mirror (taken as the staging folder) and no cache (forgotten
	# before publishing).
	switch Y
	s=$w/pub.staging-999999
	rm -rf "$s" "$s-old" "$w/pub.haichao-mirror" "$w/pub.haichao-cache"
	cp -R "$tmp/refY" "$s"
	mv "$w/pub/.git" "$w/pub/.well-known" "$s/"
	mv "$w/pub" "$s-old"
	complete "halfswap: a build stopped between the fallback's two renames"
	grep -q "left whole by a build stopped" "$tmp/err" ||
	    fail "halfswap: the next build did not say it put the new tree in place"
	# The new tree became public/ before the build, which then had
	# nothing to write.
	grep -q "; 0 files written" "$tmp/err" ||
	    { cat "$tmp/err"; fail "halfswap: the next build wrote files: the new tree was not put in place"; }
	echo "faults: halfswap: the new tree left whole between the fallback's renames became public/ (${SECONDS} s)"
fi

if [ -n "$skipped" ]; then
	echo "faults: skipped:$skipped"
	ran=0
	for x in $sections; do
		case $skipped in *"$x ("*) ;; *) ran=1 ;; esac
	done
	if [ $ran -eq 0 ] && [ "$failed" -eq 0 ]; then
		echo "SKIP faults:$skipped"
		exit 77
	fi
fi
check_done "kill -9, full disks, permission errors, parallel builds, damaged caches and a restored public/: always the old tree or the new one, and then a clean build"
