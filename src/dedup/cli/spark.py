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

from dedup.cli import _options as options
from dedup.cli._options import run_config
from dedup.cli._terminal import say
from dedup.corpus.listing import STDIN
from dedup.errors import ConfigError, DedupError, OutputWriteError

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
    options.add_corpus_job(parser)  # one grammar; the Spark engine draws no bars
    add_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the Spark job described by ``args``; return the exit code."""
    from dedup.spark._pyspark import require_pyspark

    try:
        if STDIN in args.inputs:
            raise ConfigError("the Spark engine cannot read standard input ('-'): its "
                              "executors read files; give a file or use 'dedup run'")
        require_pyspark()
        config = run_config(args)
    except DedupError as error:
        say(f"dedup {args.command}: error: {error}")
        return 2
    from dedup.spark import build_session
    from dedup.spark import run as run_on_spark

    spark = build_session(master=getattr(args, "master", None) or None)
    try:
        summary = run_on_spark(args.inputs, args.out, config=config,
                               overwrite=args.overwrite, spark=spark)
    except OutputWriteError as error:
        say(f"dedup {args.command}: {error}")
        return options.EXIT_WRITE_ERROR
    except DedupError as error:
        say(f"dedup {args.command}: error: {error}")
        return 2
    if not args.quiet:
        for line in summary.render_text().splitlines():
            say(line, sys.stdout)
    return options.exit_code(summary.rejected_by_reason)
