"""Options shared by the corpus jobs, `dedup run` and `dedup spark-run`: one definition each."""

from __future__ import annotations

import argparse

from dedup.config import CleanConfig
from dedup.corpus.crossdoc import CrossDocConfig
from dedup.corpus.steps import RunConfig
from dedup.near.config import DedupConfig

__all__ = ["add_corpus_options", "run_config"]


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
