"""Split normalized text into blocks: paragraphs, whether one line or hard-wrapped.

Web text puts a paragraph on one line; text wrapped at a fixed width (wire
stories at about 65 columns, e-mail, plain-text books, HTML sources) breaks
sentences across lines. Judging wrapped fragments alone would remove
half-sentences, so :func:`segment` joins the lines of a paragraph into one
block.

Whether two lines belong together is decided **locally**, from the two lines
and the width of the lines around them (:func:`continues`), never by a switch
for the whole document: one line that is longer than the rest, a paragraph
rewrapped at another width or a pasted table changes only its own
neighbourhood. A line a phrase rule names ("Share this", "Back to top") is
never glued to another, so chrome beside a wrapped story stays removable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from itertools import chain
from typing import NamedTuple

from dedup.cleaning._text import (
    column_stops,
    ends_sentence,
    line_words,
    reads_as_code,
    starts_lower,
)

__all__ = ["Block", "Segmentation", "continues", "is_list_item", "local_widths", "paragraphs",
           "segment"]

#: Widths a wrapped text can have. Below, lines are menu entries or table
#: cells; above, the lines are web paragraphs of their own (a line wrapped at
#: 200 columns is not a width anybody wraps at).
MIN_WRAP_WIDTH, MAX_WRAP_WIDTH = 20, 160
#: A line is full when the first word of the next would not have fitted
#: after it, or when it reaches this share of the local width (hand-wrapped
#: text such as the Reuters wire varies by a few columns).
FULL_SHARE = 0.8
#: A full line must have at least this many words to be read as a wrapped
#: piece of prose; shorter lines of similar width are menus or table cells.
MIN_WRAPPED_WORDS = 3
#: A line this much wider than the local width was not wrapped at it.
_MAX_OVERRUN = 1.25
#: A list item's marker: a bullet, or a number of up to three digits, then a
#: space. A line that opens with one starts an item, whatever the line before.
_LIST_ITEM = re.compile(r"(?:[*+\-\u2022\u00b7]|\d{1,3}[.)]) ")


def is_list_item(line: str) -> bool:
    """Say whether ``line`` opens with a list item's marker ("* ", "- ", "1. ")."""
    return _LIST_ITEM.match(line) is not None


#: Lines each side that set a line's local width.
_WINDOW = 6
#: Lines of a window that must come near its width for it to be a margin.
_MIN_MARGIN_LINES = 3


class Block(NamedTuple):
    """A paragraph: offsets into the normalized text, 1-based line numbers and its words.

    The words are tokenised once here because every step needs them. A named
    tuple rather than a frozen dataclass: a document makes one per line and
    every step reads them, and a tuple is built five times faster (a frozen
    dataclass sets each field through ``object.__setattr__``).
    """

    index: int  # type: ignore[assignment]  # shadows tuple.index, never called on a Block
    start: int
    end: int
    first_line: int
    last_line: int
    text: str
    words: tuple[str, ...]
    #: Leading spaces and tabs of the block's first line: plain text indents
    #: lists, code and quoted paragraphs; page text extracted from HTML never does.
    indent: int = 0

    @property
    def lines(self) -> str:
        """Human form of the line range, for removal details."""
        if self.first_line == self.last_line:
            return f"line {self.first_line}"
        return f"lines {self.first_line}-{self.last_line}"

    @property
    def is_joined(self) -> bool:
        """Say whether the block joins several lines (a wrapped paragraph)."""
        return self.first_line != self.last_line


class Segmentation(NamedTuple):
    """The blocks of a text, in order.

    ``plain``: with ``segment(plain=True)``, the text's paragraphs as
    :func:`paragraphs` groups them without ``is_standalone``, each as its
    first and last line number (0-based); None otherwise.
    """

    blocks: tuple[Block, ...]
    plain: tuple[tuple[int, int], ...] | None = None


