#!/usr/bin/env python3
"""glossary.py CONTENT PUBLIC — checks glossary annotation over a built site.

For every zh article page (whose body is the Chinese original):
  * no term is annotated more than once;
  * every glossary.yaml term that the text shows outside links, code and
    headings (and outside a longer term that wins there, leftmost-longest)
    is annotated exactly once;
  * each annotation's footnote lists the term with glossary.yaml's English;
  * the glossary pages list every glossary.yaml term.
Standard library only; glossary.yaml is read with a minimal reader that
understands the `- zh: ...` / `  en: ...` block lists the archive uses.
"""
import html.parser
import os
import re
import sys


def read_glossary(path):
    terms, cur = [], None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^(-|\s)\s*(zh|en|pinyin):\s*(.*?)\s*$", line)
        if not m:
            continue
        if m.group(1) == "-":
            cur = {}
            terms.append(cur)
        value = m.group(3)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        cur[m.group(2)] = value
    return [t for t in terms if "zh" in t and "en" in t]


# Text a reader sees but the matcher must not annotate ("a" means a link
# other than a glossary note's own a.gl).
SKIP = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "rt", "rp", "sup", "script", "style"}
BLOCKS = {"p", "li", "blockquote", "td", "th", "dd", "dt", "div"}


class Prose(html.parser.HTMLParser):
    """Collects, per block, the text a reader sees outside links, code and
    headings, and the glossary notes (a.gl) with the notes they link to."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth_prose = 0
        self.stack = []
        self.blocks = [""]
        self.annotated = []      # base text of each a.gl
        self.in_gl = 0
        self.gl_text = ""
        self.notes = {}          # note id -> (term, english)
        self.refs = {}           # note id -> how many a.gl link to it
        self.note_id = None
        self.note_field = None
        self.note_depth = 0
        self.note = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        self.stack.append((tag, cls))
        if tag == "div" and "prose" in cls:
            self.depth_prose = len(self.stack)
        if self.depth_prose and tag in BLOCKS:
            self.blocks.append("")
        if tag == "a" and "gl" in cls:
            self.in_gl = len(self.stack)
            self.gl_text = ""
            ref = (a.get("href") or "").lstrip("#")
            self.refs[ref] = self.refs.get(ref, 0) + 1
        if tag == "li" and (a.get("id") or "").startswith("n_"):
            self.note_id = a["id"]
            self.note_depth = len(self.stack)
            self.note = {}
        elif self.note_id and len(self.stack) == self.note_depth + 1:
            # the note's first child is its term; span[lang=en] the English
            if "term" not in self.note:
                self.note_field = "term"
                self.note["term"] = ""
            elif tag == "span" and a.get("lang") == "en":
                self.note_field = "en"

    def handle_endtag(self, tag):
        while self.stack:
            t, cls = self.stack.pop()
            if self.in_gl and len(self.stack) < self.in_gl:
                self.annotated.append(self.gl_text)
                self.in_gl = 0
            if self.depth_prose and len(self.stack) < self.depth_prose:
                self.depth_prose = 0
            if t == "li" and self.note_id:
                self.notes[self.note_id] = (self.note.get("term"), self.note.get("en"))
                self.note_id = None
            if self.note_id and len(self.stack) == self.note_depth:
                self.note_field = None
            if t == tag:
                break

    def handle_data(self, data):
        if self.note_field:
            self.note[self.note_field] = self.note.get(self.note_field, "") + data
        if not self.depth_prose:
            return
        if any(t in SKIP and not (t == "a" and "gl" in c) for t, c in self.stack):
            return
        self.blocks[-1] += data
        if self.in_gl:
            self.gl_text += data


def leftmost_longest(text, terms):
    """The set of terms the generator's matcher finds in text."""
    found, i = set(), 0
    by_first = {}
    for t in terms:
        by_first.setdefault(t[0], []).append(t)
    for k in by_first:
        by_first[k].sort(key=len, reverse=True)
    while i < len(text):
        hit = None
        for t in by_first.get(text[i], []):
            if text.startswith(t, i) and boundary_ok(text, i, t):
                hit = t
                break
        if hit:
            found.add(hit)
            i += len(hit)
        else:
            i += 1
    return found


def is_word(c):
    return c.isascii() and c.isalnum()


def boundary_ok(text, i, t):
    if is_word(t[0]) and i > 0 and is_word(text[i - 1]):
        return False
    end = i + len(t)
    if is_word(t[-1]) and end < len(text) and is_word(text[end]):
        return False
    return True


def main():
    content, public = sys.argv[1], sys.argv[2]
    terms = read_glossary(os.path.join(content, "glossary.yaml"))
    english = {t["zh"]: t["en"] for t in terms}
    problems = []
    pages = 0
    notes_total = [0]
    zh_articles = os.path.join(public, "zh", "articles")
    for slug in sorted(os.listdir(zh_articles)):
        page = os.path.join(zh_articles, slug, "index.html")
        if not os.path.isfile(page):
            continue
        pages += 1
        p = Prose()
        p.feed(open(page, encoding="utf-8").read())
        counts = {}
        for a in p.annotated:
            counts[a] = counts.get(a, 0) + 1
        for term, n in counts.items():
            if term in english and n > 1:
                problems.append(f"{page}: '{term}' annotated {n} times")
        expected = set()
        for block in p.blocks:
            expected |= leftmost_longest(block, list(english))
        for term in sorted(expected):
            if counts.get(term, 0) != 1:
                problems.append(f"{page}: '{term}' occurs but is annotated "
                                f"{counts.get(term, 0)} times")
        if p.annotated and not p.notes:
            problems.append(f"{page}: {len(p.annotated)} annotations but no notes")
        for num, (term, en) in p.notes.items():
            if p.refs.get(num, 0) != 1:
                problems.append(f"{page}: note {num} has {p.refs.get(num, 0)} "
                                f"annotations linking to it, not 1")
            if term in english and en != english[term]:
                problems.append(f"{page}: note {num} gives '{term}' as '{en}', "
                                f"glossary.yaml says '{english[term]}'")
        for ref in p.refs:
            if ref not in p.notes:
                problems.append(f"{page}: an annotation links to #{ref}, which is no note")
        checked_notes = sum(1 for t, _ in p.notes.values() if t in english)
        notes_total[0] += checked_notes
    for lang in ("zh", "en"):
        index = os.path.join(public, lang, "glossary", "index.html")
        text = open(index, encoding="utf-8").read()
        for t in terms:
            escaped = t["zh"].replace("&", "&amp;").replace("<", "&lt;")
            if escaped not in text:
                problems.append(f"{index}: term '{t['zh']}' is missing")
    for line in problems:
        print(line)
    if pages and not notes_total[0]:
        problems.append("no note names a glossary.yaml term: the notes were not read")
    print(f"glossary: {pages} zh article pages, {notes_total[0]} notes and "
          f"{len(terms)} terms checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
