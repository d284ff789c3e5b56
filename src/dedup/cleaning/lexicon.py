"""Language data shipped with dedup: boilerplate phrase rules and stopword lists.

The data lives in ``phrases/<lang>.tsv`` and ``stopwords/<lang>.txt`` so that a
linguist can extend it without reading Python (format in ``phrases/README.md``).
Loading is memoised per set of languages: the files are package data that never
change while a process runs, and re-reading them per document would dominate
the cost of cleaning.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from dedup.cleaning._patternset import PatternSet
from dedup.cleaning._text import ends_sentence, fold_line
from dedup.config import LANGUAGES, CustomRule
from dedup.rules import RULE_IDS

__all__ = [
    "DETECT_TOKENS",
    "RIVAL_SHIFT",
    "PhraseBook",
    "PhraseSource",
    "build_phrasebook",
    "detect_language",
    "load_stopwords",
    "packed_stopwords",
    "stopword_owners",
    "stopword_pages",
]

#: A ``prefix`` rule only fires on lines this short, so "Share on" catches
#: "Share on Facebook" but not a sentence that happens to start that way.
PREFIX_MAX_WORDS = 12
_KINDS = ("phrase", "prefix", "regex")
#: Rules whose regexes are also tried on lines longer than ``PREFIX_MAX_WORDS``
#: words, up to ``NOTICE_MAX_CHARS`` characters. Buttons, menu entries and
#: "Read more" links are short, and a long line that starts like one is a
#: sentence ("Read more about the plan in the report ..."); consent, copyright
#: and sign-up notices are sentences by nature ("We use cookies to improve your
#: experience. By continuing ..."), and their patterns name the notice itself.
NOTICE_RULES: frozenset[str] = frozenset({
    "boilerplate.cookie_notice", "boilerplate.copyright", "boilerplate.newsletter"})
#: Shipped notice patterns bound their length (``.{0,500}`` at most), so a
#: longer line cannot match one and is not searched.
NOTICE_MAX_CHARS = 600
#: Prefix rules of these ids with at least ``SENTENCE_PREFIX_WORDS`` words are
#: tried on long lines too (up to ``NOTICE_MAX_CHARS`` characters): "Your email
#: address will not be published" and "Save my name, email, and website" open a
#: sentence of page furniture, not a button, and a comment form or a notice
#: often reaches the page text as one long line. Measured: on the 820 benchmark
#: pages 16 lines of more than 12 words start with such a prefix, none of them in
#: the gold main text; no line of BBC or Reuters does.
SENTENCE_PREFIX_RULES: frozenset[str] = NOTICE_RULES | {"boilerplate.comment_prompt"}
SENTENCE_PREFIX_WORDS = 4


@dataclass(frozen=True, slots=True)
class PhraseSource:
    """One rule's origin, for error messages and removal details."""

    rule: str
    language: str
    kind: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PhraseBook:
    """Compiled phrase rules: exact keys, prefixes by first word, regex rules in order."""

    phrases: dict[str, PhraseSource]
    prefixes: dict[str, tuple[tuple[str, PhraseSource], ...]]
    #: The regex rules, in order, and the source each one reports.
    patterns: PatternSet
    pattern_sources: tuple[PhraseSource, ...]
    #: The shipped :data:`NOTICE_RULES` regexes, tried on long lines as well.
    notice_patterns: PatternSet
    notice_sources: tuple[PhraseSource, ...]
    #: The prefixes that are also tried on long lines (:data:`SENTENCE_PREFIX_RULES`).
    sentence_prefixes: dict[str, tuple[tuple[str, PhraseSource], ...]]
    max_phrase_words: int
    #: Longer lines match nothing: ``max(max_phrase_words, PREFIX_MAX_WORDS)``,
    #: or as many words as fit in ``NOTICE_MAX_CHARS`` when there are notice patterns.
    max_line_words: int

    def may_match(self, word_count: int) -> bool:
        """Say whether a line of ``word_count`` words could match any rule at all.

        Prose lines are longer than any phrase and than the prefix limit, so
        most of a document is ruled out without being folded or searched.
        Patterns are only tried on lines of at most ``PREFIX_MAX_WORDS`` words,
        notice patterns on lines of at most ``NOTICE_MAX_CHARS`` characters.
        """
        return word_count <= self.max_line_words

    def may_match_line(self, line: str) -> bool:
        """``may_match(len(line.split()))``, without splitting most lines.

        A word takes at least two characters (one and a space), so a line of
        fewer than ``2 * max_line_words`` characters is short enough as it is,
        and a longer one is split only ``max_line_words`` times. Spares a split
        of every paragraph of a news story (BBC lines are 385 characters on average).
        A printable line has no white space but the space, so it has at most one
        word more than spaces: counting them, in C, spares splitting the
        longer ones too (on the 12,822 BBC lines asked about, 3,390 of them
        longer than 600 characters: 0.022 s against 0.031 s, best of five runs).
        """
        limit = self.max_line_words
        return (len(line) + 1) // 2 <= limit or (
            line.count(" ") < limit and line.isprintable()) or len(
            line.split(None, limit)) <= limit

    def match(self, line: str) -> PhraseSource | None:
        """Return the rule that makes ``line`` boilerplate, if any."""
        # The line's spaces are folded once: casefold maps no character to or
        # from white space (a test checks every code point), so folding the
        # spaces of the casefolded line gives the casefold of the folded line.
        folded = _fold_spaces(line)
        key = _fold_key(folded.casefold(), spaces_folded=True)
        if not key:
            return None
        if folded.lstrip("|> ")[:1].islower() and ends_sentence(folded):
            # "share." alone on a line (or after a gutter: "|   recommended.") is the
            # end of a wrapped sentence, not a button: interface labels do not start
            # in lower case and end a sentence.
            return None
        start, end = 0, len(folded)
        while start < end and not folded[start].isalnum():
            # The key's first character. There may be none: U+0345 casefolds to a
            # letter without being one (a test checks every such code point).
            start += 1
        found = self.phrases.get(key)
        if found is not None:
            return None if _names_code(folded, start) else found
        # Words of the key: it has single spaces and none at its ends, so
        # counting them spares splitting a long line into a list. With the one
        # fold of spaces above, match() on the 12,827 BBC lines it is asked
        # about (385 characters on average) takes 0.12-0.14 s, 0.20-0.24 s before.
        if key.count(" ") < PREFIX_MAX_WORDS:
            found = _starts_with(self.prefixes, key)
            if found is None:
                index = self.patterns.first_match(folded)
                found = None if index is None else self.pattern_sources[index]
            if found is not None:
                return None if _names_code(folded, start) else found
        elif len(folded) <= NOTICE_MAX_CHARS:
            found = _starts_with(self.sentence_prefixes, key)
            if found is not None:
                return found
            index = self.notice_patterns.first_match(folded) if self.notice_sources else None
            if index is not None:
                return self.notice_sources[index]
        return None


