"""The main-text model: boilerplate no list names, removed only on evidence near it.

jusText classifies HTML paragraphs by length, stopword density and link density,
then lets short paragraphs take the class of their neighbours. Scraped text has
no links, so the signals left are length, stopword density in the document's
language, sentence punctuation and shape (:mod:`dedup.cleaning.evidence`).
Unlike jusText and unlike 0.1's single main region, the document's edge is not
evidence, several regions of prose can be the article, and a block is removed
only when a rule's removal or a menu's shape is near it; see
``docs/cleaning-model.md``.

Safeguards, so the model never destroys a document it cannot read: it does
nothing when no block at all reads as prose, and judges a language without a
stopword list by length and punctuation alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from itertools import chain, islice, repeat
from operator import attrgetter

from dedup.cleaning._text import (
    ends_sentence,
    ends_with_stop,
    latin_length,
    starts_lower,
    unmarked_script,
)
from dedup.cleaning.evidence import PROSE as _PROSE
from dedup.cleaning.evidence import (
    BlockClass,
    is_code,
    is_data,
    is_tabular,
    is_title_case,
    mark_menus,
    neutralise_unproven,
    promote_prose_runs,
)
from dedup.cleaning.lexicon import DETECT_TOKENS as _DETECT_TOKENS
from dedup.cleaning.lexicon import (
    RIVAL_SHIFT,
    detect_language,
    load_stopwords,
    packed_stopwords,
    stopword_owners,
    stopword_pages,
)
from dedup.cleaning.segment import Block, is_list_item
from dedup.config import Favor, LineScoreConfig
from dedup.report import Removal

__all__ = ["BORDER_RULES", "CLOSING_RULES", "BlockClass", "classify_blocks", "find_low_content",
           "main_region"]

#: Rules whose lines mark where one region of a page ends and another begins:
#: a menu, a "Related stories" or "Most read" header, share buttons, a comment
#: form, a newsletter call, an advertisement marker, a consent notice. Past one
#: of them, short lines outside the largest run of article text are the page's
#: other regions (see :func:`find_low_content`). Not copyright, captions,
#: counters or dates: a README's licence line, a photo credit under the lede
#: and a dateline all stand inside the text they belong to.
BORDER_RULES: frozenset[str] = frozenset({
    "boilerplate.navigation", "boilerplate.read_more", "boilerplate.share",
    "boilerplate.comment_prompt", "boilerplate.newsletter", "boilerplate.advertisement",
    "boilerplate.cookie_notice",
})
#: The borders that close an article rather than interrupt it: share buttons, a
#: comment form, a "Related stories" header, footer navigation. Not the
#: newsletter boxes, advertisement markers and consent banners that pages set
#: between an article's paragraphs as well as after them.
CLOSING_RULES: frozenset[str] = frozenset({
    "boilerplate.navigation", "boilerplate.read_more", "boilerplate.share",
    "boilerplate.comment_prompt",
})


#: A paragraph of prose past a border of the largest run of article text goes
#: only when the run holds this many paragraphs of prose, and this many times
#: the paragraph's length: a run that size is the article, not a short story's
#: neighbour that happens to be longer (a mail form beside a one-paragraph
#: review, web-pages-dev cleaneval-final/156). Measured with 2 / 3 / 5
#: paragraphs: article benchmark F1 0.8891 / 0.8891 / 0.8872, web-pages-dev
#: pooled 0.9118 / 0.9118 / 0.9126 (0.8858 and 0.9119 without the rule).
_RUN_PARAGRAPHS = 3
_RUN_TIMES = 3

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


#: What stands beyond the first and last block. The edge of a document is
#: not evidence: a short line opening a plain story is not boilerplate for
#: being first, so the edge takes the class of whatever lies on the other side.
_EDGE = "edge"
_SKIP_SHORT: frozenset[str] = frozenset({"short"})
#: A run of figure rows, as the near-good context step sees it (see :func:`_tables`).
_TABLE = "table"
_SKIP_NEAR: frozenset[str] = frozenset({"short", "near_good"})
#: Neighbours that settle a short block's class when its sides disagree.
_CONTENT: frozenset[str] = frozenset({"near_good", _TABLE})


def _nearest(classes: Sequence[str], skipped: frozenset[str]) -> tuple[list[str], list[str]]:
    """For every block, the class of the nearest block before and after it not in ``skipped``.

    :data:`_EDGE` where there is none. One pass each way keeps this linear:
    pages with thousands of menu lines are common.
    """
    before: list[str] = []
    last = _EDGE
    for found in classes:
        before.append(last)
        if found not in skipped:
            last = found
    after: list[str] = []
    last = _EDGE
    for found in reversed(classes):
        after.append(last)
        if found not in skipped:
            last = found
    after.reverse()
    return before, after


def _either(before: str, after: str) -> str | None:
    """The class two sides agree on, an edge agreeing with anything; ``None`` if they differ."""
    if before == after or after == _EDGE:
        return "good" if before == _EDGE else before
    return after if before == _EDGE else None


def _context(classes: list[BlockClass], tables: frozenset[int] = frozenset(),
             near: tuple[list[str], list[str]] | None = None) -> list[BlockClass]:
    """jusText's context step with neutral edges: short and near-good blocks take a side.

    A short block takes the class its nearest decided neighbours agree on; when
    they differ, it is good next to a near-good block or data and bad
    otherwise. A near-good block is bad only with bad blocks on both sides.
    Data (``tables``: positions of runs of figure rows or code) on one side is
    content, so the notes under an earnings table and the sentence that
    introduces a code example are not "among boilerplate". ``near`` is
    ``_nearest(classes, _SKIP_SHORT)`` when the caller has it.
    """
    before, after = _nearest(classes, _SKIP_NEAR)
    if tables:
        marked = [_TABLE if position in tables else found
                  for position, found in enumerate(classes)]
        before_table, after_table = _nearest(marked, _SKIP_NEAR)
        near_before, near_after = _nearest(marked, _SKIP_SHORT)
    else:
        # Asked of the classes, not the marked ones, only when there are no
        # tables: it was worked out and thrown away before, and find_low_content
        # works it out again (one pass in four over the classes, 1% of clean()
        # on web pages).
        near_before, near_after = near if near is not None else _nearest(classes, _SKIP_SHORT)
        before_table, after_table = before, after
    resolved: list[BlockClass] = []
    for index, found in enumerate(classes):
        if found == "short":
            agreed = _either(before[index], after[index])
            if agreed is None:
                agreed = "good" if not _CONTENT.isdisjoint(
                    (near_before[index], near_after[index])) else "bad"
            resolved.append("good" if agreed in _PROSE else "bad")
        elif found == "near_good":
            resolved.append("bad" if before_table[index] == after_table[index] == "bad"
                            else "good")
        else:
            resolved.append(found)
    return resolved


#: A box inside an article ("Related stories", "Share this", a newsletter
#: sign-up) is a line or two a rule names between two of its paragraphs; the
#: near-good context step looks through that many removed blocks for prose.
_BOX_BLOCKS = 2
#: A sentence of at least this many words can be a story's lede, however few
#: stopwords its names and figures leave it.
_LEDE_WORDS = 10


def _prose_through_box(blocks: Sequence[Block], classes: Sequence[BlockClass],
                       removed: frozenset[int], borders: frozenset[int], *,
                       tables: frozenset[int] = frozenset(),
                       is_headline: Callable[[Block], bool] = lambda block: False,
                       ) -> dict[int, int]:
    """Blocks of prose the story goes on after, past at most :data:`_BOX_BLOCKS` removed ones.

    Maps the position of each near-good block with good prose after it, past
    one or two removed blocks, and of each sentence that is not prose for its
    own features (a lede of names and figures: "Snyder Oil Partners LP said it
    acquired 1.2 mln shares") with good prose after it, past at most that many,
    to the position of that prose. A lede between the page's header and a
    share box set under it has boilerplate on both sides, but the story goes
    on past the box. So do the short blocks above the box (a report's first
    rows) and its headline, a line or two set apart by a blank line, unless a
    border also stands between them and the largest run of article text
    (:func:`find_low_content`); and a table (``tables``, rows of figures) under
    the box is the story going on as prose is (an earnings report). The box is
    lines a border rule removed (:data:`BORDER_RULES`): an image's placeholder
    and credit around a caption, a date or a copyright line are not a box set
    into a story, and end the look. Short blocks after the box are passed over
    as the context step passes them; a block that is bad for its own features
    ends it too, unless its writer indented it (plain text's paragraphs stay).
    """
    found_at: dict[int, int] = {}
    waiting: list[int] = []  # blocks looking ahead
    sentences = False  # some of them are sentences a box need not stand after
    boxed = 0  # removed blocks since the last of them
    for position in range(len(blocks)):
        found = classes[position]
        block = blocks[position]
        sentence = (found == "bad" and len(block.words) >= _LEDE_WORDS
                    and ends_with_stop(block.text))
        if block.index in removed:
            boxed += 1
            if boxed > _BOX_BLOCKS or block.index not in borders:
                waiting, sentences, boxed = [], False, 0
        elif (found == "near_good" and not block.indent) or sentence:
            if boxed:  # a box between it and the ones before: they are not its paragraph's
                waiting, sentences, boxed = [], False, 0
            waiting.append(position)
            sentences = sentences or sentence
        elif boxed and waiting and position in tables:
            # The story goes on under the box in a table of figures.
            found_at.update((p, position) for p in waiting)
            waiting, sentences, boxed = [], False, 0
        elif (found == "bad" and not block.indent and block.last_line - block.first_line < 2
              and is_headline(block) and position + 1 < len(blocks)
              and blocks[position + 1].first_line > block.last_line + 1):
            # A headline, a line or two set apart by a blank line as plain text
            # sets one: it may read as the last entry of the menu above it, so it
            # starts the look afresh and the menu stays behind.
            waiting, sentences, boxed = [position], False, 0
        elif found == "short":
            if not block.indent and (not boxed or not waiting):
                # A headline or a short line of the lede, over the box (removed
                # blocks before the first of them are the page's header, not a box).
                boxed = 0
                waiting.append(position)
            continue
        elif found == "near_good" and not boxed:
            continue
        else:
            # Prose that stays: good, or a paragraph its writer indented (plain
            # text's paragraphs are never removed for their neighbours).
            if (found != "bad" or block.indent) and (boxed or sentences):
                found_at.update((p, position) for p in waiting
                                if boxed or classes[p] == "bad")
            waiting, sentences, boxed = [], False, 0
    return found_at


def _paragraphs_in_a_row(blocks: Sequence[Block], initial: Sequence[BlockClass],
                         removed: frozenset[int], run: tuple[int, int],
                         listed: frozenset[int]) -> int:
    """The most paragraphs of prose one after another in ``run``, none of them ``listed``.

    An article's body is paragraphs in a row; a column of advertisements or
    teasers alternates a title and a blurb.
    """
    best = current = 0
    for position in range(run[0], run[1] + 1):
        if blocks[position].index in removed:
            continue  # a rule's line between two paragraphs does not part them
        current = current + 1 if initial[position] == "good" and position not in listed else 0
        best = max(best, current)
    return best


#: A listing has at least this many dated records in a row.
_LISTING_RECORDS = 3
#: Lines a record may set above its stamp: a headline and an author.
_RECORD_HEAD = 2


def _listing(blocks: Sequence[Block], removed: frozenset[int], stamps: frozenset[int],
             classes: Sequence[BlockClass]) -> frozenset[int]:
    """Positions of the blocks of a listing of dated records, :data:`_LISTING_RECORDS` or more.

    A record is a stamp (a date line a rule removed), at most :data:`_RECORD_HEAD`
    one-line blocks above it that are not good prose (a headline, an author:
    never the article's last paragraph) and the one block under it (a teaser), each
    record right after the one before (lines a rule removed between, such as an
    author's "says:" label, do not part them): a "More from" list of other
    stories, a blog's list of posts. Its paragraphs are prose, and outweigh a short
    article in the largest run of article text.
    """
    records: list[tuple[int, int]] = []  # first and last position of each record
    found: list[int] = []
    chain: list[tuple[int, int]] = []
    for position, block in enumerate(blocks):
        if block.index not in stamps or position + 1 >= len(blocks):
            continue
        teaser = position + 1
        if blocks[teaser].index in removed:
            continue
        first = position
        while (first > 0 and position - first < _RECORD_HEAD
               and blocks[first - 1].index not in removed
               and blocks[first - 1].first_line == blocks[first - 1].last_line
               and classes[first - 1] != "good"
               and (not records or first - 1 > records[-1][1])):
            first -= 1
        records.append((first, teaser))
    for record in (*records, None):
        if record is not None and chain and all(
                blocks[p].index in removed for p in range(chain[-1][1] + 1, record[0])):
            chain.append(record)  # right after the one before, or past lines a rule removed
            continue
        if len(chain) >= _LISTING_RECORDS:
            found.extend(p for first, last in chain for p in range(first, last + 1))
        chain = [] if record is None else [record]
    return frozenset(found)


def _stopword_hits(blocks: Sequence[Block], languages: tuple[str, ...]
                   ) -> tuple[list[int], str] | None:
    """Count each block's stopwords in the document's language; ``None`` if it is none of ours.

    Returns the counts and the language.

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
        return (hits, languages[0]) if sample_hits / taken >= _MIN_LANGUAGE_SHARE else None
    sample = list(islice(chain.from_iterable(block.words for block in blocks[:400]),
                         _DETECT_TOKENS))
    language, share = detect_language(sample, languages)
    if language is None or share < _MIN_LANGUAGE_SHARE:
        return None
    if language != languages[0]:
        stopwords = load_stopwords(language)
        hits = [sum(map(stopwords.__contains__, block.words)) for block in blocks]
    return hits, language


#: A block needs this many words before its stopwords in another language count:
#: a short line can share a few function words with any language by chance.
_FOREIGN_MIN_WORDS = 12


def _foreign_share(block: Block, languages: tuple[str, ...], language: str) -> float:
    """Return the block's highest stopword share in one of our languages other than ``language``.

    The document's language is read from its first words, and on a page
    whose chrome is in another language than its story (an English wire story
    inside a French site) that is the chrome's language: counted in it, the
    story has no stopwords and would read as boilerplate.

    One pass over the block counts the stopwords of every language at once
    (:func:`~dedup.cleaning.lexicon.stopword_owners`), where
    :func:`_reference_foreign_share` makes one pass per language: with 15
    languages, 0.026 s against 0.073 s over the 2,501 blocks of web-pages-dev
    it is asked about, 0.010 s against 0.015 s over BBC News's 522 (best of
    five runs each).
    """
    counts = Counter(chain.from_iterable(filter(None, map(stopword_owners(languages).get,
                                                          block.words))))
    counts.pop(language, None)
    return max(counts.values(), default=0) / len(block.words)


def _reference_foreign_share(block: Block, languages: tuple[str, ...], language: str) -> float:
    """:func:`_foreign_share` as first written, one stopword list at a time."""
    best = 0
    for other in languages:
        if other != language:
            stopwords = load_stopwords(other)
            best = max(best, sum(map(stopwords.__contains__, block.words)))
    return best / len(block.words)


def _unlisted_script(block: Block, pages: frozenset[int]) -> bool:
    """Say whether most of a block's words are in a script no candidate stoplist is written in."""
    words = block.words
    return 2 * sum(1 for word in words if ord(word[0]) >> 7 not in pages) > len(words)


def _classify_own(blocks: Sequence[Block], config: LineScoreConfig,
                  languages: tuple[str, ...], fixed: dict[int, BlockClass],
                  own: dict[int, BlockClass]) -> None:
    """Fill ``own`` with the class of every block not in ``fixed``, from its own features."""
    found_hits = _stopword_hits(blocks, languages)
    hits, language = found_hits if found_hits is not None else (None, "")
    pages = stopword_pages(languages)
    length_low = config.length_low
    for position, block in enumerate(blocks):
        if block.index in fixed:
            continue
        length = latin_length(block.text)
        if length < length_low:
            own[block.index] = "short"  # judged by its neighbours alone
            continue
        is_sentence = ends_sentence(block.text)
        # Thai and Lao end a sentence with a space, not a mark: a long block
        # there is as much a sentence as punctuation can tell.
        unmarked = not is_sentence and unmarked_script(block.text)
        if hits is None:
            # A language we hold no stopwords for: sentence punctuation and
            # length are the only evidence left.
            share_here = config.stopwords_high if is_sentence or unmarked else 0.0
        else:
            share_here = hits[position] / len(block.words) if block.words else 0.0
            if share_here < config.stopwords_low and _unlisted_script(block, pages):
                # Korean prose in an English page: as for a language we hold
                # no stopwords for, punctuation and length decide.
                share_here = config.stopwords_high if is_sentence or unmarked else 0.0
            elif share_here < config.stopwords_low and len(block.words) >= _FOREIGN_MIN_WORDS:
                share_here = max(share_here, _foreign_share(block, languages, language))
        found = _initial(length, share_here, is_sentence, config)
        if found == "bad" and is_data(block):
            found = "short"  # a table row or code: data, judged by the blocks around it
        elif found in _PROSE and not is_sentence and is_title_case(block):
            found = "short"  # a headline or a link's title, however long: judged by neighbours
        own[block.index] = found


def _initial_classes(blocks: Sequence[Block], config: LineScoreConfig, *,
                     languages: tuple[str, ...], fixed: dict[int, BlockClass],
                     own: dict[int, BlockClass] | None = None) -> list[BlockClass] | None:
    """Classify each block by its own features; ``None`` when nothing reads as prose.

    ``own`` remembers each block's class from its own features by block index:
    a later reading of the same blocks (the cleaner settling the model over
    what it keeps) reuses it instead of counting stopwords again.
    """
    own = {} if own is None else own
    if any(block.index not in fixed and block.index not in own for block in blocks):
        _classify_own(blocks, config, languages, fixed, own)
    classes: list[BlockClass] = [fixed[block.index] if block.index in fixed else own[block.index]
                                 for block in blocks]
    if "good" not in classes:
        if "near_good" not in classes:
            return None
        # Pages of short paragraphs have no block long enough to be "good";
        # their best prose then anchors the main text instead.
        classes = ["good" if found == "near_good" else found for found in classes]
    mark_menus(blocks, classes, fixed)
    promote_prose_runs(blocks, classes)
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
    fixed = fixed or {}
    classes = _initial_classes(blocks, config, languages=languages, fixed=fixed)
    if classes is None:
        return None
    neutralise_unproven(blocks, classes, fixed)
    return _context(classes)


#: Lines of figure rows or code in a row that make a table or a code example.
_TABLE_ROWS = 2


def _tables(blocks: Sequence[Block], removed: frozenset[int], data: frozenset[int]
            ) -> frozenset[int]:
    """Positions of the blocks in runs of data (figure rows, code) no rule removed, 2+ lines long.

    A short story can be all table (an earnings report), a documentation page
    all code between sentences: the rows are short blocks, skipped by the
    context step, and the notes would otherwise take the class of the chrome
    beyond them.
    """
    found: list[int] = []
    run: list[int] = []
    for position, block in enumerate((*blocks, None)):
        if block is not None and block.index not in removed and position in data:
            run.append(position)
            continue
        if run and blocks[run[-1]].last_line - blocks[run[0]].first_line + 1 >= _TABLE_ROWS:
            found.extend(run)
        run = []
    return frozenset(found)


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
                     favor: Favor = "balanced", explain: bool = True,
                     borders: frozenset[int] = frozenset(),
                     closers: frozenset[int] = frozenset(),
                     own: dict[int, BlockClass] | None = None,
                     data: dict[int, bool] | None = None,
                     stamps: frozenset[int] = frozenset()) -> tuple[Removal, ...]:
    """Return ``boilerplate.low_content`` removals: blocks the main-text model finds no prose in.

    Each block is judged on its own evidence first (length, stopword density
    in the document's language, sentence punctuation; blocks an earlier step
    removed count as boilerplate), then by its neighbours, jusText's context
    step. The article can be any number of regions: a block is never removed
    only for where it sits.

    * Good prose is kept, unless two closing lines (:data:`CLOSING_RULES`) stand
      between it and the largest run of article text, after the run; or unless
      it is one line, a border stands between it and that run, and the run
      holds at least three paragraphs of prose and three times its length
      (another story's teaser above the menu, a site's blurb).
    * Prose too short to be sure of (``near_good``) goes only when boilerplate
      lies on both sides (with ``favor="recall"``, never).
    * A short line takes the class of its neighbours, but stays when it
      belongs to a kept neighbour: it finishes a sentence the block before
      left open, the block after continues it in lower case, it is itself a
      finished sentence after prose, or it is the headline of the first
      paragraph.
    * A long block without prose (a table, a list, code) stays inside the
      article, with prose on both sides, and goes among boilerplate.
    * A short line outside the largest run of article text
      (:func:`main_region`), with a border between (a block of
      :data:`BORDER_RULES`), goes: the headlines of a "Most read" list, a
      widget's labels. Not a finished sentence, code, an indented line or a
      list item, nor a line that heads the prose, indented lines or list
      after it: those are a text's own (:func:`_stray`).
    * A block that is not short, after that run, with two closing lines between,
      goes unless it is data, indented or a list item: another story's teaser,
      the publisher's blurb (``closers``).
    * ``favor="precision"`` also removes everything else that lies outside
      that run, prose too.
    * A lede above a box set inside the story (share buttons, "Related stories")
      stays when the story goes on under the box: its near-good paragraph, a long
      sentence of names and figures, its headline and short first rows
      (:func:`_prose_through_box`).
    * An indented block is never removed for its neighbours' classes alone
      (the three removals "among boilerplate").

    Args:
        blocks: the document's blocks.
        config: the classifier thresholds.
        languages: candidate languages.
        removed: blocks an earlier step removed (they count as boilerplate).
        is_headline: says whether a block reads like a headline.
        favor: the precision/recall dial (:attr:`dedup.CleanConfig.favor`).
        explain: build the human ``detail``.
        borders: blocks a rule of :data:`BORDER_RULES` removed, by block index.
        closers: blocks a rule of :data:`CLOSING_RULES` removed, by block index.
        own: each block's class from its own features, by block index, kept
            between readings of the same blocks (filled when empty).
        stamps: blocks a date-line rule removed (a post's or a teaser's stamp), by
            block index: records of them make a listing (:func:`_listing`).
        data: whether each block is data (:func:`~dedup.cleaning.evidence.is_data`),
            by block index, kept between readings like ``own``: on web pages the
            test ran 400,000 times over three readings, 8% of clean()'s time.
    """
    fixed: dict[int, BlockClass] = dict.fromkeys(removed, "bad") if removed else {}
    initial = _initial_classes(blocks, config, languages=languages, fixed=fixed, own=own)
    if initial is None:
        return ()
    if "bad" not in initial and "short" not in initial:
        return ()  # everything reads as prose, or nearly
    data = {} if data is None else data
    for block in blocks:
        if block.index not in data:
            data[block.index] = is_data(block)
    shaped = frozenset(p for p, block in enumerate(blocks) if data[block.index])
    unproven = neutralise_unproven(blocks, initial, fixed, shaped)
    prose_before, prose_after = near = _nearest(initial, _SKIP_SHORT)
    tables = _tables(blocks, removed, shaped)
    context = _context(initial, tables, near)
    boxed = _prose_through_box(blocks, initial, removed, borders, tables=tables,
                               is_headline=is_headline) if removed else {}
    first_good = initial.index("good")
    region: tuple[int, int] | None = None
    crossed: tuple[int, int] = (-1, len(blocks))
    past_two = len(blocks)
    own_structure: frozenset[int] = frozenset()
    run_prose = 0  # characters of prose in the run, when it has enough paragraphs to be the article
    if favor == "precision" or (favor == "balanced" and borders):
        # A text's own structure (data, indented lines, list items) neither
        # makes nor splits the run: a changelog's items, a module's members.
        own_structure = frozenset(
            p for p, b in enumerate(blocks)
            if b.index not in removed and (p in shaped or b.indent or is_list_item(b.text)))

        def run_of(neutral: frozenset[int]) -> tuple[int, int] | None:
            return main_region([
                _score(b, c, True) if b.index in removed
                else 0.0 if p in unproven or p in own_structure or p in neutral
                else _score(b, c, False)
                for p, (b, c) in enumerate(zip(blocks, initial, strict=True))])

        region = run_of(frozenset())
        # A listing of dated teasers neither makes nor splits the run either, when
        # the rest of the page holds an article: its paragraphs are other stories',
        # however many there are. A page that is the listing (reviews, a blog's
        # posts) keeps its run.
        listed = (_listing(blocks, removed, stamps, initial) if stamps and region is not None
                  else None)
        if listed:
            without = run_of(listed)
            if without is not None and _paragraphs_in_a_row(
                    blocks, initial, removed, without, listed) >= _RUN_PARAGRAPHS:
                region = without
        if region is not None and borders:
            # The borders nearest the run on each side: a block beyond one of them
            # has a border between it and the run.
            crossed = (max((p for p in range(region[0]) if blocks[p].index in borders),
                           default=-1),
                       min((p for p in range(region[1] + 1, len(blocks))
                            if blocks[p].index in borders), default=len(blocks)))
            closing = list(islice((p for p in range(region[1] + 1, len(blocks))
                                   if blocks[p].index in closers), 2))
            if len(closing) == 2:
                past_two = closing[1]  # two closing lines lie between the run and what follows
            prose = [len(blocks[p].text) for p in range(region[0], region[1] + 1)
                     if initial[p] == "good" and blocks[p].index not in removed]
            if len(prose) >= _RUN_PARAGRAPHS:
                run_prose = sum(prose)

    def story_goes_on(position: int) -> bool:
        """Whether the story goes on under a box below the block, so the block is its lede.

        What it goes on in is indented, or at or past the start of the largest run
        of article text; a table of figures must lie inside that run (a page's form
        over a box and a widget's figures are not a story going on).
        """
        target = boxed.get(position)
        if target is None:
            return False
        if region is None or blocks[target].indent:
            return True
        return region[0] <= target and (target not in tables or target <= region[1])

    removals: list[Removal] = []
    for position, block in enumerate(blocks):
        if block.index in removed:
            continue
        found = initial[position]
        is_short = found == "short" or (found == "bad"
                                          and latin_length(block.text) < config.length_low)
        beyond = region is not None and not region[0] <= position <= region[1]
        outside = beyond and favor == "precision"
        by_neighbours = False  # the neighbours' classes alone decide this removal
        if outside and not is_short:
            why = "prose outside the main text (favor='precision')"
        elif position > past_two and not is_short and position not in own_structure:
            why = "a paragraph after the main text, past two of its closing lines"
        elif (found == "good" and beyond and not crossed[0] <= position <= crossed[1]
              and not block.is_joined and position not in own_structure
              and run_prose >= _RUN_TIMES * len(block.text)):
            # Past a border, a page's other regions: another story's teaser, a site's
            # blurb, a cookie notice no rule names. One line: page text scraped from
            # HTML writes a paragraph a line, while a paragraph its writer wrapped is
            # plain text (a README, a NEWS file, a mail), whose parts one false
            # border hit must not cut off (measured on /usr/share/doc: without this
            # condition groff's, libpng's and avahi's READMEs lose paragraphs).
            why = "a paragraph outside the main text, past a border of it"
        elif found == "good":
            continue
        elif found == "near_good":
            if favor == "recall" or context[position] != "bad" or story_goes_on(position):
                # The story goes on past a box set under it: its lede.
                continue
            why, by_neighbours = "a short paragraph among boilerplate", True
        elif not is_short:
            if prose_before[position] in _ENCLOSING and prose_after[position] in _ENCLOSING:
                continue  # a table, list or code inside the article
            if story_goes_on(position):
                continue  # a story's lede, of names and figures: the story goes on under it
            why, by_neighbours = "no prose, among boilerplate", True
        else:
            stray = (beyond and not outside and not crossed[0] <= position <= crossed[1]
                     and _stray(blocks, initial, removed, position, config.length_low))
            away = outside or stray
            if position in unproven and not away:
                continue  # no rule's evidence near it: the neighbours' word is not enough
            if not away and story_goes_on(position):
                continue  # the headline or a short line of the lede over a box in the story
            if (context[position] != "bad" and not away) or _belongs(
                    blocks, initial, removed, position, first_good, is_headline):
                continue
            if context[position] == "bad":
                why, by_neighbours = "a short line among boilerplate", True
            elif outside:
                why = "a short line outside the main text (favor='precision')"
            else:
                why = "a short line outside the main text, past a border of it"
        if by_neighbours and block.indent:
            # Indented by its writer: a commit message in a git log, a man page's body, a
            # README's example, the text's own structure (page text scraped from HTML has
            # no indentation). Measured on /usr/share/doc (held out): files losing more
            # than 10% of their words 1.4% -> 1.1% (a git-log changelog kept 0.56 -> 0.85
            # of its words); the benchmark pages and every stability row unchanged; docs
            # pages converted from HTML lose up to 0.011 of precision (their code blocks
            # keep the page's indent).
            continue
        removals.append(_removal(block, why, explain))
    return tuple(removals)


#: Markdown's heading marks, as plain text writes them.
_HEADING_MARKS: tuple[str, ...] = tuple("#" * n + " " for n in range(1, 7))


def _stray(blocks: Sequence[Block], initial: list[BlockClass], removed: frozenset[int],
           position: int, length_low: int) -> bool:
    """Say whether the short block at ``position``, past a border of the article, is another's.

    It must be short in characters (a long line of a language we hold no
    stopwords for is "short" by class, not by length). It is not a finished
    sentence, a label ending in a colon, code, an indented line, a list item or
    a Markdown heading, nor the heading of the prose, indented lines, list or
    underline right after it: a text's own. A line of figures can go (a widget's
    ranks, a stray date). On the 181 article pages and 639 web pages it takes
    "Most read" headlines, page-title lines and widget labels; on READMEs, NEWS
    files and manuals (``benchmarks/local_docs.py``) each exemption keeps
    headings and opening sentences that a rule's line set apart from the largest
    run of prose.
    """
    block = blocks[position]
    text = block.text
    if (block.indent or text.endswith(":") or text.startswith(_HEADING_MARKS)
            or latin_length(text) >= length_low or is_list_item(text) or ends_sentence(text)
            or is_code(block)):
        return False  # a text's own structure, a label over what follows, a sentence
    following = position + 1
    if following < len(blocks) and blocks[following].index not in removed:
        after = blocks[following]
        if (initial[following] in _PROSE or after.indent > block.indent
                or is_list_item(after.text) or not after.words):
            return False  # a heading over prose, an indented text, a list or its underline
    return True


#: What may stand on each side of a non-prose block that stays: prose, or the
#: document's edge (a squad list or a table closing a story).
_ENCLOSING: frozenset[str] = frozenset({"good", "near_good", _EDGE})


def _belongs(blocks: Sequence[Block], initial: list[BlockClass], removed: frozenset[int],
             position: int, first_good: int, is_headline: Callable[[Block], bool]) -> bool:
    """Say whether the short block at ``position`` is part of a kept neighbour's text.

    Local evidence only: the sentence it shares with the kept block before or
    after it (blocks a rule removed between them are skipped), or being the
    headline of the first paragraph. A short line of a wrapped paragraph that
    segmentation left alone (the layout hid the wrap) stays with the prose it
    continues.
    """
    block = blocks[position]
    before = _kept_neighbour(blocks, removed, position, -1)
    after = _kept_neighbour(blocks, removed, position, 1)
    prose_before = before is not None and initial[before] in _PROSE
    if before is not None and initial[before] != "bad":
        previous = blocks[before]
        if not ends_sentence(previous.text) and (prose_before or starts_lower(block.text)):
            return True  # it finishes the sentence the block before left open
        if prose_before and ends_sentence(block.text):
            return True  # a one-line paragraph after prose
    if after is not None:
        following = blocks[after]
        prose_after = initial[after] in _PROSE
        if prose_after and not ends_sentence(block.text) and (
                starts_lower(following.text) or _has_running_words(block)):
            return True  # the block after goes on with its sentence
        if is_headline(block) and (after == first_good or not prose_before) and (
                prose_after or _table_under(blocks, removed, after)
                or _introduces_data(blocks, removed, after)
                or _opens_paragraph(blocks, initial, removed, after,
                                    reach=_OPENING_BLOCKS
                                    if following.first_line > block.last_line + 1 else 1)
                or (_has_running_words(following) and not is_headline(following))):
            return True  # the headline of the paragraph, or of the table or code under it
        if (prose_before and not ends_sentence(block.text) and ends_sentence(following.text)
                and len(block.words) + len(following.words) >= _SENTENCE_WORDS
                and initial[after] != "bad"):
            return True  # a sentence after prose, broken over two short blocks
    return False


def _table_under(blocks: Sequence[Block], removed: frozenset[int], position: int) -> bool:
    """Say whether a table starts at ``position``: two kept rows of figures in a row."""
    after = _kept_neighbour(blocks, removed, position, 1)
    return is_tabular(blocks[position]) and after is not None and is_tabular(blocks[after])


def _introduces_data(blocks: Sequence[Block], removed: frozenset[int], position: int) -> bool:
    """Say whether the block at ``position`` announces a code example or a table under it.

    "To read a file, open it and call read():" then the code: a documentation
    page's section opens so, and its heading belongs to it.
    """
    after = _kept_neighbour(blocks, removed, position, 1)
    return (blocks[position].text.rstrip().endswith(":") and after is not None
            and is_data(blocks[after]))


#: How many blocks down, line after line, a paragraph's broken first line may find its prose.
_OPENING_BLOCKS = 3


def _opens_paragraph(blocks: Sequence[Block], initial: list[BlockClass],
                     removed: frozenset[int], position: int, *, reach: int = 1) -> bool:
    """Say whether the block at ``position`` is a paragraph's first line, broken early.

    It leaves its sentence open and prose follows within the next ``reach``
    blocks, each on the line right under the one before (no blank line
    between): wire copy breaks a paragraph's first line short, and a paragraph
    wrapped short of its neighbours' margin may be several short blocks before
    one reads as prose ("Halden Marine Corp said Anna" over "Lund, its finance
    chief, was named to" and "succeed Per Holm." over the next paragraph). The
    headline clause of :func:`_belongs` looks that far
    (:data:`_OPENING_BLOCKS`) only under a headline set apart by a blank line,
    as plain text sets its paragraphs; in page text, a line a paragraph, the
    lines under a label are items of their own.
    """
    block = blocks[position]
    if ends_sentence(block.text):
        return False
    last_line = block.last_line
    for following in range(position + 1, min(position + 1 + reach, len(blocks))):
        after = blocks[following]
        if after.index in removed or after.first_line != last_line + 1:
            return False
        if initial[following] in _PROSE:
            return True
        last_line = after.last_line
    return False


def _has_running_words(block: Block) -> bool:
    """Say whether a block has two words in lower case: a piece of a sentence, not a label.

    Menu entries and headlines are capitalised word by word or in capitals;
    running text has lower-case function words ("entered the").
    """
    return sum(1 for word in block.text.split() if word[:1].islower()) >= 2


#: Words two short blocks need together to be read as one sentence of prose.
_SENTENCE_WORDS = 6


def _kept_neighbour(blocks: Sequence[Block], removed: frozenset[int], position: int,
                    step: int) -> int | None:
    """The position of the nearest block before (``step=-1``) or after that no rule removed."""
    position += step
    while 0 <= position < len(blocks):
        if blocks[position].index not in removed:
            return position
        position += step
    return None


def _removal(block: Block, why: str, explain: bool) -> Removal:
    detail = ""
    if explain:
        shown = block.text if len(block.text) <= 60 else block.text[:57] + "..."
        detail = f"{shown!r} on {block.lines}: {why}"
    return Removal(start=block.start, end=block.end, rule="boilerplate.low_content",
                   detail=detail)
