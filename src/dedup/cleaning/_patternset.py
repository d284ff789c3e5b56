"""Which of an ordered list of regex rules fully matches a line first, without trying them all.

The phrase lists of the 17 languages hold 389 patterns in 10 rules (147 of
them in the 3 notice rules tried on longer lines; 333 and 107 in the 15
languages the figures below were measured with), all tried with
``fullmatch`` and ``re.IGNORECASE`` on each short line: the regex engine
attempts every alternative and backtracks through patterns such as
``.{0,150}\\ball rights reserved``. Exact filters cut that down:

* most patterns can only start with a few characters (``[\\W_]*share on`` needs
  a non-alphanumeric character or an "s" first), so a line is only tried
  against the patterns that can start with its first character;
* patterns that start by skipping over text are only tried on lines holding
  one of their needles (:func:`dedup.cleaning._needles.required_literals`);
* one screen per first character rules out most lines at once: a search for
  all those needles, from each needle's rarest letter (:func:`_literal_search`),
  then, before the alternation of the other patterns, a search for their
  literals (``PatternSet._screen``).

Measured against dd7ebfe, whose screens searched the needles from their first
letter and tried every line against the alternation: ``first_match`` 1.7x as
fast on the short lines of web-pages-dev, 1.7x on its longer lines the notice
rules read, 1.9x and 2.2x on BBC News's (figures in ``PatternSet._screen``).

Patterns are compiled one by one on first use: a process that cleans a few
English documents compiles the few patterns their lines start like, not 333.
Lines whose case the filters cannot judge (:func:`~dedup.cleaning._needles.comparable`)
and rule lists with a pattern the filters cannot read alone go through the
plain per-rule alternations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from dedup.cleaning._needles import Analysis, First, analyse, comparable

__all__ = ["PatternSet"]

# (rule, needles, compiled pattern or None, index in PatternSet.parts). Patterns
# with needles are compiled when a line first holds one of them: most never do.
_Candidate = tuple[int, tuple[str, ...] | None, re.Pattern[str] | None, int]


class _Screen(NamedTuple):
    """Searches that rule out every candidate of a line at once (see ``PatternSet._screen``).

    A line matches no candidate when it holds none of the ``needles`` and
    does not fully match ``joined``; and when ``gated``, it can only fully
    match ``joined`` if it holds one of the ``literals`` or fully matches
    ``bare``. Each search is ``None`` when it has nothing to look for; the
    ``ascii_`` ones hold only the ASCII needles, all an ASCII line can hold.
    (One search for the needles and the literals together, which spares the
    second search on most lines, measured slower in clean(): 0.98-0.99x on
    web-pages-dev, interleaved.)
    """

    #: The needles of the candidates tested for them (see ``_Candidate``).
    needles: re.Pattern[str] | None
    ascii_needles: re.Pattern[str] | None
    #: The alternation of the candidates without needles (the plain ones).
    joined: re.Pattern[str] | None
    #: Whether the plain candidates are many enough for ``literals`` to pay.
    gated: bool
    #: The literals a plain candidate cannot match without, and the
    #: alternation of the plain candidates without any.
    literals: re.Pattern[str] | None
    ascii_literals: re.Pattern[str] | None
    bare: re.Pattern[str] | None
    #: Set while ``needles`` and ``literals`` wait to be compiled (they are
    #: ``None`` until then): the needles and literals they search for.
    #: ``PatternSet._completed`` compiles them for the first line beyond ASCII.
    pending: tuple[tuple[str, ...], tuple[str, ...]] | None = None


def _searches(needles: tuple[str, ...]) -> tuple[bool, re.Pattern[str] | None]:
    """Whether every needle is ASCII, and the search for the ASCII ones (None without any)."""
    ascii_needles = [needle for needle in needles if needle.isascii()]
    return len(ascii_needles) == len(needles), _literal_search(ascii_needles)


#: A pattern that may refer to a group by number or name; joined with others its
#: group numbers would shift, so a screen is not built for its candidates.
_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=|\\g<")
#: Plain candidates a screen must have before a search for their literals
#: comes before their alternation (``_Screen.gated``). The regex rules have
#: 50-70 per first letter, which take 4.6 µs a line on web pages, and the
#: notice rules 3-5, which take well under the search.
_GATED_PLAIN = 10
#: What ``PatternSet.screens_by_char.get`` returns for a character not seen yet.
_UNKNOWN = _Screen(None, None, None, False, None, None, None, None)


def _may_start(first: First | None, key: str, char: str) -> bool:
    """Say whether a pattern may start with ``char`` (``key`` is its comparable form)."""
    return first is None or key in first.chars or (first.nonword and not char.isalnum()) or (
        first.digit and char.isdecimal())



#: Characters of text, commonest first: Latin by English letter frequency,
#: then the commonest Cyrillic and Arabic letters. Any other is rarer than these.
_COMMON = (" etaoinsrhldcumfpgwybvk.,-'xjqz0123456789"
           "оеаинтсвлркдмпуяыьгзбчйхжшюцщэфъё"
           "\u0627\u0644\u064a\u0645\u0646\u0648\u0647\u0631\u062a\u0628\u062f\u06cc\u0639")
_RANK = {char: rank for rank, char in enumerate(_COMMON)}


def _anchor(needle: str) -> int:
    """The position of the needle's rarest character (by ``_COMMON``), the first of equals."""
    rarest = len(_COMMON)
    return min(range(len(needle)), key=lambda index: (-_RANK.get(needle[index], rarest), index))


