"""``dedup spark-run INPUT... --out DIR``: the corpus job on Spark, for ``spark-submit``.

The same options and outputs as ``dedup run``, so ``dedup run --engine spark``
hands its arguments here unchanged. The Spark
master and resources come from ``spark-submit`` (or ``--master`` when run
directly); pyspark is imported only when the command runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from dedup.cli._options import add_corpus_options, add_progress_options, run_config
from dedup.errors import DedupError

__all__ = ["add_options", "add_parser", "run"]

def add_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """Add the options only the Spark engine has (shared with ``dedup run --engine spark``)."""
    parser.add_argument("--master", default=None,
                        help="Spark master when not launched by spark-submit, e.g. local[4]")


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "spark-run", help="clean and deduplicate a corpus on Apache Spark",
        description="The job of 'dedup run' on Spark: read files, folders, JSONL(.gz) or "
                    "Parquet with dedup's readers (one task per file); clean every document; "
                    "learn and remove cross-document boilerplate; drop exact and near "
                    "duplicates; write the same documents, manifest.jsonl, summary.json and "
                    "report.html to DIR as 'dedup run' does.")
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="text files, folders of them, *.jsonl, *.jsonl.gz or *.parquet "
                             "on a file system the driver and the executors share")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--overwrite", action="store_true", help="replace earlier outputs")
    add_corpus_options(parser)
    parser.add_argument("--text-field", default="text", help="JSONL/Parquet text field")
    parser.add_argument("--id-field", default="id", help="JSONL/Parquet id field")
    parser.add_argument("--format", dest="output_format", choices=("jsonl", "parquet"),
                        default="jsonl", help="format of the kept documents")
    add_progress_options(parser)  # one grammar; the Spark engine draws no bars of its own
    add_options(parser)
    parser.set_defaults(handler=run, batch_size=256)


def run(args: argparse.Namespace) -> int:
    """Run the Spark job described by ``args``; return the exit code."""
    from dedup.spark._pyspark import require_pyspark

    try:
        require_pyspark()
        config = run_config(args)
    except DedupError as error:
        print(f"dedup spark-run: {error}", file=sys.stderr)
        return 2
    from dedup.spark import build_session
    from dedup.spark import run as run_on_spark

    spark = build_session(master=getattr(args, "master", None) or None)
    try:
        summary = run_on_spark(args.inputs, args.out, config=config,
                               overwrite=args.overwrite, spark=spark)
    except DedupError as error:
        print(f"dedup spark-run: {error}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(summary.render_text())
    return 0
