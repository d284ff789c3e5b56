"""The originals and variant makers of the planted benchmark (``benchmarks/planted.py``).

Our own tokeniser and Jaccard (lowercase ``\\w+`` words, digits included), the
choice of distinct originals, and one pure function per variant kind, each
drawing from the ``random.Random`` it is given. What each kind does and why is
in ``planted.py``'s docstring.
"""

from __future__ import annotations

import random
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Sequence

from benchmarks.planted_chrome import wrap_in_chrome
from benchmarks.stability import paragraphs

__all__ = ["KEEP_APART_KINDS", "KINDS", "MERGE_KINDS", "change_numbers", "choose_originals",
           "drop_sentence", "edit", "jaccard", "make_variant", "mojibake", "reflow",
           "typographic", "vocabulary_of", "word_grams", "words"]

MAX_ORIGINAL_JACCARD = 0.5
MIN_WORDS = 120
EDIT_SHARE = 0.01
MIN_FIGURES = 3
#: Kinds that must be merged with their original, and the one that must not.
MERGE_KINDS = ("chrome", "reflowed", "mojibake", "edited")
KEEP_APART_KINDS = ("numbers",)
KINDS = (*MERGE_KINDS, *KEEP_APART_KINDS)

_WORD = re.compile(r"\w+")
_ALPHA_WORD = re.compile(r"[^\W\d_]{3,}")
_FIGURE = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’')]*\s+(?=[“\"‘(]?[A-Z0-9])")

# --- our own measure ---------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """Lowercase ``\\w+`` tokens, digits included: the benchmark's tokeniser, not dedup's."""
    return _WORD.findall(text.lower())


