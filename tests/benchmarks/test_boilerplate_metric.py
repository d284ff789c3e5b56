"""The benchmark's metric, re-implemented in benchmarks/boilerplate.py, on hand-computed cases."""

from __future__ import annotations

import pytest
from benchmarks.boilerplate import PageScore, aggregate, score_page, shingles, tokenize


def test_tokenize_keeps_case_and_splits_on_non_word_characters() -> None:
    assert tokenize("Hello, World! l'été 2021") == ["Hello", "World", "l", "été", "2021"]


def test_short_text_gives_one_short_shingle_and_empty_text_none() -> None:
    assert shingles(["a", "b"]) == {("a", "b"): 1}
    assert shingles([]) == {}


def test_repeated_text_costs_precision() -> None:
    gold = "one two three four five"
    score = score_page(gold, gold + "\n" + gold)
    # gold has 2 shingles; the doubled text 7: 2 TP, 5 FP (2 repeated, 3 across the join).
    assert score == PageScore(tp=2 / 7, fp=5 / 7, fn=0.0)
    assert score.recall == 1.0
    assert score.precision == pytest.approx(2 / 7)


def test_aggregate_averages_per_page_and_takes_f1_of_averages() -> None:
    perfect = score_page("a b c d e", "a b c d e")
    empty_prediction = score_page("a b c d e", "")
    result = aggregate([perfect, empty_prediction])
    # The empty prediction has TP+FP == 0, so it is left out of the precision average.
    assert result.precision == 1.0
    assert result.recall == 0.5
    assert result.f1 == pytest.approx(2 / 3)
