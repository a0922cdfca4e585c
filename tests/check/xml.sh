#!/bin/sh
# xml.sh DIR — checks the machine-readable files of a built haichao site:
#   * every feed.xml against the Atom schema (RELAX NG, RFC 4287), plus the
#     two rules that the schema states only as Schematron annotations (a feed
#     needs an author unless every entry has one; an entry needs a
#     rel=alternate link or content), which xmllint ignores;
#   * sitemap.xml against the sitemaps.org schema extended with xhtml:link
#     hreflang alternates (sitemap-hreflang.xsd), or, for a site of more than
#     20,000 pages, against the sitemap index schema (siteindex.xsd) with each
#     sitemap-N.xml it lists against the first; together they list every page
#     (every folder's index.html) exactly once;
#   * robots.txt names the sitemap's absolute URL;
#   * index.tsv: the header, 8 tab-separated fields on every row, rows sorted
#     by date, slug, lang, and exactly one row per article page.
# The schemas live in ../shared/schemas beside the repository (not in it).
# When that folder is absent this prints `SKIP xml: ...` and exits 77.
# Exit status: 0 all good, 1 a check failed, 2 usage error, 77 skipped.
set -u

if [ $# -lt 1 ] || [ $# -gt 2 ] || [ ! -d "$1" ]; then
	echo "usage: tests/check/xml.sh DIR [SITE_YAML]   (DIR: a built site;" >&2
	echo "       SITE_YAML: its site.yaml, by default the repository's content/site.yaml)" >&2
	exit 2
fi
dir=$1
here=$(dirname "$0")
schemas="$here/../../../shared/schemas"
repo="$here/../.."

if [ ! -d "$schemas" ]; then
	echo "SKIP xml: ../shared/schemas is absent"
	exit 77
fi
for f in atom.rng siteindex.xsd sitemap-hreflang.xsd sitemap.xsd xhtml-link.xsd; do
	if [ ! -f "$schemas/$f" ]; then
		echo "SKIP xml: ../shared/schemas/$f is absent"
		exit 77
	fi
done
if ! command -v xmllint >/dev/null 2>&1; then
	echo "xml: xmllint is not installed (Debian package libxml2-utils; generator/deps.sh test installs it)"
	exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "xml: python3 is not installed"
	exit 1
fi

failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT INT TERM

# --- Atom feeds ---------------------------------------------------------------
feeds=$(find "$dir" -name feed.xml -type f | LC_ALL=C sort)
nfeeds=0
if [ -z "$feeds" ]; then
	echo "xml: no feed.xml under $dir"
	failed=1
else
	# One xmllint for all feeds; it prints "FILE validates" for the good ones.
	# shellcheck disable=SC2086  # feed paths contain no spaces (slugs are [a-z0-9-])
	if ! xmllint --noout --relaxng "$schemas/atom.rng" $feeds >"$out" 2>&1; then
		failed=1
	fi
	grep -v ' validates$' "$out"
	nfeeds=$(printf '%s\n' "$feeds" | wc -l)
fi

# --- sitemap ------------------------------------------------------------------
if [ ! -f "$dir/sitemap.xml" ]; then
	echo "xml: $dir/sitemap.xml is missing"
	failed=1
elif grep -q '<sitemapindex' "$dir/sitemap.xml"; then
	if ! xmllint --noout --schema "$schemas/siteindex.xsd" "$dir/sitemap.xml" >"$out" 2>&1; then
		cat "$out"
		failed=1
	fi
	for f in "$dir"/sitemap-*.xml; do
		if ! xmllint --noout --schema "$schemas/sitemap-hreflang.xsd" "$f" >"$out" 2>&1; then
			cat "$out"
			failed=1
		fi
	done
elif ! xmllint --noout --schema "$schemas/sitemap-hreflang.xsd" "$dir/sitemap.xml" >"$out" 2>&1; then
	cat "$out"
	failed=1
fi

# --- Atom rules beyond the schema, robots.txt, index.tsv ------------------------
# shellcheck disable=SC2086
if ! python3 - "$dir" "${2:-$repo/content/site.yaml}" $feeds <<'EOF'
import os, re, sys
import xml.etree.ElementTree as ET

site, site_yaml, feeds = sys.argv[1], sys.argv[2], sys.argv[3:]
A = "{http://www.w3.org/2005/Atom}"
problems = []

def problem(where, msg):
    problems.append(f"{where}: {msg}")

# Atom: the Schematron rules of RFC 4287 that RELAX NG validators ignore.
for feed in feeds:
    try:
        root = ET.parse(feed).getroot()
    except ET.ParseError as e:
        problem(feed, f"not well-formed: {e}")
        continue
    entries = root.findall(A + "entry")
    if root.find(A + "author") is None:
        for i, e in enumerate(entries, 1):
            if e.find(A + "author") is None:
                problem(feed, f"entry {i} has no atom:author and the feed has none")
    for i, e in enumerate(entries, 1):
        alt = [l for l in e.findall(A + "link") if l.get("rel", "alternate") == "alternate"]
        if not alt and e.find(A + "content") is None:
            problem(feed, f"entry {i} has neither a rel=alternate link nor content")
    selfs = [l.get("href") for l in root.findall(A + "link") if l.get("rel") == "self"]
    if len(selfs) != 1:
        problem(feed, f"{len(selfs)} rel=self links (expected 1)")
    elif not selfs[0].endswith("/" + os.path.relpath(feed, site).replace(os.sep, "/")):
        problem(feed, f"rel=self href {selfs[0]} is not this feed's URL")

# base_url: content/site.yaml, else the sitemap's first <loc> (the home page).
base = None
try:
    with open(site_yaml, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"base_url:\s*(\S+)", line)
            if m:
                base = m.group(1).strip("\"'")
                break
except OSError:
    pass
if base is None:
    try:
        loc = ET.parse(os.path.join(site, "sitemap.xml")).getroot().find(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}url/"
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
        base = loc.text.strip() if loc is not None else None
    except (OSError, ET.ParseError):
        pass
if base is not None and not base.endswith("/"):
    base += "/"

# The sitemap lists every page (a folder's index.html; 404.html is no page)
# exactly once, and nothing else.
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
try:
    smroot = ET.parse(os.path.join(site, "sitemap.xml")).getroot()
except (OSError, ET.ParseError):
    smroot = None   # reported by xmllint above
smpath = os.path.join(site, "sitemap.xml")
if smroot is not None and smroot.tag == SM + "sitemapindex":
    # An index: each entry names a sitemap-N.xml beside it, every such
    # file is named once, and the pages are their urls together.
    index, smroot, urls = smroot, ET.Element(SM + "urlset"), []
    parts = sorted(f for f in os.listdir(site) if re.fullmatch(r"sitemap-[0-9]+\.xml", f))
    named = []
    for loc in index.iter(SM + "loc"):
        name = (loc.text or "").strip().rsplit("/", 1)[-1]
        named.append(name)
        if base and (loc.text or "").strip() != base + name:
            problem(smpath, f"{loc.text} is not a sitemap beside it")
        try:
            smroot.extend(ET.parse(os.path.join(site, name)).getroot())
        except (OSError, ET.ParseError) as e:
            problem(smpath, f"{name}: {e}")
    if sorted(named) != parts:
        problem(smpath, f"lists {sorted(named)}, the site has {parts}")
if smroot is not None and base:
    locs = [(l.text or "").strip() for u in smroot.iter(SM + "url") for l in u.findall(SM + "loc")]
    seen = set()
    for loc in locs:
        if loc in seen:
            problem(smpath, f"{loc} is listed twice")
        seen.add(loc)
    pages = set()
    for d, dirs, files in os.walk(site):
        dirs.sort()
        if "index.html" in files:
            rel = os.path.relpath(d, site).replace(os.sep, "/")
            pages.add(base if rel == "." else base + rel + "/")
    for url in sorted(pages - seen):
        problem(smpath, f"page {url} is not listed")
    for url in sorted(seen - pages):
        problem(smpath, f"{url} is listed but is no page of the site")

# robots.txt names the sitemap's absolute URL.
robots = os.path.join(site, "robots.txt")
if not os.path.isfile(robots):
    problem(robots, "missing")
elif base:
    want = base + "sitemap.xml"
    with open(robots, encoding="utf-8") as f:
        lines = [l.strip() for l in f]
    found = [l for l in lines if l.lower().startswith("sitemap:")]
    if not any(l.split(":", 1)[1].strip() == want for l in found):
        problem(robots, f"no `Sitemap: {want}` line (has: {found or 'none'})")

# index.tsv
HEADER = "date\tlang\tslug\turl\ttitle\tcompanies\tapps\tthemes"
tsv = os.path.join(site, "index.tsv")
if not os.path.isfile(tsv):
    problem(tsv, "missing")
else:
    with open(tsv, encoding="utf-8", newline="") as f:
        data = f.read()
    if not data.endswith("\n"):
        problem(tsv, "does not end with a newline")
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0] != HEADER:
        got = repr(lines[0]) if lines else "missing"
        problem(f"{tsv}:1", f"header is {got}, expected {HEADER!r}")
    rows = []
    for n, line in enumerate(lines[1:], 2):
        if "\r" in line:
            problem(f"{tsv}:{n}", "carriage return in row")
        fields = line.split("\t")
        if len(fields) != 8:
            problem(f"{tsv}:{n}", f"{len(fields)} fields, expected 8: {line!r}")
            continue
        date, lang, slug, url, title = fields[:5]
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            problem(f"{tsv}:{n}", f"date {date!r} is not YYYY-MM-DD")
        if not re.fullmatch(r"[a-z0-9-]+", slug):
            problem(f"{tsv}:{n}", f"slug {slug!r} is not [a-z0-9-]+")
        if url != f"{lang}/articles/{slug}/":
            problem(f"{tsv}:{n}", f"url {url!r}, expected {lang}/articles/{slug}/")
        if not os.path.isfile(os.path.join(site, url, "index.html")):
            problem(f"{tsv}:{n}", f"url {url} has no index.html in the site")
        if not title.strip():
            problem(f"{tsv}:{n}", "empty title")
        rows.append((date, slug, lang, n))
    for prev, cur in zip(rows, rows[1:]):
        if cur[:3] < prev[:3]:
            problem(f"{tsv}:{cur[3]}", f"row {cur[:3]} sorts before the previous row {prev[:3]} "
                    "(rows must be sorted by date, slug, lang)")
        elif cur[:3] == prev[:3]:
            problem(f"{tsv}:{cur[3]}", f"duplicate row for {cur[2]}/{cur[1]}")
    # One row per article page: <lang>/articles/<slug>/index.html.
    pages = set()
    for lang in sorted(os.listdir(site)):
        adir = os.path.join(site, lang, "articles")
        if os.path.isdir(adir):
            for slug in sorted(os.listdir(adir)):
                if os.path.isfile(os.path.join(adir, slug, "index.html")):
                    pages.add((lang, slug))
    listed = {(lang, slug) for _d, slug, lang, _n in rows}
    for lang, slug in sorted(pages - listed):
        problem(tsv, f"no row for the article page {lang}/articles/{slug}/")
    for lang, slug in sorted(listed - pages):
        problem(tsv, f"row for {lang}/{slug}, which has no article page")
    langs = {lang for lang, _s in pages}
    by_slug = {}
    for l, s in listed:
        by_slug.setdefault(s, set()).add(l)
    for slug in sorted({s for _l, s in pages}):
        have = by_slug.get(slug, set())
        if have != langs:
            problem(tsv, f"article {slug} has rows for {sorted(have)}, expected one per language {sorted(langs)}")

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
EOF
then
	failed=1
fi

if [ "$failed" -ne 0 ]; then
	echo "xml: FAILED ($nfeeds feeds, sitemap.xml, robots.txt, index.tsv)"
	exit 1
fi
echo "xml: $nfeeds feeds, sitemap.xml, robots.txt and index.tsv are valid"
exit 0
