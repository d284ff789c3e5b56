"""Word tokens and line keys shared by the clean steps (one definition, so steps agree)."""

from __future__ import annotations

import re

__all__ = ["TERMINAL_PUNCTUATION", "fold_line", "words"]

# Scripts written without spaces: every character is its own token there.
_NO_SPACE_SCRIPTS = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(f"[{_NO_SPACE_SCRIPTS}]|[^\\W{_NO_SPACE_SCRIPTS}]+")
_SIMPLE_WORD = re.compile(r"\w+")
_NO_SPACE_CHAR = re.compile(f"[{_NO_SPACE_SCRIPTS}]")
_LEADING_NOISE = re.compile(r"^[\W_]+")
_SPACE_RUN = re.compile(r"\s+")

#: Characters that end a sentence in the scripts we ship rules for, with the
#: closing quotes and brackets that may follow them.
TERMINAL_PUNCTUATION = frozenset(".!?…。！？؟۔")
_CLOSERS = "\"'”’»)]›」』"


def words(text: str) -> list[str]:
    """Return the case-folded word tokens of ``text``.

    >>> words("Share THIS post!")
    ['share', 'this', 'post']
    >>> words("东京 news")
    ['东', '京', 'news']
    """
    folded = text.casefold()
    if _NO_SPACE_CHAR.search(folded) is None:
        return _SIMPLE_WORD.findall(folded)
    return _WORD.findall(folded)


def fold_line(line: str) -> str:
    """Return the comparison key of a line: case-folded, spaces folded, edge punctuation gone.

    >>> fold_line("  » Share   this post! ")
    'share this post'
    """
    # Strip the end by stripping the start of the reversed line: an anchored
    # pattern, where "[\W_]+$" would be tried at every space of a long line.
    folded = _LEADING_NOISE.sub("", _SPACE_RUN.sub(" ", line.casefold()))
    return _LEADING_NOISE.sub("", folded[::-1])[::-1]


def ends_sentence(line: str) -> bool:
    """Say whether ``line`` ends like a sentence (closing quotes and brackets allowed).

    >>> ends_sentence('He said “yes.”'), ends_sentence("Latest news")
    (True, False)
    """
    stripped = line.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINAL_PUNCTUATION