def word_grams(text: str, n: int = 5) -> frozenset[str]:
    """The set of word n-grams (a text shorter than n words is one gram)."""
    tokens = words(text)
    if len(tokens) < n:
        return frozenset({" ".join(tokens)}) if tokens else frozenset()
    return frozenset(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Exact Jaccard of two gram sets (1.0 for two empty sets)."""
    union = len(a | b)
    return len(a & b) / union if union else 1.0


def choose_originals(stories: Sequence[tuple[str, str]], count: int, *, rng: random.Random,
                     min_words: int = MIN_WORDS,
                     max_jaccard: float = MAX_ORIGINAL_JACCARD) -> tuple[list[tuple[str, str]],
                                                                         float]:
    """Draw up to ``count`` stories, pairwise word 5-gram Jaccard below ``max_jaccard``.

    Returns the chosen ``(id, text)`` in the order drawn, and the highest
    Jaccard between two chosen stories (exact: an inverted index from each
    5-gram to the chosen stories that have it counts every shared gram).
    """
    order = [s for s in stories if len(words(s[1])) >= min_words]
    rng.shuffle(order)
    chosen: list[tuple[str, str]] = []
    sizes: list[int] = []
    holders: dict[str, list[int]] = {}
    highest = 0.0
    for story in order:
        if len(chosen) == count:
            break
        grams = word_grams(story[1])
        shared = Counter(k for gram in grams for k in holders.get(gram, ()))
        similarities = [c / (len(grams) + sizes[k] - c) for k, c in shared.items()]
        if similarities and max(similarities) >= max_jaccard:
            continue
        highest = max([highest, *similarities])
        for gram in grams:
            holders.setdefault(gram, []).append(len(chosen))
        chosen.append(story)
        sizes.append(len(grams))
    return chosen, highest


# --- variants ----------------------------------------------------------------------------------


def typographic(text: str) -> str:
    """Set apostrophes, double quotes and spaced dashes as typographic characters.

    A text with none of them gets one comma turned into a dash (or else one
    space into a no-break space), so that every story has non-ASCII text.

    >>> typographic('He said "it\\'s fine" - then left -- fast.')
    'He said “it’s fine” – then left — fast.'
    """
    text = re.sub(r"(?<=\w)'(?=\w)", "’", text)
    text = re.sub(r'"([^"\n]{1,300})"', r"“\1”", text)
    text = text.replace(" -- ", " — ").replace("--", "—")
    text = re.sub(r"(?<=\S) - (?=\S)", " – ", text)
    if text.isascii():  # nothing typographic to set: make one comma a dash, or one space hard
        text = text.replace(", ", " – ", 1) if ", " in text else text.replace(" ", "\u00a0", 1)
    return text


def reflow(text: str, rng: random.Random) -> str:
    """Move the line breaks (words and their order unchanged)."""
    blocks = paragraphs(text)
    method = rng.choices(("rewrap", "unwrap", "cut", "one_line"), weights=(4, 3, 3, 1))[0]
    if method == "one_line":
        return " ".join(" ".join(lines) for block in blocks for _, lines in block) + "\n"
    separator = "\n\n" if method == "rewrap" or rng.random() < 0.5 else "\n"
    keep_indent = rng.random() < 0.5
    width = rng.randint(40, 100)

    def fill(indent: str, joined: str) -> str:
        indent = indent if keep_indent else ""
        if method == "unwrap":
            return indent + joined
        if method == "rewrap":
            return textwrap.fill(joined, width, initial_indent=indent, break_long_words=False,
                                 break_on_hyphens=False)
        tokens = joined.split()
        lines, start = [], 0
        while start < len(tokens):
            step = rng.randint(3, 16)
            lines.append(" ".join(tokens[start:start + step]))
            start += step
        return indent + "\n".join(lines)

    result = separator.join("\n".join(fill(indent, " ".join(lines)) for indent, lines in block)
                            for block in blocks) + "\n"
    if result.strip() == text.strip():  # an unwrap of a text already one paragraph a line
        return "\n".join(textwrap.fill(" ".join(lines), width) for block in blocks
                         for _, lines in block) + "\n"
    return result


#: cp1252 as a sloppy decoder reads it: the five bytes cp1252 leaves undefined stay latin-1.
_CP1252 = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0x100)}
_CP1252_FROM_LATIN1 = str.maketrans({chr(b): c for b, c in _CP1252.items()})


def mojibake(text: str, rng: random.Random) -> str | None:
    """UTF-8 bytes read as cp1252 or latin-1; None for an ASCII text (nothing to break)."""
    if text.isascii():
        return None
    latin1 = text.encode("utf-8").decode("latin-1")
    return latin1 if rng.random() < 0.3 else latin1.translate(_CP1252_FROM_LATIN1)


def drop_sentence(text: str, rng: random.Random) -> str | None:
    """Drop one sentence, not the first or the last.

    A sentence of at most 10% of the words, else the shortest if it is at most
    20%; None when there is none (fewer than three sentences, or a table whose
    "sentence" is half the story: dropping it would be no light edit).
    """
    starts = [0, *(m.end() for m in _SENTENCE_END.finditer(text))]
    spans = list(zip(starts, [*starts[1:], len(text)], strict=True))[1:-1]
    total = len(words(text))
    sized = [(len(words(text[a:b])), a, b) for a, b in spans]
    sized = [s for s in sized if 4 <= s[0] <= 0.2 * total]
    if not sized:
        return None
    small = [s for s in sized if s[0] <= 0.1 * total]
    _, start, end = rng.choice(small) if small else min(sized)
    return text[:start] + text[end:]


def edit(text: str, rng: random.Random, vocabulary: Sequence[str]) -> str | None:
    """Drop a sentence, then replace 1% of the words (at least one) by other vocabulary words."""
    dropped = drop_sentence(text, rng)
    if dropped is None:
        return None
    spots = list(_ALPHA_WORD.finditer(dropped))
    count = min(len(spots), max(1, round(EDIT_SHARE * len(words(dropped)))))
    chars = dropped
    for spot in sorted(rng.sample(spots, count), key=lambda m: m.start(), reverse=True):
        old = spot.group()
        new = rng.choice(vocabulary)
        while new == old.lower():
            new = rng.choice(vocabulary)
        new = new.upper() if old.isupper() else new.capitalize() if old[0].isupper() else new
        chars = chars[:spot.start()] + new + chars[spot.end():]
    return chars


def change_numbers(text: str, rng: random.Random) -> str | None:
    """Replace every figure, or half and at least three, by others of the same length."""
    figures = list(_FIGURE.finditer(text))
    if len(figures) < MIN_FIGURES:
        return None
    if rng.random() >= 0.5:
        figures = rng.sample(figures, max(MIN_FIGURES, len(figures) // 2))
    result = text
    for figure in sorted(figures, key=lambda m: m.start(), reverse=True):
        old = figure.group()
        new = old
        while new == old:
            new = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9))
                                                   for _ in range(len(old) - 1))
        result = result[:figure.start()] + new + result[figure.end():]
    return result


def make_variant(kind: str, text: str, rng: random.Random,
                 vocabulary: Sequence[str]) -> str | None:
    """One variant of ``kind``; None when the story does not allow it (no figures, ...)."""
    makers: dict[str, Callable[[], str | None]] = {
        "chrome": lambda: wrap_in_chrome(text, rng),
        "reflowed": lambda: reflow(text, rng),
        "mojibake": lambda: mojibake(text, rng),
        "edited": lambda: edit(text, rng, vocabulary),
        "numbers": lambda: change_numbers(text, rng),
    }
    return makers[kind]()


def vocabulary_of(texts: Sequence[str]) -> list[str]:
    """The words an edit may put in: every alphabetic word of three letters or more, sorted."""
    return sorted({w.lower() for text in texts for w in _ALPHA_WORD.findall(text)})
