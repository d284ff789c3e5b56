"""clean(): normalize, then the rule steps, then merge and apply removals.

Work in progress: the rule steps are being written; for now only the text is
returned as given.
"""

from __future__ import annotations

from dedup.config import CleanConfig
from dedup.report import CleanResult, Removal

__all__ = ["apply_removals", "clean"]


def apply_removals(text: str, removals: tuple[Removal, ...]) -> str:
    """Return ``text`` without the spans of ``removals`` (sorted, non-overlapping).

    >>> apply_removals("abcdef", (Removal(start=1, end=3, rule="repeat.block"),))
    'adef'
    """
    pieces: list[str] = []
    position = 0
    for removal in removals:
        pieces.append(text[position:removal.start])
        position = removal.end
    pieces.append(text[position:])
    return "".join(pieces)


def clean(text: str, *, config: CleanConfig | None = None) -> CleanResult:
    """Return the cleaned text of one document and what was removed."""
    if not isinstance(text, str):
        raise TypeError(f"clean() takes a str, not {type(text).__name__}")
    return CleanResult(text=text, normalized=text)
