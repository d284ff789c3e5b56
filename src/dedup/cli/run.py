"""``dedup run INPUT... --out DIR``: the whole job on a corpus (see dedup.corpus.pipeline)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from dedup.cli import spark as spark_command
from dedup.cli._options import (
    add_corpus_options,
    add_progress_options,
    progress_output,
    run_config,
)
from dedup.corpus.pipeline import run as run_pipeline
from dedup.errors import DedupError

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run", help="clean, remove boilerplate and duplicates from a corpus; write a report",
        description="Read files, folders, JSONL(.gz) or Parquet; clean every document; learn "
                    "and remove cross-document boilerplate; drop exact and near duplicates; "
                    "write documents, manifest.jsonl, summary.json and report.html to DIR.")
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="text files, folders of them, *.jsonl, *.jsonl.gz or *.parquet")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace the outputs of an earlier run in DIR")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="processes to use (default: all cores; results do not depend on it)")
    parser.add_argument("--text-field", default="text", help="JSONL/Parquet text field")
    parser.add_argument("--id-field", default="id", help="JSONL/Parquet id field")
    add_corpus_options(parser)
    parser.add_argument("--format", dest="output_format", choices=("jsonl", "parquet"),
                        default="jsonl", help="format of the kept documents")
    parser.add_argument("--batch-size", type=int, default=256, metavar="N",
                        help="records per unit of work; an interrupted run resumes per batch")
    add_progress_options(parser)
    parser.add_argument("--engine", choices=("local", "spark"), default="local",
                        help="where to run: this machine, or Spark (see dedup spark-run)")
    spark_command.add_options(parser.add_argument_group("with --engine spark"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.engine == "spark":
        return spark_command.run(args)
    try:
        config = run_config(args)
        with progress_output(args) as progress:
            summary = run_pipeline(args.inputs, out=args.out, config=config,
                                   workers=args.workers, overwrite=args.overwrite,
                                   progress=progress)
    except DedupError as exc:
        print(f"dedup run: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(summary.render_text())
    return 0
