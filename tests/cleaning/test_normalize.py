"""normalize(): every repair named and counted, every meaningful character kept."""

from __future__ import annotations

import unicodedata
from collections import Counter

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.cleaning import normalize as N
from dedup.cleaning.normalize import normalize
from dedup.config import UnicodeConfig
from dedup.report import UnicodeFix


def rules(text: str, config: UnicodeConfig | None = None) -> dict[str, int]:
    return {fix.rule: fix.count for fix in normalize(text, config).fixes}


def test_mojibake_is_repaired_and_named() -> None:
    broken = "The minister\u00e2\u20ac\u2122s caf\u00c3\u00a9 reopened."
    result = normalize(broken)
    assert result.text == "The minister\u2019s café reopened."
    assert "normalize.mojibake" in {fix.rule for fix in result.fixes}


def test_html_entities_are_unescaped_and_named() -> None:
    result = normalize("Tom &amp; Jerry &lt;3 &eacute;t&eacute;")
    assert result.text == "Tom & Jerry <3 été"
    assert "normalize.html_entities" in {fix.rule for fix in result.fixes}


def test_a_lone_ampersand_is_not_an_entity() -> None:
    assert normalize("AT&T and R&D; Q&A").text == "AT&T and R&D; Q&A"


@pytest.mark.parametrize("space", ["\u00a0", "\u2002", "\u2003", "\u2009", "\u202f", "\u3000"])
def test_exotic_spaces_become_a_space(space: str) -> None:
    result = normalize(f"ten{space}kilometres")
    assert result.text == "ten kilometres"
    assert rules(f"ten{space}kilometres") == {"normalize.spaces": 1}


def test_nbsp_counted_per_character() -> None:
    assert rules("a\u00a0b\u00a0c\u00a0d") == {"normalize.spaces": 3}


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\u2028", "\u2029"])
def test_line_breaks_become_newline(newline: str) -> None:
    result = normalize(f"one{newline}two{newline}three")
    assert result.text == "one\ntwo\nthree"
    assert rules(f"one{newline}two{newline}three") == {"normalize.newlines": 2}


def test_zero_width_space_and_bom_are_dropped() -> None:
    result = normalize("\ufeffword\u200bbreak")
    assert result.text == "wordbreak"
    assert rules("\ufeffword\u200bbreak") == {"normalize.invisible": 2}


def test_zwnj_in_persian_is_kept() -> None:
    persian = "می\u200cخواهم به خانه بروم."
    assert normalize(persian).text == persian
    assert normalize(persian).fixes == ()


def test_zwj_in_emoji_is_kept() -> None:
    family = ("Family: \U0001F468\u200d\U0001F469\u200d\U0001F467 and "
              "\U0001F3F3\ufe0f\u200d\U0001F308")
    assert normalize(family).text == family
    assert normalize(family).fixes == ()


def test_control_characters_are_dropped_but_tabs_kept() -> None:
    result = normalize("bell\x07 and\x00 null\x1f\tcol")
    assert result.text == "bell and null\tcol"
    assert rules("bell\x07 and\x00 null\x1f\tcol") == {"normalize.invisible": 3}


def test_trailing_whitespace_is_dropped_and_counted_per_line() -> None:
    result = normalize("first  \nsecond\t\nthird")
    assert result.text == "first\nsecond\nthird"
    assert rules("first  \nsecond\t\nthird") == {"normalize.trailing_whitespace": 2}


def test_leading_indentation_is_kept() -> None:
    text = "    Indented paragraph start\nwrapped line\n\tTabbed line"
    assert normalize(text).text == text
    assert normalize(text).fixes == ()


def test_nfc_composes_decomposed_letters() -> None:
    decomposed = unicodedata.normalize("NFD", "Ça s'est passé à Zürich")
    result = normalize(decomposed)
    assert result.text == "Ça s'est passé à Zürich"
    assert "normalize.nfc" in {fix.rule for fix in result.fixes}


def test_normalization_none_keeps_decomposed_letters() -> None:
    decomposed = unicodedata.normalize("NFD", "café")
    assert normalize(decomposed, UnicodeConfig(normalization="none")).text == decomposed


@pytest.mark.parametrize("text", [
    "وزیر امور خارجه افغانستان روز سه‌شنبه با همتای خود دیدار کرد.",
    "وزير الخارجية الأفغاني التقى نظيره يوم الثلاثاء في الدوحة.",
    "东京的会谈于星期二恢复，官员们说。",
    "日本語のテキスト「引用」と（括弧）はそのまま。",
    "Ελληνικά και русский текст остаются.",
])
def test_persian_arabic_cjk_pass_unchanged(text: str) -> None:
    result = normalize(text)
    assert result.text == text
    assert result.fixes == ()


def test_curly_quotes_kept_by_default() -> None:
    text = "He said \u201cyes\u201d and it\u2019s \u2018fine\u2019."
    assert normalize(text).text == text
    assert normalize(text).fixes == ()


def test_curly_quotes_uncurled_when_asked() -> None:
    text = "He said \u201cyes\u201d and it\u2019s fine."
    result = normalize(text, UnicodeConfig(uncurl_quotes=True))
    assert result.text == "He said \"yes\" and it's fine."
    assert "normalize.uncurl_quotes" in {fix.rule for fix in result.fixes}


def test_fullwidth_kept_by_default_and_folded_when_asked() -> None:
    text = "ＡＢＣ１２３ and ｶﾀｶﾅ"
    assert normalize(text).text == text
    folded = normalize(text, UnicodeConfig(fix_width=True))
    assert folded.text.startswith("ABC123 and ")
    assert "normalize.width" in {fix.rule for fix in folded.fixes}


