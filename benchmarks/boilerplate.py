"""Score ``dedup.clean`` on the article-extraction benchmark, from page text alone.

Input: the full visible text of 181 real news pages (``page-text.json``, what a
naive scraper hands to dedup). Gold: the human-checked article body
(``ground-truth.json``). The metric is the benchmark's own (scrapinghub
article-extraction-benchmark, ``evaluate.py``), re-implemented here with the
same tokenisation and edge cases so our figures sit beside the published ones:

* tokens are ``\\w+`` runs (Unicode, case kept), shingles are word 4-grams
  counted with multiplicity; a text of fewer than 4 tokens gives one shorter
  shingle, an empty text none;
* per page, TP/FP/FN are summed over shingles and normalised to sum 1, so long
  pages weigh no more than short ones and repeated text costs precision;
* precision is averaged over pages with TP+FP > 0, recall over pages with
  TP+FN > 0, and F1 is computed from the two averages.

Run from the repository root (the worktree whose ``src/`` is scored)::

    PYTHONPATH=src python benchmarks/boilerplate.py
    PYTHONPATH=src python benchmarks/boilerplate.py --worst 15
    PYTHONPATH=src python benchmarks/boilerplate.py --json --min-f1 0.85 > before.json
    PYTHONPATH=src python benchmarks/boilerplate.py --baseline before.json

``--worst N`` is the error-analysis view: the N pages with the lowest F1, each
with the lines dedup kept that are not in gold (FP lines) and the gold lines
dedup removed (FN lines) with the rule id and detail of the removal.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
# Score the dedup of the worktree this script lives in, even without PYTHONPATH=src.
sys.path.insert(0, str(REPO_ROOT / "src"))

import dedup  # noqa: E402
from dedup.report import CleanResult, Removal  # noqa: E402

DEFAULT_PATH = REPO_ROOT.parent / "shared" / "corpora" / "article-extraction-benchmark"
DEFAULT_NEWS = REPO_ROOT.parent / "shared" / "corpora" / "bbc-news-raw"
SHINGLE_SIZE = 4

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
    id: str
    url: str
    text: str
    gold: str


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


@dataclass(frozen=True, slots=True, kw_only=True)
class Speed:
    """Throughput of ``dedup.clean`` on one text set, beside ftfy's on the same texts."""

    name: str
    documents: int
    size: int
    clean_mbs: float
    ftfy_mbs: float


def measure_speeds(sets: list[tuple[str, list[str]]], *, min_seconds: float) -> list[Speed]:
    """Time ``dedup.clean`` and ``ftfy.fix_text`` on each set, in this process, one after the other.

    ftfy is the peer measured side by side: every cleaner of scraped text runs it
    (``clean`` runs it only on lines that may need it), and the ratio of the two
    figures holds on a busy or slower machine where the MB/s do not.
    """
    import ftfy

    speeds: list[Speed] = []
    for name, texts in sets:
        if not texts:
            continue
        clean_mbs, size = throughput(texts, min_seconds=min_seconds)
        ftfy_mbs, _ = throughput(texts, min_seconds=min_seconds, function=ftfy.fix_text)
        speeds.append(Speed(name=name, documents=len(texts), size=size, clean_mbs=clean_mbs,
                            ftfy_mbs=ftfy_mbs))
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


def print_worst(pages: list[Page], results: list[CleanResult], scores: list[PageScore],
                raw_scores: list[PageScore], *, count: int, max_lines: int, width: int,
                ids: tuple[str, ...] = ()) -> None:
    """Print the ``count`` worst pages by F1, or the pages whose id starts with one of ``ids``."""
    if ids:
        order = [i for i, page in enumerate(pages) if page.id.startswith(ids)]
    else:
        order = sorted(range(len(pages)), key=lambda i: (scores[i].f1, pages[i].id))[:count]
    for rank, i in enumerate(order, 1):
        page, result, score = pages[i], results[i], scores[i]
        fp_lines, fn_lines = analyse_page(page, result)
        print()
        print(f"=== #{rank} {page.id[:16]}  F1 {score.f1:.3f} (raw {raw_scores[i].f1:.3f})  "
              f"P {score.precision:.3f}  R {score.recall:.3f}  {page.url}")
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


