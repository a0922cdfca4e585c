#!/usr/bin/env bash
# slow-inputs.sh — haichao against inputs too big for git: each is
# generated in a temporary folder at sizes N and 2N and checked with
#
#   haichao check -C content -t REPO/templates    (under a time limit)
#
#   tests/fuzz/slow-inputs.sh [-k] [--strict] [HAICHAO] [INPUT...]
#
# HAICHAO defaults to generator/haichao; INPUTs name some of the inputs
# below (all by default); -k keeps the generated trees and prints where.
# For every input it prints the size and CPU time (user + system, of
# haichao and its threads) at N and 2N and their ratio: CPU time, not the
# clock, so that a machine busy with other work does not make haichao
# look slow.  An input fails when a run exits with status 2 or above (a
# usage or system error, a crash, a sanitizer report), when it passes the
# time limit, or when doubling the size more than triples the CPU time
# (t(2N) / t(N) > 3: the cost is not roughly linear).  Ratios are only
# judged when t(2N) >= 0.3 s; below that the start-up cost and timer noise
# dominate.  Exit status 1 (content errors) is fine: many of these inputs
# are meant to be refused.
#
# `make test` runs it as it is: the time limit, which only catches a hang,
# is a generous 60 s of the clock, and an input that fails on time (the
# limit or the ratio) is measured once more before it counts.  With
# --strict (`make bench`) the limit is 10 s and nothing is measured again.
#
# Ends with `N passed, M failed`; exits 1 if any failed, 77 when python3
# (which writes the inputs) is missing.
set -u
export LC_ALL=C TZ=UTC

keep=0 strict=0
while [ $# -gt 0 ]; do
	case $1 in
	-k) keep=1 ;;
	--strict) strict=1 ;;
	*) break ;;
	esac
	shift
