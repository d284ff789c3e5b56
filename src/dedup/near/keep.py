"""The keep decision: from verified links between documents to who is kept and why.

Every engine finds the same links (exact copies, identical shingle sets,
verified near pairs, containments) and hands them here; what is kept follows
from the links alone, so it is the same in every engine. Documents are named
by a number that orders them as the input does (the local engine's position,
the corpus job's ordinal): "first" always means the smallest number.

The steps:

1. :func:`cluster_links`: connected components of all the links.
2. :func:`representatives`: each component keeps the member
   :func:`~dedup.near.cluster.choose_representative` picks.
3. :func:`best_matches`: for each member, the link that ties it most strongly
   to the cluster (``matched``; union-find can chain A~B~C).
4. :func:`member_link`: how similar each member is to its kept document
   (computed where the shingles are: in memory, or by a join on Spark), and
   :func:`settle`: members stating other figures than the kept document leave
   its cluster and are clustered again among themselves.
5. :func:`assemble`: the :class:`~dedup.near.result.Duplicate` records and
   the clusters.

Added in 0.2.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from dedup.near.cluster import (
    Component,
    choose_representative,
    components_of,
    containment,
    jaccard,
)
from dedup.near.config import DedupConfig, MemberInfo
from dedup.near.result import Cluster, Duplicate, DuplicateKind, SharedPassage
from dedup.near.shingling import ShingleArray

__all__ = [
    "Decision",
    "Links",
    "Scorer",
    "assemble",
    "best_matches",
    "cluster_links",
    "member_link",
    "representatives",
    "settle",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Links:
    """Everything that ties documents together, by document number.

    Attributes:
        exact: ``(copy, head)``: the copy has the same cleaned text as the
            head, the first document with it.
        same_set: ``(member, head)``: the member (an exact head) has the same
            shingle set as the head.
        pairs: verified near pairs ``(i, j, similarity)``, ``i < j``, sorted.
        contained: ``(part, whole, containment)`` in the order they were found
            (by part, then by whole).
    """

    exact: tuple[tuple[int, int], ...] = ()
    same_set: tuple[tuple[int, int], ...] = ()
    pairs: tuple[tuple[int, int, float], ...] = ()
    contained: tuple[tuple[int, int, float], ...] = ()

    def edges(self) -> Iterable[tuple[int, int]]:
        """Every link as an undirected edge."""
        yield from ((i, j) for i, j, _ in self.pairs)
        yield from ((i, j) for i, j, _ in self.contained)
        yield from self.exact
        yield from self.same_set


def cluster_links(links: Links) -> tuple[Component, ...]:
    """Return the connected components of the links, ordered by first member.

    >>> [c.members for c in cluster_links(Links(pairs=((4, 9, 0.9), (1, 4, 0.8)),
    ...                                         exact=((7, 2),)))]
    [(1, 4, 9), (2, 7)]
    """
    return components_of(links.edges())


def representatives(components: Sequence[Component], info: Mapping[int, MemberInfo],
                    config: DedupConfig) -> tuple[int, ...]:
    """Return the kept member of each component (its document number)."""
    return tuple(choose_representative([info[m] for m in c.members], config).position
                 for c in components)


Match = tuple[float, int, DuplicateKind]


def best_matches(links: Links, cluster_of: Mapping[int, int] | None = None,
                 ) -> dict[int, Match]:
    """Return, per linked document, its strongest link ``(similarity, other, kind)``.

    Ties go to the link offered first: near pairs, containments, identical
    sets, then exact copies, which override (a copy is matched to its head).
    With ``cluster_of`` (document -> cluster number), only links inside a
    cluster count.
    """
    best: dict[int, Match] = {}

    def offer(item: int, other: int, similarity: float, kind: DuplicateKind) -> None:
        if cluster_of is not None and cluster_of.get(item) != cluster_of.get(other):
            return
        current = best.get(item)
        if current is None or similarity > current[0]:
            best[item] = (similarity, other, kind)

    for left, right, similarity in links.pairs:
        offer(left, right, similarity, "near")
        offer(right, left, similarity, "near")
    for part, whole, score in links.contained:
        offer(part, whole, score, "containment")
        offer(whole, part, score, "containment")
    for item, head in sorted(links.same_set):
        offer(item, head, 1.0, "near")
        offer(head, item, 1.0, "near")
    for item, head in sorted(links.exact):
        if cluster_of is None or cluster_of.get(item) == cluster_of.get(head):
            best[item] = (1.0, head, "exact")
        offer(head, item, 1.0, "exact")
    return best


#: Scores ``(member, kept)`` pairs where the shingles are: :func:`member_link` of each,
#: and the members whose figures conflict with their kept document's.
Scorer = Callable[[Sequence[tuple[int, int]]],
                  tuple[Mapping[tuple[int, int], tuple[float, DuplicateKind]], frozenset[int]]]


def settle(components: Sequence[Component], links: Links, infos: Mapping[int, MemberInfo],
           exact_head: Mapping[int, int], config: DedupConfig, score: Scorer,
           ) -> tuple[tuple[Component, ...], tuple[int, ...],
                      dict[tuple[int, int], tuple[float, DuplicateKind]]]:
    """Choose each cluster's kept member; split off members that state other figures.

    A chain can join a report whose figures differ from the kept document's
    (A ~ B ~ C, B stating none of them). Such members leave the cluster;
    among themselves they form clusters again by the links between them, which
    are settled the same way, until no member conflicts with its kept document.
    Returns the clusters ordered by first member, their kept members, and the
    member-to-kept links ``score`` found.
    """
    edges = tuple(links.edges())
    pending = tuple(components)
    settled: list[tuple[Component, int]] = []
    scored: dict[tuple[int, int], tuple[float, DuplicateKind]] = {}
    while pending:
        keeps = representatives(pending, infos, config)
        found, apart = score(pairs_to_score(pending, keeps, exact_head))
        scored.update(found)
        gone: set[int] = set()
        for component, keep in zip(pending, keeps, strict=True):
            staying = tuple(m for m in component.members if m not in apart)
            if len(staying) > 1:
                settled.append((Component(members=staying), keep))
            gone.update(m for m in component.members if m in apart)
        pending = components_of((a, b) for a, b in edges if a in gone and b in gone)
    settled.sort(key=lambda item: item[0].members[0])
    return (tuple(c for c, _ in settled), tuple(k for _, k in settled), scored)


def member_link(member: ShingleArray, kept: ShingleArray, *, same_text: bool,
                config: DedupConfig) -> tuple[float, DuplicateKind]:
    """Return how similar a member is to its cluster's kept document, and the kind of link.

    ``same_text``: the two are exact copies. A shorter member below the
    threshold whose shingles are at least ``config.containment`` contained in
    the kept document is a containment.

    >>> import numpy as np
    >>> a, b = np.array([1, 2], dtype=np.uint64), np.array([1, 2, 3, 4, 5], dtype=np.uint64)
    >>> member_link(a, b, same_text=False, config=DedupConfig(containment=0.9))
    (1.0, 'containment')
    """
    if same_text:
        return 1.0, "exact"
    similarity = jaccard(member, kept)
    if config.containment is not None and member.size < kept.size:
        contained = containment(member, kept)
        if similarity < config.threshold and contained >= config.containment:
            return contained, "containment"
    return similarity, "near"


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """Who is dropped, and the clusters, by document id."""

    duplicates: tuple[Duplicate, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    dropped: frozenset[int] = field(default_factory=frozenset)


def assemble(components: Sequence[Component], keeps: Sequence[int], links: Links, *,
             ids: Mapping[int, str], exact_head: Mapping[int, int],
             links_to_kept: Mapping[tuple[int, int], tuple[float, DuplicateKind]],
             passages: Callable[[int, int], tuple[SharedPassage, ...]] | None = None,
             ) -> Decision:
    """Turn settled clusters, their kept members and the member-to-kept links into records.

    ``components`` and ``keeps`` come from :func:`settle`; ``exact_head``
    maps each document of a component to the head of its exact copies (itself
    when it has none); ``links_to_kept`` holds :func:`member_link` of every
    ``(member, kept)`` pair whose texts differ. A member's ``matched`` is its
    strongest link inside its cluster.
    """
    cluster_of = {m: number for number, c in enumerate(components) for m in c.members}
    best = best_matches(links, cluster_of)
    dropped: dict[int, Duplicate] = {}
    clusters: list[Cluster] = []
    for component, keep in zip(components, keeps, strict=True):
        similarities: list[float] = []
        members = component.members
        for member in members:
            kind: DuplicateKind
            if member == keep or exact_head[member] == exact_head[keep]:
                similarity, kind = 1.0, "exact"
            else:
                similarity, kind = links_to_kept[(member, keep)]
            similarities.append(similarity)
            if member == keep:
                continue
            matched_similarity, matched, _ = best.get(member, (similarity, keep, kind))
            if kind == "exact":
                matched, matched_similarity = keep, 1.0
            dropped[member] = Duplicate(
                id=ids[member], duplicate_of=ids[keep], similarity=similarity, kind=kind,
                matched=ids[matched], matched_similarity=matched_similarity,
                passages=passages(member, keep) if passages is not None else ())
        clusters.append(Cluster(representative=ids[keep],
                                members=tuple(ids[m] for m in members),
                                similarities=tuple(similarities)))
    return Decision(duplicates=tuple(dropped[i] for i in sorted(dropped)),
                    clusters=tuple(clusters), dropped=frozenset(dropped))


def pairs_to_score(components: Sequence[Component], keeps: Sequence[int],
                   exact_head: Mapping[int, int]) -> tuple[tuple[int, int], ...]:
    """Return the ``(member, kept)`` pairs whose similarity :func:`assemble` needs."""
    return tuple((member, keep) for component, keep in zip(components, keeps, strict=True)
                 for member in component.members
                 if member != keep and exact_head[member] != exact_head[keep])