def recall_loss_by_rule(pages: list[Page], results: list[CleanResult]) -> Counter[str]:
    """Words of gold lines lost, over all pages, by the rule that removed them."""
    words: Counter[str] = Counter()
    for page, result in zip(pages, results, strict=True):
        _, fn_lines = analyse_page(page, result)
        for line in fn_lines:
            words[line.rule or "(unknown)"] += len(tokenize(line.text))
    return words


def print_baseline_diff(path: Path, pages: list[Page], scores: list[PageScore],
                        *, count: int) -> None:
    """Compare with an earlier ``--json`` run: the pages whose F1 moved most, both ways."""
    before = json.loads(path.read_text(encoding="utf-8"))["per_page"]
    moved = sorted(
        ((score.f1 - before[page.id]["f1"], score.recall - before[page.id]["recall"],
          score.precision - before[page.id]["precision"], page)
         for page, score in zip(pages, scores, strict=True) if page.id in before),
        key=lambda item: (item[0], item[3].id))
    worse = [item for item in moved if item[0] < -0.001]
    better = [item for item in moved if item[0] > 0.001]
    print()
    print(f"against {path}: {len(better)} pages better, {len(worse)} worse (|dF1| > 0.001)")
    for title, items in (("worse", worse[:count]), ("better", better[::-1][:count])):
        for delta, recall, precision, page in items:
            print(f"  {title:<6} dF1 {delta:+.3f}  dP {precision:+.3f}  dR {recall:+.3f}  "
                  f"{page.id[:16]}  {page.url}")


