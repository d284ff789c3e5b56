"""Run dedup on Apache Spark: the local engine's results, on a cluster.

Functions here take and return Spark DataFrames and use only the DataFrame API
(``mapInArrow``, ``applyInPandas``, ``groupBy``, ``join``, local checkpoints),
never RDDs or the ``SparkContext``, so they also run on Spark Connect. Every
per-document and per-pair computation calls the local engine's own functions
(:func:`dedup.clean`, :mod:`dedup.near`), which is what makes the results
identical to :func:`dedup.deduplicate` on the same documents.

Importing this package does not import pyspark; calling a function without
pyspark installed raises :class:`~dedup.errors.MissingExtraError` naming the
``spark`` extra. Executors need ``dedup-corpus`` installed too (or shipped with
``--py-files``). See ``docs/scaling.md``.

Added in 0.1.
"""

from __future__ import annotations

from dedup.spark.cleaning import CLEAN_COLUMNS, clean_column
from dedup.spark.clusters import DECISION_COLUMNS, find_duplicates
from dedup.spark.components import ComponentsMethod, connected_components
from dedup.spark.crossdoc import clean_corpus, frequent_lines
from dedup.spark.hashing import HASH_COLUMNS, add_signatures, explode_band_keys
from dedup.spark.job import SparkRunSummary, run

__all__ = [
    "CLEAN_COLUMNS",
    "DECISION_COLUMNS",
    "HASH_COLUMNS",
    "ComponentsMethod",
    "SparkRunSummary",
    "add_signatures",
    "clean_column",
    "clean_corpus",
    "connected_components",
    "explode_band_keys",
    "find_duplicates",
    "frequent_lines",
    "run",
]
