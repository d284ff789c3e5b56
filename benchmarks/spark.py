"""Spark benchmark: the corpus job on ``local[2]`` against the local engine; where Spark pays off.

Run from the repository root (needs the ``spark`` extra and Java 17)::

    PYTHONPATH=src nice python benchmarks/spark.py                  # Reuters + 1k..200k
    PYTHONPATH=src nice python benchmarks/spark.py --quick          # small sizes only
    PYTHONPATH=src nice python benchmarks/spark.py --sizes 1000,200000 --work /tmp/sparkbench

The corpora are JSONL files in ``--work`` (a new temporary folder by default;
a folder given again reuses the corpora it already holds):

* Reuters-21578 (``--corpora``), title and body per story, split over two files.
* A synthetic corpus built from it, seeded (``--seed``), of which every size is
  a prefix: each document is a Reuters story with its body sentences shuffled
  and 20% of its words replaced (words from the corpus' vocabulary, figures by
  other figures), so documents made from one story stay far apart (word
  5-gram Jaccard about 0.1); 5% are exact copies and 5% near copies (1% of
  the words replaced) of an earlier document. Ids are random and unrelated to
  the order. One JSONL file per 12,500 documents (at least two), so Spark
  reads with one task per file.

For each corpus the job runs three times on the same files with the default
``RunConfig``: ``dedup.run(workers=1)`` and ``dedup.run(workers=2)``, each in a
fresh process (as ``dedup run`` would: a pool forked from a process without
threads), then ``dedup.spark.run`` on one ``local[2]`` session started once
(its start-up is timed apart). Times are wall clock around the call; peak RSS
is the process's high-water mark during the call (the local process; for
Spark the Python driver and the JVM, reset before each run through
``/proc/PID/clear_refs``). The outputs (``manifest.jsonl``,
``documents.jsonl``, ``report.html`` byte for byte, ``summary.json`` without
its timings) must be identical across the three runs; the script exits 1 when
they are not, naming the first differing line.

Last it fits ``seconds = a + b * documents`` for each engine over the synthetic
sizes and prints where Spark on this machine beats the local engine, or where
the fits cross, and what share of Spark's time more executors could take.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import math
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))  # dedup
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks package
from benchmarks.corpora import DEFAULT_CORPORA, load_reuters

import dedup

#: Bump when the synthetic corpus changes, so a reused ``--work`` folder is rebuilt.
CORPUS_VERSION = 1
DOCUMENTS_PER_FILE = 12_500
DISTINCT_EDIT_SHARE = 0.20
NEAR_EDIT_SHARE = 0.01
EXACT_COPY_SHARE = 0.05
NEAR_COPY_SHARE = 0.05
COPY_POOL = 4_096
DEFAULT_SIZES = (1_000, 20_000, 50_000, 200_000)
QUICK_SIZES = (1_000, 5_000)
QUICK_REUTERS = 2_000
OUTPUTS = ("manifest.jsonl", "documents.jsonl", "report.html")

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'])")
_ALPHA_WORD = re.compile(r"[^\W\d_]{3,}")
_DIGIT = re.compile(r"\d")

_LOCAL_RUN = """
import json, resource, sys, time
import dedup
started = time.perf_counter()
summary = dedup.run([sys.argv[1]], out=sys.argv[2], workers=int(sys.argv[3]))
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "timings": dict(summary.timings),
                  "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


# ------------------------------------------------------------------ corpora


