"""Benchmark `dedup run` on Reuters-21578 end to end, beside the peers a user would pick.

Usage (from the repository root)::

    PYTHONPATH=src python benchmarks/pipeline.py [--path ../shared/corpora/reuters21578]

Every contender reads the same JSONL file (one record per story, written to a
temporary folder) and runs in its own process, timed by wall clock; peak RSS is
that of the largest process of the run and CPU seconds those of all its
processes (``RUSAGE_CHILDREN``), measured by a fresh wrapper process per
contender. The machine is shared, so compare the columns of one run. Peers
come from PyPI, each installed in its own environment under
``/work/bench-venvs/<name>`` (``--venvs``); a missing one is skipped with a
note:

* ``dedup run`` (2 workers, then 1): the whole job: clean, cross-document
  boilerplate, exact and near duplicates, all four outputs.
* ``dedup.deduplicate`` alone on the raw texts: the like-for-like comparison
  with the peers, which only deduplicate.
* text-dedup's MinHash (``python -m text_dedup.minhash``), word 5-grams,
  128 permutations, threshold 0.8, 2 processes.
* datatrove's MinHash pipeline (signatures, buckets, clusters, filter) with
  the same shingles and 128 hashes (16 buckets of 8), 2 tasks on 2 workers.

It also checks the acceptance of the corpus pipeline on Reuters: the "Reuter"
trailer is removed as ``corpus.frequent_line`` and no other line learnt from
the corpus is a sentence.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.corpora import DEFAULT_CORPORA, load_reuters

ROOT = Path(__file__).resolve().parent.parent

_MEASURE = """
import resource, subprocess, sys, time, json
started = time.perf_counter()
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
elapsed = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": elapsed, "rss_kb": usage.ru_maxrss,
                  "cpu": usage.ru_utime + usage.ru_stime, "code": result.returncode,
                  "stdout": result.stdout[-4000:], "stderr": result.stderr[-4000:]}))
"""

_DEDUPLICATE_ONLY = """
import json, sys
from dedup import deduplicate
docs = ((row["id"], row["text"]) for row in map(json.loads, open(sys.argv[1], encoding="utf-8")))
result = deduplicate(docs, threshold=0.8, clean=False, workers=int(sys.argv[2]))
print("kept", len(result.keep) + len(result.empty))
"""

_TEXT_DEDUP_COUNT = """
import sys, datasets
print("kept", datasets.load_from_disk(sys.argv[1]).num_rows)
"""

_DATATROVE = """
import glob, gzip, sys
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup import (MinhashDedupBuckets, MinhashDedupCluster,
                                      MinhashDedupFilter, MinhashDedupSignature)
from datatrove.pipeline.dedup.minhash import MinhashConfig
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers.jsonl import JsonlWriter

from datatrove.utils.word_tokenizers import WordTokenizer


class WhitespaceTokenizer(WordTokenizer):
    # datatrove's English tokenizer needs spaCy; words split on spaces are what the other
    # contenders shingle, so this is also the like-for-like choice.
    def word_tokenize(self, text):
        return text.split()

    def sent_tokenize(self, text):
        return [text]

    def span_tokenize(self, text):
        return [(0, len(text))]


shards, work = sys.argv[1], sys.argv[2]
# The default xxhash64 passes str to xxhash, which the xxhash on this machine rejects;
# xxhash on the UTF-8 bytes is the same function.
import datatrove.pipeline.dedup.minhash as minhash_module
minhash_module.create_hash_func = lambda config: (
    lambda text: __import__("xxhash").xxh64_intdigest(text.encode("utf-8")))
config = MinhashConfig(n_grams=5, num_buckets=16, hashes_per_bucket=8)
stage1 = LocalPipelineExecutor(
    pipeline=[JsonlReader(shards, glob_pattern="*.jsonl"),
              MinhashDedupSignature(output_folder=f"{work}/signatures", config=config,
                                    language=WhitespaceTokenizer())],
    tasks=2, workers=2, logging_dir=f"{work}/logs/1")
stage2 = LocalPipelineExecutor(
    pipeline=[MinhashDedupBuckets(input_folder=f"{work}/signatures",
                                  output_folder=f"{work}/buckets", config=config)],
    tasks=config.num_buckets, workers=2, logging_dir=f"{work}/logs/2", depends=stage1)
stage3 = LocalPipelineExecutor(
    pipeline=[MinhashDedupCluster(input_folder=f"{work}/buckets",
                                  output_folder=f"{work}/remove_ids", config=config)],
    tasks=1, logging_dir=f"{work}/logs/3", depends=stage2)
stage4 = LocalPipelineExecutor(
    pipeline=[JsonlReader(shards, glob_pattern="*.jsonl"),
              MinhashDedupFilter(input_folder=f"{work}/remove_ids"),
              JsonlWriter(f"{work}/output")],
    tasks=2, workers=2, logging_dir=f"{work}/logs/4", depends=stage3)
