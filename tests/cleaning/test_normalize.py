"""normalize(): every repair named and counted, every meaningful character kept."""

from __future__ import annotations

import unicodedata

import pytest

from dedup.cleaning.normalize import normalize
from dedup.config import UnicodeConfig


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