def write_parts(rows: Iterable[dict[str, object]], folder: Path, count: int) -> Path:
    """Write ``count`` rows as JSONL, contiguous in order over several files; return ``folder``.

    The folder is complete once its ``.complete`` marker exists; a complete
    folder is reused as it is.
    """
    marker = folder / ".complete"
    if marker.exists():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    files = max(2, math.ceil(count / DOCUMENTS_PER_FILE))
    handles = [(folder / f"part-{index:03d}.jsonl").open("w", encoding="utf-8")
               for index in range(files)]
    written = 0
    try:
        for index, row in enumerate(rows):
            handles[index * files // count].write(
                json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
            written += 1
    finally:
        for handle in handles:
            handle.close()
    if written != count:
        raise ValueError(f"{folder}: wrote {written} documents, expected {count}")
    marker.write_text(f"{count}\n", encoding="utf-8")
    return folder


def vocabulary_of(stories: Sequence[tuple[str, str]]) -> list[str]:
    """The corpus' distinct words of three letters or more, sorted (a seeded draw is stable)."""
    return sorted({word for _, text in stories for word in _ALPHA_WORD.findall(text)})


def replace_words(text: str, share: float, rng: random.Random, vocabulary: Sequence[str]) -> str:
    """Replace ``share`` of the words (at least one): figures by figures, words by words."""
    lines = [line.split(" ") for line in text.split("\n")]
    places = [(i, j) for i, line in enumerate(lines) for j, token in enumerate(line) if token]
    if not places:
        return text
    for i, j in rng.sample(places, max(1, round(share * len(places)))):
        token = lines[i][j]
        if _DIGIT.search(token):
            lines[i][j] = str(rng.randrange(10 ** max(1, sum(c.isdigit() for c in token))))
        else:
            lines[i][j] = rng.choice(vocabulary)
    return "\n".join(" ".join(line) for line in lines)


def distinct_story(text: str, rng: random.Random, vocabulary: Sequence[str]) -> str:
    """A story of its own from a Reuters story: body sentences shuffled, 20% of words replaced."""
    title, _, body = text.partition("\n\n")
    lines = body.strip().split("\n")
    trailer = lines.pop() if lines and lines[-1].strip().lower() == "reuter" else None
    sentences = _SENTENCE_END.split(" ".join(line.strip() for line in lines if line.strip()))
    rng.shuffle(sentences)
    paragraphs = [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
    story = "\n\n".join(part for part in (title, *paragraphs, trailer) if part)
    return replace_words(story, DISTINCT_EDIT_SHARE, rng, vocabulary)


def synthetic_rows(stories: Sequence[tuple[str, str]], count: int, seed: int
                   ) -> Iterator[dict[str, object]]:
    """``count`` documents built from ``stories``; a smaller count is a prefix of a larger one."""
    rng = random.Random(seed)
    sources = [text for _, text in stories if text.strip()]
    vocabulary = vocabulary_of(stories)
    pool: list[str] = []
    ids: set[int] = set()
    for index in range(count):
        draw = rng.random()
        if pool and draw < EXACT_COPY_SHARE:
            text = rng.choice(pool)
        elif pool and draw < EXACT_COPY_SHARE + NEAR_COPY_SHARE:
            text = replace_words(rng.choice(pool), NEAR_EDIT_SHARE, rng, vocabulary)
        else:
            text = distinct_story(rng.choice(sources), rng, vocabulary)
        # Reservoir of earlier documents to copy from, bounded in memory.
        if len(pool) < COPY_POOL:
            pool.append(text)
        else:
            slot = rng.randrange(index + 1)
            if slot < COPY_POOL:
                pool[slot] = text
        doc_id = rng.getrandbits(48)
        while doc_id in ids:
            doc_id = rng.getrandbits(48)
        ids.add(doc_id)
        yield {"id": f"d{doc_id:012x}", "text": text}


# ------------------------------------------------------------------ measuring


@dataclasses.dataclass(frozen=True)
class Measured:
    """One engine's run on one corpus."""

    seconds: float
    rss_mb: float
    timings: dict[str, float]
    jvm_rss_mb: float | None = None


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(Path(dedup.__file__).resolve().parents[1]),
                          os.environ.get("PYTHONPATH")) if part)
    return environment


def run_local(folder: Path, out: Path, workers: int) -> Measured:
    """``dedup.run`` in a fresh process; its wall time and peak RSS."""
    result = subprocess.run([sys.executable, "-c", _LOCAL_RUN, str(folder), str(out),
                             str(workers)], capture_output=True, text=True,
                            env=_environment(), check=False)
    if result.returncode != 0:
        raise RuntimeError(f"dedup.run(workers={workers}) on {folder} failed:\n"
                           f"{result.stderr[-3000:]}")
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    return Measured(seconds=measured["seconds"], rss_mb=measured["rss_kb"] / 1024,
                    timings=measured["timings"])


