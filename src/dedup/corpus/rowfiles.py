"""Files of documents and findings: JSONL, JSONL.gz or Parquet, never mislabelled.

Every command that writes rows to a file (``dedup clean --out``, ``dedup
dedupe --out/--duplicates``, ``dedup run``'s ``documents.parquet``) writes
them here, so a file's name and its contents always agree: the format comes
from the name (:func:`format_for`), ``--format`` may confirm it, and a
contradiction (``--format jsonl --out y.parquet``) is a :class:`ConfigError`.

In Parquet every top-level field is its own column, typed from all the rows:
booleans, integers (int64), numbers (float64, for integers and floats mixed)
or strings; a nested value (``dedup``'s annotations, a list) is its JSON text,
and a field whose rows disagree in type is written as text, the non-strings as
JSON. A row without a field has null there.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Literal, Protocol

from dedup.corpus import io
from dedup.errors import ConfigError

__all__ = ["ROW_FORMATS", "RowFormat", "RowWriter", "format_for", "row_writer"]

RowFormat = Literal["jsonl", "jsonl.gz", "parquet"]
#: The formats a row file can have, as ``--format`` spells them.
ROW_FORMATS: tuple[RowFormat, ...] = ("jsonl", "jsonl.gz", "parquet")
_SUFFIXES: tuple[tuple[str, RowFormat], ...] = (
    (".jsonl.gz", "jsonl.gz"), (".ndjson.gz", "jsonl.gz"), (".jsonl", "jsonl"),
    (".ndjson", "jsonl"), (".parquet", "parquet"))
_INT64 = (-(2 ** 63), 2 ** 63 - 1)


def format_for(path: str | os.PathLike[str] | None, given: str | None) -> RowFormat:
    """Return the format of a row file from its name and the ``--format`` given, if any.

    A name with a suffix of ours decides; ``given`` must then agree with it.
    Any other name (or standard output, ``path=None``) takes ``given``, or JSONL.

    Raises:
        ConfigError: ``given`` contradicts the name, is not a format, or asks
            for a binary format on standard output.

    >>> format_for("kept.parquet", None), format_for("kept.jsonl.gz", None), format_for(None, None)
    ('parquet', 'jsonl.gz', 'jsonl')
    >>> format_for("kept.parquet", "jsonl")
    Traceback (most recent call last):
    ...
    dedup.errors.ConfigError: --format jsonl contradicts the name 'kept.parquet' (a parquet file)
    """
    if given is not None and given not in ROW_FORMATS:
        raise ConfigError(f"--format {given} is not a format: expected one of "
                          f"{', '.join(ROW_FORMATS)}")
    if path is None:
        if given not in (None, "jsonl"):
            raise ConfigError(f"--format {given} writes a binary file: give --out FILE")
        return "jsonl"
    name = Path(path).name.lower()
    named = next((fmt for suffix, fmt in _SUFFIXES if name.endswith(suffix)), None)
    if named is not None and given is not None and given != named:
        raise ConfigError(f"--format {given} contradicts the name {Path(path).name!r} "
                          f"(a {named} file)")
    return named or given or "jsonl"


class RowWriter(Protocol):
    """What :func:`row_writer` yields: one call per row."""

    def write(self, row: Mapping[str, object]) -> None: ...


class _JsonlWriter:
    def __init__(self, handle: IO[str]) -> None:
        self._handle = handle
        self.rows = 0

    def write(self, row: Mapping[str, object]) -> None:
        self._handle.write(io.json_line(row))
        self.rows += 1


@contextlib.contextmanager
def row_writer(path: str | os.PathLike[str], fmt: RowFormat) -> Iterator[RowWriter]:
    """Write rows to ``path`` in ``fmt``; the file appears only once complete (atomically).

    Raises:
        MissingExtraError: ``fmt`` is Parquet and pyarrow is missing (before
            anything is written).
    """
    if fmt == "parquet":
        io.import_pyarrow()
        with io.atomic_path(path) as target:
            # Column types depend on every row: rows wait in a JSONL file beside the output.
            waiting = target.with_name(f"{target.name}.rows")
            try:
                with waiting.open("w", encoding="utf-8", errors="backslashreplace",
                                  newline="\n") as spill:
                    kinds: dict[str, set[str]] = {}
                    yield _TypedJsonlWriter(spill, kinds)
                _write_parquet(waiting, target, kinds)
            finally:
                waiting.unlink(missing_ok=True)
        return
    if fmt == "jsonl.gz":
        with io.atomic_path(path) as target, gzip.open(target, "wt", encoding="utf-8",
                                                        errors="backslashreplace",
                                                        newline="\n") as handle:
            yield _JsonlWriter(handle)
        return
    with io.atomic_writer(path) as handle:
        yield _JsonlWriter(handle)


class _TypedJsonlWriter(_JsonlWriter):
    """A JSONL writer that also notes each field's kinds of value, for the Parquet schema."""

    def __init__(self, handle: IO[str], kinds: dict[str, set[str]]) -> None:
        super().__init__(handle)
        self._kinds = kinds

    def write(self, row: Mapping[str, object]) -> None:
        for key, value in row.items():
            self._kinds.setdefault(str(key), set()).add(_kind(value))
        super().write(row)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int" if _INT64[0] <= value <= _INT64[1] else "text"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    return "json"


def _column_type(kinds: set[str]) -> str:
    present = kinds - {"null"}
    if present == {"bool"}:
        return "bool"
    if present == {"int"}:
        return "int64"
    if present and present <= {"int", "float"}:
        return "float64"
    if present == {"json"}:
        return "json"
    return "string"


def _cell(value: object, column: str) -> object:
    if value is None:
        return None
    if column == "float64":
        return float(value)  # type: ignore[arg-type]
    if column in ("json", "string") and not isinstance(value, str):
        return io.json_text(value)
    if isinstance(value, str):
        # Arrow strings are UTF-8: a lone surrogate is kept as its escape.
        return io.escape_surrogates(value)
    return value


def _write_parquet(rows_path: Path, target: Path, kinds: dict[str, set[str]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {name: _column_type(found) for name, found in kinds.items()}
    arrow = {"bool": pa.bool_(), "int64": pa.int64(), "float64": pa.float64(),
             "json": pa.string(), "string": pa.string()}
    schema = pa.schema([(name, arrow[kind]) for name, kind in columns.items()])
    writer = pq.ParquetWriter(target, schema)
    try:
        batch: list[dict[str, object]] = []
        with rows_path.open(encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                batch.append({name: _cell(row.get(name), kind) for name, kind in columns.items()})
                if len(batch) >= 1024:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    batch = []
        if batch or not columns:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    finally:
        writer.close()
