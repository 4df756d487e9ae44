#!/usr/bin/env python3
"""Clusters every prefix of Corpora/demo in publication order (20 articles and more), each on
its own as a small night would be, and scores it against the demo's gold (issue 18, point 3:
every prefix should reach BCubed F1 0.95).

    python3 Benchmarks/demo_prefixes.py [--binary PATH] [-- cluster options...]

Prints one line per prefix (articles, BCubed F1, found / gold stories) and a summary line.
"""
import argparse
import datetime
import json
import os
import sys
import tempfile

from eval import cluster_and_score

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(ROOT, "Corpora", "demo")
SMALLEST = 20
TARGET = 0.95


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "newscluster"))
    parser.add_argument("options", nargs="*", help="cluster options, after --")
    args = parser.parse_args()
    with open(os.path.join(DEMO, "articles.jsonl"), encoding="utf-8") as f:
        articles = [json.loads(line) for line in f if line.strip()]
    articles.sort(key=lambda a: datetime.datetime.fromisoformat(a["published"]))
    with open(os.path.join(DEMO, "gold.tsv"), encoding="utf-8") as f:
        header, *rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    gold = {r[0]: r for r in rows}
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(SMALLEST, len(articles) + 1):
            folder = os.path.join(tmp, str(n))
            os.makedirs(os.path.join(folder, "gold"))
            with open(os.path.join(folder, "articles.jsonl"), "w", encoding="utf-8") as f:
                for a in articles[:n]:
                    f.write(json.dumps(a, ensure_ascii=False) + "\n")
            with open(os.path.join(folder, "gold", "gold.tsv"), "w", encoding="utf-8") as f:
                f.write("\t".join(header) + "\n")
                for a in articles[:n]:
                    f.write("\t".join(gold[a["id"]]) + "\n")
            scores = cluster_and_score(args.binary, os.path.join(folder, "articles.jsonl"), os.path.join(folder, "gold"),
                                       os.path.join(folder, "out"), args.options)["clusters"]
            results.append((n, scores["bcubed_f1"], scores["predicted_clusters"], scores["gold_clusters"]))
    for n, f1, found, stories in results:
        print(f"{n:3d} articles  BCubed F1 {f1:.3f}  stories found {found} / gold {stories}")
    below = [r for r in results if r[1] < TARGET]
    print(f"demo prefixes of {SMALLEST}-{len(articles)} articles: lowest BCubed F1 {min(r[1] for r in results):.3f}, "
          f"mean {sum(r[1] for r in results) / len(results):.3f}; {len(below)} of {len(results)} below {TARGET}")


if __name__ == "__main__":
    sys.exit(main())
