#!/usr/bin/env python3
"""Local-mode test of the Spark scale-out: `spark-submit --master local[2]` runs of
scaleout/newscluster_spark.py give the reports of a one-machine `newscluster cluster` run.

Input: Corpora/demo plus generated articles (generate-corpus) split into shards, one of them
gzip-compressed, with bad input across them: an id repeated in another file, a malformed JSON line
in the last file, a numeric id (a warning). Runs:

  one machine   newscluster cluster INPUTS --out one/ --related 4
  spark, 1      spark-submit ... --partitions 1 (shared work dir, the local-mode default; the inputs
                given relative to the repository, spark-submit's working directory)
  spark, 7      spark-submit ... --partitions 7 --no-shared-work-dir (parts shipped through Spark)
  spark, fails  a binary whose tile tasks fail (its read, terms and vectors tasks succeed): exit 2,
                the reports already in --out stay as they were

Each Spark run has four phases of tasks, in order: read, terms (cleaning/tokenizing), vectors
and tiles; the first three run a task per input shard, the tiles N = --partitions tasks; the parts
are WORK/KIND-t.bin. The test checks that articles.jsonl and stories.json are byte-identical to the
one-machine run's, that run.json is equal once the timings and the fields saying how it ran are
dropped (timings, output, scaleout, blas.sgemm_gflops, neighbors.*_seconds; and
neighbors.copy_checks, see SPLIT_DEPENDENT), that `rejected` and `warnings` name the planted files
and lines, that spark.json lists the four phases in order with a figure for every task of each,
and that with --partitions 7 the read phase ran more than one task.

Run with the venv's python (make test-spark does it all). Environment:
  SCALEOUT_ARCHIVE     dist/newscluster-scaleout.tar.gz (the Spark runs ship it with --archives)
  NEWSCLUSTER_BINARY   the one-machine binary (default: the archive's bin/newscluster)
  SPARK_SUBMIT         scaleout/.venv/bin/spark-submit
  GENERATE_CORPUS      .build/release/generate-corpus
  SPARK_TEST_ARTICLES  generated articles (default 4000)
  SPARK_TEST_KEEP=1    keep the temporary directory (it is kept anyway when a check fails)
Exit status 0 when every check passed.
"""

import gzip
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scaleout", "newscluster_spark.py")
CLUSTER_OPTIONS = ["--related", "4"]
# The phases the driver process shares out, in order (newscluster_spark.PHASES).
PHASES = ["read", "terms", "vectors", "tiles"]
# A guard against a hung run, not a speed check: each run takes seconds, and a loaded machine
# must not fail the test.
TIMEOUT = 1200

passed, failed = [], []


def check(name, ok, detail=""):
    (passed if ok else failed).append(name)
    print(f"  {'ok  ' if ok else 'FAIL'} {name}" + (f"\n       {detail}" if detail and not ok else ""), flush=True)
    return ok


def path_from_env(name, default):
    value = os.environ.get(name) or default
    return value if os.path.isabs(value) else os.path.join(ROOT, value)


def run(command, env=None, **kwargs):
    started = time.monotonic()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT, **kwargs)
    return result, time.monotonic() - started


# ---------------------------------------------------------------- input


