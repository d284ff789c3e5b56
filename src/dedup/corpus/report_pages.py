"""``report.html`` and ``report/``: every removal and every cluster of a run, on linked pages.

One page cannot hold a real corpus (all of Reuters-21578 on one page is 27 MB
and takes 10 s to open), so the entry page ``report.html`` holds the summary
and the evidence grouped (per rule: how many documents, how many characters,
the most common removed texts; per duplicate kind; the lines learnt as
cross-document boilerplate with their document counts), and links pages in
``report/`` that list everything, a fixed number of items each:

* ``removals-NNNN.html``: every document with removals, in input order, each
  a collapsed ``<details>`` with its reasons written out and the removed spans
  struck through in their context;
* ``rule-<rule>-NNNN.html``: one row per document a rule removed text from;
* ``clusters-NNNN.html``: every cluster, its members with kind (exact, near,
  containment) and similarity, and a word diff against the kept document;
* ``kind-<kind>-NNNN.html``: one row per duplicate of that kind;
* ``ids-NNN.js``: the id index the entry page's search loads (one shard per id
  hash, so a search reads one small file; ``<script src>`` works from
  ``file://``, where ``fetch()`` does not);
* ``report.css`` and ``report.js`` (:mod:`dedup.corpus.report_assets`).

Names depend only on the rows and their order, so every engine writes the
same files, byte for byte. :class:`ReportWriter` takes rows one at a time and
keeps one page of each listing in memory, plus the id index and the texts of
the documents the cluster diffs show.
"""

from __future__ import annotations

import collections
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dedup.corpus import io
from dedup.corpus.crossdoc import BoilerplateModel, unit_key
from dedup.corpus.duplicates import DuplicateFindings
from dedup.corpus.html_report import (
    diff_html,
    e,
    marked_excerpt,
    page,
    reasons_list,
    script_json,
)
from dedup.corpus.manifest import ManifestEntry, RunSummary
from dedup.corpus.report_assets import REPORT_CSS, REPORT_JS
from dedup.corpus.report_entry import REPORT_DIR, REPORT_ENTRY, EntryData, RuleSummary, entry_page
from dedup.report import Removal

__all__ = ["REPORT_DIR", "REPORT_ENTRY", "ReportWriter", "id_shard", "report_output_names"]

logger = logging.getLogger(__name__)

#: Ids per shard of the search index, about; at most _MAX_SHARDS shards (3 digits in the name).
_IDS_PER_SHARD = 250
_MAX_SHARDS = 512
#: Cleaned text a cluster diff compares (a word diff grows with the square of the length).
_DIFF_CHARS = 4_000
#: Members per cluster compared word by word with the kept document, and listed in its table.
_DIFFS_PER_CLUSTER = 2
_MEMBERS_LISTED = 200
#: Rows per rule and duplicate-kind page (short rows), and learnt lines on the entry page.
_ROWS_PER_PAGE = 1_000
_LINES_LISTED = 2_000
#: Distinct removed texts counted per rule for "most common removed text".
_TEXTS_COUNTED = 5_000
_SLUG = re.compile(r"[^A-Za-z0-9_.-]")
_OWN_FILE = re.compile(r"(removals|clusters|rule-.+|kind-.+)-\d{4,}\.html|ids-\d{3}\.js"
                       r"|report\.(js|css)")


def report_output_names() -> tuple[str, ...]:
    """Return the names in an output folder that hold the report: the entry page and its folder.

    >>> report_output_names()
    ('report.html', 'report')
    """
    return (REPORT_ENTRY, REPORT_DIR)


def id_shard(document_id: str, shards: int) -> int:
    """Return the search-index shard of an id: FNV-1a over its UTF-16 code units, as report.js.

    >>> id_shard("reuters-1", 512), id_shard("reuters-1", 1)
    (457, 0)
    """
    data = document_id.encode("utf-16-le", "surrogatepass")
    value = 2166136261
    for index in range(0, len(data), 2):
        value = ((value ^ (data[index] | data[index + 1] << 8)) * 16777619) & 0xFFFFFFFF
    return value % shards


