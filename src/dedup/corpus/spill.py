"""Spill files: each batch's intermediate result, on disk between the pipeline's stages.

A run keeps documents out of memory by writing every batch to
``DIR/.dedup-work/<stage>-<batch>.jsonl`` (one JSON object per record, compact
keys) and reading it back in the next stage. The files are written atomically,
so a killed run leaves whole files only, and a rerun skips the batches done.
They skip ``fsync``: a rerun rebuilds them, and flushing cost more than the work.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from dedup.cleaning.cleaner import apply_removals
from dedup.corpus import io
from dedup.corpus.crossdoc import Unit
from dedup.report import Removal

__all__ = ["as_int", "final_text", "read_spill", "removals_from_rows", "removals_to_rows",
           "spill_path", "units_from_rows", "write_spill"]


def spill_path(work: Path, stage: str, index: int) -> Path:
    """Name the spill file of one batch in one stage; zero-padded so names sort in order.

    >>> spill_path(Path("w"), "clean", 7).name
    'clean-000007.jsonl'
    """
    return work / f"{stage}-{index:06d}.jsonl"


def write_spill(path: Path, rows: Iterable[Mapping[str, object]]) -> None:
    """Write a batch's rows atomically, without fsync.

    Only :data:`FOREIGN_FIELDS` are looked through for values orjson writes
    unlike json (:func:`~dedup.corpus.io.json_line`): the rest is ours.
    """
    with io.atomic_writer(path, durable=False) as handle:
        for row in rows:
            handle.write(io.json_line(row, foreign=FOREIGN_FIELDS))


#: The fields of a row that hold what an input record brought (its extra fields), the only
#: values in it the pipeline did not write itself: orjson may read those unlike json.
FOREIGN_FIELDS: tuple[str, ...] = ("x",)


def read_spill(path: Path) -> Iterator[dict[str, object]]:
    """Read a batch's rows back, one at a time (with orjson when installed: a third of the time).

    Spill lines hold no raw newline or carriage return (JSON escapes them), so
    lines of bytes are the lines the file was written as.
    """
    with path.open("rb") as handle:
        for line in handle:
            row = io.parse_json_line(line, foreign=FOREIGN_FIELDS)
            if not isinstance(row, dict):
                raise TypeError(f"{path}: expected a JSON object per line, found {row!r:.80}")
            yield row


def removals_from_rows(rows: object) -> tuple[Removal, ...]:
    """Turn ``[start, end, rule, detail]`` rows back into removals."""
    return tuple(Removal(start=s, end=e, rule=rule, detail=detail)
                 for s, e, rule, detail in rows)  # type: ignore[attr-defined]


def units_from_rows(rows: object) -> tuple[Unit, ...]:
    """Turn ``[start, end, key, words]`` rows back into units."""
    return tuple(Unit(start=s, end=e, key=key, words=words)
                 for s, e, key, words in rows)  # type: ignore[attr-defined]


def as_int(value: object) -> int:
    """Return an integer read from a spill file, or say that the file is not one of ours."""
    if not isinstance(value, int):
        raise TypeError(f"expected an integer in a spill file, found {value!r}")
    return value


def removals_to_rows(removals: Iterable[Removal]) -> list[list[object]]:
    """Write removals as compact ``[start, end, rule, detail]`` rows.

    >>> removals_to_rows([Removal(start=0, end=3, rule="repeat.block")])
    [[0, 3, 'repeat.block', '']]
    """
    return [[r.start, r.end, r.rule, r.detail] for r in removals]


def final_text(row: Mapping[str, object]) -> str:
    """Return a spilled document's text after all its removals."""
    return apply_removals(str(row["n"]), removals_from_rows(row["r"]))
