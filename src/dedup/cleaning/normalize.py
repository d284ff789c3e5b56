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
from typing import NamedTuple

import ftfy

from dedup.cleaning._ftfy_fast import fix_and_explain
from dedup.config import UnicodeConfig
from dedup.report import UnicodeFix

__all__ = ["NormalizedText", "normalize"]

# A Latin-1 letter followed by a character a UTF-8 continuation byte turns into
# under cp1252/latin-1 ("â€™", "Ã©"), C1 controls, HTML entities, Latin
# ligatures, lone surrogates and terminal escapes: the only places ftfy can help.
_AFTER_LATIN1 = ("\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
                 "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
                 "\u20ac\u2122")
_BROKEN_CHARS = "\u0080-\u009f\ufb00-\ufb06\ud800-\udfff\x1b"
_ENTITY = "&(?:[a-zA-Z]{2,8}|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});"
_MAYBE_BROKEN = re.compile(f"[\u00c0-\u00ff][{_AFTER_LATIN1}]|[{_BROKEN_CHARS}]|{_ENTITY}")
# The same matches found faster: a pattern that starts with one character class
# is scanned for at C speed, an alternation is tried branch by branch at every
# position (four times slower). Only the yes/no answer of a search is used.
_MAYBE_BROKEN_FAST = re.compile(
    f"[\u00c0-\u00ff{_BROKEN_CHARS}&](?:(?<=[\u00c0-\u00ff])[{_AFTER_LATIN1}]"
    f"|(?<=[{_BROKEN_CHARS}])|(?<=&){_ENTITY[1:]})")
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
_LATIN1_LETTER = re.compile("[\u00c0-\u00ff]")
_AFTER_LATIN1_CHAR = re.compile(f"[{_AFTER_LATIN1}]")
_BROKEN_CHAR = re.compile(f"[{_BROKEN_CHARS}]")
_ENTITY_PATTERN = re.compile(_ENTITY)
# Printable ASCII but "&" (it starts an entity), and newline: no step and no
# scan above can hit them, and they are nearly all of most texts. Tabs are kept
# in the residue, as a rare character that tells whether a line may end in one.
_PLAIN_ASCII = bytes(byte for byte in range(128)
                     if (0x20 <= byte < 0x7f and byte != ord("&")) or byte == 0x0a)


def _mojibake_pair() -> re.Pattern[bytes]:
    """The first branch of ``_MAYBE_BROKEN`` on UTF-8 bytes.

    It starts with the literal lead byte of U+00C0-U+00FF, which the regex
    engine finds as fast as ``bytes.find``; the character class of the str
    pattern costs 7 ns per character. UTF-8 lead bytes never occur inside
    another character, so byte matches are character matches.
    """
    after = [chr(code) for code in range(0x80, 0x2200)
             if _AFTER_LATIN1_CHAR.fullmatch(chr(code)) is not None]
    return re.compile(b"\xc3[\x80-\xbf](?:" + b"|".join(
        re.escape(char.encode()) for char in after) + b")")


_MOJIBAKE_PAIR = _mojibake_pair()


def _unusual(text: str) -> tuple[bytes, str]:
    """Return ``text`` as UTF-8 and the characters of it that are not plain ASCII.

    Every scan of :func:`normalize` looks for characters outside
    ``_PLAIN_ASCII``, so it can run on what is left once those bytes are
    deleted: a few characters in most text, and dropping ASCII bytes from UTF-8
    leaves whole characters. Deleting bytes costs about 2 ns per character, a
    regex scan 7 ns, and several scans would be needed.
    """
    encoded = text.encode("utf-8", "surrogatepass")
    return encoded, encoded.translate(None, _PLAIN_ASCII).decode("utf-8", "surrogatepass")


def _maybe_broken(text: str, encoded: bytes, unusual: str) -> bool:
    """Say whether ``_MAYBE_BROKEN`` finds anything in ``text`` (cheap checks first).

    ``encoded`` and ``unusual`` are what :func:`_unusual` returns for ``text``.

    >>> samples = ("caf\\u00c3\\u00a9", "caf\\u00e9 &amp; cr\\u00e8me",
    ...            "caf\\u00e9 & cr\\u00e8me \\u2019")
    >>> [_maybe_broken(t, *_unusual(t)) for t in samples]
    [True, True, False]
    """
    if not unusual:
        return False
    if _BROKEN_CHAR.search(unusual) is not None:
        return True
    if "&" in unusual and _ENTITY_PATTERN.search(text) is not None:
        return True
    return (_LATIN1_LETTER.search(unusual) is not None
            and _AFTER_LATIN1_CHAR.search(unusual) is not None
            and _MOJIBAKE_PAIR.search(encoded) is not None)


