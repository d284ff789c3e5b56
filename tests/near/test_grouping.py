"""group_documents: the pure grouping every engine calls."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.near.config import DedupConfig
from dedup.near.decision import match_evidence_batch
from dedup.near.exact import content_digest
from dedup.near.grouping import group_documents, set_digest
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


def _grouping_fields(grouping):  # type: ignore[no-untyped-def]
    return (grouping.exact_of, grouping.same_set_of, grouping.pairs.tolist(),
            grouping.similarities.tolist(), grouping.components, grouping.refused.tolist(),
            grouping.refused_reasons)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([STORY, STORY.upper(), STORY.replace("Tuesday", "Monday"),
                                 STORY.replace("spring months", "spring season 2024"),
                                 "Heavy rain flooded roads across the north overnight.", "",
                                 "Rates rose 5 pct. " + STORY]), max_size=12))
def test_precomputed_digests_group_as_the_shingle_sets_do(texts: list[str]) -> None:
    # deduplicate passes set and input digests so that shingles stay on disk; the
    # grouping must be exactly the one computed from the shingle sets themselves.
    config = DedupConfig()
    sets = shingle_hashes_batch(texts, config)
    evidence = match_evidence_batch(texts, sets, config)
    digests = [content_digest(t) for t in texts]
    empty = [not t.strip() for t in texts]
    matrix = signatures(sets, config)
    reference = group_documents(digests, sets, matrix, config, is_empty=empty, evidence=evidence)
    precomputed = group_documents(
        digests, sets, matrix, config, is_empty=empty, evidence=evidence,
        set_digests=[set_digest(s) if s.size else b"" for s in sets],
        input_digests=[e.input_digest for e in evidence])
    assert _grouping_fields(precomputed) == _grouping_fields(reference)
