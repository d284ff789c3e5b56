"""Do-no-harm check on documentation and mail this machine ships (held out: not tuned on).

Four sets, all read in place (never copied):

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
* **Debian's translated books** (``--debian-docs DIR``, off by default: the
  packages are downloaded, not installed): the Debian Reference (DocBook XSL; de,
  en, es, fr, it, ja, pt, zh-cn; one page a chapter) and the Debian
  Administrator's Handbook (Publican; 26 languages; one page a section), up to
  ``--debian-pages`` (40) seeded pages per book and language. The gold is the
  ``<body>`` without DocBook's chrome: ``div.navheader`` / ``div.navfooter``,
  Publican's ``ul.docnav``, ``#banner`` and ``#title``, and the generated
  ``div.toc`` and lists of tables, figures and examples (links to the book's
  sections, like mdBook's ``<nav>``); the index pages (title page and table of
  contents) are not scored. The translations are partial (untranslated
  paragraphs stay English), so a translated page is scored only when at most
  ``MAX_ENGLISH`` (30%) of its words outside ``<pre>`` are in lines the English
  original has verbatim (column ``en``: the mean share). Printed per book and
  language: pages, ``clean``'s P, R, F1, the raw page text's F1, the share of
  pages losing more than 10% of their main text's words, the share of chrome
  words ``clean`` removed (``cut``) and the worst pages; ``--debian-detail N``
  prints, for the N worst pages of each language, the chrome lines kept and the
  main-text lines lost with the rule that removed them. Fetch the data outside
  the repository (about 50 MB of packages, 130 MB unpacked; no root needed)::

      mkdir -p /work/notes/debdocs/debs && cd /work/notes/debdocs/debs
      apt-get download debian-reference-de debian-reference-en debian-reference-es \\
          debian-reference-fr debian-reference-it debian-reference-ja \\
          debian-reference-pt debian-reference-zh-cn debian-handbook
      for f in *.deb; do dpkg-deb -x "$f" ../root; done

  then pass ``--debian-docs /work/notes/debdocs/root`` (bookworm: Debian
  Reference 2.100, handbook 11.20220922).
* **Other generators' pages** (``--generator-docs DIR``, off by default: downloaded
  packages): Sphinx (Beautiful Soup, classic theme; Black and xarray, alabaster; attrs and
  django-tables2, Read the Docs theme; bidict, furo; and the installed single-page Debian
  Python Policy, nature, read from ``/usr/share/doc/python3``), MkDocs (its own manual,
  mkdocs theme), Javadoc (Apache Commons Lang 3, JDK 17's layout) and Doxygen (JsonCpp), up
  to ``--generator-pages`` (40) seeded pages a project, without generated indexes, search
  pages and source listings (``genindex``, ``_modules``, ``src-html``, ``*_source.html``).
  The gold is the element with ``role="main"`` (Sphinx's ``div.body`` or ``article``, MkDocs'
  column, Javadoc's ``<main>``) or Doxygen's ``div.contents`` and page title
  (``div.headertitle``), without the generated navigation inside it: the entries and caption
  of Sphinx's toctrees and its ``.. contents::`` tables (like DocBook's ``div.toc``) and
  Javadoc's table tabs. Printed per generator and project like the Debian books (without
  ``en``); ``--generator-detail N`` also prints, per generator, the main-text words removed
  by rule and the chrome lines kept on most pages (candidates for phrase rules when a
  generator writes them on every site), and for the N worst pages of each project the chrome
  lines kept and the main text lost. Fetch the data outside the repository (about 9 MB of
  packages, 55 MB unpacked; no root needed)::

      mkdir -p /work/notes/gendocs/debs && cd /work/notes/gendocs/debs
      apt-get download python-bs4-doc python-black-doc python-xarray-doc python-attr-doc \\
          python-django-tables2-doc python-bidict-doc mkdocs-doc libcommons-lang3-java-doc \\
          libjsoncpp-doc
      for f in *.deb; do dpkg-deb -x "$f" ../root; done

  then pass ``--generator-docs /work/notes/gendocs/root`` (bookworm: bs4 4.11.2, Black 23.1.0,
  xarray 2023.01.0, attrs 22.2.0, django-tables2 2.4.1, bidict 0.22.1, MkDocs 1.4.2,
  Commons Lang 3.12.0, JsonCpp 1.9.5).
* **Local text** (``--local``): plain-text documentation with no boilerplate at
  all (package ``METADATA`` descriptions of this environment, ``/usr/share/doc``
  READMEs, NEWS and changelogs, ``pydoc`` pages of the standard library) and the
  standard library's e-mail test messages. There is no gold: everything is
  content, so the figure is the share of words ``clean`` keeps (mean, p5, share
  of documents losing more than 10%), with the worst documents and the rules
  that removed their text.

Usage (from the repository root)::

    PYTHONPATH=src python benchmarks/local_docs.py [--pages 240] [--worst 15]
    PYTHONPATH=src python benchmarks/local_docs.py --no-local --worst 3 \\
        --debian-docs /work/notes/debdocs/root [--debian-pages 40] [--debian-detail 3]
    PYTHONPATH=src python benchmarks/local_docs.py --no-local --no-docs --worst 3 \\
        --generator-docs /work/notes/gendocs/root [--generator-pages 40] [--generator-detail 3]
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
from boilerplate import Page, PageScore, aggregate, analyse_page, score_page

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
#: DocBook XSL and Publican page chrome: the navigation header and footer (previous, next,
#: home), Publican's banner and logo row, and the generated tables of contents and lists of
#: tables, figures and examples (links to the book's sections, like mdBook's ``<nav>``).
_DOCBOOK_NAV_CLASSES = frozenset({"navheader", "navfooter", "docnav", "toc", "list-of-tables",
                                  "list-of-figures", "list-of-examples"})
_DOCBOOK_NAV_IDS = frozenset({"banner", "title"})
#: Generated navigation inside the main content of the other generators: the entries of
#: Sphinx's toctrees (links to the project's pages, like DocBook's ``div.toc``; not the
#: ``toctree-wrapper``, which holds the pages themselves in a single-page build) and Javadoc's
#: tabs above its summary tables (buttons that filter the table).
_GENERATOR_NAV_CLASSES = frozenset({"toctree-l1", "table-tabs"})


class _PageText(html.parser.HTMLParser):
    """Visible text as ``(text, in_gold)`` pieces; line breaks at block elements."""

    def __init__(self, gold_id: str | None, docbook: bool = False,
                 generator: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.gold_id = gold_id
        self.docbook = docbook
        self.generator = generator
        self.stack: list[str] = []
        self.pieces: list[tuple[str, bool, bool]] = []  # text, in gold, in <pre>
        self.hidden = self.pre = 0
        self.gold_depth: int | None = None
        self.nav_depth: int | None = None

    def _in_gold(self) -> bool:
        return self.gold_depth is not None and self.nav_depth is None

    def _is_gold(self, tag: str, attrs: dict[str, str | None]) -> bool:
        if self.generator == "doxygen":
            # The page title sits in its own header, beside the contents.
            classes = (attrs.get("class") or "").split()
            return tag == "div" and ("contents" in classes or "headertitle" in classes)
        if self.generator:
            return attrs.get("role") == "main"  # Sphinx (every theme), MkDocs, Javadoc
        if self.gold_id:
            return attrs.get("id") == self.gold_id
        return tag == ("body" if self.docbook else "main")

    def _is_nav(self, tag: str, attrs: dict[str, str | None]) -> bool:
        if tag == "nav":
            return True  # mdBook's previous/next links inside <main>
        if self.generator:
            classes = set((attrs.get("class") or "").split())
            return (not _GENERATOR_NAV_CLASSES.isdisjoint(classes)
                    or {"contents", "topic"} <= classes  # Sphinx's ``.. contents::``
                    or ("caption" in classes and attrs.get("role") == "heading"))  # toctree's
        return self.docbook and (attrs.get("id") in _DOCBOOK_NAV_IDS
                                 or not _DOCBOOK_NAV_CLASSES.isdisjoint(
                                     (attrs.get("class") or "").split()))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag in _BLOCK:
                self.pieces.append(("\n", self._in_gold(), False))
            return
        self.stack.append(tag)
        depth = len(self.stack)
        self.hidden += tag in _HIDDEN
        self.pre += tag == "pre"
        named = dict(attrs)
        if self.gold_depth is None and self._is_gold(tag, named):
            self.gold_depth = depth
        elif self.gold_depth is not None and self.nav_depth is None and self._is_nav(tag, named):
            self.nav_depth = depth
        if tag in _BLOCK:
            self.pieces.append(("\n", self._in_gold(), False))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:
            closed = self.stack.pop()
            depth = len(self.stack) + 1
            if closed in _BLOCK:
                self.pieces.append(("\n", self._in_gold(), False))
            self.hidden -= closed in _HIDDEN
            self.pre -= closed == "pre"
            if self.nav_depth == depth:
                self.nav_depth = None
            if self.gold_depth == depth:
                self.gold_depth = None
            if closed == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.pieces.append((data if self.pre else re.sub(r"\s+", " ", data), self._in_gold(),
                                self.pre > 0))


def _lines(pieces: list[str]) -> str:
    # Collapsed whitespace leaves one leading space; code in <pre> keeps its indent.
    lines = ("".join(pieces)).split("\n")
    lines = [(line[1:] if line.startswith(" ") and not line.startswith("  ") else line).rstrip()
             for line in lines]
    return "\n".join(line for line in lines if line.strip())


def convert(path: str) -> tuple[str, str]:
    """Return an HTML page's text, one line per block, and the text of its main content.

    The main content is rustdoc's ``#main-content``, Node.js's ``#apicontent``,
    DocBook's (XSL or Publican) ``<body>`` without its navigation header and footer
    and its tables of contents, else mdBook's ``<main>``.
    """
    page, gold, _ = _convert(path)
    return page, gold


def _convert(path: str, generator: str | None = None) -> tuple[str, str, str]:
    """``convert``'s page text and main content, and the main content outside ``<pre>``.

    ``generator`` (``sphinx``, ``mkdocs``, ``javadoc``, ``doxygen``) names the layout of a
    page of ``GENERATOR_SETS``; without it the layout is read off the page.
    """
    source = Path(path).read_text(encoding="utf-8", errors="replace")
    gold_id = next((name for name in ("main-content", "apicontent")
                    if f'id="{name}"' in source), None)
    docbook = bool(re.search(r'name="generator" content="(DocBook XSL|publican)', source))
    parser = _PageText(gold_id, docbook=docbook, generator=generator)
    parser.feed(source)
    parser.close()
    page = _lines([text for text, _, _ in parser.pieces])
    gold = _lines([text if gold or text == "\n" else "" for text, gold, _ in parser.pieces])
    prose = _lines([text if (gold and not pre) or text == "\n" else ""
                    for text, gold, pre in parser.pieces])
    return page, gold, prose


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


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def kept_share(reference: str, cleaned: str) -> float:
    """Share of ``reference``'s words (with multiplicity) still in ``cleaned``."""
    left = collections.Counter(_words(cleaned))
    words = _words(reference)
    kept = 0
    for word in words:
        if left[word] > 0:
            left[word] -= 1
            kept += 1
    return kept / max(1, len(words))