# --- report ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", type=Path, default=DEFAULT_PATH,
                        help="benchmark folder (default: ../shared/corpora/"
                             "article-extraction-benchmark beside the repository)")
    parser.add_argument("--seeds", type=Path, default=REPO_ROOT / "seeds",
                        help="the bundled seed documents, timed too (default: seeds/)")
    parser.add_argument("--news", type=Path, default=DEFAULT_NEWS,
                        help="typical news text for the throughput figure: the BBC News "
                             "corpus folder (default: ../shared/corpora/bbc-news-raw)")
    parser.add_argument("--news-limit", type=int, default=2225,
                        help="read at most this many news articles (default: all 2,225)")
    parser.add_argument("--worst", type=int, default=0, metavar="N",
                        help="print the N worst pages by F1 with their FP and FN lines")
    parser.add_argument("--page", action="append", default=[], metavar="ID",
                        help="print the FP/FN analysis of this page (an id prefix; repeatable)")
    parser.add_argument("--max-lines", type=int, default=40,
                        help="FP/FN lines shown per page with --worst (default 40)")
    parser.add_argument("--width", type=int, default=140, help="clip shown lines to this width")
    parser.add_argument("--by-rule", action="store_true",
                        help="also print gold words lost per removing rule over all pages")
    parser.add_argument("--baseline", type=Path, default=None, metavar="JSON",
                        help="an earlier --json output: list the pages whose F1 moved most")
    parser.add_argument("--json", action="store_true", help="print results as JSON only")
    parser.add_argument("--min-f1", type=float, default=None,
                        help="exit with status 1 when dedup.clean's F1 is below this floor")
    parser.add_argument("--min-seconds", type=float, default=1.0,
                        help="repeat timing runs until this many seconds were measured")
    args = parser.parse_args(argv)

    pages = load_pages(args.path)
    raw_scores = [score_page(p.gold, p.text) for p in pages]
    # Load and compile the phrase lists once before timing: a one-off start-up cost
    # (0.1 s here) is not throughput.
    dedup.clean(pages[0].text)
    results, _ = clean_all([p.text for p in pages])
    clean_scores = [score_page(p.gold, r.text) for p, r in zip(pages, results, strict=True)]
    raw, cleaned = aggregate(raw_scores), aggregate(clean_scores)

    seed_texts = [f.read_text(encoding="utf-8") for f in sorted(args.seeds.glob("*.txt"))]
    speeds = measure_speeds([
        ("news articles (BBC)", load_news(args.news, args.news_limit)),
        ("seeds/", seed_texts),
        ("benchmark pages", [p.text for p in pages]),
    ], min_seconds=args.min_seconds)
    page_bytes = sum(len(p.text.encode("utf-8")) for p in pages)

    raw_ok = abs(raw.f1 - EXPECTED_RAW_F1) < 0.0005
    if args.json:
        print(json.dumps({
            "dedup": str(Path(dedup.__file__).parent),
            "pages": len(pages),
            "rows": {
                "page text (raw)": vars_of(raw),
                "dedup.clean": vars_of(cleaned),
                **{name: {"f1": f1, "published": True} for name, f1 in PUBLISHED_F1},
            },
            "raw_f1_matches_published": raw_ok,
            "throughput": {
                speed.name: {"clean_mb_per_s": speed.clean_mbs, "ftfy_mb_per_s": speed.ftfy_mbs,
                             "documents": speed.documents, "bytes": speed.size}
                for speed in speeds},
            "per_page": {p.id: {"precision": s.precision, "recall": s.recall, "f1": s.f1,
                                "raw_f1": r.f1}
                         for p, s, r in zip(pages, clean_scores, raw_scores, strict=True)},
        }, indent=2))
    else:
        print(f"article-extraction-benchmark: {len(pages)} pages, {page_bytes / 1e6:.2f} MB "
              f"of page text; dedup from {Path(dedup.__file__).parent}")
        print()
        print(f"{'system':<34} {'precision':>9} {'recall':>9} {'F1':>7}")
        print("-" * 62)
        for name, s in (("page text (raw)", raw), ("dedup.clean", cleaned)):
            print(f"{name:<34} {s.precision:>9.3f} {s.recall:>9.3f} {s.f1:>7.3f}")
        for name, f1 in PUBLISHED_F1:
            print(f"{name:<34} {'-':>9} {'-':>9} {f1:>7.3f}")
        print()
        check = "matches" if raw_ok else "DOES NOT MATCH"
        print(f"raw page text F1 {raw.f1:.4f} {check} the published {EXPECTED_RAW_F1}")
        print()
        print(f"throughput on one core (CPU time, each timed over >= {args.min_seconds:g} s; "
              f"target {TARGET_MBS:g} MB/s on typical news text)")
        print(f"{'text':<22} {'docs':>6} {'MB':>6} {'dedup.clean':>12} {'ftfy.fix_text':>14} "
              f"{'clean/ftfy':>11}")
        print("-" * 76)
        for speed in speeds:
            print(f"{speed.name:<22} {speed.documents:>6} {speed.size / 1e6:>6.2f} "
                  f"{speed.clean_mbs:>7.2f} MB/s {speed.ftfy_mbs:>9.2f} MB/s "
                  f"{speed.clean_mbs / speed.ftfy_mbs:>10.2f}x")
        if args.by_rule:
            print()
            print("gold words lost, by the rule that removed them (all pages):")
            for rule, count in recall_loss_by_rule(pages, results).most_common():
                print(f"  {rule:<34} {count:>7}")
        if args.baseline is not None:
            print_baseline_diff(args.baseline, pages, clean_scores, count=10)
        if args.worst or args.page:
            print_worst(pages, results, clean_scores, raw_scores, count=args.worst,
                        max_lines=args.max_lines, width=args.width, ids=tuple(args.page))

    if args.min_f1 is not None and cleaned.f1 < args.min_f1:
        print(f"FAIL: dedup.clean F1 {cleaned.f1:.3f} < --min-f1 {args.min_f1}", file=sys.stderr)
        return 1
    return 0


def vars_of(scores: Scores) -> dict[str, float]:
    return {"precision": scores.precision, "recall": scores.recall, "f1": scores.f1}


if __name__ == "__main__":
    sys.exit(main())
