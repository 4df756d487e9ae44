#!/usr/bin/env python3
"""The Spark scale-out against the single binary, side by side in one run (`make bench-spark`).

For each size (default 100,000 and 1,000,000 generated articles, --window-days 3; the corpora
of bench.py, in Benchmarks/.cache/N/), in this order:

  one machine   newscluster cluster CORPUS --out ... --window-days 3
  spark         spark-submit --master local[2] scaleout/newscluster_spark.py CORPUS --out ...
                --partitions P --work-dir ... --keep-work-dir -- --window-days 3

and prints: wall seconds of each and their ratio (the scale-out's overhead on one machine: the
same two cores run the driver process, the JVM and the tasks); whether articles.jsonl and
stories.json are byte-identical; peak memory of the single binary, of the newscluster driver
process (and its own seconds: before, between and after the phases of tasks), of the largest
task of each phase, and of the spark-submit process tree's largest process (the JVM holding
Spark's driver and its local executor); per phase (read, terms, vectors, tiles: see
scaleout/newscluster_spark.py) its wall seconds, task count and the sum and spread of its tasks'
seconds; and from those what 10M articles would take on N executor cores (see estimate()).

Results go to Benchmarks/.cache/spark-results-N.json. Options: --sizes 100000,1000000,
--partitions P (default 8), --master (default local[2]).
"""

import argparse
import filecmp
import json
import os
import shutil
import statistics
import sys
from collections import Counter

import bench

ROOT = bench.ROOT
WINDOW_DAYS = 3
SCRIPT = os.path.join(ROOT, "scaleout", "newscluster_spark.py")
ARCHIVE = os.path.join(ROOT, "dist", "newscluster-scaleout.tar.gz")
SPARK_SUBMIT = os.path.join(ROOT, "scaleout", ".venv", "bin", "spark-submit")
SPARK_PYTHON = os.path.join(ROOT, "scaleout", ".venv", "bin", "python")
# The phases of tasks of a Spark run, in order (newscluster_spark.PHASES); the first three grow
# linearly with the articles, the tile scan with the pairs within the window (see estimate()).
PHASES = ("read", "terms", "vectors", "tiles")
LINEAR_PHASES = ("read", "terms", "vectors")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "newscluster"))
    parser.add_argument("--generator", default=os.path.join(ROOT, ".build", "release", "generate-corpus"))
    args = parser.parse_args()
    for path in (args.binary, args.generator, ARCHIVE, SPARK_SUBMIT):
        if not os.path.exists(path):
            sys.exit(f"spark_bench: {path} is missing (make bench-spark builds it)")
    for size in (int(s) for s in args.sizes.split(",")):
        results = bench_size(args, size)
        path = os.path.join(bench.CACHE, f"spark-results-{size}.json")
        with open(path, "w") as f:
            json.dump(results, f, indent=1, sort_keys=True)
        print_report(results)
        bench.log(f"results in {os.path.relpath(path, ROOT)}")


