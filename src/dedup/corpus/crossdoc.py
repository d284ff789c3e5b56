"""Cross-document boilerplate: lines too frequent across a source to be content.

No phrase list names a site's own footer, its "Follow us" line or a wire
service's trailer ("Reuter" closes most Reuters-21578 stories), but the corpus
does: a line that recurs in a large share of one source's documents is
boilerplate. This is the CCNet idea (Wenzek et al., 2019): hash a normalised
form of every line, count the documents each hash appears in, and remove the
lines above a document-frequency threshold. It is a pure algorithm in three
steps, so the pipeline can run the first and last on many workers:

1. :func:`describe_document` turns one cleaned text into its line keys.
2. :class:`LineStatistics` adds them up (and merges across workers);
   :meth:`LineStatistics.learn` applies the thresholds once, giving a
   :class:`BoilerplateModel`.
3. :func:`find_cross_doc_removals` lists the removals for one document.

The counting reads the normalized text (before the per-document rules), so a
line is counted in every document that has it, and its removal is explained by
the corpus evidence even where a per-document rule would also have removed it.

Copies are one story. A line counts in a source only across documents that
are not copies of one another: a wire story republished twenty times in one
crawl would otherwise make every one of its short paragraphs "frequent" and
strip them from every copy, the one the duplicate step keeps included (and,
stripped to their differing headers, the copies would no longer match). Each
document carries a *story key* (:func:`story_key`): the smallest 64-bit hash of
the word 5-grams of its cleaned text, a one-permutation MinHash, so two copies
share it with probability their Jaccard similarity. A line is boilerplate only
when the documents holding it carry at least ``min(floor, STORY_CAP)`` distinct
story keys: a trailer or a footer sits under many stories, a story's own
paragraph under one (a few when the copies are edited).

Units. A *unit* is a line, except in hard-wrapped text (Reuters wraps at about
65 columns) where a line that continues a sentence is glued to the line before
it: counting the fragment "said." on its own would make a sentence end look
like boilerplate.

Thresholds, and why. A unit is boilerplate in a source when it appears in at
least ``min_documents`` documents *and* in at least ``min_share`` of that
source's documents. The share keeps a sentence that recurs in a handful of
stories ("The company did not elaborate.") well clear of a trailer found in
most of them; the absolute floor keeps tiny corpora (the five seeds) from
losing a line that two documents happen to share. Units longer than
``max_words`` words are prose, never frequent-line boilerplate: a syndicated
paragraph is content, and copies of it are the near-duplicate step's business
(or ``paragraphs=True``'s).
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import math
import re
import unicodedata
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import numpy as np

from dedup.cleaning.segment import paragraphs
from dedup.errors import ConfigError
from dedup.report import Removal

__all__ = [
    "BoilerplateModel",
    "CrossDocConfig",
    "DocumentLines",
    "LineStatistics",
    "Unit",
    "describe_document",
    "find_cross_doc_removals",
    "folded_words",
    "frequent_floor",
    "overlay_removals",
    "source_of",
    "split_units",
    "split_units_for",
    "story_floor",
    "story_key",
    "unit_key",
]

_WORD = re.compile(r"\w+")
#: A unit longer than this many characters per allowed word is counted lazily (it is long).
_CHARS_PER_WORD = 16
#: Distinct story keys counted per line, at most: a line under this many
#: unrelated stories is under enough of them, and the count stays small.
STORY_CAP = 64
#: Story keys hash word 5-grams: each word's crc32 times its position's odd
#: factor, summed modulo 2**64, then mixed (SplitMix64's finaliser constants).
_STORY_GRAM = 5
_STORY_FACTORS = tuple(np.uint64(f) for f in (
    0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93,
    0xCA5A826395121157))
_STORY_MIX = np.uint64(0xBF58476D1CE4E5B9)


@dataclass(frozen=True, slots=True, kw_only=True)
class CrossDocConfig:
    """When a line counts as cross-document boilerplate (see the module docstring).

    >>> CrossDocConfig(min_share=0.02).min_documents
    10
    """

    enabled: bool = True
    min_documents: int = 10
    min_share: float = 0.05
    max_words: int = 40
    paragraphs: bool = False
    paragraph_min_words: int = 8

    def __post_init__(self) -> None:
        if self.min_documents < 2:
            raise ConfigError(f"CrossDocConfig.min_documents={self.min_documents!r} is invalid: "
                              "expected an integer >= 2 (a line in one document is not shared)")
        if not 0.0 <= self.min_share <= 1.0:
            raise ConfigError(f"CrossDocConfig.min_share={self.min_share!r} is invalid: "
                              "expected a number from 0 to 1")
        if self.max_words < 1:
            raise ConfigError(f"CrossDocConfig.max_words={self.max_words!r} is invalid: "
                              "expected an integer >= 1")
        if self.paragraph_min_words < 1:
            raise ConfigError(f"CrossDocConfig.paragraph_min_words={self.paragraph_min_words!r} "
                              "is invalid: expected an integer >= 1")


def source_of(source: object, url: object) -> str:
    """Return the site a record's lines are counted in: its source, else its URL's host.

    Both the local pipeline and the Spark engine call this, so they group the
    same documents together. Without either, the corpus is one site (``""``).

    >>> source_of(None, "https://www.Example.com/a"), source_of(" wire ", None), source_of("", 3)
    ('example.com', 'wire', '')
    """
    if isinstance(source, str) and source.strip():
        return source.strip()
    if isinstance(url, str) and url:
        host = urlsplit(url).hostname or ""
        return host.lower().removeprefix("www.")
    return ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Unit:
    """A line (or a rejoined wrapped paragraph) of a text: its span, key and size.

    ``end`` includes the closing newline, so removing the unit leaves no blank line.
    ``key`` is the 64-bit hash of its normalised words (:func:`unit_key`).
    """

    start: int
    end: int
    key: int
    words: int


def unit_key(text: str) -> int | None:
    """Return the 64-bit key of a line's normalised form, or None if it has no words.

    Case, punctuation, spacing and Unicode compatibility forms are folded, so
    "Reuter", " REUTER" and "Reuter." share a key. Digits are kept: "Shr 10 cts"
    and "Shr 12 cts" are content, not a template.

    >>> unit_key("Reuter") == unit_key("  REUTER.")
    True
    >>> unit_key("***") is None
    True
    """
    words = folded_words(text)
    return _words_key(words) if words else None


#: :func:`folded_words` of ASCII text in one ``bytes.translate``: a word
#: character (``\w`` in ASCII: letters, digits, ``_``) maps to itself in lower
#: case, any other byte to a space.
_ASCII_FOLD = bytes(byte + 32 if 65 <= byte <= 90 else byte
                    if 97 <= byte <= 122 or 48 <= byte <= 57 or byte == 95 else 32
                    for byte in range(256))


def folded_words(text: str) -> list[bytes]:
    """Return the words of ``text`` after NFKC and case folding, each UTF-8 encoded.

    The words a unit key and a story key hash (:func:`_reference_folded_words`
    spells out the definition). Fast path: NFKC of ASCII text is the text
    itself and its case folding is ``lower()``, so ASCII text is folded and
    split in C on its bytes. On the Reuters-21578 stories (all but one ASCII)
    the words of their 155,234 units take 0.5 s instead of 1.35 s, those of
    their cleaned texts (story keys) 0.27 s instead of 0.8 s (fastest of five).

    >>> folded_words("Shr 10 CTS vs. ﬁve")
    [b'shr', b'10', b'cts', b'vs', b'five']
    """
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_FOLD).split()
    return [word.encode("utf-8") for word in _WORD.findall(
        unicodedata.normalize("NFKC", text).casefold())]


def _reference_folded_words(text: str) -> list[bytes]:
    """:func:`folded_words` as first written: ``\\w+`` words of the NFKC, case-folded text."""
    return [word.encode("utf-8") for word in _WORD.findall(
        unicodedata.normalize("NFKC", text).casefold())]


def _words_key(words: list[bytes]) -> int:
    # The key hashes the words joined by spaces, UTF-8 encoded: joining the
    # encoded words is the same bytes.
    digest = hashlib.blake2b(b" ".join(words), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def story_key(text: str, ordinal: int) -> int:
    """Return a document's story key: the least hash of its word 5-grams (module docstring).

    Two copies of a story share it with probability their 5-gram Jaccard
    similarity. Words are the units' (:func:`unit_key`'s folding); a text of
    fewer than five words is one shingle, and one without words gets a key of
    its own, from its ordinal.

    >>> story_key("The cat sat on the mat.", 0) == story_key("the CAT sat on the mat", 1)
    True
    >>> story_key("", 0) != story_key("", 1)
    True
    """
    words = folded_words(text)
    if not words:
        return _own_story(ordinal)
    if len(words) < _STORY_GRAM:
        return _words_key(words)
    # Measured reason for numpy: hashing each 5-gram as a string cost 0.4 ms a
    # BBC story (half of clean()); one crc32 a word and a vectorised mix of
    # five neighbours costs a tenth of that.
    hashes = np.fromiter(map(zlib.crc32, words), dtype=np.uint64,
                         count=len(words))
    count = len(words) - _STORY_GRAM + 1
    grams = np.zeros(count, dtype=np.uint64)
    for offset, factor in enumerate(_STORY_FACTORS):
        grams += hashes[offset:offset + count] * factor
    grams ^= grams >> np.uint64(31)
    grams *= _STORY_MIX
    grams ^= grams >> np.uint64(29)
    return int(grams.min())


def split_units(text: str, *, word_limit: int | None = None,
                paragraph_lines: Sequence[tuple[int, int]] | None = None) -> tuple[Unit, ...]:
    """Split a text into the units that are counted across documents.

    Units with more than ``word_limit`` words are left out: they are never
    counted, and hashing a 20 MB one-line document would cost seconds for nothing.
    ``paragraph_lines``: the text's paragraphs as first and last line numbers,
    if the caller has them (:func:`~dedup.cleaning.cleaner.clean_with_paragraphs`
    gives them for the normalized text); otherwise they are grouped here.

    >>> [text[u.start:u.end] for text in ["Story.\\nReuter\\n"] for u in split_units(text)]
    ['Story.\\n', 'Reuter\\n']
    """
    lines = text.split("\n")
    starts = [0] * (len(lines) + 1)
    for index, line in enumerate(lines):
        starts[index + 1] = starts[index] + len(line) + 1
    # One definition of a wrapped paragraph, shared with clean(): a unit ends
    # past its last line's newline (the text's end for the last line).
    if paragraph_lines is None:
        paragraph_lines = [(group[0], group[-1]) for group in paragraphs(lines)]
    spans = [(starts[first], min(starts[last + 1], len(text)))
             for first, last in paragraph_lines]
    units: list[Unit] = []
    for start, end in spans:
        piece = text[start:end]
        if word_limit is not None and len(piece) > _CHARS_PER_WORD * word_limit:
            # Possibly a huge line: count lazily rather than split megabytes into words.
            counted = sum(1 for _ in itertools.islice(_WORD.finditer(piece), word_limit + 1))
            if counted > word_limit:
                continue
        words = folded_words(piece)
        if not words:
            continue
        if word_limit is not None and len(words) > word_limit:
            continue
        units.append(Unit(start=start, end=end, key=_words_key(words), words=len(words)))
    return tuple(units)


def split_units_for(text: str, config: CrossDocConfig, *,
                    paragraph_lines: Sequence[tuple[int, int]] | None = None
                    ) -> tuple[Unit, ...]:
    """Split a text into units, hashing only those the config can use.

    ``paragraph_lines`` as for :func:`split_units`.

    >>> len(split_units_for("One.\\n" + "word " * 50, CrossDocConfig()))
    1
    """
    return split_units(text, word_limit=None if config.paragraphs else config.max_words,
                       paragraph_lines=paragraph_lines)


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentLines:
    """What one document contributes to the statistics: its source, story key and distinct keys.

    ``story`` is :func:`story_key` of its text; ``None`` counts it as a story of its own.
    """

    source: str
    ordinal: int
    line_keys: tuple[int, ...]
    paragraph_keys: tuple[int, ...] = ()
    story: int | None = None


def describe_document(text: str, *, source: str, ordinal: int, config: CrossDocConfig,
                      units: tuple[Unit, ...] | None = None,
                      story: int | None = None) -> DocumentLines:
    """Return the distinct line keys (and paragraph keys, if asked) of one cleaned text.

    ``ordinal`` is the document's position in the input; it decides which copy
    of a repeated paragraph is first. ``units``: the text's units, if the
    caller already split it with :func:`split_units_for`. ``story``: its
    :func:`story_key`, computed from ``text`` when not given.

    >>> lines = describe_document("A.\\nA.\\nB.", source="", ordinal=0, config=CrossDocConfig())
    >>> len(lines.line_keys)
    2
    """
    if units is None:
        units = split_units_for(text, config)
    line_keys = sorted({u.key for u in units if u.words <= config.max_words})
    paragraph_keys: list[int] = []
    if config.paragraphs:
        paragraph_keys = sorted({u.key for u in units if u.words >= config.paragraph_min_words})
    if story is None:
        story = story_key(text, ordinal)
    return DocumentLines(source=source, ordinal=ordinal, line_keys=tuple(line_keys),
                         paragraph_keys=tuple(paragraph_keys), story=story)


@dataclass(frozen=True, slots=True, kw_only=True)
class BoilerplateModel:
    """What was learnt: frequent line keys per source with their document counts.

    ``first_paragraph`` maps each paragraph key seen in two or more documents to
    the ordinal of the first document holding it.
    """

    frequent: Mapping[str, Mapping[int, int]] = field(default_factory=dict)
    documents: Mapping[str, int] = field(default_factory=dict)
    first_paragraph: Mapping[int, tuple[int, int]] = field(default_factory=dict)

    @property
    def frequent_line_count(self) -> int:
        """How many distinct lines were learnt as boilerplate, over all sources."""
        return sum(len(keys) for keys in self.frequent.values())


def frequent_floor(documents: int, config: CrossDocConfig) -> int:
    """Return how many of a source's ``documents`` a line must be in to be boilerplate.

    >>> frequent_floor(21_577, CrossDocConfig()), frequent_floor(5, CrossDocConfig())
    (1079, 10)
    """
    return max(config.min_documents, math.ceil(config.min_share * documents))


def story_floor(floor: int) -> int:
    """Return how many distinct story keys a line in ``floor`` documents must be under.

    >>> story_floor(10), story_floor(1079)
    (10, 64)
    """
    return min(floor, STORY_CAP)


def _own_story(ordinal: int) -> int:
    """The story key of a text too short to shingle: its own, from its ordinal."""
    digest = hashlib.blake2b(f"document {ordinal}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _add_story(stories: dict[int, int | set[int]], key: int, story: int) -> None:
    """Note that line ``key`` is under ``story``, keeping at most STORY_CAP distinct keys."""
    found = stories.get(key)
    if found is None:
        stories[key] = story
    elif isinstance(found, int):
        if found != story:
            stories[key] = {found, story}
    elif len(found) < STORY_CAP:
        found.add(story)


def _story_count(found: int | set[int] | None) -> int:
    if found is None:
        return 0
    return 1 if isinstance(found, int) else len(found)


class LineStatistics:
    """Document counts per (source, line key): an accumulator, merged across workers.

    Memory grows with the number of distinct short lines, not with the corpus
    text (about 100 bytes per distinct line).

    >>> stats = LineStatistics()
    >>> for i in range(12):
    ...     stats.add(describe_document(f"Story {i}.\\nReuter", source="", ordinal=i,
    ...                                 config=CrossDocConfig()))
    >>> model = stats.learn(CrossDocConfig())
    >>> list(model.frequent[""].values())
    [12]
    """

    __slots__ = ("_documents", "_lines", "_paragraphs", "_stories")

    def __init__(self) -> None:
        self._lines: dict[str, dict[int, int]] = {}
        # (source, line key) -> the story keys of its documents: one int while
        # there is one (most lines are in one document), then a set of at most
        # STORY_CAP. Kept apart from the counts so those stay plain ints.
        self._stories: dict[str, dict[int, int | set[int]]] = {}
        self._documents: dict[str, int] = {}
        self._paragraphs: dict[int, tuple[int, int]] = {}  # key -> (count, first ordinal)

    def add(self, document: DocumentLines) -> None:
        """Count one document's keys."""
        self._documents[document.source] = self._documents.get(document.source, 0) + 1
        counts = self._lines.setdefault(document.source, {})
        stories = self._stories.setdefault(document.source, {})
        story = document.story if document.story is not None else _own_story(document.ordinal)
        for key in document.line_keys:
            counts[key] = counts.get(key, 0) + 1
            _add_story(stories, key, story)
        for key in document.paragraph_keys:
            count, first = self._paragraphs.get(key, (0, document.ordinal))
            self._paragraphs[key] = (count + 1, min(first, document.ordinal))

    def merge(self, other: LineStatistics) -> None:
        """Add another accumulator's counts (the order of merges does not matter)."""
        for source, number in other._documents.items():
            self._documents[source] = self._documents.get(source, 0) + number
        for source, other_counts in other._lines.items():
            counts = self._lines.setdefault(source, {})
            for key, number in other_counts.items():
                counts[key] = counts.get(key, 0) + number
        for source, other_stories in other._stories.items():
            stories = self._stories.setdefault(source, {})
            for key, found in other_stories.items():
                for story in (found,) if isinstance(found, int) else found:
                    _add_story(stories, key, story)
        for key, (number, first) in other._paragraphs.items():
            count, earliest = self._paragraphs.get(key, (0, first))
            self._paragraphs[key] = (count + number, min(first, earliest))

    def learn(self, config: CrossDocConfig) -> BoilerplateModel:
        """Apply the thresholds and return the model (sorted, so it is deterministic)."""
        frequent: dict[str, dict[int, int]] = {}
        for source in sorted(self._lines):
            floor = frequent_floor(self._documents.get(source, 0), config)
            stories, needed = self._stories.get(source, {}), story_floor(floor)
            chosen = {key: count for key, count in sorted(self._lines[source].items())
                      if count >= floor and _story_count(stories.get(key)) >= needed}
            if chosen:
                frequent[source] = chosen
        first_paragraph = {key: value for key, value in sorted(self._paragraphs.items())
                           if value[0] >= 2}
        return BoilerplateModel(frequent=frequent, documents=dict(sorted(self._documents.items())),
                                first_paragraph=first_paragraph)


