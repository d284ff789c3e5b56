"""Duplicate clusters of a Spark DataFrame: the local engine's grouping, step for step.

The steps and their order are those of :func:`dedup.near.grouping.group_documents`:

1. exact copies of a cleaned text are grouped by content digest, the first one
   (by input order) heading the group;
2. among exact heads, identical non-empty shingle sets are grouped by a digest
   of the set (copies that differ in case, punctuation or figures);
3. only the heads of those groups enter LSH; candidates from shared band keys
   are verified by exact Jaccard (:mod:`dedup.spark.candidates`);
4. clusters are the connected components of all those links
   (:mod:`dedup.spark.components`), and each keeps the member chosen by
   :func:`dedup.near.cluster.choose_representative` with the same config.

Spark has no input order of its own, so "first seen" needs one: ``order_column``
names it (a line number, a crawl timestamp), and the id column is used when
none is given. Ties are broken by id. To compare with the local engine, feed it
the documents in the same order.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from dedup.config import CleanConfig
from dedup.errors import ConfigError
from dedup.near.cluster import choose_representative
from dedup.near.config import DedupConfig, MemberInfo
from dedup.spark._pyspark import require_pyspark
from dedup.spark.candidates import similarities, verified_pairs
from dedup.spark.cleaning import clean_column
from dedup.spark.components import ComponentsMethod, connected_components
from dedup.spark.hashing import add_signatures, explode_band_keys

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["DECISION_COLUMNS", "find_duplicates"]

logger = logging.getLogger(__name__)

#: Columns of :func:`find_duplicates`' result besides the id, with their meaning.
DECISION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("status", "'kept', 'duplicate' or 'empty' (empty after cleaning, not clustered)"),
    ("duplicate_of", "the kept id of the document's cluster; null when kept or empty"),
    ("similarity", "exact Jaccard with the kept document; null when kept or empty"),
    ("kind", "'exact' (same cleaned text as the kept one) or 'near'; null when kept"),
    ("cluster", "the kept id of the document's cluster; null for a document with no copy"),
)


def find_duplicates(
    frame: DataFrame,
    *,
    id_column: str = "id",
    text_column: str = "text",
    order_column: str | None = None,
    config: DedupConfig | None = None,
    clean: bool | CleanConfig = True,
    components: ComponentsMethod = "star",
) -> DataFrame:
    """Decide for every row of ``frame`` whether it is kept or duplicates another.

    The Spark form of :func:`dedup.deduplicate`: the same decisions on the same
    documents (given in ``order_column`` order). ``matched`` is not reported:
    Spark verifies only the pairs that connect each bucket, not all of them.
    Added in 0.1.

    Args:
        frame: one row per document.
        id_column: the column holding unique document ids (any orderable type).
        text_column: the column holding the (cleaned) text.
        order_column: the input order for ``representative="first"``; the id by default.
        config: the near-duplicate settings, as for :func:`dedup.deduplicate`.
        clean: clean each text with :func:`dedup.clean` first (``True`` cleans as
            :func:`dedup.deduplicate` does, or give the CleanConfig); ``False``
            when ``text_column`` already holds cleaned text.
        components: how connected components are computed (see
            :func:`dedup.spark.connected_components`).

    Returns:
        One row per input row: the id column and :data:`DECISION_COLUMNS`.

    Raises:
        ConfigError: ``config.containment`` is set (not available on Spark yet).
        MissingExtraError: pyspark or pyarrow is not installed.

    Examples:
        >>> decisions = find_duplicates(frame, id_column="doc_id", text_column="cleaned")
        ... # doctest: +SKIP
        >>> decisions.where("status = 'duplicate'").count()  # doctest: +SKIP
        3
    """
    functions = require_pyspark()
    col = functions.col
    config = config or DedupConfig()
    if config.containment is not None:
        raise ConfigError(
            "DedupConfig.containment is not available on the Spark engine yet; "
            "run containment with the local engine or set containment=None"
        )
    if clean is not False and not isinstance(clean, (bool, CleanConfig)):
        raise ConfigError(f"find_duplicates(clean={clean!r}) is invalid: expected a bool or "
                          "a CleanConfig")
    order = col(order_column) if order_column else col(id_column)
    source = frame.select(
        col(id_column).alias("id"), order.alias("order"), col(text_column).alias("text")
    )
    if clean is not False:
        clean_config = clean if isinstance(clean, CleanConfig) else CleanConfig(explain=False)
        source = clean_column(source, text_column="text", id_column="id", config=clean_config)
        source = source.select("id", "order", col("cleaned").alias("text"))
    docs = add_signatures(
        source,
        id_column="id",
        text_column="text",
        config=config,
    ).drop("text", "signature")
    docs = docs.localCheckpoint(eager=True)
    first = functions.min(functions.struct("order", "id"))

    eligible = docs if config.cluster_empty else docs.where(~col("is_empty"))
    exact_heads = eligible.groupBy("digest").agg(first.alias("head")).select(
        "digest", col("head.id").alias("exact_of")
    )
    exact = eligible.join(exact_heads, "digest")
    exact_links = exact.where(col("id") != col("exact_of")).select(
        col("exact_of").alias("left"), col("id").alias("right")
    )
    heads = exact.where((col("id") == col("exact_of")) & (functions.size("shingles") > 0))
    set_heads = heads.groupBy("set_digest").agg(first.alias("head")).select(
        "set_digest", col("head.id").alias("same_set_of")
    )
    same_set = heads.join(set_heads, "set_digest")
    same_set_links = same_set.where(col("id") != col("same_set_of")).select(
        col("same_set_of").alias("left"), col("id").alias("right")
    )
    lsh_docs = same_set.where(col("id") == col("same_set_of"))
    # Checkpoints where a result is read twice or a plan would grow: the bands
    # feed both the stars and the extra pairs.
    bands = explode_band_keys(lsh_docs, columns=("id", "order")).localCheckpoint(eager=True)
    near_links = verified_pairs(
        bands, docs.select("id", "shingles"), threshold=config.threshold
    ).select("left", "right")

    links = exact_links.unionByName(same_set_links).unionByName(near_links)
    labels = connected_components(links, src="left", dst="right", method=components)
    labelled = docs.join(labels.withColumnRenamed("component", "label"), "id", "left")
    representatives = _representatives(labelled.where(col("label").isNotNull()), config)
    decided = labelled.join(representatives, "label", "left")
    return _decisions(decided, docs, config).withColumnRenamed("id", id_column)


def _representatives(members: DataFrame, config: DedupConfig) -> DataFrame:
    """Return ``(label, representative)``: the member each cluster keeps, by the local policy."""
    id_type = members.schema["id"].dataType.simpleString()

    def choose(group: Any) -> Any:
        ordered = group.sort_values(["order", "id"], kind="stable").reset_index(drop=True)
        infos = [
            MemberInfo(id=str(member_id), position=position, length=int(length))
            for position, (member_id, length) in enumerate(
                zip(ordered["id"], ordered["length"], strict=True)
            )
        ]
        chosen = choose_representative(infos, config)
        return ordered.loc[[chosen.position], ["label", "id"]].rename(
            columns={"id": "representative"}
        )

    return (
        members.select("label", "id", "order", "length")
        .groupBy("label")
        .applyInPandas(choose, f"label {id_type}, representative {id_type}")
    )


def _decisions(decided: DataFrame, docs: DataFrame, config: DedupConfig) -> DataFrame:
    """Turn labelled documents into the rows of :data:`DECISION_COLUMNS`."""
    functions = require_pyspark()
    col = functions.col
    duplicates = decided.where(
        col("representative").isNotNull() & (col("id") != col("representative"))
    ).select("id", "representative")
    scored = similarities(duplicates, docs.select("id", "shingles"), left="id",
                          right="representative")
    digests = docs.select("id", "digest")
    kinds = (
        scored.join(digests, "id")
        .join(digests.select(col("id").alias("representative"),
                             col("digest").alias("kept_digest")), "representative")
        .select(
            "id",
            "similarity",
            functions.when(col("digest") == col("kept_digest"), functions.lit("exact"))
            .otherwise(functions.lit("near"))
            .alias("kind"),
        )
    )
    is_empty = col("is_empty") & functions.lit(not config.cluster_empty)
    status = (
        functions.when(is_empty, functions.lit("empty"))
        .when(col("representative").isNull() | (col("id") == col("representative")),
              functions.lit("kept"))
        .otherwise(functions.lit("duplicate"))
    )
    return decided.join(kinds, "id", "left").select(
        "id",
        status.alias("status"),
        functions.when(col("id") != col("representative"), col("representative")).alias(
            "duplicate_of"
        ),
        "similarity",
        "kind",
        col("representative").alias("cluster"),
    )
