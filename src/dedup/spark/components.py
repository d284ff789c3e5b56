"""Connected components of an edge DataFrame, with the DataFrame API only.

Duplicate clusters are the connected components of the graph of verified
candidate pairs. On one machine a union-find does it in a loop; on Spark the
graph does not fit in one process, so we use the alternating *large-star* /
*small-star* algorithm of Kiveris, Lattanzi, Mirrokni, Rastogi and
Vassilvitskii, "Connected Components in MapReduce and Beyond" (SoCC 2014).
Each round is two ``groupBy`` + ``join`` steps; the number of rounds grows with
the logarithm of the longest path, not with its length (a chain of 1,000
near-duplicates converges in a handful of rounds), and no step ever collects a
component into one task, so one huge cluster does not stall a worker.

The edge set is kept as ``(hi, lo)`` pairs with ``hi > lo``:

* large-star: every node ``u`` points its *larger* neighbours at the smallest
  node of its closed neighbourhood, ``m(u)``;
* small-star: every node ``u`` points itself and its *smaller* neighbours at the
  smallest of them.

Both keep connectivity and only ever lower labels; when every node has exactly
one edge and no edge ends at a node that has its own edge, each component is a
star around its smallest id, which is the label we return. The lineage of the
loop is cut with a local checkpoint each round, so the plan stays small.

GraphFrames' ``connectedComponents`` is offered as ``method="graphframes"`` for
clusters that ship its JAR; its labels are mapped back to the smallest id of each
component, so both methods return the same DataFrame.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Literal

from dedup.errors import ConfigError, DedupError, MissingExtraError
from dedup.spark._pyspark import require_pyspark

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["ComponentsMethod", "connected_components"]

logger = logging.getLogger(__name__)

#: How components are computed: our DataFrame large-star/small-star, or GraphFrames.
ComponentsMethod = Literal["star", "graphframes"]


def connected_components(
    edges: DataFrame,
    *,
    src: str = "src",
    dst: str = "dst",
    method: ComponentsMethod = "star",
    checkpoint: bool = True,
    max_rounds: int = 64,
) -> DataFrame:
    """Label every node that appears in ``edges`` with the smallest id of its component.

    Edges are undirected; duplicates, both directions and self loops are fine.
    Node ids may be of any orderable Spark type (strings, longs); nodes with no
    edge do not appear in the result, so join it back to your documents with a
    left join. Added in 0.1.

    Args:
        edges: a DataFrame with the two endpoint columns.
        src: name of the first endpoint column.
        dst: name of the second endpoint column.
        method: ``"star"`` (ours, DataFrame API only, runs on Spark Connect) or
            ``"graphframes"`` (needs the ``graphframes`` package and its JAR).
        checkpoint: cut the lineage after each round with ``localCheckpoint``;
            turn off only where checkpoints are unavailable.
        max_rounds: give up after this many rounds (each round at least halves
            the longest path in practice, so 64 is far beyond any real graph).

    Returns:
        A DataFrame ``(id, component)`` with one row per node, ``component``
        being the smallest id of the node's component (the smallest id labels itself).

    Raises:
        ConfigError: an unknown ``method`` or ``max_rounds`` below 1.
        MissingExtraError: pyspark (or, for ``"graphframes"``, graphframes) is missing.
        DedupError: the rounds did not converge within ``max_rounds``.

    Examples:
        >>> edges = spark.createDataFrame([(1, 2), (2, 3), (7, 9)], "a int,b int")  # doctest: +SKIP
        >>> labels = connected_components(edges, src="a", dst="b")  # doctest: +SKIP
        >>> sorted(tuple(row) for row in labels.collect())  # doctest: +SKIP
        [(1, 1), (2, 1), (3, 1), (7, 7), (9, 7)]
    """
    functions = require_pyspark()
    if method not in ("star", "graphframes"):
        raise ConfigError(
            f"connected_components method must be 'star' or 'graphframes', not {method!r}"
        )
    if max_rounds < 1:
        raise ConfigError(f"max_rounds must be at least 1, not {max_rounds!r}")
    col = functions.col
    pairs = (
        edges.select(col(src).alias("a"), col(dst).alias("b"))
        .where(col("a").isNotNull() & col("b").isNotNull() & (col("a") != col("b")))
        .select(
            functions.greatest("a", "b").alias("hi"), functions.least("a", "b").alias("lo")
        )
        .distinct()
    )
    if method == "graphframes":
        return _graphframes_components(pairs)
    if checkpoint:
        # Each round reads its input several times (both directions, a join with
        # its own aggregate); without this the edges' whole lineage, UDFs and
        # all, would be computed again for every read.
        pairs = pairs.localCheckpoint(eager=True)
    for round_number in range(1, max_rounds + 1):
        pairs = _small_star(_large_star(pairs))
        if checkpoint:
            pairs = pairs.localCheckpoint(eager=True)
        if _is_star_forest(pairs):
            logger.info("connected components converged after %s rounds", round_number)
            break
    else:
        raise DedupError(
            f"connected components did not converge in {max_rounds} rounds; "
            "raise max_rounds or report the graph that needed more"
        )
    roots = pairs.select(col("lo").alias("id"), col("lo").alias("component"))
    members = pairs.select(col("hi").alias("id"), col("lo").alias("component"))
    return members.unionByName(roots).distinct()


def _large_star(pairs: DataFrame) -> DataFrame:
    """Point each node's larger neighbours at the smallest node of its closed neighbourhood."""
    functions = require_pyspark()
    col = functions.col
    neighbours = pairs.select(col("hi").alias("node"), col("lo").alias("neighbour")).unionByName(
        pairs.select(col("lo").alias("node"), col("hi").alias("neighbour"))
    )
    smallest = neighbours.groupBy("node").agg(
        functions.least(col("node"), functions.min("neighbour")).alias("smallest")
    )
    return (
        pairs.join(smallest, pairs["lo"] == smallest["node"])
        .select(col("hi"), col("smallest").alias("lo"))
        .distinct()
    )


