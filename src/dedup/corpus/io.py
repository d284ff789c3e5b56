"""Read corpora into a stream of records, and write results atomically.

Formats only, no decisions: a reader turns every input record into an
:class:`~dedup.document.InputRecord` or a :class:`~dedup.document.Rejection`
and never raises on bad data, so the pipeline can account for each record.
A path that does not exist, or a Parquet file without pyarrow, is a mistake in
the command rather than in the data, and raises before anything is read.

Which reader a file gets is decided by its name:

* ``*.jsonl``, ``*.ndjson`` and their ``.gz`` forms: one JSON object per line;
  the text and id come from configurable fields, every other field is carried
  through in ``extras``; a record without an id gets ``<file>:<line>``.
* ``*.parquet``: the same, one row per record (needs ``dedup-corpus[parquet]``).
* anything else: one document per file, its id the path relative to the folder
  that was given (or the path as given, for a file named directly).

Folders are walked recursively in sorted order (by relative path, so runs are
reproducible on any file system); hidden files and folders (``.git``,
``.DS_Store``) are not documents and are skipped.

Writers put each output in place with one rename (:func:`atomic_writer`), so a
run that is killed leaves either the previous file or the complete new one.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import math
import numbers
import os
import tempfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO, Literal

from dedup.corpus.frames import Frame, document_rows
from dedup.document import ExtraValue, InputRecord, Rejection
from dedup.errors import InputError, MissingExtraError

__all__ = [
    "InputFile",
    "atomic_path",
    "atomic_writer",
    "list_input_files",
    "read_documents",
    "read_file",
    "read_records",
    "record_from_mapping",
    "write_json",
    "write_jsonl",
]

logger = logging.getLogger(__name__)

FileFormat = Literal["text", "jsonl", "parquet"]

_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_PARQUET_SUFFIXES = (".parquet",)
_BOM = "\ufeff"


@dataclass(frozen=True, slots=True, kw_only=True)
class InputFile:
    """One file to read: where it is, how it is named in ids, and its format.

    ``name`` is relative to the folder given (``news/a.txt``), or the path as
    given for a file named directly; it is the id of a text document and the
    prefix of ``<file>:<line>`` ids.
    """

    path: Path
    name: str
    format: FileFormat


def file_format(name: str) -> FileFormat:
    """Return the reader a file name calls for.

    >>> file_format("dump.jsonl.gz"), file_format("a.parquet"), file_format("story.txt")
    ('jsonl', 'parquet', 'text')
    """
    lowered = name.lower()
    if lowered.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    if lowered.endswith(_PARQUET_SUFFIXES):
        return "parquet"
    return "text"


def _walk(folder: Path) -> list[str]:
    names: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        relative_root = Path(root).relative_to(folder)
        for file_name in files:
            if file_name.startswith("."):
                continue
            names.append((relative_root / file_name).as_posix())
    return sorted(names)


def list_input_files(paths: Sequence[str | os.PathLike[str]]) -> tuple[InputFile, ...]:
    """List the files behind ``paths`` in reading order.

    Raises:
        InputError: a path does not exist, or names something that is neither
            a file nor a folder.
        MissingExtraError: a Parquet file is listed and pyarrow is missing.

    >>> list_input_files(["no/such/folder"])
    Traceback (most recent call last):
    ...
    dedup.errors.InputError: input path 'no/such/folder' does not exist
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: list[InputFile] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for name in _walk(path):
                files.append(InputFile(path=path / name, name=name, format=file_format(name)))
        elif path.is_file():
            name = Path(os.fspath(given)).as_posix()
            files.append(InputFile(path=path, name=name, format=file_format(name)))
        elif path.exists():
            raise InputError(f"input path {os.fspath(given)!r} is neither a file nor a folder")
        else:
            raise InputError(f"input path {os.fspath(given)!r} does not exist")
    if any(f.format == "parquet" for f in files):
        _import_pyarrow_parquet()
    return tuple(files)


