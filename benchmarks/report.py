"""Report benchmark: size and Chromium load time of ``report.html`` on Reuters and at 100,000.

Run from the repository root (needs a Chromium or Chrome binary)::

    PYTHONPATH=src nice python benchmarks/report.py
    PYTHONPATH=src nice python benchmarks/report.py --work /tmp/reportbench --reuse
    PYTHONPATH=src nice python benchmarks/report.py --reuters-run OUT  # an existing run folder

Two corpora, as JSONL files in ``--work`` (a new temporary folder by default):

* Reuters-21578 (``--corpora``, see ``../shared/corpora/reuters21578/SOURCE.txt``),
  title and body per story.
* ``--documents`` (100,000) documents built from it by ``benchmarks/spark.py``'s
  seeded builder: Reuters stories with shuffled sentences and 20% of their
  words replaced, 5% exact and 5% near copies of earlier documents, unique ids.

Each is run through ``dedup.run`` with the default ``RunConfig`` (``--reuse``
keeps a run folder that already has a report; ``--reuters-run`` and
``--synthetic-run`` name existing run folders). Then, per corpus: the entry
page's size, the whole report's (``report.html`` and ``report/``), its pages
and files, and load times in headless Chromium driven over the DevTools
protocol (``tests/corpus/chromium.py``): DOMContentLoaded and load from the
navigation timing, and the wall time from navigating to the load event, the
median of ``--repeat`` loads, for the entry page and for the largest page of
``report/``. The acceptance for Reuters is an entry page of at most 5 MB that
loads in at most 3 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks and tests helpers
from benchmarks.corpora import DEFAULT_CORPORA, load_reuters
from benchmarks.spark import synthetic_rows, write_parts
from tests.corpus.chromium import Chromium, find_chromium

import dedup

ENTRY_LIMIT_BYTES = 5 * 1024 * 1024
LOAD_LIMIT_SECONDS = 3.0


@dataclass(frozen=True)
class Load:
    """Median milliseconds of one page's loads."""

    dom_content_loaded: float
    load: float
    wall: float


@dataclass(frozen=True)
class Measured:
    corpus: str
    documents: int
    run_seconds: float | None
    entry_bytes: int
    total_bytes: int
    pages: int
    files: int
    entry: Load
    largest_page: str
    largest_bytes: int
    largest: Load


def _load(browser: Chromium, page: Path, repeat: int) -> Load:
    browser.open("about:blank")
    samples = []
    for _ in range(repeat):
        wall = browser.open(page.as_uri())
        timing = browser.navigation_timing()
        samples.append((timing["dom_content_loaded"], timing["load"], 1000 * wall))
        browser.open("about:blank")
    return Load(*(statistics.median(column) for column in zip(*samples, strict=True)))


def measure(name: str, out: Path, documents: int, run_seconds: float | None, binary: str,
            repeat: int, work: Path) -> Measured:
    entry = out / "report.html"
    files = [entry, *sorted(p for p in (out / "report").rglob("*") if p.is_file())]
    pages = [p for p in files[1:] if p.suffix == ".html"]
    largest = max(pages, key=lambda p: p.stat().st_size) if pages else entry
    with Chromium(binary, Path(tempfile.mkdtemp(dir=work, prefix="profile-"))) as browser:
        entry_load = _load(browser, entry, repeat)
        largest_load = _load(browser, largest, repeat)
    return Measured(corpus=name, documents=documents, run_seconds=run_seconds,
                    entry_bytes=entry.stat().st_size,
                    total_bytes=sum(p.stat().st_size for p in files), pages=len(pages) + 1,
                    files=len(files), entry=entry_load, largest_page=largest.name,
                    largest_bytes=largest.stat().st_size, largest=largest_load)