def test_fix_text_off_leaves_mojibake() -> None:
    broken = "caf\u00c3\u00a9"
    assert normalize(broken, UnicodeConfig(fix_text=False)).text == broken


@pytest.mark.parametrize("text", [
    "caf\u00c3\u00a9\u00a0au lait \r\n\u200bnext\u2028line &amp; more  ",
    "\ufeff  indented\r\n\r\n\u3000x\x07",
    unicodedata.normalize("NFD", "déjà vu\u00a0") + "&quot;q&quot;",
    "plain ascii text\n",
    "Tom &amp;amp; Jerry &#x26;amp; x\u00c3\u0192\u00c2\u00a9",  # double escaped and encoded
    "caf\u00c3\u200b\u00a9 e\u00ad\u0301",  # invisible characters hiding damage
])
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text).text
    again = normalize(once)
    assert again.text == once
    assert again.fixes == ()


def test_fixes_list_every_step_with_counts_in_order() -> None:
    result = normalize("caf\u00c3\u00a9\u00a0au lait \r\n")
    assert result.text == "café au lait\n"
    assert [(f.rule, f.count) for f in result.fixes] == [
        ("normalize.mojibake", 1), ("normalize.newlines", 1), ("normalize.spaces", 1),
        ("normalize.trailing_whitespace", 1)]
    assert all(f.count >= 1 for f in result.fixes)


def test_clean_text_has_no_fixes() -> None:
    assert normalize("Nothing to repair here.\nSecond line.").fixes == ()


# --- the fast paths agree with the plain scans they replace -----------------------------------

_PIECES = (
    "a", "Z", "7", " ", "  ", "\t", "\n", "\r", "\r\n", "\x00", "\x07", "\x0b", "\x0c", "\x1b",
    "\x1f", "\x7f", "&", "&amp;", "&#39;", "&#x26;", "&quot", "amp;", "#", "x", "\u00c3",
    "\u00a9", "\u00e2", "\u20ac", "\u2122", "\u2019", "\u201c", "\u00e9", "e\u0301", "\u00a0",
    "\u2009", "\u3000", "\u200b", "\u200c", "\u00ad", "\ufeff", "\u2028", "\x85", "\x80",
    "\ufb01", "\ud800", "\u00c3\u00a9", "\u00e2\u20ac\u2122", "\u0645", "\u4e1c", "\u00ff\u0152",
)
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


def _reference_normalize(text: str, config: UnicodeConfig) -> tuple[str, tuple[UnicodeFix, ...]]:
    """normalize() as it was before its scans ran on the non-ASCII residue only."""
    original = text
    counts: Counter[str] = Counter()
    details: dict[str, str] = {}
    has_odd = N._ODD_CHARACTER.search(text) is not None
    if has_odd and N._INVISIBLE.search(text) is not None:
        text, count = N._INVISIBLE.subn("", text)
        counts["normalize.invisible"] += count
    if config.fix_text and (config.uncurl_quotes or config.fix_width
                            or N._MAYBE_BROKEN.search(text) is not None):
        lines = text.split("\n")
        for index, line in enumerate(lines):
            if not (config.uncurl_quotes or config.fix_width) and (
                    N._MAYBE_BROKEN.search(line) is None):
                continue
            fixed, explanation = ftfy.fix_and_explain(line, config=N._ftfy_config(config))
            if fixed != line:
                lines[index] = fixed
                for step in explanation or ():
                    rule, detail = N._fix_rule(step)
                    counts[rule] += 1
                    details.setdefault(rule, detail)
        text = "\n".join(lines)
    if not has_odd and text != original:
        has_odd = N._ODD_CHARACTER.search(text) is not None
    for rule, pattern, replacement in () if not has_odd else (
        ("normalize.newlines", N._NEWLINES, "\n"),
        ("normalize.spaces", N._SPACES, " "),
        ("normalize.invisible", N._INVISIBLE, ""),
    ):
        if pattern.search(text) is not None:
            text, count = pattern.subn(replacement, text)
            counts[rule] += count
    lines = text.split("\n")
    stripped = [line.rstrip(" \t") for line in lines]
    count = sum(1 for a, b in zip(lines, stripped, strict=True) if a != b)
    if count:
        text = "\n".join(stripped)
        counts["normalize.trailing_whitespace"] += count
    if config.normalization != "none" and not unicodedata.is_normalized(
            config.normalization, text):
        before = len(text)
        text = unicodedata.normalize(config.normalization, text)
        counts["normalize.nfc"] += max(1, before - len(text))
        details["normalize.nfc"] = config.normalization
    return text, tuple(UnicodeFix(rule=rule, detail=details.get(rule, ""), count=counts[rule])
                       for rule in counts)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_fast_scans_agree_with_the_plain_patterns(text: str) -> None:
    encoded, unusual = N._unusual(text)
    assert encoded == text.encode("utf-8", "surrogatepass")
    assert N._maybe_broken(text, encoded, unusual) == (N._MAYBE_BROKEN.search(text) is not None)
    assert (N._MAYBE_BROKEN_FAST.search(text) is None) == (N._MAYBE_BROKEN.search(text) is None)
    for pattern in (N._ODD_CHARACTER, N._INVISIBLE, N._NEWLINES, N._SPACES):
        assert (pattern.search(unusual) is None) == (pattern.search(text) is None)


@settings(max_examples=200, deadline=None)
@given(_TEXTS, st.sampled_from([UnicodeConfig(), UnicodeConfig(uncurl_quotes=True),
                                UnicodeConfig(fix_text=False, normalization="NFKC")]))
def test_normalize_matches_the_plain_algorithm(text: str, config: UnicodeConfig) -> None:
    result = normalize(text, config)
    assert (result.text, result.fixes) == _reference_normalize(text, config)
