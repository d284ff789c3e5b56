"""Per-document hashing on Spark: content digest, shingles, MinHash signature, band keys.

Every value is computed by :mod:`dedup.near`'s own functions inside
``mapInArrow``, batch by batch, so a document gets on a Spark executor exactly
the digest, shingles, signature and band keys it gets in the local engine: the
functions are the same, and none of them depends on the other documents of a
batch.

Spark has no unsigned integers, so the unsigned values travel in signed
columns without losing a bit: shingle hashes and band keys (uint64) are
reinterpreted as ``long``; signature rows (uint32) are widened to ``long``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from dedup.errors import InputError
from dedup.near.config import DedupConfig
from dedup.near.exact import content_digest
from dedup.near.lsh import band_keys
from dedup.near.minhash import signatures
from dedup.near.shingling import shingle_hashes_batch
from dedup.spark._pyspark import require_pyarrow, require_pyspark
from dedup.spark._schema import extended_schema

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["HASH_COLUMNS", "add_signatures", "explode_band_keys", "set_digest"]

#: Columns :func:`add_signatures` adds, with their Spark types.
HASH_COLUMNS: tuple[tuple[str, str], ...] = (
    ("digest", "binary"),
    ("is_empty", "boolean"),
    ("length", "int"),
    ("shingles", "array<long>"),
    ("set_digest", "binary"),
    ("signature", "array<long>"),
    ("band_keys", "array<long>"),
)


def set_digest(shingles: np.ndarray[Any, np.dtype[np.uint64]]) -> bytes:
    """Return the 16-byte digest that groups documents with identical shingle sets.

    The same digest as the local engine's grouping uses: BLAKE2b of the sorted
    hashes' bytes, so equal sets give equal digests on every machine.

    >>> a = set_digest(np.array([1, 2], dtype=np.uint64))
    >>> a == set_digest(np.array([1, 2], dtype=np.uint64)), len(a)
    (True, 16)
    """
    return hashlib.blake2b(shingles.tobytes(), digest_size=16).digest()


def hash_batch(texts: list[str], config: DedupConfig) -> dict[str, Any]:
    """Return the hash columns of one batch of cleaned texts as Arrow-ready arrays.

    >>> config = DedupConfig(num_perm=8, bands=2, rows_per_band=4)
    >>> columns = hash_batch(["a b c d e f g h i j k", ""], config)
    >>> columns["is_empty"], columns["length"], len(columns["band_keys"][0])
    ([False, True], [21, 0], 2)
    """
    shingle_sets = shingle_hashes_batch(texts, config)
    matrix = signatures(shingle_sets, config)
    keys = band_keys(matrix, config) if texts else np.empty((0, 0), dtype=np.uint64)
    return {
        "digest": [content_digest(text) for text in texts],
        "is_empty": [not text.strip() for text in texts],
        "length": [len(text) for text in texts],
        "shingles": [shingles.view(np.int64) for shingles in shingle_sets],
        "set_digest": [set_digest(shingles) for shingles in shingle_sets],
        "signature": list(matrix.astype(np.int64)),
        "band_keys": list(np.asarray(keys).view(np.int64)),
    }


def add_signatures(
    frame: DataFrame,
    *,
    id_column: str = "id",
    text_column: str = "text",
    config: DedupConfig | None = None,
) -> DataFrame:
    """Return ``frame`` with the columns of :data:`HASH_COLUMNS` added.

    ``text_column`` should hold the cleaned text (see :func:`dedup.spark.clean_column`).
    Added in 0.1.

    Raises:
        MissingExtraError: pyspark or pyarrow is not installed.

    Examples:
        >>> frame = spark.createDataFrame([("a", "some text")], "doc_id string, cleaned string")
        ... # doctest: +SKIP
        >>> add_signatures(frame, id_column="doc_id", text_column="cleaned").columns[:3]
        ... # doctest: +SKIP
        ['doc_id', 'cleaned', 'digest']
    """
    require_pyspark()
    pyarrow = require_pyarrow()
    config = config or DedupConfig()
    schema = extended_schema(frame, HASH_COLUMNS)
    names = (*frame.columns, *(name for name, _kind in HASH_COLUMNS))

    def hash_batches(batches: Iterable[Any]) -> Iterator[Any]:
        for batch in batches:
            texts = batch.column(text_column).to_pylist()
            ids = batch.column(id_column)
            for index, text in enumerate(texts):
                if not isinstance(text, str):
                    raise InputError(f"document {ids[index].as_py()!r} has no text",
                                     document_id=str(ids[index].as_py()))
            columns = hash_batch(texts, config)
            arrays = [batch.column(index) for index in range(batch.num_columns)] + [
                pyarrow.array(columns[name], type=_arrow_type(pyarrow, kind))
                for name, kind in HASH_COLUMNS
            ]
            yield pyarrow.RecordBatch.from_arrays(arrays, names=list(names))

    return frame.mapInArrow(hash_batches, schema)


def _arrow_type(pyarrow: Any, kind: str) -> Any:
    types = {
        "binary": pyarrow.binary(),
        "boolean": pyarrow.bool_(),
        "int": pyarrow.int32(),
        "array<long>": pyarrow.list_(pyarrow.int64()),
    }
    return types[kind]


def explode_band_keys(hashed: DataFrame, *, columns: tuple[str, ...]) -> DataFrame:
    """Return one row ``(band, key, *columns)`` per band of each document.

    The band number is kept beside the key: keys are already salted by band,
    and keeping the number makes a bucket of the output unambiguous to read.

    Examples:
        >>> explode_band_keys(hashed, columns=("doc_id",)).columns  # doctest: +SKIP
        ['band', 'key', 'doc_id']
    """
    functions = require_pyspark()
    exploded = hashed.select(
        *columns, functions.posexplode("band_keys").alias("band", "key")
    )
    return exploded.select("band", "key", *columns)
