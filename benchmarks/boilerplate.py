"""Score ``dedup.clean`` on two sets of scraped pages with gold main text, from page text alone.

Articles (``--path``): the article-extraction benchmark, the full visible text of
181 real news pages (``page-text.json``, what a naive scraper hands to dedup) and
the human-checked article body (``ground-truth.json``).

Web pages (``--web-path``): web-pages-dev, 639 pages in two subsets,
``cleaneval-final`` (370 varied English pages, CleanEval 2007) and ``l3s-gn1``
(269 Google News article pages, L3S-GN1), read from ``pages.json.gz``: gzip of
``{"<subset>/<id>": {subset, page, gold, lang, url}}``, ``page`` one line per
HTML block. Scores are printed pooled, per subset, per language (``lang``; languages
with fewer than 5 pages together as ``other``, their counts listed) and per half:

* the split: a page is in ``tune`` when the last byte of ``sha1(id)`` is even,
  else in ``holdout`` (313 and 326 pages). Tune rules on one half, check that the
  other moves the same way; the split never changes with the code or the machine.

Both sets use the article benchmark's metric (scrapinghub
article-extraction-benchmark, ``evaluate.py``), re-implemented here with the same
tokenisation and edge cases so our figures sit beside the published ones:

* tokens are ``\\w+`` runs (Unicode, case kept), shingles are word 4-grams
  counted with multiplicity; a text of fewer than 4 tokens gives one shorter
  shingle, an empty text none;
* per page, TP/FP/FN are summed over shingles and normalised to sum 1, so long
  pages weigh no more than short ones and repeated text costs precision;
* precision is averaged over pages with TP+FP > 0, recall over pages with
  TP+FN > 0, and F1 is computed from the two averages ("pooled" = over all
  pages of the set).

The report ends with the issue's floors and targets, PASS or FAIL: article F1
>= 0.90, web-pages-dev pooled F1 >= 0.89, ``clean`` at >= 5 MB/s on BBC news and
>= 1.5 MB/s on web-pages-dev page text. Only ``--min-f1`` and ``--min-web-f1`` set
the exit status.

Run from the repository root (the worktree whose ``src/`` is scored)::

    python benchmarks/boilerplate.py
    python benchmarks/boilerplate.py --worst 15                 # both sets
    python benchmarks/boilerplate.py --set web --worst 10 --by-rule
    python benchmarks/boilerplate.py --page l3s-gn1/10abe0fd
    python benchmarks/boilerplate.py --json --min-f1 0.85 --min-web-f1 0.85 > before.json
    python benchmarks/boilerplate.py --baseline before.json

``--worst N`` is the error-analysis view: the N pages with the lowest F1 of each
set chosen by ``--set`` (``articles``, ``web`` or ``all``), each with the lines
dedup kept that are not in gold (FP lines) and the gold lines dedup removed (FN
lines) with the rule id and detail of the removal. ``--page``, ``--by-rule`` and
``--baseline`` follow ``--set`` too. ``--json`` holds one key per set
(``articles``, ``web``), and ``--baseline`` also reads the older articles-only
layout.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import multiprocessing
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

REPO_ROOT = Path(__file__).resolve().parents[1]
# Score the dedup of the worktree this script lives in, even without PYTHONPATH=src.
sys.path.insert(0, str(REPO_ROOT / "src"))

import dedup  # noqa: E402
import dedup.cleaning  # noqa: E402
from dedup.report import CleanResult, Removal  # noqa: E402

DEFAULT_PATH = REPO_ROOT.parent / "shared" / "corpora" / "article-extraction-benchmark"
DEFAULT_NEWS = REPO_ROOT.parent / "shared" / "corpora" / "bbc-news-raw"
DEFAULT_WEB_PATH = REPO_ROOT.parent / "shared" / "corpora" / "web-pages-dev"
WEB_FILE = "pages.json.gz"
SHINGLE_SIZE = 4

#: The two scored page sets, as ``--set`` names them.
SetName = Literal["articles", "web"]
#: The halves of web-pages-dev (see ``split_of``).
Split = Literal["tune", "holdout"]
SPLITS: tuple[Split, ...] = ("tune", "holdout")
#: Languages with fewer web pages than this are reported together under ``OTHER_LANGUAGES``.
MIN_LANGUAGE_PAGES = 5
OTHER_LANGUAGES = "other"

#: Quality floors of the boilerplate issue: F1 ``clean`` must reach on each set.
ARTICLE_FLOOR_F1 = 0.90
WEB_FLOOR_F1 = 0.89

#: F1 of extractors that read the HTML, as published by the benchmark (not measured here).
PUBLISHED_F1: tuple[tuple[str, float], ...] = (
    ("trafilatura (published, HTML)", 0.958),
    ("readability (published, HTML)", 0.922),
    ("jusText (published, HTML)", 0.804),
)
#: F1 the raw page text must reach if our metric matches the benchmark's.
EXPECTED_RAW_F1 = 0.665

_TOKEN = re.compile(r"\w+", re.UNICODE)

Shingle = tuple[str, ...]


# --- the benchmark's metric ------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PageScore:
    """Normalised TP/FP/FN shares of one page (they sum to 1, or are all 0)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fp == 0:
            return 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fn == 0:
            return 0.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Scores:
    precision: float
    recall: float
    f1: float


