"""``report.html``, the entry page: the run at a glance, and a link to every report page.

It stays small at any corpus size (the lists live on the pages of
``report/``, see :mod:`dedup.corpus.report_pages`): the summary, the id
search, one row per rule (documents, characters, the most common removed
texts, so the Reuters trailer reads "18,900 documents" once), one row per
duplicate kind, the lines learnt as cross-document boilerplate with their
document counts, and the index of pages, collapsed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dedup.corpus.crossdoc import BoilerplateModel
from dedup.corpus.html_report import e, page
from dedup.corpus.manifest import RunSummary

__all__ = ["REPORT_DIR", "REPORT_ENTRY", "EntryData", "RuleSummary", "entry_page"]

REPORT_ENTRY = "report.html"
REPORT_DIR = "report"

#: (file name, first item, last item, items) of one page.
Page = tuple[str, str, str, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleSummary:
    """One rule over the run: documents, characters, most common removed texts, its pages."""

    documents: int
    chars: int
    texts: tuple[tuple[str, int], ...]
    pages: tuple[Page, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryData:
    """What the entry page shows; ``kinds`` maps a duplicate kind to (count, pages)."""

    summary: RunSummary
    model: BoilerplateModel
    subtitle: str
    shards: int
    removals: tuple[Page, ...]
    clusters: tuple[Page, ...]
    rules: Mapping[str, RuleSummary]
    kinds: Mapping[str, tuple[int, tuple[Page, ...]]]
    lines: Mapping[tuple[str, int], str]
    documents_with_removals: int = 0


_LINES_LISTED = 2_000


def _link(pages: tuple[Page, ...], text: str) -> str:
    if not pages:
        return ""
    return f'<a href="{REPORT_DIR}/{pages[0][0]}">{e(text)}</a>'


def _summary(summary: RunSummary) -> str:
    cards = [("records", summary.records), ("kept", summary.kept),
             ("duplicates", summary.duplicates), ("clusters", summary.clusters),
             ("rejected", summary.rejected),
             ("bytes removed", sum(summary.removed_bytes_by_rule.values()))]
    parts = ['<section id="summary"><h2>Summary</h2><div class="cards">']
    parts += [f'<div class="card"><b>{value:,}</b><span>{e(label)}</span></div>'
              for label, value in cards]
    parts.append("</div>")
    if summary.rejected_by_reason:
        reasons = ", ".join(f"{e(reason)}: {count:,}"
                            for reason, count in summary.rejected_by_reason.items())
        parts.append(f'<p class="note">Rejected records by reason: {reasons}. '
                     "Each is listed with its detail in manifest.jsonl.</p>")
    parts.append("</section>")
    return "".join(parts)


def _search() -> str:
    return ('<section id="find"><h2>Find a document</h2>'
            '<div id="search" class="search" hidden><input type="search" '
            'placeholder="a document id, exactly as in the input" aria-label="document id"> '
            '<button type="button">Find</button><ul class="results"></ul></div>'
            '<p class="note">The search shows what happened to a record and links the pages '
            "that show it. Every page below lists its items in input order.</p></section>")


def _rules(data: EntryData) -> str:
    summary = data.summary
    parts = ['<section id="rules"><h2>Removals by rule</h2>']
    if not data.rules:
        parts.append('<p class="note">Nothing was removed.</p></section>')
        return "".join(parts)
    every = (f': {_link(data.removals, "every one, in input order")}' if data.removals
             else " (not listed: RunConfig.report_documents=0)")
    parts.append(f'<p class="note">{data.documents_with_removals:,} documents had something '
                 f"removed{every}. One row per rule, with the texts it removed most often.</p>")
    rows = []
    for rule, found in sorted(data.rules.items(), key=lambda kv: (-kv[1].chars, kv[0])):
        texts = "<br>".join((f"<q>{e(text)}</q>" if text else '<span class="note">(white space)'
                             "</span>") + f" × {count:,}" for text, count in found.texts)
        pages = len(found.pages)
        rows.append(f'<tr data-rule="{e(rule)}"><td><code class="rule">{e(rule)}</code></td>'
                    f'<td class="num">{found.documents:,}</td><td class="num">{found.chars:,}'
                    f'</td><td class="num">{summary.removed_bytes_by_rule.get(rule, 0):,}</td>'
                    f"<td>{texts}</td><td>{_link(found.pages, 'documents')}"
                    f"{f' ({pages:,} pages)' if pages > 1 else ''}</td></tr>")
    parts.append("<table><thead><tr><th>rule</th><th class=\"num\">documents</th>"
                 '<th class="num">characters</th><th class="num">bytes</th>'
                 "<th>most often removed</th><th>list</th></tr></thead>"
                 f"<tbody>{''.join(rows)}</tbody></table>")
    bars = sorted(summary.removed_bytes_by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
    if bars:
        largest = max(chars for _, chars in bars) or 1
        parts.append('<h2>Bytes removed per rule</h2><div class="chart" id="chart">')
        for rule, chars in bars:
            parts.append(f'<div class="bar"><code>{e(rule)}</code><div class="track">'
                         f'<div class="fill" style="width:{100 * chars / largest:.1f}%"></div>'
                         f'</div><span class="num">{chars:,}</span></div>')
        parts.append("</div>")
    parts.append("</section>")
    return "".join(parts)


def _duplicates(data: EntryData) -> str:
    parts = ['<section id="duplicates"><h2>Duplicates by kind</h2>']
    if not data.kinds:
        parts.append('<p class="note">No duplicates were found.</p></section>')
        return "".join(parts)
    parts.append(f'<p class="note">{data.summary.clusters:,} clusters: '
                 f'{_link(data.clusters, "every cluster, with word diffs")}. Exact copies '
                 "have the same cleaned text; near duplicates share most of their word "
                 "shingles; containment: most of a document is inside the kept one.</p>")
    rows = [f'<tr><td><span class="kind kind-{e(kind)}">{e(kind)}</span></td>'
            f'<td class="num">{count:,}</td><td>{_link(pages, "list")}</td></tr>'
            for kind, (count, pages) in data.kinds.items()]
    parts.append('<table><thead><tr><th>kind</th><th class="num">duplicates</th>'
                 f"<th>list</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>")
    return "".join(parts)


def _lines(data: EntryData) -> str:
    model = data.model
    count = model.frequent_line_count
    parts = ['<section id="lines"><h2>Lines learnt across documents</h2>']
    if not count:
        parts.append('<p class="note">No line was frequent enough across documents to be '
                     "learnt as boilerplate.</p></section>")
        return "".join(parts)
    rows = []
    learnt = sorted(((source, key, documents) for source, keys in model.frequent.items()
                     for key, documents in keys.items()), key=lambda t: (-t[2], t[0], t[1]))
    for source, key, documents in learnt[:_LINES_LISTED]:
        total = model.documents.get(source, 0) or 1
        text = data.lines.get((source, key))
        shown = f"<q>{e(text)}</q>" if text is not None else \
            '<span class="note">(not in any document with removals)</span>'
        rows.append(f"<tr><td>{e(source) or '<span class=note>(one corpus)</span>'}</td>"
                    f'<td>{shown}</td><td class="num">{documents:,}</td>'
                    f'<td class="num">{100 * documents / total:.1f}%</td></tr>')
    more = (f'<p class="note">and {count - _LINES_LISTED:,} more (the most frequent are '
            "listed)</p>" if count > _LINES_LISTED else "")
    parts.append(f'<details class="box"><summary>{count:,} lines were learnt as '
                 "cross-document boilerplate and removed as <code>corpus.frequent_line</code>"
                 "</summary><table><thead><tr><th>source</th><th>line</th>"
                 '<th class="num">documents</th><th class="num">share of source</th></tr>'
                 f"</thead><tbody>{''.join(rows)}</tbody></table>{more}</details></section>")
    return "".join(parts)


def _page_index(title: str, pages: tuple[Page, ...]) -> str:
    if not pages:
        return ""
    links = "".join(f'<a href="{REPORT_DIR}/{e(name)}" title="{e(first)} … {e(last)}">'
                    f"{number:,}</a>" for number, (name, first, last, _) in
                    enumerate(pages, start=1))
    items = sum(p[3] for p in pages)
    return (f'<details class="box"><summary>{e(title)}: {items:,} on {len(pages):,} pages'
            f'</summary><div class="pagelist">{links}</div></details>')


def entry_page(data: EntryData) -> str:
    """Return ``report.html``."""
    index = [_page_index("Documents with removals", data.removals),
             _page_index("Duplicate clusters", data.clusters)]
    index += [_page_index(f"Removed by {rule}", found.pages)
              for rule, found in data.rules.items()]
    index += [_page_index(f"{kind.capitalize()} duplicates", pages)
              for kind, (_, pages) in data.kinds.items()]
    pages = "".join(index) or '<p class="note">Nothing to list.</p>'
    body = "".join([_summary(data.summary), _search(), _rules(data), _duplicates(data),
                    _lines(data), f'<section id="pages"><h2>Every page</h2>{pages}</section>'])
    return page(title="dedup report", subtitle=data.subtitle, body=body, base=f"{REPORT_DIR}/",
                home=REPORT_ENTRY, attributes=f' data-shards="{data.shards}"')
