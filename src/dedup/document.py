"""Input records: what a reader hands to the pipeline, one per input record.

A reader never raises on a bad record and never drops one silently: each input
record becomes either an :class:`InputRecord` (a document to process) or a
:class:`Rejection` (why it cannot be processed, and where it was found). That
is how ``manifest.jsonl`` can account for every input.

``location`` says where a record came from (``news/a.txt``, ``dump.jsonl:12``)
for people reading a manifest; it is not the *site* a document belongs to,
which the pipeline takes from the ``source`` or ``url`` extras.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["ExtraValue", "InputRecord", "Rejection", "RejectionReason"]

#: A field carried through from the input unchanged (nested JSON is kept as compact JSON text).
ExtraValue = str | int | float | bool | None

#: Why an input record cannot be processed. A closed set, so manifests can be counted by reason.
RejectionReason = Literal[
    "invalid_utf8",
    "invalid_encoding",
    "nul_bytes",
    "empty",
    "malformed_json",
    "nested_too_deeply",
    "not_an_object",
    "missing_text",
    "non_string_text",
    "invalid_id",
    "duplicate_id",
    "unreadable",
    "not_a_regular_file",
    "dangling_symlink",
    "symlink_loop",
    "empty_after_cleaning",
    "invalid_document",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class InputRecord:
    """One document read from the input, before cleaning.

    ``decoded_as`` names the encoding a reader fell back to when the bytes
    were not UTF-8 (``cp1252``); None when they were what the format requires.
    The reader also says it in ``location``, which every output carries.

    >>> InputRecord(id="a.txt", text="Hello.", location="a.txt").extras
    {}
    """

    id: str
    text: str
    location: str
    extras: dict[str, ExtraValue] = field(default_factory=dict)
    decoded_as: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Rejection:
    """An input record that cannot be processed: which one, where, and why.

    ``reason`` is machine-readable; ``detail`` says it for people, naming the
    file, line or byte offset so the record can be found and fixed.

    >>> Rejection(id="d.jsonl:3", location="d.jsonl:3", reason="malformed_json",
    ...           detail="Expecting value: line 1 column 1 (char 0)").reason
    'malformed_json'
    """

    id: str
    location: str
    reason: RejectionReason
    detail: str = ""

    def to_dict(self) -> dict[str, object]:
        """Return the rejection as a JSON-ready dict (how results and reports write it)."""
        return {"id": self.id, "location": self.location, "reason": self.reason,
                "detail": self.detail}

    def describe(self) -> str:
        """Return ``reason: detail`` for a manifest line or a log message.

        >>> Rejection(id="x", location="x", reason="empty", detail="no text").describe()
        'empty: no text'
        """
        return f"{self.reason}: {self.detail}" if self.detail else self.reason
