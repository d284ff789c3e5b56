"""Read corpora into a stream of records, and write results atomically.

Formats only, no decisions: a reader turns every input record into an
:class:`~dedup.document.InputRecord` or a :class:`~dedup.document.Rejection`
and never raises on bad data, so the pipeline can account for each record.
A path that does not exist, or a Parquet file without pyarrow, is a mistake in
the command rather than in the data, and raises before anything is read.

Which reader a file gets is decided by its name (:mod:`dedup.corpus.listing`):

* ``*.jsonl``, ``*.ndjson`` and their ``.gz``, ``.bz2`` and ``.xz`` forms: one
  JSON object per line; the text and id come from configurable fields, every
  other field is carried through in ``extras``; a record without an id gets
  ``<file>:<line>``. UTF-8, or UTF-16/32 with a byte order mark.
* ``*.parquet``: the same, one row per record (needs ``dedup-corpus[parquet]``).
* anything else: one document per file (``.gz``, ``.bz2``, ``.xz`` read
  decompressed), its id the path relative to the folder that was given (or
  the path as given, for a file named directly). How its bytes become text is
  :mod:`dedup.corpus.decoding`'s business.
* ``-``: standard input, decompressed when it starts with a gzip, bzip2 or xz
  signature. It is JSONL when its first character other than whitespace (and
  a byte order mark) is ``{``, and otherwise one text document with the id
  ``stdin``; JSONL records without an id get ``stdin:<line>``.

A wrong ``text_field`` stops the reading early: when the first
:data:`FIELD_CHECK_RECORDS` objects of a JSONL or Parquet input (or all of
them, in a smaller one) lack the field, :class:`~dedup.errors.MissingFieldError`
names the file and the fields its records have, rather than one
``missing_text`` rejection per record.

A record Python cannot hold as the input spells it is still read where it can
be: an integer of more than 4,300 digits (Python's limit for ``int()``) is
kept as its digits, a Parquet timestamp after year 9999 as Arrow's text for
it. JSON nested deeper than the parser allows is a ``nested_too_deeply``
rejection. Folders are walked as :func:`list_input_files` says, and a path
in them that is not a readable file is a rejection too.

Writers put each output in place with one rename (:func:`atomic_writer`), so a
run that is killed leaves either the previous file or the complete new one.
"""

from __future__ import annotations

import bz2
import collections
import contextlib
import decimal
import gzip
import itertools
import json
import logging
import lzma
import math
import numbers
import operator
import os
import re
import stat
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from io import BufferedReader, RawIOBase, TextIOWrapper
from pathlib import Path
from typing import IO, Any, BinaryIO, NamedTuple, cast

from dedup.corpus.decoding import DecodeProblem, bom_encoding, decode_line, decode_text
from dedup.corpus.frames import Frame, document_rows
from dedup.corpus.listing import STDIN, InputFile, list_paths
from dedup.document import ExtraValue, InputRecord, Rejection, RejectionReason
from dedup.errors import WRITE_ERRNOS, MissingExtraError, MissingFieldError, OutputWriteError

__all__ = [
    "FIELD_CHECK_RECORDS",
    "STDIN",
    "InputFile",
    "atomic_path",
    "atomic_writer",
    "escape_surrogates",
    "import_pyarrow",
    "json_line",
    "json_text",
    "list_input_files",
    "read_documents",
    "read_file",
    "read_files",
    "read_records",
    "record_from_mapping",
    "write_error",
    "write_json",
    "write_jsonl",
]

logger = logging.getLogger(__name__)



def _import_orjson_loads() -> Callable[[bytes], object] | None:
    """Return orjson's ``loads`` when it is installed (``dedup-corpus[fast]``), else None."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    loads: Callable[[bytes], object] = orjson.loads
    return loads


#: The fast JSONL parser, or None: the reader then uses json alone, with the same records.
_orjson_loads = _import_orjson_loads()


def _import_orjson_line() -> Callable[[object], bytes] | None:
    """Return a writer of one compact JSON line by orjson, when it is installed, else None."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    option = orjson.OPT_APPEND_NEWLINE

    def line(value: object) -> bytes:
        return orjson.dumps(value, option=option)
    return line


#: The fast JSONL writer, or None: :func:`json_line` then uses json alone, with the same bytes.
_orjson_line = _import_orjson_line()

_BOM = "\ufeff"
#: How many records of a file may lack the text field before the field name is taken as wrong.
FIELD_CHECK_RECORDS = 100
#: Lone surrogates: a JSON "\udc80" escape reads into one, and UTF-8 cannot encode it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def list_input_files(paths: Sequence[str | os.PathLike[str]], *, include: Sequence[str] = (),
                     exclude: Sequence[str] = ()) -> tuple[InputFile, ...]:
    """List the files behind ``paths`` in reading order (see :mod:`dedup.corpus.listing`).

    A pipe, a dangling or looping link, or a folder that cannot be listed
    inside a folder is listed with its rejection; the readers pass it on.
    ``include`` and ``exclude`` are shell patterns choosing what folders hold.

    Raises:
        InputError: a path does not exist, or names something that is neither
            a file nor a folder.
        MissingExtraError: a Parquet file is listed and pyarrow is missing.

    >>> list_input_files(["no/such/folder"])
    Traceback (most recent call last):
    ...
    dedup.errors.InputError: input path 'no/such/folder' does not exist
    """
    files = list_paths(paths, include=include, exclude=exclude)
    if any(f.format == "parquet" and f.rejection is None for f in files):
        import_pyarrow()
    return files


def read_documents(
    paths: Sequence[str | os.PathLike[str]],
    *,
    text_field: str = "text",
    id_field: str = "id",
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    on_read: Callable[[int], None] | None = None,
) -> Iterator[InputRecord | Rejection]:
    """Read files and folders into one record per input record, in a stable order.

    Added in 0.1; ``include``, ``exclude`` and ``-`` for standard input in 0.2.

    Args:
        paths: files and folders, read in the order given; ``-`` is standard input.
        text_field: the JSONL/Parquet field holding the document text.
        id_field: the JSONL/Parquet field holding the document id.
        include: shell patterns; inside folders only files matching one are read.
        exclude: shell patterns; files and folders matching one are not read.
        on_read: called with the bytes of input each record took, before the
            record is handed on (see :func:`read_files`).

    Raises:
        InputError: a path does not exist (checked before anything is read).
        MissingFieldError: the first records of a file lack ``text_field``
            (raised when that file is reached).
        MissingExtraError: a Parquet file is given and pyarrow is missing.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Hello.")
    >>> _ = (folder / "b.jsonl").write_text('{"id": "x", "text": "Hi", "lang": "en"}\\n{oops\\n')
    >>> for record in read_documents([folder]):
    ...     print(type(record).__name__, record.id)
    InputRecord a.txt
    InputRecord x
    Rejection b.jsonl:2
    """
    files = list_input_files(paths, include=include, exclude=exclude)
    return read_files(files, text_field=text_field, id_field=id_field, on_read=on_read)


