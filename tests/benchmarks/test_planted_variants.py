"""The variant makers, the choice of originals and the scoring of the planted benchmark.

On a small made-up story, never on the corpora.
"""

from __future__ import annotations

import random
import re

import ftfy
import pytest
from benchmarks.planted import Fate, PlantedDoc, plant, score
from benchmarks.planted_chrome import wrap_in_chrome
from benchmarks.planted_variants import (
    KINDS,
    change_numbers,
    choose_originals,
    drop_sentence,
    edit,
    jaccard,
    mojibake,
    reflow,
    typographic,
    word_grams,
    words,
)
from benchmarks.stability import CHROME

# Made up, in the Reuters shape: a title, a blank line, hard-wrapped paragraphs
# whose first line is indented; figures, an apostrophe, quotes, an accent, a dash.
STORY = (
    "HILLTOP DAIRY TO OPEN SECOND CREAMERY\n"
    "\n"
    "    Hilltop Dairy Co said it will open a second creamery in\n"
    "Marlow Vale next spring, adding 140 jobs to the 310 it has at\n"
    "its first plant.\n"
    "    The company's chairman, Renée Okafor, said demand for its\n"
    "cheeses had grown faster than the old plant could follow. \"We\n"
    "turned orders away last winter,\" she said.\n"
    "    Building work starts in June and will cost about 18 mln\n"
    "dlrs, paid from earnings and a bank loan - the company has no\n"
    "other debt.\n"
    "    Dairy farmers in the valley welcomed the plan. A spokesman for\n"
    "their cooperative said the new creamery would buy milk from 25\n"
    "more farms and that prices paid at the farm gate should hold\n"
    "steady through the year.\n"
    "    Hilltop also said its first-quarter sales rose 12 pct to 41\n"
    "mln dlrs, helped by a new line of soft cheeses sold in the\n"
    "north of the country, and it kept its forecast for the year.\n"
    "    The shares closed unchanged at 23 dlrs.\n"
)
TEXT = typographic(STORY)
SEEDS = range(12)


def story_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_word_grams_count_digits_and_jaccard_is_exact() -> None:
    a = word_grams("One two three four five six, in 1987.")
    b = word_grams("one two three four five SIX in 1988")
    assert "five six in 1987 one" not in a
    assert "three four five six in" in a
    assert len(a) == 4
    assert jaccard(a, b) == pytest.approx(3 / 5)
    assert word_grams("too short") == frozenset({"too short"})


def test_typographic_keeps_the_words_and_adds_non_ascii() -> None:
    assert words(TEXT) == words(STORY)
    assert "company’s" in TEXT
    assert "loan – the" in TEXT
    assert typographic("Plain words, no marks") == "Plain words – no marks"
    assert not typographic("plain words").isascii()


def test_choose_originals_keeps_stories_below_half_jaccard() -> None:
    base = [f"word{i}" for i in range(40)]
    near = [*base[:39], "changed"]
    other = [f"other{i}" for i in range(40)]
    half = base[:20] + other[:20]  # shares 16 of 36 + 36 - 16 grams with base: 0.29
    stories = [("a", " ".join(base)), ("a-copy", " ".join(near)), ("b", " ".join(other)),
               ("mix", " ".join(half)), ("short", "only a few words here")]
    chosen, highest = choose_originals(stories, 10, rng=random.Random(3), min_words=30)
    ids = {story_id for story_id, _ in chosen}
    assert len(ids & {"a", "a-copy"}) == 1
    assert {"b", "mix"} <= ids
    assert "short" not in ids
    grams = [word_grams(text) for _, text in chosen]
    pairs = [jaccard(x, y) for i, x in enumerate(grams) for y in grams[i + 1:]]
    assert max(pairs) < 0.5
    assert highest == pytest.approx(max(pairs))
    assert len(choose_originals(stories, 1, rng=random.Random(3), min_words=30)[0]) == 1


@pytest.mark.parametrize("seed", SEEDS)
def test_chrome_wraps_the_story_intact_in_unseen_chrome(seed: int) -> None:
    variant = wrap_in_chrome(TEXT, random.Random(seed))
    assert TEXT.strip("\n") in variant
    above, below = variant.split(TEXT.strip("\n"))
    assert len(story_lines(above)) >= 2
    assert len(story_lines(below)) >= 4
    tuned = {line.casefold() for lines in CHROME.values() for part in lines for line in part}
    assert not ({line.casefold() for line in story_lines(above + below)} & tuned)
    assert variant == wrap_in_chrome(TEXT, random.Random(seed))


def test_chrome_varies_between_variants() -> None:
    variants = {wrap_in_chrome(TEXT, random.Random(seed)) for seed in SEEDS}
    assert len(variants) == len(SEEDS)


@pytest.mark.parametrize("seed", SEEDS)
def test_reflow_moves_line_breaks_and_keeps_the_words(seed: int) -> None:
    variant = reflow(TEXT, random.Random(seed))
    assert variant.split() == TEXT.split()
    assert variant.splitlines() != TEXT.splitlines()


def test_reflow_changes_a_text_already_one_paragraph_a_line() -> None:
    text = "A title\n\n" + " ".join(["A long paragraph of words."] * 8) + "\n\nEnd line.\n"
    for seed in SEEDS:
        variant = reflow(text, random.Random(seed))
        assert variant.split() == text.split()
        assert variant.strip() != text.strip()


@pytest.mark.parametrize("seed", SEEDS)
def test_mojibake_is_what_ftfy_repairs(seed: int) -> None:
    variant = mojibake(TEXT, random.Random(seed))
    assert variant is not None
    assert "Ã©" in variant  # é read byte by byte
    assert ftfy.fix_text(variant) == ftfy.fix_text(TEXT)
    assert mojibake("plain ascii", random.Random(seed)) is None


