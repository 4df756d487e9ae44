#!/usr/bin/env python3
"""A stand-in for the newscluster binary that speaks the tile-task protocol, for developing and
testing the Spark plumbing (scaleout/newscluster_spark.py) without the Swift build.

    fake_newscluster.py cluster INPUT... --out OUTDIR [options] [--tile-tasks N --tile-task-dir DIR]
    fake_newscluster.py stage tile-task --in SEARCH_BIN --task t --tasks N --out PART --threads C

It reads its inputs as the real one does, roughly (a directory gives its .jsonl/.jsonl.gz files,
sorted; gzip is recognised by its first bytes), rejects malformed JSON and repeated ids with file
and line, and warns of numeric ids. The "search" is a deterministic function of the article ids:
search.bin lists them, task t of N handles the ids whose index is t modulo N, and the reports are
byte-identical whatever N (and with no tile tasks at all, as a one-machine run), like the real
binary's. run.json has timings, output and (with tile tasks) a "scaleout" object, which differ.

Environment knobs for tests of failure and scale:
    FAKE_FAIL_TASK=t          task t exits 3 with a message on stderr
    FAKE_TASK_SECONDS=x       each task sleeps x seconds
    FAKE_TASK_MEMORY_MB=m     each task touches m MiB (to see peak RSS)
    FAKE_PART_PADDING_MB=m    each part carries m MiB of padding (to test large transfers)
    FAKE_DRIVER_DIE_AFTER_READY=x   the driver exits 9 x seconds after the ready line
"""

import gzip
import hashlib
import json
import os
import sys
import time

READY = "newscluster-tile-tasks ready"
DONE = "newscluster-tile-tasks done"


def err(message):
    print(f"newscluster (fake): {message}", file=sys.stderr, flush=True)


def write_atomically(path, data):
    partial = f"{path}.partial-{os.getpid()}"
    with open(partial, "wb") as f:
        f.write(data)
    os.replace(partial, path)


def input_files(paths):
    for path in paths:
        if os.path.isdir(path):
            names = sorted(n for n in os.listdir(path) if n.endswith((".jsonl", ".jsonl.gz")))
            if not names:
                err(f"{path}: a directory without input files")
                sys.exit(1)
            for name in names:
                yield os.path.join(path, name)
        elif os.path.exists(path):
            yield path
        else:
            err(f"{path}: no such file or directory")
            sys.exit(1)


def read_articles(paths):
    """(ids, rejected, warnings, inputs) as run.json lists them."""
    ids, seen, rejected, warnings, inputs = [], set(), [], [], []
    for path in input_files(paths):
        with open(path, "rb") as f:
            raw = f.read()
        fmt = "gzip" if raw[:2] == b"\x1f\x8b" else "jsonl"
        text = gzip.decompress(raw) if fmt == "gzip" else raw
        records = 0
        for number, line in enumerate(text.decode("utf-8", "replace").splitlines(), start=1):
            if not line.strip():
                continue
            records += 1
            try:
                record = json.loads(line)
            except ValueError:
                rejected.append({"file": path, "line": number, "reason": "malformed JSON"})
                continue
            article_id = record.get("id")
            if isinstance(article_id, (int, float)):
                article_id = str(article_id)
                warnings.append({"file": path, "line": number, "id": article_id, "reason": "numeric id"})
            if not article_id:
                rejected.append({"file": path, "line": number, "reason": "missing id"})
                continue
            if article_id in seen:
                rejected.append({"file": path, "line": number, "id": article_id, "reason": "repeated id"})
                continue
            seen.add(article_id)
            ids.append(article_id)
        inputs.append({"path": os.path.abspath(path), "format": fmt, "bytes": len(raw), "records": records})
    return ids, rejected, warnings, inputs


def neighbour_lines(ids, task, tasks):
    """Task t of N: one line per id with index = t mod N (a stand-in for a tile's edges)."""
    lines = []
    for index in range(task, len(ids), tasks):
        digest = hashlib.sha256(ids[index].encode()).hexdigest()
        lines.append(f"{index}\t{ids[index]}\t{digest[:12]}\t{int(digest[12:16], 16) / 65536:.4f}")
    return lines


