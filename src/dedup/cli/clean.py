"""``dedup clean PATH...``: clean every document, write it, say what was removed and why.

Reads what :func:`dedup.corpus.io.read_documents` reads (text files, folders,
JSONL and JSONL.gz, Parquet with the extra, ``-`` for standard input). Writes
one row a cleaned document in the schema ``dedup run`` writes: the input's
fields as given, the text field holding the cleaned text, and dedup's
annotations under one ``dedup`` key (``location``, ``metadata``, ``removals``,
``fixes``). The file is JSONL, JSONL.gz or Parquet as its name says (or
``--format``), written atomically; without ``--out``, JSONL on standard
output. A record that cannot be read is named on standard error with its
reason and counted in the summary; the run goes on. A text file read with the
Windows-1252 fallback (see :mod:`dedup.corpus.decoding`) is named on standard
error too. Exit codes: :mod:`dedup.cli._options`.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import sys
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from dedup.cleaning.cleaner import clean
from dedup.cli import _options as options
from dedup.cli._terminal import say, terminal_json
from dedup.config import CleanConfig
from dedup.corpus.io import json_line, list_input_files, read_files
from dedup.corpus.progress import Phase, ReadProgress, Tracker, progress_factory
from dedup.corpus.rowfiles import RowWriter, format_for, row_writer
from dedup.corpus.workers import WorkerPool
from dedup.document import InputRecord, Rejection
from dedup.errors import ConfigError
from dedup.report import CleanResult

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "clean", help="clean documents, explain what was removed",
        description="Clean each document on its own: unicode repair, metadata lines, "
                    "boilerplate lines and repeated blocks. Rule ids: `dedup clean --rules`.")
    options.add_inputs(parser, optional=True)
    options.add_out_file(parser, help="write the cleaned documents here (default: JSONL on "
                                      "standard output)")
    options.add_format(parser)
    options.add_overwrite(parser)
    options.add_input_options(parser)
    options.add_disable(parser)
    parser.add_argument("--explain", action="store_true",
                        help="print a readable account of every removal, per document")
    options.add_workers(parser)
    options.add_progress_options(parser)
    parser.add_argument("--rules", action="store_true", help="list the rule ids and exit")
    parser.set_defaults(handler=run)


def _print_rules(stream: IO[str]) -> None:
    from dedup.rules import RULES

    width = max(len(rule.id) for rule in RULES)
    for rule in RULES:
        print(f"{rule.id:<{width}}  {rule.description}", file=stream)


def document_row(record: InputRecord, result: CleanResult, *, text_field: str,
                 id_field: str) -> dict[str, object]:
    """Return a cleaned document as ``dedup run`` writes one: input fields, then ``dedup``."""
    cleaned = result.to_dict()
    row: dict[str, object] = {id_field: record.id, text_field: result.text, **record.extras}
    row["dedup"] = {"location": record.location, "metadata": cleaned["metadata"],
                    "removals": cleaned["removals"], "fixes": cleaned["fixes"]}
    return row


def _explain(record: InputRecord, result: CleanResult) -> None:
    removed = result.removed_chars
    say(f"{record.id}: {len(result.normalized)} -> {len(result.text)} characters, "
        f"{len(result.removals)} removals ({removed} characters)")
    for fix in result.fixes:
        say(f"    fix     {fix.rule} x{fix.count}" + (f" ({fix.detail})" if fix.detail else ""))
    meta = result.metadata
    for name in ("title", "published", "updated", "agency", "author"):
        value = getattr(meta, name)
        if value is not None:
            # repr(): a scraped title is shown as data, quotes and all
            say(f"    meta    {name}: {str(value)!r}")
    for removal in result.removals:
        say(f"    removed {removal.rule}: {removal.detail}")


class _StdoutWriter:
    """JSONL rows on standard output, the controls JSON leaves raw escaped (it may be a tty)."""

    def write(self, row: Mapping[str, object]) -> None:
        # json_line escapes lone surrogates, so standard output stays UTF-8 too.
        sys.stdout.write(terminal_json(json_line(row)))


def check_out(out: str | None, given_format: str | None, overwrite: bool) -> None:
    """Refuse an output whose name contradicts ``--format``, or that exists without --overwrite.

    Raises:
        ConfigError: naming the problem.
    """
    format_for(out, given_format)
    if out is not None and Path(out).exists() and not overwrite:
        raise ConfigError(f"{out!r} exists; pass --overwrite to replace it")


def run(args: argparse.Namespace) -> int:
    """Clean every input record; return the exit code (see :mod:`dedup.cli._options`)."""
    if args.rules:
        _print_rules(sys.stdout)
        return 0
    if not args.inputs:
        raise ConfigError("give at least one INPUT (or --rules)")
    check_out(args.out, args.output_format, args.overwrite)
    config = options.clean_config(args)
    files = list_input_files(args.inputs, include=args.glob, exclude=args.exclude)
    # Workers clean chunks while the reader runs ahead: the bar shows the input
    # bytes of the documents done, not of those read.
    reading = ReadProgress()
    records = read_files(files, text_field=args.text_field, id_field=args.id_field,
                         on_read=reading.read)
    size = None if any(f.format == "stdin" for f in files) else sum(f.size for f in files)
    with options.progress_output(args) as progress, contextlib.ExitStack() as stack:
        bar = reading.tracker(progress_factory(progress)(
            Phase(name="clean", unit="bytes", total=size)))
        stack.callback(bar.close)
        writer: RowWriter = _StdoutWriter() if args.out is None else stack.enter_context(
            row_writer(args.out, format_for(args.out, args.output_format)))
        counts = _clean_all(_marked(records, reading), config, writer, args, bar)
    if not args.quiet:
        _summary(counts, args.out)
    return options.exit_code(key[9:] for key in counts if key.startswith("rejected:"))


#: Documents per task sent to a worker: large enough to pay for the round trip.
_CHUNK = 64


def _clean_texts(task: tuple[tuple[str, ...], CleanConfig]) -> list[CleanResult]:
    texts, config = task
    return [clean(text, config=config) for text in texts]


def _cleaned(records: Iterator[InputRecord | Rejection], config: CleanConfig, workers: int
             ) -> Iterator[Rejection | tuple[InputRecord, CleanResult]]:
    """Pair each record with its cleaning result (rejections pass as they are), in input order.

    Texts are cleaned in chunks on ``workers`` processes; results come back in
    the order given, so the output does not depend on ``workers``.
    """
    waiting: collections.deque[list[InputRecord | Rejection]] = collections.deque()

    def tasks() -> Iterator[tuple[tuple[str, ...], CleanConfig]]:
        chunk: list[InputRecord | Rejection] = []
        for record in records:
            chunk.append(record)
            if len(chunk) == _CHUNK:
                waiting.append(chunk)
                yield tuple(r.text for r in chunk if isinstance(r, InputRecord)), config
                chunk = []
        if chunk:
            waiting.append(chunk)
            yield tuple(r.text for r in chunk if isinstance(r, InputRecord)), config

    pool = WorkerPool(workers)
    try:
        for results in pool.map(_clean_texts, tasks()):
            found = iter(results)
            for record in waiting.popleft():
                yield record if isinstance(record, Rejection) else (record, next(found))
    except BaseException:
        pool.terminate()
        raise
    pool.close()


def _marked(records: Iterator[InputRecord | Rejection], reading: ReadProgress
            ) -> Iterator[InputRecord | Rejection]:
    for record in records:
        reading.mark()
        yield record


def _clean_all(records: Iterator[InputRecord | Rejection], config: CleanConfig,
               writer: RowWriter, args: argparse.Namespace, progress: Tracker) -> Counter[str]:
    counts: Counter[str] = Counter()
    for item in _cleaned(records, config, options.resolve_workers(args.workers)):
        progress.update(1)
        if isinstance(item, Rejection):
            label = "empty" if item.reason in options.EMPTY_REASONS else "rejected"
            counts[label] += 1
            counts[f"rejected:{item.reason}"] += 1
            described = item.describe()
            name = "" if item.id in described else f"document {item.id!r}: "
            say(f"{label} {name}{described}")
            continue
        record, result = item
        counts["documents"] += 1
        counts["chars_in"] += len(result.normalized)
        counts["chars_out"] += len(result.text)
        for rule, chars in result.chars_by_rule().items():
            counts[f"rule:{rule}"] += chars
        writer.write(document_row(record, result, text_field=args.text_field,
                                  id_field=args.id_field))
        if record.decoded_as is not None:
            say(f"note: {record.location}")
        if args.explain:
            _explain(record, result)
    return counts


def _summary(counts: Counter[str], out_path: str | None) -> None:
    documents, rejected, empty = counts["documents"], counts["rejected"], counts["empty"]
    chars_in, chars_out = counts["chars_in"], counts["chars_out"]
    share = (chars_in - chars_out) / chars_in if chars_in else 0.0
    say("")
    say(f"cleaned {documents} documents, {empty} empty, rejected {rejected}; removed "
        f"{chars_in - chars_out} of {chars_in} characters ({share:.1%})"
        + (f"; wrote {out_path}" if out_path else ""))
    by_rule = sorted(((k[5:], v) for k, v in counts.items() if k.startswith("rule:")),
                     key=lambda item: (-item[1], item[0]))
    for rule, chars in by_rule:
        say(f"  {rule:<28} {chars:>9} characters")
    for key, value in sorted(counts.items()):
        if key.startswith("rejected:"):
            say(f"  {'empty' if key[9:] in options.EMPTY_REASONS else 'rejected'} "
                f"({key[9:]}): {value}")
