"""The report: evidence shown in linked pages, every item reachable, everything escaped."""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Indel
from tests.corpus.synthetic import make_story

from dedup.corpus.html_report import diff_html, e, marked_excerpt, reasons_list, script_json
from dedup.corpus.manifest import ManifestEntry, RunSummary
from dedup.corpus.pipeline import OUTPUT_NAMES, run
from dedup.corpus.report_pages import ReportWriter, id_shard, report_output_names
from dedup.corpus.steps import RunConfig
from dedup.report import Removal

SUMMARY = RunSummary(records=3, kept=2, duplicates=1, rejected=0, clusters=1,
                     removed_chars_by_rule={"boilerplate.share": 16, "corpus.frequent_line": 7},
                     removed_bytes_by_rule={"boilerplate.share": 16, "corpus.frequent_line": 7})


@given(st.one_of(st.text(alphabet=st.sampled_from("ab &<>\"'\u00e9;#x")), st.text(),
                 st.integers()))
def test_escaping_skips_only_what_has_nothing_to_escape(value: str | int) -> None:
    assert e(value) == html.escape(str(value), quote=True)


def test_removed_spans_are_struck_through_in_context_with_reasons_written_out() -> None:
    text = "x" * 1_000 + "Story text.\nShare this post\nReuter\n" + "y" * 1_000
    share = Removal(start=1_012, end=1_028, rule="boilerplate.share", detail="matched 'share'")
    trailer = Removal(start=1_028, end=1_035, rule="corpus.frequent_line",
                      detail='line appears in 12 of 12 documents of "the" corpus')

    excerpt = marked_excerpt(text, (trailer, share), context=20)
    assert excerpt.startswith('<span class="gap">[… 992 characters …]</span>')
    assert ('<del class="rm" data-rule="boilerplate.share">Share this post\n</del>'
            '<del class="rm" data-rule="corpus.frequent_line">Reuter\n</del>') in excerpt
    assert excerpt.endswith("y" * 20 + '<span class="gap">[… 980 characters …]</span>')

    reasons = reasons_list(text, (share, trailer))
    assert ("<li><code class=\"rule\">boilerplate.share</code> matched &#x27;share&#x27;: "
            "<q>Share this post</q></li>") in reasons
    assert "documents of &quot;the&quot; corpus: <q>Reuter</q>" in reasons


def test_a_long_removal_shows_its_start_and_end() -> None:
    text = "keep\n" + "n" * 5_000 + "END"
    excerpt = marked_excerpt(text, (Removal(start=5, end=len(text), rule="boilerplate.x"),))
    assert "[… 4,103 characters …]" in excerpt
    assert excerpt.endswith("END</del>")
    assert len(excerpt) < 1_500


def test_clusters_highlight_the_words_that_differ() -> None:
    left, right = diff_html("The bank raised rates today.", "The bank cut <b>rates</b> today.")
    assert '<mark class="only-left">raised</mark>' in left
    assert '<mark class="only-right">cut</mark>' in right
    assert "<b>" not in right


_MARK = re.compile(r'<mark class="only-(left|right)">(.*?)</mark>', re.DOTALL)


def _unmarked(marked: str) -> str:
    return html.unescape(_MARK.sub("", marked))


def _marked_tokens(marked: str) -> int:
    return sum(len(re.findall(r"\s+|\S+", html.unescape(m.group(2))))
               for m in _MARK.finditer(marked))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["the", "bank", "cut", "rates", "<b>", "&", "1.5", "pct"]),
                max_size=40),
       st.lists(st.tuples(st.integers(0, 39), st.sampled_from(["", "raised", "the", "x y"])),
                max_size=6))
def test_diff_marks_the_fewest_tokens_and_keeps_both_texts(
        words: list[str], edits: list[tuple[int, str]]) -> None:
    left = " ".join(words)
    edited = list(words)
    for position, word in edits:
        if position < len(edited):
            edited[position] = word
    right = " ".join(edited)
    marked_left, marked_right = diff_html(left, right)
    # Each side reads back as its text; what is left unmarked is the same on both.
    assert html.unescape(re.sub(r"</?mark[^>]*>", "", marked_left)) == left
    assert html.unescape(re.sub(r"</?mark[^>]*>", "", marked_right)) == right
    assert _unmarked(marked_left) == _unmarked(marked_right)
    # The fewest: what is marked is what a longest common subsequence leaves.
    tokens = [re.findall(r"\s+|\S+", text) for text in (left, right)]
    assert _marked_tokens(marked_left) + _marked_tokens(marked_right) == Indel.distance(*tokens)
    assert "<b>" not in marked_left + marked_right


