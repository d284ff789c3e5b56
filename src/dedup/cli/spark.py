"""``dedup spark-run INPUT... --out DIR``: the corpus job on Spark, for ``spark-submit``.

The same options as ``dedup run`` where they mean the same thing, so
``dedup run --engine spark`` can hand its arguments here unchanged. The Spark
master and resources come from ``spark-submit`` (or ``--master`` when run
directly); pyspark is imported only when the command runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from dedup.cli._options import add_corpus_options
from dedup.config import CleanConfig
from dedup.corpus.crossdoc import CrossDocConfig
from dedup.errors import DedupError
from dedup.near.config import DedupConfig

__all__ = ["add_options", "add_parser", "run"]

_READERS = ("parquet", "json", "text")


def add_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """Add the options only the Spark engine has (shared with ``dedup run --engine spark``)."""
    parser.add_argument("--input-format", choices=_READERS, default=None,
                        help="how to read INPUT on Spark: Parquet, JSON lines, or one text "
                             "file per document (default: from the first INPUT's suffix)")
    parser.add_argument("--order-field", default=None, metavar="FIELD",
                        help="field giving the input order that 'first seen' refers to "
                             "(default: the id)")
    parser.add_argument("--master", default=None,
                        help="Spark master when not launched by spark-submit, e.g. local[4]")
    parser.add_argument("--components", choices=("star", "graphframes"), default="star",
                        help="connected components: ours (DataFrame API) or GraphFrames'")


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "spark-run", help="clean and deduplicate a corpus on Apache Spark; write Parquet",
        description="Read Parquet, JSON lines or text files with Spark; clean every document; "
                    "learn and remove cross-document boilerplate and drop exact and near "
                    "duplicates exactly as 'dedup run' does; write "
                    "DIR/documents and DIR/manifest as Parquet.")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="paths Spark can read")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--overwrite", action="store_true", help="replace earlier outputs")
    add_corpus_options(parser)
    parser.add_argument("--text-field", default="text", help="text field")
    parser.add_argument("--id-field", default="id", help="unique id field (text files: the path)")
    parser.add_argument("--quiet", action="store_true", help="print no summary")
    add_options(parser)
    parser.set_defaults(handler=run)


def _input_format(args: argparse.Namespace) -> str:
    if getattr(args, "input_format", None):
        return str(args.input_format)
    first = str(args.inputs[0]).rstrip("/")
    if first.endswith((".json", ".jsonl", ".json.gz", ".jsonl.gz")):
        return "json"
    if first.endswith(".txt"):
        return "text"
    return "parquet"


def _read(spark: Any, args: argparse.Namespace) -> Any:
    from pyspark.sql import functions

    paths = list(args.inputs)
    reader = _input_format(args)
    if reader == "parquet":
        return spark.read.parquet(*paths)
    if reader == "json":
        return spark.read.json(paths)
    return spark.read.text(paths, wholetext=True).select(
        functions.col("_metadata.file_path").alias(args.id_field),
        functions.col("value").alias(args.text_field),
    )


def run(args: argparse.Namespace) -> int:
    """Run the Spark job described by ``args``; return the exit code."""
    from dedup.spark._pyspark import require_pyspark

    try:
        require_pyspark()
        config = DedupConfig(threshold=args.threshold)
        clean_config = CleanConfig(disabled_rules=frozenset(getattr(args, "disable", ())))
        cross_doc = CrossDocConfig(enabled=not getattr(args, "no_cross_doc", False),
                                   paragraphs=getattr(args, "cross_doc_paragraphs", False),
                                   min_documents=getattr(args, "min_documents", 10),
                                   min_share=getattr(args, "min_share", 0.05))
    except DedupError as error:
        print(f"dedup spark-run: {error}", file=sys.stderr)
        return 2
    from pyspark.errors import AnalysisException
    from pyspark.sql import SparkSession

    from dedup.spark import run as run_on_spark

    builder = SparkSession.builder.appName("dedup")
    if getattr(args, "master", None):
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        summary = run_on_spark(
            _read(spark, args), args.out, id_column=args.id_field, text_column=args.text_field,
            order_column=getattr(args, "order_field", None), config=config,
            clean_config=clean_config, cross_doc=cross_doc,
            source_column=getattr(args, "source_field", "source"),
            url_column=getattr(args, "url_field", "url"),
            components=getattr(args, "components", "star"),
            mode="overwrite" if args.overwrite else "error",
        )
    except (DedupError, AnalysisException) as error:
        # AnalysisException: Spark refuses the input paths or existing outputs
        print(f"dedup spark-run: {error}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(json.dumps(summary.to_dict(), indent=2))
    return 0
