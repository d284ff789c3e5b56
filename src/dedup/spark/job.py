"""The whole corpus job on Spark: clean, deduplicate, write Parquet.

The output mirrors ``dedup run``'s: the kept documents, cleaned, with their
removals and metadata; and a manifest with one row for every input row saying
whether it was kept, is a duplicate (of which kept id, how similar) or was empty
after cleaning. Both are Parquet datasets, written by the executors, so the
driver never holds the corpus.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from dedup.config import CleanConfig
from dedup.corpus.crossdoc import CrossDocConfig
from dedup.near.config import DedupConfig
from dedup.spark._pyspark import require_pyspark
from dedup.spark.cleaning import clean_column
from dedup.spark.clusters import find_duplicates
from dedup.spark.components import ComponentsMethod
from dedup.spark.crossdoc import clean_corpus

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["SparkRunSummary", "WriteMode", "run"]

logger = logging.getLogger(__name__)

#: What to do when the output folders exist: Spark's own save modes.
WriteMode = Literal["error", "overwrite"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SparkRunSummary:
    """Counts of one :func:`run`, and where its outputs are."""

    documents: int
    kept: int
    duplicates: int
    empty: int
    documents_path: str
    manifest_path: str

    def to_dict(self) -> dict[str, object]:
        return {
            "documents": self.documents, "kept": self.kept, "duplicates": self.duplicates,
            "empty": self.empty, "documents_path": self.documents_path,
            "manifest_path": self.manifest_path,
        }


def run(
    frame: DataFrame,
    out: str,
    *,
    id_column: str = "id",
    text_column: str = "text",
    order_column: str | None = None,
    config: DedupConfig | None = None,
    clean_config: CleanConfig | None = None,
    cross_doc: CrossDocConfig | None = None,
    source_column: str = "source",
    url_column: str = "url",
    components: ComponentsMethod = "star",
    mode: WriteMode = "error",
) -> SparkRunSummary:
    """Clean, remove corpus boilerplate, deduplicate; write ``out/documents`` and ``out/manifest``.

The same job as :func:`dedup.run`: the same cleaned texts and decisions for
the documents given in ``order_column`` order (see ``docs/scaling.md``).

    ``out/documents`` holds the kept rows with every input column plus
    ``cleaned``, ``removals`` and ``metadata``; ``out/manifest`` one row per input
    row with the id and the decision columns of :func:`dedup.spark.find_duplicates`.
    Added in 0.1.

    Args:
        frame: one row per document.
        out: a folder path Spark can write (local, HDFS, S3, ...).
        id_column: the column of unique ids, carried to every output.
        text_column: the column of raw text.
        order_column: the input order "first seen" refers to; the id by default.
        config: near-duplicate settings, as for :func:`dedup.deduplicate`.
        clean_config: cleaning settings, as for :func:`dedup.clean`.
        cross_doc: cross-document boilerplate settings, as for :func:`dedup.run`
            (``CrossDocConfig(enabled=False)`` skips it).
        source_column: the column naming a row's site; boilerplate is learnt per site.
        url_column: a URL column whose host is the site when there is no source.
        components: how connected components are computed.
        mode: ``"error"`` refuses existing outputs, ``"overwrite"`` replaces them.

    Raises:
        MissingExtraError: pyspark or pyarrow is not installed.

    Examples:
        >>> summary = run(spark.read.parquet("corpus/"), "out/", id_column="url")
        ... # doctest: +SKIP
        >>> summary.kept + summary.duplicates + summary.empty == summary.documents
        ... # doctest: +SKIP
        True
    """
    functions = require_pyspark()
    col = functions.col
    cross_doc = cross_doc or CrossDocConfig()
    if cross_doc.enabled:
        cleaned = clean_corpus(
            frame, text_column=text_column, id_column=id_column, order_column=order_column,
            source_column=source_column, url_column=url_column, config=clean_config,
            cross_doc=cross_doc,
        )
    else:
        cleaned = clean_column(frame, text_column=text_column, id_column=id_column,
                               config=clean_config)
    cleaned = cleaned.localCheckpoint(eager=True)
    decisions = find_duplicates(
        cleaned, id_column=id_column, text_column="cleaned", order_column=order_column,
        config=config, clean=False, components=components,
    ).localCheckpoint(eager=True)
    documents_path = out.rstrip("/") + "/documents"
    manifest_path = out.rstrip("/") + "/manifest"
    kept = cleaned.join(decisions.where(col("status") == "kept").select(id_column), id_column)
    kept.write.mode(mode).parquet(documents_path)
    decisions.write.mode(mode).parquet(manifest_path)
    counts = {row["status"]: row["count"] for row in decisions.groupBy("status").count().collect()}
    summary = SparkRunSummary(
        documents=sum(counts.values()), kept=counts.get("kept", 0),
        duplicates=counts.get("duplicate", 0), empty=counts.get("empty", 0),
        documents_path=documents_path, manifest_path=manifest_path,
    )
    logger.info("spark run: %s documents, %s kept, %s duplicates, %s empty",
                summary.documents, summary.kept, summary.duplicates, summary.empty)
    return summary