def _names_code(folded: str, start: int) -> bool:
    """Say whether a line's words are glued to a program's punctuation: a name, not a label.

    ``close()``, ``sections()``, ``__del__(...)``, ``--help``: a pydoc page, a
    README, a man page lists them one a line, and their words are a menu's
    ("Close", "Sections", "Del", "Help") once the edge punctuation is folded
    away. So are a markup tag (``</plus>``, ``<share/>``) and a quoted key
    (``"plus": {``) in an XML or JSON example: French "plus" is a menu's "More".
    An interface label is never written so. ``start`` is the position of the
    line's first letter or digit.

    >>> first = lambda line: next(i for i, c in enumerate(line) if c.isalnum())
    >>> [_names_code(line, first(line))
    ...  for line in ("close()", "__del__(...)", "--help", "</plus>", "<share/>",
    ...               '"plus": {', "Close", "» Share", "Share (3)", '"Share"', "Share:")]
    [True, True, True, True, True, True, False, False, False, False, False]
    """
    end = len(folded)
    while end > start and not folded[end - 1].isalnum():
        end -= 1
    before, after = folded[max(start - 2, 0):start], folded[end:end + 2]
    return (after[:1] in ("(", "_") or before[-1:] == "_" or before == "--"
            or ((before[-1:] == "<" or before == "</") and after[:1] in (">", "/", " "))
            or (before[-1:] in ("\"", "'") and after in ('":', "':")))


def _starts_with(prefixes: dict[str, tuple[tuple[str, PhraseSource], ...]],
                 key: str) -> PhraseSource | None:
    """The rule of the longest prefix ``key`` starts with at a word boundary, if any."""
    for prefix, source in prefixes.get(key.partition(" ")[0], ()):
        if key.startswith(prefix) and (len(key) == len(prefix) or not key[len(prefix)].isalnum()):
            return source
    return None


def _fold_spaces(line: str) -> str:
    """``" ".join(line.split())``, without splitting a line whose spaces are folded already.

    A printable line holds no white space but the space (every other white
    space character is a separator or a control, which ``str.isprintable``
    refuses; a test checks every code point), so a printable line without a
    double space or a space at either end is its own folded form. Most lines
    are: the split and join cost 5 µs on a 385-character BBC line, the tests
    well under one.

    >>> _fold_spaces("Share this"), _fold_spaces(" Share\u00a0 this ")
    ('Share this', 'Share this')
    """
    if line.isprintable() and "  " not in line and not line.startswith(" ") and not (
            line.endswith(" ")):
        return line
    return " ".join(line.split())


