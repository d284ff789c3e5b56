"""The whole Spark job against the local one: the same output files, byte for byte."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
from tests.near.mail_archive import MESSAGES, RESENT, RESENT_COPIES

import dedup
import dedup.spark
from dedup.cli import main
from dedup.corpus.crossdoc import CrossDocConfig
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


def _outputs(folder: Path) -> dict[str, object]:
    """Every output file of a run, the summary without its timings."""
    files: dict[str, object] = {name: (folder / name).read_bytes()
                                for name in ("manifest.jsonl", "documents.jsonl", "report.html")}
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    summary.pop("timings_seconds")
    files["summary.json"] = summary
    files.update((path.relative_to(folder).as_posix(), path.read_bytes())
                 for path in sorted((folder / "report").iterdir()))
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["documents.jsonl", "manifest.jsonl", "report", "report.html", "summary.json"])
    return files


def _wire_story(rng: random.Random, words: list[str], number: int) -> str:
    sentences = [" ".join(rng.choice(words) for _ in range(rng.randint(9, 16))).capitalize()
                 + f" in {number} cases." for _ in range(rng.randint(6, 12))]
    return "\n\n".join(" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3))


def corpus_files(folder: Path) -> list[Path]:
    """Write a corpus of our own making over two JSONL files and a folder of text files.

    Numeric ids in shuffled order (so "16" sorts before "4"), exact and edited
    copies, an excerpt (containment), a site footer in most records of one
    source (a learnt line), a paragraph copied between stories, and bad
    records of every kind a reader rejects, including a repeated id.
    """
    rng = random.Random(7)
    words = ["harbour", "council", "ferry", "budget", "river", "school", "market", "storm",
             "bridge", "court", "museum", "rail", "clinic", "festival", "library", "farm",
             "airport", "election", "factory", "forest", "theatre", "hospital", "road"]
    words += [f"w{index}" for index in range(400)]
    stories = [_wire_story(rng, words, index) for index in range(60)]
    shared = "The regional board said its review of the plan would take several more months."
    records: list[dict[str, object]] = []
    for index, story in enumerate(stories):
        text = story + ("\n\n" + shared if index % 9 == 0 else "")
        source = "coast" if index % 2 else "valley"
        if source == "coast":
            text += "\n\nCoast Gazette - all the news from the shore, every morning"
        records.append({"text": text, "source": source, "n": index})
    for index in range(12):
        copy = dict(rng.choice(records[:60]))
        text = str(copy["text"])
        if index % 3 == 1:
            text = text.replace(" ", "  ", 1).upper()
        elif index % 3 == 2:
            pieces = text.split(" ")
            pieces[len(pieces) // 2] = "amended"
            text = " ".join(pieces)
        copy["text"] = text
        records.append(copy)
    excerpt = dict(records[5])
    excerpt["text"] = str(excerpt["text"]).split("\n\n")[0]
    records.append(excerpt)
    ids = rng.sample(range(1, 10_000), len(records))
    for record, number in zip(records, ids, strict=True):
        record["id"] = str(number) if number % 2 else number
    rng.shuffle(records)
    first = folder / "a.jsonl"
    second = folder / "nested" / "b.jsonl"
    second.parent.mkdir()
    lines = [json.dumps(record) for record in records]
    bad = ['{"id": "no-text"}', "{not json", '{"id": 5.5, "text": "float id"}',
           '{"id": "blank", "text": "   "}', json.dumps({"id": records[0]["id"], "text": "again"}),
           '{"id": "null", "text": null}', "[1, 2]"]
    first.write_text("\n".join(lines[:40] + bad[:4]) + "\n", encoding="utf-8")
    second.write_text("\n".join(lines[40:] + bad[4:]) + "\n", encoding="utf-8")
    # Mail: a footer, signatures and quoted replies shared by different messages, and
    # resent copies; and two templated reports that differ only in their figures.
    mail = [{"id": key, "text": text} for key, text in {**MESSAGES, **RESENT_COPIES}.items()]
    report = ("The canal authority said {0} ships were waiting to transit on Tuesday, with "
              "{1} of them bound north. Average waiting time was {2} hours, it said.")
    mail += [{"id": "report-1", "text": report.format(32, 17, 14)},
             {"id": "report-2", "text": report.format(41, 22, 19)}]
    # a chain: an edited copy without the figures links a report with other figures
    sentences = _wire_story(rng, words, 99).replace("\n\n", " ").split(". ")
    figures = "The backlog was {0} ships on Tuesday and {1} of them were tankers"
    mail += [{"id": "chain-a", "text": ". ".join([*sentences[:4], figures.format(32, 17),
                                                  *sentences[4:]])},
             {"id": "chain-b", "text": ". ".join(sentences)},
             {"id": "chain-c", "text": ". ".join([*sentences[:4], figures.format(41, 22),
                                                  *sentences[4:]])}]
    (folder / "nested" / "mail.jsonl").write_text(
        "".join(json.dumps(record) + "\n" for record in mail), encoding="utf-8")
    texts = folder / "texts"
    texts.mkdir()
    (texts / "story.txt").write_text(stories[3], encoding="utf-8")
    (texts / "other.txt").write_text(STORY, encoding="utf-8")
    (texts / "bad.txt").write_bytes("café au lait ".encode() + b"\xff")  # broken UTF-8
    (texts / "latin1.txt").write_bytes("Crème brûlée à la carte, dit l'élève.".encode("latin-1"))
    (texts / "gone.txt").symlink_to(texts / "missing.txt")
    os.mkfifo(texts / "pipe.txt")  # the executors must not open it, or they wait forever
    return [first, folder / "nested", texts]


RUN_CONFIG = dedup.RunConfig(
    dedupe=dedup.DedupConfig(containment=0.8), passages=True,
    cross_doc=CrossDocConfig(paragraphs=True))


@pytest.fixture(scope="module")
def both_runs(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("corpus")
    inputs = corpus_files(root)
    local = root / "local"
    on_spark = root / "spark"
    dedup.run(inputs, out=local, config=RUN_CONFIG, workers=2)
    dedup.spark.run(inputs, on_spark, config=RUN_CONFIG, spark=spark)
    return local, on_spark


def test_spark_run_writes_what_the_local_run_writes(both_runs: tuple[Path, Path]) -> None:
    local, on_spark = both_runs
    assert _outputs(on_spark) == _outputs(local)


def test_the_corpus_exercises_every_step(both_runs: tuple[Path, Path]) -> None:
    local, _ = both_runs
    manifest = [json.loads(line) for line in (local / "manifest.jsonl").read_text().splitlines()]
    summary = json.loads((local / "summary.json").read_text())
    kinds = {entry.get("kind") for entry in manifest if entry["status"] == "duplicate"}
    assert kinds == {"exact", "near", "containment"}
    assert any(entry.get("passages") for entry in manifest
               if entry["status"] == "duplicate" and entry["kind"] == "near")
    assert set(summary["rejected_by_reason"]) == {
        "missing_text", "malformed_json", "invalid_id", "empty", "duplicate_id",
        "non_string_text", "not_an_object", "invalid_utf8", "dangling_symlink",
        "not_a_regular_file"}
    assert any(str(entry["location"]).endswith("latin1.txt (not UTF-8; decoded as cp1252)")
               for entry in manifest if entry["status"] == "kept")
    assert {"corpus.frequent_line", "corpus.repeated_paragraph"} <= set(
        summary["removed_chars_by_rule"])
    # content decides: only the resent messages are duplicates among the mail, and
    # reports with other figures are not copies
    mail = {entry["id"]: entry for entry in manifest
            if entry["id"].startswith(("m0", "m1", "report-"))}
    assert {key for key, entry in mail.items() if entry["status"] == "duplicate"} == set(RESENT)
    assert all(mail[copy]["duplicate_of"] == original for copy, original in RESENT.items())
    chain = {entry["id"]: entry for entry in manifest if entry["id"].startswith("chain-")}
    assert [chain[key]["status"] for key in ("chain-a", "chain-b", "chain-c")] == [
        "kept", "duplicate", "kept"]
    # the representative is the first in input order, whatever the ids say
    order = {entry["id"]: number for number, entry in enumerate(manifest)}
    assert all(order[entry["duplicate_of"]] < order[entry["id"]] for entry in manifest
               if entry["status"] == "duplicate")
    assert any(entry["id"].isdigit() and entry["duplicate_of"].isdigit()
               and int(entry["duplicate_of"]) > int(entry["id"]) for entry in manifest
               if entry["status"] == "duplicate"), "no case where id order and input order differ"


def test_spark_run_on_a_dataframe_matches_the_local_run_on_its_rows(
        spark: Any, tmp_path: Path) -> None:
    rows = [{"id": doc_id, "text": text, "n": number}
            for number, (doc_id, text) in enumerate(seed_rows())]
    rows.append({"id": None, "text": "A row without an id, kept all the same.", "n": 99})
    frame = spark.createDataFrame(rows, "id string, text string, n long").repartition(3)
    config = dedup.RunConfig(passages=True)
    dedup.run(rows, out=tmp_path / "local", config=config, workers=1)
    dedup.spark.run(frame, tmp_path / "spark", config=config, order_column="n")
    assert _outputs(tmp_path / "spark") == _outputs(tmp_path / "local")


def test_dedup_run_engine_spark_is_dedup_run(spark: Any, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(SEEDS), "--out", str(tmp_path / "local"), "--quiet"]) == 0
    arguments = ["run", str(SEEDS), "--out", str(tmp_path / "spark"), "--engine", "spark"]
    assert main(arguments) == 0
    assert "5 records: 5 kept" in capsys.readouterr().out
    assert _outputs(tmp_path / "spark") == _outputs(tmp_path / "local")
    # a second run refuses to overwrite the first one's outputs, in one line
    assert main(arguments) == 2
    error = capsys.readouterr().err
    assert "is not empty" in error
    assert len(error.strip().splitlines()) == 1


def test_spark_run_takes_the_output_folders_lock(spark: Any, tmp_path: Path) -> None:
    from dedup.corpus.folder import LOCK_NAME, _Lock

    out = tmp_path / "out"
    out.mkdir()
    holder = _Lock(out)
    holder.acquire()
    try:
        with pytest.raises(dedup.OutputLockedError, match=f"in use by process {os.getpid()}"):
            dedup.spark.run(str(SEEDS), out, spark=spark)
    finally:
        holder.release()
    assert dedup.spark.run(str(SEEDS), out, spark=spark).kept == 5
    assert sorted(p.name for p in out.iterdir()) == [
        "documents.jsonl", "manifest.jsonl", "report", "report.html", "summary.json"]
    assert not (out / LOCK_NAME).exists()