def _new_block(fields: tuple[int, int, int, int, int, str, tuple[str, ...], int]) -> Block:
    """Build a block from its fields in order, without the keyword-parsing ``Block(...)``."""
    return tuple.__new__(Block, fields)


def _has_words(line: str, count: int) -> bool:
    """Say whether ``line`` has at least ``count`` (>= 1) words, ``len(line.split()) >= count``.

    Splitting stops after ``count - 1`` cuts: a 60-word paragraph line is not
    cut into a list of 60 words to learn it has 3. On BBC News, where most
    lines are whole paragraphs, this halves the time of the word counts.

    >>> _has_words("a b c d", 3), _has_words(" a  b ", 3)
    (True, False)
    """
    return len(line.split(None, count - 1)) >= count


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def local_widths(widths: list[int]) -> list[int]:
    """Return, for each line, the width of the lines around it.

    The third-widest line within :data:`_WINDOW` lines each side (the widest
    when the window is small), so one line that is much longer than its
    neighbours (two lines joined by an editor) does not set the width for
    them. 0 where fewer than :data:`_MIN_MARGIN_LINES` lines come near that
    width: three short lines of a web page share no margin.

    >>> local_widths([65, 64, 130, 66, 63, 62, 65, 60])
    [66, 65, 65, 65, 65, 65, 65, 66]
    >>> local_widths([20, 15, 15])
    [0, 0, 0]
    """
    return [_local_width(widths, index) for index in range(len(widths))]


