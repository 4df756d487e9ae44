#!/usr/bin/env python3
"""newscluster on Spark: reading, cleaning/tokenizing, vectorizing and the neighbour search's
tiles run as Spark tasks.

    spark-submit [--master M] --archives dist/newscluster-scaleout.tar.gz#newscluster \\
        scaleout/newscluster_spark.py INPUT... --out OUTDIR [--partitions N] [--work-dir DIR]
        [--shared-work-dir | --no-shared-work-dir] [--keep-work-dir] [--log-level LEVEL]
        [--binary PATH] -- [newscluster cluster options]

The driver process of newscluster (`newscluster cluster INPUT... --tasks N --task-dir WORKDIR`)
runs beside this script on the Spark driver and shares its work out in four phases, one after the
other, announcing each with one line on its stdout:

    newscluster-tasks ready KIND COUNT PATH

KIND is, in order, `read` (read and parse the input), `terms` (clean and tokenize), `vectors`
(vectorize) and `tiles` (the neighbour search's tile scan). For read, terms and vectors COUNT is
the number of input shards (byte ranges of plain files, whole compressed files), for tiles it is
N. For each phase COUNT Spark tasks run, task t running

    newscluster stage KIND-task --in PATH --task t --tasks COUNT --out PART --threads C

(`read-task`, `terms-task`, `vectors-task`, `tile-task`; C = spark.task.cpus); task t's part lands
in WORKDIR/KIND-t.bin (WORKDIR/read-0.bin, ..., WORKDIR/tiles-3.bin), and the driver process is
told `newscluster-tasks done` on its stdin. After the tiles it reads the last parts and writes the
reports into OUTDIR as one-machine `newscluster cluster` would (articles.jsonl and stories.json
byte-identical to it). The driver process may end with an error at any point instead of
announcing the next phase.

The inputs: the read, terms and vectors tasks open the INPUT files themselves, at the paths the
driver process was given, which this script makes absolute (the executors' working directory is
not the driver's). So every INPUT must be readable at the same absolute path on the driver and on
every executor: local mode, NFS, /dbfs, a bucket mounted at the same path everywhere. `-`
(standard input) is refused: standard input carries the protocol.

Moving the work dir's files:
  shared work dir   WORKDIR is on storage every executor reads and writes at the same path (local
                    mode, NFS, /dbfs): tasks read each phase's PATH there and write their parts
                    there. The default in local mode (master local[...]).
  otherwise         each phase's PATH goes out with SparkContext.addFile (a file of its own per
                    phase); each task writes its part to a local file and hands back its bytes in
                    8 MiB chunks; the tasks' output is kept on the executors' disks (persist
                    DISK_ONLY) and streamed to the driver one part at a time (toLocalIterator),
                    which writes WORKDIR/KIND-t.bin.

The binary: --binary PATH (the same path on the driver and on every executor; PATH/../../lib is
put on LD_LIBRARY_PATH when it exists), else the archive shipped with `--archives ...#newscluster`
(bin/newscluster and lib/, see scaleout/package.sh), found under SparkFiles.getRootDirectory()
or the working directory (executors on YARN, Kubernetes, standalone), and on a YARN-client driver,
which Spark does not unpack archives for, extracted from the local archive into WORKDIR.

WORKDIR/spark.json records the phases in the order they ran ("phase_runs": kind, task count, the
shared-out file and its size, wall seconds, the sum of the task seconds and part bytes), the
seconds of each phase and of the driver process's own work before, between and after them
("phases"), per task its kind, the binary's wall seconds, peak RSS and part size ("tasks"), and the
driver process's peak RSS (each binary runs under a small helper that reports its own ru_maxrss:
see RUSAGE_HELPER). WORKDIR is a new temporary directory unless --work-dir is given; a temporary
one is removed at the end, and of a given one the phases' files and the parts are, unless
--keep-work-dir.

Output: the binary's stdout (less the protocol's ready lines), its stderr and this script's
messages go to this script's stdout and stderr, which spark-submit merges into its stdout (Spark's
PythonRunner does so for every Python application). If the driver process dies during a phase's
tasks, they are cancelled.

Exit status: the driver process's (0 ok, 1 error, 3, 4, 5, 6 as `newscluster cluster`); 2 when a
Spark job failed (the driver process is then told nothing more and exits without writing
reports); 64 for a wrong command line; 130 when interrupted.
"""

import argparse
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

