"""Read DataFrames and tables as rows: pandas, polars, Arrow and Hugging Face datasets.

Iterating a DataFrame yields its column names (pandas) or its columns
(polars), so a frame handed to code that expects an iterable of documents
would be read as a handful of wrong documents. Every in-memory input of
:func:`dedup.deduplicate` and :func:`dedup.run` goes through
:func:`document_rows`, which reads a frame row by row as mappings, in chunks
(never a copy of the whole frame as Python objects), and refuses, with a
:class:`TypeError` naming the type, an input that is one document or one column
rather than many documents.

Frames are recognised by the module and name of their type (or a base type),
never by importing their library, so ``import dedup`` stays free of pandas,
polars, pyarrow and datasets:

========================  =====================================================
accepted                  read as
========================  =====================================================
``pandas.DataFrame``      rows; an index named ``id_field`` is the id column;
                          NaN, ``pd.NA`` and ``NaT`` become ``None``
``polars.DataFrame``      rows (``iter_slices``)
``pyarrow.Table``,        rows (``to_batches``)
``pyarrow.RecordBatch``
``datasets.Dataset``      rows of its plain Python format (``iter``), whatever
                          format was set on it
========================  =====================================================

Refused with :class:`TypeError`: a ``str`` or ``bytes`` (one text, not a
corpus), a mapping (one row; a ``DatasetDict`` too: pick a split), a column
(pandas or polars ``Series``, Arrow ``Array``/``ChunkedArray``, numpy array,
a Hugging Face ``Column``: pass the frame and ``text_field``, or ``list(column)``
to number the texts by position), a polars ``LazyFrame`` (``collect()`` it), and
anything that is not iterable.

The way back, :func:`rebuild_frame`, gives a frame of the input's type with
chosen rows and added columns; :mod:`dedup.corpus.annotate` builds
``clean_frame`` and ``deduplicate_frame`` on it. This module is the only one
that knows the frame libraries.

Added in 0.1.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal, Protocol

from dedup.errors import InputError

__all__ = ["ColumnType", "Frame", "FrameKind", "document_rows", "frame_kind", "rebuild_frame",
           "row_count"]

FrameKind = Literal["pandas", "polars", "arrow", "datasets"]

#: Rows converted to Python objects at a time: small enough to bound memory, large
#: enough that the per-chunk call costs nothing next to cleaning a row.
CHUNK_ROWS = 1024

_FRAMES: dict[tuple[str, str], FrameKind] = {
    ("pandas", "DataFrame"): "pandas",
    ("polars", "DataFrame"): "polars",
    ("pyarrow", "Table"): "arrow",
    ("pyarrow", "RecordBatch"): "arrow",
    ("datasets", "Dataset"): "datasets",
}

#: Types that hold one column (or an array) of values, not documents.
_COLUMNS = {("pandas", "Series"), ("polars", "Series"), ("pyarrow", "Array"),
            ("pyarrow", "ChunkedArray"), ("numpy", "ndarray"), ("datasets", "Column")}
_LAZY = {("polars", "LazyFrame")}


class Frame(Protocol):
    """What the accepted frames have in common, for type checkers: a ``shape``."""

    @property
    def shape(self) -> tuple[int, ...]: ...


def row_count(frame: Frame) -> int:
    """Return the number of rows: ``len()`` of every accepted frame (pyarrow 12's
    RecordBatch has no ``shape``)."""
    return len(frame)  # type: ignore[arg-type]


def _type_keys(value: object) -> Iterator[tuple[str, str]]:
    for cls in type(value).__mro__:
        yield cls.__module__.partition(".")[0], cls.__name__


def frame_kind(value: object) -> FrameKind | None:
    """Return which kind of frame ``value`` is, or None; never imports a frame library.

    >>> frame_kind([{"text": "a"}]) is None
    True
    """
    for key in _type_keys(value):
        kind = _FRAMES.get(key)
        if kind is not None:
            return kind
    return None


def _type_name(value: object) -> str:
    """``str``, ``pandas.Series``: the type as a user would write it."""
    root, name = next(_type_keys(value))
    return name if root == "builtins" else f"{root}.{name}"


def _refusal(value: object, caller: str) -> str | None:
    """Say why ``value`` is not a corpus, or None when it may be one."""
    got = f"{caller}() got {_type_name(value)}"
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        return f"{got}, which is one text, not a corpus; give a list of texts, e.g. [text]"
    if isinstance(value, Mapping):
        return (f"{got}, a mapping, not a corpus: give a list of mappings (rows); for a "
                "Hugging Face DatasetDict, one split, e.g. dataset['train']")
    keys = set(_type_keys(value))
    if keys & _COLUMNS:
        return (f"{got}, which is one column, not a corpus; give the frame with text_field "
                "(and id_field), or list(column) to number the texts by position")
    if keys & _LAZY:
        return f"{got}; collect() it into a DataFrame first"
    if not isinstance(value, Iterable):
        return (f"{got}, which is not a corpus; give an iterable of documents, or a pandas "
                "or polars DataFrame, an Arrow table or a Hugging Face Dataset")
    return None


def document_rows(source: object, *, text_field: str, id_field: str,
                  columns: Literal["needed", "all"] = "all", caller: str = "dedup",
                  chunk_rows: int = CHUNK_ROWS) -> Iterable[object]:
    """Return ``source`` as an iterable of documents, reading a frame's rows as dicts.

    A frame is checked before anything is read: it must have a ``text_field``
    column. Its rows come out as dicts of ``id_field`` and ``text_field`` only
    (``columns="needed"``) or of every column (``"all"``); a frame without an
    ``id_field`` column gives rows without that key, and the caller's rule for
    a missing id applies. Any other iterable is returned as it is.

    Raises:
        TypeError: ``source`` is one text, one row, one column, a lazy frame,
            or not iterable; the message names its type.
        InputError: a frame has no ``text_field`` column; the message lists
            the columns it has.

    >>> list(document_rows([{"text": "a"}], text_field="text", id_field="id"))
    [{'text': 'a'}]
    >>> document_rows("one text", text_field="text", id_field="id", caller="deduplicate")
    Traceback (most recent call last):
    ...
    TypeError: deduplicate() got str, which is one text, not a corpus; give a list of texts, \
