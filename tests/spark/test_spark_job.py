"""The whole Spark job: cleaned columns, Parquet outputs, and the spark-run command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import dedup
from dedup.cli import main
from dedup.spark import clean_column

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

STORY = ("The harbour authority approved the new ferry timetable on Monday after a long "
         "consultation with island residents, who asked for earlier morning sailings.")


def seed_rows() -> list[tuple[str, str]]:
    rows = [(path.name, path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))]
    rows.append(("copy-of-first", rows[0][1]))
    rows.append(("story", STORY))
    rows.append(("story-edited", STORY.upper().replace(",", ";")))  # same shingles
    rows.append(("blank", "   \n"))
    return rows


def test_clean_column_matches_dedup_clean(spark: Any) -> None:
    rows = seed_rows()
    frame = spark.createDataFrame(rows, "id string, text string")
    cleaned = {row["id"]: row for row in clean_column(frame, id_column="id").collect()}
    for doc_id, text in rows:
        expected = dedup.clean(text)
        assert cleaned[doc_id]["cleaned"] == expected.text
        assert [(r["start"], r["end"], r["rule"]) for r in cleaned[doc_id]["removals"]] == [
            (r.start, r.end, r.rule) for r in expected.removals]
        assert cleaned[doc_id]["metadata"]["title"] == expected.metadata.title
        assert cleaned[doc_id]["metadata"]["published"] == expected.metadata.published


def test_spark_run_writes_kept_documents_and_a_full_manifest(
        spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # One job through the command line covers run(): starting Spark jobs is the slow part.
    rows = seed_rows()
    source = tmp_path / "corpus.jsonl"
    source.write_text("".join(json.dumps({"doc": doc_id, "body": text}) + "\n"
                              for doc_id, text in rows), encoding="utf-8")
    out = tmp_path / "out"
    arguments = ["spark-run", str(source), "--out", str(out), "--id-field", "doc",
                 "--text-field", "body"]
    assert main(arguments) == 0
    summary = json.loads(capsys.readouterr().out)
    local = dedup.deduplicate(rows)
    assert (summary["documents"], summary["kept"], summary["duplicates"], summary["empty"]) == (
        len(rows), len(local.keep), len(local.duplicates), len(local.empty))
    documents = spark.read.parquet(summary["documents_path"])
    assert sorted(row["doc"] for row in documents.select("doc").collect()) == sorted(local.keep)
    assert {"cleaned", "removals", "metadata", "body"} <= set(documents.columns)
    manifest = {row["doc"]: row for row in spark.read.parquet(summary["manifest_path"]).collect()}
    assert set(manifest) == {doc_id for doc_id, _ in rows}
    assert manifest["copy-of-first"]["duplicate_of"] == rows[0][0]
    assert manifest["copy-of-first"]["kind"] == "exact"
    assert manifest["story-edited"]["duplicate_of"] == "story"
    assert manifest["blank"]["status"] == "empty"
    # a second run refuses to overwrite the first one's outputs
    assert main(arguments) == 2
    assert "already exists" in capsys.readouterr().err