def tokenize(text: str) -> list[str]:
    """Split like the benchmark: ``\\w+`` runs, case kept."""
    return _TOKEN.findall(text or "")


def shingles(tokens: list[str], n: int = SHINGLE_SIZE) -> Counter[Shingle]:
    """Count word n-grams; fewer than n tokens give one short shingle, none give nothing."""
    counts: Counter[Shingle] = Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        shingle = tuple(tokens[i:i + n])
        if shingle:
            counts[shingle] += 1
    return counts


def score_page(gold: str, predicted: str) -> PageScore:
    """Compare shingle multisets of one page and normalise TP/FP/FN to sum 1."""
    true_counts = shingles(tokenize(gold))
    pred_counts = shingles(tokenize(predicted))
    tp = fp = fn = 0.0
    for key in true_counts.keys() | pred_counts.keys():
        t, p = true_counts.get(key, 0), pred_counts.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total > 0:
        tp, fp, fn = tp / total, fp / total, fn / total
    return PageScore(tp=tp, fp=fp, fn=fn)


def aggregate(pages: list[PageScore]) -> Scores:
    """Average precision and recall over pages (as the benchmark does), F1 from the averages."""
    precisions = [s.precision for s in pages if s.tp + s.fp > 0]
    recalls = [s.recall for s in pages if s.tp + s.fn > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision=precision, recall=recall, f1=f1)


# --- data and timing -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    """One scored page: its page text (what ``clean`` reads) and the gold main text.

    ``subset`` and ``lang`` are known for web-pages-dev only (empty for the articles).
    """

    id: str
    url: str
    text: str
    gold: str
    subset: str = ""
    lang: str = ""


def load_pages(path: Path) -> list[Page]:
    page_text = json.loads((path / "page-text.json").read_text(encoding="utf-8"))["output"]
    gold = json.loads((path / "ground-truth.json").read_text(encoding="utf-8"))
    if page_text.keys() != gold.keys():
        raise SystemExit(f"{path}: page-text.json and ground-truth.json have different ids")
    return [
        Page(id=key, url=gold[key].get("url", ""),
             text=page_text[key].get("articleBody", "") or "",
             gold=gold[key].get("articleBody", "") or "")
        for key in sorted(gold)
    ]


def load_web_pages(path: Path) -> list[Page]:
    """Read web-pages-dev (``pages.json.gz`` in ``path``, or that file itself), sorted by id.

    The file is gzip of one JSON object ``{"<subset>/<id>": {subset, page, gold, lang,
    url}}``. A page without a ``lang`` counts as ``"unknown"``.
    """
    file = path / WEB_FILE if path.is_dir() else path
    if not file.is_file():
        raise SystemExit(f"{file}: not found; point --web-path at the web-pages-dev folder")
    records = json.loads(gzip.decompress(file.read_bytes()).decode("utf-8"))
    return [
        Page(id=key, url=record.get("url", "") or "", text=record.get("page", "") or "",
             gold=record.get("gold", "") or "",
             subset=record.get("subset", "") or key.partition("/")[0],
             lang=record.get("lang", "") or "unknown")
        for key, record in sorted(records.items())
    ]


def split_of(page_id: str) -> Split:
    """Name the half of web-pages-dev a page belongs to: ``"tune"`` or ``"holdout"``.

    The parity of the last byte of the SHA-1 of the id decides, so the split is the
    same on every machine and run, and a page keeps its half when pages are added.

    >>> split_of("cleaneval-final/104") in ("tune", "holdout")
    True
    """
    return "tune" if hashlib.sha1(page_id.encode("utf-8")).digest()[-1] % 2 == 0 else "holdout"


def language_groups(langs: Sequence[str], *, min_pages: int) -> dict[str, str]:
    """Map each language to itself, or to ``OTHER_LANGUAGES`` when it has < ``min_pages`` pages."""
    counts = Counter(langs)
    return {lang: lang if count >= min_pages else OTHER_LANGUAGES
            for lang, count in counts.items()}


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupScores:
    """Raw and cleaned scores of the pages that share one label (a subset, language or half)."""

    label: str
    pages: int
    raw: Scores
    clean: Scores


def score_groups(labels: Sequence[str], raw_scores: Sequence[PageScore],
                 clean_scores: Sequence[PageScore], *,
                 order: Sequence[str] = ()) -> tuple[GroupScores, ...]:
    """Aggregate the pages of each label; labels in ``order`` first, then by page count."""
    members: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        members.setdefault(label, []).append(i)
    rest = sorted((label for label in members if label not in order),
                  key=lambda label: (-len(members[label]), label))
    return tuple(
        GroupScores(label=label, pages=len(members[label]),
                    raw=aggregate([raw_scores[i] for i in members[label]]),
                    clean=aggregate([clean_scores[i] for i in members[label]]))
        for label in (*(label for label in order if label in members), *rest))


def clean_all(texts: list[str]) -> tuple[list[CleanResult], float]:
    """Clean every text once, in this process; return results and CPU seconds spent in clean.

    CPU time of this process, not wall time: the figure is "MB/s on one core", and on
    a shared machine wall time also counts the time other jobs held the core.
    """
    results: list[CleanResult] = []
    start = time.process_time()
    for text in texts:
        results.append(dedup.clean(text))
    return results, time.process_time() - start


def _cpu_seconds(function: Callable[[str], object], texts: list[str]) -> float:
    start = time.process_time()
    for text in texts:
        function(text)
    return time.process_time() - start


def throughput(texts: list[str], *, min_seconds: float, measured: float = 0.0,
               function: Callable[[str], object] = dedup.clean) -> tuple[float, int]:
    """MB/s of UTF-8 input through ``function``, repeating the set until ``min_seconds`` pass.

    ``measured`` is the time of one run already made, so it is not repeated needlessly.
    """
    size = sum(len(t.encode("utf-8")) for t in texts)
    rounds = 1 if measured else 0
    elapsed = measured
    while elapsed < min_seconds or rounds == 0:
        elapsed += _cpu_seconds(function, texts)
        rounds += 1
    return size * rounds / 1e6 / elapsed if elapsed else float("inf"), size


#: The throughput target of issue 2, on typical news text.
TARGET_MBS = 5.0
#: The boilerplate issue's throughput target on whole web pages (web-pages-dev page text).
WEB_TARGET_MBS = 1.5


@dataclass(frozen=True, slots=True, kw_only=True)
class Speed:
    """Throughput of ``dedup.clean`` on one text set, beside ftfy's on the same texts."""

    name: str
    documents: int
    size: int
    clean_mbs: float
    ftfy_mbs: float
    #: The cleaner's Python source on the same texts, when this process runs it compiled.
    source_mbs: float | None = None


