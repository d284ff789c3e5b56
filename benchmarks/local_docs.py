"""Do-no-harm check on documentation and mail this machine ships (held out: not tuned on).

Two sets, both read in place (never copied):

* **Docs pages** (``--rust-docs``, default the stable Rust toolchain's
  ``share/doc/rust/html``): HTML pages of the Rust book, reference, Rust by
  Example (English, es, ja, ko, zh), error index, std API and others, a seeded
  sample; and (``--node-docs``, default ``/usr/share/doc/nodejs/api``) the
  Node.js API reference, another generator's layout. Page text is the visible
  text, one line per HTML block (as web-pages-dev's ``page``); the gold is
  mdBook's ``<main>`` without its page navigation, rustdoc's ``#main-content``
  or Node's ``#apicontent``. Scored with the article benchmark's metric
  (``boilerplate.score_page``) beside the raw page text, pooled, per book and per
  half (``sha1(path)`` last byte even: tune).
* **Local text** (``--local``): plain-text documentation with no boilerplate at
  all (package ``METADATA`` descriptions of this environment, ``/usr/share/doc``
  READMEs, NEWS and changelogs, ``pydoc`` pages of the standard library) and the
  standard library's e-mail test messages. There is no gold: everything is
  content, so the figure is the share of words ``clean`` keeps (mean, p5, share
  of documents losing more than 10%), with the worst documents and the rules
  that removed their text.

Usage (from the repository root)::

    PYTHONPATH=src python benchmarks/local_docs.py [--pages 240] [--worst 15]
"""

from __future__ import annotations

import argparse
import collections
import glob
import gzip
import hashlib
import html.parser
import importlib
import os
import pydoc
import random
import re
import sys
import warnings
from pathlib import Path

import dedup
from boilerplate import aggregate, score_page

DEFAULT_RUST_DOCS = (Path.home() / ".rustup" / "toolchains" / "stable-x86_64-unknown-linux-gnu"
                     / "share" / "doc" / "rust" / "html")
_SUBSETS = ("book", "reference", "rust-by-example", "cargo", "nomicon", "edition-guide", "rustc",
            "error_codes", "std/collections", "std/vec", "std/string", "embedded-book", "rustdoc",
            "clippy")
#: Elements that start and end a line of page text.
_BLOCK = frozenset({
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr", "br", "section", "nav",
    "header", "footer", "main", "article", "dt", "dd", "blockquote", "table", "ul", "ol",
    "summary", "details", "aside", "hr", "form", "body", "title", "figcaption", "button"})
#: Elements whose text is never shown.
_HIDDEN = frozenset({"script", "style", "noscript", "template", "svg", "head"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "area", "base", "col",
                   "source"})


