"""Options shared by the corpus jobs, `dedup run` and `dedup spark-run`: one definition each."""

from __future__ import annotations

import argparse

__all__ = ["add_corpus_options"]


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
