"""Exact and near duplicates among the cleaned documents of a run.

The pipeline hands over ``(id, text)`` pairs in input order and gets back, for
every duplicate, the document it duplicates and the similarity; plus the
clusters, each led by its kept representative (the first seen).

Until the near-duplicate building blocks (``dedup.near``) land, this finds
exact duplicates only, by a content hash of the text with case and spacing
folded; the interface is the one the near-duplicate step fills in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["Cluster", "DuplicateFindings", "find_duplicates"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Cluster:
    """A kept representative and the documents that duplicate it, with similarities."""

    representative: str
    members: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class DuplicateFindings:
    """Every duplicate mapped to (representative, similarity), and the clusters in order."""

    duplicates: dict[str, tuple[str, float]] = field(default_factory=dict)
    clusters: tuple[Cluster, ...] = ()


def _content_key(text: str) -> bytes:
    folded = " ".join(text.casefold().split())
    return hashlib.blake2b(folded.encode("utf-8"), digest_size=16).digest()


def find_duplicates(documents: Iterable[tuple[str, str]], *,
                    threshold: float = 0.8) -> DuplicateFindings:
    """Group documents whose texts are copies of each other; the first seen is kept.

    >>> found = find_duplicates([("a", "Same text."), ("b", "Other."), ("c", "same  TEXT.")])
    >>> found.duplicates
    {'c': ('a', 1.0)}
    """
    first: dict[bytes, str] = {}
    members: dict[str, list[tuple[str, float]]] = {}
    duplicates: dict[str, tuple[str, float]] = {}
    for document_id, text in documents:
        key = _content_key(text)
        representative = first.setdefault(key, document_id)
        if representative != document_id:
            duplicates[document_id] = (representative, 1.0)
            members.setdefault(representative, []).append((document_id, 1.0))
    clusters = tuple(Cluster(representative=rep, members=tuple(found))
                     for rep, found in members.items())
    return DuplicateFindings(duplicates=duplicates, clusters=clusters)