def _reset_peak(pid: int | str) -> bool:
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_mb(pid: int | str) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else None


def start_spark(work: Path, driver_memory: str, shuffle_partitions: int) -> Any:
    """A ``local[2]`` session whose Python workers run this interpreter and this ``dedup``."""
    from dedup.spark import build_session

    os.environ["PYTHONPATH"] = _environment()["PYTHONPATH"]
    return build_session(master="local[2]", app_name="dedup-benchmark", settings={
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.log.level": "ERROR",
        "spark.sql.shuffle.partitions": str(shuffle_partitions),
        "spark.driver.memory": driver_memory,
        "spark.local.dir": str(work / "spark-local"),
        "spark.executorEnv.PYTHONPATH": os.environ["PYTHONPATH"],
    })


def run_spark(spark: Any, folder: Path, out: Path) -> Measured:
    """``dedup.spark.run`` on the session; wall time, driver and JVM peak RSS."""
    import dedup.spark

    jvm_pid = str(spark._jvm.java.lang.ProcessHandle.current().pid())
    reset = _reset_peak("self") and _reset_peak(jvm_pid)
    started = time.perf_counter()
    summary = dedup.spark.run([str(folder)], str(out), spark=spark)
    seconds = time.perf_counter() - started
    if reset:
        rss, jvm = _peak_mb("self"), _peak_mb(jvm_pid)
    else:  # no clear_refs: the high-water mark since the start, the JVM's unknown
        rss, jvm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, None
    return Measured(seconds=seconds, rss_mb=rss or 0.0, timings=dict(summary.timings),
                    jvm_rss_mb=jvm)


def _digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _first_difference(a: Path, b: Path) -> str:
    with a.open("rb") as left, b.open("rb") as right:
        for number, (x, y) in enumerate(zip(left, right, strict=False), 1):
            if x != y:
                return (f"line {number}:\n      {x[:300].decode(errors='replace').rstrip()}\n"
                        f"      {y[:300].decode(errors='replace').rstrip()}")
    return "one file is a prefix of the other"


def differences(reference: Path, other: Path) -> list[str]:
    """What differs between two runs' outputs (empty: identical apart from the timings)."""
    found = []
    for name in OUTPUTS:
        if _digest(reference / name) != _digest(other / name):
            found.append(f"{name} differs at {_first_difference(reference / name, other / name)}")
    summaries = []
    for folder in (reference, other):
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        summary.pop("timings_seconds", None)
        summaries.append(summary)
    if summaries[0] != summaries[1]:
        keys = sorted(k for k in summaries[0].keys() | summaries[1].keys()
                      if summaries[0].get(k) != summaries[1].get(k))
        found.append(f"summary.json differs in {', '.join(keys)}")
    return found


# ------------------------------------------------------------------ the benchmark


@dataclasses.dataclass(frozen=True)
class Row:
    """The three runs on one corpus."""

    corpus: str
    documents: int
    synthetic: bool
    local_1: Measured
    local_2: Measured
    spark: Measured
    identical: bool


def compare(name: str, folder: Path, documents: int, synthetic: bool, spark: Any, work: Path,
            keep_outputs: bool) -> Row:
    """Run the three engines on ``folder``; print their times and whether the outputs agree."""
    print(f"\n{name}: {documents:,} documents in {len(list(folder.glob('*.jsonl')))} files",
          flush=True)
    outs = {label: work / "out" / folder.name / label for label in ("local-1", "local-2", "spark")}
    for out in outs.values():
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
    measured: dict[str, Measured] = {}
    runs: tuple[tuple[str, Callable[[], Measured]], ...] = (
        ("local-1", lambda: run_local(folder, outs["local-1"], 1)),
        ("local-2", lambda: run_local(folder, outs["local-2"], 2)),
        ("spark", lambda: run_spark(spark, folder, outs["spark"])))
    for label, action in runs:
        result = action()
        measured[label] = result
        steps = ", ".join(f"{step} {seconds:.1f}" for step, seconds in result.timings.items())
        jvm = f", JVM {result.jvm_rss_mb:,.0f} MB" if result.jvm_rss_mb is not None else ""
        print(f"  {label:<8} {result.seconds:8.1f} s  peak RSS {result.rss_mb:,.0f} MB{jvm}  "
              f"({steps})", flush=True)
    problems = {label: differences(outs["local-1"], outs[label]) for label in ("local-2", "spark")}
    for label, found in problems.items():
        for problem in found:
            print(f"  {label} differs from local-1: {problem}")
    identical = not any(problems.values())
    summary = json.loads((outs["local-1"] / "summary.json").read_text(encoding="utf-8"))
    print(f"  kept {summary['kept']:,}, duplicates {summary['duplicates']:,}, rejected "
          f"{summary['rejected']:,}; outputs identical: {'yes' if identical else 'NO'}")
    if not keep_outputs and identical:
        for out in outs.values():
            shutil.rmtree(out)
    return Row(corpus=name, documents=documents, synthetic=synthetic, local_1=measured["local-1"],
               local_2=measured["local-2"], spark=measured["spark"], identical=identical)


