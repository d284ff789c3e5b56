"""The layouts and scoring of benchmarks/stability.py, on a small made-up story."""

from __future__ import annotations

import random
import re

import pytest
from benchmarks.stability import (
    CHROME,
    LAYOUTS,
    Doc,
    paragraphs,
    score_variant,
    shingle_jaccard,
)

from dedup import CleanResult, Removal

# Made up, in the Reuters shape: a title, a blank line, hard-wrapped paragraphs
# whose first line is indented.
STORY = (
    "LAKE FERRY TO RESUME SAILINGS\n"
    "\n"
    "    The lake ferry between Northport and\n"
    "Southbay will resume sailings on Monday after\n"
    "a two-week repair, the operator said.\n"
    "    Tickets bought for the cancelled days remain\n"
    "valid until the end of the month.\n"
)


def rng(name: str = "test") -> random.Random:
    return random.Random(name)


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def test_paragraphs_start_at_blank_lines_and_indented_lines() -> None:
    blocks = paragraphs(STORY)
    assert [len(block) for block in blocks] == [1, 2]
    indent, lines = blocks[1][1]
    assert indent == "    "
    assert lines == ["Tickets bought for the cancelled days remain",
                     "valid until the end of the month."]


def test_unwrap_gives_one_line_per_paragraph() -> None:
    unwrapped = LAYOUTS["unwrapped"](STORY, rng())
    assert unwrapped.split("\n") == [
        "LAKE FERRY TO RESUME SAILINGS",
        "",
        "    The lake ferry between Northport and Southbay will resume sailings on Monday after "
        "a two-week repair, the operator said.",
        "    Tickets bought for the cancelled days remain valid until the end of the month.",
    ]


@pytest.mark.parametrize("width", [40, 60, 80, 100])
def test_unwrap_then_rewrap_keeps_words_and_width(width: int) -> None:
    wrapped = LAYOUTS[f"wrap{width}"](LAYOUTS["unwrapped"](STORY, rng()), rng())
    assert tokens(wrapped) == tokens(STORY)
    assert all(len(line) <= width for line in wrapped.split("\n"))
    assert "\n\n" in wrapped


def test_join_one_turns_exactly_one_inner_line_break_into_a_space() -> None:
    joined = LAYOUTS["join_one"](STORY, rng())
    changed = [i for i, (a, b) in enumerate(zip(STORY, joined, strict=True)) if a != b]
    assert len(changed) == 1
    assert STORY[changed[0]] == "\n"
    assert joined[changed[0]] == " "
    # Only a break inside a paragraph: never before an indented line or a blank one.
    assert joined[changed[0] + 1] not in " \n"


def test_join_leaves_a_text_without_inner_breaks_alone() -> None:
    text = "Title\n\nFirst paragraph.\n\nSecond paragraph."
    assert LAYOUTS["join_one"](text, rng()) == text


def test_layouts_are_deterministic_given_the_seed() -> None:
    for layout in LAYOUTS.values():
        assert layout(STORY, rng("a")) == layout(STORY, rng("a"))


def test_whitespace_layouts() -> None:
    assert LAYOUTS["crlf"](STORY, rng()).split("\r\n") == STORY.split("\n")
    assert not re.search(r"^ ", LAYOUTS["no_indent"](STORY, rng()), re.MULTILINE)
    assert LAYOUTS["blank_after_line"](STORY, rng()).split("\n")[:3] == [
        "LAKE FERRY TO RESUME SAILINGS", "", ""]


@pytest.mark.parametrize(("layout", "separator"),
                         [("chrome_adjacent", "\n"), ("chrome_separated", "\n\n")])
def test_chrome_layouts_add_lines_of_one_language_above_and_below(layout: str,
                                                                  separator: str) -> None:
    variant = LAYOUTS[layout](STORY, rng())
    head, tail = variant.split(STORY.strip("\n"))
    assert head.endswith(separator)
    assert not head.endswith(separator + "\n")
    assert tail.startswith(separator)
    assert not tail.startswith(separator + "\n")
    above_lines = head.removesuffix(separator).split("\n")
    below_lines = tail.removeprefix(separator).split("\n")
    assert 3 <= len(above_lines) <= 6
    assert 3 <= len(below_lines) <= 6
    assert any(set(above_lines) <= set(top) and set(below_lines) <= set(bottom)
               for top, bottom in CHROME.values())


BLANK_STORY = ("HEADLINE\n\nFirst paragraph of the story.\n\nSecond paragraph.\n\n"
               "Third paragraph.\n\nFourth paragraph.")


#: The footer lines a box may hold: related-stories and share lines, never the legal ones.
BOX_LINES = frozenset(line for _, bottom in CHROME.values() for line in bottom[:3])


@pytest.mark.parametrize("story", [STORY, BLANK_STORY])
@pytest.mark.parametrize("seed", ["a", "b", "c", "d"])
def test_chrome_inline_sets_a_box_between_two_paragraphs_of_the_unwrapped_story(
        story: str, seed: str) -> None:
    variant = LAYOUTS["chrome_inline"](story, rng(seed))
    own = [line for line in LAYOUTS["unwrapped"](story, rng()).split("\n") if line.strip()]
    lines = [line for line in variant.split("\n") if line.strip()]
    # The story's lines in order; every added line is one language's chrome.
    assert [line for line in lines if line in own] == own
    assert any(set(lines) - set(own) <= set(top) | set(bottom) for top, bottom in CHROME.values())
    # The box: one or two lines between the first paragraph and the last.
    inside = lines[lines.index(own[1]) + 1:lines.index(own[-1])]
    box = [line for line in inside if line not in own]
    assert 1 <= len(box) <= 2
    assert set(box) <= BOX_LINES


def test_score_counts_kept_story_words_and_removed_chrome_lines() -> None:
    doc = Doc(corpus="test", id="t1", text="Title\n\nOne two three four five six.")
    variant = "Menu\nSign in\nSearch\n" + doc.text + "\nBack to top\nContact us\nPrivacy Policy"
    # A made-up result: the chrome above, " six." and the footer but "Contact us" removed.
    kept = "Title\n\nOne two three four five\nContact us"
    start = variant.index("Title")
    result = CleanResult(text=kept, normalized=variant, removals=(
        Removal(start=0, end=start, rule="boilerplate.navigation"),
        Removal(start=variant.index(" six."), end=variant.index("Contact us"),
                rule="boilerplate.low_content"),
        Removal(start=variant.index("\nPrivacy"), end=len(variant), rule="boilerplate.legal"),
    ))
    baseline = CleanResult(text=doc.text, normalized=doc.text)
    score = score_variant(doc, "chrome_adjacent", variant, result, baseline)
    assert score.kept == pytest.approx(6 / 7)
    assert score.lost == (("six", 1),)
    assert score.chrome_added == 6
    assert score.chrome_kept == ("contact us",)
    assert [(t.rule, t.words) for t in score.taken] == [("boilerplate.low_content", 1)]


def test_shingle_jaccard_ignores_layout_and_case() -> None:
    assert shingle_jaccard("a b c d e f", "A b\nc d  e f") == 1.0
    assert shingle_jaccard("a b c d e f", "a b c d e") == pytest.approx(1 / 2)
    assert shingle_jaccard("", "") == 1.0
