#!/usr/bin/env python3
"""The recipes newscluster is compared with, run on the same articles.jsonl.

    Benchmarks/.venv/bin/python Benchmarks/peers.py CORPUS_JSONL \
        --task {sklearn-neighbors,sklearn-agglomerative,minhash} [--threshold T] --out RESULT.json

Each article's text is title + "\n" + text. The tasks (settings in Benchmarks/README.md):

- sklearn-neighbors: TfidfVectorizer(sublinear_tf=True, min_df=1), then
  NearestNeighbors(n_neighbors=11, metric='cosine', algorithm='brute').fit(X).kneighbors(X):
  every article's top 10 neighbours (the 11th is itself).
- sklearn-agglomerative: the same TfidfVectorizer, then AgglomerativeClustering(metric='precomputed',
  linkage='average', distance_threshold=1 - T, n_clusters=None) on the dense N x N cosine distance
  sklearn.metrics.pairwise.cosine_distances(X) (T = --threshold, default 0.2). Refuses N > 20000. Writes DIR/articles.jsonl (id, story,
  duplicate_group null) beside RESULT.json for `newscluster evaluate`.
- minhash: datasketch MinHash(num_perm=128) of word 5-gram shingles, MinHashLSH(threshold=T,
  default 0.5), candidate pairs kept when their estimated Jaccard is >= T, union-find ->
  duplicate groups. Writes DIR/articles.jsonl (id, story = own id, duplicate_group).

RESULT.json gets `seconds` per step (`import` is the loading of numpy/scikit-learn/datasketch)
and in all (`total`: from the start of main() to the labels written; the interpreter's own start
is not in it, the harness's wall-clock time of the process is), `peak_rss_bytes` (getrusage(RUSAGE_SELF).ru_maxrss of this
process), counts, the BLAS libraries in use (threadpoolctl) and the labels file when written.
Exit code 0 also when a task is skipped (`skipped` says why).
"""
import argparse
import json
import os
import re
import resource
import sys
import time

