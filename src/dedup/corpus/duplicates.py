"""Exact and near duplicates among the cleaned documents of a run.

The pipeline hands over ``(id, text)`` pairs in input order (texts already
cleaned, cross-document boilerplate removed), or ``(id, text, input)`` triples
with the normalized text each was cleaned from, so that a document the
cleaning cut down is also compared on its input; and gets back, for every
duplicate, the document it duplicates and the similarity; plus the clusters,
each led by its kept representative. The work is :func:`dedup.deduplicate`'s
(MinHash LSH verified by exact Jaccard, exact copies by content digest); this
module only shapes its result for the manifest and the report.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from dedup.corpus.dedupe import deduplicate
from dedup.corpus.progress import Progress
from dedup.near.config import DedupConfig
from dedup.near.result import DedupResult, Duplicate

__all__ = ["Cluster", "DuplicateFindings", "find_duplicates", "findings_of"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Cluster:
    """A kept representative and the documents that duplicate it, with similarities."""

    representative: str
    members: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class DuplicateFindings:
    """Every duplicate's record (what it duplicates, how, how similar), and the clusters.

    ``similarity_measure`` says what the similarities were computed on.
    """

    duplicates: dict[str, Duplicate] = field(default_factory=dict)
    clusters: tuple[Cluster, ...] = ()
    similarity_measure: str = ""


def findings_of(result: DedupResult) -> DuplicateFindings:
    """Shape a :class:`~dedup.near.result.DedupResult` for the manifest and the report."""
    clusters = tuple(
        Cluster(representative=cluster.representative,
                members=tuple((member, similarity) for member, similarity
                              in zip(cluster.members, cluster.similarities, strict=True)
                              if member != cluster.representative))
        for cluster in result.clusters)
    # The corpus job hands over cleaned texts: its similarities are of the cleaned text.
    return DuplicateFindings(duplicates=result.duplicate_map(), clusters=clusters,
                             similarity_measure=result.config.measure_of(cleaned=True))


def find_duplicates(documents: Iterable[tuple[str, str]] | Iterable[tuple[str, str, str]], *,
                    config: DedupConfig, passages: bool = False,
                    progress: Progress = False) -> DuplicateFindings:
    """Group documents that are copies or near-copies; the representative is kept.

    A document may come with a third item, the text it was cleaned from (its
    normalized input), for the rule on documents cleaning reduced. One
    process: fingerprinting is a small share of a run, and the run's workers
    have finished by then. ``progress`` is :func:`dedup.deduplicate`'s.

    >>> found = find_duplicates([("a", "Same text."), ("b", "Other."), ("c", "Same text.")],
    ...                         config=DedupConfig())
    >>> {k: (d.duplicate_of, d.similarity) for k, d in found.duplicates.items()}
    {'c': ('a', 1.0)}
    """
    def records() -> Iterator[dict[str, str]]:
        for document in documents:
            record = {"id": document[0], "text": document[1]}
            if len(document) > 2:
                record["input"] = document[2]
            yield record

    return findings_of(deduplicate(records(), config=config, clean=False, explain=passages,
                                   input_field="input", progress=progress))
