"""One hostile record among many good ones: the run goes on and accounts for each record once.

Each bad line is one a real dump can hold: JSON nested past the parser's limit,
an integer Python refuses to convert (over 4,300 digits), a lone surrogate
escape (half of an emoji cut by a UTF-16 string slice). Every record must get
exactly one manifest line, and every output must stay valid UTF-8.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from tests.corpus.synthetic import make_story

import dedup
from dedup.cli import main
from dedup.corpus.io import read_documents
from dedup.corpus.pipeline import run
from dedup.document import InputRecord, Rejection

GOOD = 30
BAD_LINES = {
    "deep_field": ('{"id": "deep", "text": "Nested.", "n": ' + "[" * 100_000 + "]" * 100_000
                   + "}", "rejected", "nested_too_deeply"),
    "deep_line": ("[" * 100_000 + "]" * 100_000, "rejected", "nested_too_deeply"),
    "long_int_id": ('{"id": ' + "9" * 5000 + ', "text": "A record with a long id."}',
                    "kept", None),
    "long_int_field": ('{"id": "long", "text": "A long number.", "n": ' + "7" * 5000
                       + ', "m": [1, ' + "8" * 4400 + "]}", "kept", None),
    "surrogate_id": ('{"id": "half\\ud83d", "text": "A record whose id lost half an emoji."}',
                     "kept", None),
    "surrogate_field": ('{"id": "sf", "text": "A title cut short.", "title": "Yes \\udc80"}',
                        "kept", None),
    "surrogate_text": ('{"id": "st", "text": "A text cut short \\ud83d here."}', "kept", None),
}


def _write_dump(path: Path, bad_line: str) -> None:
    rng = random.Random(11)
    lines = [json.dumps({"id": f"good-{n}", "text": make_story(rng, words=60)})
             for n in range(GOOD)]
    lines.insert(GOOD // 2, bad_line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _command(*args: str, env: dict[str, str] | None = None
             ) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m dedup`` on this checkout's source, in a process of its own."""
    source = str(Path(dedup.__file__).resolve().parents[1])
    # A timeout: a regression that hangs must fail the test, not stall the suite.
    return subprocess.run([sys.executable, "-m", "dedup", *args], capture_output=True,
                          timeout=60, check=False,
                          env={**os.environ, "PYTHONPATH": source, **(env or {})})