_FTFY_RULES = {
    "unescape_html": "normalize.html_entities",
    "uncurl_quotes": "normalize.uncurl_quotes",
    "fix_character_width": "normalize.width",
}


class NormalizedText(NamedTuple):
    """Repaired text and the named fixes that produced it (one per document: a tuple)."""

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


def _repair(text: str, config: UnicodeConfig, counts: dict[str, int], details: dict[str, str],
            maybe_broken: bool) -> str:
    """Run ftfy on the lines that may need it (all lines if an opt-in fix is on).

    ``maybe_broken`` says whether ``_MAYBE_BROKEN`` finds anything in ``text``.
    """
    if not config.fix_text:
        return text
    run_everywhere = config.uncurl_quotes or config.fix_width
    if not run_everywhere and not maybe_broken:
        return text
    ftfy_config = _ftfy_config(config)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not run_everywhere and _MAYBE_BROKEN_FAST.search(line) is None:
            continue
        # ftfy's own fix, reading its mojibake regex only near non-ASCII
        # characters (see _ftfy_fast: the same text and steps, half the time).
        fixed, explanation = fix_and_explain(line, ftfy_config)
        if fixed == line:
            continue
        lines[index] = fixed
        for step in explanation or ():
            rule, detail = _fix_rule(step)
            counts[rule] = counts.get(rule, 0) + 1
            details.setdefault(rule, detail)
    return "\n".join(lines)


def _strip_line_ends(text: str, has_tab: bool = True) -> tuple[str, int]:
    """Drop spaces and tabs at line ends (str.rstrip per line beats a regex 10x).

    Most texts have none, which substring tests (at C speed) tell without
    splitting the text into lines; ``has_tab=False`` says ``text`` holds no
    tab, and spares one of them.
    """
    if not (" \n" in text or (has_tab and "\t\n" in text) or text.endswith((" ", "\t"))):
        return text, 0
    lines = text.split("\n")
    stripped = [line.rstrip(" \t") for line in lines]
    count = sum(1 for a, b in zip(lines, stripped, strict=False) if len(a) != len(b))
    return ("\n".join(stripped), count) if count else (text, 0)


_DEFAULT_CONFIG = UnicodeConfig()


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
    config = config or _DEFAULT_CONFIG
    # A dict, not a Counter: Counter() alone costs microseconds, once per document.
    counts: dict[str, int] = {}
    details: dict[str, str] = {}
    # Every scan below runs on the few characters that are not plain ASCII
    # (see _unusual), recomputed whenever a step changed the text.
    encoded, unusual = _unusual(text)
    # Control characters first, so they cannot hide mojibake from ftfy
    # ("Â\x1f\x80" must not become fixable only after the \x1f is gone).
    has_odd_characters = _ODD_CHARACTER.search(unusual) is not None
    if has_odd_characters and _INVISIBLE.search(unusual) is not None:
        text, count = _INVISIBLE.subn("", text)
        counts["normalize.invisible"] = counts.get("normalize.invisible", 0) + count
        encoded, unusual = _unusual(text)
    before_repair = text
    text = _repair(text, config, counts, details, _maybe_broken(text, encoded, unusual))
    if text is not before_repair:
        encoded, unusual = _unusual(text)
        has_odd_characters = _ODD_CHARACTER.search(unusual) is not None
    for rule, pattern, replacement in () if not has_odd_characters else (
        ("normalize.newlines", _NEWLINES, "\n"),
        ("normalize.spaces", _SPACES, " "),
        ("normalize.invisible", _INVISIBLE, ""),
    ):
        # The steps only drop characters or write plain ASCII, so what was not
        # in ``unusual`` before them is not in the text after them either.
        if pattern.search(unusual) is not None:
            text, count = pattern.subn(replacement, text)
            if count:
                counts[rule] = counts.get(rule, 0) + count
    # No step writes a tab, so ``unusual`` (of the text before them) knows of every one.
    text, count = _strip_line_ends(text, "\t" in unusual)
    if count:
        counts["normalize.trailing_whitespace"] = count
    if config.normalization != "none" and not (text.isascii()
                                               or unicodedata.is_normalized(
                                                   config.normalization, text)):
        before = len(text)
        text = unicodedata.normalize(config.normalization, text)
        counts["normalize.nfc"] = max(1, before - len(text))
        details["normalize.nfc"] = config.normalization
    fixes = tuple(
        UnicodeFix(rule=rule, detail=details.get(rule, ""), count=counts[rule])
        for rule in counts
    ) if counts else ()
    return NormalizedText(text=text, fixes=fixes)
