#!/usr/bin/env python3
"""links.py DIR [--base-url URL] -- check every link of a generated haichao site.

For every .html file under DIR (standard library only):

  * every href, src and srcset URL that is internal (relative, no scheme, not
    mailto:) is resolved against the page's own path; the target must be a
    file inside DIR (a URL ending in '/' needs index.html there);
  * absolute http(s) URLs that start with the site's base_url are mapped to
    a file of DIR the same way (the base is stripped first);
  * a #fragment needs an element with that id in the target page (the
    fragment as written or percent-decoded: CJK ids are used);
  * <link rel=alternate hreflang=...> must resolve, and the page it points to
    must link back (hreflang alternates are reciprocal);
  * <link rel=canonical> must be an absolute URL under base_url that maps to
    the page itself;
  * root-relative URLs ("/x") are reported: the site must work from file://
    and under any sub-path (except in 404.html, which the host serves at any
    URL: there they must start with base_url's path and map to a file);
  * no page may have two elements with the same id.

It also checks that every URL of sitemap.xml and of every feed.xml (loc,
xhtml:link href, atom:link href) maps to an existing file.

base_url comes from --base-url, else from content/site.yaml's `base_url:`
line (the repository's, found from this script's location, or ./content),
else from the canonical link of DIR/index.html.

Every problem is printed as `page: href -> reason`; exit status 1 if any,
2 on a usage error.
"""

import os
import posixpath
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

SCRIPT_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(SCRIPT_DIR))

URL_ATTRS = ("href", "src", "poster")
# 404.html is served by the host at whatever URL was missing, so its links
# cannot be relative: it may use root-relative URLs under base_url's path
# (e.g. /haichao/assets/style.css), which must still map to a file.
ROOT_RELATIVE_OK = {"404.html"}
# Schemes that never point into the site.
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel", "data", "javascript",
                    "ftp", "ftps", "news", "irc", "sms", "geo", "urn"}