def bench_size(args, size):
    corpus_dir, corpus = bench.ensure_corpus(args.generator, size)
    runs = os.path.join(corpus_dir, "runs")
    options = ["--window-days", str(WINDOW_DAYS)]
    single_out = os.path.join(runs, "single")
    bench.log(f"spark bench {size}: one machine")
    single = bench.run_newscluster(args.binary, corpus, single_out, options)
    if "error" in single:
        sys.exit(f"spark_bench: the one-machine run failed: {single['error']}")

    spark_out, work = os.path.join(runs, "spark"), os.path.join(runs, "spark-work")
    shutil.rmtree(spark_out, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
    command = [SPARK_SUBMIT, "--master", args.master, "--driver-memory", "2g",
               "--archives", ARCHIVE + "#newscluster", SCRIPT, corpus["abspath"], "--out", spark_out,
               "--partitions", str(args.partitions), "--work-dir", work, "--keep-work-dir", "--", *options, "--quiet"]
    bench.log(f"spark bench {size}: spark-submit --master {args.master}, {args.partitions} tile tasks "
              "(read, terms, vectors: a task per input shard)")
    os.environ["PYSPARK_PYTHON"] = SPARK_PYTHON
    spark = bench.measure(command, spark_out + ".stderr.txt")
    if spark["returncode"] != 0:
        sys.exit(f"spark_bench: the Spark run failed ({spark['returncode']}): {spark['stderr_tail']}")
    with open(os.path.join(work, "spark.json")) as f:
        report = json.load(f)
    # spark.json stays; the phases' files and the parts (2.7 GB of tile parts alone at 1M) go.
    for name in os.listdir(work):
        if name.endswith(".bin"):
            os.remove(os.path.join(work, name))
    with open(os.path.join(spark_out, "run.json")) as f:
        spark_run = json.load(f)
    identical = {name: filecmp.cmp(os.path.join(single_out, name), os.path.join(spark_out, name), shallow=False)
                 for name in ("articles.jsonl", "stories.json")}
    tasks = report["tasks"]
    return {
        "articles": size, "window_days": WINDOW_DAYS, "master": args.master, "partitions": args.partitions,
        "machine": bench.machine(), "git": bench.git_state(),
        "single": {"seconds": single["seconds"], "peak_rss_bytes": single["peak_rss_bytes"],
                   "timings": single["timings"], "neighbors": single["neighbors"]},
        "spark": {"seconds": spark["seconds"], "process_tree_largest_rss_bytes": spark["peak_rss_bytes"],
                  "driver_process_peak_rss_bytes": report["driver"]["peak_rss_bytes"],
                  "driver_process_seconds": driver_seconds(report["phases"]),
                  "largest_task_peak_rss_bytes": max((t["peak_rss_bytes"] or 0 for t in tasks), default=0),
                  "phases": report["phases"], "phase_runs": report["phase_runs"],
                  "per_kind": per_kind(report), "task_cpus": report.get("task_cpus", 1),
                  "search_bin_bytes": report["search_bin_bytes"],
                  "tasks": tasks, "timings": spark_run["timings"], "scaleout": spark_run.get("scaleout")},
        "ratio": spark["seconds"] / single["seconds"],
        "identical": identical,
        "estimate": estimate(report, size),
    }


def driver_seconds(phases):
    """The newscluster driver process's own seconds: before the first phase of tasks, between
    phases (it merges one phase's parts and writes the next one's file), after the last."""
    return phases["driver_until_first_ready"] + phases["driver_between"] + phases["driver_after_last_done"]


def per_kind(report):
    """Per phase that ran, in order: wall seconds (ready line to done line), task count, the sum,
    min, median and max of its tasks' seconds, and its largest task's peak RSS."""
    out = {}
    for run in report["phase_runs"]:
        kind = run["kind"]
        tasks = [t for t in report["tasks"] if t["kind"] == kind]
        seconds = [t["seconds"] for t in tasks] or [0.0]
        out[kind] = {"wall_seconds": report["phases"].get(f"{kind}_tasks", run["seconds"]), "tasks": len(tasks),
                     "task_seconds": sum(seconds), "min": min(seconds), "median": statistics.median(seconds),
                     "max": max(seconds), "part_bytes": run.get("part_bytes"), "in_bytes": run.get("in_bytes"),
                     "largest_peak_rss_bytes": max((t["peak_rss_bytes"] or 0 for t in tasks), default=0)}
    return out


def estimate(report, size):
    """What 10M articles would take, from the measured per-task figures. Every phase's tasks are
    executor work: their seconds × spark.task.cpus are its core-seconds. Reading, cleaning and
    tokenizing (terms) and vectorizing do the same work per article, so their core-seconds grow
    linearly with the articles. The tile scan compares each article with the articles published
    within the window of it: its work is articles × (articles per window). 10M articles over the
    same days (10× as many per day) is 100× the scan's work; 10M at the same rate over 10× the
    days is 10×. N executor cores divide the executor work (assuming each phase has at least N
    tasks of about equal size); the driver process's own time (the input plan, merging each
    phase's parts, the vocabulary, the exact re-scoring, group, describe, report) runs on the
    driver and grows linearly."""
    cpus = report.get("task_cpus", 1) or 1
    core = Counter()
    for task in report["tasks"]:
        core[task["kind"]] += task["seconds"] * cpus
    linear = sum(core[kind] for kind in LINEAR_PHASES)
    scan = core["tiles"]
    driver = driver_seconds(report["phases"])
    factor = 10_000_000 / size
    out = {"core_seconds": {kind: core[kind] for kind in PHASES}, "linear_core_seconds": linear,
           "scan_core_seconds": scan, "driver_seconds": driver, "factor": factor}
    for name, growth in (("same_days", factor * factor), ("same_rate", factor)):
        executor = linear * factor + scan * growth
        out[name] = {"scan_core_hours": scan * growth / 3600, "linear_core_hours": linear * factor / 3600,
                     "executor_core_hours": executor / 3600, "driver_minutes": driver * factor / 60,
                     "wall_minutes": {str(n): (driver * factor + executor / n) / 60 for n in (10, 50, 200)}}
    return out


def print_report(results):
    single, spark = results["single"], results["spark"]
    gib = 2 ** 30
    print(f"\n## Spark local mode vs one machine: {results['articles']:,} articles, --window-days {results['window_days']}"
          f" ({results['master']}, {results['partitions']} tile tasks)\n")
    print("| | seconds | peak memory |")
    print("|---|---|---|")
    print(f"| one machine (`newscluster cluster`) | {single['seconds']:.1f} | {single['peak_rss_bytes'] / gib:.2f} GiB |")
    print(f"| Spark (`spark-submit`), whole | {spark['seconds']:.1f} | largest process {spark['process_tree_largest_rss_bytes'] / gib:.2f} GiB |")
    phases = spark["phases"]
    print(f"| — newscluster driver process, own time | {spark['driver_process_seconds']:.1f} "
          f"({phases['driver_until_first_ready']:.1f} before the tasks, {phases['driver_between']:.1f} between phases, "
          f"{phases['driver_after_last_done']:.1f} after) | {spark['driver_process_peak_rss_bytes'] / gib:.2f} GiB |")
    for kind, k in spark["per_kind"].items():
        print(f"| — {kind}: {k['tasks']} tasks | {k['wall_seconds']:.1f} wall; tasks {k['task_seconds']:.1f} in all, "
              f"{k['min']:.1f}–{k['max']:.1f} each (median {k['median']:.1f}) "
              f"| largest {k['largest_peak_rss_bytes'] / gib:.2f} GiB |")
    print(f"\noverhead ratio (Spark / one machine): {results['ratio']:.2f}×; "
          f"articles.jsonl {'identical' if results['identical']['articles.jsonl'] else 'DIFFERS'}, "
          f"stories.json {'identical' if results['identical']['stories.json'] else 'DIFFERS'}"
          + (f"; search file {spark['search_bin_bytes'] / 2**20:.0f} MiB" if spark.get("search_bin_bytes") else ""))
    e = results["estimate"]
    for name, what in (("same_days", "over the same days"), ("same_rate", "at the same rate per day")):
        x = e[name]
        print(f"10M {what}: read/terms/vectors tasks {x['linear_core_hours']:.1f} core-hours, tile scan "
              f"{x['scan_core_hours']:.1f} core-hours, driver process {x['driver_minutes']:.0f} min; "
              "wall on N executor cores " + ", ".join(f"{n}: {m:.0f} min" for n, m in x["wall_minutes"].items()))


if __name__ == "__main__":
    main()