def docs_pages(root: Path, n: int, worst: int, patterns: tuple[str, ...] = RUST_PAGES) -> None:
    docs = sample(root, n, patterns=patterns)
    if not docs:
        print(f"docs pages: none under {root}; skipped")
        return
    by: collections.defaultdict[str, list[PageScore]] = collections.defaultdict(list)
    raw: list[PageScore] = []
    shares: list[float] = []
    lows: list[tuple[float, str, list[tuple[str, int]]]] = []
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


#: Debian's translated books, below the directory the packages were unpacked into:
#: (book, glob of one language's pages with ``{lang}``, the English original's language).
DEBIAN_BOOKS = (
    ("reference", "usr/share/debian-reference/*.{lang}.html", "en"),
    ("handbook", "usr/share/doc/debian-handbook/html/{lang}/*.html", "en-US"),
)
#: Languages with fewer translated pages than this are left out (and named).
MIN_PAGES = 5
#: A translated page whose prose is still this much the English original's is not scored:
#: po4a and Publican leave untranslated paragraphs in English.
MAX_ENGLISH = 0.3


def _languages(root: Path, pattern: str) -> list[str]:
    """The languages a book ships, read off its file names or directories."""
    parts = [re.escape(part).replace(r"\*", "[^/]*") for part in pattern.split("{lang}")]
    shape = re.compile("([^/.]+)".join(parts))
    found = glob.glob(str(root / pattern.replace("{lang}", "*")))
    return sorted({m.group(1) for f in found
                   if (m := shape.fullmatch(f[len(str(root)) + 1:]))})


