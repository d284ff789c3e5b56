"""Readers: a wrong text field stops early, standard input, patterns, row-file formats."""

from __future__ import annotations

import bz2
import io
import json
from pathlib import Path

import pytest

from dedup.corpus.io import FIELD_CHECK_RECORDS, read_documents
from dedup.corpus.listing import list_paths
from dedup.corpus.pipeline import run
from dedup.corpus.rowfiles import format_for
from dedup.document import InputRecord, Rejection
from dedup.errors import ConfigError, InputError, MissingFieldError


def _write(path: Path, rows: list[object]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def test_a_wrong_text_field_raises_after_the_first_records(tmp_path: Path) -> None:
    rows: list[object] = [{"id": n, "body": "x", "title": "t"} for n in range(500)]
    records = read_documents([_write(tmp_path / "d.jsonl", rows)], text_field="txt")
    with pytest.raises(MissingFieldError) as raised:
        next(records)
    assert str(raised.value) == (f"{(tmp_path / 'd.jsonl').as_posix()} has no field 'txt' in "
                                 f"its first {FIELD_CHECK_RECORDS} records; fields seen: "
                                 "body, id, title")
    assert raised.value.fields_seen == ("body", "id", "title")
    assert isinstance(raised.value, InputError)


def test_a_small_file_without_the_field_raises_too(tmp_path: Path) -> None:
    rows: list[object] = ["{broken", {"id": 1, "body": "x"}, {"id": 2, "lead": "y"}]
    with pytest.raises(MissingFieldError, match="in any of its 2 records; fields seen: "
                                                "body, id, lead"):
        list(read_documents([_write(tmp_path / "d.jsonl", rows)]))


def test_some_records_without_the_field_are_rejections_in_order(tmp_path: Path) -> None:
    rows: list[object] = [{"id": n, "body": "x"} for n in range(FIELD_CHECK_RECORDS - 1)]
    rows += ["{broken", {"id": "yes", "text": "At last a text."}, {"id": "no", "body": "x"}]
    records = list(read_documents([_write(tmp_path / "d.jsonl", rows)]))
    assert len(records) == len(rows)
    assert [r.id.rsplit("/", 1)[-1] for r in records[-3:]] == ["d.jsonl:100", "yes", "no"]
    assert [getattr(r, "reason", "kept") for r in records[-3:]] == [
        "malformed_json", "kept", "missing_text"]


def test_the_check_is_per_file(tmp_path: Path) -> None:
    good = _write(tmp_path / "a.jsonl", [{"id": "a", "text": "A text."}])
    bad = _write(tmp_path / "b.jsonl", [{"id": "b", "body": "Not here."}])
    records = read_documents([good, bad])
    assert isinstance(next(records), InputRecord)
    with pytest.raises(MissingFieldError, match=r"b\.jsonl has no field 'text' in its record"):
        next(records)


def test_dedup_run_stops_on_a_wrong_text_field(tmp_path: Path) -> None:
    source = _write(tmp_path / "d.jsonl", [{"id": n, "body": "x"} for n in range(3)])
    with pytest.raises(MissingFieldError):
        run([source], out=tmp_path / "out", workers=1)


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))


@pytest.mark.parametrize(("data", "expected"), [
    (b'{"id": "a", "text": "One."}\n{"text": "Two."}\n', [("a", "One."), ("stdin:2", "Two.")]),
    ("{\"id\": \"u\", \"text\": \"UTF-16.\"}\n".encode("utf-16"), [("u", "UTF-16.")]),
    (bz2.compress(b'{"id": "b", "text": "Packed."}\n'), [("b", "Packed.")]),
    (b"Just some words.\n", [("stdin", "Just some words.\n")]),
    (b" " * 9000 + b"{\"id\": \"far\", \"text\": \"After blanks.\"}",
     [("far", "After blanks.")]),
])
def test_standard_input_is_jsonl_or_one_text(data: bytes, expected: list[tuple[str, str]],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, data)
    records = list(read_documents(["-"]))
    assert all(isinstance(r, InputRecord) for r in records), records
    assert [(r.id, r.text) for r in records] == expected  # type: ignore[union-attr]


def test_empty_standard_input_is_an_empty_rejection(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"")
    (record,) = read_documents(["-"])
    assert isinstance(record, Rejection)
    assert record.reason == "empty"


def test_standard_input_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="given twice"):
        list_paths(["-", "-"])


def test_patterns_apply_inside_folders_only(tmp_path: Path) -> None:
    for name in ("a.txt", "b.jsonl", "skip/c.txt", "deep/skip/d.txt", "deep/e.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    listed = list_paths([tmp_path], include=["*.txt"], exclude=["skip"])
    assert [f.name for f in listed] == ["a.txt", "deep/e.txt"]
    listed = list_paths([tmp_path, tmp_path / "b.jsonl"], include=["deep/*"])
    assert [f.name for f in listed] == ["deep/e.txt", "deep/skip/d.txt",
                                        (tmp_path / "b.jsonl").as_posix()]


@pytest.mark.parametrize(("path", "given", "expected"), [
    ("a.jsonl", None, "jsonl"), ("a.NDJSON", None, "jsonl"), ("a.jsonl.gz", None, "jsonl.gz"),
    ("a.parquet", "parquet", "parquet"), ("a.out", "parquet", "parquet"), ("a.out", None, "jsonl"),
    (None, None, "jsonl"), (None, "jsonl", "jsonl"),
])
def test_the_row_format_comes_from_the_name(path: str | None, given: str | None,
                                            expected: str) -> None:
    assert format_for(path, given) == expected


@pytest.mark.parametrize(("path", "given"), [("a.parquet", "jsonl"), ("a.jsonl.gz", "jsonl"),
                                             ("a.jsonl", "csv"), (None, "jsonl.gz")])
def test_a_contradicting_format_is_refused(path: str | None, given: str) -> None:
    with pytest.raises(ConfigError):
        format_for(path, given)
