"""dedup.run: every record accounted for, the same outputs on any number of workers."""

from __future__ import annotations

import json
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from tests.corpus.synthetic import run_outputs, write_corpus

from dedup.cli import main
from dedup.config import CleanConfig
from dedup.corpus import pipeline
from dedup.corpus.crossdoc import CrossDocConfig
from dedup.corpus.duplicates import find_duplicates
from dedup.corpus.outputs import write_documents, write_outputs
from dedup.corpus.pipeline import RunConfig, run
from dedup.corpus.progress import SILENT
from dedup.corpus.steps import is_rejected, match_text
from dedup.errors import ConfigError, InputError, MissingExtraError

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_seeds_are_all_kept_and_their_removals_are_in_the_report(tmp_path: Path) -> None:
    summary = run([SEEDS], out=tmp_path / "out", workers=1)

    manifest = read_jsonl(tmp_path / "out" / "manifest.jsonl")
    assert len(manifest) == 5
    assert {row["status"] for row in manifest} == {"kept"}
    assert (summary.records, summary.kept) == (5, 5)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "documents.jsonl", "manifest.jsonl", "report", "report.html", "summary.json"]
    documents = {row["id"]: row for row in read_jsonl(tmp_path / "out" / "documents.jsonl")}
    report = (tmp_path / "out" / "report" / "removals-0001.html").read_text(encoding="utf-8")
    seed_004 = next(name for name in documents if name.startswith("004_"))
    removals = documents[seed_004]["dedup"]["removals"]  # type: ignore[index]
    assert removals  # seed 004 has navigation, share lines and a pasted second copy
    assert f'data-id="{seed_004}"' in report
    for removal in removals:
        assert f'data-rule="{removal["rule"]}"' in report
    # The Persian image placeholders in 004 take two bytes per character in UTF-8.
    placeholder = "boilerplate.image_placeholder"
    assert summary.removed_bytes_by_rule[placeholder] > summary.removed_chars_by_rule[placeholder]


