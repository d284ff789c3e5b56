"""Cross-document boilerplate: units, counting, thresholds, removals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.cleaning.fixtures import WIRE

from dedup.cleaning.cleaner import apply_removals
from dedup.cleaning.segment import segment
from dedup.corpus.crossdoc import (
    CrossDocConfig,
    LineStatistics,
    describe_document,
    find_cross_doc_removals,
    split_units,
    unit_key,
)
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