def _source_clean_mbs(texts: list[str], min_seconds: float) -> float:
    """:func:`throughput` of ``dedup.clean`` in a child whose dedup runs from source."""
    # One pass untimed first, as the parent cleaned every page before it timed any: the
    # phrase screens compile as lines need them (0.25 s over a process's first 300 BBC
    # articles), a start-up cost, not throughput.
    _cpu_seconds(dedup.clean, texts)
    return throughput(texts, min_seconds=min_seconds)[0]


@contextlib.contextmanager
def _pure_python_children() -> Iterator[None]:
    """Start child processes with ``DEDUP_PURE_PYTHON=1`` in their environment."""
    before = os.environ.get("DEDUP_PURE_PYTHON")
    os.environ["DEDUP_PURE_PYTHON"] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ["DEDUP_PURE_PYTHON"]
        else:
            os.environ["DEDUP_PURE_PYTHON"] = before


def measure_speeds(sets: list[tuple[str, list[str]]], *, min_seconds: float) -> list[Speed]:
    """Time ``dedup.clean`` and ``ftfy.fix_text`` on each set, in this process, one after the other.

    ftfy is the peer measured side by side: every cleaner of scraped text runs it
    (``clean`` runs it only on lines that may need it), and the ratio of the two
    figures holds on a busy or slower machine where the MB/s do not.
    """
    import ftfy

    speeds: list[Speed] = []
    compiled = dedup.cleaning.IMPLEMENTATION == "compiled"
    with contextlib.ExitStack() as stack:
        source = None
        if compiled:  # the same texts through the source, in a child that loads it
            stack.enter_context(_pure_python_children())
            source = stack.enter_context(
                multiprocessing.get_context("spawn").Pool(1, maxtasksperchild=None))
        for name, texts in sets:
            if not texts:
                continue
            clean_mbs, size = throughput(texts, min_seconds=min_seconds)
            ftfy_mbs, _ = throughput(texts, min_seconds=min_seconds, function=ftfy.fix_text)
            source_mbs = (None if source is None
                          else source.apply(_source_clean_mbs, (texts, min_seconds)))
            speeds.append(Speed(name=name, documents=len(texts), size=size,
                                clean_mbs=clean_mbs, ftfy_mbs=ftfy_mbs, source_mbs=source_mbs))
    return speeds


