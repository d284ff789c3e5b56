"""Literal text a regex cannot match without: a substring test before the regex runs.

A phrase pattern such as ``.{0,150}\\ball rights reserved\\b.{0,80}`` costs
about 1.5 µs per line tried, because the engine backtracks through the whole
line looking for the literal part; ``"all rights reserved" in line`` costs
40 ns. :func:`required_literals` reads a pattern's syntax tree and returns
strings of which every match must contain one, so that a line holding none of
them is skipped: an exact filter, never a heuristic, as long as the line is
compared the way :func:`comparable` says.

Case: the patterns are compiled with ``re.IGNORECASE``, under which the regex
engine compares the simple lowercase of characters, and treats a few distinct
lowercase letters as equal ("i" and dotless "ı", "s" and long "ſ", Greek
"σ" and "ς"...). Needles are written with one representative letter per such
class, and :func:`comparable` only lower-cases lines where ``str.lower``
yields exactly those representatives; other lines get ``None`` and every
pattern is run on them.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Analysis", "First", "analyse", "comparable", "first_characters", "required_literals",
    "skips_ahead", "splittable",
]

#: Lowercase letters the regex engine treats as equal to another, mapped to
#: the letter ``str.lower`` gives for their capital (the class representative).
#: From ``re._casefix`` (CPython 3.11); a test checks it against that table.
CASE_CLASSES: dict[str, str] = {
    "\u0131": "i", "\u017f": "s", "\u00b5": "\u03bc", "\u0345": "\u03b9", "\u1fbe": "\u03b9",
    "\u03c2": "\u03c3", "\u03d0": "\u03b2", "\u03f5": "\u03b5", "\u03d1": "\u03b8",
    "\u03f0": "\u03ba", "\u03d6": "\u03c0", "\u03f1": "\u03c1", "\u03d5": "\u03c6",
    "\u1c80": "\u0432", "\u1c81": "\u0434", "\u1c82": "\u043e", "\u1c83": "\u0441",
    "\u1c84": "\u0442", "\u1c85": "\u0442", "\u1c86": "\u044a", "\u1c87": "\u0463",
    "\u1c88": "\ua64b", "\u1e9b": "\u1e61", "\u1fd3": "\u0390", "\u1fe3": "\u03b0",
    "\ufb06": "\ufb05",
}

#: Characters whose ``str.lower`` is not their class representative: the keys
#: above (and the few capitals lowering to them), "İ" (lowers to two
#: characters) and "Σ" (lowers to "σ" or "ς" depending on its neighbours).
#: A test recomputes this over every code point.
_NOT_COMPARABLE = re.compile(
    "[\u0130\u0131\u017f\u00b5\u0345\u1fbe\u03a3\u03c2\u03d0\u03f5\u03d1\u03f0\u03d6\u03f1"
    "\u03d5\u1c80-\u1c88\u1e9b\u1fd3\u1fe3\ufb06]")


def comparable(line: str) -> str | None:
    """Return ``line`` lower-cased for needle tests, or ``None`` if it cannot be.

    >>> comparable("All Rights Reserved"), comparable("\\u0130stanbul")
    ('all rights reserved', None)
    """
    if not line.isascii() and _NOT_COMPARABLE.search(line) is not None:
        return None
    return line.lower()


def _needle_char(char: str) -> str | None:
    lowered = char.lower()
    if len(lowered) != 1 or char == "\u03a3":
        return None
    return CASE_CLASSES.get(lowered, lowered)


def _parser() -> Any:
    """The stdlib regex parser (``re._parser`` since 3.11, ``sre_parse`` before)."""
    try:
        return importlib.import_module("re._parser")
    except ImportError:  # pragma: no cover - Python 3.10
        return importlib.import_module("sre_parse")


_Clause = frozenset[str]


def _better(a: _Clause | None, b: _Clause | None) -> _Clause | None:
    """The more selective clause: longest shortest needle, then fewest needles."""
    if a is None or b is None:
        return a if b is None else b
    return max(a, b, key=lambda clause: (min(map(len, clause)), -len(clause)))


def _sequence(items: Any) -> _Clause | None:
    """Best clause of a sequence of parsed items: one of its needles is in every match."""
    best: _Clause | None = None
    run: list[str] = []

    def close_run() -> None:
        nonlocal best
        if run:
            best = _better(best, frozenset(("".join(run),)))
            run.clear()

    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            char = _needle_char(chr(value))
            if char is not None:
                run.append(char)
                continue
        close_run()
        if name == "SUBPATTERN":
            _group, add_flags, del_flags, inner = value
            if not add_flags and not del_flags:
                best = _better(best, _sequence(inner))
        elif name == "ATOMIC_GROUP":
            best = _better(best, _sequence(value))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, inner = value
            if low >= 1:
                best = _better(best, _sequence(inner))
        elif name == "BRANCH":
            clauses = [_sequence(branch) for branch in value[1]]
            if clauses and all(clause is not None for clause in clauses):
                best = _better(best, frozenset().union(*clauses))  # type: ignore[arg-type]
    close_run()
    return best


def _has_backreference(items: Any) -> bool:
    for op, value in items:
        name = str(op)
        if name in ("GROUPREF", "GROUPREF_EXISTS"):
            return True
        if name == "SUBPATTERN" and _has_backreference(value[3]):
            return True
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and _has_backreference(
                value[2]):
            return True
        if name == "ATOMIC_GROUP" and _has_backreference(value):
            return True
        if name == "BRANCH" and any(_has_backreference(branch) for branch in value[1]):
            return True
        if name in ("ASSERT", "ASSERT_NOT") and _has_backreference(value[1]):
            return True
    return False


#: A pattern that does not skip ahead fails fast on most lines: a needle test
#: only pays (substring tests at 50 ns against a regex call at 300 ns) when
#: there are this few needles to try.
_MAX_NEEDLES = 4

#: A repeat of "any character" at least this long makes a pattern scan the line.
_LONG_SKIP = 10


def _skips_ahead(items: Any) -> bool:
    """Say whether a pattern starts by skipping over text (``.{0,150}``, ``[^!?]{1,100}``).

    Such a pattern is tried at every length of the skip, so it costs time in
    proportion to the line; a pattern that starts with a word or a short
    class fails at once on most lines and is not worth a needle test.
    """
    for op, value in items:
        name = str(op)
        if name == "AT":
            continue
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, inner = value
            if high >= _LONG_SKIP and len(inner) == 1 and _matches_most(inner[0]):
                return True
            if _skips_ahead(inner):
                return True
            if low == 0:
                continue
            return False
        if name == "SUBPATTERN":
            return _skips_ahead(value[3])
        if name == "BRANCH":
            return any(_skips_ahead(branch) for branch in value[1])
        return False
    return False


def _matches_most(item: Any) -> bool:
    """Say whether a one-character item matches nearly any character (``.``, ``[^...]``)."""
    op, value = item
    name = str(op)
    return name in ("ANY", "NOT_LITERAL") or (
        name == "IN" and any(str(inner_op) == "NEGATE" for inner_op, _ in value))


def skips_ahead(pattern: str) -> bool:
    """Say whether ``pattern`` starts by skipping over text (see ``_skips_ahead``).

    >>> skips_ahead(r".{0,150}\\ball rights reserved"), skips_ahead(r"[\\W_]*share on .{0,40}")
    (True, False)
    >>> skips_ahead(r"[(\\[]?(?:[^!?]{0,100}[\\s/(,:;-])?(?:getty images|alamy)")
    True
    """
    try:
        return _skips_ahead(_parser().parse(pattern, re.IGNORECASE))
    except re.error:
        return False


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Return needles one of which every ``re.IGNORECASE`` match of ``pattern`` contains.

    ``None`` when there are none to be sure of, or when the pattern cannot be
    judged alone (a back-reference, an inline global flag): such a pattern is
    then always run. Needles are compared with :func:`comparable` lines.

    >>> required_literals(r".{0,150}\\bAll rights reserved\\b.{0,80}")
    ('all rights reserved',)
    >>> sorted(required_literals(r"[\\W_]*(?:tags?|categories)\\s*:.{0,300}"))
    ['categories', 'tag']
    >>> required_literals(r"[\\W_]*\\d+\\s*min") is None, required_literals(r"(a)\\1") is None
    (False, True)
    """
    parsed = _parse_alone(pattern)
    clause = None if parsed is None else _sequence(parsed)
    return _ordered(clause)


