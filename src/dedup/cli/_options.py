"""Options shared by the subcommands: one definition each."""

from __future__ import annotations

import argparse
import contextlib
import functools
import logging
import sys
from collections.abc import Iterator
from typing import IO, Any

from dedup.config import CleanConfig
from dedup.corpus.crossdoc import CrossDocConfig
from dedup.corpus.progress import Progress, terminal_bar
from dedup.corpus.steps import RunConfig
from dedup.near.config import DedupConfig

__all__ = ["add_corpus_options", "add_progress_options", "progress_output", "run_config",
           "shows_progress"]


def add_progress_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """Add ``--quiet`` and ``--progress/--no-progress`` (every subcommand has them)."""
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print no progress bars and no summary")
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
        on_screen = _is_terminal(stdout)
        above_out = _AboveBars(stdout, bars=stderr) if on_screen else None
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


def add_corpus_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """Add the dedupe and cross-document boilerplate options both engines take."""
    parser.add_argument("--threshold", type=float, default=0.8,
                        help="similarity from which two documents are duplicates")
    parser.add_argument("--disable", action="append", default=[], metavar="RULE",
                        help="switch a cleaning rule or family off (repeatable)")
    parser.add_argument("--source-field", default="source",
                        help="field naming a record's site (boilerplate is learnt per site)")
    parser.add_argument("--url-field", default="url",
                        help="field with a URL whose host is the site when no source is given")
    parser.add_argument("--no-cross-doc", action="store_true",
                        help="do not learn boilerplate lines from the corpus")
    parser.add_argument("--cross-doc-paragraphs", action="store_true",
                        help="also remove paragraphs copied from an earlier document")
    parser.add_argument("--min-documents", type=int, default=10,
                        help="a boilerplate line appears in at least this many documents")
    parser.add_argument("--min-share", type=float, default=0.05,
                        help="... and in at least this share of its source's documents")


def run_config(args: argparse.Namespace) -> RunConfig:
    """Return the :class:`~dedup.RunConfig` the options of a corpus job describe (both engines).

    Raises:
        ConfigError: an option has a value the config refuses.
    """
    return RunConfig(
        text_field=args.text_field, id_field=args.id_field,
        source_field=args.source_field, url_field=args.url_field,
        dedupe=DedupConfig(threshold=args.threshold), output_format=args.output_format,
        batch_size=args.batch_size,
        clean=CleanConfig(disabled_rules=frozenset(args.disable)),
        cross_doc=CrossDocConfig(enabled=not args.no_cross_doc,
                                 paragraphs=args.cross_doc_paragraphs,
                                 min_documents=args.min_documents,
                                 min_share=args.min_share),
    )
