"""Split normalized text into blocks: lines, or whole paragraphs of hard-wrapped text.

Web text puts a paragraph on one line, so a line is the unit every rule judges.
Text wrapped at a fixed width (Reuters-21578 at about 70 columns, e-mail,
plain-text books) breaks sentences across lines; judging those fragments alone
would remove half-sentences. :func:`segment` detects the wrapping and joins the
lines of each paragraph into one block.
"""

from __future__ import annotations

from typing import NamedTuple

from dedup.cleaning._text import ends_sentence, line_words

__all__ = ["Block", "Segmentation", "segment"]

# A text counts as hard-wrapped when at least this share of its non-blank lines
# fill the wrap width (>= 75% of it) and most of those full lines break inside a
# sentence. One-paragraph-per-line web text fails both: its lines vary widely
# in length and end with sentence punctuation.
_MIN_LINES = 5
_FULL_SHARE = 0.5
_FULL_FRACTION = 0.75
_MID_SENTENCE_SHARE = 0.6
_MIN_WIDTH, _MAX_WIDTH = 30, 130


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

    @property
    def lines(self) -> str:
        """Human form of the line range, for removal details."""
        if self.first_line == self.last_line:
            return f"line {self.first_line}"
        return f"lines {self.first_line}-{self.last_line}"


class Segmentation(NamedTuple):
    """The blocks of a text and whether it was read as hard-wrapped (built once per pass)."""

    blocks: tuple[Block, ...]
    is_hard_wrapped: bool
    wrap_width: int


def _new_block(fields: tuple[int, int, int, int, int, str, tuple[str, ...]]) -> Block:
    """Build a block from its fields in order, without the keyword-parsing ``Block(...)``."""
    return tuple.__new__(Block, fields)


class _Line(NamedTuple):
    number: int
    start: int
    end: int
    text: str
    words: list[str]


def _line_words(text: str, raw: list[str], known: dict[str, list[str]] | None
                ) -> list[list[str]]:
    words: list[list[str]] | None = None
    if known:
        words = [known.get(line) for line in raw]  # type: ignore[misc]
        if None in words:
            words = None
    if words is None:
        words = line_words(text)
        if known is not None:
            known.update(zip(raw, words, strict=True))
    return words


def _lines(raw: list[str], words: list[list[str]]) -> list[_Line]:
    found: list[_Line] = []
    position = 0
    for number, (line, tokens) in enumerate(zip(raw, words, strict=True), start=1):
        if line and not line.isspace():
            found.append(_Line(number, position, position + len(line), line, tokens))
        position += len(line) + 1
    return found


def _line_blocks(raw: list[str], words: list[list[str]]) -> tuple[Block, ...]:
    """One block per non-blank line: the common case, built without intermediate lines."""
    blocks: list[Block] = []
    position = 0
    for number, (line, tokens) in enumerate(zip(raw, words, strict=True), start=1):
        if line and not line.isspace():
            blocks.append(_new_block((len(blocks), position, position + len(line), number,
                                      number, line.strip(), tuple(tokens))))
        position += len(line) + 1
    return tuple(blocks)


def _wrap_width(raw: list[str]) -> int:
    """Return the wrap width if the non-blank lines look hard-wrapped, else 0."""
    lines = [line for line in raw if line and not line.isspace()]
    if len(lines) < _MIN_LINES:
        return 0
    lengths = sorted(map(len, map(str.rstrip, lines)))
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not _MIN_WIDTH <= width <= _MAX_WIDTH or lengths[-1] > width * 1.3:
        return 0
    full = [line for line in lines if len(line) >= _FULL_FRACTION * width]
    if len(full) < _FULL_SHARE * len(lines):
        return 0
    mid_sentence = sum(1 for line in full if not ends_sentence(line))
    return width if mid_sentence >= _MID_SENTENCE_SHARE * len(full) else 0


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _paragraphs(lines: list[_Line], width: int) -> list[list[_Line]]:
    """Group wrapped lines: a blank line, a deeper indent or a short line ends a paragraph.

    A short line still continues when it stops mid-sentence (Reuters often
    breaks its first line early, and table rows have no sentence to end).
    """
    groups: list[list[_Line]] = []
    for line in lines:
        if groups:
            previous = groups[-1][-1]
            continues = (
                line.number == previous.number + 1
                and _indent(line.text) <= _indent(previous.text)
                and (len(previous.text) >= _FULL_FRACTION * width
                     or not ends_sentence(previous.text))
                # A short line after a finished sentence is a line of its own:
                # a signature, a wire trailer ("Reuter"), a sign-off.
                and not (ends_sentence(previous.text) and len(line.text.strip()) < width / 2
                         and line is lines[-1])
            )
            if continues:
                groups[-1].append(line)
                continue
        groups.append([line])
    return groups


def segment(text: str, *, known: dict[str, list[str]] | None = None) -> Segmentation:
    """Split ``text`` into blocks; join hard-wrapped lines into paragraphs.

    ``known`` maps lines to their words: :func:`dedup.clean` passes one dict
    to every pass over a document, and a later pass, whose lines are all lines
    of the first, then tokenises nothing.

    >>> [b.text for b in segment("Title\\n\\nFirst paragraph.\\nSecond one.").blocks]
    ['Title', 'First paragraph.', 'Second one.']
    """
    raw = text.split("\n")
    words = _line_words(text, raw, known)
    width = _wrap_width(raw)
    if not width:
        return Segmentation(_line_blocks(raw, words), False, 0)
    groups = _paragraphs(_lines(raw, words), width)
    blocks = []
    for index, group in enumerate(groups):
        if len(group) == 1:
            joined, tokens = group[0].text.strip(), tuple(group[0].words)
        else:
            joined = " ".join(line.text.strip() for line in group)
            tokens = tuple(token for line in group for token in line.words)
        blocks.append(Block(index=index, start=group[0].start, end=group[-1].end,
                            first_line=group[0].number, last_line=group[-1].number,
                            text=joined, words=tokens))
    return Segmentation(blocks=tuple(blocks), is_hard_wrapped=bool(width), wrap_width=width)