READY_PREFIX = "newscluster-tasks ready "
DONE_LINE = "newscluster-tasks done\n"
# The phases the driver process shares out, in the order it announces them, and the `newscluster
# stage` command of each one's tasks.
PHASES = ("read", "terms", "vectors", "tiles")
STAGE_COMMANDS = {"read": "read-task", "terms": "terms-task", "vectors": "vectors-task", "tiles": "tile-task"}
ARCHIVE_ALIAS = "newscluster"
# Files a given work dir may hold from an earlier run, removed first: the phases' files as the
# driver process names them (KIND.bin; those a run announces are removed at its end whatever their
# names).
STALE_NAMES = ("spark.json", *(f"{kind}.bin" for kind in PHASES))
CHUNK_BYTES = 8 << 20
STDERR_TAIL_BYTES = 8000

# The parts of every phase.
PART_NAME = re.compile(r"^(?:read|terms|vectors|tiles)-[0-9]+\.bin(?:\.partial)?$")

EXIT_SPARK_FAILED = 2
EXIT_USAGE = 64


ERR = sys.stderr


def log(message):
    print(f"newscluster-spark: {message}", file=ERR, flush=True)


class UsageError(Exception):
    pass


# ---------------------------------------------------------------- command line


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def parse_args(argv):
    parser = Parser(
        prog="spark-submit [spark options] newscluster_spark.py",
        description="Run `newscluster cluster` with reading, cleaning/tokenizing (terms), vectorizing and the "
        "neighbour search's tiles as Spark tasks, four phases one after the other. Every INPUT must be readable at "
        "the same absolute path on the driver and on every executor (local mode, NFS, /dbfs, a mounted bucket): "
        "the tasks read the input themselves. Everything after `--` goes to `newscluster cluster` unchanged "
        "(--story-threshold, --threads for the driver process, --state, ...).",
        epilog="Example: spark-submit --master local[2] --archives dist/newscluster-scaleout.tar.gz#newscluster "
        "scaleout/newscluster_spark.py Corpora/demo --out Reports/spark -- --story-threshold 0.25. "
        "Exit status: the driver process's (0 ok, 1 error, 3-6 as newscluster cluster); 2 when a "
        "Spark job failed (no reports are written); 64 for a wrong command line.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="JSONL files (plain, gzip, zstd) or directories, as `newscluster cluster` takes them; "
                        "made absolute and read by the tasks of the read, terms and vectors phases, so they must be at "
                        "the same absolute path on the driver and on every executor (local mode, NFS, /dbfs, a mounted "
                        "bucket); not `-`: standard input carries the protocol")
    parser.add_argument("--out", required=True, metavar="OUTDIR",
                        help="directory for the reports (written by the driver process, replaced whole)")
    parser.add_argument("--partitions", type=int, metavar="N",
                        help="number of tile tasks (Spark tasks of the tiles phase), and about the number of input shards "
                        "the driver process splits the input into (the read, terms and vectors phases run one task per "
                        "shard); default: the context's defaultParallelism")
    parser.add_argument("--work-dir", metavar="DIR",
                        help="directory for the phases' files, the parts and spark.json on the driver; default: a "
                        "new temporary directory, removed at the end")
    parser.add_argument("--shared-work-dir", action=argparse.BooleanOptionalAction, default=None,
                        help="the work dir is readable and writable at the same path on every executor (local mode, "
                        "NFS, /dbfs): tasks read each phase's file and write their parts there instead of shipping "
                        "them through Spark; default: on in local mode, off otherwise")
    parser.add_argument("--keep-work-dir", action="store_true",
                        help="keep the work dir's files (each phase's file, the parts KIND-<t>.bin, spark.json)")
    parser.add_argument("--log-level", default="WARN", metavar="LEVEL",
                        help="Spark's log level once the context is up (ERROR, WARN, INFO, ...; default WARN; "
                        "'keep' leaves the log4j2 configuration's)")
    parser.add_argument("--binary", metavar="PATH",
                        help="the newscluster binary, at this path on the driver and on every executor; default: "
                        "bin/newscluster of the archive shipped with --archives ...#newscluster")
    if "--" in argv:
        split = argv.index("--")
        ours, passthrough = argv[:split], argv[split + 1:]
    else:
        ours, passthrough = argv, []
    try:
        args = parser.parse_args(ours)
    except UsageError as error:
        hint = ""
        if "unrecognized arguments" in str(error):
            hint = " (newscluster cluster options go after `--`)"
        raise UsageError(f"{error}{hint}") from None
    for option in ("--out", "--tasks", "--task-dir"):
        if any(a == option or a.startswith(option + "=") for a in passthrough):
            raise UsageError(f"{option} after `--`: this script sets it")
    for path in args.inputs:
        if path in ("-", "/dev/stdin", "/proc/self/fd/0", "/dev/fd/0"):
            raise UsageError(f"input {path}: standard input carries the task protocol; give files")
    if args.partitions is not None and args.partitions < 1:
        raise UsageError("--partitions must be at least 1")
    # The tasks open the inputs at the paths the driver process was given, from another working
    # directory: absolute paths (the same on every executor: local mode, NFS, /dbfs, a mount).
    args.inputs = [os.path.abspath(path) for path in args.inputs]
    args.passthrough = passthrough
    return args


