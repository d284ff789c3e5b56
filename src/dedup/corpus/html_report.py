"""report.html: one self-contained page that shows what a run removed and why.

People read this page to decide whether to trust the tool, so it shows the
evidence rather than totals alone: the summary with a chart of characters
removed per rule; each document's text with the removed spans struck through
(the rule id and its reason on hover); and duplicate clusters side by side
with the words that differ highlighted.

Document text is untrusted input (scraped pages carry ``<script>`` tags and
``onerror=`` attributes). Every string from a document goes through
:func:`html.escape` with quotes, the page holds no script of its own, and a
Content-Security-Policy forbids scripts and network loads outright, so even a
mistake in escaping could not run code or fetch anything.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

from dedup.corpus.manifest import RunSummary
from dedup.report import Removal

__all__ = ["ReportCluster", "ReportData", "ReportDocument", "render_report"]

_TOKEN = re.compile(r"\s+|\S+")
_OPEN_DOCUMENTS = 10


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportDocument:
    """A document to show: its text before removals, and the removals."""

    id: str
    location: str
    text: str
    removals: tuple[Removal, ...]
    truncated: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportCluster:
    """A kept representative and its duplicates: ``(id, text)`` and ``(id, text, similarity)``."""

    representative: tuple[str, str]
    members: tuple[tuple[str, str, float], ...]
    hidden_members: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportData:
    """Everything the page shows."""

    summary: RunSummary
    documents: tuple[ReportDocument, ...] = ()
    clusters: tuple[ReportCluster, ...] = ()
    documents_with_removals: int = 0


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


_STYLE = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#e4e7eb; --accent:#2563eb; --bg:#f8fafc;
        --del:#fde2e1; --del-ink:#9b1c1c; --add:#dcfce7; --add-ink:#166534; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
       color:var(--ink); background:var(--bg); }
header { background:#111827; color:#f9fafb; padding:24px 32px; }
header h1 { margin:0 0 4px; font-size:22px; font-weight:600; }
header p { margin:0; color:#cbd5e1; }
main { max-width:1200px; margin:0 auto; padding:24px 32px 64px; }
h2 { font-size:18px; margin:32px 0 12px; border-bottom:1px solid var(--line); padding-bottom:6px; }
.cards { display:flex; flex-wrap:wrap; gap:12px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 16px;
        min-width:140px; }
.card b { display:block; font-size:24px; }
.card span { color:var(--muted); font-size:13px; }
.chart { background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 16px; }
.bar { display:grid; grid-template-columns:260px 1fr 110px; align-items:center; gap:12px;
       margin:4px 0; font-size:13px; }
.bar code { overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.bar .track { background:#eef2ff; border-radius:4px; height:14px; }
.bar .fill { background:var(--accent); border-radius:4px; height:14px; min-width:2px; }
.bar .num { text-align:right; color:var(--muted); font-variant-numeric:tabular-nums; }
details.doc { background:#fff; border:1px solid var(--line); border-radius:8px; margin:10px 0; }
details.doc summary { cursor:pointer; padding:10px 16px; font-weight:600; }
details.doc summary small { color:var(--muted); font-weight:400; margin-left:8px; }
.text { white-space:pre-wrap; overflow-wrap:anywhere; padding:4px 16px 16px; margin:0;
        font:14px/1.6 ui-serif,Georgia,serif; }
del.rm { background:var(--del); color:var(--del-ink); text-decoration-thickness:1px;
         border-radius:3px; cursor:help; }
.rules { padding:0 16px 12px; font-size:12px; color:var(--muted); }
.rules code { background:#f1f5f9; padding:1px 5px; border-radius:4px; margin-right:6px; }
.cluster { background:#fff; border:1px solid var(--line); border-radius:8px; margin:14px 0;
           padding:12px 16px; }
.pair { display:grid; grid-template-columns:1fr 1fr; gap:16px; }
.pair h3 { font-size:14px; margin:8px 0 4px; }
.pair h3 small { color:var(--muted); font-weight:400; }
.pair .text { padding:8px; border:1px solid var(--line); border-radius:6px; max-height:420px;
              overflow:auto; font-size:13px; }
mark.only-left { background:var(--del); color:var(--del-ink); }
mark.only-right { background:var(--add); color:var(--add-ink); }
.note { color:var(--muted); font-size:13px; }
code { font-family:ui-monospace,SFMono-Regular,Menlo,monospace; font-size:12.5px; }
"""


