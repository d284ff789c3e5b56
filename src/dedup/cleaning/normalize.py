"""Unicode and whitespace repair: the text every rule reads.

ftfy costs about 1 s per MB, and most scraped text needs none of it, so ftfy
only sees the lines a cheap pattern flags as possibly broken (mojibake lead
bytes, C1 controls, HTML entities, ligatures, surrogates). The whitespace
steps are ours: they are simple, fast and must never touch a character that
carries meaning, such as the zero-width non-joiner Persian words are spelt with.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import ftfy

from dedup.config import UnicodeConfig
from dedup.report import UnicodeFix

__all__ = ["NormalizedText", "normalize"]

# A Latin-1 letter followed by a character a UTF-8 continuation byte turns into
# under cp1252/latin-1 ("â€™", "Ã©"), C1 controls, HTML entities, Latin
# ligatures, lone surrogates and terminal escapes: the only places ftfy can help.
_MAYBE_BROKEN = re.compile(
    "[\u00c0-\u00ff][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
    "|[\u0080-\u009f\ufb00-\ufb06\ud800-\udfff\x1b]"
    "|&(?:[a-zA-Z]{2,8}|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});"
)
_NEWLINES = re.compile("\r\n?|[\u2028\u2029\x0b\x0c\x85]")
# Spaces that look like a space: no-break, en/em and the other typographic
# spaces, the ideographic space. Tabs stay: they can mean indentation.
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Invisible characters that carry no meaning in running text. Deliberately
# absent: U+200C/U+200D (ZWNJ/ZWJ), which Persian, Indic scripts and emoji need.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f\u200b\u2060\ufeff\u00ad]")
# Any character the line-break, space or invisible steps would touch: one scan
# tells whether those steps can be skipped, as they can for most text.
_ODD_CHARACTER = re.compile(
    "[\r\u2028\u2029\x0b\x0c\x85\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
    "\x00-\x08\x0e-\x1f\x7f\u200b\u2060\ufeff\u00ad]")
# One character class is cheap to scan for; the full pattern only runs if it hits.
_MAYBE_BROKEN_CHAR = re.compile("[\u00c0-\u00ff\u0080-\u009f\ufb00-\ufb06\ud800-\udfff\x1b&]")

_FTFY_RULES = {
    "unescape_html": "normalize.html_entities",
    "uncurl_quotes": "normalize.uncurl_quotes",
    "fix_character_width": "normalize.width",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class NormalizedText:
    """Repaired text and the named fixes that produced it."""

    text: str
    fixes: tuple[UnicodeFix, ...]


def _ftfy_config(config: UnicodeConfig) -> ftfy.TextFixerConfig:
    return ftfy.TextFixerConfig(
        uncurl_quotes=config.uncurl_quotes,
        fix_character_width=config.fix_width,
        fix_line_breaks=False,  # ours, below, so that it is counted
        remove_control_chars=False,  # ours, below: ftfy would also drop ZWNJ's neighbours
        normalization=None,
        explain=True,
    )


def _fix_rule(step: tuple[str, str]) -> tuple[str, str]:
    kind, name = step
    if kind in ("encode", "decode", "transcode") or name in (
        "decode_inconsistent_utf8", "fix_c1_controls", "replace_lossy_sequences",
        "restore_byte_a0",
    ):
        return "normalize.mojibake", f"{kind} {name}"
    return _FTFY_RULES.get(name, "normalize.ftfy"), name


def _repair(text: str, config: UnicodeConfig, counts: Counter[str], details: dict[str, str]
            ) -> str:
    """Run ftfy on the lines that may need it (all lines if an opt-in fix is on)."""
    if not config.fix_text:
        return text
    run_everywhere = config.uncurl_quotes or config.fix_width
    if not run_everywhere and (_MAYBE_BROKEN_CHAR.search(text) is None
                               or _MAYBE_BROKEN.search(text) is None):
        return text
    ftfy_config = _ftfy_config(config)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not run_everywhere and _MAYBE_BROKEN.search(line) is None:
            continue
        fixed, explanation = ftfy.fix_and_explain(line, config=ftfy_config)
        if fixed == line:
            continue
        lines[index] = fixed
        for step in explanation or ():
            rule, detail = _fix_rule(step)
            counts[rule] += 1
            details.setdefault(rule, detail)
    return "\n".join(lines)


def _strip_line_ends(text: str) -> tuple[str, int]:
    """Drop spaces and tabs at line ends (str.rstrip per line beats a regex 10x)."""
    lines = text.split("\n")
    stripped = [line.rstrip(" \t") for line in lines]
    count = sum(1 for a, b in zip(lines, stripped, strict=False) if len(a) != len(b))
    return ("\n".join(stripped), count) if count else (text, 0)


def normalize(text: str, config: UnicodeConfig | None = None) -> NormalizedText:
    """Repair encoding damage and normalise whitespace, naming every step taken.

    The steps, in order: ftfy on suspicious lines (mojibake, HTML entities;
    quote uncurling and width folding only when asked), line breaks to ``\\n``,
    exotic spaces to a space, invisible and control characters dropped,
    trailing spaces dropped, then NFC. Leading indentation is kept: it marks
    paragraphs in hard-wrapped text. The result is a fixed point: normalising
    it again changes nothing.

    >>> normalize("caf\\u00c3\\u00a9\\u00a0au lait \\r\\n").text
    'café au lait\\n'
    >>> for fix in normalize("caf\\u00c3\\u00a9\\u00a0au lait \\r\\n").fixes:
    ...     print(fix.rule)
    normalize.mojibake
    normalize.newlines
    normalize.spaces
    normalize.trailing_whitespace
    """
    config = config or UnicodeConfig()
    original = text
    counts: Counter[str] = Counter()
    details: dict[str, str] = {}
    # Control characters first, so they cannot hide mojibake from ftfy
    # ("Â\x1f\x80" must not become fixable only after the \x1f is gone).
    has_odd_characters = _ODD_CHARACTER.search(text) is not None
    if has_odd_characters and _INVISIBLE.search(text) is not None:
        text, count = _INVISIBLE.subn("", text)
        counts["normalize.invisible"] += count
    text = _repair(text, config, counts, details)
    if not has_odd_characters and text is not original:
        has_odd_characters = _ODD_CHARACTER.search(text) is not None
    for rule, pattern, replacement in () if not has_odd_characters else (
        ("normalize.newlines", _NEWLINES, "\n"),
        ("normalize.spaces", _SPACES, " "),
        ("normalize.invisible", _INVISIBLE, ""),
    ):
        if pattern.search(text) is not None:
            text, count = pattern.subn(replacement, text)
            counts[rule] += count
    text, count = _strip_line_ends(text)
    if count:
        counts["normalize.trailing_whitespace"] += count
    if config.normalization != "none" and not (text.isascii()
                                               or unicodedata.is_normalized(
                                                   config.normalization, text)):
        before = len(text)
        text = unicodedata.normalize(config.normalization, text)
        counts["normalize.nfc"] += max(1, before - len(text))
        details["normalize.nfc"] = config.normalization
    fixes = tuple(
        UnicodeFix(rule=rule, detail=details.get(rule, ""), count=counts[rule])
        for rule in counts
    )
    return NormalizedText(text=text, fixes=fixes)
