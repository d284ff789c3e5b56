"""Held-out news pages in many languages: newspaper4k's test pages (HTML + its article text).

newspaper4k (Apache-2.0) ships, in its source distribution, about 30 saved news pages
(``tests/data/html``) and the article text its extractor is tested against
(``tests/data/txt``): Arabic, Burmese, Chinese, English, Japanese, Latvian, Spanish,
Thai and more. Never tuned on: a check that ``clean`` generalises to layouts and
languages our two benchmark sets do not hold. Page text is the visible text, one line per
HTML block (``local_docs.convert``, as web-pages-dev's ``page``); scored with the article
benchmark's metric (``boilerplate.score_page``) beside the raw page text. The pages whose
HTML has no expected text (site front pages, RSS, redirects) are skipped.

Fetch the data outside the repository (the package is not installed, only unpacked)::

    mkdir -p /work/notes/np4k-src && cd /work/notes/np4k-src
    pip download newspaper4k==0.9.6 --no-binary :all: --no-deps -d .
    tar xzf newspaper4k-0.9.6.tar.gz

Usage (from the repository root)::

    python benchmarks/news_pages.py --path /work/notes/np4k-src/newspaper4k-0.9.6/tests/data
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import dedup  # noqa: E402
from boilerplate import PageScore, aggregate, score_page  # noqa: E402
from local_docs import convert  # noqa: E402


def pages(root: Path) -> list[tuple[str, str, str]]:
    """``(name, page text, expected article text)`` for every page that has both files."""
    found = []
    for expected in sorted((root / "txt").glob("*.txt")):
        source = root / "html" / f"{expected.stem}.html"
        if source.exists():
            page, _ = convert(str(source))
            found.append((expected.stem, page, expected.read_text(encoding="utf-8")))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--path", type=Path, required=True,
                        help="newspaper4k's tests/data folder (holding html/ and txt/)")
    args = parser.parse_args(argv)
    found = pages(args.path)
    if not found:
        print(f"no html/*.html with a txt/*.txt beside it under {args.path}")
        return 1
    print(f"newspaper4k test pages: {len(found)} with expected text, from {args.path}")
    print(f"  {'page':24s} {'raw P':>6s} {'raw R':>6s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    raw_scores: list[PageScore] = []
    clean_scores: list[PageScore] = []
    for name, page, gold in found:
        raw, cleaned = score_page(gold, page), score_page(gold, dedup.clean(page).text)
        raw_scores.append(raw)
        clean_scores.append(cleaned)
        one = aggregate([cleaned])
        print(f"  {name:24s} {raw.precision or 0:6.3f} {raw.recall or 0:6.3f}"
              f" {cleaned.precision or 0:6.3f} {cleaned.recall or 0:6.3f} {one.f1:6.3f}")
    for label, scores in (("page text (raw)", raw_scores), ("dedup.clean", clean_scores)):
        pooled = aggregate(scores)
        print(f"  {label:24s} P {pooled.precision:.3f}  R {pooled.recall:.3f}  F1 {pooled.f1:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
