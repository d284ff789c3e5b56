"""Layout stability: does ``dedup.clean`` do no harm when only the layout of a text changes?

Each sampled news story is re-laid out (unwrapped, rewrapped, joined line breaks,
CRLF, no indentation, blank lines, site chrome above and below, and the unwrapped
story with chrome around it and a related/share box between two of its first
paragraphs, ``chrome_inline``) and cleaned. A
layout must not cost story words, must not change the cleaned text beyond its
layout, and chrome added around the story should go.

Corpora (read in place from ``--corpora``, never copied): Reuters-21578 stories
(title, blank line, body; hard-wrapped at 65-70 columns, paragraphs indented)
and BBC News (one paragraph per line, blank lines between). Stories shorter than
200 characters are skipped. The trailing Reuters signoff line ("Reuter",
"REUTER") is cut from the story before any layout: it is boilerplate dedup is
right to remove, and leaving it in would make a correct removal read as a loss.
BBC paragraphs have no line breaks inside them, so its join rows equal original.

Metrics per document, aggregated per corpus x layout:

* kept: the share of the story's words found in ``clean(variant).text``. Words
  are case-folded ``\\w+`` tokens counted as a multiset. The story is the text
  before chrome is added, taken as dedup normalised it (``result.normalized``
  less the added chrome lines), so a unicode repair ("Â£" -> "£") is not a loss.
  Chrome lines still in the output do not count as story words kept.
* lose>10%: the share of documents keeping less than 90% of their story words.
* jaccard: word 5-gram set Jaccard of ``clean(variant).text`` with
  ``clean(original).text`` on case-folded ``\\w+`` tokens (layout ignored).
* chrome removed: the share of added chrome lines that are not a line of the
  output (lines compared case-folded with whitespace runs collapsed).

Floors (kept and jaccard are means over documents): kept >= 0.995,
lose>10% <= 0.01, jaccard >= 0.99, chrome removed >= 0.90. ``--check`` exits 1
when one fails. Run from the repository root::

    python benchmarks/stability.py                          # 400 docs per corpus
    python benchmarks/stability.py --layout wrap40 --show-worst 5
    python benchmarks/stability.py --limit 0 --workers 2 --check --json > stability.json
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import random
import re
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))  # dedup
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks package
from benchmarks.corpora import DEFAULT_CORPORA, load_bbc, load_reuters

import dedup

MIN_STORY_CHARS = 200
FLOORS = {"kept": 0.995, "lose_10": 0.01, "jaccard": 0.99, "chrome_removed": 0.90}

# --- site chrome -------------------------------------------------------------------------------

#: Our own invented navigation (above) and footer (below) lines, in the style of news
#: sites; no real site's text. One language is picked per document.
CHROME: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (("Skip to main content", "Menu", "Sign in", "Subscribe", "Search",
            "Home News Sport Business Culture", "Newsletters", "Accessibility help"),
           ("Related stories", "Share on Facebook", "Share on Twitter", "Back to top",
            "Copyright 2024 Example Media. All rights reserved.", "Privacy Policy",
            "Terms of Use", "Cookie settings", "Contact us", "Follow us on Instagram")),
    "de": (("Zum Inhalt springen", "Menü", "Anmelden", "Abonnieren", "Suche",
            "Startseite Politik Wirtschaft Sport", "Newsletter bestellen"),
           ("Mehr zum Thema", "Auf Facebook teilen", "Artikel teilen", "Nach oben",
            "© 2024 Beispiel Medien GmbH. Alle Rechte vorbehalten.", "Impressum",
            "Datenschutz", "Cookie-Einstellungen", "Kontakt")),
    "fr": (("Aller au contenu principal", "Menu", "Se connecter", "S'abonner", "Rechercher",
            "Accueil International Économie Culture"),
           ("Lire aussi", "Partager sur Facebook", "Retour en haut",
            "© 2024 Exemple Médias. Tous droits réservés.", "Mentions légales",
            "Politique de confidentialité", "Gérer les cookies", "Nous contacter")),
    "es": (("Saltar al contenido principal", "Menú", "Iniciar sesión", "Suscríbete", "Buscar",
            "Portada Internacional Economía Deportes"),
           ("Noticias relacionadas", "Compartir en Facebook", "Volver arriba",
            "© 2024 Ejemplo Medios. Todos los derechos reservados.", "Aviso legal",
            "Política de privacidad", "Configuración de cookies", "Contacto")),
    "ru": (("Перейти к основному содержанию", "Меню", "Войти", "Подписаться", "Поиск",
            "Главная В мире Экономика Спорт"),
           ("Читайте также", "Поделиться в Facebook", "Наверх",
            "© 2024 Пример Медиа. Все права защищены.", "Политика конфиденциальности",
            "Пользовательское соглашение", "Настройки cookie", "Контакты")),
    "ar": (("تخطي إلى المحتوى الرئيسي", "القائمة", "تسجيل الدخول", "اشترك الآن", "بحث",
            "الرئيسية العالم اقتصاد رياضة"),
           ("أخبار ذات صلة", "شارك على فيسبوك", "العودة إلى الأعلى",
            "© 2024 مثال ميديا. جميع الحقوق محفوظة.", "سياسة الخصوصية", "شروط الاستخدام",
            "إعدادات ملفات تعريف الارتباط", "اتصل بنا")),
    "fa": (("رفتن به محتوای اصلی", "منو", "ورود", "عضویت", "جستجو",
            "صفحه اصلی جهان اقتصاد ورزش"),
           ("مطالب مرتبط", "اشتراک‌گذاری در فیسبوک", "بازگشت به بالا",
            "© ۲۰۲۴ رسانه نمونه. تمامی حقوق محفوظ است.", "حریم خصوصی", "شرایط استفاده",
            "تماس با ما")),
}

# --- layouts -----------------------------------------------------------------------------------

Paragraph = tuple[str, list[str]]  # (indentation of its first line, its stripped lines)


def paragraphs(text: str) -> list[list[Paragraph]]:
    """Split into blocks (between blank lines) of paragraphs; an indented line starts one."""
    blocks: list[list[Paragraph]] = []
    for block in re.split(r"\n(?:[ \t]*\n)+", text.strip("\n")):
        current: list[Paragraph] = []
        for line in block.split("\n"):
            indent = line[:len(line) - len(line.lstrip())]
            if indent or not current:
                current.append((indent, [line.strip()]))
            else:
                current[-1][1].append(line.strip())
        blocks.append(current)
    return blocks


def _render(text: str, fill: Callable[[str, str], str]) -> str:
    return "\n\n".join("\n".join(fill(indent, " ".join(lines)) for indent, lines in block)
                       for block in paragraphs(text))


def unwrap(text: str, rng: random.Random) -> str:
    """One paragraph per line, blank lines and indentation kept."""
    return _render(text, lambda indent, joined: indent + joined)


def rewrap(width: int) -> Callable[[str, random.Random], str]:
    def layout(text: str, rng: random.Random) -> str:
        return _render(text, lambda indent, joined: textwrap.fill(
            joined, width, initial_indent=indent, break_long_words=False,
            break_on_hyphens=False))
    return layout


def _inner_breaks(text: str) -> list[int]:
    """Offsets of the line breaks inside a paragraph: between two non-blank lines, unindented."""
    return [m.start() for m in re.finditer(r"(?<=[^\n])\n(?=[^\s])", text)]


def join_breaks(share: float | None) -> Callable[[str, random.Random], str]:
    """Replace one in-paragraph line break (``share=None``), or that share of them, by a space."""
    def layout(text: str, rng: random.Random) -> str:
        breaks = _inner_breaks(text)
        if not breaks:
            return text
        count = 1 if share is None else max(1, round(share * len(breaks)))
        chars = list(text)
        for offset in rng.sample(breaks, count):
            chars[offset] = " "
        return "".join(chars)
    return layout


def pick_chrome(rng: random.Random) -> tuple[list[str], list[str]]:
    """3-6 lines above and 3-6 below, in one language, each set in its site order."""
    def some(lines: tuple[str, ...]) -> list[str]:
        return [lines[i] for i in sorted(rng.sample(range(len(lines)), rng.randint(3, 6)))]
    above, below = CHROME[rng.choice(sorted(CHROME))]
    return some(above), some(below)


def with_chrome(separator: str) -> Callable[[str, random.Random], str]:
    def layout(text: str, rng: random.Random) -> str:
        above, below = pick_chrome(rng)
        return separator.join(("\n".join(above), text.strip("\n"), "\n".join(below)))
    return layout


def chrome_inline(text: str, rng: random.Random) -> str:
    """The unwrapped story with a box of 1-2 footer lines between two of its paragraphs.

    Pages put a "Related stories" or share box inside the story, often right under
    the lede; the box must go and the paragraphs on both sides of it must stay.
    Chrome is also added above and below, adjacent to the story, as a page has it.
    """
    lines = unwrap(text, rng).strip("\n").split("\n")
    header, footer = CHROME[rng.choice(sorted(CHROME))]
    # The box: the footer's related-stories and share lines; the footer keeps the rest.
    box = [footer[i] for i in sorted(rng.sample(range(3), rng.randint(1, 2)))]
    rest = [line for line in footer if line not in box]
    above = [header[i] for i in sorted(rng.sample(range(len(header)), rng.randint(3, 6)))]
    below = [rest[i] for i in sorted(rng.sample(range(len(rest)),
                                                 rng.randint(3, min(6, len(rest)))))]
    # Gaps between two paragraphs (the next line is indented or blank), past the title.
    gaps = [i + 1 for i in range(1, len(lines) - 1) if lines[i].strip()
            and (not lines[i + 1].strip() or lines[i + 1][:1] in " \t")]
    if gaps:
        at = rng.choice(gaps[:3])  # near the lede, where a lone paragraph is most at risk
        if lines[at].strip():  # paragraphs without blank lines between: the box likewise
            lines[at:at] = box
        else:
            lines[at:at] = [item for line in box for item in ("", line)]
    return "\n".join(above + lines + below)


#: Each layout is a pure function of the text and a seeded rng (most ignore the rng).
LAYOUTS: dict[str, Callable[[str, random.Random], str]] = {
    "original": lambda text, rng: text,
    "unwrapped": unwrap,
    **{f"wrap{width}": rewrap(width) for width in (40, 60, 80, 100)},
    "join_one": join_breaks(None),
    "join_5pct": join_breaks(0.05),
    "crlf": lambda text, rng: text.replace("\n", "\r\n"),
    "no_indent": lambda text, rng: "\n".join(line.lstrip(" \t") for line in text.split("\n")),
    "blank_after_line": lambda text, rng: "\n\n".join(text.split("\n")),
    "chrome_adjacent": with_chrome("\n"),
    "chrome_separated": with_chrome("\n\n"),
    "chrome_inline": chrome_inline,
}
#: The layouts that add chrome, each with the layout of the story it adds it to:
#: the chrome is what the variant has beyond that.
CHROME_LAYOUTS: dict[str, Callable[[str, random.Random], str]] = {
    "chrome_adjacent": LAYOUTS["original"], "chrome_separated": LAYOUTS["original"],
    "chrome_inline": unwrap}

# --- scoring -----------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def words(text: str) -> Counter[str]:
    return Counter(w.casefold() for w in _WORD.findall(text))


def line_key(line: str) -> str:
    return " ".join(line.split()).casefold()


def shingle_jaccard(a: str, b: str, n: int = 5) -> float:
    def grams(text: str) -> set[tuple[str, ...]]:
        tokens = [w.casefold() for w in _WORD.findall(text)]
        return {tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1))} - {()}
    x, y = grams(a), grams(b)
    return len(x & y) / len(x | y) if x | y else 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Doc:
    corpus: str
    id: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Taken:
    """A removal that took story words: the evidence ``--show-worst`` prints."""

    rule: str
    detail: str
    words: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DocScore:
    corpus: str
    id: str
    layout: str
    kept: float
    jaccard: float
    chrome_added: int
    chrome_kept: tuple[str, ...]
    lost: tuple[tuple[str, int], ...]
    taken: tuple[Taken, ...]


def score_variant(doc: Doc, layout: str, variant: str, result: dedup.CleanResult,
                  baseline: dedup.CleanResult) -> DocScore:
    """Score one cleaned variant against its story and against the cleaned original."""
    base = CHROME_LAYOUTS[layout](doc.text, random.Random(0)) if layout in CHROME_LAYOUTS else ""
    chrome = (Counter(map(line_key, variant.splitlines()))
              - Counter(map(line_key, base.splitlines())) if layout in CHROME_LAYOUTS
              else Counter())
    chrome.pop("", None)
    output_lines = Counter(map(line_key, result.text.splitlines()))
    kept_chrome = chrome & output_lines
    story = words(result.normalized)
    output = words(result.text)
    for line, count in chrome.items():
        story -= Counter({w: n * count for w, n in words(line).items()})
    for line, count in kept_chrome.items():
        output -= Counter({w: n * count for w, n in words(line).items()})
    total = sum(story.values())
    taken = []
    for removal in result.removals:
        text = "\n".join(line for line in result.normalized[removal.start:removal.end].split("\n")
                         if line_key(line) not in chrome)
        if count := sum(words(text).values()):
            taken.append(Taken(rule=removal.rule, detail=removal.detail, words=count,
                               text=text.strip()))
    return DocScore(
        corpus=doc.corpus, id=doc.id, layout=layout,
        kept=sum((story & output).values()) / total if total else 1.0,
        jaccard=shingle_jaccard(result.text, baseline.text),
        chrome_added=sum(chrome.values()), chrome_kept=tuple(sorted(kept_chrome.elements())),
        lost=tuple(sorted((story - output).items(), key=lambda item: (-item[1], item[0]))),
        taken=tuple(taken))


def score_document(doc: Doc, *, layouts: tuple[str, ...], seed: int) -> list[DocScore]:
    """Clean every layout of one document; each layout draws from its own seeded rng."""
    baseline = dedup.clean(doc.text)
    scores = []
    for layout in layouts:
        variant = LAYOUTS[layout](doc.text, random.Random(f"{seed}:{doc.id}:{layout}"))
        result = baseline if variant == doc.text else dedup.clean(variant)
        scores.append(score_variant(doc, layout, variant, result, baseline))
    return scores


# --- corpora -----------------------------------------------------------------------------------

_SIGNOFF = re.compile(r"\n[ \t]*reuters?(?:\^M|\.\.\.)?[ \t]*\Z", re.IGNORECASE)


def load_docs(corpus: str, root: Path, *, limit: int, seed: int) -> list[Doc]:
    """Sample ``limit`` stories of at least 200 characters (all with ``limit=0``)."""
    if corpus == "reuters":
        pairs = [(i, _SIGNOFF.sub("", t.rstrip())) for i, t in load_reuters(root / "reuters21578")]
    else:
        pairs = load_bbc(root / "bbc-news-raw")
    docs = [Doc(corpus=corpus, id=i, text=t) for i, t in pairs if len(t) >= MIN_STORY_CHARS]
    if 0 < limit < len(docs):
        chosen = set(random.Random(seed).sample(range(len(docs)), limit))
        docs = [doc for index, doc in enumerate(docs) if index in chosen]
    return docs


# --- report ------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else math.nan


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One corpus x layout: the metrics and the story words each removing rule took."""

    corpus: str
    layout: str
    docs: int
    kept: float
    kept_p5: float
    lose_10: float
    jaccard: float
    jaccard_p5: float
    chrome_removed: float | None  # None: the layout adds no chrome
    removed_by_rule: dict[str, int]

    @property
    def fails(self) -> tuple[str, ...]:
        """The floors this row misses."""
        passed = {"kept": self.kept >= FLOORS["kept"],
                  "lose_10": self.lose_10 <= FLOORS["lose_10"],
                  "jaccard": self.jaccard >= FLOORS["jaccard"],
                  "chrome_removed": (self.chrome_removed is None
                                     or self.chrome_removed >= FLOORS["chrome_removed"])}
        return tuple(name for name, ok in passed.items() if not ok)


