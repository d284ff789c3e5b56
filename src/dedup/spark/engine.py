"""The corpus job on Spark: the steps of :mod:`dedup.corpus.steps`, moved by DataFrames.

Nothing here decides anything. Every record is read, cleaned, counted,
finished and fingerprinted by the functions the local engine calls; every pair
is decided by :func:`dedup.near.decision.decide_pair`; the keep decision is
:mod:`dedup.near.keep`, on the driver; the outputs are written by
:func:`dedup.corpus.outputs.finish_run` from the rows in ordinal order. What
this module adds is how the data moves (see ``docs/corpus-job.md``):

* reading: one task per input file, ordinals from the per-file counts;
* ids: the lowest ordinal owns an id (group by id);
* the line statistics: group by (source, key); only the learnt lines (few by
  construction: each is in a share of its source's documents) reach the driver;
* candidate pairs: a self-join on (band, key) among the group heads;
* verification and member similarities: joins that bring both shingle sets
  together.

On the driver stay the learnt lines, the links and one entry per duplicate.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from dedup.corpus import io
from dedup.corpus.crossdoc import (
    STORY_CAP,
    BoilerplateModel,
    describe_document,
    frequent_floor,
)
from dedup.corpus.dedupe import fingerprint_batch
from dedup.corpus.duplicates import DuplicateFindings, findings_of
from dedup.corpus.folder import OutputFolder, open_output
from dedup.corpus.manifest import RunSummary
from dedup.corpus.outputs import finish_run, import_pyarrow
from dedup.corpus.progress import SILENT
from dedup.corpus.spill import units_from_rows
from dedup.corpus.steps import (
    Row,
    RunConfig,
    clean_row,
    finish_row,
    match_text,
    record_from_dict,
    record_to_dict,
    repeated_id,
)
from dedup.document import InputRecord, Rejection
from dedup.errors import ConfigError
from dedup.near.config import MemberInfo
from dedup.near.decision import MatchEvidence, decide_pair, figures_conflict
from dedup.near.explain import shared_passages
from dedup.near.grouping import containment_candidates
from dedup.near.keep import Links, assemble, cluster_links, member_link, settle
from dedup.near.lsh import band_keys
from dedup.near.result import DedupResult, SharedPassage
from dedup.near.shingling import ShingleArray
from dedup.spark._pyspark import require_pyarrow, require_pyspark

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["ROW_FIELDS", "find_duplicate_rows", "map_rows", "read_files", "read_frame", "run_job"]

logger = logging.getLogger(__name__)

_BATCH_ROWS = 512
_SIGN = 1 << 63
_WRAP = 1 << 64

#: The columns every step's rows travel in: ordinal, id, where it was read, whether it
#: is a rejection, and the row itself as JSON (``dedup.corpus.steps``).
ROW_FIELDS = (("o", "long"), ("id", "string"), ("loc", "string"), ("rejected", "boolean"),
               ("row", "string"))


def _signed(value: int) -> int:
    return value - _WRAP if value >= _SIGN else value


def _unsigned(value: int) -> int:
    return value + _WRAP if value < 0 else value


def _types(pyarrow: Any) -> dict[str, Any]:
    return {"long": pyarrow.int64(), "int": pyarrow.int32(), "string": pyarrow.string(),
            "boolean": pyarrow.bool_(), "binary": pyarrow.binary(), "double": pyarrow.float64(),
            "array<long>": pyarrow.list_(pyarrow.int64())}


def map_rows(frame: DataFrame, fields: Sequence[tuple[str, str]],
         function: Callable[[list[dict[str, Any]]], Iterable[dict[str, Any]]]) -> DataFrame:
    """Run ``function`` over batches of ``frame``'s rows (as dicts) with ``mapInArrow``."""
    def per_partition(batches: Iterator[list[dict[str, Any]]]) -> Iterator[dict[str, Any]]:
        for rows in batches:
            yield from function(rows)

    return _map_partitions(frame, fields, per_partition)