# ---------------------------------------------------------------- the binary, on the driver and on executors


def archive_homes():
    """Where the archive shipped with --archives ...#newscluster may be unpacked, best first."""
    homes = []
    try:
        from pyspark import SparkFiles

        homes.append(os.path.join(SparkFiles.getRootDirectory(), ARCHIVE_ALIAS))
    except Exception:  # no SparkContext or worker yet
        pass
    homes.append(os.path.join(os.getcwd(), ARCHIVE_ALIAS))
    return homes


def binary_and_libs(explicit):
    """(binary, lib directory or None). Raises FileNotFoundError naming where it looked."""
    if explicit:
        binary = os.path.abspath(explicit)
        if not os.path.isfile(binary):
            raise FileNotFoundError(f"--binary {explicit}: no such file on {socket.gethostname()}")
        lib = os.path.join(os.path.dirname(os.path.dirname(binary)), "lib")
        return binary, (lib if os.path.isdir(lib) else None)
    looked = []
    for home in map(os.path.abspath, archive_homes()):
        binary = os.path.join(home, "bin", "newscluster")
        looked.append(binary)
        if os.path.isfile(binary):
            if not os.access(binary, os.X_OK):
                os.chmod(binary, os.stat(binary).st_mode | 0o755)
            lib = os.path.join(home, "lib")
            return binary, (lib if os.path.isdir(lib) else None)
    raise FileNotFoundError(
        f"no newscluster binary on {socket.gethostname()}: looked at {', '.join(looked)}; "
        f"ship it with spark-submit --archives dist/newscluster-scaleout.tar.gz#{ARCHIVE_ALIAS} or give --binary")


def binary_env(lib):
    env = dict(os.environ)
    if lib:
        env["LD_LIBRARY_PATH"] = lib + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    return env


def archive_from_conf(conf):
    """The local path of the archive given with alias `newscluster`, if the conf names one."""
    from urllib.parse import urlparse

    for key in ("spark.archives", "spark.yarn.dist.archives"):
        for entry in (conf.get(key, "") or "").split(","):
            uri, _, alias = entry.strip().partition("#")
            if alias != ARCHIVE_ALIAS:
                continue
            parsed = urlparse(uri)
            if parsed.scheme in ("", "file", "local") and os.path.isfile(parsed.path):
                return parsed.path
    return None


def driver_binary(sc, explicit, work_dir):
    try:
        return binary_and_libs(explicit)
    except FileNotFoundError:
        if explicit:
            raise
        # YARN client mode: --archives goes to the containers only; unpack the local archive here.
        archive = archive_from_conf(sc.getConf())
        if archive is None:
            raise
        import tarfile

        home = os.path.join(work_dir, "driver-" + ARCHIVE_ALIAS)
        shutil.rmtree(home, ignore_errors=True)
        with tarfile.open(archive) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(home, filter="data")
            else:
                tar.extractall(home)
        log(f"unpacked {archive} into {home} for the driver process")
        lib = os.path.join(home, "lib")
        return os.path.join(home, "bin", "newscluster"), (lib if os.path.isdir(lib) else None)


# ---------------------------------------------------------------- one task of a phase (runs on an executor)