def _page_key(path: str, lang: str) -> str:
    """A page's name without its language: ``ch03`` for ``ch03.de.html``, else the file name."""
    name = os.path.basename(path)
    return name.replace(f".{lang}.html", "")


def english_share(prose: str, english: str) -> float:
    """Share of the words of ``prose`` (main text outside ``<pre>``) in lines the English
    original has verbatim."""
    original = {line.strip() for line in english.splitlines()}
    lines = [line.strip() for line in prose.splitlines()]
    words = sum(len(_words(line)) for line in lines)
    same = sum(len(_words(line)) for line in lines if line in original)
    return same / max(1, words)


def debian_sample(root: Path, n: int, seed: int = 6
                  ) -> dict[tuple[str, str], list[tuple[str, str, str, float]]]:
    """Up to ``n`` seeded pages of each Debian book and language: (name, page, gold, English).

    Index pages (the title page and the book's table of contents) are left out like
    mdBook's ``toc.html``; so are pages under 200 characters of gold and translated
    pages whose prose is more than ``MAX_ENGLISH`` the English original's.
    """
    found: dict[tuple[str, str], list[tuple[str, str, str, float]]] = {}
    for book, pattern, original in DEBIAN_BOOKS:
        for lang in _languages(root, pattern):
            files = sorted(f for f in glob.glob(str(root / pattern.format(lang=lang)))
                           if not os.path.basename(f).startswith("index."))
            random.Random(seed).shuffle(files)
            pages = []
            for path in files:
                page, gold, prose = _convert(path)
                if len(gold) < 200 or len(page) > 300_000:
                    continue
                share = 0.0
                if lang != original:
                    key = _page_key(path, lang)
                    english = path.replace(f"/{lang}/", f"/{original}/") if "{lang}/" in pattern \
                        else path.replace(f"{key}.{lang}.html", f"{key}.{original}.html")
                    if os.path.exists(english):
                        share = english_share(prose, _convert(english)[2])
                    if share > MAX_ENGLISH:
                        continue
                pages.append((_page_key(path, lang), page, gold, share))
                if len(pages) >= n:
                    break
            found[(book, lang)] = pages
    return found


