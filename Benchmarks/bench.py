#!/usr/bin/env python3
"""Speed and accuracy of newscluster next to the scikit-learn and datasketch recipes.

    python3 Benchmarks/bench.py [--sizes 20000,100000] [--large] [--skip-peers]

Builds nothing (`make bench` builds the release binaries first). For each size N it
1. generates a corpus with `generate-corpus --articles N --seed 1` into Benchmarks/.cache/N/
   unless one is there already;
2. runs `newscluster cluster` with the default threads (wall clock and peak RSS of the process),
   reads the per-stage timings, sgemm GFLOP/s and BLAS core from run.json;
3. on the 20,000 corpus only (or the smallest size when 20,000 is not asked for), runs it once
   more with `--threads 1` (tokenizer MB/s per core) and once with `--measure-recall`;
4. scores each run against gold.tsv with `newscluster evaluate --json`;
5. unless --skip-peers, runs Benchmarks/peers.py (sklearn-neighbors, sklearn-agglomerative,
   minhash) in Benchmarks/.venv, one process each, one after the other, and scores their labels;
6. prints one table and a block of details, and writes every figure to
   Benchmarks/.cache/results-N.json.

7. unless --large or --skip-viral, runs newscluster on a viral corpus of the same size
   (`generate-corpus --viral-share 0.5`: half the articles are copies of one article) and prints
   its time and peak memory over the normal corpus's, against the 1.5x target.

--large: 1,000,000 articles with --window-days 3, newscluster only (no peers, no extra runs).
Benchmarks/README.md says how each figure is computed.
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "Benchmarks")
CACHE = os.path.join(BENCH, ".cache")
# The size at which a nightly run with a state is measured against a full run.
INCREMENTAL_SIZE = 100000
VENV = os.path.join(BENCH, ".venv")
REQUIREMENTS = os.path.join(BENCH, "requirements.txt")
PEERS = ["sklearn-neighbors", "sklearn-agglomerative", "minhash"]
PEER_DOES = {
    "newscluster": "duplicates + stories + related",
    "sklearn-neighbors": "top-10 neighbours only",
    "sklearn-agglomerative": "stories only",
    "minhash": "duplicates only",
}
STAGES = ["read", "clean", "tokenize", "vectorize", "neighbors", "group", "describe", "report", "page", "total"]
REFERENCE_SIZE = 20000
LARGE_SIZE = 1000000
LARGE_WINDOW_DAYS = 3
SEED = 1
# A viral story: this share of the viral corpus's articles are copies of one article.
VIRAL_SHARE = 0.5
# Issue 16 point 8: the viral corpus may cost at most this times the time and memory of the normal one.
VIRAL_TARGET = 1.5
MB = 1e6
OTHER_LOAD_WARNING = 0.2  # cores used by other processes during a measured run


def main():
    global CACHE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="comma-separated article counts (default 20000,100000; "
                                        f"with --large {LARGE_SIZE})")
    parser.add_argument("--large", action="store_true",
                        help=f"{LARGE_SIZE:,} articles with --window-days {LARGE_WINDOW_DAYS}, newscluster only")
    parser.add_argument("--skip-peers", action="store_true", help="newscluster only")
    parser.add_argument("--skip-viral", action="store_true",
                        help=f"no run on a corpus with --viral-share {VIRAL_SHARE}")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "newscluster"))
    parser.add_argument("--generator", default=os.path.join(ROOT, ".build", "release", "generate-corpus"))
    parser.add_argument("--cache", default=CACHE, help="where corpora, runs and results go (default Benchmarks/.cache)")
    parser.add_argument("--peer-timeout", type=float, default=3600,
                        help="seconds after which a peer is stopped and reported as timed out (default 3600)")
    args = parser.parse_args()
    CACHE = os.path.abspath(args.cache)

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")] if args.sizes else (
        [LARGE_SIZE] if args.large else [REFERENCE_SIZE, 100000])
    reference = None if args.large else (REFERENCE_SIZE if REFERENCE_SIZE in sizes else min(sizes))
    peers = not (args.skip_peers or args.large)
    for path, what in [(args.binary, "newscluster"), (args.generator, "generate-corpus")]:
        if not os.access(path, os.X_OK):
            sys.exit(f"bench: {path} is missing; build it first: "
                     f"swift build -c release --product {what}   (make bench does)")
    os.makedirs(CACHE, exist_ok=True)

    started = time.monotonic()
    harness = {"started": datetime.datetime.now().astimezone().isoformat(timespec="seconds")}
    python = None
    if peers:
        python, harness["venv"] = ensure_venv()
        if python is None:
            log("bench: the peers are skipped: " + harness["venv"]["error"])
            peers = False
    failed = False
    for size in sizes:
        results = bench_size(args, size, reference=(size == reference), peers=peers, python=python)
        results["harness"] = harness
        path = os.path.join(CACHE, f"results-{size}.json")
        with open(path, "w") as f:
            json.dump(results, f, indent=2, sort_keys=True)
            f.write("\n")
        print_report(results)
        print(f"figures: {os.path.relpath(path, ROOT)}\n", flush=True)
        failed |= "error" in results["newscluster"]
    log(f"bench: done in {time.monotonic() - started:.0f} s")
    return 1 if failed else 0


# ---------------------------------------------------------------------------------------------
# One size

def bench_size(args, size, reference, peers, python):
    window = LARGE_WINDOW_DAYS if args.large else None
    corpus_dir, corpus = ensure_corpus(args.generator, size)
    out = os.path.join(corpus_dir, "runs")
    results = {
        "size": size,
        "corpus": corpus,
        "machine": machine(),
        "newscluster_version": version(args.binary),
        "git": git_state(),
        "window_days": window,
    }
    articles = corpus["articles"]

    options = ["--window-days", str(window)] if window else []
    log(f"bench {size}: newscluster (default threads)")
    main_run = run_newscluster(args.binary, corpus, os.path.join(out, "newscluster"), options)
    results["newscluster"] = main_run
    if "error" not in main_run:
        main_run["scores"] = evaluate(args.binary, corpus_dir, main_run["out"])

    if reference:
        log(f"bench {size}: newscluster --threads 1")
        results["newscluster_threads_1"] = run_newscluster(
            args.binary, corpus, os.path.join(out, "newscluster-threads-1"), options + ["--threads", "1"])
        tokenizer = os.path.join(os.path.dirname(args.binary), "tokenizer-bench")
        if os.access(tokenizer, os.X_OK):
            log(f"bench {size}: tokenizer alone, one core")
            done = subprocess.run([tokenizer, corpus["abspath"]], capture_output=True, text=True)
            results["tokenizer_alone"] = (json.loads(done.stdout) if done.returncode == 0
                                          else {"error": done.stderr.strip()[-300:]})
        log(f"bench {size}: newscluster --measure-recall")
        results["newscluster_recall"] = run_newscluster(
            args.binary, corpus, os.path.join(out, "newscluster-recall"), options + ["--measure-recall"],
            optional_flag="--measure-recall")

    if not args.large and not args.skip_viral and "error" not in main_run:
        results["viral"] = bench_viral(args, size, main_run)

    if size == INCREMENTAL_SIZE and not args.large and "error" not in main_run:
        results["incremental"] = bench_incremental(args, corpus_dir, corpus, out, main_run)

    results["peers"] = {}
    if peers:
        for task in PEERS:
            log(f"bench {size}: {task}")
            results["peers"][task] = run_peer(python, task, corpus, out, args.peer_timeout)
            labels = results["peers"][task].get("result", {}).get("labels")
            if labels:
                results["peers"][task]["scores"] = evaluate(args.binary, corpus_dir, labels)
    results["ratios"] = {}
    if "error" not in main_run:
        for task, peer in results["peers"].items():
            if "seconds" in peer and peer.get("status") in ("ok", "timed out"):
                results["ratios"][task] = peer["seconds"] / main_run["seconds"]
    neighbors = results["peers"].get("sklearn-neighbors", {}).get("result", {}).get("seconds", {})
    stages = main_run.get("timings", {})
    if "neighbors" in neighbors and all(k in stages for k in ("tokenize", "vectorize", "neighbors")):
        ours = stages["tokenize"] + stages["vectorize"] + stages["neighbors"]
        theirs = neighbors.get("vectorize", 0) + neighbors["neighbors"]
        results["like_for_like"] = {"newscluster": ours, "sklearn": theirs, "ratio": theirs / ours}
    results["summary"] = summary(results, articles)
    return results


def bench_viral(args, size, normal_run):
    """newscluster on a corpus of the same size where VIRAL_SHARE of the articles are copies of
    one article; its time and peak memory over the normal run's, and whether the copies are one
    duplicate group and one story."""
    corpus_dir, corpus = ensure_corpus(args.generator, size, viral_share=VIRAL_SHARE)
    log(f"bench {size}: newscluster on the viral corpus (--viral-share {VIRAL_SHARE})")
    run = run_newscluster(args.binary, corpus, os.path.join(corpus_dir, "runs", "newscluster"), [])
    result = {"corpus": corpus, "run": run}
    if "error" in run:
        result["error"] = run["error"]
        return result
    # gold.tsv: the viral group is by far the largest duplicate group.
    members = {}
    with open(os.path.join(corpus_dir, "gold.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 3 and fields[2]:
                members.setdefault(fields[2], []).append(fields[0])
    copies = set(max(members.values(), key=len)) if members else set()
    groups, stories = set(), set()
    with open(os.path.join(run["out"], "articles.jsonl"), encoding="utf-8") as f:
        for line in f:
            article = json.loads(line)
            if article["id"] in copies:
                groups.add(article.get("duplicate_group"))
                stories.add(article.get("story"))
    result.update({
        "copies": len(copies), "duplicate_groups_of_copies": len(groups - {None}),
        "copies_without_group": None in groups, "stories_of_copies": len(stories),
        "seconds_ratio": run["seconds"] / normal_run["seconds"],
        "rss_ratio": run["peak_rss_bytes"] / normal_run["peak_rss_bytes"], "target": VIRAL_TARGET})
    return result


def ensure_corpus(generator, size, viral_share=0):
    """Benchmarks/.cache/N/{articles.jsonl,gold.tsv}, generated once (into N.partial, then renamed);
    with a viral share, Benchmarks/.cache/N-viral/.

    generator.json beside them holds the sha256 of the generate-corpus binary that made them: a
    corpus made by another build of the generator is made again, so the figures never mix the
    output of two generator versions."""
    directory = os.path.join(CACHE, f"{size}-viral" if viral_share else str(size))
    articles = os.path.join(directory, "articles.jsonl")
    stamp_path = os.path.join(directory, "generator.json")
    stamp = {"articles": size, "seed": SEED, "generator_sha256": sha256(generator)}
    options = []
    if viral_share:
        stamp["viral_share"] = viral_share
        options = ["--viral-share", str(viral_share)]
    info = {"path": os.path.relpath(articles, ROOT), "seed": SEED, "generator_sha256": stamp["generator_sha256"]}
    try:
        with open(stamp_path) as f:
            cached = json.load(f)
    except (OSError, ValueError):
        cached = None
    if cached == stamp and os.path.isfile(articles) and os.path.isfile(os.path.join(directory, "gold.tsv")):
        info["generated"] = "cached"
    else:
        if cached is not None:
            log(f"bench {size}: the cached corpus was made by another generate-corpus build; making it again")
        partial = directory + ".partial"
        shutil.rmtree(partial, ignore_errors=True)
        shutil.rmtree(directory, ignore_errors=True)
        log(f"bench {size}: generating the corpus (generate-corpus --articles {size} --seed {SEED} {' '.join(options)})")
        start = time.monotonic()
        subprocess.run([generator, "--articles", str(size), "--seed", str(SEED), "--out", partial, *options],
                       check=True, stdout=sys.stderr)
        info["generated"] = "now"
        info["generation_seconds"] = time.monotonic() - start
        with open(os.path.join(partial, "generator.json"), "w") as f:
            json.dump(stamp, f, indent=2, sort_keys=True)
        os.rename(partial, directory)
    info["bytes"] = os.path.getsize(articles)
    with open(articles, "rb") as f:
        info["articles"] = sum(1 for line in f if line.strip())
    info["abspath"] = articles
    return directory, info


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bench_incremental(args, corpus_dir, corpus, out, full_run):
    """A night that adds 10 % new articles: a state made from the earliest 90 % (by
    publication date), then the whole corpus with that state, against the full run without one."""
    earliest = os.path.join(corpus_dir, "earliest-90-percent.jsonl")
    if not os.path.isfile(earliest):
        with open(corpus["abspath"], encoding="utf-8") as f:
            lines = f.read().splitlines()
        stamps = sorted((json.loads(line).get("published") or "", index) for index, line in enumerate(lines))
        keep = {index for _, index in stamps[: len(lines) * 9 // 10]}
        with open(earliest + ".partial", "w", encoding="utf-8") as f:
            for index, line in enumerate(lines):
                if index in keep:
                    f.write(line + "\n")
        os.replace(earliest + ".partial", earliest)
    state = os.path.join(out, "incremental-state.sqlite")
    for leftover in (state, state + "-journal"):
        if os.path.exists(leftover):
            os.remove(leftover)
    log(f"bench {corpus['articles']}: newscluster --state, night 1 (earliest 90 %)")
    first = run_newscluster(args.binary, dict(corpus, abspath=earliest), os.path.join(out, "incremental-night-1"),
                            ["--state", state], optional_flag="--state")
    if "error" in first:
        return {"error": first["error"]}
    log(f"bench {corpus['articles']}: newscluster --state, night 2 (+10 % new articles)")
    second = run_newscluster(args.binary, corpus, os.path.join(out, "incremental-night-2"), ["--state", state])
    if "error" in second:
        return {"error": second["error"]}
    return {"first_night_seconds": first["seconds"], "seconds": second["seconds"], "full_seconds": full_run["seconds"],
            "share": second["seconds"] / full_run["seconds"], "timings": second["timings"],
            "peak_rss_bytes": second.get("peak_rss_bytes"), "neighbors": second.get("neighbors", {}),
            "vocabulary": second.get("vocabulary", {})}


def run_newscluster(binary, corpus, out, options, optional_flag=None):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    command = [binary, "cluster", corpus["abspath"], "--out", out, "--quiet", *options]
    # Beside the output directory, which holds only reports (each run replaces it whole).
    run = measure(command, out + ".stderr.txt")
    run["command"] = " ".join(os.path.relpath(c, ROOT) if c.startswith(ROOT) else c for c in command)
    run["out"] = out
    if run["returncode"] != 0:
        if optional_flag and run["returncode"] == 64:
            run["error"] = f"not available ({optional_flag} is not accepted by this build)"
        else:
            run["error"] = f"exit code {run['returncode']}: {run['stderr_tail']}"
        return run
    with open(os.path.join(out, "run.json")) as f:
        manifest = json.load(f)
    run["timings"] = manifest.get("timings", {})
    run["blas"] = manifest.get("blas", {})
    run["counts"] = manifest.get("counts", {})
    run["neighbors"] = manifest.get("neighbors", {})
    run["vocabulary"] = manifest.get("vocabulary") or {}
    run["threads"] = manifest.get("options", {}).get("threads") or manifest.get("blas", {}).get("threads")
    run["input_bytes"] = sum(i.get("bytes", 0) for i in manifest.get("inputs", []))
    run["articles_per_second"] = run["counts"].get("articles", corpus["articles"]) / run["seconds"]
    tokenize = run["timings"].get("tokenize")
    if tokenize:
        run["tokenize_mb_per_second"] = run["input_bytes"] / tokenize / MB
        if run["threads"]:
            run["tokenize_mb_per_second_per_thread"] = run["tokenize_mb_per_second"] / run["threads"]
    return run


def run_peer(python, task, corpus, out, timeout):
    result_path = os.path.join(out, f"{task}.json")
    if os.path.exists(result_path):
        os.remove(result_path)
    shutil.rmtree(os.path.splitext(result_path)[0], ignore_errors=True)
    os.makedirs(out, exist_ok=True)
    command = [python, os.path.join(BENCH, "peers.py"), corpus["abspath"], "--task", task, "--out", result_path]
    run = measure(command, os.path.join(out, f"{task}.stderr.txt"), timeout=timeout)
    if run.get("timed_out"):
        run["status"] = "timed out"
        run["error"] = f"stopped after {timeout:.0f} s (--peer-timeout)"
    elif run["returncode"] != 0:
        run["status"] = "failed"
        run["error"] = f"exit code {run['returncode']}: {run['stderr_tail']}"
    else:
        with open(result_path) as f:
            run["result"] = json.load(f)
        run["status"] = "skipped" if "skipped" in run["result"] else "ok"
        # The peer's own getrusage(RUSAGE_SELF) figure; wait4's is the same process's.
        run["peak_rss_bytes"] = run["result"].get("peak_rss_bytes", run["peak_rss_bytes"])
        run["articles_per_second"] = corpus["articles"] / run["seconds"]
    return run


def measure(command, stderr_path, timeout=None):
    """Wall-clock seconds (time.monotonic) and peak RSS (os.wait4's ru_maxrss) of one process."""
    with open(stderr_path, "wb") as stderr:
        busy_before = busy_cpu_seconds()
        start = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        timed_out = threading.Event()

        def stop():
            timed_out.set()
            process.kill()

        timer = threading.Timer(timeout, stop) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - start
        busy_after = busy_cpu_seconds()
        if timer:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
    with open(stderr_path, errors="replace") as f:
        tail = f.read()[-2000:].strip()
    run = {"seconds": seconds, "peak_rss_bytes": usage.ru_maxrss * 1024, "returncode": process.returncode,
           "user_seconds": usage.ru_utime, "system_seconds": usage.ru_stime, "stderr_tail": tail}
    if busy_before is not None and busy_after is not None and seconds > 0:
        # CPU time that the whole machine spent outside this process during the run, in cores:
        # another build or benchmark competing for the cores makes the figures meaningless.
        run["other_cpu_cores"] = max(0.0, (busy_after - busy_before - usage.ru_utime - usage.ru_stime) / seconds)
    if timed_out.is_set():
        run["timed_out"] = True
    return run


def busy_cpu_seconds():
    """Seconds of CPU time spent by all processes since boot (/proc/stat), None where unknown."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in fields[1:9])
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def evaluate(binary, corpus_dir, run_dir):
    completed = subprocess.run([binary, "evaluate", "--gold", corpus_dir, "--run", run_dir, "--json"],
                               capture_output=True, text=True)
    if completed.returncode != 0:
        return {"error": f"evaluate exit code {completed.returncode}: {completed.stderr.strip()[-500:]}"}
    return json.loads(completed.stdout)


def ensure_venv():
    """Benchmarks/.venv with requirements.txt installed; made only when missing or out of date."""
    python = os.path.join(VENV, "bin", "python")
    stamp = os.path.join(VENV, "requirements.installed")
    with open(REQUIREMENTS) as f:
        wanted = f.read()
    info = {}
    try:
        with open(stamp) as f:
            current = f.read()
    except OSError:
        current = None
    if os.access(python, os.X_OK) and current == wanted:
        info["created"] = "cached"
    else:
        log(f"bench: creating {os.path.relpath(VENV, ROOT)} (python3 -m venv; pip install -r requirements.txt)")
        start = time.monotonic()
        try:
            if not os.access(python, os.X_OK):
                subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
            subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                            "-r", REQUIREMENTS], check=True)
        except (subprocess.CalledProcessError, OSError) as error:
            return None, {"error": f"could not set up {VENV}: {error}"}
        with open(stamp, "w") as f:
            f.write(wanted)
        info["created"] = "now"
        info["seconds"] = time.monotonic() - start
    listed = subprocess.run([python, "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
                            capture_output=True, text=True)
    if listed.returncode == 0:
        info["packages"] = {p["name"]: p["version"] for p in json.loads(listed.stdout)
                            if p["name"].lower() in ("numpy", "scipy", "scikit-learn", "datasketch")}
    return python, info


# ---------------------------------------------------------------------------------------------
# Figures and the report

def summary(results, articles):
    """The rows of the table: one per tool, the figures as numbers (None where not applicable)."""
    rows = []
    tools = [("newscluster", results["newscluster"])] + list(results["peers"].items())
    for tool, run in tools:
        scores = run.get("scores") or {}
        clusters = scores.get("clusters") if tool in ("newscluster", "sklearn-agglomerative") else None
        duplicates = scores.get("duplicates") if tool in ("newscluster", "minhash") else None
        rows.append({
            "tool": tool,
            "does": PEER_DOES[tool],
            "status": run.get("status", "failed" if "error" in run else "ok"),
            "seconds": run.get("seconds"),
            "articles_per_second": run.get("articles_per_second"),
            "peak_rss_mib": run["peak_rss_bytes"] / 2**20 if run.get("peak_rss_bytes") else None,
            "story_bcubed_f1": clusters.get("bcubed_f1") if clusters else None,
            "duplicate_p": duplicates.get("p") if duplicates else None,
            "duplicate_r": duplicates.get("r") if duplicates else None,
            "newscluster_faster": results["ratios"].get(tool),
        })
    return rows


def print_report(results):
    size, corpus, nc = results["size"], results["corpus"], results["newscluster"]
    title = f"{size:,} articles ({corpus['bytes'] / MB:,.1f} MB, {corpus['path']}, seed {corpus['seed']}"
    if results["window_days"]:
        title += f", --window-days {results['window_days']}"
    m = results["machine"]
    print(f"\n== {title}) — {m['cpus']} cores, {m['cpu']}\n")
    header = ["tool", "does", "seconds", "articles/s", "peak RSS MiB", "story BCubed F1", "dup P / R",
              "newscluster is"]
    rows = []
    for r in results["summary"]:
        if r["status"] in ("ok", "timed out"):
            seconds = fmt(r["seconds"], 2) if r["status"] == "ok" else f"> {r['seconds']:.0f} (timed out)"
            ratio = r["newscluster_faster"]
            faster = "–" if r["tool"] == "newscluster" or ratio is None else (
                f"{'> ' if r['status'] == 'timed out' else ''}{ratio:,.1f}× faster" if ratio >= 1
                else f"{1 / ratio:,.1f}× slower")
            dup = "–" if r["duplicate_p"] is None else f"{r['duplicate_p']:.3f} / {r['duplicate_r']:.3f}"
            rows.append([r["tool"], r["does"], seconds, fmt(r["articles_per_second"], 0),
                         fmt(r["peak_rss_mib"], 0), fmt(r["story_bcubed_f1"], 3), dup, faster])
        else:
            rows.append([r["tool"], r["does"], r["status"], "", "", "", "", ""])
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    numeric = {2, 3, 4, 5}
    print("  ".join(h.rjust(w) if i in numeric else h.ljust(w) for i, (h, w) in enumerate(zip(header, widths))))
    for row in rows:
        print("  ".join(str(c).rjust(w) if i in numeric else str(c).ljust(w)
                        for i, (c, w) in enumerate(zip(row, widths))))
    for tool, peer in results["peers"].items():
        if peer.get("status") == "skipped":
            print(f"  {tool} skipped: {peer['result']['skipped']}")
        elif peer.get("status") in ("failed", "timed out"):
            print(f"  {tool} {peer['status']}: {peer['error']}")
    busy = [(name, run["other_cpu_cores"]) for name, run in measured_runs(results)
            if run.get("other_cpu_cores", 0) > OTHER_LOAD_WARNING]
    if busy:
        print("  WARNING: other processes used the CPU during " + ", ".join(
            f"{name} ({cores:.1f} cores)" for name, cores in busy) + "; those figures are not reliable")
    if "error" in nc:
        print(f"  newscluster failed: {nc['error']}")
        return

    print()

    def show(label, text):
        print(f"{label + ':':28}{text}")

    timings = nc.get("timings", {})
    show("newscluster stages (s)", "  ".join(f"{stage} {timings[stage]:.3f}" for stage in STAGES if stage in timings))
    blas = nc.get("blas", {})
    show("sgemm", f"{fmt(blas.get('sgemm_gflops'), 1)} GFLOP/s "
                  f"(OpenBLAS core {blas.get('core', '?')}, {blas.get('threads', '?')} threads)")
    text = (f"{fmt(nc.get('tokenize_mb_per_second'), 1)} MB/s with {nc.get('threads')} threads "
            f"({fmt(nc.get('tokenize_mb_per_second_per_thread'), 1)} MB/s per thread)")
    one = results.get("newscluster_threads_1")
    if one and "error" not in one:
        text += (f"; --threads 1: {fmt(one.get('tokenize_mb_per_second'), 1)} MB/s per core "
                 f"(whole run {one['seconds']:.2f} s)")
    elif one:
        text += f"; --threads 1 failed: {one['error']}"
    show("tokenizer", text)
    alone = results.get("tokenizer_alone")
    if alone and "error" not in alone:
        show("tokenizer alone", f"{alone['megabytes_per_second']:.1f} MB/s on one core "
                                f"({alone['megabytes']:.1f} MB of title + text, best of 3; tokenizer-bench)")
    incremental = results.get("incremental")
    if incremental:
        if "error" in incremental:
            show("incremental night", f"failed: {incremental['error']}")
        else:
            timings = incremental["timings"]
            stages = "  ".join(f"{stage} {timings[stage]:.3f}" for stage in ["state_records", "state"] + STAGES[:-1] + ["save", "total"] if stage in timings)
            show("incremental night", f"+10 % new articles on a state of the earliest 90 %: {incremental['seconds']:.2f} s "
                                      f"= {100 * incremental['share']:.0f} % of the full run ({incremental['full_seconds']:.2f} s; "
                                      f"target ≤ 20 %); first night {incremental['first_night_seconds']:.2f} s; "
                                      f"vocabulary {incremental.get('vocabulary', {}).get('reason', '?')}")
            show("incremental stages (s)", stages)
    recall = results.get("newscluster_recall")
    if recall is None:
        text = f"not measured at this size (only on the {REFERENCE_SIZE:,} corpus, not with --large)"
    elif "error" in recall:
        text = recall["error"] if recall["error"].startswith("not available") else f"failed: {recall['error']}"
    else:
        found = recall.get("neighbors", {}).get("recall")
        text = ("not available (run.json has no neighbors.recall)" if found is None
                else describe_recall(found) + f" (--measure-recall run: {recall['seconds']:.1f} s)")
    if nc.get("neighbors", {}).get("recall"):
        text += "; default run: " + describe_recall(nc["neighbors"]["recall"])
    show("candidate recall", text)
    n = nc.get("neighbors", {})
    if isinstance(n.get("candidate_pairs"), int) and isinstance(n.get("edges"), int):
        show("neighbors", f"{n.get('tiles', '?')} tiles ({n.get('tiles_skipped_by_window', 0)} skipped by the "
                          f"window), {n['candidate_pairs']:,} candidate pairs re-scored, {n['edges']:,} edges")
    viral = results.get("viral")
    if viral:
        if "error" in viral:
            show("viral story", f"failed: {viral['error']}")
        else:
            run, normal = viral["run"], nc
            verdict = "met" if max(viral["seconds_ratio"], viral["rss_ratio"]) <= viral["target"] else "NOT met"
            grouped = ("all in one duplicate group" if viral["duplicate_groups_of_copies"] == 1
                       and not viral["copies_without_group"] else
                       f"in {viral['duplicate_groups_of_copies']} duplicate groups"
                       + (" and none" if viral["copies_without_group"] else ""))
            show("viral story", f"{VIRAL_SHARE:.0%} copies of one article: {run['seconds']:.2f} s, "
                                f"{run['peak_rss_bytes'] / 2**20:,.0f} MiB against {normal['seconds']:.2f} s, "
                                f"{normal['peak_rss_bytes'] / 2**20:,.0f} MiB = {viral['seconds_ratio']:.2f}x the time, "
                                f"{viral['rss_ratio']:.2f}x the memory (target <= {viral['target']}x: {verdict}); "
                                f"{viral['copies']:,} copies {grouped}, in {viral['stories_of_copies']} "
                                f"{'story' if viral['stories_of_copies'] == 1 else 'stories'}")
            vn = run.get("neighbors", {})
            if isinstance(vn.get("candidate_pairs"), int):
                show("viral neighbors", f"{vn['candidate_pairs']:,} candidate pairs, {vn.get('edges', 0):,} edges, "
                                        f"{vn.get('copy_pairs_dropped', 0):,} pairs inside the copies' group not kept")
    counts = nc.get("counts", {})
    if isinstance(counts.get("stories"), int):
        show("found", f"{counts['stories']:,} stories, {counts.get('duplicate_groups', 0):,} duplicate groups; "
                      f"gold: {gold_counts(nc.get('scores'))}")
    for tool, peer in results["peers"].items():
        seconds = peer.get("result", {}).get("seconds")
        if seconds and peer.get("status") == "ok":
            steps = "  ".join(f"{k} {seconds[k]:.2f}" for k in sorted(seconds, key=step_order) if k != "total")
            show(f"{tool} (s)", f"{steps}  (in main() {seconds.get('total', 0):.2f}, process {peer['seconds']:.2f})")
    like = results.get("like_for_like")
    if like:
        show("TF-IDF + top neighbours", f"newscluster tokenize+vectorize+neighbors {like['newscluster']:.2f} s, "
                                        f"sklearn vectorize+neighbors {like['sklearn']:.2f} s "
                                        f"({like['ratio']:.1f}× as long)")
    setup = []
    if corpus.get("generated") == "now":
        setup.append(f"corpus generated in {corpus['generation_seconds']:.1f} s")
    venv = results.get("harness", {}).get("venv", {})
    if venv.get("created") == "now":
        setup.append(f"venv made in {venv['seconds']:.1f} s")
    if venv.get("packages"):
        setup.append("peers: " + ", ".join(f"{k} {v}" for k, v in sorted(venv["packages"].items())))
    if setup:
        show("setup", "; ".join(setup))


def measured_runs(results):
    runs = [("newscluster", results["newscluster"])]
    for key, name in [("newscluster_threads_1", "newscluster --threads 1"),
                      ("newscluster_recall", "newscluster --measure-recall")]:
        if results.get(key):
            runs.append((name, results[key]))
    if results.get("viral", {}).get("run"):
        runs.append(("newscluster on the viral corpus", results["viral"]["run"]))
    return runs + list(results["peers"].items())


def step_order(step):
    order = ["import", "read", "vectorize", "distances", "neighbors", "cluster", "minhash", "lsh", "write"]
    return (order.index(step) if step in order else len(order), step)


def describe_recall(recall):
    """neighbors.recall as text: a list of {threshold, pairs, found, share} or an object of counts."""
    def share(found, pairs):
        return f"{found:,}/{pairs:,} ({100 * found / pairs:.2f} %)" if pairs else f"{found:,}/{pairs:,}"

    if isinstance(recall, list) and all(isinstance(r, dict) for r in recall):
        parts = []
        for r in recall:
            if {"pairs", "found"} <= r.keys():
                label = f"cosine ≥ {r['threshold']:g}" if "threshold" in r else "pairs"
                parts.append(f"{label}: {share(r['found'], r['pairs'])}")
            else:
                parts.append(json.dumps(r, sort_keys=True))
        return "; ".join(parts)
    if isinstance(recall, dict):
        parts, used = [], set()
        for key in sorted(recall):
            if key.endswith("_pairs") and key[:-6] + "_found" in recall:
                prefix = key[:-6]
                parts.append(f"{prefix}: {share(recall[prefix + '_found'], recall[key])}")
                used |= {key, prefix + "_found"}
        parts += [f"{k} {recall[k]}" for k in sorted(recall) if k not in used]
        return "; ".join(parts)
    return json.dumps(recall)


def gold_counts(scores):
    if not scores or "error" in scores:
        return "?"
    clusters, duplicates = scores.get("clusters", {}), scores.get("duplicates", {})
    return f"{clusters.get('gold_clusters', '?'):,} stories, {duplicates.get('groups_gold', '?'):,} duplicate groups" \
        if isinstance(clusters.get("gold_clusters"), int) and isinstance(duplicates.get("groups_gold"), int) else "?"


def fmt(value, digits):
    return "–" if value is None else f"{value:,.{digits}f}"


def machine():
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        memory = None
    env = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS",
                                      "OMP_NUM_THREADS") if k in os.environ}
    return {"cpu": cpu, "cpus": os.cpu_count(), "memory_bytes": memory, "environment": env,
            "system": platform.platform()}


def version(binary):
    completed = subprocess.run([binary, "--version"], capture_output=True, text=True)
    return completed.stdout.strip() or None


def git_state():
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip() != ""
        return {"commit": head or None, "uncommitted_changes": dirty}
    except OSError:
        return {}


def log(message):
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