def read_files(
    files: Sequence[InputFile], *, text_field: str = "text", id_field: str = "id",
    on_read: Callable[[int], None] | None = None,
) -> Iterator[InputRecord | Rejection]:
    """Read listed files (:func:`list_input_files`) into their records, in order.

    ``on_read`` hears how far the reading got, in bytes of the files as listed
    (compressed bytes for a compressed file; a Parquet file's bytes shared out
    over its rows by the row count in its metadata): before each record is
    handed on, the bytes it took. By the end of a file it has heard that
    file's listed size, so the sum over a read is the listing's total
    (standard input has no size, and is not counted).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.jsonl").write_text('{"text": "Hi"}\\n{"text": "Ho"}\\n')
    >>> heard = []
    >>> [r.id for r in read_files(list_input_files([folder]), on_read=heard.append)]
    ['a.jsonl:1', 'a.jsonl:2']
    >>> heard
    [15, 15]
    """
    for input_file in files:
        counter = _ReadCounter(on_read)
        if input_file.rejection is not None:
            counter.finish(input_file.size)
            yield input_file.rejection
            continue
        logger.debug("reading %s as %s", input_file.path, input_file.format)
        if input_file.format == "text":
            record = _read_text_file(input_file)
            counter.finish(input_file.size)
            yield record
        elif input_file.format == "stdin":
            yield from _checked_fields(_read_stdin(text_field=text_field, id_field=id_field),
                                       "standard input", text_field)
        elif input_file.format == "jsonl":
            yield from _checked_fields(
                _read_jsonl_file(input_file, text_field=text_field, id_field=id_field,
                                 counter=counter),
                input_file.path.as_posix(), text_field)
        else:
            yield from _checked_fields(
                _read_parquet_file(input_file, text_field=text_field, id_field=id_field,
                                   counter=counter),
                input_file.path.as_posix(), text_field)
        counter.finish(input_file.size)


class _ReadCounter:
    """How far one file's reading got, told to ``on_read`` as it grows."""

    def __init__(self, on_read: Callable[[int], None] | None) -> None:
        self._on_read = on_read
        self.told = 0

    @property
    def is_heard(self) -> bool:
        """Whether anyone listens (an ``on_read`` was given)."""
        return self._on_read is not None

    def reached(self, position: int) -> None:
        """Tell ``on_read`` that the reading got to ``position`` bytes into the file."""
        if self._on_read is not None and position > self.told:
            self._on_read(position - self.told)
            self.told = position

    def finish(self, size: int) -> None:
        """Tell ``on_read`` the rest of the file's listed size (the file is done)."""
        self.reached(size)


def _checked_fields(records: Iterator[InputRecord | Rejection], where: str,
                    text_field: str) -> Iterator[InputRecord | Rejection]:
    """Pass ``records`` on, unless the first ones all lack the text field: then raise.

    Records are held back only until one has the field, or
    :data:`FIELD_CHECK_RECORDS` objects have been seen without it.
    """
    held: list[InputRecord | Rejection] = []
    fields: set[str] = set()
    missing = 0
    for record in records:
        if isinstance(record, Rejection) and record.reason == "missing_text":
            held.append(record)
            missing += 1
            fields.update(_fields_named(record.detail))
            if missing >= FIELD_CHECK_RECORDS:
                break
            continue
        if isinstance(record, Rejection) and record.reason in _NOT_OBJECTS:
            held.append(record)
            continue
        # A record that has the field (or a text file's): the name is right.
        yield from held
        yield record
        yield from records
        return
    if missing:
        shown = ", ".join(sorted(fields)) or "none"
        scope = (f"in its first {missing} records" if missing >= FIELD_CHECK_RECORDS
                 else f"in any of its {missing} records" if missing > 1 else "in its record")
        raise MissingFieldError(f"{where} has no field {text_field!r} {scope}; "
                                f"fields seen: {shown}",
                                field=text_field, fields_seen=tuple(sorted(fields)))
    yield from held


#: Rejections of lines that are no object at all: they say nothing about the field name.
_NOT_OBJECTS = frozenset({"malformed_json", "not_an_object", "nested_too_deeply",
                          "invalid_utf8", "invalid_encoding", "unreadable"})
_FIELDS = re.compile(r"\(fields: (.*)\)$")


def _fields_named(detail: str) -> list[str]:
    """Return the fields a ``missing_text`` rejection's detail lists."""
    found = _FIELDS.search(detail)
    if found is None or found.group(1) == "none":
        return []
    return found.group(1).split(", ")


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
#: What a corrupt or truncated compressed file raises while it is read.
_DECOMPRESSION_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError)


def _open_regular(input_file: InputFile) -> BinaryIO | Rejection:
    """Open a file for reading, or say why not, without ever waiting on a pipe.

    The listing already set pipes aside, but a path can change between listing
    and reading; opening without blocking and checking what was opened keeps a
    run from hanging on a pipe that appeared meanwhile.
    """
    location = input_file.path.as_posix()
    try:
        descriptor = os.open(input_file.path, os.O_RDONLY | _NONBLOCK)
    except OSError as exc:
        return Rejection(id=input_file.name, location=location, reason="unreadable",
                         detail=f"cannot read {location}: {exc.strerror or exc}")
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            os.close(descriptor)
            return Rejection(id=input_file.name, location=location,
                             reason="not_a_regular_file",
                             detail=f"{location}: not a regular file; not read")
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(descriptor)
        raise


def _decompressed(raw: BinaryIO, name: str) -> BinaryIO:
    """Wrap ``raw`` in the decompressor its name calls for (``.gz``, ``.bz2``, ``.xz``)."""
    lowered = name.lower()
    if lowered.endswith(".gz"):
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if lowered.endswith(".bz2"):
        return bz2.BZ2File(raw, "rb")  # type: ignore[return-value]
    if lowered.endswith(".xz"):
        return lzma.LZMAFile(raw, "rb")  # type: ignore[return-value]
    return raw


