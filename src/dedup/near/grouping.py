"""Group a corpus's documents: exact copies, identical shingle sets, verified near pairs.

The order of work is chosen so that the expensive steps see as little as
possible: exact copies are grouped by content digest; among the remaining
documents, identical shingle sets (copies that differ only in case or
punctuation) are grouped by a digest of the set; only one document per group
enters LSH, whose candidates are decided by
:func:`dedup.near.decision.decide_pair` (exact Jaccard and the pair rules).

Every link carries an exact similarity: copies 1.0, identical sets 1.0, and
decided pairs their Jaccard. Because members of a group have identical
shingle sets, hence identical figures, a pair decided between two group heads
holds with the same similarity for every member of the two groups. A document
that cleaning reduced (:attr:`dedup.near.decision.MatchEvidence.is_reduced`)
is keyed by its input digest as well, so it joins a copy or same-set group
only with documents of the same input; any other match must pass
:func:`~dedup.near.decision.decide_pair`, input rule included.

Building block (stable): :func:`group_documents`.

Added in 0.1.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from dedup.near.cluster import Component, cluster_pairs
from dedup.near.config import DedupConfig
from dedup.near.decision import MatchEvidence, PairReason, decide_pair
from dedup.near.keep import Links
from dedup.near.lsh import PairArray, candidate_pairs_of
from dedup.near.minhash import to_lean_minhash
from dedup.near.shingling import ShingleArray

__all__ = ["Grouping", "containment_candidates", "group_documents", "links_of", "set_digest"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Grouping:
    """How the documents of a corpus group, by index.

    Attributes:
        exact_of: per document, the first document with the same content
            digest (itself when it is the first); -1 for an empty document
            kept out of grouping.
        same_set_of: per document, the first exact head with the same
            non-empty shingle set (itself when first); -1 when it has no
            shingles or is not an exact head.
        pairs: verified near pairs ``(i, j)``, ``i < j``, between same-set heads.
        similarities: the exact Jaccard of each pair.
        contained: pairs ``(part, whole)`` where ``part``'s shingles are at
            least ``config.containment`` contained in the longer ``whole``.
        containments: the containment of each such pair.
        components: clusters of two or more documents, in input order.
        refused: candidate pairs at or above the threshold that a pair rule
            refused (``(i, j)`` between heads, ``(part, whole)`` for containment).
        refused_reasons: the :data:`~dedup.near.decision.PairReason` of each.
    """

    exact_of: tuple[int, ...]
    same_set_of: tuple[int, ...]
    pairs: PairArray
    similarities: npt.NDArray[np.float64]
    contained: PairArray
    containments: npt.NDArray[np.float64]
    components: tuple[Component, ...]
    refused: PairArray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int64))
    refused_reasons: tuple[PairReason, ...] = ()


def set_digest(shingles: ShingleArray) -> bytes:
    """Return the digest that groups identical shingle sets (see :func:`group_documents`).

    >>> set_digest(np.array([1, 2], dtype=np.uint64)) == set_digest(np.array([1, 2],
    ...                                                                      dtype=np.uint64))
    True
    """
    return hashlib.blake2b(shingles.tobytes(), digest_size=16).digest()


class _Refusals:
    """Pairs a rule refused, collected for :attr:`Grouping.refused`."""

    def __init__(self) -> None:
        self.pairs: list[tuple[int, int]] = []
        self.reasons: list[PairReason] = []

    def add(self, left: int, right: int, reason: PairReason) -> None:
        if reason != "below_threshold":
            self.pairs.append((left, right))
            self.reasons.append(reason)


def _decide_pairs(candidates: PairArray, shingle_sets: Sequence[ShingleArray],
                  evidence: Sequence[MatchEvidence], config: DedupConfig,
                  refusals: _Refusals, *,
                  measure: Literal["jaccard", "containment"] = "jaccard",
                  ) -> tuple[PairArray, npt.NDArray[np.float64]]:
    """Keep the candidate pairs that :func:`decide_pair` holds, with their similarity."""
    kept: list[tuple[int, int]] = []
    similarities: list[float] = []
    for left, right in candidates.tolist():
        decision = decide_pair(shingle_sets[left], shingle_sets[right], evidence[left],
                               evidence[right], config, measure=measure)
        if decision.holds:
            kept.append((left, right))
            similarities.append(decision.similarity)
        else:
            refusals.add(left, right, decision.reason)
    return (np.array(kept, dtype=np.int64).reshape(-1, 2),
            np.array(similarities, dtype=np.float64))


def containment_candidates(heads: Sequence[int], sizes: Sequence[int],
                           signatures: Sequence[npt.NDArray[np.uint32]], config: DedupConfig,
                           ) -> list[tuple[int, int]]:
    """Return candidate ``(part, whole)`` pairs from datasketch's LSH Ensemble, in order.

    ``heads`` are document numbers (ascending), with their shingle counts and
    signatures. Pairs come by part, then by whole; a whole is always larger.
    """
    from datasketch import MinHashLSHEnsemble

    threshold = config.containment if config.containment is not None else 1.0
    ensemble = MinHashLSHEnsemble(threshold=threshold, num_perm=config.num_perm, num_part=8)
    lean = [to_lean_minhash(signature, config) for signature in signatures]
    ensemble.index([(position, lean[position], int(sizes[position]))
                    for position in range(len(heads))])
    found: list[tuple[int, int]] = []
    for part in range(len(heads)):
        for whole in sorted(ensemble.query(lean[part], int(sizes[part]))):
            if whole != part and sizes[whole] > sizes[part]:
                found.append((heads[part], heads[whole]))
    return found


def _containment_pairs(heads: list[int], shingle_sets: Sequence[ShingleArray],
                       signatures: npt.NDArray[np.uint32], evidence: Sequence[MatchEvidence],
                       config: DedupConfig, refusals: _Refusals,
                       ) -> tuple[PairArray, npt.NDArray[np.float64]]:
    """Find ``(part, whole)`` pairs by datasketch's LSH Ensemble, decided exactly."""
    candidates = containment_candidates(heads, [int(shingle_sets[h].size) for h in heads],
                                        [signatures[h] for h in heads], config)
    return _decide_pairs(np.array(candidates, dtype=np.int64).reshape(-1, 2), shingle_sets,
                         evidence, config, refusals, measure="containment")


