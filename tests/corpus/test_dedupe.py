"""deduplicate(): inputs, errors, policies, explanations and the Hypothesis properties."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup.document
from dedup import DedupConfig, DedupResult, clean, deduplicate
from dedup.errors import ConfigError, DuplicateIdError, InputError

BASE = ("The central bank raised its main interest rate by a quarter point on Tuesday, "
        "saying inflation had stayed above its target for longer than expected and that "
        "further increases could follow if prices kept rising through the spring months.")
LONGER = BASE + " Markets had expected the move, and the currency barely changed."
EDITED = BASE.replace("spring months", "spring season")
OTHER = ("Heavy rain flooded roads across the north of the country overnight, and the "
         "weather service warned that more storms were on the way for the weekend ahead.")


def dedupe_plain(docs: Any, **options: Any) -> DedupResult:
    """Deduplicate without cleaning: these tests are about grouping, not cleaning."""
    options.setdefault("clean", False)
    return deduplicate(docs, **options)


def ids_of(result: DedupResult) -> list[str]:
    return [*result.keep, *(d.id for d in result.duplicates), *result.empty]


def test_cleans_first_by_default() -> None:
    docs = [("a", BASE), ("b", "Home | News | Sport\n" + BASE), ("c", OTHER)]
    cleaned = [(doc_id, clean(text).text) for doc_id, text in docs]
    found, given = deduplicate(docs), deduplicate(cleaned, clean=False)
    assert replace(found, similarity_measure="") == replace(given, similarity_measure="")
    assert found.similarity_measure.endswith("; of the cleaned text")
    assert given.similarity_measure.endswith("; of the text as given")


def test_accepts_strings_pairs_and_mappings() -> None:
    assert dedupe_plain([BASE, BASE]).keep == ("0",)
    assert dedupe_plain([("a", BASE), ("b", BASE)]).keep == ("a",)
    result = dedupe_plain([{"id": "a", "body": BASE}, {"id": "b", "body": EDITED}],
                         text_field="body")
    assert result.keep == ("a",)
    (duplicate,) = result.duplicates
    assert duplicate.id == "b"
    assert duplicate.duplicate_of == "a"
    assert duplicate.kind == "near"
    assert 0.8 <= duplicate.similarity < 1.0


def test_every_input_is_accounted_for_once() -> None:
    docs = [("a", BASE), ("b", EDITED), ("c", OTHER), ("d", ""), ("e", BASE), ("f", "  ")]
    result = dedupe_plain(docs)
    assert sorted(ids_of(result)) == sorted(doc_id for doc_id, _ in docs)
    assert result.empty == ("d", "f")
    assert result.duplicate_map()["e"].kind == "exact"
    (cluster,) = result.clusters
    assert cluster.members == ("a", "b", "e")
    assert cluster.representative == "a"
    assert cluster.similarities[0] == 1.0


def test_empty_texts_cluster_only_when_asked() -> None:
    docs = [("a", ""), ("b", " "), ("c", "")]
    assert dedupe_plain(docs).empty == ("a", "b", "c")
    grouped = dedupe_plain(docs, config=DedupConfig(cluster_empty=True))
    assert grouped.keep == ("a",)
    assert {(d.id, d.duplicate_of, d.kind) for d in grouped.duplicates} == {
        ("b", "a", "exact"), ("c", "a", "exact")}


@pytest.mark.parametrize(("docs", "match"), [
    ([("a", BASE), ("a", OTHER)], "'a'"),
])
def test_repeated_id_names_the_id(docs: list[tuple[str, str]], match: str) -> None:
    with pytest.raises(DuplicateIdError, match=match):
        dedupe_plain(docs)


def test_bad_texts_name_the_id_or_are_recorded() -> None:
    with pytest.raises(InputError, match="'x'") as caught:
        dedupe_plain([("x", 42)])  # type: ignore[list-item]
    assert caught.value.document_id == "x"
    with pytest.raises(InputError, match="'y'"):
        dedupe_plain([{"id": "y"}])
    result = dedupe_plain([("ok", BASE), ("x", None), ("ok", OTHER)],  # type: ignore[list-item]
                         on_error="record")
    assert result.keep == ("ok",)
    assert [(r.location, r.id, r.reason) for r in result.rejections] == [
        ("position 1", "x", "missing_text"), ("position 2", "ok", "duplicate_id")]
    # one rejection record for readers and results
    assert all(isinstance(r, dedup.document.Rejection) for r in result.rejections)


def test_threshold_and_config_must_agree() -> None:
    with pytest.raises(ConfigError, match="disagrees"):
        dedupe_plain([BASE], threshold=0.5, config=DedupConfig(threshold=0.8))
    assert dedupe_plain([BASE], threshold=0.8, config=DedupConfig(threshold=0.8)).keep == ("0",)


def test_representative_policies() -> None:
    docs = [("short", BASE), ("long", LONGER)]
    config = DedupConfig(threshold=0.7)
    assert dedupe_plain(docs, config=config).keep == ("short",)
    longest = DedupConfig(threshold=0.7, representative="longest")
    assert dedupe_plain(docs, config=longest).keep == ("long",)
    by_key = DedupConfig(threshold=0.7, representative=lambda member: member.id != "long")
    assert dedupe_plain(docs, config=by_key).keep == ("long",)


def test_explanations_show_shared_passages() -> None:
    result = dedupe_plain([("a", BASE), ("b", EDITED)], explain=True)
    (duplicate,) = result.duplicates
    assert duplicate.passages
    for passage in duplicate.passages:
        assert passage.text == EDITED[passage.start:passage.end]
        assert passage.text.casefold() == BASE[passage.kept_start:passage.kept_end].casefold()


def test_containment_reports_an_excerpt_of_a_longer_document() -> None:
    long_story = " ".join([BASE, OTHER, BASE.replace("bank", "lender"), OTHER.upper()])
    docs = [("long", long_story), ("excerpt", BASE)]
    assert dedupe_plain(docs).keep == ("long", "excerpt")
    result = dedupe_plain(docs, config=DedupConfig(containment=0.9))
    (duplicate,) = result.duplicates
    assert (duplicate.id, duplicate.duplicate_of, duplicate.kind) == ("excerpt", "long",
                                                                      "containment")
    assert duplicate.similarity >= 0.9


def test_two_workers_give_identical_results() -> None:
    docs = [(f"d{i}", text) for i, text in enumerate([BASE, EDITED, OTHER, LONGER, BASE] * 3)]
    assert deduplicate(docs, workers=2, batch_size=4) == deduplicate(docs, batch_size=4)
    by_key = DedupConfig(representative=lambda member: -member.length)
    assert (dedupe_plain(docs, config=by_key, workers=2, batch_size=4)
            == dedupe_plain(docs, config=by_key, batch_size=4))


# ---------------------------------------------------------------- Hypothesis properties

SENTENCES = [BASE, OTHER, LONGER,
             "Shares in the carmaker fell after it cut its forecast for the year again.",
             "The football club confirmed the signing of a new striker on a three year deal.",
             "Scientists said the new telescope would begin observing distant galaxies soon."]


def variant(text: str, seed: int) -> str:
    rng = random.Random(seed)
    words = text.split()
    for _ in range(rng.randint(0, 3)):
        words[rng.randrange(len(words))] = rng.choice(["new", "old", "big", "small"])
    return " ".join(words)


corpora = st.lists(st.tuples(st.integers(0, len(SENTENCES) - 1), st.integers(0, 50)),
                   min_size=1, max_size=14).map(
    lambda picks: [(f"d{i}", variant(SENTENCES[s], seed) if seed % 3 else SENTENCES[s])
                   for i, (s, seed) in enumerate(picks)])


@settings(max_examples=25, deadline=None)
@given(corpora)
def test_clusters_partition_the_input(docs: list[tuple[str, str]]) -> None:
    result = dedupe_plain(docs)
    assert sorted(ids_of(result)) == sorted(doc_id for doc_id, _ in docs)
    members = [m for cluster in result.clusters for m in cluster.members]
    assert len(members) == len(set(members))
    for cluster in result.clusters:
        assert cluster.representative in result.keep
        for member in cluster.members:
            if member != cluster.representative:
                assert result.duplicate_map()[member].duplicate_of == cluster.representative


@settings(max_examples=25, deadline=None)
@given(corpora, st.randoms(use_true_random=False))
def test_shuffling_changes_only_first_seen_representatives(docs: list[tuple[str, str]],
                                                           rng: random.Random) -> None:
    shuffled = docs[:]
    rng.shuffle(shuffled)
    before, after = dedupe_plain(docs, clean=False), dedupe_plain(shuffled)
    assert ({frozenset(c.members) for c in before.clusters}
            == {frozenset(c.members) for c in after.clusters})
    # With an order-free policy, the kept documents do not change either.
    policy = DedupConfig(representative=lambda member: member.id)
    assert (set(dedupe_plain(docs, config=policy).keep)
            == set(dedupe_plain(shuffled, config=policy).keep))


@settings(max_examples=25, deadline=None)
@given(corpora, st.data())
def test_an_exact_copy_is_always_a_duplicate(docs: list[tuple[str, str]],
                                             data: st.DataObject) -> None:
    original_id, text = data.draw(st.sampled_from(docs))
    result = dedupe_plain([*docs, ("copy", text)])
    duplicate = result.duplicate_map()["copy"]
    assert duplicate.matched_similarity == 1.0
    (cluster,) = [c for c in result.clusters if "copy" in c.members]
    assert original_id in cluster.members
    if original_id in result.keep:
        assert duplicate.duplicate_of == original_id
        assert (duplicate.kind, duplicate.similarity) == ("exact", 1.0)
