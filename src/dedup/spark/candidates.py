"""From band keys to verified pairs on Spark, without ever listing all pairs of a bucket.

The local engine compares every pair of documents that share a band key and
keeps those whose exact Jaccard reaches the threshold. Listing all pairs of a
bucket is quadratic, and one popular bucket (a template shared by 300 stories)
would make one task do all the work. What clustering needs is only the
*connectivity* of the verified pairs inside each bucket, and that can be had
far more cheaply:

1. each bucket emits a *star*: one edge from its smallest member (by input
   order) to every other member;
2. star edges are verified by exact Jaccard (:func:`dedup.near.cluster.jaccard`,
   the local engine's own function);
3. a member that fails against its bucket's centre is then compared with the
   other members of that bucket (not with the centre again).

Members that pass against the centre are connected through it, so a pair of
them adds nothing; every other pair of the bucket involves a failed member and
is compared in step 3. The verified edges therefore connect exactly the
documents the local engine's all-pairs verification connects, while a bucket
of near-copies costs one comparison per member.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from dedup.near.cluster import jaccard
from dedup.spark._pyspark import require_pyarrow, require_pyspark

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["bucket_stars", "extra_pairs", "similarities", "verified_pairs"]


def bucket_stars(bands: DataFrame) -> tuple[DataFrame, DataFrame]:
    """Return each multi-member bucket's membership and its star edges.

    Args:
        bands: rows ``(band, key, id, order)`` from
            :func:`dedup.spark.hashing.explode_band_keys`.

    Returns:
        ``(members, stars)``: ``members`` has ``(band, key, id, centre)`` for every
        member of a bucket of two or more, ``stars`` the distinct edges
        ``(centre, id)`` with ``centre`` the bucket's first member by ``(order, id)``.

    Examples:
        >>> members, stars = bucket_stars(bands)  # doctest: +SKIP
        >>> stars.columns  # doctest: +SKIP
        ['centre', 'id']
    """
    functions = require_pyspark()
    col = functions.col
    buckets = (
        bands.groupBy("band", "key")
        .agg(
            functions.count(functions.lit(1)).alias("size"),
            functions.min(functions.struct("order", "id")).alias("first"),
        )
        .where(col("size") > 1)
        .select("band", "key", col("first.id").alias("centre"))
    )
    members = bands.join(buckets, ["band", "key"]).select("band", "key", "id", "centre")
    stars = members.where(col("id") != col("centre")).select("centre", "id").distinct()
    return members, stars


def extra_pairs(members: DataFrame, failed: DataFrame) -> DataFrame:
    """Return the pairs ``(left, right)``, ``left < right``, that failed star edges call for.

    For each bucket member whose edge to the centre failed verification, its
    pairs with every other member of that bucket except the centre.

    Examples:
        >>> extra_pairs(members, failed).columns  # doctest: +SKIP
        ['left', 'right']
    """
    functions = require_pyspark()
    col = functions.col
    failed_members = members.join(failed.select("centre", "id"), ["centre", "id"]).select(
        "band", "key", "centre", col("id").alias("failed")
    )
    others = members.select("band", "key", col("id").alias("other"))
    return (
        failed_members.join(others, ["band", "key"])
        .where((col("other") != col("failed")) & (col("other") != col("centre")))
        .select(
            functions.least("failed", "other").alias("left"),
            functions.greatest("failed", "other").alias("right"),
        )
        .distinct()
    )


def similarities(pairs: DataFrame, shingles: DataFrame, *, left: str, right: str) -> DataFrame:
    """Return ``pairs`` with the exact Jaccard ``similarity`` of each pair's shingle sets.

    Args:
        pairs: a DataFrame whose ``left`` and ``right`` columns hold document ids.
        shingles: ``(id, shingles)`` for every document named in ``pairs``.
        left: the column of the first id.
        right: the column of the second id.

    Examples:
        >>> similarities(stars, shingles, left="centre", right="id").columns  # doctest: +SKIP
        ['centre', 'id', 'similarity']
    """
    functions = require_pyspark()
    pyarrow = require_pyarrow()
    col = functions.col
    left_sets = shingles.select(col("id").alias(left), col("shingles").alias("left_shingles"))
    right_sets = shingles.select(col("id").alias(right), col("shingles").alias("right_shingles"))
    joined = pairs.select(left, right).join(left_sets, left).join(right_sets, right)
    joined = joined.select(left, right, "left_shingles", "right_shingles")
    schema = ", ".join(
        f"`{name}` {joined.schema[name].dataType.simpleString()}" for name in (left, right)
    ) + ", similarity double"

    def score(batches: Iterable[Any]) -> Iterator[Any]:
        for batch in batches:
            scores = [
                jaccard(_as_shingles(pyarrow, one), _as_shingles(pyarrow, two))
                for one, two in zip(batch.column(2), batch.column(3), strict=True)
            ]
            yield pyarrow.RecordBatch.from_arrays(
                [batch.column(0), batch.column(1), pyarrow.array(scores, pyarrow.float64())],
                names=[left, right, "similarity"],
            )

    return joined.mapInArrow(score, schema)


def _as_shingles(pyarrow: Any, value: Any) -> np.ndarray[Any, np.dtype[np.uint64]]:
    """Return one Arrow list of signed longs as the uint64 array it was stored from."""
    values = value.values if value.is_valid else pyarrow.array([], pyarrow.int64())
    array: np.ndarray[Any, np.dtype[np.uint64]] = (
        values.to_numpy(zero_copy_only=False).astype(np.int64, copy=False).view(np.uint64)
    )
    return array


def verified_pairs(bands: DataFrame, shingles: DataFrame, *, threshold: float) -> DataFrame:
    """Return ``(left, right, similarity)`` for the verified pairs that connect each bucket.

    The result connects exactly the documents that all-pairs verification of
    every bucket would connect (see the module docstring); it is not the list
    of all verified pairs.

    Examples:
        >>> verified_pairs(bands, shingles, threshold=0.8).columns  # doctest: +SKIP
        ['left', 'right', 'similarity']
    """
    functions = require_pyspark()
    col = functions.col
    members, stars = bucket_stars(bands)
    checked = similarities(stars, shingles, left="centre", right="id").localCheckpoint(eager=True)
    passed = checked.where(col("similarity") >= threshold).select(
        functions.least("centre", "id").alias("left"),
        functions.greatest("centre", "id").alias("right"),
        "similarity",
    )
    failed = checked.where(col("similarity") < threshold)
    extra = similarities(extra_pairs(members, failed), shingles, left="left", right="right")
    return passed.unionByName(extra.where(col("similarity") >= threshold))
