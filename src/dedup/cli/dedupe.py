"""``dedup dedupe INPUT... --threshold 0.8 --out kept.jsonl --duplicates dups.jsonl``.

Reads what ``dedup clean`` reads (:func:`dedup.corpus.io.read_documents`: text
files, folders, JSONL(.gz), Parquet); writes the kept documents (as read, with
their extra fields, not cleaned) to ``--out`` and one record per duplicate (id,
kept id, similarity, kind, and the shared passages with ``--explain``) to
``--duplicates``, each file appearing only once complete. Records that cannot be
read are reported on stderr and in the summary; the run goes on. Exit code 0,
or 1 when any record was rejected.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any

from dedup.cli._options import add_progress_options, progress_output
from dedup.corpus.dedupe import deduplicate
from dedup.corpus.io import atomic_writer, json_line, list_input_files, read_files
from dedup.corpus.progress import Phase, ReadProgress, Tracker, progress_factory
from dedup.document import InputRecord, Rejection
from dedup.near.config import DedupConfig

__all__ = ["add_parser", "run"]

def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "dedupe", help="find exact and near-duplicate documents, keep one of each group")
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="text, JSONL(.gz) or Parquet files, or folders of them")
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
    add_progress_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    problems: list[Rejection] = []
    kept_records: dict[str, InputRecord] = {}
    files = list_input_files(args.inputs)
    # deduplicate() counts documents, whose number is not known before they are
    # read; its bar shows instead the input bytes those documents took.
    reading = ReadProgress()

    def documents() -> Iterator[tuple[str, str]]:
        for record in read_files(files, text_field=args.text_field, id_field=args.id_field,
                                 on_read=reading.read):
            if isinstance(record, Rejection):
                problems.append(record)
                continue
            if args.out:
                kept_records.setdefault(record.id, record)
            reading.mark()
            yield record.id, record.text

    config = DedupConfig(threshold=args.threshold, representative=args.keep,
                         containment=args.containment)
    with progress_output(args) as progress:
        bars = progress_factory(progress)
        phase = Phase(name="read and fingerprint" if args.no_clean
                      else "read, clean and fingerprint",
                      unit="bytes", total=sum(f.size for f in files))

        def in_bytes(_: Phase) -> Tracker:
            return reading.tracker(bars(phase))

        result = deduplicate(documents(), config=config, clean=not args.no_clean,
                             explain=args.explain, workers=args.workers, on_error="record",
                             progress=in_bytes)
    if args.out:
        with atomic_writer(args.out) as handle:
            for doc_id in (*result.keep, *result.empty):
                record = kept_records[doc_id]
                row: dict[str, object] = {"id": record.id, "text": record.text}
                for key, value in record.extras.items():
                    row.setdefault(key, value)
                handle.write(json_line(row))
    if args.duplicates:
        with atomic_writer(args.duplicates) as handle:
            for duplicate in result.duplicates:
                handle.write(json_line(duplicate.to_dict()))
    for problem in problems:
        print(f"rejected {problem.location}: {problem.reason} {problem.detail}".rstrip(),
              file=sys.stderr)
    for rejection in result.rejections:
        print(f"rejected {rejection.location}: {rejection.reason} {rejection.detail}".rstrip(),
              file=sys.stderr)
    rejected = len(problems) + len(result.rejections)
    total = len(result.keep) + len(result.duplicates) + len(result.empty)
    if not args.quiet:
        print(f"{total} documents: {len(result.keep)} kept, {len(result.duplicates)} "
              f"duplicates in {len(result.clusters)} groups, {len(result.empty)} empty, "
              f"{rejected} rejected", file=sys.stderr)
    return 1 if rejected else 0
