"""Inputs the way users have them (stdin, --glob/--exclude) and one output schema and format."""

from __future__ import annotations

import gzip
import io
import json
import logging
from pathlib import Path

import pytest

from dedup.cli import main

STORY = "The harbour reopened on Friday after the storm, and the first ferries left at dawn."
OTHER = "A new library opened in the old town hall, with a reading room for children."


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def _jsonl(*rows: dict[str, object]) -> bytes:
    return "".join(json.dumps(row) + "\n" for row in rows).encode("utf-8")


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("packed", ["plain", "gzip"])
def test_clean_reads_jsonl_from_standard_input(packed: str, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    data = _jsonl({"id": "s1", "text": STORY}, {"text": OTHER})
    _stdin(monkeypatch, gzip.compress(data) if packed == "gzip" else b"\n  \n" + data)
    assert main(["clean", "-", "--quiet"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["id"] for row in out] == ["s1", "stdin:2" if packed == "gzip" else "stdin:4"]
    assert out[0]["dedup"]["location"] == "stdin:1" if packed == "gzip" else "stdin:3"


def test_plain_text_on_standard_input_is_one_document(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    _stdin(monkeypatch, f"{STORY}\n\n{{not JSON: the first character decides}}\n".encode())
    assert main(["clean", "-", "--quiet"]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["id"] == "stdin"
    assert str(row["text"]).startswith(STORY)


def test_dedupe_reads_standard_input_beside_files(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "copy.txt").write_text(STORY)
    _stdin(monkeypatch, _jsonl({"id": "s1", "text": STORY}, {"id": "s2", "text": OTHER}))
    dups = tmp_path / "dups.jsonl"
    assert main(["dedupe", "-", str(tmp_path / "copy.txt"), "--duplicates", str(dups),
                 "--workers", "1", "--quiet"]) == 0
    assert [(d["id"], d["duplicate_of"]) for d in _rows(dups)] == [
        (str(tmp_path / "copy.txt"), "s1")]


def test_run_on_standard_input_says_it_cannot_resume(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    _stdin(monkeypatch, _jsonl({"id": "s1", "text": STORY}, {"id": "s2", "text": STORY}))
    with caplog.at_level(logging.WARNING):
        assert main(["run", "-", "--out", str(tmp_path / "out"), "--workers", "1",
                     "--quiet"]) == 0
    assert any("cannot be resumed" in r.getMessage() for r in caplog.records)
    manifest = _rows(tmp_path / "out" / "manifest.jsonl")
    assert [(m["id"], m["status"]) for m in manifest] == [("s1", "kept"), ("s2", "duplicate")]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    for name, text in [("a.txt", STORY), ("b.md", OTHER), ("2024/c.txt", OTHER + " Two."),
                       ("cache/d.txt", OTHER + " Cached."), ("2024/e.jsonl", "")]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


@pytest.mark.parametrize(("options", "ids"), [
    ([], ["2024/c.txt", "a.txt", "b.md", "cache/d.txt"]),  # 2024/e.jsonl: empty, no record
    (["--glob", "*.txt"], ["2024/c.txt", "a.txt", "cache/d.txt"]),
    (["--glob", "*.txt", "--exclude", "cache"], ["2024/c.txt", "a.txt"]),
    (["--glob", "2024/*", "--glob", "*.md"], ["2024/c.txt", "b.md"]),
    (["--exclude", "*.md", "--exclude", "2024"], ["a.txt", "cache/d.txt"]),
])
def test_glob_and_exclude_choose_files_in_folders(options: list[str], ids: list[str],
                                                  tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path)
    assert main(["clean", str(folder), "--quiet", *options]) == 0
    assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == ids
    assert main(["run", str(folder), "--out", str(tmp_path / "out"), "--quiet",
                 "--workers", "1", *options]) == 0
    assert [m["id"] for m in _rows(tmp_path / "out" / "manifest.jsonl")] == ids


def test_a_file_named_directly_is_read_whatever_the_patterns(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path)
    assert main(["clean", str(folder / "b.md"), "--glob", "*.txt", "--quiet"]) == 0
    assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == [
        str(folder / "b.md")]


def _corpus(tmp_path: Path) -> Path:
    source = tmp_path / "in.jsonl"
    source.write_bytes(_jsonl({"key": "k1", "body": "Share this post\n" + STORY, "lang": "en",
                               "rank": 3},
                              {"key": "k2", "body": STORY, "lang": "fr", "rank": 4.5},
                              {"key": "k3", "body": OTHER, "lang": None, "rank": 7}))
    return source


def test_one_schema_for_clean_dedupe_and_run(tmp_path: Path) -> None:
    source = _corpus(tmp_path)
    fields = ["--text-field", "body", "--id-field", "key"]
    assert main(["clean", str(source), "-o", str(tmp_path / "c.jsonl"), "-q", *fields]) == 0
    assert main(["dedupe", str(source), "-o", str(tmp_path / "d.jsonl"), "-q", "--workers",
                 "1", *fields]) == 0
    assert main(["run", str(source), "-o", str(tmp_path / "r"), "-q", "--workers", "1",
                 *fields]) == 0
    outputs = {"clean": _rows(tmp_path / "c.jsonl"), "dedupe": _rows(tmp_path / "d.jsonl"),
               "run": _rows(tmp_path / "r" / "documents.jsonl")}
    for command, rows in outputs.items():
        for row in rows:
            assert set(row) == {"key", "body", "lang", "rank", "dedup"}, command
            assert isinstance(row["dedup"], dict), command
            assert "location" in row["dedup"], command
    assert outputs["clean"][0]["body"] == STORY  # cleaned: the share line is gone
    assert {"removals", "metadata"} <= set(outputs["clean"][0]["dedup"])  # type: ignore[arg-type]
    assert set(outputs["clean"][0]["dedup"]) >= set(outputs["run"][0]["dedup"])  # type: ignore[arg-type]
    assert [row["key"] for row in outputs["dedupe"]] == ["k1", "k3"]  # k2 duplicates k1
    assert outputs["dedupe"][0]["body"] == "Share this post\n" + STORY  # as read


@pytest.mark.parametrize("command", ["clean", "dedupe"])
def test_the_out_name_chooses_the_format(command: str, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is missing")
    source = _corpus(tmp_path)
    job = [command, str(source), "--text-field", "body", "--id-field", "key", "-q"]
    job += ["--workers", "1"] if command == "dedupe" else []
    assert main([*job, "-o", str(tmp_path / "y.parquet")]) == 0
    table = pq.read_table(tmp_path / "y.parquet")
    assert table.column_names == ["key", "body", "lang", "rank", "dedup"]
    # Typed from every row written: 3, 4.5, 7 are numbers; 3, 7 (k2 dropped) integers.
    assert str(table.schema.field("rank").type) == ("double" if command == "clean" else "int64")
    assert json.loads(table.column("dedup")[0].as_py())["location"] == f"{source}:1"
    assert main([*job, "-o", str(tmp_path / "y.jsonl.gz")]) == 0
    with gzip.open(tmp_path / "y.jsonl.gz", "rt", encoding="utf-8") as packed:
        assert json.loads(packed.readline())["key"] == "k1"
    assert main([*job, "-o", str(tmp_path / "y.out"), "--format", "parquet"]) == 0
    assert pq.read_table(tmp_path / "y.out").num_rows == table.num_rows


def test_run_parquet_has_one_column_per_input_field(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is missing")
    source = _corpus(tmp_path)
    assert main(["run", str(source), "-o", str(tmp_path / "r"), "--format", "parquet", "-q",
                 "--workers", "1", "--text-field", "body", "--id-field", "key"]) == 0
    table = pq.read_table(tmp_path / "r" / "documents.parquet")
    assert table.column_names == ["key", "body", "lang", "rank", "dedup"]
    assert table.column("lang").to_pylist() == ["en", None]


def test_duplicates_file_in_parquet(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is missing")
    source = _corpus(tmp_path)
    assert main(["dedupe", str(source), "--duplicates", str(tmp_path / "d.parquet"), "-q",
                 "--workers", "1", "--text-field", "body", "--id-field", "key"]) == 0
    table = pq.read_table(tmp_path / "d.parquet")
    assert table.column("id").to_pylist() == ["k2"]
    assert table.column("duplicate_of").to_pylist() == ["k1"]


@pytest.mark.parametrize("command", ["clean", "dedupe", "run"])
def test_empty_documents_do_not_fail_the_exit_code(command: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(_jsonl({"id": "a", "text": STORY}, {"id": "b", "text": "  "},
                              {"id": "c", "text": "Reuter\n"}))
    out = tmp_path / ("out" if command == "run" else "out.jsonl")
    job = [command, str(source), "--out", str(out)]
    assert main(job + (["--workers", "1"] if command != "clean" else [])) == 0
    err = capsys.readouterr().err
    assert "rejected" not in err.replace("rejected 0", "").replace("0 rejected", "")
    source.write_bytes(source.read_bytes() + b"{broken\n")
    assert main([*job, "--overwrite"] + (["--workers", "1"] if command != "clean" else [])) == 1