def find_cross_doc_removals(
    text: str, *, source: str, ordinal: int, model: BoilerplateModel, config: CrossDocConfig,
    explain: bool = True, units: tuple[Unit, ...] | None = None,
) -> tuple[Removal, ...]:
    """List the removals the learnt model makes in one cleaned text, in text order.

    Frequent lines go under ``corpus.frequent_line`` with their document count
    as evidence. With ``config.paragraphs``, a paragraph first seen in an
    earlier document goes under ``corpus.repeated_paragraph``, unless that
    would empty the document: a whole copy is the duplicate step's to report.
    ``units``: the text's units, if the caller already split it.

    >>> stats = LineStatistics()
    >>> for i in range(12):
    ...     stats.add(describe_document(f"Story {i}.\\nReuter", source="", ordinal=i,
    ...                                 config=CrossDocConfig()))
    >>> model = stats.learn(CrossDocConfig())
    >>> find_cross_doc_removals("Story 3.\\nReuter", source="", ordinal=3, model=model,
    ...                         config=CrossDocConfig())[0].detail
    'line appears in 12 of 12 documents of the corpus'
    """
    if units is None:
        units = split_units_for(text, config)
    frequent = model.frequent.get(source, {})
    total = model.documents.get(source, 0)
    where = f"source {source!r}" if source else "the corpus"
    removals: list[Removal] = []
    remaining: list[Unit] = []
    for unit in units:
        count = frequent.get(unit.key) if unit.words <= config.max_words else None
        if count is not None:
            detail = f"line appears in {count} of {total} documents of {where}" if explain else ""
            removals.append(Removal(start=unit.start, end=unit.end,
                                    rule="corpus.frequent_line", detail=detail))
        else:
            remaining.append(unit)
    if config.paragraphs:
        copied: list[Removal] = []
        for unit in remaining:
            if unit.words < config.paragraph_min_words:
                continue
            seen = model.first_paragraph.get(unit.key)
            if seen is not None and seen[1] < ordinal:
                detail = (f"paragraph appears in {seen[0]} documents; first in input record "
                          f"#{seen[1] + 1}") if explain else ""
                copied.append(Removal(start=unit.start, end=unit.end,
                                      rule="corpus.repeated_paragraph", detail=detail))
        if len(copied) < len(remaining):
            removals.extend(copied)
    return tuple(sorted(removals, key=lambda r: r.start))


