#!/usr/bin/env python3
"""Clusters every labelled corpus with one set of options and prints one table.

    python3 Benchmarks/eval.py [--corpora DIR] [--binary PATH] [--json FILE] [-- cluster options...]

Each corpus folder of DIR (default ../shared/corpora) is clustered with `newscluster cluster`
(default options unless some follow `--`) and scored with `newscluster evaluate --json`.
Columns: articles, gold/found stories, BCubed F1, ARI, duplicate P/R, pair F1 (all pairs and
per language where the corpus labels pairs), wall-clock seconds of the cluster run.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpora", default=os.path.join(ROOT, "..", "shared", "corpora"))
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "newscluster"))
    parser.add_argument("--json", help="also write the scores of every corpus to this file")
    parser.add_argument("--only", help="comma-separated corpus names")
    parser.add_argument("--brief", action="store_true", help="one line: the headline figure per corpus")
    parser.add_argument("options", nargs="*", help="cluster options, after --")
    args = parser.parse_args()
    if not os.path.isdir(args.corpora):
        sys.exit(f"no labelled corpora at {args.corpora}")
    names = sorted(n for n in os.listdir(args.corpora)
                   if os.path.isfile(os.path.join(args.corpora, n, "articles.jsonl")))
    if args.only:
        names = [n for n in names if n in args.only.split(",")]
    rows, scores = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            corpus = os.path.join(args.corpora, name)
            out = os.path.join(tmp, name)
            result = cluster_and_score(args.binary, corpus, corpus, out, args.options)
            related = related_topics(corpus, out)
            if related:
                result["related"] = related
            scores[name] = result
            rows.append(row(name, result))
    if args.brief:
        print(" ".join(brief(name, scores[name]) for name in names))
        return
    header = ["corpus", "articles", "gold/found stories", "BCubed F1", "ARI", "dup P / R", "pair F1", "seconds"]
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    for name in [n for n in LANGUAGE_CORPORA if n in names]:
        with tempfile.TemporaryDirectory() as tmp:
            r = language_accuracy(args.binary, os.path.join(args.corpora, name), tmp)
        scores[name]["language_id"] = r
        print(f"language identification on {name} (its language fields removed): {r['correct']}/{r['supported']} "
              f"= {r['accuracy']:.4f} of the articles in a language it knows; {r['und_unsupported']}/{r['unsupported']} "
              f"of the others \"und\"; errors: {r['errors']}")
    for name in [n for n in TITLE_CORPORA if n in names]:
        with tempfile.TemporaryDirectory() as tmp:
            r = titles_only(args.binary, os.path.join(args.corpora, name), tmp, args.options)
        scores[name]["titles_only"] = r
        print(f"titles only on {name} (text = title): {r}")
    for name in names:
        r = scores[name].get("related")
        if r:
            print(f"related articles on {name} (gold topics): the first is of the same topic for "
                  f"{r['first_same_topic']:.3f} of the articles ({r['first_same_topic_of_listed']:.3f} of the "
                  f"{r['with_list']} with a list); {r['listed_same_topic']:.3f} of all {r['listed']} listed")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(scores, f, indent=2, sort_keys=True)


# Where `make eval` measures headline-only input: each text replaced by its title.
TITLE_CORPORA = ["ecbplus-traindev-scraped", "tgnews-pairs-dev"]


def cluster_and_score(binary, articles, gold, out, options):
    """Clusters `articles` (a file or folder) into `out` and scores the run against the gold
    folder `gold` (`newscluster evaluate --json`), with the cluster run's wall-clock seconds."""
    start = time.monotonic()
    subprocess.run([binary, "cluster", articles, "--out", out, "--quiet", *options], check=True)
    seconds = time.monotonic() - start
    result = json.loads(subprocess.run([binary, "evaluate", "--gold", gold, "--run", out, "--json"],
                                       check=True, capture_output=True, text=True).stdout)
    result["seconds"] = seconds
    return result


def titles_only(binary, corpus, tmp, options):
    """Clusters the corpus with every text replaced by its title (a headline feed) and scores it
    with the corpus's own gold: BCubed F1 and found/gold stories, or pair F1."""
    folder = os.path.join(tmp, "corpus")
    os.makedirs(folder)
    for gold in ("gold.tsv", "pairs.tsv"):
        if os.path.isfile(os.path.join(corpus, gold)):
            os.symlink(os.path.join(corpus, gold), os.path.join(folder, gold))
    with open(os.path.join(corpus, "articles.jsonl"), encoding="utf-8") as f, \
            open(os.path.join(folder, "articles.jsonl"), "w", encoding="utf-8") as out:
        for line in f:
            record = json.loads(line)
            record["text"] = record.get("title") or record["text"].split("\n")[0]
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    result = cluster_and_score(binary, folder, folder, os.path.join(tmp, "out"), options)
    c, p = result.get("clusters"), result.get("pairs")
    if c:
        return (f"BCubed F1 {c['bcubed_f1']:.3f} (P {c['bcubed_p']:.3f} / R {c['bcubed_r']:.3f}), "
                f"{c['predicted_clusters']} stories found for {c['gold_clusters']}")
    a = p["all"]
    return f"pair F1 {a['f1']:.3f} (P {a['p']:.3f} / R {a['r']:.3f})"


