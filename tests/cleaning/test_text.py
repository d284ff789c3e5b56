"""The whole-text tokeniser gives exactly the per-line regex tokens, on any text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dedup.cleaning._text import _CLOSERS, TERMINAL_PUNCTUATION, ends_sentence, line_words, words

# Characters that sit on the boundaries the fast path relies on: ASCII word and
# non-word bytes, the Latin-1 and General Punctuation separators blanked at byte
# level, word characters next to them (ª ² µ), other scripts, scripts without
# spaces, combining marks, odd whitespace, lone surrogates, case-folding
# specials (ß, İ, the Kelvin sign, the ﬀ ligature).
_ALPHABET = st.sampled_from(list(
    "aZ_9 \t\n.,'\"-@~\x1c\x1f\x7f"
    "’“”—–…•«»£©°·×÷\u00a0\u00ad\u2028\u2029\u200b\u200c\u2060\x85"
    "ª²µ¼éÉßİ\u212aﬀ\u0301東京あ한ت۔؟Ж\U0001f600\ud800"
))


@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_line_words_equals_words_per_line(text: str) -> None:
    assert line_words(text) == [words(line) for line in text.split("\n")]


@given(st.text(max_size=80))
def test_line_words_equals_words_per_line_on_any_unicode(text: str) -> None:
    assert line_words(text) == [words(line) for line in text.split("\n")]


def test_words_are_case_folded_word_runs_with_cjk_split_per_character() -> None:
    # "İ" folds to "i" and a combining dot, which is no word character to re.
    text = "Don’t SHARE—“this” post: £5, naïve İstanbul 東京 a_b\n\nStraße"
    assert line_words(text) == [
        ["don", "t", "share", "this", "post", "5", "naïve", "i", "stanbul", "東", "京", "a_b"],
        [], ["strasse"]]


def test_a_line_ending_in_a_letter_or_digit_never_ends_a_sentence_by_its_last_character() -> None:
    # ends_sentence returns False at once for such a line: no closer, no
    # terminal punctuation and no white space is a letter or a digit.
    assert not any(char.isalnum() or char.isspace()
                   for char in (*_CLOSERS, *TERMINAL_PUNCTUATION))
    assert not ends_sentence("He said so. 2024")
    assert ends_sentence("He said so.")
