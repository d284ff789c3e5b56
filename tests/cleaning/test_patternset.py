"""The phrase-rule filters (first character, needles) never change which rule matches."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.cleaning import _needles as N
from dedup.cleaning._patternset import (
    _BACKREFERENCE,
    PatternSet,
    _anchor,
    _literal_search,
    _may_start,
)
from dedup.cleaning._text import fold_line
from dedup.cleaning.lexicon import _fold_key, _fold_spaces, _shipped_sources, build_phrasebook
from dedup.cleaning.segment import _has_words
from dedup.config import LANGUAGES, CustomRule

_PARTS = tuple(s.text for s in _shipped_sources(LANGUAGES) if s.kind == "regex")


def test_not_comparable_is_every_character_whose_lower_is_not_its_class_representative() -> None:
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    expected = {char for char in every
                if len(char.lower()) != 1 or char.lower() in N.CASE_CLASSES or char == "\u03a3"}
    assert set(N._NOT_COMPARABLE.findall(every)) == expected


def test_the_character_classes_the_filters_rely_on_are_the_str_predicates() -> None:
    # \d is str.isdecimal, [\W_] is "not str.isalnum", \s is str.isspace:
    # the first-character filter and the fast line key assume all three.
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert set(re.findall(r"\d", every)) == {char for char in every if char.isdecimal()}
    assert set(re.findall(r"[\W_]", every)) == {char for char in every if not char.isalnum()}
    assert set(re.findall(r"\s", every)) == {char for char in every if char.isspace()}


def test_case_classes_are_the_regex_engine_s_equivalences() -> None:
    casefix = pytest.importorskip("re._casefix")
    extra = {chr(k): {chr(v) for v in vs} for k, vs in casefix._EXTRA_CASES.items()}
    assert set(N.CASE_CLASSES) | set(N.CASE_CLASSES.values()) == set(extra)
    for char, equals in extra.items():
        representative = N.CASE_CLASSES.get(char, char)
        assert representative not in N.CASE_CLASSES
        assert all(N.CASE_CLASSES.get(other, other) == representative for other in equals)


def _pieces() -> list[str]:
    found = {"Share on", "Facebook", "All Rights Reserved", "\u00a9", "2024", "12", "(", ")", "[",
             ":", " ", "\u00a0", "-", "\u00bb", "|", "/", ".", "!", "_", "photo", "Getty Images",
             "\u0131", "\u0130", "\u017f", "\u03a3", "\u03c2", "\u212a", "\u1c80", "K", "I", "S",
             "\u0432", "\u0412", "\u0645", "x", "\u00e9", "\u00c9"}
    for part in _PARTS:
        found.update(N.required_literals(part) or ())
        first = N.first_characters(part)
        if first is not None:
            found.update(first.chars)
    return sorted(found)


_LINES = st.lists(st.sampled_from(_pieces()), min_size=1, max_size=8).map(
    lambda pieces: " ".join("".join(pieces).split()))


@settings(max_examples=400, deadline=None)
@given(_LINES)
def test_each_pattern_matches_only_lines_its_filters_let_through(line: str) -> None:
    lowered = N.comparable(line)
    for part in _PARTS:
        if lowered is None or not line or re.fullmatch(part, line, re.IGNORECASE) is None:
            continue
        assert _may_start(N.first_characters(part), lowered[0], line[0]), part
        needles = N.required_literals(part)
        assert needles is None or any(needle in lowered for needle in needles), part
        analysis = N.analyse(part)
        literals = analysis.literals if analysis is not None else None
        assert literals is None or any(literal in lowered for literal in literals), part


@settings(max_examples=400, deadline=None)
@given(_LINES)
def test_the_filtered_rules_match_as_the_plain_loop_does(line: str) -> None:
    rules = build_phrasebook(LANGUAGES).patterns
    plain = next((index for index, patterns in enumerate(rules.rules)
                  if re.fullmatch("|".join(f"(?:{p})" for p in patterns), line, re.IGNORECASE)),
                 None)
    assert rules.first_match(line) == plain


def test_rules_the_filters_cannot_read_use_the_plain_loop() -> None:
    for parts in ([r"(\w+) and \1"], [r"(?P<word>\w+) again"]):
        rules = PatternSet.build([parts, [r"[\W_]*share on .{1,20}"]])
        assert rules.parts == ()
        assert rules.first_match("this and this") == (0 if "\\1" in parts[0] else None)
        assert rules.first_match("Share on X") == 1


def test_custom_rule_regexes_go_through_the_filters() -> None:
    book = build_phrasebook(("en",), (CustomRule(rule="custom.promo",
                                                 patterns=(r".{0,40}use code \w+",)),))
    assert book.match("Save 10%: use code SPRING").rule == "custom.promo"  # type: ignore[union-attr]
    assert book.match("Save 10% on everything") is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(
    "aZ9_ \t\n\r.!»«-'\u00a0\u2009\u3000\u00df\u0130\u03a3\ufb01\u00c9\u0645\u4e1c\u00b2\x1c")),
    max_size=20))
def test_the_fast_line_key_is_fold_line(line: str) -> None:
    assert _fold_key(line) == fold_line(line)


@settings(max_examples=400, deadline=None)
@given(_LINES)
def test_the_screened_first_match_is_the_reference_loop(line: str) -> None:
    book = build_phrasebook(LANGUAGES)
    for rules in (book.patterns, book.notice_patterns):
        assert rules.first_match(line) == rules._reference_first_match(line)


def test_a_line_holding_a_needle_gets_the_first_rule_in_order() -> None:
    # A line holding a needle is tried on the plain candidates' alternation
    # first, then on the candidates whose needles it holds: still the first
    # rule in order wins, whichever kind it is.
    rules = PatternSet.build([[r"[\W_]*share on .{1,40}"], [r".{0,50}all rights reserved"],
                              [r"[\W_]*credits?: .{1,40}"], [r".{0,40}getty images"]])
    lines = {"Share on X: all rights reserved": 0, "(c) 2024 all rights reserved": 1,
             "Credits: all rights reserved": 1, "Credits: Getty Images": 2,
             "Photo: Getty Images": 3, "all rights reserved by nobody": None,
             "Share on X": 0, "Getty Images, all rights reserved": 1}
    for line, expected in lines.items():
        assert rules.first_match(line) == expected, line
        assert rules._reference_first_match(line) == expected, line


def test_the_screen_is_built_only_for_candidates_that_can_be_joined() -> None:
    # A backreference would point at another pattern's group once joined:
    # candidates with one get no screen (nor do those whose join fails to compile).
    rules = PatternSet.build([[r"[\W_]*share on .{1,20}"], [r"[\W_]*tags?: .{1,40}"]])
    assert rules.first_match("Share on X") == 0
    assert rules.first_match("Tags: a, b") == 1
    assert rules.first_match("Share this") is None
    assert all(screen is not None for screen in rules.screens.values())
    assert [bool(_BACKREFERENCE.search(p)) for p in (r"(\w+) and \1", r"(?P<w>a)(?P=w)",
                                                     r"\\1", r"[\W_]*share")] == [
        True, True, True, False]  # an escaped backslash before a digit: no screen, still exact


def test_casefold_maps_no_character_to_or_from_white_space() -> None:
    # PhraseBook.match folds a line's spaces before casefolding it, which gives
    # the same key only because of this.
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        folded = char.casefold()
        assert folded == char if char.isspace() else not any(map(str.isspace, folded)), code


@settings(max_examples=300, deadline=None)
@given(_LINES)
def test_the_phrasebook_reads_a_line_as_its_fold_key_says(line: str) -> None:
    # The word count and first word come from the key without splitting it.
    key = _fold_key(line)
    assert key.count(" ") + 1 == len(key.split(" "))
    assert key.partition(" ")[0] == key.split(" ")[0]
    assert _fold_key(" ".join(line.split()).casefold(), spaces_folded=True) == key


_SPACED = st.text(alphabet=st.sampled_from(list("ab \t\n\u00a0\u3000")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_SPACED, st.integers(min_value=1, max_value=40))
def test_the_word_count_shortcuts_are_the_full_split(line: str, times: int) -> None:
    book = build_phrasebook(("en",))  # max_line_words 300: only lines of 600 characters
    long_line = line * (times * 27)   # or more are split, and here up to 43,200
    assert book.may_match_line(long_line) == book.may_match(len(long_line.split()))
    assert _has_words(line, 1 + times % 12) == (len(line.split()) >= 1 + times % 12)


def test_a_printable_character_is_white_space_only_if_it_is_the_space() -> None:
    # _fold_spaces returns a printable line as it is when its spaces are single.
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert not (char.isspace() and char.isprintable()) or char == " ", code


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \t\n\r\u00a0\u2028\u3000\x1c\u0085é")),
               max_size=30))
def test_fold_spaces_is_split_and_join(line: str) -> None:
    assert _fold_spaces(line) == " ".join(line.split())


_NEEDLE_TEXT = st.text(alphabet=st.sampled_from(list("aev xq.,\u00e9\u043e\u0645(")), max_size=6)


@settings(max_examples=400, deadline=None)
@given(st.lists(_NEEDLE_TEXT, max_size=8), st.lists(_NEEDLE_TEXT, max_size=6).map("".join))
def test_the_literal_search_finds_a_needle_exactly_when_the_plain_loop_does(
        needles: list[str], line: str) -> None:
    # Each needle enters the trie from its rarest character and is checked
    # whole by a lookbehind: overlapping, nested and repeated needles included.
    search = _literal_search(needles)
    found = any(needle in line for needle in needles)
    assert (search is not None and search.search(line) is not None) == found
    for needle in needles:
        assert search is not None
        assert search.search(f"({needle}(") is not None


def test_a_needle_is_looked_for_from_its_rarest_character() -> None:
    assert [_anchor(n) for n in ("all rights reserved", "cookie", "the", "\u043e\u043a")] == [
        16, 3, 1, 1]


def test_the_search_over_every_needle_is_compiled_for_the_first_line_beyond_ascii() -> None:
    rules = PatternSet.build([[".{0,40}all rights reserved"], [".{0,40}tous droits réservés"]])
    assert rules.first_match("(c) 2024 All rights reserved") == 0
    waiting = rules.screens_by_char["("]
    assert waiting is not None
    assert waiting.pending is not None  # ASCII lines: only the ASCII needles' search ran
    assert waiting.needles is None
    assert waiting.ascii_needles is not None
    assert rules.first_match("(c) 2024 Tous droits réservés") == 1
    done = rules.screens_by_char["("]
    assert done is not None
    assert done.pending is None
    assert done.needles is not None
    assert rules.first_match("(c) ordinary text, réservé") is None
    assert rules.first_match("(c) 2024 All rights reserved") == 0
    # Another first character with the same candidates completes to the same screen.
    assert rules.first_match("[c] 2024 tous droits réservés") == 1
    assert rules.screens_by_char["["] is done


def test_an_all_ascii_screen_has_nothing_waiting() -> None:
    rules = PatternSet.build([[".{0,40}all rights reserved"], [".{0,40}share this"]])
    assert rules.first_match("(c) 2024 All rights reserved") == 0
    screen = rules.screens_by_char["("]
    assert screen is not None
    assert screen.pending is None
    assert screen.needles is screen.ascii_needles
    assert rules.first_match("(c) 2024 ça, all rights reserved") == 0
