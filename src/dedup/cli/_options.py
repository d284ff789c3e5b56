"""The command-line grammar every subcommand shares: one definition of each option, and exit codes.

An option that means the same thing on two subcommands is defined here once,
with one name, one default and one help text, and each subcommand adds the
groups that make sense for it. Values are checked as they are parsed (the
``type=`` functions below), so a bad one is a one-line usage error, exit code
2, before anything is read or written.

Exit codes, the same on every subcommand:

* 0: the job is done; every input record was read (empty documents included:
  an empty text is content, not a fault, and is counted and named apart);
* 1: the job is done, but some records could not be read (bad JSON, a text
  that is not text, an unreadable file...): they are named on standard error;
* 2: a mistake in the command (a bad value, a missing input, an output that
  cannot be written or would be replaced without ``--overwrite``); nothing
  was written.

``--workers`` defaults to ``auto``, the cores this process may use, on every
subcommand that has it: results never depend on the number of workers (the
engines gather batches in input order), so the only reason to use fewer is
to leave cores to something else.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from dedup.config import CleanConfig
from dedup.corpus.crossdoc import CrossDocConfig
from dedup.corpus.listing import STDIN
from dedup.corpus.progress import Progress, terminal_bar
from dedup.corpus.rowfiles import ROW_FORMATS
from dedup.corpus.steps import RunConfig
from dedup.near.config import DedupConfig
from dedup.rules import is_known_rule

__all__ = [
    "EMPTY_REASONS",
    "EXIT_WRITE_ERROR",
    "add_corpus_job",
    "add_corpus_options",
    "add_dedupe_options",
    "add_disable",
    "add_format",
    "add_input_options",
    "add_inputs",
    "add_out_file",
    "add_out_folder",
    "add_overwrite",
    "add_progress_options",
    "add_workers",
    "exit_code",
    "progress_output",
    "resolve_workers",
    "run_config",
    "shows_progress",
]

Parser = argparse.ArgumentParser | argparse._ArgumentGroup

#: ``EX_IOERR`` of sysexits.h: a write failed (disk full, quota, read-only); the
#: same command run again resumes. Every subcommand exits with it.
EXIT_WRITE_ERROR = 74

#: Rejection reasons that are not faults: the record was read, it holds no text.
EMPTY_REASONS = frozenset({"empty", "empty_after_cleaning"})


def exit_code(rejection_reasons: Iterable[str]) -> int:
    """Return 1 when a record was rejected for a reason other than being empty, else 0.

    >>> exit_code(["empty", "empty_after_cleaning"]), exit_code(["malformed_json"])
    (0, 1)
    """
    return 1 if any(reason not in EMPTY_REASONS for reason in rejection_reasons) else 0


# ---------------------------------------------------------------- value checks

def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def similarity(text: str) -> float:
    """A share in (0, 1]: a threshold or a containment."""
    value = _number(text)
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is out of range: expected a number in (0, 1]")
    return value


def _share_or_zero(text: str) -> float:
    value = _number(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is out of range: expected a number in [0, 1]")
    return value


def _integer(text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{text} is out of range: expected an integer "
                                         f">= {minimum}")
    return value


def positive_int(text: str) -> int:
    """An integer >= 1."""
    return _integer(text, 1)


def _min_documents(text: str) -> int:
    return _integer(text, 2)


def workers(text: str) -> int | None:
    """``auto`` (None: every core this process may use) or an integer >= 1."""
    return None if text == "auto" else _integer(text, 1)


def _name(text: str) -> str:
    if not text:
        raise argparse.ArgumentTypeError("an empty name: give a field name")
    return text


def _pattern(text: str) -> str:
    if not text:
        raise argparse.ArgumentTypeError("an empty pattern")
    return text


def _rule(text: str) -> str:
    if not is_known_rule(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a rule id or family; "
                                         "list them with: dedup clean --rules")
    return text


def _writable_folder(folder: Path, shown: str) -> None:
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{shown!r}: the folder {folder.as_posix()!r} "
                                         "does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"{shown!r}: the folder {folder.as_posix()!r} "
                                         "is not writable")


def out_file(text: str) -> str | None:
    """A file that can be written (its folder exists and is writable), or ``-``: stdout."""
    if text == STDIN:
        return None
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a folder; give a file name")
    _writable_folder(path.parent if path.parent != Path("") else Path("."), text)
    if path.exists() and not os.access(path, os.W_OK):
        raise argparse.ArgumentTypeError(f"{text!r} is not writable")
    return text


def out_folder(text: str) -> str:
    """A folder that is, or can be made, writable (its nearest existing parent is)."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a file; give a folder")
    existing = path
    while not existing.exists():
        existing = existing.parent
    if existing.is_file():
        raise argparse.ArgumentTypeError(f"{text!r}: {existing.as_posix()!r} is a file")
    _writable_folder(existing, text)
    return text


