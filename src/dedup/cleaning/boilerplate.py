"""Boilerplate lines named by the phrase lists: navigation, share buttons, comment prompts...

A block is removed only when the *whole line* is a known phrase, starts with a
known short prefix, or fully matches a pattern: "Share this post" goes, "He said
the two parties would share the post of deputy minister" stays. Lines that no
list names are judged by :mod:`dedup.cleaning.linescore`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from dedup.cleaning.lexicon import PhraseBook, PhraseSource
from dedup.cleaning.segment import Block
from dedup.report import Removal

__all__ = ["find_boilerplate"]


def find_boilerplate(blocks: Sequence[Block], book: PhraseBook, *,
                     is_enabled: Callable[[str], bool], explain: bool = True,
                     skip: frozenset[int] = frozenset(),
                     match: Callable[[str], PhraseSource | None] | None = None
                     ) -> tuple[Removal, ...]:
    """Return a removal for every block a phrase rule names.

    Args:
        blocks: the document's blocks.
        book: compiled phrase rules (:func:`dedup.cleaning.lexicon.build_phrasebook`).
        is_enabled: says whether a rule id may fire.
        explain: build the human ``detail``.
        skip: indexes of blocks an earlier step already removed.
        match: the lookup to use instead of ``book.match`` (the cleaner passes
            one that remembers what segmentation already looked up).

    >>> from dedup.cleaning.lexicon import build_phrasebook
    >>> from dedup.cleaning.segment import segment
    >>> found = find_boilerplate(segment("Skip to main content\\nReal text here.").blocks,
    ...                          build_phrasebook(("en",)), is_enabled=lambda rule: True)
    >>> [(r.rule, r.detail) for r in found]
    [('boilerplate.navigation', "'Skip to main content' on line 1 (en phrase list)")]
    """
    removals: list[Removal] = []
    max_words = book.max_line_words  # book.may_match, without a call per block
    lookup = match or book.match
    for position, block in enumerate(blocks):
        if len(block.words) > max_words or block.index in skip:
            continue
        source = lookup(block.text)
        if source is None or not is_enabled(source.rule) or _heads_indented_text(
                blocks, position):
            continue
        detail = ""
        if explain:
            where = "your rule" if source.rule.startswith("custom.") else (
                f"{source.language} {source.kind} list" if source.kind != "phrase"
                else f"{source.language} phrase list")
            detail = f"{block.text.strip()!r} on {block.lines} ({where})"
        removals.append(Removal(start=block.start, end=block.end, rule=source.rule,
                                detail=detail))
    return tuple(removals)


def _heads_indented_text(blocks: Sequence[Block], position: int) -> bool:
    """Say whether the block at ``position`` is a heading in capitals over indented text.

    "NAME", "COMMENTS", "HELP" over the lines they head, each indented deeper:
    a man page's, a pydoc page's or a plain-text manual's section heading, not
    the button or menu entry the same word is on a web page. Page text scraped
    from HTML has no indentation, so no menu is kept for this.

    >>> from dedup.cleaning.segment import segment
    >>> blocks = segment("NAME\\n       ls - list directory contents\\n\\nSYNOPSIS").blocks
    >>> _heads_indented_text(blocks, 0), _heads_indented_text(blocks, 2)
    (True, False)
    """
    block = blocks[position]
    if not block.text.isupper() or position + 1 == len(blocks):
        return False
    after = blocks[position + 1]
    return after.first_line == block.last_line + 1 and after.indent > block.indent
