"""Run dedup on Apache Spark: the local engine's job and results, on a cluster.

:func:`run` is ``dedup run``'s job, :func:`find_duplicates` is
``dedup.deduplicate`` on a DataFrame, and :func:`clean_column` is
``dedup.clean`` on a column. They run the local engine's own steps
(``docs/corpus-job.md``); Spark only moves the data between them, with the
DataFrame API (``mapInArrow``, ``groupBy``, ``join``, local checkpoints), so
they also run on Spark Connect.

Importing this package does not import pyspark; calling a function without
pyspark installed raises :class:`~dedup.errors.MissingExtraError` naming the
``spark`` extra. Executors need ``dedup-corpus`` installed too (or shipped with
``--py-files``). See ``docs/scaling.md``.

Added in 0.1.
"""

from __future__ import annotations

from dedup.spark.cleaning import CLEAN_COLUMNS, clean_column
from dedup.spark.job import DECISION_COLUMNS, find_duplicates, run
from dedup.spark.session import build_session

__all__ = [
    "CLEAN_COLUMNS",
    "DECISION_COLUMNS",
    "build_session",
    "clean_column",
    "find_duplicates",
    "run",
]