def summarise(scores: list[DocScore]) -> Row:
    kept, jaccard = [s.kept for s in scores], [s.jaccard for s in scores]
    added = sum(s.chrome_added for s in scores)
    by_rule: Counter[str] = Counter()
    for score in scores:
        for taken in score.taken:
            by_rule[taken.rule] += taken.words
    return Row(corpus=scores[0].corpus, layout=scores[0].layout, docs=len(scores),
               kept=sum(kept) / len(kept), kept_p5=percentile(kept, 0.05),
               lose_10=sum(k < 0.9 for k in kept) / len(kept),
               jaccard=sum(jaccard) / len(jaccard), jaccard_p5=percentile(jaccard, 0.05),
               chrome_removed=(1 - sum(len(s.chrome_kept) for s in scores) / added
                               if added else None),
               removed_by_rule=dict(by_rule.most_common()))


def print_table(rows: list[Row]) -> None:
    print(f"floors: kept >= {FLOORS['kept']}, lose>10% <= {FLOORS['lose_10']}, "
          f"jaccard >= {FLOORS['jaccard']}, chrome removed >= {FLOORS['chrome_removed']}")
    print(f"{'corpus':<8} {'layout':<17} {'docs':>5} {'kept':>7} {'kept p5':>7} "
          f"{'lose>10%':>8} {'jaccard':>7} {'jac p5':>7} {'chrome':>6}  verdict")
    print("-" * 96)
    for row in rows:
        chrome = "-" if row.chrome_removed is None else f"{row.chrome_removed:.3f}"
        verdict = "FAIL " + ",".join(row.fails) if row.fails else "PASS"
        print(f"{row.corpus:<8} {row.layout:<17} {row.docs:>5} {row.kept:>7.4f} "
              f"{row.kept_p5:>7.4f} {row.lose_10:>8.3f} {row.jaccard:>7.4f} "
              f"{row.jaccard_p5:>7.4f} {chrome:>6}  {verdict}")
    print("\nstory words removed, by rule (top 4 per row):")
    for row in rows:
        if row.removed_by_rule:
            top = ", ".join(f"{rule} {n}" for rule, n in list(row.removed_by_rule.items())[:4])
            print(f"  {row.corpus:<8} {row.layout:<17} {top}")


