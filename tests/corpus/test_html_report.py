"""The report page: evidence shown, everything from documents escaped."""

from __future__ import annotations

from dedup.corpus.html_report import ReportCluster, ReportData, ReportDocument, render_report
from dedup.corpus.manifest import ManifestEntry, RunSummary
from dedup.report import Removal

SUMMARY = RunSummary(records=3, kept=2, duplicates=1, rejected=0, clusters=1,
                     removed_chars_by_rule={"boilerplate.share": 16, "corpus.frequent_line": 7},
                     removed_bytes_by_rule={"boilerplate.share": 16, "corpus.frequent_line": 7})


def test_removed_spans_are_struck_through_with_rule_and_reason() -> None:
    text = "Story text.\nShare this post\nReuter\n"
    removals = (Removal(start=12, end=28, rule="boilerplate.share", detail="matched 'share'"),
                Removal(start=28, end=35, rule="corpus.frequent_line",
                        detail='line appears in 12 of 12 documents of "the" corpus'))
    page = render_report(ReportData(summary=SUMMARY, documents=(
        ReportDocument(id="a.txt", location="in/a.txt", text=text, removals=removals),),
        documents_with_removals=1))

    assert ('<del class="rm" data-rule="boilerplate.share" '
            "title=\"boilerplate.share: matched &#x27;share&#x27;\">"
            "Share this post\n</del>") in page
    assert "documents of &quot;the&quot; corpus" in page
    assert "Showing 1 of 1 documents" in page
    assert page.count('class="bar"') == 2  # one bar per rule in the chart


def test_clusters_highlight_the_words_that_differ() -> None:
    page = render_report(ReportData(summary=SUMMARY, clusters=(ReportCluster(
        representative=("a", "The bank raised rates today."),
        members=(("b", "The bank cut rates today.", 0.6),)),)))

    assert '<mark class="only-left">raised</mark>' in page
    assert '<mark class="only-right">cut</mark>' in page
    assert "similarity 0.600" in page


def test_empty_states_say_so() -> None:
    page = render_report(ReportData(summary=RunSummary(records=1, kept=1, duplicates=0,
                                                       rejected=0, clusters=0)))
    assert "Nothing was removed." in page
    assert "No duplicates were found." in page


def test_manifest_entries_and_summary_text() -> None:
    rejected = ManifestEntry(id="d:2", location="d:2", status="rejected",
                             reason="malformed_json", detail="d:2: Expecting value")
    assert rejected.to_dict() == {"id": "d:2", "location": "d:2", "status": "rejected",
                                  "reason": "malformed_json", "detail": "d:2: Expecting value"}
    text = SUMMARY.render_text()
    assert text.splitlines()[0] == "3 records: 2 kept, 1 duplicates (1 clusters), 0 rejected"