def _read_text_file(input_file: InputFile) -> InputRecord | Rejection:
    location = input_file.path.as_posix()
    raw = _open_regular(input_file)
    if isinstance(raw, Rejection):
        return raw
    try:
        with raw, _decompressed(raw, input_file.name) as handle:
            data = handle.read()
    except _DECOMPRESSION_ERRORS as exc:
        return Rejection(id=input_file.name, location=location, reason="unreadable",
                         detail=f"cannot read {location}: {_error_text(exc)}")
    return _text_record(data, name=input_file.name, location=location)


def _text_record(data: bytes, *, name: str, location: str) -> InputRecord | Rejection:
    """Return the one document a text file's bytes hold, or why they hold none."""
    decoded = decode_text(data)
    if isinstance(decoded, DecodeProblem):
        return Rejection(id=name, location=location, reason=decoded.reason,
                         detail=f"{location}: {decoded.detail}")
    text = decoded.text
    decoded_as = None
    if decoded.encoding == "cp1252":
        decoded_as = decoded.encoding
        location = f"{location} (not UTF-8; decoded as cp1252)"
        logger.info("%s is not UTF-8; decoded it as cp1252", name)
    if not text.strip():
        return Rejection(id=name, location=location, reason="empty",
                         detail=f"{location} holds no text" if text == ""
                         else f"{location} holds only whitespace")
    return InputRecord(id=name, text=text, location=location, decoded_as=decoded_as)


