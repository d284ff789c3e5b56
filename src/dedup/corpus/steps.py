"""The corpus job's per-record steps, for every engine (see ``docs/corpus-job.md``).

Between steps a document is a *row*: a JSON-ready dict with compact keys, the
same in the local engine's spill files and in the Spark engine's JSON column.

========  ==========================================================
key       meaning
========  ==========================================================
``o``     ordinal: the record's number in input order, from 0
``id``    the record's id
``loc``   where it was read (``dump.jsonl:12``)
``reason``, ``detail``  a rejection's reason and explanation (rejected rows only)
``x``     the input's other fields
``src``   the site its lines are counted in (:func:`source_of`)
``n``     the normalized text every removal's offsets refer to
``r``     removals, ``[start, end, rule, detail]``
``m``     metadata (title, dates, agency, ...)
``u``     cross-document units, ``[start, end, key, words]`` (after cleaning)
``c``     the cleaned text's story key (:func:`~dedup.corpus.crossdoc.story_key`)
``lines`` the units again once the corpus removals are applied (kept for resume)
========  ==========================================================

Every function here is pure: it reads a row (or a record) and the config, and
returns a row. An engine only decides how rows move between the steps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from dedup.cleaning.cleaner import apply_removals, clean, clean_with_paragraphs
from dedup.config import CleanConfig
from dedup.corpus.crossdoc import (
    BoilerplateModel,
    CrossDocConfig,
    LineStatistics,
    describe_document,
    find_cross_doc_removals,
    overlay_removals,
    source_of,
    split_units_for,
    story_key,
)
from dedup.corpus.spill import removals_from_rows, removals_to_rows, units_from_rows
from dedup.document import InputRecord, Rejection
from dedup.errors import ConfigError
from dedup.near.config import DedupConfig

__all__ = [
    "Row",
    "RunConfig",
    "clean_row",
    "count_rows",
    "finish_row",
    "is_rejected",
    "match_text",
    "raw_row",
    "record_from_dict",
    "record_to_dict",
    "rejection_row",
    "repeated_id",
    "row_text",
]

#: One record between two steps; see the module docstring for its keys.
Row = dict[str, object]


@dataclass(frozen=True, slots=True, kw_only=True)
class RunConfig:
    """Everything a corpus run can be told, besides where and on how many cores.

    Args:
        text_field: the field with the text in JSONL, Parquet and dict inputs.
        id_field: the field with the id; records without one get ``<file>:<line>``.
        source_field: the field naming a record's site; cross-document
            boilerplate is learnt per site. Without it, the host of
            ``url_field`` is the site; without either, the corpus is one site.
        dedupe: how duplicates are found (threshold, shingles, representative,
            containment); see :class:`~dedup.DedupConfig`.
        passages: write the passages each duplicate shares with the document
            it duplicates into its manifest line (costs the texts of the
            duplicates in memory while deciding).
        output_format: ``jsonl``, or ``parquet`` (needs ``dedup-corpus[parquet]``).
        batch_size: records per unit of work (also the granularity of resume).
        report_documents: documents with removals per page of the report
            (``report/removals-NNNN.html``); 0 leaves them out.
        report_clusters: duplicate clusters per page of the report
            (``report/clusters-NNNN.html``); 0 leaves them out.
        include, exclude: shell patterns choosing which files inside folders
            are read (see :mod:`dedup.corpus.listing`).

    >>> RunConfig(dedupe=DedupConfig(threshold=0.9)).cross_doc.min_documents
    10
    """

    text_field: str = "text"
    id_field: str = "id"
    source_field: str = "source"
    url_field: str = "url"
    clean: CleanConfig = field(default_factory=CleanConfig)
    cross_doc: CrossDocConfig = field(default_factory=CrossDocConfig)
    dedupe: DedupConfig = field(default_factory=DedupConfig)
    passages: bool = False
    output_format: Literal["jsonl", "parquet"] = "jsonl"
    batch_size: int = 256
    report_documents: int = 100
    report_clusters: int = 50
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.output_format not in ("jsonl", "parquet"):
            raise ConfigError(f"RunConfig.output_format={self.output_format!r} is invalid: "
                              "expected 'jsonl' or 'parquet'")
        if self.batch_size < 1:
            raise ConfigError(f"RunConfig.batch_size={self.batch_size!r} is invalid: "
                              "expected an integer >= 1")
        if self.report_documents < 0 or self.report_clusters < 0:
            raise ConfigError("RunConfig.report_documents and report_clusters must be >= 0")


def record_to_dict(record: InputRecord | Rejection) -> Row:
    """Return a record as a JSON-ready dict (how an engine carries it before cleaning).

    >>> record_from_dict(record_to_dict(Rejection(id="a", location="a", reason="empty"))).reason
    'empty'
    """
    if isinstance(record, Rejection):
        return {"id": record.id, "loc": record.location, "reason": record.reason,
                "detail": record.detail}
    return {"id": record.id, "loc": record.location, "text": record.text, "x": record.extras}


def record_from_dict(value: Mapping[str, object]) -> InputRecord | Rejection:
    """Return the record :func:`record_to_dict` wrote."""
    if "reason" in value:
        return Rejection(id=str(value["id"]), location=str(value["loc"]),
                         reason=value["reason"],  # type: ignore[arg-type]
                         detail=str(value.get("detail", "")))
    extras = value.get("x")
    return InputRecord(id=str(value["id"]), text=str(value["text"]), location=str(value["loc"]),
                       extras=dict(extras) if isinstance(extras, Mapping) else {})


def is_rejected(row: Mapping[str, object]) -> bool:
    """Say whether a row is a rejection (it then has ``reason`` and ``detail``)."""
    return "reason" in row


def rejection_row(ordinal: int, rejection: Rejection) -> Row:
    """Return the row of a record that cannot be processed.

    >>> rejection_row(3, Rejection(id="a", location="a", reason="empty"))["reason"]
    'empty'
    """
    return {"o": ordinal, "id": rejection.id, "loc": rejection.location,
            "reason": rejection.reason, "detail": rejection.detail}


def repeated_id(record: InputRecord, first_location: str) -> Rejection:
    """Reject a record whose id an earlier record (at ``first_location``) already has.

    The record with the lowest ordinal owns an id, in every engine.

    >>> repeated_id(InputRecord(id="7", text="x", location="b.jsonl:1"), "a.jsonl:4").detail
    "id '7' was already used by a.jsonl:4"
    """
    return Rejection(id=record.id, location=record.location, reason="duplicate_id",
                     detail=f"id {record.id!r} was already used by {first_location}")


def _source(extras: Mapping[str, object], config: RunConfig) -> str:
    return source_of(extras.get(config.source_field), extras.get(config.url_field))


def clean_row(ordinal: int, record: InputRecord | Rejection, config: RunConfig) -> Row:
    """Step *clean*: clean one record and split it into the units the corpus counts.

    >>> row = clean_row(0, InputRecord(id="a", text="Hello there.", location="a"), RunConfig())
    >>> row["n"], row["src"]
    ('Hello there.', '')
    """
    if isinstance(record, Rejection):
        return rejection_row(ordinal, record)
    paragraph_lines: tuple[tuple[int, int], ...] = ()
    if not config.cross_doc.enabled:
        result = clean(record.text, config=config.clean)
    else:
        # The units' paragraphs from clean()'s own segmentation: grouping the
        # normalized text again was 1.9 s of the 21 s this step takes on Reuters.
        result, paragraph_lines = clean_with_paragraphs(record.text, config=config.clean)
    row: Row = {
        "o": ordinal, "id": record.id, "loc": record.location, "x": record.extras,
        "src": _source(record.extras, config), "n": result.normalized,
        "r": removals_to_rows(result.removals), "m": result.metadata.to_dict()}
    if config.cross_doc.enabled:
        units = split_units_for(result.normalized, config.cross_doc,
                                paragraph_lines=paragraph_lines)
        row["u"] = [[u.start, u.end, u.key, u.words] for u in units]
        row["c"] = story_key(result.text, ordinal)
    return row


def raw_row(ordinal: int, record: InputRecord | Rejection) -> Row:
    """Return the row of a record taken as it is, uncleaned (``deduplicate(clean=False)``).

    >>> raw_row(0, InputRecord(id="a", text="As given.", location="a"))["n"]
    'As given.'
    """
    if isinstance(record, Rejection):
        return rejection_row(ordinal, record)
    return {"o": ordinal, "id": record.id, "loc": record.location, "x": record.extras,
            "src": "", "n": record.text, "r": [], "m": {}}


def count_rows(rows: Iterable[Mapping[str, object]], config: RunConfig, *,
               units_field: str = "u") -> LineStatistics:
    """Step *count*: add the rows' units to fresh line statistics (merge them across batches).

    ``units_field`` is ``"lines"`` for rows that already went through :func:`finish_row`.
    """
    stats = LineStatistics()
    for row in rows:
        units = row.get(units_field)
        if units is not None:
            story = row.get("c")
            stats.add(describe_document("", source=str(row["src"]), ordinal=_int(row["o"]),
                                        config=config.cross_doc, units=units_from_rows(units),
                                        story=story if isinstance(story, int) else None))
    return stats


def finish_row(row: Mapping[str, object], model: BoilerplateModel, config: RunConfig) -> Row:
    """Step *finish*: apply the learnt corpus boilerplate; reject a row left empty.

    ``model`` needs the frequent lines of the row's source and, with
    ``cross_doc.paragraphs``, the first-seen entries of the row's paragraph
    keys (an engine may pass a model holding just those).
    """
    if is_rejected(row):
        return dict(row)
    normalized = str(row["n"])
    removals = removals_from_rows(row["r"])
    units = row.get("u")
    if config.cross_doc.enabled:
        found = find_cross_doc_removals(
            normalized, source=str(row["src"]), ordinal=_int(row["o"]), model=model,
            config=config.cross_doc, explain=config.clean.explain,
            units=units_from_rows(units) if units is not None else None)
        removals = overlay_removals(found, removals)
    finished: Row = {key: value for key, value in row.items() if key != "u"}
    finished["r"] = removals_to_rows(removals)
    # "lines" keeps what the count step read, so a resumed run can count it again.
    finished["lines"] = units
    if not apply_removals(normalized, removals).strip():
        return {"o": row["o"], "id": row["id"], "loc": row["loc"],
                "reason": "empty_after_cleaning",
                "detail": f"{row['loc']}: nothing is left after cleaning",
                "src": row["src"], "n": normalized, "r": finished["r"], "lines": units}
    return finished


def row_text(row: Mapping[str, object]) -> str:
    """Return a row's text after all its removals: what the duplicate step reads."""
    return apply_removals(str(row["n"]), removals_from_rows(row["r"]))


#: Removals the duplicate step does not read through: a paragraph copied from an earlier
#: document is removed from the output, but a whole copy must still match its original.
_KEPT_FOR_MATCHING = frozenset({"corpus.repeated_paragraph"})


def match_text(row: Mapping[str, object]) -> str:
    """Return the text the duplicate step reads: :func:`row_text` with copied paragraphs.

    With ``--cross-doc-paragraphs`` a resent copy would otherwise lose every
    paragraph it shares with its original and no longer look like it.
    """
    removals = tuple(r for r in removals_from_rows(row["r"]) if r.rule not in _KEPT_FOR_MATCHING)
    return apply_removals(str(row["n"]), removals)


def _int(value: object) -> int:
    if not isinstance(value, int):
        raise TypeError(f"expected an integer ordinal in a row, found {value!r}")
    return value