@dataclass(frozen=True, slots=True)
class First:
    """What the first character of a match can be.

    ``chars`` holds class representatives (compare ``comparable(line)[0]``),
    ``nonword`` allows any character that is not alphanumeric, ``digit`` any
    decimal digit (``\\d``).
    """

    chars: frozenset[str]
    nonword: bool
    digit: bool


_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
# (chars, nonword, digit, may be empty); chars None: any character.
_FirstSet = tuple[frozenset[str] | None, bool, bool, bool]
_ANY: _FirstSet = (None, True, True, False)


def _first_in(value: Any) -> _FirstSet:
    chars: set[str] = set()
    nonword = digit = False
    for op, item in value:
        name = str(op)
        if name == "LITERAL":
            char = _needle_char(chr(item))
            if char is None:
                return _ANY
            chars.add(char)
        elif name == "CATEGORY" and str(item) in ("CATEGORY_NOT_WORD", "CATEGORY_SPACE"):
            nonword = True
        elif name == "CATEGORY" and str(item) == "CATEGORY_DIGIT":
            digit = True
        else:
            return _ANY
    return frozenset(chars), nonword, digit, False


def _first_item(op: Any, value: Any) -> _FirstSet:
    name = str(op)
    if name == "LITERAL":
        char = _needle_char(chr(value))
        return _ANY if char is None else (frozenset((char,)), False, False, False)
    if name == "IN":
        return _first_in(value)
    if name in _REPEATS:
        low, _high, inner = value
        chars, nonword, digit, empty = _first_sequence(inner)
        return chars, nonword, digit, empty or low == 0
    if name == "SUBPATTERN":
        _group, add_flags, del_flags, inner = value
        return _ANY if add_flags or del_flags else _first_sequence(inner)
    if name == "ATOMIC_GROUP":
        return _first_sequence(value)
    if name == "BRANCH":
        found = [_first_sequence(branch) for branch in value[1]]
        if any(chars is None for chars, *_ in found):
            return _ANY
        return (frozenset().union(*(chars for chars, *_ in found if chars is not None)),
                any(f[1] for f in found), any(f[2] for f in found), any(f[3] for f in found))
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return frozenset(), False, False, True
    return _ANY