def overlay_removals(preferred: tuple[Removal, ...],
                     others: tuple[Removal, ...]) -> tuple[Removal, ...]:
    """Merge two sets of removals of one text; where they overlap, ``preferred`` wins.

    Cross-document evidence ("in 19,019 of 21,577 documents") explains a line
    better than a shape score, so the pipeline prefers it over the per-document
    rules; the other removals keep only the parts no preferred removal covers.

    >>> corpus = (Removal(start=5, end=12, rule="corpus.frequent_line"),)
    >>> clean = (Removal(start=3, end=8, rule="boilerplate.low_content"),)
    >>> [(r.start, r.end, r.rule) for r in overlay_removals(corpus, clean)]
    [(3, 5, 'boilerplate.low_content'), (5, 12, 'corpus.frequent_line')]
    """
    if not preferred:
        return others
    covered = sorted((r.start, r.end) for r in preferred)
    kept: list[Removal] = list(preferred)
    for removal in others:
        start = removal.start
        for low, high in covered:
            if high <= start or low >= removal.end:
                continue
            if low > start:
                kept.append(dataclasses.replace(removal, start=start, end=low))
            start = max(start, high)
            if start >= removal.end:
                break
        if start < removal.end:
            kept.append(dataclasses.replace(removal, start=start))
    return tuple(sorted(kept, key=lambda r: (r.start, r.end)))
