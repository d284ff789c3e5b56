"""The ``dedup`` command: one subcommand module per job, each with add_parser() and run().

Only this package configures logging handlers; the library itself only logs.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from types import ModuleType

from dedup.cli import clean as clean_command
from dedup.cli import dedupe as dedupe_command
from dedup.cli import run as run_command
from dedup.cli import spark as spark_command

__all__ = ["main"]

#: Subcommands in the order ``dedup --help`` lists them.
_COMMANDS: tuple[ModuleType, ...] = (run_command, clean_command, dedupe_command, spark_command)


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every subcommand attached."""
    parser = argparse.ArgumentParser(
        prog="dedup",
        description="Clean scraped text and remove duplicate documents, explaining every removal.",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="log more (-v: per run, -vv: per document)")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in _COMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
