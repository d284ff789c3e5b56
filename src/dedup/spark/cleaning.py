"""Clean a text column on Spark with :func:`dedup.clean`, keeping what was removed and why.

Each batch of rows goes through ``mapInArrow`` to the very function the local
engine calls, so a document is cleaned the same on a laptop and on a cluster.
The :class:`~dedup.report.CleanResult` is flattened into three columns: the
cleaned text, the removals (spans of the normalised text with their rule ids)
and the metadata found while cleaning.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from dedup.cleaning.cleaner import clean
from dedup.config import CleanConfig
from dedup.errors import InputError
from dedup.report import CleanResult
from dedup.spark._pyspark import require_pyarrow, require_pyspark
from dedup.spark._schema import extended_schema

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["CLEAN_COLUMNS", "clean_column", "clean_record"]

#: Columns :func:`clean_column` adds, with their Spark types.
CLEAN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("cleaned", "string"),
    ("removals", "array<struct<start:int,end:int,rule:string,detail:string>>"),
    ("metadata", "struct<title:string,published:date,updated:date,agency:string>"),
)


def clean_record(result: CleanResult) -> dict[str, Any]:
    """Return the values of :data:`CLEAN_COLUMNS` for one clean result.

    >>> from dedup.report import Removal
    >>> record = clean_record(CleanResult(text="b", normalized="ab",
    ...                                   removals=(Removal(start=0, end=1, rule="repeat.block"),)))
    >>> record["cleaned"], record["removals"][0]["rule"], record["metadata"]["title"]
    ('b', 'repeat.block', None)
    """
    metadata = result.metadata
    return {
        "cleaned": result.text,
        "removals": [
            {"start": r.start, "end": r.end, "rule": r.rule, "detail": r.detail}
            for r in result.removals
        ],
        "metadata": {
            "title": metadata.title,
            "published": metadata.published,
            "updated": metadata.updated,
            "agency": metadata.agency,
        },
    }


def clean_column(
    frame: DataFrame,
    *,
    text_column: str = "text",
    id_column: str | None = None,
    config: CleanConfig | None = None,
) -> DataFrame:
    """Return ``frame`` with the columns of :data:`CLEAN_COLUMNS` added.

    Every other column passes through unchanged. Added in 0.1.

    Args:
        frame: one row per document.
        text_column: the column holding the raw text.
        id_column: named in the error raised for a null text, when given.
        config: what to clean, as for :func:`dedup.clean`.

    Raises:
        MissingExtraError: pyspark or pyarrow is not installed.
        InputError: (in the Spark job) a row's text is null.

    Examples:
        >>> frame = spark.createDataFrame([("a", "Some text.")], "id string, text string")
        ... # doctest: +SKIP
        >>> clean_column(frame).columns  # doctest: +SKIP
        ['id', 'text', 'cleaned', 'removals', 'metadata']
    """
    require_pyspark()
    pyarrow = require_pyarrow()
    clean_config = config or CleanConfig()
    schema = extended_schema(frame, CLEAN_COLUMNS)
    names = [*frame.columns, *(name for name, _kind in CLEAN_COLUMNS)]
    arrow_types = _arrow_types(pyarrow)

    def clean_batches(batches: Iterable[Any]) -> Iterator[Any]:
        for batch in batches:
            records = []
            for index, text in enumerate(batch.column(text_column).to_pylist()):
                if not isinstance(text, str):
                    doc_id = (str(batch.column(id_column)[index].as_py())
                              if id_column else f"row {index} of a batch")
                    raise InputError(f"document {doc_id!r} has no text", document_id=doc_id)
                records.append(clean_record(clean(text, config=clean_config)))
            arrays = [batch.column(index) for index in range(batch.num_columns)] + [
                pyarrow.array([record[name] for record in records], type=arrow_types[name])
                for name, _kind in CLEAN_COLUMNS
            ]
            yield pyarrow.RecordBatch.from_arrays(arrays, names=names)

    return frame.mapInArrow(clean_batches, schema)


def _arrow_types(pyarrow: Any) -> dict[str, Any]:
    removal = pyarrow.struct([
        ("start", pyarrow.int32()), ("end", pyarrow.int32()),
        ("rule", pyarrow.string()), ("detail", pyarrow.string()),
    ])
    metadata = pyarrow.struct([
        ("title", pyarrow.string()), ("published", pyarrow.date32()),
        ("updated", pyarrow.date32()), ("agency", pyarrow.string()),
    ])
    return {
        "cleaned": pyarrow.string(),
        "removals": pyarrow.list_(removal),
        "metadata": metadata,
    }