def _chrome_lines(page: str, gold: str) -> collections.Counter[str]:
    """The page's lines that are not main content (page lines less gold lines, as multisets)."""
    return (collections.Counter(line.strip() for line in page.splitlines())
            - collections.Counter(line.strip() for line in gold.splitlines()))


def chrome_cut(page: str, gold: str, cleaned: str) -> float | None:
    """Share of the words of the page's chrome lines that ``clean`` removed (None: no chrome)."""
    chrome = _chrome_lines(page, gold)
    kept = chrome & collections.Counter(line.strip() for line in cleaned.splitlines())
    total = sum(len(_words(line)) * n for line, n in chrome.items())
    if not total:
        return None
    return 1 - sum(len(_words(line)) * n for line, n in kept.items()) / total


def _add_page(name: str, page: str, gold: str, result: dedup.CleanResult,
              clean_scores: list[PageScore], raw_scores: list[PageScore], shares: list[float],
              cuts: list[float], ranked: list[tuple[float, str, str, str, dedup.CleanResult]]
              ) -> None:
    """Add one page's figures to a set's lists: scores clean and raw, words kept, chrome cut."""
    score = score_page(gold, result.text)
    clean_scores.append(score)
    raw_scores.append(score_page(gold, page))
    shares.append(kept_share(gold, result.text))
    cut = chrome_cut(page, gold, result.text)
    if cut is not None:
        cuts.append(cut)
    ranked.append((score.f1, name, page, gold, result))


