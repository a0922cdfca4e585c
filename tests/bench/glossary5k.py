#!/usr/bin/env python3
"""glossary5k.py CONTENT OUT N — a copy of CONTENT whose glossary.yaml has N
terms: the corpus's own terms, then the most frequent 2-4 character Han
n-grams of the articles (so that the extra terms really occur), each with a
made-up pinyin and English.  Articles are hard-linked, not copied.
Deterministic for a given corpus and N; standard library only.
"""
import collections
import os
import re
import shutil
import sys


def main():
    src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "articles"))
    for name in ("site.yaml", "taxonomy.yaml"):
        shutil.copy(os.path.join(src, name), os.path.join(out, name))
    arts = os.path.join(src, "articles")
    counts = collections.Counter()
    names = sorted(os.listdir(arts))
    for i, name in enumerate(names):
        os.link(os.path.join(arts, name), os.path.join(out, "articles", name))
        if not name.endswith(".zh.md") or i % 7:
            continue  # a sample of the articles is enough to rank n-grams
        text = open(os.path.join(arts, name), encoding="utf-8").read()
        text = text.split("\n---\n", 1)[-1]          # the body only
        text = re.sub(r"\[[^\]]*\]\([^)]*\)", " ", text)  # no link texts
        for run in re.findall(r"[\u4e00-\u9fff]{2,}", text):
            for k in (2, 3, 4):
                for j in range(len(run) - k + 1):
                    counts[run[j:j + k]] += 1
    glossary = open(os.path.join(src, "glossary.yaml"), encoding="utf-8").read()
    have = set(re.findall(r"(?m)^-? *zh:\s*\"?([^\"\n,}]+)", glossary))
    # Terms local to articles or given ad hoc must not be redefined.
    for name in names:
        if name.endswith(".zh.md"):
            head = open(os.path.join(arts, name), encoding="utf-8").read(4000)
            have |= set(re.findall(r"\{zh: \"([^\"]+)\"", head))
            have |= set(re.findall(r"\[([^\]]+)\]\(gloss:", head))
    extra = []
    for gram, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(have) + len(extra) >= n:
            break
        if gram not in have:
            extra.append(gram)
    with open(os.path.join(out, "glossary.yaml"), "w", encoding="utf-8") as f:
        f.write(glossary.rstrip("\n") + "\n")
        for i, gram in enumerate(extra):
            f.write(f'- {{zh: "{gram}", pinyin: "ci{i}", en: "term {i}"}}\n')
    print(f"{out}: {len(have) + len(extra)} glossary terms")


if __name__ == "__main__":
    main()