def ensure_run(folder: Path, out: Path, *, reuse: bool, workers: int) -> float | None:
    """Run ``dedup.run`` into ``out`` (or keep a finished run there); return its seconds."""
    if reuse and (out / "report.html").exists():
        print(f"reusing the run in {out}", flush=True)
        return None
    started = time.perf_counter()
    dedup.run([folder], out=out, workers=workers, overwrite=True)
    seconds = time.perf_counter() - started
    print(f"ran dedup.run on {folder} in {seconds:.1f} s", flush=True)
    return seconds


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.2f} MB"


def table(rows: Sequence[Measured]) -> str:
    lines = [f"{'corpus':<22}{'documents':>11}{'run s':>8}{'entry':>11}{'report':>12}"
             f"{'pages':>7}{'files':>7}  {'entry DCL/load/wall ms':>24}  largest page "
             "(size, DCL/load/wall ms)"]
    for row in rows:
        run = f"{row.run_seconds:.0f}" if row.run_seconds is not None else "-"
        lines.append(
            f"{row.corpus:<22}{row.documents:>11,}{run:>8}{_mb(row.entry_bytes):>11}"
            f"{_mb(row.total_bytes):>12}{row.pages:>7,}{row.files:>7,}  "
            f"{row.entry.dom_content_loaded:>7.0f}/{row.entry.load:>6.0f}/{row.entry.wall:>7.0f}"
            f"    {row.largest_page} ({_mb(row.largest_bytes)}, "
            f"{row.largest.dom_content_loaded:.0f}/{row.largest.load:.0f}/"
            f"{row.largest.wall:.0f})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA / "reuters21578",
                        help="the Reuters-21578 folder (default: %(default)s)")
    parser.add_argument("--work", type=Path, help="folder for corpora and runs "
                        "(default: a new temporary folder)")
    parser.add_argument("--documents", type=int, default=100_000,
                        help="size of the corpus built from Reuters (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="its seed (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=2, help="dedup.run workers "
                        "(default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="loads per page, the median "
                        "is shown (default: %(default)s)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep run folders in --work that already hold a report")
    parser.add_argument("--reuters-run", type=Path, help="an existing run folder for Reuters")
    parser.add_argument("--synthetic-run", type=Path,
                        help="an existing run folder for the built corpus")
    args = parser.parse_args(argv)
    binary = find_chromium()
    if binary is None:
        print("no Chromium or Chrome binary found", file=sys.stderr)
        return 2
    work = args.work or Path(tempfile.mkdtemp(prefix="dedup-report-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    stories = load_reuters(args.corpora)
    rows = []

    reuters_out = args.reuters_run
    reuters_seconds = None
    if reuters_out is None:
        folder = write_parts(({"id": i, "text": t} for i, t in stories), work / "reuters",
                             len(stories))
        reuters_out = work / "run-reuters"
        reuters_seconds = ensure_run(folder, reuters_out, reuse=args.reuse, workers=args.workers)
    rows.append(measure("Reuters-21578", reuters_out, len(stories), reuters_seconds, binary,
                        args.repeat, work))

    synthetic_out = args.synthetic_run
    synthetic_seconds = None
    if synthetic_out is None:
        folder = write_parts(synthetic_rows(stories, args.documents, args.seed),
                             work / f"synthetic-{args.documents}-seed{args.seed}",
                             args.documents)
        synthetic_out = work / f"run-synthetic-{args.documents}"
        synthetic_seconds = ensure_run(folder, synthetic_out, reuse=args.reuse,
                                       workers=args.workers)
    rows.append(measure("built from Reuters", synthetic_out, args.documents,
                        synthetic_seconds, binary, args.repeat, work))

    print()
    print(table(rows))
    reuters = rows[0]
    ok = (reuters.entry_bytes <= ENTRY_LIMIT_BYTES
          and max(reuters.entry.load, reuters.entry.wall) <= 1000 * LOAD_LIMIT_SECONDS)
    print(f"\nReuters entry page {_mb(reuters.entry_bytes)} (limit 5 MB), loaded in "
          f"{max(reuters.entry.load, reuters.entry.wall) / 1000:.2f} s (limit 3 s): "
          f"{'met' if ok else 'NOT met'}")
    print(f"work folder: {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
