"""The ``dedup`` command: one subcommand module per job, each with add_parser() and run().

Only this package configures logging handlers; the library itself only logs.
Every user error, found while parsing or raised as a
:class:`~dedup.errors.DedupError` by a handler, is one line on standard error,
``dedup COMMAND: error: ...``, and exit code 2; the shared options and exit
codes are :mod:`dedup.cli._options`.
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
from dedup.cli._options import EXIT_WRITE_ERROR
from dedup.cli._terminal import SafeFormatter, say
from dedup.errors import DedupError, OutputWriteError

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
        raise _UsageError(f"{self.prog}: error: {message}")


class _UsageError(Exception):
    """A mistake in the command line, found while parsing: :func:`main` says it, returns 2."""


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Show each option's default in its help, unless there is none worth saying."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, False, [], argparse.SUPPRESS) or "default" in (
                action.help or ""):
            return action.help
        return super()._get_help_string(action)


#: OS errors that are mistakes in a path the command was given, not faults of the machine.
_PATH_ERRORS = (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError)


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
        each.formatter_class = _HelpFormatter
        if isinstance(each, _Parser):
            each.known = names
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as error:
        # One line, no usage block: the message names the option, and --help is one call away.
        say(str(error))
        return 2
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)]
    handler = logging.StreamHandler(sys.stderr)
    # Log messages name ids and paths from the input: escaped, like everything printed.
    handler.setFormatter(SafeFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    prog = f"dedup {args.command}"
    try:
        return int(args.handler(args))
    except OutputWriteError as error:
        # Not a mistake in the command: the disk refused; the same command resumes.
        say(f"{prog}: {error}")
        return EXIT_WRITE_ERROR
    except DedupError as error:
        say(f"{prog}: error: {error}")
        return 2
    except _PATH_ERRORS as error:
        say(f"{prog}: error: {error.strerror or error}: {error.filename!r}"
            if error.filename else f"{prog}: error: {error}")
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