def test_drop_sentence_drops_one_middle_sentence() -> None:
    for seed in SEEDS:
        dropped = drop_sentence(TEXT, random.Random(seed))
        assert dropped is not None
        lost = len(words(TEXT)) - len(words(dropped))
        assert 4 <= lost <= 0.2 * len(words(TEXT))
        assert dropped.startswith("HILLTOP DAIRY TO OPEN SECOND CREAMERY\n\n    Hilltop Dairy Co")
        assert dropped.rstrip().endswith("The shares closed unchanged at 23 dlrs.")
    assert drop_sentence("One sentence. Two sentences.", random.Random(1)) is None
    table = "PRICES TODAY. Quotes follow. " + " - ".join(f"item {i} at {i} cts" for i in range(30))
    assert drop_sentence(table + ". Reuter.", random.Random(1)) is None  # no light edit there


@pytest.mark.parametrize("seed", SEEDS)
def test_edit_drops_a_sentence_and_replaces_one_percent_of_words(seed: int) -> None:
    vocabulary = ["zebra", "quartz", "violin"]
    variant = edit(TEXT, random.Random(seed), vocabulary)
    dropped = drop_sentence(TEXT, random.Random(seed))  # edit draws the sentence first
    assert variant is not None
    assert dropped is not None
    before, after = words(dropped), words(variant)
    assert len(before) == len(after)
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert len(changed) == max(1, round(0.01 * len(before)))
    assert all(new in vocabulary for _, new in changed)


@pytest.mark.parametrize("seed", SEEDS)
def test_change_numbers_changes_figures_only(seed: int) -> None:
    variant = change_numbers(TEXT, random.Random(seed))
    assert variant is not None
    assert re.sub(r"\d+", "#", variant) == re.sub(r"\d+", "#", TEXT)
    old, new = re.findall(r"\d+", TEXT), re.findall(r"\d+", variant)
    assert [len(f) for f in old] == [len(f) for f in new]
    assert sum(a != b for a, b in zip(old, new, strict=True)) >= 3
    assert change_numbers("Only 2 figures, 3 here.", random.Random(seed)) is None


def test_plant_shuffles_and_hides_the_origin() -> None:
    originals = [("s1", STORY), ("s2", STORY.replace("Hilltop", "Lakeside").replace("dairy",
                                                                                    "bakery"))]
    docs = plant(originals, seed=5, label="test")
    assert docs == plant(originals, seed=5, label="test")
    assert [d.id for d in docs] == [f"doc-{i:05d}" for i in range(len(docs))]
    assert sorted(d.kind for d in docs if d.story == 0) == sorted(["original", *KINDS])
    assert [d.kind for d in docs][:6] != ["original", *KINDS]
    assert {d.source for d in docs} == {"s1", "s2"}


def _doc(doc_id: str, story: int, kind: str) -> PlantedDoc:
    return PlantedDoc(id=doc_id, text="", story=story, kind=kind, source=f"s{story}")


def test_score_counts_recall_wrong_merges_and_cross_story_links() -> None:
    docs = [_doc("o0", 0, "original"), _doc("c0", 0, "chrome"), _doc("n0", 0, "numbers"),
            _doc("o1", 1, "original"), _doc("c1", 1, "chrome"), _doc("e1", 1, "edited")]
    fates = {"o0": Fate(status="kept"),
             "c0": Fate(status="duplicate", duplicate_of="o0", similarity=0.9),
             "n0": Fate(status="duplicate", duplicate_of="o0", similarity=1.0),
             "o1": Fate(status="kept"),
             "c1": Fate(status="kept"),
             "e1": Fate(status="duplicate", duplicate_of="c0", similarity=0.85)}
    scores = score(docs, fates, {"c0": 0.9, "n0": 1.0, "c1": 0.7, "e1": 0.6})
    rows = {row.kind: row for row in scores.rows}
    assert (rows["chrome"].variants, rows["chrome"].merged, rows["chrome"].recall) == (2, 1, 0.5)
    assert rows["chrome"].missed == ("c1",)
    assert rows["chrome"].wrong == 1  # c0's cluster took in e1, of story 1
    assert rows["chrome"].found_similarity == (0.9,)
    assert rows["numbers"].merged == 1
    assert rows["numbers"].missed == ("n0",)  # for numbers, a merge is the failure
    assert rows["edited"].merged == 0
    assert scores.cross_story_links == 1
    assert scores.original_pairs == 0
    failed = [floor for floor, ok in scores.verdicts() if not ok]
    assert len(failed) == 4  # chrome and edited recall, numbers merged, the cross-story link


def test_score_passes_when_only_copies_are_merged() -> None:
    docs = [_doc("o0", 0, "original"), _doc("r0", 0, "reflowed"), _doc("n0", 0, "numbers"),
            _doc("o1", 1, "original"), _doc("r1", 1, "reflowed")]
    fates = {"o0": Fate(status="duplicate", duplicate_of="r0", similarity=0.95),
             "r0": Fate(status="kept"), "n0": Fate(status="kept"),
             "o1": Fate(status="kept"),
             "r1": Fate(status="duplicate", duplicate_of="o1", similarity=1.0)}
    scores = score(docs, fates, {"r0": 0.5, "n0": 1.0, "r1": 1.0})
    assert all(ok for _, ok in scores.verdicts())
    rows = {row.kind: row for row in scores.rows}
    assert rows["reflowed"].found_similarity == (0.95, 1.0)  # the engine's own figure
    merged_originals = {"o0": Fate(status="kept"), "o1": Fate(status="duplicate",
                                                              duplicate_of="o0")}
    assert score(docs[::3], merged_originals, {}).original_pairs == 1