def _fold_key(line: str, *, spaces_folded: bool = False) -> str:
    """:func:`~dedup.cleaning._text.fold_line`, in a third of the time.

    ``str.split`` splits on exactly the characters ``\\s`` matches, and the
    characters ``[\\W_]`` matches are those that are not ``str.isalnum``: the
    same key without three regex substitutions and two string reversals.
    ``spaces_folded`` says ``line`` is already casefolded with its spaces folded.

    >>> _fold_key("  » Share   this post! ")
    'share this post'
    """
    folded = line if spaces_folded else " ".join(line.casefold().split())
    start, end = 0, len(folded)
    while start < end and not folded[start].isalnum():
        start += 1
    while end > start and not folded[end - 1].isalnum():
        end -= 1
    return folded[start:end]


def _read_data(folder: str, name: str) -> str:
    return (resources.files("dedup.cleaning") / folder / name).read_text(encoding="utf-8")


def _parse_tsv(language: str, text: str) -> list[PhraseSource]:
    sources: list[PhraseSource] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        parts = raw.split("\t")
        where = f"phrases/{language}.tsv line {number}"
        if len(parts) != 3:
            raise ValueError(f"{where}: expected rule<TAB>kind<TAB>text, got {raw!r}")
        rule, kind, body = (part.strip() for part in parts)
        if rule not in RULE_IDS or kind not in _KINDS:
            raise ValueError(f"{where}: unknown rule {rule!r} or kind {kind!r}")
        sources.append(PhraseSource(rule, language, kind, body))
    return sources


def _custom_sources(rules: Iterable[CustomRule]) -> list[PhraseSource]:
    sources: list[PhraseSource] = []
    for rule in rules:
        language = rule.language or "any"
        sources.extend(PhraseSource(rule.rule, language, "phrase", p) for p in rule.phrases)
        sources.extend(PhraseSource(rule.rule, language, "regex", p) for p in rule.patterns)
    return sources


@functools.lru_cache(maxsize=32)
def _shipped_sources(languages: tuple[str, ...]) -> tuple[PhraseSource, ...]:
    found: list[PhraseSource] = []
    for language in languages:
        found.extend(_parse_tsv(language, _read_data("phrases", f"{language}.tsv")))
    return tuple(found)


def _compile(sources: Iterable[PhraseSource]) -> PhraseBook:
    phrases: dict[str, PhraseSource] = {}
    prefixes: dict[str, list[tuple[str, PhraseSource]]] = {}
    regex_parts: dict[str, list[str]] = {}
    regex_source: dict[str, PhraseSource] = {}
    notice_parts: dict[str, list[str]] = {}
    notice_source: dict[str, PhraseSource] = {}
    sentence_prefixes: dict[str, list[tuple[str, PhraseSource]]] = {}
    for source in sources:
        if source.kind == "phrase":
            phrases.setdefault(fold_line(source.text), source)
        elif source.kind == "prefix":
            key = fold_line(source.text)
            if key:
                prefixes.setdefault(key.split(" ")[0], []).append((key, source))
                if (source.rule in SENTENCE_PREFIX_RULES
                        and key.count(" ") + 1 >= SENTENCE_PREFIX_WORDS):
                    sentence_prefixes.setdefault(key.split(" ")[0], []).append((key, source))
        else:
            parts = regex_parts.setdefault(source.rule, [])
            if source.text in parts:
                # The same pattern in several lists ("(?:©|&copy;).{0,200}" in most):
                # tried once, it reports the first list's rule as it would anyway.
                continue
            parts.append(source.text)
            regex_source.setdefault(source.rule, source)
            if source.rule in NOTICE_RULES:
                notice_parts.setdefault(source.rule, []).append(source.text)
                notice_source.setdefault(source.rule, source)
    max_phrase_words = max((len(key.split(" ")) for key in phrases), default=0)
    return PhraseBook(
        max_phrase_words=max_phrase_words,
        # A word takes at least two characters of a folded line (one and a space).
        max_line_words=max(max_phrase_words, PREFIX_MAX_WORDS,
                           (NOTICE_MAX_CHARS + 1) // 2 if notice_parts or sentence_prefixes
                           else 0),
        phrases=phrases,
        prefixes=_longest_first(prefixes),
        sentence_prefixes=_longest_first(sentence_prefixes),
        patterns=PatternSet.build(list(regex_parts.values())),
        pattern_sources=tuple(regex_source[rule] for rule in regex_parts),
        notice_patterns=PatternSet.build(list(notice_parts.values())),
        notice_sources=tuple(notice_source[rule] for rule in notice_parts),
    )


def _longest_first(prefixes: dict[str, list[tuple[str, PhraseSource]]]
                   ) -> dict[str, tuple[tuple[str, PhraseSource], ...]]:
    return {word: tuple(sorted(found, key=lambda item: -len(item[0])))
            for word, found in prefixes.items()}


