"""``dedup dedupe INPUT... --threshold 0.8 --out kept.jsonl --duplicates dups.jsonl``.

Reads JSONL (``.jsonl``/``.jsonl.gz``, one ``{"id", "text"}`` object a line)
and plain-text files (one document per file, id = file path), or folders of
them; writes the kept documents (as read, not cleaned) to ``--out`` and one
record per duplicate (id, kept id, similarity, kind, and the shared passages
with ``--explain``) to ``--duplicates``. Records that cannot be read are
reported on stderr and in the summary; the run goes on. Exit code 0, or 1 when
any record was rejected.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from dedup.corpus.dedupe import deduplicate
from dedup.near.config import DedupConfig
from dedup.near.result import Rejection

__all__ = ["add_parser", "run"]

_TEXT_SUFFIXES = (".txt", ".text", ".md")


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "dedupe", help="find exact and near-duplicate documents, keep one of each group")
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="JSONL(.gz) or text files, or folders of them")
    parser.add_argument("--threshold", type=float, default=0.8,
                        help="minimum Jaccard similarity of word 5-gram sets (default 0.8)")
    parser.add_argument("--out", metavar="KEPT.jsonl", help="write kept documents here")
    parser.add_argument("--duplicates", metavar="DUPS.jsonl",
                        help="write one record per duplicate here")
    parser.add_argument("--keep", choices=("first", "longest"), default="first",
                        help="which member of a group to keep (default: first seen)")
    parser.add_argument("--containment", type=float, default=None, metavar="SHARE",
                        help="also drop documents whose shingles are this share contained "
                             "in a longer one")
    parser.add_argument("--no-clean", action="store_true",
                        help="match texts as given, without dedup.clean")
    parser.add_argument("--explain", action="store_true",
                        help="add the shared passages to each duplicate record")
    parser.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    parser.add_argument("--id-field", default="id")
    parser.add_argument("--text-field", default="text")
    parser.set_defaults(handler=run)


def _files(inputs: list[str]) -> Iterator[Path]:
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        else:
            yield path


def _open(path: Path) -> IO[str]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def _read(inputs: list[str], id_field: str, text_field: str,
          problems: list[Rejection]) -> Iterator[dict[str, object]]:
    """Yield raw records; unreadable lines and files go to ``problems``."""
    for path in _files(inputs):
        if path.name.endswith((".jsonl", ".jsonl.gz", ".json", ".ndjson")):
            try:
                with _open(path) as handle:
                    for number, line in enumerate(handle, 1):
                        if not line.strip():
                            continue
                        try:
                            record = json.loads(line)
                        except ValueError as error:
                            problems.append(Rejection(position=-1, id=f"{path}:{number}",
                                                      reason=f"not JSON ({error})"))
                            continue
                        if not isinstance(record, dict):
                            problems.append(Rejection(position=-1, id=f"{path}:{number}",
                                                      reason="not a JSON object"))
                            continue
                        record.setdefault(id_field, f"{path}:{number}")
                        yield record
            except (OSError, UnicodeDecodeError) as error:
                problems.append(Rejection(position=-1, id=str(path), reason=str(error)))
        elif path.suffix in _TEXT_SUFFIXES:
            try:
                yield {id_field: str(path), text_field: path.read_text(encoding="utf-8")}
            except (OSError, UnicodeDecodeError) as error:
                problems.append(Rejection(position=-1, id=str(path), reason=str(error)))
        else:
            problems.append(Rejection(position=-1, id=str(path),
                                      reason="not a .jsonl(.gz) or text file"))


def run(args: argparse.Namespace) -> int:
    problems: list[Rejection] = []
    kept_records: dict[str, dict[str, object]] = {}

    def remember() -> Iterator[dict[str, object]]:
        for record in _read(args.inputs, args.id_field, args.text_field, problems):
            if args.out:
                key = str(record.get(args.id_field))
                kept_records.setdefault(key, record)
            yield record

    config = DedupConfig(threshold=args.threshold, representative=args.keep,
                         containment=args.containment)
    result = deduplicate(remember(), config=config, clean=not args.no_clean,
                         explain=args.explain, workers=args.workers, id_field=args.id_field,
                         text_field=args.text_field, on_error="record")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            for doc_id in (*result.keep, *result.empty):
                handle.write(json.dumps(kept_records[doc_id], ensure_ascii=False) + "\n")
    if args.duplicates:
        with open(args.duplicates, "w", encoding="utf-8") as handle:
            for duplicate in result.duplicates:
                handle.write(json.dumps(duplicate.to_dict(), ensure_ascii=False) + "\n")
    rejected = [*problems, *result.rejections]
    for rejection in rejected:
        print(f"rejected {rejection.id}: {rejection.reason}", file=sys.stderr)
    total = len(result.keep) + len(result.duplicates) + len(result.empty)
    print(f"{total} documents: {len(result.keep)} kept, {len(result.duplicates)} duplicates "
          f"in {len(result.clusters)} groups, {len(result.empty)} empty, "
          f"{len(rejected)} rejected", file=sys.stderr)
    return 1 if rejected else 0