def test_cross_document_boilerplate_is_learnt_per_site(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    # The line classifier would remove some of these lines too; switch it off to see the
    # corpus rule alone (where both apply, the corpus rule's evidence is what is reported).
    config = RunConfig(clean=CleanConfig(disabled_rules=frozenset({"boilerplate.low_content"})))
    summary = run([corpus], out=out, config=config, workers=1)

    documents = read_jsonl(out / "documents.jsonl")
    texts = {str(row["id"]): str(row["text"]) for row in documents}
    assert all("Reuter" not in text for text in texts.values())
    assert all("Follow us on Twitter" not in text for text in texts.values())
    # A real sentence that recurs in three stories (and a copy) is content, not boilerplate.
    assert sum("did not elaborate" in text for text in texts.values()) == 3
    rules = {r["rule"] for row in documents for r in row["dedup"]["removals"]}  # type: ignore[attr-defined,index]
    assert "corpus.frequent_line" in rules
    details = [r["detail"] for row in documents for r in row["dedup"]["removals"]  # type: ignore[attr-defined,index]
               if r["rule"] == "corpus.frequent_line"]
    assert any("source 'alpha.example'" in d for d in details)
    assert any("source 'beta.example'" in d for d in details)
    assert summary.frequent_lines == 4  # two lines in each of two sites
    # Exact copies are duplicates of the first copy; other fields are carried through.
    manifest = {row["id"]: row for row in read_jsonl(out / "manifest.jsonl")}
    assert manifest["copy-00009"]["status"] == "duplicate"
    assert manifest["copy-00009"]["duplicate_of"] == "doc-00009"
    assert all("url" in row for row in documents)


def test_cross_doc_paragraphs_keep_the_first_copy(tmp_path: Path) -> None:
    shared = ("This paragraph was copied by several newsletters word for word, "
              "and only its first appearance should stay in the corpus.")
    openings = ("Farmers in the north expect a late harvest after the rains.",
                "The central bank left interest rates unchanged on Tuesday.",
                "A new bridge over the river opened to traffic this morning.")
    rows = [{"id": f"d{i}", "text": f"{opening}\n\n{shared}"}
            for i, opening in enumerate(openings)]
    config = RunConfig(cross_doc=CrossDocConfig(paragraphs=True))

    run(rows, out=tmp_path / "out", config=config, workers=1)

    texts = {row["id"]: row["text"] for row in read_jsonl(tmp_path / "out" / "documents.jsonl")}
    assert shared in str(texts["d0"])
    assert shared not in str(texts["d1"])
    assert shared not in str(texts["d2"])


def test_workers_do_not_change_the_outputs(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus.jsonl", documents=60)
    config = RunConfig(batch_size=8)
    run([corpus], out=tmp_path / "one", config=config, workers=1)
    run([corpus], out=tmp_path / "two", config=config, workers=2)

    assert run_outputs(tmp_path / "one") == run_outputs(tmp_path / "two")


@pytest.mark.parametrize("workers", [1, 2])
def test_duplicates_fingerprinted_in_the_workers_are_those_of_one_pass_over_the_rows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    # The workers that finish each batch fingerprint it; the reference reads every final
    # row back and finds the duplicates in one process, as the run did before.
    corpus = write_corpus(tmp_path / "corpus.jsonl", documents=40)
    originals = [json.loads(line)["text"] for line in corpus.read_text().splitlines()]
    with corpus.open("a", encoding="utf-8") as handle:
        # Resent stories with a paragraph of their own added: their other paragraphs are
        # removed from the output as copies, and they must still match their originals.
        handle.writelines(json.dumps({"id": f"extended-{n}", "text": originals[n].replace(
            "\nReuter", f"\n\nTraders added that deal {n} was closed late on Friday.\nReuter")})
            + "\n" for n in (1, 2, 4))
        handle.writelines(json.dumps({"id": f"blank-{n}", "text": " "}) + "\n"
                          for n in range(8))  # a batch with nothing to match
    captured: dict[str, object] = {}
    write_step = pipeline.finish_run

    def capture(folder: object, rows: object, findings: object, *args: object,
                **kwargs: object) -> object:
        captured["rows"] = list(rows)  # type: ignore[call-overload]
        captured["findings"] = findings
        return write_step(folder, captured["rows"], findings, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "finish_run", capture)
    config = RunConfig(batch_size=8, passages=True,
                       cross_doc=CrossDocConfig(paragraphs=True, min_documents=2))
    summary = run([corpus], out=tmp_path / "out", config=config, workers=workers)

    rows = [row for row in captured["rows"] if not is_rejected(row)]  # type: ignore[attr-defined]
    reference = find_duplicates([(str(r["id"]), match_text(r), str(r["n"])) for r in rows],
                                config=config.dedupe, passages=True)
    assert captured["findings"] == reference
    assert summary.duplicates == len(reference.duplicates) > 0
    assert any(d.passages for d in reference.duplicates.values())
    assert {"extended-1", "extended-2", "extended-4"} <= set(reference.duplicates)


@pytest.mark.parametrize("output_format", ["jsonl", "parquet"])
def test_documents_written_apart_from_the_report_are_the_one_pass_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output_format: str) -> None:
    if output_format == "parquet":
        pytest.importorskip("pyarrow")
    corpus = write_corpus(tmp_path / "corpus.jsonl", documents=30)
    with corpus.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "blank", "text": "  "}) + "\n")
    captured: dict[str, object] = {}
    write_step = pipeline.finish_run

    def capture(folder: object, rows: object, findings: object, model: object,
                config: object, **kwargs: object) -> object:
        captured.update(rows=list(rows), findings=findings, model=model)  # type: ignore[call-overload]
        return write_step(folder, captured["rows"], findings, model, config,  # type: ignore[arg-type]
                          **kwargs)

    monkeypatch.setattr(pipeline, "finish_run", capture)
    config = RunConfig(batch_size=4, output_format=output_format)  # type: ignore[arg-type]
    run([corpus], out=tmp_path / "run", config=config, workers=1)

    rows = captured["rows"]
    written = {}
    for name, apart in (("one-pass", False), ("apart", True)):
        into = tmp_path / name
        into.mkdir()
        copies = [dict(row) for row in rows]  # type: ignore[attr-defined]
        if apart:
            write_documents(into, [dict(row) for row in copies],
                            captured["findings"], config)  # type: ignore[arg-type]
        write_outputs(into, copies, captured["findings"], captured["model"],  # type: ignore[arg-type]
                      config, progress=SILENT, documents=not apart)
        written[name] = {path.relative_to(into).as_posix(): path.read_bytes()
                         for path in sorted(into.rglob("*")) if path.is_file()}
    assert written["apart"] == written["one-pass"]
    assert f"documents.{output_format}" in written["apart"]
    assert len(written["apart"]) > 5  # documents, manifest, entry page and report pages
    documents = (tmp_path / "run" / "documents.jsonl")
    if output_format == "jsonl":
        assert documents.read_bytes() == written["apart"]["documents.jsonl"]


