"""Which files a run reads: folders walked into a sorted list, and every odd path named.

A folder can hold things that are not documents: named pipes and sockets
(reading a pipe waits forever for a writer), links that point nowhere or to
themselves, folders this process may not list. None of them may stop a run or
vanish from its account, so each becomes an :class:`InputFile` that carries
its :class:`~dedup.document.Rejection`, and the reader hands that on as the
path's manifest line.

Links are followed, to files and to folders alike, as a folder given on the
command line is; a link to a folder that contains it would be walked forever,
so it is a ``symlink_loop``. Hidden files and folders (``.git``,
``.DS_Store``) are not documents and are skipped. Names are sorted by their
relative path, so runs are reproducible on any file system.

``include`` and ``exclude`` (``--glob`` and ``--exclude``) choose what is read
inside folders: shell patterns (``*``, ``?``, ``[abc]``; ``*`` also matches
``/``) tried on the path relative to the folder given (``2024/a.txt``) and on
the file's own name (``a.txt``). A file is read when it matches some
``include`` pattern (or none is given) and no ``exclude`` pattern; a folder
matching an ``exclude`` pattern is not walked. A file named on the command
line is always read. ``-`` names standard input (:data:`STDIN`), read by
:func:`dedup.corpus.io.read_documents`.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from dedup.document import Rejection, RejectionReason
from dedup.errors import InputError

__all__ = ["COMPRESSED_SUFFIXES", "STDIN", "FileFormat", "InputFile", "file_format",
           "list_paths"]

#: ``stdin`` is standard input, JSONL or one text as its first line says (see dedup.corpus.io).
FileFormat = Literal["text", "jsonl", "parquet", "stdin"]
#: The input path that means standard input.
STDIN = "-"

#: Suffixes read through a decompressor, for JSONL and text files alike.
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz")
_JSONL_SUFFIXES = tuple(base + compressed for base in (".jsonl", ".ndjson")
                        for compressed in ("", *COMPRESSED_SUFFIXES))
_PARQUET_SUFFIXES = (".parquet",)


@dataclass(frozen=True, slots=True, kw_only=True)
class InputFile:
    """One path to read: where it is, how it is named in ids, its format, or why it cannot be.

    ``name`` is relative to the folder given (``news/a.txt``), or the path as
    given for a file named directly; it is the id of a text document and the
    prefix of ``<file>:<line>`` ids. ``size`` and ``modified_ns`` are what the
    listing saw, so a resumed run can tell whether its inputs changed without
    touching the path again. ``rejection`` is set for a path that is not a
    readable regular file (a pipe, a dangling link, a folder that cannot be
    listed); such a path is never opened.
    """

    path: Path
    name: str
    format: FileFormat
    size: int = 0
    modified_ns: int = 0
    rejection: Rejection | None = None


def file_format(name: str) -> FileFormat:
    """Return the reader a file name calls for.

    >>> file_format("dump.jsonl.gz"), file_format("a.parquet"), file_format("story.txt.gz")
    ('jsonl', 'parquet', 'text')
    """
    lowered = name.lower()
    if lowered.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    if lowered.endswith(_PARQUET_SUFFIXES):
        return "parquet"
    return "text"


def _rejected(path: Path, name: str, reason: RejectionReason, detail: str) -> InputFile:
    location = path.as_posix()
    return InputFile(path=path, name=name, format=file_format(name),
                     rejection=Rejection(id=name, location=location, reason=reason,
                                         detail=f"{location}: {detail}"))


def _unstattable(path: Path, name: str, exc: OSError) -> InputFile:
    """Name why ``os.stat`` failed on a listed entry (it followed a link, or could not)."""
    if path.is_symlink():
        if exc.errno == errno.ELOOP:
            return _rejected(path, name, "symlink_loop",
                             "a symbolic link that leads back to itself")
        if exc.errno == errno.ENOENT:
            return _rejected(path, name, "dangling_symlink",
                             f"a symbolic link to {os.readlink(path)!r}, which does not exist")
    return _rejected(path, name, "unreadable", f"cannot read: {exc.strerror or exc}")


@dataclass(frozen=True, slots=True)
class _Patterns:
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @staticmethod
    def _matches(name: str, patterns: tuple[str, ...]) -> bool:
        base = name.rsplit("/", 1)[-1]
        return any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(base, p)
                   for p in patterns)

    def wants_file(self, name: str) -> bool:
        return ((not self.include or self._matches(name, self.include))
                and not self._matches(name, self.exclude))

    def wants_folder(self, name: str) -> bool:
        return not self._matches(name, self.exclude)


def _walk(folder: Path, given: str, patterns: _Patterns = _Patterns()) -> list[InputFile]:
    """List every non-hidden entry below ``folder``, walking with a stack (folders nest deep)."""
    found: list[InputFile] = []
    top = os.stat(folder)
    # Each folder still to list, its relative name and the folders that contain it.
    pending: list[tuple[Path, str, frozenset[tuple[int, int]]]] = [
        (folder, "", frozenset({(top.st_dev, top.st_ino)}))]
    while pending:
        directory, relative, ancestors = pending.pop()
        try:
            with os.scandir(directory) as listing:
                names = sorted(entry.name for entry in listing)
        except OSError as exc:
            label = f"{relative}/" if relative else given
            found.append(_rejected(directory, label, "unreadable",
                                   f"cannot list the folder ({exc.strerror or exc}); "
                                   "the files in it were not read"))
            continue
        for child in names:
            if child.startswith("."):
                continue
            name = f"{relative}/{child}" if relative else child
            path = directory / child
            if not patterns.wants_folder(name):
                continue
            try:
                status = os.stat(path)
            except OSError as exc:
                if patterns.wants_file(name):
                    found.append(_unstattable(path, name, exc))
                continue
            if stat.S_ISDIR(status.st_mode):
                key = (status.st_dev, status.st_ino)
                if key in ancestors:
                    found.append(_rejected(path, f"{name}/", "symlink_loop",
                                           "a link to a folder that contains it; not followed"))
                else:
                    pending.append((path, name, ancestors | {key}))
            elif not patterns.wants_file(name):
                continue
            elif stat.S_ISREG(status.st_mode):
                found.append(InputFile(path=path, name=name, format=file_format(name),
                                       size=status.st_size, modified_ns=status.st_mtime_ns))
            else:
                found.append(_rejected(path, name, "not_a_regular_file",
                                       f"a {_kind(status.st_mode)}, not a file; not read"))
    return sorted(found, key=lambda f: f.name)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def list_paths(paths: Sequence[str | os.PathLike[str]], *, include: Sequence[str] = (),
               exclude: Sequence[str] = ()) -> tuple[InputFile, ...]:
    """List the files behind ``paths`` in reading order.

    A path named directly must be a file or a folder: anything else is a
    mistake in the command. Inside a folder, a path that cannot be read is
    listed with its rejection instead. ``include`` and ``exclude`` filter
    what folders hold (see the module docstring).

    Raises:
        InputError: a path does not exist, or names something that is neither
            a file nor a folder; ``-`` is given twice.

    >>> list_paths(["no/such/folder"])
    Traceback (most recent call last):
    ...
    dedup.errors.InputError: input path 'no/such/folder' does not exist
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    patterns = _Patterns(tuple(include), tuple(exclude))
    files: list[InputFile] = []
    for given in paths:
        path = Path(given)
        shown = os.fspath(given)
        if shown == STDIN:
            if any(f.format == "stdin" for f in files):
                raise InputError("standard input ('-') is given twice; it can be read once")
            files.append(InputFile(path=Path(STDIN), name="stdin", format="stdin"))
        elif path.is_dir():
            files.extend(_walk(path, Path(shown).as_posix(), patterns))
        elif path.is_file():
            name = Path(shown).as_posix()
            status = path.stat()
            files.append(InputFile(path=path, name=name, format=file_format(name),
                                   size=status.st_size, modified_ns=status.st_mtime_ns))
        elif path.is_symlink():
            raise InputError(f"input path {shown!r} is a symbolic link to a path that does "
                             "not exist, or to itself")
        elif path.exists():
            raise InputError(f"input path {shown!r} is neither a file nor a folder")
        else:
            raise InputError(f"input path {shown!r} does not exist")
    return tuple(files)