def print_table(rows: Sequence[Row]) -> None:
    """The figures as a Markdown table (pasted into docs/scaling.md)."""
    print("\n| corpus | documents | local 1 worker s | local 2 workers s | spark local[2] s "
          "| spark / local 1 | spark / local 2 | peak RSS MB: local 1, local 2, spark driver "
          "(JVM) | identical |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---|")
    for row in rows:
        jvm = f" ({row.spark.jvm_rss_mb:,.0f})" if row.spark.jvm_rss_mb is not None else ""
        print(f"| {row.corpus} | {row.documents:,} | {row.local_1.seconds:.1f} "
              f"| {row.local_2.seconds:.1f} | {row.spark.seconds:.1f} "
              f"| {row.spark.seconds / row.local_1.seconds:.1f}x "
              f"| {row.spark.seconds / row.local_2.seconds:.1f}x "
              f"| {row.local_1.rss_mb:,.0f}, {row.local_2.rss_mb:,.0f}, "
              f"{row.spark.rss_mb:,.0f}{jvm} | {'yes' if row.identical else 'NO'} |")


def fit(points: Sequence[tuple[int, float]]) -> tuple[float, float]:
    """Least squares ``seconds = a + b * documents``; ``(a, b)``."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    b = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    return mean_y - b * mean_x, b


def conclude(rows: Sequence[Row]) -> list[str]:
    """Where Spark on this machine beats the local engine, measured or extrapolated."""
    synthetic = sorted((row for row in rows if row.synthetic), key=lambda row: row.documents)
    lines = []
    for label, attribute in (("1 worker", "local_1"), ("2 workers", "local_2")):
        wins = [row for row in synthetic
                if row.spark.seconds < getattr(row, attribute).seconds]
        lines.append(f"measured: Spark on local[2] beats the local engine with {label} at "
                     + (", ".join(f"{row.documents:,}" for row in wins) + " documents"
                        if wins else "no size") + " in this run.")
    if len(synthetic) < 2:
        lines.append("One synthetic size only: no fit (give --sizes with two or more).")
        return lines
    spark_a, spark_b = fit([(r.documents, r.spark.seconds) for r in synthetic])
    for label, attribute in (("1 worker", "local_1"), ("2 workers", "local_2")):
        local_a, local_b = fit([(r.documents, getattr(r, attribute).seconds) for r in synthetic])
        text = (f"fit vs local {label}: local {local_a:.1f} s + {local_b * 1e3:.3f} ms/doc, "
                f"spark {spark_a:.1f} s + {spark_b * 1e3:.3f} ms/doc: ")
        if spark_b < local_b:
            crossing = (spark_a - local_a) / (local_b - spark_b)
            text += (f"they cross at {crossing:,.0f} documents" if crossing > 0
                     else "Spark is ahead at every size")
        else:
            text += ("Spark's cost per document is higher, so on this machine it never "
                     "catches up")
        lines.append(text + ".")
    # What more executors could take: of Spark's fit, the fixed cost (stage scheduling, JVM
    # round trips) and the driver's write of the four files in order stay; the rest of the
    # per-document cost is the executors' and could shrink with k times the cores.
    largest = synthetic[-1]
    n, local = largest.documents, largest.local_2.seconds
    write = largest.spark.timings.get("write", 0.0)
    parallel = spark_b * n - write
    head = (f"At {n:,} documents Spark writes the outputs through the driver in {write:.1f} s "
            f"of {largest.spark.seconds:.1f} s; its fixed cost is {spark_a:.1f} s. On one 2-core "
            "machine Spark's executors have the same 2 cores as the local pool, so Spark can "
            "only pay off with more executors: ")
    room = local - spark_a - write
    if room > 0 and parallel > 0:
        lines.append(head + f"if its other {parallel:.1f} s spread evenly over k times the "
                     f"cores, it beats local 2 workers ({local:.1f} s) at this size once "
                     f"k > {parallel / room:.1f}.")
    else:
        lines.append(head + f"here its fixed cost and driver-side write ({spark_a + write:.1f} s) "
                     f"alone exceed the whole local run ({local:.1f} s), so more executors "
                     "cannot make it faster at this size.")
    return lines


def parse_sizes(text: str) -> tuple[int, ...]:
    """``1000,20k,200000`` -> (1000, 20000, 200000)."""
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        sizes.append(int(float(part[:-1]) * 1000) if part.endswith("k") else int(part))
    return tuple(sorted(set(sizes)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA,
                        help="the folder holding reuters21578/")
    parser.add_argument("--work", type=Path, default=None,
                        help="where corpora and outputs go (default: a new temporary folder)")
    parser.add_argument("--sizes", type=parse_sizes, default=DEFAULT_SIZES,
                        help="synthetic corpus sizes, e.g. 1k,20k,50k,200k (the default)")
    parser.add_argument("--quick", action="store_true",
                        help=f"only small sizes: Reuters' first {QUICK_REUTERS:,} stories and "
                             f"synthetic {', '.join(f'{s:,}' for s in QUICK_SIZES)}")
    parser.add_argument("--reuters-limit", type=int, default=None,
                        help="only the first N Reuters stories (0: skip Reuters)")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--driver-memory", default="6g")
    parser.add_argument("--shuffle-partitions", type=int, default=8)
    parser.add_argument("--keep-outputs", action="store_true",
                        help="keep the runs' outputs in WORK/out (they are kept when they differ)")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else args.sizes
    reuters_limit = QUICK_REUTERS if args.quick and args.reuters_limit is None \
        else args.reuters_limit
    work = args.work or Path(tempfile.mkdtemp(prefix="dedup-sparkbench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"dedup {dedup.__version__} from {Path(dedup.__file__).parent}; work folder {work}; "
          f"{os.cpu_count()} cores; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")

    stories = load_reuters(args.corpora / "reuters21578")
    corpora: list[tuple[str, Path, int, bool]] = []
    if reuters_limit != 0:
        chosen = stories[:reuters_limit]
        label = "Reuters-21578" if reuters_limit is None else f"Reuters, first {reuters_limit:,}"
        folder = write_parts(({"id": i, "text": t} for i, t in chosen),
                             work / f"reuters-{len(chosen)}", len(chosen))
        corpora.append((label, folder, len(chosen), False))
    for size in sizes:
        started = time.perf_counter()
        folder = write_parts(synthetic_rows(stories, size, args.seed),
                             work / f"synthetic-{size}-seed{args.seed}-v{CORPUS_VERSION}", size)
        print(f"synthetic corpus of {size:,} documents ready in "
              f"{time.perf_counter() - started:.1f} s: {folder}", flush=True)
        corpora.append((f"synthetic {size:,}", folder, size, True))
    del stories

    started = time.perf_counter()
    spark = start_spark(work, args.driver_memory, args.shuffle_partitions)
    print(f"Spark {spark.version} session local[2] started in {time.perf_counter() - started:.1f}"
          f" s (driver memory {args.driver_memory}, {args.shuffle_partitions} shuffle partitions)",
          flush=True)
    rows = []
    try:
        for name, folder, documents, synthetic in corpora:
            rows.append(compare(name, folder, documents, synthetic, spark, work,
                                args.keep_outputs))
    finally:
        spark.stop()
    print_table(rows)
    print()
    for line in conclude(rows):
        print(line)
    print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    if not all(row.identical for row in rows):
        print("OUTPUTS DIFFER: see the lines above")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
