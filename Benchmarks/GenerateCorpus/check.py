#!/usr/bin/env python3
"""Sanity checks and statistics for a generate-corpus output directory (stdlib only).

Usage: python3 Benchmarks/GenerateCorpus/check.py DIR [--sample N]

Checks: every line of DIR/articles.jsonl is a JSON object with the seven fields of the right
types; ids are unique; DIR/gold.tsv has the header `id story duplicate_group` and exactly one
row per article; every duplicate group is named after its original, which is in the group; all
members of a group share the story; copies are published 20 min to 24 h after their original.
Prints corpus statistics (languages, stories, duplicate groups, sizes) and, for a sample of
stories, the word 4-gram overlap of copy pairs versus different reports of one story.
Exits 1 if a check fails.
"""

import collections
import datetime as dt
import json
import random
import re
import statistics
import sys
from pathlib import Path

FIELDS = ("id", "title", "text", "url", "source", "published", "language")
WORD = re.compile(r"\w+", re.UNICODE)


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    d = Path(args[0])
    sample = int(args[args.index("--sample") + 1]) if "--sample" in args else 300
    errors = []

    def err(msg):
        if len(errors) < 20:
            print("ERROR:", msg, file=sys.stderr)
        errors.append(msg)

    # gold
    gold = {}
    with open(d / "gold.tsv", encoding="utf-8") as f:
        header = f.readline().rstrip("\n")
        if header != "id\tstory\tduplicate_group":
            err(f"gold header {header!r}")
        prev = None
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3:
                err(f"gold row {line!r}")
                continue
            i, story, dup = parts
            if i in gold:
                err(f"gold: id {i} twice")
            if prev is not None and i <= prev:
                err(f"gold not sorted at {i}")
            prev = i
            gold[i] = (story, dup)

    # articles (keep only what the checks need)
    meta = {}
    langs = collections.Counter()
    sources = collections.Counter()
    sizes = []
    n = 0
    with open(d / "articles.jsonl", encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            n += 1
            try:
                o = json.loads(line)
            except json.JSONDecodeError as e:
                err(f"line {ln}: {e}")
                continue
            if not isinstance(o, dict) or tuple(o.keys()) != FIELDS:
                err(f"line {ln}: fields {list(o)[:8] if isinstance(o, dict) else type(o)}")
                continue
            if not all(isinstance(o[k], str) and o[k] for k in FIELDS):
                err(f"line {ln}: empty or non-string field")
            if o["id"] in meta:
                err(f"line {ln}: duplicate id {o['id']}")
            try:
                t = dt.datetime.fromisoformat(o["published"])
                if t.tzinfo is None:
                    err(f"line {ln}: published without offset")
            except ValueError:
                err(f"line {ln}: bad published {o['published']!r}")
                t = None
            langs[o["language"]] += 1
            sources[o["source"]] += 1
            sizes.append(len(line.encode("utf-8")))
            meta[o["id"]] = (t, o["language"], o["source"])
    if set(meta) != set(gold):
        err(f"ids in articles.jsonl and gold.tsv differ: {len(set(meta) ^ set(gold))} ids")

    # duplicate groups and stories
    groups = collections.defaultdict(list)
    stories = collections.defaultdict(list)
    for i, (story, dup) in gold.items():
        stories[story].append(i)
        if dup:
            groups[dup].append(i)
    for g, members in groups.items():
        if g not in members:
            err(f"group {g}: original not in its group")
            continue
        if len({gold[m][0] for m in members}) != 1:
            err(f"group {g}: members of different stories")
        if len(members) < 2:
            err(f"group {g}: single member")
        t0 = meta.get(g, (None,))[0]
        for m in members:
            if m != g and t0 is not None and meta.get(m, (None,))[0] is not None:
                delay = (meta[m][0] - t0).total_seconds()
                if not 20 * 60 - 1 <= delay <= 24 * 3600 + 1:
                    err(f"group {g}: copy {m} published {delay / 60:.0f} min after the original")
        if len({meta[m][2] for m in members if m in meta}) != len(members):
            err(f"group {g}: two members on one site")

    copies = sum(len(m) - 1 for m in groups.values())
    print(f"articles: {n} ({', '.join(f'{k} {v} ({100 * v / n:.1f}%)' for k, v in langs.most_common())})")
    print(f"line size: mean {statistics.mean(sizes):.0f} B, median {statistics.median(sizes):.0f} B, "
          f"total {sum(sizes) / 1e6:.1f} MB")
    print(f"sites: {len(sources)}; busiest {sources.most_common(1)[0][1]} articles, "
          f"quietest {min(sources.values())}")
    ss = sorted(len(v) for v in stories.values())
    buckets = collections.Counter(
        "1" if s == 1 else "2-3" if s <= 3 else "4-9" if s <= 9 else "10-19" if s <= 19 else "20+"
        for s in ss)
    print(f"stories: {len(stories)} (pages per story incl. copies: "
          + ", ".join(f"{k}: {buckets[k]}" for k in ("1", "2-3", "4-9", "10-19", "20+"))
          + f"; max {ss[-1]}, mean {statistics.mean(ss):.2f})")
    gs = collections.Counter(len(m) for m in groups.values())
    print(f"duplicate groups: {len(groups)}, copies {copies} ({100 * copies / n:.1f}% of articles); "
          f"group sizes {dict(sorted(gs.items()))}")

    # 4-gram overlap: copies vs. different reports of one story (texts include boilerplate)
    rng = random.Random(1)
    cand = [s for s, m in stories.items() if len(m) >= 2]
    picked = set(rng.sample(cand, min(sample, len(cand))))
    want = {i for s in picked for i in stories[s]}
    texts = {}
    with open(d / "articles.jsonl", encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            if o["id"] in want:
                texts[o["id"]] = o["text"]

    def shingles(t):
        w = WORD.findall(t.lower())
        return {tuple(w[k:k + 4]) for k in range(len(w) - 3)}

    dup_j, story_j = [], []
    for s in picked:
        m = stories[s]
        sh = {i: shingles(texts[i]) for i in m}
        for a in range(len(m)):
            for b in range(a + 1, len(m)):
                x, y = sh[m[a]], sh[m[b]]
                j = len(x & y) / max(1, len(x | y))
                da, db = gold[m[a]][1], gold[m[b]][1]
                (dup_j if da and da == db else story_j).append(j)
    if dup_j:
        print(f"4-gram Jaccard of whole pages: copy pairs median {statistics.median(dup_j):.3f} "
              f"(n={len(dup_j)}), other same-story pairs median {statistics.median(story_j):.3f} "
              f"max {max(story_j):.3f} (n={len(story_j)})")
    if errors:
        print(f"{len(errors)} error(s)", file=sys.stderr)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
