"""Union-find clustering against a naive oracle; exact verification."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.near.cluster import (
    cluster_pairs,
    components_of,
    containment,
    jaccard,
    verify_pairs,
)


def naive_components(count: int, pairs: list[tuple[int, int]]) -> set[frozenset[int]]:
    groups = [{i} for i in range(count)]
    for a, b in pairs:
        group_a = next(g for g in groups if a in g)
        group_b = next(g for g in groups if b in g)
        if group_a is not group_b:
            group_a |= group_b
            groups.remove(group_b)
    return {frozenset(g) for g in groups if len(g) > 1}


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 20).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=30))))
def test_components_equal_naive_and_are_ordered(case: tuple[int, list[tuple[int, int]]]) -> None:
    count, pairs = case
    components = cluster_pairs(count, np.array(pairs, dtype=np.int64).reshape(-1, 2))
    assert {frozenset(c.members) for c in components} == naive_components(count, pairs)
    firsts = [c.members[0] for c in components]
    assert firsts == sorted(firsts)
    assert all(list(c.members) == sorted(c.members) for c in components)
    # The numpy-assisted fast path gives exactly the reference's components.
    assert components == components_of(pairs)


sets = st.lists(st.integers(0, 30), max_size=20).map(
    lambda v: np.unique(np.array(v, dtype=np.uint64)))


@settings(max_examples=100, deadline=None)
@given(sets, sets)
def test_jaccard_and_containment_equal_python_sets(left: np.ndarray, right: np.ndarray) -> None:
    a, b = set(left.tolist()), set(right.tolist())
    expected = len(a & b) / len(a | b) if a | b else 1.0
    assert jaccard(left, right) == expected
    assert containment(left, right) == (len(a & b) / len(a) if a else 0.0)


@settings(max_examples=50, deadline=None)
@given(st.lists(sets, min_size=2, max_size=8), st.floats(0.1, 1.0))
def test_verified_pairs_are_exactly_those_at_or_above_threshold(
        shingle_sets: list[np.ndarray], threshold: float) -> None:
    n = len(shingle_sets)
    pairs = np.array([(i, j) for i in range(n) for j in range(i + 1, n)], dtype=np.int64)
    kept, similarities = verify_pairs(shingle_sets, pairs, threshold)
    expected = [(i, j) for i, j in pairs.tolist()
                if jaccard(shingle_sets[i], shingle_sets[j]) >= threshold]
    assert [tuple(p) for p in kept.tolist()] == expected
    assert all(s >= threshold for s in similarities.tolist())


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**12), st.integers(0, 10**12)), max_size=40))
def test_cluster_pairs_equals_the_reference_on_sparse_large_numbers(
        pairs: list[tuple[int, int]]) -> None:
    # Document numbers far apart and large: the fast path renumbers them densely.
    assert cluster_pairs(0, np.array(pairs, dtype=np.int64).reshape(-1, 2)) == \
        components_of(pairs)