stage4.run()
kept = sum(1 for path in glob.glob(f"{work}/output/*") for _ in gzip.open(path, "rt"))
print("kept", kept)
"""


def measure(command: Sequence[str], *, env: dict[str, str] | None = None) -> dict[str, object]:
    """Run ``command`` under a fresh wrapper; return seconds, peak RSS and its output."""
    result = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True,
                            text=True, env=env, check=True)
    measured: dict[str, object] = json.loads(result.stdout)
    return measured


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = str(ROOT / "src")
    environment["HF_DATASETS_OFFLINE"] = "1"
    environment["HF_HUB_OFFLINE"] = "1"
    environment["TQDM_DISABLE"] = "1"
    return environment


def _kept(stdout: object) -> int | None:
    for line in str(stdout).splitlines():
        if line.startswith("kept "):
            return int(line.split()[1])
    return None


def check_reuters_boilerplate(out: Path) -> None:
    """Print the acceptance checks on the learnt boilerplate."""
    learnt: dict[str, int] = {}
    trailer_left = 0
    kept = 0
    for line in (out / "documents.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        kept += 1
        if row["text"].rstrip().split("\n")[-1].strip().lower() == "reuter":
            trailer_left += 1
        for removal in row["dedup"]["removals"]:
            if removal["rule"].startswith("corpus."):
                learnt[removal["detail"]] = learnt.get(removal["detail"], 0) + 1
    print(f"\n== cross-document boilerplate on Reuters: {kept} kept stories")
    for detail, count in sorted(learnt.items(), key=lambda kv: -kv[1]):
        print(f"  removed in {count:>6} kept stories: {detail}")
    print(f"  kept stories still ending with the 'Reuter' trailer: {trailer_left}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", type=Path, default=DEFAULT_CORPORA / "reuters21578")
    parser.add_argument("--venvs", type=Path, default=Path("/work/bench-venvs"))
    parser.add_argument("--skip-peers", action="store_true")
    args = parser.parse_args(argv)

    docs = load_reuters(args.path)
    work = Path(tempfile.mkdtemp(prefix="dedup-bench-"))
    corpus = work / "reuters.jsonl"
    shards = work / "shards"
    shards.mkdir()
    rows = [json.dumps({"id": doc_id, "text": text}) + "\n" for doc_id, text in docs]
    corpus.write_text("".join(rows), encoding="utf-8")
    for shard in range(2):  # datatrove parallelises over files
        (shards / f"part-{shard}.jsonl").write_text("".join(rows[shard::2]), encoding="utf-8")
    megabytes = sum(len(text.encode("utf-8")) for _, text in docs) / 1e6
    print(f"Reuters-21578: {len(docs)} stories, {megabytes:.1f} MB of text; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")

    env = _environment()
    results: list[tuple[str, dict[str, object], int | None]] = []
    phases: list[tuple[int, dict[str, float]]] = []
    for workers in (2, 1):
        out = work / f"dedup-out-{workers}"
        measured = measure([sys.executable, "-m", "dedup", "run", str(corpus), "--out", str(out),
                            "--workers", str(workers), "--quiet"], env=env)
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        results.append((f"dedup run --workers {workers} (whole job)", measured,
                        int(summary["kept"])))
        phases.append((workers, summary["timings_seconds"]))
    measured = measure([sys.executable, "-c", _DEDUPLICATE_ONLY, str(corpus), "2"], env=env)
    results.append(("dedup.deduplicate only, 2 workers", measured, _kept(measured["stdout"])))

    if not args.skip_peers:
        python = args.venvs / "text-dedup" / "bin" / "python"
        if python.exists():
            out = work / "text-dedup-out"
            measured = measure([str(python), "-m", "text_dedup.minhash", "--path", "json",
                                "--data_files", str(corpus), "--split", "train",
                                "--cache_dir", str(work / "hf-cache"), "--output", str(out),
                                "--column", "text", "--num_perm", "128", "--ngram", "5",
                                "--threshold", "0.8", "--num_proc", "2",
                                "--hash_func", "xxh3"], env=env)
            kept = None
            if measured["code"] == 0:
                counted = subprocess.run([str(python), "-c", _TEXT_DEDUP_COUNT, str(out)],
                                         capture_output=True, text=True, env=env, check=False)
                kept = _kept(counted.stdout)
            results.append(("text-dedup MinHash, 2 processes", measured, kept))
        else:
            print(f"text-dedup: skipped (no venv at {python.parent.parent})")
        python = args.venvs / "datatrove" / "bin" / "python"
        if python.exists():
            measured = measure([str(python), "-c", _DATATROVE, str(shards),
                                str(work / "datatrove")], env=env)
            results.append(("datatrove MinHash pipeline, 2 workers", measured,
                            _kept(measured["stdout"])))
        else:
            print(f"datatrove: skipped (no venv at {python.parent.parent})")

    reference = float(results[0][1]["seconds"])  # type: ignore[arg-type]
    print(f"\n{'contender':<42} {'seconds':>8} {'docs/s':>8} {'CPU s':>7} {'peak RSS':>9} "
          f"{'kept':>7} {'time / dedup run -w2':>21}")
    for label, measured, kept in results:
        seconds = float(measured["seconds"])  # type: ignore[arg-type]
        if measured["code"] != 0:
            print(f"{label:<42} failed: {str(measured['stderr']).strip().splitlines()[-1:]}")
            continue
        rss = int(measured["rss_kb"]) / 1024  # type: ignore[call-overload]
        cpu = float(measured["cpu"])  # type: ignore[arg-type]
        print(f"{label:<42} {seconds:8.1f} {len(docs) / seconds:8.0f} {cpu:7.1f} {rss:7.0f}MB "
              f"{kept if kept is not None else '?':>7} {seconds / reference:20.2f}x")
    for workers, timings in phases:
        print(f"  dedup run --workers {workers} phases (s): "
              + ", ".join(f"{name} {value:.1f}" for name, value in timings.items()))
    check_reuters_boilerplate(work / "dedup-out-2")
    print(f"\n(outputs left in {work})")
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"benchmark took {time.perf_counter() - started:.0f} s; "
          f"this process peaked at {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"
          " MB")
    sys.exit(code)
