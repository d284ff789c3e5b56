"""Benchmark reading: ``read_documents`` records/s beside the bare parsers, in one run.

Usage (from the repository root)::

    PYTHONPATH=src python benchmarks/reading.py                # a 1 GB JSONL file
    PYTHONPATH=src python benchmarks/reading.py --size-mb 200 --repeats 5

A JSONL file of about ``--size-mb`` MB is written to a temporary folder from
the Reuters-21578 stories (``{"id", "text", "source", "n"}`` per line, the
corpus repeated with new ids), and a Parquet file of the same rows. Then, in
turns, ``--repeats`` times each:

* ``read_documents`` on the JSONL file with orjson (the fast path), and with
  the fast path off (``json`` only, the reference path);
* a bare ``for line in file: json.loads(line)`` loop and the same with
  ``orjson.loads``: what parsing alone costs, the floor of any reader;
* ``read_documents`` on the Parquet file (pyarrow, when installed), and the
  Parquet reader's reference path (a dict per row, as before the fast path);
* a bare pyarrow loop, ``batch.column("text").to_pylist()`` for each record
  batch of ``ParquetFile.iter_batches``, as the reader takes them (1,024 rows,
  one thread): what pyarrow alone takes to decode the file and hand over the
  texts, the floor of any Parquet reader. (``pq.read_table(path).column("text")
  .to_pylist()`` is no floor: holding the whole table made it slower than the
  reader itself, 146,000 against 181,000 records/s, and pyarrow's threads add
  CPU time.)

Each figure is records per second of process CPU time (the machine is shared,
and CPU time is what another process cannot take); the best and the worst
repeat are printed, and the ratios of the readers to the bare loops (and of
Parquet to JSONL) of the same turn. The issue's target is >= 250,000 records/s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.corpora import DEFAULT_CORPORA, load_reuters

from dedup.corpus import io as corpus_io

TARGET = 250_000


def write_jsonl(path: Path, stories: list[tuple[str, str]], size_bytes: int) -> int:
    """Write Reuters stories as JSONL until the file holds ``size_bytes``; return the lines."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        written = 0
        while written < size_bytes:
            for story_id, text in stories:
                line = json.dumps({"id": f"{story_id}-{count}", "text": text,
                                   "source": "reuters", "n": count}, ensure_ascii=False) + "\n"
                handle.write(line)
                written += len(line.encode("utf-8"))
                count += 1
                if written >= size_bytes:
                    break
    return count


def write_parquet(jsonl: Path, path: Path) -> bool:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return False
    with jsonl.open("rb") as handle, pq.ParquetWriter(path, pa.schema(
            [("id", pa.string()), ("text", pa.string()), ("source", pa.string()),
             ("n", pa.int64())])) as writer:
        batch: list[dict[str, object]] = []
        for line in handle:
            batch.append(json.loads(line))
            if len(batch) == 10_000:
                writer.write_table(pa.Table.from_pylist(batch, schema=writer.schema))
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=writer.schema))
    return True


def _read_documents(path: Path, *, fast: bool) -> Callable[[], int]:
    def run() -> int:
        saved = corpus_io._orjson_loads
        if not fast:
            corpus_io._orjson_loads = None
        try:
            return sum(1 for _ in corpus_io.read_documents([path]))
        finally:
            corpus_io._orjson_loads = saved
    return run


def _parquet_reference(path: Path) -> Callable[[], int]:
    def run() -> int:
        (listed,) = corpus_io.list_input_files([path])
        return sum(1 for _ in corpus_io._read_parquet_file(
            listed, text_field="text", id_field="id", counter=corpus_io._ReadCounter(None),
            fast=False))
    return run


def _pyarrow_floor(path: Path) -> Callable[[], int]:
    def run() -> int:
        import pyarrow.parquet as pq

        count = 0
        with path.open("rb") as handle:
            for batch in pq.ParquetFile(handle).iter_batches(
                    batch_size=corpus_io._PARQUET_BATCH_ROWS, use_threads=False):
                count += len(batch.column("text").to_pylist())
        return count
    return run


