"""Cross-document boilerplate on Spark: ``dedup run``'s frequent lines, counted by ``groupBy``.

The local pipeline learns a site's footer or a wire trailer from the corpus
(:mod:`dedup.corpus.crossdoc`): hash each normalised line, count the documents
of a source that hold it, and remove the lines above the threshold. On Spark
the same three steps run as DataFrame operations, and every per-document step
calls the local module's own functions, so a document loses exactly the spans
it loses locally:

1. ``mapInArrow``: :func:`dedup.clean`, then
   :func:`~dedup.corpus.crossdoc.describe_document` (the distinct line keys of
   the normalised text) and :func:`~dedup.corpus.crossdoc.source_of` per row.
2. ``explode`` + ``groupBy(source, key).count()`` gives the document frequency
   of every line; a ``join`` with the documents per source applies the
   threshold of :meth:`~dedup.corpus.crossdoc.LineStatistics.learn`
   (``count >= max(min_documents, ceil(min_share * documents))``). Only the
   frequent keys are joined back to the documents that hold them, so no step
   gathers the statistics on the driver.
3. ``mapInArrow``: :func:`~dedup.corpus.crossdoc.find_cross_doc_removals` with
   a model holding just that document's frequent keys, merged with the
   cleaning removals by :func:`~dedup.corpus.crossdoc.overlay_removals` and
   applied by :func:`dedup.cleaning.cleaner.apply_removals`.

Line keys are unsigned 64-bit integers; Spark has no such type, so they are
stored bit for bit in ``long`` columns and converted back on the executors.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from dedup.cleaning.cleaner import apply_removals, clean
from dedup.config import CleanConfig
from dedup.corpus.crossdoc import (
    BoilerplateModel,
    CrossDocConfig,
    describe_document,
    find_cross_doc_removals,
    overlay_removals,
    source_of,
    split_units_for,
)
from dedup.errors import InputError
from dedup.report import Removal
from dedup.spark._pyspark import require_pyarrow, require_pyspark
from dedup.spark._schema import extended_schema
from dedup.spark.cleaning import CLEAN_COLUMNS, _arrow_types, clean_record

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["clean_corpus", "frequent_lines"]

_UNSIGNED = 1 << 64
_SIGN = 1 << 63

#: Columns the first step adds (dropped again before :func:`clean_corpus` returns).
_DESCRIBE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("_normalized", "string"),
    ("_clean_removals", CLEAN_COLUMNS[1][1]),
    ("metadata", CLEAN_COLUMNS[2][1]),
    ("_source", "string"),
    ("_line_keys", "array<bigint>"),
    ("_paragraph_keys", "array<bigint>"),
)


def _signed(key: int) -> int:
    """Store an unsigned 64-bit key in a signed ``long``, bit for bit.

    >>> _signed(2**64 - 1), _unsigned(_signed(2**64 - 1)) == 2**64 - 1
    (-1, True)
    """
    return key - _UNSIGNED if key >= _SIGN else key


def _unsigned(key: int) -> int:
    return key + _UNSIGNED if key < 0 else key


def _describe(frame: DataFrame, *, text_column: str, id_column: str, source_column: str,
              url_column: str, clean_config: CleanConfig, cross_doc: CrossDocConfig
              ) -> DataFrame:
    """Clean every row and add its source and distinct line (and paragraph) keys."""
    pyarrow = require_pyarrow()
    schema = extended_schema(frame, _DESCRIBE_COLUMNS)
    names = [*frame.columns, *(name for name, _kind in _DESCRIBE_COLUMNS)]
    clean_types = _arrow_types(pyarrow)
    keys_type = pyarrow.list_(pyarrow.int64())
    types = {"_normalized": pyarrow.string(), "_clean_removals": clean_types["removals"],
             "metadata": clean_types["metadata"], "_source": pyarrow.string(),
             "_line_keys": keys_type, "_paragraph_keys": keys_type}
    has_source = source_column in frame.columns
    has_url = url_column in frame.columns

    def describe_batches(batches: Iterable[Any]) -> Iterator[Any]:
        for batch in batches:
            texts = batch.column(text_column).to_pylist()
            ids = batch.column(id_column).to_pylist()
            sources = batch.column(source_column).to_pylist() if has_source else None
            urls = batch.column(url_column).to_pylist() if has_url else None
            columns: dict[str, list[Any]] = {name: [] for name, _kind in _DESCRIBE_COLUMNS}
            for index, text in enumerate(texts):
                if not isinstance(text, str):
                    doc_id = str(ids[index])
                    raise InputError(f"document {doc_id!r} has no text", document_id=doc_id)
                result = clean(text, config=clean_config)
                record = clean_record(result)
                source = source_of(sources[index] if sources is not None else None,
                                   urls[index] if urls is not None else None)
                lines = describe_document(result.normalized, source=source, ordinal=0,
                                          config=cross_doc)
                columns["_normalized"].append(result.normalized)
                columns["_clean_removals"].append(record["removals"])
                columns["metadata"].append(record["metadata"])
                columns["_source"].append(source)
                columns["_line_keys"].append([_signed(key) for key in lines.line_keys])
                columns["_paragraph_keys"].append([_signed(key) for key in lines.paragraph_keys])
            arrays = [batch.column(index) for index in range(batch.num_columns)] + [
                pyarrow.array(columns[name], type=types[name]) for name, _kind in _DESCRIBE_COLUMNS
            ]
            yield pyarrow.RecordBatch.from_arrays(arrays, names=names)

    return frame.mapInArrow(describe_batches, schema)


def frequent_lines(described: DataFrame, cross_doc: CrossDocConfig) -> tuple[DataFrame, DataFrame]:
    """Return ``(frequent, totals)``: boilerplate line keys per source, documents per source.

    ``frequent`` has columns ``_source``, ``_key``, ``_count`` (documents holding
    the line); ``totals`` has ``_source``, ``_total``. The threshold is
    :meth:`dedup.corpus.crossdoc.LineStatistics.learn`'s.

    Examples:
        >>> frequent, totals = frequent_lines(described, CrossDocConfig())  # doctest: +SKIP
    """
    functions = require_pyspark()
    col = functions.col
    totals = described.groupBy("_source").agg(functions.count(functions.lit(1)).alias("_total"))
    lines = described.select("_source", functions.explode("_line_keys").alias("_key"))
    counts = lines.groupBy("_source", "_key").agg(
        functions.count(functions.lit(1)).alias("_count"))
    floor = functions.greatest(
        functions.lit(cross_doc.min_documents).cast("long"),
        functions.ceil(functions.lit(cross_doc.min_share) * col("_total")).cast("long"),
    )
    frequent = counts.join(totals, "_source").where(col("_count") >= floor).select(
        "_source", "_key", "_count")
    return frequent, totals


def clean_corpus(
    frame: DataFrame,
    *,
    text_column: str = "text",
    id_column: str = "id",
    order_column: str | None = None,
    source_column: str = "source",
    url_column: str = "url",
    config: CleanConfig | None = None,
    cross_doc: CrossDocConfig | None = None,
) -> DataFrame:
    """Clean ``frame`` and remove the boilerplate lines learnt across its documents.

    The result has the columns of :func:`dedup.spark.clean_column` (``cleaned``,
    ``removals``, ``metadata``), with the ``corpus.frequent_line`` (and, with
    ``cross_doc.paragraphs``, ``corpus.repeated_paragraph``) removals of
    ``dedup run`` among ``removals``. Lines are counted per source: the
    ``source_column`` value, else the host of ``url_column``, else one source
    for the whole corpus (columns that do not exist are ignored, as missing
    fields are locally). ``order_column`` decides which copy of a repeated
    paragraph is first; give the input position (0, 1, ...) to reproduce a
    local run's removal details. Added in 0.1.

    Raises:
        MissingExtraError: pyspark or pyarrow is not installed.
        InputError: (in the Spark job) a row's text is null.

    Examples:
        >>> cleaned = clean_corpus(spark.read.json("crawl/"), id_column="url")
        ... # doctest: +SKIP
    """
    functions = require_pyspark()
    pyarrow = require_pyarrow()
    col = functions.col
    clean_config = config or CleanConfig()
    cross_doc = cross_doc or CrossDocConfig()
    described = _describe(frame, text_column=text_column, id_column=id_column,
                          source_column=source_column, url_column=url_column,
                          clean_config=clean_config, cross_doc=cross_doc)
    # Read three times below (counts, keys joined back, the final pass): compute it once.
    described = described.localCheckpoint(eager=True)
    frequent, totals = frequent_lines(described, cross_doc)
    hits = (described.select(id_column, "_source", functions.explode("_line_keys").alias("_key"))
            .join(frequent, ["_source", "_key"])
            .groupBy(id_column)
            .agg(functions.collect_list(functions.struct("_key", "_count")).alias("_frequent")))
    joined = described.join(totals, "_source").join(hits, id_column, "left")
    if cross_doc.paragraphs:
        joined = _join_paragraphs(joined, id_column=id_column, order_column=order_column)
    else:
        joined = joined.withColumn("_ordinal", functions.lit(0).cast("long")).withColumn(
            "_paragraphs",
            functions.lit(None).cast("array<struct<_key:bigint,_pcount:bigint,_first:bigint>>"))
    passed = list(frame.columns)
    # Re-select in a fixed order: the arrow batches below are read by position.
    joined = joined.select(*passed, "_normalized", "_clean_removals", "metadata", "_source",
                           "_total", "_frequent", "_ordinal", "_paragraphs")
    schema = extended_schema(frame, CLEAN_COLUMNS)
    names = [*passed, *(name for name, _kind in CLEAN_COLUMNS)]
    arrow_types = _arrow_types(pyarrow)
    explain = clean_config.explain
    passed_count = len(passed)

    def finish_batches(batches: Iterable[Any]) -> Iterator[Any]:
        for batch in batches:
            cleaned: list[str] = []
            removals_out: list[list[dict[str, Any]]] = []
            rows = zip(*(batch.column(name).to_pylist() for name in (
                "_normalized", "_clean_removals", "_source", "_total", "_frequent", "_ordinal",
                "_paragraphs")), strict=True)
            for normalized, removals, source, total, frequent_keys, ordinal, paragraphs in rows:
                model = BoilerplateModel(
                    frequent={source: {_unsigned(item["_key"]): item["_count"]
                                       for item in frequent_keys or ()}},
                    documents={source: total},
                    first_paragraph={_unsigned(item["_key"]): (item["_pcount"], item["_first"])
                                     for item in paragraphs or ()},
                )
                units = split_units_for(normalized, cross_doc)
                found = find_cross_doc_removals(normalized, source=source, ordinal=ordinal,
                                                model=model, config=cross_doc, explain=explain,
                                                units=units)
                merged = overlay_removals(found, tuple(
                    Removal(start=r["start"], end=r["end"], rule=r["rule"], detail=r["detail"])
                    for r in removals))
                cleaned.append(apply_removals(normalized, merged))
                removals_out.append([{"start": r.start, "end": r.end, "rule": r.rule,
                                      "detail": r.detail} for r in merged])
            arrays = [batch.column(index) for index in range(passed_count)] + [
                pyarrow.array(cleaned, type=arrow_types["cleaned"]),
                pyarrow.array(removals_out, type=arrow_types["removals"]),
                batch.column("metadata"),
            ]
            yield pyarrow.RecordBatch.from_arrays(arrays, names=names)

    return joined.mapInArrow(finish_batches, schema).select(
        *(col(f"`{name}`") for name in names))


def _join_paragraphs(joined: DataFrame, *, id_column: str, order_column: str | None
                     ) -> DataFrame:
    """Add ``_ordinal`` and, per document, the repeated paragraphs it holds with their first."""
    functions = require_pyspark()
    from pyspark.sql import Window
    from pyspark.sql.types import IntegralType

    col = functions.col
    integral = (order_column is not None
                and isinstance(joined.schema[order_column].dataType, IntegralType))
    if integral:
        joined = joined.withColumn("_ordinal", col(order_column).cast("long"))
    else:
        # A global rank needs one ordered pass; give an integer order column to avoid it.
        order = col(order_column) if order_column else col(id_column)
        rank = functions.row_number().over(Window.orderBy(order, col(id_column)))
        joined = joined.withColumn("_ordinal", (rank - 1).cast("long"))
    paragraphs = joined.select(id_column, "_ordinal",
                               functions.explode("_paragraph_keys").alias("_key"))
    repeated = paragraphs.groupBy("_key").agg(
        functions.count(functions.lit(1)).alias("_pcount"),
        functions.min("_ordinal").alias("_first"),
    ).where(col("_pcount") >= 2)
    held = (paragraphs.select(id_column, "_key").join(repeated, "_key")
            .groupBy(id_column)
            .agg(functions.collect_list(
                functions.struct("_key", "_pcount", "_first")).alias("_paragraphs")))
    return joined.join(held, id_column, "left")