def _small_star(pairs: DataFrame) -> DataFrame:
    """Point each node and its smaller neighbours at the smallest of them."""
    functions = require_pyspark()
    col = functions.col
    smallest = pairs.groupBy("hi").agg(functions.min("lo").alias("smallest"))
    joined = pairs.join(smallest, "hi")
    neighbours = joined.where(col("lo") != col("smallest")).select(
        col("lo").alias("hi"), col("smallest").alias("lo")
    )
    own = smallest.select(col("hi"), col("smallest").alias("lo"))
    return neighbours.unionByName(own).distinct()


def _is_star_forest(pairs: DataFrame) -> bool:
    """Tell whether every node has one edge, to a node with none of its own (one shuffle)."""
    functions = require_pyspark()
    col, lit = functions.col, functions.lit
    roles = pairs.select(col("hi").alias("node"), lit(1).alias("as_hi"), lit(0).alias("as_lo"))
    roles = roles.unionByName(
        pairs.select(col("lo").alias("node"), lit(0).alias("as_hi"), lit(1).alias("as_lo"))
    )
    per_node = roles.groupBy("node").agg(
        functions.sum("as_hi").alias("as_hi"), functions.sum("as_lo").alias("as_lo")
    )
    offending = per_node.where((col("as_hi") > 1) | ((col("as_hi") > 0) & (col("as_lo") > 0)))
    return bool(offending.isEmpty())


def _graphframes_components(pairs: DataFrame) -> DataFrame:
    """Run GraphFrames' connectedComponents and relabel each component by its smallest id."""
    functions = require_pyspark()
    col = functions.col
    try:
        graphframes = importlib.import_module("graphframes")
    except ImportError as error:
        raise MissingExtraError("spark", "graphframes") from error
    vertices = (
        pairs.select(col("hi").alias("id"))
        .unionByName(pairs.select(col("lo").alias("id")))
        .distinct()
    )
    links = pairs.select(col("hi").alias("src"), col("lo").alias("dst"))
    graph = graphframes.GraphFrame(vertices, links)
    labelled: DataFrame = graph.connectedComponents()
    labelled = labelled.select("id", col("component").alias("label"))
    smallest = labelled.groupBy("label").agg(functions.min("id").alias("component"))
    return labelled.join(smallest, "label").select("id", "component")