class _Prefixed(RawIOBase):
    """A stream that gives ``head`` back first, then the rest of ``rest``: undoing a sniff."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            size = min(len(view), len(self._head))
            view[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(view))
        view[:len(data)] = data
        return len(data)


#: Signatures of the compressed streams standard input may carry, and how to open them.
_SIGNATURES = ((b"\x1f\x8b", ".gz"), (b"BZh", ".bz2"), (b"\xfd7zXZ\x00", ".xz"))


def _sniff(stream: BinaryIO) -> tuple[BinaryIO, bool]:
    """Return ``stream`` (decompressed when it is) and whether it holds JSONL.

    JSONL when the first character other than whitespace (after a byte order
    mark) is ``{``; only as many bytes are read as it takes to see one.
    """
    # read1: what the pipe has now, so a slow writer's first line is seen without waiting.
    read = getattr(stream, "read1", stream.read)
    head = b""
    chunk = b"-"
    while chunk and len(head) < 6:
        chunk = read(4096)
        head += chunk
    for signature, suffix in _SIGNATURES:
        if head.startswith(signature):
            return _sniff(_decompressed(BufferedReader(_Prefixed(head, stream)), suffix))
    while True:
        encoding = bom_encoding(head[:4]) or "utf-8"
        text = head.decode(encoding, errors="ignore").lstrip(_BOM)
        if text.strip() or not chunk:
            return BufferedReader(_Prefixed(head, stream)), text.lstrip().startswith("{")
        chunk = read(4096)
        head += chunk


def _read_stdin(*, text_field: str, id_field: str) -> Iterator[InputRecord | Rejection]:
    """Read standard input: JSONL, or one text document (see the module docstring)."""
    try:
        stream, is_jsonl = _sniff(sys.stdin.buffer)
        if is_jsonl:
            yield from _jsonl_records(stream, name="stdin", location_file="stdin",
                                      text_field=text_field, id_field=id_field)
            return
        data = stream.read()
    except _DECOMPRESSION_ERRORS as exc:
        yield Rejection(id="stdin", location="stdin", reason="unreadable",
                        detail=f"cannot read standard input: {_error_text(exc)}")
        return
    yield _text_record(data, name="stdin", location="stdin")


def _error_text(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else None) or str(exc) \
        or type(exc).__name__


def _read_jsonl_file(
    input_file: InputFile, *, text_field: str, id_field: str, counter: _ReadCounter,
) -> Iterator[InputRecord | Rejection]:
    raw = _open_regular(input_file)
    if isinstance(raw, Rejection):
        yield raw
        return
    with raw, _decompressed(raw, input_file.name) as handle:
        records = _jsonl_records(handle, name=input_file.name,
                                 location_file=input_file.path.as_posix(),
                                 text_field=text_field, id_field=id_field)
        if not counter.is_heard:
            # Nobody listens: no position per record (a tell() and a call each: 17% of the
            # fast reader's time, 279,000 against 337,000 records/s on Reuters JSONL).
            yield from records
            return
        for record in records:
            # The raw file's position: compressed bytes for a .gz, as listed.
            counter.reached(raw.tell())
            yield record


def _jsonl_records(handle: BinaryIO, *, name: str, location_file: str, text_field: str,
                   id_field: str, fast: bool = True) -> Iterator[InputRecord | Rejection]:
    """Read JSONL lines from a binary stream (a file's, or standard input).

    With orjson installed (and ``fast``), UTF-8 lines are parsed by it and every
    line it refuses, or reads differently from :mod:`json`, goes through the
    reference path (:func:`_byte_line_record`), so both give the same records.
    """
    line_number = 0
    offset = 0
    encoding = "UTF-8"
    try:
        declared = bom_encoding(_peek(handle, 4))
        if declared is not None:
            # A byte order mark declares UTF-16/32: lines are text lines, not byte lines.
            encoding = declared.upper()
            lines = TextIOWrapper(handle, encoding=declared, newline="\n")
            for line in lines:
                line_number += 1
                if line.strip():
                    yield _parse_jsonl_text(
                        line, fallback_id=f"{name}:{line_number}",
                        location=f"{location_file}:{line_number}",
                        text_field=text_field, id_field=id_field)
            lines.detach()
            return
        # Fast path: orjson parses a Reuters line 2.5-3x faster than json.loads
        # (benchmarks/reading.py); a line it refuses, or might read differently
        # (see _read_alike), is read again by the reference path, _byte_line_record.
        loads = _orjson_loads if fast else None
        same_name = name == location_file  # then an id <file>:<line> is the location
        for line_bytes in handle:
            line_number += 1
            line_offset = offset
            offset += len(line_bytes)
            record = None
            if loads is not None:
                try:
                    row = loads(line_bytes)
                except (ValueError, RecursionError):
                    row = None
                if type(row) is dict:
                    location = f"{location_file}:{line_number}"
                    record = _mapping_record(
                        row, location if same_name else f"{name}:{line_number}", location,
                        text_field, id_field, _read_alike)
            if record is None:
                record = _byte_line_record(line_bytes, line_offset,
                                           fallback_id=f"{name}:{line_number}",
                                           location=f"{location_file}:{line_number}",
                                           text_field=text_field, id_field=id_field)
            if record is not None:
                yield record
    except UnicodeDecodeError as exc:
        yield _lost_after(name, location_file, line_number, "invalid_encoding",
                          f"cannot decode {location_file} as {encoding} after line "
                          f"{line_number}: {exc.reason}")
    except _DECOMPRESSION_ERRORS as exc:
        # A truncated or corrupt .gz: the records after this point cannot be read,
        # so the rejection names the first line that was lost.
        yield _lost_after(name, location_file, line_number, "unreadable",
                          f"cannot read {location_file} after line {line_number}: "
                          f"{_error_text(exc)}")


def _byte_line_record(line_bytes: bytes, line_offset: int, *, fallback_id: str, location: str,
                      text_field: str, id_field: str) -> InputRecord | Rejection | None:
    """Read one UTF-8 JSONL line with :mod:`json` (the reference path); None for a blank line."""
    if not line_bytes.strip():
        return None
    decoded = decode_line(line_bytes, offset=line_offset)
    if isinstance(decoded, DecodeProblem):
        return Rejection(id=fallback_id, location=location, reason=decoded.reason,
                         detail=f"{location}: {decoded.detail}")
    return _parse_jsonl_text(decoded, fallback_id=fallback_id, location=location,
                             text_field=text_field, id_field=id_field)


#: orjson reads an integer beyond 64 bits as a float, so a float this large may have been
#: one; and nesting deeper than this is left to json, whose depth limit differs.
_FLOAT_FROM_INTEGER = 2.0**63
_FAST_DEPTH = 100


def _read_alike(value: object, depth: int = 0) -> bool:
    """Whether orjson's reading of a JSON value is certainly the one json.loads gives.

    orjson refuses what json accepts beyond RFC 8259 (NaN, lone surrogates,
    integers beyond 64 bits in some places), and the reference path takes those
    lines; but it reads other integers beyond 64 bits as floats, and has its own
    depth limit. Values that might be either are refused, and reread by json.
    """
    kind = type(value)
    if kind is float:
        return -_FLOAT_FROM_INTEGER < value < _FLOAT_FROM_INTEGER  # type: ignore[operator]
    if kind is not dict and kind is not list:
        return True
    if depth >= _FAST_DEPTH:
        return False
    items: Iterable[object] = (cast("dict[str, object]", value).values() if kind is dict
                               else cast("list[object]", value))
    return all(_read_alike(item, depth + 1) for item in items)


def parse_json_line(line: bytes, *, foreign: tuple[str, ...] | None = None) -> object:
    """Parse one JSON line exactly as :func:`json.loads` does; with orjson when it reads alike.

    For files of ours (the pipeline's spill files), where the reader's
    rejections do not apply: a line orjson refuses or may read differently
    (NaN, a lone surrogate, an integer past 64 bits, deep nesting) goes to json.
    ``foreign`` names the only fields of an object line that may hold such values
    (what a user's records brought: every other field is the caller's own writing,
    strings, small integers and shallow lists); None means any field may.

    >>> parse_json_line(b'{"n": 1, "x": NaN}')
    {'n': 1, 'x': nan}
    >>> parse_json_line(b'{"n": 1, "x": 1e300}', foreign=("x",))
    {'n': 1, 'x': 1e+300}
    """
    if _orjson_loads is not None:
        try:
            value = _orjson_loads(line)
        except ValueError:
            pass
        else:
            if foreign is not None and type(value) is dict:
                # Spill rows: walking every value of the caller's own fields was 0.064 s
                # of the 0.082 s it took to parse 6,000 Reuters rows (orjson: 0.018 s).
                if all(_read_alike(value.get(name)) for name in foreign):
                    return value
            elif _read_alike(value):
                return value
    return json.loads(line)


def _lost_after(name: str, location_file: str, line_number: int, reason: RejectionReason,
                detail: str) -> Rejection:
    """Reject the rest of a file from the line after ``line_number``, which cannot be read."""
    return Rejection(id=f"{name}:{line_number + 1}",
                     location=f"{location_file}:{line_number + 1}", reason=reason,
                     detail=detail)


def _peek(handle: BinaryIO, size: int) -> bytes:
    peek = getattr(handle, "peek", None)
    head: bytes = peek(size) if callable(peek) else b""
    return head[:size]


class _LongInteger(str):
    """The digits of a JSON integer too long for ``int()`` (Python refuses past 4,300 digits)."""


def _parse_long_integers(text: str) -> object:
    """Parse JSON whose integers may be too long for Python, keeping long ones as digits."""
    limit = sys.get_int_max_str_digits()

    def parse_int(literal: str) -> object:
        return int(literal) if len(literal.lstrip("-")) <= limit else _LongInteger(literal)

    return json.loads(text, parse_int=parse_int)


def _loads(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError:
        # Python refuses to turn an integer literal of over 4,300 digits into an int
        # (the conversion takes quadratic time); the line is valid JSON, so it is
        # parsed again keeping such numbers as their digits.
        return _parse_long_integers(text)


def _parse_jsonl_text(
    text: str, *, fallback_id: str, location: str, text_field: str, id_field: str,
) -> InputRecord | Rejection:
    try:
        row = _loads(text)
    except json.JSONDecodeError as exc:
        return Rejection(id=fallback_id, location=location, reason="malformed_json",
                         detail=f"{location}: {exc}")
    except RecursionError:
        return Rejection(id=fallback_id, location=location, reason="nested_too_deeply",
                         detail=f"{location}: JSON nested deeper than the parser's limit "
                                f"(about {sys.getrecursionlimit()} levels)")
    if not isinstance(row, dict):
        return Rejection(id=fallback_id, location=location, reason="not_an_object",
                         detail=f"{location}: a JSON {type(row).__name__}, "
                                f"not an object with a {text_field!r} field")
    return record_from_mapping(row, fallback_id=fallback_id, location=location,
                               text_field=text_field, id_field=id_field)


#: Integers below this size are far from the digit limit :func:`_integer` guards against.
_PLAIN_INTEGER = 1 << 1024


def _integer(number: int) -> int | str:
    """Return an integer, or its digits when it is too long for JSON writers to print."""
    limit = sys.get_int_max_str_digits()
    # A number of n bits has at most n*log10(2)+1 decimal digits.
    if limit and number.bit_length() * 0.30103 + 1 >= limit:
        # str() refuses such numbers (the limit guards against quadratic conversion);
        # decimal converts without it.
        return str(decimal.Decimal(number))
    return number


def _extra_value(value: object) -> ExtraValue:
    if value is None or isinstance(value, (str, bool)):
        return str(value) if isinstance(value, _LongInteger) else value
    if isinstance(value, numbers.Integral):
        return _integer(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        # NaN is how pandas spells "missing"; JSON has no NaN.
        return None if math.isnan(number) or math.isinf(number) else number
    if isinstance(value, (Mapping, list, tuple)):
        return _compact_json(value)
    # A timestamp, a decimal: the text of the value (JSON would only quote it).
    return str(value)


def _compact_json(value: object) -> str:
    """Write a nested value as compact JSON text, sorted keys, non-JSON values as text."""
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                          default=str)
    except ValueError:
        # An integer too long to print (see _integer): write it as its digits.
        return json.dumps(_without_long_integers(value), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"), default=str)


def _without_long_integers(value: object) -> object:
    """Return ``value`` with every integer replaced by what :func:`_integer` makes of it."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _integer(value)
    if isinstance(value, Mapping):
        return {key: _without_long_integers(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_long_integers(item) for item in value]
    return value


def record_from_mapping(
    row: Mapping[str, object], *, fallback_id: str, location: str,
    text_field: str = "text", id_field: str = "id",
) -> InputRecord | Rejection:
    """Turn one parsed row into a record, or say why it cannot be one.

    Shared by JSONL, Parquet and in-memory rows so every format applies the
    same checks in the same order.

    >>> record_from_mapping({"text": 3}, fallback_id="r:1", location="r:1").reason
    'non_string_text'
    >>> record_from_mapping({"id": 7, "text": "Hi", "tags": ["a"]},
    ...                     fallback_id="r:1", location="r:1").extras
    {'tags': '["a"]'}
    """
    record = _mapping_record(row, fallback_id, location, text_field, id_field, None)
    if record is None:  # pragma: no cover - only a check can ask for a rereading
        raise AssertionError("no check was given")
    return record


def _mapping_record(
    row: Mapping[str, object], fallback_id: str, location: str, text_field: str,
    id_field: str, is_read_alike: Callable[[object], bool] | None,
) -> InputRecord | Rejection | None:
    """:func:`record_from_mapping`; None when ``is_read_alike`` refuses a value it looked at.

    The fast JSONL path passes :func:`_read_alike`: a value whose type is not
    one orjson and json always read alike (floats, containers) is checked
    before it decides anything, and the caller rereads a refused line with json.
    Its ``row`` is then a dict of its own, which this function may change.
    """
    raw_id = row.get(id_field)
    if type(raw_id) is str and raw_id:
        record_id = raw_id
    elif raw_id is None or raw_id == "":
        record_id = fallback_id
    elif is_read_alike is not None and not is_read_alike(raw_id):
        return None
    elif isinstance(raw_id, str):
        record_id = str(raw_id)
    elif isinstance(raw_id, numbers.Integral) and not isinstance(raw_id, bool):
        record_id = str(_integer(int(raw_id)))
    else:
        return Rejection(id=fallback_id, location=location, reason="invalid_id",
                         detail=f"{location}: {id_field!r} is a {type(raw_id).__name__}, "
                                "expected a string or an integer")
    text = row.get(text_field, _MISSING)
    if text is _MISSING:
        return Rejection(id=record_id, location=location, reason="missing_text",
                         detail=f"{location}: no {text_field!r} field "
                                f"(fields: {', '.join(sorted(map(str, row))) or 'none'})")
    if type(text) is not str:
        if is_read_alike is not None and not is_read_alike(text):
            return None
        if not isinstance(text, str) or isinstance(text, _LongInteger):
            kind = "int" if isinstance(text, _LongInteger) else type(text).__name__
            return Rejection(id=record_id, location=location, reason="non_string_text",
                             detail=f"{location}: {text_field!r} is a {kind}, "
                                    "expected a string")
    if "\x00" in text:
        return Rejection(id=record_id, location=location, reason="nul_bytes",
                         detail=f"{location}: {text_field!r} contains a NUL character at "
                                f"offset {text.index(chr(0))}")
    if not text or text.isspace():  # not text.strip(), without copying the text
        return Rejection(id=record_id, location=location, reason="empty",
                         detail=f"{location}: {text_field!r} is empty" if text == ""
                         else f"{location}: {text_field!r} holds only whitespace")
    if is_read_alike is not None:
        # The fast JSONL path's row is its own, fresh from orjson: it becomes the extras
        # in place, which measured 0.3 us a record less than building a new dict.
        owned = cast("dict[str, object]", row)
        del owned[text_field]
        owned.pop(id_field, None)
        for key, value in owned.items():
            value_type = type(value)
            if value_type is str or value_type is bool or value is None or value_type is int:
                continue  # orjson's integers have at most 64 bits
            if not is_read_alike(value):
                return None
            try:
                owned[key] = _extra_value(value)
            except RecursionError:
                return Rejection(id=record_id, location=location, reason="nested_too_deeply",
                                 detail=f"{location}: field {key!r} is nested too deeply "
                                        "to be written back as JSON")
        return _built_record(record_id, text, location, cast("dict[str, ExtraValue]", owned))
    extras: dict[str, ExtraValue] = {}
    for key, value in row.items():
        if key in (text_field, id_field):
            continue
        value_type = type(value)
        # Exact types first: the common values of a row are kept as they are, without
        # _extra_value's ABC checks (a third of the reader's own cost per record).
        if value_type is str or value_type is bool or value is None or (
                value_type is int and -_PLAIN_INTEGER < value < _PLAIN_INTEGER):  # type: ignore[operator]
            extras[key if type(key) is str else str(key)] = value  # type: ignore[assignment]
            continue
        if is_read_alike is not None and not is_read_alike(value):
            return None
        try:
            extras[str(key)] = _extra_value(value)
        except RecursionError:
            return Rejection(id=record_id, location=location, reason="nested_too_deeply",
                             detail=f"{location}: field {str(key)!r} is nested too deeply "
                                    "to be written back as JSON")
    return _built_record(record_id, text, location, extras)


def _built_record(record_id: str, text: str, location: str,
                  extras: dict[str, ExtraValue]) -> InputRecord:
    """``InputRecord(id=..., text=..., location=..., extras=...)``, built faster.

    The frozen dataclass's ``__init__`` (keyword parsing, ``object.__setattr__``
    per field) measured 2.3 us a record, a third of the fast reader's whole cost;
    setting the slots directly takes 0.6 us. InputRecord has no ``__post_init__``,
    so the object is the same (a test compares them). A leading BOM is dropped.
    """
    record: InputRecord = _new_object(InputRecord)
    _set_id(record, record_id)
    _set_text(record, text.removeprefix(_BOM))
    _set_location(record, location)
    _set_extras(record, extras)
    _set_decoded_as(record, None)
    return record


_MISSING = object()
_new_object = object.__new__
_set_id = InputRecord.__dict__["id"].__set__
_set_text = InputRecord.__dict__["text"].__set__
_set_location = InputRecord.__dict__["location"].__set__
_set_extras = InputRecord.__dict__["extras"].__set__
_set_decoded_as = InputRecord.__dict__["decoded_as"].__set__


def read_records(
    rows: Iterable[Mapping[str, object]] | Frame,
    *,
    text_field: str = "text",
    id_field: str = "id",
    name: str = "records",
) -> Iterator[InputRecord | Rejection]:
    """Read in-memory rows (dicts, or a DataFrame or table) like JSONL lines.

    A pandas or polars DataFrame, an Arrow table or a Hugging Face ``Dataset``
    is read row by row in chunks, every column carried through in ``extras``
    (see :mod:`dedup.corpus.frames`). A row without an id gets
    ``<name>:<n>``, counting from 1. Added in 0.1.

    Raises:
        TypeError: ``rows`` is one text, one mapping, one column or not
            iterable (checked before anything is read).
        InputError: a frame has no ``text_field`` column.

    >>> [r.id for r in read_records([{"text": "a"}, {"id": "b", "text": "b"}])]
    ['records:1', 'b']
    """
    source = document_rows(rows, text_field=text_field, id_field=id_field, columns="all",
                           caller="run")
    return _read_rows(source, text_field=text_field, id_field=id_field, name=name)


def _read_rows(rows: Iterable[object], *, text_field: str, id_field: str,
               name: str) -> Iterator[InputRecord | Rejection]:
    for number, row in enumerate(rows, start=1):
        where = f"{name}:{number}"
        if not isinstance(row, Mapping):
            yield Rejection(id=where, location=where, reason="not_an_object",
                            detail=f"{where}: a {type(row).__name__}, not a mapping")
            continue
        yield record_from_mapping(row, fallback_id=where, location=where,
                                  text_field=text_field, id_field=id_field)


def import_pyarrow() -> tuple[Any, Any]:
    """Return ``pyarrow`` and ``pyarrow.parquet``, or raise naming the extra to install."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtraError("parquet", "pyarrow") from None
    return pa, pq


class _Unconvertible(NamedTuple):
    """A Parquet value Python cannot hold (a timestamp after 9999), and Arrow's text for it."""

    text: str | None
    error: str


#: What pyarrow raises turning a value Python cannot hold into a Python object.
_CONVERSION_ERRORS = (OverflowError, ValueError)


class _BatchColumns(NamedTuple):
    """One Parquet record batch as Python values, column by column."""

    names: list[str]
    #: Arrow's type of each column (a ``pyarrow.DataType``).
    types: list[Any]
    columns: list[list[object]]
    #: Whether a value Python cannot hold is among them, as an ``_Unconvertible``.
    has_unconvertible: bool


def _batch_columns(batch: Any) -> _BatchColumns:
    """Return a record batch's columns as lists (``to_pylist`` per column).

    Column by column measured 15% faster than ``batch.to_pylist()``. A value
    Python cannot hold becomes an ``_Unconvertible``.
    """
    columns: list[list[object]] = []
    unconvertible = False
    for column in batch.columns:
        try:
            columns.append(column.to_pylist())
        except _CONVERSION_ERRORS:
            columns.append([_column_value(column, index) for index in range(len(column))])
            unconvertible = True
    return _BatchColumns(names=list(batch.schema.names), types=list(batch.schema.types),
                         columns=columns, has_unconvertible=unconvertible)


def _column_value(column: Any, index: int) -> object:
    scalar = column[index]
    try:
        return scalar.as_py()
    except _CONVERSION_ERRORS as exc:
        import pyarrow as pa

        try:
            text = scalar.cast(pa.string()).as_py()
        except (pa.ArrowException, *_CONVERSION_ERRORS):
            text = None
        return _Unconvertible(text=text, error=str(exc))


def _parquet_record(row: dict[str, object], *, fallback_id: str, location: str,
                    text_field: str, id_field: str) -> InputRecord | Rejection:
    for key, value in row.items():
        if not isinstance(value, _Unconvertible):
            continue
        if key in (text_field, id_field) or value.text is None:
            return Rejection(id=fallback_id, location=location, reason="unreadable",
                             detail=f"{location}: column {key!r} holds a value Python "
                                    f"cannot represent ({value.error})")
        # Keep the document: an odd timestamp (a unit mix-up gives year 60000) is no
        # reason to lose its text; the value is kept as Arrow writes it.
        row[key] = value.text
    return record_from_mapping(row, fallback_id=fallback_id, location=location,
                               text_field=text_field, id_field=id_field)


def _reference_batch_records(
    batch: _BatchColumns, *, first_row: int, name: str, location_file: str, text_field: str,
    id_field: str,
) -> Iterator[InputRecord | Rejection]:
    """Read a batch's rows like JSONL objects: each a dict, through :func:`record_from_mapping`.

    The reference path, the one to read first: what :func:`_fast_batch_records`
    must agree with (a differential test holds them together).
    """
    read = _parquet_record if batch.has_unconvertible else record_from_mapping
    for number, values in enumerate(zip(*batch.columns, strict=False), start=first_row):
        yield read(dict(zip(batch.names, values, strict=False)), fallback_id=f"{name}:{number}",
                   location=f"{location_file}:{number}", text_field=text_field,
                   id_field=id_field)


def _fast_batch_records(
    batch: _BatchColumns, *, first_row: int, name: str, location_file: str, text_field: str,
    id_field: str,
) -> Iterator[InputRecord | Rejection]:
    """:func:`_reference_batch_records`, with the checks made per column where they can be.

    Fast path: the reference builds a dict per row and checks every value of
    it by its Python type; here the extras' conversion is decided once per
    column by its Arrow type (strings, integers, booleans and nulls are kept as
    they are, floats only lose NaN and infinities), ids and texts are checked
    straight from their columns, and a dict is built only for the extras.
    A row whose id or text is not a plain case (a rejection, an id that is no
    string) is read by the reference path, and so is a whole batch with a value
    Python cannot hold, duplicate column names or no text column.

    Measured on 20,000 Reuters rows under callgrind: 29,800 instructions a row
    for the whole reader against 42,600 by the reference path (pyarrow's
    decoding and ``to_pylist`` take 18,300 of them); benchmarks/reading.py on
    2 shared cores: 303,000 records/s of CPU time against 197,000 by the
    reference path (1.2-1.4x in runs under heavier load).
    """
    names = batch.names
    if batch.has_unconvertible or text_field not in names or len(set(names)) < len(names):
        yield from _reference_batch_records(batch, first_row=first_row, name=name,
                                            location_file=location_file,
                                            text_field=text_field, id_field=id_field)
        return
    texts = batch.columns[names.index(text_field)]
    ids: Iterable[object] = itertools.repeat(None)
    if id_field in names:
        index = names.index(id_field)
        ids = batch.columns[index]
        if _is_integer_type(batch.types[index]):
            # The reference's str() of an integer id, for the whole column at once, so
            # that files with integer ids take the fast path too.
            ids = [None if value is None else str(value) for value in ids]
    extra_names: list[str] = []
    extra_columns: list[list[ExtraValue]] = []
    try:
        for column_name, arrow_type, values in zip(names, batch.types, batch.columns,
                                                   strict=True):
            if column_name != text_field and column_name != id_field:
                extra_names.append(column_name)
                extra_columns.append(_extra_column(values, arrow_type))
    except RecursionError:
        # Nested too deeply for JSON: the reference says which row and field.
        yield from _reference_batch_records(batch, first_row=first_row, name=name,
                                            location_file=location_file,
                                            text_field=text_field, id_field=id_field)
        return
    # The extras are filled a column at a time by a C loop (map of setitem): 114 ns a row
    # against 308 for dict(zip(names, row)) per row, on Reuters' two extra columns.
    count = len(texts)
    extras_rows: list[dict[str, ExtraValue]] = [{} for _ in range(count)]
    put: Callable[[dict[str, ExtraValue], str, ExtraValue], None] = operator.setitem
    for column_name, column in zip(extra_names, extra_columns, strict=True):
        collections.deque(map(put, extras_rows, itertools.repeat(column_name), column),
                          maxlen=0)
    locations = [f"{location_file}:{number}" for number in range(first_row, first_row + count)]
    same_name = name == location_file  # then an id <file>:<row> is the location
    for number, (record_id, text, extras, location) in enumerate(
            zip(ids, texts, extras_rows, locations, strict=False), start=first_row):
        # The reference's checks of a record that is kept, in its order: an id that is a
        # string (empty or null: the fallback), a text that is a string, without NUL,
        # not empty and not only whitespace.
        if (type(text) is str and (record_id is None or type(record_id) is str)
                and "\x00" not in text and text and not text.isspace()):
            yield _built_record(
                record_id or (location if same_name else f"{name}:{number}"),
                text, location, extras)
            continue
        row_index = number - first_row
        yield (record_from_mapping(
            {column_name: values[row_index]
             for column_name, values in zip(names, batch.columns, strict=True)},
            fallback_id=f"{name}:{number}", location=location,
            text_field=text_field, id_field=id_field))


def _is_integer_type(arrow_type: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_integer(arrow_type))


def _is_plain_type(arrow_type: Any) -> bool:
    """Whether every value of an Arrow type is kept in ``extras`` as Python reads it."""
    import pyarrow as pa

    if pa.types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    # String views are newer than the oldest pyarrow supported (12).
    is_string_view = getattr(pa.types, "is_string_view", None)
    return bool(pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type)
                or pa.types.is_integer(arrow_type) or pa.types.is_boolean(arrow_type)
                or pa.types.is_null(arrow_type)
                or (is_string_view is not None and is_string_view(arrow_type)))


def _extra_column(values: list[object], arrow_type: Any) -> list[ExtraValue]:
    """Return a column's values as ``extras`` holds them (what :func:`_extra_value` makes).

    Raises:
        RecursionError: a value is nested too deeply to be written as JSON.
    """
    import pyarrow as pa

    if _is_plain_type(arrow_type):
        return cast("list[ExtraValue]", values)
    if pa.types.is_float32(arrow_type) or pa.types.is_float64(arrow_type):
        # JSON has no NaN or infinity (_extra_value): they become null.
        floats = cast("list[float | None]", values)
        return [value if value is None or math.isfinite(value) else None for value in floats]
    return [_extra_value(value) for value in values]


def _read_parquet_file(
    input_file: InputFile, *, text_field: str, id_field: str, counter: _ReadCounter,
    fast: bool = True,
) -> Iterator[InputRecord | Rejection]:
    """Read a Parquet file's rows, by record batches; ``fast=False`` takes the reference path."""
    pq = import_pyarrow()[1]
    location_file = input_file.path.as_posix()
    raw = _open_regular(input_file)
    if isinstance(raw, Rejection):
        yield raw
        return
    read_batch = _fast_batch_records if fast else _reference_batch_records
    row_number = 0
    try:
        with raw:
            parquet = pq.ParquetFile(raw)
            # Parquet is read by row groups, footer first, so the file position says
            # little: a row's share of the bytes comes from the row count instead.
            rows = max(int(parquet.metadata.num_rows), 1)
            # One thread: pyarrow's thread pool cost 0.35 us a record of CPU time more
            # (2.17 against 2.54 us to decode and convert a Reuters row, median of 7).
            for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH_ROWS,
                                              use_threads=False):
                records = read_batch(_batch_columns(batch), first_row=row_number + 1,
                                     name=input_file.name, location_file=location_file,
                                     text_field=text_field, id_field=id_field)
                if not counter.is_heard:
                    # Nobody listens: no share of the bytes per record (a call a record,
                    # 1,000 instructions of 30,400 a Reuters row under callgrind).
                    for record in records:
                        row_number += 1
                        yield record
                    continue
                for record in records:
                    row_number += 1
                    counter.reached(input_file.size * row_number // rows)
                    yield record
    except (OSError, ValueError) as exc:
        # pyarrow raises ArrowInvalid (a ValueError) or OSError for corrupt files.
        where = f"{input_file.name}:{row_number + 1}"
        yield Rejection(id=where, location=f"{location_file}:{row_number + 1}",
                        reason="unreadable",
                        detail=f"cannot read {location_file} after row {row_number}: {exc}")


#: Rows per Parquet record batch: the records of one batch are built before the first is
#: handed on.
_PARQUET_BATCH_ROWS = 1024


def _current_umask() -> int:
    # os.umask can only be read by setting it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], *, durable: bool = True) -> Iterator[Path]:
    """Give a temporary path beside ``path``; on success rename it over ``path``.

    The rename is atomic on POSIX file systems, so readers (and a rerun after a
    kill) see either the old file or the complete new one, never a torn write.
    On an exception the temporary file is removed and ``path`` is untouched.
    Writers that only take a path (pyarrow) use this directly. ``durable``
    flushes the file to disk before the rename, so it also survives a power
    cut; scratch files that a rerun can rebuild skip that cost.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.bin"
    >>> with atomic_path(target) as temporary:
    ...     _ = temporary.write_bytes(b"done")
    >>> target.read_bytes()
    b'done'
    """
    target = Path(path)
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                                 dir=target.parent)
    except OSError as error:
        converted = write_error(target, error)
        if converted is error:
            raise
        raise converted from error
    os.close(descriptor)
    try:
        # mkstemp creates the file private (0600); outputs get the usual permissions.
        os.chmod(temporary, 0o666 & ~_current_umask())
        yield Path(temporary)
        if durable:
            with open(temporary, "rb") as written:
                os.fsync(written.fileno())
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if not isinstance(error, OSError):
            raise
        converted = write_error(target, error)
        if converted is error:
            raise
        raise converted from error


def write_error(path: str | os.PathLike[str], error: OSError) -> OSError:
    """Return ``error`` as an :class:`OutputWriteError` naming ``path`` if the disk refused a write.

    A full disk, a quota, a read-only file system or a permission raise from a
    ``write()`` that does not know the file's name; the error that reaches the
    user names it. Other errors are returned unchanged.
    """
    if isinstance(error, OutputWriteError) or error.errno not in WRITE_ERRNOS:
        return error
    return OutputWriteError(Path(path).as_posix(), error.errno, error.strerror)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], *, durable: bool = True) -> Iterator[IO[str]]:
    """Open a UTF-8 text file that appears at ``path`` only once it is complete.

    A lone surrogate (which UTF-8 cannot encode) is written as its ``\\udc80``
    escape, so the file is always valid UTF-8 and a stray surrogate in an id
    cannot abort a run at its last step.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_writer(target) as handle:
    ...     _ = handle.write("done\\n")
    >>> target.read_text()
    'done\\n'
    """
    with atomic_path(path, durable=durable) as temporary, temporary.open(
            "w", encoding="utf-8", errors="backslashreplace", newline="\n") as handle:
        yield handle


