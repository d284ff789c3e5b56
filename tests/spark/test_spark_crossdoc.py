"""The whole Spark job against the local ``dedup.run``: cross-document boilerplate included.

``dedup.spark.run`` learns frequent lines by ``groupBy`` counting instead of the
local pipeline's in-memory statistics; on the same documents, in the same
order, both must remove the same spans and make the same decisions. The corpus
has two sources (one named by a source field, one by a URL host), a wire
trailer and a site footer in every story of its source, a paragraph copied
into three stories, a sentence shared by three stories (too rare to be
boilerplate), an exact and a near copy, a story that is nothing but the
trailer, and the seeds (a third source: the corpus without a source).
"""

from __future__ import annotations

import json
import random
import string
from pathlib import Path
from typing import Any

import pytest

import dedup
from dedup.corpus.crossdoc import CrossDocConfig
from dedup.corpus.pipeline import RunConfig
from dedup.spark import clean_corpus
from dedup.spark import run as spark_run

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TRAILER = "Reuter"
FOOTER = "Follow Alpha Daily on social media for the latest local updates."
COPIED = ("The regional transport board confirmed that the new timetable will apply "
          "to every island route from the first of next month.")
SHARED = "The company did not elaborate."


def _story(rng: random.Random, words: list[str]) -> str:
    sentences = []
    for _ in range(rng.randint(4, 7)):
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 16)))
        sentences.append(sentence.capitalize() + ".")
    return "\n\n".join(" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2))


def corpus() -> list[dict[str, Any]]:
    rng = random.Random(5)
    words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9)))
             for _ in range(400)]
    rows: list[dict[str, Any]] = []
    for i in range(24):
        body = _story(rng, words)
        if i in (3, 9, 15):
            body += "\n\n" + SHARED
        rows.append({"id": f"wire-{i:02d}", "source": "wire", "text": body + "\n" + TRAILER})
    for i in range(24):
        body = _story(rng, words)
        if i in (2, 7, 20):
            body = COPIED + "\n\n" + body
        rows.append({"id": f"alpha-{i:02d}", "url": f"https://www.alpha.example/news/{i}",
                     "text": body + "\n\n" + FOOTER + "\n"})
    rows.append({"id": "wire-copy", "source": "wire", "text": rows[4]["text"]})
    near = rows[30]["text"].split(" ")
    near[5] = "different"
    rows.append({"id": "alpha-near", "url": "https://alpha.example/x", "text": " ".join(near)})
    rows.append({"id": "wire-only-trailer", "source": "wire", "text": TRAILER + "\n"})
    rows.extend({"id": path.name, "text": path.read_text(encoding="utf-8")}
                for path in sorted(SEEDS.glob("*.txt")))
    rng.shuffle(rows)
    for position, row in enumerate(rows):
        row["order"] = position
    return rows


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_spark_run_matches_local_run_with_cross_document_boilerplate(
        spark: Any, tmp_path: Path) -> None:
    rows = corpus()
    cross_doc = CrossDocConfig(paragraphs=True)
    dedup.run(rows, out=tmp_path / "local", config=RunConfig(cross_doc=cross_doc), workers=1)
    local_manifest = {e["id"]: e for e in _read_jsonl(tmp_path / "local" / "manifest.jsonl")}
    local_docs = {d["id"]: d for d in _read_jsonl(tmp_path / "local" / "documents.jsonl")}

    frame = spark.createDataFrame(
        [(r["id"], r["text"], r.get("source"), r.get("url"), r["order"]) for r in rows],
        "id string, text string, source string, url string, order long")
    summary = spark_run(frame, str(tmp_path / "spark"), order_column="order",
                   cross_doc=cross_doc)
    manifest = {r["id"]: r for r in spark.read.parquet(summary.manifest_path).collect()}
    documents = {r["id"]: r for r in spark.read.parquet(summary.documents_path).collect()}

    # the same decision for every record
    assert set(manifest) == set(local_manifest) == {r["id"] for r in rows}
    for doc_id, entry in local_manifest.items():
        decided = manifest[doc_id]
        expected = "empty" if entry["status"] == "rejected" else entry["status"]
        assert decided["status"] == expected, doc_id
        assert decided["duplicate_of"] == entry.get("duplicate_of"), doc_id
        if entry["status"] == "duplicate":
            assert round(decided["similarity"], 4) == entry["similarity"], doc_id
    assert local_manifest["wire-only-trailer"]["reason"] == "empty_after_cleaning"
    # (the near copy's paragraphs are removed as copies of alpha-06's, so it is no duplicate)
    assert {manifest["wire-copy"]["duplicate_of"], manifest["wire-04"]["duplicate_of"]} == {
        None, "wire-04" if manifest["wire-04"]["status"] == "kept" else "wire-copy"}

    # the same cleaned text and the same removals, details included, for every kept document
    assert set(documents) == set(local_docs)
    for doc_id, document in local_docs.items():
        assert documents[doc_id]["cleaned"] == document["text"], doc_id
        assert [(r["start"], r["end"], r["rule"], r["detail"])
                for r in documents[doc_id]["removals"]] == [
            (r["start"], r["end"], r["rule"], r["detail"])
            for r in document["dedup"]["removals"]], doc_id

    # ... and that text really lost the learnt boilerplate, and only that
    texts = {doc_id: row["cleaned"] for doc_id, row in documents.items()}
    rules = {doc_id: {r["rule"] for r in row["removals"]} for doc_id, row in documents.items()}
    assert not any(TRAILER in texts[d] for d in texts if d.startswith("wire"))
    assert not any(FOOTER in texts[d] for d in texts if d.startswith("alpha"))
    assert all("corpus.frequent_line" in rules[d] for d in texts if d[:4] in ("wire", "alph"))
    assert sum(SHARED in text for text in texts.values()) == 3
    assert sum(COPIED in text for text in texts.values()) == 1
    assert "corpus.repeated_paragraph" in rules["alpha-near"]  # its paragraphs are alpha-06's