def _local_width(widths: list[int], index: int) -> int:
    """:func:`local_widths` of one line: ``local_widths(widths)[index]``."""
    window = sorted(widths[max(0, index - _WINDOW):index + _WINDOW + 1], reverse=True)
    width = window[min(2, len(window) // 4)]
    # A margin is a width several lines reach: fewer, and nothing was wrapped.
    # The window is sorted widest first, so the lines that come near the
    # width are its first ones, and there are enough of them exactly when
    # the last one needed does (a sum over the window made this function
    # take 3x as long; _reference_local_widths counts them, for the tests).
    reach = _MIN_MARGIN_LINES - 1
    return width if len(window) > reach and window[reach] >= FULL_SHARE * width else 0


def _reference_local_widths(widths: list[int]) -> list[int]:
    """:func:`local_widths` as first written, counting every line near the width."""
    found: list[int] = []
    for index in range(len(widths)):
        window = sorted(widths[max(0, index - _WINDOW):index + _WINDOW + 1], reverse=True)
        width = window[min(2, len(window) // 4)]
        near = sum(1 for other in window if other >= FULL_SHARE * width)
        found.append(width if near >= _MIN_MARGIN_LINES else 0)
    return found


def continues(line: str, following: str, width: int, *, opening_indent: int = 0) -> bool:
    """Say whether ``following`` continues the paragraph of ``line`` (no blank line between).

    A deeper indent starts a paragraph, and so does a list item's marker or a
    line of code.
    Otherwise ``following`` goes on when ``line`` stops mid-sentence and
    either the next line starts in lower case (a sentence going on, whatever
    the width) or ``line`` is full at the local ``width`` and the next line is
    full too or ends a sentence (a wrapped paragraph's last line). After a
    finished sentence a full line goes on only where the paragraph's first
    line was indented deeper than ``following`` (text that marks paragraphs by
    indenting them, as the Reuters wire does): elsewhere a sentence ending at
    a line end ends a paragraph.

    >>> continues("the talks resumed on Monday after a long", "break, officials said.", 45)
    True
    >>> continues("Talks resume in Doha", "The talks resumed on Monday.", 65)
    False
    >>> continues("  the first item of a list, which goes on", "* the second item", 45)
    False
    """
    return _continues(line, following, lambda: width, opening_indent)


def _continues(line: str, following: str, width_of: Callable[[], int],
               opening_indent: int) -> bool:
    """:func:`continues`, asking the local width only if it needs it.

    Many pairs of lines are settled before (a menu entry, a sentence going on
    in lower case): cleaning web-pages-dev, where most lines follow one
    another, works out 45,431 local widths instead of 72,114.
    """
    # Each indent measured once (the line keeps its indent through rstrip:
    # a line that reaches the second test has words).
    line_indent, following_indent = _indent(line), _indent(following)
    if following_indent > line_indent:
        return False
    return _continues_stripped(line.rstrip(), line_indent, following.strip(), following_indent,
                               lambda _position: width_of(), 0, opening_indent)


def _continues_stripped(line: str, line_indent: int, following: str, following_indent: int,
                        width_at: Callable[[int], int], position: int,
                        opening_indent: int) -> bool:
    """:func:`_continues` of ``line`` right-stripped and ``following`` stripped, with their indents.

    The indent of ``following`` is at most that of ``line``, whose local
    width is ``width_at(position)``. :func:`_grouped` strips and measures each
    line once, where :func:`_continues` does it for both lines of each pair.
    """
    if is_list_item(following):
        return False  # the next item of a list
    if not _has_words(line, MIN_WRAPPED_WORDS):
        return False  # a menu entry, a label, a name: never a piece of a wrapped sentence
    finished = ends_sentence(line)
    if not finished and (starts_lower(following) or line_indent > following_indent):
        # A sentence going on: in lower case, or out of an indented first line
        # into an unindented one (text that indents its paragraphs, as the
        # wire does, breaks a paragraph's first line short).
        return _not_code(line, following)
    width = width_at(position)
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return False
    if not (_is_full(line, following, width)
            and (not finished or opening_indent > following_indent)):
        return False
    # The line after a wrapped one is full itself or ends the paragraph's
    # sentence; a menu or a headline under a full line does neither.
    return (ends_sentence(following) or len(following) >= FULL_SHARE * width) and len(
        following) <= _MAX_OVERRUN * width and _not_code(line, following)


def _not_code(line: str, following: str) -> bool:
    """Say whether neither line reads as code: a code line is never part of a paragraph.

    Nor are two rows of a table a writer aligned: lines that start a word at the
    same column after padding (:func:`~dedup.cleaning._text.column_stops`).

    Asked last, of lines that would join: on web pages, where most lines
    stand alone, asking it first was 3% of clean()'s time.
    """
    return not (reads_as_code(following) or reads_as_code(line)
                or column_stops(line) & column_stops(following))  # rows of an aligned table


def _is_full(line: str, following: str, width: int) -> bool:
    """Say whether ``line`` reaches the local width: the next word would not have fitted."""
    first_word = following.split(" ", 1)[0]
    return len(line) >= FULL_SHARE * width or len(line) + 1 + len(first_word) > width


def _line_roles(lines: list[str], is_standalone: Callable[[str], bool] | None
                ) -> tuple[list[int], list[bool], list[int]]:
    """The non-blank line numbers, which of them stand alone, and which set the width.

    Lines a rule names, and lines too short to be wrapped prose (menu entries,
    labels), do not set the width: they are often gone from the cleaned text,
    which must read the same paragraphs when cleaned again.
    """
    numbers = [number for number, line in enumerate(lines) if line and not line.isspace()]
    standalone = [bool(is_standalone and is_standalone(lines[number].strip()))
                  for number in numbers]
    measured = [position for position, alone in enumerate(standalone) if not alone
                and _has_words(lines[numbers[position]], MIN_WRAPPED_WORDS)]
    return numbers, standalone, measured


def paragraphs(lines: list[str], *, is_standalone: Callable[[str], bool] | None = None
               ) -> list[list[int]]:
    """Group the non-blank ``lines`` into paragraphs: lists of line numbers (0-based).

    The one definition of a wrapped paragraph: :func:`segment` builds blocks
    from it and the corpus step (:mod:`dedup.corpus.crossdoc`) counts units
    by it.

    >>> paragraphs(["Coffee growers said", "the quotas would fall.", "", "Reuter"])
    [[0, 1], [3]]
    """
    return _group_lines(lines, is_standalone, plain=False)[0]


def _group_lines(lines: list[str], is_standalone: Callable[[str], bool] | None, *, plain: bool
                 ) -> tuple[list[list[int]], list[list[int]] | None]:
    """:func:`paragraphs`, and with ``plain`` the grouping without ``is_standalone`` too.

    :func:`dedup.clean` reads the first; the corpus step counts units by the
    second (:mod:`dedup.corpus.crossdoc`), so that a line is one unit whatever
    the phrase rules. Fast path: the second costs one more test per standalone
    line, not a second grouping (:func:`_grouped` says why that is exact); on
    Reuters-21578 grouping every text again was 1.9 s of the corpus step's 21 s.
    """
    numbers, standalone, measured = _line_roles(lines, is_standalone)
    # A standalone line of three words sets the local width of its neighbours
    # when grouped without is_standalone: then the plain grouping is made anew.
    regroup = plain and any(alone and _has_words(lines[numbers[position]], MIN_WRAPPED_WORDS)
                            for position, alone in enumerate(standalone))
    measured_widths = [len(lines[numbers[position]].rstrip()) for position in measured]
    # A line's local width (:func:`local_widths` of the measured lines) is
    # only read when the next line follows it directly, so it is worked out
    # then: a news story's paragraphs, one line each between blank lines,
    # need none (on BBC News, 88 of 12,784 measured lines; local_widths of all
    # of them was 2% of clean()'s time). test_fast_paths compares the results.
    slot = [-1] * len(numbers)
    for index, position in enumerate(measured):
        slot[position] = index

    def width_of(position: int) -> int:
        index = slot[position]
        return _local_width(measured_widths, index) if index >= 0 else 0

    joins: list[int] | None = [] if plain and not regroup else None
    groups = _grouped(lines, numbers, standalone, width_of, joins)
    if not plain:
        return groups, None
    if joins is None:
        return groups, _group_lines(lines, None, plain=False)[0]
    return groups, _joined(groups, joins)


def _joined(groups: list[list[int]], joins: list[int]) -> list[list[int]]:
    """``groups`` with each group whose index is in ``joins`` (ascending) added to the last."""
    if not joins:
        return groups
    merged: list[list[int]] = []
    pending = iter(joins)
    join = next(pending, -1)
    for index, group in enumerate(groups):
        if index == join:
            merged[-1] = [*merged[-1], *group]
            join = next(pending, -1)
        else:
            merged.append(group)
    return merged


def _grouped(lines: list[str], numbers: list[int], standalone: list[bool],
             width_of: Callable[[int], int], joins: list[int] | None = None
             ) -> list[list[int]]:
    """Group the lines ``numbers`` into paragraphs; ``width_of(position)`` is a line's local width.

    ``joins``, if given, collects the index of each group (a standalone line)
    that grouping without ``is_standalone`` would add to the group before it.
    That is the only difference, when no standalone line has
    :data:`MIN_WRAPPED_WORDS` words (:func:`_group_lines` checks): the local
    widths are then the same (such a line is never measured); a line of fewer
    words never continues into the next, so the line after a standalone one
    starts a group either way, with the same opening indent; and the test of
    whether the standalone line continues the line before reads the same
    lines, width and opening indent as the grouping without standalone lines
    would. ``test_fast_paths`` compares it with :func:`paragraphs` without.

    Asked only of a line the next line follows directly. Each line is
    stripped and its indent measured once, not once per pair it is in
    (:func:`_reference_grouped` asks :func:`_continues` of each pair): on
    hard-wrapped text, where every line follows another, :func:`paragraphs`
    of the first 4,000 Reuters-21578 stories takes 0.15-0.18 s against
    0.21-0.22 s (fastest and median of seven runs in turns).
    """
    indents = [_indent(lines[number]) for number in numbers]
    right = [lines[number].rstrip() for number in numbers]
    groups: list[list[int]] = []
    opening = 0  # the indent of the first line of the last group
    for position, number in enumerate(numbers):
        if position and numbers[position - 1] == number - 1 and not standalone[
                position - 1] and (joins is not None or not standalone[position]):
            line_indent, following_indent = indents[position - 1], indents[position]
            if following_indent <= line_indent and _continues_stripped(
                    right[position - 1], line_indent, right[position].lstrip(), following_indent,
                    width_of, position - 1, opening):
                if not standalone[position]:
                    groups[-1].append(number)
                    continue
                if joins is not None:
                    joins.append(len(groups))
        groups.append([number])
        opening = indents[position]
    return groups


def _reference_grouped(lines: list[str], numbers: list[int], standalone: list[bool],
                       width_of: Callable[[int], int]) -> list[list[int]]:
    """:func:`_grouped` as first written: :func:`_continues` of each pair of lines."""
    groups: list[list[int]] = []
    for position, number in enumerate(numbers):
        if groups:
            previous = numbers[position - 1]
            if (previous == number - 1 and not standalone[position - 1]
                    and not standalone[position]
                    and _continues(lines[previous], lines[number],
                                   partial(width_of, position - 1),
                                   _indent(lines[groups[-1][0]]))):
                groups[-1].append(number)
                continue
        groups.append([number])
    return groups


def _reference_paragraphs(lines: list[str], *,
                          is_standalone: Callable[[str], bool] | None = None
                          ) -> list[list[int]]:
    """:func:`paragraphs` as first written, with the local width of every measured line."""
    numbers, standalone, measured = _line_roles(lines, is_standalone)
    widths = [0] * len(numbers)
    for position, width in zip(measured, local_widths(
            [len(lines[numbers[position]].rstrip()) for position in measured]), strict=True):
        widths[position] = width
    return _reference_grouped(lines, numbers, standalone, widths.__getitem__)


def segment(text: str, *, is_standalone: Callable[[str], bool] | None = None,
            plain: bool = False) -> Segmentation:
    """Split ``text`` into blocks: each paragraph, its wrapped lines joined.

    ``is_standalone`` says whether a (stripped) line must stay a block of its
    own: :func:`dedup.clean` passes the phrase rules, so a line they name is
    never glued into a paragraph. ``plain`` also gives the paragraphs without
    ``is_standalone`` (:attr:`Segmentation.plain`).

    >>> [b.text for b in segment("Title\\n\\nFirst paragraph.\\nSecond one.").blocks]
    ['Title', 'First paragraph.', 'Second one.']
    >>> [b.text for b in segment("Coffee growers said\\nthe quotas would fall.").blocks]
    ['Coffee growers said the quotas would fall.']
    """
    raw = text.split("\n")
    words = line_words(text)
    starts = [0] * len(raw)
    position = 0
    for number, line in enumerate(raw):
        starts[number] = position
        position += len(line) + 1
    blocks: list[Block] = []
    groups, plain_groups = _group_lines(raw, is_standalone, plain=plain)
    for group in groups:
        first, last = group[0], group[-1]
        if len(group) == 1:
            block_text, tokens = raw[first].strip(), tuple(words[first])
        else:
            # Lists rather than generators, chained in C: a wrapped paragraph's
            # tokens were gathered one by one (1.3 us against 2.8 us for five
            # lines of ten words).
            block_text = " ".join([raw[number].strip() for number in group])
            tokens = tuple(chain.from_iterable([words[number] for number in group]))
        line = raw[first]
        blocks.append(_new_block((len(blocks), starts[first], starts[last] + len(raw[last]),
                                  first + 1, last + 1, block_text, tokens,
                                  len(line) - len(line.lstrip(" \t")))))
    if plain_groups is None:
        return Segmentation(blocks=tuple(blocks))
    return Segmentation(blocks=tuple(blocks),
                        plain=tuple((group[0], group[-1]) for group in plain_groups))