def debian_docs(root: Path, n: int, worst: int, detail: int) -> None:
    """Score ``clean`` per Debian book and language; list each language's worst pages."""
    found = debian_sample(root, n)
    sets = {key: pages for key, pages in found.items() if len(pages) >= min(MIN_PAGES, n)}
    if not sets:
        print(f"debian docs: no pages under {root}; skipped (see the docstring to fetch them)")
        return
    print(f"debian docs ({sum(map(len, sets.values()))} pages from {root}; up to {n} a "
          f"language, translated pages only: <= {MAX_ENGLISH:.0%} English prose)")
    print(f"  {'book':9s} {'lang':6s} {'n':>4s} {'P':>6s} {'R':>6s} {'F1':>6s} {'raw F1':>6s}"
          f" {'>10%':>5s} {'cut':>5s} {'en':>4s}  worst pages")
    pooled: dict[str, tuple[list[PageScore], list[PageScore], list[float], list[float],
                            list[float]]] = {}
    details = []
    for (book, lang), pages in sets.items():
        clean_scores: list[PageScore] = []
        raw_scores: list[PageScore] = []
        shares: list[float] = []
        cuts: list[float] = []
        english = [share for *_, share in pages]
        ranked: list[tuple[float, str, str, str, dedup.CleanResult]] = []
        for name, page, gold, _ in pages:
            result = dedup.clean(page)
            _add_page(name, page, gold, result, clean_scores, raw_scores, shares, cuts, ranked)
        ranked.sort(key=lambda r: (r[0], r[1]))
        for key in () if lang.startswith("en") else (book, "all"):
            into = pooled.setdefault(key, ([], [], [], [], []))
            into[0].extend(clean_scores)
            into[1].extend(raw_scores)
            into[2].extend(shares)
            into[3].extend(english)
            into[4].extend(cuts)
        low = ", ".join(f"{name} {f1:.2f}" for f1, name, *_ in ranked[:worst])
        _debian_row(book, lang, clean_scores, raw_scores, shares, cuts, english, low)
        details += [(book, lang, *r) for r in ranked[:detail]]
    for key, (clean_scores, raw_scores, shares, english, cuts) in sorted(
            pooled.items(), key=lambda item: item[0] == "all"):
        _debian_row(key, "non-en", clean_scores, raw_scores, shares, cuts, english, "")
    few = [f"{book} {lang} {len(pages)}" for (book, lang), pages in found.items()
           if (book, lang) not in sets]
    if few:
        print(f"  left out, under {MIN_PAGES} translated pages: {', '.join(few)}")
    for book, lang, f1, name, page, gold, result in details:
        _print_detail(f"{book} {lang} {name}", f1, page, gold, result)


#: Documentation built by the other common generators, from Debian packages unpacked below one
#: directory (absolute paths: read in place): (generator, project and theme, pages' directory).
GENERATOR_SETS = (
    ("sphinx", "bs4 classic", "usr/share/doc/python-bs4-doc/html"),
    ("sphinx", "black alabaster", "usr/share/doc/python-black-doc/html"),
    ("sphinx", "xarray alabaster", "usr/share/doc/python-xarray-doc/html"),
    ("sphinx", "attrs rtd", "usr/share/doc/python-attr-doc/html"),
    ("sphinx", "tables2 rtd", "usr/share/doc/python-django-tables2-doc/html"),
    ("sphinx", "bidict furo", "usr/share/doc/python-bidict-doc/html"),
    ("sphinx", "policy nature", "/usr/share/doc/python3"),
    ("mkdocs", "mkdocs", "usr/share/doc/mkdocs/html"),
    ("javadoc", "commons-lang3", "usr/share/doc/libcommons-lang3-java/api"),
    ("doxygen", "jsoncpp", "usr/share/doc/libjsoncpp-doc"),
)
#: Generated indexes, search pages and source listings: not documentation pages.
_GENERATOR_SKIP = re.compile(
    r"(^|/)(genindex|search|py-modindex|404|index-all|allclasses-index|allpackages-index"
    r"|help-doc|overview-tree|globals|functions|namespacemembers)[^/]*\.html$"
    r"|(^|/)(_modules|_sources|src-html)/|_source\.html$")


def generator_sample(root: Path, n: int, seed: int = 6
                     ) -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    """Up to ``n`` seeded pages of each project of ``GENERATOR_SETS`` found: (name, page, gold).

    Pages under 200 characters of gold (after the generated tables of contents) or over
    300,000 characters of text are left out, like the other sets.
    """
    found: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for generator, project, where in GENERATOR_SETS:
        base = root / where
        files = sorted(f for f in glob.glob(f"{base}/**/*.html", recursive=True)
                       if not os.path.islink(f)
                       and not _GENERATOR_SKIP.search(f[len(str(base)) + 1:]))
        random.Random(seed).shuffle(files)
        pages = []
        for path in files:
            page, gold, _ = _convert(path, generator)
            if len(gold) < 200 or len(page) > 300_000:
                continue
            pages.append((path[len(str(base)) + 1:], page, gold))
            if len(pages) >= n:
                break
        if pages:
            found[(generator, project)] = pages
    return found