def die_with_parent():
    """preexec_fn: the binary gets SIGKILL when the Python worker dies (Spark kills the worker of a
    cancelled or failed task; the binary would otherwise run on, orphaned, to its end)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


# Runs argv[2:] as a child and writes its ru_maxrss (bytes) to fd argv[1]; exits as the child did.
# Why a helper: Linux carries the high-water mark of a process's image before exec over into the
# program it execs, so ru_maxrss of a binary forked from a big Python process (a PySpark worker,
# the Spark driver) is at least that Python's size (seen: a 40 MiB binary reported at 310 MiB when
# forked from a 300 MiB Python). Forked from this small fresh interpreter instead, the binary's
# ru_maxrss is its own peak (or the helper's ~10 MiB, whichever is larger).
RUSAGE_HELPER = r"""
import os, signal, sys
fd, command = int(sys.argv[1]), sys.argv[2:]
pid = os.fork()
if pid == 0:
    os.close(fd)
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the helper
    except Exception:
        pass
    try:
        os.execvp(command[0], command)
    except OSError as error:
        os.write(2, ("newscluster-spark: cannot run %s: %s\n" % (command[0], error)).encode())
        os._exit(127)
def forward(signum, frame):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass
for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT):
    signal.signal(signum, forward)
_, status, usage = os.wait4(pid, 0)
os.write(fd, b"%d\n" % (usage.ru_maxrss * 1024))
os.close(fd)
if os.WIFSIGNALED(status):
    try:
        signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
    except (OSError, ValueError):
        pass
    os.kill(os.getpid(), os.WTERMSIG(status))
os._exit(os.waitstatus_to_exitcode(status))
"""


def measured_popen(command, **kwargs):
    """Popen of command through RUSAGE_HELPER; returns (proc, read end of the peak-RSS pipe)."""
    read_end, write_end = os.pipe()
    try:
        proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", RUSAGE_HELPER, str(write_end), *command],
                                pass_fds=(write_end,), **kwargs)
    finally:
        os.close(write_end)
    return proc, read_end


def read_peak(read_end):
    """The peak RSS bytes the helper wrote (None if it wrote nothing: it was killed)."""
    try:
        data = os.read(read_end, 64)
    finally:
        os.close(read_end)
    try:
        return int(data)
    except ValueError:
        return None


def run_binary(command, env):
    """Runs command; returns (exit code, wall seconds, peak RSS bytes, its output)."""
    with tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc, peak_pipe = measured_popen(command, stdin=subprocess.DEVNULL, stdout=err, stderr=subprocess.STDOUT,
                                         env=env, preexec_fn=die_with_parent)
        code = proc.wait()
        seconds = time.monotonic() - started
        rss = read_peak(peak_pipe)
        err.seek(0)
        output = err.read()
    return code, seconds, rss, output


def describe_exit(code):
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with {code}"


def part_name(kind, task):
    """The file name of task `task`'s part of phase `kind` in the work dir: read-0.bin, tiles-3.bin."""
    return f"{kind}-{task}.bin"


def stage_task(kind, task, tasks, settings):
    """Runs task `task` of the `tasks` of phase `kind`; yields its record(s): ("meta", task, {...})
    and, when the part travels through Spark, ("chunk", task, bytes)..."""
    from pyspark import SparkFiles, TaskContext

    binary, lib = binary_and_libs(settings["binary"])
    stage = STAGE_COMMANDS[kind]
    if settings["shared"]:
        source = settings["in_path"]
        part = os.path.join(settings["work_dir"], part_name(kind, task))
        scratch = None
    else:
        source = SparkFiles.get(settings["in_name"])
        local_dirs = [d for d in os.environ.get("SPARK_LOCAL_DIRS", "").split(",") if d and os.path.isdir(d)]
        scratch = tempfile.mkdtemp(prefix=f"newscluster-{kind}-{task}-", dir=local_dirs[0] if local_dirs else None)
        part = os.path.join(scratch, part_name(kind, task))
    try:
        command = [binary, "stage", stage, "--in", source, "--task", str(task), "--tasks", str(tasks),
                   "--out", part, "--threads", str(settings["cpus"])]
        code, seconds, rss, output = run_binary(command, binary_env(lib))
        host = socket.gethostname()
        if code != 0:
            tail = output[-STDERR_TAIL_BYTES:].decode("utf-8", "replace")
            raise RuntimeError(
                f"newscluster {stage} {task} of {tasks} on {host} {describe_exit(code)}: {' '.join(command)}\n"
                f"--- its output (last {STDERR_TAIL_BYTES} bytes) ---\n{tail}")
        if output:
            sys.stderr.write(output.decode("utf-8", "replace"))
            sys.stderr.flush()
        size = os.path.getsize(part)
        context = TaskContext.get()
        attempt = context.attemptNumber() if context else 0
        yield ("meta", task, {"kind": kind, "task": task, "seconds": round(seconds, 3), "peak_rss_bytes": rss,
                              "part_bytes": size, "host": host, "attempt": attempt, "binary": binary})
        if not settings["shared"]:
            with open(part, "rb") as f:
                while True:
                    chunk = f.read(CHUNK_BYTES)
                    if not chunk:
                        break
                    yield ("chunk", task, chunk)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


