"""Evidence from a block's shape and its neighbours: menus, tables, titles, runs of prose.

The main-text model (:mod:`dedup.cleaning.linescore`) removes a block only on
evidence. Rules name lines (phrase lists, metadata, repeats); this module reads
the rest from shape alone: a run of label lines is a menu, a run of short
paragraphs is an article's body, a row of figures is data, and a rule's removal
speaks for the non-prose blocks near it only in the direction away from the
article.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Literal

from dedup.cleaning._text import column_stops, ends_sentence, reads_as_code, starts_lower
from dedup.cleaning.segment import Block

__all__ = [
    "PROSE",
    "BlockClass",
    "aligned_columns",
    "goes_on",
    "introduced_lists",
    "is_code",
    "is_data",
    "is_label",
    "is_tabular",
    "is_title_case",
    "mark_menus",
    "neutralise_unproven",
    "promote_prose_runs",
    "terse_menus",
]

BlockClass = Literal["good", "near_good", "short", "bad"]
#: The classes that read as prose.
PROSE: frozenset[str] = frozenset({"good", "near_good"})


#: A run of at least this many short label lines reads as a menu or a link list.
_MENU_RUN = 3
_MENU_WORDS = 8


#: Leading spaces or tabs from which a line is indented: an authored list item,
#: never a menu entry scraped from a page (HTML page text has no indentation).
_INDENTED = 1


def is_label(block: Block) -> bool:
    """A menu entry's shape: a few words, no sentence punctuation, no figures, no indent."""
    return (0 < len(block.words) <= _MENU_WORDS and block.indent < _INDENTED
            and not ends_sentence(block.text) and not any(map(str.isdigit, block.words)))


def goes_on(blocks: Sequence[Block], position: int) -> bool:
    """Say whether a block starts in lower case after one that left its sentence open.

    Such a block is the rest of a sentence broken over lines, not a menu entry,
    however short it is.
    """
    return position > 0 and starts_lower(blocks[position].text) and not ends_sentence(
        blocks[position - 1].text)


def is_title_case(block: Block) -> bool:
    """Say whether most of a block's longer words are capitalised: a title, not running text.

    Prose capitalises names and the first word of a sentence; titles of
    links and headlines capitalise nearly every word ("5 Movies Of The
    Director That You Can Watch On Loop").
    """
    longer = [word for word in block.text.split() if len(word) > 3 and word[:1].isalpha()]
    return len(longer) >= 4 and 4 * sum(1 for word in longer if word[:1].isupper()) >= 3 * len(
        longer)


def is_tabular(block: Block) -> bool:
    """Say whether a block reads as table rows: a quarter or more of its words are figures."""
    return 4 * sum(map(str.isdigit, block.words)) >= len(block.words) > 0


def is_code(block: Block) -> bool:
    """Say whether a block reads as program text (:func:`~dedup.cleaning._text.reads_as_code`).

    Code is content in documentation, like a table in a story, and reads as
    nothing at all to a stopword count.
    """
    return reads_as_code(block.text)


def aligned_columns(blocks: Sequence[Block]) -> frozenset[int]:
    """Positions of the one-line blocks that align a column with the line above or below.

    A contributors' list (a name, padding, an address), a glossary, a table of
    options: a writer padded the words so that a column starts at the same place
    on consecutive lines, the text's own structure. (Segmentation never joins such
    rows into a paragraph, so each is a block of its own.) A page scraped from HTML
    has runs of spaces too ("Watch   Listen   Live TV", menu items glued with the
    spaces between them), but its columns line up with the next line's only by
    chance, so one line's gaps are not enough.
    """
    columns = {block.first_line: column_stops(block.text) for block in blocks
               if not block.is_joined and ("  " in block.text or "\t" in block.text)}
    return frozenset(
        position for position, block in enumerate(blocks)
        if columns.get(block.first_line) and (
            columns[block.first_line] & columns.get(block.first_line - 1, frozenset())
            or columns[block.first_line] & columns.get(block.first_line + 1, frozenset())))


def is_data(block: Block) -> bool:
    """Table rows or program text: content whose words are not prose, never cut for its shape."""
    return is_tabular(block) or is_code(block)


