"""Readers account for every input record; writers never leave a torn file."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from dedup.corpus.io import (
    atomic_writer,
    list_input_files,
    read_documents,
    read_records,
    write_json,
    write_jsonl,
)
from dedup.document import InputRecord, Rejection
from dedup.errors import InputError


def _records(paths: list[Path], **options: str) -> list[InputRecord | Rejection]:
    return list(read_documents(paths, **options))


def _by_id(records: list[InputRecord | Rejection]) -> dict[str, InputRecord | Rejection]:
    return {record.id: record for record in records}


def test_folder_is_read_recursively_in_sorted_order_with_relative_ids(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Zed.", encoding="utf-8")
    (tmp_path / "b" / "a.md").write_text("Markdown counts as text.", encoding="utf-8")
    (tmp_path / "c.txt").write_text("See.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Ay.", encoding="utf-8")
    (tmp_path / ".hidden").write_text("not a document", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref", encoding="utf-8")

    records = _records([tmp_path])

    assert [r.id for r in records] == ["a.txt", "b/a.md", "b/z.txt", "c.txt"]
    assert all(isinstance(r, InputRecord) for r in records)
    first = records[0]
    assert isinstance(first, InputRecord)
    assert first.text == "Ay."
    assert first.location == (tmp_path / "a.txt").as_posix()
    assert first.extras == {}


def test_files_named_directly_keep_the_path_as_given(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("\ufeffA story with a byte order mark.\r\n", encoding="utf-8")

    (record,) = _records([story])

    assert isinstance(record, InputRecord)
    assert record.id == story.as_posix()
    assert record.text == "A story with a byte order mark.\r\n"


def test_missing_path_raises_before_anything_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Ay.", encoding="utf-8")
    with pytest.raises(InputError, match="does not exist"):
        read_documents([tmp_path, tmp_path / "missing"])


def test_bad_text_files_become_rejections_naming_file_and_offset(tmp_path: Path) -> None:
    (tmp_path / "bad_utf8.txt").write_bytes(b"caf\xc3\xa9 ok then \xff broken")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\t\n")
    (tmp_path / "nul.txt").write_bytes(b"text\x00more")
    (tmp_path / "good.txt").write_text("Fine.", encoding="utf-8")

    records = _by_id(_records([tmp_path]))

    bad = records["bad_utf8.txt"]
    assert isinstance(bad, Rejection)
    assert bad.reason == "invalid_utf8"
    assert "byte offset 14" in bad.detail
    assert "bad_utf8.txt" in bad.detail
    assert isinstance(records["empty.txt"], Rejection)
    assert records["empty.txt"].reason == "empty"
    assert records["blank.txt"].reason == "empty"  # type: ignore[union-attr]
    nul = records["nul.txt"]
    assert isinstance(nul, Rejection)
    assert nul.reason == "nul_bytes"
    assert "byte offset 4" in nul.detail
    assert isinstance(records["good.txt"], InputRecord)


def _jsonl_lines() -> list[bytes]:
    return [
        json.dumps({"id": "a", "text": "First.", "url": "https://x.example/a",
                    "score": 0.5, "n": 3, "ok": True, "none": None,
                    "tags": ["x", "y"]}).encode(),
        b"",  # a blank line is not a record
        json.dumps({"text": "No id here."}).encode(),
        b'{"id": "broken", "text": ',
        json.dumps({"id": "no-text", "body": "elsewhere"}).encode(),
        json.dumps({"id": "number", "text": 42}).encode(),
        json.dumps({"id": "nul", "text": "a\u0000b"}).encode(),
        json.dumps({"id": "empty", "text": ""}).encode(),
        b'{"id": "utf8", "text": "bad \xff byte"}',
        b"[1, 2, 3]",
        json.dumps({"id": 17, "text": "Integer id."}).encode(),
        json.dumps({"id": [1], "text": "List id."}).encode(),
    ]


@pytest.mark.parametrize("compressed", [False, True])
def test_jsonl_records_and_rejections(tmp_path: Path, compressed: bool) -> None:
    data = b"\n".join(_jsonl_lines()) + b"\n"
    name = "dump.jsonl.gz" if compressed else "dump.jsonl"
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if compressed else data)

    records = _records([path])
    by_id = _by_id(records)

    assert len(records) == 11  # every non-blank line accounted for
    first = by_id["a"]
    assert isinstance(first, InputRecord)
    assert first.text == "First."
    assert first.location == f"{path.as_posix()}:1"
    assert first.extras == {"url": "https://x.example/a", "score": 0.5, "n": 3, "ok": True,
                            "none": None, "tags": '["x","y"]'}
    assert isinstance(by_id[f"{path.as_posix()}:3"], InputRecord)
    broken = by_id[f"{path.as_posix()}:4"]
    assert isinstance(broken, Rejection)
    assert broken.reason == "malformed_json"
    assert f"{path.as_posix()}:4" in broken.detail
    assert "Expecting value" in broken.detail
    assert by_id["no-text"].reason == "missing_text"  # type: ignore[union-attr]
    assert "body" in by_id["no-text"].detail  # type: ignore[union-attr]
    assert by_id["number"].reason == "non_string_text"  # type: ignore[union-attr]
    assert by_id["nul"].reason == "nul_bytes"  # type: ignore[union-attr]
    assert by_id["empty"].reason == "empty"  # type: ignore[union-attr]
    utf8 = by_id[f"{path.as_posix()}:9"]
    assert isinstance(utf8, Rejection)
    assert utf8.reason == "invalid_utf8"
    lines = _jsonl_lines()
    expected_offset = sum(len(line) + 1 for line in lines[:8]) + lines[8].index(b"\xff")
    assert f"byte offset {expected_offset}" in utf8.detail
    assert by_id[f"{path.as_posix()}:10"].reason == "not_an_object"  # type: ignore[union-attr]
    assert isinstance(by_id["17"], InputRecord)
    assert by_id[f"{path.as_posix()}:12"].reason == "invalid_id"  # type: ignore[union-attr]


def test_jsonl_inside_a_folder_uses_relative_name_in_fallback_ids(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.ndjson").write_text('{"body": "x"}\n', encoding="utf-8")

    records = _records([tmp_path], text_field="body", id_field="key")

    assert [r.id for r in records] == ["sub/d.ndjson:1"]
    assert isinstance(records[0], InputRecord)
    assert records[0].text == "x"


def test_configurable_fields_carry_the_rest_through(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"key": "k1", "body": "Body.", "text": "not the text"}) + "\n",
                    encoding="utf-8")

    (record,) = _records([path], text_field="body", id_field="key")

    assert isinstance(record, InputRecord)
    assert (record.id, record.text) == ("k1", "Body.")
    assert record.extras == {"text": "not the text"}


def test_a_large_single_line_record_is_read(tmp_path: Path) -> None:
    text = "word " * 400_000  # 2 MB on one line
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "big", "text": text}) + "\n", encoding="utf-8")

    (record,) = _records([path])

    assert isinstance(record, InputRecord)
    assert len(record.text) == len(text)


def test_truncated_gzip_is_a_rejection_not_a_crash(tmp_path: Path) -> None:
    data = "".join(json.dumps({"id": f"r{i}", "text": f"Text {i} " * 50}) + "\n"
                   for i in range(2000)).encode()
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(gzip.compress(data)[:5000])

    records = _records([path])

    *good, last = records
    assert good
    assert all(isinstance(r, InputRecord) for r in good)
    assert isinstance(last, Rejection)
    assert last.reason == "unreadable"


def test_read_records_from_dicts_and_non_mappings() -> None:
    records = list(read_records([{"text": "a"}, "not a dict", {"id": "c", "text": "c", "x": 1}],
                                name="rows"))

    assert [r.id for r in records] == ["rows:1", "rows:2", "c"]
    assert isinstance(records[1], Rejection)
    assert records[1].reason == "not_an_object"
    assert isinstance(records[2], InputRecord)
    assert records[2].extras == {"x": 1}


def test_read_records_from_a_dataframe() -> None:
    pandas = pytest.importorskip("pandas", reason="pandas is not installed")
    frame = pandas.DataFrame({"id": ["a", "b"], "text": ["Ay.", None], "score": [1.5, None]})

    records = list(read_records(frame))

    assert isinstance(records[0], InputRecord)
    assert records[0].extras == {"score": 1.5}
    assert isinstance(records[1], Rejection)
    assert records[1].reason == "non_string_text"


def test_parquet_rows_are_records(tmp_path: Path) -> None:
    pyarrow = pytest.importorskip("pyarrow", reason="the parquet extra (pyarrow) is missing")
    import pyarrow.parquet as pq

    table = pyarrow.table({"id": ["a", None], "text": ["Ay.", "Bee."], "lang": ["en", "fr"]})
    path = tmp_path / "d.parquet"
    pq.write_table(table, path)

    records = _records([path])

    assert [r.id for r in records] == ["a", f"{path.as_posix()}:2"]
    assert isinstance(records[1], InputRecord)
    assert records[1].extras == {"lang": "fr"}


def test_list_input_files_detects_formats(tmp_path: Path) -> None:
    for name in ("a.txt", "b.jsonl", "c.JSONL.GZ", "d.html"):
        (tmp_path / name).write_text("x", encoding="utf-8")

    formats = [(f.name, f.format) for f in list_input_files([tmp_path])]

    assert formats == [("a.txt", "text"), ("b.jsonl", "jsonl"), ("c.JSONL.GZ", "jsonl"),
                       ("d.html", "text")]


def test_write_jsonl_round_trips_and_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    assert write_jsonl(target, [{"id": "a", "text": "é\n<script>"}, {"id": "b"}]) == 2
    assert [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()] == [
        {"id": "a", "text": "é\n<script>"}, {"id": "b"}]

    def failing_rows() -> list[dict[str, object]]:
        raise RuntimeError("killed halfway")

    with pytest.raises(RuntimeError):
        write_jsonl(target, ({"id": str(i)} if i < 3 else failing_rows()[0]  # type: ignore[misc]
                             for i in range(5)))
    # The previous complete file is still there and no temporary file is left behind.
    assert len(target.read_text(encoding="utf-8").splitlines()) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_atomic_writer_and_write_json(tmp_path: Path) -> None:
    target = tmp_path / "summary.json"
    write_json(target, {"kept": 5, "name": "ünïcode"})
    assert json.loads(target.read_text(encoding="utf-8")) == {"kept": 5, "name": "ünïcode"}
    with atomic_writer(tmp_path / "x.txt") as handle:
        handle.write("a\nb\n")
        assert not (tmp_path / "x.txt").exists()
    assert (tmp_path / "x.txt").read_bytes() == b"a\nb\n"