# ---------------------------------------------------------------- the driver process


class DriverProcess:
    """`newscluster cluster ... --tasks N --task-dir WORKDIR`, its stdout pumped through (but for the
    ready lines), run through RUSAGE_HELPER for its peak RSS."""

    def __init__(self, command, env):
        self.command = command
        self.proc, self.peak_pipe = measured_popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                   stderr=ERR, env=env)
        self.started = time.monotonic()
        self.events = queue.Queue()
        self.exited = threading.Event()
        self.returncode = None
        self.peak_rss_bytes = None
        self.pump = threading.Thread(target=self._pump, name="driver-stdout", daemon=True)
        self.pump.start()
        threading.Thread(target=self._reap, name="driver-reaper", daemon=True).start()

    def _pump(self):
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace")
            if line.startswith(READY_PREFIX):
                self.events.put(("ready", line.rstrip("\n")[len(READY_PREFIX):], time.monotonic()))
                continue
            sys.stdout.write(line)
            sys.stdout.flush()
        self.events.put(("eof", None, time.monotonic()))

    def _reap(self):
        self.returncode = self.proc.wait()
        self.peak_rss_bytes = read_peak(self.peak_pipe)
        self.exited.set()
        self.events.put(("exit", None, time.monotonic()))

    def wait_ready(self):
        """(kind, count, path, when the line came), or None when the process ended (or closed
        stdout) first."""
        while True:
            event, value, at = self.events.get()
            if event == "ready":
                parts = value.split(" ", 2)
                try:
                    if len(parts) != 3 or not parts[2]:
                        raise ValueError
                    count = int(parts[1])
                    if count < 0:
                        raise ValueError
                except ValueError:
                    raise RuntimeError(f"the driver process's ready line is malformed: {value!r}") from None
                return parts[0], count, parts[2], at
            self.exited.wait()
            return None

    def send_done(self, last):
        """Says the phase's parts are there; after the last phase, closes stdin too."""
        try:
            self.proc.stdin.write(DONE_LINE.encode())
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass
        if last:
            self.close_stdin()

    def close_stdin(self):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass

    def wait(self):
        self.exited.wait()
        self.pump.join(timeout=10)
        return self.returncode

    def abort(self, terminate):
        """Closes stdin (the process exits 1 without reports); with terminate, also SIGTERM (a
        process that is not waiting for a done line); SIGKILL after 60 s."""
        self.close_stdin()
        if terminate and not self.exited.is_set():
            try:
                os.kill(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        if not self.exited.wait(60):
            log(f"the driver process (pid {self.proc.pid}) did not exit in 60 s: killing it")
            os.kill(self.proc.pid, signal.SIGKILL)
        return self.wait()


def exit_status(code):
    return 128 - code if code < 0 else code


def write_json_atomically(path, value):
    partial = path + ".partial"
    with open(partial, "w") as f:
        json.dump(value, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(partial, path)


def remove(path):
    shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.remove(path)


def prepare_work_dir(args):
    if args.work_dir:
        work_dir = os.path.abspath(args.work_dir)
        os.makedirs(work_dir, exist_ok=True)
        stale = [n for n in os.listdir(work_dir)
                 if n in STALE_NAMES or PART_NAME.match(n)]
        for name in stale:
            remove(os.path.join(work_dir, name))
        if stale:
            log(f"removed {len(stale)} files of an earlier run from {work_dir}")
        return work_dir, False
    return tempfile.mkdtemp(prefix="newscluster-spark-"), True


def clean_work_dir(work_dir, temporary, keep, phase_files):
    """Removes the work dir (a temporary one) or what the run wrote into it: the parts, the phases'
    files (phase_files, those inside the work dir), the unpacked binary."""
    if keep:
        log(f"kept the work dir {work_dir}")
        return
    if temporary:
        shutil.rmtree(work_dir, ignore_errors=True)
        return
    paths = [os.path.join(work_dir, name) for name in os.listdir(work_dir)
             if (name in STALE_NAMES and name != "spark.json") or name == "driver-" + ARCHIVE_ALIAS
             or PART_NAME.match(name)]
    paths += [p for p in phase_files if inside(p, work_dir) and not inside(work_dir, p) and os.path.lexists(p)]
    for path in dict.fromkeys(paths):
        try:
            if os.path.lexists(path):
                remove(path)
        except OSError as error:
            log(f"could not remove {path}: {error}")


def inside(path, directory):
    path, directory = os.path.realpath(path), os.path.realpath(directory)
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


# ---------------------------------------------------------------- one phase: COUNT tasks of KIND


def run_tasks_shared(sc, kind, tasks, settings):
    """Tasks read the phase's file and write their parts in the shared work dir; returns their metas."""
    rdd = sc.parallelize(range(tasks), tasks)
    records = rdd.mapPartitions(lambda ts: (r for t in ts for r in stage_task(kind, t, tasks, settings))).collect()
    metas = [r[2] for r in records if r[0] == "meta"]
    missing = [t for t in range(tasks)
               if not os.path.isfile(os.path.join(settings["work_dir"], part_name(kind, t)))]
    if missing:
        raise RuntimeError(
            f"the {kind} tasks succeeded but {len(missing)} parts are not in {settings['work_dir']} on the driver "
            f"({part_name(kind, missing[0])} first): is the work dir really shared with the executors? "
            "Use --no-shared-work-dir otherwise")
    return metas


def run_tasks_shipped(sc, kind, tasks, settings):
    """The phase's file went out with addFile; parts come back through Spark, one at a time."""
    from pyspark import StorageLevel

    rdd = sc.parallelize(range(tasks), tasks)
    records = rdd.mapPartitions(lambda ts: (r for t in ts for r in stage_task(kind, t, tasks, settings)))
    # All tasks run at once here and keep their parts on the executors' disks; toLocalIterator
    # then fetches them one partition (one job) at a time. toLocalIterator alone would run the
    # tasks one after the other.
    records.persist(StorageLevel.DISK_ONLY)
    current = None
    try:
        records.count()
        metas, written = [], 0
        for record, task, value in records.toLocalIterator():
            if record == "meta":
                if current:
                    finish_part(*current, written)
                partial = os.path.join(settings["work_dir"], part_name(kind, task) + ".partial")
                current = (open(partial, "wb"), partial, value)
                written = 0
                metas.append(value)
            else:
                current[0].write(value)
                written += len(value)
        if current:
            finish_part(*current, written)
            current = None
        return metas
    finally:
        if current:
            current[0].close()
        records.unpersist()


def ship(sc, kind, path, shipped_names):
    """addFile of the phase's file; returns the name the tasks find it under with SparkFiles.get.
    Spark ships a name once per context (a second file of the same name would not replace the
    first on the executors): the driver process names each phase's file after its kind, and a
    name given twice is refused."""
    name = os.path.basename(path)
    if name in shipped_names:
        raise RuntimeError(f"the driver process announced the {kind} tasks' file {path} under a name an earlier "
                           "phase's file had: Spark would hand the tasks the earlier one")
    sc.addFile(path)
    shipped_names.add(name)
    return name


def run_phase_job(sc, driver, kind, tasks, settings):
    """Runs the `tasks` tasks of phase `kind` in a thread of their own while this one watches the
    driver process: if it exits first, the job group is cancelled (again each second, so that no
    job of the group started later runs on). Returns {"metas": [...]} or {"error": exception}."""
    outcome = {}
    group = f"newscluster-{kind}"

    def job():
        # Job groups are per thread (PySpark's pinned threads): set it in the thread that submits.
        sc.setJobGroup(group, f"newscluster: {tasks} {kind} tasks", interruptOnCancel=True)
        try:
            if settings["shared"]:
                outcome["metas"] = run_tasks_shared(sc, kind, tasks, settings)
            else:
                outcome["metas"] = run_tasks_shipped(sc, kind, tasks, settings)
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=job, name=f"{kind}-tasks", daemon=True)
    thread.start()
    told = False
    while thread.is_alive():
        thread.join(timeout=1)
        if thread.is_alive() and driver.exited.is_set():
            if not told:
                log(f"the driver process {describe_exit(driver.returncode)} during the {kind} tasks: cancelling them")
                told = True
            sc.cancelJobGroup(group)
    return outcome


FAILED_TASK = re.compile(r"^RuntimeError: newscluster (?:" + "|".join(map(re.escape, STAGE_COMMANDS.values())) + ") ")


def failure_summary(error):
    """The lines of a failed job's exception that say what failed: Spark's first line and, for a
    task's failure, its message and the binary's output (no Java or Python stack)."""
    text = str(error.java_exception) if hasattr(error, "java_exception") else str(error)
    text = text.split("\nDriver stacktrace:")[0]
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("at ")]
    for index, line in enumerate(lines):
        if FAILED_TASK.match(line):
            first = lines[0] if len(lines[0]) < 300 else lines[0][:300] + "..."
            return "\n".join([first] + lines[index:]).rstrip()
    return "\n".join(lines).rstrip()


