"""``dedup clean PATH...``: clean every document, write JSONL, say what was removed and why.

Reads what :func:`dedup.corpus.io.read_documents` reads (text files, folders,
JSONL and JSONL.gz, Parquet with the extra). Writes one JSON object a cleaned
document (``id``, ``text``, ``removals``, ``fixes``, ``metadata`` and the
input's other fields) to ``--out`` (atomically) or to standard output. A
record that cannot be read is named on standard error with its reason and
counted in the summary; the run goes on. A text file read with the
Windows-1252 fallback (see :mod:`dedup.corpus.decoding`) is named on standard
error too. Exit code 0, or 1 when any record was rejected.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator
from typing import IO, Any

from dedup.cleaning.cleaner import clean
from dedup.cli._options import add_progress_options, progress_output
from dedup.config import CleanConfig
from dedup.corpus.io import atomic_writer, json_line, list_input_files, read_files
from dedup.corpus.progress import Phase, progress_factory
from dedup.document import InputRecord, Rejection
from dedup.errors import DedupError
from dedup.report import CleanResult

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "clean", help="clean documents, explain what was removed",
        description="Clean each document on its own: unicode repair, metadata lines, "
                    "boilerplate lines and repeated blocks. Rule ids: `dedup clean --rules`.")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="text files, folders, JSONL(.gz) or Parquet files")
    parser.add_argument("--out", "-o", metavar="FILE.jsonl",
                        help="write cleaned documents here (default: standard output)")
    parser.add_argument("--explain", action="store_true",
                        help="print a readable account of every removal, per document")
    parser.add_argument("--disable", action="append", default=[], metavar="RULE",
                        help="switch a rule or a family off (repeatable), e.g. repeat.block")
    parser.add_argument("--text-field", default="text", help="JSONL/Parquet text field")
    parser.add_argument("--id-field", default="id", help="JSONL/Parquet id field")
    parser.add_argument("--rules", action="store_true", help="list the rule ids and exit")
    add_progress_options(parser)
    parser.set_defaults(handler=run)


def _print_rules(stream: IO[str]) -> None:
    from dedup.rules import RULES

    width = max(len(rule.id) for rule in RULES)
    for rule in RULES:
        print(f"{rule.id:<{width}}  {rule.description}", file=stream)


def _row(record: InputRecord, result: CleanResult) -> dict[str, object]:
    row: dict[str, object] = {"id": record.id, **result.to_dict()}
    for key, value in record.extras.items():
        row.setdefault(key, value)
    return row


def _explain(record: InputRecord, result: CleanResult, stream: IO[str]) -> None:
    removed = result.removed_chars
    print(f"{record.id}: {len(result.normalized)} -> {len(result.text)} characters, "
          f"{len(result.removals)} removals ({removed} characters)", file=stream)
    for fix in result.fixes:
        print(f"    fix     {fix.rule} x{fix.count}" + (f" ({fix.detail})" if fix.detail else ""),
              file=stream)
    meta = result.metadata
    for name in ("title", "published", "updated", "agency", "author"):
        value = getattr(meta, name)
        if value is not None:
            # repr(): a scraped title is shown as data, escapes and all, never interpreted
            print(f"    meta    {name}: {str(value)!r}", file=stream)
    for removal in result.removals:
        print(f"    removed {removal.rule}: {removal.detail}", file=stream)


def run(args: argparse.Namespace) -> int:
    """Clean every input record; return 0, or 1 when some record was rejected."""
    if args.rules:
        _print_rules(sys.stdout)
        return 0
    if not args.paths:
        print("dedup clean: give at least one PATH (or --rules)", file=sys.stderr)
        return 2
    try:
        config = CleanConfig(disabled_rules=frozenset(args.disable))
        files = list_input_files(args.paths)
        with progress_output(args) as progress:
            bar = progress_factory(progress)(
                Phase(name="clean", unit="bytes", total=sum(f.size for f in files)))
            records = read_files(files, text_field=args.text_field, id_field=args.id_field,
                                 on_read=bar.update)
            try:
                if args.out:
                    with atomic_writer(args.out) as out:
                        counts = _clean_all(records, config, out, args.explain)
                else:
                    counts = _clean_all(records, config, sys.stdout, args.explain)
            finally:
                bar.close()
    except DedupError as exc:
        print(f"dedup clean: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        _summary(counts, args.out, sys.stderr)
    return 1 if counts["rejected"] else 0


def _clean_all(records: Iterator[InputRecord | Rejection], config: CleanConfig,
               out: IO[str], explain: bool) -> Counter[str]:
    counts: Counter[str] = Counter()
    for record in records:
        if isinstance(record, Rejection):
            counts["rejected"] += 1
            counts[f"rejected:{record.reason}"] += 1
            described = record.describe()
            name = "" if record.id in described else f"document {record.id!r}: "
            print(f"rejected {name}{described}", file=sys.stderr)
            continue
        result = clean(record.text, config=config)
        counts["documents"] += 1
        counts["chars_in"] += len(result.normalized)
        counts["chars_out"] += len(result.text)
        for rule, chars in result.chars_by_rule().items():
            counts[f"rule:{rule}"] += chars
        # json_line escapes lone surrogates, so standard output stays UTF-8 too.
        out.write(json_line(_row(record, result)))
        if record.decoded_as is not None:
            print(f"note: {record.location}", file=sys.stderr)
        if explain:
            _explain(record, result, sys.stderr)
    return counts


def _summary(counts: Counter[str], out_path: str | None, stream: IO[str]) -> None:
    documents, rejected = counts["documents"], counts["rejected"]
    chars_in, chars_out = counts["chars_in"], counts["chars_out"]
    share = (chars_in - chars_out) / chars_in if chars_in else 0.0
    print(f"\ncleaned {documents} documents, rejected {rejected}; removed "
          f"{chars_in - chars_out} of {chars_in} characters ({share:.1%})"
          + (f"; wrote {out_path}" if out_path else ""), file=stream)
    by_rule = sorted(((k[5:], v) for k, v in counts.items() if k.startswith("rule:")),
                     key=lambda item: (-item[1], item[0]))
    for rule, chars in by_rule:
        print(f"  {rule:<28} {chars:>9} characters", file=stream)
    for key, value in sorted(counts.items()):
        if key.startswith("rejected:"):
            print(f"  rejected ({key[9:]}): {value}", file=stream)