def _escape_surrogate(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape_surrogates(text: str) -> str:
    """Write each lone surrogate in ``text`` as its ``\\udc80`` escape, for UTF-8 outputs.

    >>> escape_surrogates("a\\udc80b")
    'a\\\\udc80b'
    """
    if text.isascii():
        return text
    try:
        # Encoding is the fastest test for a surrogate: 4 us on a 5.6 KB non-ASCII row,
        # where a regex search takes 30 us and would double the cost of writing it.
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub(_escape_surrogate, text)
    return text


def json_text(value: object, *, indent: int | None = None) -> str:
    """Return ``value`` as JSON, non-ASCII text as UTF-8 and lone surrogates escaped.

    JSON can spell a lone surrogate (``"\\udc80"``) and Python reads it into a
    string, but UTF-8 cannot encode one: written raw it either raises or, on a
    terminal with ``surrogateescape``, emits a byte that is not UTF-8. Writing
    it back as the same ``\\u`` escape keeps the value exactly (a reader gets
    the string the input had) and the output valid UTF-8.

    Added in 0.2.

    >>> json_text({"id": "a\\udc80", "text": "café"})
    '{"id":"a\\\\udc80","text":"café"}'
    """
    separators = (",", ":") if indent is None else None
    return escape_surrogates(json.dumps(value, ensure_ascii=False, indent=indent,
                                        separators=separators))


def json_line(row: Mapping[str, object], *, foreign: Iterable[str] | None = None) -> str:
    """Return one JSONL line (compact :func:`json_text` and a newline).

    Fast path: with orjson installed, the line is orjson's whenever it writes
    the bytes json does: for strings (every code point but a lone surrogate,
    which orjson refuses, and json_text escapes), integers of up to 64 bits,
    booleans, None, lists, tuples and dicts with string keys, and nothing else
    (:func:`_writes_alike`; json spells ``1e-05`` where orjson spells
    ``0.00001``, and NaN, which orjson writes as null). A row it refuses goes to
    json. ``foreign`` names the only fields that may hold other values (see
    :func:`parse_json_line`); None means any field may. Writing a spill row of a
    Reuters story took 20 us through json, 3.6 us through orjson; spill files,
    documents and manifest are four lines per document of a run.

    >>> json_line({"kept": 5}), json_line({"share": 1e-05})
    ('{"kept":5}\\n', '{"share":1e-05}\\n')
    """
    if _orjson_line is not None and (_writes_alike(row) if foreign is None else all(
            _writes_alike(row.get(name)) for name in foreign)):
        try:
            return _orjson_line(row).decode("utf-8")
        except TypeError:  # orjson's refusal: a lone surrogate, an integer past 64 bits, depth
            pass
    return json_text(row) + "\n"


def _writes_alike(value: object, depth: int = 0) -> bool:
    """Whether orjson writes ``value`` as :func:`json_text` does: no float, JSON's own types.

    Types are compared exactly: a subclass (an ``IntEnum``, an ``OrderedDict``)
    is left to json, which has its own ways with them; so is nesting deeper than
    orjson's limit and this walk's (json takes what the reader took).
    """
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return True
    if depth >= _FAST_DEPTH:
        return False
    if kind is dict:
        return all(type(key) is str and _writes_alike(item, depth + 1)
                   for key, item in cast("dict[object, object]", value).items())
    if kind is list or kind is tuple:
        return all(_writes_alike(item, depth + 1) for item in cast("Sequence[object]", value))
    return False


def write_jsonl(path: str | os.PathLike[str], rows: Iterable[Mapping[str, object]], *,
                durable: bool = True) -> int:
    """Write one JSON object per line, atomically; return the number of lines.

    Non-ASCII text is written as UTF-8, not ``\\u`` escapes, so files stay
    readable and small.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "rows.jsonl"
    >>> write_jsonl(target, [{"id": "a", "text": "café"}])
    1
    >>> target.read_text(encoding="utf-8")
    '{"id":"a","text":"café"}\\n'
    """
    count = 0
    with atomic_writer(path, durable=durable) as handle:
        for row in rows:
            handle.write(json_line(row))
            count += 1
    return count


def write_json(path: str | os.PathLike[str], value: object) -> None:
    """Write one JSON document, indented for people, atomically.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "summary.json"
    >>> write_json(target, {"kept": 5})
    >>> target.read_text()
    '{\\n  "kept": 5\\n}\\n'
    """
    with atomic_writer(path) as handle:
        handle.write(json_text(value, indent=2) + "\n")


def read_file(input_file: InputFile, *, text_field: str = "text",
              id_field: str = "id") -> Iterator[InputRecord | Rejection]:
    """Read one listed file into its records, in file order.

    The unit of reading of every engine: the local engine reads the files of
    :func:`list_input_files` one after another, the Spark engine one per task.
    """
    return read_files((input_file,), text_field=text_field, id_field=id_field)