def _bare_loop(path: Path, loads: Callable[[bytes], object]) -> Callable[[], int]:
    def run() -> int:
        count = 0
        with path.open("rb") as handle:
            for line in handle:
                loads(line)
                count += 1
        return count
    return run


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=DEFAULT_CORPORA / "reuters21578")
    parser.add_argument("--size-mb", type=float, default=1000.0,
                        help="size of the JSONL file to read (default 1000 MB)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    stories = load_reuters(args.path)
    with tempfile.TemporaryDirectory(prefix="dedup-reading-") as folder:
        jsonl = Path(folder) / "reuters.jsonl"
        records = write_jsonl(jsonl, stories, int(args.size_mb * 1e6))
        parquet = Path(folder) / "reuters.parquet"
        has_parquet = write_parquet(jsonl, parquet)
        print(f"== reading {records:,} Reuters records: JSONL {jsonl.stat().st_size / 1e6:,.0f} MB"
              + (f", Parquet {parquet.stat().st_size / 1e6:,.0f} MB" if has_parquet else "")
              + f"; records/s of CPU time, {args.repeats} repeats")
        contenders: dict[str, Callable[[], int]] = {}
        if corpus_io._orjson_loads is not None:
            contenders["read_documents JSONL, orjson (fast path)"] = _read_documents(
                jsonl, fast=True)
        contenders["read_documents JSONL, json (reference path)"] = _read_documents(
            jsonl, fast=False)
        contenders["bare loop: json.loads per line"] = _bare_loop(jsonl, json.loads)
        if corpus_io._orjson_loads is not None:
            contenders["bare loop: orjson.loads per line"] = _bare_loop(
                jsonl, corpus_io._orjson_loads)
        else:
            print("  orjson is not installed: no fast path (pip install 'dedup-corpus[fast]')")
        if has_parquet:
            contenders["read_documents Parquet"] = _read_documents(parquet, fast=True)
            contenders["Parquet reader, reference path"] = _parquet_reference(parquet)
            contenders["bare pyarrow: batches, text to_pylist"] = _pyarrow_floor(parquet)
        rates: dict[str, list[float]] = {name: [] for name in contenders}
        pairs = (("fast path / orjson loop", "read_documents JSONL, orjson (fast path)",
                  "bare loop: orjson.loads per line"),
                 ("reference path / json loop", "read_documents JSONL, json (reference path)",
                  "bare loop: json.loads per line"),
                 ("Parquet / pyarrow floor", "read_documents Parquet",
                  "bare pyarrow: batches, text to_pylist"),
                 ("Parquet reference / pyarrow floor", "Parquet reader, reference path",
                  "bare pyarrow: batches, text to_pylist"),
                 ("Parquet / Parquet reference path", "read_documents Parquet",
                  "Parquet reader, reference path"),
                 ("Parquet / JSONL fast path", "read_documents Parquet",
                  "read_documents JSONL, orjson (fast path)"))
        ratios: dict[str, list[float]] = {label: [] for label, _, _ in pairs}
        for _ in range(args.repeats):
            turn: dict[str, float] = {}
            for name, run in contenders.items():
                started = time.process_time()
                count = run()
                turn[name] = count / (time.process_time() - started)
                rates[name].append(turn[name])
            for label, reader, loop in pairs:
                if reader in turn and loop in turn:
                    ratios[label].append(turn[reader] / turn[loop])
        for name, values in rates.items():
            best = max(values)
            verdict = ""
            if name.startswith(("read_documents", "Parquet reader")):
                verdict = "  target met" if best >= TARGET else f"  below {TARGET:,}"
            print(f"  {name:<46} {statistics.median(values):>9,.0f} records/s "
                  f"(best {best:,.0f}, worst {min(values):,.0f}){verdict}")
        for label, values in ratios.items():
            if values:
                print(f"  {label:<46} {statistics.median(values):>9.2f} "
                      f"({min(values):.2f}-{max(values):.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