def _by_rule(removals: tuple[Removal, ...]) -> dict[str, list[Removal]]:
    grouped: dict[str, list[Removal]] = {}
    for removal in removals:
        grouped.setdefault(removal.rule, []).append(removal)
    return grouped


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass(slots=True)
class _Listing:
    """One series of pages (``stem-0001.html``, ...), written a page at a time."""

    writer: ReportWriter
    stem: str
    title: str
    intro: str
    per_page: int
    head: str = ""  # a table's header row; empty for a list of <details>
    filters: tuple[tuple[str, str], ...] = ()  # (attribute, "every rule")
    pages: list[tuple[str, str, str, int]] = field(default_factory=list)
    _items: list[str] = field(default_factory=list)
    _values: dict[str, set[str]] = field(default_factory=dict)
    _labels: list[str] = field(default_factory=list)

    def add(self, item: str, label: str,
            values: Mapping[str, Iterable[str]] | None = None) -> str:
        """Add one item; return the name of its page."""
        if len(self._items) >= self.per_page:
            self._flush(more=True)
        self._items.append(item)
        self._labels.append(label)
        for attribute, found in (values or {}).items():
            self._values.setdefault(attribute, set()).update(found)
        return f"{self.stem}-{len(self.pages) + 1:04d}.html"

    def finish(self) -> None:
        if self._items:
            self._flush(more=False)

    def _flush(self, *, more: bool) -> None:
        number = len(self.pages) + 1
        name = f"{self.stem}-{number:04d}.html"
        links = [f'<a href="../{REPORT_ENTRY}#pages">all pages</a>']
        if number > 1:
            links.append(f'<a href="{self.stem}-{number - 1:04d}.html" rel="prev">'
                         f"← page {number - 1}</a>")
        if more:
            links.append(f'<a href="{self.stem}-{number + 1:04d}.html" rel="next">'
                         f"page {number + 1} →</a>")
        nav = f'<nav class="pages">{"".join(links)}</nav>'
        selects = []
        for attribute, every in self.filters:
            options = "".join(f'<option value="{e(v)}">{e(v)}</option>'
                              for v in sorted(self._values.get(attribute, ())))
            selects.append(f'<select data-attribute="{e(attribute)}"><option value="">'
                           f"{e(every)}</option>{options}</select>")
        bar = ('<div class="filters" hidden><input type="search" placeholder="filter this page '
               f'by id" aria-label="filter by id">{"".join(selects)}<span class="shown note">'
               "</span></div>")
        items = "".join(self._items)
        listing = (f"<table><thead>{self.head}</thead><tbody data-list>{items}</tbody></table>"
                   if self.head else f"<div data-list>{items}</div>")
        first, last = self._labels[0], self._labels[-1]
        body = (f"<h2>{e(self.title)}: page {number}</h2><p class=\"note\">{self.intro} "
                f"This page: {len(self._items):,} items, {e(_short(first, 60))} to "
                f"{e(_short(last, 60))}.</p>{bar}{listing}")
        self.writer.write_page(name, page(title=f"dedup report: {self.title}, page {number}",
                                          subtitle=self.writer.subtitle, body=body, base="",
                                          home=f"../{REPORT_ENTRY}", nav=nav))
        self.pages.append((name, first, last, len(self._items)))
        self._items, self._labels, self._values = [], [], {}


@dataclass(slots=True)
class _RuleStats:
    documents: int = 0
    chars: int = 0
    texts: collections.Counter[str] = field(default_factory=collections.Counter)