# Where `make eval` measures the language identifier: labelled texts in many languages.
LANGUAGE_CORPORA = ["semeval-pairs-dev", "tgnews-pairs-dev"]
# The languages newscluster identifies (`LanguageIdentifier`).
KNOWN_LANGUAGES = {"en", "de", "fr", "es", "it", "pt", "nl", "pl", "tr", "uk", "ru", "bg"}


def language_accuracy(binary, corpus, tmp):
    """Clusters the corpus with its `language` fields removed and compares the language each
    article is given (stories.json) with the removed one."""
    truth = {}
    stripped = os.path.join(tmp, "articles.jsonl")
    with open(os.path.join(corpus, "articles.jsonl"), encoding="utf-8") as f, open(stripped, "w", encoding="utf-8") as out:
        for line in f:
            record = json.loads(line)
            language = (record.pop("language", None) or "").split("-")[0].lower()
            if language:
                truth[record["id"]] = language
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    subprocess.run([binary, "cluster", stripped, "--out", os.path.join(tmp, "out"), "--quiet"], check=True)
    with open(os.path.join(tmp, "out", "stories.json"), encoding="utf-8") as f:
        given = {m["id"]: m.get("language") for s in json.load(f)["stories"] for m in s["members"]}
    supported = [i for i, l in truth.items() if l in KNOWN_LANGUAGES and i in given]
    others = [i for i, l in truth.items() if l not in KNOWN_LANGUAGES and i in given]
    errors = {}
    for i in supported:
        if given[i] != truth[i]:
            key = f"{truth[i]}→{given[i]}"
            errors[key] = errors.get(key, 0) + 1
    correct = len(supported) - sum(errors.values())
    return {"supported": len(supported), "correct": correct, "accuracy": correct / max(1, len(supported)),
            "unsupported": len(others), "und_unsupported": sum(given[i] == "und" for i in others), "errors": errors}


def related_topics(corpus, out):
    """For gold that gives each article a `topic` (ECB+: a topic holds sister events): how often
    an article's first related article, and each listed one, is of its own topic."""
    gold_path = os.path.join(corpus, "gold.tsv")
    if not os.path.isfile(gold_path):
        return None
    with open(gold_path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if "topic" not in header:
            return None
        topic = {}
        for line in f:
            fields = line.rstrip("\n").split("\t")
            topic[fields[header.index("id")]] = fields[header.index("topic")]
    articles = first = with_list = listed = same = 0
    with open(os.path.join(out, "articles.jsonl"), encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record["id"] not in topic:
                continue
            articles += 1
            related = record.get("related") or []
            if related:
                with_list += 1
                first += topic.get(related[0]["id"]) == topic[record["id"]]
            listed += len(related)
            same += sum(topic.get(r["id"]) == topic[record["id"]] for r in related)
    return {"articles": articles, "with_list": with_list, "first_same_topic": first / max(1, articles),
            "first_same_topic_of_listed": first / max(1, with_list), "listed": listed,
            "listed_same_topic": same / max(1, listed)}


def brief(name, r):
    c, d, p = r.get("clusters"), r.get("duplicates"), r.get("pairs")
    parts = []
    if c:
        parts.append(f"{c['bcubed_f1']:.3f}")
    if d:
        parts.append(f"dup {d['p']:.3f}/{d['r']:.3f}")
    if p:
        parts.append(f"{p['all']['f1']:.3f}")
        if "ru" in p.get("by_lang", {}):
            parts.append(f"ru {p['by_lang']['ru']['f1']:.3f}")
    return f"{name.split('-')[0][:7]}:" + ",".join(parts)


def row(name, r):
    c, d, p = r.get("clusters"), r.get("duplicates"), r.get("pairs")
    stories = f"{c['gold_clusters']} / {c['predicted_clusters']}" if c else "–"
    bcubed = f"{c['bcubed_f1']:.3f}" if c else "–"
    ari = f"{c['ari']:.3f}" if c else "–"
    dup = f"{d['p']:.3f} / {d['r']:.3f}" if d else "–"
    if p:
        langs = p.get("by_lang", {})
        detail = " ".join(f"{k} {v['f1']:.3f}" for k, v in sorted(langs.items())) if len(langs) <= 3 else ""
        pair = f"{p['all']['f1']:.3f}" + (f" ({detail})" if detail else "")
    else:
        pair = "–"
    return [name, r["articles"], stories, bcubed, ari, dup, pair, f"{r['seconds']:.2f}"]


if __name__ == "__main__":
    main()