def mark_menus(blocks: Sequence[Block], classes: list[BlockClass],
                fixed: dict[int, BlockClass]) -> None:
    """Class runs of short label lines bad: the link-list shape is evidence of boilerplate.

    A run touching a block a rule removed counts from two lines. A lone short
    line (a subheading, a headline) is left to its neighbours.
    """
    run: list[int] = []
    touches_rule = False
    for position in range(len(blocks) + 1):
        if position < len(blocks) and blocks[position].index in fixed:
            # A removed line neither breaks a run nor joins it: the run reads
            # the same when the cleaned text is cleaned again.
            touches_rule = True
            continue
        if position < len(blocks) and classes[position] == "short" and is_label(
                blocks[position]) and not goes_on(blocks, position):
            run.append(position)
            continue
        if len(run) >= _MENU_RUN or (touches_rule and len(run) >= 2):
            for member in run:
                classes[member] = "bad"
        run = []
        touches_rule = False


#: How many blocks away a rule's removal still speaks for a non-prose block:
#: menus and footers interleave named lines ("Home", "Sign in", "Share") with
#: unnamed ones; a list far from any of them is the article's own. Measured: 8
#: rather than 4 lifts web-pages-dev pooled F1 from 0.889 to 0.891 (both halves
#: alike) and leaves every row of benchmarks/stability.py as it was.
_EVIDENCE_REACH = 8
#: A run of this many short paragraphs, or of this many characters of them,
#: is prose however short each one is (news sites write one-sentence
#: paragraphs).
PROSE_RUN_BLOCKS = 3
PROSE_RUN_CHARS = 400


def promote_prose_runs(blocks: Sequence[Block], classes: list[BlockClass]) -> None:
    """Class near-good blocks good when they come in a run: neighbours that agree are evidence.

    jusText judges each short paragraph alone, so an article of one-sentence
    paragraphs between a menu and a footer is lost whole. A run of near-good
    blocks (short lines between them allowed) that is long enough is an
    article's body.
    """
    run: list[int] = []
    for position in range(len(blocks) + 1):
        found = classes[position] if position < len(blocks) else "bad"
        if found in PROSE:
            run.append(position)
            continue
        if found == "short":
            continue
        if (len(run) >= PROSE_RUN_BLOCKS or sum(len(blocks[p].text) for p in run
                                                  ) >= PROSE_RUN_CHARS) and (
                2 * sum(ends_sentence(blocks[p].text) for p in run) > len(run)):
            for member in run:
                classes[member] = "good"
        run = []


#: Menus of one- to three-word entries ("Markets", "Sign up", "World news"),
#: at least this many in a row, are evidence of boilerplate by their shape.
#: Lists in articles have longer entries ("Seychelles v South Africa") or
#: fewer of them.
_TERSE_WORDS = 3
_TERSE_RUN = 4


#: Terse runs that hold more than this share of the text's characters are the text
#: itself (an AUTHORS file's names, a page that is one list), not furniture around it.
#: Measured: on /usr/share/doc, 3 AUTHORS files of 1,988 no longer lose 65-90% of their
#: names; the article benchmark and web-pages-dev F1 are unchanged.
_TERSE_SHARE = 0.5


def terse_menus(blocks: Sequence[Block], fixed: dict[int, BlockClass]) -> set[int]:
    """Positions of blocks in a run of terse label lines (a menu's shape); removed lines skipped.

    Not a run right above data: that is a table's header row, one cell a line.

    Empty when such runs hold most of the text (:data:`_TERSE_SHARE`): a menu's shape
    is evidence of furniture only beside the text it surrounds.
    """
    found: set[int] = set()
    run: list[int] = []
    for position in range(len(blocks) + 1):
        if position < len(blocks) and blocks[position].index in fixed:
            continue
        if position < len(blocks) and len(blocks[position].words) <= _TERSE_WORDS and is_label(
                blocks[position]) and not goes_on(blocks, position):
            run.append(position)
            continue
        # A run right above data is the header of its table, a cell a line ("Modifier
        # and Type", "Method", "Description" over "boolean", "test(Thread thread)"),
        # not a menu. Measured: recall on the article benchmark 0.985 -> 0.986, on
        # web-pages-dev 0.954 -> 0.955, precision unchanged; /usr/share/doc files
        # losing more than 10% of their words 1.6% -> 1.4%.
        if len(run) >= _TERSE_RUN and not (position < len(blocks) and is_data(blocks[position])):
            found.update(run)
        run = []
    if found:
        text = sum(len(block.text) for block in blocks if block.index not in fixed)
        if sum(len(blocks[p].text) for p in found) > _TERSE_SHARE * text:
            return set()
    return found


