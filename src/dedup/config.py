"""Frozen, validated configuration for cleaning.

One channel: build a :class:`CleanConfig` (derive variants with
``dataclasses.replace``) and pass it as ``config=``. Every field is checked when
the object is built; a bad value raises :class:`~dedup.errors.ConfigError`
naming the field, the value and what would be accepted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Literal

from dedup.errors import ConfigError
from dedup.rules import is_known_rule, is_rule_enabled

__all__ = [
    "LANGUAGES",
    "UNSPACED_LANGUAGES",
    "CleanConfig",
    "CustomRule",
    "Favor",
    "LineScoreConfig",
    "RepeatConfig",
    "UnicodeConfig",
    "fingerprint",
]

#: Languages with a phrase list and a stopword list shipped in ``dedup/cleaning/phrases``
#: and ``dedup/cleaning/stopwords`` (:data:`UNSPACED_LANGUAGES`: a phrase list only).
LANGUAGES: tuple[str, ...] = ("en", "fa", "ar", "fr", "de", "es", "ru", "it", "pt", "nl", "pl",
                             "sv", "da", "nb", "id", "zh", "ja")
#: Languages written without spaces: every Han or kana character is its own token, so a
#: list of stopwords does not apply, and their prose is judged by sentence punctuation and
#: length, as in a language we hold no list for. Their phrase lists apply as any other.
UNSPACED_LANGUAGES: tuple[str, ...] = ("zh", "ja")

#: The main-text model's precision/recall dial (:attr:`CleanConfig.favor`).
Favor = Literal["precision", "balanced", "recall"]
_FAVORS: tuple[str, ...] = ("precision", "balanced", "recall")

_CUSTOM_ID = re.compile(r"^custom\.[a-z0-9_]+$")


def _fail(owner: str, name: str, value: object, expected: str) -> ConfigError:
    return ConfigError(f"{owner}.{name}={value!r} is invalid: expected {expected}")


@dataclass(frozen=True, slots=True, kw_only=True)
class UnicodeConfig:
    """How text is repaired before any rule reads it.

    Conservative by default: ftfy fixes mojibake and HTML entities but keeps
    curly quotes and character widths, which carry meaning in many scripts.
    """

    fix_text: bool = True
    uncurl_quotes: bool = False
    fix_width: bool = False
    normalization: Literal["NFC", "NFKC", "none"] = "NFC"

    def __post_init__(self) -> None:
        if self.normalization not in ("NFC", "NFKC", "none"):
            raise _fail("UnicodeConfig", "normalization", self.normalization,
                        "one of 'NFC', 'NFKC', 'none'")


@dataclass(frozen=True, slots=True, kw_only=True)
class RepeatConfig:
    """When a later block counts as a copy of an earlier one.

    ``min_similarity`` is the share of the later block's word 3-grams found in
    the earlier block (containment). Different paragraphs on one topic share
    few 3-grams (seed 004's share under 0.2) while a pasted copy or a teaser
    cut from a paragraph keeps nearly all of them. Parallel sentences of one
    template ("Outstanding loans to Venezuela total..." after "...to Mexico
    total...") share half or more, so 0.8 is required, and a copy must also
    repeat every figure of the later block. ``min_teaser_similarity`` is the
    containment a block needs when it is shorter than four fifths of its
    source: a teaser cut from a paragraph adds a few words of its own ("...,"
    the US embassy said.) and keeps three quarters of its 3-grams on seed 004.
    ``min_words``: blocks shorter than this are only removed when they repeat
    exactly as part of a longer repeated run or when they repeat the title, so
    short refrains such as an interviewer's "Q:" stay.
    """

    min_similarity: float = 0.8
    min_teaser_similarity: float = 0.5
    min_words: int = 8
    shingle_size: int = 3

    def __post_init__(self) -> None:
        if not 0.0 < self.min_similarity <= 1.0:
            raise _fail("RepeatConfig", "min_similarity", self.min_similarity,
                        "a number in (0, 1]")
        if not 0.0 < self.min_teaser_similarity <= 1.0:
            raise _fail("RepeatConfig", "min_teaser_similarity", self.min_teaser_similarity,
                        "a number in (0, 1]")
        if self.min_words < 1:
            raise _fail("RepeatConfig", "min_words", self.min_words, "an integer >= 1")
        if not 1 <= self.shingle_size <= 8:
            raise _fail("RepeatConfig", "shingle_size", self.shingle_size,
                        "an integer from 1 to 8")


@dataclass(frozen=True, slots=True, kw_only=True)
class LineScoreConfig:
    """Thresholds of the line classifier (``boilerplate.low_content``).

    The defaults are jusText's, which were tuned on thousands of web pages in
    many languages: a block under ``length_low`` characters is short and is
    judged by its neighbours; one of ``length_high`` characters or more whose
    stopword share is at least ``stopwords_high`` is good prose; a share under
    ``stopwords_low`` is bad.
    """

    enabled: bool = True
    length_low: int = 70
    length_high: int = 200
    stopwords_low: float = 0.30
    stopwords_high: float = 0.32
    stopwords_sentence: float = 0.15

    def __post_init__(self) -> None:
        if not 1 <= self.length_low < self.length_high:
            raise _fail("LineScoreConfig", "length_low", self.length_low,
                        f"an integer from 1 to length_high-1 ({self.length_high - 1})")
        if not 0.0 <= self.stopwords_low <= self.stopwords_high <= 1.0:
            raise _fail("LineScoreConfig", "stopwords_low", self.stopwords_low,
                        "0 <= stopwords_low <= stopwords_high <= 1")


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomRule:
    """A user rule: whole lines equal to a phrase, or matching a regex, are removed.

    ``rule`` must live under ``custom.`` so reports never confuse it with a
    shipped rule. Phrases match case-insensitively after whitespace is folded;
    patterns must match the whole line (``re.fullmatch``).

    >>> CustomRule(rule="custom.promo", phrases=("Buy the print edition",)).rule
    'custom.promo'
    """

    rule: str
    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    language: str | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if not _CUSTOM_ID.match(self.rule):
            raise _fail("CustomRule", "rule", self.rule,
                        "an id like 'custom.my_rule' (lowercase, digits, underscores)")
        if isinstance(self.phrases, str) or isinstance(self.patterns, str):
            raise ConfigError(f"CustomRule {self.rule}: phrases and patterns are tuples of "
                              "strings, not one string")
        if not self.phrases and not self.patterns:
            raise ConfigError(f"CustomRule {self.rule}: give at least one phrase or pattern")
        for pattern in self.patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(
                    f"CustomRule {self.rule}: pattern {pattern!r} is not a valid regular "
                    f"expression ({exc})"
                ) from None
        if self.language is not None and self.language not in LANGUAGES:
            raise _fail("CustomRule", "language", self.language,
                        f"None or one of {', '.join(LANGUAGES)}")


@dataclass(frozen=True, slots=True, kw_only=True)
class CleanConfig:
    """Everything :func:`dedup.clean` can be told.

    Args:
        disabled_rules: rule ids (``boilerplate.share``) or whole families
            (``boilerplate``) to switch off.
        languages: whose phrase lists apply; all shipped languages by default.
        custom_rules: your own phrases and patterns.
        explain: build human ``detail`` text for every removal. Turn off for
            throughput; spans and rule ids are always kept.
        favor: the precision/recall dial of the main-text model (see
            ``docs/rules.md``). ``"balanced"`` (the default) removes a block of
            prose only when boilerplate surrounds it; ``"recall"`` never removes
            prose on the classifier's word alone, only short lines and non-prose
            among boilerplate; ``"precision"`` also removes prose outside the
            largest run of article text (comments, teasers, "related" blurbs),
            at the risk of cutting articles whose layout it misreads.

    >>> CleanConfig(disabled_rules=frozenset({"repeat"})).is_enabled("repeat.block")
    False
    """

    disabled_rules: frozenset[str] = frozenset()
    languages: tuple[str, ...] = LANGUAGES
    custom_rules: tuple[CustomRule, ...] = ()
    unicode: UnicodeConfig = field(default_factory=UnicodeConfig)
    repeats: RepeatConfig = field(default_factory=RepeatConfig)
    line_score: LineScoreConfig = field(default_factory=LineScoreConfig)
    explain: bool = True
    favor: Favor = "balanced"

    def __post_init__(self) -> None:
        if self.favor not in _FAVORS:
            raise _fail("CleanConfig", "favor", self.favor,
                        "one of 'precision', 'balanced', 'recall'")
        if isinstance(self.disabled_rules, str):
            raise _fail("CleanConfig", "disabled_rules", self.disabled_rules,
                        "a set of rule ids, not one string")
        object.__setattr__(self, "disabled_rules", frozenset(self.disabled_rules))
        for rule in self.custom_rules:
            if not isinstance(rule, CustomRule):
                raise _fail("CleanConfig", "custom_rules", rule, "CustomRule objects")
        custom_ids = {rule.rule for rule in self.custom_rules}
        for rule_id in sorted(self.disabled_rules):
            if not (is_known_rule(rule_id) or rule_id in custom_ids or rule_id == "custom"):
                raise _fail("CleanConfig", "disabled_rules", rule_id,
                            "a rule id listed by `dedup clean --rules` "
                            "(or a family like 'boilerplate')")
        if isinstance(self.languages, str):
            raise _fail("CleanConfig", "languages", self.languages,
                        "a tuple of language codes, not one string")
        for lang in self.languages:
            if lang not in LANGUAGES:
                raise _fail("CleanConfig", "languages", lang, f"one of {', '.join(LANGUAGES)}")
        for rule in self.custom_rules:
            if not isinstance(rule, CustomRule):
                raise _fail("CleanConfig", "custom_rules", rule, "CustomRule objects")
        if len(custom_ids) != len(self.custom_rules):
            raise ConfigError("CleanConfig.custom_rules: two custom rules share one id")

    def is_enabled(self, rule_id: str) -> bool:
        """Say whether ``rule_id`` runs: neither it nor its family is disabled."""
        return is_rule_enabled(rule_id, self.disabled_rules)

    def fingerprint(self) -> str:
        """Return a short stable hash of every field, for artifact and cache names."""
        return fingerprint(self)


def _plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (frozenset, set)):
        return sorted(_plain(v) for v in value)  # type: ignore[type-var]
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def fingerprint(config: object) -> str:
    """Return a 12-hex-digit hash of a config dataclass, stable across processes.

    >>> fingerprint(CleanConfig()) == fingerprint(CleanConfig())
    True
    """
    payload = json.dumps(_plain(config), sort_keys=True, default=str)
    return hashlib.blake2b(payload.encode("utf-8"), digest_size=6).hexdigest()
