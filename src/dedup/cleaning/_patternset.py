"""Which of an ordered list of regex rules fully matches a line first, without trying them all.

The phrase lists hold about 150 patterns in 10 rules, all tried with
``fullmatch`` and ``re.IGNORECASE`` on each short line: 30 µs a line, as the
regex engine attempts every alternative and backtracks through patterns such
as ``.{0,150}\\ball rights reserved``. Two exact filters cut that down:

* most patterns can only start with a few characters (``[\\W_]*share on`` needs
  a non-alphanumeric character or an "s" first), so the patterns a line is
  tried against are chosen by its first character, and joined into one regex
  per choice (named groups tell which rule matched: the first in order, as
  the engine tries alternatives in order);
* patterns that start by skipping over text are only tried on lines holding
  one of their needles (:func:`dedup.cleaning._needles.required_literals`).

Lines whose case the filters cannot judge (:func:`~dedup.cleaning._needles.comparable`)
and rule lists with a pattern the filters cannot read go through the plain
per-rule alternations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dedup.cleaning._needles import (
    First,
    comparable,
    first_characters,
    required_literals,
    skips_ahead,
    splittable,
)

__all__ = ["PatternSet"]

_GROUP = "dedup_rule_"


def _join(parts: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{part})" for part in parts), re.IGNORECASE)


def _may_start(first: First | None, key: str, char: str) -> bool:
    """Say whether a pattern may start with ``char`` (``key`` is its comparable form)."""
    return first is None or key in first.chars or (first.nonword and not char.isalnum()) or (
        first.digit and char.isdecimal())


@dataclass(frozen=True, slots=True)
class _Gated:
    rule: int
    needles: tuple[str, ...]
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class PatternSet:
    """Rules, each an alternation of patterns; tells the first rule fully matching a line.

    >>> rules = PatternSet.build([["[\\\\W_]*share on .{1,20}"], [".{0,50}all rights reserved"]])
    >>> rules.first_match("Share on Facebook"), rules.first_match("(c) 2024 All rights reserved")
    (0, 1)
    >>> rules.first_match("He shared it") is None
    True
    """

    whole: tuple[re.Pattern[str], ...]
    #: Joined patterns by (first character's comparable form, not alphanumeric,
    #: decimal digit), compiled on first use: a memo, never read before it is
    #: filled. ``None`` when some pattern cannot be judged alone (then only
    #: ``whole`` is used).
    by_start: dict[tuple[str, bool, bool], re.Pattern[str] | None] | None
    firsts: tuple[tuple[int, str, First | None], ...]
    gated: tuple[_Gated, ...]
    group_rule: dict[str, int]

    @classmethod
    def build(cls, rules: Sequence[Sequence[str]]) -> PatternSet:
        """Compile ``rules``: for each, the patterns any of which makes a line match it."""
        whole = tuple(_join(parts) for parts in rules)
        firsts: list[tuple[int, str, First | None]] = []
        gated: list[_Gated] = []
        judged = all(splittable(part) for parts in rules for part in parts)
        for index, parts in enumerate(rules):
            for part in parts:
                needles = required_literals(part) if skips_ahead(part) else None
                if needles is not None:
                    gated.append(_Gated(index, needles, re.compile(part, re.IGNORECASE)))
                else:
                    firsts.append((index, part, first_characters(part)))
        group_rule = {f"{_GROUP}{index}": index for index in range(len(rules))}
        return cls(whole=whole, by_start={} if judged else None, firsts=tuple(firsts),
                   gated=tuple(gated), group_rule=group_rule)

    def _start_pattern(self, key: str, char: str) -> re.Pattern[str] | None:
        """The joined patterns that may start with ``char``, compiled on first use."""
        assert self.by_start is not None
        start = (key, not char.isalnum(), char.isdecimal())
        if start in self.by_start:
            return self.by_start[start]
        by_rule: dict[int, list[str]] = {}
        for index, part, first in self.firsts:
            if _may_start(first, key, char):
                by_rule.setdefault(index, []).append(part)
        pattern = re.compile("|".join(
            f"(?P<{_GROUP}{index}>" + "|".join(f"(?:{part})" for part in parts) + ")"
            for index, parts in sorted(by_rule.items())), re.IGNORECASE) if by_rule else None
        self.by_start[start] = pattern
        return pattern

    def first_match(self, line: str) -> int | None:
        """Return the index of the first rule that fully matches ``line``, if any."""
        lowered = comparable(line) if line and self.by_start is not None else None
        if lowered is None:
            for index, pattern in enumerate(self.whole):
                if pattern.fullmatch(line) is not None:
                    return index
            return None
        joined = self._start_pattern(lowered[0], line[0])
        found = joined.fullmatch(line) if joined is not None else None
        best = self.group_rule[found.lastgroup] if found is not None and found.lastgroup else len(
            self.whole)
        for gate in self.gated:
            if gate.rule >= best:
                break
            for needle in gate.needles:
                if needle in lowered:
                    if gate.pattern.fullmatch(line) is not None:
                        return gate.rule
                    break
        return best if best < len(self.whole) else None