def make_part(search_bytes, task, tasks):
    ids = search_bytes.decode().split("\n")[1:]
    ids = [i for i in ids if i]
    body = "\n".join(neighbour_lines(ids, task, tasks))
    padding_mb = int(os.environ.get("FAKE_PART_PADDING_MB", "0"))
    padding = b"\0" * (padding_mb << 20)
    header = f"task {task} of {tasks}\nsearch {hashlib.sha256(search_bytes).hexdigest()}\npadding {len(padding)}\n"
    return header.encode() + padding + body.encode() + b"\n"


def parse_part(data, task, tasks, search_bytes):
    head, _, rest = data.partition(b"\n")
    if head.decode() != f"task {task} of {tasks}":
        raise ValueError(f"part {task}: header {head[:40]!r}")
    search_line, _, rest = rest.partition(b"\n")
    if search_line.decode() != f"search {hashlib.sha256(search_bytes).hexdigest()}":
        raise ValueError(f"part {task}: made from another search.bin")
    padding_line, _, rest = rest.partition(b"\n")
    padding = int(padding_line.decode().split()[1])
    return [line for line in rest[padding:].decode().split("\n") if line]


def parse_cluster_args(argv):
    inputs, options, out, tile_tasks, tile_dir = [], {}, None, None, None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--out", "--tile-tasks", "--tile-task-dir") or (arg.startswith("--") and i + 1 < len(argv)
                                                                    and not argv[i + 1].startswith("--")
                                                                    and arg not in ("--strict", "--quiet")):
            if i + 1 >= len(argv):
                err(f"{arg} needs a value")
                sys.exit(64)
            value = argv[i + 1]
            if arg == "--out":
                out = value
            elif arg == "--tile-tasks":
                tile_tasks = int(value)
            elif arg == "--tile-task-dir":
                tile_dir = value
            else:
                options[arg[2:]] = value
            i += 2
        elif arg.startswith("--"):
            options[arg[2:]] = True
            i += 1
        else:
            inputs.append(arg)
            i += 1
    if not inputs or out is None or (tile_tasks is None) != (tile_dir is None):
        err("usage: cluster INPUT... --out DIR [options] [--tile-tasks N --tile-task-dir DIR]")
        sys.exit(64)
    if "-" in inputs and tile_tasks is not None:
        err("standard input cannot be an input with --tile-tasks")
        sys.exit(64)
    return inputs, options, out, tile_tasks, tile_dir