def generator_docs(root: Path, n: int, worst: int, detail: int) -> None:
    """Score ``clean`` per generator and project; list each project's worst pages."""
    found = generator_sample(root, n)
    if not found:
        print(f"generator docs: no pages under {root}; skipped (see the docstring to fetch them)")
        return
    print(f"generator docs ({sum(map(len, found.values()))} pages from {root}; up to {n} a "
          f"project)")
    print(f"  {'generator':9s} {'project':17s} {'n':>4s} {'P':>6s} {'R':>6s} {'F1':>6s}"
          f" {'raw F1':>6s} {'>10%':>5s} {'cut':>5s}  worst pages")
    pooled: dict[str, tuple[list[PageScore], list[PageScore], list[float], list[float]]] = {}
    details = []
    #: Per generator: the chrome lines ``clean`` kept (pages), the main-text words it removed
    #: (by rule), for ``detail``: the generator-wide strings that could become phrase rules.
    kept_chrome: collections.defaultdict[str, collections.Counter[str]] = \
        collections.defaultdict(collections.Counter)
    lost: collections.defaultdict[str, collections.Counter[str]] = \
        collections.defaultdict(collections.Counter)
    for (generator, project), pages in found.items():
        clean_scores: list[PageScore] = []
        raw_scores: list[PageScore] = []
        shares: list[float] = []
        cuts: list[float] = []
        ranked: list[tuple[float, str, str, str, dedup.CleanResult]] = []
        for name, page, gold in pages:
            result = dedup.clean(page)
            if detail:
                kept_chrome[generator].update(set(_chrome_lines(page, gold) & collections.Counter(
                    line.strip() for line in result.text.splitlines())))
                _, fn_lines = analyse_page(Page(id=name, url="", text=page, gold=gold), result)
                for report in fn_lines:
                    lost[generator][report.rule] += len(_words(report.text))
            _add_page(name, page, gold, result, clean_scores, raw_scores, shares, cuts, ranked)
        ranked.sort(key=lambda r: (r[0], r[1]))
        for key in (generator, "all"):
            into = pooled.setdefault(key, ([], [], [], []))
            into[0].extend(clean_scores)
            into[1].extend(raw_scores)
            into[2].extend(shares)
            into[3].extend(cuts)
        low = ", ".join(f"{name} {f1:.2f}" for f1, name, *_ in ranked[:worst])
        _generator_row(generator, project, clean_scores, raw_scores, shares, cuts, low)
        details += [(generator, project, *r) for r in ranked[:detail]]
    for key, (clean_scores, raw_scores, shares, cuts) in sorted(
            pooled.items(), key=lambda item: item[0] == "all"):
        _generator_row(key, "pooled", clean_scores, raw_scores, shares, cuts, "")
    for generator in kept_chrome:
        print(f"\n  {generator}: main-text words removed by rule: "
              + ", ".join(f"{rule} {n}" for rule, n in lost[generator].most_common(5)))
        print(f"  {generator}: chrome lines kept on most pages (pages):")
        for line, n in kept_chrome[generator].most_common(12):
            print(f"    {n:3d} {line[:100]!r}")
    for generator, project, f1, name, page, gold, result in details:
        _print_detail(f"{generator} {project} {name}", f1, page, gold, result)


def _generator_row(generator: str, project: str, clean_scores: list[PageScore],
                   raw_scores: list[PageScore], shares: list[float], cuts: list[float],
                   low: str) -> None:
    a, raw = aggregate(clean_scores), aggregate(raw_scores)
    losing = sum(s < 0.9 for s in shares) / len(shares)
    print(f"  {generator:9s} {project:17s} {len(shares):4d} {a.precision:6.3f} {a.recall:6.3f}"
          f" {a.f1:6.3f} {raw.f1:6.3f} {losing:5.2f} {sum(cuts) / max(1, len(cuts)):5.2f}  {low}")


def _print_detail(title: str, f1: float, page: str, gold: str, result: dedup.CleanResult
                  ) -> None:
    """Print the chrome lines ``clean`` kept (+) and the main text it removed (-, with rule)."""
    _, fn_lines = analyse_page(Page(id=title, url="", text=page, gold=gold), result)
    kept = _chrome_lines(page, gold) & collections.Counter(
        line.strip() for line in result.text.splitlines())
    print(f"\n=== {title}  F1 {f1:.3f}  (page {len(page)}, gold {len(gold)},"
          f" kept {len(result.text)} chars)")
    for line in list(kept.elements())[:8]:
        print(f"    + {line[:110]}")
    for report in fn_lines[:12]:
        print(f"    - [{report.rule}] ({report.detail[-60:]}) {report.text[:100]}")