# ---------------------------------------------------------------- the options

def add_inputs(parser: Parser, *, optional: bool = False) -> None:
    """The input paths: files, folders, or ``-`` for standard input."""
    # Not checked here: a typo in an option is the likelier mistake, and gets a suggestion.
    parser.add_argument("inputs", nargs="*" if optional else "+", metavar="INPUT",
                        help="text files, folders of them, JSONL(.gz/.bz2/.xz) or Parquet "
                             "files; - reads standard input (JSONL when it starts with '{', "
                             "else one text)")


def add_input_options(parser: Parser) -> None:
    """How records are found in the inputs: fields, and which files of folders."""
    parser.add_argument("--text-field", default="text", type=_name, metavar="NAME",
                        help="JSONL/Parquet field with the text")
    parser.add_argument("--id-field", default="id", type=_name, metavar="NAME",
                        help="JSONL/Parquet field with the id (without one: FILE:LINE)")
    parser.add_argument("--glob", action="append", default=[], type=_pattern,
                        metavar="PATTERN",
                        help="in folders, read only files whose path or name matches "
                             "(repeatable; e.g. '*.jsonl.gz')")
    parser.add_argument("--exclude", action="append", default=[], type=_pattern,
                        metavar="PATTERN",
                        help="in folders, skip files and folders whose path or name "
                             "matches (repeatable)")


def add_out_file(parser: Parser, *, help: str) -> None:
    """``-o/--out FILE`` for commands that write one file of documents."""
    parser.add_argument("-o", "--out", type=out_file, default=None, metavar="FILE", help=help)


def add_out_folder(parser: Parser) -> None:
    """``-o/--out DIR`` for the corpus jobs, which write a folder."""
    parser.add_argument("-o", "--out", type=out_folder, required=True, metavar="DIR",
                        help="output folder (documents, manifest.jsonl, summary.json, "
                             "report.html)")


def add_format(parser: Parser, *, choices: tuple[str, ...] = ROW_FORMATS,
               default: str | None = None) -> None:
    """``--format``: of the documents written; a file's name must agree with it."""
    parser.add_argument("--format", dest="output_format", choices=choices, default=default,
                        help="format of the documents written (default: from the --out "
                             "name, .jsonl, .jsonl.gz or .parquet, else jsonl)"
                        if default is None else "format of the documents written")


def add_overwrite(parser: Parser) -> None:
    parser.add_argument("--overwrite", action="store_true",
                        help="replace outputs that exist (without it, an existing output "
                             "is an error)")


def add_workers(parser: Parser) -> None:
    parser.add_argument("--workers", type=workers, default="auto", metavar="N",
                        help="processes to use: an integer, or auto for every core this "
                             "process may use; results do not depend on it")


def add_disable(parser: Parser) -> None:
    parser.add_argument("--disable", action="append", default=[], type=_rule, metavar="RULE",
                        help="switch a cleaning rule or family off (repeatable), e.g. "
                             "repeat.block")


def add_progress_options(parser: Parser) -> None:
    """``-q/--quiet`` and ``--progress/--no-progress`` (every subcommand has them)."""
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print no progress and no summary (problems are still named)")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bars on standard error, with totals and ETA "
                             "(default: when standard error is a terminal)")


def shows_progress(args: argparse.Namespace) -> bool:
    """Return whether the options ask for progress bars (by default: on a terminal)."""
    if getattr(args, "quiet", False):
        return False
    chosen: bool | None = getattr(args, "progress", None)
    return _is_terminal(sys.stderr) if chosen is None else chosen


@contextlib.contextmanager
def progress_output(args: argparse.Namespace) -> Iterator[Progress]:
    """Give the ``progress=`` a library job gets; while bars show, other text goes above them.

    The bars are drawn on standard error, where the subcommands also name
    rejected records and the log goes, and standard output may be the same
    terminal: lines written to either meanwhile clear the bars first and
    redraw them after, so no bar is torn in half.
    """
    if not shows_progress(args):
        yield False
        return
    from tqdm.contrib.logging import logging_redirect_tqdm

    stdout, stderr = sys.stdout, sys.stderr
    logs_here = any(isinstance(handler, logging.StreamHandler) and handler.stream is stderr
                    for handler in logging.root.handlers)
    with logging_redirect_tqdm() if logs_here else contextlib.nullcontext():
        # Standard output into a pipe or a file cannot tear a bar: left as it is,
        # it is not slowed by redrawing the bars for every line.
        above_out = _AboveBars(stdout, bars=stderr) if _is_terminal(stdout) else None
        above_err = _AboveBars(stderr, bars=stderr)
        sys.stdout, sys.stderr = above_out or stdout, above_err
        try:
            yield functools.partial(terminal_bar, file=stderr)
        finally:
            sys.stdout, sys.stderr = stdout, stderr
            for above in (above_out, above_err):
                if above is not None:
                    above.finish()


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(callable(isatty) and isatty())