def cluster(argv):
    started = time.monotonic()
    inputs, options, out, tile_tasks, tile_dir = parse_cluster_args(argv)
    if "fail-before-ready" in options:
        err("failing before the search, as asked")
        sys.exit(5)
    ids, rejected, warnings, input_list = read_articles(inputs)
    err(f"read {len(ids)} articles, {len(rejected)} rejected, {len(warnings)} warnings")
    print("fake newscluster: a stdout line before the search", flush=True)
    search_bytes = ("fake-search-v1\n" + "\n".join(ids) + "\n").encode()

    if tile_tasks is None:
        lines = []
        for task in range(max(1, len(ids) and 3)):
            lines += parse_part(make_part(search_bytes, task, 3), task, 3, search_bytes)
        scaleout = None
    else:
        os.makedirs(tile_dir, exist_ok=True)
        search_path = os.path.join(tile_dir, "search.bin")
        write_atomically(search_path, search_bytes)
        print(f"{READY} {tile_tasks} {search_path}", flush=True)
        if os.environ.get("FAKE_DRIVER_DIE_AFTER_READY"):
            import threading

            def die():
                err("dying after the ready line, as asked")
                os._exit(9)

            threading.Timer(float(os.environ["FAKE_DRIVER_DIE_AFTER_READY"]), die).start()
        answer = sys.stdin.readline()
        if answer.rstrip("\n") != DONE:
            err(f"no done line on standard input ({answer[:60]!r}): exiting without reports")
            sys.exit(1)
        lines = []
        for task in range(tile_tasks):
            with open(os.path.join(tile_dir, f"task-{task}.bin"), "rb") as f:
                lines += parse_part(f.read(), task, tile_tasks, search_bytes)
        scaleout = {"tile_tasks": tile_tasks, "tile_task_dir": tile_dir}

    by_index = sorted(lines, key=lambda line: int(line.split("\t")[0]))
    assert len(by_index) == len(ids), (len(by_index), len(ids))
    articles = []
    for line in by_index:
        _, article_id, story, score = line.split("\t")
        articles.append(json.dumps({"id": article_id, "schema": 1, "score": float(score), "story": "s-" + story},
                                   sort_keys=True, separators=(",", ":")))
    stories = sorted({json.loads(a)["story"] for a in articles})
    run = {
        "counts": {"articles": len(ids), "rejected": len(rejected), "warnings": len(warnings), "stories": len(stories)},
        "inputs": input_list,
        "options": {k: v for k, v in sorted(options.items())},
        "output": os.path.abspath(out),
        "rejected": rejected,
        "warnings": warnings,
        "blas": {"core": "Fake", "sgemm_gflops": round(1 + (time.time() % 1), 3), "threads": 2},
        "neighbors": {"tiles": 1, "edges": len(ids), "sgemm_seconds": time.time() % 1},
        "timings": {"total": time.monotonic() - started},
        "schema": 1,
        "tool": "newscluster",
        "version": "fake",
    }
    if scaleout:
        run["scaleout"] = scaleout
    # The output directory is replaced whole, as the real binary does.
    staging = f"{out.rstrip('/')}.partial-{os.getpid()}"
    os.makedirs(staging)
    write_atomically(os.path.join(staging, "articles.jsonl"), ("\n".join(articles) + "\n").encode())
    write_atomically(os.path.join(staging, "stories.json"),
                     json.dumps({"schema": 1, "stories": stories}, indent=1).encode())
    write_atomically(os.path.join(staging, "run.json"), json.dumps(run, indent=1, sort_keys=True).encode())
    write_atomically(os.path.join(staging, "report.html"), b"<!doctype html><title>fake</title>\n")
    if os.path.isdir(out):
        for name in os.listdir(out):
            os.remove(os.path.join(out, name))
        os.rmdir(out)
    os.replace(staging, out)
    err(f"{len(ids)} articles -> {len(stories)} stories")
    print(f"reports: {out}/report.html (review page), articles.jsonl, stories.json, run.json", flush=True)
    return 0


def tile_task(argv):
    values = {}
    i = 0
    while i < len(argv):
        if argv[i] in ("--in", "--task", "--tasks", "--out", "--threads") and i + 1 < len(argv):
            values[argv[i]] = argv[i + 1]
            i += 2
        else:
            err(f"stage tile-task: unexpected argument {argv[i]!r}")
            return 64
    if set(values) != {"--in", "--task", "--tasks", "--out", "--threads"}:
        err("usage: stage tile-task --in SEARCH_BIN --task t --tasks N --out PART --threads C")
        return 64
    task, tasks, threads = int(values["--task"]), int(values["--tasks"]), int(values["--threads"])
    if not 0 <= task < tasks or threads < 1:
        err("stage tile-task: --task must be in 0..<--tasks, --threads >= 1")
        return 64
    if os.environ.get("FAKE_FAIL_TASK") == str(task):
        err(f"tile task {task} of {tasks}: failing as asked (FAKE_FAIL_TASK)")
        return 3
    memory = bytearray(int(os.environ.get("FAKE_TASK_MEMORY_MB", "0")) << 20)
    for offset in range(0, len(memory), 4096):
        memory[offset] = 1
    time.sleep(float(os.environ.get("FAKE_TASK_SECONDS", "0")))
    with open(values["--in"], "rb") as f:
        search_bytes = f.read()
    if not search_bytes.startswith(b"fake-search-v1\n"):
        err(f"{values['--in']}: not a search file")
        return 1
    write_atomically(values["--out"], make_part(search_bytes, task, tasks))
    err(f"tile task {task} of {tasks} ({threads} threads) on pid {os.getpid()}: wrote {values['--out']}")
    return 0


def main(argv):
    if argv[:1] == ["cluster"]:
        return cluster(argv[1:])
    if argv[:2] == ["stage", "tile-task"]:
        return tile_task(argv[2:])
    err("usage: fake_newscluster.py cluster ... | stage tile-task ...")
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
