"""The Spark engine's entry points: the corpus job, and the duplicate decisions of a frame.

:func:`run` is ``dedup run`` on Spark: the same steps (``docs/corpus-job.md``),
the same four output files. :func:`find_duplicates` is ``dedup.deduplicate``
on a DataFrame: one decision row per input row.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from dedup.config import CleanConfig
from dedup.corpus.crossdoc import CrossDocConfig
from dedup.corpus.manifest import RunSummary
from dedup.corpus.steps import RunConfig, clean_row, raw_row, record_from_dict, row_text
from dedup.errors import ConfigError
from dedup.near.config import DedupConfig
from dedup.spark._pyspark import require_pyspark
from dedup.spark.engine import (
    ROW_FIELDS,
    find_duplicate_rows,
    map_rows,
    read_files,
    read_frame,
    run_job,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["DECISION_COLUMNS", "find_duplicates", "run"]

logger = logging.getLogger(__name__)

#: Columns of :func:`find_duplicates`' result besides the id, with their meaning.
DECISION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("status", "'kept', 'duplicate', 'empty' (nothing left after cleaning) or 'rejected'"),
    ("duplicate_of", "the kept id of the document's cluster; null unless a duplicate"),
    ("similarity", "similarity with the kept document (see dedup.DedupConfig)"),
    ("kind", "'exact', 'near' or 'containment'; null unless a duplicate"),
    ("matched", "the member it was verified against (union-find can chain)"),
    ("matched_similarity", "its similarity with that member"),
    ("cluster", "the kept id of the document's cluster; null for a document with no copy"),
    ("reason", "why a rejected row could not be read (a null or non-string text, a bad id)"),
)


def run(
    source: DataFrame | str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    config: RunConfig | None = None,
    order_column: str | None = None,
    overwrite: bool = False,
    spark: SparkSession | None = None,
) -> RunSummary:
    """Run ``dedup run``'s job on Spark; write its four outputs to ``out``.

    Added in 0.1; since 0.2 the same steps and outputs as :func:`dedup.run`.

    Args:
        source: input files and folders (read with dedup's own readers, one
            task per file, numbered in the order ``dedup run`` reads them), or
            a DataFrame with ``config.id_field`` and ``config.text_field``.
        out: the output folder on the driver: ``documents.jsonl`` (or
            ``.parquet``), ``manifest.jsonl``, ``summary.json``, ``report.html``.
        config: what to do, as for :func:`dedup.run`.
        order_column: a DataFrame's input order ("first seen"); the id by default.
        overwrite: replace an earlier run's outputs in ``out``.
        spark: the session to read files with (default: the active one).

    Raises:
        ConfigError: ``out`` is not empty and ``overwrite`` is False.
        InputError: an input path does not exist.
        MissingExtraError: pyspark or pyarrow is not installed.
    """
    require_pyspark()
    config = config or RunConfig()
    if isinstance(source, (str, os.PathLike)) or (
            isinstance(source, Sequence) and not hasattr(source, "sparkSession")):
        paths = [os.fspath(source)] if isinstance(source, (str, os.PathLike)) \
            else [os.fspath(p) for p in source]
        session = spark or _active_session()
        records = read_files(session, paths, config)
    else:
        records = read_frame(source, config=config, order_column=order_column)  # type: ignore[arg-type]
    return run_job(records, out=os.fspath(out), config=config, overwrite=overwrite)


def _active_session() -> SparkSession:
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession()
    if session is None:
        raise ConfigError("dedup.spark.run(paths): no active SparkSession; start one or pass "
                          "spark=")
    return session


def find_duplicates(
    frame: DataFrame,
    *,
    id_column: str = "id",
    text_column: str = "text",
    order_column: str | None = None,
    config: DedupConfig | None = None,
    clean: bool | CleanConfig = True,
) -> DataFrame:
    """Decide for every row of ``frame`` whether it is kept or duplicates another.

    The Spark form of :func:`dedup.deduplicate`, by the same functions: the
    same decisions, representatives and similarities for the same documents
    given in ``order_column`` order (the id's by default). A row whose text is
    null or not a string is ``rejected`` with the reason, not an error.
    Added in 0.1.

    Returns:
        One row per input row: ``id_column`` and :data:`DECISION_COLUMNS`.

    Raises:
        MissingExtraError: pyspark or pyarrow is not installed.
    """
    functions = require_pyspark()
    if not isinstance(clean, (bool, CleanConfig)):
        raise ConfigError(f"find_duplicates(clean={clean!r}) is invalid: expected a bool or "
                          "a CleanConfig")
    dedupe = config or DedupConfig()
    run_config = RunConfig(
        id_field=id_column, text_field=text_column, dedupe=dedupe,
        clean=clean if isinstance(clean, CleanConfig) else CleanConfig(explain=False),
        cross_doc=CrossDocConfig(enabled=False))
    shipped = dataclasses.replace(
        run_config, dedupe=dataclasses.replace(dedupe, representative="first"))
    records = read_frame(frame.select(id_column, *([order_column] if order_column else []),
                                      text_column),
                         config=run_config, order_column=order_column)
    do_clean = clean is not False

    def prepare(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for values in rows:
            record = record_from_dict(json.loads(values["row"]))
            row = (clean_row(values["o"], record, shipped) if do_clean
                   else raw_row(values["o"], record))
            yield {"o": values["o"], "id": values["id"], "loc": values["loc"],
                   "rejected": "reason" in row,
                   "row": json.dumps(row, ensure_ascii=False, separators=(",", ":"))}

    rows = map_rows(records, ROW_FIELDS, prepare).localCheckpoint(eager=True)
    findings = find_duplicate_rows(rows.where(~functions.col("rejected")), run_config, shipped,
                                functions)
    members = {member: cluster.representative for cluster in findings.clusters
               for member in (cluster.representative, *(m for m, _ in cluster.members))}
    spark = frame.sparkSession
    decided: list[tuple[Any, ...]] = [
        (doc_id, d.duplicate_of, d.similarity, d.kind, d.matched, d.matched_similarity)
        for doc_id, d in findings.duplicates.items()]
    duplicates = spark.createDataFrame(
        decided or [("", None, None, None, None, None)],
        "id string, duplicate_of string, similarity double, kind string, matched string, "
        "matched_similarity double").where("id != ''" if not decided else "true")
    clusters = spark.createDataFrame(list(members.items()) or [("", "")],
                                     "id string, cluster string")
    col = functions.col

    def status(batch: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for values in batch:
            row = json.loads(values["row"])
            empty = not values["rejected"] and not row_text(row).strip()
            yield {"id": values["id"], "reason": row.get("detail") if values["rejected"] else None,
                   "empty": empty, "rejected": values["rejected"]}

    facts = map_rows(rows, (("id", "string"), ("reason", "string"), ("empty", "boolean"),
                        ("rejected", "boolean")), status)
    joined = facts.join(duplicates, "id", "left").join(clusters, "id", "left")
    result = joined.select(
        "id",
        functions.when(col("rejected"), "rejected")
        .when(col("duplicate_of").isNotNull(), "duplicate")
        .when(col("empty") & col("cluster").isNull() & functions.lit(not dedupe.cluster_empty),
              "empty")
        .otherwise("kept").alias("status"),
        "duplicate_of", "similarity", "kind", "matched", "matched_similarity", "cluster",
        "reason")
    return result.withColumnRenamed("id", id_column)
