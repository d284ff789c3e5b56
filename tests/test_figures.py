"""The ASCII fast path of dedup.figures reads the figures FIGURE reads, on any text."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import any_text, documents

from dedup.figures import _ASCII_FIGURE, FIGURE, figure_occurrences, figures, replace_figures

# Figures are made of digits and separators: draw text dense in them, with the
# digits of other scripts too, so the two branches of FIGURE both come into play.
_FIGURE_TEXT = st.text(alphabet=st.sampled_from(
    [*"0123456789.,.,  ab-%", "\u0663", "\u0966", "\uff15", "\u00b2", "\u00e9"]),
    max_size=60)


def _reference(text: str) -> list[str]:
    return FIGURE.findall(unicodedata.normalize("NFKC", text))


@settings(max_examples=400, deadline=None)
@given(st.one_of(_FIGURE_TEXT, any_text, documents()))
def test_figures_equal_the_one_pattern(text: str) -> None:
    expected = _reference(text)
    assert figure_occurrences(text) == tuple(sorted(expected))
    assert figures(text) == frozenset(expected)
    assert replace_figures(text, "#") == FIGURE.sub("#", unicodedata.normalize("NFKC", text))


@settings(max_examples=400, deadline=None)
@given(_FIGURE_TEXT.filter(str.isascii))
def test_ascii_pattern_is_figure_on_ascii_text(text: str) -> None:
    assert _ASCII_FIGURE.findall(text) == FIGURE.findall(text)


def test_other_scripts_still_read_by_figure() -> None:
    # "٣5" (an Arabic-Indic three and an ASCII five) is one figure of the second branch.
    assert figure_occurrences("total \u06635 and 12") == ("12", "\u06635")
