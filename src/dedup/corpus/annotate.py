"""Frames in, frames out: clean or deduplicate a DataFrame and get one of the same type back.

For users who work in pandas, polars, Arrow or Hugging Face ``datasets`` (as
with datatrove's or text-dedup's readers): :func:`clean_frame` adds the cleaned
text and what was removed, :func:`deduplicate_frame` drops the duplicates and
says of every row left why it is there. Rows are read in chunks
(:mod:`dedup.corpus.frames`); the added columns are named ``dedup_*`` so they
never collide with the user's, and are replaced when the function runs again
on its own output.

Added in 0.1.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, TypeVar

from dedup.cleaning.cleaner import clean
from dedup.config import CleanConfig
from dedup.corpus.dedupe import deduplicate, read_documents
from dedup.corpus.frames import (
    ColumnType,
    Frame,
    document_rows,
    frame_kind,
    rebuild_frame,
    row_count,
)
from dedup.near.config import DedupConfig
from dedup.near.result import Rejection

__all__ = ["FRAME_COLUMNS", "clean_frame", "deduplicate_frame"]

_F = TypeVar("_F", bound=Frame)

#: Columns each function adds, in order.
FRAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "clean_frame": ("dedup_text", "dedup_removed_chars", "dedup_rules"),
    "deduplicate_frame": ("dedup_status", "dedup_duplicate_of", "dedup_similarity",
                          "dedup_kind"),
}

RowStatus = Literal["kept", "duplicate", "empty", "rejected"]


def _require_frame(frame: object, caller: str) -> None:
    if frame_kind(frame) is None:
        raise TypeError(f"{caller}() takes a pandas or polars DataFrame, an Arrow Table or "
                        f"RecordBatch, or a Hugging Face Dataset, not {type(frame).__name__}; "
                        "for other inputs use dedup.clean or dedup.deduplicate")


def clean_frame(frame: _F, *, text_field: str = "text",
                config: CleanConfig | None = None) -> _F:
    """Return ``frame`` with every row and its cleaned text: a frame of the same type.

    Adds ``dedup_text`` (the cleaned text, None where ``text_field`` is not a
    string), ``dedup_removed_chars`` (characters removed from the normalized
    text) and ``dedup_rules`` (the rule ids that removed them, comma-separated,
    in order of first use). ``text_field`` itself is left as it was.

    Raises:
        TypeError: ``frame`` is not one of the frames :mod:`dedup.corpus.frames` reads.
        InputError: ``frame`` has no ``text_field`` column.

    >>> import pyarrow as pa
    >>> story = "The ferry now leaves at six on weekdays.\\nShare this article"
    >>> cleaned = clean_frame(pa.table({"text": [story, None]}))
    >>> cleaned.column("dedup_text").to_pylist(), cleaned.column("dedup_rules").to_pylist()
    (['The ferry now leaves at six on weekdays.', None], ['boilerplate.share', None])

    Added in 0.1.
    """
    _require_frame(frame, "clean_frame")
    config = config or CleanConfig(explain=False)
    texts: list[object] = []
    removed: list[object] = []
    rules: list[object] = []
    for row in document_rows(frame, text_field=text_field, id_field=text_field,
                             columns="needed", caller="clean_frame"):
        text = row.get(text_field) if isinstance(row, dict) else None
        if not isinstance(text, str):
            texts.append(None)
            removed.append(None)
            rules.append(None)
            continue
        result = clean(text, config=config)
        texts.append(result.text)
        removed.append(sum(r.end - r.start for r in result.removals))
        rules.append(",".join(dict.fromkeys(r.rule for r in result.removals)))
    columns: dict[str, tuple[ColumnType, list[object]]] = {
        "dedup_text": ("str", texts), "dedup_removed_chars": ("int", removed),
        "dedup_rules": ("str", rules)}
    rebuilt: _F = rebuild_frame(frame, rows=list(range(len(texts))), columns=columns)
    return rebuilt


def deduplicate_frame(frame: _F, *, text_field: str = "text", id_field: str = "id",
                      threshold: float | None = None, config: DedupConfig | None = None,
                      clean: bool | CleanConfig = True, workers: int = 1,
                      keep_duplicates: bool = False) -> _F:
    """Return ``frame`` without its duplicate rows, saying of each row why: same frame type.

    Every row that is not a duplicate stays, in input order, with
    ``dedup_status``: ``"kept"``, ``"empty"`` (no text left after cleaning)
    or ``"rejected"`` (its text is not a string, or its id was seen before).
    With ``keep_duplicates=True`` the duplicates stay too, with status
    ``"duplicate"``, ``dedup_duplicate_of`` (the id of the row kept in their
    place), ``dedup_similarity`` and ``dedup_kind`` (``exact``, ``near``,
    ``containment``). Ids and options are those of :func:`dedup.deduplicate`:
    without an ``id_field`` column a row's id is its position.

    Raises:
        TypeError: ``frame`` is not one of the frames :mod:`dedup.corpus.frames` reads.
        InputError: ``frame`` has no ``text_field`` column.
        ConfigError: conflicting or invalid options.

    >>> import pyarrow as pa
    >>> story = "The ferry now leaves at six on weekdays, an hour earlier than before."
    >>> table = pa.table({"id": ["a", "b", "c"], "text": [story, story + "!", "Rain later."]})
    >>> deduplicate_frame(table).column("id").to_pylist()
    ['a', 'c']
    >>> everything = deduplicate_frame(table, keep_duplicates=True)
    >>> everything.column("dedup_status").to_pylist()
    ['kept', 'duplicate', 'kept']
    >>> everything.column("dedup_duplicate_of").to_pylist()
    [None, 'a', None]

    Added in 0.1.
    """
    _require_frame(frame, "deduplicate_frame")
    rejections: list[Rejection] = []
    ids: list[str] = []

    def accepted() -> Iterator[tuple[str, str]]:
        for doc_id, text in read_documents(frame, id_field=id_field, text_field=text_field,
                                           rejections=rejections):
            ids.append(doc_id)
            yield doc_id, text

    result = deduplicate(accepted(), threshold=threshold, config=config, clean=clean,
                         workers=workers)
    total = row_count(frame)
    # read_documents names a rejected row by its position: "position <n>".
    rejected = {int(rejection.location.removeprefix("position ")) for rejection in rejections}
    position_of = dict(zip(ids, (p for p in range(total) if p not in rejected), strict=True))
    status: list[RowStatus] = ["kept"] * total
    duplicate_of: list[object] = [None] * total
    similarity: list[object] = [None] * total
    kind: list[object] = [None] * total
    for position in rejected:
        status[position] = "rejected"
    for doc_id in result.empty:
        status[position_of[doc_id]] = "empty"
    for duplicate in result.duplicates:
        position = position_of[duplicate.id]
        status[position] = "duplicate"
        duplicate_of[position] = duplicate.duplicate_of
        similarity[position] = duplicate.similarity
        kind[position] = duplicate.kind
    rows = [p for p in range(total) if keep_duplicates or status[p] != "duplicate"]
    columns: dict[str, tuple[ColumnType, list[object]]] = {
        "dedup_status": ("str", list(status)), "dedup_duplicate_of": ("str", duplicate_of),
        "dedup_similarity": ("float", similarity), "dedup_kind": ("str", kind)}
    rebuilt: _F = rebuild_frame(frame, rows=rows, columns=columns)
    return rebuilt
