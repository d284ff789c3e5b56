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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from dedup.clean._text import ends_sentence
from dedup.clean.lexicon import detect_language, load_stopwords
from dedup.clean.segment import Block
from dedup.config import LineScoreConfig
from dedup.report import Removal

__all__ = ["BlockClass", "classify_blocks", "find_low_content"]

BlockClass = Literal["good", "near_good", "short", "bad"]

#: Below this share of stopwords over the whole document, the text is not in a
#: language we have stopwords for, and stopword density says nothing.
_MIN_LANGUAGE_SHARE = 0.08


@dataclass(frozen=True, slots=True, kw_only=True)
class _Features:
    chars: int
    words: int
    stopword_share: float
    is_sentence: bool


def _initial(features: _Features, config: LineScoreConfig) -> BlockClass:
    if features.chars < config.length_low:
        return "short"
    if features.stopword_share >= config.stopwords_high:
        return "good" if features.chars >= config.length_high else "near_good"
    if features.stopword_share >= config.stopwords_low:
        return "near_good"
    # News prose is dense with names and numbers, so its stopword share can fall
    # under jusText's thresholds; a full sentence with some stopwords is still
    # prose unless its neighbours say otherwise.
    if features.is_sentence and features.stopword_share >= config.stopwords_sentence:
        return "near_good"
    return "bad"


def _nearest(classes: list[BlockClass], *, ignore_near: bool
             ) -> tuple[list[BlockClass], list[BlockClass]]:
    """For every block, the class of the nearest non-short block before and after it.

    The document's edges count as bad. One pass each way keeps this linear:
    pages with thousands of menu lines are common.
    """
    def skipped(found: BlockClass) -> bool:
        return found == "short" or (ignore_near and found == "near_good")

    before: list[BlockClass] = []
    last: BlockClass = "bad"
    for found in classes:
        before.append(last)
        if not skipped(found):
            last = found
    after: list[BlockClass] = []
    last = "bad"
    for found in reversed(classes):
        after.append(last)
        if not skipped(found):
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


def classify_blocks(blocks: Sequence[Block], config: LineScoreConfig, *,
                    languages: tuple[str, ...], fixed: dict[int, BlockClass] | None = None,
                    ) -> list[BlockClass] | None:
    """Classify every block good or bad; ``None`` when the text cannot be judged.

    Args:
        blocks: the document's blocks.
        config: the thresholds.
        languages: candidate languages for the stopword lists.
        fixed: classes already known (blocks removed by a phrase rule are bad).
    """
    fixed = fixed or {}
    tokens = [block.words for block in blocks]
    language, share = detect_language(
        [t for ts in tokens[:400] for t in ts], languages)
    if language is None or share < _MIN_LANGUAGE_SHARE:
        return None
    stopwords = load_stopwords(language)
    classes: list[BlockClass] = []
    for block, block_tokens in zip(blocks, tokens):
        if block.index in fixed:
            classes.append(fixed[block.index])
            continue
        hits = sum(map(stopwords.__contains__, block_tokens))
        features = _Features(
            chars=len(block.text),
            words=len(block_tokens),
            stopword_share=hits / len(block_tokens) if block_tokens else 0.0,
            is_sentence=ends_sentence(block.text),
        )
        classes.append(_initial(features, config))
    if "good" not in classes:
        return None
    return _resolve_near_good(_resolve_short(classes))


def find_low_content(blocks: Sequence[Block], config: LineScoreConfig, *,
                     languages: tuple[str, ...], removed: frozenset[int] = frozenset(),
                     protected: frozenset[int] = frozenset(), explain: bool = True,
                     ) -> tuple[Removal, ...]:
    """Return a ``boilerplate.low_content`` removal for every block classified bad.

    Args:
        blocks: the document's blocks.
        config: the classifier thresholds.
        languages: candidate languages.
        removed: blocks an earlier step removed (they count as bad context).
        protected: blocks that must stay (the headline).
        explain: build the human ``detail``.
    """
    fixed: dict[int, BlockClass] = {index: "bad" for index in removed}
    fixed.update({index: "good" for index in protected})
    classes = classify_blocks(blocks, config, languages=languages, fixed=fixed)
    if classes is None:
        return ()
    removals: list[Removal] = []
    for block, found in zip(blocks, classes):
        if found != "bad" or block.index in removed or block.index in protected:
            continue
        detail = ""
        if explain:
            shown = block.text if len(block.text) <= 60 else block.text[:57] + "..."
            detail = f"{shown!r} on {block.lines}: reads as boilerplate (short or few stopwords, among boilerplate)"
        removals.append(Removal(start=block.start, end=block.end, rule="boilerplate.low_content",
                                detail=detail))
    return tuple(removals)
