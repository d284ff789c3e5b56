"""group_documents: the pure grouping every engine calls."""

from __future__ import annotations

from dedup.near.config import DedupConfig
from dedup.near.exact import content_digest
from dedup.near.grouping import group_documents
from dedup.near.minhash import signatures
from dedup.near.shingling import shingle_hashes_batch

STORY = ("The central bank raised its main interest rate by a quarter point on Tuesday, "
         "saying inflation had stayed above its target for longer than expected and that "
         "further increases could follow if prices kept rising through the spring months.")


def group(texts: list[str], config: DedupConfig | None = None):  # type: ignore[no-untyped-def]
    config = config or DedupConfig()
    sets = shingle_hashes_batch(texts, config)
    return group_documents([content_digest(t) for t in texts], sets, signatures(sets, config),
                           config, is_empty=[not t.strip() for t in texts])


def test_copies_identical_sets_and_near_pairs_are_told_apart() -> None:
    texts = [STORY, STORY, STORY.upper(), STORY.replace("spring months", "spring season"),
             "Heavy rain flooded roads across the north of the country overnight again."]
    grouping = group(texts)
    assert grouping.exact_of[:2] == (0, 0)
    assert grouping.same_set_of[2] == 0  # only case differs: the same shingle set
    assert [tuple(p) for p in grouping.pairs.tolist()] == [(0, 3)]
    assert 0.8 <= float(grouping.similarities[0]) < 1.0
    assert [c.members for c in grouping.components] == [(0, 1, 2, 3)]


def test_empty_documents_stay_out_unless_asked() -> None:
    texts = ["", "  ", STORY]
    assert group(texts).components == ()
    grouped = group(texts, DedupConfig(cluster_empty=True))
    assert [c.members for c in grouped.components] == [(0, 1)]
