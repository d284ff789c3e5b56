"""Metadata lines: leading date headers, a date glued to the first paragraph, agency tags.

These carry facts about the document, not its content: they leave the body and
are parsed into :class:`dedup.DocumentMetadata`. Every pattern is anchored to
where such lines sit (the head of the document, the start of the first
paragraph, the end of the last one), so a date or an agency named inside a
sentence is never touched.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from dedup.cleaning._text import ends_sentence, words
from dedup.cleaning.segment import Block
from dedup.report import MetadataField, Removal

__all__ = ["MetadataFindings", "find_date_labels", "find_date_lines", "find_metadata",
           "find_page_title",
           "find_stamp_bylines", "find_title", "is_date_line", "looks_like_headline",
           "parse_date"]

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?:{})\.?".format("|".join(sorted(_MONTHS, key=len, reverse=True)))
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+"
# A clock time. Not with a numeric zone ("-0400"): that is a mail header's
# date, and a raw message's headers are its own (measured on the standard
# library's e-mail test messages, where a date header and the lines it spoke
# for as boilerplate evidence were 10-40% of a message's words).
_TIME = r"(?:\s*(?:[,|@-]|at)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)"
# The C library's date, which mail archives and logs print: "Mar 12 10:21:33 EDT 2019"
# (the weekday before it is _WEEKDAY's).
_CTIME = rf"{_MONTH}\s+\d{{1,2}}\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s+[A-Z]{{2,5}})?\s+\d{{4}}"
_DATE = (
    rf"(?:{_WEEKDAY})?(?:"
    rf"\d{{4}}-\d{{1,2}}-\d{{1,2}}(?:T\d{{2}}:\d{{2}}(?::\d{{2}})?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    rf"|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}}"
    rf"|{_CTIME}"
    rf"){_TIME}?"
)
_LABEL = (r"(?:date|dated|published|published on|posted|posted on|updated|last updated|"
          r"last updated on|modified|last modified|on)\s*:?\s*")
_UPDATED = (rf"(?:[,|;-]?\s*\(?\s*(?:last\s+)?(?:updated|modified)(?:\s+on)?\s*:?\s*"
            rf"(?P<updated>{_DATE})\s*\)?)")
_DATE_HEADER = re.compile(
    rf"\s*(?:{_LABEL})?(?P<published>{_DATE})\s*{_UPDATED}?\s*", re.IGNORECASE)
# A date glued to a paragraph that starts with a capital: "on" is no label here
# ("On February 12, 2021 the minister said" is a sentence), and the capital is
# matched case-sensitively.
_PREFIX_LABEL = _LABEL.replace("|on)", ")")
_DATE_PREFIX = re.compile(
    rf"\s*(?:{_PREFIX_LABEL})?(?P<published>{_DATE})\s+(?=[\"“'‘(]?(?-i:[A-Z]))", re.IGNORECASE)

_AGENCIES = (
    "Reuters", "AP", "AFP", "ANI", "IANS", "PTI", "UNI", "UPI", "Xinhua", "TASS", "Interfax",
    "RIA Novosti", "Sputnik", "dpa", "DPA", "EFE", "ANSA", "Kyodo", "Yonhap", "Bernama",
    "Anadolu", "AA", "IRNA", "ISNA", "Tasnim", "Fars", "Mehr", "WAM", "SPA", "KUNA", "MENA",
    "QNA", "APA", "Bloomberg", "Reuter", "CNA", "NNA", "Pajhwok", "Xinhua/IANS", "AP Photo",
    "رويترز", "أ ف ب", "ا ف ب", "د ب أ", "ایرنا", "ایسنا", "РИА Новости", "ТАСС", "Интерфакс",
)
_AGENCY = "(?P<agency>{})".format(
    "|".join(re.escape(a) for a in sorted(_AGENCIES, key=len, reverse=True)))
# "KABUL (Reuters) - ", "WASHINGTON, Jan 5 (Reuters) - ", "(Reuters) — ": a city in
# capitals, an optional region and date, the agency in brackets, then a dash.
_DATELINE = re.compile(
    rf"\s*(?:[A-Z][A-Z.'’ -]{{1,40}}(?:,\s*[A-Z][\w.'’ -]{{1,30}})?"
    rf"(?:,\s*{_MONTH}\s+\d{{1,2}})?\s*)?\({_AGENCY}\)\s*[-–—:]+\s*"
)
_TRAILING_TAG = re.compile(rf"\s*[(\[]{_AGENCY}[)\]]\s*$")
_AGENCY_LINE = re.compile(rf"\s*[(\[]?{_AGENCY}[)\]]?\s*")
# The wire's sign-off line closing a story ("Reuter", "REUTER", "AP"), any case.
_SIGN_OFF = re.compile(rf"\s*[(\[]?{_AGENCY}[)\]]?\s*", re.IGNORECASE)
_BYLINE = re.compile(r"\s*(?:by|von|par|por|от|بقلم)\s+[^\W\d_][\w.'’-]*(?:\s+[\w.'’&,-]+){0,6}\s*",
                     re.IGNORECASE)

# The "By"/"Von"/"Par" a byline starts with.
_BYLINE_WORD = re.compile(r"^\s*\S+\s+")

#: A block with this many words that ends like a sentence is article prose:
#: header lines (dates, bylines) are only looked for before it.
_PROSE_WORDS = 15


@dataclass(frozen=True, slots=True, kw_only=True)
class MetadataFindings:
    """Removals of metadata lines and the values parsed from them."""

    removals: tuple[Removal, ...] = ()
    published: dt.date | None = None
    updated: dt.date | None = None
    agency: str | None = None
    author: str | None = None
    fields: tuple[MetadataField, ...] = ()


# The formats parse_date reads, compiled once: an f-string pattern handed to
# re.search is rebuilt and looked up in re's cache on every call.
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_NAMED_DATE = re.compile(rf"({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})")
_NAMED_FIRST_DATE = re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH}),?\s+(\d{{4}})")
_CTIME_DATE = re.compile(
    rf"({_MONTH})\s+(\d{{1,2}})\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s+[a-z]{{2,5}})?\s+(\d{{4}})")


def parse_date(text: str) -> dt.date | None:
    """Parse the date formats news pages use; ``None`` when it is not a real date.

    >>> parse_date("February 12, 2021"), parse_date("2021-02-12 10:00"), parse_date("31/02/2021")
    (datetime.date(2021, 2, 12), datetime.date(2021, 2, 12), None)
    >>> parse_date("Tue Mar 12 10:21:33 EDT 2019")
    datetime.date(2019, 3, 12)
    """
    text = text.strip().casefold()
    # Formats in order of preference, each searched only if the previous failed.
    if iso := _ISO_DATE.search(text):
        year, month, day = (int(g) for g in iso.groups())
    elif (named := _CTIME_DATE.search(text)) or (named := _NAMED_DATE.search(text)):
        month, day, year = _MONTHS[named.group(1).rstrip(".")], int(named.group(2)), int(
            named.group(3))
    elif named_first := _NAMED_FIRST_DATE.search(text):
        day, month, year = int(named_first.group(1)), _MONTHS[
            named_first.group(2).rstrip(".")], int(named_first.group(3))
    elif numeric := _NUMERIC_DATE.search(text):
        # Day first: the order of most of the world's news sites.
        day, month, year = (int(g) for g in numeric.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _is_real_date(text: str) -> bool:
    """Say whether ``text`` holds a date that exists, read day first or, failing that, month first.

    A date line is removed, not parsed into a field, so the US order
    ("10/18/2004") counts as well.
    """
    if parse_date(text) is not None:
        return True
    numeric = _NUMERIC_DATE.search(text)
    if numeric is None:
        return False
    month, day, year = (int(g) for g in numeric.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _is_prose(block: Block) -> bool:
    return len(block.words) >= _PROSE_WORDS and ends_sentence(block.text)


def _explain(explain: bool, message: str) -> str:
    return message if explain else ""


class _Collector:
    def __init__(self, explain: bool) -> None:
        self.explain = explain
        self.removals: list[Removal] = []
        self.fields: list[MetadataField] = []
        self.values: dict[str, object] = {}

    def remove(self, start: int, end: int, rule: str, detail: str) -> None:
        self.removals.append(Removal(start=start, end=end, rule=rule,
                                     detail=_explain(self.explain, detail)))

    def found(self, name: str, value: object, shown: str, start: int, end: int) -> None:
        if value is None or name in self.values:
            return
        self.values[name] = value
        self.fields.append(MetadataField(name=name, value=shown, start=start, end=end))


def _header_block(block: Block, out: _Collector, enabled: AbstractSet[str]) -> bool:
    """Handle one block of the document head; say whether it was removed whole."""
    header = _DATE_HEADER.fullmatch(block.text)
    if header and "metadata.date_header" in enabled:
        published = parse_date(header.group("published"))
        if published is not None:
            updated_text = header.group("updated")
            updated = parse_date(updated_text) if updated_text else None
            out.remove(block.start, block.end, "metadata.date_header",
                       f"date header {block.text.strip()!r} on {block.lines}")
            out.found("published", published, published.isoformat(), block.start, block.end)
            if updated is not None:
                out.found("updated", updated, updated.isoformat(), block.start, block.end)
            return True
    if "metadata.agency_tag" in enabled:
        tag = _AGENCY_LINE.fullmatch(block.text)
        if tag:
            out.remove(block.start, block.end, "metadata.agency_tag",
                       f"agency tag {block.text.strip()!r} on {block.lines}")
            out.found("agency", tag.group("agency"), tag.group("agency"), block.start, block.end)
            return True
    if "metadata.byline" in enabled and len(block.words) <= 8 and not ends_sentence(
            block.text):
        byline = _BYLINE.fullmatch(block.text)
        if byline:
            out.remove(block.start, block.end, "metadata.byline",
                       f"byline {block.text.strip()!r} on {block.lines}")
            author = _BYLINE_WORD.sub("", block.text).strip()
            out.found("author", author, author, block.start, block.end)
            return True
    return False


def _first_paragraph(text: str, block: Block, out: _Collector, enabled: AbstractSet[str]) -> None:
    """Strip a date prefix and a dateline from the start of the first paragraph."""
    position = block.start
    if "metadata.date_prefix" in enabled:
        prefix = _DATE_PREFIX.match(text, position, block.end)
        published = parse_date(prefix.group("published")) if prefix else None
        if prefix and published is not None:
            out.remove(prefix.start(), prefix.end(), "metadata.date_prefix",
                       f"date {prefix.group('published')!r} glued to the first paragraph")
            out.found("published", published, published.isoformat(), prefix.start(), prefix.end())
            position = prefix.end()
    if "metadata.agency_tag" in enabled:
        dateline = _DATELINE.match(text, position, block.end)
        if dateline and dateline.end() < block.end:
            out.remove(dateline.start(), dateline.end(), "metadata.agency_tag",
                       f"dateline {text[dateline.start():dateline.end()].strip()!r}")
            agency = dateline.group("agency")
            out.found("agency", agency, agency, dateline.start(), dateline.end())


def _trailing_tag(text: str, block: Block) -> re.Match[str] | None:
    """``_TRAILING_TAG.search`` over ``block``, started where a match can start.

    Searching the whole block costs 20 ns per character, as the leading ``\\s*``
    makes the engine try every position. A match is a bracket, an agency (no
    brackets in it), a closing bracket and spaces to the end: the block must end
    with ``)`` or ``]`` once stripped, the match's bracket is the last ``(`` or
    ``[`` of the block and the match starts at the spaces before that bracket
    (``\\s`` is ``str.isspace``), so searching from there finds the same match.
    """
    stripped = text[block.start:block.end].rstrip()
    if not stripped.endswith((")", "]")):
        return None
    opening = max(stripped.rfind("("), stripped.rfind("["))
    if opening < 0:
        return None
    begin = block.start + opening
    while begin > block.start and text[begin - 1].isspace():
        begin -= 1
    return _TRAILING_TAG.search(text, begin, block.end)


#: What most documents yield: no metadata line at all (built once, as a
#: frozen dataclass costs microseconds to build).
_NOTHING = MetadataFindings()


def find_metadata(text: str, blocks: Sequence[Block], *, enabled: AbstractSet[str],
                  explain: bool = True, removed: AbstractSet[int] = frozenset()
                  ) -> MetadataFindings:
    """Find date headers, date prefixes, datelines and trailing agency tags.

    Args:
        text: the normalized text the blocks index.
        blocks: its blocks, from :func:`dedup.cleaning.segment.segment`.
        enabled: the metadata rule ids that may fire.
        explain: build the human ``detail`` of each removal.
        removed: blocks other steps removed: the head and the end of the text
            are read as the cleaned text will have them.

    >>> from dedup.cleaning.segment import segment
    >>> t = " date 2021-08-10 Talks went on in Doha. (ANI)"
    >>> found = find_metadata(t, segment(t).blocks, enabled={"metadata.date_prefix",
    ...                                                       "metadata.agency_tag"})
    >>> [t[r.start:r.end] for r in found.removals], found.published, found.agency
    ([' date 2021-08-10 ', ' (ANI)'], datetime.date(2021, 8, 10), 'ANI')
    """
    if removed:
        blocks = [block for block in blocks if block.index not in removed]
    out = _Collector(explain)
    first_content: Block | None = None
    for block in blocks:
        prose = _is_prose(block)
        if prose or not _header_block(block, out, enabled):
            if first_content is None and len(block.words) >= _PROSE_WORDS:
                first_content = block
            if prose:
                break
    if first_content is None:
        removed_starts = {r.start for r in out.removals}
        first_content = next((b for b in blocks if b.start not in removed_starts), None)
    if first_content is not None:
        _first_paragraph(text, first_content, out, enabled)
    if blocks and "metadata.agency_tag" in enabled:
        last = blocks[-1]
        tail = _trailing_tag(text, last)
        sign_off = _SIGN_OFF.fullmatch(last.text) if len(blocks) > 1 else None
        if sign_off and not any(r.start <= last.start < r.end for r in out.removals):
            out.remove(last.start, last.end, "metadata.agency_tag",
                       f"agency sign-off {last.text.strip()!r} closing the text")
            out.found("agency", sign_off.group("agency"), sign_off.group("agency"),
                      last.start, last.end)
        elif tail and tail.start() > last.start and not any(
                r.start <= tail.start() < r.end for r in out.removals):
            out.remove(tail.start(), tail.end(), "metadata.agency_tag",
                       f"agency tag {tail.group(0).strip()!r} closing the text")
            out.found("agency", tail.group("agency"), tail.group("agency"), tail.start(),
                      tail.end())
    values = out.values
    if not out.removals and not values:
        return _NOTHING
    return MetadataFindings(
        removals=tuple(sorted(out.removals, key=lambda r: r.start)),
        published=values.get("published"),  # type: ignore[arg-type]
        updated=values.get("updated"),  # type: ignore[arg-type]
        agency=values.get("agency"),  # type: ignore[arg-type]
        author=values.get("author"),  # type: ignore[arg-type]
        fields=tuple(out.fields),
    )


#: A clock time after a time ago: "2 days ago at 07:52 am" (a forum post's stamp).
_AGO_CLOCK = r"\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?"
#: "3 hours ago", "a day ago": a teaser's or a comment's time, relative to the page's;
#: also with the unit in one or two letters, as widgets print it ("25M ago", "5h ago",
#: "3d ago"), and with the clock time after it.
_AGO = (r"(?:(?:about\s+)?(?:\d+|an?)\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?"
        r"|months?|years?)|\d+\s?(?:s|m|h|d|w|y|mo|hr|min)\.?)\s+ago"
        rf"(?:\s+at\s+{_AGO_CLOCK})?")
#: The same in the other languages pages come in, each a closed set of units
#: around a number: "il y a 2 minutes", "hace 3 horas", "vor 5 Minuten",
#: "10 minuti fa", "3 uur geleden", "för 5 minuter sedan", "5 минут назад".
_AGO_OTHER = (
    r"il\s+y\s+a\s+\d+\s*(?:secondes?|minutes?|min|heures?|h|jours?|semaines?|mois|ans?)"
    r"|hace\s+\d+\s*(?:segundos?|minutos?|min|horas?|h|d[ií]as?|semanas?|meses|mes|años?)"
    r"|h[áa]\s+\d+\s*(?:segundos?|minutos?|min|horas?|h|dias?|semanas?|meses|m[êe]s|anos?)"
    r"|vor\s+\d+\s*(?:Sekunden?|Minuten?|Min\.?|Stunden?|Std\.?|Tag(?:en)?|Wochen?"
    r"|Monat(?:en)?|Jahr(?:en)?)"
    r"|\d+\s*(?:secondi|minuti|min|ore|ora|giorni|giorno|settimane|mesi|anni)\s+fa"
    r"|\d+\s*(?:seconden|minuten|min|uur|dagen|dag|weken|maanden|jaar)\s+geleden"
    r"|för\s+\d+\s*(?:sekunder|minuter|min|timmar|timme|dagar|dag|veckor|månader|år)\s+sedan"
    r"|\d+\s*(?:секунд[уы]?|минут[уы]?|час(?:а|ов)?|дн(?:я|ей)|день|недел[юиь]|месяц(?:а|ев)?"
    r"|год(?:а)?|лет)\s+назад")
#: A label that stamps a teaser or a comment with its time: "Updated 22:42",
#: "Publié à 12:13", "Aggiornato alle 22:42". Only with a label is a clock
#: time a date line; "12:13" alone may be a verse or a score.
_TIME_LABEL = (
    r"(?:published|posted|updated|last\s+updated|modified|publié|mis\s+à\s+jour|modifié"
    r"|publicado|actualizado|pubblicato|aggiornato|veröffentlicht|aktualisiert|gepubliceerd"
    r"|bijgewerkt|publicerad|uppdaterad|опубликовано|обновлено)"
    r"(?:\s+(?:at|on|à|a\s+las|às|alle|um|om|kl\.?|в))?\s*:?\s*")
_CLOCK = r"\d{1,2}[:h.]\d{2}(?:\s*(?:[ap]\.?m\.?|uhr|h))?"
_AGO_LINE = re.compile(
    rf"\s*(?:{_LABEL}|{_TIME_LABEL})?(?:{_AGO}|{_AGO_OTHER})\s*|\s*{_TIME_LABEL}{_CLOCK}\s*",
    re.IGNORECASE)
#: A date line is short: "Posted on Monday, May 31st, 2004 at 8:40 pm" has nine words.
_DATE_LINE_WORDS = 12
#: ... and at most this long, a cheap first test: most lines are prose.
_DATE_LINE_CHARS = 100
#: Every date form above has a four-digit year; a relative time or a clock time has a digit.
_DATE_HINT = re.compile(r"\d|\ban?\s+\w+\s+ago\s*$", re.IGNORECASE)
# _DATE_HINT answered in two scans of one character class or literal, which the
# regex engine runs without trying an alternation at every position: a match
# is a digit or holds "ago", and only then is _DATE_HINT itself asked. On the
# 107,000 distinct lines of web-pages-dev, 0.09-0.11 s against 0.19-0.24 s (two
# runs; same answers, tests/cleaning/test_fast_paths.py compares the two).
_DIGIT = re.compile(r"\d")
_AGO_WORD = re.compile("ago", re.IGNORECASE)


def _has_date_hint(text: str) -> bool:
    """``_DATE_HINT.search(text) is not None``, sooner."""
    return _DIGIT.search(text) is not None or (
        _AGO_WORD.search(text) is not None and _DATE_HINT.search(text) is not None)


# A stamp line that news systems print above or under a story, in the forms the
# date header does not take: the time before the date ("10:48, Tue, Nov 19, 2019",
# "Sat 8:31 PM, Feb 17, 2018"), a date without its year but with a time ("Nov 19,
# 6:55 AM"), and two stamps in one line ("PUBLISHED: ... | UPDATED: ...",
# "Updated ... / Original ...", "Published ... Updated an hour ago").
# A colon, or a dot with am/pm: "1.19" before a date is a version, not a time. The
# zone is in capitals ("EST"), not a user name ("garu").
_CLOCK_TIME = (r"(?:\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|\d{1,2}\.\d{2}\s*[ap]\.?m\.?)"
               r"(?:\s*(?-i:[A-Z]{2,4})\b)?")
_STAMP_LABEL = rf"(?:{_LABEL}|original\s*:?\s*)"
_STAMP = (
    rf"(?:"
    rf"(?:{_WEEKDAY})?{_CLOCK_TIME}\s*,?\s*(?:{_WEEKDAY})?{_DATE}"
    rf"|{_DATE}"
    rf"|(?:{_WEEKDAY})?{_MONTH}\s+\d{{1,2}},?\s*(?:at\s+)?{_CLOCK_TIME})")
# A second stamp has its label: two bare dates may be a range ("29 November | 20 January").
_STAMP_LINE = re.compile(
    rf"\s*{_STAMP_LABEL}?{_STAMP}"
    rf"(?:\s*[|;/,\u2013\u2014-]?\s*(?:{_STAMP_LABEL}{_STAMP}|{_STAMP_LABEL}?{_AGO}))+\s*\|?\s*"
    rf"|\s*{_STAMP_LABEL}?{_STAMP}\s*\|?\s*",
    re.IGNORECASE)
_ANY_DATE = re.compile(_DATE, re.IGNORECASE)
# What every stamp form beyond the date header's holds: a colon or am/pm of its
# clock time, the separator after a date ("Nov 19, 2019 |"), a second stamp's label.
_STAMP_HINT = re.compile(
    # No word boundaries: the pattern lets a label touch a date ("2019-11-19Posted
    # 2019-11-19") and a zone touch am/pm ("6.55amEST"), which Hypothesis found.
    r"[:|;/]|ago|[ap]\.?m|date|published|posted|updated|modified|on|original",
    re.IGNORECASE)
_CLOCK_ANYWHERE = re.compile(r"\d{1,2}[:.]\d{2}")  # the stamp itself holds a _CLOCK_TIME
# What every stamp holds besides: the four-digit year of a _DATE (each of its
# forms has one) or the digits of a _CLOCK_TIME (the form without a year has
# one). Asked before the hint, whose words ("on" is in "Monday" and
# "information") take a search of their own: of the 13,176 lines of
# web-pages-dev that reach _is_stamp_line, 7,168 hold neither, and it takes
# 0.077 s over them all against 0.116 s (mean of six runs each, in turns).
_YEAR_OR_CLOCK = re.compile(r"\d{4}|\d[:.]\d\d")

# An archive widget's months, after a label of up to three words: "Archives Select
# Month October 2019 September 2019 ...", "月別 月を選択 2019年11月 2019年4月 ...".
_ARCHIVE_MONTH = rf"(?:{_MONTH}\s+\d{{4}}|\d{{4}}年\d{{1,2}}月)(?:\s*\(\d{{1,5}}\))?"
_MONTH_LIST = re.compile(
    rf"\s*(?:[^\d\s]{{1,20}}\s+){{0,3}}(?:{_ARCHIVE_MONTH}\s+){{2,}}{_ARCHIVE_MONTH}\s*",
    re.IGNORECASE)
#: The longest archive list tried (ten years of months).
_MONTH_LIST_CHARS = 2_000


def _is_month_list(text: str) -> bool:
    """Say whether ``text`` is an archive widget's months (``_MONTH_LIST``).

    Three months with their years hold twelve digits and no sentence's comma
    or full stop: the cheap tests rule out almost every line before the pattern.
    """
    return ("." not in text and "," not in text and len(text) <= _MONTH_LIST_CHARS
            and sum(map(str.isdigit, text)) >= 12 and _MONTH_LIST.fullmatch(text) is not None)


def _is_stamp_line(text: str) -> bool:
    """Say whether ``text`` is a stamp line (``_STAMP_LINE``) whose dates exist.

    Every form the date header does not take holds a clock time (a colon or
    am/pm), a separator or a second stamp's label (``_STAMP_HINT``); most lines
    with a digit hold none of them and are spared the pattern (clean() asks of
    every line). The hint never changes the answer: each form needs one.
    """
    if (_YEAR_OR_CLOCK.search(text) is None or _STAMP_HINT.search(text) is None
            or _STAMP_LINE.fullmatch(text) is None):
        return False
    dates = [found.group(0) for found in _ANY_DATE.finditer(text)]
    if dates:
        return all(_is_real_date(date) for date in dates)
    return _CLOCK_ANYWHERE.search(text) is not None  # a date without its year, with a time


#: How every form :func:`is_date_line` reads but the archive's months starts: spaces,
#: a label, a weekday, then a digit, a month or the first word of a time ago
#: ("about", "an", "il y a", "hace", "há", "vor", "för"). The date header, the
#: time-ago line and the stamp line are each matched from the line's first
#: character, and each of their forms begins so (tests/cleaning/test_fast_paths.py
#: compares :func:`is_date_line` with :func:`_reference_is_date_line`, which
#: does not ask it).
_DATE_LINE_START = re.compile(
    rf"\s*(?:{_LABEL}|{_TIME_LABEL}|{_STAMP_LABEL})?(?:{_WEEKDAY})?"
    rf"(?:\d|{_MONTH}|about\s|an?\s|il\s|hace\s|h[áa]\s|vor\s|för\s)",
    re.IGNORECASE)


def is_date_line(text: str) -> bool:
    """Say whether a line or block carries nothing but a date that exists or a time ago.

    >>> [is_date_line(line) for line in ("3 hours ago", "il y a 2 minutes", "Publié à 12:13",
    ...                                  "Aggiornato alle 22:42", "12:13", "Hace dos días")]
    [True, True, True, True, False, False]
    >>> [is_date_line(line) for line in ("25M ago", "updated 5h ago", "2 days ago at 07:52 am",
    ...                                  "12 ago", "5 Hz ago")]
    [True, True, True, False, False]
    """
    if len(text) > _DATE_LINE_CHARS:
        return _is_month_list(text)
    if not _has_date_hint(text):
        return False
    if _DATE_LINE_START.match(text) is None:
        # Only an archive's months can be a date line that starts so. A line
        # of prose with a figure in it ("Shares rose 12 pct in 1986"), a third
        # of the lines of hard-wrapped wire copy, went through the header,
        # time-ago and stamp patterns, 6 us a line: over the 393,475 distinct
        # lines of Reuters-21578, is_date_line takes 1.28 s against 1.99 s,
        # over web-pages-dev's 91,672 0.18 s against 0.22 s (best of three).
        return _is_month_list(text)
    return _is_dated(text)


def _reference_is_date_line(text: str) -> bool:
    """:func:`is_date_line` as first written, without ``_DATE_LINE_START``."""
    if len(text) > _DATE_LINE_CHARS:
        return _is_month_list(text)
    if not _has_date_hint(text):
        return False
    return _is_dated(text)


def _is_dated(text: str) -> bool:
    """:func:`is_date_line` of a line of at most ``_DATE_LINE_CHARS`` with a date hint."""
    if len(text.split()) > _DATE_LINE_WORDS:  # two stamps: "Updated ... / Original ..."
        return _is_stamp_line(text) or _is_month_list(text)
    header = _DATE_HEADER.fullmatch(text)
    return bool(header and _is_real_date(header.group("published"))) or bool(
        _AGO_LINE.fullmatch(text)) or _is_stamp_line(text) or _is_month_list(text)


def find_date_lines(blocks: Sequence[Block], *, removed: AbstractSet[int],
                    explain: bool = True,
                    is_date: Callable[[str], bool] = is_date_line) -> tuple[Removal, ...]:
    """Return ``metadata.date_line`` removals: blocks that carry nothing but a date or a time.

    A line of only a date away from the head stamps something other than the
    document: a comment, a teaser in a list of other stories, an archive
    entry. The document's own date is the head's (:func:`find_metadata`);
    a date inside a sentence, a heading with words of its own ("March 3:
    talks resume") or a date that does not exist (31/02/2021) is not a date line.
    Segmentation keeps such a line a block of its own (:func:`is_date_line`).
    ``is_date`` is :func:`is_date_line` or a memo of it: the cleaner passes the
    one segmentation filled, which knows the answer for every one-line block.
    """
    return tuple(
        Removal(start=block.start, end=block.end, rule="metadata.date_line",
                detail=_explain(explain, f"date line {block.text.strip()!r} on {block.lines}"))
        for block in blocks if block.index not in removed and is_date(block.text))


# A byline as a post, a teaser or a comment is signed: "By Laura Mowat", "Posted by
# Vortex", "Written by John Biggs". Only the words that open a byline in our
# languages, never a preposition a menu entry opens with ("da", "di": "Notícias
# da Fórmula 1"); then a name of up to six words, names joined by "and" or "&".
_SIGNED_BY = re.compile(r"\b(?:by|von|par|por|door)\b", re.IGNORECASE)
_SIGNED = re.compile(
    r"\s*(?:(?:posted|written|words|text|story|reported)\s+)?(?:by|von|par|por|door)\s+"
    r"[^\W\d_][\w.'’-]*(?:\s*(?:[^\W\d_][\w.'’-]*|&|and|,)){0,5}\s*",
    re.IGNORECASE)
# Between a byline and its date on one line: "by Jeff Foust — November 18, 2019",
# "By HNN Staff | November 18, 2019 at 2:26 PM", "Posted by Paul on January 6, 2008".
_SIGNED_SEPARATOR = re.compile(r"\s*(?:[|/\u2013\u2014•·,-]|\b(?:on|at)\b)\s*", re.IGNORECASE)
#: The longest line read as a byline with its date.
_SIGNED_CHARS = 160


def _is_signed(text: str) -> bool:
    return _SIGNED.fullmatch(text) is not None and not ends_sentence(text)


def _is_signed_by_name(text: str) -> bool:
    """A byline whose name is capitalised: "By Laura Mowat", not the heading "By the river"."""
    lead = _SIGNED_BY.search(text)
    if lead is None or not _is_signed(text):
        return False
    after = text[lead.end():].split()
    return all(word[:1].isupper() or word in {"&", "and", ","} for word in after)


def _is_signed_stamp(text: str, is_date: Callable[[str], bool]) -> bool:
    """Say whether a line is a byline and a date line, in either order, with a separator."""
    for separator in _SIGNED_SEPARATOR.finditer(text):
        head, tail = text[:separator.start()], text[separator.end():]
        if head.strip() and tail.strip() and (
                (_is_signed(head) and is_date(tail)) or (is_date(head) and _is_signed(tail))):
            return True
    return False


def find_stamp_bylines(blocks: Sequence[Block], *, removed: AbstractSet[int],
                       dated: AbstractSet[int], explain: bool = True,
                       is_date: Callable[[str], bool] = is_date_line) -> tuple[Removal, ...]:
    """Return ``metadata.byline`` removals: bylines stamped with a date, anywhere.

    A byline with its date on the line ("by Jeff Foust — November 18, 2019") or a
    byline right above or under a date line (``dated``: blocks a date rule
    removed) signs a post, a teaser or a comment: metadata, like the date itself,
    never the text's prose. Away from the head, so not parsed into ``author``:
    it may sign another story. Beside a date line the name must be capitalised
    ("By the river" is a heading); a "By" line alone stays, unless it heads the
    text (:func:`find_metadata`).
    """
    found: list[Removal] = []
    for position, block in enumerate(blocks):
        text = block.text
        if (block.index in removed or block.is_joined or len(text) > _SIGNED_CHARS
                or _SIGNED_BY.search(text) is None):
            continue
        if _is_signed_by_name(text):
            beside = {blocks[p].index for p in (position - 1, position + 1)
                      if 0 <= p < len(blocks)}
            if beside.isdisjoint(dated):
                continue
            why = "beside a date line"
        elif any(map(str.isdigit, text)) and _is_signed_stamp(text, is_date):
            why = "with its date"
        else:
            continue
        found.append(Removal(start=block.start, end=block.end, rule="metadata.byline",
                             detail=_explain(explain, f"byline {text.strip()!r} {why} "
                                                      f"on {block.lines}")))
    return tuple(found)


#: A date's label on a line of its own has at most this many words ("Publish date:").
_LABEL_WORDS = 3


def find_date_labels(blocks: Sequence[Block], *, removed: AbstractSet[int],
                     dated: AbstractSet[int], explain: bool = True) -> tuple[Removal, ...]:
    """Return ``metadata.date_line`` removals for the labels of removed date lines.

    Pages set a stamp's label on the line above its date ("Publish date:" over
    "Nov 18, 2019"): a line of at most :data:`_LABEL_WORDS` words without
    figures, ending in a colon, right above a block a date rule removed
    (``dated``) goes with it. A label over anything else stays.
    """
    found: list[Removal] = []
    for position, block in enumerate(blocks[:-1]):
        following = blocks[position + 1]
        text = block.text.strip()
        if (block.index in removed or following.index not in dated or block.is_joined
                or following.first_line != block.last_line + 1 or not text.endswith(":")
                or not 0 < len(block.words) <= _LABEL_WORDS
                or any(map(str.isdigit, text))):
            continue
        found.append(Removal(start=block.start, end=block.end, rule="metadata.date_line",
                             detail=_explain(explain, f"label {text!r} of the date line on "
                                                      f"{following.lines}")))
    return tuple(found)


#: What parts a page's title line into the headline and the site's name: a bar, a
#: dash, a colon pair, a guillemet or a middle dot with spaces around it.
_TITLE_SEPARATOR = re.compile(r"\s(?:\||-|\u2013|\u2014|::|\u00bb|\u00b7)\s")
#: The headline the title line repeats has at least this many words, and the
#: site's name beside it at most this many.
_TITLE_WORDS = 3
_SITE_WORDS = 8


def find_page_title(blocks: Sequence[Block], *, removed: AbstractSet[int],
                    explain: bool = True) -> tuple[Removal, ...]:
    """Return a ``metadata.page_title`` removal: the page's title line above its headline.

    Page text opens with the HTML title, the headline and the site's name
    ("Snooze cruise: Study sees future for hibernating astronauts | CTV News"),
    and the page repeats the headline alone further down. The first kept block,
    one line, goes when a later kept block has exactly the words of the part
    before a separator (or after it, for sites that put their name first) and the
    rest is short: the later block is the headline, this one its copy with the
    site's name. The title's words alone, with no later block to match, stay.
    """
    first = next((block for block in blocks if block.index not in removed), None)
    if first is None or first.is_joined:
        return ()
    text = first.text.strip()
    pieces: list[tuple[list[str], list[str]]] = []
    for match in _TITLE_SEPARATOR.finditer(text):
        before, after = words(text[:match.start()]), words(text[match.end():])
        pieces += [(before, after), (after, before)]
    pieces = [(head, site) for head, site in pieces
              if len(head) >= _TITLE_WORDS and 0 < len(site) <= _SITE_WORDS]
    if not pieces:
        return ()
    for block in blocks:
        if block.index <= first.index or block.index in removed:
            continue
        for head, site in pieces:
            if list(block.words) == head:
                detail = _explain(explain, f"{first.lines} is the headline on {block.lines} "
                                           f"with the site's name ({' '.join(site)!r})")
                return (Removal(start=first.start, end=first.end, rule="metadata.page_title",
                                detail=detail),)
    return ()


def looks_like_headline(block: Block) -> bool:
    """Say whether a block reads like a headline: 2-25 words, no closing full stop.

    >>> from dedup.cleaning.segment import segment
    >>> looks_like_headline(segment("Talks resume in Doha").blocks[0])
    True
    """
    return 2 <= len(block.words) <= 25 and not block.text.rstrip().endswith((".", "。", "۔"))


def find_title(blocks: Sequence[Block], removed: set[int]) -> Block | None:
    """Return the headline: the first kept block, if it reads like one.

    It must be followed by a longer kept block, so a list of short lines has no title.

    >>> from dedup.cleaning.segment import segment
    >>> find_title(segment("Talks resume in Doha\\nThe talks resumed on Monday in Doha, said "
    ...                    "officials who asked not to be named.").blocks, set()).text
    'Talks resume in Doha'
    """
    kept = [block for block in blocks if block.index not in removed]
    if len(kept) < 2 or not looks_like_headline(kept[0]):
        return None
    return kept[0] if len(kept[1].words) > len(kept[0].words) else None