@functools.lru_cache(maxsize=32)
def _cached_book(languages: tuple[str, ...], custom: tuple[CustomRule, ...]) -> PhraseBook:
    # User rules come first so that they win over a shipped rule on the same line.
    return _compile([*_custom_sources(custom), *_shipped_sources(languages)])


def build_phrasebook(languages: tuple[str, ...], custom: tuple[CustomRule, ...] = ()
                     ) -> PhraseBook:
    """Return the compiled rules of ``languages`` plus the user's own.

    >>> book = build_phrasebook(("en",))
    >>> book.match("Share this post").rule
    'boilerplate.share'
    >>> book.match("He said the two parties would share the post of deputy minister") is None
    True
    """
    return _cached_book(tuple(languages), tuple(custom))


@functools.lru_cache(maxsize=16)
def load_stopwords(language: str) -> frozenset[str]:
    """Return the stopword list of ``language`` (case-folded).

    >>> "the" in load_stopwords("en")
    True
    """
    if language not in LANGUAGES:
        return frozenset()
    text = _read_data("stopwords", f"{language}.txt")
    return frozenset(
        word.strip().casefold() for word in text.splitlines()
        if word.strip() and not word.startswith("#")
    )


@functools.lru_cache(maxsize=32)
def stopword_pages(languages: tuple[str, ...]) -> frozenset[int]:
    """The 128-code-point pages of every letter in the stopword lists of ``languages``.

    A word whose first letter lies on none of these pages is written in a
    script none of the lists covers (Hangul, Han, Greek, Hebrew... and, with
    ``languages=("en",)``, Cyrillic): its stopword share says nothing of
    whether it is prose.

    >>> ord("k") >> 7 in stopword_pages(("en",)), ord("\ud55c") >> 7 in stopword_pages(("en",))
    (True, False)
    """
    return frozenset(ord(letter) >> 7 for language in languages
                     for word in load_stopwords(language) for letter in word)


#: Bit offset of the rival count in a :func:`packed_stopwords` value.
RIVAL_SHIFT = 32


@functools.lru_cache(maxsize=32)
def packed_stopwords(languages: tuple[str, ...]) -> dict[str, int]:
    """Map a stopword to 1 if the first language lists it, + ``1 << RIVAL_SHIFT`` if another does.

    Summing these values over a text's tokens counts its stopwords in the first
    language (the low 32 bits) and in any other (the bits above) in one pass.

    >>> packed = packed_stopwords(("en", "de"))
    >>> total = sum(packed.get(word, 0) for word in "the man was in die stadt".split())
    >>> total & 0xFFFFFFFF, total >> RIVAL_SHIFT
    (3, 4)
    """
    first = load_stopwords(languages[0]) if languages else frozenset()
    rivals: frozenset[str] = frozenset().union(*map(load_stopwords, languages[1:]))
    return {word: (word in first) + ((word in rivals) << RIVAL_SHIFT)
            for word in first | rivals}


@functools.lru_cache(maxsize=32)
def _stopword_languages(languages: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Map each stopword to the languages whose list holds it."""
    owners: dict[str, list[str]] = {}
    for language in languages:
        for word in load_stopwords(language):
            owners.setdefault(word, []).append(language)
    return {word: tuple(found) for word, found in owners.items()}


def stopword_owners(languages: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Map each stopword to the languages of ``languages`` whose list holds it, each once.

    >>> stopword_owners(("en", "de", "en"))["in"]
    ('en', 'de')
    """
    return _stopword_languages(tuple(dict.fromkeys(languages)))


#: Language detection reads at most this many tokens: a few hundred words
#: settle it, and long documents should not pay for the rest.
DETECT_TOKENS = 3000


def detect_language(tokens: list[str], languages: tuple[str, ...]) -> tuple[str | None, float]:
    """Pick the language whose stopwords cover most tokens; return it and that share.

    Returns ``(None, 0.0)`` for text in none of ``languages``: the stopword
    features then say nothing and must not be used. Ties go to the language
    listed first.

    >>> from dedup.cleaning._text import words
    >>> detect_language(words("the cat sat on the mat and it was happy"), ("en", "fr"))[0]
    'en'
    """
    sample = tokens[:DETECT_TOKENS]
    if not sample:
        return None, 0.0
    owners = _stopword_languages(tuple(languages))
    hits: dict[str, int] = dict.fromkeys(languages, 0)
    for found, count in Counter(filter(None, map(owners.get, sample))).items():
        for language in found:
            hits[language] += count
    best = max(languages, key=lambda language: (hits[language], -languages.index(language)))
    if hits[best] == 0:
        return None, 0.0
    return best, hits[best] / len(sample)