class ReportWriter:
    """Write the report as the output pass goes: :meth:`add` each row, then :meth:`finish`.

    ``documents_per_page`` and ``clusters_per_page`` are
    ``RunConfig.report_documents`` and ``report_clusters``; 0 leaves that
    listing out.
    """

    def __init__(self, out: Path, *, findings: DuplicateFindings, documents_per_page: int,
                 clusters_per_page: int) -> None:
        self._out = out
        self._folder = out / REPORT_DIR
        self._folder.mkdir(parents=True, exist_ok=True)
        self._findings = findings
        self._written: list[str] = []
        self.subtitle = ""
        self._documents_per_page = documents_per_page
        self._clusters_per_page = clusters_per_page
        self._removals = _Listing(
            self, "removals", "Documents with removals",
            "Every document something was removed from, in input order. Struck-through text "
            "was removed; each removal's rule and reason is listed above the text.",
            documents_per_page, filters=(("data-rules", "every rule"),))
        self._rules: dict[str, _Listing] = {}
        self._rule_stats: dict[str, _RuleStats] = {}
        self._kinds: dict[str, _Listing] = {}
        self._ids: dict[str, list[list[object]]] = {}
        self._lines: dict[tuple[str, int], str] = {}
        self._line_keys: dict[str, int | None] = {}
        self._documents = 0
        self._cluster_of: dict[str, int] = {}
        self._wanted: set[str] = set()
        self._texts: dict[str, str] = {}
        if clusters_per_page:
            for index, cluster in enumerate(findings.clusters):
                self._cluster_of[cluster.representative] = index
                for member, _ in cluster.members:
                    self._cluster_of.setdefault(member, index)
                chosen = self._diffed(cluster.members)
                if chosen:
                    self._wanted.add(cluster.representative)
                    self._wanted.update(chosen)

    @property
    def names(self) -> tuple[str, ...]:
        """Every file written so far, relative to the output folder (``report/...``)."""
        return tuple(self._written)

    def write_page(self, name: str, text: str) -> None:
        """Write one file of ``report/`` in place atomically and remember its name."""
        with io.atomic_writer(self._folder / name, durable=False) as handle:
            handle.write(text)
        self._written.append(f"{REPORT_DIR}/{name}")

    def _diffed(self, members: Sequence[tuple[str, float]]) -> list[str]:
        duplicates = self._findings.duplicates
        return [m for m, _ in members[:20]
                if m in duplicates and duplicates[m].kind != "exact"][:_DIFFS_PER_CLUSTER]

    def _cluster_page(self, index: int) -> str:
        return f"clusters-{index // self._clusters_per_page + 1:04d}.html#c-{index}"

    # ------------------------------------------------------------ rows

    def add(self, row: Mapping[str, object], entry: ManifestEntry,
            removals: tuple[Removal, ...]) -> None:
        """Take one final row (and its manifest entry and removals), in ordinal order."""
        document_id = entry.id
        links: list[list[str]] = []
        if removals and "n" in row:
            link = self._add_removals(row, document_id, str(row["n"]), removals)
            if link:
                links.append(link)
        status: str = entry.status
        duplicate = self._findings.duplicates.get(document_id)
        if entry.status == "rejected":
            status = f"rejected: {entry.reason}: {_short(str(entry.detail or ''), 200)}"
        elif duplicate is not None:
            status = (f"duplicate ({duplicate.kind}, similarity {duplicate.similarity:.3f}) "
                      f"of {duplicate.duplicate_of}")
            if self._clusters_per_page:
                self._add_duplicate(document_id, duplicate.kind, duplicate.duplicate_of,
                                    duplicate.similarity, duplicate.matched)
        index = self._cluster_of.get(document_id)
        if index is not None and entry.status != "rejected":
            links.append([f"cluster {index + 1:,}", self._cluster_page(index)])
        self._ids.setdefault(document_id, []).append([status, *links])
        if document_id in self._wanted and "t" in row:
            self._texts[document_id] = str(row["t"])[:_DIFF_CHARS]

    def _add_removals(self, row: Mapping[str, object], document_id: str, text: str,
                      removals: tuple[Removal, ...]) -> list[str] | None:
        """Count one document's removals per rule; list it unless its listing is off."""
        anchor = f"d-{self._documents}"
        self._documents += 1
        rules = sorted({r.rule for r in removals})
        self._count_removals(str(row.get("src", "")), text, removals)
        if not self._documents_per_page:
            return None
        removed = sum(r.end - r.start for r in removals)
        badges = "".join(f'<code class="rule">{e(rule)}</code>' for rule in rules)
        item = (f'<details class="doc" id="{anchor}" data-id="{e(document_id)}" '
                f'data-rules="{e(" ".join(rules))}">'
                f'<summary><span class="id">{e(document_id)}</span> <small>'
                f"{e(row.get('loc', ''))} · {removed:,} characters removed</small> {badges}"
                f"</summary>{reasons_list(text, removals)}"
                f'<div class="text">{marked_excerpt(text, removals)}</div></details>')
        name = self._removals.add(item, document_id, {"data-rules": rules})
        href = f"{name}#{anchor}"
        for rule, found in _by_rule(removals).items():
            listing = self._rules.get(rule)
            if listing is None:
                listing = self._rules[rule] = _Listing(
                    self, f"rule-{_SLUG.sub('_', rule)}", f"Removed by {rule}",
                    f"Every document <code>{e(rule)}</code> removed text from, in input order.",
                    _ROWS_PER_PAGE, head="<tr><th>document</th><th>reason</th>"
                    "<th>removed</th><th class=\"num\">characters</th></tr>")
            first = found[0]
            listing.add(f'<tr data-ids="{e(document_id)}"><td><a href="{href}">'
                        f"{e(document_id)}</a></td><td>{e(first.detail)}</td>"
                        f"<td><q>{e(_short(text[first.start:first.end], 120))}</q>"
                        f"{' …' if len(found) > 1 else ''}</td>"
                        f'<td class="num">{sum(r.end - r.start for r in found):,}</td></tr>',
                        document_id)
        return [f"removals ({len(removals):,}: {', '.join(rules)})", href]

    def _count_removals(self, source: str, text: str, removals: tuple[Removal, ...]) -> None:
        for rule, found in _by_rule(removals).items():
            stats = self._rule_stats.setdefault(rule, _RuleStats())
            stats.documents += 1
            stats.chars += sum(r.end - r.start for r in found)
            for removal in found:
                piece = text[removal.start:removal.end]
                shown = _short(piece, 100)
                if shown in stats.texts or len(stats.texts) < _TEXTS_COUNTED:
                    stats.texts[shown] += 1
                if rule == "corpus.frequent_line":
                    key = self._line_key(piece)
                    if key is not None:
                        self._lines.setdefault((source, key), shown)

    def _line_key(self, piece: str) -> int | None:
        """:func:`unit_key` of a removed frequent line; remembered, as the same few recur."""
        if piece in self._line_keys:
            return self._line_keys[piece]
        key = unit_key(piece)
        if len(self._line_keys) < _TEXTS_COUNTED:
            self._line_keys[piece] = key
        return key

    def _add_duplicate(self, document_id: str, kind: str, kept: str, similarity: float,
                       matched: str) -> None:
        listing = self._kinds.get(kind)
        if listing is None:
            listing = self._kinds[kind] = _Listing(
                self, f"kind-{_SLUG.sub('_', kind)}", f"{kind.capitalize()} duplicates",
                f"Every duplicate of kind <span class=\"kind kind-{e(kind)}\">{e(kind)}</span>,"
                " in input order, with the kept document it duplicates.", _ROWS_PER_PAGE,
                head="<tr><th>duplicate (dropped)</th><th>kept document</th>"
                "<th class=\"num\">similarity</th><th>verified against</th></tr>")
        index = self._cluster_of.get(kept, self._cluster_of.get(document_id))
        link = (f'<a href="{self._cluster_page(index)}">{e(kept)}</a>' if index is not None
                else e(kept))
        listing.add(f'<tr data-ids="{e(document_id)}&#10;{e(kept)}"><td>{e(document_id)}</td>'
                    f'<td>{link}</td><td class="num">{similarity:.3f}</td>'
                    f"<td>{e(matched)}</td></tr>", document_id)

    # ------------------------------------------------------------ the end

    def finish(self, summary: RunSummary, model: BoilerplateModel) -> tuple[str, ...]:
        """Write the remaining pages, the id index and the entry page; return every name."""
        self.subtitle = (f"{summary.records:,} records · {summary.kept:,} kept · "
                         f"{summary.duplicates:,} duplicates · {summary.rejected:,} rejected")
        self._removals.finish()
        for listing in (*self._rules.values(), *self._kinds.values()):
            listing.finish()
        clusters = self._write_clusters()
        shards = self._write_ids()
        self.write_page("report.css", REPORT_CSS)
        self.write_page("report.js", REPORT_JS)
        self._remove_stale()
        listed = {rule: tuple(listing.pages) for rule, listing in self._rules.items()}
        rules = {rule: RuleSummary(documents=stats.documents, chars=stats.chars,
                                   texts=tuple(stats.texts.most_common(3)),
                                   pages=listed.get(rule, ()))
                 for rule, stats in sorted(self._rule_stats.items())}
        kinds = collections.Counter(d.kind for d in self._findings.duplicates.values())
        text = entry_page(EntryData(
            summary=summary, model=model, subtitle=self.subtitle, shards=shards,
            removals=tuple(self._removals.pages), clusters=tuple(clusters.pages), rules=rules,
            kinds={kind: (count, tuple(self._kinds[kind].pages) if kind in self._kinds else ())
                   for kind, count in sorted(kinds.items())},
            lines=self._lines, documents_with_removals=self._documents))
        with io.atomic_writer(self._out / REPORT_ENTRY) as handle:
            handle.write(text)
        self._written.append(REPORT_ENTRY)
        return self.names

    def _write_clusters(self) -> _Listing:
        listing = _Listing(
            self, "clusters", "Duplicate clusters",
            "Every cluster: the kept document, its duplicates with their kind and similarity, "
            "and up to two near duplicates compared word by word with the kept document "
            "(words only the kept one has are red, words only the duplicate has are green).",
            self._clusters_per_page or 1, filters=(("data-kinds", "every kind"),))
        if not self._clusters_per_page:
            return listing
        duplicates = self._findings.duplicates
        for index, cluster in enumerate(self._findings.clusters):
            kept = cluster.representative
            kinds = sorted({duplicates[m].kind for m, _ in cluster.members if m in duplicates})
            listed = cluster.members[:_MEMBERS_LISTED]
            rows = []
            for member, similarity in listed:
                found = duplicates.get(member)
                kind = found.kind if found else ""
                matched = found.matched if found else ""
                rows.append(f'<tr data-duplicate="{e(member)}" data-kind="{e(kind)}">'
                            f'<td>{e(member)}</td><td><span class="kind kind-{e(kind)}">'
                            f'{e(kind)}</span></td><td class="num">{similarity:.3f}</td>'
                            f"<td>{e(matched)}</td></tr>")
            more = len(cluster.members) - len(listed)
            table = ("<table><thead><tr><th>duplicate (dropped)</th><th>kind</th>"
                     '<th class="num">similarity</th><th>verified against</th></tr></thead>'
                     f"<tbody>{''.join(rows)}</tbody></table>")
            if more:
                table += (f'<p class="note">and {more:,} more duplicates, each on its kind\'s '
                          "pages and in manifest.jsonl</p>")
            pairs = []
            kept_text = self._texts.get(kept, "")
            for member in self._diffed(cluster.members):
                left, right = diff_html(kept_text, self._texts.get(member, ""))
                similarity = duplicates[member].similarity
                pairs.append(
                    f'<div class="pair"><div><h3>kept: {e(kept)}</h3>'
                    f'<div class="text">{left}</div></div><div><h3>{e(duplicates[member].kind)}'
                    f" duplicate: {e(member)} <small>similarity {similarity:.3f}</small></h3>"
                    f'<div class="text">{right}</div></div></div>')
            if not pairs:
                pairs.append('<p class="note">Every duplicate here is an exact copy of the kept '
                             "document.</p>")
            ids = "\n".join([kept, *(m for m, _ in listed)])
            badges = "".join(f'<span class="kind kind-{e(k)}">{e(k)}</span>' for k in kinds)
            listing.add(f'<details class="cluster" id="c-{index}" data-representative="'
                        f'{e(kept)}" data-ids="{e(ids)}" data-kinds="{e(" ".join(kinds))}">'
                        f'<summary>cluster {index + 1:,}: kept <span class="id">{e(kept)}'
                        f"</span> <small>{len(cluster.members):,} duplicate"
                        f"{'s' if len(cluster.members) != 1 else ''}</small> {badges}"
                        f"</summary>{table}{''.join(pairs)}</details>", kept,
                        {"data-kinds": kinds})
        listing.finish()
        return listing

    def _write_ids(self) -> int:
        shards = min(_MAX_SHARDS, max(1, -(-len(self._ids) // _IDS_PER_SHARD)))
        grouped: dict[int, dict[str, list[list[object]]]] = {}
        for document_id, entries in self._ids.items():
            grouped.setdefault(id_shard(document_id, shards), {})[document_id] = entries
        for shard in sorted(grouped):
            self.write_page(f"ids-{shard:03d}.js",
                            f"dedupReport.ids({shard},{script_json(grouped[shard])});\n")
        return shards

    def _remove_stale(self) -> None:
        """Remove pages a previous, larger report in this folder left (never other files)."""
        written = set(self._written)
        for path in sorted(self._folder.iterdir()):
            if (f"{REPORT_DIR}/{path.name}" not in written and path.is_file()
                    and _OWN_FILE.fullmatch(path.name)):
                logger.debug("removing %s from an earlier report", path)
                path.unlink()