done
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$repo/generator/haichao
if [ $# -gt 0 ] && [ -x "$1" ] && [ -f "$1" ]; then
	bin=$1
	shift
fi
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
[ -x "$bin" ] || { echo "$0: $bin is not an executable (make generator/haichao)" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP slow-inputs: python3 is needed to write the inputs"; exit 77; }

LIMIT=60        # seconds of the clock per run: a hang, not a slow run
[ "$strict" = 1 ] && LIMIT=10
MAX_RATIO=3     # t(2N) / t(N), CPU time
MIN_JUDGED=0.3  # seconds: shorter t(2N) are not judged for linearity

work=$(mktemp -d "${TMPDIR:-/tmp}/haichao-slow.XXXXXX") || exit 2
if [ "$keep" = 1 ]; then
	echo "inputs kept in $work"
else
	trap 'rm -rf "$work"' EXIT
fi
trap 'exit 130' INT TERM

# ---- the inputs ------------------------------------------------------------------
# gen.py KIND SCALE DIR writes DIR/content for input KIND at size SCALE
# (1 = N, 2 = 2N).  Every tree is a valid site but for the hostile part.
cat >"$work/gen.py" <<'PY'
import os, sys

kind, scale, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
content = os.path.join(out, "content")
os.makedirs(os.path.join(content, "articles"), exist_ok=True)

def write(rel, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(content, rel), "wb") as f:
        f.write(data)

write("site.yaml", "title:\n  zh: 测试\n  en: Test\nbase_url: https://x.example/\n")
write("glossary.yaml", "- zh: 出海\n  pinyin: chūhǎi\n  en: going overseas\n")
# A second, ordinary article uses the glossary term, so that no input gets
# the "unused term" warning for free.
write("articles/plain.zh.md", "---\ntitle: 平\ndate: 2023-01-01\n---\n\n出海。\n")
FM = "---\ntitle: 大\ndate: 2024-01-01\n---\n\n"

def article(body, fm=FM, slug="big"):
    write("articles/%s.zh.md" % slug, fm + body)

MB = 1024 * 1024

def fill(unit, size):
    return unit * (size // len(unit.encode("utf-8")) + 1)

if kind == "big-article":
    # 2.5 MB / 5 MB of ordinary prose: paragraphs, headings, notes, links.
    para = ("出海是中国企业把产品带到海外市场的过程，[躺赢](gloss: \"won\")并不常见。"
            "Apps like RedNote and Lemon8 show *why* this is **hard**.\n"
            "第二行紧接着第一行，中间的换行不应变成空格。\n\n")
    parts, size, i = [], 0, 0
    while size < scale * 5 * MB // 2:
        if i % 20 == 0:
            chunk = "## 第%d节\n\n" % i
        else:
            chunk = para
        parts.append(chunk)
        size += len(chunk.encode("utf-8"))
        i += 1
    article("".join(parts))
elif kind == "long-line":
    # one 1 MB / 2 MB line of CJK and Latin text
    line = fill("出海和KOL，abc def ", scale * MB).encode("utf-8")[: scale * MB]
    article(line.decode("utf-8", "ignore") + "\n")
elif kind == "nested-blockquotes":
    article("> " * (5000 * scale) + "深\n")
elif kind == "nested-lists":
    article("- " * (5000 * scale) + "深\n")
elif kind == "nested-lists-indented":
    # every level on its own line, indented: 1,000 / 2,000 levels
    n = 1000 * scale
    article("".join("  " * i + "- 第%d层\n" % i for i in range(n)))
elif kind == "nested-mixed":
    article("> - 1. " * (2000 * scale) + "深\n")
elif kind == "brackets-open":
    article("[" * (25000 * scale) + "\n")
elif kind == "brackets-nested":
    n = 12500 * scale
    article("[" * n + "a" + "]" * n + "\n")
elif kind == "links-nested":
    n = 12500 * scale
    article("[" * n + "a" + "](b)" * n + "\n")
elif kind == "images-nested":
    # images may nest, so this is n levels deep in the tree (1.9 / 3.9 MB)
    n = 150000 * scale
    article("![" * n + "a" + "](https://x.example/i.png)" * n + "\n")
elif kind == "asset-refs-one-line":
    # every reference is an error, all on one line, each with a column
    article("![图](missing.png)" * (10000 * scale) + "\n")
elif kind == "cross-links-one-line":
    article("[链接](missing.zh.md)" * (10000 * scale) + "\n")
elif kind == "cross-links-escaped-one-line":
    # the URL in the source (with &amp;) differs from the node's, so a
    # search for it fails: each miss must not rescan the line
    article("".join("[x](m%d&amp;b.zh.md)" % i for i in range(10000 * scale)) + "\n")
elif kind == "gloss-refs-emphasised-one-line":
    article("".join("[**未知%d**](gloss:)" % i for i in range(10000 * scale)) + "\n")
elif kind == "emphasis-star-a-b":
    article("*a**b" * (25000 * scale) + "\n")
elif kind == "emphasis-nested":
    # n/2 nested <strong> (0.8 / 1.6 MB): deeper than a recursive walk
    # of the tree can go on an 8 MB stack at 2N
    n = 400000 * scale
    article("*" * n + "a" + "*" * n + "\n")
elif kind == "emphasis-in-heading":
    n = 400000 * scale
    article("# " + "*" * n + "出海" + "*" * n + "\n")
elif kind == "emphasis-mod3":
    article("a**b" + "c* " * (25000 * scale) + "\n")
elif kind == "backticks":
    # runs of 1, 2, 3... backticks: 1,000 / 1,414 runs (size doubles)
    k = 1000 if scale == 1 else 1414
    article("".join("`" * i + "a" for i in range(1, k)) + "\n")
elif kind == "unclosed-links":
    article("[a](<b" * (25000 * scale) + "\n\n" + "[a](b" * (25000 * scale) + "\n")
elif kind == "html-openers":
    n = 10000 * scale
    article("a " + "<!--" * n + "\n\n" + "a " + "<?" * n + "\n\n" + "a " + "<![CDATA[" * n + "\n\n"
            + "a " + "<!A " * n + "\n")
elif kind == "entities":
    article("&#" * (50000 * scale) + "\n\n" + "&amp" * (50000 * scale) + "\n")
elif kind == "tabs":
    article("-\t" * (10000 * scale) + "a\n" + ">\t" * (10000 * scale) + "b\n")
elif kind == "headings-same":
    # the same heading again and again: ids title, title-2, title-3...
    article("# 标题\n\n" * (1000 * scale))
elif kind == "headings-distinct":
    article("".join("# 标题%d\n\n" % i for i in range(20000 * scale)))
elif kind == "cross-links-missing":
    # every link is an error, each with a position to find
    article("".join("第%d行[链接](missing-%d.zh.md)。\n\n" % (i, i) for i in range(10000 * scale)))
elif kind == "cross-links-many":
    write("articles/other.zh.md", FM + "## 节\n\n正文。\n")
    article("".join("第%d行[链接](other.zh.md#节)。\n" % i for i in range(20000 * scale)))
elif kind == "gloss-notes-many":
    # ad-hoc notes, all different: numbered notes 1..n
    article("".join("[词%d](gloss: \"w%d\")。\n" % (i, i) for i in range(10000 * scale)))
elif kind == "gloss-refs-same":
    article("".join("第%d行[出海](gloss:)。\n\n" % i for i in range(10000 * scale)))
elif kind == "gloss-refs-unknown":
    article("".join("第%d行[未知%d](gloss:)。\n\n" % (i, i) for i in range(10000 * scale)))
elif kind == "gloss-refs-emphasised":
    # the link text differs from the source text, so its position is
    # searched for and not found
    article("".join("第%d行[*未知%d*](gloss:)。\n\n" % (i, i) for i in range(10000 * scale)))
elif kind == "glossary-local-many":
    n = 2000 * scale
    fm = ("---\ntitle: 大\ndate: 2024-01-01\nglossary:\n"
          + "".join("  - {zh: 术语%d, en: term %d}\n" % (i, i) for i in range(n)) + "---\n\n")
    article("".join("[术语%d](gloss:)\n" % i for i in range(n)), fm)
elif kind == "glossary-site-many":
    n = 5000 * scale
    write("glossary.yaml", "".join("- zh: 术语%d\n  pinyin: shuyu%d\n  en: term %d\n" % (i, i, i)
                                   for i in range(n)))
    article("".join("术语%d，" % i for i in range(n)) + "\n")
elif kind == "yaml-billion-laughs":
    # refused (anchors and aliases): the cost must not depend on expansion
    levels = 9 * scale
    fm = "---\ntitle: 大\ndate: 2024-01-01\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i in range(1, levels):
        fm += "a%d: &a%d [%s]\n" % (i, i, ", ".join("*a%d" % (i - 1) for _ in range(9)))
    article("正文\n", fm + "---\n\n")
elif kind == "yaml-many-keys":
    n = 50000 * scale
    fm = "---\ntitle: 大\ndate: 2024-01-01\n" + "".join("k%d: v\n" % i for i in range(n)) + "---\n\n"
    article("正文\n", fm)
elif kind == "yaml-long-list":
    n = 100000 * scale
    fm = "---\ntitle: 大\ndate: 2024-01-01\ncompanies: [" + ", ".join("c%d" % i for i in range(n)) + "]\n---\n\n"
    article("正文\n", fm)
elif kind == "yaml-deep-flow":
    n = 50000 * scale
    fm = "---\ntitle: 大\ndate: 2024-01-01\nx: " + "[" * n + "]" * n + "\n---\n\n"
    article("正文\n", fm)
elif kind == "yaml-long-scalar":
    fm = "---\ntitle: " + "大" * (scale * MB // 3) + "\ndate: 2024-01-01\n---\n\n"
    article("正文\n", fm)
elif kind == "many-articles":
    n = 1000 * scale
    write("taxonomy.yaml", "themes:\n  t:\n    zh: 题\n    en: T\n")
    for i in range(n):
        body = "出海。见[上一篇](a%d.zh.md)。\n" % (i - 1) if i else "出海。\n"
        article(body, "---\ntitle: 第%d篇\ndate: 2024-01-%02d\nthemes: [t]\n---\n\n" % (i, i % 28 + 1),
                slug="a%d" % i)
elif kind == "crlf-big":
    article(("出海\r\n" * (scale * MB // 8)))
elif kind == "lone-cr-big":
    article(("出海\r" * (scale * MB // 7)))
else:
    sys.exit("unknown input " + kind)
PY

all_inputs=(
	big-article long-line
	nested-blockquotes nested-lists nested-lists-indented nested-mixed
	brackets-open brackets-nested links-nested images-nested
	asset-refs-one-line cross-links-one-line cross-links-escaped-one-line
	gloss-refs-emphasised-one-line emphasis-star-a-b emphasis-nested emphasis-in-heading emphasis-mod3
	backticks unclosed-links html-openers entities tabs
	headings-same headings-distinct
	cross-links-missing cross-links-many
	gloss-notes-many gloss-refs-same gloss-refs-unknown gloss-refs-emphasised
	glossary-local-many glossary-site-many
	yaml-billion-laughs yaml-many-keys yaml-long-list yaml-deep-flow yaml-long-scalar
	many-articles crlf-big lone-cr-big
)
if [ $# -gt 0 ]; then
	inputs=("$@")
else
	inputs=("${all_inputs[@]}")
fi

# run KIND SCALE: generates and checks; sets size (bytes), secs and status.
run() {
	local kind=$1 scale=$2 d=$work/$1-$2
	rm -rf "$d"
	mkdir -p "$d"
	if ! python3 "$work/gen.py" "$kind" "$scale" "$d"; then
		status=gen secs=0 size=0
		return
	fi
	size=$(find "$d/content" -type f -printf '%s\n' | awk '{ n += $1 } END { print n + 0 }')
	# `times` in the subshell: its children's user and system time.
	(cd "$d" && timeout -k 5 "$LIMIT" "$bin" check -C content -t "$repo/templates" \
	    >"$d/stdout" 2>"$d/stderr" </dev/null; echo $? >"$d/status"; times >"$d/times")
	status=$(cat "$d/status")
	secs=$(awk 'NR == 2 { gsub(/s/, ""); split($1, u, "m"); split($2, y, "m");
	    printf "%.2f", u[1] * 60 + u[2] + y[1] * 60 + y[2] }' "$d/times")
	[ "$keep" = 1 ] || rm -rf "$d/content"
}

human() {
	awk -v n="$1" 'BEGIN {
		if (n >= 1048576) printf "%.1fM", n / 1048576;
		else if (n >= 1024) printf "%.0fK", n / 1024;
		else printf "%d", n }'
}

passed=0 failed=0 failures=()
printf '%-24s %7s %7s %7s %7s %6s  %s\n' input "size N" "time N" "size 2N" "time 2N" ratio verdict
# measure KIND: runs it at N and 2N and judges; sets why (empty: fine).
measure() {
	kind=$1
	run "$kind" 1
	size1=$size secs1=$secs status1=$status
	if [ "$status1" = 124 ] || [ "$status1" = 137 ]; then
		# already too slow at N: 2N can only be worse
		size2=0 secs2=- status2=-
	else
		run "$kind" 2
		size2=$size secs2=$secs status2=$status
	fi
	why=
	for s in "$status1" "$status2"; do
		case $s in
		0|1|-) ;;
		gen) why="could not write the input" ;;
		124|137) why="over ${LIMIT}s" ;;
		2) why="exit status 2" ;;
		*) why="exit status $s (crash?)" ;;
		esac
		[ -n "$why" ] && break
	done
	ratio=-
	if [ "$secs2" != - ]; then
		ratio=$(awk -v a="$secs1" -v b="$secs2" 'BEGIN { printf "%.2f", b / (a > 0.01 ? a : 0.01) }')
		if [ -z "$why" ] && awk -v a="$secs1" -v b="$secs2" -v r="$MAX_RATIO" -v m="$MIN_JUDGED" \
		    'BEGIN { exit !(b >= m && b > r * (a > 0.01 ? a : 0.01)) }'; then
			why="not linear: time x$ratio for size x2"
		fi
	fi
}

for kind in "${inputs[@]}"; do
	measure "$kind"
	case $why in
	"over "*|"not linear"*)
		if [ "$strict" = 0 ]; then
			echo "$kind: $why; measuring it once more"
			measure "$kind"
		fi ;;
	esac
	verdict=ok
	[ -n "$why" ] && verdict="FAIL: $why"
	printf '%-24s %7s %6ss %7s %6ss %6s  %s\n' "$kind" "$(human "$size1")" "$secs1" \
	    "$(human "$size2")" "$secs2" "$ratio" "$verdict"
	if [ -n "$why" ]; then
		failed=$((failed + 1))
		failures+=("$kind")
		for sc in 1 2; do
			e=$work/$kind-$sc/stderr
			[ -s "$e" ] || continue
			echo "    stderr at ${sc}N:"
			grep -E 'Sanitizer|runtime error|SUMMARY|error:' "$e" | head -3 | cut -c1-200 |
			    sed 's/^/      /'
			tail -1 "$e" | cut -c1-200 | sed 's/^/      /'
		done
	else
		passed=$((passed + 1))
	fi
done

if [ "$failed" -gt 0 ]; then
	echo "failed:"
	printf '    %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