e.g. [text]
    """
    kind = frame_kind(source)
    if kind is None:
        refusal = _refusal(source, caller)
        if refusal is None and isinstance(source, Iterable):
            return source
        raise TypeError(refusal)
    names = _column_names(source, kind, id_field)
    if text_field not in names:
        raise InputError(f"{caller}() got {_type_name(source)} without a {text_field!r} "
                         f"column (columns: {', '.join(map(str, names)) or 'none'}); set "
                         "text_field to the column that holds the texts")
    wanted = ([name for name in dict.fromkeys((id_field, text_field)) if name in names]
              if columns == "needed" else None)
    # The frame libraries are not imported (nor need their stubs): their objects are Any here.
    readers = {"pandas": _pandas_rows, "polars": _polars_rows, "arrow": _arrow_rows,
               "datasets": _datasets_rows}
    return readers[kind](source, wanted, id_field, chunk_rows)


def _column_names(frame: Any, kind: FrameKind, id_field: str) -> list[object]:
    if kind == "pandas":
        names = list(frame.columns)
        if id_field not in names and id_field in list(frame.index.names):
            names.append(id_field)
        return names
    if kind == "polars":
        return list(frame.columns)
    if kind == "arrow":
        return list(frame.schema.names)
    return list(frame.column_names)


def _is_missing(value: object) -> bool:
    # pandas spells a missing value None, NaN, pd.NA or NaT depending on the dtype.
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in ("NAType", "NaTType")


def _pandas_rows(frame: Any, wanted: list[str] | None, id_field: str,
                 chunk_rows: int) -> Iterator[dict[str, object]]:
    index_is_id = (id_field not in list(frame.columns)
                   and id_field in list(frame.index.names))
    total = len(frame)
    for start in range(0, total, chunk_rows):
        chunk = frame.iloc[start:start + chunk_rows]
        if index_is_id:
            chunk = chunk.reset_index(level=id_field)
        if wanted is not None:
            chunk = chunk[wanted]
        for row in chunk.to_dict(orient="records"):
            yield {key: None if _is_missing(value) else value for key, value in row.items()}


def _polars_rows(frame: Any, wanted: list[str] | None, id_field: str,
                 chunk_rows: int) -> Iterator[dict[str, object]]:
    if wanted is not None:
        frame = frame.select(wanted)
    for chunk in frame.iter_slices(n_rows=chunk_rows):
        yield from chunk.to_dicts()


def _arrow_rows(table: Any, wanted: list[str] | None, id_field: str,
                chunk_rows: int) -> Iterator[dict[str, object]]:
    if not hasattr(table, "to_batches"):  # a RecordBatch: slice it (zero-copy)
        total = table.num_rows
        chunks: Iterable[Any] = (table.slice(start, chunk_rows)
                                    for start in range(0, total, chunk_rows))
    else:
        chunks = table.to_batches(max_chunksize=chunk_rows)
    for chunk in chunks:
        if wanted is None:
            yield from chunk.to_pylist()
            continue
        # Only the wanted columns are converted to Python objects.
        values = [chunk.column(name).to_pylist() for name in wanted]
        for row in zip(*values, strict=True):
            yield dict(zip(wanted, row, strict=True))


def _datasets_rows(dataset: Any, wanted: list[str] | None, id_field: str,
                   chunk_rows: int) -> Iterator[dict[str, object]]:
    # with_format(None): plain Python values, even when the user set numpy or torch.
    dataset = dataset.with_format(None)
    if wanted is not None:
        dataset = dataset.select_columns(wanted)
    for batch in dataset.iter(batch_size=chunk_rows):
        names = list(batch)
        for row in zip(*(batch[name] for name in names), strict=True):
            yield dict(zip(names, row, strict=True))


# ---------------------------------------------------------------- frames out

ColumnType = Literal["str", "int", "float"]


def rebuild_frame(frame: Frame, *, rows: list[int],
                  columns: Mapping[str, tuple[ColumnType, list[object]]]) -> Any:
    """Return a frame of ``frame``'s type: the given rows, in order, with ``columns`` added.

    Each added column gives its type and one value per row of ``frame`` (None
    where missing); a column of that name already in ``frame`` is replaced.

    Raises:
        TypeError: ``frame`` is not a frame.
        ValueError: a column does not have one value per row.
    """
    kind = frame_kind(frame)
    if kind is None:
        raise TypeError(f"cannot rebuild a {_type_name(frame)}; expected a frame")
    for name, (_, values) in columns.items():
        if len(values) != row_count(frame):
            raise ValueError(f"column {name!r} has {len(values)} values for "
                             f"{row_count(frame)} rows")
    writers = {"pandas": _pandas_frame, "polars": _polars_frame, "arrow": _arrow_frame,
               "datasets": _datasets_frame}
    return writers[kind](frame, rows, columns)


def _pandas_frame(frame: Any, rows: list[int],
                  columns: Mapping[str, tuple[ColumnType, list[object]]]) -> Any:
    import pandas

    dtypes = {"str": "object", "int": "Int64", "float": "float64"}
    out = frame.iloc[rows].copy()
    for name, (kind, values) in columns.items():
        out[name] = pandas.array([values[row] for row in rows], dtype=dtypes[kind])
    return out


def _polars_frame(frame: Any, rows: list[int],
                  columns: Mapping[str, tuple[ColumnType, list[object]]]) -> Any:
    import polars

    dtypes = {"str": polars.Utf8, "int": polars.Int64, "float": polars.Float64}
    added = frame.with_columns([polars.Series(name, values, dtype=dtypes[kind])
                                for name, (kind, values) in columns.items()])
    return added[rows] if rows else added.clear()


def _arrow_frame(table: Any, rows: list[int],
                 columns: Mapping[str, tuple[ColumnType, list[object]]]) -> Any:
    import pyarrow

    dtypes = {"str": pyarrow.string(), "int": pyarrow.int64(), "float": pyarrow.float64()}
    names = [name for name in table.schema.names if name not in columns]
    arrays = [table.column(name) for name in names]
    for name, (kind, values) in columns.items():
        names.append(name)
        arrays.append(pyarrow.array(values, type=dtypes[kind]))
    added = type(table).from_arrays(arrays, names=names)
    return added.take(pyarrow.array(rows, type=pyarrow.int64()))


def _datasets_frame(dataset: Any, rows: list[int],
                    columns: Mapping[str, tuple[ColumnType, list[object]]]) -> Any:
    import datasets

    dtypes = {"str": "string", "int": "int64", "float": "float64"}
    replaced = [name for name in columns if name in dataset.column_names]
    added = dataset.remove_columns(replaced)
    for name, (kind, values) in columns.items():
        added = added.add_column(name, values, feature=datasets.Value(dtypes[kind]))
    # select last: it only records the rows, where adding to a selection would copy them
    return added.select(rows)