def read_documents(
    paths: Sequence[str | os.PathLike[str]],
    *,
    text_field: str = "text",
    id_field: str = "id",
) -> Iterator[InputRecord | Rejection]:
    """Read files and folders into one record per input record, in a stable order.

    Added in 0.1.

    Args:
        paths: files and folders, read in the order given.
        text_field: the JSONL/Parquet field holding the document text.
        id_field: the JSONL/Parquet field holding the document id.

    Raises:
        InputError: a path does not exist (checked before anything is read).
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
    files = list_input_files(paths)
    return _read_files(files, text_field=text_field, id_field=id_field)


def _read_files(
    files: tuple[InputFile, ...], *, text_field: str, id_field: str
) -> Iterator[InputRecord | Rejection]:
    for input_file in files:
        logger.debug("reading %s as %s", input_file.path, input_file.format)
        if input_file.format == "text":
            yield _read_text_file(input_file)
        elif input_file.format == "jsonl":
            yield from _read_jsonl_file(input_file, text_field=text_field, id_field=id_field)
        else:
            yield from _read_parquet_file(input_file, text_field=text_field, id_field=id_field)


def _decode(data: bytes, *, record_id: str, location: str,
            offset: int = 0) -> str | Rejection:
    """Decode UTF-8 strictly, or say which byte is wrong."""
    position = data.find(b"\x00")
    if position >= 0:
        return Rejection(id=record_id, location=location, reason="nul_bytes",
                         detail=f"{location}: NUL byte at byte offset {offset + position}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejection(id=record_id, location=location, reason="invalid_utf8",
                         detail=f"{location}: invalid UTF-8 at byte offset "
                                f"{offset + exc.start} ({exc.reason})")
    return text.removeprefix(_BOM)


def _read_text_file(input_file: InputFile) -> InputRecord | Rejection:
    location = input_file.path.as_posix()
    try:
        data = input_file.path.read_bytes()
    except OSError as exc:
        return Rejection(id=input_file.name, location=location, reason="unreadable",
                         detail=f"cannot read {location}: {exc.strerror or exc}")
    decoded = _decode(data, record_id=input_file.name, location=location)
    if isinstance(decoded, Rejection):
        return decoded
    if not decoded.strip():
        return Rejection(id=input_file.name, location=location, reason="empty",
                         detail=f"{location} holds no text" if decoded == ""
                         else f"{location} holds only whitespace")
    return InputRecord(id=input_file.name, text=decoded, location=location)


def _open_jsonl(path: Path) -> gzip.GzipFile | BinaryIO:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def _read_jsonl_file(
    input_file: InputFile, *, text_field: str, id_field: str
) -> Iterator[InputRecord | Rejection]:
    location_file = input_file.path.as_posix()
    line_number = 0
    offset = 0
    try:
        with _open_jsonl(input_file.path) as handle:
            for raw in handle:
                line_number += 1
                line_offset = offset
                offset += len(raw)
                if not raw.strip():
                    continue
                yield _parse_jsonl_line(
                    raw, fallback_id=f"{input_file.name}:{line_number}",
                    location=f"{location_file}:{line_number}", offset=line_offset,
                    text_field=text_field, id_field=id_field,
                )
    except (OSError, EOFError, zlib.error) as exc:
        # A truncated or corrupt .gz: the records after this point cannot be read,
        # so the rejection names the first line that was lost.
        where = f"{input_file.name}:{line_number + 1}"
        yield Rejection(id=where, location=f"{location_file}:{line_number + 1}",
                        reason="unreadable",
                        detail=f"cannot read {location_file} after line {line_number}: {exc}")


def _parse_jsonl_line(
    raw: bytes, *, fallback_id: str, location: str, offset: int,
    text_field: str, id_field: str,
) -> InputRecord | Rejection:
    decoded = _decode(raw, record_id=fallback_id, location=location, offset=offset)
    if isinstance(decoded, Rejection):
        return decoded
    try:
        row = json.loads(decoded)
    except json.JSONDecodeError as exc:
        return Rejection(id=fallback_id, location=location, reason="malformed_json",
                         detail=f"{location}: {exc}")
    if not isinstance(row, dict):
        return Rejection(id=fallback_id, location=location, reason="not_an_object",
                         detail=f"{location}: a JSON {type(row).__name__}, "
                                f"not an object with a {text_field!r} field")
    return record_from_mapping(row, fallback_id=fallback_id, location=location,
                               text_field=text_field, id_field=id_field)


def _extra_value(value: object) -> ExtraValue:
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        # NaN is how pandas spells "missing"; JSON has no NaN.
        return None if math.isnan(number) or math.isinf(number) else number
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str)


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
    raw_id = row.get(id_field)
    if raw_id is None or raw_id == "":
        record_id = fallback_id
    elif isinstance(raw_id, str):
        record_id = raw_id
    elif isinstance(raw_id, numbers.Integral) and not isinstance(raw_id, bool):
        record_id = str(int(raw_id))
    else:
        return Rejection(id=fallback_id, location=location, reason="invalid_id",
                         detail=f"{location}: {id_field!r} is a {type(raw_id).__name__}, "
                                "expected a string or an integer")
    if text_field not in row:
        return Rejection(id=record_id, location=location, reason="missing_text",
                         detail=f"{location}: no {text_field!r} field "
                                f"(fields: {', '.join(sorted(map(str, row))) or 'none'})")
    text = row[text_field]
    if not isinstance(text, str):
        return Rejection(id=record_id, location=location, reason="non_string_text",
                         detail=f"{location}: {text_field!r} is a {type(text).__name__}, "
                                "expected a string")
    if "\x00" in text:
        return Rejection(id=record_id, location=location, reason="nul_bytes",
                         detail=f"{location}: {text_field!r} contains a NUL character at "
                                f"offset {text.index(chr(0))}")
    if not text.strip():
        return Rejection(id=record_id, location=location, reason="empty",
                         detail=f"{location}: {text_field!r} is empty" if text == ""
                         else f"{location}: {text_field!r} holds only whitespace")
    extras = {str(key): _extra_value(value) for key, value in row.items()
              if key not in (text_field, id_field)}
    return InputRecord(id=record_id, text=text.removeprefix(_BOM), location=location,
                       extras=extras)


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


def _import_pyarrow_parquet() -> object:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtraError("parquet", "pyarrow") from None
    return pq


def _read_parquet_file(
    input_file: InputFile, *, text_field: str, id_field: str
) -> Iterator[InputRecord | Rejection]:
    pq = _import_pyarrow_parquet()
    location_file = input_file.path.as_posix()
    row_number = 0
    try:
        parquet = pq.ParquetFile(input_file.path)  # type: ignore[attr-defined]
        for batch in parquet.iter_batches(batch_size=1024):
            for row in batch.to_pylist():
                row_number += 1
                yield record_from_mapping(
                    row, fallback_id=f"{input_file.name}:{row_number}",
                    location=f"{location_file}:{row_number}",
                    text_field=text_field, id_field=id_field)
    except (OSError, ValueError) as exc:
        # pyarrow raises ArrowInvalid (a ValueError) or OSError for corrupt files.
        where = f"{input_file.name}:{row_number + 1}"
        yield Rejection(id=where, location=f"{location_file}:{row_number + 1}",
                        reason="unreadable",
                        detail=f"cannot read {location_file} after row {row_number}: {exc}")


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
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                             dir=target.parent)
    os.close(descriptor)
    try:
        # mkstemp creates the file private (0600); outputs get the usual permissions.
        os.chmod(temporary, 0o666 & ~_current_umask())
        yield Path(temporary)
        if durable:
            with open(temporary, "rb") as written:
                os.fsync(written.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], *, durable: bool = True) -> Iterator[IO[str]]:
    """Open a UTF-8 text file that appears at ``path`` only once it is complete.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_writer(target) as handle:
    ...     _ = handle.write("done\\n")
    >>> target.read_text()
    'done\\n'
    """
    with atomic_path(path, durable=durable) as temporary, temporary.open("w", encoding="utf-8",
                                                        newline="\n") as handle:
        yield handle


def _json_line(row: Mapping[str, object]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"


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
            handle.write(_json_line(row))
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
        handle.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def read_file(input_file: InputFile, *, text_field: str = "text",
              id_field: str = "id") -> Iterator[InputRecord | Rejection]:
    """Read one listed file into its records, in file order.

    The unit of reading of every engine: the local engine reads the files of
    :func:`list_input_files` one after another, the Spark engine one per task.
    """
    return _read_files((input_file,), text_field=text_field, id_field=id_field)