def _literal_search(needles: Sequence[str]) -> re.Pattern[str] | None:
    """One search that finds a match exactly when a line holds one of ``needles`` as plain text.

    ``any(needle in line for needle in needles)`` scans the line once per
    needle; the regex engine, given a trie of them, tries at each position
    only the needles starting with its character, but that is most positions:
    the needles of 15 languages start with nearly every letter. So each
    needle enters the trie from its rarest character (``_anchor``: the "v"
    of "all rights reserved"), and where it ends in the trie a lookbehind
    checks the whole needle: ``v(?:ed(?<=all rights reserved)|...)``. The
    search starts at the few positions holding a rare letter (the engine
    skips the others in a C loop over the trie's first characters), and its
    answer is the plain loop's (tests/cleaning/test_patternset.py checks it).
    Measured on the lines the screens of web-pages-dev and BBC News search
    (about 100,000 and 9,000 lines), 0.58-0.65x the time of the trie from
    each needle's first character.
    """
    if not needles:
        return None
    if "" in needles:  # every line holds the empty string
        return re.compile("")
    trie: dict[str, dict[str, Any]] = {}
    for needle in dict.fromkeys(needles):
        anchor = _anchor(needle)
        node = trie
        for char in needle[anchor:]:
            node = node.setdefault(char, {})
        node.setdefault("", {})[needle] = anchor
    return re.compile(_trie_source(trie))


def _trie_source(node: dict[str, Any]) -> str:
    """The regex of a trie of needle tails; where needles end, a lookbehind for each whole.

    ``node[""]`` maps each needle ending at the node to its anchor.
    """
    ended: dict[str, int] = node.get("", {})
    if 0 in ended.values():
        return ""  # a needle read whole from its first character ends here: found
    branches = [f"(?<={re.escape(needle)})" for needle in sorted(ended)]
    branches += [re.escape(char) + _trie_source(child)
                 for char, child in sorted(node.items()) if char]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _outermost(needles: Iterable[str]) -> tuple[str, ...]:
    """The distinct ``needles`` that contain no other: a line holding one holds those too.

    A needle contains itself and, when it is kept, nothing else; the counts
    are taken in C, as the screens of 15 languages hold some 400 literals.
    """
    every = tuple(dict.fromkeys(needles))
    return tuple(needle for needle in every if sum(map(needle.__contains__, every)) == 1)


