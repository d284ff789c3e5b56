"""Invariants of clean(), checked by Hypothesis on scraped-looking and arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from tests.strategies import any_text, documents, paragraphs

import dedup
from dedup.cleaning.cleaner import apply_removals
from dedup.cleaning.normalize import normalize

# derandomize: CI runs the same examples every time, so a red run is a change of ours,
# not a new draw; exploration with more and random examples is done by hand
# (`--hypothesis-seed` and a larger max_examples), and what it finds is pinned below.
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(any_text)
def test_clean_never_raises_and_keeps_the_round_trip(text: str) -> None:
    result = dedup.clean(text)
    assert apply_removals(result.normalized, result.removals) == result.text
    position = 0
    for removal in result.removals:
        assert position <= removal.start < removal.end <= len(result.normalized)
        assert dedup.RULE_IDS.__contains__(removal.rule) or removal.rule.startswith("custom.")
        position = removal.end


@SETTINGS
@given(any_text)
# A run of copies once spanned a line a phrase rule had removed, and was dropped whole.
@example("The the the the the the.\nThe the the the the the. The the the the the the. The the "
         "the the the the.\nSkip to main content\nThe the the the the the.")
def test_clean_is_idempotent(text: str) -> None:
    once = dedup.clean(text).text
    twice = dedup.clean(once)
    assert twice.text == once
    assert twice.removals == ()


@SETTINGS
@given(st.lists(paragraphs(), min_size=1, max_size=8, unique=True))
def test_prose_with_nothing_to_remove_comes_back_normalized_only(lines: list[str]) -> None:
    # Distinct paragraphs with no shared 3-gram runs long enough to be copies.
    text = "\n\n".join(lines)
    result = dedup.clean(text)
    if any(r.rule.startswith("repeat.") for r in result.removals):
        return  # random paragraphs from a small vocabulary may genuinely repeat
    assert result.text == normalize(text).text


@SETTINGS
@given(paragraphs(), st.lists(paragraphs(), min_size=1, max_size=3), documents())
def test_the_first_copy_of_a_repeated_block_is_kept(block: str, middle: list[str],
                                                     tail: str) -> None:
    assume(len(block.split()) >= 8 and all(block not in other for other in middle))
    text = "\n\n".join([block, *middle, block, tail])
    # The line classifier may drop a short block outside the main text wherever
    # it stands; this property is about which copy the repeat step keeps.
    result = dedup.clean(text, config=dedup.CleanConfig(
        disabled_rules=frozenset({"boilerplate.low_content"})))
    kept_first = result.normalized.index(block)
    assert not any(r.start <= kept_first < r.end for r in result.removals)
    assert result.text.split("\n").count(block) == 1
    assert result.text.startswith(block)


@pytest.mark.xfail(strict=True, reason=(
    "known: the repeat step keeps a shortened copy restated between two kept blocks and "
    "removes one that closes the text; when the main-text model then removes the block "
    "after it, a second clean() finds the copy last and removes it"))
def test_a_teaser_whose_neighbour_goes_is_judged_the_same_the_second_time() -> None:
    text = ("000000000:E:E:E:00000000000000000000000000000000000:E:T0E:T0E:T:0000000:00\r"
            "T0E:T0E:T0E:T0E:T0E:T0E:T0E:T\r0000000000000000A   \rSKIP TO MAIN CONTENT\r:")
    once = dedup.clean(text).text
    assert dedup.clean(once).text == once


def test_non_str_input_names_the_type() -> None:
    import pytest

    for bad in (b"bytes", None, 3, ["a"]):
        with pytest.raises(TypeError, match=type(bad).__name__):
            dedup.clean(bad)  # type: ignore[arg-type]


def _rebreak(paragraph: str, breaks: list[bool]) -> str:
    """Put a line break instead of a space wherever ``breaks`` says so (cycling through it)."""
    words = paragraph.split(" ")
    pieces = [words[0]]
    for position, word in enumerate(words[1:]):
        pieces.append(("\n" if breaks[position % len(breaks)] else " ") + word)
    return "".join(pieces)


@SETTINGS
@given(st.lists(paragraphs(), min_size=1, max_size=5, unique=True),
       st.lists(st.booleans(), min_size=1, max_size=30), st.sampled_from(["\n", "\n\n"]))
def test_moving_line_breaks_inside_prose_never_removes_its_words(
        lines: list[str], breaks: list[bool], separator: str) -> None:
    # The paragraphs as web text (one per line) and the same words with their line
    # breaks moved: joined, split at spaces, anywhere. Only a repeat may remove words.
    plain = separator.join(lines)
    assume(not any(r.rule.startswith("repeat.") for r in dedup.clean(plain).removals))
    moved = separator.join(_rebreak(line, breaks) for line in lines)
    result = dedup.clean(moved)
    # The strategy's small vocabulary can make two line fragments word-for-word
    # copies ("The the"), which the repeat step rightly takes for copies; real
    # prose does not repeat itself line by line. This property is about
    # paragraphs and the main-text model.
    assume(not any(r.rule.startswith("repeat.") for r in result.removals))
    assert result.text.split() == normalize(moved).text.split()
