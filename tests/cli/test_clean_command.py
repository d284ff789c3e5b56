"""``dedup clean``: documents in, cleaned JSONL out; bad records named, counted, not fatal."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from dedup.cli import main

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_clean_seeds_writes_one_row_per_document(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cleaned.jsonl"
    assert main(["clean", str(SEEDS), "--out", str(out)]) == 0
    written = rows(out)
    assert [row["id"] for row in written] == sorted(p.name for p in SEEDS.glob("*.txt"))
    seed_004 = written[4]
    assert "Skip to main content" not in str(seed_004["text"])
    annotations = seed_004["dedup"]
    assert isinstance(annotations, dict)
    assert {r["rule"] for r in annotations["removals"]} >= {
        "boilerplate.navigation", "repeat.block", "repeat.teaser", "boilerplate.share"}
    assert written[0]["dedup"]["metadata"]["published"] == "2021-02-12"  # type: ignore[index]
    assert seed_004["dedup"]["location"].endswith(str(seed_004["id"]))  # type: ignore[index]
    err = capsys.readouterr().err
    assert "cleaned 5 documents, 0 empty, rejected 0" in err
    assert "repeat.block" in err


def test_explain_prints_each_removal_with_its_reason(capsys: pytest.CaptureFixture[str]) -> None:
    (seed,) = SEEDS.glob("004_*.txt")
    assert main(["clean", str(seed), "--explain"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["id"] == str(seed)  # a file given by path keeps its path
    assert "removed repeat.block: lines 61-107 repeat lines 7-53" in captured.err
    assert "removed boilerplate.share: 'Share this post' on line 109" in captured.err


def test_bad_records_are_named_counted_and_the_run_goes_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Talks resumed in Doha on Monday, officials said.\n")
    (folder / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (folder / "empty.txt").write_text("")
    with gzip.open(folder / "dump.jsonl.gz", "wt", encoding="utf-8") as dump:
        dump.write(json.dumps({"id": "j1", "body": "A good story about the harvest."}) + "\n")
        dump.write("{not json\n")
        dump.write(json.dumps({"id": "j3", "title": "no body"}) + "\n")
        dump.write(json.dumps({"id": "j4", "body": ["not", "text"]}) + "\n")
    out = tmp_path / "out.jsonl"
    code = main(["clean", str(folder), "--out", str(out), "--text-field", "body"])
    assert code == 1
    # good.txt has no "body" field to miss: text files are read whole whatever --text-field says
    written = rows(out)
    assert [row["id"] for row in written] == ["j1", "good.txt", "latin1.txt"]
    # One schema: the text is under the field it was read from, whatever the format.
    assert written[2]["body"] == "caf\xe9 au lait"
    err = capsys.readouterr().err
    assert "latin1.txt (not UTF-8; decoded as cp1252)" in err  # the fallback is said
    assert "empty.txt" in err
    assert "dump.jsonl.gz:2" in err
    assert "j3" in err
    assert "j4" in err
    assert "cleaned 3 documents, 1 empty, rejected 3" in err


def test_unknown_rule_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(SEEDS), "--disable", "boilerplate.nope"]) == 2
    assert "'boilerplate.nope' is not a rule id or family" in capsys.readouterr().err


def test_missing_path_is_a_clear_error(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(tmp_path / "absent")]) == 2
    assert "absent" in capsys.readouterr().err


def test_rules_lists_every_rule_id(capsys: pytest.CaptureFixture[str]) -> None:
    import dedup

    assert main(["clean", "--rules"]) == 0
    listed = capsys.readouterr().out
    assert all(rule.id in listed for rule in dedup.RULES)


def test_the_output_does_not_depend_on_workers(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(150):  # more than one chunk of documents per worker
        (folder / f"{n:03}.txt").write_text(f"Story {n}.\nShare this post\nThe end of {n}.\n")
    (folder / "empty.txt").write_text("")
    outputs = []
    for workers in ("1", "3"):
        out = tmp_path / f"out-{workers}.jsonl"
        assert main(["clean", str(folder), "--out", str(out), "--workers", workers,
                     "--quiet"]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert len(outputs[0].splitlines()) == 150