def _summary_section(summary: RunSummary) -> str:
    cards = [("records", summary.records), ("kept", summary.kept),
             ("duplicates", summary.duplicates), ("clusters", summary.clusters),
             ("rejected", summary.rejected),
             ("bytes removed", sum(summary.removed_bytes_by_rule.values()))]
    parts = ['<section id="summary"><h2>Summary</h2><div class="cards">']
    parts += [f'<div class="card"><b>{value:,}</b><span>{_e(label)}</span></div>'
              for label, value in cards]
    parts.append("</div>")
    if summary.rejected_by_reason:
        reasons = ", ".join(f"{_e(reason)}: {count}"
                            for reason, count in summary.rejected_by_reason.items())
        parts.append(f'<p class="note">Rejected records by reason: {reasons}. '
                     "Each is listed with its detail in manifest.jsonl.</p>")
    parts.append("<h2>Bytes removed per rule</h2>")
    rules = sorted(summary.removed_bytes_by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
    if rules:
        largest = max(chars for _, chars in rules) or 1
        parts.append('<div class="chart" id="chart">')
        for rule, chars in rules:
            width = 100 * chars / largest
            parts.append(f'<div class="bar"><code>{_e(rule)}</code><div class="track">'
                         f'<div class="fill" style="width:{width:.1f}%"></div></div>'
                         f'<span class="num">{chars:,}</span></div>')
        parts.append("</div>")
    else:
        parts.append('<p class="note">Nothing was removed.</p>')
    parts.append("</section>")
    return "".join(parts)


def _marked_text(text: str, removals: tuple[Removal, ...]) -> str:
    pieces: list[str] = []
    position = 0
    for removal in sorted(removals, key=lambda r: r.start):
        start = max(removal.start, position)
        if start >= removal.end:
            continue
        pieces.append(_e(text[position:start]))
        hint = f"{removal.rule}: {removal.detail}" if removal.detail else removal.rule
        pieces.append(f'<del class="rm" data-rule="{_e(removal.rule)}" title="{_e(hint)}">'
                      f"{_e(text[start:removal.end])}</del>")
        position = removal.end
    pieces.append(_e(text[position:]))
    return "".join(pieces)


def _documents_section(data: ReportData) -> str:
    parts = ['<section id="documents"><h2>Removals per document</h2>']
    shown = len(data.documents)
    if not shown:
        parts.append('<p class="note">No document had anything removed.</p></section>')
        return "".join(parts)
    parts.append(f'<p class="note">Showing {shown:,} of {data.documents_with_removals:,} documents '
                 "with removals, in input order. Struck-through text was removed; hover it "
                 "for the rule and the reason.</p>")
    for number, document in enumerate(data.documents):
        rules = sorted({r.rule for r in document.removals})
        removed = sum(r.end - r.start for r in document.removals)
        # The first few are open so the page shows evidence at once; the rest stay a list.
        is_open = " open" if number < _OPEN_DOCUMENTS else ""
        parts.append(f'<details class="doc" data-id="{_e(document.id)}"{is_open}>'
                     f"<summary>{_e(document.id)}<small>{_e(document.location)} · "
                     f"{removed:,} characters removed</small></summary>")
        parts.append('<div class="rules">' + "".join(f"<code>{_e(rule)}</code>"
                                                     for rule in rules) + "</div>")
        parts.append(f'<div class="text">{_marked_text(document.text, document.removals)}</div>')
        if document.truncated:
            parts.append('<p class="note rules">(text cut for display)</p>')
        parts.append("</details>")
    parts.append("</section>")
    return "".join(parts)


def _diff_html(left: str, right: str) -> tuple[str, str]:
    """Return both texts escaped, with the words only one of them has marked."""
    left_tokens = _TOKEN.findall(left)
    right_tokens = _TOKEN.findall(right)
    # autojunk ignores tokens that are everywhere (spaces, "the") when anchoring matches,
    # which keeps long stories fast; the differing words are still found around them.
    matcher = difflib.SequenceMatcher(None, left_tokens, right_tokens)
    left_parts: list[str] = []
    right_parts: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        left_text = _e("".join(left_tokens[i1:i2]))
        right_text = _e("".join(right_tokens[j1:j2]))
        if tag == "equal":
            left_parts.append(left_text)
            right_parts.append(right_text)
            continue
        if left_text:
            left_parts.append(f'<mark class="only-left">{left_text}</mark>')
        if right_text:
            right_parts.append(f'<mark class="only-right">{right_text}</mark>')
    return "".join(left_parts), "".join(right_parts)


def _clusters_section(data: ReportData) -> str:
    parts = ['<section id="clusters"><h2>Duplicate clusters</h2>']
    total = data.summary.clusters
    if not data.clusters:
        parts.append('<p class="note">No duplicates were found.</p></section>')
        return "".join(parts)
    parts.append(f'<p class="note">Showing {len(data.clusters):,} of {total:,} clusters. The kept '
                 "document is on the left; words only it has are red, words only the duplicate "
                 "has are green.</p>")
    for cluster in data.clusters:
        kept_id, kept_text = cluster.representative
        parts.append(f'<div class="cluster" data-representative="{_e(kept_id)}">')
        for member_id, member_text, similarity in cluster.members:
            left, right = _diff_html(kept_text, member_text)
            parts.append(
                f'<div class="pair"><div><h3>kept: {_e(kept_id)}</h3>'
                f'<div class="text">{left}</div></div>'
                f'<div data-duplicate="{_e(member_id)}"><h3>duplicate: {_e(member_id)} '
                f"<small>similarity {similarity:.3f}</small></h3>"
                f'<div class="text">{right}</div></div></div>')
        if cluster.hidden_members:
            parts.append(f'<p class="note">and {cluster.hidden_members} more duplicates '
                         "(see manifest.jsonl)</p>")
        parts.append("</div>")
    parts.append("</section>")
    return "".join(parts)


def render_report(data: ReportData) -> str:
    """Return the whole page as one string: inline CSS, no script, no external resource.

    >>> from dedup.corpus.manifest import RunSummary
    >>> page = render_report(ReportData(
    ...     summary=RunSummary(records=1, kept=1, duplicates=0, rejected=0, clusters=0),
    ...     documents=(ReportDocument(id="<b>", location="x", text="<script>x</script> ok",
    ...                removals=(Removal(start=0, end=18, rule="boilerplate.share"),)),)))
    >>> "<script>" in page, "&lt;script&gt;" in page
    (False, True)
    """
    summary = data.summary
    subtitle = (f"{summary.records:,} records · {summary.kept:,} kept · "
                f"{summary.duplicates:,} duplicates · {summary.rejected:,} rejected")
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>dedup report</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<header><h1>dedup report</h1><p>{_e(subtitle)}</p></header><main>",
        _summary_section(summary),
        _documents_section(data),
        _clusters_section(data),
        "</main></body></html>\n",
    ])