def test_a_non_empty_output_folder_is_refused_unless_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")

    with pytest.raises(ConfigError, match="not empty"):
        run([SEEDS], out=out, workers=1)
    assert main(["run", str(SEEDS), "--out", str(out), "--quiet"]) == 2

    run([SEEDS], out=out, workers=1, overwrite=True)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    with pytest.raises(ConfigError, match="not empty"):
        run([SEEDS], out=out, workers=1)  # a finished run is not resumed over


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("a file", encoding="utf-8")
    with pytest.raises(ConfigError, match="is a file"):
        run([SEEDS], out=tmp_path / "out", workers=1)


def test_missing_input_is_an_error_before_any_output(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        run([tmp_path / "nope"], out=tmp_path / "out", workers=1)
    assert not (tmp_path / "out").exists()


def test_bad_inputs_are_named_and_the_good_ones_processed(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "good.txt").write_text("A good plain text story about the harvest.\n",
                                     encoding="utf-8")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "latin1.txt").write_bytes("Caf\xe9 cr\xe8me".encode("latin-1"))
    (inputs / "broken.txt").write_bytes("Caf\xe9 cr\xe8me ".encode() + b"\xff")
    (inputs / "nul.txt").write_bytes(b"binary\x00junk")
    big_text = "wordy " * 3_500_000  # a 21 MB document on one line
    lines = [
        json.dumps({"id": "ok-1", "text": "The first good record in the dump."}),
        '{"id": "broken", "text": "unterminated',
        json.dumps({"id": "no-text", "title": "where is the body"}),
        json.dumps({"id": "list-text", "text": ["not", "a", "string"]}),
        json.dumps({"id": "nul-text", "text": "before\u0000after"}),
        json.dumps({"id": "blank", "text": "   "}),
        json.dumps({"id": "ok-1", "text": "A different text reusing an id."}),
        json.dumps({"id": "big", "text": big_text}),
        json.dumps({"text": "A good record without an id."}),
    ]
    data = "\n".join(lines).encode("utf-8") + b'\n{"id": "bad-utf8", "text": "\xff\xfe"}\n'
    (inputs / "dump.jsonl").write_bytes(data)

    out = tmp_path / "out"
    assert main(["run", str(inputs), "--out", str(out), "--quiet", "--workers", "2"]) == 1

    manifest = read_jsonl(out / "manifest.jsonl")
    assert len(manifest) == 15  # 5 files + 10 JSONL lines, each exactly once
    assert len({(row["id"], row["location"]) for row in manifest}) == 15
    by_location = {str(row["location"]).rsplit("/", 1)[-1]: row for row in manifest}
    expected = {
        "dump.jsonl:2": "malformed_json", "dump.jsonl:3": "missing_text",
        "dump.jsonl:4": "non_string_text", "dump.jsonl:5": "nul_bytes",
        "dump.jsonl:6": "empty", "dump.jsonl:7": "duplicate_id",
        "dump.jsonl:10": "invalid_utf8", "empty.txt": "empty", "broken.txt": "invalid_utf8",
        "nul.txt": "nul_bytes",
    }
    for location, reason in expected.items():
        row = by_location[location]
        assert row["status"] == "rejected", location
        assert row["reason"] == reason, location
        assert row["detail"], location
    # UTF-8 with a bad byte is broken UTF-8; Latin-1 alone is read, and says how.
    assert "byte offset 13" in str(by_location["broken.txt"]["detail"])
    assert by_location["latin1.txt (not UTF-8; decoded as cp1252)"]["status"] == "kept"
    assert "dump.jsonl:2" in str(by_location["dump.jsonl:2"]["detail"])
    kept = {row["id"] for row in manifest if row["status"] == "kept"}
    assert kept == {"good.txt", "latin1.txt", "ok-1", "big", "dump.jsonl:9"}
    documents = {row["id"]: row for row in read_jsonl(out / "documents.jsonl")}
    assert len(str(documents["big"]["text"])) > 20_000_000
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["rejected"] == 10
    assert summary["rejected_by_reason"]["invalid_utf8"] == 2