def test_a_long_story_with_a_few_edits_marks_only_them() -> None:
    # difflib's autojunk marked most of such a text (white space could not anchor a match).
    words = [f"w{n % 97}" for n in range(700)]
    edited = [("EDIT" if n % 50 == 7 else word) for n, word in enumerate(words)]
    left, right = diff_html(" ".join(words), " ".join(edited))
    assert right.count('<mark class="only-right">EDIT</mark>') == 14
    assert _marked_tokens(left) == _marked_tokens(right) == 14


def test_script_json_cannot_end_a_script_and_reads_back() -> None:
    value = {"</script><script>alert(1)</script>": ["a\u2028b\u2029", "&amp;", "\udc80"]}
    text = script_json(value)
    assert re.search(r"[<>&\u2028\u2029]", text) is None
    assert text.isascii()
    assert json.loads(text) == value


def test_id_shards_spread_ids_and_stay_in_range() -> None:
    ids = [f"doc-{n}" for n in range(2_000)] + ["ü", "😀", "\udc80", ""]
    shards = [id_shard(i, 8) for i in ids]
    assert set(shards) == set(range(8))
    assert max(shards.count(s) for s in range(8)) < 2 * len(ids) / 8


def _corpus(documents: int) -> list[dict[str, str]]:
    rng = random.Random(3)
    rows = []
    for number in range(documents):
        text = make_story(rng, words=90) + "\nShare this post\nReuter\n"
        rows.append({"id": f"story <{number}>", "text": text})
        if number % 7 == 3:
            rows.append({"id": f"copy of {number}", "text": text})
        if number % 7 == 5:
            words = text.split(" ")
            words[10] = "different"
            rows.append({"id": f"edit of {number}", "text": " ".join(words)})
    return rows


def _pages(out: Path, stem: str) -> list[str]:
    names = sorted(p.name for p in (out / "report").glob(f"{stem}-*.html"))
    assert names == [f"{stem}-{n:04d}.html" for n in range(1, len(names) + 1)]
    return [(out / "report" / name).read_text(encoding="utf-8") for name in names]


