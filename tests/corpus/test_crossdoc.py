"""Cross-document boilerplate: units, counting, thresholds, removals."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.cleaning.fixtures import WIRE
from tests.corpus.synthetic import make_story
from tests.strategies import any_text, documents

import dedup
from dedup.cleaning.cleaner import apply_removals
from dedup.cleaning.segment import segment
from dedup.corpus import crossdoc
from dedup.corpus.crossdoc import (
    STORY_CAP,
    CrossDocConfig,
    LineStatistics,
    describe_document,
    find_cross_doc_removals,
    split_units,
    story_floor,
    unit_key,
)
from dedup.corpus.steps import RunConfig, clean_row
from dedup.document import InputRecord
from dedup.errors import ConfigError

WRAPPED = (
    "    The harvest was smaller than expected this year, the ministry\n"
    "said in a statement issued on Friday, citing the long drought and\n"
    "lower prices for growers in the northern provinces.\n"
    "    Officials said exports would fall by about a tenth, and the\n"
    "agency expects prices to recover only slowly during next spring\n"
    "said.\n"
    " Reuter\n"
)


def test_hard_wrapped_lines_are_glued_into_paragraphs() -> None:
    units = [WRAPPED[u.start:u.end] for u in split_units(WRAPPED)]

    assert len(units) == 3
    assert units[0].startswith("    The harvest")
    assert units[0].endswith("provinces.\n")
    assert units[1].endswith("spring\nsaid.\n")  # a fragment is never a unit of its own
    assert units[2] == " Reuter\n"


def test_short_web_lines_stay_separate() -> None:
    text = ("Skip to main content\nA long paragraph of article text that goes on well past the "
            "width of any hard-wrapped line, so this page is not wrapped text at all.\n"
            "Follow us\nShare this")
    assert [text[u.start:u.end].strip() for u in split_units(text)] == [
        "Skip to main content", text.splitlines()[1], "Follow us", "Share this"]


def test_keys_fold_case_space_and_punctuation_but_not_digits() -> None:
    assert unit_key("Reuter") == unit_key(" REUTER .")
    assert unit_key("Shr 10 cts") != unit_key("Shr 12 cts")
    assert unit_key("  ---  ") is None


def _learn(texts: list[tuple[str, str]], config: CrossDocConfig) -> LineStatistics:
    stats = LineStatistics()
    for ordinal, (source, text) in enumerate(texts):
        stats.add(describe_document(text, source=source, ordinal=ordinal, config=config))
    return stats


def test_threshold_needs_both_the_floor_and_the_share() -> None:
    config = CrossDocConfig(min_documents=10, min_share=0.05)
    texts = [("", f"Story {i} with its own words.\nTrailer line\n"
              + ("Rare sentence.\n" if i < 12 else "")) for i in range(300)]

    model = _learn(texts, config).learn(config)

    # "Rare sentence." is in 12 documents (>= 10) but only 4% of them (< 5%).
    assert list(model.frequent[""].values()) == [300]


def test_removals_map_to_whole_lines_with_their_evidence() -> None:
    config = CrossDocConfig()
    texts = [("site", f"Story {i}.\nFollow us on Twitter\nMore text {i}.") for i in range(20)]
    model = _learn(texts, config).learn(config)

    text = texts[4][1]
    removals = find_cross_doc_removals(text, source="site", ordinal=4, model=model, config=config)

    assert [(r.rule, text[r.start:r.end]) for r in removals] == [
        ("corpus.frequent_line", "Follow us on Twitter\n")]
    assert removals[0].detail == "line appears in 20 of 20 documents of source 'site'"
    assert apply_removals(text, removals) == "Story 4.\nMore text 4."
    assert find_cross_doc_removals(text, source="other", ordinal=4, model=model,
                                   config=config) == ()


def test_long_prose_is_never_frequent_line_boilerplate() -> None:
    config = CrossDocConfig(max_words=10)
    prose = "This long paragraph has more than ten words in it and so it is prose."
    texts = [("", f"Story {i}.\n{prose}") for i in range(30)]

    model = _learn(texts, config).learn(config)

    assert find_cross_doc_removals(texts[3][1], source="", ordinal=3, model=model,
                                   config=config) == ()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["Home", "Follow us", "News", "Story a.", "Story b."]),
                         min_size=1, max_size=5), min_size=1, max_size=30),
       st.integers(min_value=1, max_value=29))
def test_merging_statistics_in_any_split_gives_the_same_model(
        documents: list[list[str]], cut: int) -> None:
    config = CrossDocConfig(min_documents=2)
    texts = [("", "\n".join(lines)) for lines in documents]
    whole = _learn(texts, config).learn(config)
    left = _learn(texts[:cut], config)
    right = LineStatistics()
    for ordinal, (source, text) in enumerate(texts[cut:], start=min(cut, len(texts))):
        right.add(describe_document(text, source=source, ordinal=ordinal, config=config))
    right.merge(left)

    assert right.learn(config) == whole


@pytest.mark.parametrize("field", [{"min_documents": 1}, {"min_share": 1.5}, {"max_words": 0},
                                   {"paragraph_min_words": 0}])
def test_bad_config_values_are_refused(field: dict[str, float]) -> None:
    with pytest.raises(ConfigError):
        CrossDocConfig(**field)  # type: ignore[arg-type]


def test_units_are_the_paragraphs_clean_reads() -> None:
    # One definition of a paragraph: the corpus step counts the units clean() judges.
    for text in (WIRE, WIRE.replace("said\nthe International", "said the International"),
                 "Menu\nSign in\n\nTalks resume in Doha\n\nThe talks resumed on Monday.\n"):
        units = [text[u.start:u.end].rstrip("\n") for u in split_units(text)]
        assert units == [text[b.start:b.end] for b in segment(text).blocks]


# A wire story of short paragraphs, as agencies write them (our own text).
_WIRE_STORY = (
    "The port authority said on Monday that container traffic fell for a third month.",
    "Volumes at the northern terminal were down by about a fifth, it said.",
    "Shipping lines have moved some calls to the new deep-water berth further south.",
    "The authority expects traffic to recover once the dredging works end in spring.",
    "Dock workers' unions said they would meet the authority later this week.",
)


def _syndicated(copies: int, others: int) -> list[tuple[str, str]]:
    """``copies`` outlets' copies of one story (each its own header) among unrelated stories."""
    rng = random.Random(11)
    texts = [("", f"{name} News Desk\n" + "\n".join(_WIRE_STORY) + "\nFollow us on Twitter")
             for name in (f"Outlet {chr(65 + i)}" for i in range(copies))]
    texts += [("", make_story(rng).replace("\n\n", "\n") + "\nFollow us on Twitter")
              for _ in range(others)]
    rng.shuffle(texts)
    return texts