def test_records_and_dataframes_are_inputs(tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas", reason="pandas is not installed")
    frame = pandas.DataFrame({"key": ["a", "b"], "body": ["One text.", "Another text."],
                              "lang": ["en", "en"]})
    config = RunConfig(text_field="body", id_field="key")

    summary = run(frame, out=tmp_path / "out", config=config, workers=1)

    assert summary.kept == 2
    documents = read_jsonl(tmp_path / "out" / "documents.jsonl")
    assert [(row["key"], row["body"], row["lang"]) for row in documents] == [
        ("a", "One text.", "en"), ("b", "Another text.", "en")]


def test_parquet_in_and_out(tmp_path: Path) -> None:
    pyarrow = pytest.importorskip("pyarrow", reason="the parquet extra (pyarrow) is missing")
    import pyarrow.parquet as pq

    source = tmp_path / "in.parquet"
    pq.write_table(pyarrow.table({"id": ["a", "b", "c"],
                                  "text": ["First text.", "Second text.", "First text."]}),
                   source)
    config = RunConfig(output_format="parquet")

    summary = run([source], out=tmp_path / "out", config=config, workers=1)

    assert (summary.kept, summary.duplicates) == (2, 1)
    table = pq.read_table(tmp_path / "out" / "documents.parquet")
    assert table.column("id").to_pylist() == ["a", "b"]
    assert table.column("text").to_pylist() == ["First text.", "Second text."]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.event_attributes: list[str] = []
        self.scripts: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs).get("src"))
        else:
            self.tags.append(tag)
        self.event_attributes += [name for name, _ in attrs if name.startswith("on")]


def test_report_escapes_everything_from_documents(tmp_path: Path) -> None:
    payload = ('<script>document.title="pwned"</script>\n'
               '<img src=x onerror="document.body.setAttribute(\'data-pwned\', 1)">\n'
               '"><svg onload=alert(1)>')
    rows = [{"id": f'<img src=x onerror="alert({i})">',
             "text": f"Story {i}.\n{payload}\nShare this post"} for i in range(12)]
    rows.append({"id": "copy", "text": rows[0]["text"]})

    run(rows, out=tmp_path / "out", workers=1)

    pages = [tmp_path / "out" / "report.html", *(tmp_path / "out" / "report").glob("*.html")]
    assert len(pages) > 3
    for path in pages:
        page = path.read_text(encoding="utf-8")
        parser = _Elements()
        parser.feed(page)
        assert len(parser.scripts) == 1  # the report's own, with the page's own address
        assert parser.scripts[0] in ("report.js", "report/report.js")
        assert "img" not in parser.tags
        assert "svg" not in parser.tags
        assert parser.event_attributes == []
        assert "Content-Security-Policy" in page
    removals = (tmp_path / "out" / "report" / "removals-0001.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in removals
    for path in (tmp_path / "out" / "report").glob("ids-*.js"):
        assert not set(path.read_text(encoding="utf-8")) & set("<>&\u2028\u2029")


def test_parquet_output_without_pyarrow_fails_before_any_work(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)

    with pytest.raises(MissingExtraError, match=r"dedup-corpus\[parquet\]"):
        run([SEEDS], out=tmp_path / "out", config=RunConfig(output_format="parquet"), workers=1)
    assert not (tmp_path / "out").exists()