def _clip(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def not_intact(scores: list[DocScore]) -> list[DocScore]:
    """Documents that lost words, changed text or kept chrome; the worst (least kept) first."""
    hurt = [s for s in scores if s.kept < 1 or s.jaccard < 1 or s.chrome_kept]
    return sorted(hurt, key=lambda s: (s.kept, s.jaccard, s.id))


def print_worst(scores: list[DocScore], count: int) -> None:
    """The documents of one corpus x layout that kept least, with the removals that took words."""
    hurt = not_intact(scores)
    if not hurt:
        return
    print(f"\n=== {scores[0].corpus} / {scores[0].layout}: worst {min(count, len(hurt))} "
          f"of {len(hurt)} documents not left intact")
    for score in hurt[:count]:
        print(f"  {score.id}: kept {score.kept:.3f}, jaccard {score.jaccard:.3f}")
        if score.lost:
            print("    lost: " + _clip(" ".join(f"{w}×{n}" if n > 1 else w
                                                  for w, n in score.lost), 100))
        for taken in score.taken:
            print(f"    - [{taken.rule}] {taken.words} words ({_clip(taken.detail, 70)}): "
                  f"{_clip(taken.text, 90)}")
        if score.chrome_kept:
            print("    chrome kept: " + _clip(" | ".join(score.chrome_kept), 100))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA,
                        help="folder holding reuters21578/ and bbc-news-raw/ (default: "
                             "../shared/corpora beside the repository)")
    parser.add_argument("--corpus", action="append", choices=("reuters", "bbc"),
                        help="only this corpus (repeatable; default both)")
    parser.add_argument("--layout", action="append", choices=sorted(LAYOUTS), metavar="NAME",
                        help=f"only this layout (repeatable; default all: {', '.join(LAYOUTS)})")
    parser.add_argument("--limit", type=int, default=400,
                        help="documents sampled per corpus (default 400; 0 for all)")
    parser.add_argument("--seed", type=int, default=0, help="sampling and layout seed")
    parser.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    parser.add_argument("--show-worst", type=int, default=0, metavar="N",
                        help="print the N worst documents per corpus x layout, with the "
                             "lost words and the removals that took them")
    parser.add_argument("--json", action="store_true",
                        help="print JSON only (with --show-worst, each row's worst documents)")
    parser.add_argument("--check", action="store_true", help="exit 1 if any floor fails")
    args = parser.parse_args(argv)
    layouts = tuple(dict.fromkeys(args.layout or LAYOUTS))

    started = time.perf_counter()
    groups: list[list[DocScore]] = []
    for corpus in args.corpus or ("reuters", "bbc"):
        docs = load_docs(corpus, args.corpora, limit=args.limit, seed=args.seed)
        work = functools.partial(score_document, layouts=layouts, seed=args.seed)
        if args.workers > 1:
            with Pool(args.workers) as pool:
                per_doc = pool.map(work, docs, chunksize=16)
        else:
            per_doc = list(map(work, docs))
        groups.extend([doc[i] for doc in per_doc] for i in range(len(layouts)) if per_doc)
    rows = [summarise(scores) for scores in groups]
    elapsed = time.perf_counter() - started

    if args.json:
        print(json.dumps({
            "dedup": str(Path(dedup.__file__).parent), "seed": args.seed, "limit": args.limit,
            "floors": FLOORS, "seconds": elapsed,
            "rows": [{**asdict(row), "fails": row.fails,
                      "worst": [asdict(s) for s in not_intact(scores)[:args.show_worst]]}
                     for row, scores in zip(rows, groups, strict=True)],
        }, indent=2, ensure_ascii=False))
    else:
        print(f"dedup from {Path(dedup.__file__).parent}; seed {args.seed}; "
              f"{elapsed:.1f} s with {args.workers} worker(s)")
        print_table(rows)
        for scores in groups if args.show_worst else ():
            print_worst(scores, args.show_worst)
    return 1 if args.check and any(row.fails for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