def test_copies_of_one_story_do_not_make_its_paragraphs_frequent() -> None:
    config = CrossDocConfig()
    texts = _syndicated(copies=20, others=30)

    model = _learn(texts, config).learn(config)

    # The trailer is under 50 stories; each paragraph of the wire story is in 20
    # documents (over the floor of 10) but under one story.
    assert set(model.frequent[""]) == {unit_key("Follow us on Twitter")}


def test_a_line_under_few_stories_needs_as_many_stories_as_the_floor() -> None:
    config = CrossDocConfig(min_documents=10)
    # 12 documents: 3 stories copied 4 times each, all with one footer line.
    texts = [("", f"{story} edition\n" + "\n".join(_WIRE_STORY[:2]) * (story + 1) + "\nFooter")
             for story in range(3) for _ in range(4)]

    assert _learn(texts, config).learn(config).frequent == {}
    assert story_floor(10) == 10
    assert story_floor(5000) == STORY_CAP


def test_syndicated_copies_keep_their_story_and_are_found_as_duplicates(tmp_path: Path) -> None:
    records = [{"id": f"r{n}", "text": text} for n, (_, text) in
               enumerate(_syndicated(copies=20, others=30))]

    dedup.run(records, out=tmp_path / "out", workers=1)

    manifest = [json.loads(line) for line in
                (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()]
    copies = [r for r in manifest if "News Desk" in records[int(r["id"][1:])]["text"]]
    kept = [r["id"] for r in copies if r["status"] == "kept"]
    assert len(kept) == 1
    assert sum(r["status"] == "duplicate" for r in copies) == 19
    documents = {json.loads(line)["id"]: json.loads(line)["text"] for line in
                 (tmp_path / "out" / "documents.jsonl").read_text().splitlines()}
    assert all(paragraph in documents[kept[0]] for paragraph in _WIRE_STORY)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(alphabet=st.characters(max_codepoint=127), max_size=200), any_text))
def test_folded_words_fast_path_equals_the_reference(text: str) -> None:
    assert crossdoc.folded_words(text) == crossdoc._reference_folded_words(text)


def test_unit_keys_hash_the_words_joined_as_first_defined() -> None:
    # Keys are kept in spill files and order the learnt model: the bytes path must not move them.
    for line in ("Reuter", " Shr 10 CTS vs 12 cts.", "ﬁve Straße", "東京 news"):
        words = crossdoc._reference_folded_words(line)
        expected = hashlib.blake2b(" ".join(w.decode() for w in words).encode("utf-8"),
                                   digest_size=8).digest()
        assert unit_key(line) == int.from_bytes(expected, "big")


@settings(max_examples=60, deadline=None)
@given(st.one_of(documents(), st.just(WRAPPED), st.just(WIRE)), st.booleans())
def test_clean_row_units_are_those_of_grouping_the_normalized_text_again(
        text: str, paragraphs: bool) -> None:
    config = RunConfig(cross_doc=CrossDocConfig(paragraphs=paragraphs))
    row = clean_row(0, InputRecord(id="a", text=text, location="a"), config)
    again = crossdoc.split_units_for(str(row["n"]), config.cross_doc)
    assert row["u"] == [[u.start, u.end, u.key, u.words] for u in again]