class _AboveBars:
    """A text stream whose whole lines are written with the bars on ``bars`` cleared."""

    def __init__(self, stream: IO[str], *, bars: IO[str]) -> None:
        self._stream = stream
        self._bars = bars
        self._pending = ""

    def write(self, text: str) -> int:
        head, newline, tail = text.rpartition("\n")
        if not newline:
            self._pending += text
            return len(text)
        from tqdm import tqdm

        with tqdm.external_write_mode(file=self._bars):
            self._stream.write(self._pending + head + newline)
            self._stream.flush()
        self._pending = tail
        return len(text)

    def flush(self) -> None:
        # A partial line waits for its end: written now, a bar would be drawn after it.
        self._stream.flush()

    def finish(self) -> None:
        """Write what is left of a last line without its end (the bars are done)."""
        if self._pending:
            self._stream.write(self._pending)
            self._pending = ""
        self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def add_dedupe_options(parser: Parser) -> None:
    """How duplicates are found and which one of a group is kept."""
    parser.add_argument("--threshold", type=similarity, default=0.8, metavar="SHARE",
                        help="similarity (Jaccard of word 5-gram sets) from which two "
                             "documents are duplicates, in (0, 1]")
    parser.add_argument("--keep", choices=("first", "longest"), default="first",
                        help="which member of a group to keep")
    parser.add_argument("--containment", type=similarity, default=None, metavar="SHARE",
                        help="also drop documents whose shingles are this share contained "
                             "in a longer one, in (0, 1]")


def add_corpus_options(parser: Parser) -> None:
    """Add the cross-document boilerplate options both corpus engines take."""
    parser.add_argument("--source-field", default="source", type=_name, metavar="NAME",
                        help="field naming a record's site (boilerplate is learnt per site)")
    parser.add_argument("--url-field", default="url", type=_name, metavar="NAME",
                        help="field with a URL whose host is the site when no source is given")
    parser.add_argument("--no-cross-doc", action="store_true",
                        help="do not learn boilerplate lines from the corpus")
    parser.add_argument("--cross-doc-paragraphs", action="store_true",
                        help="also remove paragraphs copied from an earlier document")
    parser.add_argument("--min-documents", type=_min_documents, default=10, metavar="N",
                        help="a boilerplate line appears in at least this many documents")
    parser.add_argument("--min-share", type=_share_or_zero, default=0.05, metavar="SHARE",
                        help="... and in at least this share of its source's documents")
    parser.add_argument("--batch-size", type=positive_int, default=256, metavar="N",
                        help="records per unit of work; an interrupted run resumes per batch")


def add_corpus_job(parser: argparse.ArgumentParser) -> None:
    """Add every option of a corpus job, one list for both engines (``run``, ``spark-run``).

    Both write the same outputs from the same config (:func:`run_config`), so
    they take the same options in the same order; only ``--workers`` (local)
    and the Spark session options are an engine's own.
    """
    add_inputs(parser)
    add_out_folder(parser)
    add_format(parser, choices=("jsonl", "parquet"), default="jsonl")
    add_overwrite(parser)
    add_input_options(parser)
    add_dedupe_options(parser)
    add_disable(parser)
    add_corpus_options(parser)
    add_progress_options(parser)


def resolve_workers(value: int | None) -> int:
    """Return the number of processes ``--workers`` asks for (None: the usable cores)."""
    if value is not None:
        return value
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1


def clean_config(args: argparse.Namespace) -> CleanConfig:
    """Return the cleaning config ``--disable`` describes."""
    return CleanConfig(disabled_rules=frozenset(args.disable))


def dedupe_config(args: argparse.Namespace) -> DedupConfig:
    """Return the duplicate config ``--threshold``, ``--keep`` and ``--containment`` describe."""
    return DedupConfig(threshold=args.threshold, representative=args.keep,
                       containment=args.containment)


def run_config(args: argparse.Namespace) -> RunConfig:
    """Return the :class:`~dedup.RunConfig` the options of a corpus job describe (both engines).

    Raises:
        ConfigError: an option has a value the config refuses.
    """
    return RunConfig(
        text_field=args.text_field, id_field=args.id_field,
        source_field=args.source_field, url_field=args.url_field,
        dedupe=dedupe_config(args), output_format=args.output_format,
        batch_size=args.batch_size, clean=clean_config(args),
        cross_doc=CrossDocConfig(enabled=not args.no_cross_doc,
                                 paragraphs=args.cross_doc_paragraphs,
                                 min_documents=args.min_documents,
                                 min_share=args.min_share),
        include=tuple(args.glob), exclude=tuple(args.exclude),
    )
