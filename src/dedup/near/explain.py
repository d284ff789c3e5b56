"""Why two documents were grouped: the passages they share, aligned with rapidfuzz.

The Jaccard similarity says how much two documents share; the passages say
what. The two texts are compared as sequences of words (a word-level Indel
alignment from rapidfuzz, so a changed figure splits a passage instead of
hiding it), and every run of at least ``min_words`` equal words is reported
with its character offsets in both texts.

Added in 0.1.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Indel

from dedup.near.result import SharedPassage

__all__ = ["shared_passages"]

_WORD = re.compile(r"\S+")


def shared_passages(text: str, kept_text: str, *, min_words: int = 8) -> tuple[SharedPassage, ...]:
    """Return the passages of at least ``min_words`` words that ``text`` shares with ``kept_text``.

    Words are compared case-folded; offsets index the texts as given.

    >>> kept = "Oil prices rose on Monday as traders weighed the supply outlook in Asia."
    >>> copy = "OIL prices rose on Monday as traders weighed the supply outlook, said one."
    >>> [p.text for p in shared_passages(copy, kept, min_words=5)]
    ['OIL prices rose on Monday as traders weighed the supply']
    """
    words = list(_WORD.finditer(text))
    kept_words = list(_WORD.finditer(kept_text))
    left = [word.group().casefold() for word in words]
    right = [word.group().casefold() for word in kept_words]
    passages: list[SharedPassage] = []
    for opcode in Indel.opcodes(left, right):
        if opcode.tag != "equal" or opcode.src_end - opcode.src_start < min_words:
            continue
        start = words[opcode.src_start].start()
        end = words[opcode.src_end - 1].end()
        passages.append(SharedPassage(
            text=text[start:end], start=start, end=end,
            kept_start=kept_words[opcode.dest_start].start(),
            kept_end=kept_words[opcode.dest_end - 1].end()))
    return tuple(passages)
