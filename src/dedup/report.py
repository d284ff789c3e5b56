"""Result records: what a cleaning step removed, fixed and found, as plain data.

Every record is a frozen, slotted dataclass with a ``to_dict()`` that gives
JSON-ready values, so results can be written, compared and replayed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

__all__ = ["CleanResult", "DocumentMetadata", "MetadataField", "Removal", "UnicodeFix"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Removal:
    """One removed span of the normalized text, with the rule that removed it.

    ``start`` and ``end`` index :attr:`CleanResult.normalized` (the text every
    rule reads, after unicode and whitespace repair), as Python string offsets.
    ``detail`` is a sentence for people; it is empty when ``explain=False``.
    """

    start: int
    end: int
    rule: str
    detail: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "rule": self.rule, "detail": self.detail}


@dataclass(frozen=True, slots=True, kw_only=True)
class UnicodeFix:
    """A named repair step applied to the whole text, and how many characters it touched."""

    rule: str
    detail: str = ""
    count: int = 0

    def to_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "detail": self.detail, "count": self.count}


@dataclass(frozen=True, slots=True, kw_only=True)
class MetadataField:
    """Where one metadata value was found: its name, value and span in the normalized text."""

    name: str
    value: str
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "value": self.value, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentMetadata:
    """Facts about a document found while cleaning it.

    ``title`` stays in the text (a headline is content); dates and agency tags
    are removed from it. ``fields`` says where each value was found.
    """

    title: str | None = None
    published: dt.date | None = None
    updated: dt.date | None = None
    agency: str | None = None
    author: str | None = None
    fields: tuple[MetadataField, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "updated": self.updated.isoformat() if self.updated else None,
            "agency": self.agency,
            "fields": [f.to_dict() for f in self.fields],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class CleanResult:
    """The outcome of :func:`dedup.clean` on one text.

    Invariant: ``apply_removals(normalized, removals) == text``.
    """

    text: str
    normalized: str
    removals: tuple[Removal, ...] = ()
    fixes: tuple[UnicodeFix, ...] = ()
    metadata: DocumentMetadata = field(default_factory=DocumentMetadata)

    @property
    def removed_chars(self) -> int:
        """Characters removed from the normalized text."""
        return sum(r.end - r.start for r in self.removals)

    def chars_by_rule(self) -> dict[str, int]:
        """Characters removed per rule id, in rule-id order."""
        counts: Counter[str] = Counter()
        for removal in self.removals:
            counts[removal.rule] += removal.end - removal.start
        return dict(sorted(counts.items()))

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "removals": [r.to_dict() for r in self.removals],
            "fixes": [f.to_dict() for f in self.fixes],
            "metadata": self.metadata.to_dict(),
        }