class Page(HTMLParser):
    """Collects the ids, URLs and <link> elements of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = {}          # id -> count
        self.urls = []         # (line, attr, url, tag, attrs-dict)
        self.base = None       # <base href>
        self.links = []        # attrs of every <link>

    def handle_starttag(self, tag, attrs):
        self._element(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs)

    def _element(self, tag, attrs):
        line = self.getpos()[0]
        d = {}
        for name, value in attrs:
            if value is None:
                value = ""
            # The first occurrence of an attribute wins, as in browsers.
            d.setdefault(name, value)
        if "id" in d:
            self.ids[d["id"]] = self.ids.get(d["id"], 0) + 1
        if tag == "base" and "href" in d and self.base is None:
            self.base = d["href"]
        if tag == "link":
            self.links.append(d)
        for attr in URL_ATTRS:
            if attr in d:
                self.urls.append((line, attr, d[attr].strip(), tag, d))
        if "srcset" in d:
            for candidate in split_srcset(d["srcset"]):
                self.urls.append((line, "srcset", candidate, tag, d))


def split_srcset(value):
    """The URLs of a srcset attribute: 'a.png 1x, b.png 2x' -> [a.png, b.png]."""
    urls = []
    for part in value.split(","):
        part = part.strip()
        if part:
            urls.append(part.split()[0])
    return urls


def read_base_url(site_dir, explicit):
    if explicit:
        return explicit
    for yaml_path in (os.path.join(REPO_ROOT, "content", "site.yaml"),
                      os.path.join("content", "site.yaml")):
        try:
            with open(yaml_path, encoding="utf-8") as f:
                for line in f:
                    m = re.match(r"base_url:\s*(\S+)", line)
                    if m:
                        return m.group(1).strip("\"'")
        except OSError:
            pass
    index = os.path.join(site_dir, "index.html")
    if os.path.isfile(index):
        p = parse_html(index)
        for link in p.links:
            if "canonical" in link.get("rel", "").lower().split():
                return link.get("href")
    return None


_parsed = {}


def parse_html(path):
    if path not in _parsed:
        p = Page()
        with open(path, encoding="utf-8", errors="replace") as f:
            p.feed(f.read())
        p.close()
        _parsed[path] = p
    return _parsed[path]


class Checker:
    def __init__(self, site_dir, base_url):
        self.root = os.path.realpath(site_dir)
        self.base = base_url
        if self.base and not self.base.endswith("/"):
            self.base += "/"
        self.problems = []

    def report(self, page, href, reason):
        self.problems.append(f"{page}: {href} -> {reason}")

    # -- resolving --------------------------------------------------------
    def classify(self, url):
        """'internal', 'site' (absolute URL under base_url) or 'external'."""
        parts = urlsplit(url)
        if parts.scheme:
            if (self.base and parts.scheme in ("http", "https")
                    and url.startswith(self.base)):
                return "site"
            if parts.scheme in ("http", "https") and self.base and \
                    urlsplit(self.base).netloc == parts.netloc and \
                    (parts.path + "/").startswith(urlsplit(self.base).path):
                return "site"
            return "external"
        if parts.netloc:        # //host/path: another host
            return "external"
        return "internal"

    def resolve(self, page_rel, url, base_href=None):
        """Map url (as written in page_rel) to (relative file path or None,
        fragment or None, reason if broken)."""
        kind = self.classify(url)
        parts = urlsplit(url)
        try:
            fragment = unquote(parts.fragment, errors="strict") if parts.fragment else None
        except UnicodeDecodeError:
            return None, None, "the #fragment is not valid percent-encoded UTF-8"
        if "#" in url and not parts.fragment:
            fragment = ""
        if kind == "site":
            rel = url[len(self.base):] if url.startswith(self.base) else \
                parts.path[len(urlsplit(self.base).path):]
            rel = urlsplit(rel).path
            path = unquote(rel)
            target = posixpath.normpath(path) if path else ""
            if path.endswith("/") or path == "":
                target = posixpath.join(target, "index.html")
        else:
            path = unquote(parts.path)
            if path.startswith("/"):
                base_path = urlsplit(self.base).path if self.base else "/"
                if page_rel not in ROOT_RELATIVE_OK:
                    return None, fragment, ("root-relative URL: breaks under file:// "
                                            "and under a sub-path; use a relative URL")
                if not path.startswith(base_path):
                    return None, fragment, (f"root-relative URL outside base_url's "
                                            f"path {base_path}")
                # Map it like an absolute URL under base_url.
                path = path[len(base_path):]
                page_rel, base_href = "index.html", None
            if base_href is not None:
                base_dir = posixpath.normpath(posixpath.join(
                    posixpath.dirname(page_rel), posixpath.dirname(base_href)))
            else:
                base_dir = posixpath.dirname(page_rel)
            if path == "":
                # "" or "#frag" or "?q": the page itself
                return page_rel, fragment, None
            target = posixpath.normpath(posixpath.join(base_dir, path))
            if path.endswith("/"):
                target = posixpath.join(target, "index.html")
        if target == ".." or target.startswith("../") or target.startswith("/"):
            return None, fragment, "points outside the site folder"
        full = os.path.join(self.root, target)
        if os.path.isdir(full):
            if os.path.isfile(os.path.join(full, "index.html")):
                return None, fragment, (f"{target} is a folder: link to "
                                        f"{target}/index.html (or end the URL with /)")
            return None, fragment, f"{target} is a folder without index.html"
        if not os.path.isfile(full):
            return None, fragment, f"{target} does not exist"
        return target, fragment, None

    def check_fragment(self, page_rel, href, target, fragment):
        if fragment is None or fragment == "":
            return
        if not target.endswith((".html", ".htm")):
            return
        ids = parse_html(os.path.join(self.root, target)).ids
        # As browsers do (HTML's "find a potential indicated element"):
        # the fragment as written first, then percent-decoded; cmark-gfm's
        # footnote ids hold their label percent-encoded (fn-%E8%B6%8B).
        raw = urlsplit(href).fragment
        if fragment not in ids and raw not in ids and fragment.lower() != "top":
            self.report(page_rel, href, f"no element with id=\"{fragment}\" in {target}")

    # -- pages ------------------------------------------------------------
    def check_page(self, page_rel):
        page = parse_html(os.path.join(self.root, page_rel))
        for ident, count in sorted(page.ids.items()):
            if count > 1:
                self.report(page_rel, f"id=\"{ident}\"", f"duplicate id ({count} elements)")
        for line, attr, url, tag, _attrs in page.urls:
            if url.lower().startswith("mailto:"):
                continue
            if self.classify(url) == "external":
                continue
            where = f"{url}"
            target, fragment, reason = self.resolve(page_rel, url, page.base)
            if reason:
                self.report(f"{page_rel}:{line}", where, f"<{tag} {attr}>: {reason}")
                continue
            self.check_fragment(f"{page_rel}:{line}", where, target, fragment)
        self.check_head_links(page_rel, page)

    def check_head_links(self, page_rel, page):
        for link in page.links:
            rels = link.get("rel", "").lower().split()
            href = link.get("href")
            if href is None:
                continue
            if "canonical" in rels:
                if self.classify(href) != "site":
                    self.report(page_rel, href, f"canonical is not an absolute URL under base_url {self.base}")
                    continue
                target, _frag, reason = self.resolve(page_rel, href)
                if reason:
                    continue  # already reported as a broken href
                if target != page_rel:
                    self.report(page_rel, href, f"canonical points to {target}, not to this page")
            if "alternate" in rels and "hreflang" in link:
                if self.classify(href) == "external":
                    self.report(page_rel, href, "hreflang alternate points outside the site")
                    continue
                target, _frag, reason = self.resolve(page_rel, href, page.base)
                if reason:
                    continue  # already reported
                if not target.endswith(".html"):
                    continue
                # The alternate must link back to this page.
                other = parse_html(os.path.join(self.root, target))
                back = False
                for olink in other.links:
                    if ("alternate" in olink.get("rel", "").lower().split()
                            and "hreflang" in olink and "href" in olink):
                        t, _f, r = self.resolve(target, olink["href"], other.base)
                        if not r and t == page_rel:
                            back = True
                            break
                if not back:
                    self.report(page_rel, href,
                                f"hreflang={link['hreflang']} alternate {target} has no "
                                "<link rel=alternate hreflang> back to this page")

    # -- feeds and sitemap -------------------------------------------------
    def check_xml(self, rel):
        full = os.path.join(self.root, rel)
        try:
            tree = ET.parse(full)
        except ET.ParseError as e:
            self.report(rel, "", f"not well-formed XML: {e}")
            return
        for el in tree.iter():
            local = el.tag.rsplit("}", 1)[-1]
            urls = []
            if local == "loc" and el.text:
                urls.append(el.text.strip())
            if local == "link" and el.get("href"):
                urls.append(el.get("href"))
            for url in urls:
                kind = self.classify(url)
                if kind == "external":
                    if not urlsplit(url).scheme:
                        self.report(rel, url, "relative URL in a feed or sitemap (must be absolute)")
                    continue
                if kind == "internal":
                    self.report(rel, url, "relative URL in a feed or sitemap (must be absolute)")
                    continue
                _t, _f, reason = self.resolve(rel, url)
                if reason:
                    self.report(rel, url, reason)

    def run(self):
        html, xmls = [], []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames.sort()
            for name in sorted(filenames):
                rel = os.path.relpath(os.path.join(dirpath, name), self.root)
                rel = rel.replace(os.sep, "/")
                if name.endswith((".html", ".htm")):
                    html.append(rel)
                elif name == "sitemap.xml" or name.endswith("feed.xml"):
                    xmls.append(rel)
        for rel in html:
            self.check_page(rel)
        for rel in xmls:
            self.check_xml(rel)
        return len(html), len(xmls)


def main(argv):
    args = argv[1:]
    base = None
    if "--base-url" in args:
        i = args.index("--base-url")
        if i + 1 >= len(args):
            print("usage: links.py DIR [--base-url URL]", file=sys.stderr)
            return 2
        base = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1 or not os.path.isdir(args[0]):
        print("usage: links.py DIR [--base-url URL]  (DIR: a built site)", file=sys.stderr)
        return 2
    site_dir = args[0]
    base = read_base_url(site_dir, base)
    if not base:
        print("links: no base_url (no content/site.yaml and no canonical link in index.html); "
              "absolute URLs are treated as external", file=sys.stderr)
    checker = Checker(site_dir, base)
    n_html, n_xml = checker.run()
    for problem in checker.problems:
        print(problem)
    print(f"links: {n_html} pages and {n_xml} feeds/sitemaps checked, "
          f"{len(checker.problems)} problem{'s' if len(checker.problems) != 1 else ''}")
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
