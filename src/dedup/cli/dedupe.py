"""``dedup dedupe INPUT... --threshold 0.8 --out kept.jsonl --duplicates dups.jsonl``.

Reads what ``dedup clean`` reads (:func:`dedup.corpus.io.read_documents`: text
files, folders, JSONL(.gz), Parquet, ``-``); writes the kept documents as read
(not cleaned) in the schema ``dedup run`` writes, the input's fields as given
and ``dedup: {"location": ...}``, to ``--out``, and one record per duplicate
(id, kept id, similarity, kind, and the shared passages with ``--explain``) to
``--duplicates``. Both files are JSONL, JSONL.gz or Parquet as their names say
(``--format`` applies to ``--out``), each appearing only once complete.
Records that cannot be read are named on standard error and in the summary;
the run goes on. Exit codes: :mod:`dedup.cli._options`.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from dedup.cli import _options as options
from dedup.cli._terminal import say
from dedup.cli.clean import check_out
from dedup.corpus.dedupe import deduplicate
from dedup.corpus.io import list_input_files, read_files
from dedup.corpus.progress import Phase, ReadProgress, Tracker, progress_factory
from dedup.corpus.rowfiles import format_for, row_writer
from dedup.document import InputRecord, Rejection

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "dedupe", help="find exact and near-duplicate documents, keep one of each group",
        description="Find exact and near-duplicate documents (exact Jaccard of word 5-gram "
                    "sets, MinHash LSH for candidates) and keep one of each group. Writes "
                    "the kept documents as read (--out) and one record per duplicate "
                    "naming the document it duplicates (--duplicates).")
    options.add_inputs(parser)
    options.add_out_file(parser, help="write the kept documents here")
    parser.add_argument("--duplicates", type=options.out_file, metavar="FILE",
                        help="write one record per duplicate here (.jsonl, .jsonl.gz or "
                             ".parquet)")
    options.add_format(parser)
    options.add_overwrite(parser)
    options.add_input_options(parser)
    options.add_dedupe_options(parser)
    parser.add_argument("--no-clean", action="store_true",
                        help="match texts as given, without dedup.clean")
    options.add_disable(parser)
    parser.add_argument("--explain", action="store_true",
                        help="add the shared passages to each duplicate record")
    options.add_workers(parser)
    options.add_progress_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Deduplicate the inputs; return the exit code (see :mod:`dedup.cli._options`)."""
    check_out(args.out, args.output_format, args.overwrite)
    check_out(args.duplicates, None, args.overwrite)
    problems: list[Rejection] = []
    kept_records: dict[str, InputRecord] = {}
    files = list_input_files(args.inputs, include=args.glob, exclude=args.exclude)
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

    clean = False if args.no_clean else replace(options.clean_config(args), explain=False)
    size = None if any(f.format == "stdin" for f in files) else sum(f.size for f in files)
    with options.progress_output(args) as progress:
        bars = progress_factory(progress)
        phase = Phase(name="read and fingerprint" if args.no_clean
                      else "read, clean and fingerprint", unit="bytes", total=size)

        def in_bytes(_: Phase) -> Tracker:
            return reading.tracker(bars(phase))

        result = deduplicate(documents(), config=options.dedupe_config(args), clean=clean,
                             explain=args.explain,
                             workers=options.resolve_workers(args.workers),
                             on_error="record", progress=in_bytes)
    with contextlib.ExitStack() as stack:
        if args.out:
            kept = stack.enter_context(row_writer(args.out, format_for(args.out,
                                                                        args.output_format)))
            for doc_id in (*result.keep, *result.empty):
                record = kept_records[doc_id]
                kept.write({args.id_field: record.id, args.text_field: record.text,
                            **record.extras, "dedup": {"location": record.location}})
        if args.duplicates:
            found = stack.enter_context(row_writer(args.duplicates,
                                                   format_for(args.duplicates, None)))
            for duplicate in result.duplicates:
                found.write(duplicate.to_dict())
    rejections = (*problems, *result.rejections)
    for problem in rejections:
        label = "empty" if problem.reason in options.EMPTY_REASONS else "rejected"
        say(f"{label} {problem.location}: {problem.reason} {problem.detail}".rstrip())
    if not args.quiet:
        empty = len(result.empty) + sum(r.reason in options.EMPTY_REASONS for r in rejections)
        rejected = len(rejections) - (empty - len(result.empty))
        total = len(result.keep) + len(result.duplicates) + empty
        say(f"{total} documents: {len(result.keep)} kept, {len(result.duplicates)} duplicates "
            f"in {len(result.clusters)} groups, {empty} empty, {rejected} rejected")
    return options.exit_code(r.reason for r in rejections)