def make_input(tmp, generator, articles):
    generated = os.path.join(tmp, "generated")
    result, seconds = run([generator, "--articles", str(articles), "--seed", "11", "--out", generated, "--quiet"])
    if result.returncode != 0:
        raise SystemExit(f"generate-corpus failed ({result.returncode}):\n{result.stderr}")
    with open(os.path.join(generated, "articles.jsonl"), encoding="utf-8") as f:
        lines = [line for line in f.read().split("\n") if line]
    print(f"generated {len(lines)} articles in {seconds:.1f} s")

    shards = os.path.join(tmp, "shards")
    os.makedirs(shards)
    quarter = len(lines) // 4
    parts = [lines[:quarter], lines[quarter:2 * quarter], lines[2 * quarter:3 * quarter], lines[3 * quarter:]]
    planted_rejections = []  # (file name, line)
    planted_warnings = []

    # Shard 2: an article with a numeric id (accepted with a warning) at line 7.
    numeric = json.loads(parts[1][6])
    numeric["id"] = 987654321
    parts[1][6] = json.dumps(numeric, ensure_ascii=False)
    planted_warnings.append(("shard-2.jsonl", 7))

    # Shard 3 (gzip): line 10 repeats the id of shard 1's first article, with another text.
    repeated = json.loads(parts[0][0])
    repeated["title"] = "A different article under a repeated id"
    repeated["text"] = "This record reuses an id that another file already gave.\n" + repeated.get("text", "")
    parts[2].insert(9, json.dumps(repeated, ensure_ascii=False))
    planted_rejections.append(("shard-3.jsonl.gz", 10))

    # Shard 4, the last file: line 5 is malformed JSON.
    parts[3].insert(4, '{"id": "malformed-1", "title": "cut off", "text": "the line ends before the object')
    planted_rejections.append(("shard-4.jsonl", 5))

    for number, part in enumerate(parts, start=1):
        data = ("\n".join(part) + "\n").encode("utf-8")
        if number == 3:
            with gzip.open(os.path.join(shards, "shard-3.jsonl.gz"), "wb") as f:
                f.write(data)
        else:
            with open(os.path.join(shards, f"shard-{number}.jsonl"), "wb") as f:
                f.write(data)
    inputs = [os.path.join(ROOT, "Corpora", "demo"), shards]
    return inputs, planted_rejections, planted_warnings


# ---------------------------------------------------------------- comparing


# Work counters of the neighbour scan that depend on how it is split, not on the result: on one
# machine too, copy_checks is 8815 with --threads 1 and 8845 with --threads 2 (4,060 articles of
# the input below); 1 and 7 tile tasks give 8815 and 8830. Dropped from the comparison, and printed.
SPLIT_DEPENDENT = [("neighbors", "copy_checks")]


def normalized_run(path):
    """run.json without what differs between runs: timings and how the run was made."""
    with open(path, encoding="utf-8") as f:
        run_json = json.load(f)
    dropped = []
    for section, key in SPLIT_DEPENDENT:
        if key in run_json.get(section, {}):
            del run_json[section][key]
            dropped.append(f"{section}.{key}")
    for key in ("timings", "output", "scaleout"):
        if key in run_json:
            del run_json[key]
            dropped.append(key)
    if "sgemm_gflops" in run_json.get("blas", {}):
        del run_json["blas"]["sgemm_gflops"]
        dropped.append("blas.sgemm_gflops")
    for key in [k for k in run_json.get("neighbors", {}) if k.endswith("_seconds")]:
        del run_json["neighbors"][key]
        dropped.append(f"neighbors.{key}")
    return run_json, dropped


def differences(a, b, where=""):
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                out.append(f"{where}.{key}: only in {'the Spark run' if key in b else 'the one-machine run'}")
            else:
                out += differences(a[key], b[key], f"{where}.{key}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{where}[{i}]")]
    return [] if a == b else [f"{where or '.'}: {json.dumps(a)[:200]} != {json.dumps(b)[:200]}"]


def same_bytes(a, b):
    with open(a, "rb") as f, open(b, "rb") as g:
        x, y = f.read(), g.read()
    if x == y:
        return True, f"{len(x)} bytes"
    for i, (p, q) in enumerate(zip(x, y)):
        if p != q:
            break
    else:
        i = min(len(x), len(y))
    return False, f"{len(x)} vs {len(y)} bytes, first difference at byte {i}: {x[i:i + 80]!r} vs {y[i:i + 80]!r}"


def compare_reports(label, reference, spark_out):
    for name in ("articles.jsonl", "stories.json"):
        ok, detail = same_bytes(os.path.join(reference, name), os.path.join(spark_out, name))
        check(f"{label}: {name} byte-identical to the one-machine run's ({detail})" if ok
              else f"{label}: {name} byte-identical to the one-machine run's", ok, detail)
    for section, key in SPLIT_DEPENDENT:
        values = []
        for directory in (reference, spark_out):
            with open(os.path.join(directory, "run.json"), encoding="utf-8") as f:
                values.append(json.load(f).get(section, {}).get(key))
        if values[0] != values[1]:
            print(f"       note: {section}.{key} is {values[0]} on one machine, {values[1]} here (not compared)")
    ref_run, dropped = normalized_run(os.path.join(reference, "run.json"))
    spark_run, spark_dropped = normalized_run(os.path.join(spark_out, "run.json"))
    diff = differences(ref_run, spark_run)
    check(f"{label}: run.json equal without {', '.join(sorted(set(dropped) | set(spark_dropped)))}",
          not diff, "; ".join(diff[:10]))
    check(f"{label}: run.json has a top-level \"scaleout\" object", "scaleout" in spark_dropped,
          "(the binary adds it in Spark runs)")
    check(f"{label}: report.html written", os.path.isfile(os.path.join(spark_out, "report.html")))