AGGLOMERATIVE_MAX_ARTICLES = 20000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", help="articles.jsonl (id, title, text, ...)")
    parser.add_argument("--task", required=True,
                        choices=["sklearn-neighbors", "sklearn-agglomerative", "minhash"])
    parser.add_argument("--threshold", type=float,
                        help="agglomerative: cosine similarity to merge at (default 0.2); "
                             "minhash: LSH and Jaccard threshold (default 0.5)")
    parser.add_argument("--out", required=True, help="RESULT.json; labels go to RESULT_DIR/articles.jsonl")
    args = parser.parse_args()

    result = {"task": args.task, "corpus": os.path.abspath(args.corpus), "seconds": {}}
    started = time.monotonic()
    step = Steps(result["seconds"])

    with step("read"):
        ids, texts = read_corpus(args.corpus)
    result["articles"] = len(ids)

    labels = None
    if args.task == "sklearn-neighbors":
        sklearn_neighbors(texts, step, result)
    elif args.task == "sklearn-agglomerative":
        threshold = 0.2 if args.threshold is None else args.threshold
        result["threshold"] = threshold
        if len(ids) > AGGLOMERATIVE_MAX_ARTICLES:
            n = len(ids)
            result["skipped"] = (
                f"{n} articles > {AGGLOMERATIVE_MAX_ARTICLES}: the dense {n} x {n} distance matrix alone "
                f"is {n * n * 8 / 2**30:.0f} GiB (float64), and AgglomerativeClustering copies it into a "
                f"condensed matrix with its triu indices (another {n * n * 12 / 2**30:.0f} GiB); "
                f"the machine has {physical_memory() / 2**30:.0f} GiB")
        else:
            stories = sklearn_agglomerative(texts, threshold, step, result)
            labels = [{"id": i, "story": f"a-{s}", "duplicate_group": None} for i, s in zip(ids, stories)]
    else:
        threshold = 0.5 if args.threshold is None else args.threshold
        result["threshold"] = threshold
        groups = minhash(texts, threshold, step, result)
        labels = [{"id": i, "story": i, "duplicate_group": None if g is None else f"m-{ids[g]}"}
                  for i, g in zip(ids, groups)]

    if labels is not None:
        directory = os.path.splitext(os.path.abspath(args.out))[0]
        with step("write"):
            os.makedirs(directory, exist_ok=True)
            with open(os.path.join(directory, "articles.jsonl"), "w", encoding="utf-8") as f:
                for record in labels:
                    f.write(json.dumps(record, ensure_ascii=False) + "\n")
        result["labels"] = directory

    result["seconds"]["total"] = time.monotonic() - started
    result["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    result["blas"] = blas_info()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2, sort_keys=True)
        f.write("\n")


class Steps:
    """`with step("name"):` adds the wall-clock seconds of the block to seconds["name"]."""

    def __init__(self, seconds):
        self.seconds = seconds

    def __call__(self, name):
        steps = self

        class Block:
            def __enter__(self):
                self.start = time.monotonic()

            def __exit__(self, *exc):
                steps.seconds[name] = steps.seconds.get(name, 0.0) + time.monotonic() - self.start

        return Block()


def read_corpus(path):
    ids, texts = [], []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if not isinstance(record, dict) or record.get("id") in (None, "") or not record.get("text"):
                continue
            title = record.get("title") or ""
            ids.append(str(record["id"]))
            texts.append(f"{title}\n{record['text']}")
    return ids, texts


def tfidf(texts, step, result):
    with step("import"):
        from sklearn.feature_extraction.text import TfidfVectorizer
    with step("vectorize"):
        matrix = TfidfVectorizer(sublinear_tf=True, min_df=1).fit_transform(texts)
    result["vocabulary"] = matrix.shape[1]
    result["nonzeros"] = int(matrix.nnz)
    return matrix


def sklearn_neighbors(texts, step, result):
    with step("import"):
        from sklearn.neighbors import NearestNeighbors
    matrix = tfidf(texts, step, result)
    with step("neighbors"):
        model = NearestNeighbors(n_neighbors=min(11, matrix.shape[0]), metric="cosine", algorithm="brute")
        model.fit(matrix)
        distances, indices = model.kneighbors(matrix)
    similarities = 1 - distances[:, 1:]
    result["neighbors_per_article"] = int(indices.shape[1] - 1)
    result["mean_top10_cosine"] = float(similarities.mean()) if similarities.size else None


def sklearn_agglomerative(texts, threshold, step, result):
    with step("import"):
        from sklearn.cluster import AgglomerativeClustering
        from sklearn.metrics.pairwise import cosine_distances
    matrix = tfidf(texts, step, result)  # rows are L2-normalised: X.X^T is the cosine
    n = matrix.shape[0]
    with step("distances"):
        # The dense N x N cosine distance 1 - X.X^T, as metric='cosine' means it; computed from
        # the sparse rows (AgglomerativeClustering(metric='cosine') would need X dense, N x vocabulary).
        distances = cosine_distances(matrix)
    with step("cluster"):
        model = AgglomerativeClustering(metric="precomputed", linkage="average",
                                        distance_threshold=1.0 - threshold, n_clusters=None)
        labels = model.fit_predict(distances)
    result["stories"] = int(labels.max()) + 1 if n else 0
    return labels.tolist()


WORD = re.compile(r"\w+")


def shingles(text, size=5):
    words = WORD.findall(text.lower())
    if len(words) <= size:
        return [" ".join(words).encode("utf-8")]
    return list({" ".join(words[i:i + size]).encode("utf-8") for i in range(len(words) - size + 1)})


def minhash(texts, threshold, step, result):
    with step("import"):
        from datasketch import MinHash, MinHashLSH
    with step("minhash"):
        hashes = list(MinHash.generator((shingles(t) for t in texts), num_perm=128))
    with step("lsh"):
        lsh = MinHashLSH(threshold=threshold, num_perm=128)
        for i, m in enumerate(hashes):
            lsh.insert(i, m)
        parent = list(range(len(hashes)))

        def find(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        candidates = accepted = 0
        for i, m in enumerate(hashes):
            for j in lsh.query(m):
                if j <= i:
                    continue
                candidates += 1
                if m.jaccard(hashes[j]) >= threshold:
                    accepted += 1
                    a, b = find(i), find(j)
                    if a != b:
                        parent[max(a, b)] = min(a, b)
    roots = [find(i) for i in range(len(hashes))]
    sizes = {}
    for r in roots:
        sizes[r] = sizes.get(r, 0) + 1
    result["candidate_pairs"] = candidates
    result["pairs_at_threshold"] = accepted
    result["duplicate_groups"] = sum(1 for s in sizes.values() if s > 1)
    result["articles_in_duplicate_groups"] = sum(s for s in sizes.values() if s > 1)
    # The group is named after its first article (the root is always the smallest index).
    return [r if sizes[r] > 1 else None for r in roots]


def blas_info():
    try:
        from threadpoolctl import threadpool_info
        return [{k: lib.get(k) for k in ("internal_api", "architecture", "num_threads", "version")}
                for lib in threadpool_info()]
    except Exception as error:  # threadpoolctl comes with scikit-learn; never fail a run for it
        return [{"error": str(error)}]


def physical_memory():
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 0


if __name__ == "__main__":
    sys.exit(main())
