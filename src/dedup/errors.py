"""Every error dedup raises, in one tree.

Each class also derives from the builtin a caller would naturally catch, so
``except ValueError`` keeps working for code that does not know dedup::

    DedupError
    ├── ConfigError(ValueError)        a config field has a bad value
    ├── InputError(ValueError)         a document is malformed (names the document)
    │   ├── DuplicateIdError           an id was seen twice in one corpus
    │   └── MissingFieldError          a file's records lack the text field (a wrong field name)
    ├── IndexFileError(ValueError)     a persisted index is corrupt, truncated or foreign
    ├── MissingExtraError(ImportError) an optional dependency is not installed
    ├── OutputLockedError(RuntimeError) another run is writing the same output folder
    └── OutputWriteError(OSError)      an output could not be written (disk full, read-only...)
"""

from __future__ import annotations

import errno as _errno

__all__ = [
    "ConfigError",
    "DedupError",
    "DuplicateIdError",
    "IndexFileError",
    "InputError",
    "MissingExtraError",
    "MissingFieldError",
    "OutputLockedError",
    "OutputWriteError",
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


class OutputLockedError(DedupError, RuntimeError):
    """Another process holds the lock of the output folder; ``pid`` names it when known."""

    def __init__(self, folder: str, pid: int | None) -> None:
        holder = f"process {pid}" if pid is not None else "another process"
        super().__init__(f"output folder {folder!r} is in use by {holder}; wait for it to "
                         "finish or choose another folder")
        self.folder = folder
        self.pid = pid

    def __reduce__(self) -> tuple[object, ...]:
        return type(self), (self.folder, self.pid)


#: The errors that mean "the disk or the folder refuses the write", as opposed to a bug.
WRITE_ERRNOS = frozenset(
    code for code in (getattr(_errno, name, None) for name in
                      ("ENOSPC", "EDQUOT", "EFBIG", "EROFS", "EACCES", "EPERM"))
    if code is not None)


class OutputWriteError(DedupError, OSError):
    """A file could not be written: the disk is full, a quota is reached, it is read-only...

    ``path`` is the file; ``errno`` and ``strerror`` are the operating system's;
    ``then`` is what to do once the cause is fixed (``dedup run`` resumes when
    the same command runs again).
    """

    def __init__(self, path: str, code: int | None, strerror: str | None, *,
                 then: str = "try again") -> None:
        super().__init__(code, strerror, path)
        self.path = path
        self.then = then

    def __str__(self) -> str:
        full = (_errno.ENOSPC, getattr(_errno, "EDQUOT", _errno.ENOSPC), _errno.EFBIG)
        fix = "free space" if self.errno in full else "make it writable"
        return f"cannot write {self.path}: {self.strerror}; {fix} and {self.then}"

    def __reduce__(self) -> tuple[object, ...]:
        # Crosses process boundaries (a worker's spill write): keep every field.
        return _rebuild_write_error, (self.path, self.errno, self.strerror, self.then)


def _rebuild_write_error(path: str, code: int | None, strerror: str | None,
                         then: str) -> OutputWriteError:
    return OutputWriteError(path, code, strerror, then=then)