@dataclass(frozen=True, slots=True, kw_only=True)
class PatternSet:
    """Rules, each an alternation of patterns; tells the first rule fully matching a line.

    >>> rules = PatternSet.build([["[\\\\W_]*share on .{1,20}"], [".{0,50}all rights reserved"]])
    >>> rules.first_match("Share on Facebook"), rules.first_match("(c) 2024 All rights reserved")
    (0, 1)
    >>> rules.first_match("He shared it") is None
    True
    """

    #: Per rule, its patterns: the rule is their alternation.
    rules: tuple[tuple[str, ...], ...]
    #: (rule, pattern, analysis) in rule order; empty when a pattern cannot be
    #: judged alone, and then only ``whole`` is used.
    parts: tuple[tuple[int, str, Analysis], ...]
    #: Memos filled on first use, never read before: candidates by (first
    #: character's comparable form, not alphanumeric, decimal digit), compiled
    #: patterns by their index in ``parts``, and the alternations.
    by_start: dict[tuple[str, bool, bool], tuple[_Candidate, ...]]
    compiled: dict[int, re.Pattern[str]]
    joined: dict[str, tuple[re.Pattern[str], ...]]
    #: Per key of ``by_start``, the screen of its candidates (see ``_screen``);
    #: ``None`` where the candidates cannot be joined into one pattern.
    screens: dict[tuple[str, bool, bool], _Screen | None]
    #: ``screens`` by a line's first character, which alone decides the key for
    #: a line :func:`~dedup.cleaning._needles.comparable` accepts (its
    #: lower-case form is one character: only "İ" lowers to two, and it and
    #: the context-dependent "Σ" are refused). One dictionary lookup instead
    #: of building the key: ``first_match`` on the 83,638 distinct short lines
    #: of web-pages-dev takes 0.20 s against 0.22-0.23 s (two runs each).
    screens_by_char: dict[str, _Screen | None]
    #: ``screens`` by the candidates they rule out (their indexes in
    #: ``parts``): first characters that allow the same patterns share one
    #: screen. On web-pages-dev, 90 keys share 34 sets of candidates, and
    #: building the screens was a third of the time of the first clean() of them all.
    screens_by_candidates: dict[tuple[int, ...], _Screen | None]
    #: Per key of ``by_start``, its candidates with needles: (rule, needles,
    #: index in ``parts``), for :meth:`_needled_first_match`.
    needled: dict[tuple[str, bool, bool], tuple[tuple[int, tuple[str, ...], int], ...]]
    #: Screens with every search compiled, by the needles and literals they were
    #: waiting for (see ``_Screen.pending``).
    completed: dict[tuple[tuple[str, ...], tuple[str, ...]], _Screen]

    @classmethod
    def build(cls, rules: Sequence[Sequence[str]]) -> PatternSet:
        """Prepare ``rules``: for each, the patterns any of which makes a line match it.

        Patterns are compiled on first use; the plain alternations at once when
        some pattern cannot be analysed (it may not compile: shipped patterns
        are tested, and :class:`dedup.CustomRule` compiles its own when made).

        Raises:
            re.error: a pattern that cannot be analysed does not compile.
        """
        found = [(index, part, analyse(part))
                 for index, patterns in enumerate(rules) for part in patterns]
        parts = tuple((index, part, analysis) for index, part, analysis in found
                      if analysis is not None)
        pattern_set = cls(rules=tuple(tuple(patterns) for patterns in rules),
                          parts=parts if len(parts) == len(found) else (),
                          by_start={}, compiled={}, joined={}, screens={},
                          screens_by_char={}, screens_by_candidates={}, needled={},
                          completed={})
        if len(parts) != len(found):
            pattern_set.whole()
        return pattern_set

    def whole(self) -> tuple[re.Pattern[str], ...]:
        """Per rule, the alternation of its patterns, compiled on first use."""
        found = self.joined.get("whole")
        if found is None:
            # setdefault: threads sharing the book all get the first tuple stored.
            found = self.joined.setdefault("whole", tuple(
                re.compile("|".join(f"(?:{part})" for part in patterns), re.IGNORECASE)
                for patterns in self.rules))
        return found

    def _candidates(self, key: str, char: str) -> tuple[_Candidate, ...]:
        """The patterns that may start with ``char``, in rule order, with their needles."""
        start = (key, not char.isalnum(), char.isdecimal())
        found = self.by_start.get(start)
        if found is not None:
            return found
        found = self.by_start[start] = tuple(
            (rule, analysis.needles,
             None if analysis.needles is not None else self._compiled(position), position)
            for position, (rule, _part, analysis) in enumerate(self.parts)
            if _may_start(analysis.first, key, char))
        return found

    def _compiled(self, position: int) -> re.Pattern[str]:
        pattern = self.compiled.get(position)
        if pattern is None:
            pattern = self.compiled[position] = re.compile(self.parts[position][1],
                                                           re.IGNORECASE)
        return pattern

    def _screen(self, key: str, char: str) -> _Screen | None:
        """Two tests that rule out every candidate of a line at once, in C.

        A line matches no candidate when it holds none of their needles and
        does not fully match the alternation of those without needles (an
        alternation fully matches exactly when one of its parts does). Over
        99% of the lines tried match nothing: on web-pages-dev, 104,566 lines
        went through about 25 candidates each, a Python loop of needle tests
        and 5 ``fullmatch`` calls, and 919 matched. The screen takes that
        loop to one search for the needles (ASCII ones for an ASCII line,
        none contained in another) and one ``fullmatch``: those 104,566 calls
        take 0.52-0.63 s against 0.63-0.85 s (three paired runs on a loaded
        machine; ``_reference_first_match`` is the plain loop, which tests
        compare with).

        That ``fullmatch`` became the larger half: with 15 languages each
        line starting with a letter tries about 60 patterns that fail fast,
        among them one list of share buttons per language, 4.6 µs a line.
        Those patterns have literals too, too many to test one by one
        (:class:`~dedup.cleaning._needles.Analysis`), and where there are at
        least ``_GATED_PLAIN`` of them a search for their literals comes
        before the alternation: only the 11% of lines holding one try it.
        With the needles looked for from their rarest letter
        (:func:`_literal_search`), ``first_match`` over the 75,976 short lines
        of web-pages-dev takes 0.60 s against 1.01 s with the screens of
        dd7ebfe (15 languages too), and over the 28,524 longer ones the notice rules read
        0.22 s against 0.37 s; over BBC News's 2,766 and 6,613, 0.015 s
        against 0.028 s and 0.072 s against 0.155 s (mean of six runs of each,
        in turns, on a loaded machine: halve the seconds for an idle one).
        """
        start = (key, not char.isalnum(), char.isdecimal())
        if start in self.screens:
            return self.screens[start]
        candidates = self._candidates(key, char)
        chosen = tuple(position for _rule, _found, _pattern, position in candidates)
        if chosen in self.screens_by_candidates:
            return self.screens.setdefault(start, self.screens_by_candidates[chosen])
        plain = [self.parts[position] for _rule, found, _pattern, position in candidates
                 if found is None]
        screen: _Screen | None = None
        if not any(_BACKREFERENCE.search(part) for _rule, part, _analysis in plain):
            try:
                joined, bare = (re.compile("|".join(f"(?:{part})" for part in parts),
                                           re.IGNORECASE) if parts else None
                                for parts in ([part for _rule, part, _analysis in plain],
                                              [part for _rule, part, analysis in plain
                                               if analysis.literals is None]))
            except re.error:  # e.g. one group name in two patterns, a global flag
                pass
            else:
                needles = _outermost(needle for _rule, found, _pattern, _position in candidates
                                     if found is not None for needle in found)
                literals = _outermost(literal for _rule, _part, analysis in plain
                                      for literal in analysis.literals or ())
                # The searches over every needle serve lines beyond ASCII only (an
                # ASCII line is searched for the ASCII needles), which a process
                # cleaning English news may never meet: they wait for the first such
                # line (_completed). Compiling them at once was 0.2 s of the 0.5 s a
                # fresh process spent building screens while it cleaned BBC News, and
                # each worker of a dedup run pays its own. Where every needle is
                # ASCII the two searches are one.
                needles_ascii, ascii_needle_search = _searches(needles)
                literals_ascii, ascii_literal_search = _searches(literals)
                complete = needles_ascii and literals_ascii
                screen = _Screen(
                    needles=ascii_needle_search if complete else None,
                    ascii_needles=ascii_needle_search,
                    joined=joined, gated=len(plain) >= _GATED_PLAIN,
                    literals=ascii_literal_search if complete else None,
                    ascii_literals=ascii_literal_search, bare=bare,
                    pending=None if complete else (needles, literals))
        screen = self.screens_by_candidates.setdefault(chosen, screen)
        return self.screens.setdefault(start, screen)

    def first_match(self, line: str) -> int | None:
        """Return the index of the first rule that fully matches ``line``, if any."""
        lowered = comparable(line) if line and self.parts else None
        if lowered is None:
            return self._reference_first_match(line)
        char = line[0]
        screen = self.screens_by_char.get(char, _UNKNOWN)
        if screen is _UNKNOWN:
            screen = self.screens_by_char.setdefault(char, self._screen(lowered[0], char))
        if screen is not None:
            # An ASCII line holds no needle with other characters.
            is_ascii = lowered.isascii()
            if not is_ascii and screen.pending is not None:
                screen = self._completed(char, screen)
            needles, ascii_needles, joined, gated, literals, ascii_literals, bare, _ = screen
            finder = ascii_needles if is_ascii else needles
            holds_needle = finder is not None and finder.search(lowered) is not None
            if gated:
                finder = ascii_literals if is_ascii else literals
                if finder is None or finder.search(lowered) is None:
                    joined = bare  # no plain candidate with literals can match
            if joined is None or joined.fullmatch(line) is None:
                # No plain candidate matches: only those whose needles the line
                # holds can. A line holding a needle went through every
                # candidate in rule order, plain ones included: in hard-wrapped
                # wire copy one line in ten starting with "s", "p", "i" or a
                # digit holds the "of" of "3 of 12", and those lines were a
                # third of first_match's time. Over the 1,902 lines of 1,500
                # Reuters-21578 stories that hold a needle, 0.026 s against
                # 0.038 s (best of five); _reference_first_match is the loop.
                return self._needled_first_match(line, lowered) if holds_needle else None
        return self._reference_first_match(line, lowered)

    def _completed(self, char: str, screen: _Screen) -> _Screen:
        """``screen`` with its searches over every needle compiled: a line beyond ASCII came.

        One completed screen per screen: characters that shared it share it again.
        """
        pending = screen.pending
        assert pending is not None
        found = self.completed.get(pending)
        if found is None:
            needles, literals = pending
            found = self.completed.setdefault(pending, screen._replace(
                needles=_literal_search(needles), literals=_literal_search(literals),
                pending=None))
        self.screens_by_char[char] = found
        return found

    def _needled_first_match(self, line: str, lowered: str) -> int | None:
        """:meth:`_reference_first_match` over the candidates with needles only.

        For a line no plain candidate matches (the screen's alternation said so).
        """
        start = (lowered[0], not line[0].isalnum(), line[0].isdecimal())
        found = self.needled.get(start)
        if found is None:
            found = self.needled.setdefault(start, tuple(
                (rule, needles, position)
                for rule, needles, _pattern, position in self._candidates(lowered[0], line[0])
                if needles is not None))
        for rule, needles, position in found:
            for needle in needles:
                if needle in lowered:
                    if self._compiled(position).fullmatch(line) is not None:
                        return rule
                    break
        return None

    def _reference_first_match(self, line: str, lowered: str | None = None) -> int | None:
        """:meth:`first_match` without the screen: each candidate in rule order.

        ``lowered`` is ``comparable(line)`` when the caller has it.
        """
        if lowered is None:
            lowered = comparable(line) if line and self.parts else None
        if lowered is None:
            for index, whole in enumerate(self.whole()):
                if whole.fullmatch(line) is not None:
                    return index
            return None
        for rule, needles, pattern, position in self._candidates(lowered[0], line[0]):
            if needles is not None:
                for needle in needles:
                    if needle in lowered:
                        break
                else:
                    continue
                pattern = self._compiled(position)
            if pattern is not None and pattern.fullmatch(line) is not None:
                return rule
        return None
