"""The ``dedup`` command: one subcommand module per job, each with add_parser() and run().

Only this package configures logging handlers; the library itself only logs.
"""

from __future__ import annotations

import argparse
import difflib
import logging
import re
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any, NoReturn

import dedup
from dedup.cli import clean as clean_command
from dedup.cli import dedupe as dedupe_command
from dedup.cli import run as run_command
from dedup.cli import spark as spark_command

__all__ = ["main"]

#: Subcommands in the order ``dedup --help`` lists them.
_COMMANDS: tuple[ModuleType, ...] = (run_command, clean_command, dedupe_command, spark_command)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors suggest the option or command that was meant."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: Every option and command name of the whole command line, for suggestions.
        self.known: tuple[str, ...] = ()

    def error(self, message: str) -> NoReturn:
        typed = re.findall(r"(?:unrecognized arguments: |invalid choice: ')([^' ]+)", message)
        close = difflib.get_close_matches(typed[0].split("=")[0], self.known, n=1,
                                          cutoff=0.6) if typed else []
        if close:
            message += f"; did you mean {close[0]}?"
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every subcommand attached.

    ``-v`` is accepted before or after the subcommand; a mistyped option or
    command gets the closest one suggested.
    """
    parser = _Parser(
        prog="dedup",
        description="Clean scraped text and remove duplicate documents, explaining every removal.",
    )
    parser.add_argument("--version", action="version", version=f"dedup {dedup.__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="log more (-v: per run, -vv: per document)")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                       parser_class=_Parser)
    for command in _COMMANDS:
        command.add_parser(subparsers)
    known = [*subparsers.choices, *parser._option_string_actions]
    for subparser in subparsers.choices.values():
        # SUPPRESS: a -v given before the subcommand is not reset by the subparser.
        subparser.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS,
                               help="log more (-v: per run, -vv: per document)")
        known.extend(subparser._option_string_actions)
    names = tuple(dict.fromkeys(known))
    for each in (parser, *subparsers.choices.values()):
        if isinstance(each, _Parser):
            each.known = names
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
