"""Boilerplate no list names, judged by what a line looks like (jusText on text lines).

jusText classifies HTML paragraphs by length, stopword density and link density,
then lets short paragraphs take the class of their neighbours. Scraped text has
no links, so the signals left are length, stopword density in the document's
language and sentence punctuation; the context step matters even more: a short
line between two paragraphs of prose is a subheading or a one-line paragraph,
the same line among menu entries is a menu entry.

Safeguards, so the classifier never destroys a document it cannot read: it does
nothing when the language is none of ours (no stopwords to count) or when no
block at all reads as good prose.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain, islice, repeat
from operator import attrgetter
from typing import Literal

from dedup.cleaning._text import ends_sentence
from dedup.cleaning.lexicon import DETECT_TOKENS as _DETECT_TOKENS
from dedup.cleaning.lexicon import RIVAL_SHIFT, detect_language, load_stopwords, packed_stopwords
from dedup.cleaning.segment import Block
from dedup.config import LineScoreConfig
from dedup.report import Removal

__all__ = ["BlockClass", "classify_blocks", "find_low_content", "main_region"]

BlockClass = Literal["good", "near_good", "short", "bad"]

#: What a known boilerplate line and a short line without sentence punctuation
#: cost in :func:`_score`, in characters of prose. Menus run to dozens of such
#: lines; an article's subheadings come one at a time between paragraphs.
_REMOVED_COST = 40.0
_SHORT_COST = 25.0
#: One block counts at most this much: a single long legal disclaimer in a
#: footer must not outweigh an article of many mid-length paragraphs.
_MAX_BLOCK_SCORE = 500.0

#: Below this share of stopwords over the whole document, the text is not in a
#: language we have stopwords for, and stopword density says nothing.
_MIN_LANGUAGE_SHARE = 0.08
_FIRST_MASK = (1 << RIVAL_SHIFT) - 1
_WORDS = attrgetter("words")


def _initial(chars: int, stopword_share: float, is_sentence: bool,
             config: LineScoreConfig) -> BlockClass:
    if chars < config.length_low:
        return "short"
    if stopword_share >= config.stopwords_high:
        return "good" if chars >= config.length_high else "near_good"
    if stopword_share >= config.stopwords_low:
        return "near_good"
    # News prose is dense with names and numbers, so its stopword share can fall
    # under jusText's thresholds; a full sentence with some stopwords is still
    # prose unless its neighbours say otherwise.
    if is_sentence and stopword_share >= config.stopwords_sentence:
        return "near_good"
    return "bad"


_SKIPPED: frozenset[str] = frozenset({"short"})
_SKIPPED_NEAR: frozenset[str] = frozenset({"short", "near_good"})


def _nearest(classes: list[BlockClass], *, ignore_near: bool
             ) -> tuple[list[BlockClass], list[BlockClass]]:
    """For every block, the class of the nearest non-short block before and after it.

    The document's edges count as bad. One pass each way keeps this linear:
    pages with thousands of menu lines are common.
    """
    skipped = _SKIPPED_NEAR if ignore_near else _SKIPPED
    before: list[BlockClass] = []
    last: BlockClass = "bad"
    for found in classes:
        before.append(last)
        if found not in skipped:
            last = found
    after: list[BlockClass] = []
    last = "bad"
    for found in reversed(classes):
        after.append(last)
        if found not in skipped:
            last = found
    after.reverse()
    return before, after


def _resolve_short(classes: list[BlockClass]) -> list[BlockClass]:
    before, after = _nearest(classes, ignore_near=True)
    near_before, near_after = _nearest(classes, ignore_near=False)
    resolved = list(classes)
    for index, found in enumerate(classes):
        if found != "short":
            continue
        if before[index] == after[index]:
            resolved[index] = before[index]
        elif "near_good" in (near_before[index], near_after[index]):
            resolved[index] = "good"
        else:
            resolved[index] = "bad"
    return resolved


def _resolve_near_good(classes: list[BlockClass]) -> list[BlockClass]:
    before, after = _nearest(classes, ignore_near=True)
    return [
        ("bad" if before[i] == after[i] == "bad" else "good") if found == "near_good" else found
        for i, found in enumerate(classes)
    ]


def _stopword_hits(blocks: Sequence[Block], languages: tuple[str, ...]
                   ) -> list[int] | None:
    """Count each block's stopwords in the document's language; ``None`` if it is none of ours.

    The language is :func:`~dedup.cleaning.lexicon.detect_language`'s choice
    over the first tokens of the document, found without running it in the
    usual case: one pass over the tokens counts the stopwords of the first
    candidate language (needed anyway) and those of all the others together
    (:func:`~dedup.cleaning.lexicon.packed_stopwords`). When the first
    language has at least as many hits in the sample as every word of the
    other lists together, no other can beat it (ties go to the first listed);
    only otherwise does the full detection run.
    """
    if not languages:
        return None
    packed = packed_stopwords(languages)
    sums = [sum(map(packed.get, block.words, repeat(0))) for block in blocks]
    hits = [total & _FIRST_MASK for total in sums]
    whole = sum(map(len, map(_WORDS, blocks))) if len(blocks) <= 400 else _DETECT_TOKENS + 1
    if whole <= _DETECT_TOKENS:  # the sample is the whole text: no block to cut
        counted, taken = sum(sums), whole
    else:
        counted = taken = 0
        for block, total in zip(blocks[:400], sums, strict=False):
            room = _DETECT_TOKENS - taken
            if len(block.words) > room:
                counted += sum(map(packed.get, block.words[:room], repeat(0)))
                taken += room
                break
            counted += total
            taken += len(block.words)
    # Packed sums add up field by field: a sample of at most _DETECT_TOKENS
    # words cannot carry the first-language count into the rival bits.
    sample_hits, rival_hits = counted & _FIRST_MASK, counted >> RIVAL_SHIFT
    if not taken:
        return None
    if sample_hits and sample_hits >= rival_hits:
        return hits if sample_hits / taken >= _MIN_LANGUAGE_SHARE else None
    sample = list(islice(chain.from_iterable(block.words for block in blocks[:400]),
                         _DETECT_TOKENS))
    language, share = detect_language(sample, languages)
    if language is None or share < _MIN_LANGUAGE_SHARE:
        return None
    if language != languages[0]:
        stopwords = load_stopwords(language)
        hits = [sum(map(stopwords.__contains__, block.words)) for block in blocks]
    return hits


def _initial_classes(blocks: Sequence[Block], config: LineScoreConfig, *,
                     languages: tuple[str, ...], fixed: dict[int, BlockClass]
                     ) -> list[BlockClass] | None:
    """Classify each block by its own features; ``None`` when nothing reads as prose."""
    hits = _stopword_hits(blocks, languages)
    length_low = config.length_low
    classes: list[BlockClass] = []
    for position, block in enumerate(blocks):
        if block.index in fixed:
            classes.append(fixed[block.index])
            continue
        if len(block.text) < length_low:
            classes.append("short")  # judged by its neighbours alone
            continue
        is_sentence = ends_sentence(block.text)
        if hits is None:
            # A language we hold no stopwords for: sentence punctuation and
            # length are the only evidence left.
            share_here = config.stopwords_high if is_sentence else 0.0
        else:
            share_here = hits[position] / len(block.words) if block.words else 0.0
        classes.append(_initial(len(block.text), share_here, is_sentence, config))
    if "good" not in classes:
        if "near_good" not in classes:
            return None
        # Pages of short paragraphs have no block long enough to be "good";
        # their best prose then anchors the main text instead.
        classes = ["good" if found == "near_good" else found for found in classes]
    return classes


def classify_blocks(blocks: Sequence[Block], config: LineScoreConfig, *,
                    languages: tuple[str, ...], fixed: dict[int, BlockClass] | None = None,
                    ) -> list[BlockClass] | None:
    """Classify every block good or bad, jusText style; ``None`` when nothing reads as prose.

    Args:
        blocks: the document's blocks.
        config: the thresholds.
        languages: candidate languages for the stopword lists.
        fixed: classes already known (blocks removed by a phrase rule are bad).
    """
    classes = _initial_classes(blocks, config, languages=languages, fixed=fixed or {})
    return None if classes is None else _resolve_near_good(_resolve_short(classes))


def _score(block: Block, found: BlockClass, is_removed: bool) -> float:
    """How much a block speaks for (> 0) or against (< 0) being inside the article.

    Prose counts by its length. A known boilerplate line costs its length plus
    a constant, so a run of menu entries outweighs a stray sentence beside it;
    a short line costs a little unless it ends like a sentence, so the
    subheadings and one-line paragraphs of an article do not split it.
    """
    length = float(len(block.text))
    if is_removed:
        return -(length + _REMOVED_COST)
    if found == "good":
        return min(length, _MAX_BLOCK_SCORE)
    if found == "near_good":
        return length / 2
    if found == "short":
        return 0.0 if ends_sentence(block.text) else -_SHORT_COST
    return -length / 2


def main_region(scores: Sequence[float]) -> tuple[int, int] | None:
    """Return the first and last index of the contiguous run with the largest total score.

    Kadane's maximum-subarray; blocks scoring zero at either end join the run,
    and of two runs with the same total the earlier wins.

    >>> main_region([-5, 3, -1, 4, -10, 2])
    (1, 3)
    >>> main_region([0, 3, 0, -1])
    (0, 2)
    """
    best: tuple[float, int, int] | None = None
    total, start = 0.0, 0
    for index, score in enumerate(scores):
        if total < 0:
            total, start = score, index
        else:
            total += score  # a zero-score block (a short sentence) joins the run
        if total > 0 and (best is None or total > best[0]
                          or (total == best[0] and start == best[1])):
            best = (total, start, index)
    return None if best is None else (best[1], best[2])


def find_low_content(blocks: Sequence[Block], config: LineScoreConfig, *,
                     languages: tuple[str, ...], removed: frozenset[int] = frozenset(),
                     is_headline: Callable[[Block], bool] = lambda block: False,
                     is_hard_wrapped: bool = False, explain: bool = True
                     ) -> tuple[Removal, ...]:
    """Return ``boilerplate.low_content`` removals: blocks outside the main text, or bad in it.

    The main text is the contiguous run of blocks with the largest score
    (:func:`main_region`): on scraped pages the article is one run of prose
    between menus above and link lists, comments and footers below. A headline
    just above it belongs to it. Inside the run, a block is removed only when
    the jusText context step says it is bad (a short line among boilerplate).

    Args:
        blocks: the document's blocks.
        config: the classifier thresholds.
        languages: candidate languages.
        removed: blocks an earlier step removed (they count as boilerplate).
        is_headline: says whether a block reads like a headline.
        is_hard_wrapped: the text is plain text wrapped at a fixed width (wire
            stories, e-mail, books), not a scraped page: there is no page
            around the text to cut away, so only short lines without digits
            nor sentence punctuation that the context step calls bad are
            removed (a "Reuter" trailer goes, a table row stays).
        explain: build the human ``detail``.
    """
    fixed: dict[int, BlockClass] = dict.fromkeys(removed, "bad") if removed else {}
    initial = _initial_classes(blocks, config, languages=languages, fixed=fixed)
    if initial is None:
        return ()
    if is_hard_wrapped:
        return _wrapped_low_content(blocks, initial, removed, is_headline, explain)
    scores = [_score(b, c, b.index in removed) for b, c in zip(blocks, initial, strict=True)]
    region = main_region(scores)
    if region is None:
        return ()
    first, last = region
    above = first - 1
    while above >= 0 and blocks[above].index in removed:
        above -= 1
    if above >= 0 and is_headline(blocks[above]):
        first = blocks[above].index
    if not removed and first == 0 and last == len(blocks) - 1 and min(scores[1:],
                                                                      default=0.0) >= 0:
        return ()  # the whole text is the main text, and nothing in it scores below zero
    # The context step only decides blocks inside the main text that score
    # below zero; an article with none (most clean text) skips it.
    context: list[BlockClass] | None = None
    removals: list[Removal] = []
    for position, (block, score) in enumerate(zip(blocks, scores, strict=True)):
        if block.index in removed:
            continue
        inside = first <= block.index <= last
        if inside and (score >= 0 or block.index == first):
            continue
        if inside:
            if context is None:
                context = _resolve_near_good(_resolve_short(initial))
            if context[position] != "bad":
                continue
        removals.append(_removal(block, "short or without prose among boilerplate" if inside
                                 else "outside the main text", explain))
    return tuple(removals)


def _removal(block: Block, why: str, explain: bool) -> Removal:
    detail = ""
    if explain:
        shown = block.text if len(block.text) <= 60 else block.text[:57] + "..."
        detail = f"{shown!r} on {block.lines}: {why}"
    return Removal(start=block.start, end=block.end, rule="boilerplate.low_content",
                   detail=detail)


def _wrapped_low_content(blocks: Sequence[Block], initial: list[BlockClass],
                         removed: frozenset[int], is_headline: Callable[[Block], bool],
                         explain: bool) -> tuple[Removal, ...]:
    """Short label lines of plain wrapped text: among boilerplate, or trailing the text.

    Only lines without digits or sentence punctuation qualify, so table rows and
    one-line paragraphs stay; the headline opening the text stays; the last
    line goes when it is such a label (a wire trailer such as "Reuter", a
    sign-off), whatever the paragraph before it.
    """
    context = _resolve_near_good(_resolve_short(initial))
    kept = [block for block in blocks if block.index not in removed]
    headline = kept[0].index if kept and is_headline(kept[0]) and len(kept) > 1 else -1
    last = kept[-1].index if len(kept) > 1 else -1
    removals: list[Removal] = []
    for block in kept:
        if (block.index == headline or initial[block.index] != "short"
                or ends_sentence(block.text) or any(c.isdigit() for c in block.text)):
            continue
        if block.index == last:
            removals.append(_removal(block, "a short label line closing the text", explain))
        elif context[block.index] == "bad":
            removals.append(_removal(block, "a short line among boilerplate", explain))
    return tuple(removals)
