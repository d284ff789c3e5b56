"""segment(): paragraphs from lines, decided locally: web lines, hard-wrapped paragraphs."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.cleaning.fixtures import WIRE

from dedup.cleaning.segment import _reference_local_widths, local_widths, segment


def test_web_text_is_one_block_per_line() -> None:
    text = ("Talks resume in Doha\n\nThe talks resumed on Monday, officials said.\n"
            "A second paragraph follows on the next line.\n\n\nShare this post")
    found = segment(text)
    assert [b.text for b in found.blocks] == [
        "Talks resume in Doha", "The talks resumed on Monday, officials said.",
        "A second paragraph follows on the next line.", "Share this post"]
    assert [(b.first_line, b.last_line) for b in found.blocks] == [(1, 1), (3, 3), (4, 4),
                                                                    (7, 7)]
    assert [b.index for b in found.blocks] == [0, 1, 2, 3]


def test_wire_story_paragraphs_span_their_lines() -> None:
    found = segment(WIRE)
    assert [(b.first_line, b.last_line) for b in found.blocks][:4] == [(1, 1), (2, 5), (6, 9),
                                                                      (10, 11)]


def test_wire_story_paragraphs_are_joined_whole() -> None:
    blocks = [b.text for b in segment(WIRE).blocks]
    assert blocks[0] == "COFFEE GROWERS SEE LOWER EXPORT QUOTAS"
    # The short, early-broken first line continues its paragraph.
    assert blocks[1].startswith("SAO PAULO, March 3 - Brazilian coffee growers said the "
                                "International Coffee Organization")
    assert blocks[1].endswith("on the New York futures market, trade sources said.")
    assert blocks[2] == (
        "The growers association said it expected the cut to be modest, between one and two "
        "mln bags, because stocks held by consumer countries were already low and roasters "
        "were buying less than a year ago at this time of the season.")
    assert blocks[3] == ("Export figures for the first two months of the year were, in "
                         "thousands of bags:")
    assert blocks[-2].endswith("The figures do not include shipments to countries outside "
                               "the quota system, which were estimated at about 300,000 bags.")


def test_table_rows_are_blocks_of_their_own_and_keep_their_text() -> None:
    rows = [b for b in segment(WIRE).blocks if any(c.isdigit() for c in b.text)
            and "SAO PAULO" not in b.text and "bags." not in b.text]
    assert [b.text for b in rows] == ["1987      1986", "January          1,210     1,405",
                                      "February         1,098     1,377"]
    assert [b.first_line for b in rows] == [12, 13, 14]


def test_rows_of_an_aligned_list_are_never_one_paragraph() -> None:
    # Full lines of words in a row would read as a wrapped paragraph; the padding that
    # starts the second column at the same place on each line says they are rows.
    rows = ["Cyril Holmberg          <cyril.holmberg@mail.example.org>",
            "Stephen Wrightson       <stephen.wrightson@mail.example.org>",
            "Diego Pettersen         <diego.pettersen@mail.example.org>",
            "",
            "--verbose\tprint every step as it runs, with the time it took",
            "--quiet\t\tprint nothing at all, not even the errors it meets"]
    blocks = segment("\n".join(rows)).blocks
    assert [b.text for b in blocks] == [row for row in rows if row]


def test_wire_trailer_is_its_own_block() -> None:
    last = segment(WIRE).blocks[-1]
    assert last.text == "Reuter"
    assert last.first_line == last.last_line == WIRE.count("\n")


def test_no_wire_block_mixes_prose_with_the_trailer() -> None:
    for block in segment(WIRE).blocks:
        if "Reuter" in block.text:
            assert block.text == "Reuter"


def test_an_indented_paragraph_after_a_table_is_its_own_block() -> None:
    for block in segment(WIRE).blocks:
        if "1,210" in block.text:
            assert "The figures do not include" not in block.text
            assert "growers association" not in block.text


def test_joined_block_spans_its_lines() -> None:
    block = segment(WIRE).blocks[1]
    assert (block.first_line, block.last_line) == (2, 5)
    assert block.lines == "lines 2-5"
    assert segment(WIRE).blocks[0].lines == "line 1"


@pytest.mark.parametrize("text", [
    "Home\nNews\nSport\n\nMinister visits Kabul\n\nThe minister arrived on Tuesday.\n",
    "One.\nTwo.\nThree.\nFour.\nFive.\nSix.",
    # Short web page with lines of similar length that end sentences.
    "The council met on Monday and approved the new budget.\n"
    "The mayor said the vote showed the city was united again.\n"
    "Opposition members said they would challenge the decision.\n"
    "A final vote on the remaining items is due next month.\n"
    "Residents can read the full budget on the council website.\n",
])
def test_short_web_pages_are_not_read_as_wrapped(text: str) -> None:
    found = segment(text)
    assert len(found.blocks) == sum(1 for line in text.split("\n") if line.strip())


@pytest.mark.parametrize("text", [WIRE, "Title\n\n  Indented line\n\n\nLast", "", "\n\n",
                                  "single"])
def test_block_offsets_index_the_text_exactly(text: str) -> None:
    lines = text.split("\n")
    for block in segment(text).blocks:
        span = text[block.start:block.end]
        assert span == "\n".join(lines[block.first_line - 1:block.last_line])
        assert " ".join(line.strip() for line in span.split("\n")) == block.text
        assert span.strip()
        assert span[0] != "\n"
        assert span[-1] != "\n"


def test_blocks_are_in_order_and_do_not_overlap() -> None:
    blocks = segment(WIRE).blocks
    for earlier, later in itertools.pairwise(blocks):
        assert earlier.end < later.start
        assert earlier.last_line < later.first_line


def test_words_are_case_folded_tokens() -> None:
    block = segment("Share THIS post, 2021!").blocks[0]
    assert block.words == ("share", "this", "post", "2021")


def test_empty_text_has_no_blocks() -> None:
    assert segment("").blocks == ()
    assert segment("  \n\t\n").blocks == ()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=200), max_size=40))
def test_local_widths_is_the_reference_count(widths: list[int]) -> None:
    assert local_widths(widths) == _reference_local_widths(widths)


def test_a_line_of_code_is_never_glued_to_the_sentence_above() -> None:
    text = "Erroneous code example:\nstruct Point {\n    x: i32,\n}\nfn main() {}"
    assert [block.text for block in segment(text).blocks][:2] == [
        "Erroneous code example:", "struct Point {"]