def _utf8_rows(path: Path) -> list[dict[str, object]]:
    text = path.read_bytes().decode("utf-8")  # raises if a writer let a surrogate through
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_one_bad_line_does_not_abort_dedup_run(tmp_path: Path, case: str) -> None:
    bad_line, status, reason = BAD_LINES[case]
    dump = tmp_path / "dump.jsonl"
    _write_dump(dump, bad_line)

    summary = run([dump], out=tmp_path / "out", workers=1)

    manifest = _utf8_rows(tmp_path / "out" / "manifest.jsonl")
    assert [row["location"] for row in manifest] == [
        f"{dump.as_posix()}:{n}" for n in range(1, GOOD + 2)]  # each line exactly once
    bad = manifest[GOOD // 2]
    assert bad["status"] == status, bad
    assert bad.get("reason") == reason
    assert summary.kept == GOOD + (status == "kept")
    documents = _utf8_rows(tmp_path / "out" / "documents.jsonl")
    assert len(documents) == summary.kept
    (tmp_path / "out" / "report.html").read_bytes().decode("utf-8")


def test_values_python_cannot_write_raw_come_back_as_the_input_had_them(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text("\n".join([BAD_LINES["long_int_id"][0], BAD_LINES["long_int_field"][0],
                               BAD_LINES["surrogate_id"][0], BAD_LINES["surrogate_field"][0]])
                    + "\n", encoding="utf-8")
    run([dump], out=tmp_path / "out", workers=1, config=None)
    documents = {row["id"]: row for row in _utf8_rows(tmp_path / "out" / "documents.jsonl")}

    assert set(documents) == {"9" * 5000, "long", "half\ud83d", "sf"}
    assert documents["long"]["n"] == "7" * 5000  # its digits: no JSON writer prints the int
    assert documents["long"]["m"] == '[1,"' + "8" * 4400 + '"]'  # nested: a string of digits
    assert documents["sf"]["title"] == "Yes \udc80"  # written as the \udc80 escape, read back
    assert "\\udc80" in (tmp_path / "out" / "documents.jsonl").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", ["deep_field", "long_int_id", "surrogate_id"])
def test_one_bad_line_does_not_abort_the_commands(tmp_path: Path, case: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    bad_line, status, _ = BAD_LINES[case]
    dump = tmp_path / "dump.jsonl"
    _write_dump(dump, bad_line)

    # Exit code 1 when a record was rejected, the same for every subcommand.
    assert main(["run", str(dump), "--out", str(tmp_path / "out"), "--quiet",
                 "--workers", "1"]) == (0 if status == "kept" else 1)
    assert len(_utf8_rows(tmp_path / "out" / "manifest.jsonl")) == GOOD + 1

    cleaned = tmp_path / "cleaned.jsonl"
    code = main(["clean", str(dump), "--out", str(cleaned)])
    assert code == (0 if status == "kept" else 1)
    assert len(_utf8_rows(cleaned)) == GOOD + (status == "kept")
    assert f"cleaned {GOOD + (status == 'kept')} documents" in capsys.readouterr().err


def test_clean_to_standard_output_stays_utf8(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    _write_dump(dump, BAD_LINES["surrogate_id"][0])
    # A real process: under the C locale Python writes a surrogate to stdout as a raw byte.
    done = _command("clean", str(dump), env={"LC_ALL": "C", "PYTHONIOENCODING": ""})
    assert done.returncode == 0, done.stderr
    ids = [json.loads(line)["id"] for line in done.stdout.decode("utf-8").splitlines()]
    assert "half\ud83d" in ids
    assert len(ids) == GOOD + 1


def test_a_parquet_timestamp_after_9999_keeps_its_document(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed")
    pq = pytest.importorskip("pyarrow.parquet")
    rng = random.Random(3)
    texts = [make_story(rng, words=60) for _ in range(40)]
    stamps = [n * 86_400_000_000 for n in range(40)]
    stamps[20] = 300_000_000_000_000_000  # microseconds: the year 11476
    table = pa.table({"id": [f"p{n}" for n in range(40)], "text": texts,
                      "published": pa.array(stamps, type=pa.timestamp("us"))})
    pq.write_table(table, tmp_path / "dump.parquet", row_group_size=16)

    records = list(read_documents([tmp_path / "dump.parquet"]))
    assert [r.id for r in records] == [f"p{n}" for n in range(40)]
    assert all(isinstance(r, InputRecord) for r in records)
    assert records[20].extras["published"] == "11476-08-15 05:20:00.000000"  # type: ignore[union-attr]
    assert records[21].extras["published"] == "1970-01-22 00:00:00"  # type: ignore[union-attr]

    summary = run([tmp_path / "dump.parquet"], out=tmp_path / "out", workers=1)
    assert summary.records == 40
    assert summary.rejected == 0


def test_a_parquet_id_python_cannot_hold_is_a_rejection(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({"id": pa.array([0, 300_000_000_000_000_000], type=pa.timestamp("us")),
                      "text": ["First.", "Second."]})
    pq.write_table(table, tmp_path / "dump.parquet")

    first, second = read_documents([tmp_path / "dump.parquet"])
    assert isinstance(first, Rejection)
    assert first.reason == "invalid_id"
    assert isinstance(second, Rejection)
    assert second.reason == "unreadable"
    assert "'id'" in second.detail
    assert "dump.parquet:2" in second.detail


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("command", ["run", "clean"])
def test_a_named_pipe_in_a_folder_does_not_hang_the_commands(tmp_path: Path,
                                                             command: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("A story that is read.", encoding="utf-8")
    os.mkfifo(folder / "b.jsonl")
    (folder / "c.txt").symlink_to(folder / "missing.txt")
    out = ["--out", str(tmp_path / "out")] if command == "run" else []
    done = _command(command, str(folder), *out)
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr
    if command == "run":
        assert done.returncode == 1, stderr  # two paths were rejected
        manifest = _utf8_rows(tmp_path / "out" / "manifest.jsonl")
        assert [(row["id"], row.get("reason")) for row in manifest] == [
            ("a.txt", None), ("b.jsonl", "not_a_regular_file"), ("c.txt", "dangling_symlink")]
    else:
        assert done.returncode == 1
        assert "not_a_regular_file" in stderr
        assert "dangling_symlink" in stderr
        assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == ["a.txt"]


def test_compressed_and_utf16_files_in_a_folder_are_read(tmp_path: Path) -> None:
    (tmp_path / "story.txt.gz").write_bytes(gzip.compress(b"A gzipped story.\n"))
    (tmp_path / "windows.txt").write_bytes("A PowerShell story, café.\r\n".encode("utf-16"))
    rows = [json.dumps({"id": "w1", "text": "UTF-16 JSON line, ünïcode."}, ensure_ascii=False),
            json.dumps({"id": "w2", "text": "Second line."})]
    (tmp_path / "windows.jsonl").write_bytes("\r\n".join(rows).encode("utf-16"))
    (tmp_path / "broken.txt.gz").write_bytes(gzip.compress(b"Cut short.")[:-6])

    records = {r.id: r for r in read_documents([tmp_path])}

    assert {k: r.text if isinstance(r, InputRecord) else r.reason
            for k, r in records.items()} == {
        "broken.txt.gz": "unreadable", "story.txt.gz": "A gzipped story.\n",
        "w1": "UTF-16 JSON line, ünïcode.", "w2": "Second line.",
        "windows.txt": "A PowerShell story, café.\r\n"}
    assert records["windows.txt"].location == (tmp_path / "windows.txt").as_posix()
