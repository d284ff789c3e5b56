"""Every error dedup raises, in one tree.

Each class also derives from the builtin a caller would naturally catch, so
``except ValueError`` keeps working for code that does not know dedup::

    DedupError
    ├── ConfigError(ValueError)        a config field has a bad value
    ├── InputError(ValueError)         a document is malformed (names the document)
    │   ├── DuplicateIdError           an id was seen twice in one corpus
    │   └── MissingFieldError          a file's records lack the text field (a wrong field name)
    ├── IndexFileError(ValueError)     a persisted index is corrupt, truncated or foreign
    └── MissingExtraError(ImportError) an optional dependency is not installed
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DedupError",
    "DuplicateIdError",
    "IndexFileError",
    "InputError",
    "MissingExtraError",
    "MissingFieldError",
]


class DedupError(Exception):
    """Base class of every error raised by dedup."""


class ConfigError(DedupError, ValueError):
    """A configuration value is invalid; the message names the field and the value."""


class InputError(DedupError, ValueError):
    """An input document cannot be processed; the message names the document."""

    def __init__(self, message: str, *, document_id: str | None = None,
                 reason: str = "invalid_document") -> None:
        super().__init__(message)
        self.document_id = document_id
        #: The machine-readable reason, one of :data:`dedup.document.RejectionReason`.
        self.reason = reason


class DuplicateIdError(InputError):
    """The same document id appears twice in one corpus."""

    def __init__(self, message: str, *, document_id: str | None = None) -> None:
        super().__init__(message, document_id=document_id, reason="duplicate_id")


class MissingFieldError(InputError):
    """The first records of a JSONL or Parquet input all lack the text field.

    One record without it is a rejection; a file whose records all lack it
    was given the wrong field name, and reading on would only reject them all.
    """

    def __init__(self, message: str, *, field: str, fields_seen: tuple[str, ...]) -> None:
        super().__init__(message, reason="missing_text")
        self.field = field
        #: Every field the records read had, sorted: the name that was meant is among them.
        self.fields_seen = fields_seen


class IndexFileError(DedupError, ValueError):
    """A persisted index file is corrupt, truncated or not a dedup index."""


class MissingExtraError(DedupError, ImportError):
    """An optional dependency is missing; the message says which extra to install."""

    def __init__(self, extra: str, module: str) -> None:
        super().__init__(
            f"this feature needs the optional dependency {module!r}; "
            f'install it with: pip install "dedup-corpus[{extra}]"'
        )
        self.extra = extra
