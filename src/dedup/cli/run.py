"""``dedup run INPUT... --out DIR``: the whole job on a corpus (see dedup.corpus.pipeline).

Exit codes: :mod:`dedup.cli._options` (0 done; 1 when a record was rejected
for a reason other than being empty; 2 a mistake in the command, including a
folder that is not empty or is in use by another run), and 74 (``EX_IOERR``)
when the disk refused a write (full, quota, read-only): free space or fix the
folder and run the same command again, which resumes.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from dedup.cli import _options as options
from dedup.cli import spark as spark_command
from dedup.cli._options import run_config
from dedup.cli._terminal import say
from dedup.corpus.pipeline import run as run_pipeline
from dedup.errors import DedupError, OutputWriteError

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run", help="clean, remove boilerplate and duplicates from a corpus; write a report",
        description="Read files, folders, JSONL(.gz) or Parquet; clean every document; learn "
                    "and remove cross-document boilerplate; drop exact and near duplicates; "
                    "write documents, manifest.jsonl, summary.json and report.html to DIR.")
    options.add_corpus_job(parser)
    options.add_workers(parser)
    parser.add_argument("--engine", choices=("local", "spark"), default="local",
                        help="where to run: this machine, or Spark (see dedup spark-run)")
    spark_command.add_options(parser.add_argument_group("with --engine spark"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.engine == "spark":
        return spark_command.run(args)
    try:
        config = run_config(args)
        with options.progress_output(args) as progress:
            summary = run_pipeline(args.inputs, out=args.out, config=config,
                                   workers=args.workers, overwrite=args.overwrite,
                                   progress=progress)
    except OutputWriteError as exc:
        say(f"dedup run: {exc}")
        return options.EXIT_WRITE_ERROR
    except DedupError as exc:
        say(f"dedup run: error: {exc}")
        return 2
    if not args.quiet:
        for line in summary.render_text().splitlines():
            say(line, sys.stdout)
    return options.exit_code(summary.rejected_by_reason)