def check_spark_json(label, work_dir, partitions, shared):
    """Checks spark.json and the parts it names; returns it (None when there is none)."""
    path = os.path.join(work_dir, "spark.json")
    if not check(f"{label}: spark.json written", os.path.isfile(path)):
        return None
    with open(path) as f:
        report = json.load(f)
    runs = report.get("phase_runs", [])
    kinds = [run.get("kind") for run in runs]
    check(f"{label}: spark.json lists the phases {', '.join(PHASES)} in order", kinds == PHASES,
          f"phase_runs: {kinds}")
    tasks = report.get("tasks", [])
    problems = []
    if report.get("partitions") != partitions:
        problems.append(f"partitions {report.get('partitions')}, expected {partitions}")
    if report.get("shared_work_dir") != shared:
        problems.append(f"shared_work_dir {report.get('shared_work_dir')}")
    for run in runs:
        kind, count = run.get("kind"), run.get("tasks")
        of_kind = [task for task in tasks if task.get("kind") == kind]
        if kind == "tiles" and count != partitions:
            problems.append(f"{count} tile tasks, expected {partitions}")
        if not isinstance(count, int) or count < 1 or len(of_kind) != count:
            problems.append(f"{kind}: {count} tasks in phase_runs, {len(of_kind)} in tasks")
        for t, task in enumerate(of_kind):
            part = os.path.join(work_dir, f"{kind}-{t}.bin")
            if task.get("task") != t or not (task.get("peak_rss_bytes") or 0) > 0 or task.get("seconds", -1) < 0:
                problems.append(f"{kind} task {t}: {task}")
            elif not os.path.isfile(part) or os.path.getsize(part) != task.get("part_bytes"):
                problems.append(f"{kind} task {t}: part_bytes {task.get('part_bytes')} but {part} "
                                f"has {os.path.getsize(part) if os.path.isfile(part) else 'no file'}")
    if len(tasks) != sum(run.get("tasks") or 0 for run in runs):
        problems.append(f"{len(tasks)} tasks, but phase_runs counts {sum(run.get('tasks') or 0 for run in runs)}")
    phases = report.get("phases", {})
    expected = ["spark_context", "driver_until_first_ready", *(f"{kind}_tasks" for kind in PHASES),
                "driver_between", "driver_after_last_done", "total"]
    absent = [key for key in expected if not isinstance(phases.get(key), (int, float)) or phases[key] < 0]
    if absent:
        problems.append(f"phases without {', '.join(absent)}: {phases}")
    driver = report.get("driver", {})
    if driver.get("exit_code") != 0 or not (driver.get("peak_rss_bytes") or 0) > 0:
        problems.append(f"driver: {driver}")
    for key in ("master", "spark_version"):
        if not report.get(key):
            problems.append(f"no {key}")
    check(f"{label}: spark.json has every phase's tasks ({partitions} tile tasks) with seconds, peak RSS and part "
          "bytes, each phase's seconds, and the driver's peak RSS", not problems, "; ".join(problems[:10]))
    for run in runs:
        of_kind = [task for task in tasks if task.get("kind") == run.get("kind")]
        figures = ", ".join(f"{t.get('seconds', 0):.1f} s/{(t.get('peak_rss_bytes') or 0) / 2**20:.0f} MiB"
                            for t in of_kind[:7])
        print(f"       {run.get('kind')}: {run.get('tasks')} tasks in {run.get('seconds', 0):.1f} s: {figures}")
    print(f"       driver peak {(driver.get('peak_rss_bytes') or 0) / 2**20:.0f} MiB; phases {phases}")
    return report


