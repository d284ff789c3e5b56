"""ftfy's ``fix_and_explain`` with its mojibake test read only near non-ASCII characters.

A line that ftfy repairs is read by ftfy's badness regex (``is_bad``) three
times: once broken, then twice repaired, to confirm nothing is left to fix
(``fix_encoding_and_explain`` and ``fix_and_explain`` each loop until the
text stops changing). The two confirmations find nothing, so they scan the
whole line: a regex of 37 alternatives tried at each of a BBC paragraph's 570
characters. Every alternative of that regex needs a non-ASCII character and
matches at most a few characters (:func:`_badness_reach` checks both on the
regex ftfy ships, at import), so only the characters within that reach of a
non-ASCII one can start or end a match, and :func:`is_bad` searches just
those windows: an exact answer, not a heuristic.

:func:`fix_and_explain` is ftfy's own loop (6.1 to 6.3 read alike) with that
test in front of ftfy's one encoding step: where the test finds nothing, the
step returns the text unchanged without running, as ftfy's step would after
its own test; and the ligature fixer, a ``str.translate`` of the whole line,
is skipped on a line holding none of its characters. Measured on the 969
lines of BBC News read as Latin-1 (all of which ftfy repairs, so no stricter
pre-check could spare one): 0.40-0.46 s of CPU in ``ftfy.fix_and_explain``,
0.12-0.13 s here (three runs; the windows alone: 0.61 s against 1.15 s in a
run on a busier machine). Where ftfy or its regex is not what was checked,
``ftfy.fix_and_explain`` itself runs. The reference is ftfy itself:
``tests/cleaning/test_fast_paths.py`` compares the two on generated
mojibake and arbitrary text, ``benchmarks/clean_identity.py`` on the corpora.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from typing import Any

import ftfy
from ftfy import badness

__all__ = ["FAST", "fix_and_explain", "is_bad"]

Steps = list[tuple[str, str]]

# The fixers ftfy's fix_and_explain runs after the encoding step, in its order.
_FIXERS = ("fix_c1_controls", "fix_latin_ligatures", "fix_character_width", "uncurl_quotes",
           "fix_line_breaks", "fix_surrogates", "remove_terminal_escapes", "remove_control_chars")
_NON_ASCII_RUN = re.compile("[^\x00-\x7f]+")
#: Windows closer than this many characters are searched as one: a search call
#: costs more than the few characters between them.
_WINDOW_GAP = 32


def _parser() -> Any:
    """The stdlib regex parser (``re._parser`` since 3.11, ``sre_parse`` before)."""
    try:
        return importlib.import_module("re._parser")
    except ImportError:  # pragma: no cover - Python 3.10
        return importlib.import_module("sre_parse")


def _needs_non_ascii(items: Any, parser: Any) -> bool:
    """Say whether every string a parsed sequence matches holds a non-ASCII character."""
    constants = parser
    for op, value in items:
        if op is constants.LITERAL and value > 0x7f:
            return True
        if op is constants.IN and value and all(
                (kind is constants.LITERAL and member > 0x7f)
                or (kind is constants.RANGE and member[0] > 0x7f) for kind, member in value):
            return True
        if op in (constants.MAX_REPEAT, constants.MIN_REPEAT) and value[0] >= 1 and (
                _needs_non_ascii(value[2], parser)):
            return True
        if op is constants.SUBPATTERN and _needs_non_ascii(value[3], parser):
            return True
        if op is constants.BRANCH and all(_needs_non_ascii(branch, parser)
                                          for branch in value[1]):
            return True
    return False


def _context_free(items: Any, parser: Any) -> bool:
    """Say whether a parsed pattern reads nothing outside its match but the string's start.

    Lookarounds, word boundaries, ``$`` and back references would let text
    beyond a window change the answer; ``^`` (without MULTILINE) matches only
    at the real start, also when a search starts later.
    """
    constants = parser
    for op, value in items:
        # Single characters, whatever class: they read no text around them.
        if op in (constants.LITERAL, constants.NOT_LITERAL, constants.ANY, constants.IN):
            continue
        if op is constants.AT and value is constants.AT_BEGINNING:
            continue
        if op in (constants.MAX_REPEAT, constants.MIN_REPEAT):
            if not _context_free(value[2], parser):
                return False
            continue
        if op is constants.SUBPATTERN:
            if not _context_free(value[3], parser):
                return False
            continue
        if op is constants.BRANCH:
            if not all(_context_free(branch, parser) for branch in value[1]):
                return False
            continue
        return False  # AT other than ^, ASSERT, ASSERT_NOT, GROUPREF, ...
    return True


def _badness_reach(pattern: re.Pattern[str]) -> int | None:
    """The longest match of ``pattern`` when every match needs a non-ASCII character, else None.

    Also None when the pattern reads context outside its match
    (:func:`_context_free`) or has flags under which a non-ASCII pattern
    character could match an ASCII one (IGNORECASE, LOCALE) or ``^`` could
    match after a line break (MULTILINE).
    """
    if pattern.flags & (re.IGNORECASE | re.LOCALE | re.MULTILINE):
        return None
    parser = _parser()
    try:
        parsed = parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # pragma: no cover - a pattern this parser cannot read
        return None
    items = list(parsed)
    branches = items[0][1][1] if len(items) == 1 and items[0][0] is parser.BRANCH else [parsed]
    longest = 0
    for branch in branches:
        if not (_needs_non_ascii(branch, parser) and _context_free(branch, parser)):
            return None
        width = branch.getwidth()[1]
        if width >= parser.MAXREPEAT:
            return None
        longest = max(longest, width)
    return longest or None


def _ligature_chars() -> re.Pattern[str] | None:
    """A class of the characters ftfy's ``fix_latin_ligatures`` replaces, if it only translates.

    ``fix_latin_ligatures`` is ``text.translate(chardata.LIGATURES)``, which
    leaves a text holding none of the table's characters as it is; a scan
    for them costs a few ns per character, the translate 130 (a third of the
    time the lines of BBC News read as Latin-1 spent in ftfy after the
    windowed badness test). None when ftfy's fixer or table is not that one.
    """
    table = getattr(ftfy.chardata, "LIGATURES", None)
    fixer = getattr(ftfy, "FIXERS", {}).get("fix_latin_ligatures")
    if not isinstance(table, dict) or fixer is not getattr(ftfy.fixes, "fix_latin_ligatures",
                                                           None):
        return None
    if not table or not all(isinstance(code, int) for code in table):
        return None
    return re.compile("[" + "".join(re.escape(chr(code)) for code in table) + "]")


_LIGATURE_CHAR = _ligature_chars()
_REACH = _badness_reach(badness.BADNESS_RE)
_ONE_STEP = getattr(ftfy, "_fix_encoding_one_step_and_explain", None)
_TRY_FIX = getattr(ftfy, "_try_fix", None)
_VERSION = tuple(int(part) for part in re.findall(r"\d+", ftfy.__version__)[:2])
#: Whether the fast path runs: ftfy's loop as read here and a regex :func:`is_bad` can window.
FAST = (_REACH is not None and _ONE_STEP is not None and _TRY_FIX is not None
        and (6, 1) <= _VERSION < (6, 4))


def is_bad(text: str) -> bool:
    """``ftfy.badness.is_bad(text)``, searching only around the non-ASCII characters.

    A match holds a non-ASCII character at some position ``p`` and is at most
    ``_REACH`` characters long, so it lies inside ``[p - _REACH + 1, p + _REACH)``;
    a match inside such a window is a match of the whole text (the pattern
    reads no context but the text's start, which ``search(pos=...)`` keeps).

    >>> is_bad("The price is \\u00c2\\u00a35m"), is_bad("The price is \\u00a35m")
    (True, False)
    """
    if _REACH is None:
        return badness.is_bad(text)
    search = badness.BADNESS_RE.search
    reach = _REACH
    window_start = window_end = -1
    for run in _NON_ASCII_RUN.finditer(text):
        start, end = max(0, run.start() - reach + 1), run.end() + reach - 1
        if start <= window_end + _WINDOW_GAP:
            window_end = end
            continue
        if window_end >= 0 and search(text, window_start, window_end) is not None:
            return True
        window_start, window_end = start, end
    return window_end >= 0 and search(text, window_start, window_end) is not None


def _fix_encoding_and_explain(text: str, config: ftfy.TextFixerConfig) -> tuple[str, Steps]:
    """ftfy's ``fix_encoding_and_explain``, skipping a step its badness test would end."""
    if not config.fix_encoding:
        return text, []
    plan: Steps = []
    while True:
        previous = text
        if text and is_bad(text):
            text, step_plan = _ONE_STEP(text, config)  # type: ignore[misc]
            if step_plan is not None:
                plan.extend(step_plan)
        # else: ftfy's step returns the text and no plan (ASCII or not bad)
        if text == previous:
            return text, plan


def fix_and_explain(text: str, config: ftfy.TextFixerConfig
                    ) -> tuple[str, Sequence[tuple[str, str]] | None]:
    """``ftfy.fix_and_explain(text, config=config)``: the same text and steps, sooner.

    ``config`` must ask for explanations and no normalization, as
    :mod:`dedup.cleaning.normalize` does (NFC is its own step there);
    otherwise ftfy itself runs.
    """
    if not (FAST and config.explain and config.normalization is None):
        fixed, explanation = ftfy.fix_and_explain(text, config=config)
        return fixed, explanation
    if config.unescape_html == "auto" and "<" in text:
        config = config._replace(unescape_html=False)
    steps: Steps = []
    try_fix = _TRY_FIX
    while True:
        original = text
        text = try_fix("unescape_html", text, config, steps)  # type: ignore[misc]
        if config.fix_encoding:
            text, encoding_steps = _fix_encoding_and_explain(text, config)
            steps.extend(encoding_steps)
        for fixer in _FIXERS:
            if fixer == "fix_latin_ligatures" and _LIGATURE_CHAR is not None and (
                    _LIGATURE_CHAR.search(text) is None):
                continue  # the translate would return the text as it is
            text = try_fix(fixer, text, config, steps)  # type: ignore[misc]
        if text == original:
            return text, steps