def _first_sequence(items: Any) -> _FirstSet:
    chars: set[str] = set()
    nonword = digit = False
    for op, value in items:
        found, item_nonword, item_digit, empty = _first_item(op, value)
        if found is None:
            return _ANY
        chars |= found
        nonword |= item_nonword
        digit |= item_digit
        if not empty:
            return frozenset(chars), nonword, digit, False
    return frozenset(chars), nonword, digit, True


def _ordered(clause: _Clause | None) -> tuple[str, ...] | None:
    """Needles longest first (the rarest in text), ties in alphabetical order."""
    return tuple(sorted(clause, key=lambda needle: (-len(needle), needle))) if clause else None


def _parse_alone(pattern: str) -> Any | None:
    """Parse ``pattern`` as ``re`` would with IGNORECASE; ``None`` if it cannot be judged alone.

    That is: it does not parse, sets a global flag other than IGNORECASE, or
    holds a back-reference (group numbers change when patterns are joined).
    """
    try:
        parsed = _parser().parse(pattern, re.IGNORECASE)
    except re.error:
        return None
    if parsed.state.flags & ~(re.IGNORECASE | re.UNICODE) or _has_backreference(parsed):
        return None
    return parsed


def first_characters(pattern: str) -> First | None:
    """Say what the first character of a ``re.IGNORECASE`` match of ``pattern`` can be.

    ``None`` when it can be anything, or the pattern cannot be judged alone.

    >>> first = first_characters(r"[\\W_]*Share (?:on|via)")
    >>> sorted(first.chars), first.nonword, first.digit
    (['_', 's'], True, False)
    >>> first_characters(r".{0,150}rights") is None
    True
    """
    parsed = _parse_alone(pattern)
    if parsed is None:
        return None
    chars, nonword, digit, _empty = _first_sequence(parsed)
    return None if chars is None else First(chars, nonword, digit)


def splittable(pattern: str) -> bool:
    """Say whether ``pattern`` matches the same alone as inside a larger alternation.

    It must parse alone, and hold no back-reference (group numbers change when
    patterns are joined), no named group and no inline global flag.

    >>> splittable(r"share on .{0,40}"), splittable(r"(a)\\1"), splittable(r"(?P<x>a)")
    (True, False, False)
    """
    return "(?P" not in pattern and _parse_alone(pattern) is not None


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the filters know of one pattern, from a single parse.

    ``first``: what a match can start with (``None``: anything). ``needles``:
    the literals one of which a match holds (:func:`required_literals`), for
    patterns that skip ahead (:func:`skips_ahead`) or have few of them.
    ``literals``: those literals however many there are (``needles`` when it
    is set): too many to test one by one before a pattern that fails fast,
    they can still rule it out inside one search for the needles of many.
    """

    first: First | None
    needles: tuple[str, ...] | None
    literals: tuple[str, ...] | None = None


def analyse(pattern: str) -> Analysis | None:
    """Analyse ``pattern`` once for :class:`~dedup.cleaning._patternset.PatternSet`.

    ``None`` when it cannot be judged alone (see :func:`splittable`).

    >>> analyse(r".{0,150}all rights reserved")
    Analysis(first=None, needles=('all rights reserved',), literals=('all rights reserved',))
    >>> analyse(r"[\\W_]*(?:tags?|topics|categories|keywords|filed under)\\s*:").literals
    ('filed under', 'categories', 'keywords', 'topics', 'tag')
    >>> analyse(r"(a)\\1") is None
    True
    """
    parsed = None if "(?P" in pattern else _parse_alone(pattern)
    if parsed is None:
        return None
    chars, nonword, digit, _empty = _first_sequence(parsed)
    literals = _sequence(parsed)
    clause = literals
    if clause is not None and len(clause) > _MAX_NEEDLES and not _skips_ahead(parsed):
        clause = None
    return Analysis(
        first=None if chars is None else First(chars, nonword, digit),
        needles=_ordered(clause),
        literals=_ordered(literals),
    )