def check_bad_input(reference, planted_rejections, planted_warnings):
    with open(os.path.join(reference, "run.json"), encoding="utf-8") as f:
        run_json = json.load(f)
    rejected, warnings = run_json.get("rejected", []), run_json.get("warnings", [])
    print(f"one-machine run: {len(rejected)} rejected, {len(warnings)} warnings:")
    for entry in rejected + warnings:
        print(f"       {json.dumps(entry, ensure_ascii=False)[:200]}")
    named = all(isinstance(e.get("file"), str) and isinstance(e.get("line"), int) for e in rejected + warnings)
    check("rejected and warnings entries name file and line", named and bool(rejected) and bool(warnings))
    found = {(os.path.basename(e.get("file", "")), e.get("line")) for e in rejected}
    check(f"rejected names the planted records {planted_rejections}",
          all(p in found for p in planted_rejections), f"rejected: {sorted(found)}")
    found = {(os.path.basename(e.get("file", "")), e.get("line")) for e in warnings}
    check(f"warnings name the planted record {planted_warnings}",
          all(p in found for p in planted_warnings), f"warnings: {sorted(found)}")


# ---------------------------------------------------------------- main


def main():
    archive = path_from_env("SCALEOUT_ARCHIVE", "dist/newscluster-scaleout.tar.gz")
    spark_submit = path_from_env("SPARK_SUBMIT", "scaleout/.venv/bin/spark-submit")
    generator = path_from_env("GENERATE_CORPUS", ".build/release/generate-corpus")
    articles = int(os.environ.get("SPARK_TEST_ARTICLES", "4000"))
    for what, path in (("archive (make scaleout-package)", archive), ("spark-submit (make spark-deps)", spark_submit),
                       ("generate-corpus (swift build -c release --product generate-corpus)", generator)):
        if not os.path.isfile(path):
            raise SystemExit(f"test_spark: no {what} at {path}")

    tmp = tempfile.mkdtemp(prefix="newscluster-spark-test-")
    print(f"test_spark: working in {tmp}")
    started = time.monotonic()

    unpacked = os.path.join(tmp, "archive")
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    binary = os.environ.get("NEWSCLUSTER_BINARY") or os.path.join(unpacked, "bin", "newscluster")
    binary_env = dict(os.environ)
    if not os.environ.get("NEWSCLUSTER_BINARY"):
        binary_env["LD_LIBRARY_PATH"] = os.path.join(unpacked, "lib") + (
            ":" + os.environ["LD_LIBRARY_PATH"] if os.environ.get("LD_LIBRARY_PATH") else "")
    print(f"one-machine binary: {binary}\narchive: {archive}\nspark-submit: {spark_submit}")

    inputs, planted_rejections, planted_warnings = make_input(tmp, generator, articles)

    reference = os.path.join(tmp, "one")
    result, seconds = run([binary, "cluster", *inputs, "--out", reference, *CLUSTER_OPTIONS], env=binary_env)
    if result.returncode != 0:
        raise SystemExit(f"the one-machine run failed ({result.returncode}):\n{result.stderr[-4000:]}")
    print(f"one-machine run: {seconds:.1f} s")
    check_bad_input(reference, planted_rejections, planted_warnings)

    # Command-line mistakes: exit 64 before any Spark (the script reads its arguments first).
    demo = os.path.join(ROOT, "Corpora", "demo")
    for arguments, why in (([demo, "--out", os.path.join(tmp, "x"), "--story-threshold", "0.3"], "a cluster option before --"),
                           (["-", "--out", os.path.join(tmp, "x")], "standard input as input"),
                           ([demo, "--out", os.path.join(tmp, "x"), "--", "--tasks", "3"], "--tasks after --"),
                           ([demo, "--out", os.path.join(tmp, "x"), "--", "--task-dir=/tmp"], "--task-dir after --")):
        result, _ = run([sys.executable, SCRIPT, *arguments])
        check(f"usage: {why}: exit 64 with a message", result.returncode == 64 and "newscluster_spark.py:" in result.stderr,
              f"exit {result.returncode}: {result.stderr[-500:]}")

    spark_env = dict(os.environ)
    spark_env.setdefault("PYSPARK_PYTHON", sys.executable)  # the venv's python, also for the workers
    spark_env.pop("NEWSCLUSTER_BINARY", None)
    log4j = os.path.join(ROOT, "scaleout", "log4j2.properties")
    base = [spark_submit, "--master", "local[2]", "--conf", "spark.ui.enabled=false",
            "--driver-java-options", f"-Dlog4j2.configurationFile=file:{log4j}",
            "--archives", f"{archive}#newscluster", SCRIPT]

    for partitions, extra, shared in ((1, [], True), (7, ["--no-shared-work-dir"], False)):
        label = f"spark --partitions {partitions}" + (" (parts shipped)" if not shared else " (shared work dir)")
        out = os.path.join(tmp, f"spark-{partitions}")
        work = os.path.join(tmp, f"work-{partitions}")
        # The first run gives the inputs relative to its working directory (the repository): the
        # script passes them on absolute, as the tasks, in another working directory, need them.
        given = [os.path.relpath(path, ROOT) for path in inputs] if partitions == 1 else inputs
        command = base + [*given, "--out", out, "--partitions", str(partitions), "--work-dir", work,
                          "--keep-work-dir", *extra, "--", *CLUSTER_OPTIONS]
        result, seconds = run(command, env=spark_env, cwd=ROOT)
        print(f"{label}: spark-submit exited {result.returncode} in {seconds:.1f} s")
        if not check(f"{label}: exit 0", result.returncode == 0, result.stderr[-6000:]):
            continue
        compare_reports(label, reference, out)
        report = check_spark_json(label, work, partitions, shared)
        if report is not None and partitions == 7:
            read = [run.get("tasks") for run in report.get("phase_runs", []) if run.get("kind") == "read"]
            check(f"{label}: the read phase ran more than one task", bool(read) and (read[0] or 0) > 1,
                  f"read tasks: {read}")
        # spark-submit merges the Python driver's stderr into its stdout (Spark's PythonRunner): the
        # binary's messages and the script's are there, the protocol's ready lines are not.
        said = result.stdout + result.stderr
        check(f"{label}: the binary's and the script's messages reach spark-submit's output, the ready lines do not",
              "newscluster-spark:" in said and "record(s) rejected" in said and "newscluster-tasks ready" not in said,
              f"output: {said[-1500:]!r}")

    # A tile task fails (after the read, terms and vectors tasks, which run the real binary, passed):
    # exit 2, and the reports already in --out stay.
    failing = os.path.join(tmp, "failing", "bin", "newscluster")
    os.makedirs(os.path.dirname(failing))
    with open(failing, "w") as f:
        f.write("#!/bin/sh\n"
                'if [ "$1" = stage ] && [ "$2" = tile-task ]; then echo "planted failure of a tile task" >&2; exit 7; fi\n'
                f"LD_LIBRARY_PATH='{binary_env.get('LD_LIBRARY_PATH', '')}' exec '{binary}' \"$@\"\n")
    os.chmod(failing, 0o755)
    out = os.path.join(tmp, "spark-failing")
    shutil.copytree(reference, out)
    command = base + [os.path.join(ROOT, "Corpora", "demo"), "--out", out, "--partitions", "2",
                      "--binary", failing, "--", *CLUSTER_OPTIONS]
    result, seconds = run(command, env=spark_env)
    print(f"spark with failing tile tasks: spark-submit exited {result.returncode} in {seconds:.1f} s")
    check("failing tile task: exit 2", result.returncode == 2, result.stderr[-3000:])
    said = result.stdout + result.stderr
    check("failing tile task: the output has the task's and says no reports are written",
          "planted failure of a tile task" in said and "no reports are written" in said, said[-3000:])
    unchanged = all(same_bytes(os.path.join(reference, n), os.path.join(out, n))[0]
                    for n in ("articles.jsonl", "stories.json", "run.json"))
    check("failing tile task: the reports in --out are the previous ones", unchanged)

    print(f"test_spark: {time.monotonic() - started:.0f} s")
    if failed or os.environ.get("SPARK_TEST_KEEP"):
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"spark: {len(passed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