class _PageText(html.parser.HTMLParser):
    """Visible text as ``(text, in_gold)`` pieces; line breaks at block elements."""

    def __init__(self, gold_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.gold_id = gold_id
        self.stack: list[str] = []
        self.pieces: list[tuple[str, bool]] = []
        self.hidden = self.pre = 0
        self.gold_depth: int | None = None
        self.nav_depth: int | None = None

    def _in_gold(self) -> bool:
        return self.gold_depth is not None and self.nav_depth is None

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag in _BLOCK:
                self.pieces.append(("\n", self._in_gold()))
            return
        self.stack.append(tag)
        depth = len(self.stack)
        self.hidden += tag in _HIDDEN
        self.pre += tag == "pre"
        is_gold = dict(attrs).get("id") == self.gold_id if self.gold_id else tag == "main"
        if self.gold_depth is None and is_gold:
            self.gold_depth = depth
        elif self.gold_depth is not None and self.nav_depth is None and tag == "nav":
            self.nav_depth = depth  # mdBook's previous/next links inside <main>
        if tag in _BLOCK:
            self.pieces.append(("\n", self._in_gold()))

    def handle_endtag(self, tag):
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:
            closed = self.stack.pop()
            depth = len(self.stack) + 1
            if closed in _BLOCK:
                self.pieces.append(("\n", self._in_gold()))
            self.hidden -= closed in _HIDDEN
            self.pre -= closed == "pre"
            if self.nav_depth == depth:
                self.nav_depth = None
            if self.gold_depth == depth:
                self.gold_depth = None
            if closed == tag:
                break

    def handle_data(self, data):
        if not self.hidden:
            self.pieces.append((data if self.pre else re.sub(r"\s+", " ", data), self._in_gold()))


def _lines(pieces: list[str]) -> str:
    # Collapsed whitespace leaves one leading space; code in <pre> keeps its indent.
    lines = ("".join(pieces)).split("\n")
    lines = [(line[1:] if line.startswith(" ") and not line.startswith("  ") else line).rstrip()
             for line in lines]
    return "\n".join(line for line in lines if line.strip())


def convert(path: str) -> tuple[str, str]:
    """Return an HTML page's text, one line per block, and the text of its main content.

    The main content is rustdoc's ``#main-content``, Node.js's ``#apicontent``,
    else mdBook's ``<main>``.
    """
    source = Path(path).read_text(encoding="utf-8", errors="replace")
    gold_id = next((name for name in ("main-content", "apicontent")
                    if f'id="{name}"' in source), None)
    parser = _PageText(gold_id)
    parser.feed(source)
    parser.close()
    page = _lines([text for text, _ in parser.pieces])
    gold = _lines([text if gold or text == "\n" else "" for text, gold in parser.pieces])
    return page, gold


#: Where the pages of each documentation set are, below its root.
RUST_PAGES = tuple(f"{subset}/**/*.html" for subset in _SUBSETS)
NODE_PAGES = ("*.html",)


def sample(root: Path, n: int = 240, seed: int = 6, patterns: tuple[str, ...] = RUST_PAGES
           ) -> list[tuple[str, str, str]]:
    """A seeded sample of ``n`` pages with at least 200 characters of gold."""
    files: list[str] = []
    for pattern in patterns:
        files += sorted(glob.glob(f"{root}/{pattern}", recursive=True))
    files = [f for f in files if not re.search(r"print\.html|toc\.html|404|SUMMARY", f)]
    random.Random(seed).shuffle(files)
    found = []
    for path in files:
        page, gold = convert(path)
        if len(gold) < 200 or len(page) > 300_000:
            continue
        found.append((path[len(str(root)) + 1:], page, gold))
        if len(found) >= n:
            break
    return found


def _words(text):
    return re.findall(r"\w+", text.lower())


def kept_share(reference, cleaned):
    """Share of ``reference``'s words (with multiplicity) still in ``cleaned``."""
    left = collections.Counter(_words(cleaned))
    words = _words(reference)
    kept = 0
    for word in words:
        if left[word] > 0:
            left[word] -= 1
            kept += 1
    return kept / max(1, len(words))


def docs_pages(root, n, worst, patterns=RUST_PAGES):
    docs = sample(root, n, patterns=patterns)
    if not docs:
        print(f"docs pages: none under {root}; skipped")
        return
    by = collections.defaultdict(list)
    raw, shares, lows = [], [], []
    for name, page, gold in docs:
        result = dedup.clean(page)
        half = "tune" if hashlib.sha1(name.encode()).digest()[-1] % 2 == 0 else "holdout"
        score = score_page(gold, result.text)
        for key in ("pooled", half, *name.split("/")[:1 if "/" in name else 0]):
            by[key].append(score)
        raw.append(score_page(gold, page))
        share = kept_share(gold, result.text)
        shares.append(share)
        rules = collections.Counter(r.rule for r in result.removals).most_common(3)
        lows.append((share, name, rules))
    print(f"docs pages ({len(docs)} from {root})")
    print(f"  {'set':18s} {'n':>4s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    a = aggregate(raw)
    print(f"  {'raw page text':18s} {len(raw):4d} {a.precision:6.3f} {a.recall:6.3f} {a.f1:6.3f}")
    for key in sorted(by, key=lambda k: (-len(by[k]), k)):
        a = aggregate(by[key])
        print(f"  {key:18s} {len(by[key]):4d} {a.precision:6.3f} {a.recall:6.3f} {a.f1:6.3f}")
    _kept_line("gold words kept", shares)
    for share, name, rules in sorted(lows)[:worst]:
        print(f"    {share:.3f} {name} {rules}")


def _kept_line(label, shares):
    shares = sorted(shares)
    print(f"  {label}: mean {sum(shares) / len(shares):.4f}  p5 {shares[len(shares) // 20]:.3f}  "
          f"losing >10%: {sum(s < 0.9 for s in shares) / len(shares):.3f}")


def local_texts():
    docs = []
    site = [p for p in sys.path if p.endswith("site-packages")]
    for path in sorted({f for s in site for f in glob.glob(f"{s}/*.dist-info/METADATA")}):
        raw = Path(path).read_text(encoding="utf-8", errors="replace")
        body = raw.split("\n\n", 1)[1] if "\n\n" in raw else ""
        if len(body) > 500:
            docs.append(("metadata", path.split("/")[-2], body))
    for path in sorted(glob.glob("/usr/share/doc/*/*")):
        base = os.path.basename(path)
        if not re.match(r"(README|NEWS|FAQ|TODO|AUTHORS|THANKS|changelog)", base, re.I):
            continue
        try:
            raw = (gzip.decompress(Path(path).read_bytes()) if path.endswith(".gz")
                   else Path(path).read_bytes())
        except OSError:
            continue
        text = raw.decode("utf-8", "replace")[:60000]
        if len(text) > 300:
            docs.append(("debian-doc", path[15:], text))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in sorted(n for n in sys.stdlib_module_names if not n.startswith("_")):
            if name in ("antigravity", "this", "idlelib", "tkinter", "turtle", "turtledemo"):
                continue
            try:
                text = pydoc.render_doc(importlib.import_module(name), renderer=pydoc.plaintext)
            except BaseException:  # a module that cannot be imported here
                continue
            if len(text) > 300:
                docs.append(("pydoc", name, text[:80000]))
    mail = Path(os.__file__).parent / "test" / "test_email" / "data"
    for path in sorted(mail.glob("msg_*.txt")):
        docs.append(("mail", path.name, path.read_text(encoding="utf-8", errors="replace")))
    return docs


def local(worst):
    docs = local_texts()
    kinds = collections.defaultdict(list)
    lows = []
    for kind, name, text in docs:
        result = dedup.clean(text)
        share = kept_share(text, result.text)
        kinds[kind].append(share)
        rules = collections.Counter(r.rule for r in result.removals).most_common(3)
        lows.append((share, f"{kind}:{name}", rules))
    print(f"local text ({len(docs)} documents, all content)")
    for kind, shares in kinds.items():
        _kept_line(f"{kind:10s} n={len(shares):4d} words kept", shares)
    for share, name, rules in sorted(lows)[:worst]:
        print(f"    {share:.3f} {name} {rules}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rust-docs", type=Path, default=DEFAULT_RUST_DOCS)
    parser.add_argument("--node-docs", type=Path, default=Path("/usr/share/doc/nodejs/api"))
    parser.add_argument("--pages", type=int, default=240)
    parser.add_argument("--worst", type=int, default=15)
    parser.add_argument("--no-local", action="store_true", help="skip the local text set")
    args = parser.parse_args(argv)
    docs_pages(args.rust_docs, args.pages, args.worst)
    docs_pages(args.node_docs, args.pages, args.worst, patterns=NODE_PAGES)
    if not args.no_local:
        local(args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
