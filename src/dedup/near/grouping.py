"""Group a corpus's documents: exact copies, identical shingle sets, verified near pairs.

The order of work is chosen so that the expensive steps see as little as
possible: exact copies are grouped by content digest; among the remaining
documents, identical shingle sets (copies that differ only in case,
punctuation or figures) are grouped by a digest of the set; only one document
per group enters LSH, whose candidates are verified by exact Jaccard.

Every link carries an exact similarity: copies 1.0, identical sets 1.0, and
verified pairs their Jaccard. Because members of a group have identical
shingle sets, a pair verified between two group heads holds with the same
similarity for every member of the two groups.

Building block (stable): :func:`group_documents`.

Added in 0.1.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dedup.near.cluster import Component, cluster_pairs, containment, verify_pairs
from dedup.near.config import DedupConfig
from dedup.near.decide import Links
from dedup.near.lsh import PairArray, band_keys, candidate_pairs
from dedup.near.minhash import to_lean_minhash
from dedup.near.shingling import ShingleArray

__all__ = ["Grouping", "containment_candidates", "group_documents", "links_of"]


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
    """

    exact_of: tuple[int, ...]
    same_set_of: tuple[int, ...]
    pairs: PairArray
    similarities: npt.NDArray[np.float64]
    contained: PairArray
    containments: npt.NDArray[np.float64]
    components: tuple[Component, ...]


def _set_digest(shingles: ShingleArray) -> bytes:
    return hashlib.blake2b(shingles.tobytes(), digest_size=16).digest()


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
                       signatures: npt.NDArray[np.uint32], config: DedupConfig,
                       ) -> tuple[PairArray, npt.NDArray[np.float64]]:
    """Find ``(part, whole)`` pairs by datasketch's LSH Ensemble, verified exactly."""
    threshold = config.containment if config.containment is not None else 1.0
    found: list[tuple[int, int]] = []
    scores: list[float] = []
    candidates = containment_candidates(heads, [int(shingle_sets[h].size) for h in heads],
                                        [signatures[h] for h in heads], config)
    for part, whole in candidates:
        score = containment(shingle_sets[part], shingle_sets[whole])
        if score >= threshold:
            found.append((part, whole))
            scores.append(score)
    return (np.array(found, dtype=np.int64).reshape(-1, 2),
            np.array(scores, dtype=np.float64))


def group_documents(digests: Sequence[bytes], shingle_sets: Sequence[ShingleArray],
                    signatures: npt.NDArray[np.uint32], config: DedupConfig, *,
                    is_empty: Sequence[bool]) -> Grouping:
    """Group documents given their content digests, shingle sets and signatures.

    Args:
        digests: :func:`dedup.near.exact.content_digest` of each cleaned text.
        shingle_sets: :func:`dedup.near.shingling.shingle_hashes` of each.
        signatures: :func:`dedup.near.minhash.signatures` of the shingle sets.
        config: threshold, banding, containment, ``cluster_empty``.
        is_empty: which documents are empty after cleaning; they group (as
            exact copies of each other) only with ``config.cluster_empty``.

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
    exact_of = [-1] * count
    first_by_digest: dict[bytes, int] = {}
    for index, digest in enumerate(digests):
        if is_empty[index]:
            if not config.cluster_empty:
                continue
            # Every empty text is a copy of every other, whatever its whitespace.
            digest = b""
        exact_of[index] = first_by_digest.setdefault(digest, index)
    same_set_of = [-1] * count
    first_by_set: dict[bytes, int] = {}
    for index in range(count):
        if exact_of[index] == index and shingle_sets[index].size:
            same_set_of[index] = first_by_set.setdefault(_set_digest(shingle_sets[index]), index)
    heads = [index for index in range(count) if same_set_of[index] == index]
    head_array = np.array(heads, dtype=np.int64)
    if len(heads) > 1:
        local = candidate_pairs(band_keys(signatures[head_array], config))
        pairs, similarities = verify_pairs(shingle_sets, head_array[local].reshape(-1, 2),
                                           config.threshold)
    else:
        pairs, similarities = np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.float64)
    if config.containment is not None and len(heads) > 1:
        contained, containments = _containment_pairs(heads, shingle_sets, signatures, config)
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
                    containments=containments.astype(np.float64), components=components)


def links_of(grouping: Grouping) -> Links:
    """Return a grouping's links in the form :mod:`dedup.near.decide` reads."""
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
