"""Spark benchmark: Reuters-21578 on ``local[2]`` against the local engine, and identity checks.

Run from the repository root (needs the ``spark`` extra and Java 17)::

    PYTHONPATH=src:. python benchmarks/spark.py
    PYTHONPATH=src:. python benchmarks/spark.py --limit 1000     # the 1,000-story check only

First the first 1,000 stories, then the whole corpus (unless ``--limit``): the
local engine (``dedup.deduplicate``, clean + dedupe, 1 and 2 workers) and the
Spark engine (``dedup.spark.find_duplicates`` on ``local[2]``, same
``DedupConfig``, input order given by a position column) run on the same
documents in the same process, one after the other. It prints wall times, the
ratio, and whether the kept ids, the clusters and every duplicate's similarity
are identical; it exits 1 when they are not.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))  # dedup
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks package
from benchmarks.corpora import DEFAULT_CORPORA, load_reuters

import dedup
from dedup.near.config import DedupConfig

Decisions = dict[str, tuple[Any, ...]]


def local_decisions(docs: list[tuple[str, str]], config: DedupConfig, workers: int) -> Decisions:
    result = dedup.deduplicate(docs, config=config, workers=workers)
    decisions: Decisions = dict.fromkeys(result.keep, ("kept", None, None, None))
    decisions.update(dict.fromkeys(result.empty, ("empty", None, None, None)))
    for duplicate in result.duplicates:
        decisions[duplicate.id] = ("duplicate", duplicate.duplicate_of, duplicate.similarity,
                                   duplicate.kind)
    return decisions


def spark_decisions(spark: Any, docs: list[tuple[str, str]], config: DedupConfig) -> Decisions:
    from dedup.spark import find_duplicates

    rows = [(doc_id, position, text) for position, (doc_id, text) in enumerate(docs)]
    frame = spark.createDataFrame(rows, "id string, position long, text string")
    decided = find_duplicates(frame, order_column="position", config=config).collect()
    return {row["id"]: (row["status"], row["duplicate_of"], row["similarity"], row["kind"])
            for row in decided}


def start_spark() -> Any:
    from dedup.spark import build_session

    source_root = str(Path(dedup.__file__).resolve().parents[1])
    os.environ["PYTHONPATH"] = os.pathsep.join(
        part for part in (source_root, os.environ.get("PYTHONPATH")) if part)
    return build_session(master="local[2]", app_name="dedup-benchmark", settings={
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.log.level": "ERROR",
        "spark.sql.shuffle.partitions": "8",
        "spark.driver.memory": "4g",
    })


def timed(label: str, action: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    value = action()
    elapsed = time.perf_counter() - start
    print(f"  {label:<40} {elapsed:8.1f} s", flush=True)
    return value, elapsed


def compare(name: str, docs: list[tuple[str, str]], spark: Any, config: DedupConfig) -> bool:
    print(f"{name}: {len(docs):,} documents", flush=True)
    local, local_1 = timed("local engine, 1 worker", lambda: local_decisions(docs, config, 1))
    _, local_2 = timed("local engine, 2 workers", lambda: local_decisions(docs, config, 2))
    remote, spark_time = timed("spark local[2]", lambda: spark_decisions(spark, docs, config))
    identical = remote == local
    kept = sum(1 for value in local.values() if value[0] == "kept")
    print(f"  kept {kept:,}, duplicates {len(local) - kept:,}; identical to the local engine: "
          f"{'yes' if identical else 'NO'}")
    if not identical:
        differing = sorted(key for key in local if local[key] != remote.get(key))[:5]
        for key in differing:
            print(f"    {key}: local {local[key]} spark {remote.get(key)}")
    print(f"  spark / local(1 worker) = {spark_time / local_1:.1f}x, "
          f"spark / local(2 workers) = {spark_time / local_2:.1f}x")
    return identical


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default=str(DEFAULT_CORPORA / "reuters21578"),
                        help="the Reuters-21578 folder")
    parser.add_argument("--limit", type=int, default=None,
                        help="only the first N stories (the 1,000-story check always runs)")
    parser.add_argument("--threshold", type=float, default=0.8)
    args = parser.parse_args()
    docs = load_reuters(args.path)
    config = DedupConfig(threshold=args.threshold)
    spark, _ = timed("(spark session start)", start_spark)
    ok = compare("Reuters-21578, first 1,000", docs[:1_000], spark, config)
    if args.limit != 1_000:
        name = "Reuters-21578" if args.limit is None else f"Reuters-21578, first {args.limit:,}"
        ok = compare(name, docs[:args.limit], spark, config) and ok
    spark.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
