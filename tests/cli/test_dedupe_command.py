"""``dedup dedupe``: files in, kept and duplicate records out, bad records reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dedup.cli import main

BASE = ("The central bank raised its main interest rate by a quarter point on Tuesday, "
        "saying inflation had stayed above its target for longer than expected and that "
        "further increases could follow if prices kept rising through the spring months.")


def test_dedupe_writes_kept_and_duplicates(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "docs.jsonl"
    rows = [{"id": "a", "text": BASE, "lang": "en"},
            {"id": "b", "text": BASE.replace("spring months", "spring season")},
            {"id": "c", "text": "Heavy rain flooded roads across the north overnight."}]
    source.write_text("\n".join(json.dumps(r) for r in rows) + "\n{not json\n"
                      + json.dumps({"id": "d", "text": 7}) + "\n")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "copy.txt").write_text(BASE)
    kept, dups = tmp_path / "kept.jsonl", tmp_path / "dups.jsonl"
    code = main(["dedupe", str(source), str(tmp_path / "folder"), "--threshold", "0.8",
                 "--out", str(kept), "--duplicates", str(dups), "--explain", "--no-clean"])
    assert code == 1  # two records were rejected, the run went on
    kept_rows = [json.loads(line) for line in kept.read_text().splitlines()]
    assert [row["id"] for row in kept_rows] == ["a", "c"]
    assert kept_rows[0]["lang"] == "en"
    duplicates = [json.loads(line) for line in dups.read_text().splitlines()]
    assert [(d["id"], d["duplicate_of"], d["kind"]) for d in duplicates] == [
        ("b", "a", "near"), ("copy.txt", "a", "exact")]
    assert duplicates[0]["passages"]
    err = capsys.readouterr().err
    assert "docs.jsonl:4: malformed_json" in err
    assert "docs.jsonl:5" in err
    assert "4 documents: 2 kept, 2 duplicates in 1 groups, 0 empty, 2 rejected" in err