def group_documents(digests: Sequence[bytes], shingle_sets: Sequence[ShingleArray],
                    signatures: npt.NDArray[np.uint32], config: DedupConfig, *,
                    is_empty: Sequence[bool],
                    evidence: Sequence[MatchEvidence] | None = None,
                    set_digests: Sequence[bytes] | None = None,
                    input_digests: Sequence[bytes] | None = None) -> Grouping:
    """Group documents given their content digests, shingle sets and signatures.

    Args:
        digests: :func:`dedup.near.exact.content_digest` of each cleaned text.
        shingle_sets: :func:`dedup.near.shingling.shingle_hashes` of each.
        signatures: :func:`dedup.near.minhash.signatures` of the shingle sets.
        config: threshold, banding, containment, ``cluster_empty``.
        is_empty: which documents are empty after cleaning; they group (as
            exact copies of each other) only with ``config.cluster_empty``.
        evidence: :func:`dedup.near.decision.match_evidence_batch` of each
            document, for the pair rules; without it, no document has figures
            or a reduced input, and pairs are decided on similarity alone.
        set_digests, input_digests: each document's :func:`set_digest` (b""
            for no shingles) and ``evidence.input_digest``, when the caller
            has them: then ``shingle_sets`` and ``evidence`` are read only for
            candidate pairs and cluster members, so they may live on disk
            (:mod:`dedup.corpus.fingerprints`).

    >>> from dedup.near.minhash import signatures as signatures_of
    >>> from dedup.near.shingling import shingle_hashes_batch
    >>> texts = ["the quick brown fox jumps over the lazy dog today",
    ...          "The quick brown fox jumps over the lazy dog today!", "something else"]
    >>> config = DedupConfig()
    >>> sets = shingle_hashes_batch(texts, config)
    >>> grouping = group_documents([t.encode() for t in texts], sets,
    ...                            signatures_of(sets, config), config, is_empty=[False] * 3)
    >>> [c.members for c in grouping.components]
    [(0, 1)]
    """
    count = len(digests)
    if evidence is None:
        evidence = [MatchEvidence()] * count
    if input_digests is None:
        input_digests = [item.input_digest for item in evidence]
    exact_of = [-1] * count
    first_by_digest: dict[bytes, int] = {}
    for index, digest in enumerate(digests):
        if is_empty[index]:
            if not config.cluster_empty:
                continue
            # Every empty text is a copy of every other, whatever its whitespace.
            digest = b""
        else:
            # Two documents cut down to the same leftovers are copies only if
            # their inputs are too (b"" for documents that kept their input).
            digest += input_digests[index]
        exact_of[index] = first_by_digest.setdefault(digest, index)
    same_set_of = [-1] * count
    first_by_set: dict[bytes, int] = {}
    for index in range(count):
        if exact_of[index] != index:
            continue
        if set_digests is None:
            shingles = shingle_sets[index]
            digest = set_digest(shingles) if shingles.size else b""
        else:
            digest = set_digests[index]
        if digest:
            same_set_of[index] = first_by_set.setdefault(digest + input_digests[index], index)
    heads = [index for index in range(count) if same_set_of[index] == index]
    head_array = np.array(heads, dtype=np.int64)
    refusals = _Refusals()
    if len(heads) > 1:
        local = candidate_pairs_of(signatures, config, rows=head_array)
        pairs, similarities = _decide_pairs(head_array[local].reshape(-1, 2), shingle_sets,
                                            evidence, config, refusals)
    else:
        pairs, similarities = np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.float64)
    if config.containment is not None and len(heads) > 1:
        contained, containments = _containment_pairs(heads, shingle_sets, signatures, evidence,
                                                     config, refusals)
    else:
        contained, containments = np.empty((0, 2), dtype=np.int64), np.empty(0)
    links = [pairs, contained]
    links.append(np.array([(exact_of[i], i) for i in range(count) if exact_of[i] not in (-1, i)],
                          dtype=np.int64).reshape(-1, 2))
    links.append(np.array([(same_set_of[i], i) for i in range(count)
                           if same_set_of[i] not in (-1, i)], dtype=np.int64).reshape(-1, 2))
    components = cluster_pairs(count, np.concatenate(links))
    return Grouping(exact_of=tuple(exact_of), same_set_of=tuple(same_set_of), pairs=pairs,
                    similarities=similarities, contained=contained,
                    containments=containments.astype(np.float64), components=components,
                    refused=np.array(refusals.pairs, dtype=np.int64).reshape(-1, 2),
                    refused_reasons=tuple(refusals.reasons))


def links_of(grouping: Grouping) -> Links:
    """Return a grouping's links in the form :mod:`dedup.near.keep` reads."""
    count = len(grouping.exact_of)
    return Links(
        exact=tuple((i, grouping.exact_of[i]) for i in range(count)
                    if grouping.exact_of[i] not in (-1, i)),
        same_set=tuple((i, grouping.same_set_of[i]) for i in range(count)
                       if grouping.same_set_of[i] not in (-1, i)),
        pairs=tuple((i, j, s) for (i, j), s in zip(grouping.pairs.tolist(),
                                                   grouping.similarities.tolist(), strict=True)),
        contained=tuple((i, j, s) for (i, j), s in zip(grouping.contained.tolist(),
                                                       grouping.containments.tolist(),
                                                       strict=True)),
    )