def load_news(path: Path, limit: int) -> list[str]:
    """Read up to ``limit`` BBC News articles (``bbc/<topic>/<n>.txt``), or none if absent.

    The files are mostly ASCII with a few Latin-1 bytes (a pound sign); those are
    decoded with replacement, as a scraper would.
    """
    files = sorted(path.glob("bbc/*/*.txt"))[:limit]
    return [f.read_bytes().decode("utf-8", errors="replace") for f in files]


# --- error analysis --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class LineReport:
    text: str
    coverage: float
    rule: str = ""
    detail: str = ""


def _ngram_sets(tokens: list[str]) -> dict[int, set[Shingle]]:
    return {n: {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}
            for n in range(1, SHINGLE_SIZE + 1)}


def _coverage(tokens: list[str], reference: dict[int, set[Shingle]]) -> float:
    """Share of a line's 4-grams (or of its one short shingle) found in the reference text."""
    if not tokens:
        return 1.0
    n = min(SHINGLE_SIZE, len(tokens))
    grams = [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return sum(g in reference[n] for g in grams) / len(grams)


def _rule_of_tokens(result: CleanResult, matches: list[tuple[int, str]],
                    line: str) -> tuple[str, str]:
    """Find ``line`` in the normalized text and name the removal covering most of its tokens.

    ``matches`` are the (offset, token) pairs of ``result.normalized``. Of all
    places the line occurs, the one with the most removed tokens is reported.
    """
    line_tokens = tokenize(line)
    if not line_tokens:
        return "", ""
    words = [m[1] for m in matches]
    k = len(line_tokens)
    first = line_tokens[0]
    occurrences = [i for i, w in enumerate(words) if w == first and words[i:i + k] == line_tokens]
    if not occurrences:
        return "(not in page text)", ""
    removals = sorted(result.removals, key=lambda r: r.start)
    best: tuple[int, str, str] = (0, "(kept)", "")
    for i in occurrences:
        votes: Counter[tuple[str, str]] = Counter()
        for start, _word in matches[i:i + k]:
            removal = _removal_at(removals, start)
            if removal is not None:
                votes[(removal.rule, removal.detail)] += 1
        if votes:
            (rule, detail), count = votes.most_common(1)[0]
            if count > best[0]:
                best = (count, rule, detail)
    return best[1], best[2]


def _removal_at(removals: list[Removal], offset: int) -> Removal | None:
    for removal in removals:
        if removal.start <= offset < removal.end:
            return removal
        if removal.start > offset:
            return None
    return None


def analyse_page(page: Page, result: CleanResult,
                 threshold: float = 0.5) -> tuple[list[LineReport], list[LineReport]]:
    """Return (FP lines kept but not in gold, FN gold lines missing from the output)."""
    gold_sets = _ngram_sets(tokenize(page.gold))
    kept_sets = _ngram_sets(tokenize(result.text))
    fp_lines: list[LineReport] = []
    for line in result.text.splitlines():
        tokens = tokenize(line)
        coverage = _coverage(tokens, gold_sets)
        if tokens and coverage < threshold:
            fp_lines.append(LineReport(text=line.strip(), coverage=coverage))
    fn_lines: list[LineReport] = []
    matches = [(m.start(), m.group()) for m in _TOKEN.finditer(result.normalized)]
    for line in page.gold.splitlines():
        tokens = tokenize(line)
        coverage = _coverage(tokens, kept_sets)
        if tokens and coverage < threshold:
            rule, detail = _rule_of_tokens(result, matches, line)
            fn_lines.append(LineReport(text=line.strip(), coverage=coverage,
                                       rule=rule, detail=detail))
    return fp_lines, fn_lines


_QUOTED_LINE = re.compile(r"""^(?:'.*'|".*") (on .*)$""")


def _reason(detail: str) -> str:
    """Drop the quoted line from a removal detail: the line is printed beside it."""
    found = _QUOTED_LINE.match(detail)
    return found.group(1) if found else detail


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _short_id(page_id: str) -> str:
    """Show readable ids whole (``l3s-gn1/123``), and the first 16 digits of a hash id."""
    return page_id if len(page_id) <= 24 else page_id[:16]


def print_worst(scored: ScoredSet, *, count: int, max_lines: int, width: int,
                ids: tuple[str, ...] = ()) -> None:
    """Print the ``count`` worst pages by F1, or the pages whose id starts with one of ``ids``."""
    pages, scores = scored.pages, scored.clean_scores
    if ids:
        order = [i for i, page in enumerate(pages) if page.id.startswith(ids)]
    else:
        order = sorted(range(len(pages)), key=lambda i: (scores[i].f1, pages[i].id))[:count]
    for rank, i in enumerate(order, 1):
        page, result, score = pages[i], scored.results[i], scores[i]
        fp_lines, fn_lines = analyse_page(page, result)
        language = f"  lang {page.lang}" if page.lang else ""
        print()
        print(f"=== {scored.name} #{rank} {_short_id(page.id)}  F1 {score.f1:.3f} "
              f"(raw {scored.raw_scores[i].f1:.3f})  P {score.precision:.3f}  "
              f"R {score.recall:.3f}{language}  {page.url}")
        removed = ", ".join(f"{rule} {chars}" for rule, chars in result.chars_by_rule().items())
        print(f"    chars: page {len(page.text)}, kept {len(result.text)}, gold {len(page.gold)};"
              f" removed by rule: {removed or 'nothing'}")
        print(f"  FP lines (kept, not in gold): {len(fp_lines)}")
        for line in fp_lines[:max_lines]:
            print(f"    + {_clip(line.text, width)}")
        if len(fp_lines) > max_lines:
            print(f"    … {len(fp_lines) - max_lines} more")
        print(f"  FN lines (gold, not kept): {len(fn_lines)}")
        for line in fn_lines[:max_lines]:
            detail = f" ({_clip(_reason(line.detail), 80)})" if line.detail else ""
            print(f"    - [{line.rule}]{detail} {_clip(line.text, width)}")
        if len(fn_lines) > max_lines:
            print(f"    … {len(fn_lines) - max_lines} more")


def recall_loss_by_rule(pages: Sequence[Page], results: Sequence[CleanResult]) -> Counter[str]:
    """Words of gold lines lost, over all pages, by the rule that removed them."""
    words: Counter[str] = Counter()
    for page, result in zip(pages, results, strict=True):
        _, fn_lines = analyse_page(page, result)
        for line in fn_lines:
            words[line.rule or "(unknown)"] += len(tokenize(line.text))
    return words


PerPage = dict[str, dict[str, float]]


def baseline_per_page(report: dict[str, object], name: SetName) -> PerPage | None:
    """The per-page scores of one set in an earlier ``--json`` report, or None if it has none.

    Reports made before web-pages-dev was scored hold the articles' scores at the top level.
    """
    section = report.get(name)
    if isinstance(section, dict) and isinstance(section.get("per_page"), dict):
        return section["per_page"]  # type: ignore[no-any-return]
    per_page = report.get("per_page")
    if name == "articles" and isinstance(per_page, dict):
        return per_page
    return None


def print_baseline_diff(before: PerPage, scored: ScoredSet, *, label: str, count: int) -> None:
    """Compare with an earlier ``--json`` run: the pages whose F1 moved most, both ways."""
    moved = sorted(
        ((score.f1 - before[page.id]["f1"], score.recall - before[page.id]["recall"],
          score.precision - before[page.id]["precision"], page)
         for page, score in zip(scored.pages, scored.clean_scores, strict=True)
         if page.id in before),
        key=lambda item: (item[0], item[3].id))
    worse = [item for item in moved if item[0] < -0.001]
    better = [item for item in moved if item[0] > 0.001]
    print()
    print(f"{scored.name} against {label}: {len(better)} pages better, {len(worse)} worse "
          f"(|dF1| > 0.001)")
    for title, items in (("worse", worse[:count]), ("better", better[::-1][:count])):
        for delta, recall, precision, page in items:
            print(f"  {title:<6} dF1 {delta:+.3f}  dP {precision:+.3f}  dR {recall:+.3f}  "
                  f"{_short_id(page.id)}  {page.url}")


# --- report ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoredSet:
    """One page set cleaned once and scored: per-page results and scores, and their averages."""

    name: SetName
    pages: tuple[Page, ...]
    results: tuple[CleanResult, ...]
    raw_scores: tuple[PageScore, ...]
    clean_scores: tuple[PageScore, ...]
    raw: Scores
    clean: Scores

    @property
    def size(self) -> int:
        """UTF-8 bytes of page text."""
        return sum(len(p.text.encode("utf-8")) for p in self.pages)


def score_set(name: SetName, pages: Sequence[Page]) -> ScoredSet:
    """Clean every page once and score the page text and the cleaned text against gold."""
    results, _ = clean_all([p.text for p in pages])
    raw_scores = tuple(score_page(p.gold, p.text) for p in pages)
    clean_scores = tuple(score_page(p.gold, r.text) for p, r in zip(pages, results, strict=True))
    return ScoredSet(name=name, pages=tuple(pages), results=tuple(results),
                     raw_scores=raw_scores, clean_scores=clean_scores,
                     raw=aggregate(list(raw_scores)), clean=aggregate(list(clean_scores)))


def web_breakdown(scored: ScoredSet) -> dict[str, tuple[GroupScores, ...]]:
    """Scores of web-pages-dev per subset, per language (rare ones grouped) and per half."""
    pages = scored.pages
    groups = language_groups([p.lang for p in pages], min_pages=MIN_LANGUAGE_PAGES)
    by_label = {
        "subset": [p.subset for p in pages],
        "lang": [groups[p.lang] for p in pages],
        "split": [split_of(p.id) for p in pages],
    }
    return {kind: score_groups(labels, scored.raw_scores, scored.clean_scores,
                               order=SPLITS if kind == "split" else ())
            for kind, labels in by_label.items()}


def grouped_languages(pages: Sequence[Page]) -> Counter[str]:
    """Page counts of the languages reported together as ``OTHER_LANGUAGES``."""
    groups = language_groups([p.lang for p in pages], min_pages=MIN_LANGUAGE_PAGES)
    return Counter(p.lang for p in pages if groups[p.lang] == OTHER_LANGUAGES)


@dataclass(frozen=True, slots=True, kw_only=True)
class Check:
    """One floor or target of the issue, against the figure measured in this run."""

    name: str
    value: float
    floor: float
    unit: Literal["F1", "MB/s"] = "F1"

    @property
    def passed(self) -> bool:
        return self.value >= self.floor


def issue_checks(articles: ScoredSet, web: ScoredSet, speeds: Sequence[Speed]) -> list[Check]:
    """The quality floors and throughput targets of the issue, with this run's figures."""
    checks = [Check(name="article benchmark F1", value=articles.clean.f1, floor=ARTICLE_FLOOR_F1),
              Check(name="web-pages-dev pooled F1", value=web.clean.f1, floor=WEB_FLOOR_F1)]
    targets = {NEWS_ROW: TARGET_MBS, WEB_ROW: WEB_TARGET_MBS}
    checks += [Check(name=f"throughput, {speed.name}", value=speed.clean_mbs,
                     floor=targets[speed.name], unit="MB/s")
               for speed in speeds if speed.name in targets]
    return checks


NEWS_ROW = "news articles (BBC)"
WEB_ROW = "web-pages-dev pages"
SYSTEM_HEADER = f"{'system':<34} {'precision':>9} {'recall':>9} {'F1':>7}"


def print_scores_table(rows: Sequence[tuple[str, Scores]]) -> None:
    print(SYSTEM_HEADER)
    print("-" * 62)
    for name, s in rows:
        print(f"{name:<34} {s.precision:>9.3f} {s.recall:>9.3f} {s.f1:>7.3f}")


def print_web(web: ScoredSet) -> None:
    """Pooled scores of web-pages-dev, then per subset, language and half."""
    subsets = ", ".join(sorted({p.subset for p in web.pages}))
    print(f"web-pages-dev: {len(web.pages)} pages ({subsets}), {web.size / 1e6:.2f} MB "
          f"of page text")
    print()
    print_scores_table((("page text (raw)", web.raw), ("dedup.clean", web.clean)))
    print()
    print(f"{'pages':<28} {'count':>5} {'raw P':>7} {'raw R':>7} {'raw F1':>7}   "
          f"{'clean P':>7} {'clean R':>7} {'clean F1':>8}")
    print("-" * 86)
    pooled = GroupScores(label="all", pages=len(web.pages), raw=web.raw, clean=web.clean)
    rows = [("pooled", pooled)] + [
        (f"{kind} {group.label}", group)
        for kind, groups in web_breakdown(web).items() for group in groups]
    for name, group in rows:
        raw, clean = group.raw, group.clean
        print(f"{name:<28} {group.pages:>5} {raw.precision:>7.3f} {raw.recall:>7.3f} "
              f"{raw.f1:>7.3f}   {clean.precision:>7.3f} {clean.recall:>7.3f} {clean.f1:>8.3f}")
    other = grouped_languages(web.pages)
    if other:
        listed = ", ".join(f"{lang} {count}" for lang, count in sorted(other.items()))
        print(f"  lang {OTHER_LANGUAGES} = fewer than {MIN_LANGUAGE_PAGES} pages each: {listed}")
    print("  split: sha1(page id), last byte even = tune, odd = holdout; tune on one half, "
          "check the other")


def print_checks(checks: Sequence[Check]) -> None:
    print("floors and targets of the issue")
    for check in checks:
        if check.unit == "MB/s":
            value, floor = f"{check.value:.2f} MB/s", f"{check.floor:g} MB/s"
        else:
            value, floor = f"{check.value:.3f}", f"{check.floor:.2f}"
        verdict = "PASS" if check.passed else "FAIL"
        print(f"  {check.name:<34} {value:>11} >= {floor:<9} {verdict}")


def print_speeds(speeds: Sequence[Speed], *, min_seconds: float) -> None:
    print(f"throughput on one core (CPU time, each timed over >= {min_seconds:g} s; "
          f"targets {TARGET_MBS:g} MB/s on typical news text, {WEB_TARGET_MBS:g} MB/s on "
          f"web pages)")
    build = dedup.cleaning.IMPLEMENTATION
    print(f"dedup.clean runs {build}" + (
        " (mypyc); 'source' is the same texts through its Python source, in a child process "
        "with DEDUP_PURE_PYTHON=1" if build == "compiled"
        else " from source: no compiled build to time beside it (docs/compiled-cleaner.md)"))
    sourced = any(speed.source_mbs is not None for speed in speeds)
    extra = f" {'source':>12} {'compiled/src':>12}" if sourced else ""
    print(f"{'text':<22} {'docs':>6} {'MB':>6} {'dedup.clean':>12} {'ftfy.fix_text':>14} "
          f"{'clean/ftfy':>11}{extra}")
    print("-" * (76 + len(extra)))
    for speed in speeds:
        row = (f"{speed.name:<22} {speed.documents:>6} {speed.size / 1e6:>6.2f} "
               f"{speed.clean_mbs:>7.2f} MB/s {speed.ftfy_mbs:>9.2f} MB/s "
               f"{speed.clean_mbs / speed.ftfy_mbs:>10.2f}x")
        if speed.source_mbs is not None:
            row += (f" {speed.source_mbs:>7.2f} MB/s "
                    f"{speed.clean_mbs / speed.source_mbs:>11.2f}x")
        print(row)


def json_report(articles: ScoredSet, web: ScoredSet, speeds: Sequence[Speed],
                checks: Sequence[Check], *, raw_ok: bool) -> dict[str, object]:
    """Everything the text report shows, one key per page set (``articles``, ``web``)."""
    def per_page(scored: ScoredSet) -> dict[str, dict[str, object]]:
        pages: dict[str, dict[str, object]] = {}
        for page, s, r in zip(scored.pages, scored.clean_scores, scored.raw_scores, strict=True):
            entry: dict[str, object] = {"precision": s.precision, "recall": s.recall,
                                        "f1": s.f1, "raw_f1": r.f1}
            if scored.name == "web":
                entry.update(subset=page.subset, lang=page.lang, split=split_of(page.id))
            pages[page.id] = entry
        return pages

    def group(g: GroupScores) -> dict[str, object]:
        return {"pages": g.pages, "page text (raw)": vars_of(g.raw),
                "dedup.clean": vars_of(g.clean)}

    return {
        "dedup": str(Path(dedup.__file__).parent),
        "articles": {
            "pages": len(articles.pages),
            "rows": {
                "page text (raw)": vars_of(articles.raw),
                "dedup.clean": vars_of(articles.clean),
                **{name: {"f1": f1, "published": True} for name, f1 in PUBLISHED_F1},
            },
            "raw_f1_matches_published": raw_ok,
            "per_page": per_page(articles),
        },
        "web": {
            "pages": len(web.pages),
            "rows": {"page text (raw)": vars_of(web.raw), "dedup.clean": vars_of(web.clean)},
            "groups": {kind: {g.label: group(g) for g in groups}
                       for kind, groups in web_breakdown(web).items()},
            "other_languages": dict(sorted(grouped_languages(web.pages).items())),
            "per_page": per_page(web),
        },
        "checks": {c.name: {"value": c.value, "floor": c.floor, "passed": c.passed}
                   for c in checks},
        "throughput": {
            speed.name: {"clean_mb_per_s": speed.clean_mbs, "ftfy_mb_per_s": speed.ftfy_mbs,
                         "source_mb_per_s": speed.source_mbs,
                         "documents": speed.documents, "bytes": speed.size}
            for speed in speeds},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", type=Path, default=DEFAULT_PATH,
                        help="benchmark folder (default: ../shared/corpora/"
                             "article-extraction-benchmark beside the repository)")
    parser.add_argument("--web-path", type=Path, default=DEFAULT_WEB_PATH,
                        help="web-pages-dev folder holding pages.json.gz, or the file itself "
                             "(default: ../shared/corpora/web-pages-dev)")
    parser.add_argument("--seeds", type=Path, default=REPO_ROOT / "seeds",
                        help="the bundled seed documents, timed too (default: seeds/)")
    parser.add_argument("--news", type=Path, default=DEFAULT_NEWS,
                        help="typical news text for the throughput figure: the BBC News "
                             "corpus folder (default: ../shared/corpora/bbc-news-raw)")
    parser.add_argument("--news-limit", type=int, default=2225,
                        help="read at most this many news articles (default: all 2,225)")
    parser.add_argument("--set", dest="analysed", choices=("articles", "web", "all"),
                        default="all",
                        help="page set(s) that --worst, --page, --by-rule and --baseline "
                             "look at (default: all)")
    parser.add_argument("--worst", type=int, default=0, metavar="N",
                        help="print the N worst pages by F1 of each --set with their FP and "
                             "FN lines")
    parser.add_argument("--page", action="append", default=[], metavar="ID",
                        help="print the FP/FN analysis of this page (an id prefix, e.g. "
                             "ba4dfe2d or l3s-gn1/12; repeatable)")
    parser.add_argument("--max-lines", type=int, default=40,
                        help="FP/FN lines shown per page with --worst (default 40)")
    parser.add_argument("--width", type=int, default=140, help="clip shown lines to this width")
    parser.add_argument("--by-rule", action="store_true",
                        help="also print gold words lost per removing rule over all pages")
    parser.add_argument("--baseline", type=Path, default=None, metavar="JSON",
                        help="an earlier --json output: list the pages whose F1 moved most")
    parser.add_argument("--json", action="store_true", help="print results as JSON only")
    parser.add_argument("--min-f1", type=float, default=None,
                        help="exit with status 1 when dedup.clean's F1 on the article "
                             f"benchmark is below this floor (the issue's: {ARTICLE_FLOOR_F1})")
    parser.add_argument("--min-web-f1", type=float, default=None,
                        help="exit with status 1 when dedup.clean's pooled F1 on "
                             f"web-pages-dev is below this floor (the issue's: {WEB_FLOOR_F1})")
    parser.add_argument("--min-seconds", type=float, default=1.0,
                        help="repeat timing runs until this many seconds were measured")
    args = parser.parse_args(argv)

    article_pages = load_pages(args.path)
    web_pages = load_web_pages(args.web_path)
    # Load and compile the phrase lists once before timing: a one-off start-up cost
    # (0.1 s here) is not throughput.
    dedup.clean(article_pages[0].text)
    articles = score_set("articles", article_pages)
    web = score_set("web", web_pages)

    seed_texts = [f.read_text(encoding="utf-8") for f in sorted(args.seeds.glob("*.txt"))]
    speeds = measure_speeds([
        (NEWS_ROW, load_news(args.news, args.news_limit)),
        ("seeds/", seed_texts),
        ("benchmark pages", [p.text for p in article_pages]),
        (WEB_ROW, [p.text for p in web_pages]),
    ], min_seconds=args.min_seconds)
    checks = issue_checks(articles, web, speeds)

    raw_ok = abs(articles.raw.f1 - EXPECTED_RAW_F1) < 0.0005
    analysed = [s for s in (articles, web) if args.analysed in ("all", s.name)]
    if args.json:
        print(json.dumps(json_report(articles, web, speeds, checks, raw_ok=raw_ok), indent=2))
    else:
        print(f"article-extraction-benchmark: {len(articles.pages)} pages, "
              f"{articles.size / 1e6:.2f} MB of page text; dedup from "
              f"{Path(dedup.__file__).parent}")
        print()
        print_scores_table((("page text (raw)", articles.raw), ("dedup.clean", articles.clean)))
        for name, f1 in PUBLISHED_F1:
            print(f"{name:<34} {'-':>9} {'-':>9} {f1:>7.3f}")
        print()
        check = "matches" if raw_ok else "DOES NOT MATCH"
        print(f"raw page text F1 {articles.raw.f1:.4f} {check} the published {EXPECTED_RAW_F1}")
        print()
        print_web(web)
        print()
        print_speeds(speeds, min_seconds=args.min_seconds)
        print()
        print_checks(checks)
        if args.by_rule:
            for scored in analysed:
                print()
                print(f"{scored.name}: gold words lost, by the rule that removed them "
                      f"(all {len(scored.pages)} pages):")
                for rule, count in recall_loss_by_rule(scored.pages,
                                                       scored.results).most_common():
                    print(f"  {rule:<34} {count:>7}")
        if args.baseline is not None:
            report = json.loads(args.baseline.read_text(encoding="utf-8"))
            for scored in analysed:
                before = baseline_per_page(report, scored.name)
                if before is None:
                    print()
                    print(f"{scored.name}: {args.baseline} holds no per-page scores of this set")
                else:
                    print_baseline_diff(before, scored, label=str(args.baseline), count=10)
        if args.worst or args.page:
            for scored in analysed:
                print_worst(scored, count=args.worst, max_lines=args.max_lines,
                            width=args.width, ids=tuple(args.page))

    status = 0
    for floor, value, option in ((args.min_f1, articles.clean.f1, "--min-f1"),
                                 (args.min_web_f1, web.clean.f1, "--min-web-f1")):
        if floor is not None and value < floor:
            print(f"FAIL: dedup.clean F1 {value:.3f} < {option} {floor}", file=sys.stderr)
            status = 1
    return status


def vars_of(scores: Scores) -> dict[str, float]:
    return {"precision": scores.precision, "recall": scores.recall, "f1": scores.f1}


if __name__ == "__main__":
    sys.exit(main())