def finish_part(f, partial, meta, written):
    f.close()
    if written != meta["part_bytes"]:
        raise RuntimeError(f"{meta['kind']} part {meta['task']}: received {written} bytes of {meta['part_bytes']}")
    os.replace(partial, partial[: -len(".partial")])


# ---------------------------------------------------------------- main


def phase_seconds(spark_seconds, driver_started, phase_runs, between, finished, started):
    """spark.json's "phases": the seconds of the Spark context's start, of the driver process's own
    work before the first phase, between phases and after the last, and of each phase (from its
    ready line to its done line)."""
    seconds = {"spark_context": spark_seconds,
               "driver_until_first_ready": phase_runs[0]["ready_at"] - driver_started,
               "driver_between": between,
               "driver_after_last_done": finished - phase_runs[-1]["done_at"],
               "total": finished - started}
    for run in phase_runs:
        seconds[f"{run['kind']}_tasks"] = run["done_at"] - run["ready_at"]
    return {key: round(value, 3) for key, value in seconds.items()}


def main(argv):
    try:
        args = parse_args(argv)
    except UsageError as error:
        print(f"newscluster_spark.py: {error}\nRun with --help for usage.", file=sys.stderr)
        return EXIT_USAGE
    if any(inside(args.out, p) or inside(p, args.out) for p in [args.work_dir] if p):
        print("newscluster_spark.py: --work-dir and --out may not be or hold one another", file=sys.stderr)
        return EXIT_USAGE

    from pyspark import SparkConf, SparkContext

    started = time.monotonic()
    conf = SparkConf().setAppName("newscluster")
    # Only for --no-shared-work-dir: a part comes back as one job's result, and the default 1g
    # cap would fail a large one. The driver holds one part at a time.
    conf.setIfMissing("spark.driver.maxResultSize", "0")
    sc = SparkContext.getOrCreate(conf)
    if args.log_level.lower() != "keep":
        sc.setLogLevel(args.log_level.upper())
    spark_seconds = time.monotonic() - started
    local = sc.master.startswith("local")
    shared = args.shared_work_dir if args.shared_work_dir is not None else local
    if shared and not local and not args.work_dir:
        sc.stop()
        print("newscluster_spark.py: --shared-work-dir needs --work-dir on storage the executors share "
              "(a temporary directory is on the driver only)", file=ERR)
        return EXIT_USAGE
    partitions = args.partitions or sc.defaultParallelism
    cpus = int(sc.getConf().get("spark.task.cpus", "1"))
    work_dir, temporary = prepare_work_dir(args)
    driver = None
    phase_files = []  # each phase's file, as announced
    try:
        binary, lib = driver_binary(sc, args.binary, work_dir)
        command = [binary, "cluster", *args.inputs, "--out", args.out, *args.passthrough,
                   "--tasks", str(partitions), "--task-dir", work_dir]
        log(f"Spark {sc.version}, master {sc.master}, {partitions} tile tasks of {cpus} cores (read, terms, "
            f"vectors: a task per input shard), {'shared' if shared else 'shipped'} work dir {work_dir}; "
            f"started in {spark_seconds:.1f} s")
        driver = DriverProcess(command, binary_env(lib))
        phase_runs, metas, shipped_names = [], [], set()
        between = 0.0
        while True:
            ready = driver.wait_ready()
            if ready is None:
                break
            kind, count, path, ready_at = ready
            if kind not in STAGE_COMMANDS:
                raise RuntimeError(f"the driver process announced tasks of an unknown kind {kind!r} "
                                   f"(known: {', '.join(PHASES)}): is the binary of another version than this script?")
            if any(run["kind"] == kind for run in phase_runs):
                raise RuntimeError(f"the driver process announced the {kind} tasks a second time")
            if phase_runs:
                between += ready_at - phase_runs[-1]["done_at"]
            if kind == "tiles" and count != partitions:
                log(f"the driver process asks for {count} tile tasks (not {partitions})")
            phase_files.append(path)
            if not os.path.isfile(path):
                raise RuntimeError(f"the driver process's {kind} file {path} does not exist")
            settings = {"binary": args.binary and os.path.abspath(args.binary), "shared": shared,
                        "work_dir": work_dir, "in_path": path, "in_name": None, "cpus": cpus}
            if count and not shared:
                settings["in_name"] = ship(sc, kind, path, shipped_names)
            outcome = run_phase_job(sc, driver, kind, count, settings) if count else {"metas": []}
            if "error" in outcome:
                if driver.exited.is_set():
                    log(f"the Spark job stopped: the driver process {describe_exit(driver.returncode)}")
                    return exit_status(driver.returncode) or EXIT_SPARK_FAILED
                log(f"the Spark job of the {kind} tasks failed, no reports are written:\n"
                    f"{failure_summary(outcome['error'])}")
                driver.abort(terminate=False)
                return EXIT_SPARK_FAILED
            phase_metas = sorted(outcome["metas"], key=lambda m: m["task"])
            metas += phase_metas
            done_at = time.monotonic()
            phase_runs.append({"kind": kind, "tasks": count, "in_path": path,
                               "in_bytes": os.path.getsize(path) if os.path.exists(path) else None,
                               "seconds": round(done_at - ready_at, 3),
                               "task_seconds": round(sum(m["seconds"] for m in phase_metas), 3),
                               "part_bytes": sum(m["part_bytes"] for m in phase_metas),
                               "ready_at": ready_at, "done_at": done_at})
            driver.send_done(last=kind == PHASES[-1])
        code = driver.wait()
        finished = time.monotonic()
        if not phase_runs:
            if code == 0:
                log("the driver process finished without tasks")
            else:
                log(f"the driver process {describe_exit(code)} before the first tasks")
            return exit_status(code)
        kinds = [run["kind"] for run in phase_runs]
        if code == 0 and kinds != list(PHASES):
            log(f"note: the driver process finished after the phases {', '.join(kinds)} (not {', '.join(PHASES)})")
        phases = phase_seconds(spark_seconds, driver.started, phase_runs, between, finished, started)
        tiles = next((run for run in phase_runs if run["kind"] == "tiles"), None)
        report = {
            "master": sc.master,
            "spark_version": sc.version,
            "partitions": partitions,
            "task_cpus": cpus,
            "shared_work_dir": shared,
            "binary": binary,
            "inputs": args.inputs,
            "phases": phases,
            "phase_runs": [{k: v for k, v in run.items() if k not in ("ready_at", "done_at")} for run in phase_runs],
            "search_bin_bytes": tiles["in_bytes"] if tiles else None,
            "driver": {"exit_code": code, "peak_rss_bytes": driver.peak_rss_bytes},
            "tasks": metas,
        }
        write_json_atomically(os.path.join(work_dir, "spark.json"), report)
        mib = 2 ** 20
        slowest = max(metas, key=lambda m: m["seconds"]) if metas else None
        log("phases: " + ", ".join(f"{run['kind']} {run['tasks']} tasks {phases[run['kind'] + '_tasks']:.1f} s"
                                   for run in phase_runs)
            + f"; the driver process's own {phases['driver_until_first_ready']:.1f} s before, "
              f"{phases['driver_between']:.1f} s between, {phases['driver_after_last_done']:.1f} s after; "
              f"total {phases['total']:.1f} s")
        log((f"slowest task: {slowest['kind']} {slowest['task']}, {slowest['seconds']:.1f} s; largest task "
             f"{max(m['peak_rss_bytes'] or 0 for m in metas) / mib:.0f} MiB peak; " if slowest else "")
            + f"driver process peak {(driver.peak_rss_bytes or 0) / mib:.0f} MiB, {describe_exit(code)}")
        return exit_status(code)
    except BaseException as error:
        if driver is not None and not driver.exited.is_set():
            driver.abort(terminate=True)
        if isinstance(error, KeyboardInterrupt):
            log("interrupted: no reports are written")
            return 130
        if isinstance(error, SystemExit):
            raise
        log(f"failed: {error}")
        return 1
    finally:
        clean_work_dir(work_dir, temporary, args.keep_work_dir, phase_files)
        sc.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