def _reaches(blocks: Sequence[Block], fixed: dict[int, BlockClass], evidence: int,
             member: int, outward: int) -> bool:
    """Say whether the rule evidence at ``evidence`` speaks for the block at ``member``.

    ``outward`` is the direction away from the article (+1 below it, -1 above
    it, 0 between two stretches of prose, where both directions are outward).
    """
    distance = member - evidence
    if distance == 0 or abs(distance) > _EVIDENCE_REACH:
        return False
    if outward == 0 or (distance > 0) == (outward > 0):
        return True
    step = 1 if distance > 0 else -1
    return all(blocks[p].index in fixed or is_label(blocks[p])
               for p in range(evidence + step, member + step, step))


def introduced_lists(blocks: Sequence[Block], classes: Sequence[BlockClass],
                     fixed: dict[int, BlockClass]) -> set[int]:
    """Positions of the lines of lists that a paragraph of prose announces with a colon.

    "In alphabetical order:", "Erroneous code example:", "Changes in 2.1:"
    then the items, line after line with no blank line between: the list is
    the paragraph's own, however much it looks like a menu. It ends at a blank
    line, at prose, and at a line a rule removed.
    """
    found: set[int] = set()
    for position, block in enumerate(blocks[:-1]):
        if classes[position] not in PROSE or not block.text.rstrip().endswith(":"):
            continue
        last_line = block.last_line
        for member in range(position + 1, len(blocks)):
            item = blocks[member]
            if (item.first_line != last_line + 1 or classes[member] in PROSE
                    or item.index in fixed):
                break
            found.add(member)
            last_line = item.last_line
    return found


def neutralise_unproven(blocks: Sequence[Block], classes: list[BlockClass],
                         fixed: dict[int, BlockClass],
                         data: frozenset[int] | None = None) -> set[int]:
    """Make non-prose blocks with no rule evidence near them short; return their positions.

    Between two stretches of prose (or a stretch and the document's edge)
    lies a run of blocks that are not prose: a menu, a footer, or a squad
    list, a results table, a list of titles inside the article. Only a run
    that holds a block some rule removed (a phrase, a date line, a repeat)
    shows itself as boilerplate; in any other run nothing is bad for its
    shape alone, so a list in a story is never cut for looking like a menu.
    Data (``data``: positions of table rows and code, :func:`is_data`) is never
    proven boilerplate by evidence near it.
    """
    if data is None:
        data = frozenset(p for p, block in enumerate(blocks) if is_data(block))
    unproven: set[int] = set()
    terse = terse_menus(blocks, fixed)
    announced = introduced_lists(blocks, classes, fixed)
    aligned = aligned_columns(blocks)
    run: list[int] = []
    for position in range(len(blocks) + 1):
        if position < len(blocks) and classes[position] not in PROSE:
            run.append(position)
            continue
        if run:
            evidence = [member for member in run if blocks[member].index in fixed
                        or (member in terse and member not in announced)]
            # Evidence speaks for what lies beyond it, away from the article (a
            # "Related stories" line for the links under it), and towards the
            # article only through lines shaped like menu entries: a footer
            # says nothing of the list or table that closes the story above it.
            outward = 1 if run[0] > 0 and run[-1] == len(blocks) - 1 else (
                -1 if run[0] == 0 and run[-1] < len(blocks) - 1 else 0)
            for member in run:
                # Only evidence within reach can speak: look at those few positions
                # rather than at every piece of evidence in a long menu. The
                # evidence is in order, so bisection finds them; testing each of
                # the 17 positions around every member was 8% of the time of
                # clean() on web-pages-dev pages (145,000 members, 2.5 million tests).
                if member not in announced and member not in data and member not in (
                        aligned) and any(
                        _reaches(blocks, fixed, e, member, outward)
                        for e in evidence[bisect_left(evidence, member - _EVIDENCE_REACH):
                                          bisect_right(evidence, member + _EVIDENCE_REACH)]):
                    continue
                unproven.add(member)
                if classes[member] == "bad":
                    classes[member] = "short"
        run = []
    return unproven