def _debian_row(book: str, lang: str, clean_scores: list[PageScore],
                raw_scores: list[PageScore], shares: list[float], cuts: list[float],
                english: list[float], low: str) -> None:
    a, raw = aggregate(clean_scores), aggregate(raw_scores)
    losing = sum(s < 0.9 for s in shares) / len(shares)
    print(f"  {book:9s} {lang:6s} {len(shares):4d} {a.precision:6.3f} {a.recall:6.3f} {a.f1:6.3f}"
          f" {raw.f1:6.3f} {losing:5.2f} {sum(cuts) / max(1, len(cuts)):5.2f}"
          f" {sum(english) / len(english):4.2f}  {low}")


def _kept_line(label: str, shares: list[float]) -> None:
    shares = sorted(shares)
    print(f"  {label}: mean {sum(shares) / len(shares):.4f}  p5 {shares[len(shares) // 20]:.3f}  "
          f"losing >10%: {sum(s < 0.9 for s in shares) / len(shares):.3f}")


def local_texts() -> list[tuple[str, str, str]]:
    docs: list[tuple[str, str, str]] = []
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
            data = (gzip.decompress(Path(path).read_bytes()) if path.endswith(".gz")
                    else Path(path).read_bytes())
        except OSError:
            continue
        text = data.decode("utf-8", "replace")[:60000]
        if len(text) > 300:
            docs.append(("debian-doc", path[15:], text))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in sorted(n for n in sys.stdlib_module_names if not n.startswith("_")):
            if name in ("antigravity", "this", "idlelib", "tkinter", "turtle", "turtledemo"):
                continue
            try:
                text = pydoc.render_doc(importlib.import_module(name), renderer=pydoc.plaintext)  # type: ignore[attr-defined]
            except BaseException:  # a module that cannot be imported here
                continue
            if len(text) > 300:
                docs.append(("pydoc", name, text[:80000]))
    mail = Path(os.__file__).parent / "test" / "test_email" / "data"
    for message in sorted(mail.glob("msg_*.txt")):
        docs.append(("mail", message.name,
                     message.read_text(encoding="utf-8", errors="replace")))
    return docs


def local(worst: int) -> None:
    docs = local_texts()
    kinds: collections.defaultdict[str, list[float]] = collections.defaultdict(list)
    lows: list[tuple[float, str, list[tuple[str, int]]]] = []
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rust-docs", type=Path, default=DEFAULT_RUST_DOCS)
    parser.add_argument("--node-docs", type=Path, default=Path("/usr/share/doc/nodejs/api"))
    parser.add_argument("--debian-docs", type=Path, default=None,
                        help="directory the Debian documentation packages were unpacked into")
    parser.add_argument("--debian-pages", type=int, default=40, help="pages per book and language")
    parser.add_argument("--debian-detail", type=int, default=0,
                        help="print kept chrome and lost main text of N worst pages a language")
    parser.add_argument("--generator-docs", type=Path, default=None,
                        help="directory the Sphinx, MkDocs, Javadoc and Doxygen documentation"
                             " packages were unpacked into")
    parser.add_argument("--generator-pages", type=int, default=40, help="pages per project")
    parser.add_argument("--generator-detail", type=int, default=0,
                        help="print kept chrome and lost main text of N worst pages a project")
    parser.add_argument("--no-docs", action="store_true",
                        help="skip the Rust and Node.js pages")
    parser.add_argument("--pages", type=int, default=240)
    parser.add_argument("--worst", type=int, default=15)
    parser.add_argument("--no-local", action="store_true", help="skip the local text set")
    args = parser.parse_args(argv)
    if not args.no_docs:
        docs_pages(args.rust_docs, args.pages, args.worst)
        docs_pages(args.node_docs, args.pages, args.worst, patterns=NODE_PAGES)
    if args.debian_docs is not None:
        debian_docs(args.debian_docs, args.debian_pages, args.worst, args.debian_detail)
    if args.generator_docs is not None:
        generator_docs(args.generator_docs, args.generator_pages, args.worst,
                       args.generator_detail)
    if not args.no_local:
        local(args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
