"""From candidate pairs to clusters: exact verification, union-find, representatives.

Every candidate pair is verified against the exact Jaccard similarity of its
two shingle sets, so no pair below the threshold is ever reported: LSH decides
what gets compared, never what gets reported. Verified pairs are joined by
union-find; a cluster is a connected component, listed in input order, and
its representative is chosen by a policy that is the only thing input order
can change.

Building blocks (stable): :func:`jaccard`, :func:`containment`,
:func:`verify_pairs`, :func:`cluster_pairs`, :func:`choose_representative`.

Added in 0.1.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dedup.near.config import DedupConfig, MemberInfo
from dedup.near.shingling import ShingleArray

__all__ = [
    "Component",
    "choose_representative",
    "cluster_pairs",
    "components_of",
    "containment",
    "intersection_size",
    "jaccard",
    "verify_pairs",
]


def intersection_size(left: ShingleArray, right: ShingleArray) -> int:
    """Return ``|left & right|`` of two sorted unique arrays.

    >>> left, right = np.array([1, 2, 5], dtype=np.uint64), np.array([2, 5, 9], dtype=np.uint64)
    >>> intersection_size(left, right)
    2
    """
    if left.size > right.size:
        left, right = right, left
    if left.size == 0:
        return 0
    index = np.searchsorted(right, left)
    index[index == right.size] = 0
    return int(np.count_nonzero(right[index] == left))


def jaccard(left: ShingleArray, right: ShingleArray) -> float:
    """Return the exact Jaccard similarity of two sorted unique shingle arrays.

    Two empty sets are identical (1.0).

    >>> jaccard(np.array([1, 2, 3], dtype=np.uint64), np.array([2, 3, 4], dtype=np.uint64))
    0.5
    """
    if left.size == 0 and right.size == 0:
        return 1.0
    shared = intersection_size(left, right)
    return shared / (left.size + right.size - shared)


def containment(part: ShingleArray, whole: ShingleArray) -> float:
    """Return the share of ``part``'s shingles found in ``whole`` (``|A & B| / |A|``).

    >>> containment(np.array([1, 2], dtype=np.uint64), np.array([1, 2, 3, 4], dtype=np.uint64))
    1.0
    """
    if part.size == 0:
        return 0.0
    return intersection_size(part, whole) / part.size


def verify_pairs(shingle_sets: Sequence[ShingleArray], pairs: npt.NDArray[np.int64],
                 threshold: float) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Keep the candidate pairs whose exact Jaccard is at least ``threshold``.

    Returns the kept pairs (same order as given) and their similarities.

    >>> sets = [np.array([1, 2, 3], dtype=np.uint64), np.array([1, 2, 4], dtype=np.uint64),
    ...         np.array([1, 2, 3], dtype=np.uint64)]
    >>> kept, sims = verify_pairs(sets, np.array([[0, 1], [0, 2]]), 0.8)
    >>> kept.tolist(), sims.tolist()
    ([[0, 2]], [1.0])
    """
    similarities = np.array([jaccard(shingle_sets[i], shingle_sets[j])
                             for i, j in pairs.tolist()], dtype=np.float64)
    keep = similarities >= threshold
    return pairs[keep].reshape(-1, 2), similarities[keep]


@dataclass(frozen=True, slots=True, kw_only=True)
class Component:
    """One connected component of verified pairs: indexes into the input, in input order."""

    members: tuple[int, ...]


def cluster_pairs(count: int, pairs: npt.NDArray[np.int64]) -> tuple[Component, ...]:
    """Return the components (of two or more members) of ``count`` items joined by ``pairs``.

    Components are ordered by their first member and list members in input
    order, so the output is deterministic. The same components as
    :func:`components_of` (the reference a test compares it with), with the
    items numbered densely and the roots grouped by numpy: union-find over
    Python ints in a list, not a dict of pair tuples. At a million documents
    the tuples kept CPython's collector busy for 4.6 s of union-find's 5.8.

    >>> [c.members for c in cluster_pairs(6, np.array([[4, 1], [1, 3], [0, 5]]))]
    [(0, 5), (1, 3, 4)]
    """
    del count  # items joined by no pair are in no component
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if pairs.size == 0:
        return ()
    items, local = np.unique(pairs, return_inverse=True)
    local = local.reshape(-1, 2)
    parent = list(range(items.size))

    def find(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for left, right in zip(local[:, 0].tolist(), local[:, 1].tolist(), strict=True):
        root_left, root_right = find(left), find(right)
        if root_left < root_right:
            parent[root_right] = root_left
        elif root_right < root_left:
            parent[root_left] = root_right
    # Items are numbered in input order, so each root is its component's first member.
    roots = np.array([find(item) for item in range(items.size)], dtype=np.int64)
    order = np.argsort(roots, kind="stable")
    starts = np.flatnonzero(np.diff(roots[order], prepend=-1))
    members = items[order]
    bounds = np.append(starts, members.size).tolist()
    return tuple(Component(members=tuple(members[bounds[k]:bounds[k + 1]].tolist()))
                 for k in range(len(bounds) - 1) if bounds[k + 1] - bounds[k] > 1)


def components_of(edges: Iterable[tuple[int, int]]) -> tuple[Component, ...]:
    """Return the connected components of ``edges``, ordered by first member.

    Union-find with path halving over the linked items only (a dict), so
    memory follows the number of links, not of documents; the smaller item
    becomes the root, so roots are first members.

    >>> [c.members for c in components_of([(4, 9), (1, 4), (7, 2)])]
    [(1, 4, 9), (2, 7)]
    """
    parent: dict[int, int] = {}

    def find(item: int) -> int:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for left, right in edges:
        root_left, root_right = find(left), find(right)
        if root_left != root_right:
            if root_left < root_right:
                parent[root_right] = root_left
            else:
                parent[root_left] = root_right
    groups: dict[int, list[int]] = {}
    for item in sorted(parent):
        groups.setdefault(find(item), []).append(item)
    return tuple(Component(members=tuple(members))
                 for _root, members in sorted(groups.items()) if len(members) > 1)


def choose_representative(members: Sequence[MemberInfo], config: DedupConfig) -> MemberInfo:
    """Return the member a cluster keeps under ``config.representative``.

    ``"first"``: the earliest input position. ``"longest"``: the longest
    cleaned text, earliest among equals. A callable: the smallest key,
    earliest among equals.

    >>> members = [MemberInfo(id="a", position=0, length=10),
    ...            MemberInfo(id="b", position=1, length=30)]
    >>> choose_representative(members, DedupConfig(representative="longest")).id
    'b'
    """
    ordered = sorted(members, key=lambda member: member.position)
    policy = config.representative
    if policy == "first":
        return ordered[0]
    if policy == "longest":
        return max(ordered, key=lambda member: member.length)
    if callable(policy):
        return min(ordered, key=policy)
    return ordered[0]
