"""Connected components on Spark against a union-find written here as the oracle."""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest

from dedup.errors import ConfigError
from dedup.spark.components import connected_components

pytestmark = [
    pytest.mark.spark,
    # py4j leaves sockets for the garbage collector; that is pyspark's, not ours
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def union_find_labels(edges: list[tuple[int, int]]) -> dict[int, int]:
    """Label each node with the smallest node of its component, the slow and obvious way."""
    parent: dict[int, int] = {}

    def find(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    return {node: find(node) for node in parent}


def spark_labels(spark: Any, edges: list[tuple[int, int]], **options: Any) -> dict[int, int]:
    frame = spark.createDataFrame(edges, "src long, dst long")
    rows = connected_components(frame, **options).collect()
    labels = {row["id"]: row["component"] for row in rows}
    assert len(labels) == len(rows), "each node must appear once"
    return labels


def random_graph(rng: random.Random, nodes: int, edges: int) -> list[tuple[int, int]]:
    ids = rng.sample(range(10_000_000), nodes)
    return [(rng.choice(ids), rng.choice(ids)) for _ in range(edges)]


def test_random_graphs_match_union_find(spark: Any) -> None:
    rng = random.Random(20141103)
    # sparse (many small components), near the giant-component threshold, and dense;
    # batched into one DataFrame with disjoint id ranges to keep the test quick
    edges: list[tuple[int, int]] = []
    for offset, (nodes, count) in enumerate(((300, 150), (300, 300), (200, 900), (50, 49))):
        base = offset * 100_000_000
        edges += [(a + base, b + base) for a, b in random_graph(rng, nodes, count)]
    assert spark_labels(spark, edges) == union_find_labels(edges)


def test_long_chain_in_shuffled_id_order(spark: Any) -> None:
    # a path whose ids are shuffled needs several rounds; sorted ids would be too easy
    rng = random.Random(7)
    ids = list(range(1_000))
    rng.shuffle(ids)
    edges = list(itertools.pairwise(ids))
    labels = spark_labels(spark, edges)
    assert set(labels.values()) == {0}
    assert len(labels) == 1_000


def test_string_ids_self_loops_and_duplicate_edges(spark: Any) -> None:
    frame = spark.createDataFrame(
        [("b", "a"), ("a", "b"), ("c", "c"), ("d", "c"), ("x", "y"), ("y", None)],
        "left string, right string",
    )
    rows = connected_components(frame, src="left", dst="right").collect()
    assert sorted(tuple(row) for row in rows) == [
        ("a", "a"), ("b", "a"), ("c", "c"), ("d", "c"), ("x", "x"), ("y", "x"),
    ]


def test_no_edges_gives_no_rows(spark: Any) -> None:
    frame = spark.createDataFrame([], "src long, dst long")
    assert connected_components(frame).collect() == []


def test_bad_options_are_config_errors(spark: Any) -> None:
    frame = spark.createDataFrame([(1, 2)], "src long, dst long")
    with pytest.raises(ConfigError, match="method"):
        connected_components(frame, method="pregel")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="max_rounds"):
        connected_components(frame, max_rounds=0)


def test_graphframes_gives_the_same_labels(spark: Any) -> None:
    pytest.importorskip("graphframes", reason="graphframes is not installed")
    edges = [(1, 2), (2, 3), (10, 11)]
    try:
        labels = spark_labels(spark, edges, method="graphframes")
    except Exception as error:  # the Python package is there but its JAR is not
        if "ClassNotFound" in str(error) or "graphframes" in str(error).lower():
            pytest.skip(f"graphframes JAR is not on the classpath: {error.__class__.__name__}")
        raise
    assert labels == union_find_labels(edges)