def test_every_document_and_cluster_is_on_a_linked_page(tmp_path: Path) -> None:
    rows = _corpus(40)
    out = tmp_path / "out"
    config = RunConfig(report_documents=7, report_clusters=3)
    summary = run(rows, out=out, config=config, workers=1)
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    removed = [m["id"] for m in manifest if m.get("removed_chars")]
    assert len(removed) == len(rows)
    kinds = {m.get("kind") for m in manifest if m["status"] == "duplicate"}
    assert kinds == {"exact", "near"}

    removal_pages = _pages(out, "removals")
    assert len(removal_pages) == -(-len(removed) // 7)
    listed = [html_id for page in removal_pages
              for html_id in re.findall(r'<details class="doc" id="d-\d+" data-id="([^"]*)"', page)]
    assert listed == [i.replace("<", "&lt;").replace(">", "&gt;") for i in removed]
    assert 'rel="next"' in removal_pages[0]
    assert 'rel="prev"' not in removal_pages[0]
    assert 'rel="prev"' in removal_pages[-1]
    assert 'rel="next"' not in removal_pages[-1]

    cluster_pages = _pages(out, "clusters")
    clusters = [c for page in cluster_pages for c in re.findall(r'id="c-(\d+)"', page)]
    assert clusters == [str(n) for n in range(summary.clusters)]
    duplicates = {m["id"] for m in manifest if m["status"] == "duplicate"}
    on_pages = {d for page in cluster_pages for d in re.findall(r'data-duplicate="([^"]*)"', page)}
    assert on_pages == duplicates
    assert '<span class="kind kind-exact">exact</span>' in cluster_pages[0]
    assert '<mark class="only-right">different</mark>' in "".join(cluster_pages)
    exact_rows = "".join(_pages(out, "kind-exact"))
    assert exact_rows.count("<tr data-ids=") == sum(
        m.get("kind") == "exact" for m in manifest)

    entry = (out / "report.html").read_text(encoding="utf-8")
    # Each rule once, with its document count and most common text; the learnt lines.
    assert re.search(r'<tr data-rule="corpus.frequent_line">.*?<td class="num">'
                     rf"{len(rows)}</td>.*?<q>Reuter</q> × {len(rows)}", entry)
    assert entry.count("<q>Reuter</q>") == 2  # the rule row and the learnt line
    assert re.search(r"<q>Reuter</q></td><td class=\"num\">\d+</td>", entry)
    assert 'href="report/removals-0001.html"' in entry
    assert 'href="report/clusters-0001.html"' in entry
    assert 'href="report/rule-corpus.frequent_line-0001.html"' in entry
    assert "<details" in entry
    assert "<details open" not in entry

    # The id index knows every record and where it is shown.
    index: dict[str, list[list[object]]] = {}
    for path in (out / "report").glob("ids-*.js"):
        body = path.read_text(encoding="utf-8")
        assert body.startswith("dedupReport.ids(")
        assert "<" not in body
        shard = int(path.stem.removeprefix("ids-"))
        data = json.loads(body[body.index(",") + 1:-3])
        assert all(id_shard(i, int(re.search(r'data-shards="(\d+)"', entry)[1])) == shard
                   for i in data)
        index.update(data)
    assert sorted(index) == sorted(m["id"] for m in manifest)
    copy = index["copy of 3"][0]
    assert copy[0] == "duplicate (exact, similarity 1.000) of story <3>"
    assert [link[1].split("#")[0] for link in copy[1:]] == ["removals-0001.html",  # type: ignore[index]
                                                           "clusters-0001.html"]


def test_names_listed_are_the_files_written_and_stale_pages_go(tmp_path: Path) -> None:
    assert set(report_output_names()) <= set(OUTPUT_NAMES)
    out = tmp_path / "out"
    (out / "report").mkdir(parents=True)
    (out / "report" / "removals-0099.html").write_text("old", encoding="utf-8")
    (out / "report" / "notes.txt").write_text("mine", encoding="utf-8")
    writer = ReportWriter(out, findings=_no_findings(), documents_per_page=2, clusters_per_page=2)
    text = "A story.\nReuter\n"
    for number in range(5):
        entry = ManifestEntry(id=f"d{number}", location=f"in:{number}", status="kept",
                              chars=9, removed_chars=7)
        writer.add({"id": f"d{number}", "loc": f"in:{number}", "n": text, "t": "A story.\n"},
                   entry, (Removal(start=9, end=16, rule="corpus.frequent_line"),))
    names = writer.finish(SUMMARY, _model())
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert set(names) == on_disk - {"report/notes.txt"}
    assert "report/removals-0003.html" in names
    assert "report/removals-0099.html" not in on_disk


def _no_findings():  # type: ignore[no-untyped-def]
    from dedup.corpus.duplicates import DuplicateFindings
    return DuplicateFindings()


def _model():  # type: ignore[no-untyped-def]
    from dedup.corpus.crossdoc import BoilerplateModel
    return BoilerplateModel()


def test_manifest_entries_and_summary_text() -> None:
    rejected = ManifestEntry(id="d:2", location="d:2", status="rejected",
                             reason="malformed_json", detail="d:2: Expecting value")
    assert rejected.to_dict() == {"id": "d:2", "location": "d:2", "status": "rejected",
                                  "reason": "malformed_json", "detail": "d:2: Expecting value"}
    text = SUMMARY.render_text()
    assert text.splitlines()[0] == "3 records: 2 kept, 1 duplicates (1 clusters), 0 rejected"


def test_listings_switched_off_still_count_per_rule(tmp_path: Path) -> None:
    out = tmp_path / "out"
    rows = _corpus(12)
    run(rows, out=out, config=RunConfig(report_documents=0, report_clusters=0), workers=1)
    assert sorted(p.name.split("-")[0] for p in (out / "report").iterdir()) == [
        "ids", "report.css", "report.js"]
    entry = (out / "report.html").read_text(encoding="utf-8")
    assert f"{len(rows)} documents had something removed (not listed" in entry
    assert re.search(rf'<tr data-rule="corpus.frequent_line">.*?>{len(rows)}</td>', entry)
