"""Result records of deduplication: what is kept, what duplicates what, and why.

Every record is a frozen, slotted dataclass with ``to_dict()`` giving
JSON-ready values. :class:`DedupResult` accounts for every input document
exactly once: in ``keep``, in ``duplicates`` or in ``empty``.

Added in 0.1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from dedup.document import Rejection
from dedup.near.config import DedupConfig

__all__ = [
    "Cluster",
    "DedupResult",
    "Duplicate",
    "DuplicateKind",
    "Rejection",
    "SharedPassage",
]

DuplicateKind = Literal["exact", "near", "containment"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SharedPassage:
    """A passage two documents share: ``text`` at ``[start, end)`` of the duplicate's
    cleaned text and ``[kept_start, kept_end)`` of the kept document's."""

    text: str
    start: int
    end: int
    kept_start: int
    kept_end: int

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "start": self.start, "end": self.end,
                "kept_start": self.kept_start, "kept_end": self.kept_end}


@dataclass(frozen=True, slots=True, kw_only=True)
class Duplicate:
    """One dropped document and the evidence for dropping it.

    ``similarity`` is the exact Jaccard of its shingles with the kept document
    (1.0 for exact copies; for containment, the share of its shingles found in
    the kept document). ``matched`` is the member it was verified against
    (union-find can chain: A~B and B~C put C in A's cluster even when C is
    less similar to A), with ``matched_similarity``. ``passages`` are filled
    only when explanations are asked for.
    """

    id: str
    duplicate_of: str
    similarity: float
    kind: DuplicateKind
    matched: str
    matched_similarity: float
    passages: tuple[SharedPassage, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "duplicate_of": self.duplicate_of,
                "similarity": round(self.similarity, 6), "kind": self.kind,
                "matched": self.matched, "matched_similarity": round(self.matched_similarity, 6),
                "passages": [p.to_dict() for p in self.passages]}


@dataclass(frozen=True, slots=True, kw_only=True)
class Cluster:
    """A group of near-duplicates: members in input order, the one kept, similarities to it."""

    representative: str
    members: tuple[str, ...]
    similarities: tuple[float, ...]

    def to_dict(self) -> dict[str, object]:
        return {"representative": self.representative, "members": list(self.members),
                "similarities": [round(s, 6) for s in self.similarities]}


@dataclass(frozen=True, slots=True, kw_only=True)
class DedupResult:
    """The outcome of :func:`dedup.deduplicate`.

    ``keep``, ``duplicates`` and ``empty`` partition the input ids, each in
    input order. ``clusters`` lists every group of two or more documents.
    ``similarity_measure`` says what every similarity was computed on
    (:attr:`DedupConfig.similarity_measure`, and whether texts were cleaned).
    """

    keep: tuple[str, ...]
    duplicates: tuple[Duplicate, ...]
    clusters: tuple[Cluster, ...]
    empty: tuple[str, ...] = ()
    rejections: tuple[Rejection, ...] = ()
    config: DedupConfig = field(default_factory=DedupConfig)
    similarity_measure: str = ""

    def duplicate_map(self) -> dict[str, Duplicate]:
        """Map each duplicate id to its record."""
        return {duplicate.id: duplicate for duplicate in self.duplicates}

    def to_dict(self) -> dict[str, object]:
        return {
            "keep": list(self.keep),
            "duplicates": [d.to_dict() for d in self.duplicates],
            "clusters": [c.to_dict() for c in self.clusters],
            "empty": list(self.empty),
            "rejections": [r.to_dict() for r in self.rejections],
            "threshold": self.config.threshold,
            "similarity_measure": self.similarity_measure,
        }