def _map_partitions(frame: DataFrame, fields: Sequence[tuple[str, str]],
                    function: Callable[[Iterator[list[dict[str, Any]]]],
                                       Iterable[dict[str, Any]]]) -> DataFrame:
    """Run ``function`` over each partition's batches of rows, yielding rows of ``fields``."""
    ddl = ", ".join(f"`{name}` {kind}" for name, kind in fields)

    def batches(arrow_batches: Iterable[Any]) -> Iterator[Any]:
        pyarrow = require_pyarrow()
        types = _types(pyarrow)
        schema = pyarrow.schema([(name, types[kind]) for name, kind in fields])
        out: list[dict[str, Any]] = []
        for row in function(batch.to_pylist() for batch in arrow_batches):
            out.append(row)
            if len(out) >= _BATCH_ROWS:
                yield pyarrow.RecordBatch.from_pylist(out, schema=schema)
                out = []
        if out:
            yield pyarrow.RecordBatch.from_pylist(out, schema=schema)

    return frame.mapInArrow(batches, ddl)


def _dumps(row: Mapping[str, object]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def _row_fields(row: Row) -> dict[str, Any]:
    return {"o": row["o"], "id": row["id"], "loc": row["loc"], "rejected": "reason" in row,
            "row": _dumps(row)}


# ------------------------------------------------------------------ reading

def read_files(spark: SparkSession, paths: Sequence[str], config: RunConfig) -> DataFrame:
    """Read input files with dedup's own readers, one task per file; number the records.

    Returns the columns of ``ROW_FIELDS`` with the record (or its rejection)
    as the row. The files are listed on the driver, exactly as ``dedup run``
    lists them, so both engines number the same records the same way.
    """
    functions = require_pyspark()
    files = io.list_input_files(paths, include=config.include, exclude=config.exclude)
    if any(f.format == "stdin" for f in files):
        raise ConfigError("the Spark engine cannot read standard input ('-'): its executors "
                          "read the files; give a file or use 'dedup run'")
    # A path the listing rejected (a pipe, a dangling link) travels as its rejection, so the
    # executors never open it and both engines give it the same reason.
    listing = spark.createDataFrame(
        [(index, f.path.as_posix(), f.name, f.format,
          f.rejection.reason if f.rejection else None,
          f.rejection.detail if f.rejection else None) for index, f in enumerate(files)],
        "part long, path string, name string, format string, reason string, detail string",
    ).repartition(max(len(files), 1), "part")
    text_field, id_field = config.text_field, config.id_field

    def read(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for listed in rows:
            rejection = None if listed["reason"] is None else Rejection(
                id=listed["name"], location=listed["path"], reason=listed["reason"],
                detail=listed["detail"])
            input_file = io.InputFile(path=Path(listed["path"]), name=listed["name"],
                                      format=listed["format"], rejection=rejection)
            for position, record in enumerate(
                    io.read_file(input_file, text_field=text_field, id_field=id_field)):
                yield {"part": listed["part"], "pos": position,
                       "id": record.id, "loc": record.location,
                       "rejected": not isinstance(record, InputRecord),
                       "record": _dumps(record_to_dict(record))}

    read_rows = map_rows(listing, (("part", "long"), ("pos", "long"), ("id", "string"),
                               ("loc", "string"), ("rejected", "boolean"),
                               ("record", "string")), read).localCheckpoint(eager=True)
    return _number(read_rows, functions)


def read_frame(frame: DataFrame, *, config: RunConfig, order_column: str | None) -> DataFrame:
    """Read a DataFrame's rows as records, in ``order_column`` order (else the id's).

    A row becomes a record as a dict row does in ``dedup.run`` (``records:<n>``
    when it has no id), so ``dedup.run`` on the same rows in the same order
    gives the same outputs.
    """
    functions = require_pyspark()
    order = order_column or config.id_field
    ordered = frame.sort(functions.col(order).asc_nulls_last()).localCheckpoint(eager=True)
    # Records per partition first: the sort fixed them, and a row's ordinal (and so
    # its ``records:<n>`` name) is the rows of the partitions before it plus its place.
    counted = _map_partitions(ordered, (("part", "long"), ("rows", "long")), _count_partition)
    offsets = _offsets({row["part"]: row["rows"] for row in counted.collect()})
    text_field, id_field = config.text_field, config.id_field

    def read(batches: Iterator[list[dict[str, Any]]]) -> Iterator[dict[str, Any]]:
        ordinal = offsets.get(_partition(), 0)
        for rows in batches:
            for values in rows:
                where = f"records:{ordinal + 1}"
                record = io.record_from_mapping(values, fallback_id=where, location=where,
                                                text_field=text_field, id_field=id_field)
                yield {"o": ordinal, "id": record.id, "loc": record.location,
                       "rejected": not isinstance(record, InputRecord),
                       "row": _dumps(record_to_dict(record))}
                ordinal += 1

    return _map_partitions(ordered, ROW_FIELDS, read)


def _partition() -> int:
    from pyspark import TaskContext

    context = TaskContext.get()
    return context.partitionId() if context is not None else 0


def _count_partition(batches: Iterator[list[dict[str, Any]]]) -> Iterator[dict[str, Any]]:
    yield {"part": _partition(), "rows": sum(len(rows) for rows in batches)}


def _offsets(counts: Mapping[int, int]) -> dict[int, int]:
    offsets: dict[int, int] = {}
    total = 0
    for part in sorted(counts):
        offsets[part] = total
        total += counts[part]
    return offsets


def _number(read_rows: DataFrame, functions: Any) -> DataFrame:
    """Give each ``(part, pos)`` record its ordinal: the records of earlier parts, plus pos."""
    counts = {row["part"]: row["count"]
              for row in read_rows.groupBy("part").count().collect()}
    offsets = _offsets(counts)
    spark = read_rows.sparkSession
    table = spark.createDataFrame(list(offsets.items()) or [(0, 0)], "part long, offset long")
    numbered = read_rows.join(functions.broadcast(table), "part")
    return numbered.select(
        (functions.col("offset") + functions.col("pos")).alias("o"), "id", "loc", "rejected",
        functions.col("record").alias("row"))


# ------------------------------------------------------------------ the job

def run_job(records: DataFrame, *, out: str, config: RunConfig,
            overwrite: bool = False) -> RunSummary:
    """Run the corpus job on numbered records; write ``dedup run``'s four outputs to ``out``.

    ``records`` has the columns of :func:`read_files` (or :func:`read_frame`).
    ``out`` is a folder on the driver's file system.
    """
    functions = require_pyspark()
    if config.output_format == "parquet":
        import_pyarrow()
    out_path = Path(out)
    with open_output(out_path, identity=f"spark-{time.time_ns()}", overwrite=overwrite,
                     resumable=False) as folder:
        summary = _run_in(records, folder, config, functions)
    logger.info("spark run done: %s records, %s kept, %s duplicates, %s rejected",
                summary.records, summary.kept, summary.duplicates, summary.rejected)
    return summary


def _run_in(records: DataFrame, folder: OutputFolder, config: RunConfig,
            functions: Any) -> RunSummary:
    """The job's steps in a locked output folder, then the commit of its outputs."""
    col = functions.col
    # Closures travel to the executors; a representative key (often a lambda) need not
    # pickle, and only the driver chooses representatives.
    shipped = dataclasses.replace(config, dedupe=dataclasses.replace(config.dedupe,
                                                                     representative="first"))
    timings: dict[str, float] = {}

    started = time.perf_counter()
    cleaned = _clean(records, shipped, functions).localCheckpoint(eager=True)
    timings["read_clean"] = time.perf_counter() - started

    started = time.perf_counter()
    model, paragraphs = _learn(cleaned, shipped, functions)
    finished = _finish(cleaned, model, paragraphs, shipped, functions).localCheckpoint(eager=True)
    timings["cross_doc"] = time.perf_counter() - started

    started = time.perf_counter()
    findings = find_duplicate_rows(finished.where(~col("rejected")), config, shipped, functions)
    timings["dedupe"] = time.perf_counter() - started

    rows = (json.loads(row["row"]) for row in
            finished.select("o", "row").sort("o").toLocalIterator())
    return finish_run(folder, rows, findings, model, config, progress=SILENT, timings=timings)


def _clean(records: DataFrame, config: RunConfig, functions: Any) -> DataFrame:
    """Steps *ids* and *clean*: the lowest ordinal owns an id; clean every record."""
    col = functions.col
    owners = (records.where(~col("rejected")).groupBy("id")
              .agg(functions.min(functions.struct("o", "loc")).alias("owner")))
    joined = records.join(owners, "id", "left").select(
        "o", "row", col("owner.o").alias("owner_o"), col("owner.loc").alias("owner_loc"))

    def clean_rows(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for values in rows:
            record = record_from_dict(json.loads(values["row"]))
            if isinstance(record, InputRecord) and values["owner_o"] != values["o"]:
                record = repeated_id(record, values["owner_loc"])
            row = clean_row(values["o"], record, config)
            yield {**_row_fields(row), "src": row.get("src", ""), "counted": "u" in row}

    return map_rows(joined, (*ROW_FIELDS, ("src", "string"), ("counted", "boolean")), clean_rows)


def _learn(cleaned: DataFrame, config: RunConfig, functions: Any,
           ) -> tuple[BoilerplateModel, DataFrame | None]:
    """Step *count*: the learnt lines (to the driver) and the paragraphs' first copies."""
    col = functions.col
    cross_doc = config.cross_doc
    if not cross_doc.enabled:
        return BoilerplateModel(), None
    counted = cleaned.where(col("counted"))
    documents = {row["src"]: row["count"] for row in counted.groupBy("src").count().collect()}

    def keys(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for values in rows:
            row = json.loads(values["row"])
            lines = describe_document("", source=row["src"], ordinal=row["o"],
                                      config=cross_doc, units=units_from_rows(row["u"]),
                                      story=row.get("c"))
            story = _signed(lines.story if lines.story is not None else 0)
            for key in lines.line_keys:
                yield {"o": row["o"], "src": row["src"], "key": _signed(key), "paragraph": False,
                       "story": story}
            for key in lines.paragraph_keys:
                yield {"o": row["o"], "src": row["src"], "key": _signed(key), "paragraph": True,
                       "story": story}

    exploded = map_rows(counted.select("row"), (("o", "long"), ("src", "string"), ("key", "long"),
                                           ("paragraph", "boolean"), ("story", "long")), keys)
    exploded = exploded.localCheckpoint(eager=True)
    floors = cleaned.sparkSession.createDataFrame(
        [(source, frequent_floor(total, cross_doc)) for source, total in documents.items()]
        or [("", 0)], "src string, floor long")
    # A line counts across documents that are not copies of one another: its
    # documents' distinct story keys, capped as LineStatistics caps them.
    lines = (exploded.where(~col("paragraph")).groupBy("src", "key")
             .agg(functions.count("*").alias("count"),
                  functions.countDistinct("story").alias("stories"))
             .join(functions.broadcast(floors), "src")
             .where((col("count") >= col("floor"))
                    & (functions.least(col("stories"), functions.lit(STORY_CAP))
                       >= functions.least(col("floor"), functions.lit(STORY_CAP))))
             .collect())
    frequent: dict[str, dict[int, int]] = {}
    for line in sorted(lines, key=lambda r: (r["src"], _unsigned(r["key"]))):
        frequent.setdefault(line["src"], {})[_unsigned(line["key"])] = line["count"]
    model = BoilerplateModel(frequent=frequent, documents=dict(sorted(documents.items())))
    if not cross_doc.paragraphs:
        return model, None
    paragraph_rows = exploded.where(col("paragraph")).select("o", "key")
    seen = (paragraph_rows.groupBy("key")
            .agg(functions.count("*").alias("count"), functions.min("o").alias("first"))
            .where(col("count") >= 2))
    per_document = (paragraph_rows.join(seen, "key").groupBy("o")
                    .agg(functions.collect_list(functions.struct("key", "count", "first"))
                         .alias("paragraphs")))
    return model, per_document


def _finish(cleaned: DataFrame, model: BoilerplateModel, paragraphs: DataFrame | None,
            config: RunConfig, functions: Any) -> DataFrame:
    """Step *finish*: the corpus removals, with the paragraphs seen earlier joined in."""
    frame = cleaned.select("o", "row")
    if paragraphs is not None:
        frame = frame.join(paragraphs, "o", "left")
        frame = frame.select("o", "row", functions.to_json("paragraphs").alias("paragraphs"))
    else:
        frame = frame.select("o", "row", functions.lit(None).cast("string").alias("paragraphs"))

    def finish(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for values in rows:
            first = {_unsigned(p["key"]): (p["count"], p["first"])
                     for p in json.loads(values["paragraphs"] or "[]")}
            local = dataclasses.replace(model, first_paragraph=first)
            yield _row_fields(finish_row(json.loads(values["row"]), local, config))

    return map_rows(frame, ROW_FIELDS, finish)


# ------------------------------------------------------------------ duplicates

_FINGERPRINT_FIELDS = (("o", "long"), ("id", "string"), ("length", "long"),
                       ("digest", "binary"), ("is_empty", "boolean"), ("size", "long"),
                       ("set_digest", "binary"), ("shingles", "array<long>"),
                       ("signature", "array<long>"), ("band_keys", "array<long>"),
                       ("figures", "string"), ("input_shingles", "array<long>"),
                       ("input_digest", "binary"))


def find_duplicate_rows(documents: DataFrame, config: RunConfig, shipped: RunConfig,
                     functions: Any) -> DuplicateFindings:
    """Steps *fingerprint* to *decide*: the local engine's grouping, with joins for movement.

    ``shipped`` is ``config`` as the executors get it; the representative
    policy of ``config`` is applied on the driver.
    """
    import hashlib

    col = functions.col
    dedupe = shipped.dedupe

    def fingerprint(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        parsed = [json.loads(values["row"]) for values in rows]
        batch = fingerprint_batch([match_text(row) for row in parsed], dedupe, clean_config=None,
                                  inputs=[str(row["n"]) for row in parsed])
        keys = band_keys(batch.signatures, dedupe) if parsed else None
        for index, row in enumerate(parsed):
            shingles = batch.shingle_sets[index]
            yield {"o": row["o"], "id": row["id"], "length": batch.lengths[index],
                   "digest": batch.digests[index], "is_empty": batch.is_empty[index],
                   "size": int(shingles.size),
                   "set_digest": hashlib.blake2b(shingles.tobytes(), digest_size=16).digest(),
                   "shingles": shingles.view(np.int64).tolist(),
                   "signature": batch.signatures[index].astype(np.int64).tolist(),
                   "band_keys": np.asarray(keys[index]).view(np.int64).tolist()
                   if keys is not None else [],
                   **_evidence_columns(batch.evidence[index])}

    prints = map_rows(documents.select("row"), _FINGERPRINT_FIELDS, fingerprint)
    prints = prints.localCheckpoint(eager=True)

    # Exact copies: the first document (lowest ordinal) with a digest heads it. Empty
    # texts group only with cluster_empty, as one digest.
    # Documents cleaning reduced are copies only if their inputs are too.
    key = functions.when(col("is_empty"), functions.lit(b"")).otherwise(
        functions.concat(col("digest"), col("input_digest")))
    grouped = prints if dedupe.cluster_empty else prints.where(~col("is_empty"))
    grouped = grouped.withColumn("exact_key", key)
    heads = grouped.groupBy("exact_key").agg(functions.min("o").alias("head"))
    exact = grouped.join(heads, "exact_key").select(
        "o", "head", "size", functions.concat(col("set_digest"), col("input_digest"))
        .alias("set_key"))
    exact = exact.localCheckpoint(eager=True)
    exact_links = tuple(sorted((r["o"], r["head"]) for r in
                               exact.where(col("o") != col("head")).collect()))
    # Identical shingle sets among exact heads.
    set_candidates = exact.where((col("o") == col("head")) & (col("size") > 0))
    set_heads = set_candidates.groupBy("set_key").agg(functions.min("o").alias("set_head"))
    same = set_candidates.join(set_heads, "set_key").select("o", "set_head")
    same = same.localCheckpoint(eager=True)
    same_links = tuple(sorted((r["o"], r["set_head"]) for r in
                              same.where(col("o") != col("set_head")).collect()))
    lsh_heads = same.where(col("o") == col("set_head")).select("o")
    head_prints = prints.join(lsh_heads, "o")

    # Candidates: heads sharing a band key; decided by the local engine's pair rules.
    bands = head_prints.select("o", functions.posexplode("band_keys").alias("band", "key"))
    left, right = bands.alias("left"), bands.alias("right")
    candidates = (left.join(right, (col("left.band") == col("right.band"))
                            & (col("left.key") == col("right.key"))
                            & (col("left.o") < col("right.o")))
                  .select(col("left.o").alias("a"), col("right.o").alias("b")).distinct())
    shingles = prints.select("o", "shingles", *_EVIDENCE_COLUMNS)

    def verify(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for values in rows:
            decision = decide_pair(_shingle_array(values["a_shingles"]),
                                   _shingle_array(values["b_shingles"]),
                                   _evidence(values, "a_"), _evidence(values, "b_"), dedupe)
            if decision.holds:
                yield {"a": values["a"], "b": values["b"], "similarity": decision.similarity}

    verified = map_rows(_with_shingles(candidates, shingles, functions),
                    (("a", "long"), ("b", "long"), ("similarity", "double")), verify)
    pair_links = tuple(sorted((r["a"], r["b"], r["similarity"]) for r in verified.collect()))

    contained_links: tuple[tuple[int, int, float], ...] = ()
    if dedupe.containment is not None:
        contained_links = _containment(head_prints, shingles, shipped, functions)

    links = Links(exact=exact_links, same_set=same_links, pairs=pair_links,
                  contained=contained_links)
    components = cluster_links(links)
    members = sorted({m for c in components for m in c.members})
    spark = documents.sparkSession
    member_frame = spark.createDataFrame([(m,) for m in members] or [(-1,)], "o long")
    facts = {r["o"]: r for r in
             prints.join(functions.broadcast(member_frame), "o").select("o", "id", "length")
             .collect()}
    infos = {m: MemberInfo(id=facts[m]["id"], position=m, length=facts[m]["length"])
             for m in members}
    heads_of = dict(exact_links)
    exact_head = {m: heads_of.get(m, m) for m in members}
    components, keeps, scored = settle(
        components, links, infos, exact_head, config.dedupe,
        lambda pairs: _score_members(pairs, shingles, shipped, functions))
    found = _passages(components, keeps, documents, functions) if config.passages else {}

    def passages_of(member: int, keep: int) -> tuple[SharedPassage, ...]:
        return found.get((member, keep), ())

    decision = assemble(components, keeps, links, ids={m: infos[m].id for m in members},
                        exact_head=exact_head, links_to_kept=scored,
                        passages=passages_of if config.passages else None)
    return findings_of(DedupResult(keep=(), duplicates=decision.duplicates,
                                   clusters=decision.clusters, config=config.dedupe))


def _shingle_array(values: Sequence[int]) -> ShingleArray:
    return np.asarray(values, dtype=np.int64).view(np.uint64)


#: How a document's :class:`~dedup.near.decision.MatchEvidence` travels.
_EVIDENCE_COLUMNS = ("figures", "input_shingles", "input_digest")


def _evidence_columns(evidence: MatchEvidence) -> dict[str, Any]:
    return {"figures": _dumps({"f": list(evidence.figures)}),
            "input_shingles": None if evidence.input_shingles is None
            else evidence.input_shingles.view(np.int64).tolist(),
            "input_digest": evidence.input_digest}


def _evidence(values: Mapping[str, Any], prefix: str) -> MatchEvidence:
    shingles = values[prefix + "input_shingles"]
    return MatchEvidence(figures=tuple(json.loads(values[prefix + "figures"])["f"]),
                         input_shingles=None if shingles is None else _shingle_array(shingles),
                         input_digest=values[prefix + "input_digest"])


def _with_shingles(pairs: DataFrame, shingles: DataFrame, functions: Any) -> DataFrame:
    """Join both documents' shingles and match evidence onto ``(a, b)`` pairs."""
    col = functions.col
    names = ("shingles", *_EVIDENCE_COLUMNS)
    left = shingles.select(col("o").alias("a"), *(col(n).alias("a_" + n) for n in names))
    right = shingles.select(col("o").alias("b"), *(col(n).alias("b_" + n) for n in names))
    return pairs.join(left, "a").join(right, "b")


def _containment(head_prints: DataFrame, shingles: DataFrame, config: RunConfig,
                 functions: Any) -> tuple[tuple[int, int, float], ...]:
    """Containment candidates from the heads' signatures on the driver, verified by join."""
    dedupe = config.dedupe
    heads = sorted((r["o"], r["size"], r["signature"]) for r in
                   head_prints.select("o", "size", "signature").collect())
    found = containment_candidates(
        [o for o, _, _ in heads], [size for _, size, _ in heads],
        [np.asarray(signature, dtype=np.int64).astype(np.uint32) for _, _, signature in heads],
        dedupe)
    if not found:
        return ()
    spark = head_prints.sparkSession
    pairs = spark.createDataFrame(found, "a long, b long")

    def verify(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for values in rows:
            decision = decide_pair(_shingle_array(values["a_shingles"]),
                                   _shingle_array(values["b_shingles"]),
                                   _evidence(values, "a_"), _evidence(values, "b_"), dedupe,
                                   measure="containment")
            if decision.holds:
                yield {"a": values["a"], "b": values["b"], "score": decision.similarity}

    verified = map_rows(_with_shingles(pairs, shingles, functions),
                    (("a", "long"), ("b", "long"), ("score", "double")), verify)
    scores = {(r["a"], r["b"]): r["score"] for r in verified.collect()}
    return tuple((a, b, scores[(a, b)]) for a, b in found if (a, b) in scores)


def _score_members(pairs: Sequence[tuple[int, int]], shingles: DataFrame, config: RunConfig,
                   functions: Any,
                   ) -> tuple[dict[tuple[int, int], tuple[float, Any]], frozenset[int]]:
    """:func:`dedup.near.keep.member_link` of each ``(member, kept)`` pair, by join.

    Also returns the members whose figures conflict with their kept document's.
    """
    if not pairs:
        return {}, frozenset()
    dedupe = config.dedupe
    spark = shingles.sparkSession
    frame = spark.createDataFrame(list(pairs), "a long, b long")

    def score(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for values in rows:
            similarity, kind = member_link(_shingle_array(values["a_shingles"]),
                                           _shingle_array(values["b_shingles"]),
                                           same_text=False, config=dedupe)
            apart = figures_conflict(_evidence(values, "a_"), _evidence(values, "b_"), dedupe)
            yield {"a": values["a"], "b": values["b"], "similarity": similarity, "kind": kind,
                   "apart": apart}

    scored = map_rows(_with_shingles(frame, shingles, functions),
                      (("a", "long"), ("b", "long"), ("similarity", "double"),
                       ("kind", "string"), ("apart", "boolean")), score).collect()
    return ({(r["a"], r["b"]): (r["similarity"], r["kind"]) for r in scored},
            frozenset(r["a"] for r in scored if r["apart"]))


def _passages(components: Sequence[Any], keeps: Sequence[int], documents: DataFrame,
              functions: Any) -> dict[tuple[int, int], tuple[SharedPassage, ...]]:
    """The passages each dropped member shares with its kept document, by join."""
    col = functions.col
    pairs = [(member, keep) for component, keep in zip(components, keeps, strict=True)
             for member in component.members if member != keep]
    if not pairs:
        return {}
    spark = documents.sparkSession
    frame = spark.createDataFrame(pairs, "a long, b long")
    rows = documents.select("o", "row")
    left = rows.select(col("o").alias("a"), col("row").alias("a_row"))
    right = rows.select(col("o").alias("b"), col("row").alias("b_row"))

    def explain(batch: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for values in batch:
            found = shared_passages(match_text(json.loads(values["a_row"])),
                                    match_text(json.loads(values["b_row"])))
            yield {"a": values["a"], "b": values["b"],
                   "passages": _dumps({"p": [p.to_dict() for p in found]})}

    explained = map_rows(frame.join(left, "a").join(right, "b"),
                     (("a", "long"), ("b", "long"), ("passages", "string")), explain)
    return {(r["a"], r["b"]): tuple(SharedPassage(**p) for p in json.loads(r["passages"])["p"])
            for r in explained.collect()}
