"""Differential test: clean() with its fast paths and with their reference versions agree.

Each speed-up in cleaning keeps the plain version it replaced
(``PatternSet._reference_first_match``, ``segment._reference_local_widths``,
``segment._reference_paragraphs``, ``metadata._reference_is_date_line``; ftfy
itself for ``_ftfy_fast``, the pattern ``_DATE_HINT`` for ``metadata._has_date_hint``);
here clean() runs once as shipped and once with those swapped in, on the
seeds, the bundled cases, a wire story, hand-written pages and Hypothesis
documents, and every field of the two ``CleanResult`` s must be equal.
``benchmarks/clean_identity.py`` does the same against a whole earlier
commit on the corpora.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import ftfy
import pytest
from ftfy import badness
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.cleaning.fixtures import PAGES, WIRE
from tests.strategies import any_text, documents

import dedup
import dedup.cleaning
from dedup.cleaning import (
    _ftfy_fast,
    _patternset,
    _text,
    cleaner,
    evidence,
    linescore,
    metadata,
    normalize,
    repeats,
    segment,
)
from dedup.config import LANGUAGES, UnicodeConfig

CASES = Path(__file__).resolve().parents[1] / "cases"


def _case_inputs() -> list[str]:
    found = []
    for file in sorted(CASES.glob("*.jsonl")):
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.append(json.loads(line)["input"])
    return found


def _clean_both(text: str) -> tuple[object, object]:
    """clean() as shipped, then with every fast path swapped for its reference version."""
    fast = dedup.clean(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_patternset.PatternSet, "first_match",
                      _patternset.PatternSet._reference_first_match)
        patch.setattr(segment, "local_widths", segment._reference_local_widths)
        patch.setattr(segment, "paragraphs", segment._reference_paragraphs)
        patch.setattr(cleaner, "is_date_line", metadata._reference_is_date_line)
        reference = dedup.clean(text)
    return fast, reference


#: Swapping a function of a compiled module changes nothing its compiled callers run:
#: where the cleaner is compiled, the comparisons below would compare it with itself.
#: They run where it runs from source (.ci/run's second environment);
#: tests/cleaning/test_compiled.py compares the compiled build with that source.
_SWAPPABLE = pytest.mark.skipif(dedup.cleaning.IMPLEMENTATION == "compiled",
                                reason="the cleaner is compiled here: its calls cannot be "
                                       "swapped for the reference versions")


@_SWAPPABLE
def test_fast_and_reference_paths_agree_on_seeds_cases_and_pages(
        seeds: dict[str, str]) -> None:
    texts = [*seeds.values(), *_case_inputs(), WIRE, *PAGES]
    assert len(texts) > 40
    for text in texts:
        fast, reference = _clean_both(text)
        assert fast == reference, text[:80]
    # The pages exercise the phrase screen: each loses lines to a phrase rule.
    assert all(any(r.rule.startswith("boilerplate.") for r in dedup.clean(page).removals)
               for page in PAGES[:2])


@_SWAPPABLE
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_fast_and_reference_paths_agree_on_generated_documents(
        text: str) -> None:
    fast, reference = _clean_both(text)
    assert fast == reference


@_SWAPPABLE
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_fast_and_reference_paths_agree_on_any_text(
        text: str) -> None:
    fast, reference = _clean_both(text)
    assert fast == reference


# ftfy's fix_and_explain with the windowed badness test (_ftfy_fast) against ftfy itself.

#: Characters mojibake is made of and that ftfy's badness regex reads: accented
#: letters, curly quotes and dashes, currency, box drawing, Cyrillic, Greek,
#: Arabic, CJK, an emoji, C1 controls, ligatures.
_MOJIBAKE_SOURCE = st.lists(
    st.sampled_from(
        list("abcdeABC .,;:!?&<>#0123456789-'\"()")
        + list("éèêàâçñöüßÉÀ£€¥©®°±²µ·»«¿×÷œŒšŠžŸ")
        + list("\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022\u2122\u00a0\u00ad")
        + list("\u2500\u2502\u250c\u2514\u2550юабвгдВГРСαβγΒΓΞΟابت东京\U0001f600")
        + ["\x80", "\x85", "\x9d", "\ufb01", "&amp;", "&eacute;", "&#x2019;"]),
    max_size=40).map("".join)
_CODECS = ("latin-1", "cp1252", "cp1251", "cp1250", "cp1253", "cp437", "mac_roman")


@st.composite
def _mojibake_lines(draw: st.DrawFn) -> str:
    """A line with some of it decoded in the wrong codec, once or twice, among ASCII words."""
    pieces = []
    for piece in draw(st.lists(_MOJIBAKE_SOURCE, min_size=1, max_size=4)):
        for _ in range(draw(st.integers(0, 2))):
            codec = draw(st.sampled_from(_CODECS))
            piece = piece.encode("utf-8").decode(codec, errors="replace")
        pieces.append(piece)
        pieces.append(draw(st.text(alphabet="abcdefghij klmnop", max_size=30)))
    return "".join(pieces)


def test_windowed_badness_is_checked_on_the_shipped_regex() -> None:
    # The fast path must be what runs here, or the tests below compare ftfy with itself.
    assert _ftfy_fast.FAST
    assert _ftfy_fast._REACH is not None
    assert 2 <= _ftfy_fast._REACH <= 20
    # Patterns the windows cannot judge: ASCII-only, context-reading or unbounded branches.
    for pattern in ("[a-z]\u00e9|abc", "\u00e9(?=x)", "\u00e9\\b", "\u00e9$", "\u00e9.*",
                    "(?i)\u212a", "(?m)^\u00e9", "(\u00e9)\\1"):
        assert _ftfy_fast._badness_reach(re.compile(pattern)) is None, pattern
    assert _ftfy_fast._badness_reach(re.compile("[a-z]\u00e9|^\u00c3 |\u00e2\u20ac.")) == 3


@settings(max_examples=150, deadline=None)
@given(st.one_of(_mojibake_lines(), any_text))
def test_windowed_badness_agrees_with_ftfy(line: str) -> None:
    fixed = ftfy.fix_and_explain(line, config=normalize._ftfy_config(UnicodeConfig()))
    assert _ftfy_fast.is_bad(line) == badness.is_bad(line)
    assert _ftfy_fast.is_bad(fixed.text) == badness.is_bad(fixed.text)


@settings(max_examples=150, deadline=None)
@given(st.one_of(_mojibake_lines(), any_text),
       st.sampled_from([UnicodeConfig(), UnicodeConfig(uncurl_quotes=True),
                        UnicodeConfig(fix_width=True)]))
def test_fast_fix_and_explain_agrees_with_ftfy(line: str, config: UnicodeConfig) -> None:
    ftfy_config = normalize._ftfy_config(config)
    expected = ftfy.fix_and_explain(line, config=ftfy_config)
    fixed, steps = _ftfy_fast.fix_and_explain(line, ftfy_config)
    assert (fixed, steps) == (expected.text, expected.explanation)


def test_fast_fix_and_explain_agrees_with_ftfy_on_known_mojibake() -> None:
    ftfy_config = normalize._ftfy_config(UnicodeConfig())
    lines = ["The deal was worth \u00c2\u00a35m, it said. " * 8,
             "voil\u00c3\u00a0 le travail", "s\u00c3\u00b3 &amp; caf\u00c3\u00a9",
             "\u00e2\u20ac\u0153Quoted\u00e2\u20ac\u009d and \u00c3\u0192\u00c2\u00a9",
             "\u00d0\u00bf\u00d1\u20ac\u00d0\u00b8\u00d0\u00b2\u00d0\u00b5\u00d1\u201a"]
    changed = 0
    for line in lines:
        expected = ftfy.fix_and_explain(line, config=ftfy_config)
        assert _ftfy_fast.fix_and_explain(line, ftfy_config) == (expected.text,
                                                                  expected.explanation)
        changed += expected.text != line
    assert changed == len(lines)  # each of them is mojibake ftfy repairs


_DATE_HINT_TEXT = st.lists(st.sampled_from(
    ["a", "an", "ago", "AGO", "Ago", "aGo", " ", "  ", "\t", "\u00a0", "3", "\u0663", "\uff13",
     "hours", "minutes", "x", ".", "\n", "\u0130", "\u212a", "ag", "o", "a few days"]),
    max_size=12).map("".join)


@settings(max_examples=100, deadline=None)
@given(st.one_of(_DATE_HINT_TEXT, any_text))
def test_date_hint_scans_agree_with_the_date_hint_pattern(text: str) -> None:
    assert metadata._has_date_hint(text) == (metadata._DATE_HINT.search(text) is not None)


def test_date_hint_scans_agree_on_known_lines() -> None:
    lines = {"3 hours ago": True, "a day ago": True, "An hour AGO ": True, "an hour agony": False,
             "Latest news": False, "a week ago, they said": False, "\u0663 minutes": True}
    for line, expected in lines.items():
        assert metadata._has_date_hint(line) is expected, line
        assert (metadata._DATE_HINT.search(line) is not None) is expected, line


def _stamp_without_hint(text: str) -> bool:
    """``metadata._is_stamp_line`` without its ``_STAMP_HINT`` pre-filter."""
    if metadata._STAMP_LINE.fullmatch(text) is None:
        return False
    dates = [found.group(0) for found in metadata._ANY_DATE.finditer(text)]
    if dates:
        return all(metadata._is_real_date(date) for date in dates)
    return metadata._CLOCK_ANYWHERE.search(text) is not None


_STAMP_TEXT = st.lists(st.sampled_from(
    ["Updated", "Posted", "Published", "Original", "on", "date", ":", " ", ", ", " | ", "; ",
     " / ", " - ", "Nov", "Nov.", "19", "2019", "Tue", "Tuesday", "10:48", "6.55", "am", "PM",
     "EST", "an hour ago", "3 hours ago", "2019-11-19", "19/11/2019"]),
    max_size=14).map("".join)


@settings(max_examples=300, deadline=None)
@given(_STAMP_TEXT)
@example("Nov 19, 2019 on Nov 20, 2019")  # a second stamp whose only hint is its label
@example("Updated 6.55 am Nov 19, 2019")  # a clock time with a dot and am
@example("2019-11-19Posted2019-11-19")  # a label touching the dates
@example("Nov 19, 6.55amEST")  # a zone touching am
def test_the_stamp_hint_never_changes_a_date_line_answer(text: str) -> None:
    # The hint skips only lines the pattern rejects, or bare dates the header takes.
    header = metadata._DATE_HEADER.fullmatch(text)
    if header is not None and metadata._is_real_date(header.group("published")):
        return
    assert metadata._is_stamp_line(text) == _stamp_without_hint(text)


#: Pieces of date lines in the forms is_date_line reads (labels, weekdays, months,
#: dates, clock times, times ago in several languages) and of the prose around them.
_DATE_LINE_PIECES = st.sampled_from([
    "Posted", "Published on", "Updated", "Last updated on", "Publié à", "mis à jour", "Date:",
    "Aggiornato alle", "Veröffentlicht um", "опубликовано", "Original:", "on", "at", "dated",
    "Mon", "Tuesday,", "Sat.", "Nov", "November", "Sept.", "mar", "may", "12th", "3", "19",
    "2019", "10:48", "6.55", "22h30", "31/02/2021", "10/18/2004", "2021-02-12T10:00Z", "ago",
    "about", "an", "a", "hour", "hours", "minutes", "il y a", "hace", "há", "ha", "vor", "för",
    "sedan", "fa", "geleden", "назад", "Minuten", "horas", "dias", "minuti", "uur", "minuter",
    "минут", "am", "PM", "EST", "|", "/", ",", "-", "(", ")", "The", "shares", "rose", "pct",
    "\u00a0", "\t", "\u212a", "\u017f", "Archives", "October 2019", "2019年11月"])
_DATE_LINES = st.one_of(
    st.builds(lambda pieces, joiner: joiner.join(pieces),
              st.lists(_DATE_LINE_PIECES, max_size=10), st.sampled_from([" ", ""])),
    # Shaped as date lines are: a label, a weekday, a date or time, what may follow.
    st.builds(lambda parts, joiner: joiner.join(part for part in parts if part), st.tuples(
        st.sampled_from(["", " ", "Posted", "Updated:", "Publié à", "last modified on", "Original",
                         "Aggiornato alle", "опубликовано", "The", "Shares"]),
        st.sampled_from(["", "Mon", "Tuesday,", "sat.", "thu"]),
        st.sampled_from(["3 hours ago", "an hour ago", "about 2 days ago", "il y a 2 minutes",
                         "hace 3 horas", "há 2 dias", "vor 5 Minuten", "10 minuti fa",
                         "3 uur geleden", "för 5 minuter sedan", "5 минут назад", "12:13",
                         "22h30", "February 12, 2021", "12 Feb 2021", "2021-02-12", "12/03/2021",
                         "31/02/2021", "Mar 12 10:21:33 EDT 2019", "10:48, Tue, Nov 19, 2019",
                         "Nov 19, 6:55 AM", "Sept. 3rd, 2019", "1.5 pct"]),
        st.sampled_from(["", "| Updated 3 hours ago", "(updated 2021-02-13)", "10:00 pm", "EST",
                         "/ Original Nov 18, 2019", "rose 12 pct", "|", " "])),
        st.sampled_from([" ", "", "  "])))
#: Date lines of every form, each of which is_date_line must keep reading as one.
_KNOWN_DATE_LINES = (
    "3 hours ago", "about an hour ago", "Posted 2 days ago", "Updated an hour ago",
    "il y a 2 minutes", "hace 3 horas", "há 2 dias", "vor 5 Minuten", "10 minuti fa",
    "3 uur geleden", "för 5 minuter sedan", "5 минут назад", "Publié à 12:13",
    "Aggiornato alle 22:42", "February 12, 2021", "Posted on Monday, May 31st, 2004 at 8:40 pm",
    "2021-02-12 10:00", "12/03/2021", "Tue Mar 12 10:21:33 EDT 2019", "10:48, Tue, Nov 19, 2019",
    "Nov 19, 6:55 AM", "PUBLISHED: 10:48, Tue, Nov 19, 2019 | UPDATED: 11:02, Tue, Nov 19, 2019",
    "Updated Nov 19, 2019 / Original Nov 18, 2019", "Archives October 2019 September 2019 "
    "August 2019", "  Date: 2019-11-19 ")


@settings(max_examples=400, deadline=None)
@given(st.one_of(_DATE_LINES, any_text))
@example("Shares rose 12 pct in 1986 to 3.50 dlrs")  # prose with figures: the case it skips
@example("Hace 3 horas")
@example("\u212aids 2019-11-19")  # Kelvin sign: the same case folding as the patterns
def test_the_date_line_start_never_changes_a_date_line_answer(text: str) -> None:
    assert metadata.is_date_line(text) == metadata._reference_is_date_line(text)


def test_every_form_of_date_line_starts_as_the_start_pattern_says() -> None:
    for line in _KNOWN_DATE_LINES:
        assert metadata._reference_is_date_line(line), line
        assert metadata.is_date_line(line), line
        assert (metadata._DATE_LINE_START.match(line) is not None
                or metadata._is_month_list(line)), line
    assert metadata._DATE_LINE_START.match("Shares rose 12 pct in 1986") is None


_WRAPPED_LINES = st.lists(st.one_of(
    st.just(""), st.sampled_from(["Share this", "Home", "  Indented first line of a story",
                                  "the talks went on.", "12 34 56 78"]),
    st.text(alphabet="abcde fghij.", min_size=0, max_size=90)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(_WRAPPED_LINES)
def test_lazy_local_widths_give_the_paragraphs_of_the_reference(lines: list[str]) -> None:
    def standalone(line: str) -> bool:
        return line in ("Share this", "Home")

    assert segment.paragraphs(lines, is_standalone=standalone) == (
        segment._reference_paragraphs(lines, is_standalone=standalone))
    assert segment.paragraphs(lines) == segment._reference_paragraphs(lines)


#: Lines as wrapped text, lists, code and indented wire copy have them, with the
#: white space strip() takes and the indent does not count (tabs, no-break and
#: ideographic spaces).
_GROUPED_LINES = st.lists(st.builds(
    lambda indent, words, end: indent + words + end,
    st.sampled_from(["", " ", "    ", "\t", " \t", "\u00a0", "\u3000 ", "      "]),
    st.sampled_from(["the talks resumed on Monday after a long", "break, officials said.",
                     "Coffee growers said the quotas", "* the second item", "1. First",
                     "x = f(y);", "}", "Shares rose 12 pct to 3.50 dlrs in the", "Corp.",
                     "the U.S.", "Talks resume in Doha", "a b", "(Reuters) - Oil prices",
                     "which goes on and on and on and on and on and on and on and on", ""]),
    st.sampled_from(["", " ", "\t", "\u00a0"])), max_size=30)


@settings(max_examples=300, deadline=None)
@given(_GROUPED_LINES, st.integers(0, 2**30))
def test_grouping_each_line_once_gives_the_groups_of_each_pair(lines: list[str],
                                                               mask: int) -> None:
    numbers = [number for number, line in enumerate(lines) if line and not line.isspace()]
    standalone = [bool(mask >> position & 1) and position % 3 == 0
                  for position in range(len(numbers))]
    widths = segment.local_widths([len(lines[number].rstrip()) for number in numbers])
    assert segment._grouped(lines, numbers, standalone, widths.__getitem__) == (
        segment._reference_grouped(lines, numbers, standalone, widths.__getitem__))


_STANDALONE_CHOICES = ("Reuter", "Home", "Share this post", "a b", "Corp.", "}",
                       "Coffee growers said the quotas", "the talks went on.")


@settings(max_examples=300, deadline=None)
@given(st.one_of(_GROUPED_LINES, _WRAPPED_LINES.map(lambda lines: [*lines, "Reuter"])),
       st.sets(st.sampled_from(_STANDALONE_CHOICES)))
@example(["    the talks resumed on Monday after a long", "Reuter"], {"Reuter"})
@example(["    the talks resumed on Monday after a long", "Share this post"],
         {"Share this post"})
def test_plain_paragraphs_from_one_grouping_are_the_paragraphs_without_standalone(
        lines: list[str], named: set[str]) -> None:
    def standalone(line: str) -> bool:
        return line in named

    glued, plain = segment._group_lines(lines, standalone, plain=True)
    assert glued == segment.paragraphs(lines, is_standalone=standalone)
    assert plain == segment.paragraphs(lines)


def test_a_standalone_line_the_plain_grouping_glues_is_joined_to_its_paragraph() -> None:
    lines = ["    the talks resumed on Monday after a long", "Reuter", "Home"]
    found = segment.segment("\n".join(lines), is_standalone={"Reuter", "Home"}.__contains__,
                            plain=True)
    assert [(block.first_line, block.last_line) for block in found.blocks] == [
        (1, 1), (2, 2), (3, 3)]
    assert found.plain == ((0, 1), (2, 2))
    assert segment.segment("\n".join(lines)).plain is None


def _shared_structure(found: tuple[list[int], list[frozenset[object]]] | None
                      ) -> tuple[list[int], list[list[int]]] | None:
    """Counts and, per pair of blocks, how many shared shingles they have in common."""
    if found is None:
        return None
    counts, shared = found
    return counts, [[len(a & b) for b in shared] for a in shared]


_REPEATING_DOCUMENTS = st.lists(st.sampled_from([
    "The council said the harbour wall would be rebuilt next year at a cost of 4.2 million.",
    "The council said the harbour wall would be rebuilt next year.", "Share this", "", "",
    "Residents were told that a bus would run every twenty minutes.", "Home", "News",
    "a b", "a b c", "a", "b c a b", "12 34", "***"]), max_size=30).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_REPEATING_DOCUMENTS, documents()))
def test_numpy_shingles_agree_with_word_tuple_shingles(text: str) -> None:
    blocks = segment.segment(text).blocks
    for size in (2, 3, 4):
        assert _shared_structure(repeats._numpy_shared_shingles(blocks, size)) == (
            _shared_structure(repeats._reference_shared_shingles(blocks, size)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(repeats, "NUMPY_MIN_WORDS", 0)
        fast = dedup.clean(text)
        patch.setattr(repeats, "NUMPY_MIN_WORDS", 10**9)
        reference = dedup.clean(text)
    assert fast == reference


def test_numpy_shingles_find_the_copies_word_tuples_find() -> None:
    story = ("The council said the harbour wall would be rebuilt next year at a cost of 4.2 "
             "million pounds, officials said.")
    text = "\n\n".join([story, "Residents were told a bus would run.", story, "Share this"])
    blocks = segment.segment(text).blocks
    found = repeats._numpy_shared_shingles(blocks, 3)
    assert found is not None
    counts, shared = found
    assert counts[0] == counts[2] == len(blocks[0].words) - 2
    assert shared[0] == shared[2]
    assert len(shared[0]) == counts[0]
    assert not shared[1]
    assert not shared[3]
    assert repeats._numpy_shared_shingles(blocks[:2], 3) is None


def _reference_reads_as_code(text: str) -> bool:
    """_text.reads_as_code with its marks counted one character at a time, its sign by regex."""
    if _text._COMMAND_OR_SETTING.match(text):
        return True
    if _text._CODE_SIGN.search(text) is None:
        return False
    marks = sum(map(_text._CODE_MARKS.__contains__, text))
    visible = len(text) - text.count(" ") - text.count("\n") - text.count("\t")
    if marks == visible or text.endswith("{"):
        return True
    return marks >= 2 and marks >= _text._CODE_SHARE * visible


_CODE_TEXT = st.lists(st.sampled_from([
    *"{}()[];=<>`|/*#@ \n\tabcxyz019.,$_", "let x = f(y);", "});", "Comments (12)", "Borrow<T>",
    "\uff08", "\u2264", " fn main() {", "$ rm", "DHCP=yes", "é(", "٣("]), max_size=40).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.one_of(_CODE_TEXT, any_text))
def test_code_marks_counted_by_one_scan_agree_with_the_character_test(text: str) -> None:
    block = segment.Block(0, 0, len(text), 1, 1, text, ())
    assert evidence.is_code(block) == _reference_reads_as_code(text)
    assert len(_text._CODE_MARK.findall(text)) == sum(map(_text._CODE_MARKS.__contains__, text))


#: Words several stoplists share ("die", "de", "in", "la", "og"...) and some none holds.
_STOPWORD_BLOCKS = st.lists(st.sampled_from([
    "the", "die", "de", "in", "la", "og", "och", "dan", "yang", "и", "в", "و", "في",
    "از", "le", "een", "und", "harbour", "2024", "é"]), min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(_STOPWORD_BLOCKS, st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=6),
       st.integers(min_value=0, max_value=5))
def test_foreign_share_counted_in_one_pass_agrees_with_one_pass_per_language(
        words: list[str], languages: list[str], pick: int) -> None:
    # A language may be listed twice: it still counts once.
    block = segment.Block(0, 0, 1, 1, 1, " ".join(words), tuple(words))
    chosen = tuple(languages)
    language = chosen[pick % len(chosen)]
    assert linescore._foreign_share(block, chosen, language) == (
        linescore._reference_foreign_share(block, chosen, language))