def test_clean_corpus_ranks_a_non_integer_order_for_copied_paragraphs(spark: Any,
                                                                      tmp_path: Path) -> None:
    # Without an integer order column the ordinal is a rank by id: feed the local run in id order.
    rng = random.Random(7)
    words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(6)) for _ in range(300)]
    rows = [{"id": f"doc-{i:02d}", "text": _story(rng, words) + "\n" + TRAILER}
            for i in range(12)]
    for i in (4, 9):
        rows[i]["text"] = COPIED + "\n\n" + rows[i]["text"]
    cross_doc = CrossDocConfig(paragraphs=True)
    dedup.run(rows, out=tmp_path / "local", config=RunConfig(cross_doc=cross_doc), workers=1)
    local_docs = {d["id"]: d for d in _read_jsonl(tmp_path / "local" / "documents.jsonl")}

    frame = spark.createDataFrame([(r["id"], r["text"]) for r in rows], "id string, text string")
    cleaned = {r["id"]: r for r in clean_corpus(frame, cross_doc=cross_doc).collect()}
    assert set(cleaned) == {r["id"] for r in rows}
    for doc_id, document in local_docs.items():
        assert cleaned[doc_id]["cleaned"] == document["text"], doc_id
        assert [(r["start"], r["end"], r["rule"], r["detail"])
                for r in cleaned[doc_id]["removals"]] == [
            (r["start"], r["end"], r["rule"], r["detail"])
            for r in document["dedup"]["removals"]], doc_id
    details = [r["detail"] for r in cleaned["doc-09"]["removals"]
               if r["rule"] == "corpus.repeated_paragraph"]
    assert details == ["paragraph appears in 2 documents; first in input record #5"]
    assert all(TRAILER not in row["cleaned"] for row in cleaned.values())
